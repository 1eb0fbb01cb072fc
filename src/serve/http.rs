//! The preview server: static files from the output folder, never anything outside it, with
//! the live-reload script and the error overlay added to HTML as it is served (never written to
//! the built site).

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::render::templates::escape;
use crate::render::wechat;
use percent_encoding::percent_decode_str;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, Server};

/// Where the live-reload script listens.
pub const EVENTS_PATH: &str = "/__qili/events";
/// The preview's own pages (the 公众号 export, the editors' desk): never written by `build`, and
/// no page of a site can be there, as slugs never start with `_`.
pub const TOOLS_PREFIX: &str = "/_qili/";

/// Live-reload connections held open at once; more are refused rather than piling up threads.
const MAX_EVENT_STREAMS: usize = 64;
/// Requests answered on their own threads at once; beyond that the worker answers itself.
const MAX_HANDLERS: usize = 256;

/// What the server shares with the rebuild loop.
#[derive(Default)]
pub struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    streams: AtomicUsize,
    handlers: AtomicUsize,
    /// Only files: no live-reload script, no error overlay, no event stream (printing).
    files_only: bool,
    /// The site folder, for the preview's own pages; `None` when serving files only.
    root: Option<PathBuf>,
    /// The site of the last build, read by the preview's own pages.
    site: Mutex<Option<Arc<Site>>>,
    /// Every finding of the last build, errors and warnings, for the desk's list.
    findings: Mutex<Arc<Vec<Diagnostic>>>,
    /// Who may use the editors' desk; `None` when there is none (printing).
    desk: Option<super::desk::Access>,
}

#[derive(Default, Clone)]
struct State {
    /// Goes up after every rebuild that changed what pages show.
    generation: u64,
    /// Errors of the last rebuild, shown over every page until fixed.
    errors: Vec<Diagnostic>,
    stopping: bool,
}

impl Shared {
    /// A server of the output's files only, for printing: pages as they are written.
    pub fn files_only() -> Shared {
        Shared {
            files_only: true,
            ..Shared::default()
        }
    }

    /// The preview of the site in `root`: files, live reload, error overlay and the preview's
    /// own pages.
    pub fn preview(root: &Path) -> Shared {
        Shared {
            root: Some(root.to_path_buf()),
            ..Shared::default()
        }
    }

    /// With the editors' desk, used as `access` says.
    pub fn with_desk(mut self, access: super::desk::Access) -> Shared {
        self.desk = Some(access);
        self
    }

    pub fn desk(&self) -> Option<&super::desk::Access> {
        self.desk.as_ref()
    }

    /// Every finding of the last build (call with [`Shared::set_site`]).
    pub fn set_findings(&self, findings: Vec<Diagnostic>) {
        if let Ok(mut f) = self.findings.lock() {
            *f = Arc::new(findings);
        }
    }

    pub fn findings(&self) -> Arc<Vec<Diagnostic>> {
        self.findings
            .lock()
            .map(|f| Arc::clone(&f))
            .unwrap_or_default()
    }

    /// The site folder, when this is a preview.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// The site of the last build, if there was one.
    pub fn site(&self) -> Option<Arc<Site>> {
        self.site.lock().ok().and_then(|s| s.clone())
    }

    /// Keeps the site of a build for the preview's own pages (call before [`Shared::publish`],
    /// so a reloaded page finds it).
    pub fn set_site(&self, site: Option<Arc<Site>>) {
        if let Ok(mut s) = self.site.lock() {
            *s = site;
        }
    }

    /// Publishes a rebuild: open pages reload.
    pub fn publish(&self, errors: Vec<Diagnostic>) {
        if let Ok(mut s) = self.state.lock() {
            s.generation += 1;
            s.errors = errors;
        }
        self.changed.notify_all();
    }

    pub fn stop(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.stopping = true;
        }
        self.changed.notify_all();
    }

    fn snapshot(&self) -> State {
        self.state.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Waits until the generation differs from `seen` or `timeout` passes.
    fn wait(&self, seen: u64, timeout: Duration) -> State {
        let Ok(guard) = self.state.lock() else {
            return State::default();
        };
        match self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.generation == seen && !s.stopping)
        {
            Ok((s, _)) => s.clone(),
            Err(_) => State::default(),
        }
    }
}

