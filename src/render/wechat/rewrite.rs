//! The two rewrites of the export around inlining: [`prepare`] before it (links become
//! references, pictures get absolute addresses, parts that only make sense on the site go) and
//! [`extract`] after it (the article alone, with nothing the 公众号 editor rejects).

use super::css;
use super::tokens::{attr, has_class, tokenize, write, Tok, Walker};
use crate::render::templates::escape;
use std::collections::{HashMap, HashSet};

/// Elements that go with everything inside them: scripts, styles and what loads or runs
/// something, forms, and vector graphics the editor does not take. Raw-text elements (script,
/// style, textarea …) are all here, so their text is never written back.
const DROPPED: &str = "audio button canvas embed form frame frameset head iframe input link math \
    meta noembed noframes noscript object plaintext script select style svg template textarea \
    title video xmp";

fn dropped(name: &str) -> bool {
    DROPPED.split_ascii_whitespace().any(|d| d == name)
}

/// Classes of parts that only make sense on the site (links to its other versions and print
/// views); a theme can mark more with `wechat-hide`.
const SITE_ONLY: &[&str] = &["other-versions", "print-links", "wechat-hide"];

/// Attributes the article keeps; everything else (class, id, event handlers, data-…) goes.
const KEPT_ATTRS: &[&str] = &[
    "style", "src", "alt", "colspan", "rowspan", "start", "reversed", "value", "span", "dir",
];

/// Where the article starts: the page's `<article>`, else its `<main>`, else its `<body>`.
fn root(toks: &[Tok]) -> Option<usize> {
    ["article", "main", "body"].iter().find_map(|want| {
        toks.iter()
            .position(|t| matches!(t, Tok::Start { name, .. } if name == want))
    })
}

/// A reference at the end of the article: the link's text and its absolute address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub title: String,
    pub url: String,
}

/// The page with its article made ready for the 公众号, still with its classes so the theme's
/// CSS applies: every link becomes its text and a `[n]` marker (addresses that are neither
/// the web nor the site's own pages — in-page anchors, `tel:` — become text alone), the
/// references follow the article, pictures get absolute addresses (or become their
/// description), 任务清单 boxes become ☐ and ☑, and the page's title heading (the 公众号 shows
/// the title itself) and the site-only parts go.
pub fn prepare(html: &str, absolute: &dyn Fn(&str) -> Option<String>) -> (String, Vec<Reference>) {
    let toks = tokenize(html);
    let mut p = Preparation {
        absolute,
        root: root(&toks),
        out: String::with_capacity(html.len()),
        refs: Vec::new(),
        w: Walker::new(),
        inside: None,
        link: None,
    };
    for (i, tok) in toks.iter().enumerate() {
        if p.w.skipped(tok) {
            continue;
        }
        match tok {
            Tok::Start { name, attrs, void } => p.start(i, tok, name, attrs, *void),
            Tok::End(name) => p.end(tok, name),
            Tok::Text(t) => {
                if let Some((_, text)) = &mut p.link {
                    text.push_str(t);
                }
                write(&mut p.out, tok);
            }
        }
    }
    (p.out, p.refs)
}

/// The state of [`prepare`] as it walks the page.
struct Preparation<'a> {
    absolute: &'a dyn Fn(&str) -> Option<String>,
    /// The index of the article's start token.
    root: Option<usize>,
    out: String,
    refs: Vec<Reference>,
    w: Walker,
    /// Depth of the root element while inside it.
    inside: Option<usize>,
    /// The link being read: its address (if it gets a reference) and its text.
    link: Option<(Option<String>, String)>,
}

