//! Who may decide a matter, and by which count: the one table behind every meeting qili judges.
//!
//! A decision is judged by three things: the kind of matter, whether the village has set up a
//! 农村集体经济组织 (site.yaml `collective`), and the meeting that decided. The answer is either a
//! refusal (this meeting may not decide this matter here) or a [`Rule`]: the attendance and the
//! decision thresholds with their denominators, whether 户数 may be counted, whether the meeting
//! is announced ten days ahead, and the article that sets each number. The README's table of who
//! decides is rendered from [`table_markdown`], and a test keeps the two equal.
//!
//! The readings, from the law texts (农村集体经济组织法 2024; 村民委员会组织法 2018, and 2025 in
//! force 2026-01-01, whose thresholds are the same under new numbers, see `articles.rs`):
//! - A 成员大会 decides everything by 三分之二以上 of ALL members and meets with 三分之二以上 of
//!   them, announced 十日前 (第二十七条); a 成员代表大会 by 三分之二以上 of ALL representatives
//!   (第二十八条, which sets no quorum of its own), never items (一)(三)(八)(十)(十二).
//! - 集体财产 matters go to the collective's own meetings where it exists. Where it does not, the
//!   村民会议 or 村民代表会议 (or the 村民小组会议 for the group's property, 村组法 2018
//!   第二十八条第三款, 2025 第三十二条第四款) acts for it and applies the same rules by reference
//!   (第六十四条): one member one vote, so no 户数; two-thirds of all; ten days' notice. 村组法
//!   2018 第二十二条 (2025 第二十六条) yields to such a rule ("法律对召开村民会议及作出决定另有规定
//!   的，依照其规定"); from 2026 第二十八条第四款 says so outright ("参照适用《中华人民共和国农村集体
//!   经济组织法》的相关规定").
//! - Every other matter follows the 村组法 (2018 第二十二、二十六、二十八条; 2025 第二十六、三十、
//!   三十二条) or, in a community, the 居委会组织法 (2018 第九条; 2025 第二十七条).

use super::articles::{Provision, Version};
use super::rules::{Bound, Missed, CE_27, CE_28};
use crate::model::notice::{CountedBy, MatterClass, Meeting};

pub const CE_26_64: &str = "《农村集体经济组织法》第二十六条、第六十四条";
const CE_27_64: &str = "《农村集体经济组织法》第二十七条、第六十四条";
const CE_28_64: &str = "《农村集体经济组织法》第二十八条、第六十四条";

/// What a count is divided by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Of {
    /// 应到: all members, all representatives, all adults (or households).
    Expected,
    /// 到会人员.
    Present,
}

/// One threshold: the bound, its denominator, how the law names the denominator, the code of
/// the finding when it is missed, and the article that sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub bound: Bound,
    pub of: Of,
    pub whole: &'static str,
    pub code: &'static str,
    pub law: &'static str,
}

/// How a meeting may count households (户的代表) instead of persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Households {
    /// 村组法 2018 第二十二条、第二十八条 (2025 第二十六条、第三十二条第二款): attendance may be
    /// counted by households, with this quota.
    Quorum(Quota),
    /// The meeting is of persons or representatives; a `counted_by` is not read.
    Ignored,
    /// 一人一票 (集体经济组织法第二十七条、第二十八条): counting households is an error.
    Refused(&'static str),
}

/// The thresholds of a meeting that may decide the matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Attendance counted by persons, of 应到. `None` where the law sets none.
    pub quorum: Option<Quota>,
    pub households: Households,
    pub decision: Quota,
    /// How the meeting is announced ten days ahead, where the law asks it.
    pub ten_days: Option<TenDays>,
    /// 成员代表: 多于二十人, 一般每五户至十五户一名 (第二十八条).
    pub representatives: bool,
    /// Acting for a collective that is not set up (第六十四条).
    pub acting: bool,
}

/// 提前十日通知: the article, and whether it lets a special case be announced at short notice
/// (村组法 2025 第二十五条第二款, 居委会组织法 2025 第二十六条第二款: "遇有特殊情况的，可以临时
/// 通知"; neither the 2018 村组法 nor 集体经济组织法第二十七条 has such words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenDays {
    pub law: &'static str,
    pub urgent: bool,
}

