//! Exports of small sites built in memory with the repository's default theme.

use super::tokens::{tokenize, Tok};
use super::*;
use crate::config::SiteConfig;
use crate::load::{Kind, Source};
use crate::model::date::Date;

const SITE_YAML: &str = "\
title: 测试镇法治课堂
base_url: https://example.cn/qili/
town: {name: 测试镇}
audiences:
  - {id: lingdao, name: 党政领导}
  - {id: ganbu, name: 村组干部}
  - {id: qunzhong, name: 基层群众}
villages:
  - {id: dongling, name: 东岭村}
";

/// Hostile text as in tests/suite/escaping.rs and tests/browser/hostile.rs.
const EVIL: &str = r#"<script>alert(1)</script> " ' </title> ]]> {{ x }} {% raw %} & <!-- 甲"#;
const HANDLER: &str = "<img src=x onerror=\"document.body.id=String.fromCharCode(88,88,88)\">";
const LINK: &str = "[点我](javascript:document.body.id=String.fromCharCode(89,89,89))";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn theme() -> Theme {
    Theme::load(repo(), "default").expect("default theme")
}

fn site(yaml: &str, files: &[(&str, String)]) -> Site {
    let config = SiteConfig::parse(yaml).expect("site.yaml");
    let sources = files
        .iter()
        .map(|(key, text)| Source {
            kind: if key.starts_with("notices/") {
                Kind::Notice
            } else {
                Kind::Lesson
            },
            key: key.to_string(),
            file: format!("content/{key}"),
            path: format!("content/{key}").into(),
            text: text.clone(),
        })
        .collect();
    let opts = crate::model::Options {
        drafts: false,
        today: Date::parse("2026-04-12").unwrap(),
    };
    let (site, problems) = Site::build(config, sources, &opts);
    assert!(problems.iter().all(|d| !d.is_error()), "{problems:?}");
    site
}

fn lesson(title: &str, summary: &str, body: &str) -> String {
    format!(
        "---\ntitle: {}\ndate: 2026-03-01\naudiences: [qunzhong, ganbu]\nsummary: {}\nvillage: dongling\nlaws: [民法典]\n---\n{body}",
        serde_json::to_string(title).unwrap(),
        serde_json::to_string(summary).unwrap()
    )
}

const BODY: &str = "\
## 法律怎么说

