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
#[cfg(test)]
mod roundtrip;
mod save;
mod yaml;

use super::reply::{HttpError, Reply, Req};
use super::shared::{DeskAccess, Shared};
use crate::load::Kind;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Where the desk is, under the preview's own pages.
pub const PATH: &str = "/_qili/desk/";
/// The request header that carries the token.
const TOKEN_HEADER: &str = "X-Qili-Token";

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
    fn kind(&self) -> Result<Kind, HttpError> {
        kind_named(&self.kind)
            .ok_or_else(|| HttpError::new(400, format!("不认识的类型：{}", self.kind)))
    }
}

fn kind_named(name: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| kind_name(*k) == name)
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Notice => "notice",
        Kind::Lesson => "lesson",
        Kind::Regulation => "regulation",
    }
}

/// `GET /_qili/desk/…`: the list, or a form.
pub fn get(req: &Req, shared: &Shared) -> Result<Reply, HttpError> {
    let access = shared.desk.as_ref().ok_or_else(HttpError::not_found)?;
    let params: BTreeMap<String, String> = form_urlencoded::parse(req.query.as_bytes())
        .into_owned()
        .collect();
    let given = params.get("token").filter(|t| access.token_ok(t));
    // A page carries the token only to whom may save: on this computer, or with the token in
    // the address the terminal showed.
    let token = (access.editable() && (req.local || given.is_some())).then(|| access.token());
    let ctx = page::Ctx {
        token,
        in_links: given.map(String::as_str),
        editable: access.editable(),
    };
    let html = match req.path.trim_start_matches("/_qili/") {
        "desk" | "desk/" => page::list(shared, &ctx),
        "desk/edit" => page::edit(shared, &ctx, &params),
        "desk/new" => page::new(shared, &ctx, &params),
        _ => Err(HttpError::not_found()),
    }?;
    Ok(Reply::html(html))
}

/// The safety rules every writing request passes (its `Host` was checked for every request):
/// the desk's own origin as `Origin`, the token, and JSON (which a form on another site cannot
/// send).
pub fn admit(req: &Req, access: &DeskAccess) -> Result<(), HttpError> {
    let host = req.header("Host").unwrap_or_default();
    let origin = req.header("Origin").unwrap_or_default();
    if !origin.eq_ignore_ascii_case(&format!("http://{host}")) {
        return Err(HttpError::new(
            403,
            "请求不是从编辑台的页面发出的（Origin 不对）：别的网页不能让编辑台保存文件",
        ));
    }
    if !access.token_ok(req.header(TOKEN_HEADER).unwrap_or_default()) {
        return Err(HttpError::new(
            403,
            "缺少编辑台的口令，或者口令不对：请重新打开编辑台（每次启动 qili serve 口令都会变）",
        ));
    }
    if !is_json(req.header("Content-Type").unwrap_or_default()) {
        return Err(HttpError::new(415, "请求的格式不对：只收 JSON"));
    }
    Ok(())
}

/// `application/json`, in any case, with parameters (`; charset=utf-8`) or none.
fn is_json(content_type: &str) -> bool {
    let mime = content_type.split(';').next().unwrap_or_default();
    mime.trim().eq_ignore_ascii_case("application/json")
}

fn submitted(req: &Req) -> Result<Submitted, HttpError> {
    serde_json::from_slice(&req.body)
        .map_err(|e| HttpError::new(400, format!("请求的格式不对：{e}")))
}

/// `POST /_qili/desk/check`.
pub fn check(req: &Req, shared: &Shared) -> Result<Reply, HttpError> {
    let sub = submitted(req)?;
    let (root, site) = shared.snapshot.ready()?;
    live::check(root, &site, &sub).map(|v| Reply::json(&v))
}

/// `POST /_qili/desk/save`.
pub fn save(req: &Req, shared: &Shared) -> Result<Reply, HttpError> {
    let access = shared.desk.as_ref().ok_or_else(HttpError::not_found)?;
    if !access.editable() {
        return Err(HttpError::new(
            403,
            "编辑台是只读的：预览监听了本机以外的地址。要在这里保存，用 qili serve --edit 启动。",
        ));
    }
    let sub = submitted(req)?;
    let (root, site) = shared.snapshot.ready()?;
    save::save(root, &site, &sub, access).map(|v| Reply::json(&v))
}

/// The hash the form sends back to say which version of the file it was opened with.
fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_json_is_json() {
        for good in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON;charset=UTF-8",
            " application/json ",
        ] {
            assert!(is_json(good), "{good}");
        }
        for bad in [
            "application/jsonx",
            "application/json-patch+json",
            "text/plain",
            "application/x-www-form-urlencoded",
            "",
            "application/json, text/plain",
        ] {
            assert!(!is_json(bad), "{bad}");
        }
    }
}
