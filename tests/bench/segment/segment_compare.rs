//! Character bigrams (what qili indexes) against jieba-rs words, on the search entries of a
//! site (issue #12). Measures, for each scheme: distinct tokens, postings, the postings written
//! in qili's shard line format (raw and gzip), the CPU time to cut every entry (and to load
//! jieba's dictionary); on the sample site, whether a plain AND of the query's tokens finds the
//! expected page of the search test's query table (tests/common/search.rs) and at what rank;
//! and on any site, of the entries where a query (or a word's fragment, a single character)
//! stands literally, how many each scheme finds.
//!
//!     cargo run --release --manifest-path tests/bench/segment/Cargo.toml --bin segment_compare -- [SITE_ROOT [--today YYYY-MM-DD]]
//!
//! SITE_ROOT defaults to the sample site (the repository). The entries are those of
//! `qili::search::entries`, from pages rendered through the library as a build renders them.
//!
//! Both schemes see the same text: `tokens::runs` folds full width to half width, drops quotes
//! and book-title marks, and keeps Latin/digit runs whole. Bigrams are qili's `each_token`
//! (single characters in titles and summaries, and lone ones in bodies). jieba is
//! `cut_for_search` with HMM on each Chinese run, its tokens as they come, in every field.
//! Queries are cut the way the documents are (bigrams: `query_tokens`). The score is the simple
//! one: per query token, title 4, summary 2, body 1; ties by entry order (lessons first).
//! The real script ranks more carefully (exact phrase, partial matches): this compares the
//! tokens, not the ranking.

#[allow(dead_code)]
#[path = "../../common/search.rs"]
mod table;

use flate2::{write::GzEncoder, Compression};
use jieba_rs::Jieba;
use qili::render::{templates::Templates, Page, Renderer};
use qili::search::{self, shard, tokens, Entry, Kind, PageText};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Date the sample site's tests build with (tests/common/mod.rs `SAMPLE_TODAY`).
const SAMPLE_TODAY: &str = "2026-11-26";
const RUNS: usize = 5;

/// Where an entry has a token (the `shard` field bits) and how often its body has it.
type Table = FxHashMap<String, (u8, u32)>;

#[derive(Clone, Copy)]
enum Scheme<'j> {
    Bigrams,
    Jieba(&'j Jieba),
}

impl Scheme<'_> {
    /// Calls `each` with every token of `text` the index would hold for this field.
    fn cut(&self, text: &str, body: bool, each: &mut dyn FnMut(&str)) {
        match self {
            Scheme::Bigrams => {
                // each_token takes two callbacks; both give their token to `each`.
                let each = std::cell::RefCell::new(each);
                tokens::each_token(
                    text,
                    !body,
                    |t| (each.borrow_mut())(&tokens::spell(t, &[])),
                    |w| (each.borrow_mut())(w),
                )
            }
            Scheme::Jieba(j) => {
                for run in tokens::runs(text) {
                    match run {
                        tokens::Run::Cjk(chars) => {
                            let s: String = chars.into_iter().collect();
                            for t in j.cut_for_search(&s, true) {
                                each(t.word);
                            }
                        }
                        tokens::Run::Word(w) => each(&w),
                    }
                }
            }
        }
    }

    fn query(&self, q: &str) -> Vec<String> {
        match self {
            Scheme::Bigrams => tokens::query_tokens(q),
            Scheme::Jieba(_) => {
                let mut out: Vec<String> = Vec::new();
                self.cut(q, true, &mut |t| {
                    if !out.iter().any(|o| o == t) {
                        out.push(t.to_string());
                    }
                });
                out
            }
        }
    }

    /// How many distinct tokens an entry has, gathered the fastest way each scheme allows
    /// (what the timing measures). Bigrams: qili's `search::postings::tokenize` itself.
    /// jieba: its words looked up before they are owned (they are text; none can be packed).
    fn count(&self, e: &Entry) -> usize {
        match self {
            Scheme::Jieba(_) => self.table(e).len(),
            // qili's own tokenizer, as a build runs it.
            Scheme::Bigrams => search::postings::tokenize(e).postings(),
        }
    }

    /// An entry's tokens, as `search::tokenize` gathers them (fields, body count).
    fn table(&self, e: &Entry) -> Table {
        let mut seen = Table::default();
        for (text, field) in fields(e) {
            let body = field == shard::BODY;
            self.cut(text, body, &mut |t| {
                let slot = match seen.get_mut(t) {
                    Some(slot) => slot,
                    None => seen.entry(t.to_string()).or_default(),
                };
                slot.0 |= field;
                if body {
                    slot.1 += 1;
                }
            });
        }
        seen
    }
}

