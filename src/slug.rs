//! ASCII slugs and anchors. A slug becomes a folder name in the output and part of a URL that is
//! shared in WeChat and printed as a QR code, so it is validated, never trusted as a path.

use pinyin::ToPinyin;

/// Longest slug accepted; file systems and QR codes both prefer short names.
pub const MAX_LEN: usize = 80;

/// Only `a-z`, `0-9` and single inner hyphens.
pub fn is_valid(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_LEN
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// Turns any text into a slug: Chinese characters become pinyin (`邻里关系` → `lin-li-guan-xi`),
/// ASCII letters and digits are kept, everything else separates words. Polyphonic characters may
/// come out wrong (one reading per character), which is why an explicit `slug` always wins.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_sep = false;
    let push_sep = |out: &mut String, pending: &mut bool| {
        if *pending && !out.is_empty() {
            out.push('-');
        }
        *pending = false;
    };
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            push_sep(&mut out, &mut pending_sep);
            out.push(ch.to_ascii_lowercase());
        } else if let Some(p) = ch.to_pinyin() {
            pending_sep = true;
            push_sep(&mut out, &mut pending_sep);
            out.push_str(p.plain());
            pending_sep = true;
        } else {
            pending_sep = true;
        }
        if out.len() >= MAX_LEN {
            break;
        }
    }
    let mut s: String = out.chars().take(MAX_LEN).collect();
    while s.ends_with('-') {
        s.pop();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_becomes_pinyin() {
        assert_eq!(
            slugify("七里镇法治课堂 第一课"),
            "qi-li-zhen-fa-zhi-ke-tang-di-yi-ke"
        );
        assert_eq!(slugify("2026年 Road-Work"), "2026-nian-road-work");
    }

    #[test]
    fn hostile_slugs_are_invalid() {
        for s in [
            "../x",
            "/etc",
            "a/b",
            "",
            "A",
            "a--b",
            "-a",
            "空",
            &"a".repeat(81),
        ] {
            assert!(!is_valid(s), "{s:?}");
        }
        assert!(is_valid("2026-road-work"));
    }

    #[test]
    fn slugify_output_is_always_valid_or_empty() {
        for t in ["？？", "a  b", "——第1条——", "x/../y", "é"] {
            let s = slugify(t);
            assert!(s.is_empty() || is_valid(&s), "{t:?} -> {s:?}");
        }
    }
}
