//! The findings of [`super::run`] kept per document between builds, so that after an edit only
//! the documents whose findings can have changed are checked again.
//!
//! The dependency rule, from reading everything `document` calls (`notice::check`,
//! `regulation::check`, `clauses`, `poster::check_notice` and `crate::poster`'s text and fit,
//! `attachments`): a document's findings read
//! - the document itself: front matter, body, file, and its own URL (village and slug, for the
//!   poster's QR code);
//! - `site.config`: the village's kind, name and `collective` registers, `defaults`
//!   (`publicity_days`, `party_quorum`), `posters`, `supervision`, `base_url`;
//! - `site.today`: steps not yet taken are judged by today's law, a result posted by today is
//!   printed on the poster.
//!
//! Nothing of another document: not the other versions of a village's regulation (a
//! regulation's `is_current` is not read), not the village's notices, not lessons. So an edit
//! re-checks exactly the documents it added or changed; a change of `site.yaml` (or of today)
//! checks everything again ([`Findings::new`]).
//!
//! The one finding across documents is `cadence` (W331): whether any notice of a village
//! counts for this quarter. It is kept as a count per village, moved by each notice that comes,
//! goes or changes.

use super::{cadence, each, is_this_quarters, Site};
use crate::diagnostics::Diagnostic;
use crate::model::date::Date;
use crate::model::DocId;
use std::collections::HashMap;

/// Every document's findings by key, and the quarter's disclosures by village.
#[derive(Debug, Clone)]
pub struct Findings {
    today: Date,
    by_key: HashMap<String, Vec<Diagnostic>>,
    /// For each notice that counts as its village's disclosure this quarter, that village.
    disclosing: HashMap<String, String>,
    /// How many notices count for each village this quarter.
    disclosures: HashMap<String, usize>,
    cadence: Vec<Diagnostic>,
}

impl Findings {
    /// Checks every document of `site`.
    pub fn new(site: &Site) -> Findings {
        let mut findings = Findings {
            today: site.today,
            by_key: HashMap::new(),
            disclosing: HashMap::new(),
            disclosures: HashMap::new(),
            cadence: Vec::new(),
        };
        let keys = site.notices.iter().map(|n| n.doc.key.as_str());
        let keys = keys.chain(site.regulations.iter().map(|r| r.doc.key.as_str()));
        findings.recheck(site, keys.collect());
        findings
    }

    /// Brings the findings up to `site`, the site they were last brought up to after the
    /// sources at `changed` (keys: added, changed or removed) were edited. `site` must have the
    /// same `site.yaml` as before; after a change to it, make them anew.
    pub fn update<'k>(&mut self, site: &Site, changed: impl IntoIterator<Item = &'k str>) {
        if site.today != self.today {
            *self = Findings::new(site);
            return;
        }
        self.recheck(site, changed.into_iter().collect());
    }

    fn recheck(&mut self, site: &Site, mut keys: Vec<&str>) {
        keys.sort_unstable();
        keys.dedup();
        for key in &keys {
            self.by_key.remove(*key);
            if let Some(village) = self.disclosing.remove(*key) {
                if let Some(n) = self.disclosures.get_mut(&village) {
                    *n -= 1;
                }
            }
        }
        let ids: Vec<(&str, DocId)> = keys
            .iter()
            .filter_map(|k| site.lookup(k).map(|id| (*k, id)))
            .filter(|(_, id)| !matches!(id, DocId::Lesson(_)))
            .collect();
        let found = each(site, ids.iter().map(|(_, id)| *id).collect());
        for ((key, id), found) in ids.into_iter().zip(found) {
            if let DocId::Notice(i) = id {
                let n = &site.notices[i];
                if is_this_quarters(n, self.today) {
                    let village = n.doc.front.village.clone();
                    *self.disclosures.entry(village.clone()).or_default() += 1;
                    self.disclosing.insert(key.to_string(), village);
                }
            }
            self.by_key.insert(key.to_string(), found);
        }
        let disclosures = &self.disclosures;
        self.cadence = cadence(site, |v| disclosures.get(v).is_some_and(|n| *n > 0));
    }

    /// The findings in the order of [`super::run`]: notices then regulations in the site's
    /// order, then the villages' cadence. `site` is the one last passed to `update` or `new`.
    pub fn iter<'a>(&'a self, site: &'a Site) -> impl Iterator<Item = &'a Diagnostic> {
        let keys = site.notices.iter().map(|n| n.doc.key.as_str());
        let keys = keys.chain(site.regulations.iter().map(|r| r.doc.key.as_str()));
        let docs = keys.filter_map(|k| self.by_key.get(k)).flatten();
        docs.chain(&self.cadence)
    }

    /// What [`super::run`] gives for `site`.
    pub fn to_vec(&self, site: &Site) -> Vec<Diagnostic> {
        self.iter(site).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::run;
    use super::*;
    use crate::model::testing::{Rng, Sample};

    #[test]
    fn kept_findings_equal_a_full_run_over_random_edits() {
        let sample = Sample::load();
        let mut sources = sample.parsed();
        let mut site = sample.assemble(&sources).0;
        let mut findings = Findings::new(&site);
        assert_eq!(findings.to_vec(&site), run(&site));
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let (mut cadence_changes, mut found) = (0, 0);
        for step in 0..300 {
            let (removed, changed) = sample.random_edits(&mut rng, &mut sources);
            let removed: Vec<&str> = removed.iter().map(String::as_str).collect();
            let next = site
                .updated(&removed, changed.iter().map(|k| &sources[k]))
                .0;
            let keys = removed
                .iter()
                .copied()
                .chain(changed.iter().map(String::as_str));
            let before = findings.cadence.len();
            findings.update(&next, keys);
            let want = run(&next);
            assert_eq!(findings.to_vec(&next), want, "step {step}");
            cadence_changes += usize::from(before != findings.cadence.len());
            found += want.len();
            site = next;
        }
        // The walk went where it had to: villages falling silent and speaking again.
        assert!(
            cadence_changes > 5 && found > 1000,
            "{cadence_changes} {found}"
        );
    }

    #[test]
    fn a_new_day_checks_everything_again() {
        let sample = Sample::load();
        let sources = sample.parsed();
        let site = sample.assemble(&sources).0;
        let mut findings = Findings::new(&site);
        let mut later = site.clone();
        // The next quarter: every village is silent until it discloses something.
        later.today = Date::parse("2027-01-02").expect("a date");
        findings.update(&later, []);
        assert_eq!(findings.to_vec(&later), run(&later));
        assert_ne!(findings.to_vec(&later), run(&site));
    }
}
