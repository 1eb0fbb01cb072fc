//! Stage 5, search: the full-text index the search page (`/<audience>/search/`) queries in the
//! reader's browser, with no server.
//!
//! What is searched: every lesson in each audience's wording, every notice, the current
//! 村规民约 of each village (the regulation, and each 条 on its own, linking to its `#tiao-N`),
//! and the villages with their contacts. Older versions of a regulation are not: they are
//! superseded, and their page is one link away from the current one.
//!
//! The index is one for all audiences. A lesson whose text is the same for several audiences is
//! one entry; a lesson with audience-specific wording is one entry per wording, and the search
//! page of an audience carries the list of lesson entries that are its own. Entries are ordered
//! lessons, notices, regulations, 条, villages (the page gets the counts, so the script knows an
//! entry's kind from its number).
//!
//! Files, under `search/` of the site:
//! - `s/<n>.txt`: the postings, split into shards by token (see [`shard`] for the format and
//!   the shard choice). A query fetches only the shards of its tokens.
//! - `c/<n>.json`: what results show (title, a line about it, summary, URL, text for the
//!   snippet and the exact-phrase check), a few entries per file of about [`CHUNK_TARGET`]
//!   bytes, fetched only for the results on screen.
//!
//! Every file starts with the index version (a hash of the whole index): a page and files from
//! different builds are noticed, not mixed.

pub mod query;
pub mod shard;
pub mod tokens;

use crate::markdown::{chinese_number, Article};
use crate::model::{urls, Site};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::{json, Value};
use shard::{BODY, SUMMARY, TITLE};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use tokens::Token;

/// Format of the files, in their first line; the script refuses others.
pub const FORMAT: u32 = 1;
/// Text of one entry kept for snippets, in characters (tokens come from all of it).
const MAX_STORED_CHARS: usize = 20_000;
/// Raw bytes of a chunk file: several short entries share one, a long lesson has its own.
pub const CHUNK_TARGET: usize = 8 * 1024;
/// Stands in for the version in the files' heads until it is known (its length).
const UNKNOWN: &str = "000000000000";
/// Entries tokenized at once (see [`Index::build`]).
const BATCH: usize = 256;
/// Where the index lives in the site.
pub const DIR: &str = "search/";

/// The kinds of entries, in the order their entries are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Lesson,
    Notice,
    Regulation,
    Article,
    Village,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Lesson,
        Kind::Notice,
        Kind::Regulation,
        Kind::Article,
        Kind::Village,
    ];
}

/// What a rendered page gives the index.
#[derive(Debug, Clone)]
pub enum PageText {
    /// A lesson or notice: its text as the reader sees it. Shared: a lesson's audiences
    /// mostly read the same words, kept once.
    Text(std::sync::Arc<str>),
    /// A regulation: its 条 (with anchors and chapters).
    Articles(Vec<Article>),
}

/// One thing a search can find. Its text is borrowed from the page where it can be: at
/// 10,000 pages a copy of every page's text was a hundred megabytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry<'a> {
    pub title: String,
    /// Indexed as the title when it differs from what is shown (a 条 is found by `第三条`,
    /// shown with its regulation's name).
    pub find_title: Option<String>,
    /// Shown under the title, and found as the summary is: the village, a lesson's tags, a
    /// 条's chapter.
    pub meta: String,
    pub summary: String,
    /// A lesson's URL below its audience's home (`lessons/x/`); others from the site root.
    pub url: String,
    pub text: Cow<'a, str>,
    /// Lessons: the audiences (by number) that read this wording. Others: all.
    pub audiences: Vec<usize>,
}

/// The index, ready to write.
#[derive(Debug, Default)]
pub struct Index {
    pub version: String,
    /// Site-relative path and content of every file.
    pub files: Vec<(String, String)>,
    /// Per audience, what its search page needs (see [`Index::page_data`]).
    counts: Vec<usize>,
    chunk_sizes: Vec<u32>,
    shards: usize,
    /// Per audience, which lesson entries are its own.
    lesson_sets: Vec<Vec<bool>>,
    pub entries: usize,
}

