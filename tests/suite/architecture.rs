//! The layout of src/ keeps to the pipeline: a module may use modules of its own stage or of an
//! earlier one, never a later one (so there is no import circle between top-level modules), no
//! source file grows past 600 lines, and ARCHITECTURE.md names every module a newcomer will
//! meet.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The pipeline, earliest first. A module may import only modules listed before it.
const STAGES: &[&str] = &[
    "sync",
    "layout",
    "error",
    "diagnostics",
    "slug",
    "load",
    "config",
    "model",
    "markdown",
    "poster",
    "check",
    "render",
    "search",
    "output",
    "build",
    "deploy",
    "scaffold",
    "init",
    "report",
    "serve",
    "cmd",
];

const MAX_LINES: usize = 600;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to: `src/check/notice.rs` → `check`.
fn top_module(path: &Path) -> String {
    let rel = path.strip_prefix(src()).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The module path of a file: `src/check/notice.rs` → `[check, notice]`, `src/serve/desk/mod.rs`
/// → `[serve, desk]`.
fn module_path(path: &Path) -> Vec<String> {
    let rel = path.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Top-level modules a file refers to, read from its syntax tree: every `use` tree (grouped
/// and nested imports included) and every path in the code, `crate::x` as well as `super::x`
/// that climbs out of the file's own top-level module. Unit tests (`#[cfg(test)]`) are left
/// out: a test may build its input with a later stage, as the integration tests do.
fn imports(text: &str, module: &[String]) -> BTreeSet<String> {
    let file = syn::parse_file(text).expect("a Rust source file");
    let mut seen = Imports {
        module,
        found: BTreeSet::new(),
    };
    syn::visit::visit_file(&mut seen, &file);
    seen.found
}

struct Imports<'a> {
    module: &'a [String],
    found: BTreeSet<String>,
}

impl Imports<'_> {
    /// Notes the top-level module a path names, if it leaves the current one.
    fn path(&mut self, segments: &[String]) {
        let mut at: Vec<String> = self.module.to_vec();
        let mut rest = segments;
        match rest.first().map(String::as_str) {
            Some("crate") => {
                at.clear();
                rest = &rest[1..];
            }
            Some("super") | Some("self") => {
                while let Some(first) = rest.first() {
                    match first.as_str() {
                        "super" => {
                            at.pop();
                        }
                        "self" => {}
                        _ => break,
                    }
                    rest = &rest[1..];
                }
            }
            // A path into an outside crate, std, or a name in scope.
            _ => return,
        }
        let top = at.first().or(rest.first());
        if let Some(top) = top.filter(|t| t.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        {
            self.found.insert(top.clone());
        }
    }

    /// Every path a `use` tree imports, groups and nesting expanded.
    fn tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                prefix.push(n.ident.to_string());
                self.path(prefix);
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                self.path(prefix);
                prefix.pop();
            }
            syn::UseTree::Glob(_) => self.path(prefix),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.tree(prefix, t);
                }
            }
        }
    }
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Path>()
                .is_ok_and(|p| p.is_ident("test"))
    })
}

impl<'ast> syn::visit::Visit<'ast> for Imports<'_> {
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        if !is_test_only(&u.attrs) {
            self.tree(&mut Vec::new(), &u.tree);
        }
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !is_test_only(&m.attrs) {
            syn::visit::visit_item_mod(self, m);
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !is_test_only(&f.attrs) {
            syn::visit::visit_item_fn(self, f);
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        self.path(&segments);
        syn::visit::visit_path(self, p);
    }
}

/// Files that are unit tests as a whole (declared `#[cfg(test)] mod tests;`).
fn is_test_file(path: &Path) -> bool {
    path.file_stem().is_some_and(|s| s == "tests")
}

