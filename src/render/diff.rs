//! What changed between two versions of a regulation, article by article, as a villager would
//! say it: 新增第五条, 删除原第七条, 修改第三条.

use crate::markdown::{chinese_number, Article};
use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffOp};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Change {
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    pub label: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

pub fn articles(old: &[Article], new: &[Article]) -> Vec<Change> {
    let old_texts: Vec<&str> = old.iter().map(|a| a.text.as_str()).collect();
    let new_texts: Vec<&str> = new.iter().map(|a| a.text.as_str()).collect();
    let mut out = Vec::new();
    let n = |i: usize| chinese_number(i + 1);
    let removed = |i: usize| Change {
        kind: "removed",
        label: format!("删除原第{}条", n(i)),
        old: Some(old_texts[i].to_string()),
        new: None,
    };
    let added = |i: usize| Change {
        kind: "added",
        label: format!("新增第{}条", n(i)),
        old: None,
        new: Some(new_texts[i].to_string()),
    };
    for op in capture_diff_slices(Algorithm::Myers, &old_texts, &new_texts) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => out.extend((old_index..old_index + old_len).map(removed)),
            DiffOp::Insert {
                new_index, new_len, ..
            } => out.extend((new_index..new_index + new_len).map(added)),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                // Pair the replaced articles one to one; what is left over was added or removed.
                let paired = old_len.min(new_len);
                out.extend((0..paired).map(|k| {
                    let (o, w) = (old_index + k, new_index + k);
                    let label = if o == w {
                        format!("修改第{}条", n(w))
                    } else {
                        format!("修改第{}条（原第{}条）", n(w), n(o))
                    };
                    Change {
                        kind: "changed",
                        label,
                        old: Some(old_texts[o].to_string()),
                        new: Some(new_texts[w].to_string()),
                    }
                }));
                out.extend((old_index + paired..old_index + old_len).map(removed));
                out.extend((new_index + paired..new_index + new_len).map(added));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arts(texts: &[&str]) -> Vec<Article> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Article {
                number: i + 1,
                chapter: String::new(),
                text: t.to_string(),
            })
            .collect()
    }

    #[test]
    fn added_removed_and_changed_articles_are_named() {
        let old = arts(&["甲", "乙", "丙"]);
        let new = arts(&["甲", "乙改", "丙", "丁"]);
        let d = articles(&old, &new);
        let labels: Vec<&str> = d.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["修改第二条", "新增第四条"]);
        let d = articles(&new, &old);
        assert!(d.iter().any(|c| c.label == "删除原第四条"));
        assert!(articles(&old, &old).is_empty());
    }
}
