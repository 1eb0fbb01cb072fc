//! `qili serve`: the preview server, with the command line's choices.

use super::{Args, Preview};
use crate::report;
use std::process::ExitCode;

pub fn run(args: &Args, preview: &Preview) -> ExitCode {
    let opts = crate::serve::Options {
        root: args.root.clone(),
        bind: preview.bind,
        port: preview.port,
        poll: preview.poll,
        open: preview.open,
        edit: preview.edit,
        drafts: args.drafts,
        today: args.today,
    };
    match crate::serve::run(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report::internal(&e);
            ExitCode::from(1)
        }
    }
}
