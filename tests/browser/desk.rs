//! The editors' desk in headless Chromium (tests/browser/desk.mjs, npm `playwright-core`): a
//! secretary starts a new notice from the list, fills it in from a meeting record, sees a
//! finding appear next to 赞成 when the count is one short and go when it is corrected, looks
//! at the page and both posters, and saves. The saved file is byte-equal to
//! tests/fixtures/desk/new-notice.md (`QILI_BLESS=1` rewrites it), and `qili build` makes the
//! notice's page and both posters from it.
//!
//! Without Chromium, Node.js or the npm packages the test prints 已跳过 and passes; with
//! `QILI_REQUIRE_BROWSER=1` (CI) it fails. `QILI_DESK_SCREENSHOTS=目录` keeps two screenshots
//! (the README's docs/desk-list.png and docs/desk-form.png).

use crate::common;
use common::browser::{chromium_and_node, skip};
use serde_json::{json, Value};

const TODAY: &str = "2026-04-12";
const TITLE: &str = "东岭村第三村民小组村道硬化工程决议公开（示例）";

/// The meeting record, as the secretary types it into the form (field name, value).
fn record() -> Vec<(&'static str, &'static str)> {
    vec![
        ("date", "2026-03-22"),
        ("summary", "第三村民小组 800 米村道硬化方案经村民代表会议通过，公示 7 天。"),
        ("matter", "第三村民小组村道硬化工程建设方案"),
        ("kind", "公益事业"),
        ("initiated_by", "党员群众建议"),
        ("steps.proposal.date", "2026-03-02"),
        ("steps.proposal.body", "东岭村党支部委员会"),
        ("steps.proposal.outcome", "根据第三村民小组群众建议，提议硬化组内 800 米土路"),
        ("steps.deliberation.date", "2026-03-05"),
        ("steps.deliberation.expected", "7"),
        ("steps.deliberation.present", "7"),
        ("steps.deliberation.for", "7"),
        ("steps.deliberation.outcome", "同意方案，提交党员大会审议"),
        ("steps.party_review.date", "2026-03-10"),
        ("steps.party_review.expected", "31"),
        ("steps.party_review.present", "26"),
        ("steps.party_review.for", "24"),
        ("steps.party_review.against", "1"),
        ("steps.party_review.abstain", "1"),
        ("steps.party_review.outcome", "审议通过，提交村民代表会议表决"),
        ("steps.resolution.meeting", "村民代表会议"),
        ("steps.resolution.date", "2026-03-20"),
        ("steps.resolution.expected", "35"),
        ("steps.resolution.present", "30"),
        ("steps.resolution.against", "1"),
        ("steps.resolution.abstain", "1"),
        ("steps.resolution.outcome", "表决通过"),
        ("disclosure.from", "2026-03-22"),
        ("disclosure.to", "2026-04-05"),
        ("disclosure.place", "村务公开栏、村民微信群"),
        ("signature.date", "2026-03-22"),
        ("draft", "false"),
        (
            "body",
            "2026 年 3 月 20 日，东岭村村民代表会议应到 35 人，实到 30 人，以赞成 28 票、反对 1 票、弃权 1 票，通过《第三村民小组村道硬化工程建设方案》。现予公示。\n\n## 做什么\n\n硬化第三村民小组村道 800 米，宽 4 米。预算 32 万元：上级一事一议财政奖补 24 万元，村集体经营收入 8 万元，不向村民收钱。\n\n公示期内有意见，可以向村务监督委员会或者七里镇纪委反映。",
        ),
    ]
}

