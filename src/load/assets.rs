//! The theme's static files (`themes/<t>/static/`), read once and named by content hash.

use crate::Error;
use std::collections::BTreeMap;
use std::path::Path;

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
            if !entry.file_type().is_file() || super::is_ignored_name(&name) {
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

    /// Hashed output path and bytes of each file, for the output stage to write.
    pub fn files(&self) -> &[(String, Vec<u8>)] {
        &self.files
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}
