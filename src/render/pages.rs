//! Every file of the site as a [`Page`]: the list of pages, and each page's URL.

use crate::model::{urls, Site};

/// One output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
    Portal,
    Home(usize),
    /// One page of an audience's lesson list (`page` counts from 0).
    LessonList {
        audience: usize,
        page: usize,
    },
    /// The leaders' overview of every village, for audiences with `overview: true`.
    Overview(usize),
    /// An audience's search page; rendered after the search index is built.
    Search(usize),
    Lesson {
        lesson: usize,
        audience: usize,
    },
    Villages,
    /// One page of a village's page (`page` counts from 0): the village, its regulation, and a
    /// page of its notices.
    Village {
        village: usize,
        page: usize,
    },
    /// One page of the list of a village's regulation versions, when there are more than a
    /// regulation page lists.
    Versions {
        village: usize,
        page: usize,
    },
    Notice(usize),
    /// A notice set for print on one sheet: A3 for the board, or A4.
    NoticePoster {
        notice: usize,
        a3: bool,
    },
    Regulation(usize),
    /// A regulation set for print on A4 (as many sheets as it takes).
    RegulationPoster(usize),
    NotFound,
    Feed,
    Sitemap,
    Robots,
}

impl Page {
    /// Every page of the site, in a stable order.
    pub fn all(site: &Site) -> Vec<Page> {
        let audiences = &site.config.audiences;
        let mut pages = vec![Page::Portal];
        for (a, aud) in audiences.iter().enumerate() {
            pages.push(Page::Home(a));
            let n = site.lessons.iter().filter(|l| l.is_for(&aud.id)).count();
            for page in 0..list_pages(n) {
                pages.push(Page::LessonList { audience: a, page });
            }
            if aud.overview {
                pages.push(Page::Overview(a));
            }
            if site.config.search {
                pages.push(Page::Search(a));
            }
        }
        for (i, l) in site.lessons.iter().enumerate() {
            for (a, aud) in audiences.iter().enumerate() {
                if l.is_for(&aud.id) {
                    pages.push(Page::Lesson {
                        lesson: i,
                        audience: a,
                    });
                }
            }
        }
        pages.push(Page::Villages);
        for (village, v) in site.config.villages.iter().enumerate() {
            let notices = site.notices.iter().filter(|n| n.doc.front.village == v.id);
            for page in 0..pages_of(notices.count(), NOTICES_PER_PAGE) {
                pages.push(Page::Village { village, page });
            }
            let versions = site.regulations_of(&v.id).len();
            if versions > MAX_VERSIONS_LISTED {
                for page in 0..pages_of(versions, VERSIONS_PER_PAGE) {
                    pages.push(Page::Versions { village, page });
                }
            }
        }
        pages.extend((0..site.notices.len()).map(Page::Notice));
        let posters = site.config.posters;
        for notice in (0..site.notices.len()).filter(|_| posters) {
            for a3 in [true, false] {
                pages.push(Page::NoticePoster { notice, a3 });
            }
        }
        pages.extend((0..site.regulations.len()).map(Page::Regulation));
        if posters {
            pages.extend((0..site.regulations.len()).map(Page::RegulationPoster));
        }
        pages.extend([Page::NotFound, Page::Feed, Page::Sitemap, Page::Robots]);
        pages
    }

    /// Site-relative URL (`qunzhong/lessons/x/`, `feed.xml`).
    pub fn url(&self, site: &Site) -> String {
        let aud = |a: usize| site.config.audiences[a].id.as_str();
        match *self {
            Page::Portal => String::new(),
            Page::Home(a) => urls::audience_home(aud(a)),
            Page::LessonList { audience, page } => urls::lesson_list(aud(audience), page),
            Page::Overview(a) => urls::overview(aud(a)),
            Page::Search(a) => urls::search(aud(a)),
            Page::Lesson { lesson, audience } => site.lessons[lesson].url(aud(audience)),
            Page::Villages => urls::villages(),
            Page::Village { village, page } => {
                urls::village_page(&site.config.villages[village].id, page)
            }
            Page::Versions { village, page } => {
                urls::regulation_versions(&site.config.villages[village].id, page)
            }
            Page::Notice(n) => site.notices[n].url(),
            Page::NoticePoster { notice, a3 } => {
                Self::sheet(a3).notice_url(&site.notices[notice].url())
            }
            Page::Regulation(r) => site.regulations[r].url(),
            Page::RegulationPoster(r) => urls::regulation_poster(&site.regulations[r].url()),
            Page::NotFound => "404.html".into(),
            Page::Feed => "feed.xml".into(),
            Page::Sitemap => "sitemap.xml".into(),
            Page::Robots => "robots.txt".into(),
        }
    }

    pub fn audience(&self) -> Option<usize> {
        match *self {
            Page::Home(a)
            | Page::LessonList { audience: a, .. }
            | Page::Overview(a)
            | Page::Search(a) => Some(a),
            Page::Lesson { audience, .. } => Some(audience),
            _ => None,
        }
    }

    /// Pages that show one document; all others list or summarise many and are rendered again
    /// after any change.
    pub fn is_document(&self) -> bool {
        matches!(
            self,
            Page::Lesson { .. }
                | Page::Notice(_)
                | Page::NoticePoster { .. }
                | Page::Regulation(_)
                | Page::RegulationPoster(_)
        )
    }

    /// Pages whose template gets `site.villages` (each village's current regulation and notice
    /// count); the others get `site` without it.
    pub fn shows_villages(&self) -> bool {
        matches!(
            self,
            Page::Portal
                | Page::Home(_)
                | Page::Overview(_)
                | Page::Villages
                | Page::Village { .. }
                | Page::Versions { .. }
                | Page::NotFound
        )
    }

    /// Print views: posters for the 村务公开栏.
    pub fn is_poster(&self) -> bool {
        matches!(self, Page::NoticePoster { .. } | Page::RegulationPoster(_))
    }

    /// Whether the page belongs in the sitemap: not the print views, which are copies of a
    /// page that is in it, nor the search pages, which show nothing of their own.
    pub(super) fn is_html_page(&self) -> bool {
        !self.is_poster()
            && !matches!(
                self,
                Page::NotFound | Page::Feed | Page::Sitemap | Page::Robots | Page::Search(_)
            )
    }

    pub(super) fn sheet(a3: bool) -> crate::poster::Sheet {
        if a3 {
            crate::poster::Sheet::A3
        } else {
            crate::poster::Sheet::A4
        }
    }
}

/// Lessons on one page of a lesson list, and on an audience's home.
pub const LESSONS_PER_PAGE: usize = 30;
pub(super) const LESSONS_ON_HOME: usize = 10;
pub(super) const NOTICES_ON_HOME: usize = 8;
pub(super) const NOTICES_ON_VILLAGES: usize = 20;
pub(super) const NOTICES_IN_FEED: usize = 50;

/// Notices on one page of a village's page.
pub const NOTICES_PER_PAGE: usize = 30;
/// Versions on one page of a village's list of regulation versions.
pub const VERSIONS_PER_PAGE: usize = 50;
/// Versions listed on a regulation page and on the village's page; with more, the village gets
/// a list of all of them.
pub const MAX_VERSIONS_LISTED: usize = 10;

pub(super) fn list_pages(lessons: usize) -> usize {
    pages_of(lessons, LESSONS_PER_PAGE)
}

/// Pages a list of `n` items takes at `per_page` a page; an empty list still has its page.
pub(super) fn pages_of(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page).max(1)
}
