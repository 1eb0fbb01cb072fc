//! `qili serve`: build, serve the result on 127.0.0.1, watch the sources, rebuild what changed,
//! and make open pages reload. A failed rebuild keeps the last good site and shows the errors
//! over every page instead of exiting.

mod desk;
pub mod files;
mod gate;
pub mod http;
pub mod print;
pub mod reply;
pub mod shared;
mod temp;
mod watch;
mod wechat;

use crate::build::{self, Outcome, Session};
use crate::diagnostics::Diagnostic;
use crate::model::date::{Date, Today};
use crate::{report, Error};
use chrono::NaiveDateTime;
use shared::{DeskAccess, Shared};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub poll: bool,
    pub open: bool,
    pub drafts: bool,
    pub today: Today,
    /// Let the editors' desk save also when listening beyond this computer.
    pub edit: bool,
}

/// Threads taking requests off the server; each hands them to a thread of their own.
const WORKERS: usize = 2;

pub fn run(mut opts: Options) -> Result<(), Error> {
    // Watch events carry absolute paths; the session must see the root the same way.
    opts.root = opts
        .root
        .canonicalize()
        .map_err(|e| Error::io(&opts.root, e))?;
    let stop = stop_on_signal();
    let addr = SocketAddr::new(opts.bind, opts.port);
    let timeouts = http::Timeouts::from_env();
    let server = http::listen(addr, timeouts).map_err(|e| Error::listen(addr, e))?;
    let server = Arc::new(server);
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .unwrap_or(opts.port);
    // The preview is built outside the site, so `public/` keeps what `qili build` made for
    // the real address, and nothing of the preview is ever uploaded by mistake.
    let out = temp::Folder::new()?;
    let output = out.path().join("site");
    let local_url = format!("http://{}:{port}/", preview_host(opts.bind));
    let mut session = Session::new(preview_build(&opts, output.clone(), local_url.clone()));

    // Watching starts before the first build, so an edit made while it runs is not lost.
    let watcher = watch::Watcher::start(&opts.root, opts.poll)?;
    let access = DeskAccess::new(opts.bind.is_loopback(), opts.edit).map_err(|e| Error::Token {
        reason: e.to_string(),
    })?;
    let lan = opts.bind.is_unspecified().then(lan_ip).flatten();
    let gate = gate::Gate::new(opts.bind, port, lan);
    let shared = Arc::new(Shared::preview(
        &opts.root,
        &output,
        gate,
        access,
        timeouts.body,
    ));
    let started = Instant::now();
    let first = session.full()?;
    report::rebuilt(&first, started.elapsed(), true);
    publish(&shared, &session, &first, errors_of(&first));

    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (server, shared) = (Arc::clone(&server), Arc::clone(&shared));
            std::thread::spawn(move || http::serve_requests(&server, &shared))
        })
        .collect();
    announce(&opts, &local_url, lan, port, shared.desk.as_ref());
    rebuild_until_stopped(&stop, &watcher, &mut session, &shared, opts.today);
    shut_down(server, &shared, workers);
    drop(out);
    Ok(())
}

/// Ctrl+C and SIGTERM end the preview's loop, whatever it is doing, so the temporary folder is
/// removed and the port let go; installed first, so a signal during the first build too.
fn stop_on_signal() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    // If the handler cannot be installed Ctrl+C still ends the process, just less tidily
    // (the next start removes the folder it leaves).
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    stop
}

/// The host of the preview's address: one a browser on this computer can open, which an
/// unspecified address (`0.0.0.0`, `::`) is not.
fn preview_host(bind: IpAddr) -> String {
    match bind {
        IpAddr::V4(v) if v.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(v) if v.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(v) => format!("[{v}]"),
        ip => ip.to_string(),
    }
}

/// The preview's build: into `output` outside the site, drafts as asked, remembering what it
/// rendered so that an edit rebuilds only what it touches.
fn preview_build(opts: &Options, output: PathBuf, local_url: String) -> build::Options {
    build::Options {
        root: opts.root.clone(),
        output,
        // Root-relative links work on any address; absolute ones (canonical, og:url) point
        // at the preview so nothing leads to the real site by accident.
        base_url: Some(local_url),
        drafts: opts.drafts,
        today: opts.today.date,
        write: true,
        progress: true,
        memoize: true,
    }
}

/// Shows a build to the preview: the site and findings the desk reads, and the build's errors
/// over every open page, which reload.
fn publish(shared: &Shared, session: &Session, outcome: &Outcome, errors: Vec<Diagnostic>) {
    shared.snapshot.set_site(session.site());
    shared
        .snapshot
        .set_findings(outcome.diagnostics.iter().cloned().collect());
    shared.reload.publish(errors);
}

/// Where to open the preview (and the desk, and from a phone on the network), and with
/// `--open` the browser opened on it.
fn announce(
    opts: &Options,
    local_url: &str,
    lan: Option<IpAddr>,
    port: u16,
    desk: Option<&DeskAccess>,
) {
    eprintln!("\n预览地址：{local_url}");
    if opts.bind.is_unspecified() {
        lan_hint(lan, port);
    }
    if let Some(access) = desk {
        desk_hint(local_url, opts.bind, lan, port, access);
    }
    eprintln!("保存文件后页面会自动刷新。按 Ctrl+C 停止。\n");
    if opts.open {
        // Best effort: a desktop without a browser still has the printed address.
        let _ = std::process::Command::new("xdg-open")
            .arg(local_url)
            .spawn();
    }
}

