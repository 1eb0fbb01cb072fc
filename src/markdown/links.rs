//! Links and addresses in Markdown: `@/path.md#anchor` links between sources resolved to site
//! URLs (a missing page is E206; every `#anchor` link is recorded so that E207 can be checked
//! once all pages' anchors are known), and addresses that could run script or load from
//! another host told apart from harmless ones.

use super::{Options, Problem, Rendered};
use pulldown_cmark::{CowStr, Event, Tag};

/// A link to an anchor, checked once every page's anchors are known.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    /// Site-relative URL of the target page; `None` for the page itself.
    pub page: Option<String>,
    pub anchor: String,
    pub offset: usize,
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

/// A link with its `@/` target resolved, or a link or image whose address could run script made
/// harmless (unless the site trusts its HTML); `None` for any other event.
pub(super) fn with_safe_url<'a>(
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

/// An address on another host: loading it would be a request to that host.
pub(super) fn is_external(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("http://") || u.starts_with("https://") || u.starts_with("//")
}

/// A link target that cannot run script: relative, or http(s), mailto, tel.
pub(super) fn is_safe_url(url: &str) -> bool {
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
pub(super) fn is_same_site(url: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use crate::markdown::tests::{plain, trusted};
    use crate::markdown::{render, Options};

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
}
