//! Reading the pieces of a YAML line: keys, values, comments, quoted scalars, flow mappings.

/// A key line: its indentation, the key, and where the value starts.
pub(super) fn key_line(line: &str) -> Option<(usize, &str, usize)> {
    let body = line.trim_start_matches(' ');
    let indent = line.len() - body.len();
    let len = body
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    if len == 0 {
        return None;
    }
    let rest = body[len..].strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let ws = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    Some((indent, &body[..len], indent + len + 1 + ws))
}

pub(super) fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// End of a quoted scalar starting at `i` (a `"` or `'`).
fn skip_quoted(b: &[u8], mut i: usize) -> usize {
    let q = b[i];
    i += 1;
    while i < b.len() {
        if q == b'"' && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == q {
            if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

/// End of the flow collection starting at `start`.
fn flow_end(b: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    let mut token = true;
    while i < b.len() {
        let c = b[i];
        if token && (c == b'"' || c == b'\'') {
            i = skip_quoted(b, i);
            token = false;
            continue;
        }
        match c {
            b'{' | b'[' => {
                depth += 1;
                token = true;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
                token = false;
            }
            b',' | b':' => token = true,
            b' ' | b'\t' => {}
            _ => token = false,
        }
        i += 1;
    }
    b.len()
}

/// The value's span on a line whose value starts at `start`: up to its comment, trailing
/// blanks left out.
pub(super) fn value_span(line: &str, start: usize) -> (usize, usize) {
    let b = line.as_bytes();
    if start >= b.len() || b[start] == b'#' {
        return (start, start);
    }
    let mut i = match b[start] {
        b'"' | b'\'' => skip_quoted(b, start),
        b'{' | b'[' => flow_end(b, start),
        _ => start,
    };
    while i < b.len() {
        if b[i] == b'#' && i > start && matches!(b[i - 1], b' ' | b'\t') {
            break;
        }
        i += 1;
    }
    let mut end = i.min(b.len());
    while end > start && matches!(b[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    (start, end)
}

/// One `key: value` of a flow mapping: key, value span, entry span (byte offsets in the line).
pub(super) struct FlowEntry {
    pub key: String,
    pub value: (usize, usize),
    pub entry: (usize, usize),
}

/// The entries of the flow mapping `line[start..end]` (`{…}`); `None` if it is not one qili
/// would write.
pub(super) fn flow_entries(line: &str, start: usize, end: usize) -> Option<Vec<FlowEntry>> {
    let b = line.as_bytes();
    if b.get(start) != Some(&b'{') || end < start + 2 || b[end - 1] != b'}' {
        return None;
    }
    let inner = (start + 1, end - 1);
    let mut pieces = Vec::new();
    let (mut depth, mut from, mut i, mut token) = (0usize, inner.0, inner.0, true);
    while i < inner.1 {
        let c = b[i];
        if token && (c == b'"' || c == b'\'') {
            i = skip_quoted(b, i);
            token = false;
            continue;
        }
        match c {
            b'{' | b'[' => {
                depth += 1;
                token = true;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                token = false;
            }
            b',' if depth == 0 => {
                pieces.push((from, i));
                from = i + 1;
                token = true;
            }
            b',' | b':' => token = true,
            b' ' | b'\t' => {}
            _ => token = false,
        }
        i += 1;
    }
    pieces.push((from, inner.1));
    let mut out = Vec::new();
    for (s, e) in pieces {
        let text = &line[s..e];
        if text.trim().is_empty() {
            continue;
        }
        let lead = text.len() - text.trim_start().len();
        let s = s + lead;
        let e = s + text.trim().len();
        let (_, key, vstart) = key_line(&line[s..e]).or_else(|| {
            // `key:` with nothing after it inside `{}`.
            let t = &line[s..e];
            t.strip_suffix(':').and_then(|k| {
                k.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_')
                    .then_some((0, k, t.len()))
            })
        })?;
        out.push(FlowEntry {
            key: key.to_string(),
            value: (s + vstart, e),
            entry: (s, e),
        });
    }
    Some(out)
}

/// Display width, for keeping comments in their column: CJK characters take two cells.
pub(super) fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// `text` as a YAML scalar: plain where that reads back as the same string, else double-quoted
/// with every character a YAML reader could take for a line break, an indicator or nothing
/// at all written as an escape.
pub fn quote(text: &str) -> String {
    let specials = [
        "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
    ];
    let plain = !text.is_empty()
        && text.trim() == text
        && !text.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`', '.', '+', '=', '<',
        ])
        // No `:` at all: inside a flow mapping (`{date: …, body: …}`) a reader takes one for
        // the end of a key wherever it stands.
        && !text.contains([',', '[', ']', '{', '}', '\\', ':'])
        && !text.contains(" #")
        && !specials.contains(&text.to_ascii_lowercase().as_str())
        && !text.starts_with(|c: char| c.is_ascii_digit())
        && text.chars().all(plain_char);
    if plain {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if plain_char(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// A character that may stand as it is in a scalar: printable, and none of those a YAML 1.1
/// reader (serde_norway, PyYAML) takes for a line break (U+0085, U+2028, U+2029), the
/// byte-order mark, or white space other than the plain space.
fn plain_char(c: char) -> bool {
    c >= ' '
        && crate::load::frontmatter::is_visible_text(c)
        && !matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}
