//! The preview's temporary folder: removed when serve ends (on every path out of `run`, by
//! drop), and, for a serve that was killed or crashed, at the next start: each folder holds the
//! id of the process that made it, and one whose process is gone is removed.

use crate::Error;
use std::path::{Path, PathBuf};

const PREFIX: &str = "qili-serve-";
/// The file in the folder that names its process.
const OWNER: &str = "qili-serve.pid";

pub struct Folder(tempfile::TempDir);

impl Folder {
    /// A new folder in the system's temporary folder, after removing stale ones there.
    pub fn new() -> Result<Folder, Error> {
        Folder::new_in(&std::env::temp_dir())
    }

    fn new_in(parent: &Path) -> Result<Folder, Error> {
        remove_stale(parent);
        let dir = tempfile::Builder::new()
            .prefix(PREFIX)
            .tempdir_in(parent)
            .map_err(|e| Error::io(parent, e))?;
        let owner = dir.path().join(OWNER);
        std::fs::write(&owner, std::process::id().to_string()).map_err(|e| Error::io(&owner, e))?;
        Ok(Folder(dir))
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }
}

/// Removes the folders of serves whose process is gone. Best effort: a folder that cannot be
/// read or removed stays, and one without an owner file (or of a process that still runs, or
/// on a system where that cannot be told) is left alone.
fn remove_stale(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let stale: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(PREFIX))
        .map(|e| e.path())
        .filter(|dir| {
            std::fs::read_to_string(dir.join(OWNER))
                .ok()
                .and_then(|pid| pid.trim().parse::<u32>().ok())
                .is_some_and(|pid| !running(pid))
        })
        .collect();
    for dir in stale {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[cfg(target_os = "linux")]
fn running(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(not(target_os = "linux"))]
fn running(_: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_of_gone_processes_are_removed_and_others_kept() {
        let parent = tempfile::tempdir().unwrap();
        let make = |name: &str, owner: Option<&str>| {
            let d = parent.path().join(name);
            std::fs::create_dir_all(d.join("site")).unwrap();
            if let Some(o) = owner {
                std::fs::write(d.join(OWNER), o).unwrap();
            }
            d
        };
        // No process has this id: pids stay below 2^22 on Linux.
        let gone = make("qili-serve-gone", Some("4294967"));
        let alive = make("qili-serve-alive", Some(&std::process::id().to_string()));
        let unknown = make("qili-serve-old", None);
        let other = make("other-gone", Some("4294967"));
        let folder = Folder::new_in(parent.path()).unwrap();
        assert!(!gone.exists());
        assert!(alive.exists() && unknown.exists() && other.exists());
        let made = folder.path().to_path_buf();
        assert!(made.join(OWNER).is_file());
        drop(folder);
        assert!(!made.exists(), "removed when dropped");
    }
}
