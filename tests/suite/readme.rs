//! The README's tables that the code also holds stay equal to the code.

use crate::common;
use std::path::Path;

const START: &str = "<!-- authority-table:start -->\n";
const END: &str = "<!-- authority-table:end -->";

/// The table of who decides collective matters is rendered from `check::authority`. Run with
/// `QILI_BLESS=1` to write the rendered table into the README after changing the rules.
#[test]
fn readme_law_table_is_the_code_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme
        .find(START)
        .expect("README has the table's start marker")
        + START.len();
    let end = readme.find(END).expect("README has the table's end marker");
    let table = qili::check::authority::table_markdown();
    common::snapshot::compare(
        "README 的决定权表",
        &readme[start..end],
        &table,
        |table| {
            let updated = format!("{}{table}{}", &readme[..start], &readme[end..]);
            std::fs::write(&path, updated).unwrap();
        },
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
