//! Errors in the YAML syntax, told in Chinese: the slips of a Chinese input method (a full-width
//! colon, no space after a colon) named before the parser explains them badly, and the parser's
//! own messages translated and placed where the mistake began.

use super::{is_visible_text, YamlSource};
use crate::diagnostics::Diagnostic;

/// A field name followed by a Chinese colon, or by a colon without a space: the commonest slips
/// of editors typing with a Chinese input method.
pub(super) fn common_mistake(src: &YamlSource<'_>) -> Option<Diagnostic> {
    // Lines of a `|` or `>` block are text, whatever they look like.
    let mut block: Option<usize> = None;
    for (i, line) in src.text.lines().enumerate() {
        let body = line.trim_start();
        let indent = line.len() - body.len();
        if let Some(block_indent) = block {
            if body.is_empty() || indent > block_indent {
                continue;
            }
            block = None;
        }
        let item = body.strip_prefix("- ").unwrap_or(body);
        let key_len = item
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if key_len > 0 && item.as_bytes()[0].is_ascii_alphabetic() {
            let key = &item[..key_len];
            let rest = &item[key_len..];
            let at = line.len() - rest.len();
            let column = line[..at].chars().count() + 1;
            let line_no = i + src.first_line;
            if rest.starts_with('：') {
                return Some(
                    Diagnostic::error(
                        "E101",
                        src.file,
                        format!("字段「{key}」后面用了中文冒号「：」"),
                    )
                    .at(line_no, column)
                    .hint(format!(
                        "字段名后面要用英文冒号加一个空格，例如 {key}: …（切换到英文输入法再打冒号）"
                    )),
                );
            }
            if let Some(c) = rest.strip_prefix(':').and_then(|a| a.chars().next()) {
                if !c.is_whitespace() && c != '/' && c != ':' {
                    return Some(
                        Diagnostic::error(
                            "E101",
                            src.file,
                            format!("字段「{key}」的冒号后面少了一个空格"),
                        )
                        .at(line_no, column)
                        .hint(format!("写成 {key}: …，冒号后面要有一个空格")),
                    );
                }
            }
        }
        let t = body.trim_end();
        if ["|", ">", "|-", ">-", "|+", ">+"]
            .iter()
            .any(|m| t.ends_with(m))
        {
            block = Some(indent);
        }
    }
    None
}

/// Drops the trailing ` at line L column C` (or ` at position N`) serde_yaml adds; the location
/// is taken from the error itself.
pub(super) fn strip_location(raw: &str) -> &str {
    let is_location = |tail: &str| {
        let tail = tail
            .strip_prefix(" at line ")
            .or_else(|| tail.strip_prefix(" at position "));
        tail.is_some_and(|t| {
            t.chars()
                .all(|c| c.is_ascii_digit() || " column".contains(c))
        })
    };
    match raw.rfind(" at ") {
        Some(i) if is_location(&raw[i..]) => &raw[..i],
        _ => raw,
    }
}

/// A YAML syntax error from the parser: `problem[, while context at line L column C]`, in
/// Chinese, placed where the editor has to look.
pub(super) fn syntax_error(
    src: &YamlSource<'_>,
    msg: &str,
    at: (usize, usize),
    to_file: impl Fn((usize, usize)) -> (usize, usize),
) -> Diagnostic {
    let complaint = Complaint::read(src, msg, at, to_file);
    let Explanation {
        message,
        hint,
        place,
    } = RULES
        .iter()
        .find_map(|rule| rule(&complaint))
        .unwrap_or_else(|| unrecognised(&complaint));
    Diagnostic::error("E101", src.file, message)
        .at(place.0, place.1)
        .hint(hint)
}

/// The parser's message taken apart: what it found, what it was reading then, and where.
struct Complaint<'a> {
    src: &'a YamlSource<'a>,
    problem: &'a str,
    /// The `while …` part, empty when there is none.
    context: &'a str,
    /// Where the parser stopped (file line and column).
    at: (usize, usize),
    /// Where the unclosed thing began (`while scanning a quoted scalar at line 1 column 8`),
    /// in the file.
    opened_at: Option<(usize, usize)>,
}