先看[民法典](https://flk.npc.gov.cn/a.html)，再看[另一课](@/lessons/b.md)和[本页](#fa-lu-zen-me-shuo)，
电话 [12348](tel:12348)，又见[民法典原文](https://flk.npc.gov.cn/a.html)。

![示意图](/qili/static/a.png)

> 引用

| 甲 | 乙 |
|---|---|
| 1 | 2 |

- [ ] 待办
- [x] 已办

::: qunzhong
群众版的话。
:::
::: ganbu
干部版的话。
:::
";

fn sample() -> Site {
    site(
        SITE_YAML,
        &[
            ("lessons/a.md", lesson("借条", "摘要", BODY)),
            ("lessons/b.md", lesson("另一课", "摘要", "正文\n")),
        ],
    )
}

/// Start tags of `html` with their attributes.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    tokenize(html)
        .into_iter()
        .filter_map(|t| match t {
            Tok::Start { name, attrs, .. } => Some((name, attrs)),
            _ => None,
        })
        .collect()
}

/// Nothing the 公众号 editor drops or rejects, whatever the content was.
#[track_caller]
fn assert_clean(html: &str) {
    for (name, attrs) in tags(html) {
        assert!(
            !["style", "script", "link", "a", "iframe", "svg", "img"].contains(&name.as_str())
                || (name == "img" && attrs.iter().any(|(k, _)| k == "src")),
            "<{name}> in {html}"
        );
        for (k, v) in attrs {
            assert!(
                ["style", "src", "alt", "colspan", "rowspan", "start"].contains(&k.as_str()),
                "<{name} {k}> in {html}"
            );
            if k == "style" {
                for (prop, value) in super::css::declarations(&v) {
                    let bad = [
                        "position",
                        "transform",
                        "-webkit-transform",
                        "gap",
                        "top",
                        "left",
                    ];
                    assert!(
                        !bad.contains(&prop.as_str())
                            && !prop.starts_with("--")
                            && !value.contains("var("),
                        "<{name} style=\"{v}\">"
                    );
                }
            }
            if k == "src" {
                assert!(v.starts_with("https://"), "<{name} src=\"{v}\">");
            }
        }
    }
    for needle in [
        "<style", "<script", "<link", "<svg", " class=", " id=", "href=",
    ] {
        assert!(!html.contains(needle), "{needle} in {html}");
    }
}

#[test]
fn a_lesson_exports_with_inline_styles_only_and_numbered_references() {
    let site = sample();
    let e = export(&site, &theme(), "lessons/a.md", Some("qunzhong")).unwrap();
    assert_clean(&e.html);
    assert_eq!(e.title, "借条");
    assert_eq!(e.digest, "摘要");
    assert_eq!(
        e.read_more_url,
        "https://example.cn/qili/qunzhong/lessons/a/"
    );
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    // The audience's wording, the theme's look, no page title (the 公众号 shows it).
    assert!(e.html.contains("群众版的话") && !e.html.contains("干部版的话"));
    assert!(e.html.starts_with("<section style=\""), "{}", e.html);
    assert!(
        e.html.contains("font-size:19px"),
        "the 群众 size of the theme"
    );
    assert!(e.html.contains("<h2 style=\""), "{}", e.html);
    assert!(!e.html.contains("<h1"));
    // Every web link is a numbered reference, the same address once, in the order read (the
    // village under the title first); in-page and tel: links are text.
    assert!(e.html.contains("东岭村[1]"), "{}", e.html);
    assert!(e.html.contains("民法典[2]"));
    assert!(e.html.contains("另一课[3]"));
    assert!(e.html.contains("本页，") && e.html.contains("12348，"));
    assert!(e.html.contains("民法典原文[2]"));
    assert!(e.html.contains("[2] 民法典：https://flk.npc.gov.cn/a.html"));
    assert!(e
        .html
        .contains("[3] 另一课：https://example.cn/qili/qunzhong/lessons/b/"));
    let urls: Vec<&str> = e.references.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://example.cn/qili/villages/dongling/",
            "https://flk.npc.gov.cn/a.html",
            "https://example.cn/qili/qunzhong/lessons/b/",
            "https://example.cn/qili/villages/",
        ]
    );
    // Pictures keep an absolute address; tables and quotes their look.
    assert!(e
        .html
        .contains("src=\"https://example.cn/qili/static/a.png\""));
    assert!(e.html.contains("<td style=\"") && e.html.contains("<blockquote style=\""));
    assert!(e.html.contains("☐ 待办") && e.html.contains("☑ 已办"));
    // Site navigation stays on the site.
    assert!(!e.html.contains("其他版本"));
}

fn notice(title: &str, summary: &str, body: &str) -> String {
    format!(
        "---
title: {}
village: dongling
date: 2026-03-10
summary: {}
matter: 修渠
kind: 公益事业
initiated_by: 村干部提议
steps:
  proposal: {{date: 2026-02-01, body: 村党支部}}
  deliberation: {{date: 2026-02-05, expected: 7, present: 7, for: 7}}
  party_review: {{date: 2026-02-10, expected: 31, present: 27, for: 25}}
  resolution: {{meeting: 村民代表会议, date: 2026-02-20, expected: 35, present: 30, for: 28, outcome: 通过}}
disclosure: {{from: 2026-03-10, to: 2026-03-20, place: 村务公开栏}}
signature: {{body: 东岭村民委员会, date: 2026-03-10}}
contact: 村委会 0000-1234567
---
{body}",
        serde_json::to_string(title).unwrap(),
        serde_json::to_string(summary).unwrap()
    )
}

