//! Bad and hostile input, end to end with the real binary. Editors paste from WeChat, save
//! half-written files and use every editor there is; notices are legal records. Every bad source
//! must give its diagnostic (code, file, line), exit 1 without a panic, and leave the site that
//! was published before exactly as it was. A few inputs that look odd but are fine (BOM, CRLF,
//! deep nesting, editor backup files) must build.

use crate::common;
use common::{lesson_front, Site};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

const GOOD_NOTICE: &str = "\
---
title: 东岭村灌溉干渠防渗改造工程决议公开
slug: gan-qu
village: dongling
date: 2026-04-10
summary: 村民代表会议通过干渠防渗改造方案，公示 7 天。
matter: 灌溉干渠防渗改造工程建设方案
kind: 公益事业
initiated_by: 党员群众建议
steps:
  proposal: {date: 2026-03-20, body: 村党支部委员会}
  deliberation: {date: 2026-03-23, expected: 7, present: 7, for: 7}
  party_review: {date: 2026-03-27, expected: 31, present: 27, for: 25, against: 1, abstain: 1}
  resolution:
    meeting: 村民代表会议
    date: 2026-04-08
    expected: 35
    present: 30
    for: 28
    against: 1
    abstain: 1
disclosure: {from: 2026-04-10, to: 2026-04-24, place: 村务公开栏}
signature: {body: 东岭村民委员会, date: 2026-04-10}
---
决议内容和实施方案。
";

const GOOD_REGULATION: &str = "\
---
title: 东岭村村规民约
village: dongling
version: \"2025\"
history:
  solicit: {date: 2025-01-10, note: 入户征求意见}
  draft: {date: 2025-02-15}
  review: {date: 2025-03-01, body: 测试镇党委、政府}
  vote: {date: 2025-03-20, meeting: 村民会议, expected: 820, present: 560, for: 540}
  filing: {date: 2025-04-01, body: 测试镇人民政府}
effective: 2025-04-01
---
## 总则

1. 本村村民共同遵守本规约。
2. 邻里之间互谅互让。
";

/// A site that builds: one lesson, one notice, one regulation.
fn good_site() -> Site {
    let site = Site::new();
    site.lesson(
        "good",
        &lesson_front("第一课", "lingdao, qunzhong"),
        "正文\n",
    );
    site.write("content/notices/good.md", GOOD_NOTICE);
    site.write("content/regulations/dongling-2025.md", GOOD_REGULATION);
    site
}

/// A lesson source from its front-matter lines and body. The front matter starts on line 2,
/// so the n-th front-matter line is file line n + 1.
fn lesson_text(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n{body}")
}

/// Lines of a good lesson's front matter (file lines 2-5), for cases that change one of them.
fn front(extra: &str) -> String {
    format!("{}\n{extra}", lesson_front("坏课", "qunzhong"))
        .trim_end()
        .to_string()
}

/// The good notice with one piece of text replaced, saved under another slug.
fn notice_with(from: &str, to: &str) -> String {
    assert!(GOOD_NOTICE.contains(from), "fixture has {from:?}");
    GOOD_NOTICE
        .replace("slug: gan-qu", "slug: huai")
        .replacen(from, to, 1)
}

fn regulation_with(from: &str, to: &str) -> String {
    assert!(GOOD_REGULATION.contains(from), "fixture has {from:?}");
    GOOD_REGULATION
        .replacen(from, to, 1)
        .replace("version: \"2025\"", "version: \"2026\"")
}

fn put(site: &Site, rel: &str, bytes: &[u8]) {
    let p = site.root().join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// Runs `qili build` as a process that cannot bypass file permissions, even as root (tests and
/// CI run as root, for whom `chmod 000` changes nothing). The capabilities that let root read
/// any file are dropped from the bounding set before `exec`, so the new process never has them.
fn build_without_permission_bypass(site: &Site) -> common::Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qili"));
    cmd.args(["build", "--today", "2026-04-12", "--root"])
        .arg(site.root());
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        const CAP_DAC_OVERRIDE: libc::c_ulong = 1;
        const CAP_DAC_READ_SEARCH: libc::c_ulong = 2;
        // SAFETY: between fork and exec only prctl is called, which is async-signal-safe.
        unsafe {
            cmd.pre_exec(|| {
                for cap in [CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH] {
                    // Fails with EPERM for a user who does not hold these capabilities anyway.
                    libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0);
                }
                Ok(())
            });
        }
    }
    common::Run::from(common::output_within(&mut cmd, common::HANG))
}

