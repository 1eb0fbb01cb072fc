//! What the search page fetches only when a query needs it, beside the shards and chunks:
//!
//! - `syn.txt`: the site's synonym groups (content/search/synonyms.yaml, checked by
//!   `check::synonyms`), one group a line, words separated by spaces, the law's word first. A
//!   query's word of a group is searched as itself or as the group's first word (老婆 → 妻子):
//!   each more word is a shard more to fetch. Fetched when the query has a character that
//!   starts one of the other words (the page's `syn`).
//! - `py.txt`: for a query in pinyin, with traditional characters, with a pair of characters no
//!   entry has (a slip of pinyin input), or with no answer: the lines `t` (traditional →
//!   simplified pairs, concatenated, for the terms' characters), `p <reading> <characters>`
//!   (the toneless readings of the terms' characters) and `w <terms>` (the site's terms: tags,
//!   the words of titles, the synonyms' words; the commonest first).
//! - `yin.txt`: the readings of the other common characters, for mending a slip in a short
//!   piece of the query (the reader's wrong character).
//!
//! Both start with the index's head line, as shards do.

use super::entries::{Entry, EntryKind};
use super::{hanzi, tokens};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Terms at most: a site of 10,000 pages has as many titles; the commonest are kept.
pub const MAX_TERMS: usize = 3000;

/// The site's terms, commonest first (by the number of entries that have them, then by first
/// appearance).
pub fn terms(entries: &[(EntryKind, Entry<'_>)], synonyms: &[Vec<String>]) -> Vec<String> {
    let mut count: HashMap<String, (usize, usize)> = HashMap::new();
    let add = |t: String, count: &mut HashMap<String, (usize, usize)>| {
        let n = count.len();
        count.entry(t).or_insert((0, n)).0 += 1;
    };
    for (kind, e) in entries {
        if *kind == EntryKind::Article {
            continue;
        }
        // Each term once per entry, in the order the entry has them.
        let mut mine: Vec<String> = Vec::new();
        let titles = tokens::runs(&e.title)
            .into_iter()
            .filter_map(|run| match run {
                tokens::Run::Cjk(cs) if cs.len() >= 2 => Some(cs.into_iter().collect::<String>()),
                _ => None,
            });
        for t in e.tags.split_whitespace().map(String::from).chain(titles) {
            let t = simplified(&t);
            if !mine.contains(&t) {
                mine.push(t);
            }
        }
        for t in mine {
            add(t, &mut count);
        }
    }
    for w in synonyms.iter().flatten() {
        add(w.clone(), &mut count);
    }
    let mut all: Vec<(String, (usize, usize))> = count.into_iter().collect();
    all.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
    all.into_iter().take(MAX_TERMS).map(|(t, _)| t).collect()
}

fn simplified(s: &str) -> String {
    s.chars().map(hanzi::simplified).collect()
}

/// The texts of `py.txt` and `yin.txt` after `head`: the first has the pairs of traditional
/// characters and the readings of the terms' characters, and the terms; the second the readings
/// of the other common characters (only a slip of input needs them: the reader's wrong
/// character is a common one, not necessarily one of the site's terms).
pub fn pinyin_files(head: &str, terms: &[String]) -> (String, String) {
    let mine: BTreeSet<char> = terms
        .iter()
        .flat_map(|t| t.chars())
        .filter(|&c| tokens::is_cjk(c))
        .collect();
    let mut py = String::from(head);
    py.push('t');
    py.push(' ');
    // A traditional character whose simplified one is in no term finds nothing the terms do
    // not; the whole table would be 7 KB more for every such query.
    for &(a, b) in hanzi::traditional_pairs() {
        if mine.contains(&b) {
            py.push(a);
            py.push(b);
        }
    }
    py.push('\n');
    readings(&mut py, mine.iter().copied());
    py.push_str("w ");
    py.push_str(&terms.join(" "));
    py.push('\n');
    let mut yin = String::from(head);
    readings(&mut yin, hanzi::common().filter(|c| !mine.contains(c)));
    (py, yin)
}

/// Lines `p <reading> <characters>` for `chars`, by reading.
fn readings(out: &mut String, chars: impl Iterator<Item = char>) {
    let mut by_reading: BTreeMap<&str, String> = BTreeMap::new();
    for c in chars {
        for r in hanzi::readings(c) {
            by_reading.entry(r).or_default().push(c);
        }
    }
    for (r, cs) in by_reading {
        out.push_str(&format!("p {r} {cs}\n"));
    }
}

/// The text of `syn.txt` after `head`.
pub fn synonym_file(head: &str, synonyms: &[Vec<String>]) -> String {
    let mut out = String::from(head);
    for g in synonyms {
        out.push_str(&g.join(" "));
        out.push('\n');
    }
    out
}

/// The characters that start a word the search replaces with its group's first (the page's
/// `syn`: a query with none of them does not fetch the table).
pub fn synonym_starts(synonyms: &[Vec<String>]) -> String {
    let mut out = String::new();
    let others = synonyms.iter().flat_map(|g| g.iter().skip(1));
    for c in others.filter_map(|w| w.chars().next()) {
        if !out.contains(c) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_tags_title_words_and_synonyms_commonest_first() {
        let e = |title: &str, tags: &str| Entry {
            title: title.into(),
            tags: tags.into(),
            ..Default::default()
        };
        let entries = vec![
            (EntryKind::Lesson, e("遗嘱怎么立，才算数", "继承 遺囑")),
            (EntryKind::Notice, e("继承公示", "继承")),
        ];
        let t = terms(&entries, &[vec!["遗嘱".into(), "遗言".into()]]);
        assert_eq!(
            t,
            ["继承", "遗嘱", "遗嘱怎么立", "才算数", "继承公示", "遗言"]
        );
        let (py, yin) = pinyin_files("h\n", &t);
        assert!(py.starts_with("h\nt "));
        assert!(
            py.contains("囑嘱"),
            "traditional pairs of the terms' characters"
        );
        assert!(!py.contains("寫写"), "only of the terms' characters");
        assert!(py
            .lines()
            .any(|l| l.starts_with("p zhu ") && l.contains('嘱')));
        assert!(py.ends_with("w 继承 遗嘱 遗嘱怎么立 才算数 继承公示 遗言\n"));
        assert!(yin
            .lines()
            .any(|l| l.starts_with("p shu ") && l.contains('属')));
        assert!(!yin.contains('嘱'), "a term's character is in py.txt only");
        let syn = vec![
            vec!["妻子".to_string(), "老婆".into()],
            vec!["娃".into(), "子女".into()],
        ];
        assert_eq!(synonym_starts(&syn), "老子");
        assert_eq!(synonym_file("h\n", &syn), "h\n妻子 老婆\n娃 子女\n");
    }
}
