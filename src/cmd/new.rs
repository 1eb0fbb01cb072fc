//! `qili new`: a draft lesson, notice or regulation with every field explained.

use super::{Args, Draft};
use crate::report;
use std::process::ExitCode;

pub fn run(args: &Args, draft: &Draft) -> ExitCode {
    let config = match crate::config::SiteConfig::read(&args.root) {
        Ok(c) => c,
        Err(problems) => {
            report::diagnostics(&problems.into_iter().collect());
            return ExitCode::from(1);
        }
    };
    match crate::scaffold::create(
        &args.root,
        &config,
        draft.kind,
        draft.village.as_deref(),
        &draft.title,
        args.today.date,
    ) {
        Ok(path) => {
            report::created(&path);
            ExitCode::SUCCESS
        }
        Err(e) => {
            report::internal(&e);
            ExitCode::from(1)
        }
    }
}
