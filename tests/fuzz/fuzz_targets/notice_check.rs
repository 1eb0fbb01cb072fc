//! A notice, built into a site and judged by every rule of `qili check`. Whatever the counts
//! and dates, the result is findings with places in the file, never a panic or an overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qili::config::SiteConfig;
use qili::load::{Kind, Source};
use qili::model::date::Date;
use qili::model::{Options, Site};

/// The sample site's configuration: its villages are those of the seed notices.
const SITE: &str = include_str!("../../../site.yaml");

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = SiteConfig::parse(SITE) else {
        return;
    };
    let text = qili::load::clean_text(raw);
    let file = "content/notices/f.md";
    let sources = vec![Source {
        kind: Kind::Notice,
        key: "notices/f.md".into(),
        file: file.into(),
        path: Default::default(),
        text: text.clone(),
    }];
    let Ok(today) = Date::parse("2026-05-20") else {
        return;
    };
    let opts = Options {
        drafts: true,
        today,
    };
    let (site, mut findings) = Site::build(config, sources, &opts);
    findings.extend(qili::check::run(&site));
    let lines = text.lines().count() + 1;
    for d in &findings {
        if d.file == file {
            assert!(
                d.line >= 1 && d.line <= lines,
                "line {} of {lines}: {d}",
                d.line
            );
        }
        assert!(d.hint.is_some(), "no hint: {d}");
        assert!(!d.message.is_empty());
    }
    // What the pages show about a notice must be computable too.
    for n in &site.notices {
        let _ = n.doc.front.status(today);
        let _ = n.updated(today);
        let _ = n.url();
    }
});
