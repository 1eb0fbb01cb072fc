//! The live check and preview of unsaved text: the form's document put in place of the saved
//! one in the site of the last build, parsed, checked by the same checks as `qili check` and
//! rendered by the same templates, each finding matched to the form field it is about.

use super::fields;
use super::form::Document;
use super::save::compose;
use super::{HttpError, Submitted};
use crate::check;
use crate::diagnostics::Diagnostic;
use crate::load::assets::Assets;
use crate::load::{Kind, Source};
use crate::model::{self, DocId, ParsedSource, Site};
use crate::render::templates::Templates;
use crate::render::{Page, Renderer};
use serde_json::{json, Value};
use std::path::Path;

/// The previews of a document, by the names the form's tabs use.
pub fn previews(site: &Site, id: DocId) -> Vec<(String, Page)> {
    match id {
        DocId::Notice(notice) => {
            let mut out = vec![("page".to_string(), Page::Notice(notice))];
            if site.config.posters {
                out.push(("a4".into(), Page::NoticePoster { notice, a3: false }));
                out.push(("a3".into(), Page::NoticePoster { notice, a3: true }));
            }
            out
        }
        DocId::Regulation(r) => {
            let mut out = vec![("page".to_string(), Page::Regulation(r))];
            if site.config.posters {
                out.push(("print".into(), Page::RegulationPoster(r)));
            }
            out
        }
        DocId::Lesson(lesson) => site
            .config
            .audiences
            .iter()
            .enumerate()
            .filter(|(_, a)| site.lessons[lesson].is_for(&a.id))
            .map(|(audience, a)| (format!("aud:{}", a.id), Page::Lesson { lesson, audience }))
            .collect(),
    }
}

/// `POST /_qili/desk/check`: the findings about the form's text, each with the field it is
/// about, and the preview asked for.
pub fn check(root: &Path, site: &Site, sub: &Submitted) -> Result<Value, HttpError> {
    let c = compose(root, site, sub)?;
    let file = format!("content/{}", c.key);
    let source = Source {
        kind: c.kind,
        key: c.key.clone(),
        file: file.clone(),
        path: c.path.clone(),
        text: crate::load::clean_text(&c.doc.text()),
    };
    let parsed = ParsedSource::parse(source, &site.config);
    let opts = model::Options {
        // What is being written is checked whether or not it is a draft yet.
        drafts: true,
        today: site.today,
    };
    let (checked, mut problems) = site.with_source(&c.key, &parsed, &opts);
    let mut preview = None;
    let mut tabs = Vec::new();
    if let Some(id) = checked.lookup(&c.key) {
        problems.extend(check::one(&checked, id));
        match theme(root, &checked) {
            Ok((templates, assets)) => {
                let renderer = Renderer::new(&checked, &templates, &assets, &[], false);
                for (name, page) in previews(&checked, id) {
                    let out = renderer.render(&page);
                    problems.extend(out.facts.problems);
                    if sub.preview.as_deref() == Some(name.as_str()) {
                        preview = Some(out.body);
                    }
                    tabs.push(name);
                }
            }
            Err(mut d) => problems.append(&mut d),
        }
    }
    problems.retain(|d| d.file == file || !d.file.starts_with("content/"));
    problems.sort_by(|a, b| (a.severity, a.line, a.code).cmp(&(b.severity, b.line, b.code)));
    problems.dedup_by(|a, b| a.code == b.code && a.line == b.line && a.message == b.message);
    let findings: Vec<Value> = problems
        .iter()
        .map(|d| finding(d, c.kind, &c.doc))
        .collect();
    Ok(json!({
        "file": c.key,
        "findings": findings,
        "tabs": tabs,
        "preview": preview,
    }))
}

fn theme(root: &Path, site: &Site) -> Result<(Templates, Assets), Vec<Diagnostic>> {
    // The desk previews documents, never a search page: no built-in search page needed.
    let templates = Templates::load(root, &site.config.theme, false)?;
    let dir = crate::layout::theme_static(root, &site.config.theme);
    let assets = Assets::load(&dir).map_err(|e| vec![Diagnostic::internal(&e)])?;
    Ok((templates, assets))
}

/// One finding for the form: where it goes, and what it says in a secretary's words.
fn finding(d: &Diagnostic, kind: Kind, doc: &Document) -> Value {
    json!({
        "field": field_of(d, kind, doc),
        "code": d.code,
        "severity": if d.is_error() { "error" } else { "warning" },
        "message": d.message,
        "plain": d.plain,
        "law": d.law,
        "hint": d.hint.as_deref().map(in_form_words),
        "line": d.line,
    })
}

/// The form field (or fieldset) a finding is about: the field a check named, else the field
/// on its line, the body, or none (shown at the top).
fn field_of(d: &Diagnostic, kind: Kind, doc: &Document) -> Option<String> {
    // A poster that does not fit, an objection route or an amount only in the 附件: the text.
    if matches!(d.code, "W350" | "W351" | "W352" | "W353") {
        return Some(fields::BODY.into());
    }
    let known = |path: &str| -> Option<String> {
        fields::all(kind)
            .any(|f| f.path == path || f.path.starts_with(&format!("{path}.")))
            .then(|| path.to_string())
    };
    if let Some(f) = &d.field {
        return known(f);
    }
    if d.line == 0 {
        return None;
    }
    if d.line >= doc.body_line() {
        return Some(fields::BODY.into());
    }
    doc.field_lines()
        .into_iter()
        .rev()
        .find(|(line, _)| *line <= d.line)
        .and_then(|(_, path)| known(&path))
}

/// Hints name the file's fields; the form shows their labels.
fn in_form_words(hint: &str) -> String {
    const WORDS: [(&str, &str); 10] = [
        ("把 meeting 改为", "把「会议」改为"),
        ("meeting 改为", "「会议」改为"),
        (
            "把 counted_by 改为 人数（或删去）",
            "把「应到、实到按」改为 人数",
        ),
        ("核对 expected", "核对「应到」"),
        ("核对 announced（通知日期）", "核对「会议通知日期」"),
        (
            "核对 households（户数）和 expected（代表人数）",
            "核对「代表的户数」和「应到」",
        ),
        ("disclosure 的 from 和 to", "「公示开始」和「公示结束」"),
        ("在 history.vote 写明", "在「审议表决」里写明"),
        ("在 history.filing 写明", "在「备案」里写明"),
        (
            "site.yaml 中本村 collective 的 members、representatives",
            "site.yaml 里本村登记的成员人数",
        ),
    ];
    WORDS
        .iter()
        .fold(hint.to_string(), |h, (from, to)| h.replace(from, to))
}
