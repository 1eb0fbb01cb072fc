//! What a build tells the person waiting for it: a progress bar on a terminal, and with
//! `QILI_TIMINGS` set, how long each stage took.

use std::time::Instant;

/// Prints stage times when `QILI_TIMINGS` is set (for benchmarks).
pub fn timer(started: Instant) -> impl Fn(&str) {
    let on = std::env::var_os("QILI_TIMINGS").is_some();
    move |what: &str| {
        if on {
            eprintln!(
                "  [{:>7.1} ms] {what}",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

pub fn progress_bar(enabled: bool, len: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !enabled || len < 500 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("生成页面 {bar:40} {pos}/{len}")
    {
        bar.set_style(style);
    }
    Some(bar)
}
