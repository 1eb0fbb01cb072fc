//! Table-driven tests of the law checks: every rule on both sides of its boundary, with its
//! code, severity and the article it cites.

use qili::config::SiteConfig;
use qili::diagnostics::{Diagnostic, Severity};
use qili::load::{Kind, Source};
use qili::model::date::Date;
use qili::model::{Options, Site};

const SITE: &str = "\
title: t
base_url: https://e.cn/
town: {name: 七里镇}
audiences: [{id: qunzhong, name: 基层群众}]
villages:
  - {id: dongling, name: 东岭村}
  - {id: xinhua, name: 新华社区, kind: 社区}
  - id: liuwan
    name: 柳湾村
    collective: {name: 柳湾村股份经济合作社, members: 300, representatives: 31}
";

fn findings_with(config_extra: &str, files: &[(Kind, &str)]) -> Vec<Diagnostic> {
    let config = SiteConfig::parse(&format!("{SITE}{config_extra}")).expect("config");
    let sources = files
        .iter()
        .enumerate()
        .map(|(i, (kind, text))| Source {
            kind: *kind,
            key: format!("{}/f{i}.md", kind.folder()),
            file: format!("content/{}/f{i}.md", kind.folder()),
            path: Default::default(),
            text: text.to_string(),
        })
        .collect();
    let opts = Options {
        drafts: false,
        today: Date::parse("2026-05-20").unwrap(),
    };
    let (site, mut problems) = Site::build(config, sources, &opts);
    problems.extend(qili::check::run(&site));
    // The quarter cadence is tested on its own.
    problems.retain(|d| d.code != "W331");
    problems
}

fn findings(files: &[(Kind, &str)]) -> Vec<Diagnostic> {
    findings_with("", files)
}

/// A notice of `kind` in `village`, with `steps` and `tail` (disclosure, result) spliced in.
fn notice(village: &str, kind: &str, steps: &str, tail: &str) -> String {
    format!(
        "---\ntitle: 公开\nslug: n\nvillage: {village}\ndate: 2026-04-20\nmatter: 事项\nkind: {kind}\ninitiated_by: 村干部提议\nsteps:\n  proposal: {{date: 2026-03-01}}\n  deliberation: {{date: 2026-03-05, expected: 7, present: 7, for: 7}}\n  party_review: {{date: 2026-03-10, expected: 31, present: 25, for: 20}}\n{steps}\n{tail}signature: {{body: 村委会, date: 2026-04-20}}\n---\n正文\n"
    )
}

fn resolution(meeting: &str, fields: &str) -> String {
    format!("  resolution: {{meeting: {meeting}, date: 2026-04-01, {fields}}}")
}

const DISCLOSURE: &str = "disclosure: {from: 2026-04-20, to: 2026-05-04}\n";

/// One row: a notice that must produce exactly `code` (or nothing when `None`).
struct Case {
    name: &'static str,
    village: &'static str,
    kind: &'static str,
    steps: String,
    tail: &'static str,
    code: Option<&'static str>,
    law: &'static str,
}

fn case(
    name: &'static str,
    meeting: &str,
    fields: &str,
    code: Option<&'static str>,
    law: &'static str,
) -> Case {
    Case {
        name,
        village: if meeting == "居民会议" {
            "xinhua"
        } else {
            "dongling"
        },
        kind: if meeting == "居民会议" {
            "社区事项"
        } else {
            "公益事业"
        },
        steps: resolution(meeting, fields),
        tail: DISCLOSURE,
        code,
        law,
    }
}

