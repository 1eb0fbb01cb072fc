//! End-to-end: `qili build` on small fixture sites.

use crate::common;
use common::{lesson_front, Site};

const VARIANT_BODY: &str = "\
共同的开头。

::: qunzhong
大白话版本。
:::
::: 其他
正式版本。
:::
";

#[test]
fn writes_portal_homes_lessons_sitemap_feed_and_404() {
    let site = Site::new();
    site.lesson("a", &lesson_front("第一课", "lingdao, qunzhong"), "正文\n");
    site.build().ok();
    for page in [
        "index.html",
        "lingdao/index.html",
        "ganbu/index.html",
        "qunzhong/index.html",
        "lingdao/lessons/a/index.html",
        "qunzhong/lessons/a/index.html",
        "villages/index.html",
        "villages/dongling/index.html",
        "404.html",
        "robots.txt",
    ] {
        assert!(site.exists(page), "{page}");
    }
    assert!(!site.exists("ganbu/lessons/a/index.html"), "not for ganbu");
    let sitemap = site.public("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.cn/qunzhong/lessons/a/</loc>"));
    assert!(!sitemap.contains("404"));
    assert!(site.public("feed.xml").starts_with("<?xml"));
    let portal = site.public("index.html");
    assert!(portal.contains("href=\"/lingdao/\"") && portal.contains("基层群众"));
}

#[test]
fn audience_variants_land_in_their_pages_and_fall_back() {
    let site = Site::new();
    site.lesson(
        "v",
        &lesson_front("变体", "lingdao, ganbu, qunzhong"),
        VARIANT_BODY,
    );
    site.build().ok();
    let q = site.public("qunzhong/lessons/v/index.html");
    assert!(q.contains("大白话版本") && !q.contains("正式版本") && q.contains("共同的开头"));
    for aud in ["lingdao", "ganbu"] {
        let p = site.public(&format!("{aud}/lessons/v/index.html"));
        assert!(p.contains("正式版本") && !p.contains("大白话版本"), "{aud}");
        assert!(p.contains("共同的开头"));
    }
}

#[test]
fn each_audience_uses_its_own_template_when_the_theme_has_one() {
    let site = Site::new();
    site.lesson(
        "t",
        &lesson_front("模板", "ganbu, qunzhong, lingdao"),
        "- [ ] 第一项\n",
    );
    site.build().ok();
    assert!(site
        .public("qunzhong/lessons/t/index.html")
        .contains("遇到这事找谁"));
    assert!(site
        .public("ganbu/lessons/t/index.html")
        .contains("对照下面的清单"));
    assert!(!site
        .public("lingdao/lessons/t/index.html")
        .contains("遇到这事找谁"));
    assert!(site.public("qunzhong/index.html").contains("aud-qunzhong"));
}

#[test]
fn drafts_are_skipped_unless_asked_for() {
    let site = Site::new();
    let front = format!("{}\ndraft: true", lesson_front("草稿", "qunzhong"));
    site.lesson("d", &front, "x\n");
    site.build().ok();
    assert!(!site.exists("qunzhong/lessons/d/index.html"));
    site.qili(&["build", "--drafts"]).ok();
    assert!(site.exists("qunzhong/lessons/d/index.html"));
}

#[test]
fn broken_internal_link_names_file_line_and_code() {
    let site = Site::new();
    site.lesson(
        "a",
        &lesson_front("甲", "qunzhong"),
        "第一行\n\n看[这里](@/lessons/nope.md)\n",
    );
    // Front matter is lines 1-6, the body starts on line 7.
    site.build().fails_with("E206", "content/lessons/a.md:9:2");
}

#[test]
fn broken_anchor_is_an_error_and_good_anchor_resolves() {
    let site = Site::new();
    site.lesson("b", &lesson_front("乙", "qunzhong"), "## 找谁\n\n内容\n");
    site.lesson(
        "a",
        &lesson_front("甲", "qunzhong"),
        "[好](@/lessons/b.md#zhao-shui)\n\n[坏](@/lessons/b.md#mei-you)\n",
    );
    site.build().fails_with("E207", "content/lessons/a.md:9:1");
    site.lesson(
        "a",
        &lesson_front("甲", "qunzhong"),
        "[好](@/lessons/b.md#zhao-shui)\n",
    );
    site.build().ok();
    assert!(site
        .public("qunzhong/lessons/a/index.html")
        .contains("href=\"/qunzhong/lessons/b/#zhao-shui\""));
}

#[test]
fn unknown_audience_is_an_error_at_its_line() {
    let site = Site::new();
    site.lesson("a", &lesson_front("甲", "qunzhong, cunmin"), "x\n");
    let run = site.build();
    run.fails_with("E203", "content/lessons/a.md:4:1");
    assert!(run.stderr.contains("cunmin"));
}

#[test]
fn unknown_front_matter_key_suggests_the_right_one() {
    let site = Site::new();
    site.lesson(
        "a",
        "title: 甲\ndate: 2026-03-01\naudiences: [qunzhong]\nsumary: 摘要",
        "x\n",
    );
    let run = site.build();
    run.fails_with("E102", "content/lessons/a.md:5:1");
    assert!(run.stderr.contains("summary"), "{}", run.stderr);
}

