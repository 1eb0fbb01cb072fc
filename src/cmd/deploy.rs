//! `qili deploy`: build with the same checks as `qili build` (nothing is published when there is
//! an error), then publish the output to the bucket of site.yaml's `deploy:` block.

use super::{Args, Publish};
use crate::deploy;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::report;
use std::process::ExitCode;

pub fn run(args: &Args, publish: &Publish) -> ExitCode {
    let mut outcome = match crate::build::run(&args.build_options(true)) {
        Ok(o) => o,
        Err(e) => {
            report::internal(&e);
            return ExitCode::from(1);
        }
    };
    outcome
        .diagnostics
        .extend(super::check::site_findings(args));
    report::diagnostics(&outcome.diagnostics);
    if outcome.stats.is_none() || outcome.diagnostics.has_errors() {
        report::failed(&outcome.diagnostics, report::NOTHING_DEPLOYED);
        return ExitCode::from(1);
    }
    let config = match crate::config::SiteConfig::read(&args.root) {
        Ok(c) => c,
        Err(problems) => {
            report::diagnostics(&problems.into_iter().collect());
            return ExitCode::from(1);
        }
    };
    let remote = match deploy::connect(&config, |k| std::env::var(k).ok()) {
        Ok(r) => r,
        Err(e) => return failed(&e.into(), "site.yaml"),
    };
    let target = remote.target();
    let (plan, known) = match deploy::plan(&remote, &config, &args.output, publish.full) {
        Ok(p) => p,
        Err(e) => return failed(&e, &target),
    };
    if publish.dry_run {
        report::deploy_plan(&plan, &target);
        return ExitCode::SUCCESS;
    }
    let opts = deploy::Options {
        output: args.output.clone(),
        allow_delete: publish.allow_delete,
        jobs: publish.jobs,
        progress: true,
    };
    match deploy::execute(&remote, &plan, &known, &opts) {
        Ok(summary) => {
            report::deployed(&summary, &target);
            ExitCode::SUCCESS
        }
        Err(e) => failed(&e, &target),
    }
}

fn failed(e: &crate::Error, target: &str) -> ExitCode {
    let d: Diagnostics = std::iter::once(Diagnostic::internal_about(e, target)).collect();
    report::diagnostics(&d);
    report::failed(&d, report::DEPLOY_STOPPED);
    ExitCode::from(1)
}