fn run_cases(cases: Vec<Case>) {
    for c in cases {
        let text = notice(c.village, c.kind, &c.steps, c.tail);
        let found = findings(&[(Kind::Notice, &text)]);
        match c.code {
            None => assert!(
                found.is_empty(),
                "{}: expected no finding, got {found:?}",
                c.name
            ),
            Some(code) => {
                assert_eq!(
                    found.len(),
                    1,
                    "{}: expected one {code}, got {found:#?}",
                    c.name
                );
                let d = &found[0];
                assert_eq!(d.code, code, "{}: {d}", c.name);
                let severity = if code.starts_with('E') {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                assert_eq!(d.severity, severity, "{}", c.name);
                let law = d.law.as_deref().unwrap_or("");
                assert!(
                    law.contains(c.law),
                    "{}: law {law:?} should cite {}",
                    c.name,
                    c.law
                );
                assert!(d.line > 0, "{}: finding has a line: {d}", c.name);
            }
        }
    }
}

#[test]
fn villagers_representatives_meeting_article_26() {
    run_cases(vec![
        case(
            "exactly two-thirds attend",
            "村民代表会议",
            "expected: 33, present: 22, for: 12",
            None,
            "",
        ),
        case(
            "one short of two-thirds",
            "村民代表会议",
            "expected: 33, present: 21, for: 12",
            Some("E301"),
            "第三十条",
        ),
        case(
            "32 members: 22 needed",
            "村民代表会议",
            "expected: 32, present: 22, for: 12",
            None,
            "",
        ),
        case(
            "32 members: 21 short",
            "村民代表会议",
            "expected: 32, present: 21, for: 12",
            Some("E301"),
            "第三十条",
        ),
        case(
            "more than half of present agree",
            "村民代表会议",
            "expected: 30, present: 30, for: 16",
            None,
            "",
        ),
        case(
            "exactly half agree is not enough",
            "村民代表会议",
            "expected: 30, present: 30, for: 15",
            Some("E302"),
            "第三十条",
        ),
    ]);
}

#[test]
fn example_message_matches_the_issue() {
    let text = notice(
        "dongling",
        "公益事业",
        &resolution("村民代表会议", "expected: 32, present: 20, for: 12"),
        DISCLOSURE,
    );
    let found = findings(&[(Kind::Notice, &text)]);
    let msg = found[0].to_string();
    assert!(
        msg.contains("E301 村民代表会议到会 20 人，不足组成人员 32 人的三分之二（22 人）——《村民委员会组织法》第三十条"),
        "{msg}"
    );
}

#[test]
fn villagers_assembly_article_22_and_notice_article_21() {
    run_cases(vec![
        case(
            "more than half of adults",
            "村民会议",
            "expected: 100, present: 51, for: 26",
            None,
            "",
        ),
        case(
            "exactly half of adults",
            "村民会议",
            "expected: 100, present: 50, for: 26",
            Some("E303"),
            "第二十六条",
        ),
        case(
            "households: two-thirds",
            "村民会议",
            "counted_by: 户数, expected: 90, present: 60, for: 31",
            None,
            "",
        ),
        case(
            "households: one short",
            "村民会议",
            "counted_by: 户数, expected: 90, present: 59, for: 31",
            Some("E303"),
            "第二十六条",
        ),
        case(
            "decision: 26 of 51",
            "村民会议",
            "expected: 100, present: 51, for: 26",
            None,
            "",
        ),
        case(
            "decision: 25 of 51",
            "村民会议",
            "expected: 100, present: 51, for: 25",
            Some("E304"),
            "第二十六条",
        ),
        case(
            "announced 10 days ahead",
            "村民会议",
            "announced: 2026-03-22, expected: 100, present: 60, for: 40",
            None,
            "",
        ),
        case(
            "announced 9 days ahead",
            "村民会议",
            "announced: 2026-03-23, expected: 100, present: 60, for: 40",
            Some("E322"),
            "第二十五条第二款",
        ),
    ]);
}

#[test]
fn group_meeting_article_28_and_residents_assembly() {
    run_cases(vec![
        case(
            "group: two-thirds",
            "村民小组会议",
            "expected: 30, present: 20, for: 11",
            None,
            "",
        ),
        case(
            "group: one short",
            "村民小组会议",
            "expected: 30, present: 19, for: 11",
            Some("E305"),
            "第三十二条第二款",
        ),
        case(
            "group: half of present",
            "村民小组会议",
            "expected: 30, present: 20, for: 10",
            Some("E306"),
            "第三十二条第二款",
        ),
        case(
            "residents: more than half",
            "居民会议",
            "expected: 100, present: 51, for: 26",
            None,
            "",
        ),
        case(
            "residents: exactly half",
            "居民会议",
            "expected: 100, present: 50, for: 26",
            Some("E307"),
            "《城市居民委员会组织法》第二十七条",
        ),
        case(
            "residents: decision",
            "居民会议",
            "expected: 100, present: 51, for: 25",
            Some("E308"),
            "第二十七条",
        ),
    ]);
}

fn party(fields: &str) -> Case {
    Case {
        name: "party",
        village: "dongling",
        kind: "公益事业",
        steps: format!(
            "  party_review: {{date: 2026-03-10, {fields}}}\n{}",
            resolution("村民代表会议", "expected: 30, present: 30, for: 20")
        ),
        tail: DISCLOSURE,
        code: None,
        law: "",
    }
}

#[test]
fn party_members_meeting_branch_regulations_article_11() {
    let mut cases = vec![];
    for (fields, code) in [
        ("expected: 31, present: 16, for: 16", None),
        ("expected: 31, present: 15, for: 15", Some("E309")),
        // Half present (16 of 32) is enough to meet, but 16 for is not more than half.
        ("expected: 32, present: 16, for: 16", Some("E310")),
        ("expected: 32, present: 17, for: 17", None),
        ("expected: 31, present: 31, for: 16", None),
        ("expected: 32, present: 32, for: 16", Some("E310")),
    ] {
        let mut c = party(fields);
        c.code = code;
        c.law = "支部工作条例";
        cases.push(c);
    }
    for c in cases {
        // Replace the default party step rather than add a second one.
        let text = notice(c.village, c.kind, &c.steps, c.tail).replace(
            "  party_review: {date: 2026-03-10, expected: 31, present: 25, for: 20}\n",
            "",
        );
        let found = findings(&[(Kind::Notice, &text)]);
        match c.code {
            None => assert!(found.is_empty(), "{}: {found:?}", c.steps),
            Some(code) => {
                assert_eq!(found.len(), 1, "{found:?}");
                assert_eq!(found[0].code, code);
                assert!(found[0].law.as_deref().unwrap().contains(c.law));
            }
        }
    }
}

#[test]
fn party_quorum_can_be_two_thirds_by_site_setting() {
    let steps = |present: i64| {
        notice(
            "dongling",
            "公益事业",
            &resolution("村民代表会议", "expected: 30, present: 30, for: 20"),
            DISCLOSURE,
        )
        .replace(
            "party_review: {date: 2026-03-10, expected: 31, present: 25, for: 20}",
            &format!(
                "party_review: {{date: 2026-03-10, expected: 30, present: {present}, for: 16}}"
            ),
        )
    };
    let cfg = "defaults: {party_quorum: two_thirds}\n";
    assert!(findings_with(cfg, &[(Kind::Notice, &steps(20))]).is_empty());
    let f = findings_with(cfg, &[(Kind::Notice, &steps(19))]);
    assert_eq!(f[0].code, "E309");
    assert!(
        findings(&[(Kind::Notice, &steps(16))]).is_empty(),
        "half is the default"
    );
    assert_eq!(
        findings_with(cfg, &[(Kind::Notice, &steps(16))])[0].code,
        "E309"
    );
}

fn collective(
    kind: &'static str,
    meeting: &str,
    fields: &str,
    code: Option<&'static str>,
    law: &'static str,
) -> Case {
    in_village("dongling", kind, meeting, fields, code, law)
}

fn in_village(
    village: &'static str,
    kind: &'static str,
    meeting: &str,
    fields: &str,
    code: Option<&'static str>,
    law: &'static str,
) -> Case {
    Case {
        name: "collective",
        village,
        kind,
        steps: resolution(meeting, fields),
        tail: DISCLOSURE,
        code,
        law,
    }
}

#[test]
fn collective_property_members_assembly_article_27() {
    run_cases(vec![
        collective(
            "集体财产其他事项",
            "成员大会",
            "expected: 30, present: 20, for: 20",
            None,
            "",
        ),
        collective(
            "集体财产其他事项",
            "成员大会",
            "expected: 30, present: 19, for: 19",
            Some("E311"),
            "《农村集体经济组织法》第二十七条",
        ),
        // Two-thirds of ALL members, not of those present: 19 of 30 fails though 19/25 > 2/3.
        collective(
            "集体财产其他事项",
            "成员大会",
            "expected: 30, present: 25, for: 19",
            Some("E312"),
            "第二十七条",
        ),
        collective(
            "确认成员",
            "成员大会",
            "expected: 30, present: 25, for: 20",
            None,
            "",
        ),
        // With no collective economic organization the 村民会议 decides under the same rules.
        collective(
            "土地补偿费分配",
            "村民会议",
            "expected: 30, present: 25, for: 19",
            Some("E312"),
            "第六十四条",
        ),
        collective(
            "集体财产其他事项",
            "成员大会",
            "announced: 2026-03-23, expected: 30, present: 25, for: 20",
            Some("E322"),
            "第二十七条",
        ),
        in_village(
            "xinhua",
            "集体财产其他事项",
            "居民会议",
            "expected: 30, present: 25, for: 20",
            Some("E317"),
            "第二十六条",
        ),
    ]);
}

/// Point 1 of the issue: a 成员大会 decides everything by two-thirds of ALL members, and a
/// 成员代表大会 by two-thirds of ALL representatives, whatever the kind of matter.
#[test]
fn every_decision_of_the_collective_meetings_needs_two_thirds_of_all() {
    run_cases(vec![
        // 300 members (even): 200 needed.
        collective(
            "公益事业",
            "成员大会",
            "expected: 300, present: 300, for: 200",
            None,
            "",
        ),
        collective(
            "公益事业",
            "成员大会",
            "expected: 300, present: 300, for: 199",
            Some("E312"),
            "第二十七条",
        ),
        // 301 members (odd): 3 × 201 = 603 ≥ 602; 200 is short.
        collective(
            "其他",
            "成员大会",
            "expected: 301, present: 301, for: 201",
            None,
            "",
        ),
        collective(
            "其他",
            "成员大会",
            "expected: 301, present: 301, for: 200",
            Some("E312"),
            "第二十七条",
        ),
        // Attendance: 200 of 300, 201 of 301.
        collective(
            "误工补贴",
            "成员大会",
            "expected: 301, present: 200, for: 200",
            Some("E311"),
            "第二十七条",
        ),
        // 31 representatives (odd): 21 needed; 30 (even): 20 needed.
        collective(
            "公益事业",
            "成员代表大会",
            "expected: 31, present: 31, for: 21",
            None,
            "",
        ),
        collective(
            "公益事业",
            "成员代表大会",
            "expected: 31, present: 31, for: 20",
            Some("E313"),
            "第二十八条",
        ),
        collective(
            "其他村民利益事项",
            "成员代表大会",
            "expected: 30, present: 30, for: 20",
            None,
            "",
        ),
        collective(
            "其他村民利益事项",
            "成员代表大会",
            "expected: 30, present: 30, for: 19",
            Some("E313"),
            "第二十八条",
        ),
    ]);
}

/// Point 2: the ten days' notice of 第二十七条 holds for every 成员大会, and for a meeting acting
/// as one.
#[test]
fn every_members_assembly_is_announced_ten_days_ahead() {
    // The resolution is on 2026-04-01: 2026-03-22 is ten days before, 2026-03-23 nine.
    run_cases(vec![
        collective(
            "公益事业",
            "成员大会",
            "announced: 2026-03-22, expected: 30, present: 20, for: 20",
            None,
            "",
        ),
        collective(
            "公益事业",
            "成员大会",
            "announced: 2026-03-23, expected: 30, present: 20, for: 20",
            Some("E322"),
            "第二十七条",
        ),
        collective(
            "集体收益使用",
            "村民小组会议",
            "announced: 2026-03-22, expected: 30, present: 20, for: 20",
            None,
            "",
        ),
        collective(
            "集体收益使用",
            "村民小组会议",
            "announced: 2026-03-23, expected: 30, present: 20, for: 20",
            Some("E322"),
            "第二十七条",
        ),
    ]);
}

/// Point 3: where no collective is set up, the 村民会议, 村民代表会议 or 村民小组会议 acts for it
/// (第六十四条) under the collective rules: one member one vote, two-thirds of all.
#[test]
fn meetings_acting_for_a_collective_follow_its_rules() {
    run_cases(vec![
        // A 村民小组会议 deciding its own group's property is lawful, by the collective's count.
        collective(
            "集体财产其他事项",
            "村民小组会议",
            "expected: 30, present: 20, for: 20",
            None,
            "",
        ),
        collective(
            "集体财产其他事项",
            "村民小组会议",
            "expected: 30, present: 20, for: 19",
            Some("E312"),
            "第六十四条",
        ),
        collective(
            "集体财产其他事项",
            "村民小组会议",
            "expected: 31, present: 21, for: 21",
            None,
            "",
        ),
        collective(
            "集体财产其他事项",
            "村民小组会议",
            "expected: 31, present: 20, for: 20",
            Some("E311"),
            "第二十七条",
        ),
        // Households are not counted: one member, one vote.
        collective(
            "集体财产其他事项",
            "村民小组会议",
            "counted_by: 户数, expected: 30, present: 30, for: 30",
            Some("E319"),
            "第二十七条",
        ),
        collective(
            "集体收益使用",
            "村民会议",
            "counted_by: 户数, expected: 90, present: 90, for: 90",
            Some("E319"),
            "第六十四条",
        ),
        // The 村民会议 acting for it: 868 members, 579 needed (3 × 579 = 1737 ≥ 1736).
        collective(
            "土地承包经营方案",
            "村民会议",
            "expected: 868, present: 579, for: 579",
            None,
            "",
        ),
        collective(
            "土地承包经营方案",
            "村民会议",
            "expected: 868, present: 600, for: 578",
            Some("E312"),
            "第二十七条",
        ),
        collective(
            "宅基地使用方案",
            "村民会议",
            "expected: 868, present: 578, for: 578",
            Some("E311"),
            "第二十七条",
        ),
        // The 村民代表会议 acting as a 成员代表大会: two-thirds of all, and never item (八).
        collective(
            "处分集体财产",
            "村民代表会议",
            "expected: 45, present: 39, for: 30",
            None,
            "",
        ),
        collective(
            "处分集体财产",
            "村民代表会议",
            "expected: 45, present: 39, for: 29",
            Some("E313"),
            "第二十八条",
        ),
        collective(
            "土地承包经营方案",
            "村民代表会议",
            "expected: 45, present: 45, for: 45",
            Some("E314"),
            "第二十八条",
        ),
        collective(
            "征地补偿费",
            "村民代表会议",
            "expected: 45, present: 45, for: 45",
            Some("E314"),
            "第六十四条",
        ),
    ]);
}

/// Point 4: site.yaml says whether a village has a collective; where it has one, its property
/// is decided by its own meetings, and their counts are compared with the registered ones.
#[test]
fn a_village_with_a_collective_decides_its_property_there() {
    run_cases(vec![
        in_village(
            "liuwan",
            "土地承包经营方案",
            "村民会议",
            "expected: 868, present: 868, for: 868",
            Some("E317"),
            "第六十四条",
        ),
        in_village(
            "liuwan",
            "集体财产其他事项",
            "村民代表会议",
            "expected: 31, present: 31, for: 31",
            Some("E317"),
            "第二十六条",
        ),
        in_village(
            "liuwan",
            "土地承包经营方案",
            "成员大会",
            "expected: 300, present: 200, for: 200",
            None,
            "",
        ),
        in_village(
            "liuwan",
            "土地承包经营方案",
            "成员大会",
            "expected: 300, present: 200, for: 199",
            Some("E312"),
            "第二十七条",
        ),
        in_village(
            "liuwan",
            "集体财产其他事项",
            "成员代表大会",
            "expected: 31, present: 25, for: 21",
            None,
            "",
        ),
        // A record that differs from site.yaml's count is a warning, not an error.
        in_village(
            "liuwan",
            "集体财产其他事项",
            "成员大会",
            "expected: 301, present: 201, for: 201",
            Some("W324"),
            "",
        ),
        in_village(
            "liuwan",
            "集体财产其他事项",
            "成员代表大会",
            "expected: 32, present: 25, for: 22",
            Some("W324"),
            "",
        ),
        // Village affairs stay with the 村民会议 and its own counts.
        in_village(
            "liuwan",
            "公益事业",
            "村民会议",
            "counted_by: 户数, expected: 90, present: 60, for: 31",
            None,
            "",
        ),
    ]);
}

/// Issue 25: a collective's member count may change (a 成员身份确认); a meeting is compared with
/// the register in force on its day, inclusive of the day the new one holds from, and the
/// warning says which register it compared with.
#[test]
fn a_meeting_is_compared_with_the_member_register_of_its_day() {
    let xihe = "  - id: xihe\n    name: 西河村\n    collective:\n      name: 西河村股份经济合作社\n      members: [{count: 986}, {since: 2026-10-23, count: 988}]\n  - id: beipo\n    name: 北坡村\n    collective: {name: 北坡村股份经济合作社, members: [{since: 2026-01-01, count: 812}]}\n";
    let meeting = |village: &str, date: &str, expected: i64| {
        let steps = format!(
            "  resolution: {{meeting: 成员大会, date: {date}, expected: {expected}, present: {expected}, for: {expected}}}"
        );
        let text = notice(village, "集体财产其他事项", &steps, "");
        findings_with(xihe, &[(Kind::Notice, &text)])
            .into_iter()
            .filter(|d| d.code == "W324")
            .map(|d| d.message)
            .collect::<Vec<_>>()
    };
    // The day before the new register: the old count holds.
    assert_eq!(meeting("xihe", "2026-10-22", 986), Vec::<String>::new());
    assert_eq!(
        meeting("xihe", "2026-10-22", 988),
        ["成员大会应到 988 人，与 site.yaml 登记的西河村股份经济合作社成员 986 人不一致"]
    );
    // From its day on, the new one.
    assert_eq!(meeting("xihe", "2026-10-23", 988), Vec::<String>::new());
    assert_eq!(
        meeting("xihe", "2026-10-23", 986),
        ["成员大会应到 986 人，与会议当天（2026年10月23日）适用的 site.yaml 登记不一致：西河村股份经济合作社自 2026年10月23日 起登记的成员是 988 人"]
    );
    // Before the first dated register there is nothing to compare with.
    assert_eq!(meeting("beipo", "2025-12-31", 700), Vec::<String>::new());
    assert_eq!(meeting("beipo", "2026-01-01", 700).len(), 1);
}

/// Point 5: 第二十八条 sets no quorum for the 成员代表大会 (only the decision), and its "一般每五户
/// 至十五户" is a warning.
#[test]
fn collective_property_representatives_article_28() {
    run_cases(vec![
        collective(
            "集体财产其他事项",
            "成员代表大会",
            "expected: 21, present: 21, for: 14",
            None,
            "",
        ),
        collective(
            "集体财产其他事项",
            "成员代表大会",
            "expected: 20, present: 20, for: 14",
            Some("E315"),
            "第二十八条",
        ),
        collective(
            "集体财产其他事项",
            "成员代表大会",
            "expected: 21, present: 21, for: 13",
            Some("E313"),
            "第二十八条",
        ),
        collective(
            "确认成员",
            "成员代表大会",
            "expected: 21, present: 21, for: 20",
            Some("E314"),
            "第二十八条",
        ),
        collective(
            "合并分立",
            "村民代表会议",
            "expected: 21, present: 21, for: 20",
            Some("E314"),
            "第二十八条",
        ),
        // Present at exactly the votes needed: no attendance finding of its own (was E311).
        collective(
            "集体财产其他事项",
            "成员代表大会",
            "expected: 30, present: 20, for: 20",
            None,
            "",
        ),
        collective(
            "集体财产其他事项",
            "成员代表大会",
            "expected: 30, present: 19, for: 19",
            Some("E313"),
            "第二十八条",
        ),
        collective(
            "集体财产其他事项",
            "成员代表大会",
            "expected: 21, present: 21, for: 14, households: 105",
            None,
            "",
        ),
        collective(
            "集体财产其他事项",
            "成员代表大会",
            "expected: 21, present: 21, for: 14, households: 104",
            Some("W316"),
            "第二十八条",
        ),
        collective(
            "集体财产其他事项",
            "成员代表大会",
            "expected: 21, present: 21, for: 14, households: 315",
            None,
            "",
        ),
        collective(
            "集体财产其他事项",
            "成员代表大会",
            "expected: 21, present: 21, for: 14, households: 316",
            Some("W316"),
            "第二十八条",
        ),
    ]);
}

#[test]
fn impossible_counts_are_errors() {
    for fields in [
        "expected: 30, present: 31, for: 20",
        "expected: 30, present: 25, for: 20, against: 4, abstain: 2",
        "expected: 30, present: -1, for: 0",
    ] {
        let text = notice(
            "dongling",
            "公益事业",
            &resolution("村民代表会议", fields),
            DISCLOSURE,
        );
        let found = findings(&[(Kind::Notice, &text)]);
        assert_eq!(found.len(), 1, "{fields}: {found:?}");
        assert_eq!(found[0].code, "E320", "{fields}");
        assert!(found[0].is_error());
    }
    let ok = notice(
        "dongling",
        "公益事业",
        &resolution(
            "村民代表会议",
            "expected: 30, present: 25, for: 20, against: 3, abstain: 2",
        ),
        DISCLOSURE,
    );
    assert!(findings(&[(Kind::Notice, &ok)]).is_empty());
}

#[test]
fn order_and_dates() {
    let good = resolution("村民代表会议", "expected: 30, present: 25, for: 20");
    let rows: Vec<(String, &str, Option<&str>)> = vec![
        // Resolution before the party meeting it follows.
        (good.replace("2026-04-01", "2026-03-09"), DISCLOSURE, Some("E321")),
        (good.replace("2026-04-01", "2026-03-10"), DISCLOSURE, None),
        (good.clone(), "disclosure: {from: 2026-04-20, to: 2026-04-19}\n", Some("E321")),
        (good.clone(), "disclosure: {from: 2026-03-31, to: 2026-04-19}\n", Some("E321")),
        (good.clone(), "disclosure: {from: 2026-04-20, to: 2026-05-04}\nresult: {date: 2026-05-03, content: 完成}\n", Some("E321")),
        (good.clone(), "disclosure: {from: 2026-04-20, to: 2026-05-04}\nresult: {date: 2026-05-04, content: 完成}\n", None),
        // A result without the disclosure before it.
        (good.clone(), "result: {date: 2026-05-01, content: 完成}\n", Some("E323")),
        // From 2026 a 公示 of 14 days is below the law (E325, not also W330); 15 is not.
        (good.clone(), "disclosure: {from: 2026-04-20, to: 2026-05-03}\n", Some("E325")),
    ];
    for (steps, tail, code) in rows {
        let text = notice("dongling", "公益事业", &steps, tail);
        let found = findings(&[(Kind::Notice, &text)]);
        let codes: Vec<&str> = found.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            code.into_iter().collect::<Vec<_>>(),
            "{steps} {tail}"
        );
    }
    // A resolution with no party review before it.
    let text = notice("dongling", "公益事业", &good, DISCLOSURE).replace(
        "  party_review: {date: 2026-03-10, expected: 31, present: 25, for: 20}\n",
        "",
    );
    assert_eq!(findings(&[(Kind::Notice, &text)])[0].code, "E323");
}

