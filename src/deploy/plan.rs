//! What a deploy will do, decided before it does anything: which files to upload in which
//! order, which are unchanged, which objects to delete. Pure, so the order can be tested
//! without a bucket.
//!
//! The order keeps every link working if the deploy stops anywhere: nothing in the bucket links
//! to a file that is not there yet, because a file is uploaded before the pages that link to
//! it. Waves, each finished before the next starts:
//! 1. hashed theme assets, 2. data pages fetch (search files), 3. pages the bucket does not have
//!    yet (nothing there links to them), 4. changed pages and feeds, 5. audience home pages,
//!    6. the home page. Deletions come after every upload succeeded: only old pages linked to
//!    the deleted objects, and those have all been replaced by then.

use super::files::{LocalFile, Role};
use std::collections::BTreeMap;

/// The object beside the site (under the prefix) that records each object qili wrote there and
/// the hash of its bytes: listings of S3-compatible services do not agree on ETags, and HEAD for
/// every one of 10,000 pages would take minutes. A key whose upload was started but not seen to
/// finish is recorded with an empty hash, so it is neither forgotten nor taken as unchanged.
pub const MANIFEST: &str = ".qili-deploy.json";

/// What the bucket holds under the prefix, as far as a deploy knows: path → hash ("" when the
/// object may be there but its bytes are unknown).
pub type Known = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub file: LocalFile,
    /// The bucket had no object under this key.
    pub new: bool,
}

impl Upload {
    /// The wave (1–6, see the module's notes) this upload belongs to.
    pub fn wave(&self) -> u8 {
        match (self.file.role, self.new) {
            (Role::Asset, _) => 1,
            (Role::Data, _) => 2,
            (Role::Page, true) => 3,
            (Role::Page, false) => 4,
            (Role::AudienceHome, _) => 5,
            (Role::Home, _) => 6,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// In upload order: by wave, then by path.
    pub uploads: Vec<Upload>,
    pub unchanged: usize,
    /// Site-relative paths of objects the site no longer has.
    pub deletes: Vec<String>,
    /// Objects under the prefix before the deploy (the manifest not counted).
    pub existing: usize,
    /// The hashes the bucket will hold once the uploads are done.
    pub manifest: Known,
}

/// Deleting more than this share (in percent) of the bucket's objects needs `--allow-delete`.
pub const DELETE_LIMIT_PERCENT: usize = 30;

impl Plan {
    /// `known` is what the bucket holds (see [`Known`]).
    pub fn new(local: Vec<LocalFile>, known: &Known) -> Plan {
        let mut plan = Plan {
            existing: known.keys().filter(|k| *k != MANIFEST).count(),
            ..Plan::default()
        };
        for file in local {
            plan.manifest.insert(file.rel.clone(), file.hash.clone());
            match known.get(&file.rel) {
                Some(hash) if *hash == file.hash => plan.unchanged += 1,
                there => plan.uploads.push(Upload {
                    new: there.is_none(),
                    file,
                }),
            }
        }
        plan.uploads
            .sort_by(|a, b| (a.wave(), &a.file.rel).cmp(&(b.wave(), &b.file.rel)));
        plan.deletes = known
            .keys()
            .filter(|k| *k != MANIFEST && !plan.manifest.contains_key(*k))
            .cloned()
            .collect();
        plan
    }

    /// More than [`DELETE_LIMIT_PERCENT`] of the bucket's objects would go.
    pub fn deletes_too_many(&self) -> bool {
        self.deletes.len() * 100 > self.existing * DELETE_LIMIT_PERCENT
    }

    pub fn upload_bytes(&self) -> u64 {
        self.uploads.iter().map(|u| u.file.size).sum()
    }

    /// The manifest to write before uploading: every file about to be written recorded with
    /// an empty hash, so a deploy stopped half-way neither forgets an object it may have made
    /// nor takes a half-replaced one as unchanged (an edit undone before the next run).
    pub fn manifest_before(&self, known: &Known) -> Known {
        let mut m = known.clone();
        for u in &self.uploads {
            m.insert(u.file.rel.clone(), String::new());
        }
        m
    }

    /// The manifest once the uploads are done and before the deletions: the objects about to
    /// be deleted stay recorded until they are gone.
    pub fn manifest_before_deletions(&self, known: &Known) -> Known {
        let mut m = self.manifest.clone();
        for rel in &self.deletes {
            m.insert(rel.clone(), known.get(rel).cloned().unwrap_or_default());
        }
        m
    }
}

pub fn manifest_json(files: &Known) -> String {
    serde_json::json!({ "format": 1, "files": files }).to_string()
}

/// The hashes of a manifest; `None` for one qili cannot read (the bucket is listed instead).
pub fn read_manifest(text: &str) -> Option<Known> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        format: u32,
        files: BTreeMap<String, String>,
    }
    match serde_json::from_str::<Manifest>(text) {
        Ok(m) if m.format == 1 => Some(m.files),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rel: &str, hash: &str) -> LocalFile {
        LocalFile {
            rel: rel.into(),
            hash: hash.into(),
            size: hash.len() as u64,
            role: super::super::files::role(rel, &["qunzhong".to_string()]),
        }
    }

