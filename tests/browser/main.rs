//! The browser suite: pages of built sites opened in Debian's Chromium (through playwright-core
//! and the Node scripts beside this file), laid out at phone size, checked for accessibility,
//! valid HTML, search, the editors' desk and the 公众号 copy. Without Chromium each test prints
//! that it skipped; `QILI_REQUIRE_BROWSER=1` (set by .ci/run) makes that a failure.

#[path = "../common/mod.rs"]
mod common;

mod desk;
mod hostile;
mod pages;
mod posters;
mod search;
mod wechat;
