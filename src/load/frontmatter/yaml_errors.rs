//! Errors serde reports while filling the typed front matter (an unknown or missing field, a
//! value of the wrong type, a duplicate), told in Chinese with a hint, at the line of the file
//! where the editor has to look. Errors of the YAML syntax itself go on to `syntax_errors`.

use super::syntax_errors::{strip_location, syntax_error};
use super::YamlSource;
use crate::diagnostics::Diagnostic;

/// Tag that our own deserializers put in front of a message to choose its error code.
pub fn tagged(code: &str, message: impl std::fmt::Display) -> String {
    format!("[{code}] {message}")
}

pub fn yaml_error(src: &YamlSource<'_>, e: &serde_yaml::Error) -> Diagnostic {
    let yaml_lines = src.text.lines().count().max(1);
    let to_file = |(line, column): (usize, usize)| {
        // An error at the end of the text is reported on the line after it (the closing `---`).
        let line = line.clamp(1, yaml_lines + 1);
        (line + src.first_line - 1, column.max(1))
    };
    let (line, column) = e
        .location()
        .map(|l| to_file((l.line(), l.column())))
        .unwrap_or((src.first_line, 1));
    let full = e.to_string();
    let raw = strip_location(&full);
    // serde_yaml puts the path of a nested field first: "steps.vote: missing field `date`".
    let (path, msg) = split_path(raw);
    let prefix = path.map(|p| format!("{p}：")).unwrap_or_default();
    if path.is_none() && !msg.starts_with("[E") && !is_serde_message(msg) {
        return syntax_error(src, &full, (line, column), to_file);
    }
    let (code, message, hint) = translate(msg);
    let (line, column) = match (code, quoted_value(&message)) {
        // serde_yaml places errors raised by a field's own deserializer (an impossible date) at
        // the start of the mapping; the value quoted in the message finds the real line.
        ("E105", Some(v)) if !v.trim().is_empty() => {
            find_text(src, v, line).unwrap_or((line, column))
        }
        // A duplicate is reported at the start of its mapping: point at the second occurrence.
        _ if msg.starts_with("duplicate field") => {
            let key = backticked(msg).into_iter().next().unwrap_or_default();
            find_key(src, &key, line, 2).unwrap_or((line, column))
        }
        _ => (line, column),
    };
    let mut d = Diagnostic::error(code, src.file, format!("{prefix}{message}")).at(line, column);
    if let Some(h) = hint {
        d = d.hint(h);
    }
    d
}

fn is_serde_message(msg: &str) -> bool {
    MARKERS.iter().any(|m| msg.starts_with(m)) || msg.starts_with("duplicate")
}

/// File line and column of `text` in the YAML, searching from file line `from` on, else from
/// the top.
fn find_text(src: &YamlSource<'_>, text: &str, from: usize) -> Option<(usize, usize)> {
    let first = text.split_whitespace().next()?;
    let skip = from.saturating_sub(src.first_line);
    let lines: Vec<&str> = src.text.lines().collect();
    let hit = |i: usize| {
        let l = lines[i];
        l.find(first)
            .map(|b| (src.first_line + i, l[..b].chars().count() + 1))
    };
    (skip..lines.len())
        .chain(0..skip.min(lines.len()))
        .find_map(hit)
}

/// File line and column of the `nth` occurrence (1-based) of `key:` at one indentation, from file
/// line `from` on.
fn find_key(src: &YamlSource<'_>, key: &str, from: usize, nth: usize) -> Option<(usize, usize)> {
    if key.is_empty() {
        return None;
    }
    let skip = from.saturating_sub(src.first_line);
    let mut indent = None;
    let mut seen = 0;
    for (i, line) in src.text.lines().enumerate().skip(skip) {
        let body = line.trim_start();
        let item = body.strip_prefix("- ").unwrap_or(body);
        let at = line.len() - item.len();
        let Some(rest) = item.strip_prefix(key) else {
            continue;
        };
        if !rest.trim_start().starts_with(':') || *indent.get_or_insert(at) != at {
            continue;
        }
        seen += 1;
        if seen == nth {
            return Some((src.first_line + i, line[..at].chars().count() + 1));
        }
    }
    None
}

