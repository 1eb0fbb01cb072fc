//! Incremental rebuilds (what `qili serve` runs after a save) compared byte for byte with a fresh
//! full build after every edit: a dozen hand-picked edits, then seeded random sequences of
//! edits, creations, deletions, renames and errors over every kind of document.
//!
//! Replay one seed with `QILI_SEED=n cargo test --test suite -- incremental`; the operations are
//! printed as they run and listed again when a comparison fails.

use crate::common::{lesson_front, tree, Site};
use qili::build::{Outcome, Session};
use random::{Rng, World};
use std::collections::BTreeMap;
use std::path::PathBuf;

mod ops;
mod random;

/// Seeds run by default; each found nothing wrong when it was added.
const SEEDS: [u64; 3] = [1, 2027, 70_013];
/// Random operations per seed (restoring an error adds a step of its own).
const STEPS: usize = 32;

/// Twelve hand-picked edits (the first version of this test): after each the session's output
/// must equal a fresh full build.
#[test]
fn incremental_rebuilds_equal_full_builds() {
    let site = Site::new();
    site.lesson(
        "a",
        &lesson_front("甲", "qunzhong, ganbu"),
        "## 标题\n\n见[乙](@/lessons/b.md#xiao-jie)\n",
    );
    site.lesson(
        "b",
        &lesson_front("乙", "qunzhong"),
        "## 小结\n\n乙的正文\n",
    );
    site.write("content/regulations/r1.md", "---\ntitle: 东岭村村规民约\nvillage: dongling\nversion: \"2019\"\nhistory:\n  vote: {date: 2019-02-01, meeting: 村民会议, expected: 100, present: 60, for: 40}\n  filing: {date: 2019-03-01, body: 镇政府}\n---\n## 总则\n\n1. 甲条。\n2. 乙条。\n");
    let out_dir = tempfile::tempdir().unwrap();
    let live = out_dir.path().join("live");
    let mut session = Session::new(site.session_options(live.clone()));
    assert!(!session.full().unwrap().diagnostics.has_errors());

    type Edit = Box<dyn Fn(&Site)>;
    let edits: Vec<(&str, Edit)> = vec![
        (
            "change a lesson",
            Box::new(|s: &Site| {
                s.lesson(
                    "b",
                    &lesson_front("乙改", "qunzhong"),
                    "## 小结\n\n乙的新正文\n",
                );
            }),
        ),
        (
            "add a lesson",
            Box::new(|s: &Site| {
                s.lesson("c", &lesson_front("丙", "ganbu, qunzhong"), "丙\n");
            }),
        ),
        (
            "change audiences",
            Box::new(|s: &Site| {
                s.lesson("c", &lesson_front("丙", "ganbu"), "丙\n");
            }),
        ),
        (
            "rename a lesson",
            Box::new(|s: &Site| {
                std::fs::rename(
                    s.root().join("content/lessons/c.md"),
                    s.root().join("content/lessons/d.md"),
                )
                .unwrap();
            }),
        ),
        (
            "add a regulation version",
            Box::new(|s: &Site| {
                s.write("content/regulations/r2.md", "---\ntitle: 东岭村村规民约\nvillage: dongling\nversion: \"2025\"\nhistory:\n  vote: {date: 2025-02-01, meeting: 村民会议, expected: 100, present: 60, for: 40}\n  filing: {date: 2025-03-01, body: 镇政府}\n---\n## 总则\n\n1. 甲条。\n2. 乙条改了。\n3. 丙条。\n");
            }),
        ),
        (
            "add a notice",
            Box::new(|s: &Site| {
                s.write("content/notices/n.md", "---\ntitle: 修路公开\nvillage: dongling\ndate: 2026-04-10\nmatter: 修路\nkind: 公益事业\ninitiated_by: 村干部提议\nsigned: x\n---\n正文\n");
            }),
        ),
        (
            "fix the notice",
            Box::new(|s: &Site| {
                s.write("content/notices/n.md", "---\ntitle: 修路公开\nvillage: dongling\ndate: 2026-04-10\nmatter: 修路\nkind: 公益事业\ninitiated_by: 村干部提议\nsignature: {body: 村委会, date: 2026-04-10}\n---\n正文\n");
            }),
        ),
        (
            "delete a lesson",
            Box::new(|s: &Site| {
                std::fs::remove_file(s.root().join("content/lessons/d.md")).unwrap();
            }),
        ),
        (
            "change a template",
            Box::new(|s: &Site| {
                s.write("templates/lesson.html", "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content | safe }}{% endblock content %}");
            }),
        ),
        (
            "change the linked-to heading",
            Box::new(|s: &Site| {
                s.lesson("b", &lesson_front("乙", "qunzhong"), "## 小结论\n\n乙\n");
            }),
        ),
        (
            "break the encoding",
            Box::new(|s: &Site| {
                std::fs::write(
                    s.root().join("content/lessons/b.md"),
                    b"---\ntitle: \xff\n---\n",
                )
                .unwrap();
            }),
        ),
        (
            "restore the heading",
            Box::new(|s: &Site| {
                s.lesson("b", &lesson_front("乙", "qunzhong"), "## 小结\n\n乙\n");
            }),
        ),
    ];
    for (name, edit) in edits {
        edit(&site);
        // What a watcher would report for the edit. The rename also reports the folder,
        // which makes the session walk the content again.
        let touched: &[&str] = match name {
            "change a lesson"
            | "change the linked-to heading"
            | "break the encoding"
            | "restore the heading" => &["content/lessons/b.md"],
            "add a lesson" | "change audiences" => &["content/lessons/c.md"],
            "rename a lesson" => &[
                "content/lessons/c.md",
                "content/lessons/d.md",
                "content/lessons",
            ],
            "add a regulation version" => &["content/regulations/r2.md"],
            "add a notice" | "fix the notice" => &["content/notices/n.md"],
            "delete a lesson" => &["content/lessons/d.md"],
            "change a template" => &["templates/lesson.html"],
            other => panic!("no paths for {other}"),
        };
        let changed: Vec<PathBuf> = touched.iter().map(|t| site.root().join(t)).collect();
        let outcome = session.update(&changed).unwrap();
        let fresh_dir = out_dir
            .path()
            .join(format!("fresh-{}", name.replace(' ', "-")));
        let fresh = qili::build::run(&site.session_options(fresh_dir.clone())).unwrap();
        assert_eq!(
            outcome.diagnostics.has_errors(),
            fresh.diagnostics.has_errors(),
            "{name}: same verdict as a full build"
        );
        if fresh.diagnostics.has_errors() {
            continue;
        }
        assert_eq!(
            tree(&live),
            tree(&fresh_dir),
            "{name}: output equals a full build"
        );
    }
}

