//! The editors' desk at `/_qili/desk/`: a list of every notice, regulation and lesson, and a
//! form for each that a 村文书 fills in instead of writing YAML, checked as they type with the
//! same checks as `qili check`, previewed as page and posters, and saved into the same Markdown
//! file layout `qili new` writes. The files stay the single truth: the desk keeps nothing of
//! its own.
//!
//! It is the first part of qili that writes files on request, so every writing request must
//! carry the per-run token the desk's pages hold, come with the `Host` and `Origin` of the
//! serving address (a page of another site open in the same browser cannot make it write, and
//! DNS rebinding fails), stay under 1 MB, and name a `.md` file under `content/` by the static
//! server's path rules; a file is replaced atomically, and not at all if it changed on disk
//! since the form was opened. Listening beyond this computer, the desk is read-only unless
//! `--edit` is given, and then its pages carry the token only for a request that brings it.

mod fields;
mod form;
mod live;
mod page;
mod save;
mod yaml;

use super::http::{header, Shared};
use crate::load::Kind;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::net::IpAddr;
use tiny_http::{Request, Response};

/// The largest request body the desk reads.
pub const MAX_BODY: usize = 1024 * 1024;
/// Where the desk is, under the preview's own pages.
pub const PATH: &str = "/_qili/desk/";
/// The request header that carries the token.
const TOKEN_HEADER: &str = "X-Qili-Token";

/// A refused request: status and a message for the editor.
pub type Refusal = (u16, String);

/// Who may use the desk, decided once per run.
#[derive(Debug, Clone)]
pub struct Access {
    token: String,
    port: u16,
    editable: bool,
}

impl Access {
    /// A fresh random token for a server on `port` bound to `bind`; saving is allowed on a
    /// loopback address, or anywhere with `edit`.
    pub fn new(port: u16, bind: IpAddr, edit: bool) -> Result<Access, String> {
        let mut bytes = [0u8; 24];
        getrandom::fill(&mut bytes).map_err(|e| format!("无法生成编辑台的口令：{e}"))?;
        let token = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Access {
            token,
            port,
            editable: bind.is_loopback() || edit,
        })
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    pub fn editable(&self) -> bool {
        self.editable
    }

    /// Whether `given` is the token, compared in constant time.
    fn token_ok(&self, given: &str) -> bool {
        let (a, b) = (self.token.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// A `Host` that names this server by an address or `localhost`, with its port: a name
    /// that resolves here by DNS rebinding is not one of them.
    fn host_ok(&self, host: &str) -> bool {
        let (name, port) = match host.strip_prefix('[') {
            Some(rest) => match rest.split_once("]:") {
                Some((ip, port)) => (ip, port),
                None => return false,
            },
            None => match host.rsplit_once(':') {
                Some(parts) => parts,
                None => return false,
            },
        };
        port.parse::<u16>().ok() == Some(self.port)
            && (name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok())
    }
}

/// What the desk's page sends to check, preview or save.
#[derive(Debug, Deserialize)]
pub struct Submitted {
    /// `notice`, `lesson` or `regulation`.
    pub kind: String,
    /// The file being edited (`notices/a.md`); none for a new one.
    #[serde(default)]
    pub file: Option<String>,
    /// The hash of the file as the form was opened with it.
    #[serde(default)]
    pub base: Option<String>,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Which preview to render: `page`, `a4`, `a3`, `print` or `aud:<受众>`.
    #[serde(default)]
    pub preview: Option<String>,
}

impl Submitted {
    fn kind(&self) -> Result<Kind, Refusal> {
        kind_named(&self.kind).ok_or((400, format!("不认识的类型：{}", self.kind)))
    }
}

fn kind_named(name: &str) -> Option<Kind> {
    match name {
        "notice" => Some(Kind::Notice),
        "lesson" => Some(Kind::Lesson),
        "regulation" => Some(Kind::Regulation),
        _ => None,
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Notice => "notice",
        Kind::Lesson => "lesson",
        Kind::Regulation => "regulation",
    }
}

fn header_value(request: &Request, name: &str) -> Option<String> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str().to_string())
}

fn respond(request: Request, status: u16, kind: &str, body: Vec<u8>) {
    let r = Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        // The desk is never framed by another page (no clicking "保存" through a disguise).
        .with_header(header("X-Frame-Options", "DENY"))
        .with_header(header("Content-Security-Policy", "frame-ancestors 'none'"))
        .with_header(header("Referrer-Policy", "no-referrer"));
    let _ = request.respond(r);
}

fn json(request: Request, status: u16, value: &serde_json::Value) {
    respond(
        request,
        status,
        "application/json; charset=utf-8",
        value.to_string().into_bytes(),
    );
}

fn refuse_json(request: Request, (status, message): Refusal) {
    json(request, status, &serde_json::json!({ "error": message }));
}