enum Build {
    Normal,
    /// Built by a process that cannot read what its permissions forbid.
    WithoutPermissionBypass,
}

struct Case {
    name: &'static str,
    /// Adds the bad input to a good site.
    setup: Box<dyn Fn(&Site) + Send + Sync>,
    code: &'static str,
    /// `file:line` of the diagnostic, or just `file` for one about the whole file.
    at: &'static str,
    build: Build,
}

fn case(
    name: &'static str,
    code: &'static str,
    at: &'static str,
    setup: impl Fn(&Site) + Send + Sync + 'static,
) -> Case {
    Case {
        name,
        setup: Box::new(setup),
        code,
        at,
        build: Build::Normal,
    }
}

/// A case that only adds one file.
fn file(
    name: &'static str,
    code: &'static str,
    at: &'static str,
    rel: &'static str,
    bytes: impl Into<Vec<u8>>,
) -> Case {
    let bytes = bytes.into();
    case(name, code, at, move |s| put(s, rel, &bytes))
}

fn lesson(name: &'static str, code: &'static str, at: &'static str, text: String) -> Case {
    file(name, code, at, "content/lessons/bad.md", text)
}

fn notice(name: &'static str, code: &'static str, at: &'static str, text: String) -> Case {
    file(name, code, at, "content/notices/bad.md", text)
}

fn regulation(name: &'static str, code: &'static str, at: &'static str, text: String) -> Case {
    file(name, code, at, "content/regulations/dongling-2026.md", text)
}

