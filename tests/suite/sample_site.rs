//! The sample site in the repository: it must check clean, build, and not silently shrink.

use crate::common;
use common::{copy_dir, qili, repo};
use qili::config::VillageKind;
use qili::model::date::Date;
use qili::model::notice::{MatterClass, Status};
use qili::model::Site;
use std::collections::BTreeMap;

/// The day the sample content's statuses are written for.
const TODAY: &str = common::SAMPLE_TODAY;

fn sample() -> Site {
    common::sample_model()
}

/// The sample site built into a temporary folder: the folder (kept alive) and its output.
fn build_sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let run = qili(
        &repo(),
        &["build", "--today", TODAY, "--output", out.to_str().unwrap()],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (dir, out)
}

#[test]
fn sample_checks_clean_with_no_errors_and_no_warnings() {
    let out = qili(&repo(), &["check", "--today", TODAY, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        json,
        serde_json::json!([]),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success());
}

/// A poster prints the body up to "## 附件": whatever a villager needs to object, and the money,
/// must stand above it (W352 / W353), or older villagers at the notice board never read it.
#[test]
fn no_sample_notice_keeps_its_objection_route_or_amounts_only_under_attachments() {
    let site = sample();
    let found: Vec<_> = qili::check::run(&site)
        .into_iter()
        .filter(|d| d.code == "W352" || d.code == "W353")
        .collect();
    assert!(found.is_empty(), "{found:#?}");
    // And the rule is not idle: the sample does put long lists under 附件.
    assert!(site.notices.iter().any(|n| n.doc.body.contains("## 附件")));
}

/// A community's notices name its own bodies: 社区党组织, 社区“两委”, 居务公开.
#[test]
fn community_notices_use_the_community_bodies() {
    let (_dir, out) = build_sample();
    let page = |path: &str| std::fs::read_to_string(out.join(path)).unwrap();
    let community = page("villages/xinhua/notices/2026-wen-hua-guang-chang/index.html");
    assert!(community.contains("社区党组织提议"), "{community}");
    assert!(community.contains("社区“两委”会议商议"));
    assert!(!community.contains("村党组织提议") && !community.contains("村“两委”"));
    let poster = page("villages/xinhua/notices/2026-wen-hua-guang-chang/poster-a4/index.html");
    assert!(
        poster.contains("居务公开") && !poster.contains("村务公开"),
        "{poster}"
    );
    let village = page("villages/dongling/notices/2026-qu-dao-gai-zao/index.html");
    assert!(village.contains("村党组织提议") && village.contains("村“两委”会议商议"));
}

#[test]
fn sample_has_enough_lessons_for_every_audience_with_plain_variants() {
    let site = sample();
    assert!(site.lessons.len() >= 50, "{} lessons", site.lessons.len());
    for a in &site.config.audiences {
        let n = site.lessons.iter().filter(|l| l.is_for(&a.id)).count();
        assert!(n >= 10, "{}: {n} lessons", a.name);
    }
    for l in site.lessons.iter().filter(|l| l.is_for("qunzhong")) {
        assert!(
            l.variants.names("qunzhong"),
            "{} has no 大白话 variant",
            l.doc.file
        );
        assert!(!l.doc.front.laws.is_empty(), "{} cites no law", l.doc.file);
    }
}

#[test]
fn sample_has_a_filed_regulation_for_every_village_and_versions() {
    let site = sample();
    for v in &site.config.villages {
        let regs = site.regulations_of(&v.id);
        let current = regs.iter().find(|r| r.is_current).expect("current version");
        assert!(
            current.doc.front.history.filing.is_some(),
            "{} not filed",
            v.id
        );
        let kind = if v.kind == VillageKind::Community {
            "居民公约"
        } else {
            "村规民约"
        };
        assert!(
            current.doc.front.title.contains(kind),
            "{}",
            current.doc.front.title
        );
    }
    let with_versions = site
        .config
        .villages
        .iter()
        .filter(|v| site.regulations_of(&v.id).len() > 1)
        .count();
    assert!(with_versions >= 2);
}

#[test]
fn sample_has_notices_at_every_status_in_every_village() {
    let site = sample();
    assert!(site.notices.len() >= 12);
    let today = Date::parse(TODAY).unwrap();
    let mut per_status: BTreeMap<&str, usize> = BTreeMap::new();
    for n in &site.notices {
        *per_status
            .entry(n.doc.front.status(today).label())
            .or_default() += 1;
    }
    for s in Status::ALL {
        assert!(
            per_status.get(s.label()).copied().unwrap_or(0) >= 2,
            "{per_status:?}"
        );
    }
    for v in &site.config.villages {
        assert!(
            site.notices.iter().any(|n| n.doc.front.village == v.id),
            "{}",
            v.id
        );
    }
    // Collective property decided where the village has set up a collective, and where the
    // 村委会 acts for one (第六十四条): the sample shows both.
    for has_collective in [true, false] {
        assert!(
            site.notices.iter().any(|n| {
                let village = site.config.village(&n.doc.front.village);
                n.doc.front.kind.class() != MatterClass::Affairs
                    && n.doc.front.steps.resolution.is_some()
                    && village.is_some_and(|v| v.collective.is_some() == has_collective)
            }),
            "no decided collective matter in a village with collective = {has_collective}"
        );
    }
}

#[test]
fn sample_builds_every_page() {
    let (_dir, out) = build_sample();
    let site = sample();
    for l in &site.lessons {
        for a in &l.doc.front.audiences {
            assert!(
                out.join(l.url(a)).join("index.html").exists(),
                "{}",
                l.url(a)
            );
        }
    }
    for n in &site.notices {
        assert!(out.join(n.url()).join("index.html").exists());
    }
    assert!(out.join("lingdao/overview/index.html").exists());
}

#[test]
fn flawed_fixture_notices_are_caught() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    copy_dir(
        &repo().join("tests/fixtures/flawed-notices"),
        &dir.path().join("content/notices"),
    );
    let out = qili(dir.path(), &["check", "--today", TODAY, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<(&str, &str)> = json
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    assert!(
        codes.contains(&("E301", "content/notices/dai-biao-hui-yi-dao-hui-bu-zu.md")),
        "{codes:?}"
    );
    assert!(
        // A 公示 of five days in 2026: below the law's fifteen (村组法第三十五条第四款).
        codes.contains(&("E325", "content/notices/dai-biao-hui-yi-dao-hui-bu-zu.md")),
        "{codes:?}"
    );
    assert!(
        codes.contains(&(
            "E314",
            "content/notices/cheng-yuan-dai-biao-que-ren-cheng-yuan.md"
        )),
        "{codes:?}"
    );
    assert_eq!(codes.len(), 3, "{json:#?}");

    // The text output says the same things, one line each.
    let text = qili(dir.path(), &["check", "--today", TODAY]);
    let stderr = String::from_utf8_lossy(&text.stderr);
    for d in &json {
        let line = format!(
            "{}:{}:{} {} {}",
            d["file"].as_str().unwrap(),
            d["line"],
            d["column"],
            d["code"].as_str().unwrap(),
            d["message"].as_str().unwrap()
        );
        assert!(stderr.contains(&line), "{line}\nnot in\n{stderr}");
        if let Some(law) = d["law"].as_str() {
            assert!(stderr.contains(&format!("——{law}")));
        }
    }
}
