//! Markdown to HTML with pulldown-cmark, plus what a plain renderer does not do: stable pinyin
//! anchors for Chinese headings, `@/path.md#anchor` links between sources, raw HTML sanitized by
//! default, and for regulations automatic 第N章 / 第N条 numbering with `#tiao-N` anchors.
//!
//! Raw HTML (markup pasted from WeChat articles, mostly) keeps its harmless formatting and loses
//! scripts, event handlers, styles, frames, forms and anything that would load from another
//! host. Only documents that contain raw HTML pay for the sanitizer; a site that trusts its
//! editors can set `allow_html: true` to pass raw HTML through untouched.

use crate::model::slug;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options as CmarkOptions, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::OnceLock;

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

/// One 条 of a regulation, for the table of contents and the comparison between versions.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Article {
    pub number: usize,
    pub chapter: String,
    pub text: String,
}

/// A problem found while rendering, at a byte offset of the Markdown text.
#[derive(Debug, Clone)]
pub struct Problem {
    pub offset: usize,
    pub code: &'static str,
    pub message: String,
    pub hint: String,
}

/// A link to an anchor, checked once every page's anchors are known.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    /// Site-relative URL of the target page; `None` for the page itself.
    pub page: Option<String>,
    pub anchor: String,
    pub offset: usize,
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
}

/// Turns `@/lessons/a.md` (a path under `content/`) into a site-relative URL such as
/// `qunzhong/lessons/a/`, or `None` when no such page is published.
pub trait LinkResolver {
    fn resolve(&self, key: &str) -> Option<String>;
}

impl<F: Fn(&str) -> Option<String>> LinkResolver for F {
    fn resolve(&self, key: &str) -> Option<String> {
        self(key)
    }
}

/// The Markdown extensions qili reads; anything else that parses sources uses the same.
pub fn cmark_options() -> CmarkOptions {
    CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_FOOTNOTES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_TASKLISTS
        | CmarkOptions::ENABLE_HEADING_ATTRIBUTES
}