#[test]
fn a_secretary_fills_a_notice_in_the_desk_and_the_site_gets_its_page_and_posters() {
    let (chromium, node) = match chromium_and_node(&["playwright-core"]) {
        Ok(found) => found,
        Err(missing) => return skip(&missing),
    };
    let root = common::sample_copy();
    let server = common::serve::Server::start_on(root.path(), TODAY);
    let shots = std::env::var_os("QILI_DESK_SCREENSHOTS");
    let fields: Vec<Value> = record().iter().map(|(k, v)| json!([k, v])).collect();
    let out = common::browser::run_script(
        &node,
        "desk.mjs",
        &json!({
            "base": format!("http://127.0.0.1:{}", server.port),
            "chromium": chromium,
            "village": "dongling",
            "title": TITLE,
            "fields": fields,
            // 30 present at a 村民代表会议: more than half is 16.
            "short": ["steps.resolution.for", "15"],
            "right": ["steps.resolution.for", "28"],
            "screenshots": shots.as_ref().map(|s| s.to_string_lossy().into_owned()),
        }),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "desk.mjs 失败：\n{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["foreign"], json!([]), "requests off the machine");
    assert!(
        !report["steps"].to_string().contains("page error"),
        "{}",
        report["steps"]
    );

    // The list shows every document with its status.
    let list = report["list"].as_array().expect("list");
    let sources = ["notices", "regulations", "lessons"]
        .iter()
        .flat_map(|k| std::fs::read_dir(common::repo().join("content").join(k)).unwrap())
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "md"))
        })
        .count();
    assert!(sources > 60, "{sources} sources in the sample");
    assert_eq!(list.len(), sources, "notices, regulations and lessons");
    let qudao = list
        .iter()
        .find(|r| r[2].as_str().unwrap_or("").starts_with("东岭村灌溉干渠"))
        .expect("the 干渠 notice");
    assert_eq!(
        qudao[3], "公示中",
        "4 月 10 日至 24 日公示，今天是 4 月 12 日"
    );

    // A 村民代表会议 may decide a 公益事业 in 东岭村; a community's 居民会议 is not offered.
    let meetings = report["meetings"].to_string();
    assert!(
        meetings.contains("村民代表会议") && !meetings.contains("居民会议"),
        "{meetings}"
    );

    // One vote short: E302 next to 赞成, with the number needed and the article.
    let short = report["short"].as_array().expect("findings next to 赞成");
    assert_eq!(short.len(), 1, "{short:?}");
    assert_eq!(short[0]["code"], "E302");
    let text = short[0]["text"].as_str().unwrap();
    assert!(
        text.contains("还差 1 人：到会人员 30 人的过半数是 16 人"),
        "{text}"
    );
    assert!(text.contains("《村民委员会组织法》第三十条"), "{text}");
    assert_eq!(report["invalid"], "true");
    // Corrected: nothing next to it, and no error anywhere.
    assert_eq!(report["right"], json!([]));
    let remaining = report["remaining"].as_array().unwrap();
    assert!(
        remaining
            .iter()
            .all(|f| !f.as_str().unwrap_or("").starts_with('E')),
        "{remaining:?}"
    );

    // The previews of the unsaved text: the page and both posters.
    for (tab, mark) in [("page", ""), ("a4", "A4"), ("a3", "A3")] {
        let p = &report["previews"][tab];
        let title = p["title"].as_str().unwrap_or("");
        assert!(
            title.contains(TITLE) && title.contains(mark),
            "{tab}: {title}"
        );
        assert!(p["text"].as_str().unwrap_or("").contains("800 米"), "{tab}");
    }
    assert_eq!(report["print"], "打印");

    // Saved, byte-equal to the fixture.
    let status = report["status"].as_str().unwrap_or("");
    assert!(status.starts_with("已保存到 content/notices/"), "{status}");
    let key = status
        .trim_start_matches("已保存到 content/")
        .split('。')
        .next()
        .unwrap();
    assert!(report["url"]
        .as_str()
        .unwrap()
        .contains("/_qili/desk/edit?file="));
    let saved = std::fs::read_to_string(root.path().join("content").join(key)).unwrap();
    let fixture = common::repo().join("tests/fixtures/desk/new-notice.md");
    common::snapshot::file(&fixture, &saved);
    drop(server);

    // The built site has the notice's page and both posters.
    let public = root.path().join("public");
    let out = common::qili(root.path(), &["build", "--today", TODAY]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let slug = saved
        .lines()
        .find_map(|l| l.strip_prefix("slug: "))
        .map(|s| s.split_whitespace().next().unwrap_or(""))
        .expect("slug");
    let dir = public.join("villages/dongling/notices").join(slug);
    for page in ["index.html", "poster/index.html", "poster-a4/index.html"] {
        let html =
            std::fs::read_to_string(dir.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(html.contains(TITLE), "{page}");
    }
}
