//! Pinyin for [`super::search`] (search.js `readPy`, `pinyinTerm`, `sound`, `correct`): a query
//! typed in pinyin read as a term of the site, and a slip of pinyin input mended.

use super::pairs;
use std::collections::HashMap;

#[derive(Default)]
pub(super) struct Pinyin {
    pub(super) t: HashMap<char, char>,
    pub(super) r: HashMap<char, Vec<String>>,
    pub(super) terms: Vec<Vec<char>>,
}

fn loose(r: &str) -> String {
    let mut s = r.to_string();
    for p in ["zh", "ch", "sh", "z", "c", "s"] {
        if let Some(rest) = s.strip_prefix(p) {
            s = format!("Z{rest}");
            break;
        }
    }
    if let Some(rest) = s.strip_prefix('n') {
        s = format!("l{rest}");
    }
    if ["ang", "eng", "ing"].iter().any(|e| s.ends_with(e)) {
        s.pop();
    }
    s
}

impl Pinyin {
    pub(super) fn read(text: &str) -> Pinyin {
        let mut py = Pinyin::default();
        py.add(text);
        py
    }

    pub(super) fn add(&mut self, text: &str) {
        let py = self;
        for line in text.split('\n').skip(1) {
            let sp: Vec<&str> = line.split(' ').collect();
            match sp[0] {
                "t" => {
                    let cs: Vec<char> = sp.get(1).unwrap_or(&"").chars().collect();
                    for two in cs.chunks_exact(2) {
                        py.t.insert(two[0], two[1]);
                    }
                }
                "p" => {
                    for c in sp.get(2).unwrap_or(&"").chars() {
                        py.r.entry(c).or_default().push(sp[1].to_string());
                    }
                }
                "w" => {
                    let terms = sp[1..].iter().filter(|t| !t.is_empty());
                    py.terms = terms.map(|t| t.chars().collect()).collect();
                }
                _ => {}
            }
        }
    }

    fn spells(&self, letters: &str, chars: &[char], at: usize, k: usize) -> bool {
        if k == chars.len() {
            return at == letters.len();
        }
        let rs = self.r.get(&chars[k]).map(Vec::as_slice).unwrap_or_default();
        rs.iter().any(|r| {
            letters[at..].starts_with(r.as_str())
                && self.spells(letters, chars, at + r.len(), k + 1)
        })
    }

    pub(super) fn term(&self, letters: &str) -> Option<String> {
        if let Some(t) = self.terms.iter().find(|t| self.spells(letters, t, 0, 0)) {
            return Some(t.iter().collect());
        }
        for t in &self.terms {
            for n in (2..t.len()).rev() {
                for a in 0..=t.len() - n {
                    if self.spells(letters, &t[a..a + n], 0, 0) {
                        return Some(t[a..a + n].iter().collect());
                    }
                }
            }
        }
        None
    }

    fn sound(&self, a: char, b: char) -> i32 {
        if a == b {
            return 2;
        }
        let none = Vec::new();
        let (ra, rb) = (
            self.r.get(&a).unwrap_or(&none),
            self.r.get(&b).unwrap_or(&none),
        );
        if ra.iter().any(|r| rb.contains(r)) {
            return 1;
        }
        let la: Vec<String> = ra.iter().map(|r| loose(r)).collect();
        match rb.iter().any(|r| la.contains(&loose(r))) {
            true => 0,
            false => -1,
        }
    }

    pub(super) fn correct(&self, text: &str, df: impl Fn(&str) -> i64) -> Option<String> {
        let chars: Vec<char> = text.chars().collect();
        for n in (2..=chars.len().min(4)).rev() {
            for a in 0..=chars.len() - n {
                let bad = (a..a + n - 1).any(|i| df(&pairs(&chars[i..i + 2])[0]) == 0);
                if !bad {
                    continue;
                }
                for t in &self.terms {
                    for b in 0..(t.len() + 1).saturating_sub(n) {
                        let (mut same, mut loose_n, mut ok) = (0, 0, true);
                        for k in 0..n {
                            match self.sound(chars[a + k], t[b + k]) {
                                -1 => ok = false,
                                2 => same += 1,
                                0 => loose_n += 1,
                                _ => {}
                            }
                            if !ok {
                                break;
                            }
                        }
                        if ok && same > 0 && same < n && loose_n <= 1 {
                            let mut out: String = chars[..a].iter().collect();
                            out.extend(&t[b..b + n]);
                            out.extend(&chars[a + n..]);
                            return Some(out);
                        }
                    }
                }
            }
        }
        None
    }
}
