//! Search as a villager uses it: in Debian's Chromium at 375 px with WeChat's Android user agent,
//! each query of [`TABLE`] (issue #24) is typed into the search box of the sample site and sent with the
//! Enter key (tests/browser/search.mjs), and the page that answers it must be among the first
//! three results (at least 90% of them; nothing for 7 of 8 the site cannot answer), in the
//! order src/search/query.rs ranks them; no request may leave the site; the bytes fetched for one query (page, style
//! sheet, script, shards, chunks, each gzipped as a server sends it) stay within 60 KB.
//! A small site of its own holds the ranking rules to account, and the script's tokens and
//! shard hashes are compared with src/search/ on the same strings.
//!
//! Without Chromium, Node.js or playwright-core these tests print 已跳过 and pass; with
//! `QILI_REQUIRE_BROWSER=1` (CI) they fail.

use crate::common;
use common::browser::{chromium, node_with, run_script, skip, StaticServer};
use common::search::{gzipped, index_requests, outcome, Sort, Tally, QUNZHONG, TABLE};
use serde_json::{json, Value};
use std::path::Path;

/// Bytes one query may cost on the sample site, gzipped.
const SAMPLE_BUDGET: usize = 60 * 1024;

/// Strings whose tokens and shard hashes the script and src/search/ must agree on.
const TOKEN_STRINGS: &[&str] = &[
    "《中华人民共和国民法典》第一千零四十二条",
    "拨打１２３４８或 12348",
    "ＡＰＰ、App 和 app",
    "0937-0000101",
    "“外嫁女”，还分不分红？",
    "第27条 第二十七条",
    "宅",
    "𠀀𠀁 Ünïcode ΑΒΓ",
];

fn tools() -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let chromium = match chromium() {
        Ok(c) => c,
        Err(missing) => {
            skip(&missing);
            return None;
        }
    };
    match node_with(&["playwright-core"]) {
        Ok(node) => Some((chromium, node)),
        Err(missing) => {
            skip(&missing);
            None
        }
    }
}

fn run(node: &Path, job: &Value) -> Value {
    let out = run_script(node, "search.mjs", job);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "search.mjs 失败：\n{stderr}");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("search.mjs 输出不是 JSON：{e}\n{stderr}"))
}

