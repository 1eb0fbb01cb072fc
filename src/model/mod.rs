//! Stage 2, model: typed documents built from the loaded sources, with every reference between
//! them checked (audiences, villages, slugs, URLs). The result, [`Site`], is immutable; rendering
//! reads it from many threads.

mod parse;
use parse::Parsed;
pub use parse::ParsedSource;
use rustc_hash::FxHashMap;
pub mod date;
pub mod lesson;
pub mod notice;
mod pages;
pub mod regulation;
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;
mod update;
pub use crate::slug;
pub mod urls;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::load::frontmatter::locate;
use crate::load::Source;
use date::Date;
use lesson::{LessonFront, Variants};
use notice::NoticeFront;
use rayon::prelude::*;
use regulation::RegulationFront;
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// What every document has, whatever its kind.
#[derive(Debug, Clone)]
pub struct Doc<F> {
    /// Path under `content/`, e.g. `lessons/a.md`: the key `@/…` links use.
    pub key: String,
    /// Path from the site root, for messages.
    pub file: String,
    pub slug: String,
    pub front: F,
    /// The front matter text and the file line it starts on, to point findings at fields.
    pub yaml: String,
    pub yaml_line: usize,
    pub body: String,
    pub body_line: usize,
}

impl<F> Doc<F> {
    /// File line and column of a front-matter field (dotted path), or of the front matter start.
    pub fn field_pos(&self, path: &str) -> (usize, usize) {
        locate(&self.yaml, path)
            .map(|(l, c)| (l + self.yaml_line - 1, c))
            .unwrap_or((self.yaml_line.saturating_sub(1).max(1), 1))
    }

    /// A diagnostic pointing at a field of this document.
    pub fn finding(&self, d: Diagnostic, field: &str) -> Diagnostic {
        let (line, col) = self.field_pos(field);
        let mut d = d.at(line, col);
        d.field = Some(field.to_string());
        d
    }
}

#[derive(Debug, Clone)]
pub struct Lesson {
    pub doc: Doc<LessonFront>,
    pub variants: Variants,
}

impl Lesson {
    pub fn url(&self, audience: &str) -> String {
        urls::lesson(audience, &self.doc.slug)
    }

    pub fn is_for(&self, audience: &str) -> bool {
        self.doc.front.audiences.iter().any(|a| a == audience)
    }
}

#[derive(Debug, Clone)]
pub struct Notice {
    pub doc: Doc<NoticeFront>,
}

impl Notice {
    /// The latest thing that happened to the notice by `today`: published, 公示 begun, or its
    /// result posted. Lists and the feed are ordered by it, so a posted result is news again.
    pub fn updated(&self, today: Date) -> Date {
        let f = &self.doc.front;
        [
            f.disclosure.as_ref().map(|d| d.from),
            f.result.as_ref().map(|r| r.date),
        ]
        .into_iter()
        .flatten()
        .filter(|d| *d <= today)
        .fold(f.date, Date::max)
    }

    pub fn url(&self) -> String {
        urls::notice(&self.doc.front.village, &self.doc.slug)
    }
}

#[derive(Debug, Clone)]
pub struct Regulation {
    pub doc: Doc<RegulationFront>,
    /// The newest version of its village: served at the village's canonical regulation URL.
    pub is_current: bool,
}

