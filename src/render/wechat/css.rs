//! Inline `style` values after inlining: what the 公众号 editor rejects is dropped, and what an
//! article inherits from the page around it is picked out for the wrapper that stands in for it.

/// Properties the 公众号 editor rejects or that only make sense with them: positioned and
/// transformed layouts, and flex or grid gaps. Vendor prefixes are stripped before the lookup.
const REJECTED: &[&str] = &[
    "position",
    "top",
    "right",
    "bottom",
    "left",
    "inset",
    "inset-block",
    "inset-inline",
    "z-index",
    "transform",
    "transform-origin",
    "transform-style",
    "translate",
    "rotate",
    "scale",
    "perspective",
    "perspective-origin",
    "gap",
    "row-gap",
    "column-gap",
    "grid-gap",
    "grid-row-gap",
    "grid-column-gap",
];

/// Properties an element passes on to its children: the only ones an ancestor of the article
/// contributes to how the article looks.
const INHERITED: &[&str] = &[
    "color",
    "direction",
    "font",
    "font-family",
    "font-feature-settings",
    "font-kerning",
    "font-size",
    "font-stretch",
    "font-style",
    "font-variant",
    "font-weight",
    "hyphens",
    "letter-spacing",
    "line-break",
    "line-height",
    "list-style",
    "list-style-position",
    "list-style-type",
    "overflow-wrap",
    "quotes",
    "tab-size",
    "text-align",
    "text-indent",
    "text-rendering",
    "text-transform",
    "visibility",
    "white-space",
    "word-break",
    "word-spacing",
    "word-wrap",
];

/// `name: value` pairs of a `style` attribute, names lowercased. Semicolons inside quotes or
/// parentheses (`url(data:…;base64,…)`, font names) do not end a declaration.
pub fn declarations(style: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut start = 0;
    let mut push = |part: &str| {
        if let Some((name, value)) = part.split_once(':') {
            let (name, value) = (name.trim(), value.trim());
            if !name.is_empty() && !value.is_empty() {
                out.push((name.to_ascii_lowercase(), value.to_string()));
            }
        }
    };
    for (i, c) in style.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            (None, ';') if depth == 0 => {
                push(&style[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    push(&style[start..]);
    out
}

fn unprefixed(name: &str) -> &str {
    ["-webkit-", "-moz-", "-ms-", "-o-"]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name)
}

/// Whether the 公众号 keeps a declaration. Custom properties and `var()` are gone once
/// css-inline has resolved them; any left had nothing to resolve to. `url()` would point
/// relative to the stylesheet, which the article no longer has, and the editor keeps only
/// pictures it hosts itself.
fn accepted(name: &str, value: &str) -> bool {
    let value = value.to_ascii_lowercase();
    !name.starts_with("--")
        && !REJECTED.contains(&unprefixed(name))
        && !value.contains("var(")
        && !value.contains("url(")
        && !value.contains("expression(")
}

fn join(decls: impl Iterator<Item = (String, String)>) -> String {
    decls
        .map(|(n, v)| format!("{n}:{v}"))
        .collect::<Vec<_>>()
        .join(";")
}

/// `style` with what the 公众号 rejects dropped; empty when nothing is left.
pub fn clean(style: &str) -> String {
    join(
        declarations(style)
            .into_iter()
            .filter(|(n, v)| accepted(n, v)),
    )
}

/// The inherited part of an ancestor's `style`, cleaned.
pub fn inherited(style: &str) -> String {
    join(
        declarations(style)
            .into_iter()
            .filter(|(n, v)| INHERITED.contains(&unprefixed(n)) && accepted(n, v)),
    )
}

/// Whether `style` hides its element: the editor may drop `display:none`, showing what the page
/// never shows.
pub fn hides(style: &str) -> bool {
    declarations(style)
        .iter()
        .any(|(n, v)| n == "display" && v.to_ascii_lowercase().starts_with("none"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejected_properties_and_variables_go_and_the_rest_stays() {
        let style = "position:relative;-webkit-transform:rotate(45deg);transform:none;gap:4px;\
                     row-gap:1px;color:var(--c);margin:0 auto;font-family:\"A;B\",sans-serif;\
                     top:0;background:url(x.png);z-index:2;--c:red;font-size:17px";
        assert_eq!(
            clean(style),
            "margin:0 auto;font-family:\"A;B\",sans-serif;font-size:17px"
        );
        assert_eq!(clean("position:absolute"), "");
    }

    #[test]
    fn only_inherited_properties_pass_to_the_wrapper() {
        let body = "margin:0;background:#fff;color:#1a1a1a;font-size:19px;line-height:1.8;\
                    padding:0 16px;-webkit-hyphens:auto";
        assert_eq!(
            inherited(body),
            "color:#1a1a1a;font-size:19px;line-height:1.8;-webkit-hyphens:auto"
        );
    }

    #[test]
    fn hidden_is_display_none() {
        assert!(hides("color:red; DISPLAY: none !important"));
        assert!(!hides("display:block"));
    }
}