#[test]
fn community_decides_by_residents_assembly() {
    let text = notice(
        "xinhua",
        "社区事项",
        &resolution("村民会议", "expected: 100, present: 60, for: 40"),
        DISCLOSURE,
    );
    let found = findings(&[(Kind::Notice, &text)]);
    assert_eq!(found[0].code, "W318");
    assert!(!found[0].is_error());
}

fn regulation(village: &str, vote: &str, filing: &str, body: &str) -> String {
    format!(
        "---\ntitle: 村规民约\nvillage: {village}\nversion: \"2025\"\nhistory:\n  draft: {{date: 2025-01-01}}\n  vote: {{date: 2025-02-01, {vote}}}\n{filing}---\n## 总则\n\n1. 为了建设和谐村庄，制定本村规民约。\n{body}"
    )
}

const FILED: &str = "  filing: {date: 2025-03-01, body: 七里镇人民政府}\n";
const GOOD_VOTE: &str = "meeting: 村民会议, expected: 100, present: 60, for: 40";

#[test]
fn regulations_adoption_filing_and_unlawful_clauses() {
    let rows: Vec<(String, Option<&str>, &str)> = vec![
        (regulation("dongling", GOOD_VOTE, FILED, ""), None, ""),
        (
            regulation(
                "dongling",
                "meeting: 村民代表会议, expected: 30, present: 30, for: 20",
                FILED,
                "",
            ),
            Some("W340"),
            "第二十七条",
        ),
        (
            // Not filed yet: it must be filed under the law in force today (2026-05-20).
            regulation("dongling", GOOD_VOTE, "", ""),
            Some("W341"),
            "第三十一条第一款",
        ),
        (
            regulation(
                "dongling",
                "meeting: 村民会议, expected: 100, present: 50, for: 40",
                FILED,
                "",
            ),
            Some("E303"),
            "第二十二条",
        ),
        (
            regulation(
                "dongling",
                GOOD_VOTE,
                FILED,
                "2. 乱倒垃圾的，罚款 200 元。\n",
            ),
            Some("W342"),
            "《行政处罚法》第十六条",
        ),
        (
            regulation(
                "dongling",
                GOOD_VOTE,
                FILED,
                "2. 无理上访的，取消当年福利。\n",
            ),
            Some("W343"),
            "第二十七条",
        ),
        (
            regulation(
                "dongling",
                GOOD_VOTE,
                FILED,
                "2. 出嫁女不再享有土地分配。\n",
            ),
            Some("W344"),
            "《妇女权益保障法》第五十五条、第五十六条，《农村集体经济组织法》第十八条",
        ),
        (
            regulation(
                "dongling",
                GOOD_VOTE,
                FILED,
                "2. 不得以出嫁、离婚为由剥夺妇女的土地承包权益，出嫁女依法享有平等权益。\n",
            ),
            None,
            "",
        ),
        (
            regulation(
                "dongling",
                GOOD_VOTE,
                FILED,
                "2. 村民可以依法信访，任何人不得因信访打击报复。\n",
            ),
            None,
            "",
        ),
        (
            regulation(
                "xinhua",
                "meeting: 居民会议, expected: 100, present: 60, for: 40",
                "  filing: {date: 2025-03-01, body: 敦煌市人民政府}\n",
                "",
            ),
            None,
            "",
        ),
        (
            regulation(
                "xinhua",
                "meeting: 居民会议, expected: 100, present: 60, for: 40",
                FILED,
                "",
            ),
            Some("W346"),
            "第十五条",
        ),
        (
            regulation(
                "xinhua",
                GOOD_VOTE,
                "  filing: {date: 2025-03-01, body: 敦煌市人民政府}\n",
                "",
            ),
            Some("W340"),
            "第十五条",
        ),
    ];
    for (text, code, law) in rows {
        let found = findings(&[(Kind::Regulation, &text)]);
        match code {
            None => assert!(found.is_empty(), "{text}\n{found:?}"),
            Some(code) => {
                assert_eq!(found.len(), 1, "{text}\n{found:#?}");
                assert_eq!(found[0].code, code);
                assert!(
                    found[0].law.as_deref().unwrap_or("").contains(law),
                    "{:?}",
                    found[0]
                );
                assert!(found[0].line > 0);
            }
        }
    }
}

