//! Front matter of every kind: split a source, then parse it as a lesson, a notice, a regulation
//! and a site.yaml. Any input must give a value or a diagnostic that points into the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qili::config::SiteConfig;
use qili::diagnostics::Diagnostic;
use qili::load::frontmatter::{self, YamlSource};
use qili::model::lesson::LessonFront;
use qili::model::notice::NoticeFront;
use qili::model::regulation::RegulationFront;

const FILE: &str = "content/notices/fuzz.md";

/// A diagnostic about `text` names the file and a line of it (or the line after, for an error
/// at the very end).
fn check(d: &Diagnostic, text: &str) {
    assert!(d.code.starts_with('E'), "{d}");
    assert!(!d.message.is_empty(), "{d}");
    assert!(d.hint.is_some(), "no hint: {d}");
    let lines = text.lines().count() + 1;
    assert!(
        d.line >= 1 && d.line <= lines,
        "line {} of {lines}: {d}",
        d.line
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let text = qili::load::clean_text(raw);
    let split = match frontmatter::split(FILE, &text) {
        Ok(s) => s,
        Err(d) => return check(&d, &text),
    };
    let src = YamlSource {
        file: FILE,
        text: split.yaml,
        first_line: split.yaml_line,
    };
    if let Err(d) = frontmatter::parse::<LessonFront>(&src) {
        check(&d, &text);
    }
    if let Err(d) = frontmatter::parse::<NoticeFront>(&src) {
        check(&d, &text);
    }
    if let Err(d) = frontmatter::parse::<RegulationFront>(&src) {
        check(&d, &text);
    }
    if let Err(ds) = SiteConfig::parse(split.yaml) {
        for d in &ds {
            if d.line > 0 {
                check(d, split.yaml);
            }
        }
    }
    for path in [
        "title",
        "steps.resolution.present",
        "history.vote.for",
        "a.b.c",
    ] {
        if let Some((line, _)) = frontmatter::locate(split.yaml, path) {
            assert!(line >= 1 && line <= split.yaml.lines().count());
        }
    }
});
