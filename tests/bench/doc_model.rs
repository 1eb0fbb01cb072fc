//! What one edit costs the model and the checks: `Site::assemble` and `check::run` over every
//! document against `Site::updated` and `check::Findings::update`, for one lesson, one notice
//! and one regulation edited. Times are printed, not asserted (the machine is shared).
//!
//! cargo run --release --example doc_model -- /dev/shm/bench/qili [runs]

use qili::check::{self, Findings};
use qili::config::SiteConfig;
use qili::load::{Kind, Source};
use qili::model::{self, ParsedSource, Site};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| "/dev/shm/bench/qili".into()));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(21);
    let config = match SiteConfig::read(&root) {
        Ok(c) => c,
        Err(e) => panic!("{}: {e:?}", root.display()),
    };
    let (sources, _) = qili::load::sources(&root);
    let today = model::date::Date::parse("2026-12-06").expect("a date");
    let opts = model::Options {
        drafts: false,
        today,
    };
    let mut parsed: BTreeMap<String, ParsedSource> = BTreeMap::new();
    let mut texts: BTreeMap<String, Source> = BTreeMap::new();
    for s in sources {
        texts.insert(s.key.clone(), s.clone());
        parsed.insert(s.key.clone(), ParsedSource::parse(s, &config));
    }
    let (site, _) = Site::assemble(config.clone(), parsed.values(), &opts);
    println!(
        "{} lessons, {} notices, {} regulations; median of {runs} runs",
        site.lessons.len(),
        site.notices.len(),
        site.regulations.len()
    );
    let mut findings = Findings::new(&site);
    println!("findings: {}", findings.to_vec(&site).len());

    for kind in [Kind::Lesson, Kind::Notice, Kind::Regulation] {
        // The middle document of its kind, its date moved (lessons, notices) or its body
        // edited (regulations), as a save in the editor would.
        let keys: Vec<&String> = texts.keys().filter(|k| texts[*k].kind == kind).collect();
        let key = keys[keys.len() / 2].clone();
        let mut source = texts[&key].clone();
        match (kind, source.text.find("\ndate: ")) {
            (Kind::Lesson | Kind::Notice, Some(at)) => {
                let date = at + "\ndate: ".len();
                source.text.replace_range(date..date + 10, "2026-12-01");
            }
            _ => source.text.push_str("\n改了一句。\n"),
        }
        let edited = ParsedSource::parse(source, &config);
        let mut all = parsed.clone();
        all.insert(key.clone(), edited.clone());

        let assemble = median(runs, || {
            Site::assemble(config.clone(), all.values(), &opts);
        });
        let (next, _) = site.updated(&[], [&edited]);
        let updated = median(runs, || {
            site.updated(&[], [&edited]);
        });
        // Of which cloning the site (what `update` in place spares).
        let clone = median(runs, || drop(site.clone()));
        let run = median(runs, || {
            check::run(&next);
        });
        let mut flip = false;
        let kept = median(runs, || {
            // Back and forth between the two versions, so each update is a real one.
            flip = !flip;
            let s = if flip { &next } else { &site };
            findings.update(s, [key.as_str()]);
            findings.to_vec(s);
        });
        findings.update(&site, [key.as_str()]);
        println!(
            "{kind:?} {key}: assemble {} ms, updated {} ms (clone {} ms); check::run {} ms, Findings::update+to_vec {} ms",
            ms(assemble),
            ms(updated),
            ms(clone),
            ms(run),
            ms(kept)
        );
    }
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}
