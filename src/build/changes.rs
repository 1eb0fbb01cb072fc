//! Which sources an edit touched: when `serve` reports only plain Markdown files of the content
//! folders, just those are read again instead of walking the whole site.

use crate::diagnostics::Diagnostic;
use crate::load::{self, Source};
use std::path::{Path, PathBuf};

/// One changed source: its key, its path for messages, and its new text (`None` if deleted).
pub(super) type Update = (String, String, Option<Result<Source, Diagnostic>>);

/// The changed sources when every changed path is a plain Markdown file in one of the content
/// folders, or was deleted; `None` when something else changed and content must be walked.
pub(super) fn targeted(root: &Path, changed: &[PathBuf]) -> Option<Vec<Update>> {
    let content = crate::layout::content(root);
    let mut updates = Vec::new();
    for path in changed {
        let rel = path.strip_prefix(&content).ok()?;
        let key = rel.to_str()?.replace('\\', "/");
        let (top, _) = key.split_once('/')?;
        let kind = [
            load::Kind::Lesson,
            load::Kind::Regulation,
            load::Kind::Notice,
        ]
        .into_iter()
        .find(|k| k.folder() == top)?;
        let plain = key.ends_with(".md") && key.split('/').all(|c| !load::is_ignored_name(c));
        if !plain {
            return None;
        }
        let file = format!("content/{key}");
        match std::fs::symlink_metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => updates.push((key, file, None)),
            Ok(m) if m.file_type().is_file() => {
                let read = load::read_source(path, &file).map(|text| Source {
                    kind,
                    key: key.clone(),
                    file: file.clone(),
                    path: path.clone(),
                    text,
                });
                updates.push((key, file, Some(read)));
            }
            _ => return None,
        }
    }
    Some(updates)
}