/// Answers requests until the server is unblocked. Each request gets its own thread, so a
/// client that reads its answer slowly holds that thread only.
pub fn serve_requests(server: &Server, dir: &Path, shared: &Arc<Shared>) {
    while let Ok(request) = server.recv() {
        if shared.snapshot().stopping {
            let _ = request.respond(Response::empty(503));
            break;
        }
        if shared.handlers.fetch_add(1, Ordering::SeqCst) < MAX_HANDLERS {
            let (dir, shared) = (dir.to_path_buf(), Arc::clone(shared));
            std::thread::spawn(move || {
                handle(request, &dir, &shared);
                shared.handlers.fetch_sub(1, Ordering::SeqCst);
            });
        } else {
            shared.handlers.fetch_sub(1, Ordering::SeqCst);
            handle(request, dir, shared);
        }
    }
}

pub(super) fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|_| Header::from_bytes(&b"X-Qili"[..], &b"1"[..]).expect("static header"))
}

fn handle(request: Request, dir: &Path, shared: &Arc<Shared>) {
    let raw = request.url().to_string();
    let path = raw.split(['?', '#']).next().unwrap_or("").to_string();
    // The desk's checks and saves are the only requests that are not GET or HEAD; they pass
    // the desk's own safety rules first.
    let desk_post = matches!(request.method(), Method::Post)
        && !shared.files_only
        && shared.desk().is_some()
        && path.starts_with(super::desk::PATH);
    if desk_post {
        let tool = &path[TOOLS_PREFIX.len()..];
        super::desk::post(request, tool, shared);
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let r = Response::from_string("只支持 GET 和 HEAD")
            .with_status_code(405)
            .with_header(header("Allow", "GET, HEAD"))
            .with_header(header("Content-Type", "text/plain; charset=utf-8"));
        let _ = request.respond(r);
        return;
    }
    if path == EVENTS_PATH && !shared.files_only {
        events(request, shared);
        return;
    }
    if let Some(tool) = path
        .strip_prefix(TOOLS_PREFIX)
        .filter(|_| !shared.files_only)
    {
        let query = raw.split_once('?').map(|(_, q)| q).unwrap_or("");
        let query = query.split('#').next().unwrap_or("");
        tools(request, tool, query, shared);
        return;
    }
    let state = shared.snapshot();
    match resolve(dir, &path) {
        Ok(Resolved::File(file)) if shared.files_only => {
            let kind = content_type(&file);
            match std::fs::read(&file) {
                Ok(bytes) => send(request, bytes, 200, kind),
                Err(_) => send(request, Vec::new(), 404, "text/plain; charset=utf-8"),
            }
        }
        Ok(Resolved::File(file)) => {
            let button = shared.site().and_then(|site| wechat_button(&site, &path));
            send_file(request, &file, 200, &state, button.as_deref())
        }
        Ok(Resolved::Redirect(to)) => {
            let r = Response::empty(301).with_header(header("Location", &to));
            let _ = request.respond(r);
        }
        Err(status) => {
            let not_found = dir.join("404.html");
            if status == 404 && not_found.is_file() {
                send_file(request, &not_found, 404, &state, None);
            } else if status == 404 && !state.errors.is_empty() {
                // The first build failed: there is no site yet, only the errors to show.
                let page = inject(EMPTY_PAGE, &state, None);
                send(request, page.into_bytes(), 200, "text/html; charset=utf-8");
            } else {
                let text = if status == 403 {
                    "禁止访问"
                } else {
                    "找不到这个页面"
                };
                send(
                    request,
                    text.as_bytes().to_vec(),
                    status,
                    "text/plain; charset=utf-8",
                );
            }
        }
    }
}

const EMPTY_PAGE: &str = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>qili 预览</title></head><body><p>网站还没有生成成功。</p></body></html>";

pub(crate) enum Resolved {
    File(PathBuf),
    Redirect(String),
}

