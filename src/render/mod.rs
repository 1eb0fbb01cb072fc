//! Stage 4, render: every page of the site as a [`Page`], rendered from the immutable [`Site`]
//! through Markdown and tera. Pages are independent, so they render in parallel, and a subset can
//! be re-rendered after an edit.

pub mod data;
pub mod diff;
pub mod templates;

use crate::diagnostics::{Diagnostic, LineIndex};
use crate::markdown::{self, AnchorRef, Rendered};
use crate::model::{DocId, Site};
use crate::output::Assets;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use templates::Templates;
use tera::Context;

/// One output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
    Portal,
    Home(usize),
    LessonList(usize),
    /// The leaders' overview of every village, for audiences with `overview: true`.
    Overview(usize),
    Lesson {
        lesson: usize,
        audience: usize,
    },
    Villages,
    Village(usize),
    Notice(usize),
    Regulation(usize),
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
            pages.push(Page::LessonList(a));
            if aud.overview {
                pages.push(Page::Overview(a));
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
        pages.extend((0..site.config.villages.len()).map(Page::Village));
        pages.extend((0..site.notices.len()).map(Page::Notice));
        pages.extend((0..site.regulations.len()).map(Page::Regulation));
        pages.extend([Page::NotFound, Page::Feed, Page::Sitemap, Page::Robots]);
        pages
    }

    /// Site-relative URL (`qunzhong/lessons/x/`, `feed.xml`).
    pub fn url(&self, site: &Site) -> String {
        let aud = |a: usize| site.config.audiences[a].id.as_str();
        match *self {
            Page::Portal => String::new(),
            Page::Home(a) => format!("{}/", aud(a)),
            Page::LessonList(a) => format!("{}/lessons/", aud(a)),
            Page::Overview(a) => format!("{}/overview/", aud(a)),
            Page::Lesson { lesson, audience } => site.lessons[lesson].url(aud(audience)),
            Page::Villages => "villages/".into(),
            Page::Village(v) => format!("villages/{}/", site.config.villages[v].id),
            Page::Notice(n) => site.notices[n].url(),
            Page::Regulation(r) => site.regulations[r].url(),
            Page::NotFound => "404.html".into(),
            Page::Feed => "feed.xml".into(),
            Page::Sitemap => "sitemap.xml".into(),
            Page::Robots => "robots.txt".into(),
        }
    }

    pub fn audience(&self) -> Option<usize> {
        match *self {
            Page::Home(a) | Page::LessonList(a) | Page::Overview(a) => Some(a),
            Page::Lesson { audience, .. } => Some(audience),
            _ => None,
        }
    }

    /// Pages that show one document; all others list or summarise many and are rendered again
    /// after any change.
    pub fn is_document(&self) -> bool {
        matches!(
            self,
            Page::Lesson { .. } | Page::Notice(_) | Page::Regulation(_)
        )
    }

    /// Whether the page belongs in the sitemap.
    fn is_html_page(&self) -> bool {
        !matches!(
            self,
            Page::NotFound | Page::Feed | Page::Sitemap | Page::Robots
        )
    }
}

/// What rendering one page produced.
#[derive(Debug, Default)]
pub struct PageOutput {
    pub url: String,
    pub body: String,
    /// Size of `body` in bytes, kept after the body is written and dropped.
    pub size: usize,
    /// Anchors of the page's document, for checking `#anchor` links.
    pub anchors: Vec<String>,
    /// Anchor links found in the page's document, with where they are in the source.
    pub anchor_refs: Vec<(AnchorRef, String, usize, usize)>,
    pub problems: Vec<Diagnostic>,
    /// The source the page shows, if any (`lessons/a.md`).
    pub key: Option<String>,
    /// Sources the page links to with `@/`: it must be rendered again when they change.
    pub links: Vec<String>,
}

/// A rendered document with the text it came from (for line numbers), its file and body line.
type Doc<'t> = (Rendered, Cow<'t, str>, &'t str, usize);

