//! From a loaded source to a typed document: front matter into the kind's fields, slugs, the
//! lesson's audience blocks, and the per-document checks (required text filled, village known,
//! summary length). `Site::build` gathers the results.

use super::lesson::{LessonFront, Variants};
use super::notice::NoticeFront;
use super::regulation::RegulationFront;
use super::{slug, Doc, Lesson, Notice, Regulation};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::load::frontmatter::{self, YamlSource};
use crate::load::{Kind, Source};
use serde::de::DeserializeOwned;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub(super) enum Parsed {
    Lesson(Arc<Lesson>),
    Notice(Arc<Notice>),
    Regulation(Arc<Regulation>),
}

/// One source after parsing: its document (absent when it has errors) and its problems.
#[derive(Debug, Clone)]
pub struct ParsedSource {
    /// The source's key (path under `content/`), also when it has no document: its problems
    /// are kept by it between builds.
    pub key: String,
    pub(super) doc: Option<Parsed>,
    pub problems: Vec<Diagnostic>,
}

impl ParsedSource {
    pub fn parse(source: Source, config: &SiteConfig) -> ParsedSource {
        let key = source.key.clone();
        let (doc, problems) = parse_source(source, config);
        ParsedSource { key, doc, problems }
    }

    /// Only problems, for a file that could not be read at all.
    pub fn failed(key: String, problems: Vec<Diagnostic>) -> ParsedSource {
        ParsedSource {
            key,
            doc: None,
            problems,
        }
    }
}

/// The document of a source, its front matter read into `F`; the slug is named afterwards by
/// [`name_slug`], from the front matter or the file name.
fn parse_doc<F: DeserializeOwned>(source: &Source) -> Result<Doc<F>, Diagnostic> {
    let split = frontmatter::split(&source.file, &source.text)?;
    let front: F = frontmatter::parse(&YamlSource {
        file: &source.file,
        text: split.yaml,
        first_line: split.yaml_line,
    })?;
    Ok(Doc {
        key: source.key.clone(),
        file: source.file.clone(),
        slug: String::new(),
        front,
        yaml: split.yaml.to_string(),
        yaml_line: split.yaml_line,
        body: split.body.to_string(),
        body_line: split.body_line,
    })
}

fn parse_source(source: Source, config: &SiteConfig) -> (Option<Parsed>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let parsed =
        match source.kind {
            Kind::Lesson => parse_doc::<LessonFront>(&source)
                .map(|doc| lesson(doc, &source, config, &mut problems)),
            Kind::Notice => parse_doc::<NoticeFront>(&source)
                .map(|doc| notice(doc, &source, config, &mut problems)),
            Kind::Regulation => parse_doc::<RegulationFront>(&source)
                .map(|doc| regulation(doc, &source, config, &mut problems)),
        };
    match parsed {
        Ok(p) if problems.iter().all(|d| !d.is_error()) => (Some(p), problems),
        Ok(_) => (None, problems),
        Err(d) => {
            problems.push(d);
            (None, problems)
        }
    }
}

/// A lesson with its slug, its checks, and its `:::` audience blocks.
fn lesson(
    mut doc: Doc<LessonFront>,
    source: &Source,
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) -> Parsed {
    let slug = doc.front.slug.clone();
    name_slug(&mut doc, source, slug, problems);
    check_audiences(config, &doc, problems);
    if let Some(v) = &doc.front.village {
        check_village(config, &doc, v, problems);
    }
    check_summary(&doc, &doc.front.summary, problems);
    check_filled(
        &doc,
        doc.front.draft,
        &[("title", &doc.front.title)],
        problems,
    );
    let (variants, mut p) = Variants::parse(&doc.body, doc.body_line, &doc.file, config);
    problems.append(&mut p);
    Parsed::Lesson(Arc::new(Lesson { doc, variants }))
}

/// E203 for each audience site.yaml does not define (with the nearest one it does), and for a
/// lesson with none: a lesson no audience can select would never be shown.
fn check_audiences(config: &SiteConfig, doc: &Doc<LessonFront>, problems: &mut Vec<Diagnostic>) {
    for a in &doc.front.audiences {
        if config.audience(a).is_none() {
            let ids: Vec<&str> = config.audiences.iter().map(|a| a.id.as_str()).collect();
            let hint = match frontmatter::did_you_mean(a, &ids) {
                Some(best) => format!("是不是 {best}？可用的受众：{}", ids.join("、")),
                None => format!("site.yaml 里定义的受众：{}", ids.join("、")),
            };
            problems.push(doc.finding(
                Diagnostic::error("E203", &doc.file, format!("受众「{a}」不存在")).hint(hint),
                "audiences",
            ));
        }
    }
    if doc.front.audiences.is_empty() {
        problems.push(
            doc.finding(
                Diagnostic::error("E203", &doc.file, "课程没有写受众")
                    .hint("在 audiences 里至少写一个受众，例如 [qunzhong]"),
                "audiences",
            ),
        );
    }
}

