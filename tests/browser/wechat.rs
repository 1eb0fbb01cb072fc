//! The exported 公众号 article looks like the site's page, measured in Debian's Chromium at 375 px
//! (tests/browser/wechat.mjs, npm `playwright-core`): the article is loaded alone, without any
//! stylesheet, as the 公众号 editor keeps it, and every heading, paragraph, list item, table cell
//! and blockquote (and a notice's timeline) has the computed font size, weight, colour, line
//! height and margins of its counterpart on the site, within 1 px.
//!
//! Every sample lesson in each of its audiences' wording and every sample notice is compared.
//! Without Chromium, Node.js or the npm packages the test prints 已跳过 and passes; with
//! `QILI_REQUIRE_BROWSER=1` (CI) it fails.

use crate::common;
use common::browser::{chromium, chromium_and_node, node_with, skip, StaticServer};
use qili::render::wechat::{self, Theme};
use serde_json::Value;

/// Runs tests/browser/wechat.mjs on `job` and returns its report.
fn measure(job: &Value) -> Value {
    let node = node_with(&["playwright-core"]).expect("checked by the caller");
    let out = common::browser::run_script(&node, "wechat.mjs", job);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "wechat.mjs 失败（{}）：\n{stderr}",
        out.status
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("wechat.mjs 输出不是 JSON：{e}\n{stderr}"))
}

