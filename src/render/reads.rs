//! What each page reads of the site, so that after an edit `serve` re-renders exactly the pages
//! whose inputs changed: a page's own document, the documents it links to, and the parts of the
//! site's lists it shows. A list page names the list and the stretch of it on the page; it is
//! rendered again only when an item in that stretch is shown differently (title, date, status,
//! order…) or the list's length changed (counts and pagination show it).
//!
//! The reads of a page are declared next to the values it is given (`values.rs`): a read left
//! out here would show as a page the incremental build forgets to update, which the
//! incremental-equals-full test catches.

use super::pages::{
    Page, LESSONS_ON_HOME, LESSONS_PER_PAGE, MAX_VERSIONS_LISTED, NOTICES_IN_FEED, NOTICES_ON_HOME,
    NOTICES_ON_VILLAGES, NOTICES_PER_PAGE, VERSIONS_PER_PAGE,
};
use super::views::{self, LessonSummary, NoticeSummary, RegulationSummary, VillageView};
use crate::model::Site;

/// A list of documents the site shows in pieces, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum List {
    /// An audience's lessons (by the audience's index).
    Lessons(usize),
    /// Every notice, newest first.
    Notices,
    /// One village's notices (by the village's index).
    VillageNotices(usize),
    /// One village's regulation versions, newest first.
    Versions(usize),
    /// What `site.villages` says of each village (its current regulation, its notice count).
    Villages,
}

/// Which items of a list a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// Items `skip..skip + take`, and the list's length.
    Range { skip: usize, take: usize },
    /// Every item.
    All,
}

/// What one page read to be rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads {
    /// Sources whose documents the page shows (its own; a regulation's previous version).
    pub docs: Vec<String>,
    /// Stretches of lists the page shows.
    pub lists: Vec<(List, Span)>,
    /// Whatever changes, the page is rendered again (the overview summarises each village's
    /// notices, regulations and the checks' findings).
    pub always: bool,
    /// The address of every page, in order (the sitemap): rendered again when a page comes,
    /// goes or moves.
    pub pages: bool,
}

impl Reads {
    fn list(mut self, list: List, skip: usize, take: usize) -> Reads {
        self.lists.push((list, Span::Range { skip, take }));
        self
    }

    fn villages(mut self) -> Reads {
        self.lists.push((List::Villages, Span::All));
        self
    }

    fn doc(mut self, key: &str) -> Reads {
        self.docs.push(key.to_string());
        self
    }
}

impl Page {
    /// What the page reads, besides site.yaml and the templates (a change to those rebuilds
    /// everything) and the sources it links to with `@/` (recorded while rendering, in
    /// [`super::PageFacts::links`]).
    pub fn reads(&self, site: &Site) -> Reads {
        // The base context of these pages carries `site.villages`, whatever else they show.
        let none = match self.shows_villages() {
            true => Reads::default().villages(),
            false => Reads::default(),
        };
        match *self {
            Page::Portal | Page::NotFound => none,
            Page::Home(a) => none.list(List::Lessons(a), 0, LESSONS_ON_HOME).list(
                List::Notices,
                0,
                NOTICES_ON_HOME,
            ),
            Page::LessonList { audience, page } => none.list(
                List::Lessons(audience),
                page * LESSONS_PER_PAGE,
                LESSONS_PER_PAGE,
            ),
            Page::Search(a) => none.list(List::Lessons(a), 0, LESSONS_PER_PAGE),
            Page::Overview(_) => Reads {
                always: true,
                ..none
            },
            Page::Sitemap => Reads {
                pages: true,
                ..none
            },
            Page::Lesson { lesson, .. } => none.doc(&site.lessons[lesson].doc.key),
            Page::Villages => none.list(List::Notices, 0, NOTICES_ON_VILLAGES),
            Page::Village { village, page } => none
                .list(
                    List::VillageNotices(village),
                    page * NOTICES_PER_PAGE,
                    NOTICES_PER_PAGE,
                )
                .list(List::Versions(village), 0, MAX_VERSIONS_LISTED),
            Page::Versions { village, page } => none.list(
                List::Versions(village),
                page * VERSIONS_PER_PAGE,
                VERSIONS_PER_PAGE,
            ),
            Page::Notice(i) | Page::NoticePoster { notice: i, .. } => {
                none.doc(&site.notices[i].doc.key)
            }
            Page::Regulation(i) | Page::RegulationPoster(i) => {
                let r = &site.regulations[i];
                let mut reads = none.doc(&r.doc.key);
                // Versions are next to each other, newest first: the page compares its text
                // with the next one's.
                let previous = site.regulations.get(i + 1);
                if let Some(p) = previous.filter(|p| p.doc.front.village == r.doc.front.village) {
                    reads = reads.doc(&p.doc.key);
                }
                let villages = &site.config.villages;
                match villages.iter().position(|v| v.id == r.doc.front.village) {
                    Some(v) => reads.list(List::Versions(v), 0, MAX_VERSIONS_LISTED),
                    None => reads,
                }
            }
            Page::Feed => none.list(List::Notices, 0, NOTICES_IN_FEED),
            Page::Robots => none,
        }
    }
}

