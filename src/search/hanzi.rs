//! Characters as the search treats them: traditional folded to simplified (a kept one-to-one
//! table from OpenCC, `traditional.txt`), the common characters (`common.txt`, GB 2312 level 1)
//! and the readings of a character in toneless pinyin (the `pinyin` crate).
//!
//! The index folds every character with the whole table; the search page gets, only when a
//! query needs it, the pairs whose simplified character is common or on the site (see
//! [`super::extra`]), not the whole dictionary.

use std::collections::HashMap;
use std::sync::OnceLock;

const TRADITIONAL: &str = include_str!("traditional.txt");
const COMMON: &str = include_str!("common.txt");
/// The characters the fold table can hold: CJK Extension A and the Unified Ideographs.
const FIRST: u32 = 0x3400;
const LAST: u32 = 0x9FFF;

struct Table {
    /// One bit per character from [`FIRST`]: whether it has a simplified form.
    has: Vec<u64>,
    to: HashMap<char, char>,
    pairs: Vec<(char, char)>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Table {
            has: vec![0; ((LAST - FIRST) as usize >> 6) + 1],
            to: HashMap::new(),
            pairs: Vec::new(),
        };
        let lines = TRADITIONAL.lines().filter(|l| !l.starts_with('#'));
        for pair in lines.flat_map(str::split_whitespace) {
            let mut cs = pair.chars();
            if let (Some(a), Some(b)) = (cs.next(), cs.next()) {
                let i = (a as u32 - FIRST) as usize;
                t.has[i >> 6] |= 1 << (i & 63);
                t.to.insert(a, b);
                t.pairs.push((a, b));
            }
        }
        t
    })
}

/// `c` in simplified characters (itself when it has no other form).
pub fn simplified(c: char) -> char {
    let v = c as u32;
    if !(FIRST..=LAST).contains(&v) {
        return c;
    }
    let t = table();
    let i = (v - FIRST) as usize;
    match t.has[i >> 6] >> (i & 63) & 1 {
        0 => c,
        _ => t.to.get(&c).copied().unwrap_or(c),
    }
}

/// Every (traditional, simplified) pair of the kept table, sorted by the traditional one.
pub fn traditional_pairs() -> &'static [(char, char)] {
    &table().pairs
}

/// The common characters, in GB 2312 order.
pub fn common() -> impl Iterator<Item = char> {
    COMMON
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::chars)
}

/// The readings of `c` in toneless pinyin, most usual first, without repeats.
pub fn readings(c: char) -> Vec<&'static str> {
    use pinyin::ToPinyinMulti;
    let mut out: Vec<&'static str> = Vec::new();
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            let plain = p.plain();
            if !out.contains(&plain) {
                out.push(plain);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_folds_to_simplified_and_the_rest_stays() {
        let folded: String = "遺囑贍養費彩禮村規民約".chars().map(simplified).collect();
        assert_eq!(folded, "遗嘱赡养费彩礼村规民约");
        assert_eq!(simplified('宅'), '宅');
        assert_eq!(simplified('a'), 'a');
        assert!(traditional_pairs().len() > 2500);
    }

    #[test]
    fn common_characters_and_their_readings() {
        assert_eq!(common().count(), 3755);
        assert_eq!(common().next(), Some('啊'));
        assert_eq!(readings('嘱'), ["zhu"]);
        assert!(readings('属').contains(&"shu") && readings('属').contains(&"zhu"));
        assert!(readings('调').contains(&"tiao") && readings('调').contains(&"diao"));
        assert!(readings('a').is_empty());
    }
}