/// The notices of issue 25 item 2 as they were published (tests/fixtures/pre-fix-notices/):
/// each ties a woman's membership or share to her 户口, in the body or in a field, and the
/// clause lint finds each place, citing the articles that say membership does not follow 户口.
#[test]
fn the_clause_lint_reads_notices_and_finds_rights_tied_to_hukou() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = SiteConfig::read(root).expect("site.yaml");
    let dir = root.join("tests/fixtures/pre-fix-notices");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let sources = names
        .iter()
        .map(|name| Source {
            kind: Kind::Notice,
            key: format!("notices/{name}"),
            file: format!("content/notices/{name}"),
            path: Default::default(),
            text: std::fs::read_to_string(dir.join(name)).unwrap(),
        })
        .collect();
    let opts = Options {
        drafts: false,
        today: Date::parse("2026-11-26").unwrap(),
    };
    let (site, problems) = Site::build(config, sources, &opts);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(site.notices.len(), 3);
    let found: Vec<(String, usize)> = qili::check::run(&site)
        .into_iter()
        .filter(|d| ["W342", "W343", "W344", "W345"].contains(&d.code))
        .map(|d| {
            assert_eq!(d.code, "W344", "{d:?}");
            let law = d.law.as_deref().unwrap_or("");
            for article in [
                "《妇女权益保障法》第五十五条、第五十六条",
                "《农村集体经济组织法》第十八条",
            ] {
                assert!(law.contains(article), "{d:?}");
            }
            (
                d.file.trim_start_matches("content/notices/").to_string(),
                d.line,
            )
        })
        .collect();
    let expected = [
        // 附件 2：「出嫁女、离婚妇女户口在本村且在他处没有宅基地的，同样可以申请」.
        ("beipo-2027-zhaijidi.md", 52),
        // summary：「户口在本村的出嫁女、离婚妇女依法保留成员身份」.
        ("xihe-2026-queren-chengyuan.md", 6),
        // result.content：「1 名户口在本组的出嫁女经核实补入名单」.
        ("yangzhuang-2026-tudi-buchangfei.md", 52),
        // 分配办法 3：「……户口在本组且未在其他集体经济组织取得成员身份的，与其他成员同等分配」.
        ("yangzhuang-2026-tudi-buchangfei.md", 75),
    ];
    let mut found = found;
    found.sort();
    let expected: Vec<(String, usize)> =
        expected.iter().map(|(f, l)| (f.to_string(), *l)).collect();
    assert_eq!(found, expected);
}

