//! Markdown to HTML with pulldown-cmark, plus what a plain renderer does not do: stable pinyin
//! anchors for Chinese headings, `@/path.md#anchor` links between sources, raw HTML sanitized by
//! default, and for regulations automatic 第N章 / 第N条 numbering with `#tiao-N` anchors.
//!
//! Raw HTML (markup pasted from WeChat articles, mostly) keeps its harmless formatting and loses
//! scripts, event handlers, styles, frames, forms and anything that would load from another
//! host. Only documents that contain raw HTML pay for the sanitizer; a site that trusts its
//! editors can set `allow_html: true` to pass raw HTML through untouched.
//!
//! [`render`] walks pulldown-cmark's events once and hands each job to its module: `links`
//! (resolving `@/` links, making unsafe addresses harmless), `sanitize` (raw HTML) and
//! `numbering` (regulations). Before that, `emphasis` makes `**…。**后` bold as Chinese
//! writers mean it (CommonMark's flanking rule leaves it literal), and names any `*` that stays
//! literal (W216).

mod emphasis;
mod links;
mod numbering;
mod sanitize;
mod text;

pub use links::{AnchorRef, LinkResolver};
pub use numbering::{chinese_number, Article};
pub use sanitize::sanitize_html;

use crate::model::slug;
use links::{is_external, with_safe_url};
use numbering::{article_number, article_open, Numbering};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options as CmarkOptions, Parser, Tag, TagEnd};
use sanitize::{sanitize_events, unclosed_raw_block};
use serde::Serialize;
use std::collections::HashSet;
use std::ops::Range;

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Trust raw HTML and pass it through untouched, instead of sanitizing it.
    pub allow_html: bool,
    /// Number `##` chapters and top-level list items as 第N章 / 第N条.
    pub regulation: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A problem found while rendering, at a byte offset of the Markdown text.
#[derive(Debug, Clone)]
pub struct Problem {
    pub offset: usize,
    pub code: &'static str,
    pub message: String,
    pub hint: String,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub anchors: Vec<String>,
    pub toc: Vec<TocEntry>,
    pub articles: Vec<Article>,
    pub problems: Vec<Problem>,
    pub anchor_refs: Vec<AnchorRef>,
    /// Every `@/` key linked to, found or not: the page depends on those sources.
    pub links: Vec<String>,
    /// What a reader sees, without markup, one block per line (for the search index).
    pub text: String,
}

/// The Markdown extensions qili reads; anything else that parses sources uses the same.
pub fn cmark_options() -> CmarkOptions {
    CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_FOOTNOTES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_TASKLISTS
        | CmarkOptions::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a page's Markdown in one walk over pulldown-cmark's events (see [`Pass`]).
pub fn render(text: &str, base_path: &str, opts: Options, links: &dyn LinkResolver) -> Rendered {
    let cm = cmark_options();
    let first: Vec<(Event, Range<usize>)> = Parser::new_ext(text, cm).into_offset_iter().collect();
    let marked = emphasis::mark(text, &first);
    let events = match marked.as_ref().and_then(|m| m.parse(cm)) {
        Some(events) => events,
        None => first,
    };
    let mut pass = Pass::new(&events, base_path, links, opts);
    pass.out.problems = literal_star_problems(text, &events);
    // Sanitizing re-parses the whole page as HTML: do it only when there is raw HTML at all.
    let sanitize = !opts.allow_html
        && events
            .iter()
            .any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    pass.rewrite();
    pass.finish(sanitize, text.len())
}

/// W216 for each `*` that stays on the page as typed: the writer meant emphasis and would not
/// know why it is not there.
fn literal_star_problems(text: &str, events: &[(Event, Range<usize>)]) -> Vec<Problem> {
    emphasis::literal_stars(text, events)
        .into_iter()
        .map(|run| Problem {
            offset: run.start,
            code: "W216",
            message: format!("星号「{}」没有成对，页面上会原样显示", &text[run]),
            hint: "加粗写成 **文字**、斜体写成 *文字*，前后星号要成对；要显示星号本身，写成 \\*"
                .into(),
        })
        .collect()
}

/// One walk over a page's events, rewriting those where qili differs from plain CommonMark:
/// headings (anchors, table of contents), regulations (第N章 / 第N条), links and images (safe
/// addresses, nothing loaded from other hosts), line breaks between Chinese characters, and
/// raw HTML. What it keeps is what later events depend on.
struct Pass<'e, 'r> {
    events: &'r [(Event<'e>, Range<usize>)],
    base_path: &'r str,
    links: &'r dyn LinkResolver,
    opts: Options,
    out: Rendered,
    result: Vec<Event<'e>>,
    /// Positions in `result` of the raw HTML qili writes itself, which is never sanitized.
    ours: HashSet<usize>,
    used_ids: HashSet<String>,
    numbering: Numbering,
    /// The anchor of the 条 being read.
    article_id: String,
    /// External images not yet closed: their end closes the link they became.
    external_images: usize,
}

