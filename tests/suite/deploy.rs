//! `qili deploy` against a real S3 server on loopback: s3s-fs, which checks every request's
//! signature against the keys it was started with and keeps each object as a plain file
//! (`ROOT/BUCKET/KEY`), so the bucket can be compared with `public/` file by file.
//!
//! Without s3s-fs these tests print that they were skipped, unless `QILI_REQUIRE_S3=1` (CI),
//! where a missing server is a failure. Install: `cargo install s3s-fs --version 0.14.1
//! --features binary --locked`.

use crate::common;

use common::{lesson_front, Site, TODAY};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, SystemTime};

const KEY: &str = "qili-test-key";
const SECRET: &str = "qili-test-secret";
const BUCKET: &str = "qili-site";
const PREFIX: &str = "site/";

/// An s3s-fs server on a free loopback port, stopped when dropped.
struct S3 {
    child: Child,
    root: tempfile::TempDir,
    port: u16,
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl S3 {
    /// `None` (and a printed note) when s3s-fs is not installed and not required.
    fn start() -> Option<S3> {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join(BUCKET)).unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let spawned = Command::new("s3s-fs")
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", KEY, "--secret-key", SECRET])
            .arg(root.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match spawned {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                assert!(
                    std::env::var_os("QILI_REQUIRE_S3").is_none(),
                    "QILI_REQUIRE_S3 is set but s3s-fs is not installed"
                );
                eprintln!("已跳过：没有安装 s3s-fs（cargo install s3s-fs --version 0.14.1 --features binary --locked）");
                return None;
            }
            Err(e) => panic!("s3s-fs: {e}"),
        };
        let s3 = S3 { child, root, port };
        common::eventually(common::HANG, "s3s-fs to listen", || {
            TcpStream::connect(("127.0.0.1", port)).ok()
        });
        Some(s3)
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Where the objects under the prefix are, as files.
    fn dir(&self) -> PathBuf {
        self.root.path().join(BUCKET).join(PREFIX)
    }

    /// Every object under the prefix but the manifest: key → bytes.
    fn objects(&self) -> BTreeMap<String, Vec<u8>> {
        files(&self.dir())
            .into_iter()
            .filter(|(k, _)| k != ".qili-deploy.json")
            .collect()
    }

    /// Modification times of every object, to see which were written.
    fn times(&self) -> BTreeMap<String, SystemTime> {
        walkdir::WalkDir::new(self.dir())
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(self.dir()).unwrap();
                (
                    rel.to_string_lossy().replace('\\', "/"),
                    e.metadata().unwrap().modified().unwrap(),
                )
            })
            .collect()
    }

    /// Content-Type and Cache-Control of the object at `rel`, as the server answers a HEAD.
    fn headers(&self, rel: &str) -> (String, String) {
        let bucket = rusty_s3::Bucket::new(
            self.endpoint().parse().unwrap(),
            rusty_s3::UrlStyle::Path,
            BUCKET,
            "us-east-1",
        )
        .unwrap();
        let creds = rusty_s3::Credentials::new(KEY, SECRET);
        let key = format!("{PREFIX}{rel}");
        let url = rusty_s3::S3Action::sign(
            &bucket.head_object(Some(&creds), &key),
            Duration::from_secs(60),
        );
        let res = ureq::head(url.as_str()).call().unwrap();
        let h = |name: &str| {
            res.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        (h("content-type"), h("cache-control"))
    }
}

/// Files under `dir`: path → bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn site(s3: &S3, extra_yaml: &str) -> Site {
    let site = Site::new();
    let yaml = format!(
        "{}{extra_yaml}deploy:\n  endpoint: {}\n  bucket: {BUCKET}\n  prefix: {PREFIX}\n  path_style: true\n",
        // The leaders' home page links to their overview, which only `overview: true` makes.
        common::SITE_YAML.replace("name: 党政领导}", "name: 党政领导, overview: true}"),
        s3.endpoint()
    );
    site.write("site.yaml", &yaml);
    for (name, title, audiences) in [
        ("jie-tiao", "借条怎么写", "qunzhong, ganbu"),
        ("tu-di", "土地承包", "qunzhong"),
        ("tiao-jie", "人民调解", "ganbu, lingdao"),
        ("yi-zhu", "遗嘱怎么立", "qunzhong"),
    ] {
        site.lesson(
            name,
            &lesson_front(title, audiences),
            &format!("{title}的正文。\n"),
        );
    }
    site
}

