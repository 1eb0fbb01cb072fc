//! Front matter: the YAML between two `---` lines at the top of a source, and the translation of
//! YAML and serde errors into Chinese diagnostics an editor can act on.

use crate::diagnostics::Diagnostic;
use serde::de::DeserializeOwned;

/// A source split into its front matter and body. Line numbers are 1-based in the file.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// File line of the first YAML line (the one after the opening `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    /// File line of the first body line.
    pub body_line: usize,
}

/// Splits `text` (already without BOM and CRLF) into front matter and body.
pub fn split<'a>(file: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error("E107", file, "文件是空的")
            .at(1, 1)
            .hint("在文件开头写上 --- 包起来的 front matter（至少有 title），再写正文"));
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(Diagnostic::error("E107", file, "文件开头没有 front matter")
            .at(1, 1)
            .hint("第一行必须是 ---，接着写 title: 等字段，再用一行 --- 结束"));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (i, line) in lines.enumerate() {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            let body_start = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error("E106", file, "front matter 没有结束")
        .at(1, 1)
        .hint("在字段之后、正文之前加一行 ---（文件可能没有保存完整）"))
}

/// Where a piece of YAML sits, so errors point at the right line of the file.
pub struct YamlSource<'a> {
    pub file: &'a str,
    pub text: &'a str,
    /// File line of the YAML's first line.
    pub first_line: usize,
}

/// Parses YAML into `T`, turning any error into a diagnostic at the file's line and column.
pub fn parse<T: DeserializeOwned>(src: &YamlSource<'_>) -> Result<T, Diagnostic> {
    // An empty front matter is an empty mapping, so the "missing field" message names the field.
    let text = if src.text.trim().is_empty() {
        "{}"
    } else {
        src.text
    };
    serde_yaml::from_str(text).map_err(|e| yaml_error(src, &e))
}

/// Line and column (1-based, within the YAML text) of a field given by its dotted path, e.g.
/// `steps.resolution.present`. Used to point findings of later stages at the right line; falls
/// back to the deepest parent found.
pub fn locate(yaml: &str, path: &str) -> Option<(usize, usize)> {
    let mut found = None;
    let mut min_indent = 0usize;
    let mut start = 0usize;
    let lines: Vec<&str> = yaml.lines().collect();
    'seg: for seg in path.split('.') {
        for (i, line) in lines.iter().enumerate().skip(start) {
            let body = line.trim_start();
            let indent = line.len() - body.len();
            let body = body.strip_prefix("- ").unwrap_or(body);
            if found.is_some() && indent < min_indent && !body.is_empty() && !body.starts_with('#')
            {
                break 'seg;
            }
            if let Some(rest) = body.strip_prefix(seg) {
                if rest.starts_with(':') && indent >= min_indent {
                    let col = line.len() - body.len() + 1;
                    found = Some((i + 1, col));
                    min_indent = indent + 1;
                    start = i + 1;
                    continue 'seg;
                }
            }
        }
        break;
    }
    found
}

/// Tag that our own deserializers put in front of a message to choose its error code.
pub fn tagged(code: &str, message: impl std::fmt::Display) -> String {
    format!("[{code}] {message}")
}

pub fn yaml_error(src: &YamlSource<'_>, e: &serde_yaml::Error) -> Diagnostic {
    let (line, column) = e
        .location()
        .map(|l| (l.line() + src.first_line - 1, l.column()))
        .unwrap_or((src.first_line, 1));
    let raw = e.to_string();
    let raw = match raw.find(" at line ") {
        Some(i) => &raw[..i],
        None => raw.as_str(),
    };
    // serde_yaml puts the path of a nested field first: "steps.vote: missing field `date`".
    let (path, msg) = split_path(raw);
    let prefix = path.map(|p| format!("{p}：")).unwrap_or_default();
    let (code, message, hint) = translate(msg);
    // serde_yaml places errors raised by a field's own deserializer (an impossible date) at the
    // start of the mapping; the value quoted in the message finds the real line.
    let (line, column) = match quoted_value(&message) {
        Some(v) if code == "E105" => src
            .text
            .lines()
            .position(|l| l.contains(v))
            .map(|i| {
                let l = src.text.lines().nth(i).unwrap_or("");
                let col = l.find(v).map(|b| l[..b].chars().count() + 1).unwrap_or(1);
                (src.first_line + i, col)
            })
            .unwrap_or((line, column)),
        _ => (line, column),
    };
    let mut d = Diagnostic::error(code, src.file, format!("{prefix}{message}")).at(line, column);
    if let Some(h) = hint {
        d = d.hint(h);
    }
    d
}