impl<'e, 'r> Pass<'e, 'r> {
    fn new(
        events: &'r [(Event<'e>, Range<usize>)],
        base_path: &'r str,
        links: &'r dyn LinkResolver,
        opts: Options,
    ) -> Self {
        Pass {
            events,
            base_path,
            links,
            opts,
            out: Rendered::default(),
            result: Vec::with_capacity(events.len()),
            ours: HashSet::new(),
            used_ids: HashSet::new(),
            numbering: Numbering::default(),
            article_id: String::new(),
            external_images: 0,
        }
    }

    fn rewrite(&mut self) {
        let mut i = 0;
        while i < self.events.len() {
            i = self.step(i);
        }
    }

    /// Rewrites the event at `i` and any that belong to it; returns where the next one is.
    fn step(&mut self, i: usize) -> usize {
        let events = self.events;
        let (event, range) = &events[i];
        let regulation = self.opts.regulation;
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => return self.heading(i, *level, id.as_ref(), classes, attrs),
            Event::Start(Tag::List(_)) if regulation => self.enter_list(event),
            Event::End(TagEnd::List(_)) if regulation => self.leave_list(event),
            Event::Start(Tag::Item) if regulation && self.numbering.at_article() => {
                return self.start_article(i)
            }
            Event::End(TagEnd::Item) if regulation && self.numbering.at_article() => {
                self.end_article()
            }
            Event::TaskListMarker(done) => self.task_box(*done),
            Event::Start(Tag::Image { dest_url, .. }) if is_external(dest_url) => {
                self.external_image(dest_url, range.start)
            }
            Event::End(TagEnd::Image) if self.external_images > 0 => {
                self.external_images -= 1;
                self.result.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                let safe = self.safe_url(event, range.start);
                self.result.push(safe);
            }
            Event::Text(t) | Event::Code(t) => {
                self.numbering.text(t);
                self.result.push(event.clone());
            }
            Event::SoftBreak => self.soft_break(i),
            Event::HardBreak => {
                self.numbering.text(" ");
                self.result.push(event.clone());
            }
            Event::Start(Tag::HtmlBlock) => self.html_block(i),
            other => self.result.push(other.clone()),
        }
        i + 1
    }

    /// A heading gets an anchor to link to and an entry in the table of contents, and in a
    /// regulation a `##` becomes 第N章. It is rewritten whole, with its inline events, because
    /// its anchor comes from its text; returns where the events after it start.
    fn heading(
        &mut self,
        i: usize,
        level: HeadingLevel,
        id: Option<&CowStr<'e>>,
        classes: &[CowStr<'e>],
        attrs: &[(CowStr<'e>, Option<CowStr<'e>>)],
    ) -> usize {
        let events = self.events;
        let (title, end) = heading_text(events, i);
        let is_chapter = self.opts.regulation && level == HeadingLevel::H2;
        let anchor = self.heading_anchor(id, is_chapter, &title);
        let mut inner: Vec<Event> = Vec::with_capacity(end - i);
        for (e, r) in &events[i + 1..end] {
            inner.push(self.safe_url(e, r.start));
        }
        let title = if is_chapter {
            let numbered = self.numbering.chapter(&title);
            inner = vec![Event::Text(CowStr::from(numbered.clone()))];
            numbered
        } else {
            title
        };
        self.out.toc.push(TocEntry {
            level: level as u8,
            id: anchor.clone(),
            title,
        });
        self.result.push(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(anchor)),
            classes: classes.to_vec(),
            // `## 标题 {onclick=…}` would otherwise write any attribute at all.
            attrs: if self.opts.allow_html {
                attrs.to_vec()
            } else {
                Vec::new()
            },
        }));
        self.result.extend(inner);
        self.result.push(Event::End(TagEnd::Heading(level)));
        end + 1
    }

    /// The anchor the writer gave (`{#id}`), else `zhang-N` for a chapter (stable while its
    /// title is reworded), else the title in pinyin.
    fn heading_anchor(&mut self, id: Option<&CowStr>, is_chapter: bool, title: &str) -> String {
        let wanted = if let Some(id) = id {
            id.to_string()
        } else if is_chapter {
            self.numbering.next_chapter_id()
        } else {
            let s = slug::slugify(title);
            if s.is_empty() {
                "h".to_string()
            } else {
                s
            }
        };
        self.anchor(wanted)
    }

    /// `wanted`, numbered if the page already has it, recorded among the page's anchors so that
    /// links to it can be checked.
    fn anchor(&mut self, wanted: String) -> String {
        let unique = unique_id(&mut self.used_ids, wanted);
        self.out.anchors.push(unique.clone());
        unique
    }

    /// A regulation's top-level list holds its 条: a `<div>` of them rather than a list, so
    /// that the numbers are 第N条 and not bullets.
    fn enter_list(&mut self, event: &Event<'e>) {
        if self.numbering.enter_list() {
            self.push_ours(Event::Html(CowStr::from("<div class=\"tiaos\">\n")));
        } else {
            self.result.push(event.clone());
        }
    }

    fn leave_list(&mut self, event: &Event<'e>) {
        if self.numbering.leave_list() {
            self.push_ours(Event::Html(CowStr::from("</div>\n")));
        } else {
            self.result.push(event.clone());
        }
    }

    /// A 条 opens with the anchor `#tiao-N` links point to and its number; returns where the
    /// events after the number start.
    fn start_article(&mut self, i: usize) -> usize {
        let article = self.numbering.start_article();
        let id = self.anchor(format!("tiao-{article}"));
        self.article_id.clone_from(&id);
        self.push_ours(Event::Html(CowStr::from(article_open(&id))));
        let number = article_number(&id, article);
        let mut next = i + 1;
        // In a loose list the text sits in a paragraph: put the number inside it.
        if matches!(
            self.events.get(i + 1),
            Some((Event::Start(Tag::Paragraph), _))
        ) {
            self.result.push(Event::Start(Tag::Paragraph));
            next += 1;
        }
        self.push_ours(Event::InlineHtml(CowStr::from(number)));
        next
    }

    fn end_article(&mut self) {
        self.push_ours(Event::Html(CowStr::from("</div>\n")));
        let id = std::mem::take(&mut self.article_id);
        self.out.articles.push(self.numbering.end_article(id));
    }

    /// A checklist on a page to read: drawn boxes, not unlabelled form controls.
    fn task_box(&mut self, done: bool) {
        let class = if done { "task task-done" } else { "task" };
        self.push_ours(Event::InlineHtml(CowStr::from(format!(
            "<span class=\"{class}\" aria-hidden=\"true\"></span>"
        ))));
    }

    /// Pages load nothing from other hosts (slow or blocked in WeChat, and it tells them who
    /// reads what): the picture becomes a link the reader may follow, and a warning (W211).
    fn external_image(&mut self, dest_url: &CowStr<'e>, offset: usize) {
        self.out.problems.push(Problem {
            offset,
            code: "W211",
            message: format!("外部图片 {dest_url} 不会直接显示，只显示为链接"),
            hint: "网页不从其他网站加载任何东西；需要配图时请联系站点维护人员放到站内".into(),
        });
        self.external_images += 1;
        let link = Event::Start(Tag::Link {
            link_type: pulldown_cmark::LinkType::Inline,
            dest_url: dest_url.clone(),
            title: CowStr::from(""),
            id: CowStr::from(""),
        });
        let link = self.safe_url(&link, offset);
        self.result.push(link);
        self.result.push(Event::Text(CowStr::from("［图片］")));
    }

    /// A link or image with its `@/` target resolved and its address made harmless; any other
    /// event as it is.
    fn safe_url(&mut self, event: &Event<'e>, offset: usize) -> Event<'e> {
        let (base_path, links, opts) = (self.base_path, self.links, self.opts);
        with_safe_url(event, offset, base_path, links, opts, &mut self.out)
            .unwrap_or_else(|| event.clone())
    }

    /// A line break inside a Chinese paragraph is not a space: browsers would show one between
    /// the characters (as pandoc's east_asian_line_breaks also knows). Kept only when neither
    /// side of it is a wide character.
    fn soft_break(&mut self, i: usize) {
        let before = self.result.iter().rev().find_map(|e| match e {
            Event::Text(t) | Event::Code(t) => t.chars().last(),
            _ => None,
        });
        let after = match self.events.get(i + 1) {
            Some((Event::Text(t) | Event::Code(t), _)) => t.chars().next(),
            _ => None,
        };
        if !(before.is_some_and(is_wide) || after.is_some_and(is_wide)) {
            self.numbering.text(" ");
            self.result.push(Event::SoftBreak);
        }
    }

    /// A raw HTML block is passed on (to the sanitizer, unless trusted); one that never closes
    /// is a problem at its start.
    fn html_block(&mut self, i: usize) {
        let events = self.events;
        if let Some(p) = unclosed_raw_block(&events[i..], events[i].1.start) {
            self.out.problems.push(p);
        }
        self.result.push(events[i].0.clone());
    }

    /// Raw HTML qili writes itself, marked so that the sanitizer leaves it alone.
    fn push_ours(&mut self, event: Event<'e>) {
        self.ours.insert(self.result.len());
        self.result.push(event);
    }

    /// The page as HTML, its raw HTML sanitized when `sanitize`, and as plain text for search
    /// (taken after sanitizing, so that nothing removed from the page is found).
    fn finish(self, sanitize: bool, source_len: usize) -> Rendered {
        let Pass {
            mut out,
            mut result,
            ours,
            ..
        } = self;
        if sanitize {
            result = sanitize_events(result, &ours);
        }
        out.text = text::plain_text(&result);
        let mut html = String::with_capacity(source_len * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, result.into_iter());
        out.html = html;
        out
    }
}