impl Preparation<'_> {
    fn start(&mut self, i: usize, tok: &Tok, name: &str, attrs: &[(String, String)], void: bool) {
        let within = self.inside.is_some_and(|r| self.w.depth > r);
        let title = within && name == "h1" && self.inside == Some(self.w.depth - 1);
        if dropped(name) || has_class(attrs, SITE_ONLY) || title {
            self.w.skip(tok);
            return;
        }
        if Some(i) == self.root {
            self.inside = Some(self.w.depth);
        }
        if within && self.rewritten(tok, name, attrs, void) {
            return;
        }
        write(&mut self.out, tok);
        if !void {
            self.w.depth += 1;
        }
    }

    /// Writes what the article has instead of a link's start, a picture or a task box, and
    /// says whether `tok` was one of them.
    fn rewritten(&mut self, tok: &Tok, name: &str, attrs: &[(String, String)], void: bool) -> bool {
        match name {
            "a" => {
                let url = attr(attrs, "href").and_then(self.absolute);
                self.link = Some((url, String::new()));
                self.w.depth += 1;
            }
            "img" => match attr(attrs, "src").and_then(self.absolute) {
                Some(src) => {
                    let mut attrs = attrs.to_vec();
                    attrs.retain(|(k, _)| k != "src" && k != "srcset");
                    attrs.push(("src".into(), src));
                    let img = Tok::Start {
                        name: name.to_string(),
                        attrs,
                        void,
                    };
                    write(&mut self.out, &img);
                }
                None => {
                    let alt = attr(attrs, "alt").unwrap_or_default();
                    write(&mut self.out, &Tok::Text(alt.to_string()));
                }
            },
            "span" if has_class(attrs, &["task"]) => {
                let done = has_class(attrs, &["task-done"]);
                write(
                    &mut self.out,
                    &Tok::Text(if done { "☑ " } else { "☐ " }.into()),
                );
                self.w.skip(tok);
            }
            _ => return false,
        }
        true
    }

    /// A link's end becomes its `[n]` marker; the article's end is preceded by the references.
    fn end(&mut self, tok: &Tok, name: &str) {
        self.w.depth = self.w.depth.saturating_sub(1);
        if name == "a" {
            if let Some((url, text)) = self.link.take() {
                if let Some(url) = url {
                    let n = number(&mut self.refs, url, &text);
                    write(&mut self.out, &Tok::Text(format!("[{n}]")));
                }
                return;
            }
        }
        if self.inside == Some(self.w.depth) {
            self.inside = None;
            if !self.refs.is_empty() {
                self.out.push_str(&references(&self.refs));
            }
        }
        write(&mut self.out, tok);
    }
}

/// The number of `url` among the references, added if new (one address, one number).
fn number(refs: &mut Vec<Reference>, url: String, text: &str) -> usize {
    if let Some(i) = refs.iter().position(|r| r.url == url) {
        return i + 1;
    }
    let title = text.split_whitespace().collect::<Vec<_>>().join(" ");
    refs.push(Reference { title, url });
    refs.len()
}

/// The 参考链接 list, with classes for the theme's CSS (`wechat-refs` for a theme to style).
fn references(refs: &[Reference]) -> String {
    let mut out = String::from("<section class=\"wechat-refs\"><h2>参考链接</h2>");
    for (i, r) in refs.iter().enumerate() {
        let line = if r.title.is_empty() || r.title == r.url {
            format!("[{}] {}", i + 1, r.url)
        } else {
            format!("[{}] {}：{}", i + 1, r.title, r.url)
        };
        out.push_str(&format!("<p class=\"meta\">{}</p>", escape(&line)));
    }
    out.push_str("</section>");
    out
}

/// The article of an inlined page, alone: it becomes a `<section>`, inside one `<section>` per
/// ancestor that passes on inherited styles (the page's `body` font and colour), and keeps only
/// inline styles the 公众号 accepts and the attributes pictures and tables need.
pub fn extract(html: &str) -> String {
    let toks = tokenize(html);
    let Some(root) = root(&toks) else {
        return String::new();
    };
    let wrappers = inherited_styles(&toks[..root]);
    let mut out = String::with_capacity(html.len());
    for style in &wrappers {
        out.push_str(&format!("<section style=\"{}\">", escape(style)));
    }
    let mut w = Walker::new();
    // Open `<pre>` elements: their white space is their content.
    let mut pre = 0usize;
    for tok in &toks[root..] {
        if w.skipped(tok) {
            continue;
        }
        match tok {
            Tok::Start { name, attrs, void } => {
                let style = attr(attrs, "style").unwrap_or_default();
                if dropped(name) || css::hides(style) {
                    w.skip(tok);
                    continue;
                }
                let attrs = kept_attrs(attrs);
                if name == "pre" {
                    pre += 1;
                }
                let name = if w.depth == 0 { "section" } else { name };
                let tok = Tok::Start {
                    name: name.to_string(),
                    attrs,
                    void: *void,
                };
                write(&mut out, &tok);
                if !void {
                    w.depth += 1;
                }
            }
            Tok::End(name) => {
                w.depth = w.depth.saturating_sub(1);
                if w.depth == 0 {
                    out.push_str("</section>");
                    break;
                }
                if name == "pre" {
                    pre = pre.saturating_sub(1);
                }
                write(&mut out, &Tok::End(name.clone()));
            }
            // The blank lines templates leave between blocks: one line break is enough.
            Tok::Text(t) if pre == 0 && t.contains('\n') && t.trim().is_empty() => out.push('\n'),
            Tok::Text(_) => write(&mut out, tok),
        }
    }
    out.push_str(&"</section>".repeat(wrappers.len()));
    out
}

