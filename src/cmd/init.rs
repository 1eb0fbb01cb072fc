//! `qili init 目录`: a new site for another town. Names come from the flags; on a terminal, the
//! ones not given are asked for.

use super::{Args, NewSite};
use crate::init::{self, Town};
use crate::report;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

pub fn run(args: &Args, site: &NewSite) -> ExitCode {
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let ask = |given: &Option<String>, question: &str| -> String {
        match given {
            Some(v) => v.clone(),
            None if interactive => prompt(question),
            None => String::new(),
        }
    };
    let town = Town {
        name: ask(&site.town, "乡镇或街道的名称（例如 沙州镇）"),
        county: ask(&site.county, "所属县（市、区）（例如 敦煌市）"),
        city: ask(&site.city, "所属市（州）（例如 酒泉市）"),
        province: ask(&site.province, "所属省（例如 甘肃省）"),
        title: site.title.clone().unwrap_or_default(),
        base_url: site.base_url.clone().unwrap_or_default(),
    };
    match init::create(&site.dir, &town, site.lessons, args.today.date) {
        Ok(files) => {
            report::initialized(&site.dir, &files);
            ExitCode::SUCCESS
        }
        Err(e) => {
            report::error(e);
            ExitCode::from(1)
        }
    }
}

/// One answer from the terminal; empty when there is none.
fn prompt(question: &str) -> String {
    eprint!("{question}：");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    line.trim().to_string()
}