/// The items of `list` in `site`, each as its source's key and a hash of how the list shows
/// it: two sites whose lists agree here show the same list pages. `known` gives the hash of an
/// item that has not changed since it was last computed (a lesson's or notice's summary reads
/// only its own document); regulation versions and villages are hashed anew, as they depend on
/// each other.
pub fn list_items<'s>(
    site: &'s Site,
    list: List,
    known: &dyn Fn(List, &str) -> Option<u64>,
) -> Vec<(&'s str, u64)> {
    let c = &site.config;
    let lessons = |a: usize| {
        let aud = c.audiences[a].id.as_str();
        let of = site.lessons.iter().filter(move |l| l.is_for(aud));
        of.map(move |l| {
            let key = l.doc.key.as_str();
            let h = known(list, key).unwrap_or_else(|| hash(&LessonSummary::new(site, l, aud)));
            (key, h)
        })
        .collect()
    };
    let notices = |village: Option<&str>| {
        let of = site.notices.iter();
        of.filter(|n| village.is_none_or(|v| n.doc.front.village == v))
            .map(|n| {
                let key = n.doc.key.as_str();
                let h = known(list, key).unwrap_or_else(|| hash(&NoticeSummary::new(site, n)));
                (key, h)
            })
            .collect()
    };
    match list {
        List::Lessons(a) => lessons(a),
        List::Notices => notices(None),
        List::VillageNotices(v) => notices(Some(c.villages[v].id.as_str())),
        List::Versions(v) => {
            // A version's summary says whether it is the current one, which the others decide:
            // one changed version hashes the village's list anew.
            let versions = site.regulations_of(&c.villages[v].id);
            let known: Option<Vec<u64>> =
                versions.iter().map(|r| known(list, &r.doc.key)).collect();
            let fresh = || {
                versions
                    .iter()
                    .map(|r| hash(&RegulationSummary::new(site, r)))
            };
            let hashes: Vec<u64> = known.unwrap_or_else(|| fresh().collect());
            versions
                .iter()
                .map(|r| r.doc.key.as_str())
                .zip(hashes)
                .collect()
        }
        List::Villages => vec![("", hash(&VillageView::all(site)))],
    }
}

/// A short hash of how a view serialises: what a template would be given.
fn hash(view: &impl serde::Serialize) -> u64 {
    let mut h = blake3::Hasher::new();
    views::hash_into(&mut h, view);
    let bytes = h.finalize();
    u64::from_le_bytes(bytes.as_bytes()[..8].try_into().unwrap_or_default())
}

/// Every list the site has.
pub fn all_lists(site: &Site) -> Vec<List> {
    let c = &site.config;
    let mut lists: Vec<List> = (0..c.audiences.len()).map(List::Lessons).collect();
    lists.push(List::Notices);
    for v in 0..c.villages.len() {
        lists.push(List::VillageNotices(v));
        lists.push(List::Versions(v));
    }
    lists.push(List::Villages);
    lists
}
