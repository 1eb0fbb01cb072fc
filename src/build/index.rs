//! The search index within a build. Rendering a document page yields its text; the session keeps
//! the text of every page by URL, so after an edit `serve` builds the index again from the pages
//! it rendered again and the texts it kept. The search pages are rendered last, with the index.

use crate::model::Site;
use crate::output::{self, Staging};
use crate::render::{Page, PageOutput, Renderer};
use crate::search::{self, Index, PageText};
use crate::Error;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

#[derive(Debug, Default)]
pub(super) struct SearchState {
    /// Text of every lesson, notice and current regulation page, by URL.
    texts: HashMap<String, PageText>,
    /// The index files on disk and their version, after the last write.
    written: BTreeSet<String>,
    version: Option<String>,
    pub(super) entries: usize,
    pub(super) bytes: usize,
}

impl SearchState {
    pub(super) fn clear(&mut self) {
        self.texts.clear();
    }

    /// Takes the text of pages just rendered.
    pub(super) fn keep(&mut self, site: &Site, outputs: &mut [PageOutput]) {
        let current: std::collections::HashSet<String> = site
            .regulations
            .iter()
            .filter(|r| r.is_current)
            .map(|r| r.url())
            .collect();
        for o in outputs {
            let articles = std::mem::take(&mut o.articles);
            if let Some(text) = o.text.take() {
                self.texts.insert(o.url.clone(), PageText::Text(text));
            } else if current.contains(&o.url) {
                self.texts
                    .insert(o.url.clone(), PageText::Articles(articles));
            }
        }
    }

    pub(super) fn forget(&mut self, url: &str) {
        self.texts.remove(url);
    }

    pub(super) fn index(&mut self, site: &Site) -> Index {
        let entries = search::entries(site, &self.texts);
        let index = Index::build(&entries, site.config.audiences.len());
        self.entries = index.entries;
        self.bytes = index.files.iter().map(|(_, t)| t.len()).sum();
        index
    }

    /// Writes the index into a build's staging folder.
    pub(super) fn stage(&mut self, index: &Index, staging: &Staging) -> Result<(), Error> {
        index
            .files
            .par_iter()
            .try_for_each(|(path, text)| staging.write(path, text.as_bytes()))?;
        self.remember(index);
        Ok(())
    }

    /// Writes the index into the live output (`serve`): nothing when it did not change, and the
    /// files of the last index that this one no longer has are removed.
    pub(super) fn write_in_place(&mut self, index: &Index, out: &Path) -> Result<(), Error> {
        if self.version.as_deref() == Some(index.version.as_str()) {
            return Ok(());
        }
        index
            .files
            .par_iter()
            .try_for_each(|(path, text)| output::write_in_place(out, path, text.as_bytes()))?;
        let now: BTreeSet<&str> = index.files.iter().map(|(p, _)| p.as_str()).collect();
        for old in self.written.iter().filter(|p| !now.contains(p.as_str())) {
            output::remove_in_place(out, old)?;
        }
        self.remember(index);
        Ok(())
    }

    fn remember(&mut self, index: &Index) {
        self.written = index.files.iter().map(|(p, _)| p.clone()).collect();
        self.version = Some(index.version.clone());
    }
}

/// Renders the search pages with the index; `previous` gives a page's last hash (when
/// memoizing) so an unchanged page is skipped.
pub(super) fn render_search_pages<'p>(
    renderer: &mut Renderer,
    site: &Site,
    pages: impl Iterator<Item = &'p Page>,
    index: &Index,
    previous: impl Fn(&str) -> Option<[u8; 32]>,
) -> Vec<PageOutput> {
    let data = (0..site.config.audiences.len())
        .map(|a| index.page_data(a))
        .collect();
    renderer.set_search(data);
    pages
        .filter_map(|p| {
            let hash = previous(&p.url(site));
            renderer.render_unless(p, hash.as_ref())
        })
        .collect()
}

pub(super) fn is_search_page(p: &Page) -> bool {
    matches!(p, Page::Search(_))
}