/// Until Ctrl+C: each batch of edits rebuilds what it touched, and a new day everything;
/// a rebuild that changed something or failed is shown to open pages, one that could not run
/// at all as an internal error over them.
fn rebuild_until_stopped(
    stop: &AtomicBool,
    watcher: &watch::Watcher,
    session: &mut Session,
    shared: &Shared,
    given: Today,
) {
    while !stop.load(Ordering::SeqCst) {
        let batch = watcher.next_batch(Duration::from_millis(200));
        let today = today_at(chrono::Local::now().naive_local(), given);
        let t = Instant::now();
        match rebuild(session, batch, today) {
            None => {}
            Some(Ok(outcome)) => {
                let errors = errors_of(&outcome);
                if outcome.changed || !errors.is_empty() {
                    publish(shared, session, &outcome, errors);
                    report::rebuilt(&outcome, t.elapsed(), false);
                }
            }
            Some(Err(e)) => {
                report::internal(&e);
                shared.reload.publish(vec![Diagnostic::internal(&e)]);
            }
        }
    }
}

/// The rebuild called for, if any: everything once `today` is not the day the session builds
/// for, else what the `changed` files touch.
fn rebuild(
    session: &mut Session,
    changed: Option<Vec<PathBuf>>,
    today: Date,
) -> Option<Result<Outcome, Error>> {
    if today != session.options().today {
        // Past midnight statuses such as 公示中 may have changed on every page that shows
        // them: a fresh session builds everything for the new day, edits included.
        *session = Session::new(build::Options {
            today,
            ..session.options().clone()
        });
        Some(session.full())
    } else {
        changed.map(|changed| session.update(&changed))
    }
}

/// Lets the port go: waiting pages are told the preview stops, the workers are woken from
/// waiting for requests and ended, and the listening socket is closed.
fn shut_down(server: Arc<tiny_http::Server>, shared: &Shared, workers: Vec<JoinHandle<()>>) {
    eprintln!("\n预览已停止。");
    shared.reload.stop();
    for _ in 0..WORKERS {
        server.unblock();
    }
    // The workers run no handler, so they end at once; requests still being answered are
    // bounded by the timeouts, and end with the process.
    for w in workers {
        let _ = w.join();
    }
    // Closes the listening socket now rather than when the last handler lets go of it.
    drop(server);
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

/// The day to judge statuses on at `now` (local time): a day given with `--today` stays put;
/// otherwise the date of `now`, so a preview left open overnight moves on at midnight.
fn today_at(now: NaiveDateTime, today: Today) -> Date {
    if today.pinned {
        today.date
    } else {
        Date(now.date())
    }
}

/// Where the editors' desk is; beyond this computer, read-only, or (with `--edit`) its address
/// with the token, the only way to save from another computer.
fn desk_hint(local_url: &str, bind: IpAddr, lan: Option<IpAddr>, port: u16, access: &DeskAccess) {
    let path = desk::PATH.trim_start_matches('/');
    if bind.is_loopback() {
        eprintln!("编辑台（填表写公开、村规民约、课程）：{local_url}{path}");
    } else if !access.editable() {
        eprintln!(
            "编辑台：{local_url}{path}（只读：监听了本机以外的地址；要保存，加 --edit 启动）"
        );
    } else {
        let host = match bind {
            IpAddr::V4(v) if v.is_unspecified() => lan
                .map(|ip| ip.to_string())
                .unwrap_or_else(|| "127.0.0.1".into()),
            IpAddr::V6(v) => format!("[{v}]"),
            ip => ip.to_string(),
        };
        eprintln!(
            "编辑台（可以保存；地址里带着口令，只发给编辑，每次启动都会变）：http://{host}:{port}/{path}?token={}",
            access.token()
        );
    }
}

/// With `--bind 0.0.0.0`: the LAN address and a QR code, to open the preview in WeChat on a
/// phone on the same network and see the page as villagers will.
fn lan_hint(lan: Option<IpAddr>, port: u16) {
    let Some(ip) = lan else {
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

/// This computer's address on its network: the local address the system picks for a UDP socket
/// "connected" to an address beyond the network. Connecting a UDP socket only looks up the
/// route; no packet is sent (and the address is one reserved for documentation, RFC 5737).
pub fn lan_ip() -> Option<IpAddr> {
    let socket = std::net::UdpSocket::bind(("0.0.0.0", 0)).ok()?;
    socket.connect(("192.0.2.1", 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn day(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn the_local_day_rolls_over_at_midnight() {
        let started = Today {
            date: day("2026-04-12"),
            pinned: false,
        };
        assert_eq!(
            today_at(at("2026-04-12 23:59:59"), started),
            day("2026-04-12")
        );
        assert_eq!(
            today_at(at("2026-04-13 00:00:00"), started),
            day("2026-04-13")
        );
        assert_eq!(
            today_at(at("2026-05-01 08:30:00"), started),
            day("2026-05-01")
        );
    }

    #[test]
    fn a_day_given_with_today_stays() {
        let pinned = Today {
            date: day("2026-04-12"),
            pinned: true,
        };
        assert_eq!(
            today_at(at("2026-04-13 00:00:00"), pinned),
            day("2026-04-12")
        );
        assert_eq!(
            today_at(at("2027-01-01 12:00:00"), pinned),
            day("2026-04-12")
        );
        // Also a pinned day that lies ahead of the clock.
        assert_eq!(
            today_at(at("2026-04-01 12:00:00"), pinned),
            day("2026-04-12")
        );
    }
}
