//! 四议两公开 notices: one source per matter, recording the four deliberations and the two
//! disclosures. The rules that judge these records live in `crate::check`.

use super::date::Date;
use crate::config::VillageKind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeFront {
    pub title: String,
    #[serde(default)]
    pub slug: Option<String>,
    /// 所属村（社区）的编号，见 site.yaml。
    pub village: String,
    /// 发布日期。
    pub date: Date,
    #[serde(default)]
    pub summary: String,
    /// 事项。
    pub matter: String,
    /// 事项类别，决定适用的表决规则。
    pub kind: MatterKind,
    /// 动议事由。
    pub initiated_by: Initiator,
    #[serde(default)]
    pub steps: Steps,
    /// 决议公开。
    #[serde(default)]
    pub disclosure: Option<Disclosure>,
    /// 实施结果公开。
    #[serde(default)]
    pub result: Option<ResultDisclosure>,
    /// 落款。
    pub signature: Signature,
    /// 监督/反映联系方式；不写则用 site.yaml 的 supervision。
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub draft: bool,
}

/// What the matter is: picks the thresholds that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum MatterKind {
    // 《村民委员会组织法》第二十四条
    #[serde(rename = "误工补贴")]
    Allowance,
    #[serde(rename = "集体收益使用")]
    CollectiveIncome,
    #[serde(rename = "公益事业")]
    PublicWorks,
    #[serde(rename = "土地承包经营方案")]
    LandContract,
    #[serde(rename = "集体经济项目")]
    CollectiveProject,
    #[serde(rename = "宅基地使用方案")]
    Homestead,
    #[serde(rename = "征地补偿费")]
    LandCompensation,
    #[serde(rename = "处分集体财产")]
    DisposeProperty,
    #[serde(rename = "其他村民利益事项")]
    OtherVillagerInterest,
    // 《农村集体经济组织法》第二十六条：成员代表大会不得决定的事项
    #[serde(rename = "集体经济组织章程")]
    CollectiveCharter,
    #[serde(rename = "确认成员")]
    MembershipConfirmation,
    #[serde(rename = "承包宅基地份额量化方案")]
    CollectiveShares,
    #[serde(rename = "土地补偿费分配")]
    CompensationDistribution,
    #[serde(rename = "合并分立")]
    MergeSplit,
    /// Other collective property matters (经营、租赁、收益分配……) decided by the 成员（代表）大会.
    #[serde(rename = "集体财产其他事项")]
    CollectivePropertyOther,
    /// 社区居民会议讨论的事项。
    #[serde(rename = "社区事项")]
    Community,
    #[serde(rename = "其他")]
    Other,
}

/// How the law sorts a matter when it decides who may decide it (see `crate::check::authority`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatterClass {
    /// 村务、居务：《村民委员会组织法》第二十四条 matters that are not collective property, and a
    /// community's matters.
    Affairs,
    /// 集体财产和成员权益 that a 成员代表大会 may decide (《农村集体经济组织法》第二十六条第一款
    /// 第（七）（九）（十一）项 and the like).
    Collective,
    /// 集体财产事项 that only the 成员大会 decides: 第二十六条第一款 item (一)(三)(八)(十)(十二),
    /// named by the item.
    Reserved(&'static str),
}

impl MatterKind {
    /// Every kind, in the order of the form and the README.
    pub const ALL: [MatterKind; 17] = [
        MatterKind::Allowance,
        MatterKind::CollectiveIncome,
        MatterKind::PublicWorks,
        MatterKind::LandContract,
        MatterKind::CollectiveProject,
        MatterKind::Homestead,
        MatterKind::LandCompensation,
        MatterKind::DisposeProperty,
        MatterKind::OtherVillagerInterest,
        MatterKind::CollectiveCharter,
        MatterKind::MembershipConfirmation,
        MatterKind::CollectiveShares,
        MatterKind::CompensationDistribution,
        MatterKind::MergeSplit,
        MatterKind::CollectivePropertyOther,
        MatterKind::Community,
        MatterKind::Other,
    ];

