//! The desk's pages: the list of documents, and the form of one. The page's script and style
//! are plain files beside this one, included as they are (no framework, no build step, nothing
//! from another site).

use super::fields::{self, Field, Input};
use super::form::Document;
use super::save::read_editable;
use super::{hash, kind_name, kind_named, HttpError, PATH};
use crate::check::articles::Version;
use crate::check::authority::{authority, Authority};
use crate::config::{SiteConfig, VillageKind};
use crate::diagnostics::Diagnostic;
use crate::load::Kind;
use crate::model::date::Date;
use crate::model::notice::{MatterKind, Meeting};
use crate::model::Site;
use crate::render::templates::escape;
use std::collections::BTreeMap;
use std::fmt::Write;

const SCRIPT: &str = include_str!("desk.js");
const STYLE: &str = include_str!("desk.css");

/// What a page may show of the desk's rights.
pub struct Ctx<'a> {
    /// The token, for pages that may save.
    pub token: Option<&'a str>,
    /// The token as it came in the address, to keep it in the page's links.
    pub in_links: Option<&'a str>,
    pub editable: bool,
}

impl Ctx<'_> {
    fn link(&self, path: &str, params: &[(&str, &str)]) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in params {
            q.append_pair(k, v);
        }
        if let Some(t) = self.in_links {
            q.append_pair("token", t);
        }
        let q = q.finish();
        if q.is_empty() {
            format!("{PATH}{path}")
        } else {
            format!("{PATH}{path}?{q}")
        }
    }

    fn banner(&self) -> &'static str {
        match (self.editable, self.token.is_some()) {
            (false, _) => "<p class=\"readonly\" role=\"note\">只读：预览监听了本机以外的地址，编辑台不能保存。要在这里保存，用 <code>qili serve --edit</code> 启动。</p>",
            (true, false) => "<p class=\"readonly\" role=\"note\">只读：要保存，请用终端里显示的带口令的编辑台地址打开。</p>",
            _ => "",
        }
    }
}

fn shell(title: &str, ctx: &Ctx, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<meta name=\"qili-token\" content=\"{}\">\n<title>{} · qili 编辑台</title>\n<style>{STYLE}</style></head>\n<body>{}{body}</body></html>\n",
        escape(ctx.token.unwrap_or("")),
        escape(title),
        ctx.banner()
    )
}

fn counts(findings: &[Diagnostic], file: &str) -> String {
    let errors = findings
        .iter()
        .filter(|d| d.file == file && d.is_error())
        .count();
    let warnings = findings
        .iter()
        .filter(|d| d.file == file && !d.is_error())
        .count();
    match (errors, warnings) {
        (0, 0) => "<span class=\"ok\">没有问题</span>".into(),
        (e, w) => {
            let mut s = String::new();
            if e > 0 {
                let _ = write!(s, "<span class=\"n-error\">{e} 个错误</span> ");
            }
            if w > 0 {
                let _ = write!(s, "<span class=\"n-warning\">{w} 个提醒</span>");
            }
            s
        }
    }
}

fn village_name(config: &SiteConfig, id: &str) -> String {
    config
        .village(id)
        .map(|v| v.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// `/_qili/desk/`: every document with its status and findings, and the forms to start one.
pub fn list(shared: &super::Shared, ctx: &Ctx) -> Result<String, HttpError> {
    let (_, site) = shared.snapshot.ready()?;
    let findings = shared.snapshot.findings();
    let mut rows = Rows {
        html: String::new(),
        ctx,
        findings: &findings,
    };
    document_rows(&site, &mut rows);
    unreadable_rows(&site, &mut rows);
    let body = format!(
        "<main class=\"list\"><h1>编辑台</h1><p>这里列出全部公开、村规民约和课程。点标题打开表单；填好后点「保存」，文件会写进 <code>content/</code>，网站自动更新。</p>\
         <section class=\"new-docs\"><h2>新建</h2>{}</section>\
         <table><thead><tr><th>类型</th><th>村（社区）</th><th>标题</th><th>状态</th><th>检查结果</th></tr></thead><tbody>{}</tbody></table></main>",
        new_forms(&site.config, ctx),
        rows.html,
    );
    Ok(shell("编辑台", ctx, &body))
}

/// The rows of the desk's list: a document each, linked to its form, with what the last build
/// found in its file.
struct Rows<'a> {
    html: String,
    ctx: &'a Ctx<'a>,
    findings: &'a [Diagnostic],
}

impl Rows<'_> {
    fn add(&mut self, kind: &str, village: &str, title: &str, status: &str, file: &str, key: &str) {
        let _ = write!(
            self.html,
            "<tr data-file=\"{}\"><td>{}</td><td>{}</td><td><a href=\"{}\">{}</a></td><td class=\"status\">{}</td><td>{}</td></tr>",
            escape(key),
            escape(kind),
            escape(village),
            escape(&self.ctx.link("edit", &[("file", key)])),
            escape(title),
            escape(status),
            counts(self.findings, file)
        );
    }
}

