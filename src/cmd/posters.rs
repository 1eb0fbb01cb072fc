//! `qili posters`: every poster of the site as a PDF, printed by Chromium.

use super::Args;
use crate::report;
use crate::serve::print::{self as posters, Printed};
use std::path::Path;
use std::process::ExitCode;

pub fn run(args: &Args, pdf: &Path) -> ExitCode {
    let opts = posters::Options {
        root: args.root.clone(),
        pdf_dir: pdf.to_path_buf(),
        today: args.today.date,
        drafts: args.drafts,
    };
    if posters::find_chromium().is_some() {
        eprintln!("正在生成网站并用 Chromium 打印海报……");
    }
    match posters::run(&opts) {
        Ok(Printed::Done(summary)) => {
            report::printed(
                &summary.diagnostics,
                summary.files.len(),
                &opts.pdf_dir,
                summary.notice_posters,
                summary.regulation_posters,
            );
            ExitCode::SUCCESS
        }
        Ok(Printed::SiteErrors(d)) => {
            report::diagnostics(&d);
            report::failed(&d, report::NO_PDFS);
            ExitCode::from(1)
        }
        Err(e) => {
            report::internal(&e);
            ExitCode::from(1)
        }
    }
}
