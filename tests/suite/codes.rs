//! The registry of codes (`diagnostics::codes`) stays equal to the codes the source reports and
//! to the codes the README explains.

use qili::diagnostics::codes::{lookup, CODES};
use qili::diagnostics::Severity;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `src/` but the registry itself, with its text.
fn sources() -> Vec<(PathBuf, String)> {
    let registry = root().join("src/diagnostics/codes.rs");
    walkdir::WalkDir::new(root().join("src"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs") && e.path() != registry)
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.path().to_path_buf(), text)
        })
        .collect()
}

fn is_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 4 && matches!(b[0], b'E' | b'W') && b[1..].iter().all(u8::is_ascii_digit)
}

/// The string literals `"E301"`, `"W330"` … in `text`, with their byte offsets.
fn code_literals(text: &str) -> Vec<(usize, &str)> {
    text.match_indices('"')
        .filter_map(|(i, _)| {
            let code = text.get(i + 1..i + 5)?;
            (is_code(code) && text.get(i + 5..i + 6) == Some("\"")).then_some((i, code))
        })
        .collect()
}

#[test]
fn every_code_in_the_source_is_registered_and_every_registered_code_is_used() {
    let mut used = BTreeSet::new();
    for (path, text) in sources() {
        for (_, code) in code_literals(&text) {
            assert!(
                lookup(code).is_some(),
                "{} uses {code}, which is not in src/diagnostics/codes.rs",
                path.display()
            );
            used.insert(code.to_string());
        }
    }
    for c in CODES {
        assert!(
            used.contains(c.code),
            "{} is registered but nothing in src/ reports it",
            c.code
        );
    }
}

#[test]
fn the_registry_agrees_with_the_letters() {
    for c in CODES {
        let expected = if c.code.starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        };
        assert_eq!(c.severity, expected, "{}", c.code);
    }
}

/// The constructors also check this when they run (in debug builds); this finds the calls no
/// test runs.
#[test]
fn no_error_is_made_with_a_warning_code_nor_the_reverse() {
    for (path, text) in sources() {
        for (call, wrong) in [("Diagnostic::error(", 'W'), ("Diagnostic::warning(", 'E')] {
            for (i, _) in text.match_indices(call) {
                let args = text[i + call.len()..].trim_start();
                let first = args.strip_prefix('"').and_then(|a| a.get(..4));
                if let Some(code) = first.filter(|c| is_code(c)) {
                    assert!(
                        !code.starts_with(wrong),
                        "{}: {call}\"{code}\"",
                        path.display()
                    );
                }
            }
        }
    }
}

/// The codes in the first column of the README's tables; a cell may name several, as in
/// `E301 / E302`.
fn readme_codes() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    readme
        .lines()
        .filter_map(|l| l.strip_prefix('|'))
        .filter_map(|l| l.split('|').next())
        .flat_map(|cell| cell.split('/').map(str::trim))
        .filter(|c| is_code(c))
        .map(String::from)
        .collect()
}

#[test]
fn the_readme_explains_every_registered_code_and_no_other() {
    let documented = readme_codes();
    for c in CODES {
        assert!(
            documented.contains(c.code),
            "README 的错误码表里没有 {}（{}）",
            c.code,
            c.meaning
        );
    }
    for code in &documented {
        assert!(
            lookup(code).is_some(),
            "README 说明了 {code}，但 qili 不会报告它"
        );
    }
}
