//! A site updated in place of a rebuild: after an edit only the touched documents move in the
//! sorted lists, only their villages' regulations are re-marked, and only their pages are
//! re-indexed for duplicate URLs. `qili serve` reloads in this time instead of assembling
//! every document again.

use super::parse::Parsed;
use super::{lesson_order, Diagnostic};
use super::{notice_order, regulation_order, village_order, DocId, ParsedSource, Site};
use std::collections::BTreeSet;
use std::sync::Arc;

impl Parsed {
    pub(super) fn key(&self) -> &str {
        match self {
            Parsed::Lesson(l) => &l.doc.key,
            Parsed::Notice(n) => &n.doc.key,
            Parsed::Regulation(r) => &r.doc.key,
        }
    }
}

impl Site {
    /// This site with the sources at `removed` (keys) gone and `changed` added or in place of
    /// the ones with the same keys, and the problems of the whole site: exactly what
    /// [`Site::assemble`] gives (same order of documents, same problems in the same order)
    /// over the resulting sources in key order, with the same options as this site's and the
    /// same `site.yaml` (after a change to it, assemble again).
    pub fn updated<'p>(
        &self,
        removed: &[&str],
        changed: impl IntoIterator<Item = &'p ParsedSource>,
    ) -> (Site, Vec<Diagnostic>) {
        let mut site = self.clone();
        let problems = site.update(removed, changed);
        (site, problems)
    }

    /// [`Site::updated`] in place, for a site no one else holds.
    pub fn update<'p>(
        &mut self,
        removed: &[&str],
        changed: impl IntoIterator<Item = &'p ParsedSource>,
    ) -> Vec<Diagnostic> {
        let changed: Vec<&ParsedSource> = changed.into_iter().collect();
        let touched = removed.iter().copied();
        let touched: Vec<&str> = touched
            .chain(changed.iter().map(|p| p.key.as_str()))
            .collect();

        // A regulation's URL depends on whether it is its village's newest version, which any
        // version coming or going can change: its village's pages are taken out and put back.
        let mut villages = BTreeSet::new();
        for key in &touched {
            if let Some(DocId::Regulation(i)) = self.lookup(key) {
                villages.insert(self.regulations[i].doc.front.village.clone());
            }
        }
        for p in &changed {
            if let Some(Parsed::Regulation(r)) = &p.doc {
                villages.insert(r.doc.front.village.clone());
            }
        }
        self.index_villages(&villages, false);

        for key in &touched {
            self.problems.remove(*key);
            self.remove_doc(key);
        }
        for p in changed {
            // The same key twice: the last one stands.
            self.problems.remove(&p.key);
            self.remove_doc(&p.key);
            if !p.problems.is_empty() {
                self.problems
                    .insert(p.key.clone(), p.problems.as_slice().into());
            }
            if let Some(doc) = &p.doc {
                self.insert_doc(doc);
            }
        }

        self.index_ranges();
        for v in &villages {
            if let Some(range) = self.regulation_ranges.get(v).cloned() {
                self.mark_current(range);
            }
        }
        self.index_villages(&villages, true);
        self.problems()
    }

    /// Every problem: the sources' in key order, then the site's.
    fn problems(&self) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self
            .problems
            .values()
            .flat_map(|p| p.iter().cloned())
            .collect();
        out.extend(self.url_problems());
        out
    }

    /// Adds or takes out the pages of every regulation of these villages.
    fn index_villages(&mut self, villages: &BTreeSet<String>, add: bool) {
        for v in villages {
            let Some(range) = self.regulation_ranges.get(v).cloned() else {
                continue;
            };
            for i in range {
                let key = self.key_arc(&self.regulations[i].doc.key);
                self.index_pages(DocId::Regulation(i), &key, add);
            }
        }
    }

    /// The shared key of a document in the site (cloned: no new allocation).
    fn key_arc(&self, key: &str) -> Arc<str> {
        match self.keys.get_key_value(key) {
            Some((k, _)) => Arc::clone(k),
            None => Arc::from(key),
        }
    }

    fn remove_doc(&mut self, key: &str) {
        let Some((key, id)) = self.keys.get_key_value(key).map(|(k, id)| (k.clone(), *id)) else {
            return;
        };
        // Regulations' pages were taken out with their village's.
        if !matches!(id, DocId::Regulation(_)) {
            self.index_pages(id, &key, false);
        }
        self.keys.remove(&key);
        match id {
            DocId::Lesson(i) => drop(self.lessons.remove(i)),
            DocId::Notice(i) => drop(self.notices.remove(i)),
            DocId::Regulation(i) => drop(self.regulations.remove(i)),
        }
        self.shift(id, false);
    }

    fn insert_doc(&mut self, doc: &Parsed) {
        let id = match doc {
            Parsed::Lesson(l) if self.shows(l.doc.front.draft) => {
                let at = self
                    .lessons
                    .partition_point(|x| lesson_order(x) < lesson_order(l));
                self.lessons.insert(at, Arc::clone(l));
                DocId::Lesson(at)
            }
            Parsed::Notice(n) if self.shows(n.doc.front.draft) => {
                let today = self.today;
                let at = self
                    .notices
                    .partition_point(|x| notice_order(x, today) < notice_order(n, today));
                self.notices.insert(at, Arc::clone(n));
                DocId::Notice(at)
            }
            Parsed::Regulation(r) if self.shows(r.doc.front.draft) => {
                let villages = village_order(&self.config);
                let order = regulation_order(r, &villages);
                let at = self
                    .regulations
                    .partition_point(|x| regulation_order(x, &villages) < order);
                self.regulations.insert(at, Arc::clone(r));
                DocId::Regulation(at)
            }
            _ => return,
        };
        self.shift(id, true);
        let key: Arc<str> = Arc::from(doc.key());
        self.keys.insert(Arc::clone(&key), id);
        if !matches!(id, DocId::Regulation(_)) {
            self.index_pages(id, &key, true);
        }
    }

    /// Moves the indexes of the documents of `at`'s kind after it one down (`inserted`
    /// false: the document at `at` was removed) or up (one was inserted at `at`). One pass
    /// over the keys without hashing: cheaper than indexing them again.
    fn shift(&mut self, at: DocId, inserted: bool) {
        for id in self.keys.values_mut() {
            let (i, from) = match (id, at) {
                (DocId::Lesson(i), DocId::Lesson(from))
                | (DocId::Notice(i), DocId::Notice(from))
                | (DocId::Regulation(i), DocId::Regulation(from)) => (i, from),
                _ => continue,
            };
            match inserted {
                true if *i >= from => *i += 1,
                false if *i > from => *i -= 1,
                _ => {}
            }
        }
    }
}