/// `GET /_qili/desk/…`: the list, or a form.
pub fn get(request: Request, tool: &str, query: &str, shared: &Shared) {
    let Some(access) = shared.desk() else {
        return respond(
            request,
            404,
            "text/plain; charset=utf-8",
            "找不到这个页面".into(),
        );
    };
    let host = header_value(&request, "Host").unwrap_or_default();
    if !access.host_ok(&host) {
        return respond(
            request,
            403,
            "text/plain; charset=utf-8",
            "编辑台只回答发给本机地址的请求（Host 不对）".into(),
        );
    }
    let params: BTreeMap<String, String> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let given = params.get("token").filter(|t| access.token_ok(t));
    let local = request
        .remote_addr()
        .is_some_and(|a| a.ip().is_loopback() || a.ip().to_canonical().is_loopback());
    // A page carries the token only to whom may save: on this computer, or with the token in
    // the address the terminal showed.
    let token = (access.editable() && (local || given.is_some())).then(|| access.token());
    let ctx = page::Ctx {
        token,
        in_links: given.map(String::as_str),
        editable: access.editable(),
    };
    let answer = match tool {
        "desk" | "desk/" => page::list(shared, &ctx),
        "desk/edit" => page::edit(shared, &ctx, &params),
        "desk/new" => page::new(shared, &ctx, &params),
        _ => Err((404, "找不到这个页面".to_string())),
    };
    match answer {
        Ok(html) => respond(request, 200, "text/html; charset=utf-8", html.into_bytes()),
        Err((status, text)) => respond(
            request,
            status,
            "text/plain; charset=utf-8",
            text.into_bytes(),
        ),
    }
}

/// `POST /_qili/desk/check` and `/_qili/desk/save`, after the safety rules.
pub fn post(mut request: Request, tool: &str, shared: &Shared) {
    let Some(access) = shared.desk() else {
        return refuse_json(request, (404, "找不到这个页面".into()));
    };
    if let Err(refusal) = admit(&mut request, access) {
        return refuse_json(request, refusal);
    }
    let body = match read_body(&mut request) {
        Ok(b) => b,
        Err(refusal) => return refuse_json(request, refusal),
    };
    let submitted: Submitted = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => return refuse_json(request, (400, format!("请求的格式不对：{e}"))),
    };
    let (Some(root), Some(site)) = (shared.root(), shared.site()) else {
        return refuse_json(
            request,
            (503, "网站还没有生成成功，改好错误后再试。".into()),
        );
    };
    let answer = match tool {
        "desk/check" => live::check(root, &site, &submitted),
        "desk/save" if !access.editable() => Err((
            403,
            "编辑台是只读的：预览监听了本机以外的地址。要在这里保存，用 qili serve --edit 启动。"
                .into(),
        )),
        "desk/save" => save::save(root, &site, &submitted),
        _ => Err((404, "找不到这个页面".into())),
    };
    match answer {
        Ok(value) => json(request, 200, &value),
        Err(refusal) => refuse_json(request, refusal),
    }
}

/// The safety rules every writing request passes: the serving address as `Host`, the desk's
/// own origin as `Origin`, the token, and JSON (which a form on another site cannot send).
fn admit(request: &mut Request, access: &Access) -> Result<(), Refusal> {
    let host = header_value(request, "Host").unwrap_or_default();
    if !access.host_ok(&host) {
        return Err((403, "编辑台只回答发给本机地址的请求（Host 不对）".into()));
    }
    let origin = header_value(request, "Origin").unwrap_or_default();
    if !origin.eq_ignore_ascii_case(&format!("http://{host}")) {
        return Err((
            403,
            "请求不是从编辑台的页面发出的（Origin 不对）：别的网页不能让编辑台保存文件".into(),
        ));
    }
    let token = header_value(request, TOKEN_HEADER).unwrap_or_default();
    if !access.token_ok(&token) {
        return Err((
            403,
            "缺少编辑台的口令，或者口令不对：请重新打开编辑台（每次启动 qili serve 口令都会变）"
                .into(),
        ));
    }
    let kind = header_value(request, "Content-Type").unwrap_or_default();
    if !kind.to_ascii_lowercase().starts_with("application/json") {
        return Err((415, "请求的格式不对：只收 JSON".into()));
    }
    Ok(())
}

fn too_large() -> Refusal {
    (413, format!("内容太长：一次最多 {} KB", MAX_BODY / 1024))
}

fn read_body(request: &mut Request) -> Result<Vec<u8>, Refusal> {
    if request.body_length().is_some_and(|n| n > MAX_BODY) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    request
        .as_reader()
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| (400, format!("读不了请求：{e}")))?;
    if body.len() > MAX_BODY {
        return Err(too_large());
    }
    Ok(body)
}

/// The hash the form sends back to say which version of the file it was opened with.
fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access() -> Access {
        Access::new(1111, "127.0.0.1".parse().unwrap(), false).unwrap()
    }

    #[test]
    fn only_the_servers_own_address_is_a_good_host() {
        let a = access();
        for good in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "[::1]:1111",
            "192.168.1.5:1111",
        ] {
            assert!(a.host_ok(good), "{good}");
        }
        for bad in [
            "evil.example:1111",
            "127.0.0.1:2222",
            "127.0.0.1",
            "localhost",
            "127.0.0.1.nip.io:1111",
            "[::1]",
            "",
        ] {
            assert!(!a.host_ok(bad), "{bad}");
        }
    }

    #[test]
    fn tokens_differ_per_run_and_only_the_token_is_accepted() {
        let (a, b) = (access(), access());
        assert_ne!(a.token(), b.token());
        assert_eq!(a.token().len(), 48);
        assert!(a.token_ok(a.token()));
        assert!(!a.token_ok(b.token()) && !a.token_ok("") && !a.token_ok(&a.token()[1..]));
    }

    #[test]
    fn a_desk_listening_beyond_this_computer_is_read_only_unless_asked() {
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        assert!(!Access::new(1, any, false).unwrap().editable());
        assert!(Access::new(1, any, true).unwrap().editable());
        assert!(access().editable());
    }
}
