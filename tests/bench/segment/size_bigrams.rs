//! The smallest program that cuts text as qili's index does, to weigh against `size_jieba`:
//! the two differ only in jieba-rs (its code and its embedded dictionary).
//!
//!     cargo build --release --manifest-path tests/bench/segment/Cargo.toml --bin size_bigrams --bin size_jieba

use std::io::Read;

fn main() {
    let mut text = String::new();
    if std::io::stdin().read_to_string(&mut text).is_err() {
        std::process::exit(2);
    }
    let n = std::cell::Cell::new(0usize);
    qili::search::tokens::each_token(&text, true, |_| n.set(n.get() + 1), |_| n.set(n.get() + 1));
    println!("{}", n.get());
}