/// A 公开 notice with its slug and the checks of what it must say.
fn notice(
    mut doc: Doc<NoticeFront>,
    source: &Source,
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) -> Parsed {
    let slug = doc.front.slug.clone();
    let village = doc.front.village.clone();
    name_slug(&mut doc, source, slug, problems);
    check_village(config, &doc, &village, problems);
    check_summary(&doc, &doc.front.summary, problems);
    let f = &doc.front;
    let required = [
        ("title", &f.title),
        ("matter", &f.matter),
        ("signature.body", &f.signature.body),
    ];
    check_filled(&doc, f.draft, &required, problems);
    Parsed::Notice(Arc::new(Notice { doc }))
}

/// A version of a 村规民约, its slug from the file name; which version is current is decided
/// later, across all of them.
fn regulation(
    mut doc: Doc<RegulationFront>,
    source: &Source,
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) -> Parsed {
    let village = doc.front.village.clone();
    let version = doc.front.version.clone();
    name_slug(&mut doc, source, None, problems);
    check_village(config, &doc, &village, problems);
    check_summary(&doc, &doc.front.summary, problems);
    check_filled(
        &doc,
        doc.front.draft,
        &[("title", &doc.front.title)],
        problems,
    );
    if !slug::is_valid(&version) {
        problems.push(
            doc.finding(
                Diagnostic::error(
                    "E201",
                    &doc.file,
                    format!("版本名「{version}」只能用小写字母、数字和连字符"),
                )
                .hint("例如 version: \"2025\""),
                "version",
            ),
        );
    }
    Parsed::Regulation(Arc::new(Regulation {
        doc,
        is_current: false,
    }))
}

/// The slug: the one the front matter names (E201 when invalid), else the file name's.
fn name_slug<F>(
    doc: &mut Doc<F>,
    source: &Source,
    explicit_slug: Option<String>,
    problems: &mut Vec<Diagnostic>,
) {
    let stem = source
        .key
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md");
    doc.slug = match explicit_slug {
        Some(s) if slug::is_valid(&s) => s,
        Some(s) => {
            problems.push(
                doc.finding(
                    Diagnostic::error(
                        "E201",
                        &doc.file,
                        format!(
                            "slug「{s}」不合法：只能用小写字母、数字和连字符，最长 {} 个字符",
                            slug::MAX_LEN
                        ),
                    )
                    .hint(format!("例如 slug: {}", suggestion(&s))),
                    "slug",
                ),
            );
            String::new()
        }
        None => {
            let s = slug::slugify(stem);
            if s.is_empty() {
                problems.push(
                    Diagnostic::error("E201", &doc.file, "无法从文件名生成网址名")
                        .at(1, 1)
                        .hint("在 front matter 里加一行 slug: 例如 slug: my-page"),
                );
            }
            s
        }
    };
}

fn suggestion(s: &str) -> String {
    let g = slug::slugify(s);
    if g.is_empty() {
        "cun-gui-min-yue".into()
    } else {
        g
    }
}

/// Required texts written as `title:` with nothing after it (YAML reads that as empty): a
/// half-written file, or a record without its heading. A draft may still be half-written
/// (`qili new` leaves such fields empty); it is held to this once it is to be published.
fn check_filled<F>(
    doc: &Doc<F>,
    draft: bool,
    required: &[(&str, &String)],
    problems: &mut Vec<Diagnostic>,
) {
    for (field, value) in required {
        if draft || !value.trim().is_empty() {
            continue;
        }
        let name = field.rsplit('.').next().unwrap_or(field);
        problems.push(
            doc.finding(
                Diagnostic::error(
                    "E103",
                    &doc.file,
                    format!(
                        "必填字段「{field}」（{}）是空的",
                        frontmatter::field_label(name)
                    ),
                )
                .hint(format!("在 {name}: 后面写上内容")),
                field,
            ),
        );
    }
}

/// Longest summary that still reads whole as a WeChat share description.
pub const MAX_SUMMARY_CHARS: usize = 80;

fn check_summary<F>(doc: &Doc<F>, summary: &str, problems: &mut Vec<Diagnostic>) {
    let n = summary.chars().count();
    if n > MAX_SUMMARY_CHARS {
        problems.push(doc.finding(
            Diagnostic::warning(
                "W210",
                &doc.file,
                format!("摘要有 {n} 个字，微信分享时会被截断（建议 60 字左右，最多 {MAX_SUMMARY_CHARS} 字）"),
            )
            .hint("把摘要缩短成一两句话，正文里再展开"),
            "summary",
        ));
    }
}

fn check_village<F>(
    config: &SiteConfig,
    doc: &Doc<F>,
    village: &str,
    problems: &mut Vec<Diagnostic>,
) {
    if config.village(village).is_none() {
        let ids: Vec<&str> = config.villages.iter().map(|v| v.id.as_str()).collect();
        let hint = match frontmatter::did_you_mean(village, &ids) {
            Some(best) => format!(
                "是不是 {best}？site.yaml 里的村（社区）：{}",
                ids.join("、")
            ),
            None => format!("site.yaml 里的村（社区）：{}", ids.join("、")),
        };
        problems.push(
            doc.finding(
                Diagnostic::error("E205", &doc.file, format!("村（社区）「{village}」不存在"))
                    .hint(hint),
                "village",
            ),
        );
    }
}
