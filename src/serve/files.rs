//! The built site's files, never anything outside its folder, with the live-reload script,
//! the error overlay and the 公众号 button added to HTML as it is served (never written to
//! the built site).

use super::reply::{HttpError, Reply, Req};
use super::shared::{Shared, State};
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::render::templates::escape;
use crate::render::wechat;
use percent_encoding::percent_decode_str;
use std::path::{Path, PathBuf};

/// Where the live-reload script listens.
pub const EVENTS_PATH: &str = "/__qili/events";
/// The preview's own pages (the 公众号 export, the editors' desk): never written by `build`, and
/// no page of a site can be there, as slugs never start with `_`.
pub const TOOLS_PREFIX: &str = "/_qili/";

const EMPTY_PAGE: &str = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>qili 预览</title></head><body><p>网站还没有生成成功。</p></body></html>";

/// `GET` of any other path: the file, a redirect to a folder's `/`, or the site's 404 page.
pub fn serve(req: &Req, shared: &Shared) -> Result<Reply, HttpError> {
    let dir = &shared.output;
    let path = req.path.as_str();
    let file = match resolve(dir, path) {
        Ok(Resolved::File(file)) => file,
        Ok(Resolved::Redirect(to)) => return Ok(Reply::redirect(to)),
        Err(status) => return Err(missing(status)),
    };
    let kind = crate::output::content_type(&file.to_string_lossy());
    // Replaced between resolve and read by a rebuild: the next request gets the new one.
    let bytes = std::fs::read(&file).map_err(|_| HttpError::not_found())?;
    if shared.files_only || !kind.starts_with("text/html") {
        return Ok(Reply::with(200, kind, bytes));
    }
    let button = shared
        .snapshot
        .site()
        .and_then(|site| wechat_button(&site, path));
    let page = inject(
        &String::from_utf8_lossy(&bytes),
        &shared.reload.state(),
        button.as_deref(),
        shared.snapshot.root(),
    );
    Ok(Reply::with(200, kind, page.into_bytes()))
}

fn missing(status: u16) -> HttpError {
    let text = if status == 403 {
        "禁止访问"
    } else {
        "找不到这个页面"
    };
    HttpError::new(status, text)
}

/// The answer for a path with no file, as a page where there is one to show.
pub fn not_found_page(shared: &Shared, err: &HttpError) -> Option<Reply> {
    if shared.files_only || err.status != 404 {
        return None;
    }
    let state = shared.reload.state();
    let root = shared.snapshot.root();
    let not_found = shared.output.join("404.html");
    if let Ok(bytes) = std::fs::read(&not_found) {
        let page = inject(&String::from_utf8_lossy(&bytes), &state, None, root);
        return Some(Reply::with(
            404,
            "text/html; charset=utf-8",
            page.into_bytes(),
        ));
    }
    // The first build failed: there is no site yet, only the errors to show.
    (!state.errors.is_empty()).then(|| Reply::html(inject(EMPTY_PAGE, &state, None, root)))
}

pub enum Resolved {
    File(PathBuf),
    Redirect(String),
}

/// Maps a request path to a file inside `dir`. Each segment is decoded on its own, so `%2f`
/// cannot smuggle a separator and `%2e%2e` is just `..`; both are refused, as are absolute
/// paths and anything that resolves (through links) outside the folder.
pub fn resolve(dir: &Path, path: &str) -> Result<Resolved, u16> {
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
pub fn bad_segment(seg: &str) -> bool {
    seg == "." || seg == ".." || seg.contains(['/', '\\', '\0', ':']) || seg.starts_with('~')
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

/// Adds the overlay (when the last rebuild failed), `tools` (the preview's buttons) and the
/// reload script before `</body>`.
pub fn inject(page: &str, state: &State, tools: Option<&str>, root: Option<&Path>) -> String {
    let mut extra = String::new();
    extra.push_str(tools.unwrap_or_default());
    if !state.errors.is_empty() {
        extra.push_str(&overlay(&state.errors, root));
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

/// `text` with the site folder's absolute path taken out: a page sees paths relative to the
/// site, never where it lies on this computer (nor the user's name in it).
fn relative(text: &str, root: Option<&Path>) -> String {
    let Some(root) = root.and_then(Path::to_str).filter(|r| r.len() > 1) else {
        return text.to_string();
    };
    let root = root.trim_end_matches('/');
    text.replace(&format!("{root}/"), "").replace(root, ".")
}

/// The errors, over the page, readable without JavaScript; file paths relative to `root`.
pub fn overlay(errors: &[Diagnostic], root: Option<&Path>) -> String {
    let mut items = String::new();
    for d in errors.iter().take(50) {
        let position = if d.line > 0 {
            format!("{}:{}:{}", d.file, d.line, d.column)
        } else {
            d.file.clone()
        };
        items.push_str(&format!(
            "<li><code>{}</code> <strong>{}</strong> {}{}</li>",
            escape(&relative(&position, root)),
            escape(d.code),
            escape(&relative(&d.message, root)),
            d.hint
                .as_deref()
                .map(|h| format!("<br><small>提示：{}</small>", escape(&relative(h, root))))
                .unwrap_or_default()
        ));
    }
    format!(
        "<div id=\"qili-overlay\" role=\"alert\" style=\"position:fixed;left:0;right:0;bottom:0;max-height:60%;overflow:auto;z-index:99999;background:#fff8f8;color:#1a1a1a;border-top:4px solid #c00;padding:12px 16px;font:16px/1.5 sans-serif\"><p style=\"margin:0 0 8px\"><strong>网站没有更新：有 {} 个错误。</strong>改好后页面会自动刷新；现在显示的是上一次成功生成的网站。</p><ol style=\"margin:0;padding-left:1.4em\">{items}</ol></div>",
        errors.len()
    )
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
        let html = overlay(&[d], None);
        assert!(!html.contains("<script>x"));
        assert!(html.contains("content/&lt;a&gt;.md:3:1"));
    }

    #[test]
    fn overlay_shows_no_absolute_path_of_this_computer() {
        let root = Path::new("/home/wenshu/村务/site");
        let d = Diagnostic::error(
            "E501",
            "/home/wenshu/村务/site/content/notices/a.md",
            "读写 /home/wenshu/村务/site/public 失败",
        )
        .hint("检查 /home/wenshu/村务/site 的权限");
        let html = overlay(&[d], Some(root));
        assert!(!html.contains("/home/wenshu"), "{html}");
        assert!(html.contains("<code>content/notices/a.md</code>"), "{html}");
        assert!(html.contains("读写 public 失败") && html.contains("检查 . 的权限"));
    }

    #[test]
    fn script_goes_before_body_end() {
        let s = State::default();
        let page = inject("<html><body>x</body></html>", &s, None, None);
        assert!(page.contains("x<script>") && page.ends_with("</body></html>"));
    }
}
