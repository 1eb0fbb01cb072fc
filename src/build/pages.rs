//! Every page of the site with its URL, kept between passes: an edit that moves no page (the
//! usual one: a body, a title, a date that keeps the order) reuses the list instead of listing
//! and addressing every page of the site again.

use crate::model::{DocId, Site};
use crate::render::Page;
use std::collections::{HashMap, HashSet};

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

    pub(super) fn get(&self, url: &str) -> Option<&(Page, String)> {
        self.at.get(url).map(|&i| &self.pages[i])
    }
}

/// Whether `new` has exactly the pages of `old`, in the same order, when only the `changed`
/// sources differ: every changed source is the same document at the same place with the same
/// pages, and there are as many documents of each kind. The pages of everything else follow from
/// the order of the documents and the number of each kind per audience and village, which
/// these keep.
pub(super) fn same_pages(old: &Site, new: &Site, changed: &HashSet<String>) -> bool {
    let counts = |s: &Site| (s.lessons.len(), s.notices.len(), s.regulations.len());
    counts(old) == counts(new)
        && changed
            .iter()
            .all(|k| doc_pages(old, k) == doc_pages(new, k))
}

/// A source's document, where it is in the site, and the URLs of its pages.
fn doc_pages(site: &Site, key: &str) -> Option<(DocId, Vec<String>)> {
    let id = site.lookup(key)?;
    let urls = match id {
        DocId::Lesson(i) => {
            let l = &site.lessons[i];
            let audiences = site.config.audiences.iter();
            audiences
                .filter(|a| l.is_for(&a.id))
                .map(|a| l.url(&a.id))
                .collect()
        }
        DocId::Notice(i) => vec![site.notices[i].url()],
        DocId::Regulation(i) => vec![site.regulations[i].url()],
    };
    Some((id, urls))
}