/// The entries of the site, given the text of each document page by URL.
pub fn entries<'a>(site: &'a Site, texts: &'a HashMap<String, PageText>) -> Vec<(Kind, Entry<'a>)> {
    let c = &site.config;
    let village_name = |id: &str| c.village(id).map(|v| v.name.clone()).unwrap_or_default();
    let mut out = Vec::new();
    for l in &site.lessons {
        let f = &l.doc.front;
        // One entry per distinct wording, shared by the audiences that read it.
        let mut wordings: Vec<(&str, Vec<usize>)> = Vec::new();
        for (a, aud) in c.audiences.iter().enumerate() {
            if !l.is_for(&aud.id) {
                continue;
            }
            let text = match texts.get(&l.url(&aud.id)) {
                Some(PageText::Text(t)) => &**t,
                _ => "",
            };
            match wordings.iter_mut().find(|(t, _)| *t == text) {
                Some((_, auds)) => auds.push(a),
                None => wordings.push((text, vec![a])),
            }
        }
        for (text, audiences) in wordings {
            let summary = if f.summary.is_empty() {
                text.chars().take(60).collect()
            } else {
                f.summary.clone()
            };
            // The page lists the laws it cites below the text.
            let mut text = Cow::Borrowed(text);
            for law in &f.laws {
                let t = text.to_mut();
                t.push('\n');
                t.push_str(law);
            }
            out.push((
                Kind::Lesson,
                Entry {
                    title: f.title.clone(),
                    meta: f.tags.join("、"),
                    summary,
                    url: format!("lessons/{}/", l.doc.slug),
                    text,
                    audiences,
                    ..Default::default()
                },
            ));
        }
    }
    for n in &site.notices {
        let f = &n.doc.front;
        let body = match texts.get(&n.url()) {
            Some(PageText::Text(t)) => &**t,
            _ => "",
        };
        let mut text = format!("{}\n{body}", f.matter);
        if let Some(r) = &f.result {
            for part in [Some(&r.content), r.amount.as_ref()].into_iter().flatten() {
                text.push('\n');
                text.push_str(part);
            }
        }
        out.push((
            Kind::Notice,
            Entry {
                title: f.title.clone(),
                meta: village_name(&f.village),
                summary: if f.summary.is_empty() {
                    f.matter.clone()
                } else {
                    f.summary.clone()
                },
                url: n.url(),
                text: text.into(),
                ..Default::default()
            },
        ));
    }
    let current = site.regulations.iter().filter(|r| r.is_current);
    let mut articles = Vec::new();
    for r in current {
        let f = &r.doc.front;
        let list = match texts.get(&r.url()) {
            Some(PageText::Articles(a)) => a.as_slice(),
            _ => &[],
        };
        let mut chapters: Vec<&str> = Vec::new();
        for a in list {
            if !a.chapter.is_empty() && chapters.last() != Some(&a.chapter.as_str()) {
                chapters.push(&a.chapter);
            }
        }
        out.push((
            Kind::Regulation,
            Entry {
                title: f.title.clone(),
                meta: village_name(&f.village),
                summary: f.summary.clone(),
                url: r.url(),
                text: chapters.join("\n").into(),
                ..Default::default()
            },
        ));
        for a in list {
            let number = format!("第{}条", chinese_number(a.number));
            articles.push((
                Kind::Article,
                Entry {
                    title: format!("{} {number}", f.title),
                    find_title: Some(number),
                    meta: a.chapter.clone(),
                    // Found by the regulation's name too: "东岭村 宅基地".
                    summary: f.title.clone(),
                    url: format!("{}#{}", r.url(), a.id),
                    text: Cow::Borrowed(&a.text),
                    ..Default::default()
                },
            ));
        }
    }
    out.extend(articles);
    for v in &c.villages {
        // Who to call is what a village's page is for: shown in the result, found as a summary.
        let contacts: Vec<String> = v
            .contacts
            .iter()
            .map(|p| {
                format!("{} {} {}", p.role, p.name, p.phone)
                    .trim()
                    .to_string()
            })
            .collect();
        let mut text = v.description.clone();
        for p in &v.contacts {
            if !p.note.is_empty() {
                text.push('\n');
                text.push_str(&p.note);
            }
        }
        if let Some(col) = &v.collective {
            text.push('\n');
            text.push_str(&col.name);
        }
        out.push((
            Kind::Village,
            Entry {
                title: v.name.clone(),
                meta: contacts.join("；"),
                summary: v.description.clone(),
                url: urls::village(&v.id),
                text: text.into(),
                ..Default::default()
            },
        ));
    }
    out
}

