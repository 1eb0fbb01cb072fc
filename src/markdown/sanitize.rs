//! Raw HTML in Markdown (markup pasted from WeChat articles, mostly): cleaned with an ammonia
//! allow-list piece by piece, and an HTML block that never closes its `<script>`, `<style>`,
//! `<textarea>` or `<!--` reported (E208) before it swallows the text after it.

use super::links::{is_safe_url, is_same_site};
use super::Problem;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Replaces every piece of the document that holds raw HTML by its sanitized rendering. A piece
/// is one HTML block, or one run of inline content (a paragraph's, a heading's, a table cell's)
/// with raw HTML in it. Cleaning piece by piece, rather than the page at once, keeps a half-pasted
/// `<!--`, `<script>` or `<textarea>` from swallowing the rest of the page, and leaves the markup
/// qili writes itself (heading ids, 第N条, footnotes, task lists, tables) alone.
pub(super) fn sanitize_events<'a>(events: Vec<Event<'a>>, ours: &HashSet<usize>) -> Vec<Event<'a>> {
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
pub(super) fn unclosed_raw_block(
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

/// Tags pasted WeChat markup may keep: text formatting, lists, tables, figures, pictures.
const ALLOWED_TAGS: &str =
    "a abbr b blockquote br caption code col colgroup dd del div dl dt em figcaption \
    figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s section small span \
    strike strong sub sup table tbody td tfoot th thead tr u ul";

/// The allow-list for raw HTML: the formatting pasted WeChat markup may keep. Scripts, event
/// handlers, styles, frames, forms and anything loaded from another host go.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut b = ammonia::Builder::empty();
        b.add_tags(ALLOWED_TAGS.split_ascii_whitespace());
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
        b.attribute_filter(filter_attribute);
        b
    })
}

/// The values an allowed attribute may keep, beyond what the allow-list checks.
fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match (element, attribute) {
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
    }
}

/// Cleans a piece of HTML with [`sanitizer`].
pub fn sanitize_html(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use crate::markdown::tests::{no_links, plain, trusted};
    use crate::markdown::{render, Options};

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
}