/// The styles the article inherits from the elements open before it (the page's `body` font
/// and colour), outermost first; elements passing on nothing are left out.
fn inherited_styles(before: &[Tok]) -> Vec<String> {
    let mut open: Vec<&str> = Vec::new();
    for tok in before {
        match tok {
            Tok::Start {
                attrs, void: false, ..
            } => open.push(attr(attrs, "style").unwrap_or_default()),
            Tok::End(_) => {
                open.pop();
            }
            _ => {}
        }
    }
    open.iter()
        .map(|s| css::inherited(s))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The attributes the 公众号 keeps, the style cleaned to what it accepts (and gone if that is
/// nothing).
fn kept_attrs(attrs: &[(String, String)]) -> Vec<(String, String)> {
    attrs
        .iter()
        .filter(|(k, _)| KEPT_ATTRS.contains(&k.as_str()))
        .map(|(k, v)| match k.as_str() {
            "style" => (k.clone(), css::clean(v)),
            _ => (k.clone(), v.clone()),
        })
        .filter(|(k, v)| k != "style" || !v.is_empty())
        .collect()
}

/// Tags the article may contain, and attributes beyond `style`.
const TAGS: &str = "section div p br hr span strong b em i u s del ins mark small sub sup code \
    pre kbd samp blockquote q cite abbr h1 h2 h3 h4 h5 h6 ol ul li dl dt dd table caption \
    colgroup col thead tbody tfoot tr th td img figure figcaption";
const TAG_ATTRIBUTES: &[(&str, &str)] = &[
    ("img", "src alt"),
    ("td", "colspan rowspan"),
    ("th", "colspan rowspan"),
    ("ol", "start reversed"),
    ("li", "value"),
    ("col", "span"),
    ("colgroup", "span"),
];

/// The last word on what the article may contain: an allow-list of tags and attributes, so
/// nothing from the content or a theme can carry a script, an event handler or a class.
pub fn sanitize(html: &str) -> String {
    let words = |s: &'static str| s.split_ascii_whitespace().collect::<HashSet<&str>>();
    let tag_attributes: HashMap<&str, HashSet<&str>> = TAG_ATTRIBUTES
        .iter()
        .map(|(tag, attrs)| (*tag, words(attrs)))
        .collect();
    ammonia::Builder::empty()
        .tags(words(TAGS))
        .generic_attributes(words("style dir"))
        .tag_attributes(tag_attributes)
        .url_schemes(words("http https"))
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(None)
        .strip_comments(true)
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn abs(href: &str) -> Option<String> {
        href.starts_with("http").then(|| href.to_string())
    }

    #[test]
    fn links_become_text_and_numbered_references() {
        let page = "<html><head></head><body><article><h1>标题</h1><p>见<a href=\"https://a.cn/\">甲</a>、\
                    <a href=\"#x\">本页</a>和<a href=\"https://a.cn/\">甲又</a>，<a href=\"https://b.cn/\">https://b.cn/</a></p></article></body></html>";
        let (html, refs) = prepare(page, &abs);
        assert!(!html.contains("<a ") && !html.contains("<h1>"), "{html}");
        assert!(
            html.contains("见甲[1]、本页和甲又[1]，https://b.cn/[2]"),
            "{html}"
        );
        assert!(html.contains("<p class=\"meta\">[1] 甲：https://a.cn/</p><p class=\"meta\">[2] https://b.cn/</p></section></article>"), "{html}");
        assert_eq!(refs.len(), 2);
    }

    #[test]
    fn extract_keeps_the_article_and_inherited_styles_only() {
        let page = "<html><body style=\"margin:0;color:#111;font-size:19px\"><div style=\"padding:0 16px\"><article class=\"lesson\" id=\"a\" style=\"position:relative\">\
                    <p class=\"x\" onclick=\"y()\" style=\"margin:0;gap:2px\">t</p><span style=\"display:none\">hidden</span></article></div><footer>f</footer></body></html>";
        assert_eq!(
            extract(page),
            "<section style=\"color:#111;font-size:19px\"><section><p style=\"margin:0\">t</p></section></section>"
        );
    }

    #[test]
    fn word_lists_hold_whole_words() {
        for name in [
            "audio", "math", "meta", "noembed", "noframes", "textarea", "title", "xmp",
        ] {
            assert!(dropped(name), "{name}");
        }
        assert!(!dropped("p") && !dropped("section"));
        let tags: Vec<&str> = TAGS.split_ascii_whitespace().collect();
        assert!(tags.contains(&"code") && tags.contains(&"pre") && tags.contains(&"caption"));
        assert!(tags.contains(&"colgroup") && tags.contains(&"figcaption"));
    }
}
