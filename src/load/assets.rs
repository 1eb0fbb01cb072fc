//! The theme's static files (`themes/<t>/static/`), read once and named by content hash.

use crate::diagnostics::{display_path, Diagnostic};
use crate::Error;
use std::collections::BTreeMap;
use std::path::Path;

/// The default theme's search script, for a theme made before search had one.
const SEARCH_JS: &[u8] = include_bytes!("../../themes/default/static/search.js");

/// The search data format a search script declares (`var FORMAT = 2;`), and its line.
fn script_format(script: &[u8]) -> Option<(u32, usize)> {
    let text = std::str::from_utf8(script).ok()?;
    text.lines().enumerate().find_map(|(i, line)| {
        let n = line
            .trim()
            .strip_prefix("var FORMAT = ")?
            .strip_suffix(';')?;
        Some((n.parse().ok()?, i + 1))
    })
}

/// Theme static files with a content hash in their names (`style.css` → `style.1a2b3c4d.css`),
/// so WeChat's aggressive cache never serves a stale style after an update.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    /// Name under `static/` → site-relative output path.
    pub urls: BTreeMap<String, String>,
    files: Vec<(String, Vec<u8>)>,
    /// What the editor is told about files qili added (W404).
    notes: Vec<Diagnostic>,
}

impl Assets {
    pub fn load(dir: &Path) -> Result<Assets, Error> {
        let mut assets = Assets::default();
        if !dir.is_dir() {
            return Ok(assets);
        }
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
            let name = entry.file_name().to_string_lossy();
            if !entry.file_type().is_file() || super::is_ignored_name(&name) {
                continue;
            }
            let rel = display_path(dir, entry.path());
            let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            assets.add(rel, bytes);
        }
        Ok(assets)
    }

    /// The static files of `themes/<theme>/` for a build. With search on, a theme without
    /// `search.js` (made before search) gets the default theme's, and the editor is told once:
    /// an upgrade of qili must not break a site that built before.
    pub fn for_site(root: &Path, theme: &str, search: bool) -> Result<Assets, Error> {
        let dir = crate::layout::theme_static(root, theme);
        let mut assets = Assets::load(&dir)?;
        if search && !assets.urls.contains_key("search.js") {
            assets.add("search.js".into(), SEARCH_JS.to_vec());
            let missing = display_path(root, &dir.join("search.js"));
            assets.notes.push(
                Diagnostic::warning(
                    "W404",
                    missing.clone(),
                    "主题没有搜索脚本 search.js，已使用 qili 内置的脚本（与默认主题的相同）",
                )
                .hint(format!(
                    "要自己改搜索脚本，从 qili 的源码里把默认主题的 themes/default/static/search.js \
                     复制到 {missing} 再改，这条提示就不再出现；不要搜索，在 site.yaml 写 search: false"
                )),
            );
        } else if search {
            // A theme that copied the default script keeps its copy when qili's search data
            // changes shape: its readers would only be told that search does not work.
            let bytes = assets.bytes("search.js").unwrap_or_default();
            let (theirs, ours) = (script_format(bytes), script_format(SEARCH_JS));
            if let (Some((theirs, line)), Some((ours, _))) = (theirs, ours) {
                if theirs != ours {
                    let file = display_path(root, &dir.join("search.js"));
                    assets.notes.push(
                        Diagnostic::warning(
                            "W405",
                            file.clone(),
                            format!(
                                "主题的搜索脚本 search.js 是旧版本（数据格式 {theirs}），qili 生成的搜索数据是格式 \
                                 {ours}：读者搜索时只会看到\"搜索暂时用不了\""
                            ),
                        )
                        .at(line, 1)
                        .hint(format!(
                            "从 qili 的源码里把默认主题的 themes/default/static/search.js 复制到 {file}，\
                             覆盖旧的；改过旧脚本的话，把改动再做到新脚本上"
                        )),
                    );
                }
            }
        }
        Ok(assets)
    }

    /// The bytes of `rel` under `static/`.
    fn bytes(&self, rel: &str) -> Option<&[u8]> {
        let out = self.urls.get(rel)?;
        self.files
            .iter()
            .find(|(o, _)| o == out)
            .map(|(_, b)| &b[..])
    }

    /// `rel` under `static/`, named by a hash of its bytes.
    fn add(&mut self, rel: String, bytes: Vec<u8>) {
        let hash = blake3::hash(&bytes).to_hex();
        let hashed = match rel.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{}.{ext}", &hash[..10]),
            _ => format!("{rel}.{}", &hash[..10]),
        };
        let out = format!("static/{hashed}");
        self.urls.insert(rel, out.clone());
        self.files.push((out, bytes));
    }

    /// Files qili supplied because the theme lacks them, one finding each.
    pub fn notes(&self) -> &[Diagnostic] {
        &self.notes
    }

    /// Hashed output path and bytes of each file, for the output stage to write.
    pub fn files(&self) -> &[(String, Vec<u8>)] {
        &self.files
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}
