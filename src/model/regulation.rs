//! 村规民约 and 居民公约: one source per version. The newest adopted version of a village is its
//! current regulation; earlier versions stay readable at their own URLs.

use super::date::Date;
use super::notice::{CountedBy, Meeting};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegulationFront {
    pub title: String,
    pub village: String,
    /// 版本名，同时是旧版本网址的一部分，例如 "2025"。
    pub version: String,
    #[serde(default)]
    pub summary: String,
    /// 制定过程：征集民意 → 拟定草案 → 提请审核 → 审议表决 → 备案。
    pub history: History,
    /// 生效日期。
    #[serde(default)]
    pub effective: Option<Date>,
    /// 与上一版相比改了什么（编辑写的说明；逐条对比由 qili 自动生成）。
    #[serde(default)]
    pub changes: Option<String>,
    #[serde(default)]
    pub draft: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// 征集民意。
    #[serde(default)]
    pub solicit: Option<Milestone>,
    /// 拟定草案。
    #[serde(default)]
    pub draft: Option<Milestone>,
    /// 提请审核（乡镇党委、政府审核合法性）。
    #[serde(default)]
    pub review: Option<Milestone>,
    /// 审议表决。
    #[serde(default)]
    pub vote: Option<Vote>,
    /// 备案。
    #[serde(default)]
    pub filing: Option<Milestone>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub date: Date,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Vote {
    pub date: Date,
    pub meeting: Meeting,
    #[serde(default)]
    pub counted_by: CountedBy,
    pub expected: i64,
    pub present: i64,
    #[serde(rename = "for")]
    pub votes_for: i64,
    #[serde(default)]
    pub against: i64,
    #[serde(default)]
    pub abstain: i64,
}

impl RegulationFront {
    /// Date used to order versions: adoption, else the latest milestone given.
    pub fn sort_date(&self) -> Option<Date> {
        let h = &self.history;
        h.vote.as_ref().map(|v| v.date).or_else(|| {
            [&h.filing, &h.review, &h.draft, &h.solicit]
                .into_iter()
                .flatten()
                .map(|m| m.date)
                .max()
        })
    }
}
