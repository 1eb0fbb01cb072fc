//! What the form makes of a file, and writing it: only a `.md` file directly in the folder of
//! its kind under `content/` (not in a folder below it), named by the static server's path rules; atomically (a temporary file
//! beside it, then a rename), and an existing file only if it is still the one the form was
//! opened with. A new file is named as `qili new` names it and never replaces another.

use super::form::Document;
use super::{hash, kind_name, HttpError, Submitted};
use crate::load::Kind;
use crate::model::Site;
use crate::serve::shared::DeskAccess;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The text a form makes, and where it goes.
pub struct Composed {
    pub kind: Kind,
    /// Path under `content/` (`notices/a.md`).
    pub key: String,
    pub path: PathBuf,
    pub doc: Document,
    /// The file's bytes when it exists.
    pub original: Option<Vec<u8>>,
}

/// The file a request names, by the same rules as the static server's paths: each segment on
/// its own, no `..`, no separators or drive letters smuggled in, no hidden or editor's files,
/// only `.md` in the kind's folder, and nothing that leads outside `content/` through a link.
pub fn content_path(root: &Path, key: &str, kind: Kind) -> Result<PathBuf, HttpError> {
    let refuse = |why: &str| {
        Err(HttpError::new(
            403,
            format!("不能写这个文件（{key}）：{why}"),
        ))
    };
    let segments: Vec<&str> = key.split('/').collect();
    if segments.len() != 2 || segments.iter().any(|s| s.is_empty()) {
        return refuse("要写成 notices/文件名.md 这样");
    }
    for seg in &segments {
        if crate::serve::files::bad_segment(seg) || crate::load::is_ignored_name(seg) {
            return refuse("路径里有不允许的部分");
        }
    }
    if segments[0] != kind.folder() {
        return refuse(&format!("这类文件只能放在 content/{}/ 里", kind.folder()));
    }
    if !key.ends_with(".md") {
        return refuse("只能写 .md 文件");
    }
    let content = crate::layout::content(root);
    let path = segments.iter().fold(content.clone(), |p, s| p.join(s));
    let real_content = content
        .canonicalize()
        .map_err(|e| HttpError::new(500, format!("找不到 content 目录：{e}")))?;
    let parent = path.parent().unwrap_or(&content);
    match parent.canonicalize() {
        Ok(real) if real.starts_with(&real_content) => {}
        Ok(_) => return refuse("它在 content/ 以外"),
        Err(_) => return refuse("目录不存在"),
    }
    match std::fs::symlink_metadata(&path) {
        Ok(m) if !m.file_type().is_file() => refuse("它不是一个普通文件"),
        _ => Ok(path),
    }
}

/// The document the form describes: the file being edited with the form's changes, or a new
/// one started from what `qili new` writes.
pub fn compose(root: &Path, site: &Site, sub: &Submitted) -> Result<Composed, HttpError> {
    let kind = sub.kind()?;
    let (key, path, mut doc, original) = match &sub.file {
        Some(key) => {
            let (path, doc, bytes) = read_editable(root, key, kind)?;
            (key.clone(), path, doc, Some(bytes))
        }
        None => {
            let (key, text) = new_text(root, site, kind, &sub.fields)?;
            let path = content_path(root, &key, kind)?;
            let doc = Document::parse(&text)
                .ok_or_else(|| HttpError::new(500, "qili new 的模板不对".to_string()))?;
            (key, path, doc, None)
        }
    };
    doc.apply(kind, &sub.fields)
        .map_err(|e| HttpError::new(422, e))?;
    Ok(Composed {
        kind,
        key,
        path,
        doc,
        original,
    })
}

/// The key and text of a new document, as `qili new` would write it with the form's title and
/// village: named after them, the first name not taken.
fn new_text(
    root: &Path,
    site: &Site,
    kind: Kind,
    fields: &std::collections::BTreeMap<String, String>,
) -> Result<(String, String), HttpError> {
    let title = fields.get("title").map(|t| t.trim()).unwrap_or("");
    let village = match fields
        .get("village")
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
    {
        Some(id) => Some(
            site.config
                .village(id)
                .ok_or_else(|| HttpError::new(400, format!("村（社区）「{id}」不存在")))?,
        ),
        None if kind == Kind::Lesson => None,
        None => return Err(HttpError::new(400, "先选择村（社区）")),
    };
    let base = crate::scaffold::base_name(kind, village, title);
    let dir = crate::layout::content(root).join(kind.folder());
    let name = (1..1000)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|name| !dir.join(format!("{name}.md")).exists())
        .ok_or_else(|| HttpError::new(409, "同名的文件太多了，换一个标题".to_string()))?;
    let text = crate::scaffold::text(kind, title, &name, site.today, village, &site.config);
    Ok((format!("{}/{name}.md", kind.folder()), text))
}

