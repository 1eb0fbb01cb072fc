//! Which sources an edit touched: when `serve` reports only plain Markdown files of the content
//! folders, just those are read again instead of walking the whole site.

use super::{parse_all, Session};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::load::{self, Source};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One changed source: its key, its path for messages, and its new text (`None` if deleted).
pub(super) type Update = (String, String, Option<Result<Source, Diagnostic>>);

/// The changed sources when every changed path is a plain Markdown file in one of the content
/// folders, or was deleted; `None` when something else changed and content must be walked.
fn targeted(root: &Path, changed: &[PathBuf]) -> Option<Vec<Update>> {
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

impl Session {
    /// The sources to look at again after `changed`, and the keys of the sources that are gone
    /// or unreadable. Plain edits of Markdown files read just those files; anything else (a
    /// folder, a link, a file moved out of place) walks the content again, since what it
    /// touched cannot be told from the paths.
    pub(super) fn read_changed_sources(
        &mut self,
        changed: &[PathBuf],
    ) -> (Vec<Source>, HashSet<String>) {
        let mut changed_keys: HashSet<String> = HashSet::new();
        let Some(updates) = targeted(&self.opts.root, changed) else {
            let (sources, walk_problems) = load::sources(&self.opts.root);
            self.walk_problems = walk_problems;
            let present: HashSet<&String> = sources.iter().map(|s| &s.key).collect();
            let gone: Vec<String> = self
                .cache
                .keys()
                .filter(|k| !present.contains(k))
                .cloned()
                .collect();
            for k in gone {
                self.cache.remove(&k);
                changed_keys.insert(k);
            }
            return (sources, changed_keys);
        };
        let mut sources = Vec::new();
        for (key, file, update) in updates {
            // A problem the last walk found with this file is now out of date.
            self.walk_problems.retain(|d| d.file != file);
            match update {
                None => {
                    if self.cache.remove(&key).is_some() {
                        changed_keys.insert(key);
                    }
                }
                Some(Ok(source)) => sources.push(source),
                Some(Err(problem)) => {
                    self.cache.remove(&key);
                    changed_keys.insert(key);
                    self.walk_problems.push(problem);
                }
            }
        }
        (sources, changed_keys)
    }

    /// Parses the sources whose text differs from the cached one (or that are new), and
    /// returns their keys: a source saved without a change renders nothing again.
    pub(super) fn parse_changed(
        &mut self,
        sources: Vec<Source>,
        config: &SiteConfig,
    ) -> Vec<String> {
        let to_parse: Vec<Source> = sources
            .into_iter()
            .filter(|s| {
                let hash = blake3::hash(s.text.as_bytes());
                self.cache
                    .get(&s.key)
                    .is_none_or(|(known, _)| *known != *hash.as_bytes())
            })
            .collect();
        let keys = to_parse.iter().map(|s| s.key.clone()).collect();
        self.cache.extend(parse_all(to_parse, config, true));
        keys
    }
}
