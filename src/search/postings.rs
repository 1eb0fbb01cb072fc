//! Which entries have which token: an entry's tokens, and a shard file brought up to date in
//! place for the few entries an edit changed.
//!
//! An entry's tokens are kept as sorted numbers `shard << 48 | token << 5 | flags` (a token is
//! a character or a pair of characters in 43 bits, see [`tokens::Token`]), so that the tokens of
//! a range of shards are one slice of each entry's list: an update finds those of one shard (a
//! build needs no order: [`super::lines`]).

use super::entries::Entry;
use super::shard::{self, SUMMARY, TAGS, TITLE};
use super::tokens::{self, Token};
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::hash::Hasher;

pub(super) const SHARD_SHIFT: u32 = 48;
/// Shard numbers sit above a 52-bit hash in [`Tokens::shard_marks`].
pub const MARK_SHIFT: u32 = 52;
pub(super) const FLAG_BITS: u32 = 5;

/// A Latin/digit word of an entry: (shard, word, flags).
type Word = (u32, Box<str>, u8);

/// One entry's tokens (see the module's notes) and its Latin/digit words.
#[derive(Debug, Default)]
pub struct Tokens {
    keys: Vec<u64>,
    /// Sorted.
    words: Vec<Word>,
}

impl Tokens {
    /// How many postings the entry adds to the index.
    pub fn postings(&self) -> usize {
        self.keys.len() + self.words.len()
    }

    /// The shards the entry's tokens are in, in order, each with a hash of what the entry has
    /// there (after [`Tokens::place`]): `shard << 52 | hash`. Two lists that differ in a shard
    /// say that its file changes when the entry does; the others stay as they are.
    pub fn shard_marks(&self) -> Vec<u64> {
        let mut out: Vec<u64> = Vec::new();
        let mut keys = self.keys.iter().peekable();
        let mut words = self.words.iter().peekable();
        loop {
            let next_key = keys.peek().map(|k| shard_of_key(**k));
            let next_word = words.peek().map(|w| w.0);
            let Some(shard) = next_key.into_iter().chain(next_word).min() else {
                break;
            };
            let mut h = FxHasher::default();
            while let Some(k) = keys.next_if(|k| shard_of_key(**k) == shard) {
                h.write_u64(*k);
            }
            while let Some(w) = words.next_if(|w| w.0 == shard) {
                h.write(w.1.as_bytes());
                h.write_u8(w.2);
            }
            out.push((shard as u64) << MARK_SHIFT | (h.finish() & ((1 << MARK_SHIFT) - 1)));
        }
        out
    }

