//! The view of the leaders' overview (`overview.html`): per village, what is on track and what
//! is overdue (the case study's 综治纪实 view).

use super::lists::{NoticeSummary, RegulationSummary};
use super::shared::Basic;
use super::View;
use crate::diagnostics::Diagnostic;
use crate::model::notice::Status;
use crate::model::{urls, Site};
use serde::Serialize;
use std::collections::HashSet;

/// Findings listed per village on the overview; the rest are counted (`qili check` lists all).
const MAX_ISSUES_LISTED: usize = 20;

/// 各村工作一览（给领导看，站点设了 `overview: true` 的读者版本才有）。
#[derive(Serialize)]
pub(in crate::render) struct OverviewPage<'a> {
    /// 见「每个页面都有的」。
    #[serde(flatten)]
    pub page: Basic<'a>,
    /// 每个村一项，按 `site.yaml` 的顺序。
    pub villages: Vec<OverviewVillage<'a>>,
    /// 本季度从哪天算起，例如"2026年10月1日"。
    pub quarter_start: String,
}

impl View for OverviewPage<'_> {
    const TEMPLATE: &'static str = "overview.html";
}

/// 一览里的一个村。
#[derive(Serialize)]
pub(in crate::render) struct OverviewVillage<'a> {
    /// 编号。
    pub id: &'a str,
    /// 名称。
    pub name: &'a str,
    /// 村的页面的地址。
    pub url: String,
    /// 现行的村规民约；没有时为空。
    pub regulation: Option<RegulationSummary<'a>>,
    /// 各种进展的村务公开各有几件，按进展的顺序。
    pub counts: Vec<StatusCount>,
    /// 最新的 3 件村务公开。
    pub latest: Vec<&'a NoticeSummary<'a>>,
    /// 检查发现的问题（这个村的公开和村规民约的，和 W331 本季度没有公开），最多 20 条。
    pub issues: Vec<IssueView<'a>>,
    /// 问题一共几条。
    pub issue_count: usize,
    /// 本季度有过村务公开。
    pub disclosed_this_quarter: bool,
}

/// 一种进展的公开有几件。
#[derive(Serialize)]
pub(in crate::render) struct StatusCount {
    /// 进展，同 `NoticeSummary` 的 `status`。
    pub status: Status,
    /// 进展的中文说法。
    pub label: &'static str,
    /// 几件。
    pub count: usize,
}

/// 检查发现的一个问题。
#[derive(Serialize)]
pub(in crate::render) struct IssueView<'a> {
    /// 代码，例如 `W331`（见"诊断代码"）。
    pub code: &'static str,
    /// 说明。
    pub message: &'a str,
    /// 法律依据；没有时为空。
    pub law: Option<&'a str>,
    /// 是错误（不是警告）。
    pub error: bool,
}

impl<'a> OverviewVillage<'a> {
    /// Every village's line; `notices` are the site's notice summaries and `notices_of` the
    /// indices of each village's, newest first.
    pub fn all(
        site: &'a Site,
        findings: &'a [Diagnostic],
        notices: &'a [NoticeSummary<'a>],
        notices_of: &[Vec<usize>],
    ) -> Vec<OverviewVillage<'a>> {
        let c = &site.config;
        c.villages
            .iter()
            .zip(notices_of)
            .map(|(v, of)| {
                let counts = Status::ALL
                    .iter()
                    .map(|&s| StatusCount {
                        status: s,
                        label: s.label(),
                        count: of.iter().filter(|&&k| notices[k].status == s).count(),
                    })
                    .collect();
                let regulations = site.regulations_of(&v.id);
                let files: HashSet<&str> = of
                    .iter()
                    .map(|&k| site.notices[k].doc.file.as_str())
                    .chain(regulations.iter().map(|r| r.doc.file.as_str()))
                    .collect();
                let line = c.village_line(&v.id);
                let issues: Vec<&Diagnostic> = findings
                    .iter()
                    .filter(|d| {
                        files.contains(d.file.as_str())
                            || (d.file == crate::config::FILE_NAME
                                && d.line == line
                                && d.code == "W331")
                    })
                    .collect();
                OverviewVillage {
                    id: &v.id,
                    name: &v.name,
                    url: c.href(&urls::village(&v.id)),
                    regulation: regulations
                        .iter()
                        .find(|r| r.is_current)
                        .map(|r| RegulationSummary::new(site, r)),
                    counts,
                    latest: of.iter().take(3).map(|&k| &notices[k]).collect(),
                    issue_count: issues.len(),
                    issues: issues
                        .into_iter()
                        .take(MAX_ISSUES_LISTED)
                        .map(|d| IssueView {
                            code: d.code,
                            message: &d.message,
                            law: d.law.as_deref(),
                            error: d.is_error(),
                        })
                        .collect(),
                    disclosed_this_quarter: crate::check::disclosed_this_quarter(site, &v.id),
                }
            })
            .collect()
    }
}