#[test]
fn a_notice_exports_with_its_timeline_and_disclosure_period() {
    let site = site(
        SITE_YAML,
        &[(
            "notices/q.md",
            notice(
                "东岭村修渠",
                "修渠的决议",
                "决议正文，见[图纸](/qili/static/t.pdf)。\n",
            ),
        )],
    );
    let e = export(&site, &theme(), "notices/q.md", None).unwrap();
    assert_clean(&e.html);
    assert_eq!(
        e.read_more_url,
        "https://example.cn/qili/villages/dongling/notices/q/"
    );
    for text in [
        "办理过程",
        "村党组织提议",
        "应到 35人，实到 30人；赞成 28，反对 0，弃权 0",
        "公示期：",
        "2026年3月10日 至 2026年3月20日",
        "决议公开",
        "（11 天） · 村务公开栏",
        "决议正文",
        "东岭村民委员会",
        "[2] 图纸：https://example.cn/qili/static/t.pdf",
    ] {
        assert!(e.html.contains(text), "{text} in {}", e.html);
    }
    // The timeline keeps its look: the red line down its side.
    assert!(e.html.contains("<ol style=\"padding-left:0;list-style:none;border-left:3px solid #c0392b;margin-left:6px\">"), "{}", e.html);
    assert!(!e.html.contains("A3 海报"), "print links stay on the site");
    let err = export(&site, &theme(), "notices/q.md", Some("qunzhong")).unwrap_err();
    assert_eq!(err.code, "E215");
}

fn evil_lesson(html_allowed: bool) -> Export {
    let q = |s: &str| serde_json::to_string(s).unwrap();
    let evil = format!("{EVIL} {HANDLER}");
    // The body as tests/suite/escaping.rs has it (its `<!--` hides the rest on the site too), after
    // raw HTML that is active unless sanitized.
    let body = format!(
        "<svg onload=\"document.body.id=1\"></svg><style>p{{position:fixed}}</style>\
         <a href=\"javascript:alert(1)\" onclick=\"x()\" class=\"c\" id=\"i\">甲</a>\
         <p style=\"color:var(--x);transform:rotate(1deg)\">乙</p>\n\n{HANDLER}\n\n{LINK}\n\n\
         {EVIL}\n\n## {EVIL}\n\n`{EVIL}`\n\n```\n{EVIL}\n```\n\n- {EVIL}\n"
    );
    let lesson = format!(
        "---\ntitle: {}\ndate: 2026-03-01\naudiences: [qunzhong]\nsummary: {}\ntags: [{}]\nlaws: [{}]\n---\n{body}",
        q(&evil), q(&evil), q(&evil), q(&evil)
    );
    let yaml = if html_allowed {
        format!("{SITE_YAML}allow_html: true\n")
    } else {
        SITE_YAML.to_string()
    };
    let site = site(&yaml, &[("lessons/e.md", lesson)]);
    export(&site, &theme(), "content/lessons/e.md", None).unwrap()
}

#[test]
fn hostile_text_exports_as_text_and_nothing_active_survives() {
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
    for allowed in [false, true] {
        let e = evil_lesson(allowed);
        assert_clean(&e.html);
        assert!(e.html.contains(escaped), "{}", e.html);
        assert!(
            e.title.starts_with("<script>"),
            "the title is text for the editor's field"
        );
        assert!(!e.html.contains("javascript"), "{}", e.html);
        assert!(
            e.html.contains("{{ x }} {% raw %} &amp; &lt;!-- 甲"),
            "template syntax is text"
        );
        assert!(e.html.contains("乙"), "{}", e.html);
    }
}

#[test]
fn a_hostile_notice_exports_as_text() {
    let e = serde_json::to_string(&format!("{EVIL} {HANDLER}")).unwrap();
    let text = notice(EVIL, EVIL, &format!("{LINK}\n\n{HANDLER}\n\n{EVIL}\n"))
        .replace("村务公开栏", &e)
        .replace("outcome: 通过", &format!("outcome: {e}, form: {e}"))
        .replace("body: 村党支部", &format!("body: {e}"))
        .replace("contact: 村委会 0000-1234567", &format!("contact: {e}"));
    let site = site(SITE_YAML, &[("notices/e.md", text)]);
    let e = export(&site, &theme(), "notices/e.md", None).unwrap();
    assert_clean(&e.html);
    assert!(e.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!e.html.contains("javascript"));
    assert!(e.html.contains("办理过程"), "{}", e.html);
}