    /// Appends to `out` the shards where two lists of [`Tokens::shard_marks`] differ: those of
    /// the marks in one list and not the other (a shard whose hash changed is in both).
    pub fn differing_shards(old: &[u64], new: &[u64], out: &mut Vec<u32>) {
        let shard = |m: &u64| (m >> MARK_SHIFT) as u32;
        let (mut i, mut j) = (0, 0);
        loop {
            match (old.get(i), new.get(j)) {
                (None, None) => return,
                (Some(a), Some(b)) if a == b => {
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a > b => {
                    out.push(shard(b));
                    j += 1;
                }
                (Some(a), _) => {
                    out.push(shard(a));
                    i += 1;
                }
                (None, Some(b)) => {
                    out.push(shard(b));
                    j += 1;
                }
            }
        }
    }

    /// Puts each token in its shard of `shards` and sorts the lists.
    pub fn place(&mut self, shards: usize) {
        self.assign(shards);
        self.keys.sort_unstable();
        self.words.sort_unstable();
    }

    /// Puts each token in its shard of `shards`, the lists left in their order.
    pub fn assign(&mut self, shards: usize) {
        let low = (1u64 << SHARD_SHIFT) - 1;
        for k in &mut self.keys {
            let token = (*k & low) >> FLAG_BITS;
            let shard = token_hash(token) as usize % shards.max(1);
            *k = (shard as u64) << SHARD_SHIFT | (*k & low);
        }
        for w in &mut self.words {
            w.0 = shard::shard_of(&w.1, shards) as u32;
        }
    }

    /// The tokens (their keys) and the words, in any order.
    pub(super) fn all(&self) -> (&[u64], &[Word]) {
        (&self.keys, &self.words)
    }

    /// The part of the lists in shards `range`.
    fn within(&self, range: &std::ops::Range<u32>) -> (&[u64], &[Word]) {
        let k = |s: u32| self.keys.partition_point(|&key| shard_of_key(key) < s);
        let w = |s: u32| self.words.partition_point(|w| w.0 < s);
        (
            &self.keys[k(range.start)..k(range.end)],
            &self.words[w(range.start)..w(range.end)],
        )
    }
}

fn shard_of_key(key: u64) -> u32 {
    (key >> SHARD_SHIFT) as u32
}

/// FNV-1a of a token's spelling (see [`shard::fnv1a32`]), without spelling it out.
fn token_hash(token: Token) -> u32 {
    let mut buf = [0u8; 8];
    let len = tokens::encode(token, &mut buf);
    let mut h: u32 = 0x811C_9DC5;
    for &b in &buf[..len] {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

thread_local! {
    /// Token → (best field outside the body, count in the body), emptied and used again for
    /// the next entry of the thread: a table made per entry is fresh memory every time.
    static SEEN: std::cell::RefCell<FxHashMap<Token, (u8, u32)>> = Default::default();
}

/// An entry's tokens with their flags (in no shard yet: see [`Tokens::place`]).
pub fn tokenize(e: &Entry) -> Tokens {
    SEEN.with_borrow_mut(|seen| tokenize_with(e, seen))
}

fn tokenize_with(e: &Entry, seen: &mut FxHashMap<Token, (u8, u32)>) -> Tokens {
    seen.clear();
    let size: usize = e.text.iter().map(|t| t.len()).sum::<usize>() / 3 + 64;
    seen.reserve(size.min(1 << 16));
    let mut words: FxHashMap<String, (u8, u32)> = FxHashMap::default();
    let title = e.find_title.as_deref().unwrap_or(&e.title);
    let fields = [
        (title, TITLE),
        (e.tags.as_str(), TAGS),
        (e.summary.as_str(), SUMMARY),
        (&e.meta, SUMMARY),
    ];
    const BODY: u8 = 0;
    let body = e.text.iter().map(|t| (&**t, BODY));
    for (text, field) in fields.into_iter().chain(body) {
        let in_body = field == BODY;
        let mark = |slot: &mut (u8, u32)| {
            if in_body {
                slot.1 += 1;
            } else {
                slot.0 = slot.0.max(field);
            }
        };
        // A body's single characters only where they stand alone: every character of every
        // body would be a third of the index, and a one-character query is served by titles,
        // summaries and lone characters (as Lucene's CJK analyzer does).
        tokens::each_token(
            text,
            !in_body,
            |t| mark(seen.entry(t).or_default()),
            // Looked up before it is owned: most words are seen many times.
            |w| match words.get_mut(w) {
                Some(slot) => mark(slot),
                None => mark(words.entry(w.to_string()).or_default()),
            },
        );
    }
    let flag = |(field, count): (u8, u32)| shard::flags(field, count);
    Tokens {
        keys: seen
            .drain()
            .map(|(t, v)| t << FLAG_BITS | flag(v) as u64)
            .collect(),
        words: words
            .into_iter()
            .map(|(w, v)| (0, w.into_boxed_str(), flag(v)))
            .collect(),
    }
}

/// A shard's file: `head`, then its lines sorted by token.
fn write(head: &str, lines: &mut [(String, Vec<u32>)]) -> String {
    lines.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let size: usize = lines.iter().map(|(t, p)| t.len() + p.len() * 2 + 3).sum();
    let mut out = String::with_capacity(head.len() + size);
    out.push_str(head);
    for (token, postings) in lines.iter() {
        shard::write_line(&mut out, token, postings);
    }
    out
}

/// Rewrites shard `text` (its head is `head`) for entries `changed` (by number), whose new
/// tokens are `fresh` (placed): their old postings go, their new ones come in. The result is
/// the file [`build`] would write.
pub fn update(text: &str, head: &str, shard: u32, changed: &[(u32, &Tokens)]) -> String {
    let gone: FxHashSet<u32> = changed.iter().map(|(e, _)| *e).collect();
    let mut lines: FxHashMap<String, Vec<u32>> = FxHashMap::default();
    for line in text.lines().skip(1) {
        if let Some((token, postings)) = shard::read_line(line) {
            let kept: Vec<u32> = postings
                .into_iter()
                .filter(|(e, _)| !gone.contains(e))
                .map(|(e, f)| shard::pack(e, f))
                .collect();
            lines.insert(token.to_string(), kept);
        }
    }
    let range = shard..shard + 1;
    for (e, t) in changed {
        let (keys, words) = t.within(&range);
        let low = (1u64 << SHARD_SHIFT) - 1;
        for &k in keys {
            let token = tokens::spell((k & low) >> FLAG_BITS, &[]);
            lines
                .entry(token)
                .or_default()
                .push(shard::pack(*e, (k & 31) as u8));
        }
        for (_, w, f) in words {
            lines
                .entry(w.to_string())
                .or_default()
                .push(shard::pack(*e, *f));
        }
    }
    let mut lines: Vec<(String, Vec<u32>)> = lines
        .into_iter()
        .filter(|(_, p)| !p.is_empty())
        .map(|(t, mut p)| {
            p.sort_unstable_by_key(|p| p >> 5);
            (t, p)
        })
        .collect();
    write(head, &mut lines)
}

#[cfg(test)]
mod tests {
    use super::super::lines::{Lines, FINE};
    use super::*;
    use std::borrow::Cow;

    fn entry(title: &str, text: &str) -> Entry<'static> {
        Entry {
            title: title.into(),
            text: vec![Cow::Owned(text.into())],
            ..Default::default()
        }
    }

    #[test]
    fn the_hash_of_a_packed_token_is_the_hash_of_its_spelling() {
        for t in [
            tokens::char_token('宅'),
            tokens::pair_token('彩', '礼'),
            tokens::char_token('𠀀'),
        ] {
            assert_eq!(token_hash(t), shard::fnv1a32(&tokens::spell(t, &[])));
        }
    }

    #[test]
    fn updating_a_shard_gives_what_a_build_gives() {
        let before = [entry("借条", "写借条 12348"), entry("彩礼", "彩礼返还")];
        let after = [entry("借条", "写欠条 12349"), entry("彩礼", "彩礼返还")];
        let shards = 4;
        let placed = |e: &Entry, n: usize| {
            let mut t = tokenize(e);
            t.place(n);
            t
        };
        let head = "qili-search 1 x\n";
        let build = |es: &[Entry]| {
            let mut lines = Lines::default();
            lines.add(&es.iter().map(|e| placed(e, FINE)).collect::<Vec<_>>());
            lines.write(shards, head)
        };
        let built_before = build(&before);
        let built_after = build(&after);
        let new = [placed(&after[0], shards)];
        for s in 0..shards {
            let updated = update(&built_before[s], head, s as u32, &[(0, &new[0])]);
            assert_eq!(updated, built_after[s], "shard {s}");
        }
        assert!(built_after.concat().contains("12349"));
        assert!(!built_after.concat().contains("12348"));
    }
}
