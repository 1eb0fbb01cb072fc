//! Every sample lesson, in each of its audiences' wording, and every sample notice exports as a
//! WeChat 公众号 article without an error.

use crate::common;
use qili::render::wechat::{self, Theme};

#[test]
fn every_sample_article_exports() {
    let site = common::sample_model();
    let theme = Theme::load(&common::repo(), &site.config.theme).expect("theme");
    let articles = wechat::articles(&site);
    let lessons: usize = site
        .lessons
        .iter()
        .map(|l| l.doc.front.audiences.len())
        .sum();
    assert_eq!(articles.len(), lessons + site.notices.len());
    assert!(
        site.notices.len() > 10 && lessons > 40,
        "the sample site is all here"
    );
    let mut failures = Vec::new();
    for (key, audience) in &articles {
        match wechat::export(&site, &theme, key, audience.as_deref()) {
            Ok(e) => {
                assert!(e.html.starts_with("<section style="), "{key}");
                assert!(
                    !e.html.contains("<a ") && !e.html.contains("class="),
                    "{key}"
                );
                assert!(e.read_more_url.starts_with(&site.config.base_url), "{key}");
                assert!(!e.title.is_empty(), "{key}");
                for r in &e.references {
                    assert!(r.url.starts_with("http"), "{key}: {r:?}");
                }
            }
            Err(d) => failures.push(format!("{key} {audience:?}: {d}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `qili wechat` writes the fragment and prints what the editor pastes into the other fields.
#[test]
fn the_wechat_command_writes_the_article_and_prints_title_and_digest() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.html");
    let run = common::qili(
        &common::repo(),
        &[
            "wechat",
            "content/lessons/jie-tiao-zen-me-xie.md",
            "--audience",
            "qunzhong",
            "--today",
            common::SAMPLE_TODAY,
            "--output",
            file.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<section style="), "{html}");
    assert!(
        stderr.contains("标题（16 字）：借钱给亲戚，一张借条要写清哪几样"),
        "{stderr}"
    );
    assert!(
        stderr.contains("阅读原文：https://qili.example.cn/qunzhong/lessons/jie-tiao-zen-me-xie/")
    );

    let missing = common::qili(&common::repo(), &["wechat", "content/lessons/nope.md"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("E214"));
}
