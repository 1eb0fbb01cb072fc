//! The rendered page as a flat list of tags and text, read with html5ever's tokenizer, and
//! written back. The export's rewrites (`rewrite`) walk this list instead of a tree: the HTML
//! they read has been parsed and written back by html5ever already (css-inline's output), so
//! every element but the void ones has its end tag, and a subtree can be skipped by counting.

use crate::render::templates::escape;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::TokenizerResult;
use std::cell::RefCell;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        /// Has no content and no end tag.
        void: bool,
    },
    End(String),
    /// Decoded text: escaped again when written.
    Text(String),
}

const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

struct Collector(RefCell<Vec<Tok>>);

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut toks = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                if tag.kind == TagKind::EndTag {
                    toks.push(Tok::End(name));
                    return TokenSinkResult::Continue;
                }
                let attrs = tag
                    .attrs
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect();
                let void = VOID.contains(&name.as_str()) || tag.self_closing;
                // The tree builder tells the tokenizer how to read these; alone, it must be told.
                let next = match name.as_str() {
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                        TokenSinkResult::RawData(RawKind::Rawtext)
                    }
                    "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                    "plaintext" => TokenSinkResult::Plaintext,
                    _ => TokenSinkResult::Continue,
                };
                toks.push(Tok::Start { name, attrs, void });
                next
            }
            Token::CharacterTokens(t) => {
                match toks.last_mut() {
                    Some(Tok::Text(s)) => s.push_str(&t),
                    _ => toks.push(Tok::Text(t.to_string())),
                }
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

/// Tags and text of `html`; comments and the doctype are left out.
pub(super) fn tokenize(html: &str) -> Vec<Tok> {
    let tokenizer = Tokenizer::new(
        Collector(RefCell::new(Vec::new())),
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    while let TokenizerResult::Script(()) = tokenizer.feed(&input) {}
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// An attribute name that cannot break out of its tag when written back.
fn plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
}

pub(super) fn write(out: &mut String, tok: &Tok) {
    match tok {
        Tok::Start { name, attrs, .. } => {
            out.push('<');
            out.push_str(name);
            for (k, v) in attrs.iter().filter(|(k, _)| plain_name(k)) {
                out.push_str(&format!(" {k}=\"{}\"", escape(v)));
            }
            out.push('>');
        }
        Tok::End(name) => out.push_str(&format!("</{name}>")),
        Tok::Text(t) => out.push_str(&escape(t)),
    }
}

pub(super) fn attr<'t>(attrs: &'t [(String, String)], name: &str) -> Option<&'t str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

pub(super) fn has_class(attrs: &[(String, String)], classes: &[&str]) -> bool {
    attr(attrs, "class").is_some_and(|c| c.split_ascii_whitespace().any(|c| classes.contains(&c)))
}

/// Walks tokens, skipping whole subtrees on request.
pub(super) struct Walker {
    pub(super) depth: usize,
    /// Skipping until the depth comes back to this.
    skip_to: Option<usize>,
}

impl Walker {
    pub(super) fn new() -> Walker {
        Walker {
            depth: 0,
            skip_to: None,
        }
    }

    /// Whether `tok` falls in a skipped subtree (keeping count of depth either way).
    pub(super) fn skipped(&mut self, tok: &Tok) -> bool {
        let Some(to) = self.skip_to else {
            return false;
        };
        match tok {
            Tok::Start { void: false, .. } => self.depth += 1,
            Tok::End(_) => {
                self.depth -= 1;
                if self.depth == to {
                    self.skip_to = None;
                }
            }
            _ => {}
        }
        true
    }

    /// Skips the element `tok` starts, with everything in it.
    pub(super) fn skip(&mut self, tok: &Tok) {
        if let Tok::Start { void: false, .. } = tok {
            self.skip_to = Some(self.depth);
            self.depth += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_text_is_read_as_text_and_attributes_decoded() {
        let toks = tokenize("<p title=\"a&amp;b\">x &lt;y&gt;</p><script>if (a<b) {}</script>");
        assert_eq!(
            toks[0],
            Tok::Start {
                name: "p".into(),
                attrs: vec![("title".into(), "a&b".into())],
                void: false
            }
        );
        assert_eq!(toks[1], Tok::Text("x <y>".into()));
        assert_eq!(toks[4], Tok::Text("if (a<b) {}".into()));
    }
}
