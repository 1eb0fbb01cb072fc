//! What each kind of page gives its template: one function per kind of [`Page`], so what a page
//! shows is read in one place, and `Renderer::render_unless` stays the one place that renders
//! and records what it learned.

use super::document::{render_markdown, RenderedDoc};
use super::pages::{
    list_pages, pages_of, LESSONS_ON_HOME, LESSONS_PER_PAGE, MAX_VERSIONS_LISTED, NOTICES_IN_FEED,
    NOTICES_ON_HOME, NOTICES_ON_VILLAGES, NOTICES_PER_PAGE, VERSIONS_PER_PAGE,
};
use super::views::*;
use super::{Page, Renderer, Shown};
use crate::markdown::Rendered;
use crate::model::urls;
use std::borrow::Cow;
use std::sync::Arc;

impl<'a> Renderer<'a> {
    /// Renders `page`, whose address is `url`, from its view (see [`Renderer::show`]), and
    /// gives back the document it shows, if it shows one.
    pub(super) fn render_page(
        &self,
        page: &Page,
        url: &str,
        unless: Option<&[u8; 32]>,
    ) -> (Option<Shown>, Option<RenderedDoc<'a>>) {
        let c = &self.site.config;
        // Lists and fixed pages show no document of their own.
        let shown = match *page {
            Page::Portal => {
                let page_ = self.basic("portal", Cow::Borrowed(&c.title), url);
                self.show(page, &PortalPage { page: page_ }, unless)
            }
            Page::Home(a) => self.show(page, &self.home_view(a, url), unless),
            Page::Overview(_) => self.show(page, &self.overview_view(url), unless),
            Page::LessonList { audience, page: n } => {
                self.show(page, &self.lesson_list_view(audience, n, url), unless)
            }
            Page::Villages => self.show(page, &self.villages_view(url), unless),
            Page::Village { village, page: n } => {
                self.show(page, &self.village_view(village, n, url), unless)
            }
            Page::Versions { village, page: n } => {
                self.show(page, &self.versions_view(village, n, url), unless)
            }
            Page::Search(a) => self.show(page, &self.search_view(a, url), unless),
            Page::NotFound => {
                let page_ = self.basic("404", Cow::Borrowed("页面没有找到"), url);
                self.show(page, &NotFoundPage { page: page_ }, unless)
            }
            Page::Feed => self.show(page, &self.feed_view(url), unless),
            Page::Sitemap => self.show(page, &self.sitemap_view(url), unless),
            Page::Robots => self.show(page, &self.robots_view(url), unless),
            Page::Lesson { lesson, audience } => {
                return self.lesson(page, lesson, audience, unless)
            }
            Page::Notice(i) => return self.notice(page, i, unless),
            Page::NoticePoster { notice, a3 } => {
                return self.notice_poster(page, notice, a3, unless)
            }
            Page::Regulation(i) => return self.regulation_page(page, i, unless),
            Page::RegulationPoster(i) => return self.regulation_poster(page, i, unless),
        };
        (shown, None)
    }

