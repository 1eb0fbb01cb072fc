//! Search and the themes written before it: a theme without `search.html` and `search.js` still
//! builds, with qili's own search page and script and one W404 each telling the editor so; and
//! `search: false` in site.yaml leaves out the index, the search pages and every link to them.

use crate::common;
use common::browser::{chromium_and_node, run_script, skip, StaticServer};
use common::{repo, Site};
use serde_json::{json, Value};
use std::path::Path;

const PAGE: &str = "qunzhong/search/index.html";

/// A base.html as plain as a theme of its own may have: nothing but the `content` block, which
/// is all the built-in search page needs.
const OLD_BASE: &str = "<!DOCTYPE html>
<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ page.title }}</title>
<link rel=\"stylesheet\" href=\"{{ assets[\"style.css\"] }}\"></head>
<body><main>{% block content %}{% endblock content %}</main></body></html>
";

/// A site whose theme was made before search: no search.html, no search.js, its own base.html.
fn site_with_old_theme() -> Site {
    let site = Site::new();
    let theme = site.root().join("themes/default");
    std::fs::remove_file(theme.join("templates/search.html")).unwrap();
    std::fs::remove_file(theme.join("static/search.js")).unwrap();
    site.write("themes/default/templates/base.html", OLD_BASE);
    site.lesson(
        "jietiao",
        "title: 借条怎么写\ndate: 2026-03-01\naudiences: [qunzhong]\nsummary: 写清楚谁借、借多少、什么时候还",
        "借钱给亲戚，也要打一张借条。\n",
    );
    site
}