#[test]
fn slug_collision_names_both_files() {
    let site = Site::new();
    site.lesson(
        "a",
        &format!("{}\nslug: same", lesson_front("甲", "qunzhong")),
        "x\n",
    );
    site.lesson(
        "b",
        &format!("{}\nslug: same", lesson_front("乙", "qunzhong")),
        "x\n",
    );
    let run = site.build();
    run.fails_with("E202", "content/lessons/b.md:6:1");
    assert!(
        run.stderr.contains("content/lessons/a.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn hostile_slugs_are_refused() {
    for bad in ["../x", "/etc", "a/b", "Ab"] {
        let site = Site::new();
        let front = format!("{}\nslug: \"{bad}\"", lesson_front("甲", "qunzhong"));
        site.lesson("a", &front, "x\n");
        site.build().fails_with("E201", "content/lessons/a.md:6:1");
        assert!(!site.root().join("x").exists() && !site.root().join("public").exists());
    }
}

#[test]
fn template_error_names_template_and_line() {
    let site = Site::new();
    site.lesson("a", &lesson_front("甲", "qunzhong"), "x\n");
    site.write("templates/lesson.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title | }}\n{% endblock content %}\n");
    site.build().fails_with("E401", "templates/lesson.html:3:");
    site.write("templates/lesson.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.missing_value }}\n{% endblock content %}\n");
    site.build().fails_with("E402", "templates/lesson.html:3:");
}

#[test]
fn failed_build_leaves_previous_output_byte_for_byte() {
    let site = Site::new();
    site.lesson("a", &lesson_front("甲", "qunzhong"), "x\n");
    site.build().ok();
    let before = site.snapshot();
    assert!(before.len() > 10);
    site.lesson(
        "a",
        &lesson_front("甲", "qunzhong"),
        "[坏](@/lessons/none.md)\n",
    );
    site.lesson("b", &lesson_front("乙", "qunzhong"), "新页面\n");
    site.build().fails_with("E206", "content/lessons/a.md");
    assert_eq!(
        site.snapshot(),
        before,
        "output unchanged after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy() == ".public.staging")
        .collect();
    assert!(leftovers.is_empty(), "staging folder put aside");
}

#[test]
fn all_errors_are_reported_in_one_run() {
    let site = Site::new();
    site.lesson("a", &lesson_front("甲", "cunmin"), "x\n");
    site.lesson(
        "b",
        "title: 乙\ndate: 2026-02-30\naudiences: [qunzhong]",
        "x\n",
    );
    site.lesson(
        "c",
        &lesson_front("丙", "qunzhong"),
        "[x](@/lessons/zz.md)\n",
    );
    let run = site.build();
    for code in ["E203", "E105", "E206"] {
        assert!(run.stderr.contains(code), "{code} missing:\n{}", run.stderr);
    }
    assert!(run.stderr.contains("2026-02-30"));
}

#[test]
fn bom_and_crlf_sources_are_accepted() {
    let site = Site::new();
    site.write(
        "content/lessons/w.md",
        "\u{feff}---\r\ntitle: 视窗\r\ndate: 2026-03-01\r\naudiences: [qunzhong]\r\n---\r\n## 标题\r\n正文\r\n",
    );
    site.build().ok();
    assert!(site
        .public("qunzhong/lessons/w/index.html")
        .contains("id=\"biao-ti\""));
}

#[test]
fn content_is_escaped_in_html_attributes_and_feed() {
    let site = Site::new();
    let evil = r#""><script>alert(1)</script>"#;
    let front =
        format!("title: '{evil}'\ndate: 2026-03-01\naudiences: [qunzhong]\nsummary: '{evil}'");
    site.lesson("e", &front, "<script>alert(2)</script>\n");
    site.build().ok();
    let page = site.public("qunzhong/lessons/e/index.html");
    assert!(!page.contains("<script>"), "{page}");
    assert!(page.contains("&lt;script&gt;"));
    assert!(page.contains("content=\"&quot;&gt;&lt;script&gt;"));
}

#[test]
fn base_url_override_and_subpath() {
    let site = Site::new();
    site.lesson("a", &lesson_front("甲", "qunzhong"), "x\n");
    site.qili(&["build", "--base-url", "https://town.example.cn/qili"])
        .ok();
    let page = site.public("qunzhong/lessons/a/index.html");
    assert!(page.contains("href=\"https://town.example.cn/qili/qunzhong/lessons/a/\""));
    assert!(page.contains("href=\"/qili/static/style."));
}

#[test]
fn usage_errors_exit_2_and_version_prints() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qili"))
        .args(["build", "--today", "2026-13-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qili"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("qili"));
}

#[test]
fn missing_site_yaml_is_a_clear_error() {
    let site = Site::new();
    std::fs::remove_file(site.root().join("site.yaml")).unwrap();
    site.build().fails_with("E001", "site.yaml");
}

#[test]
fn the_leaders_home_links_the_overview_only_when_the_site_has_it() {
    let site = Site::new();
    site.lesson("a", &lesson_front("课", "lingdao"), "正文\n");
    site.build().ok();
    assert!(!site.exists("lingdao/overview/index.html"));
    let home = site.public("lingdao/index.html");
    assert!(home.contains("各村（社区）概况"), "the leaders' home page");
    assert!(!home.contains("overview/"), "a link to a page not built");
}

/// A page whose text only has warnings is written like any other: the build succeeds, so every
/// page it links to must be there (it once left such a page out, and its links led nowhere).
#[test]
fn a_page_with_only_warnings_is_written() {
    let site = Site::new();
    site.lesson(
        "tu",
        &lesson_front("外部图片", "qunzhong"),
        "正文\n\n![图](https://example.com/a.png)\n",
    );
    let run = site.build();
    run.ok();
    assert!(run.stderr.contains("W211"), "{}", run.stderr);
    let page = site.public("qunzhong/lessons/tu/index.html");
    assert!(page.contains("https://example.com/a.png"), "{page}");
}
