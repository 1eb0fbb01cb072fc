//! Posters for the 村务公开栏: an A3 and an A4 print view of every notice, an A4 one of every
//! regulation.
//!
//! Without tools: the pages exist, carry what a poster must (QR code, 公示期 in bold, 监督/反映,
//! 落款 and the place for the seal), escape what they show, stay out of the sitemap; `qili check`
//! warns about a notice too long for one sheet; `qili posters` says clearly when Chromium is
//! missing.
//!
//! The printed PDFs (Chromium, poppler-utils) are checked in the browser suite's posters.rs.

use crate::common;
use common::Site;
use qili::model::Site as Model;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

const BASE_URL: &str = "https://qili.example.cn/";

fn sample() -> Model {
    common::sample_model()
}

/// The sample site, built once with the real binary.
fn built() -> &'static PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| common::build_sample("posters-site"))
}

fn page(url: &str) -> String {
    let file = built().join(url).join("index.html");
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

// ---------------------------------------------------------------------------------------------
// Without tools.

#[test]
fn every_notice_has_an_a3_and_an_a4_poster_with_what_a_board_needs() {
    let site = sample();
    assert!(site.notices.len() >= 12);
    for n in &site.notices {
        let f = &n.doc.front;
        let canonical = format!("{BASE_URL}{}", n.url());
        for (sheet, url) in [
            ("A3", format!("{}poster/", n.url())),
            ("A4", format!("{}poster-a4/", n.url())),
        ] {
            let html = page(&url);
            let at = format!("{url}（{}）", n.doc.file);
            assert!(
                html.contains(&format!("@page{{size:{sheet} portrait")),
                "{at}"
            );
            assert!(
                html.contains(&format!(
                    "class=\"kind-poster poster-{}\"",
                    sheet.to_lowercase()
                )),
                "{at}"
            );
            assert!(
                html.contains("<meta name=\"robots\" content=\"noindex\">"),
                "{at}"
            );
            assert!(
                html.contains(&format!("<link rel=\"canonical\" href=\"{canonical}\">")),
                "{at}"
            );
            assert!(html.contains("<svg class=\"qr-code\""), "{at}: no QR code");
            assert!(
                html.contains(&format!("aria-label=\"二维码：{canonical}\"")),
                "{at}: the QR code is not the notice's URL"
            );
            assert!(!html.contains("<?xml"), "{at}");
            assert!(html.contains("<h1 style=\"font-size:"), "{at}");
            assert!(html.contains(&f.title), "{at}");
            if let Some(d) = &f.disclosure {
                let bold = format!("<strong>公示期：{}至{}", d.from.chinese(), d.to.chinese());
                assert!(html.contains(&bold), "{at}: no {bold}");
            }
            assert!(html.contains("监督/反映："), "{at}");
            assert!(
                html.contains(&format!("<p>{}</p>", f.signature.body)),
                "{at}"
            );
            assert!(html.contains(&f.signature.date.chinese()), "{at}");
            assert!(html.contains("盖章"), "{at}");
            assert!(html.contains("扫码查看网上公示"), "{at}");
            assert!(html.contains("议程</th>"), "{at}: no table of the 四议");
            // No site navigation on paper.
            assert!(!html.contains("class=\"nav\""), "{at}");
        }
        // The notice's own page links to both.
        let notice = page(&n.url());
        assert!(notice.contains("打印公示："), "{}", n.url());
        assert!(notice.contains(&format!("href=\"/{}poster/\"", n.url())));
        assert!(notice.contains(&format!("href=\"/{}poster-a4/\"", n.url())));
    }
}

#[test]
fn every_regulation_has_an_a4_print_version() {
    let site = sample();
    for r in &site.regulations {
        let url = format!("{}poster/", r.url());
        let html = page(&url);
        assert!(html.contains("@page{size:A4 portrait"), "{url}");
        assert!(html.contains(&r.doc.front.title), "{url}");
        assert!(html.contains("第一条"), "{url}");
        assert!(html.contains("<svg class=\"qr-code\""), "{url}");
        assert!(html.contains("盖章"), "{url}");
        assert!(
            html.contains(&format!(
                "<link rel=\"canonical\" href=\"{BASE_URL}{}\">",
                r.url()
            )),
            "{url}"
        );
        assert!(page(&r.url()).contains(&format!("href=\"/{url}\">打印（A4）</a>")));
    }
}

#[test]
fn posters_stay_out_of_the_sitemap() {
    let sitemap = std::fs::read_to_string(built().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/notices/"), "{sitemap}");
    assert!(!sitemap.contains("poster"), "{sitemap}");
}

#[test]
fn sample_notices_fit_one_sheet_and_attachments_stay_online() {
    // The sample checks clean (tests/suite/sample_site.rs), so every poster fits by the estimate;
    // a notice with 附件 prints up to them and says where the rest is.
    let html = page("villages/dongling/notices/2026-qu-dao-gai-zao/poster-a4/");
    assert!(html.contains("附件（全文扫码查看）：花多少钱、钱从哪里来；谁来干、什么时候干"));
    assert!(!html.contains("预算总额"), "an attachment was printed");
    let online = page("villages/dongling/notices/2026-qu-dao-gai-zao/");
    assert!(online.contains("预算总额"));
}

const NOTICE_FRONT: &str = "\
title: 东岭村修路方案公示
slug: xiu-lu
village: dongling
date: 2026-04-10
summary: 村里修一条路。
matter: 村内道路硬化
kind: 公益事业
initiated_by: 村干部提议
steps:
  proposal: {date: 2026-03-20, body: 东岭村党支部委员会}
  deliberation: {date: 2026-03-23, expected: 7, present: 7, for: 7}
  party_review: {date: 2026-03-27, expected: 31, present: 27, for: 25, against: 1, abstain: 1}
  resolution: {meeting: 村民代表会议, date: 2026-04-08, expected: 35, present: 30, for: 28, against: 1, abstain: 1}
disclosure: {from: 2026-04-10, to: 2026-04-24, place: 村务公开栏}
signature: {body: 东岭村民委员会, date: 2026-04-10}
";

fn notice_site(front: &str, body: &str) -> Site {
    let site = Site::new();
    site.write(
        "content/notices/xiu-lu.md",
        &format!("---\n{front}---\n{body}"),
    );
    site
}

#[test]
fn a_notice_too_long_for_one_sheet_is_warned_about_with_its_size() {
    let paragraph = "村里修一条路，".repeat(40);
    let long: String = (0..20).map(|_| format!("{paragraph}\n\n")).collect();
    let site = notice_site(NOTICE_FRONT, &long);
    let run = site.qili(&["check", "--today", "2026-04-12"]);
    // Warnings only: the site is still built and checked clean of errors.
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (code, sheet, size) in [("W350", "A4", "16pt"), ("W351", "A3", "22pt")] {
        let line = run
            .stderr
            .lines()
            .find(|l| l.contains(code))
            .unwrap_or_else(|| panic!("no {code}:\n{}", run.stderr));
        // Pointed at the title (line 2 of the file, after `---`).
        assert!(
            line.starts_with(&format!(
                "content/notices/xiu-lu.md:2:1 {code} {sheet} 海报放不下：内容约需 "
            )),
            "{line}"
        );
        assert!(line.contains(&format!("行（正文 {size}）")), "{line}");
    }
    assert!(run.stderr.contains("附件"), "the hint names the way out");

    let short = notice_site(NOTICE_FRONT, "村里修一条路。\n");
    let run = short.qili(&["check", "--today", "2026-04-12"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("W35"), "{}", run.stderr);
}

#[test]
fn a_short_notice_is_set_larger_than_the_minimum() {
    let site = notice_site(NOTICE_FRONT, "村里修一条路。\n");
    site.build().ok();
    for (url, min) in [("poster-a4/", 16.0), ("poster/", 22.0)] {
        let html = site.public(&format!("villages/dongling/notices/xiu-lu/{url}index.html"));
        let size: f64 = html
            .split("<main class=\"sheet\" style=\"font-size:")
            .nth(1)
            .and_then(|rest| rest.split("pt\"").next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{url}: no body size"));
        assert!(size > min, "{url}: {size}pt");
    }
}

#[test]
fn posters_escape_what_they_show() {
    let evil = r#"<b>"甲"&'乙'</b>"#;
    let y = serde_json::to_string(evil).unwrap();
    let front = NOTICE_FRONT
        .replace("title: 东岭村修路方案公示", &format!("title: {y}"))
        .replace("matter: 村内道路硬化", &format!("matter: {y}"))
        .replace(
            "signature: {body: 东岭村民委员会,",
            &format!("contact: {y}\nsignature: {{body: {y},"),
        );
    // In the body as code, so it is text whatever the Markdown renderer does with raw HTML.
    let site = notice_site(&front, &format!("`{evil}`\n\n## 附件：`{evil}`\n\n正文\n"));
    site.build().ok();
    let escaped = "&lt;b&gt;&quot;甲&quot;&amp;&#39;乙&#39;&lt;/b&gt;";
    for url in ["poster/", "poster-a4/"] {
        let html = site.public(&format!("villages/dongling/notices/xiu-lu/{url}index.html"));
        assert!(!html.contains("<b>\"甲"), "{url}: {html}");
        assert!(!html.contains(evil), "{url}");
        // Title, heading, matter, the body, the attachment's name, contact and 落款.
        assert!(html.matches(escaped).count() >= 7, "{url}: {html}");
    }
}

#[test]
fn a_regulation_version_named_poster_is_refused() {
    let site = Site::new();
    for (file, version, year) in [("a.md", "2024", "2024"), ("b.md", "poster", "2025")] {
        site.write(
            &format!("content/regulations/{file}"),
            &format!(
                "---\ntitle: 东岭村村规民约\nvillage: dongling\nversion: \"{version}\"\nhistory:\n  vote: {{date: {year}-03-20, meeting: 村民会议, expected: 820, present: 560, for: 540}}\n  filing: {{date: {year}-04-01, body: 测试镇人民政府}}\n---\n## 总则\n\n1. 第一条。\n"
            ),
        );
    }
    site.qili(&["check", "--today", "2026-04-12"])
        .fails_with("E209", "content/regulations/b.md:4");
}

#[test]
fn posters_without_chromium_say_so() {
    let site = notice_site(NOTICE_FRONT, "村里修一条路。\n");
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_qili"))
        .args(["posters", "--pdf"])
        .arg(site.root().join("pdf"))
        .arg("--root")
        .arg(site.root())
        .env("PATH", empty.path())
        .env_remove("QILI_CHROMIUM")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("qili E505 没有找到 Chromium，无法生成 PDF\n    提示：可以在浏览器里打开海报页面直接打印"),
        "{stderr}"
    );
    assert!(!site.root().join("pdf").exists());
}