    /// Which rules govern the matter. 村组法第二十四条 lists land contracts, homesteads, the use of
    /// collective income, projects, compensation and disposals among the 村民会议's matters; they
    /// are also 集体财产 matters under 集体经济组织法第二十六条, and that later, specific law is the
    /// one a village is held to (第六十四条 where no collective exists).
    pub fn class(self) -> MatterClass {
        match self {
            MatterKind::Allowance
            | MatterKind::PublicWorks
            | MatterKind::OtherVillagerInterest
            | MatterKind::Community
            | MatterKind::Other => MatterClass::Affairs,
            MatterKind::CollectiveIncome
            | MatterKind::CollectiveProject
            | MatterKind::DisposeProperty
            | MatterKind::CollectivePropertyOther => MatterClass::Collective,
            MatterKind::CollectiveCharter => MatterClass::Reserved("第二十六条第一款第（一）项"),
            MatterKind::MembershipConfirmation => {
                MatterClass::Reserved("第二十六条第一款第（三）项")
            }
            MatterKind::LandContract | MatterKind::Homestead | MatterKind::CollectiveShares => {
                MatterClass::Reserved("第二十六条第一款第（八）项")
            }
            MatterKind::LandCompensation | MatterKind::CompensationDistribution => {
                MatterClass::Reserved("第二十六条第一款第（十）项")
            }
            MatterKind::MergeSplit => MatterClass::Reserved("第二十六条第一款第（十二）项"),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MatterKind::Allowance => "误工补贴",
            MatterKind::CollectiveIncome => "集体收益使用",
            MatterKind::PublicWorks => "公益事业",
            MatterKind::LandContract => "土地承包经营方案",
            MatterKind::CollectiveProject => "集体经济项目",
            MatterKind::Homestead => "宅基地使用方案",
            MatterKind::LandCompensation => "征地补偿费",
            MatterKind::DisposeProperty => "处分集体财产",
            MatterKind::OtherVillagerInterest => "其他村民利益事项",
            MatterKind::CollectiveCharter => "集体经济组织章程",
            MatterKind::MembershipConfirmation => "确认成员",
            MatterKind::CollectiveShares => "承包宅基地份额量化方案",
            MatterKind::CompensationDistribution => "土地补偿费分配",
            MatterKind::MergeSplit => "合并分立",
            MatterKind::CollectivePropertyOther => "集体财产其他事项",
            MatterKind::Community => "社区事项",
            MatterKind::Other => "其他",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Initiator {
    #[serde(rename = "党员群众建议")]
    Suggestion,
    #[serde(rename = "村干部提议")]
    Cadres,
    #[serde(rename = "上级安排")]
    Superior,
}

impl Initiator {
    /// How the 动议事由 reads on a page: a community's cadres are 社区干部.
    pub fn label(self, kind: VillageKind) -> &'static str {
        match (self, kind) {
            (Initiator::Suggestion, _) => "党员群众建议",
            (Initiator::Cadres, VillageKind::Village) => "村干部提议",
            (Initiator::Cadres, VillageKind::Community) => "社区干部提议",
            (Initiator::Superior, _) => "上级安排",
        }
    }
}

/// The first three deliberations, whose bodies are named after the village's kind: a 村 has a
/// 村党组织 and 村“两委”, a 社区 a 社区党组织 and 社区“两委”.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepName {
    Proposal,
    Deliberation,
    PartyReview,
}

impl StepName {
    /// "村党组织提议", "社区“两委”会议商议", "党员大会审议".
    pub fn label(self, kind: VillageKind) -> &'static str {
        match (self, kind) {
            (StepName::Proposal, VillageKind::Village) => "村党组织提议",
            (StepName::Proposal, VillageKind::Community) => "社区党组织提议",
            (StepName::Deliberation, VillageKind::Village) => "村“两委”会议商议",
            (StepName::Deliberation, VillageKind::Community) => "社区“两委”会议商议",
            (StepName::PartyReview, _) => "党员大会审议",
        }
    }

