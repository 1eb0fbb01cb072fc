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

/// The object beside the site (under the prefix) that records each file's hash as uploaded:
/// listings of S3-compatible services do not agree on ETags, and HEAD for every one of 10,000
/// pages would take minutes.
pub const MANIFEST: &str = ".qili-deploy.json";

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
    pub manifest: BTreeMap<String, String>,
}

/// Deleting more than this share (in percent) of the bucket's objects needs `--allow-delete`.
pub const DELETE_LIMIT_PERCENT: usize = 30;

impl Plan {
    /// `objects` are the bucket's objects under the prefix (path → size), `recorded` the hashes
    /// of the last deploy's manifest.
    pub fn new(
        local: Vec<LocalFile>,
        objects: &BTreeMap<String, u64>,
        recorded: &BTreeMap<String, String>,
    ) -> Plan {
        let mut plan = Plan {
            existing: objects.keys().filter(|k| *k != MANIFEST).count(),
            ..Plan::default()
        };
        let mut keep = std::collections::BTreeSet::new();
        for file in local {
            keep.insert(file.rel.clone());
            plan.manifest.insert(file.rel.clone(), file.hash.clone());
            let there = objects.get(&file.rel);
            let same = there == Some(&file.size) && recorded.get(&file.rel) == Some(&file.hash);
            if same {
                plan.unchanged += 1;
            } else {
                plan.uploads.push(Upload {
                    new: there.is_none(),
                    file,
                });
            }
        }
        plan.uploads
            .sort_by(|a, b| (a.wave(), &a.file.rel).cmp(&(b.wave(), &b.file.rel)));
        plan.deletes = objects
            .keys()
            .filter(|k| *k != MANIFEST && !keep.contains(*k))
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

    /// The manifest to write before uploading: the last one without the files about to be
    /// replaced, so a deploy stopped half-way never leaves a record of a hash the bucket may no
    /// longer hold (an edit undone before the next run would otherwise look unchanged).
    pub fn manifest_before(&self, recorded: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let mut m = recorded.clone();
        for u in &self.uploads {
            m.remove(&u.file.rel);
        }
        m
    }
}

pub fn manifest_json(files: &BTreeMap<String, String>) -> String {
    serde_json::json!({ "format": 1, "files": files }).to_string()
}

/// The hashes of a manifest; an unreadable one is as good as none (everything is uploaded).
pub fn read_manifest(text: &str) -> BTreeMap<String, String> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        format: u32,
        files: BTreeMap<String, String>,
    }
    match serde_json::from_str::<Manifest>(text) {
        Ok(m) if m.format == 1 => m.files,
        _ => BTreeMap::new(),
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
        let objects: BTreeMap<String, u64> = [
            ("index.html", 2),
            ("qunzhong/index.html", 2),
            ("qunzhong/lessons/index.html", 2),
            ("qunzhong/lessons/old/index.html", 2),
            ("qunzhong/lessons/gone/index.html", 2),
            ("search/c/1.json", 2),
            (MANIFEST, 9),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let recorded: BTreeMap<String, String> = [
            ("index.html", "h1"),
            ("qunzhong/index.html", "q1"),
            ("qunzhong/lessons/index.html", "l1"),
            ("qunzhong/lessons/old/index.html", "o1"),
            ("search/c/1.json", "s1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let plan = Plan::new(local, &objects, &recorded);
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
        let before = plan.manifest_before(&recorded);
        assert_eq!(before.len(), 1);
        assert!(before.contains_key("qunzhong/lessons/old/index.html"));
    }

    #[test]
    fn the_delete_limit_is_more_than_30_percent() {
        let objects: BTreeMap<String, u64> = (0..10).map(|i| (format!("p{i}.html"), 1)).collect();
        let keep = |n: usize| (0..n).map(|i| file(&format!("p{i}.html"), "x")).collect();
        // 3 of 10 deleted: exactly 30%, allowed.
        assert!(!Plan::new(keep(7), &objects, &BTreeMap::new()).deletes_too_many());
        // 4 of 10: more than 30%.
        assert!(Plan::new(keep(6), &objects, &BTreeMap::new()).deletes_too_many());
    }

    #[test]
    fn manifests_round_trip_and_junk_is_empty() {
        let m: BTreeMap<String, String> = [("a".to_string(), "h".to_string())].into();
        assert_eq!(read_manifest(&manifest_json(&m)), m);
        assert!(read_manifest("<html>").is_empty());
    }
}
