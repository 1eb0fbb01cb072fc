//! Where a token's postings live, and how they are written.
//!
//! **Shard choice.** A token is in shard `fnv1a32(utf8(token)) % shards`, FNV-1a with the
//! 32-bit offset basis 2166136261 and prime 16777619 over the token's UTF-8 bytes. The hash
//! never depends on the site, so the script computes the same shard from the query alone and
//! fetches only the shards of the query's tokens. `shards` is chosen per build from the size of
//! the postings (at most [`SHARD_TARGET`] bytes each, at least half that) and is written into
//! the search page. It is a power of two, so that it changes only when the site doubles or
//! halves, not with an edit (which then rewrites only the shards it touched).
//!
//! **Shard file.** UTF-8 text. A header line `qili-search <format> <version>`, then one line per
//! token, sorted: `token SP gaps SP flags`. `gaps` holds one number per entry that has the
//! token, in entry order: the first entry's number, then for each next one the distance to the
//! previous minus one (mostly `0`: a common token is in neighbouring entries). Numbers are
//! written in base 32, most significant digit first, with the digits of [`MORE`] for all but
//! the last digit and those of [`LAST`] for the last. `flags` has one digit of [`LAST`] per
//! entry (see [`flags`]): bits 0–1 the best field outside the body that has the token (0 none,
//! 1 summary, 2 tags, 3 title), bits 2–4 how often the body has it (0 never, then 1, 2, 3–4,
//! 5–8, 9–16, 17–32, 33 or more times). A line's number of entries is the token's document
//! frequency, which the ranking's idf reads.

/// Digits that end a number (values 0–31).
pub const LAST: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
/// Digits followed by more digits of the same number.
pub const MORE: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.~()";

/// Raw bytes of postings a shard holds at most (half of it at least): a query fetches one shard
/// per token (fifteen for a question of seventeen characters), and a shard of this size is
/// about 1.6 KB gzip.
pub const SHARD_TARGET: usize = 3 * 1024;
/// At least this many shards so that most short queries still fetch little, at most this many
/// so that a large site does not write tens of thousands of files (a 10,000-page site has about
/// 10 MB of postings: 2048 shards of 5 KB, each file costing build time, well within that
/// site's 300 KB per query). Powers of two: a shard is whole buckets of [`super::lines`].
pub const MIN_SHARDS: usize = 4;
pub const MAX_SHARDS: usize = 2048;

/// The fields outside the body, weakest first (the value in bits 0–1 of a posting's flags).
pub const SUMMARY: u8 = 1;
pub const TAGS: u8 = 2;
pub const TITLE: u8 = 3;

pub fn fnv1a32(s: &str) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    for b in s.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

pub fn shard_of(token: &str, shards: usize) -> usize {
    fnv1a32(token) as usize % shards.max(1)
}

/// How many shards postings of `bytes` (as written) are split into: a power of two.
pub fn shard_count(bytes: usize) -> usize {
    bytes
        .div_ceil(SHARD_TARGET)
        .clamp(MIN_SHARDS, MAX_SHARDS)
        .next_power_of_two()
}

/// Flags of one posting: the best field outside the body (0, [`SUMMARY`], [`TAGS`],
/// [`TITLE`]) and the body's count in 8 buckets, doubling (the ranking's term frequency).
pub fn flags(field: u8, body_count: u32) -> u8 {
    let bucket = match body_count {
        0 => 0,
        n => (32 - (n - 1).leading_zeros()).min(6) as u8 + 1,
    };
    (field & 3) | bucket << 2
}

/// Appends `n` in the gap notation.
pub fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 7];
    let mut len = 0;
    loop {
        digits[len] = (n & 31) as u8;
        len += 1;
        n >>= 5;
        if n == 0 {
            break;
        }
    }
    for i in (0..len).rev() {
        let table = if i == 0 { LAST } else { MORE };
        out.push(table[digits[i] as usize] as char);
    }
}

