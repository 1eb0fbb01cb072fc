//! Which index files a query fetches: themes/default/static/search.js's `lookup`, `rank` and
//! first `page` in Rust, from the same inputs (the search page's data and the shard files).
//!
//! The byte-budget test (tests/search_budget.rs) counts what a query costs with this, without a
//! browser; tests/search_browser.rs checks it against the requests Chromium really makes, so
//! the script and this stay one rule.

use super::{shard, tokens, DIR};
use serde_json::Value;
use std::collections::BTreeMap;

/// Results the script shows at once (`PER_PAGE`), whose chunks the first page fetches.
pub const PER_PAGE: usize = 5;
/// Characters of the query the script reads (`MAX_QUERY`; it counts UTF-16 units, so a long
/// query with characters beyond U+FFFF is cut a little earlier there).
pub const MAX_QUERY: usize = 64;
/// The script's `KIND_RANK`, by kind in entry order: lesson, notice, regulation, 条, village.
const KIND_RANK: [u8; 5] = [4, 0, 2, 1, 3];

/// A list of numbers in the page's data (`kinds`, `per`).
fn numbers(list: &Value) -> Vec<u32> {
    let list = list.as_array().into_iter().flatten();
    list.filter_map(|n| n.as_u64().map(|n| n as u32)).collect()
}

/// The files (site-relative, in the order the script asks for them) that the search page with
/// `data` ([`super::Index::page_data`]) fetches for `query` before it shows the first results:
/// the shards of the query's tokens, then the chunks of the first [`PER_PAGE`] results.
/// `shard` gives a shard file's text by number.
pub fn fetched(data: &Value, shard: impl Fn(usize) -> Option<String>, query: &str) -> Vec<String> {
    let query: String = query.trim().chars().take(MAX_QUERY).collect();
    let tokens = tokens::query_tokens(&query);
    let shards = data["shards"].as_u64().unwrap_or(0) as usize;
    if tokens.is_empty() || shards == 0 {
        return Vec::new();
    }
    let mut wanted: Vec<usize> = Vec::new();
    for t in &tokens {
        let s = shard::shard_of(t, shards);
        if !wanted.contains(&s) {
            wanted.push(s);
        }
    }
    let mut files: Vec<String> = wanted.iter().map(|s| format!("{DIR}s/{s}.txt")).collect();
    let mut lists: Vec<Vec<(u32, u8)>> = vec![Vec::new(); tokens.len()];
    for &s in &wanted {
        let text = shard(s).unwrap_or_default();
        for line in text.lines().skip(1) {
            if let Some((t, p)) = shard::read_line(line) {
                if let Some(i) = tokens.iter().position(|q| q == t) {
                    lists[i] = p;
                }
            }
        }
    }
    let kinds = numbers(&data["kinds"]);
    let lessons = data["lessons"].as_str().unwrap_or_default().as_bytes();
    let own = |e: u32| {
        if e >= kinds.first().copied().unwrap_or(0) {
            return true;
        }
        const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let c = lessons
            .get(e as usize / 6)
            .and_then(|c| B64.iter().position(|b| b == c));
        matches!(c, Some(c) if (c >> (5 - e % 6)) & 1 == 1)
    };
    let kind_rank = |e: u32| {
        let mut end = 0;
        for (i, n) in kinds.iter().enumerate() {
            end += n;
            if e < end {
                return KIND_RANK.get(i).copied().unwrap_or(3);
            }
        }
        3
    };
    let weight = |f: u8| {
        (if f & 4 != 0 { 8.0 } else { 0.0 })
            + (if f & 2 != 0 { 3.0 } else { 0.0 })
            + (if f & 1 != 0 {
                1.0 + 0.5 * (f >> 3) as f64
            } else {
                0.0
            })
    };
    let field = |f: u8| match f {
        f if f & 4 != 0 => 3u8,
        f if f & 2 != 0 => 2,
        f if f & 1 != 0 => 1,
        _ => 0,
    };
    // Entry → (score, hits, field), added up token by token as the script does.
    let mut seen: BTreeMap<u32, (f64, usize, u8)> = BTreeMap::new();
    for list in &lists {
        for &(e, f) in list {
            if !own(e) {
                continue;
            }
            let slot = seen.entry(e).or_insert((0.0, 0, 3));
            slot.0 += weight(f);
            slot.1 += 1;
            slot.2 = slot.2.min(field(f));
        }
    }
    let need = lists.len();
    let full = seen.values().any(|&(_, hits, _)| hits == need);
    let mut results: Vec<(u32, u8, u8, f64)> = seen
        .into_iter()
        .filter(|(_, (_, hits, _))| {
            if full {
                *hits == need
            } else {
                hits * 2 >= need
            }
        })
        .map(|(e, (score, hits, f))| (e, f, kind_rank(e), score * hits as f64 / need as f64))
        .collect();
    // Before the text is loaded no result is known to be exact: field, kind, score, number.
    results.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(b.2.cmp(&a.2))
            .then(b.3.total_cmp(&a.3))
            .then(a.0.cmp(&b.0))
    });
    let mut ends = Vec::new();
    let mut sum = 0;
    let per = numbers(&data["per"]);
    for (&n, &per) in kinds.iter().zip(&per) {
        for start in (0..n).step_by(per.max(1) as usize) {
            sum += per.min(n - start);
            ends.push(sum);
        }
    }
    let mut chunks: Vec<usize> = Vec::new();
    for &(e, ..) in results.iter().take(PER_PAGE) {
        let c = ends.partition_point(|&end| end <= e);
        if !chunks.contains(&c) {
            chunks.push(c);
        }
    }
    files.extend(chunks.iter().map(|c| format!("{DIR}c/{c}.json")));
    files
}
