//! Stage 2, model: typed documents built from the loaded sources, with every reference between
//! them checked (audiences, villages, slugs, URLs). The result, [`Site`], is immutable; rendering
//! reads it from many threads.

mod parse;
use parse::Parsed;
pub use parse::ParsedSource;
pub mod date;
pub mod lesson;
pub mod notice;
pub mod regulation;
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
use std::collections::HashMap;
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
    /// Ordered for lists: by weight, then newest first.
    pub lessons: Vec<Arc<Lesson>>,
    /// Most recently updated first (see [`Notice::updated`]).
    pub notices: Vec<Arc<Notice>>,
    /// Grouped by village in `site.yaml` order, newest version first.
    pub regulations: Vec<Arc<Regulation>>,
    keys: HashMap<String, DocId>,
    /// Where each village's versions sit in `regulations` (they are contiguous).
    regulation_ranges: HashMap<String, std::ops::Range<usize>>,
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
    /// changed).
    pub fn assemble<'p>(
        config: SiteConfig,
        parsed: impl Iterator<Item = &'p ParsedSource>,
        opts: &Options,
    ) -> (Site, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let mut lessons = Vec::new();
        let mut notices = Vec::new();
        let mut regulations = Vec::new();
        for p in parsed {
            problems.extend(p.problems.iter().cloned());
            match &p.doc {
                Some(Parsed::Lesson(l)) if opts.drafts || !l.doc.front.draft => {
                    lessons.push(Arc::clone(l))
                }
                Some(Parsed::Notice(n)) if opts.drafts || !n.doc.front.draft => {
                    notices.push(Arc::clone(n))
                }
                Some(Parsed::Regulation(r)) if opts.drafts || !r.doc.front.draft => {
                    regulations.push(Arc::clone(r))
                }
                _ => {}
            }
        }

        lessons.sort_by(|a: &Arc<Lesson>, b: &Arc<Lesson>| {
            let (fa, fb) = (&a.doc.front, &b.doc.front);
            (
                fa.weight.unwrap_or(i32::MAX),
                std::cmp::Reverse(fa.date),
                &a.doc.key,
            )
                .cmp(&(
                    fb.weight.unwrap_or(i32::MAX),
                    std::cmp::Reverse(fb.date),
                    &b.doc.key,
                ))
        });
        notices.sort_by_cached_key(|n: &Arc<Notice>| {
            (std::cmp::Reverse(n.updated(opts.today)), n.doc.key.clone())
        });
        let village_order: HashMap<&str, usize> = config
            .villages
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id.as_str(), i))
            .collect();
        regulations.sort_by(|a: &Arc<Regulation>, b: &Arc<Regulation>| {
            let key = |r: &Regulation| {
                (
                    village_order.get(r.doc.front.village.as_str()).copied(),
                    std::cmp::Reverse(r.doc.front.sort_date()),
                    r.doc.key.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        let mut seen_village = None;
        for r in &mut regulations {
            let current = seen_village != Some(r.doc.front.village.clone());
            // Documents are shared with the parse cache; copy one only when its flag changes.
            if r.is_current != current {
                Arc::make_mut(r).is_current = current;
            }
            seen_village = Some(r.doc.front.village.clone());
        }

        let mut site = Site {
            config,
            today: opts.today,
            lessons,
            notices,
            regulations,
            keys: HashMap::new(),
            regulation_ranges: HashMap::new(),
        };
        site.index_keys();
        problems.extend(site.check_urls());
        (site, problems)
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
                doc: Some(doc),
                problems: Vec::new(),
            });
        let all: Vec<ParsedSource> = others.chain(std::iter::once(parsed.clone())).collect();
        Site::assemble(self.config.clone(), all.iter(), opts)
    }

    fn index_keys(&mut self) {
        let lessons = self.lessons.iter().enumerate();
        let mut keys: HashMap<String, DocId> = lessons
            .map(|(i, l)| (l.doc.key.clone(), DocId::Lesson(i)))
            .collect();
        for (i, n) in self.notices.iter().enumerate() {
            keys.insert(n.doc.key.clone(), DocId::Notice(i));
        }
        for (i, r) in self.regulations.iter().enumerate() {
            keys.insert(r.doc.key.clone(), DocId::Regulation(i));
        }
        self.keys = keys;
        let mut ranges: HashMap<String, std::ops::Range<usize>> = HashMap::new();
        for (i, r) in self.regulations.iter().enumerate() {
            ranges
                .entry(r.doc.front.village.clone())
                .and_modify(|range| range.end = i + 1)
                .or_insert(i..i + 1);
        }
        self.regulation_ranges = ranges;
    }

    /// Two sources that would write the same page are an error naming both.
    fn check_urls(&self) -> Vec<Diagnostic> {
        let mut pages: Vec<(String, &str, (usize, usize))> = Vec::new();
        for l in &self.lessons {
            for a in &l.doc.front.audiences {
                pages.push((l.url(a), &l.doc.file, l.doc.field_pos("slug")));
            }
        }
        for n in &self.notices {
            pages.push((n.url(), &n.doc.file, n.doc.field_pos("slug")));
        }
        let mut problems = Vec::new();
        for r in &self.regulations {
            pages.push((r.url(), &r.doc.file, r.doc.field_pos("version")));
            // The current version's print view is `guiyue/poster/`; a version named "poster"
            // would be written to the same file.
            if self.config.posters && r.doc.front.version == urls::POSTER {
                let d = Diagnostic::error(
                    "E209",
                    &r.doc.file,
                    "版本名「poster」是保留的网址名（打印版的网址是 …/guiyue/poster/）",
                )
                .hint("换一个版本名，例如 version: \"2025\"");
                problems.push(r.doc.finding(d, "version"));
            }
        }
        let mut owners: HashMap<&str, &str> = HashMap::new();
        for (url, file, (line, col)) in &pages {
            match owners.get(url.as_str()) {
                Some(other) if other != file => problems.push(
                    Diagnostic::error("E202", *file, format!("网址 /{url} 与 {other} 重复"))
                        .at(*line, *col)
                        .hint("给其中一个文件换一个 slug（或版本名），每个页面的网址必须唯一"),
                ),
                Some(_) => {}
                None => {
                    owners.insert(url, file);
                }
            }
        }
        problems
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