/// A row for every document in the site, with its status as its readers would see it.
fn document_rows(site: &Site, rows: &mut Rows) {
    let c = &site.config;
    for n in &site.notices {
        let f = &n.doc.front;
        let status = if f.draft {
            "草稿"
        } else {
            f.status(site.today).label()
        };
        rows.add(
            "四议两公开",
            &village_name(c, &f.village),
            &f.title,
            status,
            &n.doc.file,
            &n.doc.key,
        );
    }
    for r in &site.regulations {
        let f = &r.doc.front;
        let status = match (f.draft, r.is_current) {
            (true, _) => "草稿",
            (false, true) => "现行",
            (false, false) => "历史版本",
        };
        rows.add(
            "村规民约",
            &village_name(c, &f.village),
            &f.title,
            status,
            &r.doc.file,
            &r.doc.key,
        );
    }
    for l in &site.lessons {
        let f = &l.doc.front;
        let village = f
            .village
            .as_deref()
            .map(|v| village_name(c, v))
            .unwrap_or_default();
        let status = if f.draft { "草稿" } else { "已发布" };
        rows.add("课程", &village, &f.title, status, &l.doc.file, &l.doc.key);
    }
}

/// Files the last build could not read into the site: listed with their errors, or the desk
/// would hide exactly the files that need mending.
fn unreadable_rows(site: &Site, rows: &mut Rows) {
    let findings = rows.findings;
    let mut broken: Vec<&str> = findings
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.file.strip_prefix("content/"))
        .filter(|key| site.lookup(key).is_none())
        .collect();
    broken.sort();
    broken.dedup();
    for key in broken {
        let kind = key.split('/').next().unwrap_or("");
        rows.add(
            kind,
            "",
            key,
            "有错误，没能生成页面",
            &format!("content/{key}"),
            key,
        );
    }
}

/// The forms that start a new document of each kind (a lesson belongs to no village). They
/// are GET forms, so the token rides along as a hidden field.
fn new_forms(config: &SiteConfig, ctx: &Ctx) -> String {
    let villages: String = config
        .villages
        .iter()
        .map(|v| {
            format!(
                "<option value=\"{}\">{}</option>",
                escape(&v.id),
                escape(&v.name)
            )
        })
        .collect();
    let new = |kind: &str, label: &str, village: bool| {
        format!(
            "<form method=\"get\" action=\"{}new\" class=\"new\"><input type=\"hidden\" name=\"kind\" value=\"{kind}\">{}{}<label>标题 <input name=\"title\" required></label> <button>新建{label}</button></form>",
            PATH,
            if village { format!("<label>村（社区） <select name=\"village\">{villages}</select></label> ") } else { String::new() },
            ctx.in_links.map(|t| format!("<input type=\"hidden\" name=\"token\" value=\"{}\">", escape(t))).unwrap_or_default(),
        )
    };
    [
        new("notice", "公开", true),
        new("regulation", "村规民约", true),
        new("lesson", "课程", false),
    ]
    .concat()
}

