//! A lesson (in one audience's wording) or a notice as a WeChat 公众号 article.
//!
//! The 公众号 editor drops `<style>`, `<script>`, classes and ids, keeps only inline styles,
//! rejects positioned and transformed layouts and flex `gap`, and takes no ordinary links. So
//! the page is rendered exactly as the site renders it (same Markdown, same templates), the
//! theme's CSS is inlined into it by css-inline, and then the article alone is kept: links
//! become numbered references listed at its end, pictures get absolute addresses, and every
//! attribute and style the editor would reject is gone. Text stays escaped as on the site,
//! and a final allow-list pass (ammonia) makes sure of it.
//!
//! [`export`] does one article; [`articles`] lists every article there is to export.

mod css;
mod rewrite;
#[cfg(test)]
mod tests;
mod tokens;

pub use rewrite::Reference;

use crate::diagnostics::{display_path, Diagnostic};
use crate::load::assets::Assets;
use crate::model::{DocId, Site};
use crate::render::templates::Templates;
use crate::render::{Page, Renderer};
use std::borrow::Cow;
use std::path::Path;

/// The longest title the 公众号 takes, in characters.
pub const MAX_TITLE_CHARS: usize = 64;
/// The longest 摘要 the 公众号 takes, in characters.
pub const MAX_DIGEST_CHARS: usize = 120;

/// What an export reads from the theme, loaded once for any number of articles.
pub struct Theme {
    templates: Templates,
    assets: Assets,
    css: String,
}

impl Theme {
    /// Templates of `themes/<theme>/` (with the site's own overrides), its static files and
    /// the stylesheet to inline ([`Theme::stylesheet`]).
    pub fn load(root: &Path, theme: &str) -> Result<Theme, Vec<Diagnostic>> {
        // An article has no search page: no built-in search page needed.
        let templates = Templates::load(root, theme, false)?;
        let dir = root.join("themes").join(theme).join("static");
        let assets = Assets::load(&dir).map_err(|e| {
            vec![Diagnostic::error(
                "E403",
                display_path(root, &dir),
                format!("读不了主题的静态文件：{e}"),
            )
            .hint("检查主题 static 目录里文件的权限")]
        })?;
        let css = Theme::stylesheet(root, theme).map_err(|d| vec![d])?;
        Ok(Theme::new(templates, assets, css))
    }

    pub fn new(templates: Templates, assets: Assets, css: String) -> Theme {
        Theme {
            templates,
            assets,
            css,
        }
    }

    /// The CSS an article is styled with: the theme's `static/wechat.css` when it has one
    /// (a theme may style its articles apart from its pages), else its `static/style.css`;
    /// empty when it has neither.
    pub fn stylesheet(root: &Path, theme: &str) -> Result<String, Diagnostic> {
        let dir = root.join("themes").join(theme).join("static");
        let Some(path) = ["wechat.css", "style.css"]
            .iter()
            .map(|name| dir.join(name))
            .find(|p| p.is_file())
        else {
            return Ok(String::new());
        };
        std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(
                "E403",
                display_path(root, &path),
                format!("读不了主题的样式表：{e}"),
            )
            .hint("检查文件权限；样式表要用 UTF-8 保存")
        })
    }
}

/// One article, ready to paste into the 公众号 editor.
#[derive(Debug, Clone)]
pub struct Export {
    /// The article's HTML: inline styles only, no links.
    pub html: String,
    /// Plain text, not HTML, for the editor's title field: escape it to show it in a page.
    pub title: String,
    /// The 摘要, plain text like the title: the document's summary (a notice without one: its
    /// matter).
    pub digest: String,
    /// The page on the site, for 阅读原文.
    pub read_more_url: String,
    /// The links of the article, as numbered at its end.
    pub references: Vec<Reference>,
    /// A title or 摘要 too long for the 公众号, and what rendering the text found.
    pub warnings: Vec<Diagnostic>,
}

