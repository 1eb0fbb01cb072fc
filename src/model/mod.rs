//! Stage 2, model: typed documents built from the loaded sources, with every reference between
//! them checked (audiences, villages, slugs, URLs). The result, [`Site`], is immutable; rendering
//! reads it from many threads.

pub mod date;
pub mod lesson;
pub mod notice;
pub mod regulation;
pub mod slug;
pub mod urls;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::load::frontmatter::{self, locate, YamlSource};
use crate::load::{Kind, Source};
use date::Date;
use lesson::{LessonFront, Variants};
use notice::NoticeFront;
use rayon::prelude::*;
use regulation::RegulationFront;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::Arc;

/// What every document has, whatever its kind.
#[derive(Debug, Clone)]
pub struct Doc<F> {
    /// Path under `content/`, e.g. `lessons/a.md`: the key `@/…` links use.
    pub key: String,
    /// Path from the site root, for messages.
    pub file: String,
    pub slug: String,
    pub front: F,
    /// The front matter text and the file line it starts on, to point findings at fields.
    pub yaml: String,
    pub yaml_line: usize,
    pub body: String,
    pub body_line: usize,
}

impl<F> Doc<F> {
    /// File line and column of a front-matter field (dotted path), or of the front matter start.
    pub fn field_pos(&self, path: &str) -> (usize, usize) {
        locate(&self.yaml, path)
            .map(|(l, c)| (l + self.yaml_line - 1, c))
            .unwrap_or((self.yaml_line.saturating_sub(1).max(1), 1))
    }

    /// A diagnostic pointing at a field of this document.
    pub fn finding(&self, d: Diagnostic, field: &str) -> Diagnostic {
        let (line, col) = self.field_pos(field);
        d.at(line, col)
    }
}

#[derive(Debug, Clone)]
pub struct Lesson {
    pub doc: Doc<LessonFront>,
    pub variants: Variants,
}

impl Lesson {
    pub fn url(&self, audience: &str) -> String {
        urls::lesson(audience, &self.doc.slug)
    }

    pub fn is_for(&self, audience: &str) -> bool {
        self.doc.front.audiences.iter().any(|a| a == audience)
    }
}

#[derive(Debug, Clone)]
pub struct Notice {
    pub doc: Doc<NoticeFront>,
}

impl Notice {
    /// The latest thing that happened to the notice by `today`: published, 公示 begun, or its
    /// result posted. Lists and the feed are ordered by it, so a posted result is news again.
    pub fn updated(&self, today: Date) -> Date {
        let f = &self.doc.front;
        [
            f.disclosure.as_ref().map(|d| d.from),
            f.result.as_ref().map(|r| r.date),
        ]
        .into_iter()
        .flatten()
        .filter(|d| *d <= today)
        .fold(f.date, Date::max)
    }

    pub fn url(&self) -> String {
        urls::notice(&self.doc.front.village, &self.doc.slug)
    }
}

#[derive(Debug, Clone)]
pub struct Regulation {
    pub doc: Doc<RegulationFront>,
    /// The newest version of its village: served at the village's canonical regulation URL.
    pub is_current: bool,
}

impl Regulation {
    pub fn url(&self) -> String {
        let version = (!self.is_current).then_some(self.doc.front.version.as_str());
        urls::regulation(&self.doc.front.village, version)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocId {
    Lesson(usize),
    Notice(usize),
    Regulation(usize),
}

#[derive(Debug, Clone)]
pub struct Options {
    pub drafts: bool,
    pub today: Date,
}

/// The whole site, validated and ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub today: Date,
    /// Ordered for lists: by weight, then newest first.
    pub lessons: Vec<Arc<Lesson>>,
    /// Most recently updated first (see [`Notice::updated`]).
    pub notices: Vec<Arc<Notice>>,
    /// Grouped by village in `site.yaml` order, newest version first.
    pub regulations: Vec<Arc<Regulation>>,
    keys: HashMap<String, DocId>,
    /// Where each village's versions sit in `regulations` (they are contiguous).
    regulation_ranges: HashMap<String, std::ops::Range<usize>>,
}

impl Site {
    /// Builds the model. Problems in single documents drop those documents and are reported;
    /// the rest of the site is still modelled so every problem is found in one run.
    pub fn build(
        config: SiteConfig,
        sources: Vec<Source>,
        opts: &Options,
    ) -> (Site, Vec<Diagnostic>) {
        let parsed: Vec<ParsedSource> = sources
            .into_par_iter()
            .map(|s| ParsedSource::parse(s, &config))
            .collect();
        Site::assemble(config, parsed.iter(), opts)
    }