pub fn render(text: &str, base_path: &str, opts: Options, links: &dyn LinkResolver) -> Rendered {
    let cm = cmark_options();

    let mut out = Rendered::default();
    let events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(text, cm).into_offset_iter().collect();
    // Sanitizing re-parses the whole page as HTML: do it only when there is raw HTML at all.
    let sanitize = !opts.allow_html
        && events
            .iter()
            .any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut result: Vec<Event> = Vec::with_capacity(events.len());
    // Positions in `result` of the raw HTML qili writes itself, which is never sanitized.
    let mut ours: HashSet<usize> = HashSet::new();

    let mut chapter = 0usize;
    let mut chapter_title = String::new();
    let mut article = 0usize;
    let mut list_depth = 0usize;
    let mut article_text: Option<String> = None;

    let mut external_images = 0usize;
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                // Gather the heading's inline events to name it.
                let mut j = i + 1;
                let mut title = String::new();
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                        title.push_str(t);
                    }
                    j += 1;
                }
                let is_chapter = opts.regulation && *level == HeadingLevel::H2;
                let wanted = if let Some(id) = id {
                    id.to_string()
                } else if is_chapter {
                    format!("zhang-{}", chapter + 1)
                } else {
                    let s = slug::slugify(&title);
                    if s.is_empty() {
                        "h".to_string()
                    } else {
                        s
                    }
                };
                let unique = unique_id(&mut used_ids, wanted);
                out.anchors.push(unique.clone());
                let mut inner: Vec<Event> = Vec::with_capacity(j - i);
                for (e, r) in &events[i + 1..j] {
                    let fixed = with_safe_url(e, r.start, base_path, links, opts, &mut out);
                    inner.push(fixed.unwrap_or_else(|| e.clone()));
                }
                if is_chapter {
                    chapter += 1;
                    let bare = strip_numbering(&title, '章');
                    chapter_title = format!("第{}章 {}", chinese_number(chapter), bare);
                    inner = vec![Event::Text(CowStr::from(chapter_title.clone()))];
                }
                out.toc.push(TocEntry {
                    level: *level as u8,
                    id: unique.clone(),
                    title: if is_chapter {
                        chapter_title.clone()
                    } else {
                        title
                    },
                });
                result.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(unique)),
                    classes: classes.clone(),
                    // `## 标题 {onclick=…}` would otherwise write any attribute at all.
                    attrs: if opts.allow_html {
                        attrs.clone()
                    } else {
                        Vec::new()
                    },
                }));
                result.extend(inner);
                result.push(Event::End(TagEnd::Heading(*level)));
                i = j + 1;
                continue;
            }
            Event::Start(Tag::List(_)) if opts.regulation => {
                if list_depth == 0 {
                    ours.insert(result.len());
                    result.push(Event::Html(CowStr::from("<div class=\"tiaos\">\n")));
                } else {
                    result.push(event.clone());
                }
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) if opts.regulation => {
                list_depth -= 1;
                if list_depth == 0 {
                    ours.insert(result.len());
                    ours.insert(result.len());
                    result.push(Event::Html(CowStr::from("</div>\n")));
                } else {
                    result.push(event.clone());
                }
            }
            Event::Start(Tag::Item) if opts.regulation && list_depth == 1 => {
                article += 1;
                let id = unique_id(&mut used_ids, format!("tiao-{article}"));
                out.anchors.push(id.clone());
                ours.insert(result.len());
                result.push(Event::Html(CowStr::from(format!(
                    "<div class=\"tiao\" id=\"{id}\">"
                ))));
                let number = format!(
                    "<a class=\"tiao-no\" href=\"#{id}\">第{}条</a> ",
                    chinese_number(article)
                );
                // In a loose list the text sits in a paragraph: put the number inside it.
                if matches!(events.get(i + 1), Some((Event::Start(Tag::Paragraph), _))) {
                    result.push(Event::Start(Tag::Paragraph));
                    i += 1;
                }
                ours.insert(result.len());
                result.push(Event::InlineHtml(CowStr::from(number)));
                article_text = Some(String::new());
            }
            Event::End(TagEnd::Item) if opts.regulation && list_depth == 1 => {
                ours.insert(result.len());
                result.push(Event::Html(CowStr::from("</div>\n")));
                out.articles.push(Article {
                    number: article,
                    chapter: chapter_title.clone(),
                    text: article_text.take().unwrap_or_default().trim().to_string(),
                });
            }
            Event::TaskListMarker(done) => {
                // A checklist on a page to read: drawn boxes, not unlabelled form controls.
                ours.insert(result.len());
                let class = if *done { "task task-done" } else { "task" };
                result.push(Event::InlineHtml(CowStr::from(format!(
                    "<span class=\"{class}\" aria-hidden=\"true\"></span>"
                ))));
            }
            Event::Start(Tag::Image { dest_url, .. }) if is_external(dest_url) => {
                // Pages load nothing from other hosts (slow or blocked in WeChat, and it tells
                // them who reads what): the picture becomes a link the reader may follow.
                out.problems.push(Problem {
                    offset: range.start,
                    code: "W211",
                    message: format!("外部图片 {dest_url} 不会直接显示，只显示为链接"),
                    hint: "网页不从其他网站加载任何东西；需要配图时请联系站点维护人员放到站内"
                        .into(),
                });
                external_images += 1;
                let link = with_safe_url(
                    &Event::Start(Tag::Link {
                        link_type: pulldown_cmark::LinkType::Inline,
                        dest_url: dest_url.clone(),
                        title: CowStr::from(""),
                        id: CowStr::from(""),
                    }),
                    range.start,
                    base_path,
                    links,
                    opts,
                    &mut out,
                );
                result.extend(link);
                result.push(Event::Text(CowStr::from("［图片］")));
            }
            Event::End(TagEnd::Image) if external_images > 0 => {
                external_images -= 1;
                result.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                let fixed = with_safe_url(event, range.start, base_path, links, opts, &mut out);
                result.push(fixed.unwrap_or_else(|| event.clone()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(buf) = article_text.as_mut() {
                    buf.push_str(t);
                }
                result.push(event.clone());
            }
            Event::SoftBreak => {
                // A line break inside a Chinese paragraph is not a space: browsers would show
                // one between the characters (as pandoc's east_asian_line_breaks also knows).
                let before = result.iter().rev().find_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => t.chars().last(),
                    _ => None,
                });
                let after = match events.get(i + 1) {
                    Some((Event::Text(t) | Event::Code(t), _)) => t.chars().next(),
                    _ => None,
                };
                if !(before.is_some_and(is_wide) || after.is_some_and(is_wide)) {
                    if let Some(buf) = article_text.as_mut() {
                        buf.push(' ');
                    }
                    result.push(event.clone());
                }
            }
            Event::HardBreak => {
                if let Some(buf) = article_text.as_mut() {
                    buf.push(' ');
                }
                result.push(event.clone());
            }
            Event::Start(Tag::HtmlBlock) => {
                if let Some(p) = unclosed_raw_block(&events[i..], range.start) {
                    out.problems.push(p);
                }
                result.push(event.clone());
            }
            other => result.push(other.clone()),
        }
        i += 1;
    }

    if sanitize {
        result = sanitize_events(result, &ours);
    }
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, result.into_iter());
    out.html = html;
    out
}

