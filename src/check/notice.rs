//! Rules for 四议两公开 records: order, dates, counts, and the thresholds of the meeting that
//! decided, chosen by the kind of matter.

use super::articles::{Provision, Version};
use super::authority::{authority, judge, Authority, Refusal, TenDays};
use super::rules::*;
use crate::config::{Collective, PartyQuorum, Village, VillageKind};
use crate::diagnostics::Diagnostic;
use crate::model::date::Date;
use crate::model::notice::{Meeting, NoticeFront, Resolution, Step, StepName, Steps};
use crate::model::{Notice, Site};

struct Ctx<'a> {
    n: &'a Notice,
    out: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn error(&mut self, code: &'static str, field: &str, msg: String, law: Option<&str>) {
        let mut d = Diagnostic::error(code, &self.n.doc.file, msg);
        if let Some(l) = law {
            d = d.law(l);
        }
        self.out.push(self.n.doc.finding(d, field));
    }

    fn warning(&mut self, code: &'static str, field: &str, msg: String, law: Option<&str>) {
        let mut d = Diagnostic::warning(code, &self.n.doc.file, msg);
        if let Some(l) = law {
            d = d.law(l);
        }
        self.out.push(self.n.doc.finding(d, field));
    }

    /// Reports a count below its bound; returns whether it held.
    #[allow(clippy::too_many_arguments)]
    fn bound(
        &mut self,
        code: &'static str,
        field: &str,
        what: &str,
        n: i64,
        whole: &str,
        total: i64,
        bound: Bound,
        unit: &str,
        law: &str,
    ) -> bool {
        if bound.holds(n, total) {
            return true;
        }
        let msg = format!("{what} {n} {unit}，{}", bound.shortfall(whole, total, unit));
        let d = Diagnostic::error(code, &self.n.doc.file, msg)
            .law(law)
            .plain(bound.missing(n, whole, total, unit));
        self.out.push(self.n.doc.finding(d, field));
        false
    }
}

pub fn check(site: &Site, n: &Notice, out: &mut Vec<Diagnostic>) {
    let mut c = Ctx { n, out };
    let f = &n.doc.front;
    let vk = site
        .config
        .village(&f.village)
        .map(|v| v.kind)
        .unwrap_or_default();
    let labels = Labels {
        proposal: StepName::Proposal.label(vk),
        deliberation: StepName::Deliberation.label(vk),
        party_review: StepName::PartyReview.label(vk),
    };

    let counts_ok = possible_counts(&mut c, &f.steps, &labels);
    steps_in_order(&mut c, f, &labels);
    let dated = step_dates_in_order(&mut c, f, &labels);
    disclosure_period(&mut c, site, f);
    result_after_decision(&mut c, f, dated.last().map(|(_, _, d)| *d));

    if !counts_ok {
        return;
    }
    if let Some(s) = &f.steps.party_review {
        party_meeting(&mut c, site, s);
    }
    if let Some(r) = &f.steps.resolution {
        resolution(&mut c, r, f.kind, site.config.village(&f.village));
    }
}

/// How this village's kind names the first three deliberations in findings.
struct Labels {
    proposal: &'static str,
    deliberation: &'static str,
    party_review: &'static str,
}

/// Counts that cannot be. Thresholds are only judged on counts that can be, so this returns
/// whether every count is possible.
fn possible_counts(c: &mut Ctx<'_>, steps: &Steps, labels: &Labels) -> bool {
    let mut counts_ok = true;
    let step_counts = [
        ("proposal", labels.proposal, steps.proposal.as_ref()),
        (
            "deliberation",
            labels.deliberation,
            steps.deliberation.as_ref(),
        ),
        ("party_review", "党员大会", steps.party_review.as_ref()),
    ];
    for (key, label, step) in step_counts {
        if let Some(s) = step {
            counts_ok &= impossible_counts(
                c,
                &format!("steps.{key}"),
                label,
                [s.expected, s.present, s.votes_for, s.against, s.abstain],
            );
        }
    }
    if let Some(h) = steps.resolution.as_ref().and_then(|r| r.households) {
        if !(0..=MAX_COUNT).contains(&h) {
            c.error(
                "E320",
                "steps.resolution.households",
                format!("户数 {h} 不可能"),
                None,
            );
            counts_ok = false;
        }
    }
    if let Some(r) = &steps.resolution {
        counts_ok &= impossible_counts(
            c,
            "steps.resolution",
            r.meeting.label(),
            [
                Some(r.expected),
                Some(r.present),
                Some(r.votes_for),
                Some(r.against),
                Some(r.abstain),
            ],
        );
    }
    counts_ok
}

