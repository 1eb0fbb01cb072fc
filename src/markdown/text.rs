//! The plain text of a rendered page, for the search index: what a reader sees, one block per
//! line, without markup, link targets or the HTML around pasted text.

use pulldown_cmark::{Event, TagEnd};

/// Text of the events as they are written out (after sanitizing), blocks on lines of their own.
pub(super) fn plain_text(events: &[Event]) -> String {
    let mut out = String::new();
    let newline = |out: &mut String| {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
    };
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => newline(&mut out),
            Event::Html(h) | Event::InlineHtml(h) => {
                strip_tags(h, &mut out);
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::FootnoteDefinition,
            ) => newline(&mut out),
            _ => {}
        }
    }
    out
}

/// The text of an HTML fragment: tags dropped (a block tag ends a line), the entities the
/// sanitizer writes decoded. Script and style bodies never reach here: the sanitizer drops them.
fn strip_tags(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_decoded(&rest[..open], out);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "p" | "div"
                | "br"
                | "li"
                | "tr"
                | "td"
                | "th"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
        ) && !out.is_empty()
            && !out.ends_with('\n')
        {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    push_decoded(rest, out);
}

fn push_decoded(text: &str, out: &mut String) {
    if !text.contains('&') {
        out.push_str(text);
        return;
    }
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let known = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
            ("&nbsp;", ' '),
        ];
        match known.iter().find(|(e, _)| after.starts_with(e)) {
            Some((e, c)) => {
                out.push(*c);
                rest = &after[e.len()..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use crate::markdown::tests::plain;

    #[test]
    fn text_has_blocks_on_lines_without_markup_or_link_targets() {
        let r = plain("## 找谁\n\n先找**调解员**，[电话](https://e.cn/x)。\n\n- 一\n- 二\n\n|a|b|\n|-|-|\n|1|2|\n");
        assert_eq!(r.text, "找谁\n先找调解员，电话。\n一\n二\na\nb\n1\n2\n");
    }

    #[test]
    fn pasted_html_keeps_its_text_and_loses_its_tags() {
        let r =
            plain("<p>甲&amp;乙<script>alert(1)</script></p><section><span>丙</span></section>\n");
        assert!(r.text.contains("甲&乙"), "{}", r.text);
        assert!(r.text.contains('丙'));
        assert!(
            !r.text.contains("alert") && !r.text.contains('<'),
            "{}",
            r.text
        );
    }
}
