//! The preview server's transport and router: every request passes the gate (its `Host`, the
//! body it declares), then the one route table below, whose access rule stands beside each
//! path; handlers get a [`Req`] and give a [`Reply`] or an [`HttpError`], and only this file
//! talks to tiny_http.

use super::files::{self, EVENTS_PATH};
use super::gate::{self, MAX_BODY};
use super::reply::{HttpError, Reply, Req};
use super::shared::Shared;
use super::{desk, wechat};
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tiny_http::{Header, Method, Request, Response, Server};

/// Live-reload connections held open at once; more are refused rather than piling up threads.
const MAX_EVENT_STREAMS: usize = 64;
/// Requests answered at once, each on a thread of its own; one more gets a 503.
const MAX_HANDLERS: usize = 256;

/// How long a client may take: each read and write, a request head, a request body.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub io: Duration,
    pub head: Duration,
    pub body: Duration,
}

impl Timeouts {
    pub const DEFAULT: Timeouts = Timeouts {
        io: Duration::from_secs(10),
        head: Duration::from_secs(10),
        body: Duration::from_secs(30),
    };

    /// The defaults, or all three set to `QILI_SERVE_TIMEOUT_MS` milliseconds (for tests of
    /// slow clients, which should not wait ten seconds).
    pub fn from_env() -> Timeouts {
        match std::env::var("QILI_SERVE_TIMEOUT_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|ms| *ms > 0)
        {
            Some(ms) => {
                let d = Duration::from_millis(ms);
                Timeouts {
                    io: d,
                    head: d,
                    body: d,
                }
            }
            None => Timeouts::DEFAULT,
        }
    }
}

/// Connections open at once; one more is answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 256;
/// The largest request head (request line and headers).
pub const MAX_HEAD: usize = 32 * 1024;

/// A server listening on `addr`, with every connection bounded as [`Timeouts`] and the limits
/// above say.
pub fn listen(addr: SocketAddr, t: Timeouts) -> std::io::Result<Server> {
    let listener = TcpListener::bind(addr)?;
    let limits = tiny_http::Limits {
        read_timeout: Some(t.io),
        write_timeout: Some(t.io),
        header_timeout: Some(t.head),
        max_header_bytes: MAX_HEAD,
        max_connections: MAX_CONNECTIONS,
        busy_message: "预览服务器现在太忙（连接太多），请稍后刷新。".to_string(),
    };
    Server::from_listener_with_limits(listener, None, limits).map_err(std::io::Error::other)
}

/// Who may take a route, checked before its handler runs (the `Host` is checked for all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Anyone this server answers.
    Open,
    /// Only in the preview (not when serving files to print).
    Preview,
    /// The desk's pages: only where there is a desk.
    Desk,
    /// The desk's writing requests: the desk's own origin, the token, and JSON.
    DeskWrite,
}

#[derive(Clone, Copy)]
enum Handler {
    Page(fn(&Req, &Shared) -> Result<Reply, HttpError>),
    /// The live-reload stream, which keeps the connection.
    Events,
}

struct Route {
    path: &'static str,
    /// Also every path under `path/`.
    below: bool,
    /// `POST` (with a body) rather than `GET` and `HEAD`.
    post: bool,
    rule: Rule,
    handler: Handler,
}

/// Every path the preview answers, first match wins.
const ROUTES: &[Route] = &[
    Route {
        path: EVENTS_PATH,
        below: false,
        post: false,
        rule: Rule::Preview,
        handler: Handler::Events,
    },
    Route {
        path: "/_qili/desk/check",
        below: false,
        post: true,
        rule: Rule::DeskWrite,
        handler: Handler::Page(desk::check),
    },
    Route {
        path: "/_qili/desk/save",
        below: false,
        post: true,
        rule: Rule::DeskWrite,
        handler: Handler::Page(desk::save),
    },
    Route {
        path: "/_qili/desk",
        below: true,
        post: false,
        rule: Rule::Desk,
        handler: Handler::Page(desk::get),
    },
    Route {
        path: "/_qili/wechat",
        below: false,
        post: false,
        rule: Rule::Preview,
        handler: Handler::Page(wechat::page),
    },
    Route {
        path: "/_qili/wechat/article",
        below: false,
        post: false,
        rule: Rule::Preview,
        handler: Handler::Page(wechat::article),
    },
    Route {
        path: "/_qili",
        below: true,
        post: false,
        rule: Rule::Preview,
        handler: Handler::Page(no_page),
    },
    Route {
        path: "",
        below: true,
        post: false,
        rule: Rule::Open,
        handler: Handler::Page(files::serve),
    },
];

fn no_page(_: &Req, _: &Shared) -> Result<Reply, HttpError> {
    Err(HttpError::not_found())
}

