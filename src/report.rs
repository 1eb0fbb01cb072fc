//! What a person (or another program) sees of a run: findings, summaries and internal errors.
//!
//! Text for people is Chinese and goes to stderr; JSON for programs goes to stdout, so it can be
//! piped while the people-facing lines still reach the terminal. The commands and the preview
//! server both print through here, so a finding reads the same wherever it shows up.

use crate::build::{Outcome, Stats};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::Error;
use std::fmt::Display;
use std::path::Path;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Every finding on stderr, sorted by file and line.
pub fn diagnostics(d: &Diagnostics) {
    for item in d.clone().sorted() {
        eprintln!("{item}");
    }
}

/// Every finding in `format`.
pub fn diagnostics_as(d: &Diagnostics, format: Format) {
    match format {
        Format::Text => diagnostics(d),
        Format::Json => println!("{}", d.to_json()),
    }
}

/// A failure that is not about the content (the disk, the output folder, the network socket),
/// shown the way findings are.
pub fn internal(e: &Error) {
    eprintln!("{}", Diagnostic::internal(e));
}

/// A failure with nothing more to it than its message.
pub fn error(message: impl Display) {
    eprintln!("错误：{message}");
}

/// The last line of a run that found errors; `consequence` says what was (not) done about it.
pub fn failed(d: &Diagnostics, consequence: &str) {
    eprintln!(
        "\n发现 {} 个错误、{} 个警告；{consequence}",
        d.error_count(),
        d.warning_count()
    );
}

/// The consequence of errors for `qili build` and `qili check`.
pub const NOTHING_WRITTEN: &str = "没有写入任何文件，原来的网站保持不变。";
/// The consequence of errors for `qili posters`.
pub const NO_PDFS: &str = "改正后再生成 PDF。";

/// `qili build`: what was built, and where.
pub fn built(stats: &Stats, output: &Path) {
    let per: Vec<String> = stats
        .per_audience
        .iter()
        .map(|(name, n)| format!("{name} {n}"))
        .collect();
    eprintln!(
        "构建完成：{} 个文件，用时 {:.2} 秒",
        stats.pages,
        stats.elapsed.as_secs_f64()
    );
    eprintln!("  课程 {} 篇（{}）", stats.lessons, per.join("、"));
    eprintln!(
        "  村规民约 {} 份，四议两公开 {} 件",
        stats.regulations, stats.notices
    );
    eprintln!(
        "  输出到 {}（页面共 {:.1} KB）",
        output.display(),
        stats.bytes as f64 / 1024.0
    );
    let largest: Vec<String> = stats
        .largest
        .iter()
        .map(|(url, size)| format!("/{url} {:.1} KB", *size as f64 / 1024.0))
        .collect();
    eprintln!("  最大的页面：{}", largest.join("，"));
    // An index always has files, so no bytes means search is off.
    if stats.search_bytes == 0 {
        eprintln!("  搜索：没有开启（site.yaml 里 search: false）");
    } else {
        eprintln!(
            "  搜索索引：{} 条，{:.1} KB",
            stats.search_entries,
            stats.search_bytes as f64 / 1024.0
        );
    }
}

/// `qili check --format text` found no errors.
pub fn checked() {
    eprintln!("检查完成：没有错误。");
}

/// `qili new` wrote a draft at `path`.
pub fn created(path: &Path) {
    eprintln!(
        "已新建 {}（草稿，draft: true）。填好字段后把 draft 改成 false，再运行 qili check。",
        path.display()
    );
}

/// `qili posters`: the build's findings, then how many PDFs of which kind, and where. Plain
/// counts rather than the posters' summary, so that the preview server, which prints through
/// here too, does not depend on the PDF command.
pub fn printed(
    d: &Diagnostics,
    files: usize,
    dir: &Path,
    notice_posters: usize,
    regulation_posters: usize,
) {
    diagnostics(d);
    eprintln!(
        "已生成 {files} 个 PDF，保存在 {}：公示海报 {notice_posters} 个（每件公开 A3、A4 各一张），村规民约打印版 {regulation_posters} 个（A4）",
        dir.display()
    );
    if d.warning_count() > 0 {
        eprintln!("有警告（见上）：W350/W351 说明这件公开的海报可能一张纸印不下。");
    }
}