#[test]
fn no_module_imports_a_later_stage() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let from = top_module(file);
        if from == "lib" || from == "main" {
            continue;
        }
        let Some(at) = STAGES.iter().position(|s| *s == from) else {
            wrong.push(format!(
                "{} 不在 STAGES 里：先决定它在流水线的哪一段",
                file.display()
            ));
            continue;
        };
        if is_test_file(file) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for to in imports(&text, &module_path(file)) {
            if to == from {
                continue;
            }
            match STAGES.iter().position(|s| *s == to) {
                Some(t) if t < at => {}
                _ => wrong.push(format!("{} 引用了 crate::{to}", file.display())),
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn no_source_file_is_over_600_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).unwrap().lines().count();
            (n > MAX_LINES).then(|| format!("{}: {n} 行", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "{long:#?}");
}

#[test]
fn architecture_md_names_every_module() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
            .expect("ARCHITECTURE.md");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(src()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let named = if path.is_dir() {
            format!("src/{name}/")
        } else {
            format!("src/{name}")
        };
        if !doc.contains(&named) {
            missing.push(named);
        }
    }
    assert!(missing.is_empty(), "ARCHITECTURE.md 没有写到：{missing:?}");
    for stage in STAGES {
        assert!(
            doc.contains(&format!("src/{stage}")),
            "ARCHITECTURE.md 没有写到 {stage}"
        );
    }
}

#[test]
fn imports_are_read_from_the_syntax_tree() {
    let module = |m: &str| m.split('/').map(String::from).collect::<Vec<_>>();
    let found = |text: &str, m: &str| imports(text, &module(m)).into_iter().collect::<Vec<_>>();
    // Comments and strings are not code.
    assert_eq!(
        found(
            "use crate::model::Site; // see crate::render\nfn f() { let _ = \"crate::cmd\"; }",
            "check/notice"
        ),
        ["model"]
    );
    // Grouped and nested imports, renames and globs.
    assert_eq!(
        found(
            "use crate::{report, model::{Site, date::{Date as D}}, search::*};",
            "serve"
        ),
        ["model", "report", "search"]
    );
    // `super` that climbs out of the top-level module, and a path in an expression.
    assert_eq!(
        found(
            "use super::super::render::Page;\nfn f() { crate::build::run(); super::x(); }",
            "check/notice"
        ),
        ["build", "check", "render"]
    );
    // Unit tests may use later stages.
    assert_eq!(
        found(
            "#[cfg(test)]\nmod tests { use crate::cmd; }\n#[cfg(test)]\nuse crate::serve;",
            "model"
        ),
        Vec::<String>::new()
    );
}

/// Every file or folder ARCHITECTURE.md names in backquotes exists: a path from the repository
/// or from `src/`, or a bare name found under the folder its paragraph is about (or, for the
/// theme's files, anywhere in the repository).
#[test]
fn architecture_md_names_only_paths_that_exist() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(repo.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let mut everything = Vec::new();
    for dir in ["src", "tests", "themes", "vendor"] {
        everything.extend(
            walkdir::WalkDir::new(repo.join(dir))
                .into_iter()
                .flatten()
                .filter(|e| {
                    !e.path()
                        .components()
                        .any(|c| c.as_os_str() == "node_modules")
                })
                .map(|e| e.into_path()),
        );
    }
    let mut missing = Vec::new();
    // A paragraph is a bullet (or a block of text); a bare name belongs to one of the folders
    // named before it in its paragraph.
    for paragraph in doc.split("\n- ").flat_map(|p| p.split("\n\n")) {
        let mut folders: Vec<PathBuf> = Vec::new();
        for name in paragraph.split('`').skip(1).step_by(2) {
            if !looks_like_a_path(name) {
                continue;
            }
            let bare = name.trim_end_matches('/');
            let direct = [repo.join(bare), repo.join("src").join(bare)]
                .into_iter()
                .find(|p| p.exists());
            let under = |dir: &Path| {
                everything
                    .iter()
                    .any(|p| p.ends_with(bare) && p.starts_with(dir))
            };
            let found = direct.clone().is_some()
                || folders.iter().any(|f| under(f))
                || under(&repo.join("themes"));
            if !found {
                missing.push(name.to_string());
            }
            if name.ends_with('/') {
                let nested = folders.iter().map(|f| f.join(bare)).find(|p| p.is_dir());
                folders.extend(direct.or(nested));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md 写到了不存在的路径：{missing:?}"
    );
}

/// A name in backquotes that means a file or folder of the repository (not a URL, a command or
/// a placeholder such as `themes/<主题>/`).
fn looks_like_a_path(t: &str) -> bool {
    let file = [".rs", ".md", ".js", ".css", ".html", ".yaml", ".toml"]
        .iter()
        .any(|ext| t.ends_with(ext) && t.len() > ext.len());
    let folder = t.ends_with('/') && t.len() > 1 && !t.starts_with('/');
    (file || folder)
        && !t.contains(|c: char| c.is_whitespace() || "<>:@=*".contains(c))
        // Output folders that a build makes, not part of the repository.
        && t != "public/"
}
