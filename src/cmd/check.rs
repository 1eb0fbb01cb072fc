//! `qili check`: the whole pipeline short of writing, for its findings (text or JSON).

use super::build::finish;
use super::Args;
use crate::report::{self, Format};
use std::process::ExitCode;

pub fn run(args: &Args) -> ExitCode {
    match crate::build::run(&args.build_options(false)) {
        Ok(outcome) => {
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
