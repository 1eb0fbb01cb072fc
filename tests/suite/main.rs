//! qili's end-to-end suite: one test binary (one link of tera, html5ever and css-inline instead
//! of one per file), each module the tests of one part of the product, building small sites in
//! temporary folders with the real `qili` binary or the library. Tests that drive Chromium are
//! in the other binary, tests/browser/.

#[path = "../common/mod.rs"]
mod common;

mod architecture;
mod bad_input;
mod build;
mod check_rules;
mod codes;
mod deploy;
mod desk;
mod documents;
mod escaping;
mod hostile;
mod incremental;
mod init;
mod output_manifest;
mod posters;
mod readme;
mod sample_site;
mod search_budget;
mod search_fallback;
mod search_ranking;
mod serve;
mod template_vars;
mod vendor;
mod wechat;
