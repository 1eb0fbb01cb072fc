//! What each page read when it was last rendered, and how the site's lists looked then: after an
//! edit, the pages to render again are a lookup, not a rule of thumb. A page is rendered again
//! when a document it shows changed, a source it links to changed, or the stretch of a list it
//! shows is shown differently (an item's title, date or status, the order, the list's length).

use crate::model::Site;
use crate::render::{list_items, List, Reads, Span};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Default)]
pub(super) struct Deps {
    /// By URL: what the page read, and the sources it links to.
    pages: HashMap<String, (Reads, Vec<String>)>,
    /// By source key: the URLs of the pages that read it as a document or link to it.
    readers: HashMap<String, HashSet<String>>,
    /// Every list as the pages last rendered from it saw it: each item's key and a hash of
    /// how it is shown.
    lists: HashMap<List, Vec<(String, u64)>>,
    /// A hash of every page's URL in the site's order (the sitemap's).
    page_order: u64,
}

/// How a list changed since the pages were rendered from it.
enum ListChange {
    /// Longer or shorter: counts and pagination changed on every page that shows it.
    Length,
    /// The positions whose item is another or is shown differently.
    Items(Vec<usize>),
}

impl Deps {
    /// Records what a page read when it was rendered.
    pub(super) fn record(&mut self, url: &str, reads: Reads, links: &[String]) {
        self.forget(url);
        for key in reads.docs.iter().chain(links) {
            let readers = self.readers.entry(key.clone()).or_default();
            readers.insert(url.to_string());
        }
        self.pages.insert(url.to_string(), (reads, links.to_vec()));
    }

    pub(super) fn forget(&mut self, url: &str) {
        if let Some((reads, links)) = self.pages.remove(url) {
            for key in reads.docs.iter().chain(&links) {
                if let Some(r) = self.readers.get_mut(key) {
                    r.remove(url);
                }
            }
        }
    }

    /// The lists of `site` that `changed` can have changed, as they are now: an edit of a
    /// lesson can change only the audiences' lesson lists, of a notice the notice lists and the
    /// villages, of a regulation the version lists and the villages. The items of sources not in
    /// `changed` keep the hash they had (a lesson's or a notice's summary reads only its own
    /// document).
    pub(super) fn lists_now(
        &self,
        site: &Site,
        changed: &HashSet<String>,
    ) -> HashMap<List, Vec<(String, u64)>> {
        let kinds: HashSet<&str> = changed
            .iter()
            .map(|k| k.split('/').next().unwrap_or(""))
            .collect();
        let may_change = |l: &List| {
            !self.lists.contains_key(l)
                || match l {
                    List::Lessons(_) => kinds.contains("lessons"),
                    List::Notices | List::VillageNotices(_) => kinds.contains("notices"),
                    List::Versions(_) => kinds.contains("regulations"),
                    List::Villages => kinds.contains("notices") || kinds.contains("regulations"),
                }
        };
        crate::render::all_lists(site)
            .into_iter()
            .filter(may_change)
            .map(|l| {
                let before = self.lists.get(&l).map(Vec::as_slice).unwrap_or(&[]);
                // Which version is current depends on the others: a village whose versions
                // changed (one gone included) is hashed anew.
                let stale = matches!(l, List::Versions(_))
                    && before.iter().any(|(k, _)| changed.contains(k));
                let known: HashMap<&str, u64> = match stale {
                    true => HashMap::new(),
                    false => before.iter().map(|(k, h)| (k.as_str(), *h)).collect(),
                };
                let lookup = |_: List, key: &str| match changed.contains(key) {
                    true => None,
                    false => known.get(key).copied(),
                };
                let items = list_items(site, l, &lookup);
                let items = items.into_iter().map(|(k, h)| (k.to_string(), h));
                (l, items.collect())
            })
            .collect()
    }

    /// The URLs of the pages that read something `changed` touched, given the lists as they are
    /// now (`lists`, from [`Deps::lists_now`]). Pages never rendered are not here: the caller
    /// renders every page it has no facts for.
    /// `pages_changed` says whether a page came, went or moved.
    pub(super) fn affected(
        &self,
        changed: &HashSet<String>,
        lists: &HashMap<List, Vec<(String, u64)>>,
        pages_changed: bool,
    ) -> HashSet<String> {
        let mut out: HashSet<String> = HashSet::new();
        for key in changed {
            if let Some(readers) = self.readers.get(key) {
                out.extend(readers.iter().cloned());
            }
        }
        let changes: HashMap<List, ListChange> = lists
            .iter()
            .filter_map(|(l, now)| {
                let before = self.lists.get(l).map(Vec::as_slice).unwrap_or(&[]);
                list_change(before, now).map(|c| (*l, c))
            })
            .collect();
        for (url, (reads, _)) in &self.pages {
            if (reads.always && !changed.is_empty()) || (reads.pages && pages_changed) {
                out.insert(url.clone());
                continue;
            }
            let touched = reads.lists.iter().any(|(l, shown)| match changes.get(l) {
                None => false,
                Some(ListChange::Length) => true,
                Some(ListChange::Items(at)) => match *shown {
                    Span::All => true,
                    Span::Range { skip, take } => {
                        at.iter().any(|i| (skip..skip + take).contains(i))
                    }
                },
            });
            if touched {
                out.insert(url.clone());
            }
        }
        out
    }

