//! The sample site as a reader on a cheap Android phone in WeChat sees it, checked by tools
//! nobody here wrote:
//! - the Nu HTML Checker (npm `vnu-jar`, on the machine's Java): no errors;
//! - Debian's Chromium at 375×667 with a WeChat Android user agent, driven by
//!   tests/browser/check.mjs (npm `playwright-core`): no horizontal scrolling (also in 大字 mode,
//!   and at 360 px), no request to another origin, text and tap targets large enough;
//! - axe-core (npm) in that browser: no serious or critical violations.
//!
//! Without Chromium, Node.js, the npm packages (`npm ci --ignore-scripts --prefix tests/browser`)
//! or Java, those tests print 已跳过 and pass; with `QILI_REQUIRE_BROWSER=1` (CI) they fail.
//! The checks of the HTML itself (sharing tags, page budget, no other hosts, CSS for older
//! Chromium) need no tools and always run.
//!
//! `QILI_SHOTS=/some/dir cargo test --test browser` also saves phone-size screenshots there.

use crate::common;
use common::browser::{chromium, java_and_vnu, node_with, png_size, skip, StaticServer};
use common::repo;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The day the sample content's statuses are written for.
const SITE_TITLE: &str = "七里镇法治课堂";
const BASE_URL: &str = "https://qili.example.cn/";

/// One page of every kind, as (what it is, URL path). To check a new kind of page, add a line:
/// every test here runs on all of them, and `every_kind_of_page_is_checked` fails until a page
/// of each `kind-…` the build writes is listed.
const PAGES: &[(&str, &str)] = &[
    ("门户", "/"),
    ("党政领导首页", "/lingdao/"),
    ("机关职工首页", "/zhigong/"),
    ("村组干部首页", "/ganbu/"),
    ("基层群众首页", "/qunzhong/"),
    ("课程列表", "/qunzhong/lessons/"),
    // With a query, so the results the script draws are checked too.
    ("搜索（基层群众）", "/qunzhong/search/?q=宅基地"),
    ("课程（基层群众）", "/qunzhong/lessons/xiang-lin-tong-xing/"),
    (
        "课程（村组干部，清单）",
        "/ganbu/lessons/si-yi-liang-gong-kai-qing-dan/",
    ),
    (
        "课程（党政领导）",
        "/lingdao/lessons/zhong-da-jue-ce-cheng-xu/",
    ),
    ("课程（机关职工）", "/zhigong/lessons/dang-an-guan-li/"),
    ("村规民约（现行）", "/villages/dongling/guiyue/"),
    ("村规民约（历史版本）", "/villages/dongling/guiyue/2019/"),
    (
        "四议两公开",
        "/villages/dongling/notices/2026-qu-dao-gai-zao/",
    ),
    ("村务公开（各村）", "/villages/"),
    ("村", "/villages/dongling/"),
    ("社区", "/villages/xinhua/"),
    ("各村工作一览", "/lingdao/overview/"),
    ("404", "/404.html"),
    (
        "公示海报（A3）",
        "/villages/dongling/notices/2026-qu-dao-gai-zao/poster/",
    ),
    (
        "公示海报（A4）",
        "/villages/dongling/notices/2026-qu-dao-gai-zao/poster-a4/",
    ),
    ("村规民约打印版", "/villages/dongling/guiyue/poster/"),
];

/// Print views: opened on the village office's computer to print, not read on a phone. They
/// are checked at a desktop width (no sideways scrolling there either), by the validator and
/// axe, but not for the phone's 大字 switch and line spacing.
fn is_print_view(path: &str) -> bool {
    path.ends_with("/poster/") || path.ends_with("/poster-a4/")
}

/// The page a print view copies, or a search page without its query: its canonical URL.
fn canonical_path(path: &str) -> &str {
    let path = path.split('?').next().unwrap_or(path);
    path.strip_suffix("poster/")
        .or_else(|| path.strip_suffix("poster-a4/"))
        .unwrap_or(path)
}

/// The 大字 switch is tried on the first page and must carry over to the second.
const DAZI_PAGES: (&str, &str) = (
    "/qunzhong/lessons/xiang-lin-tong-xing/",
    "/villages/dongling/notices/2026-qu-dao-gai-zao/",
);

/// Budget for a lesson page: its HTML plus the stylesheet, before compression.
const LESSON_BUDGET: u64 = 30 * 1024;

struct Built {
    public: PathBuf,
}

/// The sample site, built once per test run with the real binary.
fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| Built {
        public: common::build_sample("browser-site"),
    })
}

