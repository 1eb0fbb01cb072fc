//! Stage 5, search: the full-text index the search page (`/<audience>/search/`) queries in the
//! reader's browser, with no server.
//!
//! What is searched: every lesson in each audience's wording, every notice, the current
//! 村规民约 of each village (the regulation, and each 条 on its own, linking to its `#tiao-N`),
//! and the villages with their contacts ([`entries`]). Older versions of a regulation are not:
//! they are superseded, and their page is one link away from the current one.
//!
//! The index is one for all audiences. A lesson whose text is the same for several audiences is
//! one entry; a lesson with audience-specific wording is one entry per wording, and the search
//! page of an audience carries the list of lesson entries that are its own. Entries are ordered
//! lessons, notices, regulations, 条, villages (the page gets the counts, so the script knows an
//! entry's kind from its number).
//!
//! Files, under `search/` of the site:
//! - `s/<n>.txt`: the postings, split into shards by token (see [`shard`] for the format and
//!   the shard choice, [`postings`] for how they are made). A query fetches only the shards of
//!   its tokens.
//! - `c/<n>.json`: what results show (title, a line about it, summary, URL, text for the
//!   snippet and the exact-phrase check), a fixed number of entries of one kind per file
//!   ([`PER_CHUNK`]), fetched only for the results on screen.
//!
//! Every file starts with the index's `version`, a hash of its *structure*: which entries there
//! are, in which order, in how many shards and chunks. A page and files that disagree on it
//! would number entries differently; the script notices and says so rather than mix them. An
//! edit of an entry's text keeps the version, so `serve` rewrites only the shards and the chunk
//! that changed. The page also carries `fresh`, a hash of every entry's content, which the
//! script adds to each file's address so that a browser never answers with a file it cached
//! before an edit.

pub mod entries;
pub mod extra;
pub mod hanzi;
pub mod lines;
pub mod postings;
pub mod query;
pub mod shard;
pub mod tokens;

pub use entries::{entries, Entry, EntryKind, PageText};
use postings::Tokens;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::hash::Hasher;

/// Format of the files and of the page's data, in their first line; the script refuses others
/// (2: the page gives the entries a chunk holds per kind, not a list of chunks; 3: a posting's
/// flags are its best field and the body's count, tags are a field, `syn.txt`, `py.txt` and `yin.txt`).
pub const FORMAT: u32 = 3;
/// Text of one entry kept for snippets, in characters (tokens come from all of it).
const MAX_STORED_CHARS: usize = 20_000;
/// Entries in one chunk file, by kind: a lesson is a page of text (the sample's are 3,000–
/// 5,000 characters: two would put a phrase query over its budget), a notice shorter, a 条 or
/// a village a few lines. Fixed, so that an edit changes one chunk and not the ones after it.
pub const PER_CHUNK: [usize; 5] = [1, 2, 4, 8, 8];
/// Entries tokenized at a time while the index is built: their tokens are held until their
/// postings are in the shards' lines.
const BATCH: usize = 256;
/// Where the index lives in the site (its URL, like every URL, is decided in `model/urls.rs`).
pub const DIR: &str = crate::model::urls::SEARCH_INDEX;

/// A shard's file, relative to [`DIR`] (the script fetches the same name).
pub fn shard_name(n: usize) -> String {
    format!("s/{n}.txt")
}

/// A chunk's file, relative to [`DIR`].
pub fn chunk_name(c: usize) -> String {
    format!("c/{c}.json")
}

/// What the index keeps of an entry between builds.
#[derive(Debug, Clone)]
struct Record {
    /// Hash of what numbers it: kind, URL, audiences.
    key: u64,
    /// Hash of everything the index has of it.
    digest: u64,
    /// The shards its tokens are in, with a hash of its postings there
    /// ([`postings::Tokens::shard_marks`]); empty when the index is not kept for updates.
    shards: Box<[u64]>,
}