/// Why a meeting may not decide a matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Only the 成员大会 decides this item of 第二十六条第一款 (第二十八条第四款).
    ReservedToMembers(&'static str),
    /// The village has a collective: its property is decided by the collective's meetings (by
    /// its 成员大会 alone where `members_only`).
    CollectiveDecides { members_only: bool },
    /// A 居民会议 has no say over a village collective's property.
    NotCollective,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::ReservedToMembers(_) => "E314",
            Refusal::CollectiveDecides { .. } | Refusal::NotCollective => "E317",
        }
    }

    pub fn law(self, acting: bool) -> &'static str {
        match (self, acting) {
            (Refusal::ReservedToMembers(_), false) => CE_28,
            (Refusal::ReservedToMembers(_), true) => CE_28_64,
            _ => CE_26_64,
        }
    }

    /// The finding, in words for the village: `kind` is the matter's label, `collective` the
    /// name of the village's collective where it has one.
    pub fn message(self, kind: &str, meeting: Meeting, collective: Option<&str>) -> String {
        let name = meeting.label();
        match self {
            Refusal::ReservedToMembers(item) => format!(
                "「{kind}」只能由成员大会决定，{name}无权决定（{item}）"
            ),
            Refusal::CollectiveDecides { members_only } => format!(
                "本村已设立{}，集体财产事项「{kind}」应由它的{}决定，不能由{name}决定",
                collective.unwrap_or("集体经济组织"),
                if members_only {
                    "成员大会"
                } else {
                    "成员大会或成员代表大会"
                }
            ),
            Refusal::NotCollective => format!(
                "集体财产事项「{kind}」应由成员大会或成员代表大会（未设立集体经济组织的，由村民会议、村民代表会议或村民小组会议代行）决定，不能由{name}决定"
            ),
        }
    }
}

/// The verdict of the table for one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    Decides(Rule),
    Refused(Refusal),
}

const fn quota(
    bound: Bound,
    of: Of,
    whole: &'static str,
    code: &'static str,
    law: &'static str,
) -> Quota {
    Quota {
        bound,
        of,
        whole,
        code,
        law,
    }
}

/// A 村民代表会议 meets with 三分之二以上 of its members (村组法 2018 第二十六条, 2025 第三十条),
/// also when it acts for a collective.
fn representatives_quorum(v: Version) -> Quota {
    quota(
        Bound::AtLeastTwoThirds,
        Of::Expected,
        "组成人员",
        "E301",
        Provision::VillagersRepresentatives.article(v),
    )
}

/// A meeting of all members, or acting as one: 第二十七条 (by reference where `acting`).
fn members_assembly(acting: bool) -> Rule {
    let law = if acting { CE_27_64 } else { CE_27 };
    Rule {
        quorum: Some(quota(
            Bound::AtLeastTwoThirds,
            Of::Expected,
            "具有完全民事行为能力的成员",
            "E311",
            law,
        )),
        households: Households::Refused(law),
        decision: quota(
            Bound::AtLeastTwoThirds,
            Of::Expected,
            "全体成员",
            "E312",
            law,
        ),
        ten_days: Some(TenDays { law, urgent: false }),
        representatives: false,
        acting,
    }
}

/// A meeting of representatives deciding collective property: 第二十八条. Where a 村民代表会议
/// acts for the collective it still meets under the 村组法 (`v`: the text in force).
fn representatives_assembly(acting: bool, v: Version) -> Rule {
    let law = if acting { CE_28_64 } else { CE_28 };
    Rule {
        quorum: acting.then(|| representatives_quorum(v)),
        households: Households::Refused(law),
        decision: quota(
            Bound::AtLeastTwoThirds,
            Of::Expected,
            "全体成员代表",
            "E313",
            law,
        ),
        ten_days: None,
        representatives: true,
        acting,
    }
}