const L: &str = "content/lessons/bad.md";

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[cfg(unix)]
fn chmod(path: impl AsRef<Path>, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn cases() -> Vec<Case> {
    let mut gbk_title = b"---\ntitle: ".to_vec();
    gbk_title.extend_from_slice(&[0xb4, 0xe5, 0xce, 0xf1, 0xb9, 0xab, 0xbf, 0xaa]); // 村务公开 in GBK
    gbk_title.extend_from_slice(b"\ndate: 2026-03-01\naudiences: [qunzhong]\n---\n");

    let mut nul = lesson_text(&front(""), "第一段\n\n第二段").into_bytes();
    nul.extend_from_slice(b"\0\n");

    // Saved while the editor was still writing the last character: 课 is e8 af be.
    let mut cut = lesson_text(&front(""), "第一行\n第二行课").into_bytes();
    cut.truncate(cut.len() - 1);

    vec![
        // ---- YAML syntax ----
        lesson(
            "yaml_list_never_closed",
            "E101",
            "content/lessons/bad.md:5:12",
            lesson_text(
                "title: 甲\ndate: 2026-03-01\nsummary: 摘要\naudiences: [qunzhong, ganbu",
                "正文\n",
            ),
        ),
        lesson(
            "yaml_quote_never_closed",
            "E101",
            "content/lessons/bad.md:2:8",
            lesson_text(
                "title: \"甲\ndate: 2026-03-01\naudiences: [qunzhong]",
                "正文\n",
            ),
        ),
        lesson(
            "yaml_tab_indentation",
            "E101",
            "content/lessons/bad.md:3",
            lesson_text(
                "title: 甲\n\tdate: 2026-03-01\naudiences: [qunzhong]",
                "正文\n",
            ),
        ),
        lesson(
            "yaml_field_indented_under_another",
            "E101",
            "content/lessons/bad.md:3",
            lesson_text(
                "title: 甲\n  date: 2026-03-01\naudiences: [qunzhong]",
                "正文\n",
            ),
        ),
        lesson(
            "yaml_colon_and_space_inside_a_value",
            "E101",
            "content/lessons/bad.md:2",
            lesson_text(
                "title: 开会时间: 下午三点\ndate: 2026-03-01\naudiences: [qunzhong]",
                "正文\n",
            ),
        ),
        lesson(
            "yaml_chinese_colon",
            "E101",
            "content/lessons/bad.md:3:5",
            lesson_text(
                "title: 甲\ndate：2026-03-01\naudiences: [qunzhong]",
                "正文\n",
            ),
        ),
        lesson(
            "yaml_no_space_after_colon",
            "E101",
            "content/lessons/bad.md:2:6",
            lesson_text("title:甲\ndate: 2026-03-01\naudiences: [qunzhong]", "正文\n"),
        ),
        lesson(
            "yaml_same_field_twice",
            "E101",
            "content/lessons/bad.md:4:1",
            lesson_text(
                "title: 甲\ndate: 2026-03-01\ntitle: 乙\naudiences: [qunzhong]",
                "正文\n",
            ),
        ),
        lesson(
            "yaml_value_starts_with_at_sign",
            "E101",
            "content/lessons/bad.md:2:8",
            lesson_text(
                "title: @张三 说法\ndate: 2026-03-01\naudiences: [qunzhong]",
                "正文\n",
            ),
        ),
        lesson(
            "yaml_value_starts_with_asterisk",
            "E101",
            "content/lessons/bad.md:2",
            lesson_text(
                "title: *重要*通知\ndate: 2026-03-01\naudiences: [qunzhong]",
                "正文\n",
            ),
        ),
        lesson(
            "yaml_invisible_control_character",
            "E101",
            "content/lessons/bad.md:2:9",
            lesson_text(
                "title: 甲\u{7}乙\ndate: 2026-03-01\naudiences: [qunzhong]",
                "正文\n",
            ),
        ),
        lesson(
            "yaml_control_character_by_escape",
            "E104",
            "content/lessons/bad.md:6",
            lesson_text(&front("tags: [\"通知\\u0007\"]"), "正文\n"),
        ),
        lesson(
            "yaml_brackets_nested_ten_thousand_deep",
            "E101",
            "content/lessons/bad.md:6",
            lesson_text(
                &front(&format!("tags: {}", "[".repeat(10_000))),
                "正文\n",
            ),
        ),
        // ---- wrong types ----
        lesson(
            "type_audiences_not_a_list",
            "E104",
            "content/lessons/bad.md:4",
            lesson_text("title: 甲\ndate: 2026-03-01\naudiences: qunzhong", "正文\n"),
        ),
        lesson(
            "type_weight_not_a_number",
            "E104",
            "content/lessons/bad.md:6",
            lesson_text(&front("weight: 第一"), "正文\n"),
        ),
        lesson(
            "type_draft_not_true_or_false",
            "E104",
            "content/lessons/bad.md:6",
            lesson_text(&front("draft: 是"), "正文\n"),
        ),
        lesson(
            "type_title_is_a_list",
            "E104",
            "content/lessons/bad.md:2",
            lesson_text(
                "title: [甲, 乙]\ndate: 2026-03-01\naudiences: [qunzhong]",
                "正文\n",
            ),
        ),
        lesson(
            "type_date_is_a_list",
            "E105",
            "content/lessons/bad.md:3",
            lesson_text(
                "title: 甲\ndate: [2026, 3, 1]\naudiences: [qunzhong]",
                "正文\n",
            ),
        ),
        notice(
            "type_count_in_chinese_numerals",
            "E104",
            "content/notices/bad.md:17",
            notice_with("    expected: 35", "    expected: 三十五"),
        ),
        notice(
            "type_kind_not_one_of_the_list",
            "E104",
            "content/notices/bad.md:8",
            notice_with("kind: 公益事业", "kind: 修路"),
        ),
        notice(
            "type_meeting_not_one_of_the_list",
            "E104",
            "content/notices/bad.md:15",
            notice_with("meeting: 村民代表会议", "meeting: 全村大会"),
        ),
        // ---- unknown and missing keys ----
        lesson(
            "key_unknown_typo",
            "E102",
            "content/lessons/bad.md:6:1",
            lesson_text(&front("sumary: 摘要"), "正文\n"),
        ),
        notice(
            "key_unknown_inside_a_step",
            "E102",
            "content/notices/bad.md:12",
            notice_with("present: 7, for: 7", "presnet: 7, for: 7"),
        ),
        lesson(
            "key_title_missing",
            "E103",
            "content/lessons/bad.md:2",
            lesson_text("date: 2026-03-01\naudiences: [qunzhong]", "正文\n"),
        ),
        lesson(
            "key_title_left_empty",
            "E103",
            "content/lessons/bad.md:2",
            lesson_text("title:\ndate: 2026-03-01\naudiences: [qunzhong]", "正文\n"),
        ),
        lesson(
            "key_date_left_empty",
            "E103",
            "content/lessons/bad.md:3",
            lesson_text("title: 甲\ndate:\naudiences: [qunzhong]", "正文\n"),
        ),
        lesson(
            "key_front_matter_empty",
            "E103",
            "content/lessons/bad.md:2",
            lesson_text("", "正文\n").replacen("---\n\n---", "---\n---", 1),
        ),
        notice(
            "key_signature_missing",
            "E103",
            "content/notices/bad.md:2",
            notice_with("signature: {body: 东岭村民委员会, date: 2026-04-10}\n", ""),
        ),
        notice(
            "key_step_without_date",
            "E103",
            "content/notices/bad.md:11",
            notice_with("{date: 2026-03-20, body: 村党支部委员会}", "{body: 村党支部委员会}"),
        ),
        notice(
            "key_matter_left_empty",
            "E103",
            "content/notices/bad.md:7",
            notice_with("matter: 灌溉干渠防渗改造工程建设方案", "matter: \"\""),
        ),
        file(
            "bom_and_crlf_file_with_an_impossible_date",
            "E105",
            "content/lessons/bad.md:4:7",
            L,
            "\u{feff}---\r\ntitle: 视窗\r\naudiences: [qunzhong]\r\ndate: 2026-02-29\r\n---\r\n正文\r\n",
        ),
        // ---- dates ----
        lesson(
            "date_february_thirtieth",
            "E105",
            "content/lessons/bad.md:3:7",
            lesson_text("title: 甲\ndate: 2026-02-30\naudiences: [qunzhong]", "正文\n"),
        ),
        lesson(
            "date_month_thirteen",
            "E105",
            "content/lessons/bad.md:4:7",
            lesson_text("title: 甲\naudiences: [qunzhong]\ndate: 2026-13-01", "正文\n"),
        ),
        lesson(
            "date_with_slashes",
            "E105",
            "content/lessons/bad.md:3",
            lesson_text("title: 甲\ndate: 2026/3/1\naudiences: [qunzhong]", "正文\n"),
        ),
        lesson(
            "date_year_typo",
            "E105",
            "content/lessons/bad.md:3",
            lesson_text("title: 甲\ndate: 0206-03-01\naudiences: [qunzhong]", "正文\n"),
        ),
        notice(
            "date_april_thirty_first_in_a_step",
            "E105",
            "content/notices/bad.md:16",
            notice_with("    date: 2026-04-08", "    date: 2026-04-31"),
        ),
        // ---- the file itself ----
        file("file_empty", "E107", "content/lessons/bad.md:1", L, ""),
        file(
            "file_only_blank_lines",
            "E107",
            "content/lessons/bad.md:1",
            L,
            "\n\n   \n\t\n",
        ),
        file(
            "file_front_matter_never_closed",
            "E106",
            "content/lessons/bad.md:1",
            L,
            "---\ntitle: 甲\ndate: 2026-03-01\naudiences: [qunzhong]\n\n正文\n",
        ),
        file(
            "file_body_without_front_matter",
            "E107",
            "content/lessons/bad.md:1",
            L,
            "## 从微信复制的文章\n\n正文\n",
        ),
        file(
            "file_gbk_encoded",
            "E108",
            "content/lessons/bad.md:2",
            L,
            gbk_title,
        ),
        file("file_nul_byte", "E108", "content/lessons/bad.md:9:4", L, nul),
        file(
            "file_half_saved_mid_character",
            "E108",
            "content/lessons/bad.md:8",
            L,
            cut,
        ),
        file(
            "file_half_saved_in_front_matter",
            "E106",
            "content/lessons/bad.md:1",
            L,
            "---\ntitle: 甲\ndate: 2026-03-0",
        ),
        lesson(
            "file_front_matter_of_seventy_kilobytes",
            "E110",
            "content/lessons/bad.md:1",
            lesson_text(
                &front(&format!("laws: [{}]", "《民法典》, ".repeat(5_000))),
                "正文\n",
            ),
        ),
        case(
            "file_of_twenty_megabytes",
            "E110",
            "content/lessons/big.md",
            |s| {
                let mut text = lesson_text(&front(""), "");
                let line = "这是一段很长的正文，用来把文件撑到二十兆。\n";
                while text.len() < 20 * 1024 * 1024 {
                    text.push_str(line);
                }
                s.write("content/lessons/big.md", &text);
            },
        ),
        // ---- slugs and URLs ----
        lesson(
            "slug_parent_directory",
            "E201",
            "content/lessons/bad.md:6",
            lesson_text(&front("slug: ../x"), "正文\n"),
        ),
        lesson(
            "slug_absolute_path",
            "E201",
            "content/lessons/bad.md:6",
            lesson_text(&front("slug: /etc"), "正文\n"),
        ),
        lesson(
            "slug_with_a_slash",
            "E201",
            "content/lessons/bad.md:6",
            lesson_text(&front("slug: a/b"), "正文\n"),
        ),
        lesson(
            "slug_very_long",
            "E201",
            "content/lessons/bad.md:6",
            lesson_text(&front(&format!("slug: {}", "a".repeat(300))), "正文\n"),
        ),
        lesson(
            "slug_in_chinese",
            "E201",
            "content/lessons/bad.md:6",
            lesson_text(&front("slug: 第一课"), "正文\n"),
        ),
        file(
            "slug_from_a_file_name_of_punctuation",
            "E201",
            "content/lessons/？？.md:1",
            "content/lessons/？？.md",
            lesson_text(&front(""), "正文\n"),
        ),
        lesson(
            "slug_taken_by_another_lesson",
            "E202",
            "content/lessons/bad.md:6",
            lesson_text(
                "title: 坏课\ndate: 2026-01-01\naudiences: [qunzhong]\nsummary: 摘要\nslug: good",
                "正文\n",
            ),
        ),
        notice(
            "slug_of_a_notice_escapes_the_site",
            "E201",
            "content/notices/bad.md:3",
            GOOD_NOTICE.replace("slug: gan-qu", "slug: ../../../etc/cron.d/x"),
        ),
        regulation(
            "slug_regulation_version_with_a_path",
            "E201",
            "content/regulations/dongling-2026.md:4",
            GOOD_REGULATION.replace("version: \"2025\"", "version: \"../2025\""),
        ),
        // ---- audiences and villages ----
        lesson(
            "audience_unknown",
            "E203",
            "content/lessons/bad.md:4",
            lesson_text(
                "title: 甲\ndate: 2026-03-01\naudiences: [qunzhong, cunmin]",
                "正文\n",
            ),
        ),
        lesson(
            "audience_list_empty",
            "E203",
            "content/lessons/bad.md:4",
            lesson_text("title: 甲\ndate: 2026-03-01\naudiences: []", "正文\n"),
        ),
        lesson(
            "audience_unknown_in_a_variant_block",
            "E203",
            "content/lessons/bad.md:9",
            lesson_text(&front(""), "共同\n\n::: cunmin\n大白话\n:::\n"),
        ),
        lesson(
            "audience_block_never_closed",
            "E204",
            "content/lessons/bad.md:9",
            lesson_text(&front(""), "共同\n\n::: qunzhong\n大白话\n"),
        ),
        notice(
            "village_unknown_in_a_notice",
            "E205",
            "content/notices/bad.md:4",
            notice_with("village: dongling", "village: dongxing"),
        ),
        lesson(
            "village_unknown_in_a_lesson",
            "E205",
            "content/lessons/bad.md:6",
            lesson_text(&front("village: nowhere"), "正文\n"),
        ),
        regulation(
            "village_unknown_in_a_regulation",
            "E205",
            "content/regulations/dongling-2026.md:3",
            regulation_with("village: dongling", "village: xiling"),
        ),
        // ---- links ----
        lesson(
            "link_to_a_missing_page",
            "E206",
            "content/lessons/bad.md:9",
            lesson_text(&front(""), "第一段\n\n见[这里](@/lessons/nope.md)。\n"),
        ),
        lesson(
            "link_to_a_missing_anchor",
            "E207",
            "content/lessons/bad.md:7",
            lesson_text(&front(""), "[上文](@/lessons/good.md#mei-you)\n"),
        ),
        lesson(
            "html_pasted_style_never_closed",
            "E208",
            "content/lessons/bad.md:9",
            lesson_text(&front(""), "第一段\n\n<style>\n.rich_media {}\n\n第二段，会被当作样式\n"),
        ),
        // ---- templates ----
        file(
            "template_syntax_error",
            "E401",
            "templates/lesson.html:3",
            "templates/lesson.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title | }}\n{% endblock content %}\n",
        ),
        file(
            "template_reads_a_missing_value",
            "E402",
            "templates/lesson.html:3",
            "templates/lesson.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{{ page.no_such_value }}\n{% endblock content %}\n",
        ),
        // ---- notice numbers that cannot be, and dates out of order ----
        notice(
            "notice_negative_count",
            "E320",
            "content/notices/bad.md:13",
            notice_with("against: 1, abstain: 1}", "against: -1, abstain: 1}"),
        ),
        notice(
            "notice_more_present_than_expected",
            "E320",
            "content/notices/bad.md:18",
            notice_with("    present: 30", "    present: 40"),
        ),
        notice(
            "notice_more_votes_than_people_present",
            "E320",
            "content/notices/bad.md:19",
            notice_with("    for: 28", "    for: 31"),
        ),
        notice(
            "notice_votes_beyond_any_village",
            "E320",
            "content/notices/bad.md:19",
            notice_with("    for: 28", "    for: 9223372036854775807"),
        ),
        notice(
            "notice_disclosed_before_the_decision",
            "E321",
            "content/notices/bad.md:22",
            notice_with(
                "disclosure: {from: 2026-04-10",
                "disclosure: {from: 2026-04-01",
            ),
        ),
        // ---- site.yaml ----
        file(
            "site_yaml_syntax_error",
            "E101",
            "site.yaml:3:7",
            "site.yaml",
            common::SITE_YAML.replace("town: {name: 测试镇}", "town: {name: 测试镇"),
        ),
        file(
            "site_yaml_unknown_key",
            "E102",
            "site.yaml:1",
            "site.yaml",
            common::SITE_YAML.replace("title:", "titel:"),
        ),
        file(
            "site_yaml_village_id_is_a_path",
            "E002",
            "site.yaml",
            "site.yaml",
            common::SITE_YAML.replace("{id: xinhua,", "{id: ../xinhua,"),
        ),
    ]
}

/// Links and permissions.
#[cfg(unix)]
fn unix_cases() -> Vec<Case> {
    vec![
        // ---- symlinks ----
        case(
            "symlink_to_its_own_folder",
            "E111",
            "content/lessons/loop",
            |s| symlink(".", s.root().join("content/lessons/loop")),
        ),
        case(
            "symlink_pair_pointing_at_each_other",
            "E111",
            "content/lessons/a.md",
            |s| {
                symlink("b.md", s.root().join("content/lessons/a.md"));
                symlink("a.md", s.root().join("content/lessons/b.md"));
            },
        ),
        case(
            "symlink_outside_the_site",
            "E111",
            "content/lessons/passwd.md",
            |s| symlink("/etc/passwd", s.root().join("content/lessons/passwd.md")),
        ),
        case(
            "symlink_to_a_folder_outside_the_site",
            "E111",
            "content/notices/shared",
            |s| symlink("/etc", s.root().join("content/notices/shared")),
        ),
        // ---- permissions ----
        Case {
            build: Build::WithoutPermissionBypass,
            ..case("unreadable_file", "E109", "content/lessons/bad.md", |s| {
                let p = s.root().join("content/lessons/bad.md");
                std::fs::write(&p, lesson_text(&front(""), "正文\n")).unwrap();
                chmod(&p, 0o000);
            })
        },
        Case {
            build: Build::WithoutPermissionBypass,
            ..case(
                "unreadable_folder",
                "E109",
                "content/notices/private",
                |s| {
                    let d = s.root().join("content/notices/private");
                    std::fs::create_dir_all(&d).unwrap();
                    std::fs::write(d.join("x.md"), GOOD_NOTICE).unwrap();
                    chmod(&d, 0o000);
                },
            )
        },
    ]
}

#[test]
fn an_unreadable_site_yaml_says_so_with_how_to_fix_it() {
    let site = good_site();
    site.build().ok();
    let before = site.snapshot();
    chmod(site.root().join("site.yaml"), 0o000);
    let run = build_without_permission_bypass(&site);
    run.fails_with("E001", "site.yaml");
    assert!(run.stderr.contains("读不到站点配置"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("提示：site.yaml 没有读的权限：用 chmod a+r site.yaml 加上"),
        "{}",
        run.stderr
    );
    assert!(site.snapshot() == before, "public/ changed");
}

/// Every file of `public/`; the good site's output, to compare with after a failed build.
type Snapshot = BTreeMap<PathBuf, Vec<u8>>;

fn run_case(c: &Case) {
    let site = good_site();
    site.build().ok();
    let before: Snapshot = site.snapshot();
    assert!(before.len() > 10, "good site built");
    (c.setup)(&site);
    // A hang fails in `common::output_within`; no time is asserted here.
    let run = match c.build {
        Build::Normal => site.build(),
        Build::WithoutPermissionBypass => build_without_permission_bypass(&site),
    };
    // Exit 1, the code at the place, no panic.
    run.fails_with(c.code, c.at);
    let line = run
        .stderr
        .lines()
        .position(|l| {
            l.contains(&format!(" {} ", c.code))
                && l.strip_prefix(c.at)
                    .is_some_and(|rest| rest.starts_with(':') || rest.starts_with(' '))
        })
        .unwrap_or_else(|| panic!("no {} at {} in:\n{}", c.code, c.at, run.stderr));
    // Every message comes with a hint on the next line.
    let hint = run.stderr.lines().nth(line + 1).unwrap_or("");
    assert!(
        hint.starts_with("    提示："),
        "{} has no hint:\n{}",
        c.code,
        run.stderr
    );
    if std::env::var_os("QILI_SHOW_CASES").is_some() {
        eprintln!(
            "## {}\n{}\n{hint}",
            c.name,
            run.stderr.lines().nth(line).unwrap_or("")
        );
    }
    assert!(!run.stderr.contains("RUST_BACKTRACE"), "{}", run.stderr);
    assert!(site.snapshot() == before, "public/ changed");
    // Permissions back, so the temporary folder can be removed.
    #[cfg(unix)]
    for e in walkdir::WalkDir::new(site.root().join("content"))
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if !e.path_is_symlink() {
            let mode = if e.file_type().is_dir() { 0o755 } else { 0o644 };
            chmod(e.path(), mode);
        }
    }
}

/// Runs the cases on a few threads and reports every failing case by name.
fn run_all(cases: Vec<Case>) {
    let next = AtomicUsize::new(0);
    let failed = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(c) = cases.get(i) else { break };
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_case(c)));
                if result.is_err() {
                    failed.lock().unwrap().push(c.name);
                }
            });
        }
    });
    let failed = failed.into_inner().unwrap();
    assert!(failed.is_empty(), "failing cases: {failed:?}");
}