/// The source `source` names: its key under `content/` (`lessons/a.md`) or a path to it
/// (`content/lessons/a.md`, also from further up and with `\`).
pub fn find(site: &Site, source: &str) -> Option<DocId> {
    let path = source.trim().replace('\\', "/");
    let path = path.trim_start_matches("./");
    if let Some(id) = site.lookup(path) {
        return Some(id);
    }
    path.match_indices("content/")
        .filter(|(i, _)| *i == 0 || path[..*i].ends_with('/'))
        .find_map(|(i, m)| site.lookup(&path[i + m.len()..]))
}

/// Every article there is to export, as (source key, audience): each lesson once for each of
/// its audiences, in the site's audience order, then each notice.
pub fn articles(site: &Site) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for l in &site.lessons {
        for a in &site.config.audiences {
            if l.is_for(&a.id) {
                out.push((l.doc.key.clone(), Some(a.id.clone())));
            }
        }
    }
    out.extend(site.notices.iter().map(|n| (n.doc.key.clone(), None)));
    out
}

/// The article whose page is at `url` (as [`Page::url`] gives it, `qunzhong/lessons/a/`), as
/// (source key, audience): what the preview's "复制到公众号" button exports.
pub fn at_url(site: &Site, url: &str) -> Option<(String, Option<String>)> {
    let url = url.trim_start_matches('/');
    for l in &site.lessons {
        for a in &site.config.audiences {
            if l.is_for(&a.id) && l.url(&a.id) == url {
                return Some((l.doc.key.clone(), Some(a.id.clone())));
            }
        }
    }
    site.notices
        .iter()
        .find(|n| n.url() == url)
        .map(|n| (n.doc.key.clone(), None))
}

/// What is exported, whatever its kind.
struct Target<'s> {
    page: Page,
    title: &'s str,
    digest: &'s str,
    file: &'s str,
    /// File line and column of the title and of the 摘要's field.
    title_pos: (usize, usize),
    digest_pos: (usize, usize),
}

/// The lesson or notice `source` names, with the audience checked.
fn target<'s>(
    site: &'s Site,
    source: &str,
    audience: Option<&str>,
) -> Result<Target<'s>, Diagnostic> {
    match find(site, source) {
        Some(DocId::Lesson(i)) => {
            let l = &site.lessons[i];
            let f = &l.doc.front;
            let wanted = audience.or_else(|| f.audiences.first().map(String::as_str));
            let index = wanted
                .filter(|a| l.is_for(a))
                .and_then(|a| site.config.audiences.iter().position(|x| x.id == a));
            let Some(audience) = index else {
                return Err(Diagnostic::error(
                    "E215",
                    &l.doc.file,
                    format!(
                        "课程「{}」没有「{}」版，它的受众是：{}",
                        f.title,
                        wanted.unwrap_or_default(),
                        f.audiences.join("、")
                    ),
                )
                .hint("换一个受众，或者不指定受众（用课程的第一个受众）"));
            };
            Ok(Target {
                page: Page::Lesson {
                    lesson: i,
                    audience,
                },
                title: &f.title,
                digest: &f.summary,
                file: &l.doc.file,
                title_pos: l.doc.field_pos("title"),
                digest_pos: l.doc.field_pos("summary"),
            })
        }
        Some(DocId::Notice(i)) => {
            let n = &site.notices[i];
            let f = &n.doc.front;
            if let Some(a) = audience {
                return Err(Diagnostic::error(
                    "E215",
                    &n.doc.file,
                    format!("公开「{}」不分受众，不能导出「{a}」版", f.title),
                )
                .hint("导出公开时不要指定受众"));
            }
            // As on the page: a notice without a summary is described by its matter.
            let (digest, field) = if f.summary.is_empty() {
                (&f.matter, "matter")
            } else {
                (&f.summary, "summary")
            };
            Ok(Target {
                page: Page::Notice(i),
                title: &f.title,
                digest,
                file: &n.doc.file,
                title_pos: n.doc.field_pos("title"),
                digest_pos: n.doc.field_pos(field),
            })
        }
        Some(DocId::Regulation(_)) | None => Err(Diagnostic::error(
            "E214",
            source,
            format!("找不到要导出为公众号文章的课程或公开：{source}"),
        )
        .hint("写 content/ 下的课程或公开，如 content/lessons/jie-tiao-zen-me-xie.md；草稿不导出")),
    }
}