#[test]
fn notices_are_read_by_every_phrasing_of_the_clause_lint() {
    // One notice per kind of finding, in the body or in a field; and a lawful one.
    let rows = [
        ("正文\n\n2. 乱倒垃圾的，罚 50 元。\n", "", Some("W342")),
        (
            "正文\n\n2. 上访期间暂停发放其各项补贴。\n",
            "",
            Some("W343"),
        ),
        (
            "正文\n",
            "summary: 男到女家落户的，不享受本次分配。\n",
            Some("W344"),
        ),
        (
            "正文\n\n不缴纳卫生费的，停止享受村集体福利。\n",
            "",
            Some("W345"),
        ),
        (
            "正文\n\n出嫁女、离婚丧偶妇女及其子女同等分配。\n",
            "summary: 出嫁女和男到女家落户的男子享有平等的权益。\n",
            None,
        ),
    ];
    for (body, field, code) in rows {
        let text = notice("dongling", "其他村民利益事项", "", field).replace("正文\n", body);
        let found: Vec<Diagnostic> = findings(&[(Kind::Notice, &text)])
            .into_iter()
            .filter(|d| ["W342", "W343", "W344", "W345"].contains(&d.code))
            .collect();
        match code {
            None => assert!(found.is_empty(), "{text}\n{found:#?}"),
            Some(code) => {
                assert_eq!(found.len(), 1, "{text}\n{found:#?}");
                assert_eq!(found[0].code, code);
                let line = if field.is_empty() { 18 } else { 14 };
                assert_eq!(found[0].line, line, "{text}\n{:?}", found[0]);
            }
        }
    }
}

