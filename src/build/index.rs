//! The search index within a build. Rendering a document page yields its text; the session keeps
//! the text of every page by URL and the index itself, so after an edit `serve` brings the index
//! up to date from the pages it rendered again (see [`Index::update`]) and rewrites only the
//! index files that changed. The search pages are rendered last, with the index.

use crate::model::Site;
use crate::output::{self, Staging};
use crate::render::{Page, PageOutput, Renderer};
use crate::search::{self, Changed, Index, PageText};
use crate::Error;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Default)]
pub(super) struct SearchState {
    /// Text of every lesson, notice and current regulation page, by URL.
    texts: HashMap<String, PageText>,
    /// The index as last built or updated, and the files of it that are on disk.
    index: Option<Index>,
    /// What changed in the index since its files were last written (a failed build writes
    /// nothing; its changes are written with the next).
    pending: Changed,
    /// Shards and chunks on disk after the last write.
    written: (usize, usize),
    pub(super) entries: usize,
    pub(super) bytes: usize,
}

impl SearchState {
    pub(super) fn clear(&mut self) {
        self.texts.clear();
        self.index = None;
    }

    /// Takes the text of pages just rendered (nothing when the site has search off).
    pub(super) fn keep(&mut self, site: &Site, outputs: &mut [PageOutput]) {
        if !site.config.search {
            return;
        }
        let current: std::collections::HashSet<String> = site
            .regulations
            .iter()
            .filter(|r| r.is_current)
            .map(|r| r.url())
            .collect();
        self.texts.reserve(outputs.len());
        for o in outputs {
            let articles = std::mem::take(&mut o.articles);
            if let Some(text) = o.text.take() {
                self.texts.insert(o.facts.url.clone(), PageText::Text(text));
            } else if current.contains(&o.facts.url) {
                self.texts
                    .insert(o.facts.url.clone(), PageText::Articles(articles));
            }
        }
    }

    pub(super) fn forget(&mut self, url: &str) {
        self.texts.remove(url);
    }

    /// Builds the index anew, or updates the last one, with the site's `synonyms` table. With
    /// `for_updates` the index keeps what it needs to be updated after an edit (`serve`).
    pub(super) fn index(&mut self, site: &Site, synonyms: &[Vec<String>], for_updates: bool) {
        if !site.config.search {
            *self = SearchState::default();
            return;
        }
        let entries = search::entries(site, &self.texts);
        let audiences = site.config.audiences.len();
        let mut changed = match &mut self.index {
            Some(index) => index.update(&entries, audiences),
            None if for_updates => {
                self.index = Some(Index::build_for_updates(&entries, audiences));
                Changed::All
            }
            None => {
                self.index = Some(Index::build(&entries, audiences));
                Changed::All
            }
        };
        if let Some(index) = &mut self.index {
            self.entries = index.entries;
            if index.set_extra(&entries, synonyms) && changed == Changed::Nothing {
                changed = Changed::Parts {
                    shards: Vec::new(),
                    chunks: Vec::new(),
                    extra: true,
                };
            } else if let Changed::Parts { extra, .. } = &mut changed {
                *extra = true;
            }
        }
        self.pending.merge(changed);
    }

    pub(super) fn current(&self) -> Option<&Index> {
        self.index.as_ref()
    }

    /// Writes the whole index into a build's staging folder.
    pub(super) fn stage(&mut self, site: &Site, staging: &Staging) -> Result<(), Error> {
        let Some(index) = &self.index else {
            return Ok(());
        };
        let entries = search::entries(site, &self.texts);
        self.bytes = index.each_file(&entries, |path, bytes| {
            staging.write(path, bytes).map(|_| bytes.len())
        })?;
        self.written = (index.shard_count(), index.chunk_count());
        self.pending = Changed::Nothing;
        Ok(())
    }

    /// Writes what changed into the live output (`serve`), and removes the files of the
    /// last index that this one no longer has.
    pub(super) fn write_in_place(&mut self, site: &Site, out: &Path) -> Result<(), Error> {
        let Some(index) = &self.index else {
            return Ok(());
        };
        let changed = std::mem::replace(&mut self.pending, Changed::Nothing);
        let write = |path: &str, bytes: &[u8]| {
            output::write_in_place(out, path, bytes).map(|_| bytes.len())
        };
        match &changed {
            Changed::Nothing => {}
            Changed::Parts {
                shards,
                chunks,
                extra,
            } => {
                if *extra {
                    for (path, text) in index.extra_files() {
                        write(path, text.as_bytes())?;
                    }
                }
                let entries = search::entries(site, &self.texts);
                shards.par_iter().try_for_each(|&n| {
                    let (path, text) = index.shard_file(n);
                    write(&path, text.as_bytes()).map(|_| ())
                })?;
                chunks.par_iter().try_for_each(|&c| {
                    let (path, text) = index.chunk_file(&entries, c);
                    write(&path, text.as_bytes()).map(|_| ())
                })?;
            }
            Changed::All => {
                let entries = search::entries(site, &self.texts);
                self.bytes = index.each_file(&entries, write)?;
                let (shards, chunks) = self.written;
                for n in index.shard_count()..shards {
                    output::remove_in_place(
                        out,
                        &format!("{}{}", search::DIR, search::shard_name(n)),
                    )?;
                }
                for c in index.chunk_count()..chunks {
                    output::remove_in_place(
                        out,
                        &format!("{}{}", search::DIR, search::chunk_name(c)),
                    )?;
                }
                self.written = (index.shard_count(), index.chunk_count());
            }
        }
        Ok(())
    }
}

/// Renders the search pages with the index; `previous` gives a page's last hash (when
/// memoizing) so an unchanged page is skipped.
pub(super) fn render_search_pages<'p>(
    renderer: &mut Renderer,
    site: &Site,
    pages: impl Iterator<Item = &'p Page>,
    index: Option<&Index>,
    previous: impl Fn(&str) -> Option<[u8; 32]>,
) -> Vec<PageOutput> {
    let data = (0..site.config.audiences.len())
        .map(|a| index.map(|i| i.page_data(a)).unwrap_or_default())
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
