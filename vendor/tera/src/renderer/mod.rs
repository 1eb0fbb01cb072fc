mod square_brackets;
#[cfg(test)]
mod tests;

mod call_stack;
mod for_loop;
mod macros;
mod processor;
mod stack_frame;

use std::io::Write;

use self::processor::Processor;
use crate::errors::{Error, Result};
use crate::template::Template;
use crate::tera::Tera;
use crate::Context;

/// Given a `Tera` and reference to `Template` and a `Context`, renders text
#[derive(Debug)]
pub struct Renderer<'a> {
    /// Template to render
    template: &'a Template,
    /// Houses other templates, filters, global functions, etc
    tera: &'a Tera,
    /// Read-only context to be bound to template˝
    context: &'a Context,
    /// If set rendering should be escaped
    should_escape: bool,
}

impl<'a> Renderer<'a> {
    /// Create a new `Renderer`
    #[inline]
    pub fn new(template: &'a Template, tera: &'a Tera, context: &'a Context) -> Renderer<'a> {
        let should_escape = tera.autoescape_suffixes.iter().any(|ext| {
            // We prefer a `path` if set, otherwise use the `name`
            if let Some(ref p) = template.path {
                return p.ends_with(ext);
            }
            template.name.ends_with(ext)
        });

        Renderer { template, tera, context, should_escape }
    }

    /// Combines the context with the Template to generate the end result
    pub fn render(&self) -> Result<String> {
        // qili: room for a typical page, written as text: no UTF-8 check of the whole page.
        let mut output = String::with_capacity(16 * 1024);
        let mut processor =
            Processor::new(self.template, self.tera, self.context, self.should_escape);
        processor.render(&mut output)?;
        Ok(output)
    }

    /// Combines the context with the Template to write the end result to output
    pub fn render_to(&self, output: impl Write) -> Result<()> {
        let mut processor =
            Processor::new(self.template, self.tera, self.context, self.should_escape);
        // qili: the processor writes text; the bytes go on to `output`, and its own error
        // (kept aside, `fmt::Error` carries none) is the one reported.
        let mut text = IoText { output, error: None };
        processor.render(&mut text).map_err(|e| match text.error.take() {
            Some(io) => Error::io_error(io),
            None => e,
        })
    }
}

/// Text written on to an `io::Write` (qili).
struct IoText<W: Write> {
    output: W,
    error: Option<std::io::Error>,
}

impl<W: Write> std::fmt::Write for IoText<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.output.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}
