//! Performance work must not change what is built: every output file of two sites is hashed and
//! compared with a manifest committed beside this test. The sample site covers every kind of page
//! and template; the "grown" sample (its notices, lessons and regulation versions copied many
//! times) covers long lists, pagination and version comparisons.
//!
//! One page of each kind of the sample is kept whole beside the manifest, so a failure shows the
//! change in a page as a diff (tests/common/snapshot.rs). A change that is meant to alter the
//! output (a new page, pagination) re-blesses with `QILI_BLESS=1 cargo test`, and git's diff of
//! tests/fixtures/manifest then shows which files changed and how.

use crate::common;
use common::{copy_dir, repo};
use std::fmt::Write as _;
use std::path::Path;

/// Copies of each sample notice and lesson in the grown site.
const NOTICE_COPIES: usize = 12;
const LESSON_COPIES: usize = 4;
/// Extra versions of one regulation, each a little different from the one before.
const EXTRA_VERSIONS: usize = 14;

/// `hash  path` for every file under `dir`, sorted by path.
fn manifest(dir: &Path) -> String {
    let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk output"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            let bytes = std::fs::read(e.path()).unwrap();
            (
                rel.replace('\\', "/"),
                blake3::hash(&bytes).to_hex().to_string(),
            )
        })
        .collect();
    files.sort();
    let mut out = String::new();
    for (path, hash) in files {
        writeln!(out, "{hash}  {path}").unwrap();
    }
    out
}

/// Builds the site at `root` into a test folder named after `name`; returns the output.
fn build(name: &str, root: &Path) -> std::path::PathBuf {
    common::build_at_sample_date(root, &format!("manifest-{name}"))
}

/// Pages of the sample kept whole beside its manifest, one of each kind, so a change in what is
/// built shows as a diff of the page and not only as a changed hash.
const PAGES: &[&str] = &[
    "index.html",
    "404.html",
    "feed.xml",
    "qunzhong/index.html",
    "qunzhong/lessons/yi-zhu-zen-me-li/index.html",
    "lingdao/lessons/si-yi-liang-gong-kai-qing-dan/index.html",
    "lingdao/overview/index.html",
    "villages/dongling/index.html",
    "villages/dongling/notices/2026-qu-dao-gai-zao/index.html",
    "villages/dongling/notices/2026-qu-dao-gai-zao/poster/index.html",
    "villages/dongling/guiyue/index.html",
    "qunzhong/search/index.html",
];

fn check(name: &str, root: &Path) {
    let public = build(name, root);
    let fixtures = repo().join("tests/fixtures/manifest");
    if name == "sample" {
        for page in PAGES {
            let got = std::fs::read_to_string(public.join(page))
                .unwrap_or_else(|e| panic!("{page}: {e}"));
            let kept = fixtures.join("sample-pages").join(page.replace('/', "__"));
            common::snapshot::file(&kept, &got);
        }
    }
    common::snapshot::file(&fixtures.join(format!("{name}.txt")), &manifest(&public));
}

#[test]
fn sample_site_output_is_unchanged() {
    check("sample", &repo());
}

/// The sample site with every notice and lesson copied, and one regulation given many versions:
/// village pages and lists long enough to be paginated, version comparisons on every version.
fn grown_sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for sub in ["themes", "content"] {
        copy_dir(&repo().join(sub), &root.join(sub));
    }
    std::fs::copy(repo().join("site.yaml"), root.join("site.yaml")).unwrap();
    let copy = |folder: &str, copies: usize| {
        let src = root.join("content").join(folder);
        let mut names: Vec<_> = std::fs::read_dir(&src)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        names.sort();
        for path in names {
            let text = std::fs::read_to_string(&path).unwrap();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            for k in 2..=copies {
                // A slug of its own, or the copy would take the original's URL.
                let copy = match text.find("\nslug: ") {
                    Some(at) => {
                        let end = at + 1 + text[at + 1..].find('\n').unwrap();
                        format!("{}-{k}{}", &text[..end], &text[end..])
                    }
                    None => text.replacen("---\n", &format!("---\nslug: {stem}-{k}\n"), 1),
                };
                std::fs::write(src.join(format!("{stem}-{k}.md")), copy).unwrap();
            }
        }
    };
    copy("notices", NOTICE_COPIES);
    copy("lessons", LESSON_COPIES);
    // Older versions of 东岭村's regulation, each missing some articles of the 2019 text and
    // with others reworded, so comparisons find added, removed and changed articles.
    let regs = root.join("content/regulations");
    let base = std::fs::read_to_string(regs.join("dongling-2019.md")).unwrap();
    let articles = base
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .count();
    for k in 1..=EXTRA_VERSIONS {
        let year = 2019 - k;
        let mut article = 0;
        let mut text = String::new();
        for line in base.lines() {
            let line = line
                .replace("version: \"2019\"", &format!("version: \"{year}\""))
                .replace("2019-", &format!("{year}-"));
            if line.starts_with(|c: char| c.is_ascii_digit()) {
                article += 1;
                if article % articles == k % articles || article == (3 * k) % articles {
                    continue;
                }
                if article == (5 * k) % articles {
                    text.push_str(&format!("{line}（{year}年文本）\n"));
                    continue;
                }
            }
            text.push_str(&line);
            text.push('\n');
        }
        std::fs::write(regs.join(format!("dongling-{year}.md")), text).unwrap();
    }
    dir
}

#[test]
fn grown_sample_output_is_unchanged() {
    let site = grown_sample();
    check("grown", site.path());
}

/// A village's notices are spread over pages of 30, each listed once; a regulation with more
/// versions than its page lists gets a list of all of them; no page is heavy on a phone.
#[test]
fn long_village_lists_are_paginated() {
    let site = grown_sample();
    let out = build("paginated", site.path());
    let read = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    let first = read("villages/dongling/index.html");
    let second = read("villages/dongling/page/2/index.html");
    assert!(!out.join("villages/dongling/page/3").exists());
    assert!(first.contains("href=\"/villages/dongling/page/2/\">下一页"));
    assert!(second.contains("href=\"/villages/dongling/\">← 上一页"));
    let notices = |page: &str| -> Vec<String> {
        page.split("href=\"/villages/dongling/notices/")
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].to_string())
            .collect()
    };
    let (a, b) = (notices(&first), notices(&second));
    assert_eq!(a.len(), 30);
    let mut all: Vec<&String> = a.iter().chain(&b).collect();
    let listed = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), listed, "a notice on two pages");
    let written = std::fs::read_dir(out.join("villages/dongling/notices")).unwrap();
    assert_eq!(listed, written.count(), "every notice on one of the pages");
    // 16 versions: the village and every version page link to the list of all of them.
    let versions = read("villages/dongling/banben/index.html");
    assert_eq!(
        versions
            .matches("href=\"/villages/dongling/guiyue/")
            .count(),
        16 + 1
    );
    assert!(first.contains("href=\"/villages/dongling/banben/\">全部 16 个版本"));
    assert!(read("villages/dongling/guiyue/2010/index.html")
        .contains("href=\"/villages/dongling/banben/\">全部 16 个版本"));
    // Villages with few versions list them on their own page, as before.
    assert!(!out.join("villages/xinhua/banben").exists());
    for e in walkdir::WalkDir::new(&out).into_iter().flatten() {
        if e.path().extension().is_some_and(|x| x == "html") {
            let size = e.metadata().unwrap().len();
            assert!(size <= 60 * 1024, "{}: {size} bytes", e.path().display());
        }
    }
}