#[test]
fn quarterly_disclosure_cadence_article_30() {
    let config = SiteConfig::parse(SITE).unwrap();
    let text = notice(
        "dongling",
        "公益事业",
        &resolution("村民代表会议", "expected: 30, present: 25, for: 20"),
        DISCLOSURE,
    );
    let source = Source {
        kind: Kind::Notice,
        key: "notices/a.md".into(),
        file: "content/notices/a.md".into(),
        path: Default::default(),
        text,
    };
    // The notice is dated 2026-04-20: the second quarter has it, the third does not. The
    // article is the one in force today: 第三十条 until 2025-12-31, 第三十五条第三款 after.
    // A community is not warned: the 居委会组织法 sets no frequency for 居务公开.
    for (today, warned, law) in [
        ("2026-06-30", vec!["柳湾村"], "第三十五条第三款"),
        ("2026-07-01", vec!["东岭村", "柳湾村"], "第三十五条第三款"),
        ("2026-04-20", vec!["柳湾村"], "第三十五条第三款"),
        ("2025-12-31", vec!["柳湾村"], "《村民委员会组织法》第三十条"),
    ] {
        let opts = Options {
            drafts: false,
            today: Date::parse(today).unwrap(),
        };
        let (site, _) = Site::build(config.clone(), vec![source.clone()], &opts);
        let found: Vec<Diagnostic> = qili::check::run(&site)
            .into_iter()
            .filter(|d| d.code == "W331")
            .collect();
        let names: Vec<bool> = warned
            .iter()
            .map(|w| found.iter().any(|d| d.message.contains(w)))
            .collect();
        assert_eq!(found.len(), warned.len(), "{today}: {found:?}");
        assert!(found.iter().all(|d| !d.message.contains("新华社区")));
        assert!(names.iter().all(|x| *x), "{today}: {found:?}");
        assert!(found.iter().all(|d| d.file == "site.yaml"
            && d.line > 1
            && d.law.as_deref().unwrap().contains(law)));
    }
}

/// A poster prints up to "## 附件": an objection route or the money written only below it is a
/// warning; the same text above it is not.
#[test]
fn objection_route_and_amounts_must_reach_the_poster() {
    let with_body = |body: &str| {
        notice(
            "dongling",
            "公益事业",
            &resolution("村民代表会议", "expected: 30, present: 25, for: 20"),
            DISCLOSURE,
        )
        .replace("---\n正文\n", &format!("---\n{body}"))
    };
    let codes = |body: &str| -> Vec<&'static str> {
        findings(&[(Kind::Notice, &with_body(body))])
            .iter()
            .map(|d| d.code)
            .collect()
    };
    let hidden =
        "决议通过。\n\n## 附件：钱和异议\n\n预算 48.5 万元。\n\n有异议的，向村务监督委员会反映。\n";
    assert_eq!(codes(hidden), vec!["W352", "W353"]);
    let shown = "决议通过，预算 48.5 万元；有异议的，向村务监督委员会反映。\n\n## 附件：明细\n\n材料费 3.2 万元；名单有异议的找组长。\n";
    assert!(codes(shown).is_empty());
    // The finding points at the 附件 heading: the body starts on line 17, the heading is its third line.
    let found = findings(&[(Kind::Notice, &with_body(hidden))]);
    assert_eq!(found[0].line, 19, "{found:?}");
}

