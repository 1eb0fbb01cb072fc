//! `qili check`: the whole pipeline short of writing, for its findings (text or JSON).

use super::build::finish;
use super::Args;
use crate::report::{self, Format};
use std::process::ExitCode;

pub fn run(args: &Args) -> ExitCode {
    match crate::build::run(&args.build_options(false)) {
        Ok(mut outcome) => {
            outcome.diagnostics.extend(site_findings(args));
            report::diagnostics_as(&outcome.diagnostics, args.format);
            finish(&outcome, |_| {
                if args.format == Format::Text {
                    report::checked();
                }
            })
        }
        Err(e) => {
            report::internal(&e);
            ExitCode::from(1)
        }
    }
}

/// Findings about the site as a whole that only `check` (and `deploy`) report, not every
/// rebuild of the preview: W004, a real domain without an ICP number.
pub(super) fn site_findings(args: &Args) -> Vec<crate::diagnostics::Diagnostic> {
    crate::config::SiteConfig::read(&args.root)
        .ok()
        .and_then(|c| crate::check::footer::check(&c))
        .into_iter()
        .collect()
}