    /// What every page's template reads, whatever its kind: the pages below add to it.
    fn basic(&self, kind: &'static str, title: Cow<'a, str>, url: &str) -> Basic<'a> {
        Basic::new(&self.site.config, kind, title, url)
    }

    /// An audience's home: its first lessons and the newest notices, each with a way to the rest.
    fn home_view(&self, a: usize, url: &str) -> HomePage<'_> {
        let c = &self.site.config;
        let aud = &c.audiences[a];
        let mut page = self.basic("home", Cow::Borrowed(&aud.name), url);
        if !aud.description.is_empty() {
            page.description = Cow::Owned(format!("{}版：{}", aud.name, aud.description));
        }
        HomePage {
            page,
            lessons: self.lessons_for(a, 0, LESSONS_ON_HOME),
            lesson_count: self.lesson_count(a),
            lessons_url: c.href(&urls::lesson_list(&aud.id, 0)),
            notices: self.latest_notices(NOTICES_ON_HOME),
        }
    }

    /// The overview shows what `check` found per village, for this quarter.
    fn overview_view(&self, url: &str) -> OverviewPage<'_> {
        let site = self.site;
        OverviewPage {
            page: self.basic("overview", Cow::Borrowed("各村工作一览"), url),
            villages: OverviewVillage::all(site, self.findings, &self.notices, &self.notices_of),
            quarter_start: crate::check::quarter_start(site.today).chinese(),
        }
    }

    /// Page `n` of an audience's lessons: its title says which page, so each has its own.
    fn lesson_list_view(&self, audience: usize, n: usize, url: &str) -> LessonsPage<'a> {
        let c = &self.site.config;
        let a = &c.audiences[audience];
        let count = self.lesson_count(audience);
        let title = nth_page(Cow::Owned(format!("{}·课程", a.name)), n);
        let link = |p: usize| c.href(&urls::lesson_list(&a.id, p));
        LessonsPage {
            page: self.basic("lessons", title, url),
            lessons: self.lessons_for(audience, n * LESSONS_PER_PAGE, LESSONS_PER_PAGE),
            pagination: Pagination {
                lesson_count: Some(count),
                ..Pagination::new(n, list_pages(count), link)
            },
        }
    }

    /// A lesson as one audience reads it: only that audience's variant of the text is rendered.
    fn lesson(
        &self,
        page: &Page,
        lesson: usize,
        audience: usize,
        unless: Option<&[u8; 32]>,
    ) -> (Option<Shown>, Option<RenderedDoc<'a>>) {
        let site = self.site;
        let l = &site.lessons[lesson];
        let aid = site.config.audiences[audience].id.as_str();
        let (r, text) = match self.common_lesson(lesson) {
            Some(r) => (Rendered::clone(&r), Cow::Borrowed(l.doc.body.as_str())),
            None => {
                let text = l.variants.select(&l.doc.body, aid);
                (
                    render_markdown(site, &text, Some(aid), false),
                    Cow::Owned(text),
                )
            }
        };
        let doc = RenderedDoc::new(r, text, &l.doc.file, l.doc.body_line);
        let view = LessonPage::new(site, l, aid, Body::new(&doc.rendered));
        (self.show(page, &view, unless), Some(doc))
    }

    /// The villages' page leads with the newest notices of all villages.
    fn villages_view(&self, url: &str) -> VillagesPage<'_> {
        VillagesPage {
            page: self.basic("villages", Cow::Borrowed("村务公开"), url),
            notices: self.latest_notices(NOTICES_ON_VILLAGES),
        }
    }

    /// Page `n` of a village's notices, with its regulations (a link to all versions only when
    /// there are more than the page lists).
    fn village_view(&self, i: usize, n: usize, url: &str) -> VillagePage<'_> {
        let (site, c) = (self.site, &self.site.config);
        let village = &c.villages[i];
        let mut page = self.basic("village", nth_page(Cow::Borrowed(&village.name), n), url);
        if !village.description.is_empty() {
            page.description = Cow::Owned(format!("{}：{}", village.name, village.description));
        }
        let notices = &self.notices_of[i];
        let shown = notices
            .iter()
            .skip(n * NOTICES_PER_PAGE)
            .take(NOTICES_PER_PAGE)
            .map(|&k| &self.notices[k]);
        let link = |p: usize| c.href(&urls::village_page(&village.id, p));
        let all = site.regulations_of(&village.id);
        VillagePage {
            page,
            village: &self.villages[i],
            notices: shown.collect(),
            pagination: Pagination {
                notice_count: Some(notices.len()),
                ..Pagination::new(n, pages_of(notices.len(), NOTICES_PER_PAGE), link)
            },
            regulations: self.versions(&village.id, 0, MAX_VERSIONS_LISTED),
            version_count: all.len(),
            versions_url: (all.len() > MAX_VERSIONS_LISTED)
                .then(|| c.href(&urls::regulation_versions(&village.id, 0))),
        }
    }

    /// Summaries of a village's regulation versions, newest first, `skip` and `take` applied
    /// first.
    fn versions(&self, village: &str, skip: usize, take: usize) -> Vec<RegulationSummary<'a>> {
        let site = self.site;
        let all = site.regulations_of(village).iter().skip(skip).take(take);
        all.map(|r| RegulationSummary::new(site, r)).collect()
    }

    /// Page `n` of every version of a village's regulation, newest first.
    fn versions_view(&self, i: usize, n: usize, url: &str) -> VersionsPage<'_> {
        let (site, c) = (self.site, &self.site.config);
        let village = &c.villages[i];
        let all = site.regulations_of(&village.id);
        let kind = village.kind.regulation_name();
        let title = nth_page(Cow::Owned(format!("{}{kind}的全部版本", village.name)), n);
        let link = |p: usize| c.href(&urls::regulation_versions(&village.id, p));
        VersionsPage {
            page: self.basic("versions", title, url),
            village: &self.villages[i],
            versions: self.versions(&village.id, n * VERSIONS_PER_PAGE, VERSIONS_PER_PAGE),
            pagination: Pagination {
                version_count: Some(all.len()),
                ..Pagination::new(n, pages_of(all.len(), VERSIONS_PER_PAGE), link)
            },
        }
    }

    /// A notice's own page: its whole text.
    fn notice(
        &self,
        page: &Page,
        i: usize,
        unless: Option<&[u8; 32]>,
    ) -> (Option<Shown>, Option<RenderedDoc<'a>>) {
        let site = self.site;
        let n = &site.notices[i];
        let r = render_markdown(site, &n.doc.body, None, false);
        let doc = RenderedDoc::new(r, Cow::Borrowed(&n.doc.body), &n.doc.file, n.doc.body_line);
        let view = NoticePage::new(site, n, &self.notices[i], Body::new(&doc.rendered));
        (self.show(page, &view, unless), Some(doc))
    }

    /// A notice's poster prints only the part of the text meant for the board, laid out to fit
    /// the sheet, with the QR code of the notice's page.
    fn notice_poster(
        &self,
        page: &Page,
        i: usize,
        a3: bool,
        unless: Option<&[u8; 32]>,
    ) -> (Option<Shown>, Option<RenderedDoc<'a>>) {
        let site = self.site;
        let n = &site.notices[i];
        let sheet = Page::sheet(a3);
        let fit = crate::poster::choose(site, n, sheet);
        let body = crate::poster::text::poster_body(&n.doc.body).text;
        let r = render_markdown(site, body, None, false);
        let doc = RenderedDoc::new(r, Cow::Borrowed(&n.doc.body), &n.doc.file, n.doc.body_line);
        let notice = NoticePage::new(site, n, &self.notices[i], Body::new(&doc.rendered));
        let view = NoticePosterPage::new(site, n, notice, sheet, &fit, self.notice_qr(i));
        (self.show(page, &view, unless), Some(doc))
    }

    /// A regulation's body as its page and its poster show it, rendered once for both.
    fn regulation_doc(&self, i: usize, rendered: &Rendered) -> RenderedDoc<'a> {
        let doc = &self.site.regulations[i].doc;
        let rendered = rendered.clone();
        RenderedDoc::new(rendered, Cow::Borrowed(&doc.body), &doc.file, doc.body_line)
    }

    /// A regulation's page, compared with the village's previous version when there is one
    /// (`previous`, its body); its poster prints the text only (the comparison stays online).
    fn regulation_view<'s>(
        &'s self,
        i: usize,
        rendered: &'s Rendered,
        previous: Option<&'s Rendered>,
    ) -> RegulationPage<'s> {
        let site = self.site;
        let r = &site.regulations[i];
        let previous = previous.map(|p| (site.regulations[i + 1].as_ref(), p.articles.as_slice()));
        RegulationPage::new(site, r, &rendered.articles, previous, Body::new(rendered))
    }

    /// The village's previous version's body, when there is one: versions of a village are next
    /// to each other, newest first.
    fn previous_regulation(&self, i: usize) -> Option<Arc<Rendered>> {
        let regs = &self.site.regulations;
        let village = &regs[i].doc.front.village;
        let previous = regs.get(i + 1).filter(|p| p.doc.front.village == *village);
        previous.map(|_| self.regulation(i + 1))
    }

    fn regulation_page(
        &self,
        page: &Page,
        i: usize,
        unless: Option<&[u8; 32]>,
    ) -> (Option<Shown>, Option<RenderedDoc<'a>>) {
        let rendered = self.regulation(i);
        let previous = self.previous_regulation(i);
        let view = self.regulation_view(i, &rendered, previous.as_deref());
        let shown = self.show(page, &view, unless);
        // Only the page that is rendered needs its own copy of the 条 and links.
        let doc = shown.is_some().then(|| self.regulation_doc(i, &rendered));
        (shown, doc)
    }

    fn regulation_poster(
        &self,
        page: &Page,
        i: usize,
        unless: Option<&[u8; 32]>,
    ) -> (Option<Shown>, Option<RenderedDoc<'a>>) {
        let site = self.site;
        let rendered = self.regulation(i);
        let view = self.regulation_view(i, &rendered, None);
        let view = RegulationPosterPage::new(site, &site.regulations[i], view);
        let shown = self.show(page, &view, unless);
        let doc = shown.is_some().then(|| self.regulation_doc(i, &rendered));
        (shown, doc)
    }

    /// An audience's search page works without JavaScript as a list of lessons; the script reads
    /// the index's data from the page.
    fn search_view(&self, a: usize, url: &str) -> SearchPage<'_> {
        let c = &self.site.config;
        let aud = &c.audiences[a];
        let mut page = self.basic("search", Cow::Borrowed("搜索"), url);
        page.description = Cow::Owned(format!("在{}版里搜索课程、村务公开和村规民约", aud.name));
        SearchPage {
            page,
            lessons: self.lessons_for(a, 0, LESSONS_PER_PAGE),
            lesson_count: self.lesson_count(a),
            lessons_url: c.href(&urls::lesson_list(&aud.id, 0)),
            index_url: c.href(urls::SEARCH_INDEX),
            root: c.href(""),
            index: self.search.get(a).map_or("null", String::as_str),
        }
    }

    /// The feed: the newest notices, updated when the newest of them was (today when none).
    fn feed_view(&self, url: &str) -> FeedPage<'_> {
        let site = self.site;
        FeedPage {
            page: self.basic("feed", Cow::Borrowed(&site.config.title), url),
            notices: self.latest_notices(NOTICES_IN_FEED),
            updated: site
                .notices
                .first()
                .map_or(site.today, |n| n.updated(site.today))
                .to_string(),
        }
    }

    /// The sitemap lists every HTML page by its full address.
    fn sitemap_view(&self, url: &str) -> SitemapPage<'a> {
        let site = self.site;
        SitemapPage {
            page: self.basic("sitemap", Cow::Borrowed(""), url),
            urls: Page::all(site)
                .iter()
                .filter(|p| p.is_html_page())
                .map(|p| site.config.permalink(&p.url(site)))
                .collect(),
        }
    }

    /// robots.txt points crawlers to the sitemap.
    fn robots_view(&self, url: &str) -> RobotsPage<'a> {
        RobotsPage {
            page: self.basic("robots", Cow::Borrowed(""), url),
            sitemap: self.site.config.permalink("sitemap.xml"),
        }
    }
}