impl Route {
    fn matches(&self, path: &str) -> bool {
        path == self.path
            || (self.below
                && path
                    .strip_prefix(self.path)
                    .is_some_and(|rest| rest.starts_with('/')))
    }

    fn serves(&self, shared: &Shared) -> bool {
        match self.rule {
            Rule::Open => true,
            Rule::Preview => !shared.files_only,
            Rule::Desk | Rule::DeskWrite => !shared.files_only && shared.desk.is_some(),
        }
    }

    fn desk(&self) -> bool {
        matches!(self.rule, Rule::Desk | Rule::DeskWrite)
    }
}

/// Counts a request being answered on its own thread; let go when dropped, also by a panic.
struct Slot(Arc<Shared>);

impl Slot {
    fn take(shared: &Arc<Shared>) -> Option<Slot> {
        let before = shared.handlers.fetch_add(1, Ordering::SeqCst);
        let slot = Slot(Arc::clone(shared));
        (before < MAX_HANDLERS).then_some(slot)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.handlers.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Answers requests until the server is unblocked. Each request gets its own thread, so a
/// client that reads its answer slowly holds that thread only; this loop runs no handler, so
/// no request can stop it.
pub fn serve_requests(server: &Server, shared: &Arc<Shared>) {
    while let Ok(request) = server.recv() {
        if shared.reload.state().stopping {
            let _ = request.respond(Response::empty(503));
            break;
        }
        match Slot::take(shared) {
            Some(slot) => {
                std::thread::spawn(move || {
                    let shared = Arc::clone(&slot.0);
                    handle(request, &shared);
                    drop(slot);
                });
            }
            None => send(
                request,
                HttpError::new(503, "预览服务器现在太忙，请稍后刷新。").text_reply(),
                &[],
                true,
            ),
        }
    }
}

fn handle(mut request: Request, shared: &Arc<Shared>) {
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_string()))
        .collect();
    let url = request.url().split('#').next().unwrap_or("").to_string();
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (url.clone(), String::new()),
    };
    let route = ROUTES.iter().find(|r| r.matches(&path) && r.serves(shared));
    let post = matches!(request.method(), Method::Post);
    let read_only = matches!(request.method(), Method::Get | Method::Head);
    let local = request
        .remote_addr()
        .is_some_and(|a| a.ip().to_canonical().is_loopback());
    // Judged before anything reads or drains the body.
    let declared = gate::declared_body(&headers, MAX_BODY);
    let mut req = Req {
        path,
        query,
        headers,
        local,
        body: Vec::new(),
    };
    let answer = (|| {
        shared.gate.admit(&req.headers)?;
        let declared = declared.clone()?;
        let route = route.ok_or_else(HttpError::not_found)?;
        if route.post != post || !(post || read_only) {
            let allowed = if route.post { "POST" } else { "GET 和 HEAD" };
            return Err(HttpError::new(405, format!("这里只支持 {allowed}")));
        }
        if route.rule == Rule::DeskWrite {
            let access = shared.desk.as_ref().ok_or_else(HttpError::not_found)?;
            desk::admit(&req, access)?;
        }
        if route.post {
            req.body = read_body(&mut request, declared, shared.body_timeout)?;
        }
        match route.handler {
            Handler::Page(page) => page(&req, shared).map(Some),
            Handler::Events => Ok(None),
        }
    })();
    let desk_route = route.is_some_and(Route::desk);
    let extra: &[(&str, &str)] = if desk_route { DESK_HEADERS } else { &[] };
    match answer {
        Ok(Some(reply)) => send(request, reply, extra, false),
        Ok(None) => events(request, shared),
        Err(e) => {
            let reply = if route.is_some_and(|r| r.rule == Rule::DeskWrite) {
                e.json_reply()
            } else if let Some(page) = files::not_found_page(shared, &e) {
                page
            } else {
                e.text_reply()
            };
            let mut extra = extra.to_vec();
            if e.status == 405 {
                let post_route = route.is_some_and(|r| r.post);
                extra.push(("Allow", if post_route { "POST" } else { "GET, HEAD" }));
            }
            // A body not read whole is not left for the next request on this connection.
            let unread = declared.map_or(true, |n| n > req.body.len());
            send(request, reply, &extra, unread)
        }
    }
}

/// The desk is never framed by another page (no clicking "保存" through a disguise), and
/// nothing of it is kept by the browser.
const DESK_HEADERS: &[(&str, &str)] = &[
    ("Cache-Control", "no-store"),
    ("X-Frame-Options", "DENY"),
    ("Content-Security-Policy", "frame-ancestors 'none'"),
    ("Referrer-Policy", "no-referrer"),
];

