//! What the preview's threads share, by concern: the reload state the rebuild loop publishes,
//! the snapshot of the last good build the preview's pages read, and who may use the editors'
//! desk. Every lock here is taken with [`crate::sync::lock`]: a panicking handler leaves the
//! data valid, and must not stop the server.

use super::gate::Gate;
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::sync::lock;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

pub struct Shared {
    pub reload: Reload,
    pub snapshot: Snapshot,
    /// Who may use the editors' desk; `None` when there is none (printing).
    pub desk: Option<DeskAccess>,
    pub gate: Gate,
    /// Requests being answered on threads of their own.
    pub handlers: AtomicUsize,
    /// Only files: no live-reload script, no error overlay, no preview pages (printing).
    pub files_only: bool,
    /// Longest time to receive a request body.
    pub body_timeout: Duration,
    /// The folder of the built site being served.
    pub output: PathBuf,
}

impl Shared {
    /// A server of the output's files only, for printing: pages as they are written.
    pub fn files_only(output: &Path, gate: Gate) -> Shared {
        Shared {
            reload: Reload::default(),
            snapshot: Snapshot::default(),
            desk: None,
            gate,
            handlers: AtomicUsize::new(0),
            files_only: true,
            body_timeout: Duration::from_secs(1),
            output: output.to_path_buf(),
        }
    }

    /// The preview of the site in `root`: files, live reload, error overlay, the preview's own
    /// pages, and the desk as `desk` allows.
    pub fn preview(
        root: &Path,
        output: &Path,
        gate: Gate,
        desk: DeskAccess,
        body_timeout: Duration,
    ) -> Shared {
        Shared {
            snapshot: Snapshot {
                root: Some(root.to_path_buf()),
                ..Snapshot::default()
            },
            desk: Some(desk),
            files_only: false,
            body_timeout,
            ..Shared::files_only(output, gate)
        }
    }
}

/// What open pages learn after a rebuild.
#[derive(Default)]
pub struct Reload {
    state: Mutex<State>,
    changed: Condvar,
    /// Live-reload streams open.
    pub streams: AtomicUsize,
}

#[derive(Default, Clone)]
pub struct State {
    /// Goes up after every rebuild that changed what pages show.
    pub generation: u64,
    /// Errors of the last rebuild, shown over every page until fixed.
    pub errors: Vec<Diagnostic>,
    pub stopping: bool,
}

impl Reload {
    /// Publishes a rebuild: open pages reload.
    pub fn publish(&self, errors: Vec<Diagnostic>) {
        {
            let mut s = lock(&self.state);
            s.generation += 1;
            s.errors = errors;
        }
        self.changed.notify_all();
    }

    pub fn stop(&self) {
        lock(&self.state).stopping = true;
        self.changed.notify_all();
    }

    pub fn state(&self) -> State {
        lock(&self.state).clone()
    }

    /// Waits until the generation differs from `seen` or `timeout` passes.
    pub fn wait(&self, seen: u64, timeout: Duration) -> State {
        let guard = lock(&self.state);
        let (s, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.generation == seen && !s.stopping)
            .unwrap_or_else(PoisonError::into_inner);
        s.clone()
    }
}

/// The last good build, for the preview's own pages.
#[derive(Default)]
pub struct Snapshot {
    /// The site folder; `None` when serving files only.
    root: Option<PathBuf>,
    site: Mutex<Option<Arc<Site>>>,
    /// Every finding of the last build, errors and warnings, for the desk's list.
    findings: Mutex<Arc<Vec<Diagnostic>>>,
}

impl Snapshot {
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    pub fn site(&self) -> Option<Arc<Site>> {
        lock(&self.site).clone()
    }

    /// Keeps the site of a build (before [`Reload::publish`], so a reloaded page finds it).
    pub fn set_site(&self, site: Option<Arc<Site>>) {
        *lock(&self.site) = site;
    }