/// The lesson or notice `source` (see [`find`]) as a 公众号 article. A lesson is in the
/// wording of `audience`, by default its first one; a notice has no audiences.
pub fn export(
    site: &Site,
    theme: &Theme,
    source: &str,
    audience: Option<&str>,
) -> Result<Export, Diagnostic> {
    let t = target(site, source, audience)?;
    let renderer = Renderer::new(site, &theme.templates, &theme.assets, &[], false);
    let out = renderer.render(&t.page);
    let mut warnings = Vec::new();
    for d in out.facts.problems {
        if d.is_error() {
            return Err(d);
        }
        warnings.push(d);
    }
    let read_more_url = site.config.permalink(&out.facts.url);
    let (html, references) = article(site, &theme.css, &out.body, &read_more_url).map_err(|e| {
        Diagnostic::error(
            "E403",
            t.file,
            format!("主题的样式表不能内联进公众号文章：{e}"),
        )
        .hint("检查主题 static 目录里的 wechat.css 或 style.css")
    })?;
    let lengths = [
        ("W212", "标题", t.title, MAX_TITLE_CHARS, t.title_pos),
        ("W213", "摘要", t.digest, MAX_DIGEST_CHARS, t.digest_pos),
    ];
    for (code, what, text, max, (line, col)) in lengths {
        let n = text.chars().count();
        if n > max {
            warnings.push(
                Diagnostic::warning(
                    code,
                    t.file,
                    format!("{what}有 {n} 个字，公众号文章的{what}最多 {max} 字"),
                )
                .at(line, col)
                .hint(format!(
                    "把{what}缩短到 {max} 字以内，或者在公众号后台另写一个"
                )),
            );
        }
    }
    Ok(Export {
        html,
        title: t.title.to_string(),
        digest: t.digest.to_string(),
        read_more_url,
        references,
        warnings,
    })
}

/// css-inline, reading no stylesheet but `css` (none: the page is only parsed and written
/// back, which closes every element).
fn inline(html: &str, css: Option<&str>) -> Result<String, css_inline::InlineError> {
    css_inline::CSSInliner::options()
        .inline_style_tags(false)
        .keep_style_tags(false)
        .keep_link_tags(false)
        .keep_at_rules(false)
        .load_remote_stylesheets(false)
        .resolve_css_variables(true)
        .minify_css(true)
        .extra_css(css.map(Cow::Borrowed))
        .build()
        .inline(html)
}

/// The article of a rendered `page`, inlined and cleaned, with its references.
fn article(
    site: &Site,
    css: &str,
    page: &str,
    permalink: &str,
) -> Result<(String, Vec<Reference>), css_inline::InlineError> {
    let c = &site.config;
    let here = css_inline::Url::parse(permalink).ok();
    // Where a link or picture points, absolute; `None` unless on the web.
    let absolute = |href: &str| -> Option<String> {
        let href = href.trim();
        if href.is_empty() || href.starts_with('#') {
            return None;
        }
        let url = match href.strip_prefix(c.base_path()) {
            Some(rest) if href.starts_with('/') && !href.starts_with("//") => c.permalink(rest),
            _ => here.as_ref()?.join(href).ok()?.to_string(),
        };
        (url.starts_with("https://") || url.starts_with("http://")).then_some(url)
    };
    let (prepared, references) = rewrite::prepare(&inline(page, None)?, &absolute);
    let inlined = inline(&prepared, Some(css))?;
    Ok((rewrite::sanitize(&rewrite::extract(&inlined)), references))
}