fn deploy(site: &Site, secret: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qili"));
    cmd.arg("deploy")
        .args(["--today", TODAY])
        .args(args)
        .arg("--root")
        .arg(site.root())
        .env_remove("QILI_ACCESS_KEY_ID")
        .env_remove("QILI_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env("AWS_ACCESS_KEY_ID", KEY)
        .env("AWS_SECRET_ACCESS_KEY", secret);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run qili deploy")
}

fn ok(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    stderr
}

/// The keys a `--dry-run` would upload.
fn planned(site: &Site) -> BTreeSet<String> {
    let err = ok(&deploy(site, SECRET, &["--dry-run"], &[]));
    err.lines()
        .filter_map(|l| l.trim().strip_prefix("上传（"))
        .filter_map(|l| l.split_once("） "))
        .map(|(_, rest)| rest.split("  ").next().unwrap().to_string())
        .collect()
}

#[test]
fn deploys_everything_then_nothing_then_only_what_an_edit_changed() {
    let Some(s3) = S3::start() else { return };
    let site = site(&s3, "search: false\n");
    // Outside the prefix: never listed, written or deleted.
    let outside = s3.root.path().join(BUCKET).join("other/keep.txt");
    std::fs::create_dir_all(outside.parent().unwrap()).unwrap();
    std::fs::write(&outside, "县里的文件").unwrap();

    // A dry run changes nothing.
    let first_plan = planned(&site);
    assert!(s3.objects().is_empty());
    let err = ok(&deploy(&site, SECRET, &[], &[]));
    let public = files(&site.root().join("public"));
    assert_eq!(first_plan, public.keys().cloned().collect());
    assert_eq!(s3.objects(), public, "the bucket holds exactly public/");
    assert!(err.contains(&format!("上传 {} 个", public.len())), "{err}");

    // No change: nothing uploaded, nothing written.
    let before = s3.times();
    let err = ok(&deploy(&site, SECRET, &[], &[]));
    assert!(
        err.contains("上传 0 个") && err.contains("删除 0 个"),
        "{err}"
    );
    assert_eq!(s3.times(), before);

    // One lesson's title edited: its pages and the pages that list it, nothing else.
    site.lesson(
        "tu-di",
        &lesson_front("土地承包经营权", "qunzhong"),
        "土地承包的正文。\n",
    );
    let plan = planned(&site);
    let old_public = public;
    let before = s3.times();
    ok(&deploy(&site, SECRET, &[], &[]));
    let public = files(&site.root().join("public"));
    let changed: BTreeSet<String> = public
        .iter()
        .filter(|(k, v)| old_public.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    let written: BTreeSet<String> = s3
        .times()
        .into_iter()
        .filter(|(k, t)| before.get(k) != Some(t) && k != ".qili-deploy.json")
        .map(|(k, _)| k)
        .collect();
    assert_eq!(written, plan);
    assert_eq!(written, changed);
    assert!(
        written.contains("qunzhong/lessons/tu-di/index.html"),
        "{written:?}"
    );
    for key in &written {
        let text = String::from_utf8_lossy(&public[key]);
        assert!(
            key.contains("tu-di") || text.contains("/lessons/tu-di/"),
            "{key} was uploaded but neither is the lesson nor lists it"
        );
    }
    assert!(
        !written.iter().any(|k| k.contains("jie-tiao/")),
        "{written:?}"
    );
    assert_eq!(s3.objects(), public);

    // A deleted lesson's objects are deleted.
    std::fs::remove_file(site.root().join("content/lessons/yi-zhu.md")).unwrap();
    let err = ok(&deploy(&site, SECRET, &[], &[]));
    assert!(!err.contains("删除 0 个"), "{err}");
    let public = files(&site.root().join("public"));
    assert!(!public.keys().any(|k| k.contains("yi-zhu")));
    assert_eq!(s3.objects(), public);
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "县里的文件");

    // Someone deleted an object by hand: the manifest does not know, --full compares the listing.
    std::fs::remove_file(s3.dir().join("qunzhong/index.html")).unwrap();
    let err = ok(&deploy(&site, SECRET, &["--full"], &[]));
    assert!(err.contains("上传 1 个"), "{err}");
    assert_eq!(s3.objects(), public);
}

#[test]
fn a_wrong_key_or_bucket_or_address_is_named_and_changes_nothing() {
    let Some(s3) = S3::start() else { return };
    let site = site(&s3, "");
    ok(&deploy(&site, SECRET, &[], &[]));
    let before = s3.objects();
    let times = s3.times();
    site.lesson(
        "tu-di",
        &lesson_front("土地承包经营权", "qunzhong"),
        "改了。\n",
    );

    let out = deploy(&site, "not-the-secret", &[], &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("E602") && err.contains("AWS_SECRET_ACCESS_KEY"),
        "{err}"
    );
    assert_eq!(s3.objects(), before);
    assert_eq!(s3.times(), times);

    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &yaml.replace(BUCKET, "no-such-bucket"));
    let err = String::from_utf8_lossy(&deploy(&site, SECRET, &[], &[]).stderr).into_owned();
    assert!(
        err.contains("E603") && err.contains("存储桶不存在"),
        "{err}"
    );

    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    site.write(
        "site.yaml",
        &yaml.replace(&s3.endpoint(), &format!("http://127.0.0.1:{closed}")),
    );
    let err = String::from_utf8_lossy(&deploy(&site, SECRET, &[], &[]).stderr).into_owned();
    assert!(err.contains("E604") && err.contains("连不上"), "{err}");

    // A key written into site.yaml is refused before anything is built or sent.
    site.write("site.yaml", &format!("{yaml}  secret_key: {SECRET}\n"));
    let err = String::from_utf8_lossy(&deploy(&site, SECRET, &[], &[]).stderr).into_owned();
    assert!(err.contains("site.yaml:") && err.contains("E003"), "{err}");

    // No keys in the environment.
    site.write("site.yaml", &yaml);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qili"));
    cmd.args(["deploy", "--today", TODAY, "--root"])
        .arg(site.root())
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("QILI_ACCESS_KEY_ID")
        .env_remove("QILI_SECRET_ACCESS_KEY");
    let err = String::from_utf8_lossy(&cmd.output().unwrap().stderr).into_owned();
    assert!(err.contains("E601") && err.contains("环境变量"), "{err}");
    assert_eq!(s3.objects(), before);
}

