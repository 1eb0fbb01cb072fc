//! Hostile text in every field: `<script>`, quotes, `</title>`, `]]>` and template syntax put into
//! every front-matter string of a lesson, a notice and two regulation versions, into site.yaml and
//! into the bodies. It must come out as text everywhere: HTML text and attributes, the Atom feed,
//! the sitemap and the JSON of `qili check`. And raw HTML pasted from WeChat is sanitized unless
//! the site trusts it.

use crate::common;
use common::Site;

/// Everything that could break out of HTML text, an attribute, XML or a template.
const EVIL: &str = r#"<script>alert(1)</script> " ' </title> ]]> {{ x }} {% raw %} & <!-- 甲"#;

/// `EVIL` as a YAML double-quoted scalar (JSON strings are valid YAML).
fn y() -> String {
    serde_json::to_string(EVIL).unwrap()
}

/// `EVIL` as the theme escapes it for HTML text and attributes.
fn escaped() -> String {
    EVIL.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn site_yaml() -> String {
    let e = y();
    format!(
        "\
title: {e}
base_url: https://example.cn/
description: {e}
town: {{name: {e}}}
audiences:
  - {{id: lingdao, name: 党政领导, description: {e}}}
  - {{id: qunzhong, name: 基层群众}}
villages:
  - id: dongling
    name: {e}
    description: {e}
    contacts:
      - {{role: {e}, name: {e}, phone: {e}, note: {e}}}
supervision: {{body: {e}, phone: {e}, address: {e}}}
"
    )
}

fn body() -> String {
    format!("{EVIL}\n\n## {EVIL}\n\n`{EVIL}`\n\n```\n{EVIL}\n```\n\n- {EVIL}\n")
}

fn lesson() -> String {
    let e = y();
    format!(
        "---\ntitle: {e}\nslug: e\ndate: 2026-03-01\naudiences: [lingdao, qunzhong]\nsummary: {e}\ntags: [{e}]\nlaws: [{e}]\nvillage: dongling\n---\n{}",
        body()
    )
}

fn notice() -> String {
    let e = y();
    format!(
        "---
title: {e}
slug: e
village: dongling
date: 2026-03-10
summary: {e}
matter: {e}
kind: 公益事业
initiated_by: 村干部提议
steps:
  proposal: {{date: 2026-02-01, body: {e}, form: {e}, outcome: {e}}}
  deliberation: {{date: 2026-02-05, body: {e}, expected: 7, present: 7, for: 7, outcome: {e}}}
  party_review: {{date: 2026-02-10, expected: 31, present: 27, for: 25, outcome: {e}}}
  resolution:
    meeting: 村民代表会议
    date: 2026-02-20
    form: {e}
    expected: 35
    present: 30
    for: 28
    outcome: {e}
disclosure: {{from: 2026-03-10, to: 2026-03-24, place: {e}}}
result: {{date: 2026-04-01, content: {e}, amount: {e}, progress: {e}, supervision: {e}}}
signature: {{body: {e}, date: 2026-03-10}}
contact: {e}
tags: [{e}]
---
{}",
        body()
    )
}

fn regulation(version: &str, year: &str, article: &str) -> String {
    let e = y();
    format!(
        "---
title: {e}
village: dongling
version: \"{version}\"
summary: {e}
history:
  solicit: {{date: {year}-01-10, body: {e}, note: {e}}}
  draft: {{date: {year}-02-15, body: {e}, note: {e}}}
  review: {{date: {year}-03-01, body: {e}, note: {e}}}
  vote: {{date: {year}-03-20, meeting: 村民会议, expected: 820, present: 560, for: 540}}
  filing: {{date: {year}-04-01, body: {e}, note: {e}}}
effective: {year}-04-01
changes: {e}
---
## {EVIL}

1. {article}
2. {EVIL} 第二条。
"
    )
}

fn evil_site() -> Site {
    let site = Site::new();
    site.write("site.yaml", &site_yaml());
    site.write("content/lessons/e.md", &lesson());
    site.write("content/notices/e.md", &notice());
    site.write(
        "content/regulations/v2024.md",
        &regulation("2024", "2024", "旧的第一条。"),
    );
    site.write(
        "content/regulations/v2025.md",
        &regulation("2025", "2025", &format!("第一条：{EVIL} 新的第一条。")),
    );
    site
}

/// Every template of the repository's theme, to tell its own scripts from injected ones.
fn theme_text() -> String {
    walkdir::WalkDir::new(common::repo().join("themes"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect()
}

/// `<script src="/static/NAME.HASH.js">` for a `NAME.js` of the theme's static files.
fn is_theme_script(tag: &str) -> bool {
    let Some(file) = tag
        .strip_prefix("<script src=\"/static/")
        .and_then(|r| r.strip_suffix("\">"))
    else {
        return false;
    };
    let parts: Vec<&str> = file.split('.').collect();
    parts.len() == 3
        && parts[2] == "js"
        && parts[1].len() == 10
        && parts[1].chars().all(|c| c.is_ascii_hexdigit())
        && common::repo()
            .join("themes/default/static")
            .join(format!("{}.js", parts[0]))
            .is_file()
}

/// Every generated file with its text.
fn outputs(site: &Site) -> Vec<(String, String)> {
    let base = site.root().join("public");
    walkdir::WalkDir::new(&base)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(&base)
                .ok()?
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(e.path()).ok()?;
            (rel.ends_with(".html") || rel.ends_with(".xml")).then_some((rel, text))
        })
        .collect()
}

#[test]
fn hostile_text_in_every_field_comes_out_as_text() {
    let site = evil_site();
    site.qili(&["build", "--today", "2026-04-12"]).ok();
    let pages = outputs(&site);
    assert!(pages.len() > 10, "{} pages", pages.len());

    let theme = theme_text();
    for (name, text) in &pages {
        let lower = text.to_lowercase();
        // The only scripts are the theme's own, character for character, or one of its
        // static files under its hashed name.
        for (i, _) in lower.match_indices("<script") {
            let end = lower[i..].find("</script>").map_or(lower.len(), |e| i + e);
            let tag = &text[i..end];
            assert!(theme.contains(tag) || is_theme_script(tag), "{name}: {tag}");
        }

        assert!(!lower.contains("<!--"), "{name} has an unescaped comment");
        assert!(!text.contains(EVIL), "{name} has the text unescaped");
        if name.ends_with(".html") {
            // The only `</title>` is the one that closes the page title.
            assert_eq!(lower.matches("</title>").count(), 1, "{name}");
        }
    }

    let esc = escaped();
    for page in [
        "lingdao/lessons/e/index.html",
        "qunzhong/lessons/e/index.html",
        "villages/dongling/notices/e/index.html",
        "villages/dongling/guiyue/index.html",
    ] {
        let html = site.public(page);
        for attr in [
            format!("<meta property=\"og:title\" content=\"{esc}\">"),
            format!("<meta name=\"description\" content=\"{esc}\">"),
            format!("<meta property=\"og:description\" content=\"{esc}\">"),
        ] {
            assert!(html.contains(&attr), "{page}: {attr}");
        }
        // Page title and site title are the same text here, so the title shows it once.
        assert!(html.contains(&format!("<title>{esc}</title>")), "{page}");
        assert!(
            html.contains("{{ x }}") && html.contains("{% raw %}"),
            "{page}"
        );
    }
    // In the Markdown body too: text, heading, code, list item.
    let lesson = site.public("qunzhong/lessons/e/index.html");
    assert!(lesson.matches(&esc).count() >= 5, "{lesson}");
    // Every notice field.
    let notice = site.public("villages/dongling/notices/e/index.html");
    assert!(notice.matches(&esc).count() >= 15, "{notice}");
    // The article, and the comparison of the two versions, show the changed article as text.
    let current = site.public("villages/dongling/guiyue/index.html");
    assert!(current.matches("新的第一条。").count() >= 2, "{current}");
    assert!(current.contains("]]&gt; {{ x }} {% raw %} &amp; &lt;!-- 甲 新的第一条。"));

    // The feed and the sitemap are well-formed XML, and the text survives a round trip.
    let feed = site.public("feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap_or_else(|e| panic!("feed.xml: {e}"));
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.contains(&EVIL), "feed titles: {titles:?}");
    assert!(titles.iter().any(|t| t.starts_with(EVIL)), "site title");
    let summaries: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("summary"))
        .filter_map(|n| n.text())
        .collect();
    assert!(summaries.iter().any(|s| s.ends_with(EVIL)), "{summaries:?}");
    let author = doc
        .descendants()
        .find(|n| n.has_tag_name("name"))
        .and_then(|n| n.text());
    assert_eq!(author, Some(EVIL), "village name as the entry's author");

    let sitemap = site.public("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap_or_else(|e| panic!("sitemap.xml: {e}"));
    let locs = doc.descendants().filter(|n| n.has_tag_name("loc")).count();
    assert!(locs > 10, "{locs} URLs");
}

#[test]
fn check_json_stays_json_with_hostile_text_in_messages() {
    let site = evil_site();
    let e = y();
    // Findings whose messages quote the editor's text.
    site.write(
        "content/lessons/bad.md",
        &format!("---\ntitle: 坏\ndate: 2026-03-01\naudiences: [{e}]\nvillage: {e}\n---\n[x](@/lessons/{}.md)\n", "%3Cscript%3E"),
    );
    let run = site.qili(&["check", "--today", "2026-04-12", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|err| panic!("not JSON ({err}):\n{}", run.stdout));
    let messages: Vec<&str> = v
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        messages.iter().filter(|m| m.contains(EVIL)).count() >= 2,
        "{messages:?}"
    );
    for d in v.as_array().unwrap() {
        for key in [
            "code", "severity", "file", "line", "column", "message", "law",
        ] {
            assert!(d.get(key).is_some(), "{key} in {d}");
        }
    }
}

/// What an editor gets by pasting a WeChat article into a lesson.
const PASTED: &str = "\
<section style=\"margin:0;background-image:url(https://mmbiz.qpic.cn/bg.png)\"><p><span style=\"color:#c00\" onclick=\"track()\"><strong>注意</strong>：宅基地不能买卖</span></p></section>

<p><img src=\"https://mmbiz.qpic.cn/mmbiz_png/x/640?wx_fmt=png\" data-src=\"https://mmbiz.qpic.cn/y\"><img src=\"/static/ok.png\" alt=\"图\"></p>

<script>track()</script><iframe src=\"https://v.qq.com/iframe/player.html?vid=x\"></iframe>

<p><a href=\"javascript:track()\">阅读原文</a></p>
";

#[test]
fn pasted_wechat_markup_is_sanitized_by_default() {
    let site = Site::new();
    site.lesson("w", &common::lesson_front("粘贴", "qunzhong"), PASTED);
    site.build().ok();
    let page = site.public("qunzhong/lessons/w/index.html");
    assert!(
        page.contains("<strong>注意</strong>：宅基地不能买卖"),
        "{page}"
    );
    assert!(page.contains("src=\"/static/ok.png\""), "{page}");
    for gone in [
        "mmbiz",
        "onclick",
        "track",
        "<script>track",
        "<iframe",
        "v.qq.com",
        "javascript",
        "data-src",
        "color:#c00",
    ] {
        assert!(!page.contains(gone), "{gone}: {page}");
    }
}

#[test]
fn a_site_that_trusts_its_editors_passes_html_through() {
    let site = Site::new();
    site.write(
        "site.yaml",
        &format!("{}allow_html: true\n", common::SITE_YAML),
    );
    site.lesson("w", &common::lesson_front("粘贴", "qunzhong"), PASTED);
    site.build().ok();
    let page = site.public("qunzhong/lessons/w/index.html");
    assert!(
        page.contains("<span style=\"color:#c00\" onclick=\"track()\">"),
        "{page}"
    );
    assert!(page.contains("<iframe src=\"https://v.qq.com/iframe/player.html?vid=x\"></iframe>"));
}
