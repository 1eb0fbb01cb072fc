//! The one way a test compares what it made with a committed snapshot. `QILI_BLESS=1 cargo test`
//! rewrites every snapshot the tests compare with (the diff under git then shows what changed);
//! without it a difference fails the test with a unified diff of the snapshot and what it got.

use std::path::Path;

/// Lines of diff shown before the rest is cut (a snapshot can be a whole page).
const SHOWN: usize = 150;

pub fn blessing() -> bool {
    std::env::var_os("QILI_BLESS").is_some()
}

/// Compares `got` with the file at `path` (relative names in messages are from the repository).
#[track_caller]
pub fn file(path: &Path, got: &str) {
    let want = std::fs::read_to_string(path).unwrap_or_default();
    let name = path.strip_prefix(super::repo()).unwrap_or(path);
    compare(&name.display().to_string(), &want, got, |got| {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("snapshot folder");
        std::fs::write(path, got).expect("write the snapshot");
    });
}

/// Compares `got` with `want`, what the snapshot `name` holds; when blessing, `write` stores
/// `got` as the new snapshot instead.
#[track_caller]
pub fn compare(name: &str, want: &str, got: &str, write: impl FnOnce(&str)) {
    if blessing() {
        if want != got {
            write(got);
        }
        return;
    }
    if want != got {
        panic!(
            "{name} 与快照不一致（- 快照，+ 这次的结果）：\n{}\n\
             若这是有意的改动：QILI_BLESS=1 cargo test，再看 git diff",
            diff(want, got)
        );
    }
}

/// A unified diff of two texts, cut after [`SHOWN`] lines.
pub fn diff(want: &str, got: &str) -> String {
    let text = similar::TextDiff::from_lines(want, got)
        .unified_diff()
        .context_radius(2)
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= SHOWN {
        return text;
    }
    format!(
        "{}\n……（还有 {} 行）",
        lines[..SHOWN].join("\n"),
        lines.len() - SHOWN
    )
}