impl<'a> Complaint<'a> {
    fn read(
        src: &'a YamlSource<'a>,
        msg: &'a str,
        at: (usize, usize),
        to_file: impl Fn((usize, usize)) -> (usize, usize),
    ) -> Complaint<'a> {
        let (problem, context) = match msg.split_once(", while ") {
            Some((p, c)) => (strip_location(p), Some(c)),
            None => (strip_location(msg), None),
        };
        let opened_at = context.and_then(|c| {
            let (_, pos) = c.rsplit_once(" at line ")?;
            let (l, col) = pos.split_once(" column ")?;
            Some(to_file((l.trim().parse().ok()?, col.trim().parse().ok()?)))
        });
        Complaint {
            src,
            problem,
            context: context.unwrap_or(""),
            at,
            opened_at,
        }
    }

    /// The character where the parser stopped, if the place is inside the text.
    fn char_at_stop(&self) -> Option<char> {
        let (line, column) = self.at;
        self.src
            .text
            .lines()
            .nth(line.checked_sub(self.src.first_line)?)?
            .chars()
            .nth(column.checked_sub(1)?)
    }

    /// Where the unclosed thing began if the parser said, else where it stopped: the editor
    /// has to add the missing end there, not at the end of the file.
    fn opening(&self) -> (usize, usize) {
        self.opened_at.unwrap_or(self.at)
    }

    fn starts(&self, prefixes: &[&str]) -> bool {
        prefixes.iter().any(|p| self.problem.starts_with(p))
    }
}

/// What the editor is told: the message, the hint, and the place to point at.
struct Explanation {
    message: String,
    hint: String,
    place: (usize, usize),
}

fn told(
    message: impl Into<String>,
    hint: impl Into<String>,
    place: (usize, usize),
) -> Option<Explanation> {
    Some(Explanation {
        message: message.into(),
        hint: hint.into(),
        place,
    })
}

const QUOTE_HINT: &str = "整段文字用引号括起来，例如 title: \"……\"";

