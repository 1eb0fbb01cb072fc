//! The preview's "复制到公众号" page: the article `qili wechat` would write for a lesson or notice
//! page, shown in a 375 px frame as a phone shows it, with a button that copies it to the
//! clipboard as rich text, ready to paste into the 公众号 editor.
//!
//! Only `qili serve` has it: the built site never links here.

use super::files::TOOLS_PREFIX;
use super::reply::{HttpError, Reply, Req};
use super::shared::Shared;
use crate::config::SiteConfig;
use crate::model::Site;
use crate::render::templates::escape;
use crate::render::wechat::{self, Export, Theme};
use std::sync::Arc;

/// Width of the frame, in CSS pixels: the phone the 公众号's readers have.
const PHONE_WIDTH: u32 = 375;

/// `/_qili/wechat?page=/qunzhong/lessons/a/`: the export of the page, its fields and the button.
pub fn page(req: &Req, shared: &Shared) -> Result<Reply, HttpError> {
    let (path, export) = export_of(shared, &req.query)?;
    let article_url = format!("{TOOLS_PREFIX}wechat/article?{}", page_query(&path));
    let warnings: String = export
        .warnings
        .iter()
        .map(|d| format!("<li>{}：{}</li>", escape(d.code), escape(&d.message)))
        .collect();
    let warnings = if warnings.is_empty() {
        String::new()
    } else {
        format!("<ul class=\"warn\">{warnings}</ul>")
    };
    let field = |name: &str, text: &str| {
        format!(
            "<dt>{name}（{} 字）</dt><dd>{}</dd>",
            text.chars().count(),
            escape(text)
        )
    };
    Ok(Reply::html(format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>复制到公众号：{title}</title>
<style>
body{{margin:0;background:#ededed;color:#1a1a1a;font:16px/1.6 sans-serif}}
main{{max-width:60em;margin:0 auto;padding:12px 16px}}
h1{{font-size:1.4em;margin:.4em 0}}
dl{{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0 0 12px}}
dt{{font-weight:bold}} dd{{margin:0;overflow-wrap:anywhere}}
.warn{{background:#fff4e5;border-left:4px solid #b45309;padding:8px 8px 8px 2em}}
button{{font:inherit;padding:10px 18px;background:#07c160;color:#fff;border:0;border-radius:6px;cursor:pointer}}
#status{{margin-left:8px}}
iframe{{display:block;width:{w}px;max-width:100%;height:80vh;border:1px solid #ccc;background:#fff;margin-top:12px}}
</style></head>
<body><main>
<h1>复制到公众号</h1>
<p><a href="{back}">← 回到页面</a></p>
<dl>{title_field}{digest_field}<dt>阅读原文</dt><dd>{read_more}</dd></dl>
{warnings}
<p><button type="button" id="copy">复制正文</button><span id="status" role="status"></span></p>
<p>到公众号后台新建图文，把正文粘贴进去；标题、摘要和“阅读原文”的网址分别填到各自的栏里。下面是文章在 {w} 像素宽的手机上的样子。</p>
<iframe id="article" title="公众号文章预览（{w} 像素宽）" src="{article}"></iframe>
<noscript><p>复制需要 JavaScript；也可以在上面的预览里全选（Ctrl+A）再复制（Ctrl+C）。</p></noscript>
</main>
<script>{script}</script>
</body></html>
"#,
        title = escape(&export.title),
        w = PHONE_WIDTH,
        back = escape(&path),
        title_field = field("标题", &export.title),
        digest_field = field("摘要", &export.digest),
        read_more = escape(&export.read_more_url),
        article = escape(&article_url),
        script = COPY_SCRIPT,
    )))
}

/// `/_qili/wechat/article?page=…`: the article alone, without any stylesheet, as the 公众号
/// editor keeps it.
pub fn article(req: &Req, shared: &Shared) -> Result<Reply, HttpError> {
    let (_, export) = export_of(shared, &req.query)?;
    Ok(Reply::html(format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title></head><body style=\"margin:0\">{}</body></html>",
        escape(&export.title),
        export.html
    )))
}

/// Copies the framed article as rich text (HTML, with plain text beside it for editors that
/// take only that). Where the Clipboard API is missing, the article is selected and copied the
/// old way, which also copies it as HTML.
const COPY_SCRIPT: &str = r#"(function(){
var button=document.getElementById("copy"),status=document.getElementById("status"),frame=document.getElementById("article");
function say(t){status.textContent=t;}
function legacy(doc){var r=doc.createRange();r.selectNodeContents(doc.body);var s=doc.getSelection();s.removeAllRanges();s.addRange(r);var ok=doc.execCommand("copy");s.removeAllRanges();return ok;}
button.addEventListener("click",function(){
var doc=frame.contentDocument;if(!doc||!doc.body){say("预览还没有加载完，请稍等再点。");return;}
var html=doc.body.innerHTML,text=doc.body.innerText;
function done(){say("已复制。到公众号编辑器的正文里粘贴（Ctrl+V）。");}
function fallback(){if(legacy(doc))done();else say("浏览器不让复制：请在预览里全选（Ctrl+A）再复制（Ctrl+C）。");}
if(navigator.clipboard&&window.ClipboardItem){
navigator.clipboard.write([new ClipboardItem({"text/html":new Blob([html],{type:"text/html"}),"text/plain":new Blob([text],{type:"text/plain"})})]).then(done,fallback);
}else{fallback();}
});
})();"#;

fn page_query(path: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("page", path)
        .finish()
}

/// The page the query names, and its export with the site's real address (the preview is
/// built for the local one, but 阅读原文 and every link must lead to the published site).
fn export_of(shared: &Shared, query: &str) -> Result<(String, Export), HttpError> {
    let path = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "page")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| HttpError::new(400, "缺少 page 参数：要导出哪个页面？"))?;
    let (root, preview) = shared.snapshot.ready()?;
    let local = path
        .strip_prefix(preview.config.base_path())
        .unwrap_or(&path);
    let (source, audience) = wechat::at_url(&preview, local).ok_or_else(|| {
        HttpError::new(
            404,
            format!("{path} 不是课程或公开的页面，没有公众号文章可导出。"),
        )
    })?;
    let failed = |text: String| HttpError::new(500, text);
    let site = published(&preview, root).map_err(failed)?;
    let theme = Theme::load(root, &site.config.theme).map_err(|d| failed(messages(&d)))?;
    let export = wechat::export(&site, &theme, &source, audience.as_deref())
        .map_err(|d| failed(messages(&[d])))?;
    Ok((path, export))
}

/// The preview's site with the address of the real one from site.yaml.
fn published(preview: &Arc<Site>, root: &std::path::Path) -> Result<Site, String> {
    let config = SiteConfig::read(root).map_err(|d| messages(&d))?;
    let mut site = Site::clone(preview);
    site.config.base_url = config.base_url;
    Ok(site)
}

fn messages(diagnostics: &[crate::diagnostics::Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| format!("{} {}：{}", d.code, d.file, d.message))
        .collect::<Vec<_>>()
        .join("\n")
}
