//! The search page's query and ranking (themes/default/static/search.js) in Rust, from the same
//! inputs: the page's data and the files under `search/`. It gives the ranked list the page
//! shows first and the files it fetches for it; tests/browser/search.rs holds it to what
//! Chromium shows and fetches, tests/suite/search_budget.rs counts bytes with it without a browser.
//!
//! The ranking: a query is words (what the reader separated by spaces, alternatives), a word is
//! parts (Chinese between filler words, cut at synonyms; letters and digits), a part has
//! variants (itself and its synonyms), a variant is tokens (pairs of characters, one character
//! alone, a Latin/digit run). A token weighs its idf (from the number of entries in its shard
//! line) times where an entry has it ([`FIELD`], [`BODY`]); neighbouring pairs an entry has
//! both of add [`CHAIN`]; kind is a small [`PRIOR`]. An entry is shown when, for one word at
//! least, it has [`MIN_SHARE`] of the word's idf; entries with more words come first, then by
//! score. The first page's entries that have the words as typed count [`EXACT`] times more.

use super::{tokens, DIR};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Results the script shows at once (`PER_PAGE`).
pub const PER_PAGE: usize = 5;
/// Characters of the query the script reads (`MAX_QUERY`).
pub const MAX_QUERY: usize = 64;
pub const FIELD: [f64; 4] = [0.0, 1.5, 2.0, 2.5];
pub const BODY: [f64; 8] = [0.0, 1.0, 1.3, 1.6, 1.9, 2.1, 2.3, 2.5];
/// By kind in entry order: lesson, notice, regulation, 条, village.
pub const PRIOR: [f64; 5] = [1.1, 1.0, 1.05, 1.0, 1.05];
pub const MIN_SHARE: f64 = 0.5;
pub const SYNONYM: f64 = 0.9;
pub const CHAIN: f64 = 0.5;
pub const EXACT: f64 = 2.0;
/// A slip is mended in a piece of at most this many characters (`MEND`).
pub const MEND: usize = 4;
/// Question and filler words, matched in this order at each place of a query.
pub const FILLERS: &[&str] = &[
    "怎么办",
    "怎么样",
    "怎么",
    "怎样",
    "咋办",
    "咋整",
    "咋弄",
    "咋样",
    "咋",
    "啥",
    "什么",
    "为什么",
    "为啥",
    "如何",
    "那么",
    "这么",
    "能不能",
    "可不可以",
    "可以",
    "是不是",
    "要不要",
    "行不行",
    "有没有",
    "算不算",
    "会不会",
    "该不该",
    "哪里",
    "哪儿",
    "哪些",
    "哪个",
    "哪",
    "多少",
    "多久",
    "请问",
    "我们",
    "咱们",
    "你们",
    "他们",
    "她们",
    "应该",
    "一下",
    "的话",
    "吗",
    "呢",
    "吧",
    "啊",
    "呀",
    "嘛",
    "了",
    "的",
    "着",
    "我",
    "你",
    "他",
    "她",
    "它",
    "谁",
    "就",
    "都",
    "还",
    "也",
    "又",
    "才",
    "在",
];

/// One result as shown: its entry, kind and URL (a lesson's below the audience's home).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub entry: u32,
    pub kind: usize,
    pub url: String,
}

/// What one search shows and fetches.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    /// Files fetched, site-relative, in order.
    pub files: Vec<String>,
    /// The first page, in the order shown.
    pub page: Vec<Hit>,
    /// How many results there are.
    pub total: usize,
    /// The query searched instead, when pinyin, a slip or traditional characters changed it.
    pub instead: Option<String>,
    /// Terms suggested when nothing was found.
    pub suggestions: Vec<String>,
    /// Whether the query was longer than [`MAX_QUERY`].
    pub cut: bool,
}

struct Part {
    latin: bool,
    variants: Vec<String>,
}

/// A word of the query: its runs, each with its character class (`class`).
type Word = Vec<(char, String)>;

struct Plan {
    words: Vec<Vec<Part>>,
    need_syn: bool,
    need_py: bool,
    need_yin: bool,
    shown: String,
    changed: bool,
}

/// The search state: the page's data, what has been fetched.
struct Search<'a, R> {
    data: &'a Value,
    read: R,
    files: Vec<String>,
    found: HashMap<String, BTreeMap<u32, u8>>,
    syn: Option<HashMap<String, Vec<String>>>,
    py: Option<Pinyin>,
    yin: bool,
    kinds: Vec<u32>,
    total: u32,
}