/// A notice whose meeting is on `day` (the earlier steps a few days before it) with `fields` in
/// the resolution and `tail` (disclosure, result) after it.
fn notice_on(day: &str, village: &str, meeting: &str, fields: &str, tail: &str) -> String {
    format!(
        "---\ntitle: 公开\nslug: n\nvillage: {village}\ndate: 2026-04-20\nmatter: 事项\nkind: {kind}\ninitiated_by: 村干部提议\nsteps:\n  proposal: {{date: 2025-10-01}}\n  deliberation: {{date: 2025-10-05, expected: 7, present: 7, for: 7}}\n  party_review: {{date: 2025-10-10, expected: 31, present: 25, for: 20}}\n  resolution: {{meeting: {meeting}, date: {day}, {fields}}}\n{tail}signature: {{body: 村委会, date: 2026-04-20}}\n---\n正文\n",
        kind = if village == "xinhua" { "社区事项" } else { "公益事业" }
    )
}

/// The one finding of a notice, or a panic naming what was found instead.
fn only(text: &str) -> Diagnostic {
    let found = findings(&[(Kind::Notice, text)]);
    assert_eq!(found.len(), 1, "{text}\n{found:#?}");
    found.into_iter().next().unwrap()
}

#[test]
fn a_meeting_cites_the_articles_in_force_on_its_day() {
    let tail = "disclosure: {from: 2026-01-10, to: 2026-01-24}\n";
    for (day, representatives, assembly, group, residents) in [
        (
            "2025-12-31",
            "《村民委员会组织法》第二十六条",
            "《村民委员会组织法》第二十二条",
            "《村民委员会组织法》第二十八条",
            "《城市居民委员会组织法》第九条",
        ),
        (
            "2026-01-01",
            "《村民委员会组织法》第三十条",
            "《村民委员会组织法》第二十六条",
            "《村民委员会组织法》第三十二条第二款",
            "《城市居民委员会组织法》第二十七条",
        ),
    ] {
        let cases = [
            (
                "dongling",
                "村民代表会议",
                "expected: 33, present: 21, for: 12",
                "E301",
                representatives,
            ),
            (
                "dongling",
                "村民代表会议",
                "expected: 30, present: 30, for: 15",
                "E302",
                representatives,
            ),
            (
                "dongling",
                "村民会议",
                "expected: 100, present: 50, for: 26",
                "E303",
                assembly,
            ),
            (
                "dongling",
                "村民小组会议",
                "expected: 30, present: 20, for: 10",
                "E306",
                group,
            ),
            (
                "xinhua",
                "居民会议",
                "expected: 100, present: 51, for: 25",
                "E308",
                residents,
            ),
        ];
        for (village, meeting, fields, code, law) in cases {
            let d = only(&notice_on(day, village, meeting, fields, tail));
            assert_eq!(d.code, code, "{day} {meeting}: {d}");
            assert_eq!(d.law.as_deref(), Some(law), "{day} {meeting}: {d}");
        }
    }
}

