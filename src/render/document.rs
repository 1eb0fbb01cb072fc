//! A document's Markdown rendered for a page: `@/` links resolved for the audience being
//! rendered, and kept with its source text and position so problems are reported at file lines.

use crate::markdown::{self, Rendered};
use crate::model::{DocId, Site};
use std::borrow::Cow;

/// A rendered document with the text it came from, its file and the line its body starts on:
/// what a problem in the Markdown needs to be reported at its file line.
pub(super) struct RenderedDoc<'t> {
    pub rendered: Rendered,
    pub text: Cow<'t, str>,
    pub file: &'t str,
    pub body_line: usize,
}

impl<'t> RenderedDoc<'t> {
    pub fn new(rendered: Rendered, text: Cow<'t, str>, file: &'t str, body_line: usize) -> Self {
        RenderedDoc {
            rendered,
            text,
            file,
            body_line,
        }
    }
}

/// Markdown of one document, with `@/` links resolved for the audience being rendered.
pub(super) fn render_markdown(
    site: &Site,
    text: &str,
    audience: Option<&str>,
    regulation: bool,
) -> Rendered {
    let resolve = |key: &str| -> Option<String> {
        match site.lookup(key)? {
            DocId::Lesson(i) => {
                let l = &site.lessons[i];
                let a = audience
                    .filter(|a| l.is_for(a))
                    .or_else(|| l.doc.front.audiences.first().map(String::as_str))?;
                Some(l.url(a))
            }
            DocId::Notice(i) => Some(site.notices[i].url()),
            DocId::Regulation(i) => Some(site.regulations[i].url()),
        }
    };
    markdown::render(
        text,
        site.config.base_path(),
        markdown::Options {
            allow_html: site.config.allow_html,
            regulation,
        },
        &resolve,
    )
}
