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

pub fn render(text: &str, base_path: &str, opts: Options, links: &dyn LinkResolver) -> Rendered {
    let cm = cmark_options();

    let mut out = Rendered::default();
    let first: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(text, cm).into_offset_iter().collect();
    let marked = emphasis::mark(text, &first);
    let events = match marked.as_ref().and_then(|m| m.parse(cm)) {
        Some(events) => events,
        None => first,
    };
    for run in emphasis::literal_stars(text, &events) {
        out.problems.push(Problem {
            offset: run.start,
            code: "W216",
            message: format!("星号「{}」没有成对，页面上会原样显示", &text[run]),
            hint: "加粗写成 **文字**、斜体写成 *文字*，前后星号要成对；要显示星号本身，写成 \\*"
                .into(),
        });
    }
    // Sanitizing re-parses the whole page as HTML: do it only when there is raw HTML at all.
    let sanitize = !opts.allow_html
        && events
            .iter()
            .any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut result: Vec<Event> = Vec::with_capacity(events.len());
    // Positions in `result` of the raw HTML qili writes itself, which is never sanitized.
    let mut ours: HashSet<usize> = HashSet::new();

    let mut numbering = Numbering::default();
    let mut article_id = String::new();

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
                    numbering.next_chapter_id()
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
                let title = if is_chapter {
                    let numbered = numbering.chapter(&title);
                    inner = vec![Event::Text(CowStr::from(numbered.clone()))];
                    numbered
                } else {
                    title
                };
                out.toc.push(TocEntry {
                    level: *level as u8,
                    id: unique.clone(),
                    title,
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
                if numbering.enter_list() {
                    ours.insert(result.len());
                    result.push(Event::Html(CowStr::from("<div class=\"tiaos\">\n")));
                } else {
                    result.push(event.clone());
                }
            }
            Event::End(TagEnd::List(_)) if opts.regulation => {
                if numbering.leave_list() {
                    ours.insert(result.len());
                    result.push(Event::Html(CowStr::from("</div>\n")));
                } else {
                    result.push(event.clone());
                }
            }
            Event::Start(Tag::Item) if opts.regulation && numbering.at_article() => {
                let article = numbering.start_article();
                let id = unique_id(&mut used_ids, format!("tiao-{article}"));
                out.anchors.push(id.clone());
                article_id.clone_from(&id);
                ours.insert(result.len());
                result.push(Event::Html(CowStr::from(article_open(&id))));
                let number = article_number(&id, article);
                // In a loose list the text sits in a paragraph: put the number inside it.
                if matches!(events.get(i + 1), Some((Event::Start(Tag::Paragraph), _))) {
                    result.push(Event::Start(Tag::Paragraph));
                    i += 1;
                }
                ours.insert(result.len());
                result.push(Event::InlineHtml(CowStr::from(number)));
            }
            Event::End(TagEnd::Item) if opts.regulation && numbering.at_article() => {
                ours.insert(result.len());
                result.push(Event::Html(CowStr::from("</div>\n")));
                out.articles
                    .push(numbering.end_article(std::mem::take(&mut article_id)));
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
                numbering.text(t);
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
                    numbering.text(" ");
                    result.push(event.clone());
                }
            }
            Event::HardBreak => {
                numbering.text(" ");
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
    out.text = self::text::plain_text(&result);
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, result.into_iter());
    out.html = html;
    out
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