/// An entry's fields as the index reads them, each with its flag (the text in its parts).
fn fields<'e>(e: &'e Entry) -> Vec<(&'e str, u8)> {
    let mut out = vec![
        (e.find_title.as_deref().unwrap_or(&e.title), shard::TITLE),
        (&e.summary, shard::SUMMARY),
        (&e.meta, shard::SUMMARY),
    ];
    out.extend(e.text.iter().map(|t| (&**t, shard::BODY)));
    out
}

/// Token → packed postings (see `shard::pack`) in entry order.
struct Postings {
    lines: Vec<(String, Vec<u32>)>,
    /// Where each token's line is in `lines`.
    at: HashMap<String, usize>,
    /// The postings as one text of shard lines.
    text: String,
}

impl Postings {
    fn build(scheme: Scheme, entries: &[(Kind, Entry)]) -> Postings {
        let mut map: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        for (i, (_, e)) in entries.iter().enumerate() {
            for (t, (fields, count)) in scheme.table(e) {
                map.entry(t)
                    .or_default()
                    .push(shard::pack(i as u32, shard::flags(fields, count)));
            }
        }
        let mut lines: Vec<(String, Vec<u32>)> = map.into_iter().collect();
        lines.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut text = String::new();
        for (t, p) in &lines {
            shard::write_line(&mut text, t, p);
        }
        let at = lines
            .iter()
            .enumerate()
            .map(|(i, (t, _))| (t.clone(), i))
            .collect();
        Postings { lines, at, text }
    }

    fn count(&self) -> usize {
        self.lines.iter().map(|(_, p)| p.len()).sum()
    }

    /// Raw bytes of the lines of `tokens` (what the shards hold for a query).
    fn bytes_of(&self, tokens: &[String]) -> usize {
        tokens
            .iter()
            .filter_map(|t| self.at.get(t))
            .map(|&i| {
                let (t, p) = &self.lines[i];
                let mut line = String::new();
                shard::write_line(&mut line, t, p);
                line.len()
            })
            .sum()
    }

    /// Entries that have every token (and that `allowed` lets through), best first.
    fn search(&self, tokens: &[String], allowed: impl Fn(usize) -> bool) -> Vec<usize> {
        if tokens.is_empty() {
            return Vec::new();
        }
        let mut hits: FxHashMap<u32, (u32, u32)> = FxHashMap::default();
        for (n, t) in tokens.iter().enumerate() {
            let Some(&i) = self.at.get(t) else {
                return Vec::new();
            };
            for &p in &self.lines[i].1 {
                let (entry, flags) = (p >> 5, p & 31);
                let slot = hits.entry(entry).or_default();
                // Only entries that had every earlier token count on.
                if slot.0 == n as u32 {
                    slot.0 += 1;
                    slot.1 += (flags & shard::TITLE as u32)
                        + (flags & shard::SUMMARY as u32)
                        + (flags & shard::BODY as u32);
                }
            }
        }
        let mut found: Vec<(usize, u32)> = hits
            .into_iter()
            .filter(|(e, (n, _))| *n == tokens.len() as u32 && allowed(*e as usize))
            .map(|(e, (_, score))| (e as usize, score))
            .collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        found.into_iter().map(|(e, _)| e).collect()
    }
}