/// Values every page shares, serialized once.
pub struct Renderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    /// `site` with `villages`, for the pages that list villages.
    site_value: Value,
    /// `site` without `villages`: most pages do not need them, and the context is copied for
    /// every page.
    site_lean: Value,
    assets: Value,
    notices: Vec<Value>,
    /// Warnings of `check`, shown on the overview.
    findings: &'a [Diagnostic],
    /// Regulation bodies, rendered up front: versions are compared with each other.
    regulations: Vec<Rendered>,
}

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        templates: &'a Templates,
        assets: &Assets,
        findings: &'a [Diagnostic],
    ) -> Renderer<'a> {
        use rayon::prelude::*;
        let assets_value: BTreeMap<&str, String> = assets
            .urls
            .iter()
            .map(|(k, v)| (k.as_str(), data::href(&site.config, v)))
            .collect();
        let regulations = site
            .regulations
            .par_iter()
            .map(|r| render_markdown(site, &r.doc.body, None, true))
            .collect();
        Renderer {
            site,
            templates,
            site_value: data::site(site),
            site_lean: {
                let mut v = data::site(site);
                if let Some(o) = v.as_object_mut() {
                    o.remove("villages");
                }
                v
            },
            assets: json!(assets_value),
            notices: site
                .notices
                .iter()
                .map(|n| data::notice_summary(site, n))
                .collect(),
            findings,
            regulations,
        }
    }

    fn context(&self, page: &Page, value: Value) -> Context {
        let mut ctx = Context::new();
        let lists_villages = matches!(
            page,
            Page::Portal
                | Page::Home(_)
                | Page::Overview(_)
                | Page::Villages
                | Page::Village(_)
                | Page::NotFound
        );
        if lists_villages {
            ctx.insert("site", &self.site_value);
        } else {
            ctx.insert("site", &self.site_lean);
        }
        ctx.insert("assets", &self.assets);
        let audience = page
            .audience()
            .map(|a| &self.site.config.audiences[a])
            .map(|a| {
                json!({
                    "id": a.id, "name": a.name, "description": a.description,
                    "url": data::href(&self.site.config, &format!("{}/", a.id)),
                })
            });
        ctx.insert("audience", &audience);
        ctx.insert("page", &value);
        ctx
    }

    fn lessons_for(&self, audience: &str) -> Vec<Value> {
        self.site
            .lessons
            .iter()
            .filter(|l| l.is_for(audience))
            .map(|l| data::lesson_summary(self.site, l, audience))
            .collect()
    }

    pub fn render(&self, page: &Page) -> PageOutput {
        let site = self.site;
        let c = &site.config;
        let url = page.url(site);
        let mut out = PageOutput {
            url: url.clone(),
            ..Default::default()
        };
        let basic = |kind: &str, title: &str| {
            json!({
                "kind": kind, "title": title, "description": c.description,
                "url": data::href(c, &url), "permalink": data::permalink(c, &url),
            })
        };
        let aud_id = page.audience().map(|a| c.audiences[a].id.as_str());
        let (template, mut value, doc): (&str, Value, Option<Doc>) = match *page {
            Page::Portal => ("portal.html", basic("portal", &c.title), None),
            Page::Home(a) => {
                let mut v = basic("home", &c.audiences[a].name);
                v["lessons"] = json!(self.lessons_for(&c.audiences[a].id));
                v["notices"] = json!(self.notices);
                ("home.html", v, None)
            }
            Page::Overview(_) => {
                let mut v = basic("overview", "各村工作一览");
                v["villages"] = data::overview(site, self.findings);
                v["quarter_start"] = json!(crate::check::quarter_start(site.today).chinese());
                ("overview.html", v, None)
            }
            Page::LessonList(_) => {
                let mut v = basic("lessons", "课程列表");
                v["lessons"] = json!(self.lessons_for(aud_id.unwrap_or_default()));
                ("lessons.html", v, None)
            }
            Page::Lesson { lesson, audience } => {
                let l = &site.lessons[lesson];
                let aid = c.audiences[audience].id.as_str();
                let text = l.variants.select(&l.doc.body, aid);
                let r = render_markdown(site, &text, Some(aid), false);
                (
                    "lesson.html",
                    data::lesson_page(site, l, aid),
                    Some((r, Cow::Owned(text), &l.doc.file, l.doc.body_line)),
                )
            }
            Page::Villages => {
                let mut v = basic("villages", "各村（社区）");
                v["notices"] = json!(self.notices);
                ("villages.html", v, None)
            }
            Page::Village(i) => {
                let village = &c.villages[i];
                let mut v = basic("village", &village.name);
                v["village"] = self.site_value["villages"][i].clone();
                let notices: Vec<&Value> = self
                    .notices
                    .iter()
                    .filter(|n| n["village"] == village.id.as_str())
                    .collect();
                v["notices"] = json!(notices);
                let versions: Vec<Value> = site
                    .regulations_of(&village.id)
                    .iter()
                    .map(|r| data::regulation_summary(site, r))
                    .collect();
                v["regulations"] = json!(versions);
                ("village.html", v, None)
            }
            Page::Notice(i) => {
                let n = &site.notices[i];
                let r = render_markdown(site, &n.doc.body, None, false);
                (
                    "notice.html",
                    data::notice_page(site, n),
                    Some((r, Cow::Borrowed(&n.doc.body), &n.doc.file, n.doc.body_line)),
                )
            }
            Page::Regulation(i) => {
                let r = &site.regulations[i];
                let rendered = self.regulations[i].clone();
                // Versions of a village are next to each other, newest first.
                let previous = site
                    .regulations
                    .get(i + 1)
                    .filter(|p| p.doc.front.village == r.doc.front.village)
                    .map(|p| (p, self.regulations[i + 1].articles.as_slice()));
                let v = data::regulation_page(site, r, &rendered.articles, previous);
                (
                    "regulation.html",
                    v,
                    Some((
                        rendered,
                        Cow::Borrowed(&r.doc.body),
                        &r.doc.file,
                        r.doc.body_line,
                    )),
                )
            }
            Page::NotFound => ("404.html", basic("404", "页面没有找到"), None),
            Page::Feed => {
                let mut v = basic("feed", &c.title);
                v["notices"] = json!(self.notices.iter().take(50).collect::<Vec<_>>());
                v["updated"] = json!(site
                    .notices
                    .first()
                    .map(|n| n.updated(site.today).to_string())
                    .unwrap_or_else(|| site.today.to_string()));
                ("feed.xml", v, None)
            }
            Page::Sitemap => {
                let urls: Vec<String> = Page::all(site)
                    .iter()
                    .filter(|p| p.is_html_page())
                    .map(|p| data::permalink(c, &p.url(site)))
                    .collect();
                let mut v = basic("sitemap", "");
                v["urls"] = json!(urls);
                ("sitemap.xml", v, None)
            }
            Page::Robots => {
                let mut v = basic("robots", "");
                v["sitemap"] = json!(data::permalink(c, "sitemap.xml"));
                ("robots.txt", v, None)
            }
        };
        if let Some((r, text, file, body_line)) = doc {
            value["content"] = json!(r.html);
            value["toc"] = json!(r.toc);
            let lines = LineIndex::new(&text);
            let pos = |offset: usize| {
                let (l, col) = lines.position(offset);
                (l + body_line - 1, col)
            };
            for p in &r.problems {
                let (l, col) = pos(p.offset);
                out.problems.push(
                    Diagnostic::error(p.code, file, p.message.clone())
                        .at(l, col)
                        .hint(p.hint.clone()),
                );
            }
            for a in r.anchor_refs {
                let (l, col) = pos(a.offset);
                out.anchor_refs.push((a, file.to_string(), l, col));
            }
            out.anchors = r.anchors;
            out.links = r.links;
        }
        out.key = match *page {
            Page::Lesson { lesson, .. } => Some(site.lessons[lesson].doc.key.clone()),
            Page::Notice(i) => Some(site.notices[i].doc.key.clone()),
            Page::Regulation(i) => Some(site.regulations[i].doc.key.clone()),
            _ => None,
        };
        let name = self.templates.pick(aud_id, template);
        match self.templates.render(&name, &self.context(page, value)) {
            Ok(body) => out.body = body,
            Err(d) => out.problems.push(d),
        }
        out
    }
}