#[test]
fn title_and_digest_lengths_warn_past_the_limit_with_the_count() {
    let long = |n: usize| "字".repeat(n);
    let site = site(
        SITE_YAML,
        &[
            ("lessons/ok.md", lesson(&long(64), &long(120), "正文\n")),
            ("lessons/long.md", lesson(&long(65), &long(121), "正文\n")),
        ],
    );
    let ok = export(&site, &theme(), "lessons/ok.md", None).unwrap();
    assert!(ok.warnings.is_empty(), "{:?}", ok.warnings);
    let long = export(&site, &theme(), "lessons/long.md", None).unwrap();
    let codes: Vec<(&str, &str, usize)> = long
        .warnings
        .iter()
        .map(|d| (d.code, d.message.as_str(), d.line))
        .collect();
    assert_eq!(
        codes,
        [
            ("W212", "标题有 65 个字，公众号文章的标题最多 64 字", 2),
            ("W213", "摘要有 121 个字，公众号文章的摘要最多 120 字", 5),
        ]
    );
    assert_eq!(long.title.chars().count(), 65, "reported, not cut");
}

#[test]
fn sources_are_found_by_key_or_path_and_audiences_checked() {
    let site = sample();
    for path in [
        "lessons/a.md",
        "content/lessons/a.md",
        "./content/lessons/a.md",
        "/home/town/site/content/lessons/a.md",
        "content\\lessons\\a.md",
    ] {
        assert_eq!(find(&site, path), Some(DocId::Lesson(0)), "{path}");
    }
    assert_eq!(find(&site, "xcontent/lessons/a.md"), None);
    let t = theme();
    let err = |s: &str, a: Option<&str>| export(&site, &t, s, a).unwrap_err();
    assert_eq!(err("lessons/none.md", None).code, "E214");
    let e = err("lessons/a.md", Some("lingdao"));
    assert_eq!(e.code, "E215");
    assert_eq!(
        e.message,
        "课程「借条」没有「lingdao」版，它的受众是：qunzhong、ganbu"
    );
    // No audience: the lesson's first.
    let e = export(&site, &t, "lessons/a.md", None).unwrap();
    assert!(e.read_more_url.ends_with("/qunzhong/lessons/a/"));
    let ganbu = export(&site, &t, "lessons/a.md", Some("ganbu")).unwrap();
    assert!(ganbu.html.contains("干部版的话") && !ganbu.html.contains("群众版的话"));
    assert_eq!(articles(&site).len(), 4);
}

#[test]
fn css_variables_resolve_or_go_and_rejected_layouts_are_dropped() {
    let css = ":root{--ink:#123456}\
               p{color:var(--ink);position:relative;-webkit-transform:none;transform:none}\
               h2{color:var(--missing);display:flex;gap:4px;margin:0}\
               li{color:var(--missing, #654321)}";
    let templates = Templates::load(repo(), "default", false).unwrap();
    let assets = Assets::load(&repo().join("themes/default/static")).unwrap();
    let theme = Theme::new(templates, assets, css.to_string());
    let e = export(&sample(), &theme, "lessons/a.md", None).unwrap();
    assert_clean(&e.html);
    assert!(e.html.contains("<p style=\"color:#123456\">"), "{}", e.html);
    assert!(
        e.html.contains("<h2 style=\"display:flex;margin:0\">"),
        "{}",
        e.html
    );
    assert!(
        e.html.contains("<li style=\"color:#654321\">"),
        "{}",
        e.html
    );
}

#[test]
fn a_page_address_names_its_article() {
    let site = sample();
    let url = site.lessons[0].url("ganbu");
    assert_eq!(
        at_url(&site, &format!("/{url}")),
        Some(("lessons/a.md".to_string(), Some("ganbu".to_string())))
    );
    // No 党政领导 version of this lesson, and pages that are not articles, name nothing.
    assert_eq!(at_url(&site, &url.replace("ganbu", "lingdao")), None);
    assert_eq!(at_url(&site, "/"), None);
    assert_eq!(at_url(&site, "/villages/"), None);
}