/// `POST /_qili/desk/save`. An existing file is held from reading it to replacing it, so of
/// several saves made from the same version exactly one is written, and the others are told
/// (409) and given the newer text.
pub fn save(
    root: &Path,
    site: &Site,
    sub: &Submitted,
    desk: &DeskAccess,
) -> Result<serde_json::Value, HttpError> {
    let _held = match &sub.file {
        Some(key) => Some(desk.hold(&content_path(root, key, sub.kind()?)?)),
        None => None,
    };
    let c = compose(root, site, sub)?;
    let text = c.doc.text();
    match &c.original {
        Some(bytes) => {
            let now = hash(bytes);
            if sub.base.as_deref() != Some(now.as_str()) {
                return Err(HttpError {
                    newer: Some((String::from_utf8_lossy(bytes).into_owned(), now)),
                    ..HttpError::new(
                        409,
                        format!(
                            "content/{} 在你打开表单之后被改过了（可能是别人，或者别的编辑器）。为了不把那些修改盖掉，这次没有保存。点「重新载入」看看现在的内容，再把你的修改填进去。",
                            c.key
                        ),
                    )
                });
            }
            write_atomically(&c.path, text.as_bytes(), true)
        }
        None => write_atomically(&c.path, text.as_bytes(), false),
    }
    .map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => HttpError::new(
            409,
            format!("content/{} 刚刚被别人建好了：再点一次保存，会换一个文件名", c.key),
        ),
        _ => HttpError::new(500, format!("保存 content/{} 失败：{e}", c.key)),
    })?;
    Ok(serde_json::json!({
        "file": c.key,
        "kind": kind_name(c.kind),
        "base": hash(text.as_bytes()),
        "message": format!("已保存到 content/{}", c.key),
    }))
}

/// Writes a temporary file beside `path` and renames it over (`replace`) or to (a new file,
/// never over another) `path`, so a reader sees the old file or the new one, never half.
fn write_atomically(path: &Path, bytes: &[u8], replace: bool) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    // A hidden `.tmp` name: the watcher and the build skip it.
    let mut tmp = tempfile::Builder::new()
        .prefix(".qili-desk-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    if let Some(p) = permissions(path, replace) {
        tmp.as_file().set_permissions(p)?;
    }
    if replace {
        tmp.persist(path).map_err(|e| e.error)?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| e.error)?;
    }
    Ok(())
}

/// A replaced file keeps its permissions; a new one is readable by all, as editors make them.
fn permissions(path: &Path, replace: bool) -> Option<std::fs::Permissions> {
    match std::fs::metadata(path) {
        Ok(m) if replace => Some(m.permissions()),
        _ => new_file_permissions(),
    }
}

#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    None
}

/// The source `content/{key}` as the form edits it: its path, its front matter and body, and
/// its bytes as read (what a save compares with). Refused with what to do when the form cannot
/// edit it: too big, not UTF-8, no front matter.
pub(super) fn read_editable(
    root: &Path,
    key: &str,
    kind: Kind,
) -> Result<(PathBuf, Document, Vec<u8>), HttpError> {
    let path = content_path(root, key, kind)?;
    let bytes = std::fs::read(&path)
        .map_err(|e| HttpError::new(404, format!("读不了 content/{key}：{e}")))?;
    if bytes.len() as u64 > crate::load::MAX_SOURCE_BYTES {
        return Err(HttpError::new(
            413,
            format!("content/{key} 太大，表单不能编辑"),
        ));
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        HttpError::new(
            422,
            format!("content/{key} 不是 UTF-8 编码，表单不能编辑：请先用编辑器另存为 UTF-8"),
        )
    })?;
    let doc = Document::parse(text).ok_or_else(|| {
        HttpError::new(
            422,
            format!("content/{key} 开头没有 --- 包起来的字段，表单不能编辑"),
        )
    })?;
    Ok((path, doc, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_md_files_of_the_kinds_folder_under_content() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/notices")).unwrap();
        std::fs::create_dir_all(root.join("content/lessons")).unwrap();
        // A folder below the kind's folder is not written into, even when it exists.
        std::fs::create_dir_all(root.join("content/notices/sub")).unwrap();
        assert!(content_path(root, "notices/a.md", Kind::Notice).is_ok());
        for bad in [
            "../site.yaml",
            "notices/../../x.md",
            "notices/../lessons/a.md",
            "/etc/passwd",
            "notices//a.md",
            "notices/a.txt",
            "notices/.a.md",
            "notices/a.md~",
            "notices/%2e%2e/a.md",
            "notices/a\\..\\b.md",
            "lessons/a.md",
            "notices/sub/a.md",
            "a.md",
            "notices/C:a.md",
        ] {
            assert!(
                content_path(root, bad, Kind::Notice).is_err(),
                "{bad} was not refused"
            );
        }
        // A link out of content/ is refused, whether it is the folder or the file.
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("content/notices/out")).unwrap();
        assert!(content_path(root, "notices/out/a.md", Kind::Notice).is_err());
        std::os::unix::fs::symlink(
            outside.path().join("x.md"),
            root.join("content/notices/l.md"),
        )
        .unwrap();
        assert!(content_path(root, "notices/l.md", Kind::Notice).is_err());
    }

    #[test]
    fn a_new_file_never_replaces_another() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "old").unwrap();
        assert!(write_atomically(&path, b"new", false).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        write_atomically(&path, b"new", true).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
    }
}