#[test]
fn a_regulation_is_judged_by_the_texts_of_its_vote_and_its_filing() {
    let regulation_on = |vote: &str, filing: &str, village: &str, meeting: &str| {
        format!(
            "---\ntitle: 村规民约\nvillage: {village}\nversion: \"2026\"\nhistory:\n  draft: {{date: 2025-11-01}}\n  vote: {{date: {vote}, meeting: {meeting}, expected: 100, present: 50, for: 40}}\n  filing: {{date: {filing}, body: 七里镇人民政府}}\n---\n## 总则\n\n1. 为了建设和谐村庄，制定本村规民约。\n"
        )
    };
    for (vote, law) in [
        ("2025-12-31", "《村民委员会组织法》第二十二条"),
        ("2026-01-01", "《村民委员会组织法》第二十六条"),
    ] {
        let text = regulation_on(vote, "2026-01-05", "dongling", "村民会议");
        let found = findings(&[(Kind::Regulation, &text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            (found[0].code, found[0].law.as_deref()),
            ("E303", Some(law))
        );
    }
    // A 居民公约 filed with the 镇: the filing's day picks the article.
    for (filing, law) in [
        ("2025-12-31", "《城市居民委员会组织法》第十五条"),
        ("2026-01-01", "《城市居民委员会组织法》第三十一条第一款"),
    ] {
        let text = regulation_on("2025-12-20", filing, "xinhua", "居民会议")
            .replace("present: 50", "present: 60");
        let found = findings(&[(Kind::Regulation, &text)]);
        let w346: Vec<_> = found.iter().filter(|d| d.code == "W346").collect();
        assert_eq!(w346.len(), 1, "{found:#?}");
        assert_eq!(w346[0].law.as_deref(), Some(law));
        let by_2025 = filing.starts_with("2026");
        assert_eq!(
            w346[0].message.contains("街道办事处"),
            by_2025,
            "{}",
            w346[0]
        );
    }
}

/// 村组法 2025 第三十五条第四款, 居委会组织法 2025 第三十四条第三款: from a 公示 starting on
/// 2026-01-01, fewer than fifteen days (both ends counted) is an error; one starting the day
/// before is under the 2018 texts, which set no number. A 成员大会's decision: no number in law.
#[test]
fn publicity_of_fifteen_days_from_2026() {
    let village = "《村民委员会组织法》第三十五条第四款";
    let community = "《城市居民委员会组织法》第三十四条第三款";
    let rows = [
        (
            "dongling",
            "村民代表会议",
            "expected: 30, present: 25, for: 20",
            "2026-01-01",
            "2026-01-14",
            Some(village),
        ),
        (
            "dongling",
            "村民代表会议",
            "expected: 30, present: 25, for: 20",
            "2026-01-01",
            "2026-01-15",
            None,
        ),
        (
            "dongling",
            "村民代表会议",
            "expected: 30, present: 25, for: 20",
            "2025-12-31",
            "2026-01-13",
            None,
        ),
        (
            "dongling",
            "村民会议",
            "expected: 100, present: 60, for: 40",
            "2026-01-01",
            "2026-01-14",
            Some(village),
        ),
        (
            "dongling",
            "村民小组会议",
            "expected: 30, present: 20, for: 11",
            "2026-01-01",
            "2026-01-14",
            Some(village),
        ),
        (
            "xinhua",
            "居民会议",
            "expected: 100, present: 60, for: 40",
            "2026-01-01",
            "2026-01-14",
            Some(community),
        ),
        (
            "xinhua",
            "居民会议",
            "expected: 100, present: 60, for: 40",
            "2026-01-01",
            "2026-01-15",
            None,
        ),
        (
            "xinhua",
            "居民会议",
            "expected: 100, present: 60, for: 40",
            "2025-12-31",
            "2026-01-13",
            None,
        ),
        (
            "liuwan",
            "成员大会",
            "expected: 300, present: 200, for: 200",
            "2026-01-01",
            "2026-01-07",
            None,
        ),
    ];
    for (v, meeting, fields, from, to, law) in rows {
        let tail = format!("disclosure: {{from: {from}, to: {to}}}\n");
        let text = notice_on("2025-12-20", v, meeting, fields, &tail);
        let found = findings(&[(Kind::Notice, &text)]);
        match law {
            None => assert!(found.is_empty(), "{meeting} {from}–{to}: {found:#?}"),
            Some(law) => {
                assert_eq!(found.len(), 1, "{meeting} {from}–{to}: {found:#?}");
                let d = &found[0];
                assert_eq!((d.code, d.severity), ("E325", Severity::Error));
                assert_eq!(d.law.as_deref(), Some(law));
                assert_eq!(d.field.as_deref(), Some("disclosure.to"));
                assert!(
                    d.message
                        .contains(&format!("{meeting}的决定公示只有 14 天")),
                    "{d}"
                );
                assert!(
                    d.hint.as_deref().unwrap_or("").contains("2026年1月15日"),
                    "{d}"
                );
            }
        }
    }
}

/// W330 is the town's own number: above the law's it still warns, below it E325 says it alone;
/// before 2026 only W330 speaks.
#[test]
fn the_towns_publicity_days_warn_on_their_own() {
    let fields = "expected: 30, present: 25, for: 20";
    for (from, to, codes) in [
        ("2026-01-01", "2026-01-15", vec!["W330"]),
        ("2026-01-01", "2026-01-20", vec![]),
        ("2026-01-01", "2026-01-14", vec!["E325"]),
        ("2025-12-01", "2025-12-14", vec!["W330"]),
    ] {
        let tail = format!("disclosure: {{from: {from}, to: {to}}}\n");
        let text = notice_on("2025-11-20", "dongling", "村民代表会议", fields, &tail);
        let found = findings_with("defaults: {publicity_days: 20}\n", &[(Kind::Notice, &text)]);
        let got: Vec<&str> = found.iter().map(|d| d.code).collect();
        assert_eq!(got, codes, "{from}–{to}: {found:#?}");
    }
}

/// 提前十日通知: 村组法 2025 第二十五条第二款 and 居委会组织法 2025 第二十六条第二款 let a
/// special case be announced at short notice, which the record must name (`urgent`); the 2018
/// 村组法 (第二十一条), the 2018 居委会组织法 (no notice rule) and 集体经济组织法第二十七条 do not.
#[test]
fn ten_days_notice_and_the_special_case_by_date() {
    let tail = "disclosure: {from: 2026-01-10, to: 2026-01-24}\n";
    let village = "expected: 100, present: 60, for: 40";
    let urgent = "urgent: 暴雨冲毁干渠，需立即决定抢修方案";
    let rows: Vec<(&str, &str, &str, String, Option<&str>)> = vec![
        (
            "dongling",
            "村民会议",
            "2026-01-01",
            format!("announced: 2025-12-22, {village}"),
            None,
        ),
        (
            "dongling",
            "村民会议",
            "2026-01-01",
            format!("announced: 2025-12-23, {village}"),
            Some("《村民委员会组织法》第二十五条第二款"),
        ),
        (
            "dongling",
            "村民会议",
            "2026-01-01",
            format!("announced: 2025-12-30, {urgent}, {village}"),
            None,
        ),
        (
            "dongling",
            "村民会议",
            "2026-01-01",
            format!("announced: 2025-12-30, urgent: \"  \", {village}"),
            Some("《村民委员会组织法》第二十五条第二款"),
        ),
        (
            "dongling",
            "村民会议",
            "2025-12-31",
            format!("announced: 2025-12-22, {urgent}, {village}"),
            Some("《村民委员会组织法》第二十一条"),
        ),
        (
            "dongling",
            "村民会议",
            "2025-12-31",
            format!("announced: 2025-12-21, {village}"),
            None,
        ),
        (
            "xinhua",
            "居民会议",
            "2026-01-01",
            format!("announced: 2025-12-22, {village}"),
            None,
        ),
        (
            "xinhua",
            "居民会议",
            "2026-01-01",
            format!("announced: 2025-12-23, {village}"),
            Some("《城市居民委员会组织法》第二十六条第二款"),
        ),
        (
            "xinhua",
            "居民会议",
            "2026-01-01",
            format!("announced: 2025-12-30, {urgent}, {village}"),
            None,
        ),
        (
            "xinhua",
            "居民会议",
            "2025-12-31",
            format!("announced: 2025-12-30, {village}"),
            None,
        ),
        (
            "liuwan",
            "成员大会",
            "2026-01-01",
            format!("announced: 2025-12-23, {urgent}, expected: 300, present: 200, for: 200"),
            Some("《农村集体经济组织法》第二十七条"),
        ),
    ];
    for (v, meeting, day, fields, law) in rows {
        let text = notice_on(day, v, meeting, &fields, tail);
        let found = findings(&[(Kind::Notice, &text)]);
        match law {
            None => assert!(found.is_empty(), "{meeting} {day} {fields}: {found:#?}"),
            Some(law) => {
                assert_eq!(found.len(), 1, "{meeting} {day} {fields}: {found:#?}");
                let d = &found[0];
                assert_eq!((d.code, d.severity), ("E322", Severity::Error), "{d}");
                assert_eq!(d.law.as_deref(), Some(law), "{d}");
                assert!(d.message.contains("应当提前十日"), "{d}");
            }
        }
    }
}