/// One (re)build of `qili serve`. After the first build every warning is shown; after a
/// rebuild, errors in full and warnings only as a count, so the terminal is not flooded on
/// every save.
pub fn rebuilt(outcome: &Outcome, took: Duration, first: bool) {
    let d = &outcome.diagnostics;
    if first {
        diagnostics(d);
    } else {
        diagnostics(&d.iter().filter(|x| x.is_error()).cloned().collect());
    }
    let ms = took.as_secs_f64() * 1000.0;
    let now = chrono::Local::now().format("%H:%M:%S");
    let warnings = match d.warning_count() {
        0 => String::new(),
        n => format!("，{n} 个警告（qili check 可查看）"),
    };
    match &outcome.stats {
        Some(s) => eprintln!(
            "[{now}] 已生成：重新渲染 {} / {} 个页面，用时 {ms:.0} 毫秒{warnings}",
            s.rendered, s.pages
        ),
        None => eprintln!(
            "[{now}] 有 {} 个错误，网站没有更新（浏览器里会显示错误）",
            d.error_count()
        ),
    }
}

/// The consequence of errors found before `qili deploy` published anything.
pub const NOTHING_DEPLOYED: &str = "没有发布任何文件，线上的网站保持不变。";
/// The consequence of a deploy that stopped: what is online still links up (see `deploy::plan`).
pub const DEPLOY_STOPPED: &str =
    "发布停下了：线上的网站还是完整的（旧页面或已换上的新页面），改正后再运行 qili deploy 会接着做完。";

/// `qili deploy --dry-run`: every upload and deletion, the unchanged count, the bytes.
pub fn deploy_plan(plan: &crate::deploy::plan::Plan, target: &str) {
    for u in &plan.uploads {
        let what = if u.new { "新增" } else { "更新" };
        eprintln!("  上传（{what}） {}  {}", u.file.rel, size(u.file.size));
    }
    for rel in &plan.deletes {
        eprintln!("  删除 {rel}");
    }
    eprintln!(
        "试运行（没有改动 {target}）：要上传 {} 个文件（{}），{} 个不变，要删除 {} 个",
        plan.uploads.len(),
        size(plan.upload_bytes()),
        plan.unchanged,
        plan.deletes.len()
    );
    if plan.deletes_too_many() {
        eprintln!(
            "  要删除的超过存储桶里 {} 个对象的三成：真正发布时要加上 --allow-delete",
            plan.existing
        );
    }
}

/// `qili deploy` finished: one line.
pub fn deployed(s: &crate::deploy::Summary, target: &str) {
    eprintln!(
        "发布完成（{target}）：上传 {} 个（{}），不变 {} 个，删除 {} 个，用时 {:.1} 秒",
        s.uploaded,
        size(s.bytes),
        s.unchanged,
        s.deleted,
        s.elapsed.as_secs_f64()
    );
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / 1024.0 / 1024.0),
        b => format!("{:.1} KB", b as f64 / 1024.0),
    }
}

/// `qili init` made a new site in `dir`.
pub fn initialized(dir: &Path, files: &[String]) {
    let drafts = files.iter().filter(|f| f.starts_with("content/")).count();
    eprintln!(
        "已新建站点 {}：site.yaml、{drafts} 篇内容（草稿和课程）、默认主题、给编辑的说明 README.md",
        dir.display()
    );
    eprintln!(
        "下一步：在 site.yaml 里写上本镇的村（社区），然后运行 qili serve --root {} 预览",
        dir.display()
    );
}
