//! Every page of the site with its URL, kept between passes: an edit that moves no page (the
//! usual one: a body, a title, a date that keeps the order) reuses the list instead of listing
//! and addressing every page of the site again.

use super::index::is_search_page;
use super::Session;
use crate::model::{DocId, Site};
use crate::render::{List, Page};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

#[derive(Debug, Default)]
pub(super) struct PageList {
    pub(super) pages: Vec<(Page, String)>,
    /// Where each URL is in `pages`.
    at: HashMap<String, usize>,
}

impl PageList {
    /// `indexed`: find pages by URL later (`serve`; a one-shot build never does).
    pub(super) fn of(site: &Site, indexed: bool) -> PageList {
        let pages: Vec<(Page, String)> = Page::all(site)
            .into_iter()
            .map(|p| {
                let url = p.url(site);
                (p, url)
            })
            .collect();
        let at = match indexed {
            true => pages
                .iter()
                .enumerate()
                .map(|(i, (_, u))| (u.clone(), i))
                .collect(),
            false => HashMap::new(),
        };
        PageList { pages, at }
    }
}

/// Whether `new` has exactly the pages of `old`, in the same order, when only the `changed`
/// sources differ: every changed source is the same document at the same place with the same
/// pages, and there are as many documents of each kind. The pages of everything else follow from
/// the order of the documents and the number of each kind per audience and village, which
/// these keep.
fn same_pages(old: &Site, new: &Site, changed: &HashSet<String>) -> bool {
    let counts = |s: &Site| (s.lessons.len(), s.notices.len(), s.regulations.len());
    counts(old) == counts(new)
        && changed
            .iter()
            .all(|k| doc_pages(old, k) == doc_pages(new, k))
}

/// A source's document, where it is in the site, and the URLs of its pages.
fn doc_pages(site: &Site, key: &str) -> Option<(DocId, Vec<(String, usize)>)> {
    let id = site.lookup(key)?;
    Some((id, site.urls_of(id)))
}

/// The pages a pass renders, found before rendering.
pub(super) struct Plan {
    /// Every page of the site.
    pub(super) list: PageList,
    /// Pages the last pass had and this one has not.
    pub(super) removed: Vec<String>,
    /// The lists the pages show, as they are now (when memoizing): those this pass can have
    /// changed.
    pub(super) lists: Option<HashMap<List, Vec<(String, u64)>>>,
    /// Where in `list` are the pages to render, and the search pages, which are rendered after
    /// the index and offered every pass (their search data changes with any text).
    pub(super) render: Vec<usize>,
    pub(super) search: Vec<usize>,
}

impl Plan {
    pub(super) fn pages(&self, at: &[usize]) -> Vec<&(Page, String)> {
        at.iter().map(|&i| &self.list.pages[i]).collect()
    }
}

impl Session {
    /// The pages to render after `changed` sources changed (`old` is the last pass's site;
    /// none for a full pass, which renders every page): those whose reads the change touched,
    /// those held back by errors last time, and the new ones.
    pub(super) fn plan(
        &mut self,
        site: &Site,
        old: Option<Arc<Site>>,
        changed: &HashSet<String>,
    ) -> Plan {
        let everything = old.is_none();
        let kept = old.is_some_and(|old| same_pages(&old, site, changed));
        let (list, removed, reordered) = match kept {
            true => (std::mem::take(&mut self.page_list), Vec::new(), false),
            false => {
                let list = PageList::of(site, self.opts.memoize);
                let removed = self.forget_removed(&list.pages);
                // The sitemap lists every page in the site's order.
                let reordered = self.opts.memoize && self.deps.page_order_changed(&list.pages);
                (list, removed, reordered)
            }
        };
        let lists = self
            .opts
            .memoize
            .then(|| self.deps.lists_now(site, changed));
        let mut render: Vec<usize> = match (&lists, everything) {
            (Some(lists), false) => {
                let affected = self.deps.affected(changed, lists, reordered);
                let again = affected.iter().chain(&self.pending);
                let mut at: Vec<usize> = again.filter_map(|u| list.at.get(u).copied()).collect();
                if !kept {
                    let new = list.pages.iter().enumerate();
                    at.extend(
                        new.filter(|(_, (_, u))| !self.pages.contains_key(u))
                            .map(|(i, _)| i),
                    );
                }
                at.sort_unstable();
                at.dedup();
                at
            }
            _ => (0..list.pages.len()).collect(),
        };
        let search: Vec<usize> = (0..list.pages.len())
            .filter(|&i| is_search_page(&list.pages[i].0))
            .collect();
        render.retain(|&i| !is_search_page(&list.pages[i].0));
        Plan {
            list,
            removed,
            lists,
            render,
            search,
        }
    }

    /// Drops what the session knows of pages the site no longer has, returning their URLs so
    /// their files can be removed.
    fn forget_removed(&mut self, pages: &[(Page, String)]) -> Vec<String> {
        if self.pages.is_empty() {
            return Vec::new();
        }
        let now: HashSet<&str> = pages.iter().map(|(_, u)| u.as_str()).collect();
        let removed: Vec<String> = self
            .pages
            .keys()
            .filter(|u| !now.contains(u.as_str()))
            .cloned()
            .collect();
        for u in &removed {
            self.pages.remove(u);
            self.pending.remove(u);
            self.deps.forget(u);
            self.search.forget(u);
        }
        removed
    }
}