#[test]
fn every_bad_source_gives_its_diagnostic_and_leaves_the_site_alone() {
    #[allow(unused_mut)]
    let mut cases = cases();
    #[cfg(unix)]
    cases.extend(unix_cases());
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names are unique");
    run_all(cases);
}

// ---- inputs that look odd but are fine ----

/// `qili new` writes a draft with empty fields for the editor to fill in: it must not stop the
/// site from building, and once it is no longer a draft the empty field is an error.
#[test]
fn a_fresh_draft_does_not_block_the_build_until_it_is_published() {
    let site = good_site();
    site.qili(&["new", "notice", "--village", "dongling", "修路的决议"])
        .ok();
    let draft = walkdir::WalkDir::new(site.root().join("content/notices"))
        .into_iter()
        .flatten()
        .find(|e| e.file_name() != "good.md" && e.file_type().is_file())
        .expect("the new draft")
        .into_path();
    site.build().ok();
    let text = std::fs::read_to_string(&draft).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("matter:"))
        .expect("a matter line")
        + 1;
    std::fs::write(&draft, text.replace("draft: true", "draft: false")).unwrap();
    let file = draft
        .strip_prefix(site.root())
        .unwrap()
        .to_string_lossy()
        .into_owned();
    site.build().fails_with("E103", &format!("{file}:{line}:"));
}