impl Regulation {
    pub fn url(&self) -> String {
        let version = (!self.is_current).then_some(self.doc.front.version.as_str());
        urls::regulation(&self.doc.front.village, version)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocId {
    Lesson(usize),
    Notice(usize),
    Regulation(usize),
}

#[derive(Debug, Clone)]
pub struct Options {
    pub drafts: bool,
    pub today: Date,
}

/// The whole site, validated and ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub today: Date,
    /// Ordered for lists: by weight, then newest first (see [`lesson_order`]).
    pub lessons: Vec<Arc<Lesson>>,
    /// Most recently updated first (see [`Notice::updated`]).
    pub notices: Vec<Arc<Notice>>,
    /// Grouped by village in `site.yaml` order, newest version first.
    pub regulations: Vec<Arc<Regulation>>,
    /// Whether drafts are in: kept so that [`Site::updated`] filters as `assemble` did.
    drafts: bool,
    /// By source key; looked up for every `@/` link of every page, so hashed with Fx.
    keys: FxHashMap<Arc<str>, DocId>,
    /// Where each village's versions sit in `regulations` (they are contiguous).
    regulation_ranges: HashMap<String, std::ops::Range<usize>>,
    /// The problems of each source that has any, by key (documents or not), so an update
    /// reports them all without the sources at hand.
    problems: BTreeMap<String, Arc<[Diagnostic]>>,
    /// Which pages each URL has, for E202.
    pages: pages::UrlIndex,
}

/// The order of the lesson lists: by weight (none last), newest first, then by key.
pub fn lesson_order(l: &Lesson) -> (i32, Reverse<Date>, &str) {
    let f = &l.doc.front;
    (f.weight.unwrap_or(i32::MAX), Reverse(f.date), &l.doc.key)
}

/// The order of notices: most recently updated by `today` first, then by key.
pub fn notice_order(n: &Notice, today: Date) -> (Reverse<Date>, &str) {
    (Reverse(n.updated(today)), &n.doc.key)
}

/// Each village's place in `site.yaml`, which orders the regulations.
fn village_order(config: &SiteConfig) -> HashMap<&str, usize> {
    let villages = config.villages.iter().enumerate();
    villages.map(|(i, v)| (v.id.as_str(), i)).collect()
}

/// The order of regulations: by village (see [`village_order`]), newest version first, then
/// by key.
fn regulation_order<'r>(
    r: &'r Regulation,
    villages: &HashMap<&str, usize>,
) -> (Option<usize>, Reverse<Option<Date>>, &'r str) {
    let f = &r.doc.front;
    let village = villages.get(f.village.as_str()).copied();
    (village, Reverse(f.sort_date()), &r.doc.key)
}

impl Site {
    /// Builds the model. Problems in single documents drop those documents and are reported;
    /// the rest of the site is still modelled so every problem is found in one run.
    pub fn build(
        config: SiteConfig,
        sources: Vec<Source>,
        opts: &Options,
    ) -> (Site, Vec<Diagnostic>) {
        let parsed: Vec<ParsedSource> = sources
            .into_par_iter()
            .map(|s| ParsedSource::parse(s, &config))
            .collect();
        Site::assemble(config, parsed.iter(), opts)
    }