/// The rules of a meeting deciding village or community affairs (村组法, 居委会组织法). The
/// collective's own meetings keep their stricter rules whatever they decide (第二十七条第三款:
/// "成员大会作出决定" — every decision). `v` is the text in force on the meeting's day: the
/// thresholds are the same in both, the articles are not.
pub fn affairs(meeting: Meeting, v: Version) -> Rule {
    let villagers = Provision::VillagersAssembly.article(v);
    let group = Provision::GroupMeeting.article(v);
    let residents = Provision::ResidentsAssembly.article(v);
    let more_than_half_present =
        |code, law| quota(Bound::MoreThanHalf, Of::Present, "到会人员", code, law);
    let plain = |quorum, households, decision| Rule {
        quorum: Some(quorum),
        households,
        decision,
        ten_days: None,
        representatives: false,
        acting: false,
    };
    match meeting {
        Meeting::VillagersAssembly => Rule {
            ten_days: Some(TenDays {
                law: Provision::VillagersNotice.article(v),
                urgent: v == Version::V2025,
            }),
            ..plain(
                quota(
                    Bound::MoreThanHalf,
                    Of::Expected,
                    "本村十八周岁以上村民",
                    "E303",
                    villagers,
                ),
                Households::Quorum(quota(
                    Bound::AtLeastTwoThirds,
                    Of::Expected,
                    "本村户数",
                    "E303",
                    villagers,
                )),
                more_than_half_present("E304", villagers),
            )
        },
        Meeting::RepresentativesMeeting => plain(
            representatives_quorum(v),
            Households::Ignored,
            more_than_half_present("E302", Provision::VillagersRepresentatives.article(v)),
        ),
        Meeting::GroupMeeting => plain(
            quota(
                Bound::AtLeastTwoThirds,
                Of::Expected,
                "本组十八周岁以上村民",
                "E305",
                group,
            ),
            Households::Quorum(quota(
                Bound::AtLeastTwoThirds,
                Of::Expected,
                "本组户数",
                "E305",
                group,
            )),
            more_than_half_present("E306", group),
        ),
        Meeting::ResidentsAssembly => Rule {
            ten_days: Provision::ResidentsNotice
                .cite(v)
                .map(|law| TenDays { law, urgent: true }),
            ..plain(
                quota(
                    Bound::MoreThanHalf,
                    Of::Expected,
                    "十八周岁以上居民（或户的代表）",
                    "E307",
                    residents,
                ),
                Households::Ignored,
                more_than_half_present("E308", residents),
            )
        },
        Meeting::MembersAssembly => members_assembly(false),
        Meeting::MembersRepresentatives => representatives_assembly(false, v),
    }
}

/// The table: may `meeting` decide a matter of `class` in a village that has (`collective`) or
/// has not set up a 集体经济组织, and by which rule, under the text `v` of the 村组法 and
/// 居委会组织法 in force on the meeting's day.
pub fn authority(class: MatterClass, collective: bool, meeting: Meeting, v: Version) -> Authority {
    let reserved = match class {
        MatterClass::Affairs => return Authority::Decides(affairs(meeting, v)),
        MatterClass::Collective => None,
        MatterClass::Reserved(item) => Some(item),
    };
    use Meeting::*;
    let refused = Authority::Refused;
    match (meeting, collective) {
        (MembersAssembly, _) => Authority::Decides(members_assembly(false)),
        (MembersRepresentatives, _) => match reserved {
            Some(item) => refused(Refusal::ReservedToMembers(item)),
            None => Authority::Decides(representatives_assembly(false, v)),
        },
        (ResidentsAssembly, _) => refused(Refusal::NotCollective),
        // The group decides the property the group owns (村组法 2018 第二十八条第三款, 2025
        // 第三十二条第四款) and, no group collective being set up, acts for it (第六十四条),
        // whether or not the village has one.
        (GroupMeeting, _) => Authority::Decides(members_assembly(true)),
        (VillagersAssembly | RepresentativesMeeting, true) => refused(Refusal::CollectiveDecides {
            members_only: reserved.is_some(),
        }),
        (VillagersAssembly, false) => Authority::Decides(members_assembly(true)),
        (RepresentativesMeeting, false) => match reserved {
            Some(item) => refused(Refusal::ReservedToMembers(item)),
            None => Authority::Decides(representatives_assembly(true, v)),
        },
    }
}

