//! The shard files of a whole build, made as the entries are tokenized: each token's line is
//! written as its entries come (in entry order), so the site's postings are held once, as the
//! bytes the files will have, not as every entry's list of tokens. At 10,000 pages the lists were
//! 40 MB, the lines are 10 MB.
//!
//! A token's line is kept in one of [`FINE`] buckets, by the hash that places it in a shard
//! ([`shard::shard_of`]). The shard count is a power of two no larger than [`FINE`], known only
//! once every line is written (it follows their bytes); then shard `s` is the lines of the
//! buckets `b` with `b % shards == s`, sorted.

use super::postings::{Tokens, FLAG_BITS, SHARD_SHIFT};
use super::shard;
use super::tokens::{self, Token};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Buckets of lines: as many as a site can have shards, so a shard is always whole buckets.
pub const FINE: usize = shard::MAX_SHARDS;
const _: () = assert!(FINE.is_power_of_two());

/// One token's line after the token: the gaps and the flags, and the last entry written.
#[derive(Debug, Default)]
struct Line {
    gaps: String,
    flags: String,
    /// One more than the last entry's number (0: none yet).
    next: u32,
}

impl Line {
    fn push(&mut self, entry: u32, flags: u8) {
        let gap = match self.next {
            0 => entry,
            next => entry - next,
        };
        shard::push_number(&mut self.gaps, gap);
        self.flags.push(shard::LAST[(flags & 31) as usize] as char);
        self.next = entry + 1;
    }

    /// Bytes of the written line with a token of `token` bytes.
    fn len(&self, token: usize) -> usize {
        token + self.gaps.len() + self.flags.len() + 3
    }
}

#[derive(Debug, Default)]
struct Bucket {
    cjk: FxHashMap<Token, Line>,
    words: FxHashMap<Box<str>, Line>,
}

/// The lines of every shard, as entries are added in order.
#[derive(Debug)]
pub struct Lines {
    buckets: Vec<Bucket>,
    /// Entries added so far.
    entries: u32,
}

impl Default for Lines {
    fn default() -> Self {
        Lines {
            buckets: (0..FINE).map(|_| Bucket::default()).collect(),
            entries: 0,
        }
    }
}

impl Lines {
    /// Adds the next entries, whose tokens are in [`FINE`] shards ([`Tokens::assign`]), in
    /// parallel: one block of buckets per thread, each reading every token and taking its own
    /// (cheaper than sorting each entry's tokens by shard).
    pub fn add(&mut self, batch: &[Tokens]) {
        let first = self.entries;
        let per = FINE.div_ceil(rayon::current_num_threads());
        let token = (1u64 << (SHARD_SHIFT - FLAG_BITS)) - 1;
        self.buckets
            .par_chunks_mut(per)
            .enumerate()
            .for_each(|(n, buckets)| {
                let start = (n * per) as u32;
                let len = buckets.len() as u32;
                let mine = |s: u32| s.wrapping_sub(start) < len;
                for (e, t) in (first..).zip(batch) {
                    let (keys, words) = t.all();
                    for &k in keys {
                        let s = (k >> SHARD_SHIFT) as u32;
                        if mine(s) {
                            let b = &mut buckets[(s - start) as usize];
                            let line = b.cjk.entry(k >> FLAG_BITS & token).or_default();
                            line.push(e, (k & 31) as u8);
                        }
                    }
                    for (s, w, f) in words.iter().filter(|w| mine(w.0)) {
                        let b = &mut buckets[(s - start) as usize];
                        // Looked up before it is owned: most words are in many entries.
                        match b.words.get_mut(w) {
                            Some(line) => line.push(e, *f),
                            None => b.words.entry(w.clone()).or_default().push(e, *f),
                        }
                    }
                }
            });
        self.entries += batch.len() as u32;
    }

    /// Bytes of all lines as written (what the shard count follows).
    pub fn bytes(&self) -> usize {
        self.buckets
            .par_iter()
            .map(|b| {
                let cjk = b.cjk.iter().map(|(t, l)| l.len(Spelling::of(*t).len()));
                let words = b.words.iter().map(|(w, l)| l.len(w.len()));
                cjk.sum::<usize>() + words.sum::<usize>()
            })
            .sum()
    }

    /// The text of every shard for `shards` shards (a power of two, at most [`FINE`]), each
    /// starting with `head`.
    pub fn write(&self, shards: usize, head: &str) -> Vec<String> {
        (0..shards)
            .into_par_iter()
            .map(|s| {
                let buckets = self.buckets.iter().skip(s).step_by(shards);
                let mut lines: Vec<(Spelling, &Line)> = Vec::new();
                for b in buckets {
                    lines.extend(b.cjk.iter().map(|(t, l)| (Spelling::of(*t), l)));
                    lines.extend(b.words.iter().map(|(w, l)| (Spelling::Word(w), l)));
                }
                lines.sort_unstable_by(|a, b| a.0.as_ref().cmp(b.0.as_ref()));
                let size: usize = lines.iter().map(|(t, l)| l.len(t.len())).sum();
                let mut out = String::with_capacity(head.len() + size);
                out.push_str(head);
                for (token, line) in &lines {
                    for part in [token.as_ref(), " ", &line.gaps, " ", &line.flags, "\n"] {
                        out.push_str(part);
                    }
                }
                out
            })
            .collect()
    }
}

/// A line's token as written, without a string of its own for each Chinese one.
enum Spelling<'a> {
    Cjk([u8; 8], u8),
    Word(&'a str),
}

impl Spelling<'_> {
    fn of(token: Token) -> Self {
        let mut buf = [0u8; 8];
        let len = tokens::encode(token, &mut buf);
        Spelling::Cjk(buf, len as u8)
    }

    fn len(&self) -> usize {
        self.as_ref().len()
    }
}

impl AsRef<str> for Spelling<'_> {
    fn as_ref(&self) -> &str {
        match self {
            Spelling::Cjk(buf, len) => std::str::from_utf8(&buf[..*len as usize]).unwrap_or(""),
            Spelling::Word(w) => w,
        }
    }
}
