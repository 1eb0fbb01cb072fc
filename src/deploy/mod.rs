//! Stage after build, deploy: the built site into an S3-compatible bucket (`qili deploy`).
//!
//! Incremental by content: the manifest of the last deploy (`plan::MANIFEST`, a hash per
//! object qili wrote) says what is there, the bucket's listing when there is none, after a
//! deploy that stopped half-way, or with `--full`. Only new and changed files are uploaded, in
//! an order that never leaves a page linking to a missing object (`plan`), and objects the site
//! no longer has are deleted only after every upload succeeded. Keys come from
//! the environment only; nothing outside the prefix is listed, written or deleted.

pub mod error;
pub mod files;
pub mod plan;
pub mod remote;

use crate::config::SiteConfig;
use crate::Error;
use error::DeployError;
use plan::{Known, Plan, MANIFEST};
use rayon::prelude::*;
use remote::Remote;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// With `QILI_TIMINGS` set, how long each step took (for the benchmark), as `build` prints its
/// stages.
fn timer() -> impl Fn(&str) {
    let on = std::env::var_os("QILI_TIMINGS").is_some();
    let started = Instant::now();
    move |what: &str| {
        if on {
            eprintln!(
                "  [{:>7.1} ms] deploy: {what}",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    /// The built site.
    pub output: PathBuf,
    pub allow_delete: bool,
    /// Uploads at once.
    pub jobs: usize,
    pub progress: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub uploaded: usize,
    pub unchanged: usize,
    pub deleted: usize,
    pub bytes: u64,
    pub elapsed: Duration,
}

/// The bucket of site.yaml's `deploy:` block, with the keys from `var` (the environment).
pub fn connect(
    config: &SiteConfig,
    var: impl Fn(&str) -> Option<String>,
) -> Result<Remote, DeployError> {
    let line = config
        .source
        .lines()
        .position(|l| l.starts_with("deploy:"))
        .map_or(0, |i| i + 1);
    let Some(settings) = &config.deploy else {
        return Err(DeployError::Settings {
            message: "site.yaml 里没有 deploy 设置：不知道发布到哪个存储桶".into(),
            hint: "在 site.yaml 里加上\ndeploy:\n  endpoint: https://oss-cn-lanzhou.aliyuncs.com\n  \
                   region: oss-cn-lanzhou\n  bucket: 存储桶名称\n  prefix: \"\"\n（密钥不写在这里，放在环境变量里）"
                .into(),
            line: 0,
        });
    };
    let credentials = remote::credentials_from_env(var)?;
    Remote::new(settings, credentials, line)
}

/// What the deploy would do: reads the built site and the bucket, changes nothing. The
/// manifest of the last deploy says what the bucket holds; the bucket is listed instead when
/// there is none (a first deploy, or one qili cannot read), when the last deploy stopped
/// half-way, or when `full` asks for it (someone changed the bucket by hand).
pub fn plan(
    remote: &Remote,
    config: &SiteConfig,
    output: &Path,
    full: bool,
) -> Result<(Plan, Known), Error> {
    let lap = timer();
    let audiences: Vec<String> = config.audiences.iter().map(|a| a.id.clone()).collect();
    let recorded = remote.get(MANIFEST)?.and_then(|t| plan::read_manifest(&t));
    lap("manifest");
    let local = files::scan(output, &audiences)?;
    lap("scan + hash");
    // A manifest with unknown entries was left by a deploy that stopped: whether those objects
    // exist decides their order (a missing one must come before the pages linking to it), and
    // only the listing knows.
    let trusted = |m: &Known| !full && !m.values().any(String::is_empty);
    let known = match recorded {
        Some(recorded) if trusted(&recorded) => recorded,
        recorded => {
            let recorded = recorded.unwrap_or_default();
            let sizes: BTreeMap<&str, u64> =
                local.iter().map(|f| (f.rel.as_str(), f.size)).collect();
            let listed = remote.list()?;
            lap("list");
            // An object whose size differs from the file's was changed by someone else.
            listed
                .into_iter()
                .filter(|(rel, _)| rel != MANIFEST)
                .map(|(rel, size)| {
                    let hash = match recorded.get(&rel) {
                        Some(h) if sizes.get(rel.as_str()) == Some(&size) => h.clone(),
                        _ => String::new(),
                    };
                    (rel, hash)
                })
                .collect()
        }
    };
    Ok((Plan::new(local, &known), known))
}

/// Carries out `plan`. Nothing is changed when the plan deletes too much without
/// `allow_delete`.
pub fn execute(
    remote: &Remote,
    plan: &Plan,
    known: &Known,
    opts: &Options,
) -> Result<Summary, Error> {
    let started = Instant::now();
    if plan.deletes_too_many() && !opts.allow_delete {
        return Err(Error::from(DeployError::TooManyDeletes {
            deletes: plan.deletes.len(),
            existing: plan.existing,
        }));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()
        .map_err(|e| Error::Threads {
            reason: e.to_string(),
        })?;
    let lap = timer();
    // What the bucket holds, as written to the manifest: before the uploads with the files
    // about to be written marked unknown, then after each wave with their hashes, so a deploy
    // stopped half-way is resumed rather than started over.
    let written = plan.manifest_before(known);
    if &written != known {
        put_manifest(remote, &written)?;
    }
    let bar = progress_bar(opts.progress, plan.uploads.len() + plan.deletes.len());
    pool.install(|| upload_waves(remote, plan, opts, &bar, written))?;
    lap("upload");
    let before_deletions = plan.manifest_before_deletions(known);
    if &before_deletions != known {
        put_manifest(remote, &before_deletions)?;
    }
    pool.install(|| {
        plan.deletes.par_iter().try_for_each(|rel| {
            remote.delete(rel)?;
            if let Some(b) = &bar {
                b.inc(1);
            }
            Ok::<(), Error>(())
        })
    })?;
    if !plan.deletes.is_empty() {
        put_manifest(remote, &plan.manifest)?;
    }
    lap("delete");
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(Summary {
        uploaded: plan.uploads.len(),
        unchanged: plan.unchanged,
        deleted: plan.deletes.len(),
        bytes: plan.upload_bytes(),
        elapsed: started.elapsed(),
    })
}

/// The deploy's manifest object: what the bucket holds, file by file.
fn put_manifest(remote: &Remote, files: &Known) -> Result<(), DeployError> {
    let json = plan::manifest_json(files);
    remote.put(
        MANIFEST,
        json.as_bytes(),
        "application/json; charset=utf-8",
        "no-cache",
    )
}

/// Uploads the plan's files wave by wave (in parallel within a wave, on the caller's pool),
/// writing the manifest after each wave but the last, so an interrupted deploy knows what
/// arrived.
fn upload_waves(
    remote: &Remote,
    plan: &Plan,
    opts: &Options,
    bar: &Option<indicatif::ProgressBar>,
    mut written: Known,
) -> Result<(), Error> {
    let stop_after = stop_after();
    let done = AtomicUsize::new(0);
    let mut waves = plan
        .uploads
        .chunk_by(|a, b| a.wave() == b.wave())
        .peekable();
    while let Some(wave) = waves.next() {
        wave.par_iter().try_for_each(|u| {
            let path = opts.output.join(&u.file.rel);
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            remote.put(
                &u.file.rel,
                &bytes,
                u.file.content_type(),
                u.file.cache_control(),
            )?;
            let n = done.fetch_add(1, Ordering::SeqCst) + 1;
            if stop_after == Some(n) {
                // The tests' stand-in for a deploy killed half-way (see `stop_after`).
                std::process::exit(130);
            }
            if let Some(b) = bar {
                b.inc(1);
            }
            Ok::<(), Error>(())
        })?;
        for u in wave {
            written.insert(u.file.rel.clone(), u.file.hash.clone());
        }
        if waves.peek().is_some() {
            put_manifest(remote, &written)?;
        }
    }
    Ok(())
}

/// `QILI_DEPLOY_STOP_AFTER=N` ends the process after the Nth upload, as if it were killed: how
/// the tests check that an interrupted deploy leaves every link working. Not for editors.
fn stop_after() -> Option<usize> {
    std::env::var("QILI_DEPLOY_STOP_AFTER").ok()?.parse().ok()
}

fn progress_bar(enabled: bool, len: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !enabled || len < 20 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("发布 {bar:40} {pos}/{len}") {
        bar.set_style(style);
    }
    Some(bar)
}