#[test]
fn bom_crlf_and_lone_cr_sources_build_like_any_other() {
    let site = good_site();
    site.write(
        "content/lessons/crlf.md",
        "\u{feff}---\r\ntitle: 视窗\r\ndate: 2026-03-01\r\naudiences: [qunzhong]\r\n---\r\n## 标题\r\n第一行\r\n第二行\r\n",
    );
    site.write(
        "content/lessons/cr.md",
        "---\rtitle: 老式苹果电脑\rdate: 2026-03-01\raudiences: [qunzhong]\r---\r## 标题\r正文\r",
    );
    site.write(
        "content/notices/crlf.md",
        &format!(
            "\u{feff}{}",
            GOOD_NOTICE
                .replace("slug: gan-qu", "slug: crlf")
                .replace('\n', "\r\n")
        ),
    );
    site.write(
        "content/regulations/dongling-2026.md",
        &format!(
            "\u{feff}{}",
            regulation_with("2025-04-01, body", "2025-04-02, body").replace('\n', "\r\n")
        ),
    );
    site.build().ok();
    for page in [
        "qunzhong/lessons/crlf/index.html",
        "qunzhong/lessons/cr/index.html",
    ] {
        let html = site.public(page);
        assert!(
            html.contains("<h2 id=\"biao-ti\">标题</h2>"),
            "{page}: {html}"
        );
        assert!(!html.contains('\r') && !html.contains('\u{feff}'), "{page}");
    }
    assert!(site
        .public("qunzhong/lessons/crlf/index.html")
        .contains("第一行第二行"));
    let notice = site.public("villages/dongling/notices/crlf/index.html");
    assert!(
        notice.contains("公示中") && !notice.contains('\r'),
        "{notice}"
    );
    let regulation = site.public("villages/dongling/guiyue/index.html");
    assert!(regulation.contains("第二条") && regulation.contains("2026"));
}

