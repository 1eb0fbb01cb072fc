//! Stage 3, check: the rules of the law that a notice or a regulation must follow, each finding
//! citing the article it rests on. See `../shared/DOMAIN.md` for the sources.

pub mod articles;
mod attachments;
pub mod authority;
pub mod clauses;
pub mod footer;
mod kept;
mod notice;
pub mod poster;
mod regulation;
pub mod rules;
pub mod synonyms;

use crate::diagnostics::Diagnostic;
use crate::model::date::Date;
use crate::model::{DocId, Site};
use articles::{Provision, Version};
use chrono::Datelike;
pub use kept::Findings;

/// Every finding about the site's notices and regulations.
pub fn run(site: &Site) -> Vec<Diagnostic> {
    let ids = (0..site.notices.len())
        .map(DocId::Notice)
        .chain((0..site.regulations.len()).map(DocId::Regulation));
    let mut out: Vec<Diagnostic> = each(site, ids.collect()).into_iter().flatten().collect();
    out.extend(cadence(site, |v| disclosed_this_quarter(site, v)));
    out
}

/// The findings of each document, in parallel, in the order given.
fn each(site: &Site, ids: Vec<DocId>) -> Vec<Vec<Diagnostic>> {
    use rayon::prelude::*;
    ids.into_par_iter().map(|id| one(site, id)).collect()
}

/// The findings about one document: what `run` finds in it (the editors' desk checks the text
/// being edited this way, without checking the whole site on every keystroke).
pub fn one(site: &Site, id: DocId) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    document(site, id, &mut out);
    with_hints(out)
}

fn document(site: &Site, id: DocId, out: &mut Vec<Diagnostic>) {
    match id {
        DocId::Notice(i) => {
            let n = &site.notices[i];
            notice::check(site, n, out);
            // What a decision may not contain, under the text in force when it was made.
            let f = &n.doc.front;
            let day = f.steps.resolution.as_ref().map_or(f.date, |r| r.date);
            let content = Provision::VillageCharterContent.article(Version::on(day));
            clauses::in_notice(n, content, out);
            if site.config.posters {
                poster::check_notice(site, n, out);
                attachments::check(n, out);
            }
        }
        DocId::Regulation(i) => regulation::check(site, &site.regulations[i], out),
        DocId::Lesson(_) => {}
    }
}

fn with_hints(mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    for d in &mut out {
        if d.hint.is_none() {
            d.hint = rules::hint(d.code).map(String::from);
        }
    }
    out
}

/// E321 for every dated step that comes before the step it follows. `steps` are (label, field,
/// date) in procedure order, the undated ones already left out.
fn dates_in_order<F>(
    doc: &crate::model::Doc<F>,
    steps: &[(&str, &str, Date)],
    out: &mut Vec<Diagnostic>,
) {
    for w in steps.windows(2) {
        let ((a, _, da), (b, field, db)) = (w[0], w[1]);
        if db < da {
            out.push(doc.finding(
                Diagnostic::error(
                    "E321",
                    &doc.file,
                    format!("{b}（{}）早于{a}（{}）", db.chinese(), da.chinese()),
                ),
                field,
            ));
        }
    }
}

/// First day of the quarter `day` falls in.
pub fn quarter_start(day: Date) -> Date {
    let d = day.0;
    let month = (d.month0() / 3) * 3 + 1;
    Date(chrono::NaiveDate::from_ymd_opt(d.year(), month, 1).unwrap_or(d))
}

/// Whether a village disclosed anything (a notice published, a 公示 begun or a result posted)
/// between the start of this quarter and today.
pub fn disclosed_this_quarter(site: &Site, village: &str) -> bool {
    site.notices
        .iter()
        .filter(|n| n.doc.front.village == village)
        .any(|n| is_this_quarters(n, site.today))
}

/// Whether a notice counts as its village's disclosure this quarter.
fn is_this_quarters(n: &crate::model::Notice, today: Date) -> bool {
    n.updated(today) >= quarter_start(today)
}

/// 村务公开 at least once a quarter (村组法 2018 第三十条, 2025 第三十五条第三款, whichever is in
/// force today): a village with no disclosure this quarter (`disclosed` says which did) gets a
/// warning. Not a community: the 居委会组织法 sets no frequency (2018: no 居务公开 article; 2025
/// 第三十四条: "及时公布" only).
fn cadence(site: &Site, disclosed: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
    let from = quarter_start(site.today);
    let law = Provision::VillageCadence.article(Version::on(site.today));
    let villages = site.config.villages.iter();
    let villages = villages.filter(|v| v.kind != crate::config::VillageKind::Community);
    let silent = villages.filter(|v| !disclosed(&v.id));
    let found = silent.map(|v| {
        Diagnostic::warning(
            "W331",
            crate::config::FILE_NAME,
            format!(
                "{} 本季度（{} 起）还没有任何村务公开",
                v.name,
                from.chinese()
            ),
        )
        .at(site.config.village_line(&v.id), 1)
        .law(law)
        .hint("村务公开至少每季度一次；涉及村民利益的重大事项随时公开")
    });
    with_hints(found.collect())
}
