//! Rules for 村规民约 and 居民公约: who adopted them, whether they were filed, dates in order, and
//! clauses no village meeting may adopt.

use super::articles::{Provision, Version};
use super::authority::{affairs, judge};
use super::rules::*;
use crate::config::VillageKind;
use crate::diagnostics::Diagnostic;
use crate::model::notice::Meeting;
use crate::model::{Regulation, Site};

pub fn check(site: &Site, r: &Regulation, out: &mut Vec<Diagnostic>) {
    let doc = &r.doc;
    let f = &doc.front;
    let kind = site
        .config
        .village(&f.village)
        .map(|v| v.kind)
        .unwrap_or_default();
    let name = kind.regulation_name();
    let community = kind == VillageKind::Community;
    let h = &f.history;
    // Each step is judged by the text in force on its day: the vote by the vote's, the filing by
    // the filing's; a step not yet taken by today's, the law it must now follow.
    let vote_text = Version::on(h.vote.as_ref().map_or(site.today, |v| v.date));
    let filing_text = Version::on(h.filing.as_ref().map_or(site.today, |m| m.date));
    let (assembly, adopt, file) = match kind {
        VillageKind::Community => (
            Meeting::ResidentsAssembly,
            Provision::ResidentsCharter,
            Provision::ResidentsFiling,
        ),
        VillageKind::Village => (
            Meeting::VillagersAssembly,
            Provision::VillageCharter,
            Provision::VillageCharter,
        ),
    };
    let adopt_law = adopt.article(vote_text);
    let file_law = file.article(filing_text);
    let warn = |code, field: &str, msg: String, law: &str| {
        doc.finding(Diagnostic::warning(code, &doc.file, msg).law(law), field)
    };

    // Procedure dates in order: 征集民意 → 拟定草案 → 提请审核 → 审议表决 → 备案.
    let steps = [
        (
            "征集民意",
            "history.solicit.date",
            h.solicit.as_ref().map(|m| m.date),
        ),
        (
            "拟定草案",
            "history.draft.date",
            h.draft.as_ref().map(|m| m.date),
        ),
        (
            "提请审核",
            "history.review.date",
            h.review.as_ref().map(|m| m.date),
        ),
        (
            "审议表决",
            "history.vote.date",
            h.vote.as_ref().map(|v| v.date),
        ),
        (
            "备案",
            "history.filing.date",
            h.filing.as_ref().map(|m| m.date),
        ),
    ];
    let dated: Vec<(&str, &str, _)> = steps
        .iter()
        .filter_map(|&(label, field, date)| date.map(|d| (label, field, d)))
        .collect();
    super::dates_in_order(doc, &dated, out);

    match &h.vote {
        None => out.push(warn(
            "W340",
            "history",
            format!("{name}没有审议表决的记录"),
            adopt_law,
        )),
        Some(v) if v.meeting != assembly => out.push(warn(
            "W340",
            "history.vote.meeting",
            format!(
                "{name}由{}通过；制定和修改{name}应当由{}讨论决定",
                v.meeting.label(),
                assembly.label()
            ),
            adopt_law,
        )),
        Some(v) => {
            // Same thresholds as any decision of that assembly.
            let field = "history.vote";
            // Range first: the sum below cannot overflow once every count is in range.
            let impossible = [v.expected, v.present, v.votes_for, v.against, v.abstain]
                .iter()
                .any(|x| !(0..=MAX_COUNT).contains(x))
                || v.present > v.expected
                || v.votes_for + v.against + v.abstain > v.present;
            if impossible {
                out.push(doc.finding(
                    Diagnostic::error(
                        "E320",
                        &doc.file,
                        format!(
                            "表决人数不可能：应到 {}，实到 {}，赞成 {}，反对 {}，弃权 {}",
                            v.expected, v.present, v.votes_for, v.against, v.abstain
                        ),
                    ),
                    field,
                ));
            } else if let Some(m) = judge(
                &affairs(assembly, vote_text),
                assembly,
                v.counted_by,
                v.expected,
                v.present,
                v.votes_for,
            ) {
                let mut d = Diagnostic::error(m.code, &doc.file, m.message).law(m.law);
                d.plain = m.plain;
                out.push(doc.finding(d, &format!("history.vote.{}", m.field)));
            }
        }
    }

    match &h.filing {
        None => out.push(warn(
            "W341",
            "history",
            format!("{name}还没有备案"),
            file_law,
        )),
        Some(m) if community && m.body.as_deref().is_some_and(|b| b.contains('镇')) => {
            out.push(warn(
                "W346",
                "history.filing.body",
                match filing_text {
                    Version::V2018 => {
                        "居民公约应报不设区的市、市辖区人民政府或者它的派出机关备案，而不是乡镇"
                    }
                    Version::V2025 => {
                        "居民公约应报不设区的市、市辖区的人民政府或者街道办事处备案，而不是乡镇"
                    }
                }
                .into(),
                file_law,
            ))
        }
        Some(_) => {}
    }

    let content = Provision::VillageCharterContent.article(vote_text);
    super::clauses::in_regulation(r, content, out);
}