/// An entry's tokens with their flags (see [`shard`]), and its Latin/digit words.
struct Tokenized {
    cjk: Vec<(Token, u8)>,
    words: Vec<(String, u8)>,
}

fn tokenize(e: &Entry) -> Tokenized {
    // Token → (fields, count in the body).
    let mut seen: FxHashMap<Token, (u8, u32)> = FxHashMap::default();
    let mut words: FxHashMap<String, (u8, u32)> = FxHashMap::default();
    let title = e.find_title.as_deref().unwrap_or(&e.title);
    let fields = [
        (title, TITLE),
        (e.summary.as_str(), SUMMARY),
        (e.meta.as_str(), SUMMARY),
        (&*e.text, BODY),
    ];
    for (text, field) in fields {
        let body = field == BODY;
        let mark = |slot: &mut (u8, u32)| {
            slot.0 |= field;
            if body {
                slot.1 += 1;
            }
        };
        // A body's single characters only where they stand alone: every character of every
        // body would be a third of the index, and a one-character query is served by titles,
        // summaries and lone characters (as Lucene's CJK analyzer does).
        tokens::each_token(
            text,
            !body,
            |t| mark(seen.entry(t).or_default()),
            // Looked up before it is owned: most words are seen many times.
            |w| match words.get_mut(w) {
                Some(slot) => mark(slot),
                None => mark(words.entry(w.to_string()).or_default()),
            },
        );
    }
    let flag = |(fields, count): (u8, u32)| shard::flags(fields, count);
    Tokenized {
        cjk: seen.into_iter().map(|(t, v)| (t, flag(v))).collect(),
        words: words.into_iter().map(|(w, v)| (w, flag(v))).collect(),
    }
}