/// Attendance, then the decision, of a meeting under `rule`: the first threshold missed.
pub fn judge(
    rule: &Rule,
    meeting: Meeting,
    counted_by: CountedBy,
    expected: i64,
    present: i64,
    votes_for: i64,
) -> Option<Missed> {
    let name = meeting.label();
    let (quorum, unit) = match (counted_by, rule.households) {
        (CountedBy::Households, Households::Quorum(q)) => (Some(q), counted_by.unit()),
        (CountedBy::Households, Households::Refused(law)) => {
            return Some(Missed {
                code: "E319",
                field: "counted_by",
                message: format!(
                    "集体财产事项实行一人一票，{name}不能按户计数：应到、实到和赞成都要按人数统计"
                ),
                plain: None,
                law,
            })
        }
        _ => (rule.quorum, CountedBy::Persons.unit()),
    };
    if let Some(q) = quorum {
        if !q.bound.holds(present, expected) {
            return Some(Missed {
                code: q.code,
                field: "present",
                message: format!(
                    "{name}到会 {present} {unit}，{}",
                    q.bound.shortfall(q.whole, expected, unit)
                ),
                plain: Some(q.bound.missing(present, q.whole, expected, unit)),
                law: q.law,
            });
        }
    }
    let d = rule.decision;
    let total = match d.of {
        Of::Expected => expected,
        Of::Present => present,
    };
    if !d.bound.holds(votes_for, total) {
        return Some(Missed {
            code: d.code,
            field: "for",
            message: format!(
                "{name}赞成 {votes_for} 人，{}",
                d.bound.shortfall(d.whole, total, "人")
            ),
            plain: Some(d.bound.missing(votes_for, d.whole, total, "人")),
            law: d.law,
        });
    }
    None
}

/// The matter classes in the order of the README's table, with how the table names them.
const CLASSES: [(MatterClass, &str); 3] = [
    (
        MatterClass::Affairs,
        "村务、居务（误工补贴、公益事业、其他村民利益事项、社区事项、其他）",
    ),
    (
        MatterClass::Collective,
        "集体财产（集体收益使用、集体经济项目、处分集体财产、集体财产其他事项）",
    ),
    (
        MatterClass::Reserved("第二十六条第一款第（一）（三）（八）（十）（十二）项"),
        "只能由成员大会决定的集体财产事项（章程、确认成员、土地承包经营方案、宅基地使用方案、份额量化、征地补偿费和土地补偿费分配、合并分立）",
    ),
];

fn describe_quota(q: &Quota, unit: &str) -> String {
    let bound = match q.bound {
        Bound::MoreThanHalf => "过半数",
        Bound::AtLeastHalf => "半数以上",
        Bound::AtLeastTwoThirds => "三分之二以上",
    };
    let whole = match q.of {
        Of::Present => "到会人员",
        Of::Expected => q.whole,
    };
    format!("{whole}{unit}{bound}（{}）", q.code)
}