    pub fn findings(&self) -> Arc<Vec<Diagnostic>> {
        Arc::clone(&lock(&self.findings))
    }

    pub fn set_findings(&self, findings: Vec<Diagnostic>) {
        *lock(&self.findings) = Arc::new(findings);
    }

    /// The site folder and the last good site, or why the preview's pages cannot work yet.
    pub fn ready(&self) -> Result<(&Path, Arc<Site>), super::reply::HttpError> {
        match (self.root(), self.site()) {
            (Some(root), Some(site)) => Ok((root, site)),
            _ => Err(super::reply::HttpError::not_ready()),
        }
    }
}

/// Who may use the desk, decided once per run, and the files being saved right now.
#[derive(Debug)]
pub struct DeskAccess {
    token: String,
    editable: bool,
    saving: Mutex<HashSet<PathBuf>>,
    saved: Condvar,
}

impl DeskAccess {
    /// A fresh random token; saving is allowed when serving on a loopback address, or anywhere
    /// with `edit`.
    pub fn new(loopback: bool, edit: bool) -> Result<DeskAccess, getrandom::Error> {
        let mut bytes = [0u8; 24];
        getrandom::fill(&mut bytes)?;
        Ok(DeskAccess {
            token: bytes.iter().map(|b| format!("{b:02x}")).collect(),
            editable: loopback || edit,
            saving: Mutex::default(),
            saved: Condvar::new(),
        })
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    pub fn editable(&self) -> bool {
        self.editable
    }

    /// Whether `given` is the token, compared in constant time.
    pub fn token_ok(&self, given: &str) -> bool {
        let (a, b) = (self.token.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// Holds `path` for one save: a second save of the same file waits until the first is
    /// written, so comparing with the form's base and replacing the file are one step.
    pub fn hold(&self, path: &Path) -> Held<'_> {
        let mut busy = lock(&self.saving);
        while busy.contains(path) {
            busy = self
                .saved
                .wait(busy)
                .unwrap_or_else(PoisonError::into_inner);
        }
        busy.insert(path.to_path_buf());
        Held {
            desk: self,
            path: path.to_path_buf(),
        }
    }
}

/// A file held for saving; let go when dropped, also by a panic.
pub struct Held<'a> {
    desk: &'a DeskAccess,
    path: PathBuf,
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        lock(&self.desk.saving).remove(&self.path);
        self.desk.saved.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_differ_per_run_and_only_the_token_is_accepted() {
        let (a, b) = (
            DeskAccess::new(true, false).unwrap(),
            DeskAccess::new(true, false).unwrap(),
        );
        assert_ne!(a.token(), b.token());
        assert_eq!(a.token().len(), 48);
        assert!(a.token_ok(a.token()));
        assert!(!a.token_ok(b.token()) && !a.token_ok("") && !a.token_ok(&a.token()[1..]));
    }

    #[test]
    fn a_desk_listening_beyond_this_computer_is_read_only_unless_asked() {
        assert!(!DeskAccess::new(false, false).unwrap().editable());
        assert!(DeskAccess::new(false, true).unwrap().editable());
        assert!(DeskAccess::new(true, false).unwrap().editable());
    }

    #[test]
    fn one_save_of_a_file_at_a_time() {
        let desk = Arc::new(DeskAccess::new(true, false).unwrap());
        let inside = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (desk, inside, most) = (desk.clone(), inside.clone(), most.clone());
                std::thread::spawn(move || {
                    let _held = desk.hold(Path::new("/x/a.md"));
                    use std::sync::atomic::Ordering::SeqCst;
                    let now = inside.fetch_add(1, SeqCst) + 1;
                    most.fetch_max(now, SeqCst);
                    std::thread::sleep(Duration::from_millis(2));
                    inside.fetch_sub(1, SeqCst);
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 1);
        // Another file is not held up by this one.
        let _a = desk.hold(Path::new("/x/a.md"));
        let _b = desk.hold(Path::new("/x/b.md"));
    }
}
