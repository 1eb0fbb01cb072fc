//! Stage 4, render: every page of the site as a [`Page`], rendered from the immutable [`Site`]
//! through Markdown and tera. Pages are independent, so they render in parallel, and a subset can
//! be re-rendered after an edit.

mod anchors;
mod context;
pub mod data;
pub mod diff;
mod document;
mod pages;
pub mod poster;
mod reads;
pub mod templates;
mod values;
mod views;
pub mod wechat;

pub use anchors::check_anchors;
use context::Contexts;
use document::{render_markdown, RenderedDoc};
pub use pages::Page;
pub use reads::{all_lists, list_items, List, Reads, Span};

use crate::diagnostics::{Diagnostic, LineIndex};
use crate::load::assets::Assets;
use crate::markdown::{self, AnchorRef, Rendered};
use crate::model::Site;
use rustc_hash::FxHashSet;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use templates::Templates;
use views::View;

/// What rendering one page produced: the page itself, what the search index takes from it, and
/// what the build learnt about it (kept after the page is written).
#[derive(Debug, Default)]
pub struct PageOutput {
    /// The rendered page.
    pub body: String,
    /// A lesson's or notice's text as the reader sees it, for the search index.
    pub text: Option<Arc<str>>,
    /// A regulation's 条, for the search index.
    pub articles: Vec<markdown::Article>,
    pub facts: PageFacts,
}

/// What the build learns about a page by rendering it, and keeps for the next pass.
#[derive(Debug, Default, Clone)]
pub struct PageFacts {
    pub url: String,
    /// Size of the rendered page in bytes, kept after the page is written and dropped.
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
    /// Hash of everything the template was given (when memoizing), so an unchanged page is
    /// not rendered and written again.
    pub hash: Option<[u8; 32]>,
}

/// What every page's view borrows, made once per build or rebuild.
pub struct Renderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    /// The villages, as `site.villages` and the village pages show them.
    villages: Vec<views::VillageView<'a>>,
    /// What every page's context starts from, per audience.
    contexts: Contexts,
    /// Every notice's summary, newest first (the order of `site.notices`).
    notices: Vec<views::NoticeSummary<'a>>,
    /// Per audience, its lessons (indices into `site.lessons`), in list order; per village, its
    /// notices (indices into `notices`): found once, not for every page of a list.
    lessons_of: Vec<Vec<usize>>,
    notices_of: Vec<Vec<usize>>,
    /// Warnings of `check`, shown on the overview.
    findings: &'a [Diagnostic],
    /// Regulation bodies, rendered up front: versions are compared with each other.
    /// Rendered on first use: a rebuild after one edit needs only a few of them.
    regulations: Vec<Counted<Rendered>>,
    /// Lesson bodies that read the same for every audience, rendered once for all its pages.
    lessons: Vec<Counted<Rendered>>,
    notice_qr: Vec<std::sync::OnceLock<Option<String>>>,
    /// Per audience, what the search page tells its script about the index (JSON).
    search: Vec<String>,
    /// Page texts so far, each once: a lesson's audiences mostly read the same words, and at
    /// 10,000 pages three copies of them were tens of megabytes.
    texts: Mutex<FxHashSet<Arc<str>>>,
}

impl<'a> Renderer<'a> {
    fn shared(&self, text: String) -> Arc<str> {
        let mut texts = crate::sync::lock(&self.texts);
        if let Some(same) = texts.get(text.as_str()) {
            return same.clone();
        }
        let new: Arc<str> = text.into();
        texts.insert(new.clone());
        new
    }