    /// Builds the site from sources parsed earlier (`serve` keeps them and re-parses only what
    /// changed).
    pub fn assemble<'p>(
        config: SiteConfig,
        parsed: impl Iterator<Item = &'p ParsedSource>,
        opts: &Options,
    ) -> (Site, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let mut lessons = Vec::new();
        let mut notices = Vec::new();
        let mut regulations = Vec::new();
        for p in parsed {
            problems.extend(p.problems.iter().cloned());
            match &p.doc {
                Some(Parsed::Lesson(l)) if opts.drafts || !l.doc.front.draft => {
                    lessons.push(Arc::clone(l))
                }
                Some(Parsed::Notice(n)) if opts.drafts || !n.doc.front.draft => {
                    notices.push(Arc::clone(n))
                }
                Some(Parsed::Regulation(r)) if opts.drafts || !r.doc.front.draft => {
                    regulations.push(Arc::clone(r))
                }
                _ => {}
            }
        }

        lessons.sort_by(|a: &Arc<Lesson>, b: &Arc<Lesson>| {
            let (fa, fb) = (&a.doc.front, &b.doc.front);
            (
                fa.weight.unwrap_or(i32::MAX),
                std::cmp::Reverse(fa.date),
                &a.doc.key,
            )
                .cmp(&(
                    fb.weight.unwrap_or(i32::MAX),
                    std::cmp::Reverse(fb.date),
                    &b.doc.key,
                ))
        });
        notices.sort_by_cached_key(|n: &Arc<Notice>| {
            (std::cmp::Reverse(n.updated(opts.today)), n.doc.key.clone())
        });
        let village_order: HashMap<&str, usize> = config
            .villages
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id.as_str(), i))
            .collect();
        regulations.sort_by(|a: &Arc<Regulation>, b: &Arc<Regulation>| {
            let key = |r: &Regulation| {
                (
                    village_order.get(r.doc.front.village.as_str()).copied(),
                    std::cmp::Reverse(r.doc.front.sort_date()),
                    r.doc.key.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        let mut seen_village = None;
        for r in &mut regulations {
            let current = seen_village != Some(r.doc.front.village.clone());
            // Documents are shared with the parse cache; copy one only when its flag changes.
            if r.is_current != current {
                Arc::make_mut(r).is_current = current;
            }
            seen_village = Some(r.doc.front.village.clone());
        }

        let mut site = Site {
            config,
            today: opts.today,
            lessons,
            notices,
            regulations,
            keys: HashMap::new(),
            regulation_ranges: HashMap::new(),
        };
        site.index_keys();
        problems.extend(site.check_urls());
        (site, problems)
    }

    fn index_keys(&mut self) {
        let lessons = self.lessons.iter().enumerate();
        let mut keys: HashMap<String, DocId> = lessons
            .map(|(i, l)| (l.doc.key.clone(), DocId::Lesson(i)))
            .collect();
        for (i, n) in self.notices.iter().enumerate() {
            keys.insert(n.doc.key.clone(), DocId::Notice(i));
        }
        for (i, r) in self.regulations.iter().enumerate() {
            keys.insert(r.doc.key.clone(), DocId::Regulation(i));
        }
        self.keys = keys;
        let mut ranges: HashMap<String, std::ops::Range<usize>> = HashMap::new();
        for (i, r) in self.regulations.iter().enumerate() {
            ranges
                .entry(r.doc.front.village.clone())
                .and_modify(|range| range.end = i + 1)
                .or_insert(i..i + 1);
        }
        self.regulation_ranges = ranges;
    }

    /// Two sources that would write the same page are an error naming both.
    fn check_urls(&self) -> Vec<Diagnostic> {
        let mut pages: Vec<(String, &str, (usize, usize))> = Vec::new();
        for l in &self.lessons {
            for a in &l.doc.front.audiences {
                pages.push((l.url(a), &l.doc.file, l.doc.field_pos("slug")));
            }
        }
        for n in &self.notices {
            pages.push((n.url(), &n.doc.file, n.doc.field_pos("slug")));
        }
        let mut problems = Vec::new();
        for r in &self.regulations {
            pages.push((r.url(), &r.doc.file, r.doc.field_pos("version")));
            // The current version's print view is `guiyue/poster/`; a version named "poster"
            // would be written to the same file.
            if self.config.posters && r.doc.front.version == urls::POSTER {
                let d = Diagnostic::error(
                    "E209",
                    &r.doc.file,
                    "版本名「poster」是保留的网址名（打印版的网址是 …/guiyue/poster/）",
                )
                .hint("换一个版本名，例如 version: \"2025\"");
                problems.push(r.doc.finding(d, "version"));
            }
        }
        let mut owners: HashMap<&str, &str> = HashMap::new();
        for (url, file, (line, col)) in &pages {
            match owners.get(url.as_str()) {
                Some(other) if other != file => problems.push(
                    Diagnostic::error("E202", *file, format!("网址 /{url} 与 {other} 重复"))
                        .at(*line, *col)
                        .hint("给其中一个文件换一个 slug（或版本名），每个页面的网址必须唯一"),
                ),
                Some(_) => {}
                None => {
                    owners.insert(url, file);
                }
            }
        }
        problems
    }

    pub fn lookup(&self, key: &str) -> Option<DocId> {
        self.keys.get(key).copied()
    }

    /// Regulations of one village, newest first.
    pub fn regulations_of(&self, village: &str) -> &[Arc<Regulation>] {
        match self.regulation_ranges.get(village) {
            Some(range) => &self.regulations[range.clone()],
            None => &[],
        }
    }
}

#[derive(Debug, Clone)]
enum Parsed {
    Lesson(Arc<Lesson>),
    Notice(Arc<Notice>),
    Regulation(Arc<Regulation>),
}

/// One source after parsing: its document (absent when it has errors) and its problems.
#[derive(Debug, Clone)]
pub struct ParsedSource {
    doc: Option<Parsed>,
    pub problems: Vec<Diagnostic>,
}

impl ParsedSource {
    pub fn parse(source: Source, config: &SiteConfig) -> ParsedSource {
        let (doc, problems) = parse_source(source, config);
        ParsedSource { doc, problems }
    }

    /// Only problems, for a file that could not be read at all.
    pub fn failed(problems: Vec<Diagnostic>) -> ParsedSource {
        ParsedSource {
            doc: None,
            problems,
        }
    }
}

/// Front matter every kind shares, read once to place messages and derive the slug.
fn parse_doc<F: DeserializeOwned>(
    source: &Source,
) -> Result<(F, String, usize, String, usize), Diagnostic> {
    let split = frontmatter::split(&source.file, &source.text)?;
    let front: F = frontmatter::parse(&YamlSource {
        file: &source.file,
        text: split.yaml,
        first_line: split.yaml_line,
    })?;
    Ok((
        front,
        split.yaml.to_string(),
        split.yaml_line,
        split.body.to_string(),
        split.body_line,
    ))
}

fn parse_source(source: Source, config: &SiteConfig) -> (Option<Parsed>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let parsed = match source.kind {
        Kind::Lesson => parse_doc::<LessonFront>(&source).map(|(front, yaml, yl, body, bl)| {
            let slug = front.slug.clone();
            let doc = make_doc(&source, slug, front, yaml, yl, body, bl, &mut problems);
            for a in &doc.front.audiences {
                if config.audience(a).is_none() {
                    let ids: Vec<&str> = config.audiences.iter().map(|a| a.id.as_str()).collect();
                    let hint = match frontmatter::did_you_mean(a, &ids) {
                        Some(best) => format!("是不是 {best}？可用的受众：{}", ids.join("、")),
                        None => format!("site.yaml 里定义的受众：{}", ids.join("、")),
                    };
                    problems.push(
                        doc.finding(
                            Diagnostic::error("E203", &doc.file, format!("受众「{a}」不存在"))
                                .hint(hint),
                            "audiences",
                        ),
                    );
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
            if let Some(v) = &doc.front.village {
                check_village(config, &doc, v, &mut problems);
            }
            check_summary(&doc, &doc.front.summary, &mut problems);
            check_filled(
                &doc,
                doc.front.draft,
                &[("title", &doc.front.title)],
                &mut problems,
            );
            let (variants, mut p) = Variants::parse(&doc.body, doc.body_line, &doc.file, config);
            problems.append(&mut p);
            Parsed::Lesson(Arc::new(Lesson { doc, variants }))
        }),
        Kind::Notice => parse_doc::<NoticeFront>(&source).map(|(front, yaml, yl, body, bl)| {
            let slug = front.slug.clone();
            let village = front.village.clone();
            let doc = make_doc(&source, slug, front, yaml, yl, body, bl, &mut problems);
            check_village(config, &doc, &village, &mut problems);
            check_summary(&doc, &doc.front.summary, &mut problems);
            let f = &doc.front;
            let required = [
                ("title", &f.title),
                ("matter", &f.matter),
                ("signature.body", &f.signature.body),
            ];
            check_filled(&doc, f.draft, &required, &mut problems);
            Parsed::Notice(Arc::new(Notice { doc }))
        }),
        Kind::Regulation => {
            parse_doc::<RegulationFront>(&source).map(|(front, yaml, yl, body, bl)| {
                let village = front.village.clone();
                let version = front.version.clone();
                let doc = make_doc(&source, None, front, yaml, yl, body, bl, &mut problems);
                check_village(config, &doc, &village, &mut problems);
                check_summary(&doc, &doc.front.summary, &mut problems);
                check_filled(
                    &doc,
                    doc.front.draft,
                    &[("title", &doc.front.title)],
                    &mut problems,
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
            })
        }
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

#[allow(clippy::too_many_arguments)]
fn make_doc<F>(
    source: &Source,
    explicit_slug: Option<String>,
    front: F,
    yaml: String,
    yaml_line: usize,
    body: String,
    body_line: usize,
    problems: &mut Vec<Diagnostic>,
) -> Doc<F> {
    let stem = source
        .key
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md");
    let mut doc = Doc {
        key: source.key.clone(),
        file: source.file.clone(),
        slug: String::new(),
        front,
        yaml,
        yaml_line,
        body,
        body_line,
    };
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
    doc
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
