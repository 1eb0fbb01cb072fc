//! Markdown rendering with raw HTML sanitized and trusted, as a lesson and as a regulation.
//! Sanitized output must never carry anything active, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qili::markdown::{render, Options};

/// Elements that run code, take input or load from elsewhere; none may survive sanitizing.
const ACTIVE: &[&str] = &[
    "script",
    "iframe",
    "style",
    "object",
    "embed",
    "form",
    "link",
    "meta",
    "base",
    "svg",
    "math",
    "frame",
    "frameset",
    "textarea",
    "input",
    "button",
    "select",
    "video",
    "audio",
    "source",
    "template",
    "applet",
    "plaintext",
    "xmp",
    "title",
    "noscript",
];

/// The tags of HTML as qili and the sanitizer write it (`<` escaped in text, attribute values
/// in double quotes): name and attributes of each.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off + 1;
        if html[start..].starts_with("!--") {
            match html[start..].find("-->") {
                Some(end) => {
                    i = start + end + 3;
                    continue;
                }
                None => break,
            }
        }
        let mut j = start;
        let mut quoted = false;
        while j < bytes.len() {
            match bytes[j] {
                b'"' => quoted = !quoted,
                b'>' if !quoted => break,
                _ => {}
            }
            j += 1;
        }
        let inner = &html[start..j];
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut rest = inner;
        while let Some(eq) = rest.find("=\"") {
            let key = rest[..eq]
                .rsplit(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            let after = &rest[eq + 2..];
            let end = after.find('"').unwrap_or(after.len());
            attrs.push((key, after[..end].to_string()));
            rest = &after[(end + 1).min(after.len())..];
        }
        out.push((name, attrs));
        i = j + 1;
        if i >= bytes.len() {
            break;
        }
    }
    out
}

fn assert_inert(html: &str) {
    for (name, attrs) in tags(html) {
        let task_box = name == "input"
            && attrs.iter().any(|(k, v)| k == "type" && v == "checkbox")
            && attrs.iter().any(|(k, _)| k == "disabled");
        assert!(
            !ACTIVE.contains(&name.as_str()) || task_box,
            "<{name}> in {html}"
        );
        for (key, value) in &attrs {
            assert!(!key.starts_with("on"), "{key} on <{name}> in {html}");
            let value: String = value
                .chars()
                .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if key == "href" || key == "src" {
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!value.starts_with(scheme), "{key}={value} in {html}");
                }
            }
            if key == "style" {
                assert!(value.starts_with("text-align:"), "style={value} in {html}");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let resolve = |key: &str| (key == "lessons/a.md").then(|| "qunzhong/lessons/a/".to_string());
    for regulation in [false, true] {
        for allow_html in [false, true] {
            let r = render(
                text,
                "/qili/",
                Options {
                    allow_html,
                    regulation,
                },
                &resolve,
            );
            for p in &r.problems {
                assert!(p.offset <= text.len(), "{} beyond {}", p.offset, text.len());
            }
            for a in &r.anchor_refs {
                assert!(a.offset <= text.len());
            }
            if !allow_html {
                assert_inert(&r.html);
            }
        }
    }
});
