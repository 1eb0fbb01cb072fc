//! Stage 5, output: pages are written into a staging folder beside the output and swapped into
//! place only when the whole build succeeded, so a failed build leaves the previous site exactly
//! as it was (and `serve` keeps serving it).

use crate::Error;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A folder being filled; becomes the output on [`Staging::commit`], is removed if dropped.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging, Error> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `rel` (a site-relative path such as `a/b/index.html`) inside the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    }

    /// Puts the new site in place: old output aside, new one in, old one removed.
    pub fn commit(mut self) -> Result<(), Error> {
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir.file_name().unwrap_or_default().to_string_lossy()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                // Put the previous site back rather than leave nothing.
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::io(&self.target, e));
        }
        self.committed = true;
        if had_old {
            std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Theme static files with a content hash in their names (`style.css` → `style.1a2b3c4d.css`),
/// so WeChat's aggressive cache never serves a stale style after an update.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    /// Name under `static/` → site-relative output path.
    pub urls: BTreeMap<String, String>,
    files: Vec<(String, Vec<u8>)>,
}

impl Assets {
    pub fn load(dir: &Path) -> Result<Assets, Error> {
        let mut assets = Assets::default();
        if !dir.is_dir() {
            return Ok(assets);
        }
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
            let name = entry.file_name().to_string_lossy();
            if !entry.file_type().is_file() || crate::load::is_ignored_name(&name) {
                continue;
            }
            let rel = crate::diagnostics::display_path(dir, entry.path());
            let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            let hash = blake3::hash(&bytes).to_hex();
            let hashed = match rel.rsplit_once('.') {
                Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{}.{ext}", &hash[..10]),
                _ => format!("{rel}.{}", &hash[..10]),
            };
            let out = format!("static/{hashed}");
            assets.urls.insert(rel, out.clone());
            assets.files.push((out, bytes));
        }
        Ok(assets)
    }

    pub fn write(&self, staging: &Staging) -> Result<(), Error> {
        for (rel, bytes) in &self.files {
            staging.write(rel, bytes)?;
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Output file for a site-relative URL: pretty URLs end in `/` and become `…/index.html`.
pub fn file_for_url(url: &str) -> String {
    if url.is_empty() || url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_drop_discards() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();

        let s = Staging::new(&target).unwrap();
        s.write("a/index.html", b"new").unwrap();
        drop(s);
        assert_eq!(
            std::fs::read_to_string(target.join("old.html")).unwrap(),
            "old"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "staging removed"
        );

        let s = Staging::new(&target).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(
            std::fs::read_to_string(target.join("a/index.html")).unwrap(),
            "new"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn pretty_urls_map_to_index_files() {
        assert_eq!(file_for_url(""), "index.html");
        assert_eq!(file_for_url("a/b/"), "a/b/index.html");
        assert_eq!(file_for_url("feed.xml"), "feed.xml");
    }
}