    /// The body that holds the meeting when the record names none.
    pub fn default_body(self, kind: VillageKind) -> &'static str {
        match (self, kind) {
            (StepName::Proposal, VillageKind::Village) => "村党组织",
            (StepName::Proposal, VillageKind::Community) => "社区党组织",
            (StepName::Deliberation, VillageKind::Village) => "村“两委”",
            (StepName::Deliberation, VillageKind::Community) => "社区“两委”",
            (StepName::PartyReview, _) => "党员大会",
        }
    }
}

/// What a village or community discloses: 村务 or 居务.
pub fn disclosure_label(kind: VillageKind) -> &'static str {
    match kind {
        VillageKind::Village => "村务公开",
        VillageKind::Community => "居务公开",
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Steps {
    /// 第一议：村党组织提议。
    #[serde(default)]
    pub proposal: Option<Step>,
    /// 第二议：村"两委"会议商议。
    #[serde(default)]
    pub deliberation: Option<Step>,
    /// 第三议：党员大会审议。
    #[serde(default)]
    pub party_review: Option<Step>,
    /// 第四议：村民会议或村民代表会议决议。
    #[serde(default)]
    pub resolution: Option<Resolution>,
}

/// One meeting of the procedure.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub date: Date,
    /// 召集或参加的机构，例如"村党支部委员会"。
    #[serde(default)]
    pub body: Option<String>,
    /// 会议形式，例如"支委会""联席会议"。
    #[serde(default)]
    pub form: Option<String>,
    #[serde(default)]
    pub expected: Option<i64>,
    #[serde(default)]
    pub present: Option<i64>,
    #[serde(default, rename = "for")]
    pub votes_for: Option<i64>,
    #[serde(default)]
    pub against: Option<i64>,
    #[serde(default)]
    pub abstain: Option<i64>,
    /// 结果，例如"同意提交党员大会审议"。
    #[serde(default)]
    pub outcome: Option<String>,
    /// 书记、主任"一肩挑"时，提议和商议合并召开。
    #[serde(default)]
    pub combined: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Meeting {
    #[serde(rename = "村民会议")]
    VillagersAssembly,
    #[serde(rename = "村民代表会议")]
    RepresentativesMeeting,
    #[serde(rename = "村民小组会议")]
    GroupMeeting,
    #[serde(rename = "居民会议")]
    ResidentsAssembly,
    #[serde(rename = "成员大会")]
    MembersAssembly,
    #[serde(rename = "成员代表大会")]
    MembersRepresentatives,
}

impl Meeting {
    pub const ALL: [Meeting; 6] = [
        Meeting::VillagersAssembly,
        Meeting::RepresentativesMeeting,
        Meeting::GroupMeeting,
        Meeting::ResidentsAssembly,
        Meeting::MembersAssembly,
        Meeting::MembersRepresentatives,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Meeting::VillagersAssembly => "村民会议",
            Meeting::RepresentativesMeeting => "村民代表会议",
            Meeting::GroupMeeting => "村民小组会议",
            Meeting::ResidentsAssembly => "居民会议",
            Meeting::MembersAssembly => "成员大会",
            Meeting::MembersRepresentatives => "成员代表大会",
        }
    }
}

/// How the 应到/实到 of a 村民会议 are counted (《村民委员会组织法》第二十二条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
pub enum CountedBy {
    #[default]
    #[serde(rename = "人数")]
    Persons,
    #[serde(rename = "户数")]
    Households,
}

