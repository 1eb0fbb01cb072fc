//! `Site::updated` gives what `Site::assemble` gives, and the orders both keep.

use super::testing::{Rng, Sample};
use super::*;
use std::collections::BTreeMap;

/// The E202 and E209 rule as it was first written, over a list of every page: the oracle for
/// the URL index.
fn reference_url_problems(site: &Site) -> Vec<Diagnostic> {
    let mut pages: Vec<(String, &str, (usize, usize))> = Vec::new();
    for l in &site.lessons {
        for a in &l.doc.front.audiences {
            pages.push((l.url(a), &l.doc.file, l.doc.field_pos("slug")));
        }
    }
    for n in &site.notices {
        pages.push((n.url(), &n.doc.file, n.doc.field_pos("slug")));
    }
    let mut problems = Vec::new();
    for r in &site.regulations {
        pages.push((r.url(), &r.doc.file, r.doc.field_pos("version")));
        if site.config.posters && r.doc.front.version == urls::POSTER {
            let d = Diagnostic::error(
                "E209",
                &r.doc.file,
                "版本名「poster」是保留的网址名（打印版的网址是 …/guiyue/poster/）",
            )
            .hint("换一个版本名，例如 version: \"2025\"");
            problems.push(r.doc.finding(d, "version"));
        }
    }
    let mut owners: HashMap<&str, &str> = HashMap::new();
    for (url, file, (line, col)) in &pages {
        match owners.get(url.as_str()) {
            Some(other) if other != file => problems.push(
                Diagnostic::error("E202", *file, format!("网址 /{url} 与 {other} 重复"))
                    .at(*line, *col)
                    .hint("给其中一个文件换一个 slug（或版本名），每个页面的网址必须唯一"),
            ),
            Some(_) => {}
            None => {
                owners.insert(url, file);
            }
        }
    }
    problems
}

/// The documents in order (key, front matter, current flag), and what each key looks up.
fn shape(site: &Site) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    out.extend(
        site.lessons
            .iter()
            .map(|l| format!("{}|{}", l.doc.key, l.doc.yaml)),
    );
    out.extend(
        site.notices
            .iter()
            .map(|n| format!("{}|{}", n.doc.key, n.doc.yaml)),
    );
    out.extend(site.regulations.iter().map(|r| {
        let key = &r.doc.key;
        format!("{key}|{}|{}|{}", r.doc.yaml, r.is_current, r.url())
    }));
    let mut keys: Vec<String> = site
        .keys
        .iter()
        .map(|(k, id)| format!("{k}={id:?}"))
        .collect();
    keys.sort();
    out.extend(keys);
    for v in &site.config.villages {
        let versions = site.regulations_of(&v.id).iter();
        out.push(
            versions
                .map(|r| r.doc.key.as_str())
                .collect::<Vec<_>>()
                .join(","),
        );
    }
    out
}

fn assert_same(got: &(Site, Vec<Diagnostic>), want: &(Site, Vec<Diagnostic>), step: usize) {
    let (got_shape, want_shape) = (shape(&got.0), shape(&want.0));
    let first_difference = got_shape.iter().zip(&want_shape).find(|(a, b)| a != b);
    assert_eq!(
        got_shape.len(),
        want_shape.len(),
        "step {step}: {first_difference:?}"
    );
    assert!(
        first_difference.is_none(),
        "step {step}: {first_difference:?}"
    );
    assert_eq!(got.1, want.1, "step {step}: problems");
}

#[test]
fn updated_equals_assembled_over_random_edits() {
    let sample = Sample::load();
    let mut sources = sample.parsed();
    let mut site = sample.assemble(&sources);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut e202, mut e209, mut moved_current) = (0, 0, 0);
    for step in 0..400 {
        let (removed, changed) = sample.random_edits(&mut rng, &mut sources);
        let removed: Vec<&str> = removed.iter().map(String::as_str).collect();
        let was_current: Vec<String> = current_keys(&site.0);
        let got = site
            .0
            .updated(&removed, changed.iter().map(|k| &sources[k]));
        let want = sample.assemble(&sources);
        assert_same(&got, &want, step);
        let url_problems = reference_url_problems(&want.0);
        assert!(want.1.ends_with(&url_problems), "step {step}: the oracle");
        e202 += url_problems.iter().filter(|d| d.code == "E202").count();
        e209 += url_problems.iter().filter(|d| d.code == "E209").count();
        moved_current += usize::from(was_current != current_keys(&got.0));
        site = got;
    }
    // The walk went where it had to: duplicate URLs, reserved versions, a new current version.
    assert!(
        e202 > 50 && e209 > 20 && moved_current > 20,
        "{e202} {e209} {moved_current}"
    );
}

fn current_keys(site: &Site) -> Vec<String> {
    let current = site.regulations.iter().filter(|r| r.is_current);
    current.map(|r| r.doc.key.clone()).collect()
}

