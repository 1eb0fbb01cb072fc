//! The floor of a build: the least work any generator must do for qili's pages, to tell how far
//! above it qili is (tests/bench/build_bench.py runs it beside qili and Hugo).
//!
//!     cargo build --release --example floor
//!     target/release/examples/floor SITE_ROOT OUTPUT
//!
//! It reads every source under SITE_ROOT/content, renders its body with pulldown-cmark (the
//! extensions qili enables) and writes one HTML file per page qili writes for it (a lesson once
//! per audience it is for), in parallel on every core. No templates, no checks, no lists: what
//! is left is reading, Markdown and writing.

use pulldown_cmark::{html, Options, Parser};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, root, out] = args.as_slice() else {
        eprintln!("usage: floor SITE_ROOT OUTPUT");
        std::process::exit(2);
    };
    let content = Path::new(root).join("content");
    let sources: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let out = Path::new(out);
    let pages: usize = sources
        .par_iter()
        .map(|path| render(path, &content, out))
        .sum();
    println!("{} sources, {pages} pages", sources.len());
}

/// Renders one source and writes its pages; returns how many.
fn render(path: &Path, content: &Path, out: &Path) -> usize {
    let text = std::fs::read_to_string(path).expect("read source");
    let (front, body) = split(&text);
    let mut page = String::with_capacity(body.len() * 3 / 2);
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    html::push_html(&mut page, Parser::new_ext(body, opts));
    let rel = path.strip_prefix(content).unwrap().with_extension("");
    let audiences = audiences(front);
    let folders: Vec<PathBuf> = if audiences.is_empty() {
        vec![out.join(&rel)]
    } else {
        audiences.iter().map(|a| out.join(a).join(&rel)).collect()
    };
    for dir in &folders {
        let file = dir.join("index.html");
        if std::fs::write(&file, &page).is_err() {
            std::fs::create_dir_all(dir).expect("create folder");
            std::fs::write(&file, &page).expect("write page");
        }
    }
    folders.len()
}

/// Front matter and body of a source.
fn split(text: &str) -> (&str, &str) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return ("", text);
    };
    match rest.find("\n---\n") {
        Some(end) => (&rest[..end], &rest[end + 5..]),
        None => ("", text),
    }
}

/// The `audiences: ["a", "b"]` of a lesson's front matter.
fn audiences(front: &str) -> Vec<&str> {
    front
        .lines()
        .find_map(|l| l.strip_prefix("audiences:"))
        .map(|list| {
            list.split(['[', ']', ',', '"', ' '])
                .filter(|a| !a.is_empty())
                .collect()
        })
        .unwrap_or_default()
}