impl Index {
    /// Builds the index of `entries` for a site with `audiences` audiences, its URLs under
    /// `base_path`.
    pub fn build(entries: &[(Kind, Entry<'_>)], audiences: usize) -> Index {
        // Token → packed postings in entry order. Entries are tokenized a batch at a time so
        // that only one batch's token lists are held besides the postings.
        let mut postings: FxHashMap<Token, Vec<u32>> = FxHashMap::default();
        let mut word_postings: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        let mut total = 0usize;
        for (b, batch) in entries.chunks(BATCH).enumerate() {
            let tokenized: Vec<Tokenized> = batch.par_iter().map(|(_, e)| tokenize(e)).collect();
            for (j, t) in tokenized.into_iter().enumerate() {
                let i = (b * BATCH + j) as u32;
                total += t.cjk.len() + t.words.len();
                for (tok, f) in t.cjk {
                    postings.entry(tok).or_default().push(shard::pack(i, f));
                }
                for (w, f) in t.words {
                    word_postings.entry(w).or_default().push(shard::pack(i, f));
                }
            }
        }
        // About two characters a posting (one gap digit, one flag), plus the token.
        let shards = shard::shard_count(total * 2 + (postings.len() + word_postings.len()) * 8);
        let mut lines: Vec<(String, Vec<u32>)> = postings
            .into_iter()
            .map(|(t, p)| (tokens::spell(t, &[]), p))
            .chain(word_postings)
            .collect();
        lines.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut by_shard: Vec<Vec<usize>> = vec![Vec::new(); shards];
        for (i, (token, _)) in lines.iter().enumerate() {
            by_shard[shard::shard_of(token, shards)].push(i);
        }
        let shard_head = format!("qili-search {FORMAT} {UNKNOWN}\n");
        let mut shard_bodies: Vec<String> = by_shard
            .par_iter()
            .map(|ids| {
                let mut out = shard_head.clone();
                for &i in ids {
                    let (token, p) = &lines[i];
                    shard::write_line(&mut out, token, p);
                }
                out
            })
            .collect();
        // The postings are written: free them before the chunks are.
        drop((lines, by_shard));
        let chunk_head = format!("{{\"format\":{FORMAT},\"version\":\"{UNKNOWN}\",\"entries\":");
        let (mut chunk_bodies, chunk_sizes) = chunks(entries, &chunk_head);
        // The version is a hash of the files after their heads, which are written with a
        // stand-in of its length and filled in here: no file is copied to put a head on it.
        let mut hash = blake3::Hasher::new();
        for body in &shard_bodies {
            hash.update(&body.as_bytes()[shard_head.len()..]);
            hash.update(&[0]);
        }
        for body in &chunk_bodies {
            hash.update(&body.as_bytes()[chunk_head.len()..body.len() - 1]);
            hash.update(&[0]);
        }
        let version = hash.finalize().to_hex()[..UNKNOWN.len()].to_string();
        let fill = |text: &mut String, head: &str| {
            let at = head.find(UNKNOWN).unwrap_or(0);
            text.replace_range(at..at + UNKNOWN.len(), &version);
        };
        let mut files = Vec::with_capacity(shards + chunk_bodies.len());
        for (n, mut text) in shard_bodies.drain(..).enumerate() {
            fill(&mut text, &shard_head);
            files.push((format!("{DIR}s/{n}.txt"), text));
        }
        for (n, mut text) in chunk_bodies.drain(..).enumerate() {
            fill(&mut text, &chunk_head);
            files.push((format!("{DIR}c/{n}.json"), text));
        }
        let counts = Kind::ALL
            .iter()
            .map(|k| entries.iter().filter(|(kind, _)| kind == k).count())
            .collect();
        let lesson_sets = (0..audiences)
            .map(|a| {
                entries
                    .iter()
                    .filter(|(k, _)| *k == Kind::Lesson)
                    .map(|(_, e)| e.audiences.contains(&a))
                    .collect()
            })
            .collect();
        Index {
            version,
            files,
            counts,
            chunk_sizes,
            shards,
            lesson_sets,
            entries: entries.len(),
        }
    }

    /// What audience `a`'s search page gives the script: the version, the shard count, how
    /// many entries each chunk holds, the entries of each kind, and which lessons are its own.
    pub fn page_data(&self, a: usize) -> Value {
        let mut chunks = String::new();
        for &n in &self.chunk_sizes {
            shard::push_number(&mut chunks, n);
        }
        let own = self.lesson_sets.get(a).map(|s| bits(s)).unwrap_or_default();
        json!({
            "format": FORMAT,
            "version": self.version,
            "shards": self.shards,
            "chunks": chunks,
            "kinds": self.counts,
            "lessons": own,
        })
    }
}

/// Entries packed in order into chunks of about [`CHUNK_TARGET`] bytes: each chunk file's text
/// (`head`, the JSON array of its entries, `}`), and how many entries each holds. Rows are
/// made a batch at a time, so that only the files and one batch are held.
fn chunks(entries: &[(Kind, Entry<'_>)], head: &str) -> (Vec<String>, Vec<u32>) {
    let mut bodies = Vec::new();
    let mut sizes = Vec::new();
    let mut current = String::new();
    let mut n = 0u32;
    for batch in entries.chunks(BATCH) {
        let rows: Vec<String> = batch
            .par_iter()
            .map(|(_, e)| {
                let stored: String = e.text.chars().take(MAX_STORED_CHARS).collect();
                serde_json::to_string(&[&e.title, &e.meta, &e.summary, &e.url, &stored])
                    .unwrap_or_default()
            })
            .collect();
        for row in rows {
            if n > 0 && current.len() - head.len() + row.len() > CHUNK_TARGET {
                current.push_str("]}");
                bodies.push(std::mem::take(&mut current));
                sizes.push(n);
                n = 0;
            }
            if n == 0 {
                current.push_str(head);
                current.push('[');
            } else {
                current.push(',');
            }
            current.push_str(&row);
            n += 1;
        }
    }
    if n > 0 {
        current.push_str("]}");
        bodies.push(current);
        sizes.push(n);
    }
    (bodies, sizes)
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

/// The shards and chunks of an index as a map, to compare two builds' files.
pub fn file_map(index: &Index) -> BTreeMap<&str, &str> {
    index
        .files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect()
}

#[cfg(test)]
mod tests;
