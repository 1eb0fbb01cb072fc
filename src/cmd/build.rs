//! `qili build`: the whole site into the output folder, or nothing at all if it has errors.

use super::Args;
use crate::build::{Outcome, Stats};
use crate::report;
use std::process::ExitCode;

pub fn run(args: &Args) -> ExitCode {
    match crate::build::run(&args.build_options(true)) {
        Ok(outcome) => {
            report::diagnostics(&outcome.diagnostics);
            finish(&outcome, |stats| report::built(stats, &args.output))
        }
        Err(e) => {
            report::internal(&e);
            ExitCode::from(1)
        }
    }
}

/// Shared by `build` and `check`: success only for a pass that got through with no errors;
/// otherwise the error count and exit code 1.
pub(super) fn finish(outcome: &Outcome, on_success: impl FnOnce(&Stats)) -> ExitCode {
    let d = &outcome.diagnostics;
    match (&outcome.stats, d.has_errors()) {
        (Some(stats), false) => {
            on_success(stats);
            ExitCode::SUCCESS
        }
        _ => {
            report::failed(d, report::NOTHING_WRITTEN);
            ExitCode::from(1)
        }
    }
}