/// Seeded random sequences of at least 30 operations over lessons, notices, regulations and
/// site.yaml: after each, `Session::update` with the paths a watcher reports must leave the
/// output byte for byte equal to a fresh full build, or, when the site has errors, report
/// errors as the full build does and leave the previous output untouched. An operation that
/// breaks the site is undone by the next step.
#[test]
fn random_edits_rebuild_as_full_builds_do() {
    let seeds: Vec<u64> = match std::env::var("QILI_SEED") {
        Ok(s) => vec![s.trim().parse().expect("QILI_SEED is a number")],
        Err(_) => SEEDS.to_vec(),
    };
    for seed in seeds {
        run_seed(seed);
    }
}

fn run_seed(seed: u64) {
    println!("seed {seed} (replay: QILI_SEED={seed} cargo test --test suite -- incremental)");
    let mut rng = Rng::new(seed);
    let site = Site::new();
    let mut world = World::start();
    for (path, bytes) in world.files() {
        write(&site, &path, &bytes);
    }
    let out = tempfile::tempdir().unwrap();
    let live = out.path().join("live");
    let fresh_dir = out.path().join("fresh");
    let mut session = Session::new(site.session_options(live.clone()));
    let first = session.full().unwrap();
    assert!(
        !first.diagnostics.has_errors(),
        "seed {seed}: the starting site builds:\n{}",
        messages(&first)
    );
    let mut log: Vec<String> = Vec::new();
    // The world before the last operation, while that operation left the site broken.
    let mut undo: Option<World> = None;
    let mut random_ops = 0;
    // Steps whose output was compared with a full build (the others had errors).
    let mut compared = 0;
    while random_ops < STEPS || undo.is_some() {
        let before = world.files();
        let (what, rename) = match undo.take() {
            Some(good) => {
                world = good;
                ("undo the previous step".to_string(), None)
            }
            None => {
                let good = world.clone();
                random_ops += 1;
                // An operation that changes no file (a weight set to what it was) is no save.
                let (what, rename) = loop {
                    let done = ops::random(&mut world, &mut rng);
                    if world.files() != before {
                        break done;
                    }
                };
                undo = Some(good);
                (what, rename)
            }
        };
        log.push(what.clone());
        println!("{:>3}. {what}", log.len());
        let changed = apply(&site, &before, &world.files(), rename);
        let live_before = tree(&live);

        let outcome = session.update(&changed).unwrap();
        std::fs::remove_dir_all(&fresh_dir).ok();
        let fresh = qili::build::run(&site.session_options(fresh_dir.clone())).unwrap();
        let context = || {
            format!(
                "seed {seed}, after step {} ({what}); replay with QILI_SEED={seed}. Steps:\n{}",
                log.len(),
                log.iter()
                    .enumerate()
                    .map(|(i, s)| format!("{:>3}. {s}\n", i + 1))
                    .collect::<String>()
            )
        };
        assert_eq!(
            outcome.diagnostics.has_errors(),
            fresh.diagnostics.has_errors(),
            "{}\nincremental:\n{}\nfull:\n{}",
            context(),
            messages(&outcome),
            messages(&fresh)
        );
        // Serve shows an update's errors on every page and hands its findings to the desk
        // whenever it changed something or failed: then they are a full build's.
        if outcome.changed || outcome.diagnostics.has_errors() {
            assert_eq!(
                messages(&outcome),
                messages(&fresh),
                "{}\n(incremental, full)",
                context()
            );
        }
        if fresh.diagnostics.has_errors() {
            assert!(
                undo.is_some(),
                "{}\nan undo left errors:\n{}",
                context(),
                messages(&fresh)
            );
            if let Some(diff) = difference(&live_before, &tree(&live)) {
                panic!(
                    "{}\nthe failed update changed the output: {diff}",
                    context()
                );
            }
        } else {
            assert!(
                world.broken.is_empty(),
                "{}\na broken file built without errors",
                context()
            );
            // A step that did not break the site needs no undo.
            undo = None;
            compared += 1;
            if let Some(diff) = difference(&tree(&fresh_dir), &tree(&live)) {
                panic!(
                    "{}\nincremental output differs from a full build: {diff}",
                    context()
                );
            }
        }
    }
    println!(
        "seed {seed}: {} steps, {compared} compared with a full build",
        log.len()
    );
    // Errors are undone at once, so most steps build: a sequence that mostly fails tests little.
    assert!(
        random_ops >= 30 && compared * 3 >= log.len() * 2,
        "seed {seed}: {random_ops} operations, {compared} of {} steps compared",
        log.len()
    );
}

