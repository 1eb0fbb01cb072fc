//! `qili wechat <source>`: one lesson or notice as a WeChat 公众号 article (an HTML fragment
//! with every style inline), with the title, 摘要 and 阅读原文 link printed for the editor.

use super::{Args, Article};
use crate::config::SiteConfig;
use crate::model::{Options, Site};
use crate::render::wechat::{self, Theme};
use crate::report;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &Args, article: &Article) -> ExitCode {
    let config = match SiteConfig::read(&args.root) {
        Ok(c) => c,
        Err(problems) => {
            report::diagnostics(&problems.into_iter().collect());
            return ExitCode::from(1);
        }
    };
    let (sources, mut problems) = crate::load::sources(&args.root);
    let opts = Options {
        drafts: args.drafts,
        today: args.today.date,
    };
    let (site, model_problems) = Site::build(config, sources, &opts);
    problems.extend(model_problems);
    if problems.iter().any(|d| d.is_error()) {
        report::diagnostics(&problems.into_iter().collect());
        return ExitCode::from(1);
    }
    let theme = match Theme::load(&args.root, &site.config.theme) {
        Ok(t) => t,
        Err(d) => {
            report::diagnostics(&d.into_iter().collect());
            return ExitCode::from(1);
        }
    };
    let export = match wechat::export(&site, &theme, &article.source, article.audience.as_deref()) {
        Ok(e) => e,
        Err(d) => {
            report::diagnostics(&vec![d].into_iter().collect());
            return ExitCode::from(1);
        }
    };
    if !export.warnings.is_empty() {
        report::diagnostics(&export.warnings.iter().cloned().collect());
    }
    let written = match &article.output {
        Some(path) => std::fs::write(path, &export.html).map_err(|e| crate::Error::io(path, e)),
        None => std::io::stdout()
            .write_all(export.html.as_bytes())
            .map_err(|e| crate::Error::io(std::path::Path::new("-"), e)),
    };
    if let Err(e) = written {
        report::error(e);
        return ExitCode::from(1);
    }
    eprintln!(
        "标题（{} 字）：{}",
        export.title.chars().count(),
        export.title
    );
    eprintln!(
        "摘要（{} 字）：{}",
        export.digest.chars().count(),
        export.digest
    );
    eprintln!("阅读原文：{}", export.read_more_url);
    if let Some(path) = &article.output {
        eprintln!("已写出：{}（粘贴到公众号编辑器的正文）", path.display());
    }
    ExitCode::SUCCESS
}