fn class(c: char) -> char {
    if is_quote(c) {
        'q'
    } else if tokens::is_cjk(c) {
        'c'
    } else if c.is_alphanumeric() {
        'w'
    } else {
        's'
    }
}

fn is_quote(c: char) -> bool {
    "《》〈〉「」『』“”‘’\"'".contains(c)
}

fn pairs(chars: &[char]) -> Vec<String> {
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

fn normalize(text: &str) -> String {
    text.chars()
        .filter(|&c| !is_quote(c))
        .map(tokens::fold)
        .collect()
}

fn unfilled(chars: &[char]) -> Vec<String> {
    let (mut out, mut cur, mut i) = (Vec::new(), String::new(), 0);
    while i < chars.len() {
        let hit = FILLERS
            .iter()
            .map(|f| f.chars().collect::<Vec<_>>())
            .find(|f| chars[i..].starts_with(f));
        match hit {
            Some(f) => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                i += f.len();
            }
            None => {
                cur.push(chars[i]);
                i += 1;
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn synonym_parts(piece: &str, syn: Option<&HashMap<String, Vec<String>>>) -> Vec<Part> {
    let chars: Vec<char> = piece.chars().collect();
    let (mut out, mut plain, mut i) = (Vec::new(), String::new(), 0);
    let part = |v: Vec<String>| Part {
        latin: false,
        variants: v,
    };
    while i < chars.len() {
        let mut found = None;
        if let Some(syn) = syn {
            for n in (1..=chars.len() - i).rev() {
                let w: String = chars[i..i + n].iter().collect();
                if (n > 1 || chars.len() == 1) && syn.contains_key(&w) {
                    found = Some((w, n));
                    break;
                }
            }
        }
        match found {
            Some((w, n)) => {
                if !plain.is_empty() {
                    out.push(part(vec![std::mem::take(&mut plain)]));
                }
                let mut v = vec![w.clone()];
                v.extend(syn.and_then(|s| s.get(&w)).cloned().unwrap_or_default());
                out.push(part(v));
                i += n;
            }
            None => {
                plain.push(chars[i]);
                i += 1;
            }
        }
    }
    if !plain.is_empty() {
        out.push(part(vec![plain]));
    }
    out
}

/// Whether token `i` of `ts` counts (search.js `counted`).
fn counted(ts: &[String], i: usize, df: &impl Fn(&str) -> i64) -> bool {
    if ts.len() < 2 || df(&ts[i]) != 0 {
        return true;
    }
    let l = if i > 0 { df(&ts[i - 1]) } else { -1 };
    let r = if i + 1 < ts.len() { df(&ts[i + 1]) } else { -1 };
    !((l > 0 || r > 0) && l != 0 && r != 0)
}

fn tokens_of(p: &Part) -> Vec<Vec<String>> {
    p.variants
        .iter()
        .map(|v| {
            let cs: Vec<char> = v.chars().collect();
            match (p.latin, cs.len()) {
                (true, _) => vec![v.clone()],
                (false, 1) => vec![v.clone()],
                _ => pairs(&cs),
            }
        })
        .collect()
}

mod pinyin;
mod rank;
use pinyin::Pinyin;

/// What the search page with `data` ([`super::Index::page_data`]) shows and fetches for
/// `query`; `read` gives a file under `search/` by its path there (`s/3.txt`, `py.txt`).
pub fn search(data: &Value, read: impl Fn(&str) -> Option<String>, query: &str) -> Outcome {
    let raw: Vec<char> = query.trim().chars().collect();
    let query: String = raw.iter().take(MAX_QUERY).collect();
    let numbers = |v: &Value| -> Vec<u32> {
        let list = v.as_array().into_iter().flatten();
        list.filter_map(|n| n.as_u64().map(|n| n as u32)).collect()
    };
    let kinds = numbers(&data["kinds"]);
    let mut s = Search {
        data,
        read,
        files: Vec::new(),
        found: HashMap::new(),
        syn: None,
        py: None,
        yin: false,
        total: kinds.iter().sum(),
        kinds,
    };
    let mut out = Outcome {
        cut: raw.len() > MAX_QUERY,
        ..Default::default()
    };
    if tokens::query_tokens(&query).is_empty() || data["format"] != super::FORMAT {
        return out;
    }
    let plan = s.settle(&query);
    let results = s.rank(&plan);
    out.total = results.len();
    out.instead = plan.changed.then(|| plan.shown.clone());
    if results.is_empty() {
        if s.py.is_none() {
            let text = s.fetch("py.txt");
            s.py = Some(Pinyin::read(&text));
        }
        out.suggestions = s.suggestions(&plan, &query);
    } else {
        out.page = s.first_page(&plan, results, &numbers(&data["per"]));
    }
    out.files = s.files;
    out
}

/// The files (site-relative) the search page fetches for `query` (see [`search`]).
pub fn fetched(data: &Value, read: impl Fn(&str) -> Option<String>, query: &str) -> Vec<String> {
    search(data, read, query).files
}

impl<R: Fn(&str) -> Option<String>> Search<'_, R> {
    /// A file under `search/`, fetched once (the script keeps what it fetched).
    fn fetch(&mut self, path: &str) -> String {
        let full = format!("{DIR}{path}");
        if !self.files.contains(&full) {
            self.files.push(full);
        }
        (self.read)(path).unwrap_or_default()
    }

    fn df(&self, t: &str) -> i64 {
        self.found.get(t).map(|m| m.len() as i64).unwrap_or(-1)
    }

    /// Fetches what the query needs until nothing more (search.js `settle`).
    fn settle(&mut self, query: &str) -> Plan {
        loop {
            let plan = self.plan(query);
            if plan.need_syn && self.syn.is_none() {
                let mut syn = HashMap::new();
                for line in self.fetch("syn.txt").split('\n').skip(1) {
                    let ws: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
                    for w in ws.iter().skip(1) {
                        syn.insert(w.to_string(), vec![ws[0].to_string()]);
                    }
                }
                self.syn = Some(syn);
            } else if plan.need_py && self.py.is_none() {
                let text = self.fetch("py.txt");
                self.py = Some(Pinyin::read(&text));
            } else if plan.need_yin && !self.yin {
                let text = self.fetch("yin.txt");
                if let Some(py) = &mut self.py {
                    py.add(&text);
                }
                self.yin = true;
            } else {
                let mut missing: Vec<String> = Vec::new();
                for t in plan.words.iter().flatten().flat_map(tokens_of).flatten() {
                    if !self.found.contains_key(&t) && !missing.contains(&t) {
                        missing.push(t);
                    }
                }
                if missing.is_empty() {
                    return plan;
                }
                self.lookup(&missing);
            }
        }
    }

    fn lookup(&mut self, tokens: &[String]) {
        let shards = self.data["shards"].as_u64().unwrap_or(1).max(1) as usize;
        let mut wanted: Vec<(usize, Vec<&String>)> = Vec::new();
        for t in tokens {
            let s = super::shard::shard_of(t, shards);
            match wanted.iter_mut().find(|(n, _)| *n == s) {
                Some((_, ts)) => ts.push(t),
                None => wanted.push((s, vec![t])),
            }
        }
        for (s, need) in wanted {
            let text = self.fetch(&crate::search::shard_name(s));
            for t in &need {
                self.found.insert(t.to_string(), BTreeMap::new());
            }
            for line in text.split('\n').skip(1) {
                if let Some((t, p)) = super::shard::read_line(line) {
                    if need.iter().any(|n| n.as_str() == t) {
                        self.found.insert(t.to_string(), p.into_iter().collect());
                    }
                }
            }
        }
    }

    /// What to look up for `query` with what is fetched so far, and what is still to fetch
    /// (search.js `plan`).
    fn plan(&self, query: &str) -> Plan {
        let (mut words, mut folded, trad) = self.words(query);
        let mut changed = Vec::new();
        if let Some(py) = &self.py {
            join_pinyin(py, &mut words, &mut changed);
        }
        let starts = self.data["syn"].as_str().unwrap_or_default();
        let need_syn = !words.is_empty() && folded.chars().any(|c| starts.contains(c));
        let (mut need_py, mut need_yin) = (false, false);
        let mut out = Vec::new();
        for w in &words {
            let (mut parts, spelled) = self.parts(w);
            let (unknown, mendable) = self.mend(&mut parts, &mut changed);
            need_py |= spelled || unknown;
            need_yin |= mendable;
            out.push(parts);
        }
        for (from, to) in &changed {
            folded = folded.replacen(from.as_str(), to, 1);
        }
        Plan {
            words: out,
            need_syn,
            need_py,
            need_yin,
            shown: folded,
            changed: !changed.is_empty() || trad,
        }
    }

    /// The query folded as the index was (traditional characters to simplified once the
    /// pinyin table is there), cut at spaces into words of runs of one character class;
    /// quotes are dropped and separators end a run. Returns the words, the folded query shown
    /// back to the reader, and whether a traditional character was changed.
    fn words(&self, query: &str) -> (Vec<Word>, String, bool) {
        let mut words: Vec<Word> = Vec::new();
        let (mut in_word, mut in_run) = (false, false);
        let (mut trad, mut folded) = (false, String::new());
        for ch in query.chars() {
            let mut f = tokens::fold(ch);
            let k = if is_quote(ch) { 'q' } else { class(f) };
            if let (true, Some(py)) = (k == 'c', &self.py) {
                if let Some(&s) = py.t.get(&f) {
                    f = s;
                    trad = true;
                }
            }
            if k == 'q' {
                continue;
            }
            folded.push(f);
            if matches!(f, ' ' | '\t' | '\n' | '\r' | '\x0C' | '\x0B') {
                (in_word, in_run) = (false, false);
                continue;
            }
            if !in_word {
                words.push(Vec::new());
                in_word = true;
            }
            let word = words.last_mut().expect("a word");
            if k == 's' {
                in_run = false;
                continue;
            }
            match word.last_mut() {
                Some((kind, text)) if in_run && *kind == k => text.push(f),
                _ => word.push((k, f.to_string())),
            }
            in_run = true;
        }
        (words, folded, trad)
    }

    /// A word's parts: letter and digit runs as they are, Chinese runs without filler words
    /// and split at synonyms; single characters are dropped when the word has anything longer
    /// (as search.js does). Also returns whether the word may be pinyin (one run of at least
    /// two lowercase letters), so the pinyin table is wanted.
    fn parts(&self, w: &Word) -> (Vec<Part>, bool) {
        let mut spelled = false;
        let mut parts: Vec<Part> = Vec::new();
        for (kind, text) in w {
            if *kind == 'w' {
                if w.len() == 1 && text.len() >= 2 && text.bytes().all(|b| b.is_ascii_lowercase()) {
                    spelled = true;
                }
                parts.push(Part {
                    latin: true,
                    variants: vec![text.clone()],
                });
                continue;
            }
            let chars: Vec<char> = text.chars().collect();
            for piece in unfilled(&chars) {
                parts.extend(synonym_parts(&piece, self.syn.as_ref()));
            }
        }
        let long_of = |p: &Part| p.latin || p.variants[0].chars().count() > 1;
        let long = parts.iter().any(long_of);
        parts.retain(|p| !long || long_of(p));
        (parts, spelled)
    }

    /// Mends a slip (a character typed by its sound) in a plain Chinese part whose pairs the
    /// index does not know, once the sound table is fetched, and notes the change to show.
    /// Returns whether a part has an unknown pair (the pinyin table is wanted) and whether one
    /// is short enough to mend (the sound table is wanted).
    fn mend(&self, parts: &mut [Part], changed: &mut Vec<(String, String)>) -> (bool, bool) {
        let df = |t: &str| self.df(t);
        let (mut unknown, mut mendable) = (false, false);
        for p in parts {
            if p.latin || p.variants.len() > 1 {
                continue;
            }
            let toks = pairs(&p.variants[0].chars().collect::<Vec<_>>());
            if !(0..toks.len()).any(|i| df(&toks[i]) == 0 && counted(&toks, i, &df)) {
                continue;
            }
            unknown = true;
            if toks.len() >= MEND {
                continue;
            }
            mendable = true;
            let py = self.py.as_ref().filter(|_| self.yin);
            if let Some(fixed) = py.and_then(|py| py.correct(&p.variants[0], df)) {
                changed.push((p.variants[0].clone(), fixed.clone()));
                p.variants = vec![fixed];
            }
        }
        (unknown, mendable)
    }
}

/// Words that are only lowercase letters, next to each other, are read together as pinyin
/// when they spell a known term ("cun min" → 村民), and replaced by it.
fn join_pinyin(py: &Pinyin, words: &mut Vec<Word>, changed: &mut Vec<(String, String)>) {
    let letters_only = |w: &Word| {
        w.len() == 1 && !w[0].1.is_empty() && w[0].1.bytes().all(|b| b.is_ascii_lowercase())
    };
    let mut i = 0;
    while i < words.len() {
        let mut j = i;
        let mut letters = String::new();
        while j < words.len() && letters_only(&words[j]) {
            letters.push_str(&words[j][0].1);
            j += 1;
        }
        if j > i && letters.len() >= 2 {
            if let Some(term) = py.term(&letters) {
                let from: Vec<&str> = words[i..j].iter().map(|w| w[0].1.as_str()).collect();
                changed.push((from.join(" "), term.clone()));
                words.splice(i..j, [vec![('c', term)]]);
            }
        }
        i += 1;
    }
}