/// `/_qili/desk/edit?file=notices/a.md`: the form of a saved document.
pub fn edit(
    shared: &super::Shared,
    ctx: &Ctx,
    params: &BTreeMap<String, String>,
) -> Result<String, HttpError> {
    let (root, site) = shared.snapshot.ready()?;
    let key = params
        .get("file")
        .ok_or_else(|| HttpError::new(400, "缺少 file 参数".to_string()))?;
    let kind = key
        .split('/')
        .next()
        .and_then(Kind::from_folder)
        .ok_or_else(|| HttpError::new(404, format!("{key} 不是公开、村规民约或课程")))?;
    let (_, doc, bytes) = read_editable(root, key, kind)?;
    let values = doc.values(kind).map_err(|e| {
        HttpError::new(
            422,
            format!("content/{key} 开头的字段写错了，表单读不了，请先用文本编辑器修好：{e}"),
        )
    })?;
    Ok(form_page(
        &site,
        ctx,
        kind,
        Some(key),
        &hash(&bytes),
        &values,
        &doc.body_text(),
    ))
}

/// `/_qili/desk/new?kind=notice&village=dongling&title=…`: the form of a new document, filled
/// as `qili new` would fill the file.
pub fn new(
    shared: &super::Shared,
    ctx: &Ctx,
    params: &BTreeMap<String, String>,
) -> Result<String, HttpError> {
    let (_, site) = shared.snapshot.ready()?;
    let kind = params
        .get("kind")
        .and_then(|k| kind_named(k))
        .ok_or_else(|| HttpError::new(400, "缺少 kind 参数".to_string()))?;
    let title = params.get("title").map(|t| t.trim()).unwrap_or("");
    let village = match params.get("village").filter(|v| !v.is_empty()) {
        Some(id) => Some(
            site.config
                .village(id)
                .ok_or_else(|| HttpError::new(400, format!("村（社区）「{id}」不存在")))?,
        ),
        None if kind == Kind::Lesson => None,
        None => site.config.villages.first(),
    };
    let name = crate::scaffold::base_name(kind, village, title);
    let text = crate::scaffold::text(kind, title, &name, site.today, village, &site.config);
    let doc = Document::parse(&text)
        .ok_or_else(|| HttpError::new(500, "qili new 的模板不对".to_string()))?;
    let values = doc.values(kind).map_err(|e| HttpError::new(500, e))?;
    Ok(form_page(
        &site,
        ctx,
        kind,
        None,
        "",
        &values,
        &doc.body_text(),
    ))
}

/// For each village and kind of matter, the meetings that may decide it there (under the texts
/// of the law in force on `today`).
fn meetings(config: &SiteConfig, today: Date) -> serde_json::Value {
    let text = Version::on(today);
    let mut out = serde_json::Map::new();
    for v in &config.villages {
        let mut kinds = serde_json::Map::new();
        for k in MatterKind::ALL {
            let allowed: Vec<&str> = Meeting::ALL
                .iter()
                .filter(|m| {
                    (**m == Meeting::ResidentsAssembly) == (v.kind == VillageKind::Community)
                })
                .filter(|m| {
                    matches!(
                        authority(k.class(), v.collective.is_some(), **m, text),
                        Authority::Decides(_)
                    )
                })
                .map(|m| m.label())
                .collect();
            kinds.insert(k.label().into(), allowed.into());
        }
        out.insert(v.id.clone(), kinds.into());
    }
    out.into()
}