/// Brings the files on disk from `before` to `after` as an editor would (renaming first when
/// the operation is a rename) and returns the paths a watcher reports: every path written,
/// created or deleted, both sides of a rename.
fn apply(
    site: &Site,
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
    rename: ops::Rename,
) -> Vec<PathBuf> {
    let root = site.root();
    if let Some((from, to)) = &rename {
        std::fs::rename(root.join(from), root.join(to)).unwrap();
    }
    let mut changed = Vec::new();
    for (path, bytes) in after {
        if before.get(path) != Some(bytes) {
            if std::fs::read(root.join(path)).ok().as_ref() != Some(bytes) {
                write(site, path, bytes);
            }
            changed.push(root.join(path));
        }
    }
    for path in before.keys().filter(|p| !after.contains_key(*p)) {
        if root.join(path).exists() {
            std::fs::remove_file(root.join(path)).unwrap();
        }
        changed.push(root.join(path));
    }
    changed
}

fn write(site: &Site, rel: &str, bytes: &[u8]) {
    let path = site.root().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The diagnostics of a build, sorted: the order of a parallel build's findings is no promise.
fn messages(outcome: &Outcome) -> String {
    let mut all: Vec<String> = outcome.diagnostics.iter().map(|d| d.to_string()).collect();
    all.sort();
    all.iter().map(|d| format!("  {d}\n")).collect()
}

/// Where two output trees differ (`expected` the full build), `None` when they are equal.
fn difference(
    expected: &BTreeMap<PathBuf, Vec<u8>>,
    actual: &BTreeMap<PathBuf, Vec<u8>>,
) -> Option<String> {
    let mut out = String::new();
    for path in expected.keys().filter(|p| !actual.contains_key(*p)) {
        out.push_str(&format!("\n  missing {}", path.display()));
    }
    for path in actual.keys().filter(|p| !expected.contains_key(*p)) {
        out.push_str(&format!("\n  extra {}", path.display()));
    }
    for (path, want) in expected {
        let Some(got) = actual.get(path) else {
            continue;
        };
        if want == got {
            continue;
        }
        let (want, got) = (String::from_utf8_lossy(want), String::from_utf8_lossy(got));
        let line = want
            .lines()
            .zip(got.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(got.lines().count()));
        out.push_str(&format!(
            "\n  differs {} at line {}:\n    full:        {}\n    incremental: {}",
            path.display(),
            line + 1,
            want.lines().nth(line).unwrap_or("(end)"),
            got.lines().nth(line).unwrap_or("(end)")
        ));
    }
    (!out.is_empty()).then_some(out)
}