/// The text of the heading opening at `start` (what its anchor is made from), and where its
/// end is.
fn heading_text(events: &[(Event, Range<usize>)], start: usize) -> (String, usize) {
    let mut end = start + 1;
    let mut title = String::new();
    while end < events.len() && !matches!(events[end].0, Event::End(TagEnd::Heading(_))) {
        if let Event::Text(t) | Event::Code(t) = &events[end].0 {
            title.push_str(t);
        }
        end += 1;
    }
    (title, end)
}

/// East Asian wide characters: CJK ideographs, kana, hangul and full-width punctuation.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

fn unique_id(used: &mut HashSet<String>, wanted: String) -> String {
    if used.insert(wanted.clone()) {
        return wanted;
    }
    let mut n = 2;
    loop {
        let candidate = format!("{wanted}-{n}");
        if used.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn no_links(_: &str) -> Option<String> {
        None
    }

    pub(super) fn plain(text: &str) -> Rendered {
        render(text, "/", Options::default(), &no_links)
    }

    pub(super) fn trusted(text: &str) -> Rendered {
        let opts = Options {
            allow_html: true,
            ..Default::default()
        };
        render(text, "/", opts, &no_links)
    }

    #[test]
    fn chinese_headings_get_pinyin_anchors_and_duplicates_are_numbered() {
        let r = plain("## 邻里关系\n\n## 邻里关系\n\n## 自定 {#zi-ding}\n");
        assert_eq!(r.anchors, ["lin-li-guan-xi", "lin-li-guan-xi-2", "zi-ding"]);
        assert!(r.html.contains("<h2 id=\"lin-li-guan-xi\">邻里关系</h2>"));
    }

    #[test]
    fn thousands_of_nested_elements_do_not_overflow_the_stack() {
        let n = 5000;
        let quotes = format!("{}深\n", "> ".repeat(n));
        assert!(plain(&quotes).html.contains("深"));
        let lists = format!("{}深\n", "- ".repeat(n));
        assert!(plain(&lists).html.contains("深"));
        let divs = format!("{}深{}\n", "<div>".repeat(n), "</div>".repeat(n));
        assert!(plain(&divs).html.contains("深"));
        let spans = format!(
            "段落 {}深{}\n",
            "<span><b>".repeat(n),
            "</b></span>".repeat(n)
        );
        assert!(plain(&spans).html.contains("深"));
    }

    #[test]
    fn line_breaks_between_chinese_characters_vanish() {
        let r = plain("第一行中文\n第二行中文，\nmixed\nEnglish words\n");
        assert!(r.html.contains("第一行中文第二行中文，mixed"), "{}", r.html);
        assert!(r.html.contains("mixed\nEnglish"), "{}", r.html);
    }

    #[test]
    fn task_lists_are_drawn_boxes_and_external_images_become_links() {
        let r = plain("- [ ] 待办\n- [x] 已办\n\n![图](https://example.com/a.png)\n");
        assert!(
            r.html
                .contains("<span class=\"task\" aria-hidden=\"true\"></span>待办"),
            "{}",
            r.html
        );
        assert!(r.html.contains("task task-done"));
        assert!(!r.html.contains("<input"));
        assert!(!r.html.contains("<img"), "{}", r.html);
        assert!(
            r.html
                .contains("<a href=\"https://example.com/a.png\">［图片］图</a>"),
            "{}",
            r.html
        );
        assert_eq!(r.problems[0].code, "W211");
        let local = plain("![图](/static/a.png)\n");
        assert!(local.html.contains("<img src=\"/static/a.png\""));
    }

    #[test]
    fn tables_footnotes_strikethrough_and_tasks() {
        let r = plain("|a|b|\n|-|-|\n|1|2|\n\n~~删~~ 注[^1]\n\n[^1]: 脚注\n\n- [ ] 待办\n");
        for needle in ["<table>", "<del>", "footnote", "class=\"task\""] {
            assert!(r.html.contains(needle), "{needle}: {}", r.html);
        }
    }
}
