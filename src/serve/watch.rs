//! Watching the site for edits. The whole root is watched, so an editor that saves by writing a
//! temporary file and renaming it over the original is seen (as a create or rename of the real
//! name); swap, backup and temporary files themselves are ignored.

use crate::load::is_ignored_name;
use crate::Error;
use notify::{Event, EventKind, RecursiveMode};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Quiet time that ends a batch: an editor's save is several events in a few milliseconds.
const SETTLE: Duration = Duration::from_millis(30);
/// A batch never waits longer than this, even while events keep coming.
const MAX_BATCH: Duration = Duration::from_millis(500);

pub struct Watcher {
    // Held to keep watching; dropping it stops the events.
    _watcher: Box<dyn notify::Watcher + Send>,
    rx: Receiver<notify::Result<Event>>,
    root: PathBuf,
}

impl Watcher {
    pub fn start(root: &Path, poll: bool) -> Result<Watcher, Error> {
        let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
        let (tx, rx) = channel();
        let fail = |e: notify::Error| Error::Watch {
            root: root.clone(),
            reason: e.to_string(),
        };
        let mut watcher: Box<dyn notify::Watcher + Send> = if poll {
            // For shared and network folders, where change events do not arrive.
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
            Box::new(notify::PollWatcher::new(tx, config).map_err(fail)?)
        } else {
            Box::new(notify::recommended_watcher(tx).map_err(fail)?)
        };
        watcher
            .watch(&root, RecursiveMode::Recursive)
            .map_err(fail)?;
        Ok(Watcher {
            _watcher: watcher,
            rx,
            root,
        })
    }

    /// The changed paths of the next edit, or `None` if nothing relevant happened within `wait`.
    pub fn next_batch(&self, wait: Duration) -> Option<Vec<PathBuf>> {
        let first = match self.rx.recv_timeout(wait) {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
        };
        let mut paths = Vec::new();
        self.add(first, &mut paths);
        let started = Instant::now();
        while started.elapsed() < MAX_BATCH {
            match self.rx.recv_timeout(SETTLE) {
                Ok(event) => self.add(event, &mut paths),
                Err(_) => break,
            }
        }
        paths.sort();
        paths.dedup();
        (!paths.is_empty()).then_some(paths)
    }

    fn add(&self, event: notify::Result<Event>, paths: &mut Vec<PathBuf>) {
        let Ok(event) = event else {
            // A watcher error (too many files, a removed folder): rebuild everything to be sure.
            paths.push(self.root.join(crate::config::FILE_NAME));
            return;
        };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        paths.extend(
            event
                .paths
                .into_iter()
                .filter(|p| is_relevant(&self.root, p)),
        );
    }
}

/// site.yaml and what lies under content/, themes/ and templates/, except editors' own files.
pub fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(top) = parts.next() else {
        return false;
    };
    let watched = crate::layout::WATCHED.contains(&top.as_ref());
    watched
        && !is_ignored_name(&top)
        && rel
            .components()
            .all(|c| !is_ignored_name(&c.as_os_str().to_string_lossy()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count_and_editor_files_do_not() {
        let root = Path::new("/site");
        for p in [
            "site.yaml",
            "content/lessons/a.md",
            "themes/default/templates/base.html",
            "templates/x.html",
        ] {
            assert!(is_relevant(root, &root.join(p)), "{p}");
        }
        for p in [
            "public/index.html",
            "target/debug/qili",
            ".git/index",
            "content/lessons/.a.md.swp",
            "content/lessons/a.md~",
            "content/lessons/4913",
            "content/.#a.md",
            "README.md",
        ] {
            assert!(!is_relevant(root, &root.join(p)), "{p}");
        }
    }
}