impl CountedBy {
    /// The unit a count is written in: 人 or 户.
    pub fn unit(self) -> &'static str {
        match self {
            CountedBy::Persons => "人",
            CountedBy::Households => "户",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    pub meeting: Meeting,
    #[serde(default)]
    pub counted_by: CountedBy,
    /// 会议通知发出的日期（村民会议、居民会议、成员大会应提前十日通知）。
    #[serde(default)]
    pub announced: Option<Date>,
    /// 不足十日临时通知的特殊情况（2026 年起村民会议、居民会议可以临时通知，写明是什么情况）。
    #[serde(default)]
    pub urgent: Option<String>,
    pub date: Date,
    #[serde(default)]
    pub form: Option<String>,
    pub expected: i64,
    pub present: i64,
    #[serde(rename = "for")]
    pub votes_for: i64,
    #[serde(default)]
    pub against: i64,
    #[serde(default)]
    pub abstain: i64,
    #[serde(default)]
    pub outcome: Option<String>,
    /// 成员代表大会所代表的户数（每五户至十五户推选一名代表）。
    #[serde(default)]
    pub households: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    /// 公示开始日期。
    pub from: Date,
    /// 公示结束日期。
    pub to: Date,
    /// 公示地点，例如"村务公开栏、村民微信群"。
    #[serde(default)]
    pub place: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResultDisclosure {
    pub date: Date,
    /// 实施结果。
    pub content: String,
    /// 金额，例如"实际支出 12.6 万元"。
    #[serde(default)]
    pub amount: Option<String>,
    /// 进度。
    #[serde(default)]
    pub progress: Option<String>,
    /// 村务监督委员会的监督意见。
    #[serde(default)]
    pub supervision: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// 落款单位，例如"东岭村民委员会"。
    pub body: String,
    pub date: Date,
}

/// Where a notice stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    InProgress,
    Publicizing,
    PublicityEnded,
    ResultPublished,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::InProgress => "进行中",
            Status::Publicizing => "公示中",
            Status::PublicityEnded => "公示期满",
            Status::ResultPublished => "结果已公开",
        }
    }

    pub const ALL: [Status; 4] = [
        Status::InProgress,
        Status::Publicizing,
        Status::PublicityEnded,
        Status::ResultPublished,
    ];
}

impl NoticeFront {
    pub fn status(&self, today: Date) -> Status {
        if let Some(r) = &self.result {
            if r.date <= today {
                return Status::ResultPublished;
            }
        }
        match &self.disclosure {
            Some(d) if d.from <= today && today <= d.to => Status::Publicizing,
            Some(d) if today > d.to => Status::PublicityEnded,
            _ => Status::InProgress,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn notice(disclosure: Option<(&str, &str)>, result: Option<&str>) -> NoticeFront {
        NoticeFront {
            title: "t".into(),
            slug: None,
            village: "a".into(),
            date: d("2026-01-01"),
            summary: String::new(),
            matter: "m".into(),
            kind: MatterKind::PublicWorks,
            initiated_by: Initiator::Cadres,
            steps: Steps::default(),
            disclosure: disclosure.map(|(f, t)| Disclosure {
                from: d(f),
                to: d(t),
                place: None,
            }),
            result: result.map(|r| ResultDisclosure {
                date: d(r),
                content: "c".into(),
                amount: None,
                progress: None,
                supervision: None,
            }),
            signature: Signature {
                body: "b".into(),
                date: d("2026-01-01"),
            },
            contact: None,
            tags: vec![],
            draft: false,
        }
    }

    #[test]
    fn status_follows_the_calendar() {
        let today = d("2026-03-10");
        assert_eq!(notice(None, None).status(today), Status::InProgress);
        let future = notice(Some(("2026-03-11", "2026-03-18")), None);
        assert_eq!(future.status(today), Status::InProgress);
        let first_day = notice(Some(("2026-03-10", "2026-03-17")), None);
        assert_eq!(first_day.status(today), Status::Publicizing);
        let last_day = notice(Some(("2026-03-03", "2026-03-10")), None);
        assert_eq!(last_day.status(today), Status::Publicizing);
        let ended = notice(Some(("2026-03-01", "2026-03-09")), None);
        assert_eq!(ended.status(today), Status::PublicityEnded);
        let done = notice(Some(("2026-02-01", "2026-02-08")), Some("2026-03-10"));
        assert_eq!(done.status(today), Status::ResultPublished);
        let not_yet = notice(Some(("2026-02-01", "2026-02-08")), Some("2026-03-11"));
        assert_eq!(not_yet.status(today), Status::PublicityEnded);
    }
}