/// Replaces every piece of the document that holds raw HTML by its sanitized rendering. A piece
/// is one HTML block, or one run of inline content (a paragraph's, a heading's, a table cell's)
/// with raw HTML in it. Cleaning piece by piece, rather than the page at once, keeps a half-pasted
/// `<!--`, `<script>` or `<textarea>` from swallowing the rest of the page, and leaves the markup
/// qili writes itself (heading ids, 第N条, footnotes, task lists, tables) alone.
fn sanitize_events<'a>(events: Vec<Event<'a>>, ours: &HashSet<usize>) -> Vec<Event<'a>> {
    fn flush<'a>(out: &mut Vec<Event<'a>>, run: &mut Vec<Event<'a>>, raw: &mut bool) {
        if *raw {
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, run.drain(..));
            out.push(Event::Html(CowStr::from(sanitize_html(&html))));
        } else {
            out.append(run);
        }
        *raw = false;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut run: Vec<Event> = Vec::new();
    let mut raw = false;
    let mut block: Option<String> = None;
    for (i, e) in events.into_iter().enumerate() {
        let mine = ours.contains(&i);
        match e {
            Event::Start(Tag::HtmlBlock) => {
                flush(&mut out, &mut run, &mut raw);
                block = Some(String::new());
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(b) = block.take() {
                    out.push(Event::Html(CowStr::from(sanitize_html(&b))));
                }
            }
            Event::Html(h) if !mine && block.is_some() => {
                if let Some(b) = block.as_mut() {
                    b.push_str(&h);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) if !mine => {
                run.push(e);
                raw = true;
            }
            e if !mine && is_inline(&e) => run.push(e),
            e => {
                flush(&mut out, &mut run, &mut raw);
                out.push(e);
            }
        }
    }
    flush(&mut out, &mut run, &mut raw);
    out
}

/// An HTML block that opens `<script>`, `<style>`, `<textarea>` or `<!--` and never closes it:
/// Markdown (and the browser) take everything after it, to the end of the page or of its list
/// item, as part of it, and the text vanishes from the page without a word.
fn unclosed_raw_block(
    events: &[(Event<'_>, std::ops::Range<usize>)],
    offset: usize,
) -> Option<Problem> {
    let mut html = String::new();
    for (e, _) in events.iter().skip(1) {
        match e {
            Event::Html(h) => html.push_str(h),
            _ => break,
        }
    }
    let lower = html.trim_start().to_ascii_lowercase();
    let (_, close, shown, what) = [
        ("<script", "</script>", "<script>", "脚本"),
        ("<style", "</style>", "<style>", "样式"),
        ("<textarea", "</textarea>", "<textarea>", "输入框"),
        ("<!--", "-->", "<!--", "注释"),
    ]
    .into_iter()
    .find(|(open, close, _, _)| lower.starts_with(open) && !lower.contains(close))?;
    Some(Problem {
        offset,
        code: "E208",
        message: format!("这段 HTML 的 {shown} 没有结束：后面的文字都会被当作{what}，不会显示"),
        hint: format!("在这段 HTML 的末尾补上 {close}，或者删掉这段从微信复制来的 HTML"),
    })
}

/// Inline content whose HTML a sanitizer may see. Footnote references and task-list boxes are
/// left out: the page's own writer numbers and draws them.
fn is_inline(e: &Event<'_>) -> bool {
    let inline_tag = |t: &TagEnd| {
        matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        )
    };
    match e {
        Event::Start(t) => inline_tag(&t.to_end()),
        Event::End(t) => inline_tag(t),
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::SoftBreak
        | Event::HardBreak => true,
        _ => false,
    }
}

/// A link with its `@/` target resolved, or a link or image whose address could run script made
/// harmless (unless the site trusts its HTML); `None` for any other event.
fn with_safe_url<'a>(
    event: &Event<'a>,
    offset: usize,
    base_path: &str,
    links: &dyn LinkResolver,
    opts: Options,
    out: &mut Rendered,
) -> Option<Event<'a>> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let mut dest = resolve_link(dest_url, offset, base_path, links, out);
            if !opts.allow_html && !is_safe_url(&dest) {
                dest = CowStr::from("#");
            }
            Some(Event::Start(Tag::Link {
                link_type: *link_type,
                dest_url: dest,
                title: title.clone(),
                id: id.clone(),
            }))
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !opts.allow_html && !is_safe_url(dest_url) => Some(Event::Start(Tag::Image {
            link_type: *link_type,
            dest_url: CowStr::from(""),
            title: title.clone(),
            id: id.clone(),
        })),
        _ => None,
    }
}

