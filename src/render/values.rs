//! What each kind of page gives its template: one function per kind of [`Page`], so what a page
//! shows is read in one place, and `Renderer::render_unless` stays the one place that renders
//! and records what it learned.

use super::document::{render_markdown, RenderedDoc};
use super::pages::{
    list_pages, pages_of, pagination, LESSONS_ON_HOME, LESSONS_PER_PAGE, MAX_VERSIONS_LISTED,
    NOTICES_IN_FEED, NOTICES_ON_HOME, NOTICES_ON_VILLAGES, NOTICES_PER_PAGE, VERSIONS_PER_PAGE,
};
use super::{data, poster, Page, Renderer};
use crate::model::urls;
use serde_json::{json, Value};
use std::borrow::Cow;

/// A page's template, the values it reads, and the document the page shows (if it shows one).
pub(super) type PageValues<'a> = (&'static str, Value, Option<RenderedDoc<'a>>);

impl<'a> Renderer<'a> {
    /// The template, values and document of `page`, whose address is `url`.
    pub(super) fn page_values(&self, page: &Page, url: &str) -> PageValues<'a> {
        let c = &self.site.config;
        // Lists and fixed pages show no document of their own.
        let list =
            |template: &'static str, value: Value| -> PageValues<'a> { (template, value, None) };
        match *page {
            Page::Portal => list("portal.html", self.basic("portal", &c.title, url)),
            Page::Home(a) => list("home.html", self.home_values(a, url)),
            Page::Overview(_) => list("overview.html", self.overview_values(url)),
            Page::LessonList { audience, page: n } => {
                list("lessons.html", self.lesson_list_values(audience, n, url))
            }
            Page::Lesson { lesson, audience } => self.lesson_values(lesson, audience),
            Page::Villages => list("villages.html", self.villages_values(url)),
            Page::Village { village, page: n } => {
                list("village.html", self.village_values(village, n, url))
            }
            Page::Versions { village, page: n } => {
                list("versions.html", self.versions_values(village, n, url))
            }
            Page::Notice(i) => self.notice_values(i),
            Page::NoticePoster { notice, a3 } => self.notice_poster_values(notice, a3),
            Page::RegulationPoster(i) => self.regulation_poster_values(i),
            Page::Regulation(i) => self.regulation_values(i),
            Page::Search(a) => list("search.html", self.search_values(a, url)),
            Page::NotFound => list("404.html", self.basic("404", "页面没有找到", url)),
            Page::Feed => list("feed.xml", self.feed_values(url)),
            Page::Sitemap => list("sitemap.xml", self.sitemap_values(url)),
            Page::Robots => list("robots.txt", self.robots_values(url)),
        }
    }

    /// What every page's template reads, whatever its kind: the pages below add to it.
    fn basic(&self, kind: &str, title: &str, url: &str) -> Value {
        let c = &self.site.config;
        json!({
            "kind": kind, "title": title, "description": c.description,
            "url": c.href(url), "permalink": c.permalink(url),
        })
    }

    /// An audience's home: its first lessons and the newest notices, each with a way to the rest.
    fn home_values(&self, a: usize, url: &str) -> Value {
        let c = &self.site.config;
        let aud = &c.audiences[a];
        let mut v = self.basic("home", &aud.name, url);
        if !aud.description.is_empty() {
            v["description"] = json!(format!("{}版：{}", aud.name, aud.description));
        }
        v["lessons"] = Value::Array(self.lessons_for(a, 0, LESSONS_ON_HOME));
        v["lesson_count"] = json!(self.lesson_count(a));
        v["lessons_url"] = json!(c.href(&urls::lesson_list(&aud.id, 0)));
        v["notices"] = self.latest_notices(NOTICES_ON_HOME);
        v
    }

    /// The overview shows what `check` found per village, for this quarter.
    fn overview_values(&self, url: &str) -> Value {
        let site = self.site;
        let mut v = self.basic("overview", "各村工作一览", url);
        v["villages"] = data::overview(site, self.findings);
        v["quarter_start"] = json!(crate::check::quarter_start(site.today).chinese());
        v
    }

    /// Page `n` of an audience's lessons: its title says which page, so each has its own.
    fn lesson_list_values(&self, audience: usize, n: usize, url: &str) -> Value {
        let c = &self.site.config;
        let a = &c.audiences[audience];
        let count = self.lesson_count(audience);
        let title = if n == 0 {
            format!("{}·课程", a.name)
        } else {
            format!("{}·课程（第 {} 页）", a.name, n + 1)
        };
        let mut v = self.basic("lessons", &title, url);
        let skip = n * LESSONS_PER_PAGE;
        v["lessons"] = Value::Array(self.lessons_for(audience, skip, LESSONS_PER_PAGE));
        let link = |p: usize| json!(c.href(&urls::lesson_list(&a.id, p)));
        v["pagination"] = pagination(n, list_pages(count), link);
        v["pagination"]["lesson_count"] = json!(count);
        v
    }

    /// A lesson as one audience reads it: only that audience's variant of the text is rendered.
    fn lesson_values(&self, lesson: usize, audience: usize) -> PageValues<'a> {
        let site = self.site;
        let l = &site.lessons[lesson];
        let aid = site.config.audiences[audience].id.as_str();
        let text = l.variants.select(&l.doc.body, aid);
        let r = render_markdown(site, &text, Some(aid), false);
        let doc = RenderedDoc::new(r, Cow::Owned(text), &l.doc.file, l.doc.body_line);
        ("lesson.html", data::lesson_page(site, l, aid), Some(doc))
    }

    /// The villages' page leads with the newest notices of all villages.
    fn villages_values(&self, url: &str) -> Value {
        let mut v = self.basic("villages", "村务公开", url);
        v["notices"] = self.latest_notices(NOTICES_ON_VILLAGES);
        v
    }

    /// Page `n` of a village's notices, with its regulations (a link to all versions only when
    /// there are more than the page lists).
    fn village_values(&self, i: usize, n: usize, url: &str) -> Value {
        let (site, c) = (self.site, &self.site.config);
        let village = &c.villages[i];
        let mut v = self.basic("village", &data::nth_page(&village.name, n), url);
        if !village.description.is_empty() {
            v["description"] = json!(format!("{}：{}", village.name, village.description));
        }
        v["village"] = self.site_value["villages"][i].clone();
        let notices = &self.notices_of[i];
        let shown = notices
            .iter()
            .skip(n * NOTICES_PER_PAGE)
            .take(NOTICES_PER_PAGE)
            .map(|&k| self.notices[k].clone());
        v["notices"] = Value::Array(shown.collect());
        let link = |p: usize| json!(c.href(&urls::village_page(&village.id, p)));
        v["pagination"] = pagination(n, pages_of(notices.len(), NOTICES_PER_PAGE), link);
        v["pagination"]["notice_count"] = json!(notices.len());
        let all = site.regulations_of(&village.id);
        v["regulations"] = data::versions(site, &village.id, 0, MAX_VERSIONS_LISTED);
        v["version_count"] = json!(all.len());
        if all.len() > MAX_VERSIONS_LISTED {
            v["versions_url"] = json!(c.href(&urls::regulation_versions(&village.id, 0)));
        }
        v
    }

    /// Page `n` of every version of a village's regulation, newest first.
    fn versions_values(&self, i: usize, n: usize, url: &str) -> Value {
        let (site, c) = (self.site, &self.site.config);
        let village = &c.villages[i];
        let all = site.regulations_of(&village.id);
        let kind = village.kind.regulation_name();
        let title = format!("{}{kind}的全部版本", village.name);
        let mut v = self.basic("versions", &data::nth_page(&title, n), url);
        v["village"] = self.site_value["villages"][i].clone();
        let skip = n * VERSIONS_PER_PAGE;
        v["versions"] = data::versions(site, &village.id, skip, VERSIONS_PER_PAGE);
        let link = |p: usize| json!(c.href(&urls::regulation_versions(&village.id, p)));
        v["pagination"] = pagination(n, pages_of(all.len(), VERSIONS_PER_PAGE), link);
        v["pagination"]["version_count"] = json!(all.len());
        v
    }

    /// A notice's own page: its whole text.
    fn notice_values(&self, i: usize) -> PageValues<'a> {
        let site = self.site;
        let n = &site.notices[i];
        let r = render_markdown(site, &n.doc.body, None, false);
        let doc = RenderedDoc::new(r, Cow::Borrowed(&n.doc.body), &n.doc.file, n.doc.body_line);
        ("notice.html", data::notice_page(site, n), Some(doc))
    }

    /// A notice's poster prints only the part of the text meant for the board, laid out to fit
    /// the sheet, with the QR code of the notice's page.
    fn notice_poster_values(&self, notice: usize, a3: bool) -> PageValues<'a> {
        let site = self.site;
        let n = &site.notices[notice];
        let sheet = Page::sheet(a3);
        let fit = crate::poster::choose(site, n, sheet);
        let body = crate::poster::text::poster_body(&n.doc.body).text;
        let r = render_markdown(site, body, None, false);
        let v = poster::notice_poster(site, n, sheet, &fit, self.notice_qr(notice));
        let doc = RenderedDoc::new(r, Cow::Borrowed(&n.doc.body), &n.doc.file, n.doc.body_line);
        ("poster.html", v, Some(doc))
    }

    /// A regulation's body as its page and its poster show it, rendered once for both.
    fn regulation_doc(&self, i: usize) -> RenderedDoc<'a> {
        let doc = &self.site.regulations[i].doc;
        let rendered = self.regulation(i).clone();
        RenderedDoc::new(rendered, Cow::Borrowed(&doc.body), &doc.file, doc.body_line)
    }

    /// A regulation's poster prints the text only; the comparison with the previous version
    /// stays online.
    fn regulation_poster_values(&self, i: usize) -> PageValues<'a> {
        let site = self.site;
        let r = &site.regulations[i];
        let doc = self.regulation_doc(i);
        let v = data::regulation_page(site, r, &doc.rendered.articles, None);
        let v = poster::regulation_poster(site, r, v);
        ("poster-regulation.html", v, Some(doc))
    }

    /// A regulation's page, compared with the village's previous version when there is one.
    fn regulation_values(&self, i: usize) -> PageValues<'a> {
        let site = self.site;
        let r = &site.regulations[i];
        let doc = self.regulation_doc(i);
        // Versions of a village are next to each other, newest first.
        let previous = site
            .regulations
            .get(i + 1)
            .filter(|p| p.doc.front.village == r.doc.front.village)
            .map(|p| (p.as_ref(), self.regulation(i + 1).articles.as_slice()));
        let v = data::regulation_page(site, r, &doc.rendered.articles, previous);
        ("regulation.html", v, Some(doc))
    }

    /// An audience's search page works without JavaScript as a list of lessons; the script reads
    /// the index's data from the page.
    fn search_values(&self, a: usize, url: &str) -> Value {
        let c = &self.site.config;
        let aud = &c.audiences[a];
        let mut v = self.basic("search", "搜索", url);
        v["description"] = json!(format!("在{}版里搜索课程、村务公开和村规民约", aud.name));
        v["lessons"] = Value::Array(self.lessons_for(a, 0, LESSONS_PER_PAGE));
        v["lesson_count"] = json!(self.lesson_count(a));
        v["lessons_url"] = json!(c.href(&urls::lesson_list(&aud.id, 0)));
        v["index_url"] = json!(c.href(urls::SEARCH_INDEX));
        v["root"] = json!(c.href(""));
        let index = self.search.get(a).cloned().unwrap_or(Value::Null);
        v["index"] = json!(index.to_string());
        v
    }

    /// The feed: the newest notices, updated when the newest of them was (today when none).
    fn feed_values(&self, url: &str) -> Value {
        let site = self.site;
        let mut v = self.basic("feed", &site.config.title, url);
        v["notices"] = self.latest_notices(NOTICES_IN_FEED);
        v["updated"] = json!(site
            .notices
            .first()
            .map(|n| n.updated(site.today).to_string())
            .unwrap_or_else(|| site.today.to_string()));
        v
    }

    /// The sitemap lists every HTML page by its full address.
    fn sitemap_values(&self, url: &str) -> Value {
        let site = self.site;
        let urls: Vec<String> = Page::all(site)
            .iter()
            .filter(|p| p.is_html_page())
            .map(|p| site.config.permalink(&p.url(site)))
            .collect();
        let mut v = self.basic("sitemap", "", url);
        v["urls"] = Value::from(urls);
        v
    }

    /// robots.txt points crawlers to the sitemap.
    fn robots_values(&self, url: &str) -> Value {
        let mut v = self.basic("robots", "", url);
        v["sitemap"] = json!(self.site.config.permalink("sitemap.xml"));
        v
    }
}
