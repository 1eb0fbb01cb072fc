//! Posters printed by Chromium (`qili posters --pdf`, with Debian's Chromium and poppler-utils;
//! skipped with a message where they are missing, a failure with `QILI_REQUIRE_BROWSER=1` as in
//! CI): each notice poster of the sample is one sheet of the right size (`pdfinfo`), and the QR
//! code read off its first page (`pdftoppm`, then the pure-Rust decoder rqrr) is the notice's URL.
//! What the poster pages carry without a browser is in the suite's posters.rs.

use crate::common;
use common::browser::{chromium, skip, which};
use common::repo;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The day the sample content's statuses are written for.
const TODAY: &str = common::SAMPLE_TODAY;
const BASE_URL: &str = "https://qili.example.cn/";

/// Paper sizes in points as pdfinfo prints them (ISO 216), with a point either way for
/// rounding: Chromium writes 841.92 for 841.89.
const A4_PT: (f64, f64) = (595.28, 841.89);
const A3_PT: (f64, f64) = (841.89, 1190.55);

fn sample() -> qili::model::Site {
    common::sample_model()
}

/// The PDFs of `qili posters --pdf` for the sample site, printed once for the tests below.
fn printed() -> Option<&'static PathBuf> {
    static PRINTED: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let result = PRINTED.get_or_init(|| {
        let chromium = chromium()?;
        for tool in ["pdfinfo", "pdftoppm"] {
            which(tool).ok_or_else(|| {
                format!("没有找到 {tool}，可用 apt-get install poppler-utils 安装")
            })?;
        }
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("posters-pdf");
        let _ = std::fs::remove_dir_all(&dir);
        let out = Command::new(env!("CARGO_BIN_EXE_qili"))
            .args(["posters", "--today", TODAY, "--pdf"])
            .arg(&dir)
            .arg("--root")
            .arg(repo())
            .env("QILI_CHROMIUM", chromium)
            .output()
            .expect("run qili posters");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "qili posters failed:\n{stderr}");
        assert!(stderr.contains("已生成"), "{stderr}");
        assert!(!stderr.contains("W35"), "{stderr}");
        Ok(dir)
    });
    match result {
        Ok(dir) => Some(dir),
        Err(missing) => {
            skip(missing);
            None
        }
    }
}

/// Pages and page size (width, height in points) as pdfinfo reports them.
fn pdfinfo(pdf: &Path) -> (usize, (f64, f64)) {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "pdfinfo {}: {text}", pdf.display());
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no {name} in pdfinfo {}:\n{text}", pdf.display()))
            .to_string()
    };
    let pages = field("Pages:").parse().expect("page count");
    // "595.92 x 841.92 pts (A4)"
    let size = field("Page size:");
    let nums: Vec<f64> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (pages, (nums[0], nums[1]))
}

fn close(size: (f64, f64), expected: (f64, f64)) -> bool {
    (size.0 - expected.0).abs() <= 1.0 && (size.1 - expected.1).abs() <= 1.0
}

/// The text of the QR code on the first page of the PDF, read at 100 dpi.
fn qr_text(pdf: &Path) -> Result<String, String> {
    let prefix = pdf.with_extension("");
    let out = Command::new("pdftoppm")
        .args(["-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("pdftoppm");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let png = prefix.with_extension("png");
    let img = image::open(&png)
        .map_err(|e| format!("{}: {e}", png.display()))?
        .to_luma8();
    let (w, h) = (img.width() as usize, img.height() as usize);
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        img.get_pixel(x as u32, y as u32).0[0]
    });
    let grids = prepared.detect_grids();
    let texts: Vec<String> = grids
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect();
    match texts.as_slice() {
        [one] => Ok(one.clone()),
        other => Err(format!("{} 个二维码：{other:?}", grids.len())),
    }
}

#[test]
fn every_sample_notice_poster_prints_on_one_sheet_with_a_readable_qr_code() {
    let Some(dir) = printed() else {
        return;
    };
    let site = sample();
    let mut problems = Vec::new();
    for n in &site.notices {
        let f = &n.doc.front;
        let url = format!("{BASE_URL}{}", n.url());
        for (sheet, expected) in [("A3", A3_PT), ("A4", A4_PT)] {
            let pdf = dir.join(format!("{}-{}-{sheet}.pdf", f.village, n.doc.slug));
            let (pages, size) = pdfinfo(&pdf);
            if pages != 1 {
                problems.push(format!("{}：{pages} 页", pdf.display()));
            }
            if !close(size, expected) {
                problems.push(format!(
                    "{}：纸张 {size:?}，应为 {sheet} {expected:?}",
                    pdf.display()
                ));
            }
            match qr_text(&pdf) {
                Ok(text) if text == url => {}
                Ok(text) => {
                    problems.push(format!("{}：二维码是 {text}，应为 {url}", pdf.display()))
                }
                Err(e) => problems.push(format!("{}：读不出二维码（{e}）", pdf.display())),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn regulation_posters_print_on_a4() {
    let Some(dir) = printed() else {
        return;
    };
    let site = sample();
    for r in &site.regulations {
        let f = &r.doc.front;
        let name = if r.is_current {
            format!("{}-guiyue-A4.pdf", f.village)
        } else {
            format!("{}-guiyue-{}-A4.pdf", f.village, f.version)
        };
        let (pages, size) = pdfinfo(&dir.join(&name));
        assert!(pages >= 1, "{name}");
        assert!(close(size, A4_PT), "{name}: {size:?}");
    }
    let pdfs = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .count();
    assert_eq!(pdfs, site.notices.len() * 2 + site.regulations.len());
}
