//! `qili serve`: build, serve the result on 127.0.0.1, watch the sources, rebuild what changed,
//! and make open pages reload. A failed rebuild keeps the last good site and shows the errors
//! over every page instead of exiting.

pub mod http;
mod watch;

use crate::build::{self, Outcome, Session};
use crate::diagnostics::Diagnostic;
use crate::Error;
use http::Shared;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub poll: bool,
    pub open: bool,
    pub drafts: bool,
    pub today: Option<crate::model::date::Date>,
}

/// Threads taking requests off the server; each hands them to a thread of their own.
const WORKERS: usize = 2;

pub fn run(mut opts: Options) -> Result<(), Error> {
    // Watch events carry absolute paths; the session must see the root the same way.
    opts.root = opts
        .root
        .canonicalize()
        .map_err(|e| Error::io(&opts.root, e))?;
    let addr = SocketAddr::new(opts.bind, opts.port);
    let server = tiny_http::Server::http(addr).map_err(|e| {
        Error::Other(format!(
            "无法在 {addr} 上启动预览服务器：{e}（端口可能被占用，换一个 --port 试试）"
        ))
    })?;
    let server = Arc::new(server);
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .unwrap_or(opts.port);
    // The preview is built outside the site, so `public/` keeps what `qili build` made for
    // the real address, and nothing of the preview is ever uploaded by mistake.
    let out = tempfile::Builder::new()
        .prefix("qili-serve-")
        .tempdir()
        .map_err(|e| Error::io(&std::env::temp_dir(), e))?;
    let output = out.path().join("site");
    let host = match opts.bind {
        IpAddr::V4(v) if v.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(v) if v.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(v) => format!("[{v}]"),
        ip => ip.to_string(),
    };
    let local_url = format!("http://{host}:{port}/");
    let mut session = Session::new(build::Options {
        root: opts.root.clone(),
        output: output.clone(),
        // Root-relative links work on any address; absolute ones (canonical, og:url) point
        // at the preview so nothing leads to the real site by accident.
        base_url: Some(local_url.clone()),
        drafts: opts.drafts,
        today: opts.today.unwrap_or_else(build::today),
        write: true,
        progress: true,
        memoize: true,
    });

    // Watching starts before the first build, so an edit made while it runs is not lost.
    let watcher = watch::Watcher::start(&opts.root, opts.poll)?;
    let shared = Arc::new(Shared::default());
    let started = Instant::now();
    let first = session.full()?;
    report(&first, started.elapsed(), true);
    shared.publish(errors_of(&first));

    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (server, shared, output) =
                (Arc::clone(&server), Arc::clone(&shared), output.clone());
            std::thread::spawn(move || http::serve_requests(&server, &output, &shared))
        })
        .collect();

    eprintln!("\n预览地址：{local_url}");
    if opts.bind.is_unspecified() {
        lan_hint(port);
    }
    eprintln!("保存文件后页面会自动刷新。按 Ctrl+C 停止。\n");
    if opts.open {
        // Best effort: a desktop without a browser still has the printed address.
        let _ = std::process::Command::new("xdg-open")
            .arg(&local_url)
            .spawn();
    }

    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        // If the handler cannot be installed Ctrl+C still ends the process, just less tidily.
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    while !stop.load(Ordering::SeqCst) {
        let Some(changed) = watcher.next_batch(Duration::from_millis(200)) else {
            continue;
        };
        let t = Instant::now();
        match session.update(&changed) {
            Ok(outcome) => {
                let errors = errors_of(&outcome);
                let failed = !errors.is_empty();
                if outcome.changed || failed {
                    shared.publish(errors);
                }
                if outcome.changed || failed {
                    report(&outcome, t.elapsed(), false);
                }
            }
            Err(e) => {
                let d = build::internal(&e);
                eprintln!("{d}");
                shared.publish(vec![d]);
            }
        }
    }
    eprintln!("\n预览已停止。");
    shared.stop();
    for _ in 0..WORKERS {
        server.unblock();
    }
    for w in workers {
        let _ = w.join();
    }
    drop(out);
    Ok(())
}

fn errors_of(outcome: &Outcome) -> Vec<Diagnostic> {
    outcome
        .diagnostics
        .clone()
        .sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .collect()
}

/// After the first build every warning is shown; after a rebuild, errors in full and warnings
/// only as a count, so the terminal is not flooded on every save.
fn report(outcome: &Outcome, took: Duration, first: bool) {
    let d = &outcome.diagnostics;
    if first {
        crate::cli::print_diagnostics(d);
    } else {
        crate::cli::print_diagnostics(&d.iter().filter(|x| x.is_error()).cloned().collect());
    }
    let ms = took.as_secs_f64() * 1000.0;
    let now = chrono::Local::now().format("%H:%M:%S");
    let warnings = match d.warning_count() {
        0 => String::new(),
        n => format!("，{n} 个警告（qili check 可查看）"),
    };
    match &outcome.stats {
        Some(s) => eprintln!(
            "[{now}] 已生成：重新渲染 {} / {} 个页面，用时 {ms:.0} 毫秒{warnings}",
            s.rendered, s.pages
        ),
        None => eprintln!(
            "[{now}] 有 {} 个错误，网站没有更新（浏览器里会显示错误）",
            d.error_count()
        ),
    }
}

/// With `--bind 0.0.0.0`: the LAN address and a QR code, to open the preview in WeChat on a
/// phone on the same network and see the page as villagers will.
fn lan_hint(port: u16) {
    let Ok(ip) = local_ip_address::local_ip() else {
        eprintln!("（找不到本机的局域网地址）");
        return;
    };
    let url = format!("http://{ip}:{port}/");
    eprintln!("局域网地址：{url}（用同一网络的手机微信扫码打开）");
    if let Ok(code) = qrcode::QrCode::new(url.as_bytes()) {
        // Terminals are mostly light text on dark: draw the light modules, so the code reads
        // dark-on-light to a phone's camera.
        use qrcode::render::unicode::Dense1x2;
        let text = code
            .render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build();
        eprintln!("{text}");
    }
}