#[test]
fn deleting_most_of_the_bucket_needs_allow_delete() {
    let Some(s3) = S3::start() else { return };
    let site = site(&s3, "search: false\n");
    for i in 0..10 {
        let front = lesson_front(&format!("第{i}课"), "qunzhong, ganbu, lingdao");
        site.lesson(&format!("ke-{i}"), &front, "正文。\n");
    }
    ok(&deploy(&site, SECRET, &[], &[]));
    let before = s3.objects();
    for i in 0..10 {
        std::fs::remove_file(site.root().join(format!("content/lessons/ke-{i}.md"))).unwrap();
    }
    let out = deploy(&site, SECRET, &[], &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("E607") && err.contains("--allow-delete"),
        "{err}"
    );
    assert_eq!(s3.objects(), before, "nothing changed");
    ok(&deploy(&site, SECRET, &["--allow-delete"], &[]));
    assert_eq!(s3.objects(), files(&site.root().join("public")));
}

#[test]
fn headers_fit_each_kind_of_file() {
    let Some(s3) = S3::start() else { return };
    let site = site(&s3, "");
    ok(&deploy(&site, SECRET, &[], &[]));
    let keys: Vec<String> = s3.objects().into_keys().collect();
    let find = |pred: &dyn Fn(&str) -> bool| {
        keys.iter()
            .find(|k| pred(k))
            .unwrap_or_else(|| panic!("no such object in {keys:?}"))
            .clone()
    };
    let short = "public, max-age=300";
    let long = "public, max-age=31536000, immutable";
    let css = find(&|k| k.starts_with("static/style.") && k.ends_with(".css"));
    let png = find(&|k| k.starts_with("static/share.") && k.ends_with(".png"));
    let js = find(&|k| k.starts_with("static/search.") && k.ends_with(".js"));
    let json = find(&|k| k.starts_with("search/") && k.ends_with(".json"));
    let txt = find(&|k| k.starts_with("search/") && k.ends_with(".txt"));
    for (key, content_type, cache) in [
        ("index.html", "text/html; charset=utf-8", short),
        (
            "qunzhong/lessons/tu-di/index.html",
            "text/html; charset=utf-8",
            short,
        ),
        ("feed.xml", "application/atom+xml; charset=utf-8", short),
        ("sitemap.xml", "application/xml; charset=utf-8", short),
        ("robots.txt", "text/plain; charset=utf-8", short),
        (&css, "text/css; charset=utf-8", long),
        (&js, "text/javascript; charset=utf-8", long),
        (&png, "image/png", long),
        (&json, "application/json; charset=utf-8", short),
        (&txt, "text/plain; charset=utf-8", short),
    ] {
        assert_eq!(
            s3.headers(key),
            (content_type.to_string(), cache.to_string()),
            "{key}"
        );
    }
}

