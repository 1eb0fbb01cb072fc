//! What changed between two versions of a regulation, article by article, as a villager would
//! say it: 新增第五条, 删除原第七条, 修改第三条.

use crate::markdown::{chinese_number, Article};
use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffOp};

// The doc comments are the README's 模板变量 text, as in `render::views`.
/// 和上一版相比的一处改动（`page.diff.items` 的每一项）。
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Change {
    /// `added`（新增）、`removed`（删除）或 `changed`（修改）。
    pub kind: &'static str,
    /// 怎么说这处改动，例如"新增第五条"、"删除原第七条"、"修改第三条"。
    pub label: String,
    /// 上一版的条文；新增的为空。
    pub old: Option<String>,
    /// 这一版的条文；删除的为空。
    pub new: Option<String>,
}

/// Below this share of common characters two articles are different articles, not versions of
/// one.
const MIN_SIMILARITY: f32 = 0.5;

/// A text with its characters sorted, to count the characters two texts share by merging.
struct Text<'a> {
    text: &'a str,
    sorted: Vec<char>,
}

impl<'a> Text<'a> {
    fn new(text: &'a str) -> Self {
        let mut sorted: Vec<char> = text.chars().collect();
        sorted.sort_unstable();
        Text { text, sorted }
    }
}

/// How many characters `a` and `b` have in common, counting repeats.
fn shared_chars(a: &[char], b: &[char]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

fn similarity(a: &Text, b: &Text) -> f32 {
    // The characters two texts share bound how similar they can be; most pairs of different
    // articles are ruled out by that count alone, without the costlier character diff.
    let total = a.sorted.len() + b.sorted.len();
    let shared = shared_chars(&a.sorted, &b.sorted);
    if total == 0 || (2 * shared) as f32 / (total as f32) < MIN_SIMILARITY {
        return 0.0;
    }
    similar::TextDiff::from_chars(a.text, b.text).ratio()
}

pub fn articles(old: &[Article], new: &[Article]) -> Vec<Change> {
    let old_texts: Vec<&str> = old.iter().map(|a| a.text.as_str()).collect();
    let new_texts: Vec<&str> = new.iter().map(|a| a.text.as_str()).collect();
    // Sorted once here: an article is compared with several of the other version's.
    let old_sorted: Vec<Text> = old_texts.iter().map(|t| Text::new(t)).collect();
    let new_sorted: Vec<Text> = new_texts.iter().map(|t| Text::new(t)).collect();
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
                // Pair a new article with the most similar old one still unpaired (keeping
                // order); an article with no close counterpart was added, and old ones passed
                // over were removed.
                let mut next_old = old_index;
                let block = new_texts.iter().enumerate().skip(new_index).take(new_len);
                for (w, new_text) in block {
                    let best = (next_old..old_index + old_len)
                        .map(|o| (o, similarity(&old_sorted[o], &new_sorted[w])))
                        .filter(|(_, r)| *r >= MIN_SIMILARITY)
                        .max_by(|a, b| a.1.total_cmp(&b.1));
                    match best {
                        Some((o, _)) => {
                            out.extend((next_old..o).map(removed));
                            let label = if o == w {
                                format!("修改第{}条", n(w))
                            } else {
                                format!("修改第{}条（原第{}条）", n(w), n(o))
                            };
                            out.push(Change {
                                kind: "changed",
                                label,
                                old: Some(old_texts[o].to_string()),
                                new: Some(new_text.to_string()),
                            });
                            next_old = o + 1;
                        }
                        None => out.push(added(w)),
                    }
                }
                out.extend((next_old..old_index + old_len).map(removed));
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
                id: format!("tiao-{}", i + 1),
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

    #[test]
    fn unrelated_replacement_is_removal_plus_addition_not_a_change() {
        let old = arts(&[
            "总则条文",
            "禁止赌博，违者批评教育。",
            "外出务工须告知村委会。",
            "附则",
        ]);
        let new = arts(&[
            "总则条文",
            "本约由村委会组织实施。",
            "禁止赌博，违者批评教育并调解。",
            "附则",
        ]);
        let d = articles(&old, &new);
        let labels: Vec<&str> = d.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            ["新增第二条", "修改第三条（原第二条）", "删除原第三条"]
        );
    }
}
