//! Findings about the user's input, and how they are shown.
//!
//! Every stage reports problems in the user's files as [`Diagnostic`]s and keeps going, so an
//! editor sees all of them in one run. Internal failures (I/O on the output folder and the like)
//! are [`crate::Error`]s instead. Codes are stable: tests, editors' notes and the JSON output of
//! `qili check` rely on them.
//!
//! Code ranges:
//! - `E0xx` site.yaml
//! - `E1xx` reading files and front matter
//! - `E2xx` the site model (slugs, URLs, audiences, villages, links)
//! - `E3xx`/`W3xx` the law (四议两公开, 村规民约, 村务公开)
//! - `E4xx`/`W4xx` templates and theme files
//! - `E5xx` writing output
//! - `E6xx` publishing (`qili deploy`)
//!
//! [`codes`] lists every code with its severity and meaning; a new code takes its number there.

pub mod codes;

use serde::Serialize;
use std::fmt;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators, as the user would type it.
    pub file: String,
    /// 1-based; 0 when the finding concerns the whole file.
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The law or rule the finding rests on, e.g. `《村民委员会组织法》第二十六条`.
    pub law: Option<String>,
    /// How to fix it. Shown in text output only.
    #[serde(skip)]
    pub hint: Option<String>,
    /// The front-matter field it concerns (dotted path, `steps.resolution.for`), when a check
    /// named one: the editors' desk shows the finding next to that field.
    #[serde(skip)]
    pub field: Option<String>,
    /// What is missing, in a secretary's words and with the number needed ("还差 3 人：…"),
    /// for the editors' desk.
    #[serde(skip)]
    pub plain: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(code, Severity::Error, file.into(), message.into())
    }

    pub fn warning(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::new(code, Severity::Warning, file.into(), message.into())
    }

    /// A finding whose severity is the one `codes.rs` registers for `code` (tests/suite/codes.rs
    /// keeps every code the source uses registered; an unregistered one counts as an error).
    pub fn registered(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let severity = codes::lookup(code).map_or(Severity::Error, |c| c.severity);
        Diagnostic::new(code, severity, file.into(), message.into())
    }

    fn new(code: &'static str, severity: Severity, file: String, message: String) -> Self {
        // Readers take the severity from the code's letter (the text output shows no other).
        let letter = match severity {
            Severity::Error => 'E',
            Severity::Warning => 'W',
        };
        debug_assert!(
            code.starts_with(letter),
            "{code} reported as {severity:?}: E codes are errors, W codes warnings"
        );
        Diagnostic {
            code,
            severity,
            file,
            line: 0,
            column: 0,
            message,
            law: None,
            hint: None,
            field: None,
            plain: None,
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn plain(mut self, plain: impl Into<String>) -> Self {
        self.plain = Some(plain.into());
        self
    }

    pub fn law(mut self, law: impl Into<String>) -> Self {
        self.law = Some(law.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// An internal failure as a finding, so the reporting layer and the preview's error page
    /// have one thing to show.
    pub fn internal(e: &crate::Error) -> Self {
        Diagnostic::internal_about(e, "qili")
    }

    /// An internal failure as a finding, placed at `subject` (a bucket, a command) when the
    /// failure names no file of its own.
    pub fn internal_about(e: &crate::Error, subject: &str) -> Self {
        let (file, line) = e.place().unwrap_or_else(|| (subject.to_string(), 0));
        Diagnostic::error(e.code(), file, e.to_string())
            .at(line, 0)
            .hint(e.hint())
    }
}

impl fmt::Display for Diagnostic {
    /// `文件:行:列 代码 说明——法律依据`, then the hint on its own line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        // Severity shows in the code itself (E… error, W… warning), as in the example.
        write!(f, " {} {}", self.code, self.message)?;
        if let Some(law) = &self.law {
            write!(f, "——{law}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n    提示：{hint}")?;
        }
        Ok(())
    }
}

/// All findings of one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.0
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sorted by file, then position, so output is stable whatever order the parallel stages
    /// finished in.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
        });
        self.0.dedup();
        self.0
    }

    pub fn to_json(&self) -> String {
        let sorted = self.clone().sorted();
        serde_json::to_string_pretty(&sorted).unwrap_or_else(|_| "[]".into())
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics(iter.into_iter().collect())
    }
}

/// A path as shown in messages: relative to the site root, `/`-separated.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

/// Maps byte offsets in a text to 1-based line and column (column counted in characters, which
/// is what an editor shows for Chinese text).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line + 1, column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_format_has_position_code_and_law() {
        let d = Diagnostic::error("E301", "content/notices/x.md", "到会人数不足")
            .at(14, 3)
            .law("《村民委员会组织法》第二十六条");
        assert_eq!(
            d.to_string(),
            "content/notices/x.md:14:3 E301 到会人数不足——《村民委员会组织法》第二十六条"
        );
    }

    #[test]
    fn json_has_exactly_the_documented_keys() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::warning("W330", "a.md", "m").hint("h"));
        let v: serde_json::Value = serde_json::from_str(&ds.to_json()).unwrap();
        let obj = v[0].as_object().unwrap();
        let mut keys: Vec<_> = obj.keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            ["code", "column", "file", "law", "line", "message", "severity"]
        );
        assert_eq!(obj["severity"], "warning");
        assert!(obj["law"].is_null());
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "E301 reported as Warning")]
    fn a_warning_with_an_error_code_is_refused() {
        // Through a constant: tests/suite/codes.rs refuses the mistake written out as a literal.
        const CODE: &str = "E301";
        let _ = Diagnostic::warning(CODE, "a.md", "m");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "W330 reported as Error")]
    fn an_error_with_a_warning_code_is_refused() {
        const CODE: &str = "W330";
        let _ = Diagnostic::error(CODE, "a.md", "m");
    }

    #[test]
    fn line_index_counts_chinese_columns_in_chars() {
        let text = "第一行\n第二行abc";
        let idx = LineIndex::new(text);
        let off = text.find('a').unwrap();
        assert_eq!(idx.position(off), (2, 4));
        assert_eq!(idx.position(0), (1, 1));
    }
}
