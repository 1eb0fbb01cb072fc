//! Every poster of the site printed to PDF by headless Chromium (`qili posters --pdf DIR`), for
//! a secretary to send to a print shop.
//!
//! The site is built into a temporary folder with its real `base_url` (the QR codes must open
//! the real pages) and served on 127.0.0.1 by the preview's own static server, without live
//! reload, for the browser: pages link their stylesheet by a site-absolute path, which a
//! `file://` URL would not find. What to print is the build's list of print views.

use super::gate::Gate;
use super::http::{listen, serve_requests, Timeouts};
use super::shared::Shared;
use crate::build::{self, Outcome};
use crate::diagnostics::Diagnostics;
use crate::model::date::Date;
use crate::poster::jobs::PrintJob;
use crate::Error;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Programs tried, in order, on PATH.
const CHROMIUM_NAMES: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];
/// Chromiums printing at once. Each is a process that mostly waits on its own work, so two
/// nearly halve the time of a village's posters without crowding an office computer.
const PRINTERS: usize = 2;
/// A static page prints in a second or two; one that takes longer has hung.
const PRINT_TIMEOUT: Duration = Duration::from_secs(90);

/// What `qili posters --pdf` came to, when nothing failed on the machine's side.
#[derive(Debug)]
pub enum Printed {
    /// Every poster of the site printed.
    Done(Summary),
    /// The site has errors, so nothing was printed.
    SiteErrors(Diagnostics),
}

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub pdf_dir: PathBuf,
    pub today: Date,
    pub drafts: bool,
}

/// What was printed.
#[derive(Debug, Default)]
pub struct Summary {
    /// PDF files written, in the order printed.
    pub files: Vec<PathBuf>,
    pub notice_posters: usize,
    pub regulation_posters: usize,
    /// Warnings of the build (a poster that may not fit its sheet among them).
    pub diagnostics: Diagnostics,
}

/// Chromium: `QILI_CHROMIUM` if set, else the first of [`CHROMIUM_NAMES`] on PATH.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("QILI_CHROMIUM") {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    CHROMIUM_NAMES.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

pub fn run(opts: &Options) -> Result<Printed, Error> {
    let chromium = find_chromium().ok_or(Error::NoChromium)?;
    let temp = tempfile::Builder::new()
        .prefix("qili-posters-")
        .tempdir()
        .map_err(|e| Error::io(&std::env::temp_dir(), e))?;
    let served = temp.path().join("www");
    let config = match crate::config::SiteConfig::read(&opts.root) {
        Ok(config) => config,
        Err(d) => return Ok(Printed::SiteErrors(d.into_iter().collect())),
    };
    // Pages link to `<base_path>static/…`; building under that path lets the server map URLs
    // to files one to one.
    let base_path = config.base_path().trim_matches('/').to_string();
    let site_dir = if base_path.is_empty() {
        served.clone()
    } else {
        served.join(&base_path)
    };
    let mut session = build::Session::new(build::Options {
        root: opts.root.clone(),
        output: site_dir.clone(),
        base_url: None,
        drafts: opts.drafts,
        today: opts.today,
        write: true,
        progress: false,
        memoize: false,
    });
    let outcome: Outcome = session.full()?;
    let prints = match (&outcome.stats, session.site()) {
        (Some(_), Some(site)) if !outcome.diagnostics.has_errors() => {
            crate::poster::print_jobs(&site)
        }
        _ => return Ok(Printed::SiteErrors(outcome.diagnostics)),
    };
    std::fs::create_dir_all(&opts.pdf_dir).map_err(|e| Error::io(&opts.pdf_dir, e))?;

    let local = std::net::IpAddr::from([127, 0, 0, 1]);
    let addr = (local, 0).into();
    let server = listen(addr, Timeouts::DEFAULT).map_err(|e| Error::listen(addr, e))?;
    let server = Arc::new(server);
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or_else(|| Error::listen(addr, std::io::Error::other("没有得到端口")))?;
    let shared = Arc::new(Shared::files_only(&served, Gate::new(local, port, None)));
    let worker = {
        let (server, shared) = (Arc::clone(&server), Arc::clone(&shared));
        std::thread::spawn(move || serve_requests(&server, &shared))
    };
    let prefix = if base_path.is_empty() {
        String::new()
    } else {
        format!("/{base_path}")
    };
    let mut summary = Summary {
        diagnostics: outcome.diagnostics,
        ..Summary::default()
    };
    let base = format!("http://127.0.0.1:{port}{prefix}/");
    let printed = print_all(&chromium, &prints, &base, &opts.pdf_dir, temp.path());
    shared.reload.stop();
    server.unblock();
    let _ = worker.join();
    summary.files = printed?;
    summary.regulation_posters = prints.iter().filter(|j| j.regulation).count();
    summary.notice_posters = prints.len() - summary.regulation_posters;
    Ok(Printed::Done(summary))
}

/// Prints every job to its PDF in `pdf_dir`, [`PRINTERS`] at a time; the files in the jobs'
/// order.
fn print_all(
    chromium: &Path,
    prints: &[PrintJob],
    base: &str,
    pdf_dir: &Path,
    scratch: &Path,
) -> Result<Vec<PathBuf>, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(PRINTERS)
        .build()
        .map_err(|e| Error::Threads {
            reason: e.to_string(),
        })?;
    pool.install(|| {
        prints
            .par_iter()
            .map(|job| {
                let file = pdf_dir.join(&job.file);
                print_pdf(chromium, &format!("{base}{}", job.url), &file, scratch).map(|()| file)
            })
            .collect()
    })
}

/// Headless Chromium as qili runs it. `--no-sandbox`: Chromium refuses to start as root
/// (containers, CI) with its sandbox on, and it only opens the site's own pages here. The
/// `--disable-…` flags stop Chromium's own connections, which fail or hang on a closed network.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Prints one page to PDF: no header or footer, the page's own `@page` size and margins.
fn print_pdf(chromium: &Path, url: &str, file: &Path, scratch: &Path) -> Result<(), Error> {
    let failed = |detail: String| Error::Print {
        page: url.to_string(),
        detail,
    };
    // A fresh profile each time: nothing of the user's own browser is read or changed.
    let profile = tempfile::Builder::new()
        .prefix("chromium-")
        .tempdir_in(scratch)
        .map_err(|e| Error::io(scratch, e))?;
    let _ = std::fs::remove_file(file);
    let mut child = Command::new(chromium)
        .args(CHROMIUM_FLAGS)
        .arg("--no-pdf-header-footer")
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", file.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("无法启动 {}：{e}", chromium.display())))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > PRINT_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(format!("{} 秒没有完成", PRINT_TIMEOUT.as_secs())));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(failed(e.to_string())),
        }
    };
    let mut stderr = String::new();
    if let Some(mut s) = child.stderr.take() {
        use std::io::Read;
        let _ = s.read_to_string(&mut stderr);
    }
    let written = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    if !status.success() || written == 0 {
        let last: Vec<&str> = stderr.lines().rev().take(3).collect();
        return Err(failed(format!(
            "退出状态 {status}，{}",
            last.into_iter().rev().collect::<Vec<_>>().join(" / ")
        )));
    }
    Ok(())
}