/// The four deliberations and the two disclosures come in order; a later one needs the earlier
/// ones. Only the first gap is reported: the rest follow from it.
fn steps_in_order(c: &mut Ctx<'_>, f: &NoticeFront, labels: &Labels) {
    let steps = &f.steps;
    let present = [
        (
            "proposal",
            format!("第一议：{}", labels.proposal),
            steps.proposal.is_some(),
        ),
        (
            "deliberation",
            format!("第二议：{}", labels.deliberation),
            steps.deliberation.is_some(),
        ),
        (
            "party_review",
            format!("第三议：{}", labels.party_review),
            steps.party_review.is_some(),
        ),
        (
            "resolution",
            "第四议：决议".into(),
            steps.resolution.is_some(),
        ),
        ("disclosure", "决议公开".into(), f.disclosure.is_some()),
        ("result", "实施结果公开".into(), f.result.is_some()),
    ];
    for (i, (key, label, here)) in present.iter().enumerate() {
        if !here {
            continue;
        }
        if let Some((_, missing, _)) = present[..i].iter().find(|(_, _, p)| !p) {
            let field = if i < 4 {
                format!("steps.{key}")
            } else {
                key.to_string()
            };
            c.error(
                "E323",
                &field,
                format!("有「{label}」却缺少前面的「{missing}」"),
                None,
            );
            break;
        }
    }
}

/// The dated steps, up to the start of the 公示, must not go back in time. Returns them in
/// order so the result's date can be set against the last.
fn step_dates_in_order(
    c: &mut Ctx<'_>,
    f: &NoticeFront,
    labels: &Labels,
) -> Vec<(&'static str, &'static str, Date)> {
    let steps = &f.steps;
    let mut dated = Vec::new();
    if let Some(s) = &steps.proposal {
        dated.push((labels.proposal, "steps.proposal.date", s.date));
    }
    if let Some(s) = &steps.deliberation {
        dated.push((labels.deliberation, "steps.deliberation.date", s.date));
    }
    if let Some(s) = &steps.party_review {
        dated.push((labels.party_review, "steps.party_review.date", s.date));
    }
    if let Some(r) = &steps.resolution {
        dated.push(("决议", "steps.resolution.date", r.date));
    }
    if let Some(d) = &f.disclosure {
        dated.push(("决议公开开始", "disclosure.from", d.from));
    }
    super::dates_in_order(&c.n.doc, &dated, c.out);
    dated
}

/// The 公示 must end after it starts and run the days the law sets for the deciding meeting;
/// only where no legal minimum is broken is the site's own minimum (a warning) judged.
fn disclosure_period(c: &mut Ctx<'_>, site: &Site, f: &NoticeFront) {
    let Some(d) = &f.disclosure else {
        return;
    };
    if d.to < d.from {
        c.error(
            "E321",
            "disclosure.to",
            format!(
                "公示结束（{}）早于公示开始（{}）",
                d.to.chinese(),
                d.from.chinese()
            ),
            None,
        );
    } else {
        let days = d.from.days_until(d.to) + 1;
        let min = i64::from(site.config.defaults.publicity_days);
        let meeting = f.steps.resolution.as_ref().map(|r| r.meeting);
        let below_law = statutory_publicity(c, meeting, d.from, days);
        if !below_law && days < min {
            c.warning(
                "W330",
                "disclosure.to",
                format!("公示期只有 {days} 天，少于本站规定的 {min} 天"),
                None,
            );
        }
    }
}

/// A result can only be published after the decision's 公示 has ended, or, with no 公示,
/// after the last dated step.
fn result_after_decision(c: &mut Ctx<'_>, f: &NoticeFront, last: Option<Date>) {
    let Some(res) = &f.result else {
        return;
    };
    let after = f.disclosure.as_ref().map(|d| d.to).or(last);
    if let Some(after) = after {
        if res.date < after {
            c.error(
                "E321",
                "result.date",
                format!(
                    "实施结果公开（{}）早于{}（{}）",
                    res.date.chinese(),
                    if f.disclosure.is_some() {
                        "决议公示结束"
                    } else {
                        "决议"
                    },
                    after.chinese()
                ),
                None,
            );
        }
    }
}

/// 党员大会: enough members present for the quorum the site chose, then more than half of those
/// expected in favour; approval is only judged once attendance held.
fn party_meeting(c: &mut Ctx<'_>, site: &Site, s: &Step) {
    let (Some(expected), Some(present)) = (s.expected, s.present) else {
        return;
    };
    let bound = match site.config.defaults.party_quorum {
        PartyQuorum::Half => Bound::AtLeastHalf,
        PartyQuorum::TwoThirds => Bound::AtLeastTwoThirds,
    };
    let held = c.bound(
        "E309",
        "steps.party_review.present",
        "党员大会到会",
        present,
        "有表决权的党员",
        expected,
        bound,
        "人",
        PARTY_11,
    );
    if let (true, Some(votes)) = (held, s.votes_for) {
        c.bound(
            "E310",
            "steps.party_review.for",
            "党员大会赞成",
            votes,
            "应到会有表决权的党员",
            expected,
            Bound::MoreThanHalf,
            "人",
            PARTY_11,
        );
    }
}