fn gzip(bytes: &[u8]) -> usize {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(bytes).expect("gzip in memory");
    gz.finish().expect("gzip in memory").len()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// CPU time of this thread: the machine is shared, and wall time counts the others' work.
fn cpu_now() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to fill in.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Median CPU time of `f` over [`RUNS`] runs on this thread.
fn timed<T>(f: impl Fn() -> T) -> Duration {
    median(
        (0..RUNS)
            .map(|_| {
                let start = cpu_now();
                std::hint::black_box(f());
                cpu_now() - start
            })
            .collect(),
    )
}

fn fail(message: String) -> ! {
    eprintln!("segment_compare：{message}");
    std::process::exit(1);
}

/// The text of every lesson, notice and current regulation page, as a build keeps it.
fn page_texts(root: &Path, site: &qili::model::Site) -> HashMap<String, PageText> {
    let templates = Templates::load(root, &site.config.theme, site.config.search)
        .unwrap_or_else(|d| fail(format!("模板：{d:?}")));
    let dir = qili::layout::theme_static(root, &site.config.theme);
    let assets =
        qili::load::assets::Assets::load(&dir).unwrap_or_else(|e| fail(format!("主题文件：{e}")));
    let renderer = Renderer::new(site, &templates, &assets, &[], false);
    let pages: Vec<Page> = Page::all(site)
        .into_iter()
        .filter(|p| {
            matches!(
                p,
                Page::Lesson { .. } | Page::Notice(_) | Page::Regulation(_)
            )
        })
        .collect();
    pages
        .par_iter()
        .filter_map(|p| {
            let o = renderer.render(p);
            match (o.text, p) {
                (Some(text), _) => Some((o.url, PageText::Text(text))),
                (None, Page::Regulation(r)) if site.regulations[*r].is_current => {
                    Some((o.url, PageText::Articles(o.articles)))
                }
                _ => None,
            }
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // The sample site: the qili repository, three folders up from this crate.
    let sample_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let mut root = sample_root.clone();
    let mut today = SAMPLE_TODAY.to_string();
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--today" => today = rest.next().cloned().unwrap_or_default(),
            _ => root = PathBuf::from(a),
        }
    }
    let sample = root == sample_root;

    let config =
        qili::config::SiteConfig::read(&root).unwrap_or_else(|d| fail(format!("site.yaml：{d:?}")));
    let (sources, _) = qili::load::sources(&root);
    let opts = qili::model::Options {
        drafts: false,
        today: qili::model::date::Date::parse(&today).unwrap_or_else(|e| fail(e)),
    };
    let (site, problems) = qili::model::Site::build(config, sources, &opts);
    if !problems.is_empty() {
        eprintln!(
            "注意：模型有 {} 条问题，有问题的文档不在条目里",
            problems.len()
        );
    }
    let texts = page_texts(&root, &site);
    let entries = search::entries(&site, &texts);
    let chars: usize = entries
        .iter()
        .flat_map(|(_, e)| &e.text)
        .map(|t| t.chars().count())
        .sum();
    println!(
        "站点 {}：{} 个条目，正文 {:.1} 万字",
        root.display(),
        entries.len(),
        chars as f64 / 1e4
    );

    let load = timed(Jieba::new);
    let jieba = Jieba::new();
    let schemes = [Scheme::Bigrams, Scheme::Jieba(&jieba)];

    println!("\n| | 二字词 | jieba-rs |\n|---|---|---|");
    let index: Vec<Postings> = schemes
        .iter()
        .map(|s| Postings::build(*s, &entries))
        .collect();
    let row = |label: &str, f: &dyn Fn(&Postings) -> String| {
        println!("| {label} | {} | {} |", f(&index[0]), f(&index[1]));
    };
    row("不同的词", &|p| p.lines.len().to_string());
    row("位置（词×条目）", &|p| p.count().to_string());
    row("分片行字节（未压缩）", &|p| kb(p.text.len()));
    row("分片行字节（gzip，整体一次压缩）", &|p| {
        kb(gzip(p.text.as_bytes()))
    });
    // Cutting every entry into its token table, one thread.
    let cut: Vec<Duration> = schemes
        .iter()
        .map(|s| timed(|| entries.iter().map(|(_, e)| s.count(e)).sum::<usize>()))
        .collect();
    println!(
        "| 切完全部条目（单线程 CPU 时间，{RUNS} 次中位数） | {} | {} |",
        ms(cut[0]),
        ms(cut[1])
    );
    // How much of jieba's time is the segmenter itself, not the folding and the table.
    let runs: Vec<String> = entries
        .iter()
        .flat_map(|(_, e)| fields(e).into_iter().map(|(text, _)| tokens::runs(text)))
        .flatten()
        .filter_map(|r| match r {
            tokens::Run::Cjk(chars) => Some(chars.into_iter().collect()),
            tokens::Run::Word(_) => None,
        })
        .collect();
    let segmenter = timed(|| {
        runs.iter()
            .map(|r| jieba.cut_for_search(r, true).len())
            .sum::<usize>()
    });
    println!(
        "| 其中 jieba 的 cut_for_search 本身 | — | {} |",
        ms(segmenter)
    );
    println!(
        "| 载入词典（CPU 时间，{RUNS} 次中位数） | — | {} |",
        ms(load)
    );

    if sample {
        queries(&site, &entries, &schemes, &index);
    } else {
        println!("\n（不是示例站点：应有页面的比较只在示例站点上做）");
    }
    recall(&entries, &schemes, &index);
}

/// Strings the search test does not type: parts of words, single characters, a word only
/// half of which is in the dictionary.
const PROBES: &[&str] = &[
    "宅",
    "礼",
    "嫁",
    "养费",
    "出嫁",
    "嫁女",
    "一宅",
    "零四十二",
    "合同",
    "分红",
    "承包",
    "喷药",
];

/// Of the entries where a query stands literally (same field, folded as the index folds), how
/// many each scheme finds: what a reader who types a string she saw would expect.
fn recall(entries: &[(Kind, Entry)], schemes: &[Scheme], index: &[Postings]) {
    let fold = |t: &str| -> String { t.chars().map(tokens::fold).collect() };
    let folded: Vec<String> = entries
        .par_iter()
        .map(|(_, e)| {
            let title = e.find_title.as_deref().unwrap_or(&e.title);
            [title, &e.summary, &e.meta, &e.joined()]
                .map(fold)
                .join("\n")
        })
        .collect();
    let mut queries: Vec<&str> = table::QUERIES.iter().map(|(_, q, _)| *q).collect();
    queries.extend(PROBES);
    queries.dedup();
    let (mut total, mut got) = (0usize, [0usize; 2]);
    let mut missed = Vec::new();
    for q in queries {
        let f = fold(q);
        let has: Vec<usize> = (0..entries.len())
            .filter(|&i| folded[i].contains(&f))
            .collect();
        let mut counts = [0usize; 2];
        for (s, (scheme, p)) in schemes.iter().zip(index).enumerate() {
            let hits: std::collections::HashSet<usize> =
                p.search(&scheme.query(q), |_| true).into_iter().collect();
            counts[s] = has.iter().filter(|i| hits.contains(i)).count();
            got[s] += counts[s];
        }
        total += has.len();
        if counts[0] != has.len() || counts[1] != has.len() {
            missed.push(format!(
                "| {q} | {} | {} | {} |",
                has.len(),
                counts[0],
                counts[1]
            ));
        }
    }
    println!(
        "\n原样含有查询的条目，找到了多少（测试的查询加 {} 个词的片段和单字）：",
        PROBES.len()
    );
    println!("\n| 查询 | 原样含有的条目 | 二字词找到 | jieba-rs 找到 |\n|---|---|---|---|");
    for m in missed {
        println!("{m}");
    }
    println!(
        "| 合计 | {total} | {} ({:.0}%) | {} ({:.0}%) |",
        got[0],
        got[0] as f64 * 100.0 / total.max(1) as f64,
        got[1],
        got[1] as f64 * 100.0 / total.max(1) as f64
    );
}

fn kb(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// The search test's queries under both schemes.
fn queries(
    site: &qili::model::Site,
    entries: &[(Kind, Entry)],
    schemes: &[Scheme],
    index: &[Postings],
) {
    let url = |(kind, e): &(Kind, Entry), audience: &str| match kind {
        Kind::Lesson => format!("/{audience}/{}", e.url),
        _ => format!("/{}", e.url.trim_start_matches('/')),
    };
    let mut found = [0usize; 2];
    let mut top3 = [0usize; 2];
    let mut none_ok = [0usize; 2];
    let mut bytes = [0usize; 2];
    let (mut expected, mut empty) = (0, 0);
    let mut lines = Vec::new();
    for (page, q, want) in table::QUERIES {
        let audience = page.trim_matches('/').split('/').next().unwrap_or_default();
        let a = site.config.audiences.iter().position(|x| x.id == audience);
        let allowed = |i: usize| match &entries[i] {
            (Kind::Lesson, e) => a.is_some_and(|a| e.audiences.contains(&a)),
            _ => true,
        };
        let mut cells = Vec::new();
        let mut outcome = Vec::new();
        for (s, (scheme, p)) in schemes.iter().zip(index).enumerate() {
            let tokens = scheme.query(q);
            bytes[s] += p.bytes_of(&tokens);
            let hits = p.search(&tokens, allowed);
            let rank = want.and_then(|w| {
                hits.iter()
                    .position(|&i| url(&entries[i], audience) == w)
                    .map(|r| r + 1)
            });
            let cell = match (want, rank) {
                (Some(_), Some(r)) => {
                    found[s] += 1;
                    if r <= 3 {
                        top3[s] += 1;
                    }
                    format!("第 {r} 名")
                }
                (Some(_), None) => format!("没找到（{} 条结果）", hits.len()),
                (None, _) if hits.is_empty() => {
                    none_ok[s] += 1;
                    "无结果（对）".to_string()
                }
                (None, _) => format!("{} 条结果（应无）", hits.len()),
            };
            outcome.push(cell.clone());
            cells.push(format!("{cell} [{}]", tokens.join(" ")));
        }
        if want.is_some() {
            expected += 1;
        } else {
            empty += 1;
        }
        let differs = if outcome[0] != outcome[1] { " ≠" } else { "" };
        lines.push(format!("| {q}{differs} | {} | {} |", cells[0], cells[1]));
    }
    println!(
        "\n| 查询（≠：两种结果不同） | 二字词 [查询的词] | jieba-rs [查询的词] |\n|---|---|---|"
    );
    for l in lines {
        println!("{l}");
    }
    println!(
        "\n| 共 {} 个查询 | 二字词 | jieba-rs |\n|---|---|---|",
        expected + empty
    );
    println!(
        "| 找到应有的页面（{expected} 个） | {} | {} |",
        found[0], found[1]
    );
    println!("| 在前三名 | {} | {} |", top3[0], top3[1]);
    println!(
        "| 应无结果的查询无结果（{empty} 个） | {} | {} |",
        none_ok[0], none_ok[1]
    );
    let n = table::QUERIES.len();
    println!(
        "| 一次查询要读的分片行，平均（未压缩） | {} 字节 | {} 字节 |",
        bytes[0] / n,
        bytes[1] / n
    );
}