/// The body of a request whose declared length passed the gate, within `timeout` overall
/// (each read is bounded by the socket's own timeout).
fn read_body(
    request: &mut Request,
    declared: usize,
    timeout: Duration,
) -> Result<Vec<u8>, HttpError> {
    let started = Instant::now();
    let mut body = Vec::with_capacity(declared.min(MAX_BODY));
    let mut buf = [0u8; 16 * 1024];
    let reader = request.as_reader();
    loop {
        if started.elapsed() > timeout {
            return Err(HttpError::new(408, "请求的内容来得太慢，没有收完"));
        }
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) if body.len() + n > MAX_BODY => {
                return Err(HttpError::new(
                    413,
                    format!("内容太长：一次最多 {} KB", MAX_BODY / 1024),
                ))
            }
            Ok(n) => body.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(HttpError::new(408, "请求的内容来得太慢，没有收完"))
            }
            Err(e) => return Err(HttpError::new(400, format!("读不了请求：{e}"))),
        }
    }
    if body.len() < declared {
        return Err(HttpError::new(400, "请求的内容不完整"));
    }
    Ok(body)
}

pub(super) fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|_| Header::from_bytes(&b"X-Qili"[..], &b"1"[..]).expect("static header"))
}

/// Sends `reply`, with `extra` headers; `close` asks the client to open a new connection for
/// its next request (after a body that was refused unread).
fn send(request: Request, reply: Reply, extra: &[(&str, &str)], close: bool) {
    if close {
        return send_closing(request, reply, extra);
    }
    let mut r = Response::from_data(reply.body)
        .with_status_code(reply.status)
        .with_header(header("Content-Type", reply.kind))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    if !extra.iter().any(|(k, _)| *k == "Cache-Control") {
        r = r.with_header(header("Cache-Control", "no-cache"));
    }
    for (k, v) in extra {
        r = r.with_header(header(k, v));
    }
    if let Some(to) = &reply.location {
        r = r.with_header(header("Location", to));
    }
    let _ = request.respond(r);
}

/// tiny_http drops a `Connection` header from a response, so an answer that must say
/// `Connection: close` is written by hand.
fn send_closing(request: Request, reply: Reply, extra: &[(&str, &str)]) {
    let head_only = matches!(request.method(), Method::Head);
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        reply.status,
        tiny_http::StatusCode(reply.status).default_reason_phrase(),
        reply.kind,
        reply.body.len()
    );
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !extra.iter().any(|(k, _)| *k == "Cache-Control") {
        head.push_str("Cache-Control: no-store\r\n");
    }
    head.push_str("\r\n");
    let mut w = request.into_writer();
    let _ = w.write_all(head.as_bytes());
    if !head_only {
        let _ = w.write_all(&reply.body);
    }
    let _ = w.flush();
}

/// Counts a live-reload stream; let go when dropped.
struct Stream(Arc<Shared>);

impl Drop for Stream {
    fn drop(&mut self) {
        self.0.reload.streams.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Server-Sent Events: the current generation on connect, then each new one. tiny_http holds
/// back streamed bodies, so the response is written by hand and flushed after each event.
fn events(request: Request, shared: &Arc<Shared>) {
    let streams: &AtomicUsize = &shared.reload.streams;
    let counted = Stream(Arc::clone(shared));
    if streams.fetch_add(1, Ordering::SeqCst) >= MAX_EVENT_STREAMS {
        drop(counted);
        let _ = request.respond(Response::empty(503));
        return;
    }
    let shared = Arc::clone(shared);
    std::thread::spawn(move || {
        let _counted = counted;
        let mut w = request.into_writer();
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n";
        let mut seen = shared.reload.state().generation;
        let mut ok = w.write_all(head.as_bytes()).is_ok()
            && w.write_all(format!("retry: 1000\ndata: {seen}\n\n").as_bytes())
                .is_ok()
            && w.flush().is_ok();
        while ok {
            let s = shared.reload.wait(seen, Duration::from_secs(15));
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
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_whole_segments_and_the_files_route_takes_the_rest() {
        let find = |p: &str| ROUTES.iter().position(|r| r.matches(p)).unwrap();
        assert_eq!(ROUTES[find("/_qili/desk")].path, "/_qili/desk");
        assert_eq!(ROUTES[find("/_qili/desk/edit")].path, "/_qili/desk");
        assert_eq!(ROUTES[find("/_qili/desk/save")].path, "/_qili/desk/save");
        assert_eq!(ROUTES[find("/_qili/deskx")].path, "/_qili");
        assert_eq!(
            ROUTES[find("/_qili/wechat/article")].path,
            "/_qili/wechat/article"
        );
        assert_eq!(ROUTES[find("/_qilix/a")].path, "");
        assert_eq!(ROUTES[find("/")].path, "");
        assert!(matches!(ROUTES[find(EVENTS_PATH)].handler, Handler::Events));
    }
}