/// The index: its shard files, and what it needs to bring them up to date after an edit.
#[derive(Debug, Default)]
pub struct Index {
    pub version: String,
    /// Hash of the content of every entry (see the module's notes).
    pub fresh: String,
    /// Text of each shard file.
    shards: Vec<String>,
    /// Bytes of the shards' lines, without their heads (what the shard count follows).
    shard_bytes: usize,
    records: Vec<Record>,
    /// How many entries each chunk holds.
    chunk_sizes: Vec<u32>,
    /// Entries of each kind.
    counts: Vec<usize>,
    /// Per audience, which lesson entries are its own.
    lesson_sets: Vec<Vec<bool>>,
    pub entries: usize,
    /// Whether the records have what [`Index::update`] needs.
    updates: bool,
    /// `syn.txt`, `py.txt` and `yin.txt` ([`extra`]), by path.
    extra: Vec<(String, String)>,
    /// The characters that start a synonym ([`extra::synonym_starts`]).
    syn_starts: String,
}

/// Which files an update changed.
#[derive(Debug, Default, PartialEq)]
pub enum Changed {
    /// Nothing of the index.
    #[default]
    Nothing,
    /// These shards and chunks (by number); the version is the same.
    Parts {
        shards: Vec<usize>,
        chunks: Vec<usize>,
        /// `syn.txt`, `py.txt` and `yin.txt`.
        extra: bool,
    },
    /// The structure changed: every file.
    All,
}

impl Changed {
    /// What this and then `later` changed together (files not yet written add up).
    pub fn merge(&mut self, later: Changed) {
        match (&mut *self, later) {
            (_, Changed::Nothing) | (Changed::All, _) => {}
            (Changed::Nothing, later) | (_, later @ Changed::All) => *self = later,
            (
                Changed::Parts {
                    shards,
                    chunks,
                    extra,
                },
                Changed::Parts {
                    shards: s,
                    chunks: c,
                    extra: e,
                },
            ) => {
                *extra |= e;
                for (mine, theirs) in [(shards, s), (chunks, c)] {
                    mine.extend(theirs);
                    mine.sort_unstable();
                    mine.dedup();
                }
            }
        }
    }
}

/// A 64-bit hash of `parts` (their lengths included, so that parts cannot run into each
/// other). For noticing changes between builds of one session: fast, not cryptographic.
fn hash64(parts: &[&[u8]]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for p in parts {
        h.write_usize(p.len());
        h.write(p);
    }
    h.finish()
}

fn key_of(kind: EntryKind, e: &Entry) -> u64 {
    let auds: Vec<u8> = e.audiences.iter().map(|&a| a as u8).collect();
    hash64(&[&[kind as u8], e.url.as_bytes(), &auds])
}

fn digest_of(e: &Entry) -> u64 {
    let mut parts: Vec<&[u8]> = vec![
        e.title.as_bytes(),
        e.find_title.as_deref().unwrap_or("\u{0}").as_bytes(),
        e.meta.as_bytes(),
        e.tags.as_bytes(),
        e.summary.as_bytes(),
        e.url.as_bytes(),
    ];
    parts.extend(e.text.iter().map(|t| t.as_bytes()));
    hash64(&parts)
}

fn short_hex(parts: impl IntoIterator<Item = u64>) -> String {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(&p.to_le_bytes());
    }
    h.finalize().to_hex()[..12].to_string()
}