/// A posting in four bytes, entry number above the five bits of flags: the index holds
/// millions of them at 10,000 pages, and `(u32, u8)` would take eight.
pub fn pack(entry: u32, flags: u8) -> u32 {
    entry << 5 | (flags & 31) as u32
}

/// One token's line: `token gaps flags`, for [`pack`]ed postings in increasing entry order.
pub fn write_line(out: &mut String, token: &str, postings: &[u32]) {
    out.push_str(token);
    out.push(' ');
    let mut previous: Option<u32> = None;
    for &p in postings {
        let entry = p >> 5;
        let gap = match previous {
            None => entry,
            Some(p) => entry - p - 1,
        };
        push_number(out, gap);
        previous = Some(entry);
    }
    out.push(' ');
    for &p in postings {
        out.push(LAST[(p & 31) as usize] as char);
    }
    out.push('\n');
}

/// Reads a line back (tests, and the byte-budget test's count of candidates).
pub fn read_line(line: &str) -> Option<(&str, Vec<(u32, u8)>)> {
    let mut parts = line.split(' ');
    let token = parts.next()?;
    let gaps = parts.next()?;
    let flags = parts.next()?;
    let digit = |c: u8, table: &[u8; 32]| table.iter().position(|&d| d == c).map(|v| v as u32);
    let mut entries = Vec::new();
    let mut n = 0u32;
    let mut next = 0u32;
    for c in gaps.bytes() {
        if let Some(v) = digit(c, MORE) {
            n = n * 32 + v;
        } else {
            n = n * 32 + digit(c, LAST)?;
            entries.push(next + n);
            next = next + n + 1;
            n = 0;
        }
    }
    let flags: Vec<u8> = flags
        .bytes()
        .map(|c| digit(c, LAST).map(|v| v as u8))
        .collect::<Option<_>>()?;
    (flags.len() == entries.len()).then(|| (token, entries.into_iter().zip(flags).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_is_the_published_function() {
        // Reference values of 32-bit FNV-1a.
        assert_eq!(fnv1a32(""), 0x811C_9DC5);
        assert_eq!(fnv1a32("a"), 0xE40C_292C);
        assert_eq!(fnv1a32("foobar"), 0xBF9C_F968);
        // A token's shard depends on the token and the count only.
        assert_eq!(shard_of("彩礼", 64), fnv1a32("彩礼") as usize % 64);
        assert_eq!(shard_of("彩礼", 0), 0);
    }

    #[test]
    fn shards_spread_tokens_evenly() {
        let mut counts = [0usize; 16];
        for a in '一'..='龥' {
            counts[shard_of(&format!("{a}地"), 16)] += 1;
        }
        let (min, max) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
        assert!(*max as f64 / *min as f64 <= 1.1, "{counts:?}");
    }

    #[test]
    fn shard_count_follows_the_size_within_bounds() {
        assert_eq!(shard_count(0), MIN_SHARDS);
        assert_eq!(shard_count(SHARD_TARGET * 100), 128);
        assert_eq!(shard_count(SHARD_TARGET * 128 + 1), 256);
        assert_eq!(shard_count(usize::MAX / 2), MAX_SHARDS);
    }

    #[test]
    fn postings_round_trip_and_neighbours_cost_one_digit() {
        let postings = vec![(0, flags(TITLE, 9)), (1, 1), (2, 1), (40, 2), (70000, 1)];
        let mut line = String::new();
        let packed: Vec<u32> = postings.iter().map(|&(e, f)| pack(e, f)).collect();
        write_line(&mut line, "彩礼", &packed);
        assert!(line.starts_with("彩礼 000"), "{line}");
        let (token, back) = read_line(line.trim_end()).unwrap();
        assert_eq!(token, "彩礼");
        assert_eq!(back, postings);
        assert_eq!(flags(0, 1), 1 << 2);
        let buckets: Vec<u8> = [0, 1, 2, 3, 4, 5, 8, 9, 16, 17, 32, 33, 1000]
            .iter()
            .map(|&n| flags(0, n) >> 2)
            .collect();
        assert_eq!(buckets, [0, 1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7]);
        assert_eq!(flags(TAGS, 0), 2);
    }
}
