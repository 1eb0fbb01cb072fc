//! The layout of src/ keeps to the pipeline: a module may use modules of its own stage or of an
//! earlier one, never a later one (so there is no import circle between top-level modules), no
//! source file grows past 600 lines, and ARCHITECTURE.md names every module a newcomer will
//! meet.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The pipeline, earliest first. A module may import only modules listed before it.
const STAGES: &[&str] = &[
    "diagnostics",
    "slug",
    "layout",
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
    "serve",
    "report",
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

/// Top-level modules a file refers to as `crate::x`, outside comments and unit tests (a test
/// may build its input with a later stage, as the integration tests do).
fn imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines().take_while(|l| l.trim() != "#[cfg(test)]") {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                out.insert(name);
            }
        }
    }
    out
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
        let text = std::fs::read_to_string(file).unwrap();
        for to in imports(&text) {
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
fn imports_are_read_outside_comments() {
    let found =
        imports("use crate::model::Site; // see crate::render\nlet x = crate::Error::Other;");
    assert_eq!(found.into_iter().collect::<Vec<_>>(), vec!["model"]);
}
