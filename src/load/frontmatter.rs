//! Front matter: the YAML between two `---` lines at the top of a source, and the translation of
//! YAML and serde errors into Chinese diagnostics an editor can act on.

use crate::diagnostics::{Diagnostic, LineIndex};
use serde::de::DeserializeOwned;

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

/// A field name followed by a Chinese colon, or by a colon without a space: the commonest slips
/// of editors typing with a Chinese input method.
fn common_mistake(src: &YamlSource<'_>) -> Option<Diagnostic> {
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

/// Drops the trailing ` at line L column C` (or ` at position N`) serde_yaml adds; the location
/// is taken from the error itself.
fn strip_location(raw: &str) -> &str {
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

/// A YAML syntax error from the parser: `problem[, while context at line L column C]`, in
/// Chinese, placed where the editor has to look.
fn syntax_error(
    src: &YamlSource<'_>,
    msg: &str,
    at: (usize, usize),
    to_file: impl Fn((usize, usize)) -> (usize, usize),
) -> Diagnostic {
    let (problem, context) = match msg.split_once(", while ") {
        Some((p, c)) => (strip_location(p), Some(c)),
        None => (strip_location(msg), None),
    };
    // Where the unclosed thing began (`while scanning a quoted scalar at line 1 column 8`).
    let context_at = context.and_then(|c| {
        let (_, pos) = c.rsplit_once(" at line ")?;
        let (l, col) = pos.split_once(" column ")?;
        Some(to_file((l.trim().parse().ok()?, col.trim().parse().ok()?)))
    });
    let context = context.unwrap_or("");
    let char_at = |(line, column): (usize, usize)| {
        src.text
            .lines()
            .nth(line.checked_sub(src.first_line)?)?
            .chars()
            .nth(column.checked_sub(1)?)
    };
    let quote_hint = "整段文字用引号括起来，例如 title: \"……\"";
    let (message, hint, place): (String, String, (usize, usize)) = if problem
        .starts_with("found unexpected end of stream")
        && context.contains("quoted scalar")
    {
        (
            "引号没有配对：从这里开始的引号一直没有结束".into(),
            "在文字末尾补上同样的引号，或者去掉开头的引号".into(),
            context_at.unwrap_or(at),
        )
    } else if problem.starts_with("found unknown escape character")
        || problem.starts_with("did not find expected hexdecimal number")
    {
        (
            "双引号里的反斜杠 \\ 后面跟了不认识的字符".into(),
            "把双引号换成单引号，或把 \\ 写成 \\\\".into(),
            at,
        )
    } else if problem.contains("expected ',' or ']'") {
        (
            "方括号 [ 没有用 ] 结束，或者列表项之间少了英文逗号".into(),
            "写成 [a, b]：用英文逗号分隔，最后用 ] 结束".into(),
            context_at.unwrap_or(at),
        )
    } else if problem.contains("expected ',' or '}'") {
        (
            "花括号 { 没有用 } 结束，或者字段之间少了英文逗号".into(),
            "写成 {date: 2026-03-01, body: 村委会}：用英文逗号分隔，最后用 } 结束".into(),
            context_at.unwrap_or(at),
        )
    } else if problem.contains("tab character") || char_at(at) == Some('\t') {
        (
            "缩进里有 Tab 字符".into(),
            "YAML 只能用空格缩进：把行首的 Tab 换成空格".into(),
            at,
        )
    } else if problem.starts_with("found character that cannot start any token") {
        let c = char_at(at).map(|c| format!("「{c}」")).unwrap_or_default();
        (
            format!("这里的符号{c}在 YAML 里有特殊含义，不能直接开头"),
            format!("以 @ ` % 等符号开头的文字要用引号括起来：{quote_hint}"),
            at,
        )
    } else if problem.starts_with("mapping values are not allowed") && indented_key(src, at) {
        (
            "缩进没有对齐：这一行比上面的字段多缩进了".into(),
            "同一层的字段左边对齐；只有属于上一个字段的内容才缩进".into(),
            (at.0, 1),
        )
    } else if problem.starts_with("mapping values are not allowed") {
        (
            "这一行多了一个「: 」（冒号加空格）".into(),
            format!("文字里有冒号加空格时，{quote_hint}"),
            at,
        )
    } else if problem.starts_with("did not find expected key")
        || problem.starts_with("did not find expected '-' indicator")
        || problem.starts_with("block sequence entries are not allowed")
    {
        (
            "缩进没有对齐".into(),
            "同一层的字段左边对齐；下一层比上一层多缩进两个空格；列表项以「- 」开头".into(),
            at,
        )
    } else if problem.starts_with("could not find expected ':'") {
        (
            "这一行少了冒号".into(),
            "写成「字段: 值」：英文冒号，后面加一个空格".into(),
            context_at.unwrap_or(at),
        )
    } else if problem.starts_with("unknown anchor")
        || problem.starts_with("found undefined tag handle")
        || context.contains("anchor")
        || context.contains("alias")
        || context.contains("tag")
    {
        (
            "以 * & ! 开头的文字在 YAML 里有特殊含义".into(),
            quote_hint.into(),
            at,
        )
    } else if problem.starts_with("control characters are not allowed") {
        let found = src.text.lines().enumerate().find_map(|(i, l)| {
            l.chars()
                .position(|c| !is_visible_text(c) && c != '\t')
                .map(|col| (i, col, l.chars().nth(col).unwrap_or(' ')))
        });
        let (place, what) = match found {
            Some((i, col, c)) => (
                (i + src.first_line, col + 1),
                format!(" U+{:04X}", c as u32),
            ),
            None => (at, String::new()),
        };
        (
            format!("有看不见的控制字符{what}"),
            "删掉它：从网页、微信或 Word 复制的文字里常夹带这种字符".into(),
            place,
        )
    } else if problem.starts_with("recursion limit exceeded") {
        (
            "嵌套太深".into(),
            "front matter 的字段最多嵌套两三层".into(),
            at,
        )
    } else if problem.starts_with("repetition limit exceeded") {
        (
            "引用（* 别名）展开后的内容太多".into(),
            "不要用 & 和 * 引用；需要的内容直接写出来".into(),
            at,
        )
    } else {
        (
            "YAML 格式错误".into(),
            format!(
                "检查这一行和上一行：冒号后要有空格，缩进用空格且对齐，含冒号或 # 的文字用引号括起来（原始信息：{problem}）"
            ),
            at,
        )
    };
    Diagnostic::error("E101", src.file, message)
        .at(place.0, place.1)
        .hint(hint)
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

    /// Code, file line and column of the error for a front matter (lines as in the file).
    fn err(yaml: &str) -> (&'static str, usize, usize, String) {
        let e = parse_fm(&format!("---\n{yaml}---\n")).unwrap_err();
        (e.code, e.line, e.column, e.message)
    }

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
    fn duplicate_field_points_at_the_second_one() {
        let (code, line, _, msg) = err("title: 甲\ncount: 1\ntitle: 乙\n");
        assert_eq!((code, line), ("E101", 4), "{msg}");
        assert!(msg.contains("title"), "{msg}");
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

    #[test]
    fn yaml_syntax_error_is_e101_with_line() {
        let e = parse_fm("---\ntitle: x\n  bad: [\n---\n").unwrap_err();
        assert_eq!(e.code, "E101");
        assert!(e.line >= 2, "line {}", e.line);
    }
}