/// The text between the first「 and 」of a message.
fn quoted_value(message: &str) -> Option<&str> {
    let start = message.find('「')? + '「'.len_utf8();
    let end = start + message[start..].find('」')?;
    Some(&message[start..end])
}

const MARKERS: &[&str] = &[
    "unknown field",
    "missing field",
    "invalid type",
    "invalid value",
    "unknown variant",
    "invalid length",
    "duplicate field",
    "[E",
];

fn split_path(raw: &str) -> (Option<&str>, &str) {
    // The earliest marker: a later one may sit inside a value the editor wrote.
    let Some(i) = MARKERS.iter().filter_map(|m| raw.find(m)).min() else {
        return (None, raw);
    };
    match i.checked_sub(2).and_then(|j| raw.get(j..i)) {
        Some(": ") => (Some(&raw[..i - 2]), &raw[i..]),
        _ => (None, &raw[i..]),
    }
}

/// Chinese message, code and hint for one serde/YAML message.
fn translate(msg: &str) -> (&'static str, String, Option<String>) {
    if let Some(rest) = msg.strip_prefix("[E") {
        if let Some((num, text)) = rest.split_once("] ") {
            let (code, hint) = match num {
                "103" => ("E103", Some("写上内容，例如日期写成 2026-03-01")),
                "105" => (
                    "E105",
                    Some("写成 2026-03-01 这样的年-月-日，检查这个月有没有这一天"),
                ),
                "201" => ("E201", None),
                _ => ("E104", None),
            };
            return (code, text.to_string(), hint.map(String::from));
        }
    }
    let quoted = backticked(msg);
    if msg.starts_with("unknown field") {
        let field = quoted.first().cloned().unwrap_or_default();
        let expected: Vec<&str> = quoted.iter().skip(1).map(String::as_str).collect();
        let hint = match did_you_mean(&field, &expected) {
            Some(best) => format!("是不是要写 {best}（{}）？", field_label(best)),
            None => format!("可用的字段：{}", expected.join("、")),
        };
        return ("E102", format!("未知字段「{field}」"), Some(hint));
    }
    if msg.starts_with("missing field") {
        let field = quoted.first().cloned().unwrap_or_default();
        return (
            "E103",
            format!("缺少必填字段「{field}」（{}）", field_label(&field)),
            Some(format!("加上一行 {field}: …")),
        );
    }
    if msg.starts_with("unknown variant") {
        let value = quoted.first().cloned().unwrap_or_default();
        let expected: Vec<&str> = quoted.iter().skip(1).map(String::as_str).collect();
        let hint = match did_you_mean(&value, &expected) {
            Some(best) => format!("是不是要写 {best}？可选：{}", expected.join("、")),
            None => format!("可选：{}", expected.join("、")),
        };
        return ("E104", format!("取值「{value}」不在可选范围内"), Some(hint));
    }
    if msg.starts_with("invalid type") || msg.starts_with("invalid value") {
        let expected = msg.rsplit("expected ").next().unwrap_or("");
        return (
            "E104",
            format!("类型不对：应为{}", type_label(expected)),
            Some(type_hint(expected)),
        );
    }
    if msg.starts_with("duplicate") {
        let field = quoted.first().cloned().unwrap_or_default();
        return (
            "E101",
            format!("字段「{field}」写了两次"),
            Some("删掉重复的那一行".into()),
        );
    }
    (
        "E101",
        "YAML 格式错误".into(),
        Some(format!(
            "检查这一行和上一行：冒号后要有空格，缩进用空格且对齐，含冒号或 # 的文字用引号括起来（原始信息：{msg}）"
        )),
    )
}

fn backticked(msg: &str) -> Vec<String> {
    msg.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect()
}

