//! Tera templates: the theme's, overridden by name from the site's own `templates/` folder, and
//! per audience by `<audience>/<name>` (an audience overrides only what differs, through
//! `{% extends %}`).

use crate::diagnostics::{display_path, Diagnostic};
use std::collections::{BTreeMap, HashSet};
use std::error::Error as _;
use std::path::{Path, PathBuf};
use tera::{Context, Tera};
use walkdir::WalkDir;

/// qili's own search page, for a theme made before search: it needs only `base.html` with a
/// `content` block.
const BUILTIN_SEARCH: &str = include_str!("search.html");
const SEARCH: &str = "search.html";

pub struct Templates {
    tera: Tera,
    names: HashSet<String>,
    /// Template name → (file shown in messages, source), to place render errors on a line.
    sources: BTreeMap<String, (String, String)>,
    /// What the editor is told about templates qili supplied (W404).
    notes: Vec<Diagnostic>,
}

impl Templates {
    /// Loads `themes/<theme>/templates/` and then `templates/` of the site root. With `search`
    /// (the site has search pages) and no `search.html` in either, qili's own is used and the
    /// editor told: an upgrade of qili must not break a site that built before.
    pub fn load(root: &Path, theme: &str, search: bool) -> Result<Templates, Vec<Diagnostic>> {
        let theme_dir = crate::layout::theme_templates(root, theme);
        if !theme_dir.is_dir() {
            return Err(vec![Diagnostic::error(
                "E401",
                display_path(root, &theme_dir),
                format!("找不到主题「{theme}」的模板目录"),
            )
            .hint("检查 site.yaml 的 theme 和 themes/ 目录")]);
        }
        let mut problems = Vec::new();
        let files = template_files(root, &theme_dir, &mut problems);
        let mut sources = read_templates(root, &files, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut notes = Vec::new();
        if search && !sources.contains_key(SEARCH) {
            notes.push(use_builtin_search(root, &theme_dir, &mut sources));
        }
        let tera = compile(&sources)?;
        let names = sources.keys().cloned().collect();
        Ok(Templates {
            tera,
            names,
            sources,
            notes,
        })
    }

    /// Templates qili supplied because the site has none, one finding each.
    pub fn notes(&self) -> &[Diagnostic] {
        &self.notes
    }

    pub fn has(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// `qunzhong/lesson.html` when the theme has it, else `lesson.html`.
    pub fn pick(&self, audience: Option<&str>, name: &str) -> String {
        if let Some(a) = audience {
            let specific = format!("{a}/{name}");
            if self.has(&specific) {
                return specific;
            }
        }
        name.to_string()
    }

    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| self.render_error(name, &e))
    }

    /// Tera does not say on which line rendering failed; find the missing variable in the
    /// template (or a template it extends or includes) so the editor gets a line anyway.
    fn render_error(&self, name: &str, e: &tera::Error) -> Diagnostic {
        let text = chain(e);
        let missing = text
            .split('`')
            .nth(1)
            .filter(|_| text.contains("not found in context"));
        if let Some(var) = missing {
            let others = self.sources.keys().filter(|n| n.as_str() != name);
            for tname in std::iter::once(&name.to_string()).chain(others) {
                let Some((shown, src)) = self.sources.get(tname) else {
                    continue;
                };
                if let Some(offset) = src.find(var) {
                    let (line, col) = crate::diagnostics::LineIndex::new(src).position(offset);
                    return Diagnostic::error(
                        "E402",
                        shown.clone(),
                        format!("渲染模板 {name} 时出错：变量 {var} 不存在"),
                    )
                    .at(line, col)
                    .hint("检查变量名的拼写；可能没有的值先用 {% if … %} 判断");
                }
            }
        }
        let shown = self
            .sources
            .get(name)
            .map(|(s, _)| s.clone())
            .unwrap_or_else(|| name.to_string());
        Diagnostic::error("E402", shown, format!("渲染模板 {name} 时出错：{text}"))
            .hint("检查模板中的变量和过滤器")
    }
}