    /// Builds the site from sources parsed earlier (`serve` keeps them and re-parses only what
    /// changed). The problems are the sources' in the order given, then the site's (URLs).
    pub fn assemble<'p>(
        config: SiteConfig,
        parsed: impl Iterator<Item = &'p ParsedSource>,
        opts: &Options,
    ) -> (Site, Vec<Diagnostic>) {
        let mut site = Site {
            config,
            today: opts.today,
            lessons: Vec::new(),
            notices: Vec::new(),
            regulations: Vec::new(),
            drafts: opts.drafts,
            keys: FxHashMap::default(),
            regulation_ranges: HashMap::new(),
            problems: BTreeMap::new(),
            pages: pages::UrlIndex::default(),
        };
        let mut problems = Vec::new();
        for p in parsed {
            problems.extend(p.problems.iter().cloned());
            if !p.problems.is_empty() {
                site.problems
                    .insert(p.key.clone(), p.problems.as_slice().into());
            }
            match &p.doc {
                Some(Parsed::Lesson(l)) if site.shows(l.doc.front.draft) => {
                    site.lessons.push(Arc::clone(l))
                }
                Some(Parsed::Notice(n)) if site.shows(n.doc.front.draft) => {
                    site.notices.push(Arc::clone(n))
                }
                Some(Parsed::Regulation(r)) if site.shows(r.doc.front.draft) => {
                    site.regulations.push(Arc::clone(r))
                }
                _ => {}
            }
        }

        site.lessons
            .sort_by(|a, b| lesson_order(a).cmp(&lesson_order(b)));
        let today = opts.today;
        site.notices
            .sort_by(|a, b| notice_order(a, today).cmp(&notice_order(b, today)));
        let villages = village_order(&site.config);
        site.regulations
            .sort_by(|a, b| regulation_order(a, &villages).cmp(&regulation_order(b, &villages)));
        site.index_keys();
        site.mark_current(0..site.regulations.len());
        let ids: Vec<(Arc<str>, DocId)> =
            site.keys.iter().map(|(k, id)| (k.clone(), *id)).collect();
        for (key, id) in ids {
            site.index_pages(id, &key, true);
        }
        problems.extend(site.url_problems());
        (site, problems)
    }

    /// Whether a document of this kind is in the site: drafts only when asked for.
    fn shows(&self, draft: bool) -> bool {
        self.drafts || !draft
    }

    /// Marks the first version of each village in `range` (a whole number of villages) as
    /// the current one.
    fn mark_current(&mut self, range: std::ops::Range<usize>) {
        let mut seen_village: Option<&str> = None;
        let start = range.start;
        let mut flags = Vec::with_capacity(range.len());
        for r in &self.regulations[range] {
            let village = r.doc.front.village.as_str();
            flags.push(seen_village != Some(village));
            seen_village = Some(village);
        }
        for (i, current) in flags.into_iter().enumerate() {
            let r = &mut self.regulations[start + i];
            // Documents are shared with the parse cache; copy one only when its flag changes.
            if r.is_current != current {
                Arc::make_mut(r).is_current = current;
            }
        }
    }

    /// This site with one source parsed anew: added, or in place of the document with the same
    /// key. The editors' desk checks and previews unsaved text this way, against the rest of
    /// the site as last built, without reading every file again.
    pub fn with_source(
        &self,
        key: &str,
        parsed: &ParsedSource,
        opts: &Options,
    ) -> (Site, Vec<Diagnostic>) {
        let others = self
            .lessons
            .iter()
            .filter(|l| l.doc.key != key)
            .map(|l| Parsed::Lesson(Arc::clone(l)))
            .chain(
                self.notices
                    .iter()
                    .filter(|n| n.doc.key != key)
                    .map(|n| Parsed::Notice(Arc::clone(n))),
            )
            .chain(
                self.regulations
                    .iter()
                    .filter(|r| r.doc.key != key)
                    .map(|r| Parsed::Regulation(Arc::clone(r))),
            )
            .map(|doc| ParsedSource {
                key: doc.key().to_string(),
                doc: Some(doc),
                problems: Vec::new(),
            });
        let all: Vec<ParsedSource> = others.chain(std::iter::once(parsed.clone())).collect();
        Site::assemble(self.config.clone(), all.iter(), opts)
    }

    fn index_keys(&mut self) {
        let lessons = self.lessons.iter().enumerate();
        let mut keys: FxHashMap<Arc<str>, DocId> = lessons
            .map(|(i, l)| (Arc::from(l.doc.key.as_str()), DocId::Lesson(i)))
            .collect();
        for (i, n) in self.notices.iter().enumerate() {
            keys.insert(Arc::from(n.doc.key.as_str()), DocId::Notice(i));
        }
        for (i, r) in self.regulations.iter().enumerate() {
            keys.insert(Arc::from(r.doc.key.as_str()), DocId::Regulation(i));
        }
        self.keys = keys;
        self.index_ranges();
    }

    fn index_ranges(&mut self) {
        let mut ranges: HashMap<String, std::ops::Range<usize>> = HashMap::new();
        let mut village: Option<&str> = None;
        for (i, r) in self.regulations.iter().enumerate() {
            let v = r.doc.front.village.as_str();
            if village == Some(v) {
                if let Some(range) = ranges.get_mut(v) {
                    range.end = i + 1;
                }
            } else {
                ranges.insert(v.to_string(), i..i + 1);
                village = Some(v);
            }
        }
        self.regulation_ranges = ranges;
    }

    pub fn lookup(&self, key: &str) -> Option<DocId> {
        self.keys.get(key).copied()
    }

    /// Regulations of one village, newest first.
    pub fn regulations_of(&self, village: &str) -> &[Arc<Regulation>] {
        match self.regulation_ranges.get(village) {
            Some(range) => &self.regulations[range.clone()],
            None => &[],
        }
    }
}