/// The closest candidate, if it is close enough to be what the editor meant.
pub fn did_you_mean<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(input, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

fn type_label(expected: &str) -> String {
    let e = expected.trim();
    let label = if e.starts_with('u') && e[1..].chars().all(|c| c.is_ascii_digit()) {
        "不小于 0 的整数"
    } else if e.starts_with('i') && e[1..].chars().all(|c| c.is_ascii_digit()) {
        "整数"
    } else if e.contains("sequence") {
        "列表（每项一行，以 - 开头，或写成 [a, b]）"
    } else if e.contains("string") || e.contains("date") {
        "文字"
    } else if e.contains("bool") {
        "「true」或「false」"
    } else if e.contains("map") || e.starts_with("struct") {
        "若干「字段: 值」（缩进写在下一行）"
    } else {
        return format!("「{e}」");
    };
    label.to_string()
}

/// How to write a value of the type serde expected.
fn type_hint(expected: &str) -> String {
    let e = expected.trim();
    let integer = |p: char| e.starts_with(p) && e[1..].chars().all(|c| c.is_ascii_digit());
    if integer('u') || integer('i') {
        "只写阿拉伯数字，例如 35（不要写汉字数字或单位）".into()
    } else if e.contains("sequence") {
        "写成 [甲, 乙]，或者每项一行、以「- 」开头".into()
    } else if e.contains("bool") {
        "写 true（是）或 false（否）".into()
    } else if e.contains("string") {
        "直接写文字；文字以 [ 或 { 开头时用引号括起来".into()
    } else if e.contains("map") || e.starts_with("struct") {
        "在下一行多缩进两个空格，写「字段: 值」".into()
    } else {
        format!("应为 {e}")
    }
}

/// What a front-matter field means, for messages.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "title" => "标题",
        "slug" => "网址名",
        "date" => "日期",
        "summary" => "摘要",
        "audiences" => "受众",
        "tags" => "标签",
        "laws" => "引用法律",
        "draft" => "草稿",
        "village" => "所属村（社区）",
        "weight" => "排序",
        "matter" => "事项",
        "kind" => "事项类别",
        "initiated_by" => "动议事由",
        "steps" => "四议步骤",
        "proposal" => "村党组织提议",
        "deliberation" => "两委会议商议",
        "party_review" => "党员大会审议",
        "resolution" => "决议",
        "disclosure" => "决议公开",
        "result" => "实施结果公开",
        "signature" => "落款",
        "body" => "机构名称",
        "contact" => "监督/反映联系方式",
        "expected" => "应到人数",
        "present" => "实到人数",
        "for" => "赞成",
        "against" => "反对",
        "abstain" => "弃权",
        "version" => "版本",
        "history" => "制定过程",
        _ => "见 README 中的字段说明",
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{err, parse_fm};
    use super::super::{parse, split, YamlSource};
    use serde::Deserialize;

    #[test]
    fn unknown_key_suggests_the_close_one_at_its_line() {
        let e = parse_fm("---\ntitle: x\ncont: 3\n---\n").unwrap_err();
        assert_eq!(e.code, "E102");
        assert_eq!(e.line, 3);
        assert!(e.hint.unwrap().contains("count"), "hint names the field");
    }

    #[test]
    fn missing_key_is_e103() {
        let e = parse_fm("---\ncount: 3\n---\n").unwrap_err();
        assert_eq!(e.code, "E103");
        assert!(e.message.contains("title"));
    }

    #[test]
    fn wrong_type_is_e104_in_chinese() {
        let e = parse_fm("---\ntitle: x\ncount: 很多\n---\n").unwrap_err();
        assert_eq!(e.code, "E104");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("整数"), "{}", e.message);
    }

    #[test]
    fn impossible_date_points_at_its_own_line() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct D {
            title: String,
            date: crate::model::date::Date,
        }
        let text = "---\ntitle: x\ndate: 2026-02-30\n---\n";
        let s = split("a.md", text).unwrap();
        let e = parse::<D>(&YamlSource {
            file: "a.md",
            text: s.yaml,
            first_line: s.yaml_line,
        })
        .unwrap_err();
        assert_eq!((e.code, e.line, e.column), ("E105", 3, 7), "{e}");
    }

    #[test]
    fn duplicate_field_points_at_the_second_one() {
        let (code, line, _, msg) = err("title: 甲\ncount: 1\ntitle: 乙\n");
        assert_eq!((code, line), ("E101", 4), "{msg}");
        assert!(msg.contains("title"), "{msg}");
    }

    #[test]
    fn a_user_value_cannot_split_a_message_mid_character() {
        // "unknown field" inside the value, right after a Chinese character.
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        enum K {
            A,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct V {
            k: K,
        }
        let e = parse::<V>(&YamlSource {
            file: "a.md",
            text: "k: 中unknown field\n",
            first_line: 2,
        })
        .unwrap_err();
        assert_eq!(e.code, "E104", "{e}");
    }
}