/// Template name (path under its folder) → file: the theme's, then the site's, which replace
/// the theme's of the same name. Unreadable entries and links become problems.
fn template_files(
    root: &Path,
    theme_dir: &Path,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, PathBuf> {
    let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
    for dir in [theme_dir.to_path_buf(), crate::layout::site_templates(root)] {
        if !dir.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&dir).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let shown = e.path().map(|p| display_path(root, p)).unwrap_or_default();
                    problems.push(
                        Diagnostic::error("E401", shown, format!("读不了模板目录：{e}"))
                            .hint("检查模板文件和目录的权限"),
                    );
                    continue;
                }
            };
            let name = entry.file_name().to_string_lossy();
            if crate::load::is_ignored_name(&name) {
                continue;
            }
            // A link would be skipped silently and the theme's template used instead,
            // which is harder to understand than being told.
            if entry.path_is_symlink() {
                problems.push(
                    Diagnostic::error(
                        "E401",
                        display_path(root, entry.path()),
                        "模板是符号链接，没有使用",
                    )
                    .hint("把模板文件本身放进模板目录"),
                );
            } else if entry.file_type().is_file() {
                let rel = display_path(&dir, entry.path());
                files.insert(rel, entry.path().to_path_buf());
            }
        }
    }
    files
}

/// Template name → (file shown in messages, text); a file that cannot be read is a problem.
fn read_templates(
    root: &Path,
    files: &BTreeMap<String, PathBuf>,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, (String, String)> {
    let mut sources = BTreeMap::new();
    for (name, path) in files {
        let shown = display_path(root, path);
        match std::fs::read_to_string(path) {
            Ok(text) => {
                sources.insert(name.clone(), (shown, text));
            }
            Err(e) => problems.push(
                Diagnostic::error("E401", shown, format!("读不了模板：{e}"))
                    .hint("检查文件权限；模板要用 UTF-8 保存"),
            ),
        }
    }
    sources
}

/// Adds qili's own search page and returns the W404 that tells the editor so, with where to
/// put one of their own.
fn use_builtin_search(
    root: &Path,
    theme_dir: &Path,
    sources: &mut BTreeMap<String, (String, String)>,
) -> Diagnostic {
    let missing = display_path(root, &theme_dir.join(SEARCH));
    let shown = format!("qili 内置的 {SEARCH}");
    sources.insert(SEARCH.into(), (shown, BUILTIN_SEARCH.into()));
    Diagnostic::warning(
        "W404",
        missing.clone(),
        "主题没有搜索页模板 search.html，已使用 qili 内置的搜索页",
    )
    .hint(format!(
        "要自己定搜索页的样子，从 qili 的源码里把默认主题的 themes/default/templates/search.html \
         复制到 {missing}（或站点的 templates/search.html）再改，这条提示就不再出现；\
         不要搜索，在 site.yaml 写 search: false"
    ))
}

/// Tera with every template, escaping as qili does. Each template is parsed alone first, so a
/// syntax error names its own file and line; then all together, for inheritance problems.
fn compile(sources: &BTreeMap<String, (String, String)>) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    tera.set_escape_fn(escape);
    let problems: Vec<Diagnostic> = sources
        .iter()
        .filter_map(|(name, (shown, text))| {
            tera::Template::new(name, None, text)
                .err()
                .map(|e| tera_error(shown, &e))
        })
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let raw: Vec<(&str, &str)> = sources
        .iter()
        .map(|(n, (_, t))| (n.as_str(), t.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(raw) {
        // Inheritance problems (extending a missing template and the like).
        let file = first_template_named(&e, sources).unwrap_or_else(|| "themes".into());
        return Err(vec![tera_error(&file, &e)]);
    }
    Ok(tera)
}

/// Escapes for HTML text, quoted attributes and XML alike, dropping control characters XML
/// forbids. Unlike tera's default it leaves `/` alone, so URLs stay readable and pages small.
pub fn escape(input: &str) -> String {
    // Everything escaped or dropped is ASCII, so the text is scanned as bytes and copied in runs
    // between them (a byte below 0x80 is always a whole character in UTF-8).
    let mut out = String::with_capacity(input.len() + 8);
    let mut run = 0;
    for (i, b) in input.bytes().enumerate() {
        if !SPECIAL[usize::from(b)] {
            continue;
        }
        let with = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            // Control characters XML forbids would make the feed unreadable; HTML has no use
            // for them either.
            _ => "",
        };
        out.push_str(&input[run..i]);
        out.push_str(with);
        run = i + 1;
    }
    out.push_str(&input[run..]);
    out
}

/// The bytes [`escape`] replaces or drops: `&<>"'` and the control characters other than tab,
/// line feed and carriage return.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = !matches!(b, 0x9 | 0xa | 0xd);
        b += 1;
    }
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t
};

/// A tera error with its causes, on one line.
fn chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    parts.join("：")
}