/// The text between the first「 and 」of a message.
fn quoted_value(message: &str) -> Option<&str> {
    let start = message.find('「')? + '「'.len_utf8();
    let end = start + message[start..].find('」')?;
    Some(&message[start..end])
}

fn split_path(raw: &str) -> (Option<&str>, &str) {
    const MARKERS: &[&str] = &[
        "unknown field",
        "missing field",
        "invalid type",
        "invalid value",
        "unknown variant",
        "invalid length",
        "[E",
    ];
    for m in MARKERS {
        if let Some(i) = raw.find(m) {
            if i >= 2 && &raw[i - 2..i] == ": " {
                return (Some(&raw[..i - 2]), &raw[i..]);
            }
            return (None, &raw[i..]);
        }
    }
    (None, raw)
}

/// Chinese message, code and hint for one serde/YAML message.
fn translate(msg: &str) -> (&'static str, String, Option<String>) {
    if let Some(rest) = msg.strip_prefix("[E") {
        if let Some((num, text)) = rest.split_once("] ") {
            let code = match num {
                "105" => "E105",
                "201" => "E201",
                _ => "E104",
            };
            return (code, text.to_string(), None);
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
            Some(format!("原始信息：{msg}")),
        );
    }
    if msg.starts_with("duplicate entry") || msg.contains("duplicate") {
        return (
            "E101",
            "同一个字段写了两次".into(),
            Some("删掉重复的那一行".into()),
        );
    }
    (
        "E101",
        format!("YAML 格式错误：{msg}"),
        Some(
            "检查这一行和上一行：冒号后要有空格，缩进用空格且对齐，含冒号或 # 的文字用引号括起来"
                .into(),
        ),
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
        "true 或 false"
    } else if e.contains("map") || e.starts_with("struct") {
        "若干「字段: 值」（缩进写在下一行）"
    } else {
        return format!("「{e}」");
    };
    label.to_string()
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
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
        #[serde(default)]
        count: u32,
    }

    fn parse_fm(text: &str) -> Result<Fm, Diagnostic> {
        let s = split("a.md", text)?;
        parse(&YamlSource {
            file: "a.md",
            text: s.yaml,
            first_line: s.yaml_line,
        })
    }

    #[test]
    fn splits_and_numbers_body_lines() {
        let s = split("a.md", "---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn unclosed_front_matter_is_e106() {
        assert_eq!(split("a.md", "---\ntitle: x\n").unwrap_err().code, "E106");
    }

    #[test]
    fn missing_front_matter_and_empty_file_are_e107() {
        assert_eq!(split("a.md", "正文\n").unwrap_err().code, "E107");
        assert_eq!(split("a.md", "  \n").unwrap_err().code, "E107");
    }

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
    fn empty_front_matter_reports_the_missing_title() {
        assert_eq!(parse_fm("---\n---\n").unwrap_err().code, "E103");
    }

    #[test]
    fn wrong_type_is_e104_in_chinese() {
        let e = parse_fm("---\ntitle: x\ncount: 很多\n---\n").unwrap_err();
        assert_eq!(e.code, "E104");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("整数"), "{}", e.message);
    }

    #[test]
    fn locate_follows_nested_paths() {
        let yaml = "title: x\nsteps:\n  proposal:\n    present: 3\n  resolution:\n    present: 20\nresult: y\n";
        assert_eq!(locate(yaml, "steps.resolution.present"), Some((6, 5)));
        assert_eq!(locate(yaml, "steps.proposal.present"), Some((4, 5)));
        assert_eq!(locate(yaml, "result"), Some((7, 1)));
        assert_eq!(locate(yaml, "steps.party_review.present"), Some((2, 1)));
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
    fn yaml_syntax_error_is_e101_with_line() {
        let e = parse_fm("---\ntitle: x\n  bad: [\n---\n").unwrap_err();
        assert_eq!(e.code, "E101");
        assert!(e.line >= 2, "line {}", e.line);
    }
}
