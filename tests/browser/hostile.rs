//! Hostile text in every field, loaded in a real browser: no script from content runs.

use crate::common;
use common::browser::{chromium, skip, StaticServer};
use common::Site;
use std::process::Command;

/// Payloads that change the page only if they run: the markers (`PWN`, `XXX`, `YYY`) are built
/// from character codes, so they never appear in the escaped source itself.
const SCRIPT: &str = "<script>document.title=String.fromCharCode(80,87,78)</script>";
const HANDLER: &str = "<img src=x onerror=\"document.body.id=String.fromCharCode(88,88,88)\">";
const LINK: &str = "[点我](javascript:document.body.id=String.fromCharCode(89,89,89))";

fn hostile_site() -> Site {
    let site = Site::new();
    let q = |s: &str| serde_json::to_string(s).unwrap();
    let title = format!("课{SCRIPT}{HANDLER}");
    site.lesson(
        "h",
        &format!(
            "title: {}\ndate: 2026-03-01\naudiences: [qunzhong, ganbu]\nsummary: {}\ntags: [{}]",
            q(&title),
            q(&format!("摘要{SCRIPT}")),
            q(HANDLER)
        ),
        &format!("正文 {SCRIPT}\n\n{HANDLER}\n\n{LINK}\n\n<svg onload=\"document.body.id=String.fromCharCode(88,88,88)\"></svg>\n"),
    );
    site.write(
        "content/notices/n.md",
        &format!(
            "---\ntitle: {}\nvillage: dongling\ndate: 2026-04-01\nsummary: {}\nmatter: {}\nkind: 公益事业\ninitiated_by: 村干部提议\nsignature: {{body: {}, date: 2026-04-01}}\ncontact: {}\n---\n{SCRIPT}\n",
            q(&format!("公开{SCRIPT}")),
            q(HANDLER),
            q(SCRIPT),
            q(HANDLER),
            q(SCRIPT)
        ),
    );
    site
}

/// The DOM of `page` after Chromium has loaded it and run its scripts.
fn dump_dom(chromium: &std::path::Path, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium)
        .args(qili::serve::print::CHROMIUM_FLAGS)
        .args(["--virtual-time-budget=2000", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        dom.contains("</html>"),
        "{url}: no DOM\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dom
}

#[test]
fn the_check_would_see_a_script_that_ran() {
    // Trusted HTML passes through: the same payload must then show up as having run, or the
    // test below proves nothing.
    let chromium = match chromium() {
        Ok(c) => c,
        Err(missing) => return skip(&missing),
    };
    let site = hostile_site();
    site.write(
        "site.yaml",
        &format!("{}allow_html: true\n", common::SITE_YAML),
    );
    site.build().ok();
    let server = StaticServer::start(&site.root().join("public"));
    let dom = dump_dom(&chromium, &format!("{}/qunzhong/lessons/h/", server.base));
    assert!(
        dom.contains("<title>PWN"),
        "the script marker shows when scripts run"
    );
    assert!(
        dom.contains("id=\"XXX\""),
        "the handler marker shows when handlers run"
    );
}

#[test]
fn no_script_from_content_runs_in_chromium() {
    let chromium = match chromium() {
        Ok(c) => c,
        Err(missing) => return skip(&missing),
    };
    let site = hostile_site();
    site.build().ok();
    let server = StaticServer::start(&site.root().join("public"));
    let pages = [
        "/qunzhong/lessons/h/",
        "/ganbu/lessons/h/",
        "/qunzhong/",
        "/qunzhong/lessons/",
        "/villages/dongling/notices/n/",
        "/villages/dongling/notices/n/poster/",
        "/villages/dongling/",
        "/villages/",
    ];
    for page in pages {
        let dom = dump_dom(&chromium, &format!("{}{page}", server.base));
        assert!(
            !dom.contains("<title>PWN"),
            "{page}: a script from content ran"
        );
        assert!(
            !dom.contains("id=\"XXX\""),
            "{page}: an event handler from content ran"
        );
        assert!(
            !dom.contains("href=\"javascript:"),
            "{page}: a javascript: link survived"
        );
    }
}