/// The fewest days a 公示 of a meeting's decision may run where the law sets a number.
pub const PUBLICITY_DAYS: i64 = 15;

/// 村务公开、居务公开 "公布的期限不得少于十五日" (村组法 2025 第三十五条第四款, 居委会组织法
/// 2025 第三十四条第三款), for the decisions of the meetings those laws govern whose 公示 starts
/// on or after 2026-01-01. "不得少于" is a legal minimum, not the town's preference: an error.
/// A 成员大会's or 成员代表大会's decision is published under 集体经济组织法第四十五条, which
/// sets no number. Returns whether a finding was made. Days are counted as for W330, the first
/// and the last day both in.
fn statutory_publicity(c: &mut Ctx<'_>, meeting: Option<Meeting>, from: Date, days: i64) -> bool {
    let provision = match meeting {
        Some(
            Meeting::VillagersAssembly | Meeting::RepresentativesMeeting | Meeting::GroupMeeting,
        ) => Provision::VillagePublicity,
        Some(Meeting::ResidentsAssembly) => Provision::ResidentsPublicity,
        Some(Meeting::MembersAssembly | Meeting::MembersRepresentatives) | None => return false,
    };
    let Some(law) = provision.on(from) else {
        return false;
    };
    if days >= PUBLICITY_DAYS {
        return false;
    }
    let until = Date(from.0 + chrono::Days::new((PUBLICITY_DAYS - 1) as u64));
    let meeting = meeting.map_or("", |m| m.label());
    let d = Diagnostic::error(
        "E325",
        &c.n.doc.file,
        format!("{meeting}的决定公示只有 {days} 天，法律规定公布的期限不得少于十五日"),
    )
    .law(law)
    .hint(format!(
        "把 disclosure.to 改到 {} 或以后（首尾两天都算），并在公开栏实际公示满十五日；已经撤下的要重新公示",
        until.chinese()
    ));
    c.out.push(c.n.doc.finding(d, "disclosure.to"));
    true
}

/// Negative numbers, more present than expected, more votes than present. Returns whether the
/// counts are possible.
fn impossible_counts(c: &mut Ctx<'_>, field: &str, label: &str, v: [Option<i64>; 5]) -> bool {
    let [expected, present, votes_for, against, abstain] = v;
    let names = ["expected", "present", "for", "against", "abstain"];
    for (value, name) in v.iter().zip(names) {
        if let Some(x) = value {
            if *x < 0 {
                c.error(
                    "E320",
                    &format!("{field}.{name}"),
                    format!("{label}的人数不能是负数（{x}）"),
                    None,
                );
                return false;
            }
            if *x > MAX_COUNT {
                c.error(
                    "E320",
                    &format!("{field}.{name}"),
                    format!("{label}的人数 {x} 不可能这么多"),
                    None,
                );
                return false;
            }
        }
    }
    if let (Some(e), Some(p)) = (expected, present) {
        if p > e {
            c.error(
                "E320",
                &format!("{field}.present"),
                format!("{label}实到 {p} 人，多于应到 {e} 人"),
                None,
            );
            return false;
        }
    }
    let votes = votes_for.unwrap_or(0) + against.unwrap_or(0) + abstain.unwrap_or(0);
    if let Some(p) = present {
        if votes > p {
            c.error(
                "E320",
                &format!("{field}.for"),
                format!("{label}赞成、反对、弃权合计 {votes} 票，多于实到 {p} 人"),
                None,
            );
            return false;
        }
    }
    true
}

