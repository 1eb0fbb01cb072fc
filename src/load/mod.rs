//! Stage 1, load: find the sources under `content/`, read them, and read `site.yaml`.
//!
//! Nothing here knows what a lesson or a notice means; it only hands clean text (UTF-8, no BOM,
//! `\n` line ends) with its path to the model stage.

pub mod assets;
pub mod frontmatter;

use crate::diagnostics::{display_path, Diagnostic, LineIndex};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Larger sources are refused: no town notice is this long, and a stray data file should not
/// stall the build.
pub const MAX_SOURCE_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Lesson,
    Regulation,
    Notice,
}

impl Kind {
    /// Every kind, in the order their folders are read.
    pub const ALL: [Kind; 3] = [Kind::Lesson, Kind::Regulation, Kind::Notice];

    pub fn folder(self) -> &'static str {
        match self {
            Kind::Lesson => "lessons",
            Kind::Regulation => "regulations",
            Kind::Notice => "notices",
        }
    }

    pub fn from_folder(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == name)
    }
}

/// One Markdown source, read and cleaned.
#[derive(Debug, Clone)]
pub struct Source {
    pub kind: Kind,
    /// Path relative to `content/`, `/`-separated: the key for `@/…` links.
    pub key: String,
    /// Path relative to the site root, for messages (`content/lessons/a.md`).
    pub file: String,
    pub path: PathBuf,
    pub text: String,
}

/// Finds and reads every source under `root/content`, in a stable order.
pub fn sources(root: &Path) -> (Vec<Source>, Vec<Diagnostic>) {
    let content = crate::layout::content(root);
    let mut found = Vec::new();
    let mut problems = Vec::new();
    if !content.is_dir() {
        problems.push(
            Diagnostic::error("E109", "content", "没有 content 目录")
                .hint("在站点根目录建 content/lessons、content/regulations、content/notices"),
        );
        return (Vec::new(), problems);
    }
    // Symlinks are not followed but refused: a link could lead outside the site (and publish
    // whatever it points to) or loop forever. The site root's own `content` may be a link.
    let root_real = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let walker = WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(unreadable_entry(root, &e));
                continue;
            }
        };
        let path = entry.path();
        let file = display_path(root, path);
        if entry.depth() > 0 && entry.path_is_symlink() {
            problems.push(symlink_problem(&root_real, path, file));
            continue;
        }
        if !entry.file_type().is_file() || path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let rel = display_path(&content, path);
        let top = rel.split('/').next().unwrap_or("");
        match Kind::from_folder(top) {
            Some(kind) if rel.contains('/') => found.push((kind, rel, file, path.to_path_buf())),
            _ => problems.push(
                Diagnostic::warning("W112", file, "不在 lessons、regulations、notices 目录中，已跳过")
                    .hint("课程放 content/lessons/，村规民约放 content/regulations/，公开放 content/notices/"),
            ),
        }
    }
    let sources = read_all(found, &mut problems);
    (sources, problems)
}

/// A file or folder the walk could not enter (no permission, gone meanwhile): named, and the
/// walk goes on, so one unreadable file does not hide every other problem.
fn unreadable_entry(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let file = e
        .path()
        .map(|p| display_path(root, p))
        .unwrap_or_else(|| "content".into());
    let why = match e.io_error().map(std::io::Error::kind) {
        Some(std::io::ErrorKind::PermissionDenied) => "没有读取权限",
        Some(std::io::ErrorKind::NotFound) => "不见了（可能刚被移走或删除）",
        _ => "读取失败",
    };
    let detail = e
        .io_error()
        .map(|io| format!("（{io}）"))
        .unwrap_or_default();
    Diagnostic::error("E109", file, format!("读不了这个文件或目录：{why}{detail}"))
        .hint("检查文件和目录的权限是否允许读取")
}

/// Reads the found files in parallel (reading is most of loading a large site), keeping the
/// walk's order for the sources and adding a problem for each that cannot be used.
fn read_all(
    found: Vec<(Kind, String, String, PathBuf)>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Source> {
    let results: Vec<Result<Source, Diagnostic>> = found
        .into_par_iter()
        .map(|(kind, key, file, path)| {
            let text = read_source(&path, &file)?;
            Ok(Source {
                kind,
                key,
                file,
                path,
                text,
            })
        })
        .collect();
    let mut sources = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(s) => sources.push(s),
            Err(d) => problems.push(d),
        }
    }
    sources
}