/// The rules in the order they are tried, the first that recognises the complaint explaining
/// it: a rule further down may match a message a rule above has already explained better
/// (a tab, for one, makes several of the parser's messages).
const RULES: [fn(&Complaint<'_>) -> Option<Explanation>; 11] = [
    unclosed_quote,
    bad_escape,
    unclosed_bracket,
    tab_indent,
    reserved_first_character,
    extra_colon,
    misaligned,
    missing_colon,
    anchor_or_tag,
    control_character,
    limit_exceeded,
];

/// A quote opened and never closed: the parser runs to the end of the file.
fn unclosed_quote(c: &Complaint<'_>) -> Option<Explanation> {
    if !(c.problem.starts_with("found unexpected end of stream")
        && c.context.contains("quoted scalar"))
    {
        return None;
    }
    told(
        "引号没有配对：从这里开始的引号一直没有结束",
        "在文字末尾补上同样的引号，或者去掉开头的引号",
        c.opening(),
    )
}

/// A backslash in double quotes that YAML reads as an escape it does not know (a Windows path).
fn bad_escape(c: &Complaint<'_>) -> Option<Explanation> {
    if !c.starts(&[
        "found unknown escape character",
        "did not find expected hexdecimal number",
    ]) {
        return None;
    }
    told(
        "双引号里的反斜杠 \\ 后面跟了不认识的字符",
        "把双引号换成单引号，或把 \\ 写成 \\\\",
        c.at,
    )
}

/// A `[` or `{` never closed, or items run together: pointed at where it opened.
fn unclosed_bracket(c: &Complaint<'_>) -> Option<Explanation> {
    if c.problem.contains("expected ',' or ']'") {
        told(
            "方括号 [ 没有用 ] 结束，或者列表项之间少了英文逗号",
            "写成 [a, b]：用英文逗号分隔，最后用 ] 结束",
            c.opening(),
        )
    } else if c.problem.contains("expected ',' or '}'") {
        told(
            "花括号 { 没有用 } 结束，或者字段之间少了英文逗号",
            "写成 {date: 2026-03-01, body: 村委会}：用英文逗号分隔，最后用 } 结束",
            c.opening(),
        )
    } else {
        None
    }
}

/// A tab in the indentation, whatever the parser made of it.
fn tab_indent(c: &Complaint<'_>) -> Option<Explanation> {
    if !(c.problem.contains("tab character") || c.char_at_stop() == Some('\t')) {
        return None;
    }
    told(
        "缩进里有 Tab 字符",
        "YAML 只能用空格缩进：把行首的 Tab 换成空格",
        c.at,
    )
}

/// A value starting with a character YAML reserves (`@`, `` ` ``, `%`).
fn reserved_first_character(c: &Complaint<'_>) -> Option<Explanation> {
    if !c.starts(&["found character that cannot start any token"]) {
        return None;
    }
    let shown = c
        .char_at_stop()
        .map(|c| format!("「{c}」"))
        .unwrap_or_default();
    told(
        format!("这里的符号{shown}在 YAML 里有特殊含义，不能直接开头"),
        format!("以 @ ` % 等符号开头的文字要用引号括起来：{QUOTE_HINT}"),
        c.at,
    )
}

/// `mapping values are not allowed`: a field slipped to the right under one with a value, or
/// a second `: ` inside a value.
fn extra_colon(c: &Complaint<'_>) -> Option<Explanation> {
    if !c.starts(&["mapping values are not allowed"]) {
        return None;
    }
    if indented_key(c.src, c.at) {
        return told(
            "缩进没有对齐：这一行比上面的字段多缩进了",
            "同一层的字段左边对齐；只有属于上一个字段的内容才缩进",
            (c.at.0, 1),
        );
    }
    told(
        "这一行多了一个「: 」（冒号加空格）",
        format!("文字里有冒号加空格时，{QUOTE_HINT}"),
        c.at,
    )
}

/// Fields or list items that do not line up.
fn misaligned(c: &Complaint<'_>) -> Option<Explanation> {
    if !c.starts(&[
        "did not find expected key",
        "did not find expected '-' indicator",
        "block sequence entries are not allowed",
    ]) {
        return None;
    }
    told(
        "缩进没有对齐",
        "同一层的字段左边对齐；下一层比上一层多缩进两个空格；列表项以「- 」开头",
        c.at,
    )
}

/// A line read as the start of a field that never gets its colon.
fn missing_colon(c: &Complaint<'_>) -> Option<Explanation> {
    if !c.starts(&["could not find expected ':'"]) {
        return None;
    }
    told(
        "这一行少了冒号",
        "写成「字段: 值」：英文冒号，后面加一个空格",
        c.opening(),
    )
}

/// A value starting with `*`, `&` or `!`, which YAML reads as an alias, an anchor or a tag.
fn anchor_or_tag(c: &Complaint<'_>) -> Option<Explanation> {
    if !(c.starts(&["unknown anchor", "found undefined tag handle"])
        || ["anchor", "alias", "tag"]
            .iter()
            .any(|w| c.context.contains(w)))
    {
        return None;
    }
    told("以 * & ! 开头的文字在 YAML 里有特殊含义", QUOTE_HINT, c.at)
}

/// An invisible control character, found and named: the parser's place for it is often not
/// where it is.
fn control_character(c: &Complaint<'_>) -> Option<Explanation> {
    if !c.starts(&["control characters are not allowed"]) {
        return None;
    }
    let found = c.src.text.lines().enumerate().find_map(|(i, l)| {
        l.chars()
            .position(|ch| !is_visible_text(ch) && ch != '\t')
            .map(|col| (i, col, l.chars().nth(col).unwrap_or(' ')))
    });
    let (place, what) = match found {
        Some((i, col, ch)) => (
            (i + c.src.first_line, col + 1),
            format!(" U+{:04X}", ch as u32),
        ),
        None => (c.at, String::new()),
    };
    told(
        format!("有看不见的控制字符{what}"),
        "删掉它：从网页、微信或 Word 复制的文字里常夹带这种字符",
        place,
    )
}

/// The parser's guards against a malicious file: nesting too deep, aliases expanded too far.
fn limit_exceeded(c: &Complaint<'_>) -> Option<Explanation> {
    if c.starts(&["recursion limit exceeded"]) {
        told("嵌套太深", "front matter 的字段最多嵌套两三层", c.at)
    } else if c.starts(&["repetition limit exceeded"]) {
        told(
            "引用（* 别名）展开后的内容太多",
            "不要用 & 和 * 引用；需要的内容直接写出来",
            c.at,
        )
    } else {
        None
    }
}

/// Any other message: the usual causes, and the parser's own words to search for.
fn unrecognised(c: &Complaint<'_>) -> Explanation {
    Explanation {
        message: "YAML 格式错误".into(),
        hint: format!(
            "检查这一行和上一行：冒号后要有空格，缩进用空格且对齐，含冒号或 # 的文字用引号括起来（原始信息：{}）",
            c.problem
        ),
        place: c.at,
    }
}

/// Whether the file line of `at` is an indented `key: value` under a line that has a value of
/// its own: a field that slipped to the right.
fn indented_key(src: &YamlSource<'_>, at: (usize, usize)) -> bool {
    let lines: Vec<&str> = src.text.lines().collect();
    let Some(i) = at.0.checked_sub(src.first_line) else {
        return false;
    };
    let (Some(line), Some(above)) = (lines.get(i), i.checked_sub(1).and_then(|j| lines.get(j)))
    else {
        return false;
    };
    let body = line.trim_start();
    let key_len = body
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let above_has_value = above
        .split_once(": ")
        .is_some_and(|(_, v)| !v.trim().is_empty());
    body.len() < line.len() && key_len > 0 && body[key_len..].starts_with(": ") && above_has_value
}

#[cfg(test)]
mod tests {
    use super::super::tests::{err, parse_fm};
    use super::super::{parse, YamlSource};

    #[test]
    fn chinese_colon_and_missing_space_are_named() {
        let (code, line, col, msg) = err("title：甲\ncount: 3\n");
        assert_eq!((code, line, col), ("E101", 2, 6), "{msg}");
        assert!(msg.contains("中文冒号"), "{msg}");
        let (code, line, _, msg) = err("count: 3\ntitle:甲\n");
        assert_eq!((code, line), ("E101", 3), "{msg}");
        assert!(msg.contains("少了一个空格"), "{msg}");
        // A URL and a time inside a value are fine.
        assert!(parse_fm("---\ntitle: 见 https://e.cn/a 下午3:00\n---\n").is_ok());
    }

    #[test]
    fn unclosed_quote_and_bracket_point_where_they_open() {
        let (code, line, col, msg) = err("count: 3\ntitle: \"甲\n");
        assert_eq!((code, line, col), ("E101", 3, 8), "{msg}");
        assert!(msg.contains("引号"), "{msg}");
        let e = parse::<serde_yaml::Value>(&YamlSource {
            file: "a.md",
            text: "title: 甲\ntags: [甲, 乙\ncount: 3\n",
            first_line: 2,
        })
        .unwrap_err();
        assert_eq!((e.code, e.line, e.column), ("E101", 3, 7), "{e}");
        assert!(e.message.contains("方括号"), "{e}");
    }

    #[test]
    fn syntax_messages_are_chinese() {
        for yaml in [
            "title: 甲\n\tcount: 3\n",
            "title: 甲: 乙\n",
            "title: @甲\n",
            "title: *甲\n",
            "title: 甲\n  count: 3\n",
            "title: 甲\u{7}\n",
        ] {
            let (code, _, _, msg) = err(yaml);
            assert_eq!(code, "E101", "{yaml:?}: {msg}");
            assert!(!msg.is_ascii() && !msg.contains("found"), "{yaml:?}: {msg}");
        }
    }

    #[test]
    fn yaml_syntax_error_is_e101_with_line() {
        let e = parse_fm("---\ntitle: x\n  bad: [\n---\n").unwrap_err();
        assert_eq!(e.code, "E101");
        assert!(e.line >= 2, "line {}", e.line);
    }
}
