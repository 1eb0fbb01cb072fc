//! Watching the site for edits. The whole root is watched, so an editor that saves by writing a
//! temporary file and renaming it over the original is seen (as a create or rename of the real
//! name); swap, backup and temporary files themselves are ignored.

use crate::load::is_ignored_name;
use crate::Error;
use notify::{Event, EventKind, RecursiveMode};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Quiet time that ends a batch: an editor's save is several events in a few milliseconds.
const SETTLE: Duration = Duration::from_millis(30);
/// The quiet time once every file of the batch is known to be saved: closed after writing,
/// renamed into place or removed. A save is over then; this only gathers the rest of a burst
/// (an editor saving several files, a `git checkout`).
const SETTLE_SAVED: Duration = Duration::from_millis(4);
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
        let mut batch = Batch::default();
        self.add(first, &mut batch);
        let started = Instant::now();
        while started.elapsed() < MAX_BATCH {
            match self.rx.recv_timeout(batch.settle()) {
                Ok(event) => self.add(event, &mut batch),
                Err(_) => break,
            }
        }
        let mut paths = batch.paths;
        paths.sort();
        paths.dedup();
        (!paths.is_empty()).then_some(paths)
    }

    fn add(&self, event: notify::Result<Event>, batch: &mut Batch) {
        let Ok(event) = event else {
            // A watcher error (too many files, a removed folder): rebuild everything to be sure.
            batch.paths.push(self.root.join(crate::config::FILE_NAME));
            batch
                .unsaved
                .insert(self.root.join(crate::config::FILE_NAME));
            return;
        };
        let relevant = event.paths.iter().filter(|p| is_relevant(&self.root, p));
        batch.add(event.kind, relevant.cloned().collect());
    }
}

/// The paths of one edit, and which of them may still be being written.
#[derive(Debug, Default)]
struct Batch {
    paths: Vec<PathBuf>,
    unsaved: HashSet<PathBuf>,
}

impl Batch {
    fn add(&mut self, kind: EventKind, paths: Vec<PathBuf>) {
        use notify::event::{AccessKind, AccessMode, ModifyKind};
        match kind {
            // Closed after writing: saved. Other reads and opens change nothing.
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                for p in &paths {
                    self.unsaved.remove(p);
                }
            }
            EventKind::Access(_) => return,
            // Renamed into place or removed: nothing more will be written to that name.
            EventKind::Modify(ModifyKind::Name(_)) | EventKind::Remove(_) => {
                for p in &paths {
                    self.unsaved.remove(p);
                }
            }
            _ => self.unsaved.extend(paths.iter().cloned()),
        }
        self.paths.extend(paths);
    }

    /// How long a quiet spell ends the batch: short once every file in it is saved. A watcher
    /// that reports no closes (polling) always waits the full [`SETTLE`].
    fn settle(&self) -> Duration {
        match self.unsaved.is_empty() {
            true => SETTLE_SAVED,
            false => SETTLE,
        }
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
    fn a_batch_settles_quickly_only_once_every_file_is_saved() {
        use notify::event::{
            AccessKind, AccessMode, CreateKind, DataChange, ModifyKind, RenameMode,
        };
        let a = PathBuf::from("/site/content/lessons/a.md");
        let b = PathBuf::from("/site/content/lessons/b.md");
        let mut batch = Batch::default();
        batch.add(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            vec![a.clone()],
        );
        assert_eq!(batch.settle(), SETTLE, "written, not yet closed");
        batch.add(EventKind::Create(CreateKind::File), vec![b.clone()]);
        batch.add(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            vec![a.clone()],
        );
        assert_eq!(batch.settle(), SETTLE, "b is still open");
        batch.add(
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            vec![b.clone()],
        );
        assert_eq!(
            batch.settle(),
            SETTLE_SAVED,
            "a closed, b renamed into place"
        );
        batch.add(
            EventKind::Access(AccessKind::Open(AccessMode::Read)),
            vec![a.clone()],
        );
        assert_eq!(
            batch.paths,
            [a.clone(), b.clone(), a.clone(), b],
            "reads add nothing"
        );
        batch.add(
            EventKind::Modify(ModifyKind::Metadata(notify::event::MetadataKind::Any)),
            vec![a],
        );
        assert_eq!(
            batch.settle(),
            SETTLE,
            "changed with no close to come: the full wait"
        );
    }

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