/// An address on another host: loading it would be a request to that host.
fn is_external(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("http://") || u.starts_with("https://") || u.starts_with("//")
}

/// A link target that cannot run script: relative, or http(s), mailto, tel.
fn is_safe_url(url: &str) -> bool {
    // Browsers ignore tabs, newlines and leading blanks in URLs (`java\tscript:` runs).
    let url: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    match url.find(':') {
        None => true,
        Some(colon) => {
            // A colon after the first `/`, `?` or `#` is part of a relative path or query.
            if url[..colon].contains(['/', '?', '#']) {
                return true;
            }
            let scheme = url[..colon].to_ascii_lowercase();
            ["http", "https", "mailto", "tel"].contains(&scheme.as_str())
        }
    }
}

/// A URL that the browser fetches from this site only: no scheme, no `//host`.
fn is_same_site(url: &str) -> bool {
    let url: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let starts_with_host = ["//", "\\\\", "/\\", "\\/"]
        .iter()
        .any(|p| url.starts_with(p));
    let has_scheme = url
        .find(':')
        .is_some_and(|colon| !url[..colon].contains(['/', '?', '#']));
    !url.is_empty() && !starts_with_host && !has_scheme
}

/// The allow-list for raw HTML: the formatting pasted WeChat markup may keep. Scripts, event
/// handlers, styles, frames, forms and anything loaded from another host go.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut b = ammonia::Builder::empty();
        b.add_tags([
            "a",
            "abbr",
            "b",
            "blockquote",
            "br",
            "caption",
            "code",
            "col",
            "colgroup",
            "dd",
            "del",
            "div",
            "dl",
            "dt",
            "em",
            "figcaption",
            "figure",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "hr",
            "i",
            "img",
            "ins",
            "kbd",
            "li",
            "mark",
            "ol",
            "p",
            "pre",
            "q",
            "s",
            "section",
            "small",
            "span",
            "strike",
            "strong",
            "sub",
            "sup",
            "table",
            "tbody",
            "td",
            "tfoot",
            "th",
            "thead",
            "tr",
            "u",
            "ul",
        ]);
        // Dropped with everything inside; other unknown tags lose only the tag itself.
        b.clean_content_tags(HashSet::from([
            "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
            "template", "textarea", "select", "button", "title", "noscript", "noembed", "noframes",
            "xmp", "svg", "math", "audio", "video", "canvas",
        ]));
        b.add_generic_attributes(["title", "lang"]);
        let per_tag: &[(&'static str, &[&'static str])] = &[
            ("a", &["href"]),
            ("img", &["src", "alt", "width", "height"]),
            ("ol", &["start"]),
            ("td", &["colspan", "rowspan", "style"]),
            ("th", &["colspan", "rowspan", "style"]),
        ];
        for (tag, attrs) in per_tag {
            b.add_tag_attributes(tag, attrs.iter().copied());
        }
        b.url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
        b.link_rel(None);
        b.strip_comments(true);
        b.attribute_filter(|element, attribute, value| match (element, attribute) {
            // An image from another host is a request the reader did not ask for.
            ("img", "src") => is_same_site(value).then(|| value.into()),
            // The sanitizer checks schemes too, but reads `javas\u{19}cript:` as a relative
            // URL, and the control characters are gone by the time the page is written.
            (_, "href") => is_safe_url(value).then(|| value.into()),
            // Table alignment; no other CSS.
            ("td" | "th", "style") => {
                let v = value.trim().trim_end_matches(';').replace(' ', "");
                ["left", "center", "right"]
                    .iter()
                    .find(|a| v == format!("text-align:{a}"))
                    .map(|a| format!("text-align: {a}").into())
            }
            _ => Some(value.into()),
        });
        b
    })
}