/// Local links of an HTML page (`href`, `src`), as object keys.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            let url = &rest[..rest.find('"').unwrap_or(0)];
            let url = url.split(['#', '?']).next().unwrap_or("");
            if !url.starts_with('/') || url.starts_with("//") {
                continue;
            }
            let path = url.trim_start_matches('/');
            out.push(if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            });
        }
    }
    out
}

/// Walks the bucket from its home page as a reader would; the links that lead nowhere.
fn broken_links(objects: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut broken = Vec::new();
    if !objects.contains_key("index.html") {
        return broken;
    }
    let mut seen = BTreeSet::from(["index.html".to_string()]);
    let mut queue = VecDeque::from(["index.html".to_string()]);
    while let Some(page) = queue.pop_front() {
        let html = String::from_utf8_lossy(&objects[&page]).into_owned();
        for to in links(&html) {
            if !objects.contains_key(&to) {
                broken.push(format!("{page} → {to}"));
            } else if to.ends_with(".html") && seen.insert(to.clone()) {
                queue.push_back(to);
            }
        }
    }
    assert!(seen.len() > 10, "the walk reached only {seen:?}");
    broken
}

#[test]
fn a_deploy_killed_half_way_leaves_every_link_working_and_a_rerun_finishes() {
    let Some(s3) = S3::start() else { return };
    let site = site(&s3, "");
    ok(&deploy(&site, SECRET, &[], &[]));
    assert_eq!(broken_links(&s3.objects()), Vec::<String>::new());

    // A new style sheet (a new hashed name), new lessons, a changed title, a deleted lesson.
    let css = site.root().join("themes/default/static/style.css");
    let mut style = std::fs::read_to_string(&css).unwrap();
    style.push_str("\n.deploy-test{color:#123}\n");
    std::fs::write(&css, style).unwrap();
    site.lesson(
        "xin-ke",
        &lesson_front("新课程", "qunzhong, ganbu, lingdao"),
        "新课程。\n",
    );
    site.lesson(
        "xin-ke-2",
        &lesson_front("另一门新课", "qunzhong"),
        "见 [新课程](@/lessons/xin-ke.md)。\n",
    );
    site.lesson(
        "tu-di",
        &lesson_front("土地承包经营权", "qunzhong"),
        "改了。\n",
    );
    std::fs::remove_file(site.root().join("content/lessons/tiao-jie.md")).unwrap();
    let total = planned(&site).len();
    assert!(total > 20, "{total}");

    // Stopped after 1, 2, 4, 8 … uploads: each time the site online links up.
    let mut stops = 0;
    let mut after = 1;
    loop {
        let out = deploy(
            &site,
            SECRET,
            &[],
            &[("QILI_DEPLOY_STOP_AFTER", &after.to_string())],
        );
        if out.status.success() {
            break;
        }
        assert_eq!(
            out.status.code(),
            Some(130),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stops += 1;
        assert_eq!(
            broken_links(&s3.objects()),
            Vec::<String>::new(),
            "stopped after {after}"
        );
        after *= 2;
    }
    assert!(stops >= 4, "stopped only {stops} times");
    let public = files(&site.root().join("public"));
    assert_eq!(s3.objects(), public);
    assert_eq!(broken_links(&s3.objects()), Vec::<String>::new());
    let err = ok(&deploy(&site, SECRET, &[], &[]));
    assert!(err.contains("上传 0 个"), "{err}");
}