fn input(site: &Site, f: &Field, value: &str) -> String {
    let id = format!("f-{}", f.path.replace('.', "-"));
    let name = escape(f.path);
    let v = escape(value);
    let select = |options: Vec<(String, String)>, empty: &str| {
        let mut s =
            format!("<select id=\"{id}\" name=\"{name}\"><option value=\"\">{empty}</option>");
        let known = options.iter().any(|(o, _)| o == value);
        for (o, label) in options {
            let sel = if o == value { " selected" } else { "" };
            let _ = write!(
                s,
                "<option value=\"{}\"{sel}>{}</option>",
                escape(&o),
                escape(&label)
            );
        }
        if !known && !value.is_empty() {
            let _ = write!(s, "<option value=\"{v}\" selected>{v}</option>");
        }
        s.push_str("</select>");
        s
    };
    let choice = |input: Input, empty: &str| {
        select(
            fields::choices(input)
                .into_iter()
                .map(|(o, l)| (o.to_string(), l))
                .collect(),
            empty,
        )
    };
    match f.input {
        Input::Text | Input::List => format!("<input type=\"text\" id=\"{id}\" name=\"{name}\" value=\"{v}\">"),
        Input::Long => format!("<textarea id=\"{id}\" name=\"{name}\" rows=\"2\">\n{v}</textarea>"),
        Input::Int => format!("<input type=\"text\" inputmode=\"numeric\" class=\"count\" id=\"{id}\" name=\"{name}\" value=\"{v}\">"),
        Input::Date => format!("<input type=\"date\" id=\"{id}\" name=\"{name}\" value=\"{v}\">"),
        Input::Bool => format!(
            "<input type=\"checkbox\" id=\"{id}\" name=\"{name}\" value=\"true\"{}>",
            if value == "true" { " checked" } else { "" }
        ),
        Input::Village => select(
            site.config.villages.iter().map(|v| (v.id.clone(), v.name.clone())).collect(),
            "（不填）",
        ),
        Input::Audiences => {
            let chosen: Vec<&str> = value.split(", ").collect();
            site.config
                .audiences
                .iter()
                .map(|a| {
                    format!(
                        "<label class=\"inline\"><input type=\"checkbox\" name=\"{name}\" data-list=\"1\" value=\"{}\"{}> {}</label>",
                        escape(&a.id),
                        if chosen.contains(&a.id.as_str()) { " checked" } else { "" },
                        escape(&a.name)
                    )
                })
                .collect()
        }
        Input::Kind => choice(Input::Kind, "（请选择）"),
        Input::Meeting => choice(Input::Meeting, "（请选择）"),
        Input::CountedBy => choice(Input::CountedBy, "（不填：按人数）"),
        Input::Initiator => choice(Input::Initiator, "（请选择）"),
    }
}

fn tabs(site: &Site, kind: Kind) -> String {
    let list: Vec<(String, String)> = match kind {
        Kind::Notice => vec![
            ("page".into(), "网页".into()),
            ("a4".into(), "A4 海报".into()),
            ("a3".into(), "A3 海报".into()),
        ],
        Kind::Regulation => vec![
            ("page".into(), "网页".into()),
            ("print".into(), "打印版（A4）".into()),
        ],
        Kind::Lesson => site
            .config
            .audiences
            .iter()
            .map(|a| (format!("aud:{}", a.id), format!("{}看到的", a.name)))
            .collect(),
    };
    list.iter()
        .enumerate()
        .map(|(i, (v, label))| {
            format!(
                "<button type=\"button\" role=\"tab\" data-preview=\"{}\" aria-selected=\"{}\">{}</button>",
                escape(v),
                i == 0,
                escape(label)
            )
        })
        .collect()
}