/// Maps a request path to a file inside `dir`. Each segment is decoded on its own, so `%2f`
/// cannot smuggle a separator and `%2e%2e` is just `..`; both are refused, as are absolute
/// paths and anything that resolves (through links) outside the folder.
pub(crate) fn resolve(dir: &Path, path: &str) -> Result<Resolved, u16> {
    if !path.starts_with('/') {
        return Err(400);
    }
    let mut file = dir.to_path_buf();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let seg = percent_decode_str(raw).decode_utf8().map_err(|_| 400u16)?;
        if bad_segment(&seg) {
            return Err(403);
        }
        file.push(seg.as_ref());
    }
    if file.is_dir() {
        if !path.ends_with('/') {
            return Ok(Resolved::Redirect(format!("{path}/")));
        }
        file.push("index.html");
    }
    let root = dir.canonicalize().map_err(|_| 404u16)?;
    let real = file.canonicalize().map_err(|_| 404u16)?;
    if !real.starts_with(&root) {
        return Err(403);
    }
    if !real.is_file() {
        return Err(404);
    }
    Ok(Resolved::File(real))
}

/// A path segment no request may name: `.`, `..`, one with a separator, NUL or drive colon
/// in it, or a home-folder `~`. The desk names the files it writes by the same rule.
pub(crate) fn bad_segment(seg: &str) -> bool {
    seg == "." || seg == ".." || seg.contains(['/', '\\', '\0', ':']) || seg.starts_with('~')
}

pub(crate) fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The preview's own pages, under [`TOOLS_PREFIX`].
fn tools(request: Request, tool: &str, query: &str, shared: &Shared) {
    if tool == "desk" || tool.starts_with("desk/") {
        super::desk::get(request, tool, query, shared);
        return;
    }
    let answer = match tool {
        "wechat" => super::wechat::page(shared, query),
        "wechat/article" => super::wechat::article(shared, query),
        _ => Err((404, "找不到这个页面".to_string())),
    };
    match answer {
        Ok(html) => send(request, html.into_bytes(), 200, "text/html; charset=utf-8"),
        Err((status, text)) => send(
            request,
            text.into_bytes(),
            status,
            "text/plain; charset=utf-8",
        ),
    }
}

/// The "复制到公众号" button of a lesson or notice page at `path`, linking to its export.
fn wechat_button(site: &Site, path: &str) -> Option<String> {
    let local = path.strip_prefix(site.config.base_path()).unwrap_or(path);
    wechat::at_url(site, local)?;
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("page", path)
        .finish();
    Some(format!(
        "<style>@media print{{#qili-wechat{{display:none}}}}</style><p id=\"qili-wechat\" style=\"position:fixed;right:12px;bottom:12px;margin:0;z-index:9999\"><a href=\"{TOOLS_PREFIX}wechat?{}\" style=\"display:inline-block;padding:10px 14px;background:#07c160;color:#fff;border-radius:6px;font:16px/1.4 sans-serif;text-decoration:none\">复制到公众号</a></p>",
        escape(&query)
    ))
}

fn send_file(request: Request, file: &Path, status: u16, state: &State, extra: Option<&str>) {
    let kind = content_type(file);
    match std::fs::read(file) {
        Ok(bytes) if kind.starts_with("text/html") => {
            let page = inject(&String::from_utf8_lossy(&bytes), state, extra);
            send(request, page.into_bytes(), status, kind);
        }
        Ok(bytes) => send(request, bytes, status, kind),
        // Replaced between resolve and read by a rebuild: the next request gets the new one.
        Err(_) => send(request, b"".to_vec(), 404, "text/plain; charset=utf-8"),
    }
}

fn send(request: Request, body: Vec<u8>, status: u16, kind: &str) {
    let r = Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-cache"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    let _ = request.respond(r);
}

/// Adds the overlay (when the last rebuild failed), `tools` (the preview's buttons) and the
/// reload script before `</body>`.
fn inject(page: &str, state: &State, tools: Option<&str>) -> String {
    let mut extra = String::new();
    extra.push_str(tools.unwrap_or_default());
    if !state.errors.is_empty() {
        extra.push_str(&overlay(&state.errors));
    }
    extra.push_str(&format!(
        "<script>(function(){{var g={};if(!window.EventSource)return;var es=new EventSource(\"{EVENTS_PATH}\");es.onmessage=function(e){{if(e.data!==String(g)){{es.close();location.reload();}}}};}})();</script>",
        state.generation
    ));
    match page.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &page[..i], &page[i..]),
        None => format!("{page}{extra}"),
    }
}