/// Markdown of one document, with `@/` links resolved for the audience being rendered.
fn render_markdown(site: &Site, text: &str, audience: Option<&str>, regulation: bool) -> Rendered {
    let resolve = |key: &str| -> Option<String> {
        match site.lookup(key)? {
            DocId::Lesson(i) => {
                let l = &site.lessons[i];
                let a = audience
                    .filter(|a| l.is_for(a))
                    .or_else(|| l.doc.front.audiences.first().map(String::as_str))?;
                Some(l.url(a))
            }
            DocId::Notice(i) => Some(site.notices[i].url()),
            DocId::Regulation(i) => Some(site.regulations[i].url()),
        }
    };
    markdown::render(
        text,
        site.config.base_path(),
        markdown::Options {
            allow_html: site.config.allow_html,
            regulation,
        },
        &resolve,
    )
}

/// Checks every `#anchor` link against the anchors of the page it points to.
pub fn check_anchors(outputs: &[&PageOutput]) -> Vec<Diagnostic> {
    let by_url: std::collections::HashMap<&str, &PageOutput> =
        outputs.iter().map(|o| (o.url.as_str(), *o)).collect();
    let mut problems = Vec::new();
    for o in outputs {
        for (a, file, line, col) in &o.anchor_refs {
            let target = a.page.as_deref().unwrap_or(&o.url);
            let ok = by_url
                .get(target)
                .is_some_and(|t| t.anchors.iter().any(|x| x == &a.anchor));
            if !ok {
                problems.push(
                    Diagnostic::error(
                        "E207",
                        file.clone(),
                        format!("链接的锚点 #{} 在页面 /{target} 中不存在", a.anchor),
                    )
                    .at(*line, *col)
                    .hint("标题的锚点是标题的拼音，例如「邻里关系」→ #lin-li-guan-xi；条文是 #tiao-12"),
                );
            }
        }
    }
    problems
}