/// Cleans a piece of HTML with [`sanitizer`].
pub fn sanitize_html(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

fn resolve_link<'a>(
    dest: &CowStr<'a>,
    offset: usize,
    base_path: &str,
    links: &dyn LinkResolver,
    out: &mut Rendered,
) -> CowStr<'a> {
    if let Some(anchor) = dest.strip_prefix('#') {
        out.anchor_refs.push(AnchorRef {
            page: None,
            anchor: anchor.to_string(),
            offset,
        });
        return dest.clone();
    }
    let Some(target) = dest.strip_prefix("@/") else {
        return dest.clone();
    };
    let (key, anchor) = match target.split_once('#') {
        Some((k, a)) => (k, Some(a)),
        None => (target, None),
    };
    out.links.push(key.to_string());
    match links.resolve(key) {
        Some(url) => {
            if let Some(a) = anchor {
                out.anchor_refs.push(AnchorRef {
                    page: Some(url.clone()),
                    anchor: a.to_string(),
                    offset,
                });
            }
            let mut href = format!("{base_path}{url}");
            if let Some(a) = anchor {
                href.push('#');
                href.push_str(a);
            }
            CowStr::from(href)
        }
        None => {
            out.problems.push(Problem {
                offset,
                code: "E206",
                message: format!("链接的页面 @/{key} 不存在或未发布"),
                hint: "检查 content/ 下的路径和文件名（区分大小写），草稿不会发布".into(),
            });
            CowStr::from("#")
        }
    }
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

/// `第一章 总则` → `总则`: editors may or may not number chapters themselves.
fn strip_numbering(title: &str, unit: char) -> &str {
    let t = title.trim();
    if let Some(rest) = t.strip_prefix('第') {
        if let Some(pos) = rest.find(unit) {
            let num = &rest[..pos];
            if num
                .chars()
                .all(|c| "零一二三四五六七八九十百0123456789".contains(c))
            {
                return rest[pos + unit.len_utf8()..].trim_start();
            }
        }
    }
    t
}

/// 1 → 一, 12 → 十二, 20 → 二十, 105 → 一百零五: numbering as Chinese legal texts write it.
pub fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 {
        return DIGITS[0].into();
    }
    if n >= 10000 {
        return n.to_string();
    }
    let units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")];
    let mut s = String::new();
    let mut zero_pending = false;
    for (value, unit) in units {
        let d = (n / value) % 10;
        if d == 0 {
            if !s.is_empty() {
                zero_pending = true;
            }
            continue;
        }
        if zero_pending {
            s.push_str(DIGITS[0]);
            zero_pending = false;
        }
        // 十二, not 一十二, when the number starts with the tens.
        if !(value == 10 && d == 1 && s.is_empty()) {
            s.push_str(DIGITS[d]);
        }
        s.push_str(unit);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_links(_: &str) -> Option<String> {
        None
    }

    fn plain(text: &str) -> Rendered {
        render(text, "/", Options::default(), &no_links)
    }

    #[test]
    fn chinese_numbers() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (12, "十二"),
            (20, "二十"),
            (21, "二十一"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1001, "一千零一"),
        ];
        for (n, s) in cases {
            assert_eq!(chinese_number(n), s, "{n}");
        }
    }

    #[test]
    fn chinese_headings_get_pinyin_anchors_and_duplicates_are_numbered() {
        let r = plain("## 邻里关系\n\n## 邻里关系\n\n## 自定 {#zi-ding}\n");
        assert_eq!(r.anchors, ["lin-li-guan-xi", "lin-li-guan-xi-2", "zi-ding"]);
        assert!(r.html.contains("<h2 id=\"lin-li-guan-xi\">邻里关系</h2>"));
    }

    fn trusted(text: &str) -> Rendered {
        let opts = Options {
            allow_html: true,
            ..Default::default()
        };
        render(text, "/", opts, &no_links)
    }

    const WECHAT: &str = "\
<section style=\"color:red;background:url(https://evil.cn/bg.png)\"><p><strong>加粗</strong>\
<span style=\"font-size:14px\" onclick=\"steal()\">文字</span><sub>下</sub><u>线</u><br></p></section>

