//! Which documents would write each page, kept as documents come and go, so that two sources
//! writing the same page (E202) are found without listing every page of the site again.

use super::{urls, DocId, Site};
use crate::diagnostics::Diagnostic;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// One page a document writes: its key, and for a lesson which of its audiences (by position
/// in `audiences`, so a lesson naming one audience twice has two pages with one URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Page {
    pub key: Arc<str>,
    pub slot: usize,
}

/// The pages at one URL. Nearly every URL has one, kept inline so cloning the index (every
/// update of a shared `Site`) allocates nothing per URL.
#[derive(Debug, Clone)]
struct Owners {
    first: Page,
    more: Vec<Page>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct UrlIndex {
    owners: HashMap<Arc<str>, Owners>,
    /// URLs with more than one page: where E202 can be.
    clashes: HashSet<Arc<str>>,
}

impl UrlIndex {
    pub fn add(&mut self, url: String, page: Page) {
        if let Some(o) = self.owners.get_mut(url.as_str()) {
            o.more.push(page);
            self.clashes.insert(Arc::from(url));
            return;
        }
        let first = page;
        let more = Vec::new();
        self.owners.insert(Arc::from(url), Owners { first, more });
    }

    pub fn remove(&mut self, url: &str, page: &Page) {
        let Some(o) = self.owners.get_mut(url) else {
            return;
        };
        if let Some(i) = o.more.iter().position(|p| p == page) {
            o.more.remove(i);
        } else if o.first == *page {
            match o.more.is_empty() {
                true => {
                    self.owners.remove(url);
                }
                false => o.first = o.more.remove(0),
            }
        }
        if self.owners.get(url).is_none_or(|o| o.more.is_empty()) {
            self.clashes.remove(url);
        }
    }
}

/// Where a page comes in the order `Site::assemble` has always listed pages in (lessons by
/// audience, then notices, then regulations): the first page at a URL owns it, and the
/// findings are reported in this order.
type Position = (u8, usize, usize);

impl Site {
    /// The URLs of a document's pages, each with its page's slot (see [`Page`]).
    pub(crate) fn urls_of(&self, id: DocId) -> Vec<(String, usize)> {
        match id {
            DocId::Lesson(i) => {
                let l = &self.lessons[i];
                let audiences = l.doc.front.audiences.iter();
                audiences.enumerate().map(|(s, a)| (l.url(a), s)).collect()
            }
            DocId::Notice(i) => vec![(self.notices[i].url(), 0)],
            DocId::Regulation(i) => vec![(self.regulations[i].url(), 0)],
        }
    }

    /// Adds (or, with `add` false, takes out) a document's pages in the URL index.
    pub(super) fn index_pages(&mut self, id: DocId, key: &Arc<str>, add: bool) {
        for (url, slot) in self.urls_of(id) {
            let page = Page {
                key: Arc::clone(key),
                slot,
            };
            match add {
                true => self.pages.add(url, page),
                false => self.pages.remove(&url, &page),
            }
        }
    }

    fn position(&self, page: &Page) -> Option<(Position, &str, (usize, usize))> {
        Some(match self.lookup(&page.key)? {
            DocId::Lesson(i) => {
                let d = &self.lessons[i].doc;
                ((0, i, page.slot), d.file.as_str(), d.field_pos("slug"))
            }
            DocId::Notice(i) => {
                let d = &self.notices[i].doc;
                ((1, i, 0), d.file.as_str(), d.field_pos("slug"))
            }
            DocId::Regulation(i) => {
                let d = &self.regulations[i].doc;
                ((2, i, 0), d.file.as_str(), d.field_pos("version"))
            }
        })
    }

    /// E209 for each regulation version named like a print view, then E202 for each page
    /// whose URL an earlier page (in [`Position`] order) from another file already has, naming
    /// that file.
    pub(super) fn url_problems(&self) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for r in &self.regulations {
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
        let mut clashes: Vec<(Position, Diagnostic)> = Vec::new();
        for url in &self.pages.clashes {
            let Some(o) = self.pages.owners.get(url) else {
                continue;
            };
            let mut pages: Vec<_> = std::iter::once(&o.first)
                .chain(&o.more)
                .filter_map(|p| self.position(p))
                .collect();
            pages.sort_by_key(|p| p.0);
            let Some(&(_, owner, _)) = pages.first() else {
                continue;
            };
            for &(pos, file, (line, col)) in &pages[1..] {
                if file != owner {
                    let d = Diagnostic::error("E202", file, format!("网址 /{url} 与 {owner} 重复"))
                        .at(line, col)
                        .hint("给其中一个文件换一个 slug（或版本名），每个页面的网址必须唯一");
                    clashes.push((pos, d));
                }
            }
        }
        clashes.sort_by_key(|c| c.0);
        problems.extend(clashes.into_iter().map(|c| c.1));
        problems
    }
}