fn file_for(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    let rel = path.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

fn page_html(path: &str) -> String {
    let file = built().public.join(file_for(path));
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// Every HTML file of the build, as (site path, text).
fn all_pages() -> Vec<(String, String)> {
    let public = &built().public;
    let mut pages: Vec<(String, String)> = walkdir::WalkDir::new(public)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(public).unwrap().to_string_lossy();
            let url = format!("/{}", rel.trim_end_matches("index.html"));
            (url, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    pages.sort();
    pages
}

/// The stylesheet a page links to, as (path, text).
fn stylesheet_of(html: &str) -> (String, String) {
    let href = tags(html, "link")
        .into_iter()
        .find(|t| attr(t, "rel").as_deref() == Some("stylesheet"))
        .and_then(|t| attr(&t, "href"))
        .expect("a stylesheet link");
    let text = std::fs::read_to_string(built().public.join(href.trim_start_matches('/')))
        .unwrap_or_else(|e| panic!("{href}: {e}"));
    (href, text)
}

/// The start tags named `name`, e.g. `<meta property="og:url" content="…">`.
fn tags(html: &str, name: &str) -> Vec<String> {
    let open = format!("<{name}");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        if after.starts_with([' ', '>', '/', '\n']) {
            let end = after.find('>').map(|e| i + open.len() + e + 1).unwrap();
            out.push(rest[i..end].to_string());
            rest = &rest[end..];
        } else {
            rest = after;
        }
    }
    out
}

/// A double-quoted attribute of a start tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    let end = tag[i..].find('"')?;
    Some(tag[i..i + end].to_string())
}

fn meta(html: &str, key: &str, value: &str) -> Option<String> {
    tags(html, "meta")
        .into_iter()
        .find(|t| attr(t, key).as_deref() == Some(value))
        .and_then(|t| attr(&t, "content"))
}

fn title(html: &str) -> String {
    let start = html.find("<title>").expect("<title>") + "<title>".len();
    let end = start + html[start..].find("</title>").expect("</title>");
    html[start..end].to_string()
}

fn body_kind(html: &str) -> Option<String> {
    let body = tags(html, "body").into_iter().next()?;
    attr(&body, "class")?
        .split_whitespace()
        .find_map(|c| c.strip_prefix("kind-").map(str::to_string))
}

// ---------------------------------------------------------------------------------------------
// Checks of the HTML itself: no tools needed.

#[test]
fn every_kind_of_page_is_checked() {
    let listed: BTreeSet<String> = PAGES
        .iter()
        .map(|(what, path)| {
            body_kind(&page_html(path)).unwrap_or_else(|| panic!("{what} {path}: no kind-…"))
        })
        .collect();
    let mut missing = BTreeSet::new();
    for (url, html) in all_pages() {
        if let Some(kind) = body_kind(&html) {
            if !listed.contains(&kind) {
                missing.insert(format!("kind-{kind}（例如 {url}）"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "tests/browser/pages.rs 的 PAGES 缺少这些种类的页面：{missing:?}"
    );
}

#[test]
fn shared_links_stand_alone_with_absolute_og_tags() {
    let mut problems = Vec::new();
    for (what, path) in PAGES {
        let html = page_html(path);
        let mut bad = |m: String| problems.push(format!("{what} {path}：{m}"));
        let t = title(&html);
        let own = t.strip_suffix(&format!("｜{SITE_TITLE}"));
        if t != SITE_TITLE && own.is_none_or(|own| own.trim().is_empty()) {
            bad(format!("<title> 应为「标题｜{SITE_TITLE}」：{t}"));
        }
        if *path == "/" && t != SITE_TITLE {
            bad(format!("门户的 <title> 应为站名：{t}"));
        }
        for (key, name) in [
            ("name", "description"),
            ("property", "og:title"),
            ("property", "og:description"),
            ("property", "og:url"),
            ("property", "og:image"),
            ("property", "og:type"),
        ] {
            match meta(&html, key, name) {
                Some(v) if !v.trim().is_empty() => {}
                _ => bad(format!("缺少 {name}")),
            }
        }
        let canonical = tags(&html, "link")
            .into_iter()
            .find(|t| attr(t, "rel").as_deref() == Some("canonical"))
            .and_then(|t| attr(&t, "href"));
        let expected = format!("{BASE_URL}{}", canonical_path(path).trim_start_matches('/'));
        if canonical.as_deref() != Some(expected.as_str()) {
            bad(format!("canonical 应为 {expected}：{canonical:?}"));
        }
        if meta(&html, "property", "og:url").as_deref() != Some(expected.as_str()) {
            bad(format!("og:url 应为 {expected}"));
        }
        match meta(&html, "property", "og:image") {
            Some(img) if img.starts_with(BASE_URL) => {
                let file = built().public.join(&img[BASE_URL.len()..]);
                match std::fs::read(&file).ok().as_deref().and_then(png_size) {
                    Some((w, h)) if w >= 300 && h >= 300 => {}
                    size => bad(format!(
                        "og:image 应是不小于 300×300 的 PNG：{img} {size:?}"
                    )),
                }
            }
            img => bad(format!(
                "og:image 应是以 {BASE_URL} 开头的绝对网址：{img:?}"
            )),
        }
        let viewport = meta(&html, "name", "viewport").unwrap_or_default();
        if !viewport.contains("width=device-width")
            || viewport.contains("user-scalable")
            || viewport.contains("maximum-scale")
        {
            bad(format!("viewport 必须允许缩放：{viewport}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn pages_load_nothing_from_other_hosts() {
    let mut problems = Vec::new();
    let external = |url: &str| {
        let u = url.trim().to_ascii_lowercase();
        u.starts_with("//") || (u.contains("://") && !u.starts_with("data:"))
    };
    let fetched_rels = [
        "stylesheet",
        "icon",
        "preload",
        "prefetch",
        "modulepreload",
        "manifest",
        "preconnect",
        "dns-prefetch",
        "apple-touch-icon",
    ];
    for (url, html) in all_pages() {
        for name in [
            "script", "img", "iframe", "source", "video", "audio", "embed", "object", "input",
        ] {
            for tag in tags(&html, name) {
                for a in ["src", "srcset", "data", "poster"] {
                    if let Some(v) = attr(&tag, a).filter(|v| external(v)) {
                        problems.push(format!("{url}：{name} {a}={v}"));
                    }
                }
            }
        }
        for tag in tags(&html, "link") {
            let rel = attr(&tag, "rel").unwrap_or_default();
            if rel.split_whitespace().any(|r| fetched_rels.contains(&r)) {
                if let Some(v) = attr(&tag, "href").filter(|v| external(v)) {
                    problems.push(format!("{url}：link rel={rel} href={v}"));
                }
            }
        }
        if html.contains("@import") || html.contains("url(http") || html.contains("url(//") {
            problems.push(format!("{url}：内嵌样式引用了外部文件"));
        }
    }
    let css = std::fs::read_to_string(repo().join("themes/default/static/style.css")).unwrap();
    for bad in ["@import", "url(http", "url(\"http", "url('http", "url(//"] {
        if css.contains(bad) {
            problems.push(format!("style.css：{bad}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn css_works_in_older_chromium() {
    // WeChat's XWeb on older Android is about Chrome 78: these need an @supports guard.
    let css = std::fs::read_to_string(repo().join("themes/default/static/style.css")).unwrap();
    let css = strip_supports_blocks(&strip_comments(&css));
    let newer = [
        ("gap:", "flex/grid gap"),
        ("aspect-ratio", "aspect-ratio"),
        (":is(", ":is()"),
        (":has(", ":has()"),
        (":where(", ":where()"),
        ("@container", "container queries"),
        ("@layer", "@layer"),
        ("clamp(", "clamp()"),
        ("inset:", "inset"),
        ("dvh", "dvh units"),
        ("svh", "svh units"),
        ("&", "CSS nesting"),
    ];
    let found: Vec<&str> = newer
        .iter()
        .filter(|(token, _)| css.contains(token))
        .map(|(_, what)| *what)
        .collect();
    assert!(
        found.is_empty(),
        "style.css 用了旧版微信不支持的 CSS：{found:?}"
    );
    for f in ["min(", "max("] {
        let unguarded = css
            .match_indices(f)
            .any(|(i, _)| !css[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '-'));
        assert!(!unguarded, "style.css 用了 {f}）");
    }
}

fn strip_comments(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |e| &rest[i + e + 2..]);
    }
    out.push_str(rest);
    out
}

/// Removes `@supports (…) { … }` blocks: what they hold is guarded.
fn strip_supports_blocks(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(i) = rest.find("@supports") {
        out.push_str(&rest[..i]);
        let Some(open) = rest[i..].find('{') else {
            return out;
        };
        let mut depth = 0;
        let mut end = rest.len();
        for (j, c) in rest[i + open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + open + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn lesson_pages_fit_the_budget() {
    let mut sizes: Vec<(u64, String)> = Vec::new();
    for (url, html) in all_pages() {
        if body_kind(&html).as_deref() == Some("lesson") {
            let (_, css) = stylesheet_of(&html);
            sizes.push(((html.len() + css.len()) as u64, url));
        }
    }
    assert!(sizes.len() >= 20, "{} lesson pages", sizes.len());
    sizes.sort();
    let median = sizes[sizes.len() / 2].0;
    let (largest, largest_url) = sizes.last().unwrap();
    eprintln!(
        "课程页（HTML+CSS）：{} 页，中位数 {:.1} KB，最大 {:.1} KB（{largest_url}）",
        sizes.len(),
        median as f64 / 1024.0,
        *largest as f64 / 1024.0
    );
    let over: Vec<String> = sizes
        .iter()
        .filter(|(n, _)| *n > LESSON_BUDGET)
        .map(|(n, u)| format!("{u} {:.1} KB", *n as f64 / 1024.0))
        .collect();
    assert!(
        over.is_empty(),
        "课程页超过 30 KB（HTML+CSS，未压缩）：{over:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The Nu HTML Checker.

#[test]
fn nu_html_checker_finds_no_errors() {
    let (java, jar) = match java_and_vnu() {
        Ok(t) => t,
        Err(missing) => return skip(&missing),
    };
    let public = &built().public;
    let mut files: Vec<PathBuf> = PAGES
        .iter()
        .map(|(_, p)| public.join(file_for(p)))
        .collect();
    for page in ["/", PAGES.last().map_or("/", |(_, p)| *p)] {
        let (css, _) = stylesheet_of(&page_html(page));
        files.push(public.join(css.trim_start_matches('/')));
    }
    let out = Command::new(java)
        .arg("-jar")
        .arg(jar)
        .args(["--format", "json", "--stdout", "--also-check-css"])
        .args(&files)
        .output()
        .expect("run vnu.jar");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "vnu.jar did not answer JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let messages = report["messages"].as_array().expect("messages");
    let line = |m: &Value| {
        format!(
            "{}:{}:{} {}",
            m["url"]
                .as_str()
                .unwrap_or_default()
                .rsplit_once(&*public.to_string_lossy())
                .map_or(m["url"].as_str().unwrap_or_default(), |(_, r)| r),
            m["lastLine"],
            m["firstColumn"],
            m["message"].as_str().unwrap_or_default()
        )
    };
    for m in messages.iter().filter(|m| m["type"] == "info") {
        eprintln!("vnu 提示：{}", line(m));
    }
    let errors: Vec<String> = messages
        .iter()
        .filter(|m| m["type"] != "info")
        .map(line)
        .collect();
    assert!(
        errors.is_empty(),
        "Nu HTML Checker 报错 {} 处：\n{}",
        errors.len(),
        errors.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Chromium at phone size.

enum Browser {
    Report(Value),
    Missing(String),
    Failed(String),
}

/// The report of tests/browser/check.mjs on all PAGES, or None when the tools are missing.
/// Run once for all the tests below.
fn browser_report() -> Option<&'static Value> {
    static REPORT: OnceLock<Browser> = OnceLock::new();
    let report = REPORT.get_or_init(|| {
        let chromium = match chromium() {
            Ok(c) => c,
            Err(missing) => return Browser::Missing(missing),
        };
        let node = match node_with(&["playwright-core", "axe-core"]) {
            Ok(n) => n,
            Err(missing) => return Browser::Missing(missing),
        };
        let built = built();
        let server = StaticServer::start(&built.public);
        let pages: Vec<Value> = PAGES
            .iter()
            .map(|(what, path)| {
                serde_json::json!({"kind": what, "path": path, "print": is_print_view(path)})
            })
            .collect();
        let mut job = serde_json::json!({
            "base": server.base,
            "chromium": chromium,
            "pages": pages,
            "dazi": {"first": DAZI_PAGES.0, "second": DAZI_PAGES.1},
        });
        if let Some(dir) = std::env::var_os("QILI_SHOTS") {
            job["shots"] = Value::from(PathBuf::from(dir).to_string_lossy().into_owned());
        }
        let out = common::browser::run_script(&node, "check.mjs", &job);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() {
            return Browser::Failed(format!("check.mjs 失败（{}）：\n{stderr}", out.status));
        }
        match serde_json::from_slice(&out.stdout) {
            Ok(v) => Browser::Report(v),
            Err(e) => Browser::Failed(format!("check.mjs 输出不是 JSON：{e}\n{stderr}")),
        }
    });
    match report {
        Browser::Report(r) => Some(r),
        Browser::Missing(missing) => {
            skip(missing);
            None
        }
        Browser::Failed(why) => panic!("{why}"),
    }
}

/// Problems per page from the report, formatted for an assertion message.
fn collect(report: &Value, each: impl Fn(&Value, &mut Vec<String>)) -> Vec<String> {
    let pages = report["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), PAGES.len(), "check.mjs skipped pages");
    let mut out = Vec::new();
    for p in pages {
        let mut problems = Vec::new();
        each(p, &mut problems);
        for m in problems {
            out.push(format!(
                "{} {}：{m}",
                p["kind"].as_str().unwrap_or_default(),
                p["path"].as_str().unwrap_or_default()
            ));
        }
    }
    out
}

fn strings(v: &Value) -> impl Iterator<Item = &str> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str())
}

#[test]
fn phone_pages_do_not_scroll_sideways() {
    let Some(report) = browser_report() else {
        return;
    };
    let problems = collect(report, |p, out| {
        if p["status"] != 200 {
            out.push(format!("HTTP {}", p["status"]));
        }
        let print = is_print_view(p["path"].as_str().unwrap_or_default());
        let modes: &[(&str, f64)] = if print {
            &[("normal", 1280.0)]
        } else {
            &[("normal", 375.0), ("dazi", 375.0), ("narrow", 360.0)]
        };
        for &(mode, phone) in modes {
            let m = &p[mode];
            let width = m["innerWidth"].as_f64().unwrap_or(0.0);
            let client = m["clientWidth"].as_f64().unwrap_or(0.0);
            let scroll = m["scrollWidth"].as_f64().unwrap_or(f64::MAX);
            if width != phone || scroll > width || scroll > client {
                let wide: Vec<&str> = strings(&m["wide"]).collect();
                out.push(format!(
                    "{mode}：scrollWidth {scroll} > innerWidth {width}（clientWidth {client}）{wide:?}"
                ));
            }
        }
        for e in strings(&p["errors"]) {
            out.push(format!("脚本错误：{e}"));
        }
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn phone_pages_request_nothing_from_other_origins() {
    let Some(report) = browser_report() else {
        return;
    };
    let problems = collect(report, |p, out| {
        for url in strings(&p["foreign"]) {
            out.push(format!("请求了其他网站：{url}"));
        }
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn axe_finds_no_serious_or_critical_violations() {
    let Some(report) = browser_report() else {
        return;
    };
    let minor = std::sync::Mutex::new(std::collections::BTreeMap::<String, usize>::new());
    let problems = collect(report, |p, out| {
        for (mode, key) in [("", "axe"), ("大字：", "axe_dazi")] {
            for v in p[key].as_array().into_iter().flatten() {
                let impact = v["impact"].as_str().unwrap_or_default();
                let rule = format!(
                    "{} [{impact}] {}",
                    v["id"].as_str().unwrap_or_default(),
                    v["help"].as_str().unwrap_or_default()
                );
                if impact == "serious" || impact == "critical" {
                    let nodes: Vec<&str> = strings(&v["nodes"]).collect();
                    out.push(format!("{mode}{rule}\n    {}", nodes.join("\n    ")));
                } else {
                    *minor.lock().unwrap().entry(rule).or_default() += 1;
                }
            }
        }
    });
    for (rule, n) in minor.into_inner().unwrap() {
        eprintln!("axe（不计为失败）：{rule}，{n} 次");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn phone_text_and_tap_targets_are_large_enough() {
    let Some(report) = browser_report() else {
        return;
    };
    let problems = collect(report, |p, out| {
        // Posters are set for paper: their line spacing is the printed sheet's.
        let print = is_print_view(p["path"].as_str().unwrap_or_default());
        for (key, what) in [
            ("small_text", "字太小"),
            ("tight_lines", "行距太小"),
            ("taps", "点按区域小于 44×44"),
        ] {
            if print && key == "tight_lines" {
                continue;
            }
            for s in strings(&p["normal"][key]) {
                out.push(format!("{what}：{s}"));
            }
        }
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn dazi_switch_works_without_javascript_and_is_remembered_with_it() {
    let Some(report) = browser_report() else {
        return;
    };
    let problems: Vec<&str> = strings(&report["dazi"]).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // And every page grows when it is switched on.
    let grown = collect(report, |p, out| {
        if is_print_view(p["path"].as_str().unwrap_or_default()) {
            return;
        }
        let before = p["normal"]["main_font_px"].as_f64().unwrap_or(0.0);
        let after = p["dazi"]["main_font_px"].as_f64().unwrap_or(0.0);
        if before > 0.0 && after < before * 1.2 {
            out.push(format!("大字没有放大：{before}px → {after}px"));
        }
    });
    assert!(grown.is_empty(), "{}", grown.join("\n"));
}
