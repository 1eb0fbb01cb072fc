//! Runs the pipeline: load → model → check → render → output. `qili build` writes the result;
//! `qili check` runs the same stages without writing.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::date::Date;
use crate::model::{self, Site};
use crate::output::{file_for_url, Assets, Staging};
use crate::render::templates::Templates;
use crate::render::{self, Page, PageOutput, Renderer};
use crate::{check, load, Error};
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub today: Date,
    /// `false` for `qili check`: render everything, write nothing.
    pub write: bool,
    pub progress: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub pages: usize,
    /// Audience name and the number of lesson pages it got.
    pub per_audience: Vec<(String, usize)>,
    pub lessons: usize,
    pub notices: usize,
    pub regulations: usize,
    pub bytes: usize,
    /// The largest HTML pages (URL, bytes), largest first.
    pub largest: Vec<(String, usize)>,
    pub elapsed: Duration,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub diagnostics: Diagnostics,
    /// Present when the site was built (or, for check, fully rendered) without errors.
    pub stats: Option<Stats>,
}

pub fn run(opts: &Options) -> Result<Outcome, Error> {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::new();
    let mut config = match load::site_config(&opts.root) {
        Ok(c) => c,
        Err(problems) => {
            diagnostics.extend(problems);
            return Ok(Outcome {
                diagnostics,
                stats: None,
            });
        }
    };
    if let Some(url) = &opts.base_url {
        config.base_url = if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        };
    }
    let theme = config.theme.clone();
    let timings = std::env::var_os("QILI_TIMINGS").is_some();
    let lap = |what: &str| {
        if timings {
            eprintln!(
                "  [{:>7.1} ms] {what}",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    };
    let (sources, problems) = load::sources(&opts.root);
    lap("load");
    diagnostics.extend(problems);
    let model_opts = model::Options {
        drafts: opts.drafts,
        today: opts.today,
    };
    let (site, problems) = Site::build(config, sources, &model_opts);
    diagnostics.extend(problems);
    lap("model");
    diagnostics.extend(check::run(&site));
    lap("check");

    let templates = match Templates::load(&opts.root, &theme) {
        Ok(t) => t,
        Err(problems) => {
            diagnostics.extend(problems);
            return Ok(Outcome {
                diagnostics,
                stats: None,
            });
        }
    };
    let assets = Assets::load(&opts.root.join("themes").join(&theme).join("static"))?;

    // Render even when earlier stages found errors, so one run reports everything; write only
    // when nothing is wrong.
    let staging = if opts.write && !diagnostics.has_errors() {
        Some(Staging::new(&opts.output)?)
    } else {
        None
    };
    lap("templates");
    let findings: Vec<Diagnostic> = diagnostics.iter().cloned().collect();
    let outputs = render_pages(
        &site,
        &templates,
        &assets,
        &findings,
        staging.as_ref(),
        opts.progress,
    )?;
    lap("render + write");
    for o in &outputs {
        diagnostics.extend(o.problems.iter().cloned());
    }
    diagnostics.extend(render::check_anchors(&outputs));
    if diagnostics.has_errors() {
        return Ok(Outcome {
            diagnostics,
            stats: None,
        });
    }
    if let Some(staging) = staging {
        assets.write(&staging)?;
        staging.commit()?;
        lap("commit");
    }
    let stats = stats(&site, &outputs, started.elapsed());
    Ok(Outcome {
        diagnostics,
        stats: Some(stats),
    })
}

/// Renders every page in parallel, writing each as soon as it is ready (and then dropping its
/// text) so memory stays flat however large the site.
fn render_pages(
    site: &Site,
    templates: &Templates,
    assets: &Assets,
    findings: &[Diagnostic],
    staging: Option<&Staging>,
    progress: bool,
) -> Result<Vec<PageOutput>, Error> {
    let renderer = Renderer::new(site, templates, assets, findings);
    let pages = Page::all(site);
    let bar = progress_bar(progress, pages.len());
    let results: Vec<Result<PageOutput, Error>> = pages
        .par_iter()
        .map(|p| {
            let mut o = renderer.render(p);
            if let Some(st) = staging {
                if o.problems.is_empty() {
                    st.write(&file_for_url(&o.url), o.body.as_bytes())?;
                }
            }
            // Keep the size for the summary, not the text.
            o.size = o.body.len();
            o.body = String::new();
            if let Some(b) = &bar {
                b.inc(1);
            }
            Ok(o)
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    results.into_iter().collect()
}

fn progress_bar(enabled: bool, len: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !enabled || len < 500 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("生成页面 {bar:40} {pos}/{len}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

fn stats(site: &Site, outputs: &[PageOutput], elapsed: Duration) -> Stats {
    let per_audience = site
        .config
        .audiences
        .iter()
        .map(|a| {
            let n = site.lessons.iter().filter(|l| l.is_for(&a.id)).count();
            (a.name.clone(), n)
        })
        .collect();
    let mut sizes: Vec<(String, usize)> = outputs
        .iter()
        .filter(|o| o.url.is_empty() || o.url.ends_with('/') || o.url.ends_with(".html"))
        .map(|o| (o.url.clone(), o.size))
        .collect();
    sizes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sizes.truncate(5);
    Stats {
        pages: outputs.len(),
        per_audience,
        lessons: site.lessons.len(),
        notices: site.notices.len(),
        regulations: site.regulations.len(),
        bytes: outputs.iter().map(|o| o.size).sum(),
        largest: sizes,
        elapsed,
    }
}

/// Today's date, for "now" when `--today` is not given.
pub fn today() -> Date {
    Date(chrono::Local::now().date_naive())
}

/// A diagnostic for an internal error, so the reporting layer has one thing to print.
pub fn internal(e: &Error) -> Diagnostic {
    Diagnostic::error("E501", "", e.to_string()).hint("检查磁盘空间和输出目录的权限")
}
