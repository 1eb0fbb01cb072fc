//! Rules for 村规民约 and 居民公约: who adopted them, whether they were filed, dates in order, and
//! clauses no village meeting may adopt.

use super::articles::{Provision, Version};
use super::authority::{affairs, judge};
use super::rules::*;
use crate::config::VillageKind;
use crate::diagnostics::Diagnostic;
use crate::model::notice::Meeting;
use crate::model::regulation::{History, Milestone, RegulationFront, Vote};
use crate::model::{Doc, Regulation, Site};

/// What one regulation is judged against: its kind decides the assembly and the articles, and
/// each step's date decides which text of the law was in force for it.
struct Charter<'a> {
    doc: &'a Doc<RegulationFront>,
    name: &'a str,
    community: bool,
    assembly: Meeting,
    vote_text: Version,
    filing_text: Version,
    adopt_law: &'a str,
    file_law: &'a str,
}

pub fn check(site: &Site, r: &Regulation, out: &mut Vec<Diagnostic>) {
    let doc = &r.doc;
    let f = &doc.front;
    let kind = site
        .config
        .village(&f.village)
        .map(|v| v.kind)
        .unwrap_or_default();
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
    let charter = Charter {
        doc,
        name: kind.regulation_name(),
        community: kind == VillageKind::Community,
        assembly,
        vote_text,
        filing_text,
        adopt_law: adopt.article(vote_text),
        file_law: file.article(filing_text),
    };
    procedure_dates(doc, h, out);
    charter.adoption(h.vote.as_ref(), out);
    charter.filing(h.filing.as_ref(), out);

    let content = Provision::VillageCharterContent.article(vote_text);
    super::clauses::in_regulation(r, content, out);
}

/// The procedure's steps must be dated in the order the law lays them out:
/// 征集民意 → 拟定草案 → 提请审核 → 审议表决 → 备案.
fn procedure_dates(doc: &Doc<RegulationFront>, h: &History, out: &mut Vec<Diagnostic>) {
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
}

impl Charter<'_> {
    fn warn(&self, code: &'static str, field: &str, msg: String, law: &str) -> Diagnostic {
        self.doc.finding(
            Diagnostic::warning(code, &self.doc.file, msg).law(law),
            field,
        )
    }

    /// Only the assembly the law names may adopt the regulation, and its vote must pass that
    /// assembly's own thresholds.
    fn adoption(&self, vote: Option<&Vote>, out: &mut Vec<Diagnostic>) {
        let name = self.name;
        match vote {
            None => out.push(self.warn(
                "W340",
                "history",
                format!("{name}没有审议表决的记录"),
                self.adopt_law,
            )),
            Some(v) if v.meeting != self.assembly => out.push(self.warn(
                "W340",
                "history.vote.meeting",
                format!(
                    "{name}由{}通过；制定和修改{name}应当由{}讨论决定",
                    v.meeting.label(),
                    self.assembly.label()
                ),
                self.adopt_law,
            )),
            Some(v) => self.vote_counts(v, out),
        }
    }

    /// Same thresholds as any decision of that assembly, after the counts are shown possible.
    fn vote_counts(&self, v: &Vote, out: &mut Vec<Diagnostic>) {
        let doc = self.doc;
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
            &affairs(self.assembly, self.vote_text),
            self.assembly,
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

    /// The regulation must be filed, and a 居民公约 with the body the text of its day names,
    /// which is never the township.
    fn filing(&self, filing: Option<&Milestone>, out: &mut Vec<Diagnostic>) {
        let name = self.name;
        match filing {
            None => out.push(self.warn(
                "W341",
                "history",
                format!("{name}还没有备案"),
                self.file_law,
            )),
            Some(m) if self.community && m.body.as_deref().is_some_and(|b| b.contains('镇')) => {
                out.push(self.warn(
                    "W346",
                    "history.filing.body",
                    match self.filing_text {
                        Version::V2018 => {
                            "居民公约应报不设区的市、市辖区人民政府或者它的派出机关备案，而不是乡镇"
                        }
                        Version::V2025 => {
                            "居民公约应报不设区的市、市辖区的人民政府或者街道办事处备案，而不是乡镇"
                        }
                    }
                    .into(),
                    self.file_law,
                ))
            }
            Some(_) => {}
        }
    }
}
