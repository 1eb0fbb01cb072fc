//! From the form to the file and back. A file is split into its front matter and its body as
//! it is on disk (BOM and CRLF kept); the form's values are compared with the file's, and only
//! the fields that differ are written (see [`super::yaml`]). The body is kept byte for byte
//! unless the form changed it.

use super::fields::{self, Input};
use super::yaml::Front;
use crate::load::Kind;
use std::collections::BTreeMap;

/// A source as it is on disk.
#[derive(Debug, Clone)]
pub struct Document {
    bom: bool,
    crlf: bool,
    /// The opening `---` line and the closing one, as in the file.
    open: String,
    close: String,
    /// The front matter with `\n` line ends.
    pub yaml: String,
    /// The body, untouched.
    body: String,
}

impl Document {
    /// `None` when the text has no front matter to edit.
    pub fn parse(text: &str) -> Option<Document> {
        let bom = text.starts_with('\u{feff}');
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let crlf = text.contains("\r\n");
        let mut lines = text.split_inclusive('\n');
        let open = lines.next()?;
        if open.trim_end() != "---" {
            return None;
        }
        let mut yaml = String::new();
        let mut at = open.len();
        for line in lines {
            at += line.len();
            let t = line.trim_end();
            if t == "---" || t == "..." {
                return Some(Document {
                    bom,
                    crlf,
                    open: open.to_string(),
                    close: line.to_string(),
                    yaml: yaml.replace("\r\n", "\n"),
                    body: text[at..].to_string(),
                });
            }
            yaml.push_str(line);
        }
        None
    }

    pub fn text(&self) -> String {
        let yaml = if self.crlf {
            self.yaml.replace('\n', "\r\n")
        } else {
            self.yaml.clone()
        };
        let bom = if self.bom { "\u{feff}" } else { "" };
        format!("{bom}{}{yaml}{}{}", self.open, self.close, self.body)
    }

    /// The body as the form's text area shows it: `\n` line ends, without the blank line that
    /// usually follows the front matter.
    pub fn body_text(&self) -> String {
        let body = self.body.replace("\r\n", "\n");
        body.strip_prefix('\n').unwrap_or(&body).to_string()
    }

    /// Puts the text area's `text` in as the body, unless it is what the body already says.
    fn set_body(&mut self, text: &str) {
        let text = text.replace("\r\n", "\n");
        if text == self.body_text() {
            return;
        }
        let mut body = String::new();
        if self.body.starts_with('\n') || self.body.starts_with("\r\n") {
            body.push('\n');
        }
        body.push_str(&text);
        if !body.ends_with('\n') {
            body.push('\n');
        }
        self.body = if self.crlf {
            body.replace('\n', "\r\n")
        } else {
            body
        };
    }

    /// The form's values, to fill it in.
    pub fn values(&self, kind: Kind) -> Result<BTreeMap<&'static str, String>, String> {
        fields::values(kind, &self.yaml)
    }

    /// Writes what the form says into the document: the fields that differ from the file, and
    /// the body if it changed. Form fields not sent are left alone.
    pub fn apply(&mut self, kind: Kind, form: &BTreeMap<String, String>) -> Result<(), String> {
        let now = self
            .values(kind)
            .map_err(|e| format!("文件开头的字段（front matter）有错误，表单读不了：{e}"))?;
        let all: Vec<&'static fields::Field> = fields::all(kind).collect();
        let order: Vec<&str> = all.iter().map(|f| f.path).collect();
        let mut front = Front::new(&self.yaml);
        let mut redo: Vec<String> = Vec::new();
        for f in &all {
            let Some(sent) = form.get(f.path) else {
                continue;
            };
            let want = f.input.normalize(sent);
            let have = now.get(f.path).map(String::as_str).unwrap_or("");
            let forced = redo
                .iter()
                .any(|p| f.path == p || f.path.starts_with(&format!("{p}.")));
            if want == have && !forced {
                continue;
            }
            if let Some(prefix) = write(&mut front, f, &want, &order)? {
                // `qili new` left this part commented out: it is back with the template's
                // values, which every field of the form under it now replaces.
                for g in all
                    .iter()
                    .filter(|g| g.path.starts_with(&format!("{prefix}.")))
                {
                    if let Some(sent) = form.get(g.path) {
                        write(&mut front, g, &g.input.normalize(sent), &order)?;
                    }
                }
                redo.push(prefix);
            }
        }
        self.yaml = front.text();
        if let Some(body) = form.get(fields::BODY) {
            self.set_body(body);
        }
        Ok(())
    }

    /// The dotted path of each front-matter key, by its line in the file.
    pub fn field_lines(&self) -> Vec<(usize, String)> {
        // The front matter starts on the file's second line.
        Front::new(&self.yaml)
            .paths()
            .into_iter()
            .map(|(i, p)| (i + 2, p))
            .collect()
    }

    /// The file line the body starts on.
    pub fn body_line(&self) -> usize {
        self.yaml.lines().count() + 3
    }
}

/// One field into the front matter: set, or taken out when emptied (an unticked box is taken
/// out only where it was written).
pub(super) fn write(
    front: &mut Front,
    f: &fields::Field,
    want: &str,
    order: &[&str],
) -> Result<Option<String>, String> {
    let path: Vec<&str> = f.path.split('.').collect();
    if want.is_empty() || (f.input == Input::Bool && want == "false" && !front_has(front, &path)) {
        front.remove(&path);
        return Ok(None);
    }
    front.set(&path, &f.input.yaml(want), order)
}

fn front_has(front: &Front, path: &[&str]) -> bool {
    let joined = path.join(".");
    front.paths().iter().any(|(_, p)| *p == joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const NOTICE: &str = "---\r\ntitle: 修渠   # 标题\r\nvillage: dongling\r\nkind: 公益事业\r\nsteps:\r\n  resolution: {meeting: 村民代表会议, date: 2026-04-08, expected: 35, present: 30, for: 15}\r\n---\r\n\r\n正文第一行\r\n\r\n  第二段，行尾有空格  \r\n";

    #[test]
    fn a_changed_count_changes_that_count_only() {
        let mut d = Document::parse(NOTICE).unwrap();
        d.apply(
            Kind::Notice,
            &form(&[
                ("title", "修渠"),
                ("steps.resolution.for", "16"),
                ("body", "正文第一行\n\n  第二段，行尾有空格  \n"),
            ]),
        )
        .unwrap();
        assert_eq!(d.text(), NOTICE.replace("for: 15", "for: 16"));
    }

    #[test]
    fn a_changed_body_keeps_the_files_line_ends() {
        let mut d = Document::parse(NOTICE).unwrap();
        d.apply(Kind::Notice, &form(&[("body", "新的正文")]))
            .unwrap();
        assert!(
            d.text().ends_with("---\r\n\r\n新的正文\r\n"),
            "{:?}",
            d.text()
        );
    }

    #[test]
    fn unticked_boxes_are_not_written_where_there_were_none() {
        let mut d = Document::parse(NOTICE).unwrap();
        d.apply(Kind::Notice, &form(&[("draft", "false"), ("contact", "")]))
            .unwrap();
        assert_eq!(d.text(), NOTICE);
    }
}