<script>steal()</script><style>p{background:url(https://evil.cn/s.png)}</style>

<p><img src=\"https://mmbiz.qpic.cn/x.png\" onerror=\"steal()\"><img src=\"//evil.cn/t.png\">\
<img src=\"/static/ok.png\" alt=\"ok\"><img src=\"data:image/png;base64,AAAA\"></p>

<iframe src=\"https://evil.cn/frame\">框</iframe><link rel=\"stylesheet\" href=\"https://evil.cn/x.css\">

<form action=\"https://evil.cn/post\"><input type=\"text\" name=\"q\"><button>提交</button></form>

<table><tr><td style=\"text-align:center;width:50px\" colspan=\"2\">格</td></tr></table>

<p><a href=\"javascript:steal()\">坏链接</a> <a href=\"https://example.cn/\" target=\"_blank\">好链接</a></p>
";

    #[test]
    fn pasted_wechat_markup_keeps_formatting_and_loses_everything_active() {
        let html = plain(WECHAT).html;
        for kept in [
            "<section>",
            "<strong>加粗</strong>",
            "<span>文字</span>",
            "<sub>下</sub>",
            "<u>线</u>",
            "<br>",
            "src=\"/static/ok.png\"",
            "<td colspan=\"2\">格</td>",
            "<a href=\"https://example.cn/\">好链接</a>",
            "坏链接",
        ] {
            assert!(html.contains(kept), "{kept} kept: {html}");
        }
        let sneaky = plain(
            "<a href=\"javas\u{19}\u{19}cript:steal()\">x</a> <a href=\" \tjavascript:steal()\">y</a>\n",
        );
        // Browsers would not run these, but an address that reads as `javascript:` once its
        // control characters are taken out has no business on a page.
        assert!(!sneaky.html.contains("cript:"), "{}", sneaky.html);
        for dropped in [
            "style=",
            "onclick",
            "onerror",
            "steal",
            "<script",
            "<style",
            "evil.cn",
            "mmbiz",
            "data:",
            "<iframe",
            "框",
            "<link",
            "<form",
            "<input",
            "提交",
            "javascript",
            "target=",
            "rel=",
        ] {
            assert!(!html.contains(dropped), "{dropped} dropped: {html}");
        }
    }

    #[test]
    fn trusted_html_passes_through_untouched() {
        let r =
            trusted("<b onclick=\"x()\">粗</b>\n\n<iframe src=\"https://v.qq.com/x\"></iframe>\n");
        assert!(r.html.contains("<b onclick=\"x()\">粗</b>"), "{}", r.html);
        assert!(r
            .html
            .contains("<iframe src=\"https://v.qq.com/x\"></iframe>"));
    }

    #[test]
    fn a_page_with_raw_html_keeps_the_markup_qili_writes_itself() {
        let text = "## 标题 {.lead}\n\n<b>粗</b>\n\n- [x] 做完\n\n|左|中|\n|:-|:-:|\n|1|2|\n\n注[^1]\n\n[^1]: 脚注\n\n[内](#biao-ti)\n";
        let html = plain(text).html;
        for kept in [
            "<h2 id=\"biao-ti\" class=\"lead\">标题</h2>",
            "<b>粗</b>",
            "<span class=\"task task-done\" aria-hidden=\"true\"></span>",
            "style=\"text-align: left\"",
            "style=\"text-align: center\"",
            "class=\"footnote-definition\"",
            "href=\"#biao-ti\"",
        ] {
            assert!(html.contains(kept), "{kept}: {html}");
        }
        let regulation = render(
            "## 总则\n\n1. 第一条<br>续\n",
            "/",
            Options {
                regulation: true,
                ..Default::default()
            },
            &no_links,
        );
        assert!(
            regulation
                .html
                .contains("<div class=\"tiao\" id=\"tiao-1\">"),
            "{}",
            regulation.html
        );
        assert!(regulation
            .html
            .contains("<a class=\"tiao-no\" href=\"#tiao-1\">第一条</a>"));
    }

    #[test]
    fn pages_without_raw_html_are_not_sanitized() {
        // The sanitizer would write `<hr>`; pulldown-cmark writes `<hr />`.
        assert!(plain("甲\n\n---\n\n乙\n").html.contains("<hr />"));
    }

    #[test]
    fn markdown_itself_cannot_inject_attributes_or_script_urls() {
        let r = plain("## 题 {onclick=steal() .c}\n\n[a](javascript:steal()) [b](JAVASCRIPT:x) [c](mailto:a@b.cn) [d](a/b:c) ![e](javascript:x)\n");
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert!(r.html.contains("class=\"c\""));
        assert!(!r.html.to_lowercase().contains("javascript"), "{}", r.html);
        assert!(r.html.contains("href=\"mailto:a@b.cn\"") && r.html.contains("href=\"a/b:c\""));
        let h = plain("## 见 ![图](javascript:x) [链](vbscript:x) [文](@/lessons/nope.md)\n");
        assert!(!h.html.contains("script:"), "{}", h.html);
        assert_eq!(
            h.problems.len(),
            1,
            "a broken @/ link in a heading is found"
        );
        let t = trusted("## 题 {data-x=1}\n");
        assert!(t.html.contains("data-x=\"1\""), "{}", t.html);
    }

    #[test]
    fn half_pasted_html_cannot_swallow_the_rest_of_the_page() {
        let text = "段一 <span><!-- x -->\n\n<div title=\"未结束\n\n段二 <b>粗\n\n<title>\n\n段三\n\n<p>段四 <plaintext>\n\n段五\n";
        let r = plain(text);
        for kept in ["段一", "段二 <b>粗</b>", "段三", "段四", "段五"] {
            assert!(r.html.contains(kept), "{kept}: {}", r.html);
        }
        assert!(
            r.problems.is_empty(),
            "{:?}",
            r.problems.first().map(|p| &p.message)
        );
    }

    #[test]
    fn a_raw_block_that_never_closes_is_a_problem_at_its_start() {
        for open in ["<style>", "<script>", "<!--", "<textarea>"] {
            let text = format!("第一段\n\n{open}\np {{}}\n\n第二段\n");
            for allow_html in [false, true] {
                let opts = Options {
                    allow_html,
                    ..Default::default()
                };
                let r = render(&text, "/", opts, &no_links);
                assert_eq!(r.problems.len(), 1, "{open}: {:?}", r.html);
                assert_eq!((r.problems[0].code, r.problems[0].offset), ("E208", 11));
            }
        }
        assert!(plain("<style>\np {}\n</style>\n\n正文\n")
            .problems
            .is_empty());
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
    fn internal_links_resolve_and_missing_ones_are_problems() {
        let resolver = |k: &str| (k == "lessons/a.md").then(|| "qunzhong/lessons/a/".to_string());
        let text = "[甲](@/lessons/a.md#jie-guo) [乙](@/lessons/b.md)";
        let r = render(text, "/qili/", Options::default(), &resolver);
        assert!(r
            .html
            .contains("href=\"/qili/qunzhong/lessons/a/#jie-guo\""));
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].code, "E206");
        assert_eq!(r.problems[0].offset, text.find("[乙]").unwrap());
        assert_eq!(r.anchor_refs[0].anchor, "jie-guo");
    }

    #[test]
    fn regulation_numbers_chapters_and_articles_across_chapters() {
        let text = "## 总则\n\n1. 为了……制定本公约。\n2. 本村村民遵守。\n\n## 第二章 环境卫生\n\n- 垃圾入箱。\n";
        let r = render(
            text,
            "/",
            Options {
                regulation: true,
                ..Default::default()
            },
            &no_links,
        );
        assert!(r.html.contains("第一章 总则"));
        assert!(r.html.contains("第二章 环境卫生"), "{}", r.html);
        assert!(!r.html.contains("第二章 第二章"));
        assert!(r.html.contains("id=\"tiao-3\""));
        assert!(r.html.contains("第三条"));
        assert_eq!(r.articles.len(), 3);
        assert_eq!(r.articles[2].text, "垃圾入箱。");
        assert_eq!(r.articles[2].chapter, "第二章 环境卫生");
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
