//! Shared helpers for end-to-end tests: small sites in temporary folders, built with the real
//! `qili` binary.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// "Today" of the small test sites.
pub const TODAY: &str = "2026-04-12";

pub const SITE_YAML: &str = "\
title: 测试镇法治课堂
base_url: https://example.cn/
town: {name: 测试镇}
audiences:
  - {id: lingdao, name: 党政领导}
  - {id: ganbu, name: 村组干部}
  - {id: qunzhong, name: 基层群众}
villages:
  - {id: dongling, name: 东岭村}
  - {id: xinhua, name: 新华社区, kind: 社区}
";

/// A site in a temporary folder with the repository's default theme.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = Site { dir };
        site.write("site.yaml", SITE_YAML);
        copy_dir(&repo().join("themes"), &site.root().join("themes"));
        std::fs::create_dir_all(site.root().join("content/lessons")).unwrap();
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &Site {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn lesson(&self, name: &str, front: &str, body: &str) -> &Site {
        self.write(
            &format!("content/lessons/{name}.md"),
            &format!("---\n{front}\n---\n{body}"),
        )
    }

    pub fn qili(&self, args: &[&str]) -> Run {
        let out = qili(self.root(), args);
        Run::from(out)
    }

    pub fn build(&self) -> Run {
        self.qili(&["build", "--today", TODAY])
    }

    /// Options of a session as `qili serve` runs one (memoized, writing) on this site.
    pub fn session_options(&self, output: PathBuf) -> qili::build::Options {
        qili::build::Options {
            root: self.root().to_path_buf(),
            output,
            base_url: None,
            drafts: false,
            today: qili::model::date::Date::parse(TODAY).expect("a date"),
            write: true,
            progress: false,
            memoize: true,
        }
    }

    pub fn public(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join("public").join(rel))
            .unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root().join("public").join(rel).exists()
    }

    /// Every file of the output with its bytes, to prove a failed build changed nothing.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        tree(&self.root().join("public"))
    }
}

/// Every file under `dir` (path relative to it) with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn ok(&self) -> &Run {
        assert_eq!(self.code, 0, "expected success\n{}", self.stderr);
        self
    }

    /// Asserts a failed run whose messages include `file:line` and `code`.
    #[track_caller]
    pub fn fails_with(&self, code: &str, file_line: &str) -> &Run {
        assert_eq!(self.code, 1, "expected exit 1\n{}", self.stderr);
        let line = self
            .stderr
            .lines()
            .find(|l| l.contains(code))
            .unwrap_or_else(|| panic!("no {code} in:\n{}", self.stderr));
        assert!(
            line.starts_with(file_line),
            "expected {file_line} before {code}: {line}"
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        self
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn qili(root: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qili"));
    cmd.args(args).arg("--root").arg(root);
    output_within(&mut cmd, HANG)
}

/// How long a run of qili or a wait in a test may take before the test calls it a hang. Only a
/// way to fail instead of hanging, far above any normal run on a loaded machine: time limits
/// belong to the benchmarks (tests/bench/), not to tests.
pub const HANG: Duration = Duration::from_secs(180);

/// `cmd.output()`, but a process still running after `limit` is killed and the test fails.
#[track_caller]
pub fn output_within(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the command");
    // Read both pipes on their own threads, or a chatty child blocks on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    // Killed when the wait gives up, so a hung child does not outlive the failed test.
    struct Reap(std::process::Child);
    impl Drop for Reap {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Reap(child);
    let status = eventually(limit, &format!("{cmd:?} to finish"), || {
        child.0.try_wait().expect("wait for the command")
    });
    Output {
        status,
        stdout: stdout.join().expect("stdout"),
        stderr: stderr.join().expect("stderr"),
    }
}

/// Polls `probe` until it gives a value. After `limit` the test fails, naming `what`: a guard
/// against hanging, not an assertion about speed.
#[track_caller]
pub fn eventually<T>(limit: Duration, what: &str, probe: impl FnMut() -> Option<T>) -> T {
    within(limit, probe).unwrap_or_else(|| panic!("gave up after {limit:?} waiting for {what}"))
}

/// Polls `probe` until it gives a value, or gives up after `limit` with `None`.
pub fn within<T>(limit: Duration, mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = probe() {
            return Some(v);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// A copy of the sample site in a temporary folder, for `qili serve` to watch and the desk to
/// write into.
pub fn sample_copy() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    for part in ["site.yaml", "content", "themes"] {
        let from = repo().join(part);
        if from.is_dir() {
            copy_dir(&from, &root.path().join(part));
        } else {
            std::fs::copy(&from, root.path().join(part)).unwrap();
        }
    }
    root
}

/// A complete, lawful 四议两公开 notice (a 村民代表会议 decision) with the given fields; `title`
/// is written into the YAML as given, so quote it when it needs quoting.
pub fn notice_source(title: &str, slug: &str, village: &str, signer: &str, body: &str) -> String {
    format!(
        "---
title: {title}
slug: {slug}
village: {village}
date: 2026-03-10
summary: 公开
matter: 事项
kind: 公益事业
initiated_by: 村干部提议
steps:
  proposal: {{date: 2026-02-01}}
  deliberation: {{date: 2026-02-05, expected: 7, present: 7, for: 7}}
  party_review: {{date: 2026-02-10, expected: 31, present: 27, for: 25}}
  resolution: {{meeting: 村民代表会议, date: 2026-02-20, expected: 35, present: 30, for: 28}}
disclosure: {{from: 2026-03-10, to: 2026-03-24}}
signature: {{body: {signer}, date: 2026-03-10}}
---
{body}
"
    )
}

/// Front matter of a lesson for the given audiences.
pub fn lesson_front(title: &str, audiences: &str) -> String {
    format!("title: {title}\ndate: 2026-03-01\naudiences: [{audiences}]\nsummary: 摘要")
}

/// The day the sample content's statuses are written for.
pub const SAMPLE_TODAY: &str = "2026-11-26";

/// The repository's sample site as a model (every problem fails the test).
pub fn sample_model() -> qili::model::Site {
    let root = repo();
    let config = qili::config::SiteConfig::read(&root).expect("site.yaml");
    let (sources, problems) = qili::load::sources(&root);
    assert!(problems.is_empty(), "{problems:?}");
    let opts = qili::model::Options {
        drafts: false,
        today: qili::model::date::Date::parse(SAMPLE_TODAY).unwrap(),
    };
    let (site, problems) = qili::model::Site::build(config, sources, &opts);
    assert!(problems.is_empty(), "{problems:?}");
    site
}

/// Builds the repository's sample site with the real binary into the test target folder
/// (`name` keeps test files from sharing one output) and returns the output folder.
pub fn build_sample(name: &str) -> PathBuf {
    build_at_sample_date(&repo(), name)
}

/// Builds the site at `root` as of the sample's "today" into the test target's folder `name`
/// and returns that folder; fails the test when the build fails.
pub fn build_at_sample_date(root: &Path, name: &str) -> PathBuf {
    let public = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let out = qili(
        root,
        &[
            "build",
            "--today",
            SAMPLE_TODAY,
            "--output",
            public.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "qili build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    public
}

/// Browser and validator helpers (the browser suite, tests/browser/).
pub mod browser;
/// What a search costs in bytes (the suite's search_budget.rs, the browser suite's search.rs).
pub mod search;
/// `qili serve` in a test.
pub mod serve;
/// Comparing with committed snapshots, and `QILI_BLESS=1` to rewrite them.
pub mod snapshot;