fn resolution(
    c: &mut Ctx<'_>,
    r: &Resolution,
    kind: crate::model::notice::MatterKind,
    village: Option<&Village>,
) {
    let meeting = r.meeting.label();
    let village_kind = village.map(|v| v.kind);
    let community = village_kind == Some(VillageKind::Community);
    let fits = match r.meeting {
        Meeting::ResidentsAssembly => community,
        _ => !community,
    };
    if !fits && village_kind.is_some() {
        let expected = if community {
            "社区由居民会议决定"
        } else {
            "村里由村民会议、村民代表会议或村民小组会议决定"
        };
        c.warning(
            "W318",
            "steps.resolution.meeting",
            format!("{meeting}与所属单位不符：{expected}"),
            None,
        );
    }

    let collective = village.and_then(|v| v.collective.as_ref());
    let text = Version::on(r.date);
    let rule = match authority(kind.class(), collective.is_some(), r.meeting, text) {
        Authority::Refused(refusal) => {
            let field = match refusal {
                Refusal::ReservedToMembers(_) => "kind",
                _ => "steps.resolution.meeting",
            };
            c.error(
                refusal.code(),
                field,
                refusal.message(kind.label(), r.meeting, collective.map(|c| c.name.as_str())),
                Some(refusal.law(r.meeting == Meeting::RepresentativesMeeting)),
            );
            return;
        }
        Authority::Decides(rule) => rule,
    };

    let e = r.expected;
    if let Some(t) = rule.ten_days {
        ten_days_notice(c, r, t);
    }
    if rule.representatives {
        representatives(c, r, rule.decision.law);
    }
    if let Some(col) = collective {
        registered_counts(c, r, col);
    }
    if let Some(m) = judge(&rule, r.meeting, r.counted_by, e, r.present, r.votes_for) {
        let mut d = Diagnostic::error(m.code, &c.n.doc.file, m.message).law(m.law);
        d.plain = m.plain;
        let field = format!("steps.resolution.{}", m.field);
        c.out.push(c.n.doc.finding(d, &field));
    }
}

/// 第二十八条: more than twenty representatives, 一般 one per five to fifteen households (a
/// warning: the law says 一般).
fn representatives(c: &mut Ctx<'_>, r: &Resolution, law: &str) {
    let e = r.expected;
    if e <= 20 {
        c.error(
            "E315",
            "steps.resolution.expected",
            format!("成员代表 {e} 人，应当多于二十人"),
            Some(law),
        );
    }
    if let Some(h) = r.households {
        if h < 5 * e || h > 15 * e {
            c.warning(
                "W316",
                "steps.resolution.households",
                format!(
                    "{h} 户选举 {e} 名代表，不符合一般每五户至十五户选举一名（应为 {} 至 {} 名）",
                    (h + 14) / 15,
                    h / 5
                ),
                Some(law),
            );
        }
    }
}

/// The collective's own meetings are checked against the counts site.yaml registers, the
/// member register in force on the meeting's day: a record that differs is a warning (the
/// record may be newer than the site's data).
fn registered_counts(c: &mut Ctx<'_>, r: &Resolution, col: &Collective) {
    let (registered, whom) = match r.meeting {
        Meeting::MembersAssembly => (col.members.as_ref().and_then(|m| m.on(r.date.0)), "成员"),
        Meeting::MembersRepresentatives => (col.representatives.map(|n| (n, None)), "成员代表"),
        _ => return,
    };
    let Some((n, since)) = registered.filter(|(n, _)| *n != r.expected) else {
        return;
    };
    let (meeting, expected) = (r.meeting.label(), r.expected);
    let message = match since {
        Some(day) => format!(
            "{meeting}应到 {expected} 人，与会议当天（{}）适用的 site.yaml 登记不一致：{}自 {} 起登记的{whom}是 {n} 人",
            r.date.chinese(),
            col.name,
            Date(day).chinese()
        ),
        None => format!(
            "{meeting}应到 {expected} 人，与 site.yaml 登记的{}{whom} {n} 人不一致",
            col.name
        ),
    };
    c.warning("W324", "steps.resolution.expected", message, None);
}

/// 村民会议 (村组法 2018 第二十一条, 2025 第二十五条第二款), 居民会议 (from 2026, 居委会组织法
/// 第二十六条第二款) and 成员大会 (集体经济组织法第二十七条, and meetings acting as one) are
/// announced ten days ahead. Where the 2025 texts allow it, a special case may be announced at
/// short notice: the record says what the case was (`urgent`), or the exception cannot be seen.
fn ten_days_notice(c: &mut Ctx<'_>, r: &Resolution, t: TenDays) {
    let Some(announced) = r.announced else {
        return;
    };
    let days = announced.days_until(r.date);
    if days >= 10 {
        return;
    }
    let reason = r.urgent.as_deref().map(str::trim).filter(|u| !u.is_empty());
    if t.urgent && reason.is_some() {
        return;
    }
    let meeting = r.meeting.label();
    let why = match (t.urgent, reason) {
        (true, _) => "；遇有特殊情况临时通知的，在 urgent 写明是什么情况".to_string(),
        (false, Some(_)) => format!("；{meeting}适用的条文没有临时通知的例外"),
        (false, None) => String::new(),
    };
    c.error(
        "E322",
        "steps.resolution.announced",
        format!(
            "{meeting}在开会前 {days} 天（{}）才通知，应当提前十日{why}",
            announced.chinese()
        ),
        Some(t.law),
    );
}