    pub fn new(
        site: &'a Site,
        templates: &'a Templates,
        assets: &Assets,
        findings: &'a [Diagnostic],
        memoize: bool,
    ) -> Renderer<'a> {
        let c = &site.config;
        let assets: BTreeMap<&str, String> = assets
            .urls
            .iter()
            .map(|(k, v)| (k.as_str(), c.href(v)))
            .collect();
        let villages = views::VillageView::all(site);
        let lean = views::SiteView::new(site);
        let full = views::SiteView {
            villages: Some(&villages),
            ..views::SiteView::new(site)
        };
        let contexts = Contexts::new(site, [&lean, &full], &assets, memoize);
        let lessons_of = c
            .audiences
            .iter()
            .map(|a| {
                (0..site.lessons.len())
                    .filter(|&l| site.lessons[l].is_for(&a.id))
                    .collect()
            })
            .collect();
        let notices_of = c
            .villages
            .iter()
            .map(|v| {
                let of_village = |&k: &usize| site.notices[k].doc.front.village == v.id;
                (0..site.notices.len()).filter(of_village).collect()
            })
            .collect();
        Renderer {
            site,
            templates,
            villages,
            contexts,
            lessons_of,
            notices_of,
            notices: site
                .notices
                .iter()
                .map(|n| views::NoticeSummary::new(site, n))
                .collect(),
            findings,
            regulations: regulation_uses(site),
            lessons: lesson_uses(site),
            notice_qr: once(site.notices.len()),
            search: Vec::new(),
            texts: Mutex::default(),
        }
    }

    /// The search index's data for each audience's search page: set once the index is built,
    /// before the search pages are rendered.
    pub fn set_search(&mut self, per_audience: Vec<Value>) {
        self.search = per_audience.iter().map(Value::to_string).collect();
    }

    /// A notice's QR code: finding the best mask is costly, and both posters show the same one.
    fn notice_qr(&self, i: usize) -> Option<&str> {
        self.notice_qr[i]
            .get_or_init(|| {
                let url = self.site.config.permalink(&self.site.notices[i].url());
                poster::qr_svg(&url)
            })
            .as_deref()
    }

    /// Regulation `i`'s body, rendered once for the pages that show or compare it and let go
    /// after the last of them (see [`Counted`]).
    fn regulation(&self, i: usize) -> Arc<Rendered> {
        self.regulations[i]
            .get(|| render_markdown(self.site, &self.site.regulations[i].doc.body, None, true))
    }

    /// Lesson `i`'s body when every audience reads the same (no audience blocks, and no `@/`
    /// link to a lesson, which goes to the reader's own version of it): rendered once.
    fn common_lesson(&self, i: usize) -> Option<Arc<Rendered>> {
        let l = &self.site.lessons[i];
        let common = l.variants.is_empty() && !l.doc.body.contains("@/lessons/");
        common.then(|| self.lessons[i].get(|| render_markdown(self.site, &l.doc.body, None, false)))
    }

    /// Summaries of audience `a`'s lessons in list order, `skip` and `take` applied first.
    fn lessons_for(&self, a: usize, skip: usize, take: usize) -> Vec<views::LessonSummary<'a>> {
        let audience = &self.site.config.audiences[a].id;
        let of = &self.lessons_of[a];
        of.iter()
            .skip(skip)
            .take(take)
            .map(|&l| views::LessonSummary::new(self.site, &self.site.lessons[l], audience))
            .collect()
    }

    /// The newest `n` notices' summaries (the list is newest first).
    fn latest_notices(&self, n: usize) -> &[views::NoticeSummary<'a>] {
        &self.notices[..self.notices.len().min(n)]
    }

    fn lesson_count(&self, a: usize) -> usize {
        self.lessons_of[a].len()
    }

    /// Renders a page; with `unless` set (memoizing), returns `None` when the page would come
    /// out the same as the render that produced that hash.
    pub fn render(&self, page: &Page) -> PageOutput {
        self.render_unless(page, None).unwrap_or_default()
    }

    pub fn render_unless(&self, page: &Page, unless: Option<&[u8; 32]>) -> Option<PageOutput> {
        let url = page.url(self.site);
        let (shown, doc) = self.render_page(page, &url, unless);
        let Shown { body, hash } = shown?;
        let mut out = PageOutput::default();
        out.facts.url = url;
        out.facts.key = self.key(page);
        out.facts.hash = hash;
        match body {
            Ok(body) => out.body = body,
            Err(d) => out.facts.problems.push(d),
        }
        if let Some(doc) = doc {
            self.show_document(page, doc, &mut out);
        }
        Some(out)
    }

    /// The source the page shows, if any.
    fn key(&self, page: &Page) -> Option<String> {
        let site = self.site;
        let key = match *page {
            Page::Lesson { lesson, .. } => &site.lessons[lesson].doc.key,
            Page::Notice(i) | Page::NoticePoster { notice: i, .. } => &site.notices[i].doc.key,
            Page::Regulation(i) | Page::RegulationPoster(i) => &site.regulations[i].doc.key,
            _ => return None,
        };
        Some(key.clone())
    }

    /// Records what the build learns from the page's document: the sources it links to, its
    /// text or 条 for the search index, its problems (at their line in the source file) and its
    /// anchors.
    fn show_document(&self, page: &Page, doc: RenderedDoc, out: &mut PageOutput) {
        let RenderedDoc {
            rendered: r,
            text,
            file,
            body_line,
        } = doc;
        out.facts.links = r.links;
        // A poster prints its document again: the document's own page reports the
        // problems of its text and owns its anchors.
        if page.is_poster() {
            return;
        }
        match page {
            Page::Regulation(_) => out.articles = r.articles,
            _ => out.text = Some(self.shared(r.text)),
        }
        let lines = LineIndex::new(&text);
        let pos = |offset: usize| {
            let (l, col) = lines.position(offset);
            (l + body_line - 1, col)
        };
        for p in &r.problems {
            let (l, col) = pos(p.offset);
            let d = Diagnostic::registered(p.code, file, p.message.clone());
            out.facts.problems.push(d.at(l, col).hint(p.hint.clone()));
        }
        for a in r.anchor_refs {
            let (l, col) = pos(a.offset);
            out.facts.anchor_refs.push((a, file.to_string(), l, col));
        }
        out.facts.anchors = r.anchors;
    }

    /// Renders `view` with its template (the audience's own when the theme has one) and the
    /// page's base; when memoizing, hashes both first and gives `None` if the hash is `unless`.
    fn show<V: View>(&self, page: &Page, view: &V, unless: Option<&[u8; 32]>) -> Option<Shown> {
        let site = self.site;
        let audience = page.audience();
        let aud_id = audience.map(|a| site.config.audiences[a].id.as_str());
        let name = self.templates.pick(aud_id, V::TEMPLATE);
        let base = audience.map_or(0, |a| a + 1);
        let villages = page.shows_villages();
        let mut hash = None;
        if let Some(base_hash) = self.contexts.hash(base, villages) {
            let mut h = blake3::Hasher::new();
            h.update(base_hash);
            h.update(name.as_bytes());
            views::hash_into(&mut h, view);
            let new = *h.finalize().as_bytes();
            if unless == Some(&new) {
                return None;
            }
            hash = Some(new);
        }
        let body = self
            .contexts
            .render(self.templates, base, villages, &name, view);
        Some(Shown { body, hash })
    }
}