/// One source per (key, front matter) on the sample's configuration.
fn source(sample: &Sample, key: &str, front: &str) -> ParsedSource {
    let kind = crate::load::Kind::from_folder(key.split('/').next().unwrap_or(""));
    let source = crate::load::Source {
        kind: kind.expect("a kind's folder"),
        key: key.to_string(),
        file: format!("content/{key}"),
        path: std::path::PathBuf::from(key),
        text: format!("---\n{front}\n---\n\n正文。\n"),
    };
    sample.parse(source)
}

/// Applies each edit in turn to an empty site, checking it against a fresh assemble, and
/// returns the keys of the `pick`ed list.
fn order_of(
    sample: &Sample,
    edits: &[ParsedSource],
    pick: fn(&Site) -> Vec<String>,
) -> Vec<String> {
    let mut all: BTreeMap<String, ParsedSource> = BTreeMap::new();
    let mut site = sample.assemble(&all);
    for (step, p) in edits.iter().enumerate() {
        assert!(p.problems.iter().all(|d| !d.is_error()), "{:?}", p.problems);
        all.insert(p.key.clone(), p.clone());
        site = site.0.updated(&[], [p]);
        assert_same(&site, &sample.assemble(&all), step);
    }
    pick(&site.0)
}

#[test]
fn lessons_by_weight_then_newest_then_key() {
    let sample = Sample::load();
    let lesson = |key: &str, extra: &str| {
        let front = format!("title: t\naudiences: [qunzhong]\n{extra}");
        source(&sample, key, &front)
    };
    let edits = [
        lesson("lessons/c.md", "date: 2026-01-01"),
        lesson("lessons/a.md", "date: 2026-01-01"),
        lesson("lessons/new.md", "date: 2026-05-01"),
        lesson("lessons/heavy.md", "date: 2026-09-01\nweight: 2"),
        lesson("lessons/light.md", "date: 2025-01-01\nweight: 1"),
        lesson("lessons/b.md", "date: 2026-01-01"),
    ];
    let keys = |s: &Site| s.lessons.iter().map(|l| l.doc.key.clone()).collect();
    let order = order_of(&sample, &edits, keys);
    let expected = ["light", "heavy", "new", "a", "b", "c"];
    let expected: Vec<String> = expected.iter().map(|k| format!("lessons/{k}.md")).collect();
    assert_eq!(order, expected);
}

#[test]
fn notices_by_what_last_happened_by_today_then_key() {
    let sample = Sample::load();
    let notice = |key: &str, extra: &str| {
        let front = format!(
            "title: t\nvillage: dongling\nmatter: m\nkind: 公益事业\ninitiated_by: 村干部提议\nsignature: {{body: 村委会, date: 2026-01-01}}\n{extra}"
        );
        source(&sample, key, &front)
    };
    let edits = [
        notice("notices/old.md", "date: 2026-01-01"),
        // A result posted on 11-01 is news again; one dated after today is not yet.
        notice(
            "notices/result.md",
            "date: 2025-06-01\nresult: {date: 2026-11-01, content: 已完成}",
        ),
        notice(
            "notices/future.md",
            "date: 2026-02-01\nresult: {date: 2026-12-07, content: 未来}",
        ),
        notice("notices/b.md", "date: 2026-03-01"),
        notice("notices/a.md", "date: 2026-03-01"),
    ];
    let keys = |s: &Site| s.notices.iter().map(|n| n.doc.key.clone()).collect();
    let order = order_of(&sample, &edits, keys);
    let expected = ["result", "a", "b", "future", "old"];
    let expected: Vec<String> = expected.iter().map(|k| format!("notices/{k}.md")).collect();
    assert_eq!(order, expected);
}

#[test]
fn regulations_by_village_order_then_newest_then_key() {
    let sample = Sample::load();
    let ids: Vec<&str> = sample
        .config
        .villages
        .iter()
        .map(|v| v.id.as_str())
        .collect();
    let (first, second) = (ids[0], ids[1]);
    let regulation = |key: &str, village: &str, version: &str, vote: &str| {
        let front = format!(
            "title: t\nvillage: {village}\nversion: \"{version}\"\nhistory:\n  vote: {{date: {vote}, meeting: 村民会议, expected: 10, present: 8, for: 6}}"
        );
        source(&sample, key, &front)
    };
    let edits = [
        regulation("regulations/s-old.md", second, "2019", "2019-05-01"),
        regulation("regulations/f-old.md", first, "2019", "2019-05-01"),
        regulation("regulations/s-new.md", second, "2025", "2025-05-01"),
        regulation("regulations/f-b.md", first, "2024b", "2024-05-01"),
        regulation("regulations/f-a.md", first, "2024a", "2024-05-01"),
    ];
    let keys = |s: &Site| {
        let regs = s.regulations.iter();
        regs.map(|r| format!("{}{}", r.doc.key, if r.is_current { "*" } else { "" }))
            .collect()
    };
    let order = order_of(&sample, &edits, keys);
    let expected = ["f-a*", "f-b", "f-old", "s-new*", "s-old"];
    let expected: Vec<String> = expected
        .iter()
        .map(|k| format!("regulations/{k}.md"))
        .collect();
    let expected: Vec<String> = expected.iter().map(|k| k.replace("*.md", ".md*")).collect();
    assert_eq!(order, expected);
}