    #[test]
    fn new_pages_before_changed_ones_homes_last() {
        let local = vec![
            file("index.html", "h2"),
            file("qunzhong/index.html", "q2"),
            file("qunzhong/lessons/new/index.html", "n1"),
            file("qunzhong/lessons/index.html", "l2"),
            file("qunzhong/lessons/old/index.html", "o1"),
            file("search/c/1.json", "s2"),
            file("static/style.0123456789.css", "c1"),
        ];
        let known: Known = [
            ("index.html", "h1"),
            ("qunzhong/index.html", "q1"),
            ("qunzhong/lessons/index.html", "l1"),
            ("qunzhong/lessons/old/index.html", "o1"),
            ("qunzhong/lessons/gone/index.html", "g1"),
            ("search/c/1.json", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let plan = Plan::new(local, &known);
        let order: Vec<&str> = plan.uploads.iter().map(|u| u.file.rel.as_str()).collect();
        assert_eq!(
            order,
            [
                "static/style.0123456789.css",
                "search/c/1.json",
                "qunzhong/lessons/new/index.html",
                "qunzhong/lessons/index.html",
                "qunzhong/index.html",
                "index.html",
            ]
        );
        assert_eq!(plan.unchanged, 1);
        assert_eq!(plan.deletes, ["qunzhong/lessons/gone/index.html"]);
        assert_eq!(plan.existing, 6);
        // 1 of 6 is under 30%.
        assert!(!plan.deletes_too_many());
        // Before the uploads: what is about to be written is unknown, nothing is forgotten.
        let before = plan.manifest_before(&known);
        assert_eq!(before.len(), 8);
        assert_eq!(before["qunzhong/lessons/old/index.html"], "o1");
        assert_eq!(before["index.html"], "");
        assert_eq!(before["qunzhong/lessons/gone/index.html"], "g1");
        // Before the deletions: the new hashes, and what is about to go until it has gone.
        let after = plan.manifest_before_deletions(&known);
        assert_eq!(after["index.html"], "h2");
        assert_eq!(after["qunzhong/lessons/gone/index.html"], "g1");
        assert_eq!(plan.manifest.len(), 7);
    }

    #[test]
    fn the_delete_limit_is_more_than_30_percent() {
        let known: Known = (0..10)
            .map(|i| (format!("p{i}.html"), "x".into()))
            .collect();
        let keep = |n: usize| (0..n).map(|i| file(&format!("p{i}.html"), "x")).collect();
        // 3 of 10 deleted: exactly 30%, allowed.
        assert!(!Plan::new(keep(7), &known).deletes_too_many());
        // 4 of 10: more than 30%.
        assert!(Plan::new(keep(6), &known).deletes_too_many());
    }

    #[test]
    fn manifests_round_trip_and_junk_is_empty() {
        let m: Known = [("a".to_string(), "h".to_string())].into();
        assert_eq!(read_manifest(&manifest_json(&m)), Some(m));
        assert_eq!(read_manifest("<html>"), None);
    }
}
