//! Notices and regulations as rendered pages: status and timeline for a fixed day, article
//! numbering and anchors, earlier versions and what changed.

use crate::common;
use common::Site;

fn notice(slug: &str, tail: &str) -> String {
    format!(
        "---\ntitle: 公开{slug}\nslug: {slug}\nvillage: dongling\ndate: 2026-03-20\nsummary: 一句话摘要\nmatter: 修渠\nkind: 公益事业\ninitiated_by: 党员群众建议\nsteps:\n  proposal: {{date: 2026-03-01, body: 村党支部}}\n  deliberation: {{date: 2026-03-05, expected: 7, present: 7, for: 7}}\n  party_review: {{date: 2026-03-10, expected: 31, present: 25, for: 20, against: 3, abstain: 2}}\n  resolution: {{meeting: 村民代表会议, date: 2026-03-18, expected: 33, present: 30, for: 28, against: 1, abstain: 1}}\n{tail}signature: {{body: 东岭村民委员会, date: 2026-03-20}}\n---\n决议正文\n"
    )
}

#[test]
fn notices_show_status_and_timeline_for_a_fixed_day() {
    let site = Site::new();
    let cases = [
        ("jin-xing", "", "进行中"),
        ("wei-kai-shi", "disclosure: {from: 2026-04-13, to: 2026-04-27}\n", "进行中"),
        ("gong-shi", "disclosure: {from: 2026-04-08, to: 2026-04-22}\n", "公示中"),
        ("qi-man", "disclosure: {from: 2026-03-20, to: 2026-04-03}\n", "公示期满"),
        (
            "jie-guo",
            "disclosure: {from: 2026-03-20, to: 2026-04-03}\nresult: {date: 2026-04-10, content: 已完工, amount: 支出 3.2 万元}\n",
            "结果已公开",
        ),
    ];
    for (slug, tail, _) in &cases {
        site.write(&format!("content/notices/{slug}.md"), &notice(slug, tail));
    }
    // site.build() fixes today at 2026-04-12.
    site.build().ok();
    for (slug, _, status) in cases {
        let page = site.public(&format!("villages/dongling/notices/{slug}/index.html"));
        let shown = page
            .split("class=\"status status-")
            .nth(1)
            .and_then(|s| s.split('>').nth(1))
            .and_then(|s| s.split('<').next())
            .unwrap_or("");
        assert_eq!(shown, status, "{slug}");
        for step in ["村党组织提议", "两委", "党员大会审议", "村民代表会议决议"]
        {
            assert!(page.contains(step), "{slug}: timeline lacks {step}");
        }
        assert!(
            page.contains("应到 33人，实到 30人；赞成 28，反对 1，弃权 1"),
            "{slug}: votes"
        );
        assert!(page.contains("一句话摘要"), "plain summary first");
        let summary_at = page.find("一句话摘要").unwrap();
        let timeline_at = page.find("办理过程").unwrap();
        assert!(
            summary_at < timeline_at,
            "群众 read the plain summary before the record"
        );
    }
    let done = site.public("villages/dongling/notices/jie-guo/index.html");
    assert!(done.contains("支出 3.2 万元") && done.contains("实施结果公开"));
    let publicizing = site.public("villages/dongling/notices/gong-shi/index.html");
    assert!(publicizing.contains("<strong>2026年4月8日 至 2026年4月22日</strong>"));
    // The feed lists notices, most recently updated first.
    let feed = site.public("feed.xml");
    assert!(feed.find("公开jie-guo").unwrap() < feed.find("公开qi-man").unwrap());
}

const REG_2019: &str = "---\ntitle: 东岭村村规民约\nvillage: dongling\nversion: \"2019\"\nhistory:\n  vote: {date: 2019-02-01, meeting: 村民会议, expected: 100, present: 60, for: 40}\n  filing: {date: 2019-03-01, body: 七里镇人民政府}\n---\n## 总则\n\n1. 为了建设和谐村庄，制定本约。\n2. 本约适用于全体村民。\n\n## 村风民俗\n\n1. 禁止赌博，违者批评教育。\n2. 外出务工须告知村委会。\n";

#[test]
fn regulations_number_articles_keep_versions_and_say_what_changed() {
    let site = Site::new();
    site.write("content/regulations/dongling-2019.md", REG_2019);
    let mut articles = String::new();
    for i in 3..=14 {
        articles.push_str(&format!("{}. 第{i}项约定的内容。\n", i - 2));
    }
    let reg_2025 = format!(
        "---\ntitle: 东岭村村规民约\nvillage: dongling\nversion: \"2025\"\nchanges: 删去外出告知，增加若干约定\nhistory:\n  solicit: {{date: 2025-01-05}}\n  draft: {{date: 2025-01-20}}\n  review: {{date: 2025-02-01, body: 七里镇党委、政府}}\n  vote: {{date: 2025-02-20, meeting: 村民会议, expected: 100, present: 60, for: 40}}\n  filing: {{date: 2025-03-01, body: 七里镇人民政府}}\n---\n## 第一章 总则\n\n1. 为了建设平安和谐村庄，制定本约。\n2. 本约适用于全体村民。\n\n## 村风民俗\n\n{articles}"
    );
    site.write("content/regulations/dongling-2025.md", &reg_2025);
    site.build().ok();
    let current = site.public("villages/dongling/guiyue/index.html");
    assert!(current.contains("第一章 总则") && current.contains("第二章 村风民俗"));
    assert!(!current.contains("第一章 第一章"));
    assert!(current.contains("id=\"tiao-12\""), "article anchors");
    assert!(current.contains("第十二条"));
    for step in ["征集民意", "拟定草案", "提请审核", "审议表决", "备案"] {
        assert!(current.contains(step), "history lacks {step}");
    }
    assert!(current.contains("与 2019 版相比"));
    assert!(current.contains("修改第一条"), "changed wording is named");
    assert!(current.contains("删除原第四条"), "removed article is named");
    assert!(current.contains("/villages/dongling/guiyue/2019/"));
    let old = site.public("villages/dongling/guiyue/2019/index.html");
    assert!(old.contains("历史版本") && old.contains("外出务工须告知村委会"));
    assert!(
        old.contains("href=\"/villages/dongling/guiyue/\""),
        "points to the current one"
    );
}