/// The form of a document: its fields and body beside a preview of the page it makes, saved
/// over the file with `base` (the hash of what was read) so that a change made elsewhere in the
/// meantime is not overwritten.
#[allow(clippy::too_many_arguments)]
fn form_page(
    site: &Site,
    ctx: &Ctx,
    kind: Kind,
    key: Option<&str>,
    base: &str,
    values: &BTreeMap<&'static str, String>,
    body: &str,
) -> String {
    let form = field_groups(site, kind, values) + &body_field(body);
    let title = values
        .get("title")
        .map(String::as_str)
        .filter(|t| !t.is_empty())
        .unwrap_or("新文件");
    let heading = match (kind, key) {
        (Kind::Notice, None) => "新建公开",
        (Kind::Regulation, None) => "新建村规民约",
        (Kind::Lesson, None) => "新建课程",
        _ => "编辑",
    };
    let body = format!(
        "<header class=\"bar\"><a href=\"{back}\">← 编辑台</a><h1>{heading}：<span id=\"doc-title\">{title}</span></h1>\
         <span class=\"where\">文件：<code id=\"where\">{where_}</code></span>\
         <button type=\"button\" id=\"save\"{disabled}>保存</button><span id=\"status\" role=\"status\" aria-live=\"polite\"></span>\
         <button type=\"button\" id=\"reload\" hidden>重新载入</button></header>\
         <div class=\"findings general\" id=\"general\" data-for=\"\"></div>\
         <main class=\"desk\"><form id=\"form\" data-kind=\"{kind}\" data-file=\"{file}\" data-base=\"{base}\" novalidate>{form}</form>\
         <section class=\"preview\" aria-label=\"预览\"><div class=\"tabs\" role=\"tablist\">{tabs}<button type=\"button\" id=\"print\">打印</button></div>\
         <p id=\"preview-note\" class=\"note\">预览的是还没保存的内容。</p>\
         <iframe id=\"preview\" title=\"预览\" sandbox=\"allow-same-origin allow-modals\"></iframe></section></main>\
         <script type=\"application/json\" id=\"desk-data\">{data}</script><script>{SCRIPT}</script>",
        back = escape(&ctx.link("", &[])),
        title = escape(title),
        where_ = escape(&key.map(|k| format!("content/{k}")).unwrap_or_else(|| "保存时按标题命名".into())),
        disabled = if ctx.token.is_some() { "" } else { " disabled" },
        kind = kind_name(kind),
        file = escape(key.unwrap_or("")),
        base = escape(base),
        tabs = tabs(site, kind),
        data = desk_data(&site.config, site.today),
    );
    shell(&format!("{heading}：{title}"), ctx, &body)
}

/// The front matter's fields in the groups of the form, each group and field with a place for
/// what the checks find in it.
fn field_groups(site: &Site, kind: Kind, values: &BTreeMap<&'static str, String>) -> String {
    let mut form = String::new();
    for g in fields::groups(kind) {
        let _ = write!(
            form,
            "<fieldset data-group=\"{}\"><legend>{}</legend>",
            escape(g.key),
            escape(g.legend)
        );
        if !g.note.is_empty() {
            let _ = write!(form, "<p class=\"note\">{}</p>", escape(g.note));
        }
        if !g.key.is_empty() {
            let _ = write!(
                form,
                "<div class=\"findings\" data-for=\"{}\"></div>",
                escape(g.key)
            );
        }
        for f in g.fields {
            let value = values.get(f.path).map(String::as_str).unwrap_or("");
            form.push_str(&field(site, f, value));
        }
        form.push_str("</fieldset>");
    }
    form
}

/// One field: its label, input and help. A set of checkboxes has no one input for a `<label>`
/// to name, so its label is a plain span.
fn field(site: &Site, f: &Field, value: &str) -> String {
    let id = format!("f-{}", f.path.replace('.', "-"));
    let (open, close) = if f.input == Input::Audiences {
        ("<span class=\"label\">", "</span>")
    } else {
        ("", "")
    };
    format!(
        "<div class=\"field {}\" data-field=\"{}\">{open}<label for=\"{id}\">{}</label>{close}{}{}<div class=\"findings\" data-for=\"{}\"></div></div>",
        if f.input == Input::Bool { "check" } else { "" },
        escape(f.path),
        escape(f.label),
        input(site, f, value),
        if f.help.is_empty() { String::new() } else { format!("<small>{}</small>", escape(f.help)) },
        escape(f.path),
    )
}

/// The document's body, in Markdown, as the last group of the form.
fn body_field(body: &str) -> String {
    format!(
        "<fieldset data-group=\"body\"><legend>正文</legend><p class=\"note\">用 Markdown 写：空一行是新段落，## 开头是小标题。以「## 附件」开头的部分只在网上显示，不印到海报上。</p><div class=\"field\" data-field=\"body\"><label for=\"f-body\">决议内容和实施方案</label><textarea id=\"f-body\" name=\"body\" rows=\"16\">\n{}</textarea><div class=\"findings\" data-for=\"body\"></div></div></fieldset>",
        escape(body)
    )
}

/// What the page's script needs from the site, as JSON inside `<script>`: with `<` escaped, a
/// village's name cannot close the element.
fn desk_data(config: &SiteConfig, today: Date) -> String {
    serde_json::json!({
        "meetings": meetings(config, today),
        "desk": PATH,
    })
    .to_string()
    .replace('<', "\\u003c")
}