fn results(s: &Value) -> Vec<&str> {
    s["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["path"].as_str())
        .collect()
}

#[test]
fn villagers_queries_find_their_page_in_the_first_three_within_the_byte_budget() {
    let Some((chromium, node)) = tools() else {
        return;
    };
    let public = common::build_sample("search-browser");
    let server = StaticServer::start(&public);
    let queries: Vec<Value> = TABLE
        .iter()
        .map(|(page, _, q, _)| json!({"page": page, "q": q}))
        .collect();
    let report = run(
        &node,
        &json!({
            "base": server.base, "chromium": chromium, "queries": queries,
            "dazi": {"page": QUNZHONG, "q": "彩礼"},
        }),
    );
    let searches = report["searches"].as_array().expect("searches");
    assert_eq!(searches.len(), TABLE.len());
    let mut problems = Vec::new();
    let mut largest = (0, String::new());
    let mut tally = Tally::default();
    for (row, s) in TABLE.iter().zip(searches) {
        let (page, sort, q, answers) = row;
        let found: Vec<String> = results(s).into_iter().map(String::from).collect();
        let status = s["status"].as_str().unwrap_or_default();
        tally.add(row, &found);
        // The script and src/search/query.rs rank alike: the same list, in the same order.
        let (mirror, paths) = outcome(&public, page, q);
        if found != paths {
            problems.push(format!(
                "{page}?q={q}：浏览器显示 {found:?}，src/search/query.rs 排的是 {paths:?}"
            ));
        }
        if found.is_empty() {
            let suggested: Vec<&str> = s["suggestions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str())
                .collect();
            if !status.contains("没有找到") || s["help"] != true || suggested != mirror.suggestions
            {
                problems.push(format!(
                    "{q}：没有结果时应说没有找到、给出建议（{:?}）和 12348：{status} {suggested:?}",
                    mirror.suggestions
                ));
            }
        }
        if let Some(instead) = &mirror.instead {
            if !status.contains(&format!("您要找的是不是：{instead}")) {
                problems.push(format!("{q}：状态没有说按「{instead}」搜索：{status}"));
            }
        }
        if *sort == Sort::Homophone && mirror.instead.is_none() && !found.is_empty() {
            eprintln!("  （{q}：没有改字也找到了）");
        }
        if !s["url"].as_str().unwrap_or_default().contains("?q=") {
            problems.push(format!("{q}：表单没有用 ?q= 打开搜索页：{}", s["url"]));
        }
        for f in s["foreign"].as_array().into_iter().flatten() {
            problems.push(format!("{q}：请求了其他网站 {f}"));
        }
        for e in s["errors"].as_array().into_iter().flatten() {
            problems.push(format!("{q}：脚本错误 {e}"));
        }
        if !answers.is_empty() && !found.is_empty() && s["marks"].as_u64().unwrap_or(0) == 0 {
            problems.push(format!("{q}：结果里没有标出匹配的字"));
        }
        // The budget test counts without a browser what src/search/query.rs says the script
        // fetches: it must be what Chromium fetched.
        let mut fetched: Vec<&str> = s["requests"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str())
            .filter(|r| r.starts_with("/search/"))
            .collect();
        let mut mirrored = index_requests(&public, page, q);
        fetched.sort();
        mirrored.sort();
        if fetched != mirrored {
            problems.push(format!(
                "{q}：浏览器取的索引文件 {fetched:?}，src/search/query.rs 算的是 {mirrored:?}"
            ));
        }
        let bytes: usize = s["requests"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str())
            .map(|r| gzipped(&public, r))
            .sum();
        if bytes > largest.0 {
            largest = (bytes, q.to_string());
        }
        if bytes > SAMPLE_BUDGET {
            problems.push(format!(
                "{q}：传输 {:.1} KB（gzip），超过 60 KB：{}",
                bytes as f64 / 1024.0,
                s["requests"]
            ));
        }
    }
    tally.print("Chromium，示例站点");
    eprintln!(
        "最多的一次传输 {:.1} KB（gzip，「{}」）",
        largest.0 as f64 / 1024.0,
        largest.1
    );
    if !tally.meets_the_bar() {
        problems.push("没有达到：能回答的 90% 前三条有对的，不能回答的 8 个里 7 个没有结果".into());
    }
    let dazi = &report["dazi"];
    let (before, after) = (
        dazi["before"].as_f64().unwrap_or(0.0),
        dazi["after"].as_f64().unwrap_or(0.0),
    );
    if !(before > 0.0 && after >= before * 1.2) {
        problems.push(format!("大字没有放大搜索结果：{before}px → {after}px"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_script_cuts_and_hashes_tokens_as_the_index_does() {
    let Some((chromium, node)) = tools() else {
        return;
    };
    let public = common::build_sample("search-tokens");
    let server = StaticServer::start(&public);
    let report = run(
        &node,
        &json!({
            "base": server.base, "chromium": chromium,
            "tokens": {"page": QUNZHONG, "strings": TOKEN_STRINGS},
        }),
    );
    let got = report["tokens"].as_array().expect("tokens");
    let fillers: Vec<&str> = got[0]["fillers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert_eq!(fillers, qili::search::query::FILLERS, "search.js FILLERS");
    assert_eq!(got.len(), TOKEN_STRINGS.len());
    for (s, g) in TOKEN_STRINGS.iter().zip(got) {
        let rust = qili::search::tokens::query_tokens(s);
        let js: Vec<&str> = g["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| t.as_str())
            .collect();
        assert_eq!(js, rust, "{s}");
        let hashes: Vec<u64> = g["hashes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|h| h.as_u64())
            .collect();
        let want: Vec<u64> = rust
            .iter()
            .map(|t| qili::search::shard::fnv1a32(t) as u64)
            .collect();
        assert_eq!(hashes, want, "{s}");
    }
}

fn notice(slug: &str, title: &str, body: &str) -> String {
    common::notice_source(title, slug, "dongling", "东岭村民委员会", body)
}

/// The ranking rules, on pages made to tell them apart: title above summary above body; a
/// lesson above a notice where both have the word alike (kind is a small prior); the query word
/// for word above its characters scattered, whatever the kind; content shown as text.
#[test]
fn ranking_follows_the_rules_and_content_stays_text() {
    let Some((chromium, node)) = tools() else {
        return;
    };
    let site = common::Site::new();
    let lesson = |name: &str, title: &str, summary: &str, body: &str| {
        site.lesson(
            name,
            &format!("title: \"{title}\"\ndate: 2026-03-01\naudiences: [qunzhong]\nsummary: \"{summary}\""),
            body,
        );
    };
    lesson("title", "借条怎么写", "写字据", "正文。\n");
    lesson("summary", "钱的事", "借条要写清楚", "正文。\n");
    lesson("body", "亲戚借钱", "摘要", "打一张借条。\n");
    lesson(
        "scattered",
        "写东西",
        "摘要",
        "写借款合同，另外写借据，最后再看借条。写借写借写借。\n",
    );
    lesson(
        "html",
        "<img src=x onerror=alert(1)>借条",
        "摘要",
        "正文。\n",
    );
    site.write(
        "content/notices/n.md",
        &notice("n", "干渠公开", "月底前要写借条。"),
    );
    site.build().ok();
    let public = site.root().join("public");
    let server = StaticServer::start(&public);
    let report = run(
        &node,
        &json!({
            "base": server.base, "chromium": chromium,
            "queries": [{"page": QUNZHONG, "q": "借条"}, {"page": QUNZHONG, "q": "写借条"}],
        }),
    );
    let s = &report["searches"];
    let order = results(&s[0]);
    let at = |path: &str| {
        order
            .iter()
            .position(|p| p.contains(path))
            .unwrap_or(usize::MAX)
    };
    let (title, summary, body) = (
        at("lessons/title/"),
        at("lessons/summary/"),
        at("lessons/body/"),
    );
    let notice = at("notices/n/");
    assert!(
        title < summary && summary < body,
        "标题、摘要、正文的顺序不对：{order:?}"
    );
    assert!(body < notice, "正文里都有一次时课程应在公开之前：{order:?}");
    assert_eq!(s[0]["injected"], 0, "内容被当成了 HTML");
    assert!(
        s[0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["title"] == "<img src=x onerror=alert(1)>借条"),
        "{:?}",
        s[0]["results"]
    );
    // 写借条 word for word is in the notice only; the lesson has 写借 and 借条 apart.
    let order = results(&s[1]);
    let (exact, scattered) = (
        order.iter().position(|p| p.contains("notices/n/")),
        order.iter().position(|p| p.contains("lessons/scattered/")),
    );
    assert!(
        matches!((exact, scattered), (Some(e), Some(sc)) if e < sc),
        "原样出现的应在分散的之前：{order:?}"
    );
    for search in s.as_array().unwrap() {
        assert!(
            search["errors"].as_array().unwrap().is_empty(),
            "{}",
            search["errors"]
        );
    }
}
