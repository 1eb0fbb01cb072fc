//! The README's tables that the code also holds stay equal to the code.

use crate::common;
use std::path::Path;

/// The README's part between `<!-- {name}:start -->` and `<!-- {name}:end -->` equals `table`;
/// with `QILI_BLESS=1` it is rewritten.
fn generated(name: &str, what: &str, table: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start_mark, end_mark) = (
        format!("<!-- {name}:start -->\n"),
        format!("<!-- {name}:end -->"),
    );
    let start = readme
        .find(&start_mark)
        .unwrap_or_else(|| panic!("README has {start_mark}"))
        + start_mark.len();
    let end = readme
        .find(&end_mark)
        .unwrap_or_else(|| panic!("README has {end_mark}"));
    common::snapshot::compare(what, &readme[start..end], table, |table| {
        let updated = format!("{}{table}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).unwrap();
    });
}

/// The table of who decides collective matters is rendered from `check::authority`. Run with
/// `QILI_BLESS=1` to write the rendered table into the README after changing the rules.
/// The table of who decides is rendered from `check::authority`, the articles each rule cites
/// before and after 2026-01-01 from `check::articles`. Run with `QILI_BLESS=1` to write them into
/// the README after changing the rules (one test: two blessing at once would race on the file).
/// The same test writes the 模板变量 reference from the views (`template_vars`).
#[test]
fn readme_tables_are_the_code_tables() {
    generated(
        "authority-table",
        "README 的决定权表",
        &qili::check::authority::table_markdown(),
    );
    generated(
        "articles-table",
        "README 的条号对照表",
        &qili::check::articles::table_markdown(),
    );
    generated(
        "template-vars",
        "README 的模板变量",
        &crate::template_vars::reference().0,
    );
}

/// Every code the law checks can report is explained in the README's table of codes.
#[test]
fn readme_lists_the_new_law_codes() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for code in [
        "E311", "E312", "E313", "E314", "E315", "W316", "E317", "E319", "W324",
    ] {
        assert!(readme.contains(code), "README 没有说明 {code}");
    }
}
