//! The site's synonym table for search, `content/search/synonyms.yaml`: groups of words that
//! mean the same thing, the way the law says it and the way people say it (`[妻子, 老婆,
//! 媳妇]`). The search page expands a query's word to the other words of its group
//! (src/search/extra.rs writes the table for it). A broken group is reported as E406 at its
//! line and left out; the rest of the table still works.

use crate::diagnostics::Diagnostic;
use std::path::Path;

/// Where the table lives, from the site root.
pub const FILE: &str = "content/search/synonyms.yaml";
/// Longest word, in characters: a group is words, not sentences.
pub const MAX_WORD: usize = 12;

const HINT: &str = "每组写成一行：- [法律上的说法, 老百姓的说法, …]，每个词只出现一次";

/// The valid groups of the site's table (none when there is no table), and what is wrong with
/// the others.
pub fn load(root: &Path) -> (Vec<Vec<String>>, Vec<Diagnostic>) {
    match std::fs::read_to_string(root.join(FILE)) {
        Ok(text) => parse(&text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Vec::new(), Vec::new()),
        Err(e) => (
            Vec::new(),
            vec![Diagnostic::error("E406", FILE, format!("同义词表读不了：{e}")).hint(HINT)],
        ),
    }
}

fn problem(line: usize, message: String) -> Diagnostic {
    Diagnostic::error("E406", FILE, message)
        .at(line, 1)
        .hint(HINT)
}

/// A word as the search compares it (lowercase), or empty when it has anything but letters,
/// digits and Chinese characters (a space or a mark would cut it in two).
fn folded(word: &str) -> String {
    let w = word.trim().to_lowercase();
    match w.chars().all(char::is_alphanumeric) {
        true => w,
        false => String::new(),
    }
}

pub fn parse(text: &str) -> (Vec<Vec<String>>, Vec<Diagnostic>) {
    let groups: Vec<Vec<String>> = match serde_yaml::from_str::<Option<Vec<Vec<String>>>>(text) {
        Ok(g) => g.unwrap_or_default(),
        Err(e) => {
            let line = e.location().map(|l| l.line()).unwrap_or(1);
            let d = problem(
                line,
                "同义词表写得不对：要是一个列表，每一项是一组词（用方括号括起来，词之间用逗号隔开）"
                    .into(),
            );
            return (Vec::new(), vec![d]);
        }
    };
    // The line of each group: top-level items start with "-" in the first column.
    let starts: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with('-'))
        .map(|(i, _)| i + 1)
        .collect();
    let count = groups.len();
    let line_of = |g: usize| match starts.len() == count {
        true => starts[g],
        false => 1,
    };
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (g, words) in groups.into_iter().enumerate() {
        let line = line_of(g);
        let mut bad = None;
        let mut kept: Vec<String> = Vec::new();
        for w in &words {
            let f = folded(w);
            bad = bad.or(if f.is_empty() {
                Some(format!(
                    "「{w}」不是一个词：只能有汉字、字母和数字，空格或标点会让搜索把它拆开"
                ))
            } else if f.chars().count() > MAX_WORD {
                Some(format!(
                    "「{w}」太长（最多 {MAX_WORD} 个字）：同义词表放的是词，不是句子"
                ))
            } else if let Some((_, at)) = seen.iter().find(|(s, _)| *s == f) {
                Some(format!(
                    "「{w}」已经在第 {at} 行的一组里了：一个词只能属于一组，把两组合成一组"
                ))
            } else {
                seen.push((f.clone(), line));
                kept.push(f);
                None
            });
        }
        if bad.is_none() && kept.len() < 2 {
            bad = Some("这一组少于两个词，没有可以互相代替的说法".into());
        }
        match bad {
            Some(message) => problems.push(problem(line, message)),
            None => out.push(kept),
        }
    }
    (out, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_read_and_each_mistake_is_told_at_its_line() {
        let (groups, problems) = parse("# 注释\n- [妻子, 老婆, 媳妇]\n- [子女, 娃]\n");
        assert_eq!(groups, [vec!["妻子", "老婆", "媳妇"], vec!["子女", "娃"]]);
        assert!(problems.is_empty());
        let text = "- [妻子, 老婆]\n- [丈夫]\n- [老婆, 婆姨]\n- [上 访, 信访]\n- [一二三四五六七八九十一二三, 长]\n";
        let (groups, problems) = parse(text);
        assert_eq!(groups, [vec!["妻子", "老婆"]]);
        let lines: Vec<(usize, &str)> = problems.iter().map(|d| (d.line, d.code)).collect();
        assert_eq!(lines, [(2, "E406"), (3, "E406"), (4, "E406"), (5, "E406")]);
        assert!(
            problems[1].message.contains("第 1 行"),
            "{}",
            problems[1].message
        );
        let (_, problems) = parse("- [妻子, 老婆\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("同义词表"));
    }

    #[test]
    fn the_sites_table_is_valid_and_has_at_least_sixty_pairs() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (groups, problems) = load(root);
        assert!(problems.is_empty(), "{problems:#?}");
        let pairs: usize = groups.iter().map(|g| g.len() - 1).sum();
        assert!(pairs >= 60, "{pairs} 对");
    }
}