/// The errors, over the page, readable without JavaScript.
pub fn overlay(errors: &[Diagnostic]) -> String {
    let mut items = String::new();
    for d in errors.iter().take(50) {
        let position = if d.line > 0 {
            format!("{}:{}:{}", d.file, d.line, d.column)
        } else {
            d.file.clone()
        };
        items.push_str(&format!(
            "<li><code>{}</code> <strong>{}</strong> {}{}</li>",
            escape(&position),
            escape(d.code),
            escape(&d.message),
            d.hint
                .as_deref()
                .map(|h| format!("<br><small>提示：{}</small>", escape(h)))
                .unwrap_or_default()
        ));
    }
    format!(
        "<div id=\"qili-overlay\" role=\"alert\" style=\"position:fixed;left:0;right:0;bottom:0;max-height:60%;overflow:auto;z-index:99999;background:#fff8f8;color:#1a1a1a;border-top:4px solid #c00;padding:12px 16px;font:16px/1.5 sans-serif\"><p style=\"margin:0 0 8px\"><strong>网站没有更新：有 {} 个错误。</strong>改好后页面会自动刷新；现在显示的是上一次成功生成的网站。</p><ol style=\"margin:0;padding-left:1.4em\">{items}</ol></div>",
        errors.len()
    )
}

/// Server-Sent Events: the current generation on connect, then each new one. tiny_http holds
/// back streamed bodies, so the response is written by hand and flushed after each event.
fn events(request: Request, shared: &Arc<Shared>) {
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_EVENT_STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        let _ = request.respond(Response::empty(503));
        return;
    }
    let shared = Arc::clone(shared);
    std::thread::spawn(move || {
        let mut w = request.into_writer();
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n";
        let mut seen = shared.snapshot().generation;
        let mut ok = w.write_all(head.as_bytes()).is_ok()
            && w.write_all(format!("retry: 1000\ndata: {seen}\n\n").as_bytes())
                .is_ok()
            && w.flush().is_ok();
        while ok {
            let s = shared.wait(seen, Duration::from_secs(15));
            if s.stopping {
                break;
            }
            let msg = if s.generation != seen {
                seen = s.generation;
                format!("data: {seen}\n\n")
            } else {
                // Keeps the connection alive through proxies and finds closed tabs.
                ": ping\n\n".to_string()
            };
            ok = w.write_all(msg.as_bytes()).is_ok() && w.flush().is_ok();
        }
        shared.streams.fetch_sub(1, Ordering::SeqCst);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/index.html"), "<body>a</body>").unwrap();
        std::fs::write(dir.path().join("x.css"), "x").unwrap();
        dir
    }

    #[test]
    fn traversal_and_encoded_separators_are_refused() {
        let d = site();
        for p in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a%2f..%2f..%2fetc",
            "/%2E%2E/x",
            "/a/%5c..%5cx",
            "/..%5c..%5cetc",
            "/a/%00",
            "/C:/Windows",
        ] {
            assert!(
                matches!(resolve(d.path(), p), Err(403 | 400)),
                "{p} was not refused"
            );
        }
        assert!(matches!(resolve(d.path(), "etc/passwd"), Err(400)));
    }

    #[test]
    fn pretty_urls_and_redirects() {
        let d = site();
        assert!(matches!(resolve(d.path(), "/a/"), Ok(Resolved::File(_))));
        assert!(matches!(resolve(d.path(), "/a"), Ok(Resolved::Redirect(to)) if to == "/a/"));
        assert!(matches!(resolve(d.path(), "/x.css"), Ok(Resolved::File(_))));
        assert!(matches!(resolve(d.path(), "/nope/"), Err(404)));
    }

    #[test]
    fn links_leading_outside_are_refused() {
        let d = site();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "s").unwrap();
        std::os::unix::fs::symlink(outside.path(), d.path().join("out")).unwrap();
        assert!(matches!(resolve(d.path(), "/out/secret.txt"), Err(403)));
    }

    #[test]
    fn overlay_escapes_messages() {
        let d = Diagnostic::error("E101", "content/<a>.md", "<script>x</script>").at(3, 1);
        let html = overlay(&[d]);
        assert!(!html.contains("<script>x"));
        assert!(html.contains("content/&lt;a&gt;.md:3:1"));
    }

    #[test]
    fn script_goes_before_body_end() {
        let s = State::default();
        let page = inject("<html><body>x</body></html>", &s, None);
        assert!(page.contains("x<script>") && page.ends_with("</body></html>"));
    }
}
