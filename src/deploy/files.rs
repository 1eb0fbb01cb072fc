//! The built site as the bucket will hold it: every file under the output folder with its key,
//! its hash, and the headers it is served with.

use crate::Error;
use std::path::Path;

/// What a file is, for the order of uploads and the headers it is served with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// A theme file whose name carries its hash (`static/style.1a2b3c4d5e.css`): never changes
    /// under its name, so browsers and CDNs may keep it for a year.
    Asset,
    /// Other files pages use (search data, images): uploaded before the pages that fetch them.
    Data,
    /// HTML pages, feeds, the sitemap.
    Page,
    /// An audience's home page (`qunzhong/index.html`): the way into the pages, so after them.
    AudienceHome,
    /// `index.html`: last of all.
    Home,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    /// Site-relative path with `/` separators (`qunzhong/lessons/x/index.html`).
    pub rel: String,
    /// blake3 of the bytes, hex.
    pub hash: String,
    pub size: u64,
    pub role: Role,
}

impl LocalFile {
    pub fn content_type(&self) -> &'static str {
        crate::output::content_type(&self.rel)
    }

    pub fn cache_control(&self) -> &'static str {
        match self.role {
            Role::Asset => "public, max-age=31536000, immutable",
            // Pages and the data they fetch change with every edit: a reader should see a
            // corrected notice within minutes, and a CDN revalidates as often.
            _ => "public, max-age=300",
        }
    }
}

/// Every file under `dir`, sorted by path. `audiences` are the audience ids, whose
/// `<id>/index.html` are home pages.
pub fn scan(dir: &Path, audiences: &[String]) -> Result<Vec<LocalFile>, Error> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = crate::diagnostics::display_path(dir, entry.path());
        let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        out.push(LocalFile {
            role: role(&rel, audiences),
            hash: blake3::hash(&bytes).to_hex().to_string(),
            size: bytes.len() as u64,
            rel,
        });
    }
    Ok(out)
}

pub fn role(rel: &str, audiences: &[String]) -> Role {
    if rel == "index.html" {
        return Role::Home;
    }
    if let Some(id) = rel.strip_suffix("/index.html") {
        if audiences.iter().any(|a| a == id) {
            return Role::AudienceHome;
        }
    }
    if is_hashed_asset(rel) {
        Role::Asset
    } else if rel.ends_with(".html") || rel.ends_with(".xml") || rel == "robots.txt" {
        Role::Page
    } else {
        Role::Data
    }
}

/// `static/name.<10 hex>.ext`, as `load::assets` names theme files.
fn is_hashed_asset(rel: &str) -> bool {
    let Some(name) = rel.strip_prefix("static/") else {
        return false;
    };
    let mut parts = name.rsplit('.');
    let (_ext, hash) = (parts.next(), parts.next());
    hash.is_some_and(|h| h.len() == 10 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        && parts.next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_follow_the_path() {
        let auds = vec!["qunzhong".to_string()];
        assert_eq!(role("index.html", &auds), Role::Home);
        assert_eq!(role("qunzhong/index.html", &auds), Role::AudienceHome);
        assert_eq!(role("villages/index.html", &auds), Role::Page);
        assert_eq!(role("static/style.284aa19621.css", &auds), Role::Asset);
        assert_eq!(role("static/style.css", &auds), Role::Data);
        assert_eq!(role("static/style.284aa1962g.css", &auds), Role::Data);
        assert_eq!(role("feed.xml", &auds), Role::Page);
        assert_eq!(role("search/c/1.json", &auds), Role::Data);
    }
}
