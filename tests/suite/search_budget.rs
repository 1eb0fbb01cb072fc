//! Bytes one search costs (the search page, its style sheet and script, and the shards and
//! chunks the script fetches, each gzipped as a server sends it), for every query of the
//! browser test: within 60 KB on the sample site, within 300 KB on a generated site of more
//! than 10,000 pages (issue #12). The files a query fetches come from src/search/query.rs,
//! which tests/browser/search.rs holds to what Chromium fetches; so this needs no browser.
//!
//! The generated site is the sample plus lessons and notices made deterministically from the
//! sample's own sentences (so the query words occur as often as real text would have them),
//! built in-process.

use crate::common;
use common::search::{cost, TABLE};
use std::path::Path;

const SAMPLE_BUDGET: usize = 60 * 1024;
const LARGE_BUDGET: usize = 300 * 1024;
/// Generated lessons (each read by three audiences: three pages) and notices.
const LESSONS: usize = 1_500;
const NOTICES: usize = 1_900;

fn build(root: &Path, output: &Path) -> qili::build::Stats {
    let opts = qili::build::Options {
        root: root.to_path_buf(),
        output: output.to_path_buf(),
        base_url: None,
        drafts: false,
        today: qili::model::date::Date::parse(common::SAMPLE_TODAY).unwrap(),
        write: true,
        progress: false,
        memoize: false,
    };
    let outcome = qili::build::run(&opts).expect("build");
    outcome.stats.unwrap_or_else(|| {
        let errors: Vec<String> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.severity == qili::diagnostics::Severity::Error)
            .take(5)
            .map(|d| format!("{}:{} {} {}", d.file, d.line, d.code, d.message))
            .collect();
        panic!("网站没有生成：{errors:#?}");
    })
}

/// Bytes of every query, printed as a table; the queries over `budget`.
fn over_budget(public: &Path, budget: usize, label: &str) -> Vec<String> {
    let mut over = Vec::new();
    let mut largest = 0;
    eprintln!("{label}：每次查询传输的字节（gzip）");
    for (page, _, q, _) in TABLE {
        let (bytes, requests) = cost(public, page, q);
        let index_files = requests.len() - 3;
        eprintln!(
            "  {:>7.1} KB  {index_files:>2} 个索引文件  {page}?q={q}",
            bytes as f64 / 1024.0
        );
        largest = largest.max(bytes);
        if bytes > budget {
            over.push(format!(
                "{label} {page}?q={q}：{:.1} KB，超过 {} KB：{requests:?}",
                bytes as f64 / 1024.0,
                budget / 1024
            ));
        }
    }
    eprintln!("  最多 {:.1} KB", largest as f64 / 1024.0);
    over
}

/// A deterministic stream of numbers (xorshift64*): the same site on every machine.
struct Numbers(u64);

impl Numbers {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }
}

/// The sentences of the sample's lessons, in file order.
fn sentences() -> Vec<String> {
    let dir = common::repo().join("content/lessons");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let body = text.splitn(3, "---\n").nth(2).unwrap_or_default();
        for line in body.lines() {
            let line = line.trim_start_matches(['#', '-', '>', '*', ' ']);
            for s in line.split('。') {
                let s: String = s
                    .chars()
                    .filter(|c| {
                        !matches!(
                            c,
                            '"' | '\\' | '*' | '[' | ']' | '<' | '>' | '|' | '`' | ':'
                        )
                    })
                    .collect();
                if s.chars().count() >= 6 {
                    out.push(s);
                }
            }
        }
    }
    out
}

fn generate(root: &Path) {
    let pool = sentences();
    assert!(pool.len() > 100, "示例课程的句子太少：{}", pool.len());
    let mut n = Numbers(0x9E37_79B9_7F4A_7C15);
    let text = |n: &mut Numbers, count: usize| {
        let mut out = String::new();
        for i in 0..count {
            out.push_str(&pool[n.below(pool.len())]);
            out.push('。');
            if i % 5 == 4 {
                out.push_str("\n\n");
            }
        }
        out
    };
    let lessons = root.join("content/lessons/gen");
    std::fs::create_dir_all(&lessons).unwrap();
    for i in 0..LESSONS {
        let topic: String = pool[n.below(pool.len())].chars().take(10).collect();
        let count = 20 + n.below(40);
        let body = text(&mut n, count);
        let front = common::lesson_front(
            &format!("\"法治课堂第{i}讲：{topic}\""),
            "lingdao, ganbu, qunzhong",
        );
        std::fs::write(
            lessons.join(format!("gen-{i}.md")),
            format!("---\n{front}\n---\n{body}\n"),
        )
        .unwrap();
    }
    let notices = root.join("content/notices/gen");
    std::fs::create_dir_all(&notices).unwrap();
    let villages = ["dongling", "xihe", "nanshan", "beipo", "shiqiao", "liuwan"];
    for i in 0..NOTICES {
        let title: String = pool[n.below(pool.len())].chars().take(12).collect();
        let count = 3 + n.below(10);
        let body = text(&mut n, count);
        let village = villages[i % villages.len()];
        std::fs::write(
            notices.join(format!("gen-{i}.md")),
            common::notice_source(
                &format!("\"{title}（{i}）\""),
                &format!("gen-{i}"),
                village,
                "村民委员会",
                &body,
            ),
        )
        .unwrap();
    }
}

#[test]
fn a_query_costs_at_most_60_kb_on_the_sample_site() {
    let out = tempfile::tempdir().unwrap();
    build(&common::repo(), out.path());
    let over = over_budget(out.path(), SAMPLE_BUDGET, "示例站点");
    assert!(over.is_empty(), "{}", over.join("\n"));
}

/// Builds 10,518 pages: too heavy for every `cargo test` in debug, so it runs on a release
/// build, by .ci/run: `cargo test --release --test suite -- --ignored search_budget`.
#[test]
#[ignore = "builds 10,518 pages: run on a release build (cargo test --release --test suite -- --ignored search_budget), as .ci/run does"]
fn a_query_costs_at_most_300_kb_on_a_site_of_10000_pages() {
    let site = common::sample_copy();
    generate(site.path());
    let out = site.path().join("public");
    let stats = build(site.path(), &out);
    assert!(stats.pages >= 10_000, "只有 {} 个页面", stats.pages);
    eprintln!(
        "生成的站点：{} 个页面，索引 {} 条、{:.1} MB",
        stats.pages,
        stats.search_entries,
        stats.search_bytes as f64 / 1e6
    );
    let over = over_budget(&out, LARGE_BUDGET, "一万页站点");
    assert!(over.is_empty(), "{}", over.join("\n"));
}
