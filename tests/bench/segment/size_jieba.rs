//! `size_bigrams` plus jieba-rs `cut_for_search` on each Chinese run: the size difference of
//! the two binaries is what jieba-rs would add to qili.
//!
//!     cargo build --release --manifest-path tests/bench/segment/Cargo.toml --bin size_bigrams --bin size_jieba

use qili::search::tokens::{each_token, runs, Run};
use std::io::Read;

fn main() {
    let mut text = String::new();
    if std::io::stdin().read_to_string(&mut text).is_err() {
        std::process::exit(2);
    }
    let n = std::cell::Cell::new(0usize);
    each_token(&text, true, |_| n.set(n.get() + 1), |_| n.set(n.get() + 1));
    let mut n = n.get();
    let jieba = jieba_rs::Jieba::new();
    for run in runs(&text) {
        if let Run::Cjk(chars) = run {
            let s: String = chars.into_iter().collect();
            n += jieba.cut_for_search(&s, true).len();
        }
    }
    println!("{n}");
}