#[test]
fn editor_swap_backup_and_lock_files_are_ignored() {
    let site = good_site();
    site.build().ok();
    let before = site.snapshot();
    let junk: &[u8] = b"b0VIM 9.0\0\0\xff\xfe half a file";
    for name in [
        ".bad.md.swp",
        ".bad.md.swx",
        "bad.md~",
        "#bad.md#",
        ".#bad.md",
        "bad.md.tmp",
        "bad.md.bak",
        "4913",
        ".~lock.bad.md#",
        "bad.md.crdownload",
    ] {
        put(&site, &format!("content/lessons/{name}"), junk);
        put(&site, &format!("content/notices/{name}"), junk);
    }
    site.build().ok();
    assert!(site.snapshot() == before, "output unchanged");
}

/// Markdown nested thousands deep is valid Markdown and breaks no rule, so it builds: the
/// Markdown parser, the HTML writer and the sanitizer work without recursion, and a limit would
/// be arbitrary. What must not happen is a stack overflow (which would abort the build).
#[test]
fn markdown_nested_thousands_deep_builds() {
    let n = 5000;
    let site = good_site();
    site.lesson(
        "quotes",
        &lesson_front("引用", "qunzhong"),
        &format!("{}最深处\n", "> ".repeat(n)),
    );
    site.lesson(
        "lists",
        &lesson_front("列表", "qunzhong"),
        &format!("{}最深处\n", "- ".repeat(n)),
    );
    site.lesson(
        "divs",
        &lesson_front("粘贴", "qunzhong"),
        &format!("{}最深处{}\n", "<div>".repeat(n), "</div>".repeat(n)),
    );
    site.lesson(
        "emphasis",
        &lesson_front("强调", "qunzhong"),
        &format!("{}最深处{}\n", "*".repeat(n), "*".repeat(n)),
    );
    site.write(
        "content/regulations/dongling-2026.md",
        &regulation_with(
            "1. 本村村民共同遵守本规约。",
            &format!("1. {}最深处", "- ".repeat(n)),
        ),
    );
    // Deep nesting must not make the build hang or overflow its stack: a hang fails in
    // `common::output_within`, a crash in `ok()`.
    site.build().ok();
    for page in [
        "qunzhong/lessons/quotes/index.html",
        "qunzhong/lessons/lists/index.html",
        "qunzhong/lessons/divs/index.html",
        "qunzhong/lessons/emphasis/index.html",
        "villages/dongling/guiyue/index.html",
    ] {
        assert!(site.public(page).contains("最深处"), "{page}");
    }
}