impl Index {
    /// Builds the index of `entries` for a site with `audiences` audiences, to write once.
    pub fn build(entries: &[(EntryKind, Entry<'_>)], audiences: usize) -> Index {
        Index::make(entries, audiences, false)
    }

    /// Builds the index and keeps what [`Index::update`] needs (`serve`).
    pub fn build_for_updates(entries: &[(EntryKind, Entry<'_>)], audiences: usize) -> Index {
        Index::make(entries, audiences, true)
    }

    fn make(entries: &[(EntryKind, Entry<'_>)], audiences: usize, updates: bool) -> Index {
        let (keys, digests): (Vec<u64>, Vec<u64>) = entries
            .par_iter()
            .map(|(k, e)| (key_of(*k, e), digest_of(e)))
            .unzip();
        // Entries a batch at a time, their tokens written into the lines of the shards and
        // dropped (kept only for updates, which need each entry's shards).
        let mut lines = lines::Lines::default();
        let mut kept: Vec<Tokens> = Vec::new();
        for batch in entries.chunks(BATCH) {
            let tokens: Vec<Tokens> = batch
                .par_iter()
                .map(|(_, e)| {
                    let mut t = postings::tokenize(e);
                    t.assign(lines::FINE);
                    t
                })
                .collect();
            lines.add(&tokens);
            if updates {
                kept.extend(tokens);
            }
        }
        // The shard count follows the bytes of the lines, which do not depend on it.
        let bytes = lines.bytes();
        let shards = shard::shard_count(bytes);
        let mut index = Index::frame(entries, audiences, &keys, &digests, shards);
        index.shards = lines.write(shards, &index.shard_head());
        index.shard_bytes = bytes;
        drop(lines);
        let marks = |t: &mut Tokens| {
            t.place(shards);
            t.shard_marks().into_boxed_slice()
        };
        let mut kept = kept.into_iter();
        index.records = keys
            .into_iter()
            .zip(digests)
            .map(|(key, digest)| Record {
                key,
                digest,
                shards: kept.next().as_mut().map(marks).unwrap_or_default(),
            })
            .collect();
        index.updates = updates;
        index
    }

    /// Everything but the shard texts and the records.
    fn frame(
        entries: &[(EntryKind, Entry<'_>)],
        audiences: usize,
        keys: &[u64],
        digests: &[u64],
        shards: usize,
    ) -> Index {
        let counts: Vec<usize> = EntryKind::ALL
            .iter()
            .map(|k| entries.iter().filter(|(kind, _)| kind == k).count())
            .collect();
        let mut chunk_sizes = Vec::new();
        for (n, per) in counts.iter().zip(PER_CHUNK) {
            for start in (0..*n).step_by(per) {
                chunk_sizes.push((per.min(n - start)) as u32);
            }
        }
        let mut structure = vec![FORMAT as u64, shards as u64];
        structure.extend(chunk_sizes.iter().map(|&n| n as u64));
        structure.extend(keys);
        let lesson_sets = (0..audiences)
            .map(|a| {
                entries
                    .iter()
                    .filter(|(k, _)| *k == EntryKind::Lesson)
                    .map(|(_, e)| e.audiences.contains(&a))
                    .collect()
            })
            .collect();
        Index {
            version: short_hex(structure),
            fresh: short_hex(digests.iter().copied()),
            shards: vec![String::new(); shards],
            shard_bytes: 0,
            records: Vec::new(),
            chunk_sizes,
            counts,
            lesson_sets,
            entries: entries.len(),
            updates: false,
            extra: Vec::new(),
            syn_starts: String::new(),
        }
    }

    /// Brings the index up to date with `entries` (after an edit): when the same entries are
    /// there in the same order, only those whose content changed are tokenized again and only
    /// the shards their old and new tokens are in are rewritten. The result is the index
    /// [`Index::build`] would give.
    pub fn update(&mut self, entries: &[(EntryKind, Entry<'_>)], audiences: usize) -> Changed {
        let same_frame = self.updates
            && entries.len() == self.records.len()
            && self.lesson_sets.len() == audiences
            && entries
                .par_iter()
                .zip(&self.records)
                .all(|((kind, e), r)| key_of(*kind, e) == r.key);
        if !same_frame {
            *self = Index::build_for_updates(entries, audiences);
            return Changed::All;
        }
        let changed: Vec<(usize, u64)> = entries
            .par_iter()
            .enumerate()
            .filter_map(|(i, (_, e))| {
                let d = digest_of(e);
                (d != self.records[i].digest).then_some((i, d))
            })
            .collect();
        if changed.is_empty() {
            return Changed::Nothing;
        }
        let mut fresh: Vec<(usize, u64, Tokens)> = changed
            .par_iter()
            .map(|&(i, d)| (i, d, postings::tokenize(&entries[i].1)))
            .collect();
        // The shards where an entry's postings differ.
        let mut dirty: Vec<u32> = Vec::new();
        let mut marks = Vec::with_capacity(fresh.len());
        for (i, _, t) in &mut fresh {
            t.place(self.shards.len());
            let new = t.shard_marks();
            Tokens::differing_shards(&self.records[*i].shards, &new, &mut dirty);
            marks.push(new);
        }
        dirty.sort_unstable();
        dirty.dedup();
        let head = self.shard_head();
        let by_entry: Vec<(u32, &Tokens)> = fresh.iter().map(|(i, _, t)| (*i as u32, t)).collect();
        let texts: Vec<String> = dirty
            .par_iter()
            .map(|&s| postings::update(&self.shards[s as usize], &head, s, &by_entry))
            .collect();
        let old: usize = dirty.iter().map(|&s| self.shards[s as usize].len()).sum();
        // Heads are in both sums and cancel out.
        let bytes = self.shard_bytes + texts.iter().map(String::len).sum::<usize>() - old;
        if shard::shard_count(bytes) != self.shards.len() {
            *self = Index::build_for_updates(entries, audiences);
            return Changed::All;
        }
        self.shard_bytes = bytes;
        for (&s, text) in dirty.iter().zip(texts) {
            self.shards[s as usize] = text;
        }
        let mut chunks: Vec<usize> = Vec::new();
        for ((i, digest, _), marks) in fresh.into_iter().zip(marks) {
            let r = &mut self.records[i];
            r.digest = digest;
            r.shards = marks.into_boxed_slice();
            chunks.push(self.chunk_of(i));
        }
        chunks.dedup();
        let texts = self.extra.iter().map(|(_, t)| hash64(&[t.as_bytes()]));
        self.fresh = short_hex(self.records.iter().map(|r| r.digest).chain(texts));
        Changed::Parts {
            shards: dirty.into_iter().map(|s| s as usize).collect(),
            chunks,
            extra: false,
        }
    }

    /// Makes `syn.txt`, `py.txt` and `yin.txt` for `entries` and the site's `synonyms`; whether they
    /// changed. Their content goes into `fresh`, so that a browser never keeps an old one.
    pub fn set_extra(
        &mut self,
        entries: &[(EntryKind, Entry<'_>)],
        synonyms: &[Vec<String>],
    ) -> bool {
        let head = self.shard_head();
        let terms = extra::terms(entries, synonyms);
        let (py, yin) = extra::pinyin_files(&head, &terms);
        let files = vec![
            (
                format!("{DIR}syn.txt"),
                extra::synonym_file(&head, synonyms),
            ),
            (format!("{DIR}py.txt"), py),
            (format!("{DIR}yin.txt"), yin),
        ];
        if files == self.extra {
            return false;
        }
        self.extra = files;
        self.syn_starts = extra::synonym_starts(synonyms);
        let texts = self.extra.iter().map(|(_, t)| hash64(&[t.as_bytes()]));
        let digests = self.records.iter().map(|r| r.digest);
        self.fresh = short_hex(digests.chain(texts));
        true
    }

    /// `syn.txt`, `py.txt` and `yin.txt`: path and text.
    pub fn extra_files(&self) -> &[(String, String)] {
        &self.extra
    }

    fn shard_head(&self) -> String {
        format!("qili-search {FORMAT} {}\n", self.version)
    }

    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    pub fn chunk_count(&self) -> usize {
        self.chunk_sizes.len()
    }

    /// Site-relative path and text of shard `n`.
    pub fn shard_file(&self, n: usize) -> (String, &str) {
        (format!("{DIR}{}", shard_name(n)), &self.shards[n])
    }

    /// The chunk entry `i` is in.
    fn chunk_of(&self, i: usize) -> usize {
        let mut end = 0usize;
        for (c, &n) in self.chunk_sizes.iter().enumerate() {
            end += n as usize;
            if i < end {
                return c;
            }
        }
        self.chunk_sizes.len().saturating_sub(1)
    }

    /// Site-relative path and text of chunk `c`, of the `entries` the index was built from.
    pub fn chunk_file(&self, entries: &[(EntryKind, Entry<'_>)], c: usize) -> (String, String) {
        let start: usize = self.chunk_sizes[..c].iter().map(|&n| n as usize).sum();
        let end = start + self.chunk_sizes[c] as usize;
        let head = format!(
            "{{\"format\":{FORMAT},\"version\":\"{}\",\"entries\":[",
            self.version
        );
        let mut out = head.into_bytes();
        for (n, (_, e)) in entries[start..end].iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            let row = (&e.title, &e.meta, &e.summary, &e.url, Stored(&e.text));
            // Writing to memory fails only if the row could not be serialized, which strings
            // always can.
            let _ = serde_json::to_writer(&mut out, &row);
        }
        out.extend_from_slice(b"]}");
        let text = String::from_utf8(out).unwrap_or_default();
        (format!("{DIR}{}", chunk_name(c)), text)
    }

    /// Every file of the index, made and handed to `write` in parallel.
    pub fn each_file<E: Send>(
        &self,
        entries: &[(EntryKind, Entry<'_>)],
        write: impl Fn(&str, &[u8]) -> Result<usize, E> + Sync,
    ) -> Result<usize, E> {
        let shards = (0..self.shards.len()).into_par_iter().map(|n| {
            let (path, text) = self.shard_file(n);
            write(&path, text.as_bytes())
        });
        let chunks = (0..self.chunk_sizes.len()).into_par_iter().map(|c| {
            let (path, text) = self.chunk_file(entries, c);
            write(&path, text.as_bytes())
        });
        let extra = self.extra.par_iter().map(|(p, t)| write(p, t.as_bytes()));
        shards
            .chain(chunks)
            .chain(extra)
            .try_reduce(|| 0, |a, b| Ok(a + b))
    }

    /// What audience `a`'s search page gives the script: the version and freshness, the shard
    /// count, the entries of each kind and how many of them a chunk holds (the script works out
    /// the chunks from these: a list of chunks was 55 KB of the page at 100,000 pages), and
    /// which lessons are its own.
    pub fn page_data(&self, a: usize) -> Value {
        let own = self.lesson_sets.get(a).map(|s| bits(s)).unwrap_or_default();
        json!({
            "format": FORMAT,
            "version": self.version,
            "fresh": self.fresh,
            "shards": self.shards.len(),
            "kinds": self.counts,
            "per": PER_CHUNK,
            "lessons": own,
            "syn": self.syn_starts,
        })
    }
}

/// An entry's text as a chunk stores it: its parts one a line, at most [`MAX_STORED_CHARS`]
/// characters, escaped as it is written (not joined into one string first: at 10,000 pages a
/// copy of 30 MB).
struct Stored<'a>(&'a [std::borrow::Cow<'a, str>]);

impl std::fmt::Display for Stored<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No more characters than bytes: most texts need no counting.
        let bytes: usize = self.0.iter().map(|p| p.len() + 1).sum();
        let mut left = match bytes <= MAX_STORED_CHARS + 1 {
            true => None,
            false => Some(MAX_STORED_CHARS),
        };
        for (n, part) in self.0.iter().enumerate() {
            if n > 0 {
                match &mut left {
                    Some(0) => break,
                    Some(l) => *l -= 1,
                    None => {}
                }
                f.write_str("\n")?;
            }
            let Some(l) = &mut left else {
                f.write_str(part)?;
                continue;
            };
            match part.char_indices().nth(*l) {
                Some((at, _)) => return f.write_str(&part[..at]),
                None => {
                    f.write_str(part)?;
                    *l -= part.chars().count();
                }
            }
        }
        Ok(())
    }
}

impl serde::Serialize for Stored<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A list of yes/no as base64 (6 entries a character, first entry in the high bit).
fn bits(set: &[bool]) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    set.chunks(6)
        .map(|six| {
            let v = six
                .iter()
                .enumerate()
                .fold(0usize, |v, (i, &b)| v | (b as usize) << (5 - i));
            B64[v] as char
        })
        .collect()
}

#[cfg(test)]
mod tests;
