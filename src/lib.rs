//! qili: a static site generator for 七里镇法治课堂.
//!
//! The pipeline, one module per stage:
//! [`load`] (walk `content/`, split front matter) → [`model`] (typed documents, references
//! checked) → [`check`] (the law: 四议两公开, 村规民约, 村务公开) → [`render`] (Markdown, tera
//! templates) → [`search`] (the full-text index the search pages query in the browser) →
//! [`output`] (pages, feed, sitemap, assets, written atomically).
//! [`build`] runs the stages. On top: [`report`] shows findings and summaries to people (or as
//! JSON), [`serve`] is the live preview, [`serve::print`] prints posters to PDF, and [`cmd`] is the command
//! line, one file per command.

// A content problem is a normal outcome carried as a `Diagnostic` in `Err`, not a hot path;
// boxing every one would only add noise.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod check;
pub mod cmd;
pub mod config;
pub mod deploy;
pub mod diagnostics;
pub mod error;
pub mod init;
pub mod layout;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod poster;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod slug;
pub mod sync;

pub use error::Error;