/// Reads one source and returns clean text, or a diagnostic for content no editor should have
/// to puzzle over (binary data, a wrong encoding, a huge file).
pub fn read_source(path: &Path, file: &str) -> Result<String, Diagnostic> {
    // One open for the size and the bytes: a second lookup of the path per source showed in
    // a 10,000-source load.
    let mut handle = std::fs::File::open(path).map_err(|e| io_problem(file, &e))?;
    let meta = handle.metadata().map_err(|e| io_problem(file, &e))?;
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(Diagnostic::error(
            "E110",
            file,
            format!(
                "文件太大：{} KB，上限 {} KB",
                meta.len() / 1024,
                MAX_SOURCE_BYTES / 1024
            ),
        )
        .hint("一篇课程或公开不会这么长；检查是不是放错了文件，或拆成几篇"));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::io::Read::read_to_end(&mut handle, &mut bytes).map_err(|e| io_problem(file, &e))?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
            let (line, column) = LineIndex::new(prefix).position(valid);
            // No error length: the bytes are a valid start of a character the file cuts off.
            if e.utf8_error().error_len().is_none() {
                return Err(Diagnostic::error(
                    "E108",
                    file,
                    "文件在一个字的中间结束了，可能没有保存完整",
                )
                .at(line, column)
                .hint("用编辑器打开，补全最后一个字后重新保存"));
            }
            return Err(Diagnostic::error("E108", file, "文件不是 UTF-8 编码")
                .at(line, column)
                .hint("用编辑器把文件另存为 UTF-8（不要用 GBK/GB2312）"));
        }
    };
    if let Some(pos) = text.find('\0') {
        let (line, column) = LineIndex::new(&text).position(pos);
        return Err(
            Diagnostic::error("E108", file, "文件里有 NUL 空字符，可能不是文本文件")
                .at(line, column)
                .hint("删掉这个字符，或检查文件是否损坏"),
        );
    }
    Ok(clean_owned(text))
}

fn io_problem(file: &str, e: &std::io::Error) -> Diagnostic {
    use std::io::ErrorKind;
    let why = match e.kind() {
        ErrorKind::PermissionDenied => "没有读取权限",
        ErrorKind::NotFound => "文件不见了（可能刚被移走或删除）",
        ErrorKind::IsADirectory => "这是一个目录",
        _ => "读取失败",
    };
    Diagnostic::error("E109", file, format!("读不了这个文件：{why}（{e}）"))
        .hint("检查文件是否存在、权限是否允许读取")
}

/// A symbolic link under `content/`: always an error, naming where it leads.
fn symlink_problem(root_real: &Path, path: &Path, file: String) -> Diagnostic {
    let target = std::fs::read_link(path)
        .map(|t| t.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "?".into());
    let detail = match std::fs::canonicalize(path) {
        // ELOOP and a missing target both end here.
        Err(_) => format!("它指向的「{target}」打不开：链接绕成了圈，或者目标不存在"),
        Ok(real) => {
            let home = path
                .parent()
                .and_then(|p| std::fs::canonicalize(p).ok())
                .unwrap_or_default();
            if real.is_dir() && home.starts_with(&real) {
                format!("它指向包含它自己的目录「{target}」，会绕成一个圈")
            } else if !real.starts_with(root_real) {
                format!("它指向站点以外的「{}」", real.display())
            } else {
                format!("它指向站点里的「{}」", display_path(root_real, &real))
            }
        }
    };
    Diagnostic::error("E111", file, format!("符号链接不被支持：{detail}")).hint(
        "删掉这个链接，把文件本身复制进 content/：链接可能把站点以外的文件发布出去，或者绕成圈",
    )
}

/// Drops a UTF-8 BOM and turns CRLF and lone CR into LF, keeping line numbers intact.
pub fn clean_text(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    }
}

/// [`clean_text`] that keeps the read text when it is already clean, as nearly every source
/// is: copying every source once more was tens of megabytes at 10,000 pages.
fn clean_owned(text: String) -> String {
    if text.starts_with('\u{feff}') || text.contains('\r') {
        clean_text(&text)
    } else {
        text
    }
}

/// Editors' swap, backup and temporary files, and hidden files: never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.starts_with('~')
        || name.ends_with('~')
        || name == "4913"
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".bak",
            ".part",
            ".crdownload",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_strips_bom_and_crlf() {
        assert_eq!(clean_text("\u{feff}a\r\nb\rc"), "a\nb\nc");
    }

    #[test]
    fn editor_junk_is_ignored() {
        for name in [".a.md.swp", "a.md~", "#a.md#", ".#a.md", "4913", "a.md.tmp"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("a.md"));
    }

    #[test]
    fn invalid_utf8_points_at_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.md");
        std::fs::write(&p, b"---\ntitle: \xff\n").unwrap();
        let d = read_source(&p, "x.md").unwrap_err();
        assert_eq!((d.code, d.line), ("E108", 2));
    }
}