fn first_template_named(
    e: &tera::Error,
    sources: &BTreeMap<String, (String, String)>,
) -> Option<String> {
    let text = chain(e);
    sources
        .iter()
        .find(|(name, _)| {
            text.contains(&format!("'{name}'")) || text.contains(&format!("`{name}`"))
        })
        .map(|(_, (shown, _))| shown.clone())
}

/// A template syntax error: tera's own text carries ` --> line:column`.
fn tera_error(file: &str, e: &tera::Error) -> Diagnostic {
    let text = chain(e);
    let (line, column) = text
        .split("--> ")
        .nth(1)
        .and_then(|rest| {
            let pos: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ':')
                .collect();
            let (l, c) = pos.split_once(':')?;
            Some((l.parse().ok()?, c.parse().ok()?))
        })
        .unwrap_or((0, 0));
    let detail = text
        .lines()
        .filter(|l| l.trim_start().starts_with("= "))
        .map(|l| l.trim_start().trim_start_matches("= "))
        .collect::<Vec<_>>()
        .join("；");
    let message = if detail.is_empty() {
        text.lines().next().unwrap_or("").to_string()
    } else {
        detail
    };
    Diagnostic::error("E401", file, format!("模板语法错误：{message}"))
        .at(line, column)
        .hint("检查 {{ }} 与 {% %} 是否成对、块名是否拼写正确")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let p = dir.path().join("themes/default/templates").join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let dir = theme(&[("a.html", "ok\n{{ page.title | }}\nmore\n")]);
        let errs = Templates::load(dir.path(), "default", false).err().unwrap();
        assert_eq!(errs[0].code, "E401");
        assert_eq!(errs[0].file, "themes/default/templates/a.html");
        assert_eq!(errs[0].line, 2, "{}", errs[0]);
    }

    #[test]
    fn missing_variable_names_template_and_line() {
        let dir = theme(&[("a.html", "<p>\n{{ page.nope }}</p>\n")]);
        let t = Templates::load(dir.path(), "default", false).unwrap();
        let e = t.render("a.html", &Context::new()).unwrap_err();
        assert_eq!((e.code, e.line), ("E402", 2), "{e}");
        assert!(e.message.contains("page.nope"));
    }

    #[test]
    fn escape_covers_html_attributes_and_xml() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>\u{1}\tz"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\tz"
        );
        assert_eq!(escape("七里\r\n\u{b}\u{1f}镇\u{7f}é"), "七里\r\n镇\u{7f}é");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn a_linked_template_is_an_error_not_silently_skipped() {
        let dir = theme(&[("lesson.html", "theme")]);
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        let target = dir.path().join("elsewhere.html");
        std::fs::write(&target, "site").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("templates/lesson.html")).unwrap();
        let errs = Templates::load(dir.path(), "default", false).err().unwrap();
        assert_eq!(errs[0].code, "E401");
        assert_eq!(errs[0].file, "templates/lesson.html");
    }

    #[test]
    fn the_built_in_search_page_stands_in_only_for_a_missing_one_and_only_with_search() {
        let base = "<main>{% block content %}{% endblock content %}</main>";
        let dir = theme(&[("base.html", base)]);
        let t = Templates::load(dir.path(), "default", true).unwrap();
        assert!(t.has(SEARCH));
        assert_eq!(t.notes().len(), 1);
        assert_eq!(t.notes()[0].code, "W404");
        assert_eq!(t.notes()[0].file, "themes/default/templates/search.html");

        let t = Templates::load(dir.path(), "default", false).unwrap();
        assert!(!t.has(SEARCH) && t.notes().is_empty());

        // The site's own templates/ counts as having one.
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/search.html"), "site").unwrap();
        let t = Templates::load(dir.path(), "default", true).unwrap();
        assert!(t.notes().is_empty());
        assert_eq!(t.render(SEARCH, &Context::new()).unwrap(), "site");
    }

    #[test]
    fn audience_override_is_picked_and_site_templates_win() {
        let dir = theme(&[("lesson.html", "theme"), ("qunzhong/lesson.html", "q")]);
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/lesson.html"), "site").unwrap();
        let t = Templates::load(dir.path(), "default", false).unwrap();
        assert_eq!(
            t.pick(Some("qunzhong"), "lesson.html"),
            "qunzhong/lesson.html"
        );
        assert_eq!(t.pick(Some("ganbu"), "lesson.html"), "lesson.html");
        assert_eq!(t.render("lesson.html", &Context::new()).unwrap(), "site");
    }
}