/// The `src` of each `<script src="…">` in `html`.
fn script_sources(html: &str) -> Vec<&str> {
    html.split("<script src=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

/// Every HTML page of the output that has a link or form leading to a search page.
fn pages_linking_to_search(public: &Path) -> Vec<String> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter(|e| {
            let html = std::fs::read_to_string(e.path()).unwrap();
            html.contains("/search/\"")
        })
        .map(|e| e.path().display().to_string())
        .collect()
}

#[test]
fn a_theme_made_before_search_builds_with_qilis_search_page_and_script() {
    let site = site_with_old_theme();
    let run = site.build();
    run.ok();
    for missing in [
        "themes/default/templates/search.html",
        "themes/default/static/search.js",
    ] {
        let told: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.starts_with(&format!("{missing} W404 ")))
            .collect();
        assert_eq!(
            told.len(),
            1,
            "{missing} 应当正好提示一次：\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("已使用 qili 内置的"), "{}", run.stderr);
    assert!(
        run.stderr.contains("search: false"),
        "提示里应说怎样关掉搜索：\n{}",
        run.stderr
    );

    let page = site.public(PAGE);
    assert!(
        page.contains(r#"<form class="search-form" action="/qunzhong/search/" method="get""#),
        "{page}"
    );
    assert!(page.contains(r#"name="q""#), "{page}");
    assert!(page.contains(r#"id="search" data-index="{"#), "{page}");
    // The lesson list that serves readers without JavaScript, and the theme's base around it.
    assert!(page.contains(">借条怎么写</a>"), "{page}");
    assert!(page.contains("<body><main>"), "{page}");
    let scripts = script_sources(&page);
    assert_eq!(scripts.len(), 1, "{scripts:?}");
    let script = scripts[0];
    assert!(
        script.starts_with("/static/search.") && script.ends_with(".js"),
        "脚本要按内容哈希命名：{script}"
    );
    let shipped = std::fs::read(site.root().join("public").join(&script[1..]))
        .unwrap_or_else(|e| panic!("{script} 不在输出里：{e}"));
    let default = std::fs::read(repo().join("themes/default/static/search.js")).unwrap();
    assert!(shipped == default, "内置的脚本应当就是默认主题的 search.js");
    assert!(
        site.root().join("public/search").is_dir(),
        "没有写出搜索索引"
    );
}

#[test]
fn a_theme_with_its_own_search_page_and_script_is_told_nothing() {
    let site = Site::new();
    site.lesson("a", &common::lesson_front("甲", "qunzhong"), "正文。\n");
    let run = site.build();
    run.ok();
    assert!(!run.stderr.contains("W404"), "{}", run.stderr);
    assert!(!run.stderr.contains("W405"), "{}", run.stderr);
    // The theme's own page, not the built-in one (which styles its form inline).
    assert!(!site.public(PAGE).contains("style=\"margin:.8em 0\""));
}

/// A theme that copied the default script before the search data changed shape keeps its copy;
/// the build goes on and the editor is told where the old format is declared, and how to update.
#[test]
fn a_theme_with_an_old_search_script_is_told_to_update_it() {
    let site = Site::new();
    site.lesson("a", &common::lesson_front("甲", "qunzhong"), "正文。\n");
    let script = "themes/default/static/search.js";
    let current = std::fs::read_to_string(site.root().join(script)).unwrap();
    let (line, _) = current
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim().starts_with("var FORMAT = "))
        .expect("the default script declares its format");
    let old: String = current
        .lines()
        .map(|l| match l.trim().starts_with("var FORMAT = ") {
            true => "  var FORMAT = 1;",
            false => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    site.write(script, &old);
    let run = site.build();
    run.ok();
    let at = format!("{script}:{}:1 W405 ", line + 1);
    let told: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with(&at)).collect();
    assert_eq!(told.len(), 1, "{}", run.stderr);
    assert!(told[0].contains("数据格式 1"), "{}", told[0]);
    assert!(run
        .stderr
        .contains("themes/default/static/search.js 复制到"));
    // Its own script is still what the search page loads.
    let html = site.public(PAGE);
    let src = script_sources(&html)
        .into_iter()
        .find(|s| s.contains("search."))
        .expect("a search script")
        .trim_start_matches('/')
        .to_string();
    assert!(site.public(&src).contains("var FORMAT = 1;"));
}

#[test]
fn search_off_writes_no_index_no_search_pages_and_no_links_to_them() {
    let site = Site::new();
    site.lesson("a", &common::lesson_front("甲", "qunzhong"), "正文。\n");
    let public = site.root().join("public");
    // With search on, the theme links to it: the check below can fail.
    site.build().ok();
    assert!(site.exists(PAGE));
    assert!(!pages_linking_to_search(&public).is_empty());

    site.write(
        "site.yaml",
        &format!("{}search: false\n", common::SITE_YAML),
    );
    // Without search, a theme without search.html and search.js is fine as it is.
    let theme = site.root().join("themes/default");
    std::fs::remove_file(theme.join("templates/search.html")).unwrap();
    std::fs::remove_file(theme.join("static/search.js")).unwrap();
    let run = site.build();
    run.ok();
    assert!(!run.stderr.contains("W404"), "{}", run.stderr);
    assert!(run.stderr.contains("搜索：没有开启"), "{}", run.stderr);
    assert!(!public.join("search").exists(), "不该有搜索索引");
    for a in ["lingdao", "ganbu", "qunzhong"] {
        assert!(
            !public.join(a).join("search").exists(),
            "不该有 /{a}/search/"
        );
    }
    assert_eq!(pages_linking_to_search(&public), Vec::<String>::new());
    assert!(!site.public("sitemap.xml").contains("/search/"));
    // The home page keeps its content, only the form is gone.
    let home = site.public("qunzhong/index.html");
    assert!(
        home.contains(">甲</a>") && !home.contains("search-form"),
        "{home}"
    );
}

/// `qili serve` rebuilds after an edit as a full build would: the theme's W404s are told again,
/// and with search off no index appears.
#[test]
fn rebuilds_after_an_edit_keep_the_notes_and_leave_search_out_when_off() {
    use qili::build::Session;
    let out = tempfile::tempdir().unwrap();
    let edit_and_rebuild = |site: &Site, name: &str| {
        let mut session = Session::new(site.session_options(out.path().join(name)));
        let full = session.full().unwrap();
        assert!(!full.diagnostics.has_errors(), "{:?}", full.diagnostics);
        site.lesson(
            "jietiao",
            "title: 借条怎么写\ndate: 2026-03-01\naudiences: [qunzhong]\nsummary: 改过的摘要",
            "借钱给亲戚，也要打一张借条。\n",
        );
        let lesson = site.root().join("content/lessons/jietiao.md");
        let again = session.update(&[lesson]).unwrap();
        assert!(again.stats.is_some(), "{:?}", again.diagnostics);
        let codes = |o: &qili::build::Outcome| -> Vec<&str> {
            o.diagnostics.iter().map(|d| d.code).collect()
        };
        assert_eq!(codes(&full), codes(&again), "同一个主题，提示应当一样");
        let told = codes(&again).iter().filter(|c| **c == "W404").count();
        (told, out.path().join(name))
    };

    let site = site_with_old_theme();
    let (notes, public) = edit_and_rebuild(&site, "on");
    assert_eq!(notes, 2);
    assert!(public.join("search").is_dir() && public.join(PAGE).is_file());

    let site = site_with_old_theme();
    site.write(
        "site.yaml",
        &format!("{}search: false\n", common::SITE_YAML),
    );
    let (notes, public) = edit_and_rebuild(&site, "off");
    assert_eq!(notes, 0);
    assert!(!public.join("search").exists() && !public.join(PAGE).exists());
    assert!(
        std::fs::read_to_string(public.join("qunzhong/lessons/jietiao/index.html"))
            .unwrap()
            .contains("改过的摘要")
    );
}

/// The built-in page and script work together in Chromium as a villager uses them: the query
/// typed into the box finds the lesson, with no script error and no request leaving the site.
#[test]
fn the_built_in_search_page_finds_a_lesson_in_chromium() {
    let (chromium, node) = match chromium_and_node(&["playwright-core"]) {
        Ok(found) => found,
        Err(missing) => return skip(&missing),
    };
    let site = site_with_old_theme();
    site.build().ok();
    let server = StaticServer::start(&site.root().join("public"));
    let job = json!({
        "base": server.base, "chromium": chromium,
        "queries": [{"page": "/qunzhong/search/", "q": "借条"}],
    });
    let out = run_script(&node, "search.mjs", &job);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "search.mjs 失败：\n{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let search = &report["searches"][0];
    assert_eq!(search["errors"], json!([]), "{search}");
    assert_eq!(search["foreign"], json!([]), "{search}");
    let first = &search["results"][0];
    assert_eq!(first["path"], "/qunzhong/lessons/jietiao/", "{search}");
    assert_eq!(first["title"], "借条怎么写", "{search}");
}
