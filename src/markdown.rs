//! Markdown to HTML with pulldown-cmark, plus what a plain renderer does not do: stable pinyin
//! anchors for Chinese headings, `@/path.md#anchor` links between sources, raw HTML escaped by
//! default, and for regulations automatic 第N章 / 第N条 numbering with `#tiao-N` anchors.

use crate::model::slug;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options as CmarkOptions, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Pass raw HTML through instead of showing it as text.
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

pub fn render(text: &str, base_path: &str, opts: Options, links: &dyn LinkResolver) -> Rendered {
    let mut cm = CmarkOptions::empty();
    cm.insert(CmarkOptions::ENABLE_TABLES);
    cm.insert(CmarkOptions::ENABLE_FOOTNOTES);
    cm.insert(CmarkOptions::ENABLE_STRIKETHROUGH);
    cm.insert(CmarkOptions::ENABLE_TASKLISTS);
    cm.insert(CmarkOptions::ENABLE_HEADING_ATTRIBUTES);

    let mut out = Rendered::default();
    let events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(text, cm).into_offset_iter().collect();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut result: Vec<Event> = Vec::with_capacity(events.len());

    let mut chapter = 0usize;
    let mut chapter_title = String::new();
    let mut article = 0usize;
    let mut list_depth = 0usize;
    let mut article_text: Option<String> = None;

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
                let mut inner: Vec<Event> =
                    events[i + 1..j].iter().map(|(e, _)| e.clone()).collect();
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
                    attrs: attrs.clone(),
                }));
                result.extend(inner.into_iter().map(|e| escape_html(e, opts.allow_html)));
                result.push(Event::End(TagEnd::Heading(*level)));
                i = j + 1;
                continue;
            }
            Event::Start(Tag::List(_)) if opts.regulation => {
                if list_depth == 0 {
                    result.push(Event::Html(CowStr::from("<div class=\"tiaos\">\n")));
                } else {
                    result.push(event.clone());
                }
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) if opts.regulation => {
                list_depth -= 1;
                if list_depth == 0 {
                    result.push(Event::Html(CowStr::from("</div>\n")));
                } else {
                    result.push(event.clone());
                }
            }
            Event::Start(Tag::Item) if opts.regulation && list_depth == 1 => {
                article += 1;
                let id = unique_id(&mut used_ids, format!("tiao-{article}"));
                out.anchors.push(id.clone());
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
                result.push(Event::InlineHtml(CowStr::from(number)));
                article_text = Some(String::new());
            }
            Event::End(TagEnd::Item) if opts.regulation && list_depth == 1 => {
                result.push(Event::Html(CowStr::from("</div>\n")));
                out.articles.push(Article {
                    number: article,
                    chapter: chapter_title.clone(),
                    text: article_text.take().unwrap_or_default().trim().to_string(),
                });
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = resolve_link(dest_url, range.start, base_path, links, &mut out);
                result.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: dest,
                    title: title.clone(),
                    id: id.clone(),
                }));
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
            other => result.push(escape_html(other.clone(), opts.allow_html)),
        }
        i += 1;
    }

    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, result.into_iter());
    out.html = html;
    out
}

/// Raw HTML from the source is shown as text unless the site allows it: pasted WeChat markup
/// must not run scripts or load anything.
fn escape_html(e: Event<'_>, allow: bool) -> Event<'_> {
    match e {
        Event::Html(h) | Event::InlineHtml(h) if !allow => Event::Text(h),
        other => other,
    }
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

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let r = plain("<script>alert(1)</script>\n\n段落 <img src=x onerror=alert(1)>\n");
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(!r.html.contains("<img"), "{}", r.html);
        let r = render(
            "<b>x</b>\n",
            "/",
            Options {
                allow_html: true,
                ..Default::default()
            },
            &no_links,
        );
        assert!(r.html.contains("<b>x</b>"));
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
    fn tables_footnotes_strikethrough_and_tasks() {
        let r = plain("|a|b|\n|-|-|\n|1|2|\n\n~~删~~ 注[^1]\n\n[^1]: 脚注\n\n- [ ] 待办\n");
        for needle in ["<table>", "<del>", "footnote", "checkbox"] {
            assert!(r.html.contains(needle), "{needle}: {}", r.html);
        }
    }
}