/// Text to pair elements up by: the article's reference markers and drawn task boxes removed.
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find(']') {
            Some(j) if j > 0 && after[..j].bytes().all(|b| b.is_ascii_digit()) => {
                rest = &after[j + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace("☐ ", "").replace("☑ ", "")
}

fn px(v: &Value) -> Option<f64> {
    v.as_str()?.strip_suffix("px")?.parse().ok()
}

/// How one element of the article differs from its counterpart on the site.
fn differences(site: &Value, article: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["fontWeight", "color"] {
        if site[key] != article[key] {
            out.push(format!("{key} {} ≠ {}", site[key], article[key]));
        }
    }
    for key in [
        "fontSize",
        "lineHeight",
        "marginTop",
        "marginRight",
        "marginBottom",
        "marginLeft",
    ] {
        let same = match (px(&site[key]), px(&article[key])) {
            (Some(a), Some(b)) => (a - b).abs() <= 1.0,
            _ => site[key] == article[key],
        };
        if !same {
            out.push(format!("{key} {} ≠ {}", site[key], article[key]));
        }
    }
    out
}

#[test]
fn exported_articles_look_like_the_site_in_chromium() {
    let chromium = match chromium() {
        Ok(c) => c,
        Err(missing) => return skip(&missing),
    };
    if let Err(missing) = node_with(&["playwright-core"]) {
        return skip(&missing);
    }
    let public = common::build_sample("wechat-browser-site");
    let site = common::sample_model();
    let theme = Theme::load(&common::repo(), &site.config.theme).expect("theme");
    // The articles sit beside the site so one server serves both.
    let dir = public.join("wechat-articles");
    std::fs::create_dir_all(&dir).unwrap();
    let mut pairs = Vec::new();
    for (i, (key, audience)) in wechat::articles(&site).iter().enumerate() {
        let e = wechat::export(&site, &theme, key, audience.as_deref())
            .unwrap_or_else(|d| panic!("{key}: {d}"));
        let page = format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
             <title>{i}</title></head><body>{}</body></html>",
            e.html
        );
        std::fs::write(dir.join(format!("{i}.html")), page).unwrap();
        let path = e
            .read_more_url
            .strip_prefix(site.config.base_url.trim_end_matches('/'))
            .expect("a page of the site")
            .to_string();
        pairs.push(serde_json::json!({
            "name": format!("{key} {}", audience.as_deref().unwrap_or("")),
            "site": path,
            "article": format!("/wechat-articles/{i}.html"),
            "timeline": audience.is_none(),
        }));
    }
    let server = StaticServer::start(&public);
    let report = measure(&serde_json::json!({
        "base": server.base,
        "chromium": chromium,
        "pairs": pairs,
    }));
    let measured = report["pairs"].as_array().expect("pairs");
    assert_eq!(measured.len(), pairs.len(), "wechat.mjs skipped articles");
    let mut problems = Vec::new();
    let mut compared = 0;
    for p in measured {
        let name = p["name"].as_str().unwrap_or_default();
        for which in ["site_status", "article_status"] {
            if p[which] != 200 {
                problems.push(format!("{name}：{which} {}", p[which]));
            }
        }
        let (site, article) = (p["site"].as_array(), p["article"].as_array());
        let (Some(site), Some(article)) = (site, article) else {
            problems.push(format!("{name}：没有测量结果"));
            continue;
        };
        if site.is_empty() || site.len() != article.len() {
            problems.push(format!(
                "{name}：网页有 {} 个文字元素，文章有 {} 个",
                site.len(),
                article.len()
            ));
            continue;
        }
        compared += site.len();
        for (s, a) in site.iter().zip(article) {
            let label = format!(
                "{name} <{}>「{}」",
                s["tag"].as_str().unwrap_or_default(),
                s["text"].as_str().unwrap_or_default()
            );
            let start = |v: &Value| -> String {
                plain(v["text"].as_str().unwrap_or_default())
                    .chars()
                    .take(8)
                    .collect()
            };
            if s["tag"] != a["tag"] || start(s) != start(a) {
                problems.push(format!(
                    "{label}：对不上文章的 <{}>「{}」",
                    a["tag"], a["text"]
                ));
                break;
            }
            for d in differences(s, a) {
                problems.push(format!("{label}：{d}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every article has some text to compare, most of them a good deal.
    assert!(
        compared > 10 * pairs.len(),
        "only {compared} elements compared"
    );
}

#[test]
fn reference_markers_and_task_boxes_do_not_count_when_pairing() {
    assert_eq!(plain("见民法典[12]和[注]☐ 待办"), "见民法典和[注]待办");
}

/// The text a reader sees in `html`: tags dropped, the entities the serializers write decoded,
/// white space collapsed.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_preview_button_shows_the_article_at_375_px_and_copies_it_as_rich_text() {
    let (chromium, node) = match chromium_and_node(&["playwright-core"]) {
        Ok(found) => found,
        Err(missing) => return skip(&missing),
    };
    let root = common::sample_copy();
    let server = common::serve::Server::start_on(root.path(), common::SAMPLE_TODAY);
    let key = "lessons/cai-li-fan-huan.md";
    let shot = std::env::var_os("QILI_SCREENSHOT");
    let out = common::browser::run_script(
        &node,
        "wechat_copy.mjs",
        &serde_json::json!({
            "base": format!("http://127.0.0.1:{}", server.port),
            "chromium": chromium,
            "page": "/qunzhong/lessons/cai-li-fan-huan/",
            "screenshot": shot.as_ref().map(|s| s.to_string_lossy().into_owned()),
        }),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "wechat_copy.mjs 失败：\n{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["button"], "复制到公众号");
    assert_eq!(
        report["foreign"],
        serde_json::json!([]),
        "requests off the machine"
    );
    let frame_width = report["frame"]["inner"].as_f64().unwrap_or_default();
    assert!(
        (frame_width - 375.0).abs() < 0.5,
        "frame {frame_width} px wide"
    );
    assert!(
        report["status"]
            .as_str()
            .unwrap_or_default()
            .starts_with("已复制"),
        "{}",
        report["status"]
    );
    let copied = report["clipboard"]["text/html"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(
        copied, report["frame"]["html"],
        "the clipboard holds what the frame shows"
    );
    assert!(copied.contains("style=\"") && !copied.contains("<script"));
    assert!(!report["clipboard"]["text/plain"]
        .as_str()
        .unwrap_or_default()
        .is_empty());

    // The same article `qili wechat` writes for the published site.
    let site = common::sample_model();
    let theme = Theme::load(&common::repo(), &site.config.theme).expect("theme");
    let export = wechat::export(&site, &theme, key, Some("qunzhong")).expect("export");
    assert_eq!(visible_text(copied), visible_text(&export.html));
    // Its references lead to the published site, not to the preview.
    assert!(!export.references.is_empty());
    for r in &export.references {
        assert!(copied.contains(&r.url), "{} missing", r.url);
        assert!(!r.url.contains("127.0.0.1"), "{}", r.url);
    }
}