/// What rendering a page's view gave: the text (or why not) and, when memoizing, its hash.
pub(super) struct Shown {
    body: Result<String, Diagnostic>,
    hash: Option<[u8; 32]>,
}

/// `n` empty cells, filled on first use.
fn once<T>(n: usize) -> Vec<std::sync::OnceLock<T>> {
    (0..n).map(|_| std::sync::OnceLock::new()).collect()
}

/// A value several pages use, made by the first and dropped after the last expected one: at
/// 100,000 pages, keeping every regulation's rendered body until the end of the build was
/// hundreds of megabytes. A use beyond those expected (a page rendered twice) makes it again.
struct Counted<T> {
    value: Mutex<Option<Arc<T>>>,
    uses_left: std::sync::atomic::AtomicUsize,
}

impl<T> Counted<T> {
    fn new(uses: usize) -> Counted<T> {
        Counted {
            value: Mutex::new(None),
            uses_left: uses.into(),
        }
    }

    fn get(&self, make: impl FnOnce() -> T) -> Arc<T> {
        use std::sync::atomic::Ordering;
        // Held while making it: the other pages of the same regulation wait for it rather than
        // render it again.
        let mut slot = crate::sync::lock(&self.value);
        let value = slot.get_or_insert_with(|| Arc::new(make())).clone();
        let left = self
            .uses_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        if left == Ok(1) {
            *slot = None;
        }
        value
    }
}

/// The pages that read each lesson's body: one per audience it is for.
fn lesson_uses(site: &Site) -> Vec<Counted<Rendered>> {
    let audiences = &site.config.audiences;
    let pages = |l: &crate::model::Lesson| audiences.iter().filter(|a| l.is_for(&a.id)).count();
    site.lessons
        .iter()
        .map(|l| Counted::new(pages(l)))
        .collect()
}

/// The pages that read each regulation's body: its page, its poster, and the page of the next
/// newer version of its village, which compares with it.
fn regulation_uses(site: &Site) -> Vec<Counted<Rendered>> {
    let regs = &site.regulations;
    (0..regs.len())
        .map(|i| {
            let village = &regs[i].doc.front.village;
            let newer = i > 0 && regs[i - 1].doc.front.village == *village;
            Counted::new(1 + usize::from(site.config.posters) + usize::from(newer))
        })
        .collect()
}