/// The README's table of who decides, rendered from [`authority`] under the texts in force
/// now (2025; the articles before 2026 are in [`super::articles::table_markdown`]). Rows where
/// having a collective makes no difference are written once.
pub fn table_markdown() -> String {
    let mut out = String::from(
        "| 事项 | 本村设立了集体经济组织 | 会议 | 能否决定 | 到会 | 通过 | 按户计数 | 提前十日通知 | 依据 |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    for (class, class_label) in CLASSES {
        for meeting in Meeting::ALL {
            let with = authority(class, true, meeting, Version::V2025);
            let without = authority(class, false, meeting, Version::V2025);
            let cases: Vec<(&str, Authority)> = if with == without {
                vec![("有或没有", with)]
            } else {
                vec![("有", with), ("没有", without)]
            };
            for (has, verdict) in cases {
                let cells = match verdict {
                    Authority::Refused(r) => {
                        let why = match r {
                            Refusal::ReservedToMembers(_) => "不能：只能由成员大会决定",
                            Refusal::CollectiveDecides { .. } => "不能：由集体经济组织的会议决定",
                            Refusal::NotCollective => "不能",
                        };
                        format!(
                            "{why}（{}） | — | — | — | — | {}",
                            r.code(),
                            r.law(meeting == Meeting::RepresentativesMeeting)
                        )
                    }
                    Authority::Decides(rule) => {
                        let quorum = rule
                            .quorum
                            .map(|q| describe_quota(&q, ""))
                            .unwrap_or_else(|| "法律未另定".into());
                        let households = match rule.households {
                            Households::Quorum(q) => format!("可以：{}", describe_quota(&q, "")),
                            Households::Ignored => "—".into(),
                            Households::Refused(_) => "不可以，一人一票（E319）".into(),
                        };
                        let mut laws = vec![rule.decision.law];
                        if let Some(q) = rule.quorum {
                            if !laws.contains(&q.law) {
                                laws.insert(0, q.law);
                            }
                        }
                        if let Some(t) = rule.ten_days {
                            if !laws.contains(&t.law) {
                                laws.push(t.law);
                            }
                        }
                        let who = if rule.acting {
                            "能（代行集体经济组织职能，参照适用）"
                        } else {
                            "能"
                        };
                        format!(
                            "{who} | {quorum} | {} | {households} | {} | {}",
                            describe_quota(&rule.decision, ""),
                            match rule.ten_days {
                                Some(TenDays { urgent: true, .. }) => {
                                    "是（E322）；特殊情况可以临时通知，写明 urgent"
                                }
                                Some(_) => "是（E322）",
                                None => "—",
                            },
                            laws.join("；")
                        )
                    }
                };
                out.push_str(&format!(
                    "| {class_label} | {has} | {} | {cells} |\n",
                    meeting.label()
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::notice::MatterKind;

    fn rule(class: MatterClass, collective: bool, meeting: Meeting) -> Rule {
        match authority(class, collective, meeting, Version::V2025) {
            Authority::Decides(r) => r,
            other => panic!("{class:?} {collective} {meeting:?}: {other:?}"),
        }
    }

    #[test]
    fn a_members_assembly_needs_two_thirds_of_all_whatever_it_decides() {
        for kind in MatterKind::ALL {
            for collective in [true, false] {
                let r = rule(kind.class(), collective, Meeting::MembersAssembly);
                assert_eq!(r.decision.of, Of::Expected, "{kind:?}");
                assert_eq!(r.decision.bound, Bound::AtLeastTwoThirds);
                assert_eq!(
                    r.ten_days,
                    Some(TenDays {
                        law: CE_27,
                        urgent: false
                    }),
                    "{kind:?}"
                );
                // 300 members: 200 is enough, 199 is not, even with everyone present.
                let m = |n| {
                    judge(
                        &r,
                        Meeting::MembersAssembly,
                        CountedBy::Persons,
                        300,
                        300,
                        n,
                    )
                };
                assert_eq!(m(200), None);
                assert_eq!(m(199).map(|m| m.code), Some("E312"));
            }
        }
    }

    #[test]
    fn collective_property_goes_to_the_collective_where_there_is_one() {
        for kind in MatterKind::ALL {
            let class = kind.class();
            if class == MatterClass::Affairs {
                continue;
            }
            for meeting in [Meeting::VillagersAssembly, Meeting::RepresentativesMeeting] {
                assert_eq!(
                    authority(class, true, meeting, Version::V2025),
                    Authority::Refused(Refusal::CollectiveDecides {
                        members_only: class != MatterClass::Collective
                    }),
                    "{kind:?} {meeting:?}"
                );
            }
            // Without one the 村民会议 acts for it, one member one vote.
            let r = rule(class, false, Meeting::VillagersAssembly);
            assert!(r.acting);
            assert!(matches!(r.households, Households::Refused(_)));
            assert_eq!(r.decision.code, "E312");
        }
    }

    #[test]
    fn the_readme_table_has_a_row_for_every_cell() {
        let t = table_markdown();
        // Affairs rows are the same with or without a collective: 6 rows; the two collective
        // classes differ for the 村民会议 and 村民代表会议 only: 8 rows each.
        assert_eq!(t.lines().count(), 2 + 6 + 8 + 8, "{t}");
        assert!(t.contains("| 有 | 村民会议 | 不能：由集体经济组织的会议决定（E317）"));
    }
}