    /// Whether a page came, went or moved since the last call, which takes `pages` as the new
    /// order.
    pub(super) fn page_order_changed(&mut self, pages: &[(crate::render::Page, String)]) -> bool {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        for (_, url) in pages {
            url.hash(&mut h);
        }
        let order = h.finish();
        std::mem::replace(&mut self.page_order, order) != order
    }

    /// Takes the lists from [`Deps::lists_now`] as the ones the pages now show.
    pub(super) fn set_lists(&mut self, lists: HashMap<List, Vec<(String, u64)>>) {
        self.lists.extend(lists);
    }
}

fn list_change(before: &[(String, u64)], now: &[(String, u64)]) -> Option<ListChange> {
    if before.len() != now.len() {
        return Some(ListChange::Length);
    }
    let at: Vec<usize> = (0..now.len()).filter(|&i| before[i] != now[i]).collect();
    (!at.is_empty()).then_some(ListChange::Items(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(v: &[(&str, u64)]) -> Vec<(String, u64)> {
        v.iter().map(|(k, h)| (k.to_string(), *h)).collect()
    }

    #[test]
    fn a_list_changes_where_an_item_is_shown_differently_or_moves() {
        let before = items(&[("a", 1), ("b", 2), ("c", 3)]);
        assert!(list_change(&before, &before).is_none());
        let retitled = items(&[("a", 1), ("b", 9), ("c", 3)]);
        assert!(
            matches!(list_change(&before, &retitled), Some(ListChange::Items(at)) if at == [1])
        );
        let swapped = items(&[("a", 1), ("c", 3), ("b", 2)]);
        assert!(
            matches!(list_change(&before, &swapped), Some(ListChange::Items(at)) if at == [1, 2])
        );
        let longer = items(&[("a", 1), ("b", 2), ("c", 3), ("d", 4)]);
        assert!(matches!(
            list_change(&before, &longer),
            Some(ListChange::Length)
        ));
    }

    #[test]
    fn only_pages_showing_a_changed_stretch_are_affected() {
        let mut deps = Deps::default();
        let first = Reads {
            lists: vec![(List::Notices, Span::Range { skip: 0, take: 2 })],
            ..Reads::default()
        };
        let second = Reads {
            lists: vec![(List::Notices, Span::Range { skip: 2, take: 2 })],
            ..Reads::default()
        };
        let doc = Reads {
            docs: vec!["notices/c.md".into()],
            ..Reads::default()
        };
        deps.record("p1", first, &[]);
        deps.record("p2", second, &[]);
        deps.record("c", doc, &[]);
        deps.record(
            "links-to-c",
            Reads::default(),
            &["notices/c.md".to_string()],
        );
        let before = items(&[("a", 1), ("b", 2), ("c", 3), ("d", 4)]);
        deps.set_lists(HashMap::from([(List::Notices, before)]));
        let changed = HashSet::from(["notices/c.md".to_string()]);
        // c's text changed but not how the list shows it: its page and the page linking to it.
        let same = HashMap::from([(
            List::Notices,
            items(&[("a", 1), ("b", 2), ("c", 3), ("d", 4)]),
        )]);
        let mut got: Vec<String> = deps.affected(&changed, &same, false).into_iter().collect();
        got.sort();
        assert_eq!(got, ["c", "links-to-c"]);
        // c's title changed: the list page that shows c too, not the one that doesn't.
        let retitled = HashMap::from([(
            List::Notices,
            items(&[("a", 1), ("b", 2), ("c", 7), ("d", 4)]),
        )]);
        let mut got: Vec<String> = deps
            .affected(&changed, &retitled, false)
            .into_iter()
            .collect();
        got.sort();
        assert_eq!(got, ["c", "links-to-c", "p2"]);
        // a notice added: the length shows on every page of the list.
        let longer = HashMap::from([(
            List::Notices,
            items(&[("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5)]),
        )]);
        let got = deps.affected(&changed, &longer, false);
        assert!(got.contains("p1") && got.contains("p2"));
    }
}
