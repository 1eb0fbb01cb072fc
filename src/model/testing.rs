//! Random edits of the sample site's documents, for the tests that compare an updated site
//! (and its findings) with one assembled from scratch. Deterministic (seeded xorshift), and
//! drawn from small sets of values so that ties in every ordering key, duplicate URLs,
//! drafts, unknown villages and a quarter boundary come up often.

use super::date::Date;
use super::{Options, ParsedSource, Site};
use crate::config::SiteConfig;
use crate::load::{Kind, Source};
use std::collections::BTreeMap;
use std::path::Path;

/// xorshift64*: a few lines, and enough for picking pieces.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// The sample site's configuration and sources, and the day its tests run on: inside a
/// quarter that began 2026-10-01, so the dates below fall on both sides of it.
pub struct Sample {
    pub config: SiteConfig,
    pub sources: Vec<Source>,
    pub opts: Options,
}

impl Sample {
    pub fn load() -> Sample {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = SiteConfig::read(root).expect("the sample's site.yaml");
        let (sources, _) = crate::load::sources(root);
        let today = Date::parse("2026-12-06").expect("a date");
        let opts = Options {
            drafts: false,
            today,
        };
        Sample {
            config,
            sources,
            opts,
        }
    }

    pub fn parse(&self, source: Source) -> ParsedSource {
        ParsedSource::parse(source, &self.config)
    }

    /// The site assembled from scratch over `parsed` in key order, as a build does.
    pub fn assemble(
        &self,
        parsed: &BTreeMap<String, ParsedSource>,
    ) -> (Site, Vec<crate::diagnostics::Diagnostic>) {
        Site::assemble(self.config.clone(), parsed.values(), &self.opts)
    }

    /// Every sample source parsed, by key.
    pub fn parsed(&self) -> BTreeMap<String, ParsedSource> {
        let sources = self.sources.iter();
        sources
            .map(|s| (s.key.clone(), self.parse(s.clone())))
            .collect()
    }

    /// One to three random edits of `sources`: a source removed, or one added or changed
    /// (see [`Sample::random_source`]). Returns the keys removed and the keys changed, each
    /// key in one of them.
    pub fn random_edits(
        &self,
        rng: &mut Rng,
        sources: &mut BTreeMap<String, ParsedSource>,
    ) -> (Vec<String>, Vec<String>) {
        let mut removed: Vec<String> = Vec::new();
        let mut changed: Vec<String> = Vec::new();
        for _ in 0..1 + rng.below(3) {
            if rng.below(4) == 0 && !sources.is_empty() {
                let keys: Vec<&String> = sources.keys().collect();
                let key = (*rng.pick(&keys)).clone();
                sources.remove(&key);
                changed.retain(|k| *k != key);
                removed.push(key);
            } else {
                let source = self.random_source(rng);
                let key = source.key.clone();
                sources.insert(key.clone(), self.parse(source));
                removed.retain(|k| *k != key);
                changed.push(key);
            }
        }
        (removed, changed)
    }

    /// A source at a random key of a random kind (often one already there), made from a
    /// sample document of that kind with its ordering fields, slug, village, audiences and
    /// draft flag drawn anew.
    pub fn random_source(&self, rng: &mut Rng) -> Source {
        let template = rng.pick(&self.sources);
        let kind = template.kind;
        let key = format!("{}/r{}.md", kind.folder(), rng.below(24));
        let text = self.vary(rng, kind, &template.text);
        Source {
            kind,
            file: format!("content/{key}"),
            path: Path::new(env!("CARGO_MANIFEST_DIR")).join(&key),
            key,
            text,
        }
    }

    fn vary(&self, rng: &mut Rng, kind: Kind, text: &str) -> String {
        const DATES: [&str; 6] = [
            "2026-09-20",
            "2026-09-30",
            "2026-10-01",
            "2026-11-19",
            "2026-12-06",
            "2026-12-07",
        ];
        let mut villages: Vec<&str> = self.config.villages.iter().map(|v| v.id.as_str()).collect();
        let known = villages.len();
        villages.push("no-such-village");
        let mut out = String::new();
        let mut in_front = 0;
        for line in text.lines() {
            if line == "---" {
                in_front += 1;
                if in_front == 2 {
                    self.extra_fields(rng, kind, &mut out);
                }
            }
            let field = line.split(':').next().unwrap_or("");
            let replaced = match (in_front, field) {
                (1, "slug" | "weight" | "draft") => continue,
                (1, "date") => Some(format!("date: {}", rng.pick(&DATES))),
                // A notice's 公示 start, result and signature: what makes it this quarter's.
                (1, field @ ("  from" | "  date")) => {
                    Some(format!("{field}: {}", rng.pick(&DATES)))
                }
                (1, "village") if rng.chance(97) => {
                    Some(format!("village: {}", rng.pick(&villages[..known])))
                }
                (1, "village") => Some(format!("village: {}", villages[known])),
                (1, "version") => Some(format!(
                    "version: \"{}\"",
                    rng.pick(&["2019", "2020", "2025", "poster"])
                )),
                (1, "  vote") => Some(format!(
                    "  vote: {{date: {}, meeting: 村民会议, expected: 40, present: 30, for: {}}}",
                    rng.pick(&DATES),
                    rng.pick(&[12, 16, 29]),
                )),
                (1, "audiences") => {
                    let sets = [
                        "[qunzhong]",
                        "[ganbu, qunzhong]",
                        "[lingdao, zhigong]",
                        "[qunzhong, qunzhong]",
                        "[qunzhong, cunmin]",
                    ];
                    Some(format!("audiences: {}", rng.pick(&sets)))
                }
                _ => None,
            };
            out.push_str(replaced.as_deref().unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// Slug, weight and draft, each present or not; slugs from a small set so that pages
    /// collide.
    fn extra_fields(&self, rng: &mut Rng, kind: Kind, out: &mut String) {
        if kind != Kind::Regulation && rng.chance(60) {
            let slug = rng.pick(&["a", "b", "shu-fa", "Not A Slug"]);
            out.push_str(&format!("slug: {slug}\n"));
        }
        if kind == Kind::Lesson && rng.chance(50) {
            out.push_str(&format!("weight: {}\n", rng.pick(&[1, 2, 3])));
        }
        if rng.chance(12) {
            out.push_str("draft: true\n");
        }
    }
}
