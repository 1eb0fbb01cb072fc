//! Front matter: the YAML between two `---` lines at the top of a source, split off and parsed
//! into typed values. When the YAML is wrong, the editor is told so in Chinese, at the line and
//! column of the file: `yaml_errors` translates what serde reports, `syntax_errors` what the
//! YAML parser reports.

mod syntax_errors;
mod yaml_errors;

pub use yaml_errors::{did_you_mean, field_label, tagged, yaml_error};

use crate::diagnostics::{Diagnostic, LineIndex};
use serde::de::DeserializeOwned;
use syntax_errors::common_mistake;

/// Longest front matter accepted. A notice's, the longest kind, is about 2 KB; a limit keeps a
/// runaway file from making the YAML parser work for minutes.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// Deepest `[`/`{` nesting accepted in YAML. The parser re-examines every open level at each
/// token, so thousands of levels take minutes; real front matter nests two or three.
pub const MAX_FLOW_DEPTH: usize = 64;

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
            if offset - yaml_start > MAX_FRONT_MATTER_BYTES {
                return Err(Diagnostic::error(
                    "E110",
                    file,
                    format!(
                        "front matter 太长：{} KB，上限 {} KB",
                        (offset - yaml_start) / 1024,
                        MAX_FRONT_MATTER_BYTES / 1024
                    ),
                )
                .at(1, 1)
                .hint("front matter 只写标题、日期等字段；正文写在第二行 --- 之后"));
            }
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
    if let Some(d) = too_deep(src) {
        return Err(d);
    }
    let value: T = serde_yaml::from_str(text).map_err(|e| {
        // A Chinese colon or a missing space derails the YAML in ways its own message explains
        // badly; name the mistake itself when there is one.
        common_mistake(src).unwrap_or_else(|| yaml_error(src, &e))
    })?;
    // Control characters can only come from escapes in double quotes (the parser refuses them
    // raw): no text with a backslash, nothing to look for.
    if text.contains('\\') {
        if let Some(d) = escaped_control(src) {
            return Err(d);
        }
    }
    Ok(value)
}

/// Flow collections (`[…]`, `{…}`) nested deeper than [`MAX_FLOW_DEPTH`].
fn too_deep(src: &YamlSource<'_>) -> Option<Diagnostic> {
    let mut depth = 0usize;
    for (i, b) in src.text.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    let (line, column) = LineIndex::new(src.text).position(i);
                    return Some(
                        Diagnostic::error(
                            "E101",
                            src.file,
                            format!("方括号或花括号嵌套太深（超过 {MAX_FLOW_DEPTH} 层）"),
                        )
                        .at(line + src.first_line - 1, column)
                        .hint("列表写成 [a, b] 就够了；文字里有很多 [ 或 { 时用引号把整段括起来"),
                    );
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Whether a character may stand in a published record: no control characters (they cannot be
/// seen, and most are not allowed in XML, which breaks the feed and the sitemap).
pub fn is_visible_text(c: char) -> bool {
    !matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// Whether a line has an escape that stands for a control character (`\a`, `\x07`, `\u0000`).
fn has_control_escape(line: &str) -> bool {
    let mut rest = line;
    while let Some(i) = rest.find('\\') {
        let after = &rest[i + 1..];
        let hex = |n: usize| {
            after
                .get(1..1 + n)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
        };
        let decoded = match after.chars().next() {
            Some('0' | 'a' | 'b' | 'e' | 'v' | 'f') => Some('\0'),
            Some('x') => hex(2),
            Some('u') => hex(4),
            Some('U') => hex(8),
            _ => None,
        };
        if decoded.is_some_and(|c| !is_visible_text(c)) {
            return true;
        }
        // Skip the escaped character too, so `\\a` is not read as `\a`.
        let skip = after.chars().next().map_or(0, char::len_utf8);
        rest = &after[skip..];
    }
    false
}

/// A control character put into a double-quoted string through an escape such as `\a` or `\x07`.
fn escaped_control(src: &YamlSource<'_>) -> Option<Diagnostic> {
    fn find(v: &serde_yaml::Value) -> Option<char> {
        match v {
            serde_yaml::Value::String(s) => s.chars().find(|c| !is_visible_text(*c)),
            serde_yaml::Value::Sequence(items) => items.iter().find_map(find),
            serde_yaml::Value::Mapping(m) => {
                m.iter().find_map(|(k, v)| find(k).or_else(|| find(v)))
            }
            serde_yaml::Value::Tagged(t) => find(&t.value),
            _ => None,
        }
    }
    let value: serde_yaml::Value = serde_yaml::from_str(src.text).ok()?;
    let bad = find(&value)?;
    let line = src
        .text
        .lines()
        .position(has_control_escape)
        .or_else(|| src.text.lines().position(|l| l.contains('\\')))
        .unwrap_or(0);
    Some(
        Diagnostic::error(
            "E104",
            src.file,
            format!(
                "文字里有看不见的控制字符 U+{:04X}（来自双引号里的转义）",
                bad as u32
            ),
        )
        .at(line + src.first_line, 1)
        .hint("删掉这个转义（例如 \\a、\\x07、\\u0000）；要换行就用 | 写成多行"),
    )
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

#[cfg(test)]
mod tests {
    //! Shared with the submodules' tests: most errors are best checked through a whole source.

    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    pub(super) struct Fm {
        title: String,
        #[serde(default)]
        count: u32,
    }

    pub(super) fn parse_fm(text: &str) -> Result<Fm, Diagnostic> {
        let s = split("a.md", text)?;
        parse(&YamlSource {
            file: "a.md",
            text: s.yaml,
            first_line: s.yaml_line,
        })
    }

    /// Code, file line and column of the error for a front matter (lines as in the file).
    pub(super) fn err(yaml: &str) -> (&'static str, usize, usize, String) {
        let e = parse_fm(&format!("---\n{yaml}---\n")).unwrap_err();
        (e.code, e.line, e.column, e.message)
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
    fn empty_front_matter_reports_the_missing_title() {
        assert_eq!(parse_fm("---\n---\n").unwrap_err().code, "E103");
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
    fn deep_flow_nesting_is_refused_before_parsing() {
        let started = std::time::Instant::now();
        let deep = format!("title: {}x{}\n", "[".repeat(30_000), "]".repeat(30_000));
        let (code, line, _, msg) = err(&deep);
        assert_eq!((code, line), ("E101", 2), "{msg}");
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn control_characters_from_escapes_are_refused() {
        let (code, line, _, msg) = err("count: 1\ntitle: \"甲\\a乙\"\n");
        assert_eq!((code, line), ("E104", 3), "{msg}");
        assert!(msg.contains("U+0007"), "{msg}");
        assert!(parse_fm("---\ntitle: \"甲\\n乙 \\\\a\"\n---\n").is_ok());
    }
}
