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

/// A text's characters in order, for the character diff, and sorted, to count the characters
/// two texts share by merging.
struct Text {
    chars: Vec<char>,
    sorted: Vec<char>,
}

impl Text {
    fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let mut sorted = chars.clone();
        sorted.sort_unstable();
        Text { chars, sorted }
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

/// The most [`similarity`] can be: the characters two texts share bound the ones a diff
/// matches. Most pairs of different articles are ruled out by it without the costlier diff.
fn bound(a: &Text, b: &Text) -> f32 {
    let total = a.sorted.len() + b.sorted.len();
    if total == 0 {
        return 0.0;
    }
    (2 * shared_chars(&a.sorted, &b.sorted)) as f32 / (total as f32)
}

/// The share of characters a character diff of `a` and `b` keeps: `TextDiff::from_chars`'s
/// ratio, the same Myers diff run on the characters themselves rather than on a string for
/// each (which compared every pair with `memcmp`).
fn similarity(a: &Text, b: &Text) -> f32 {
    let ops = capture_diff_slices(Algorithm::Myers, &a.chars, &b.chars);
    similar::get_diff_ratio(&ops, a.chars.len(), b.chars.len())
}

/// Of `candidates` (old articles), the one most similar to `new` (the last of equals), if
/// any is similar enough. Candidates are tried from the highest bound down, so the search
/// stops at the first whose bound is below the best ratio found: no later one can beat it.
fn most_similar(
    candidates: std::ops::Range<usize>,
    old: &[Text],
    new: &Text,
) -> Option<(usize, f32)> {
    let mut bounded: Vec<(usize, f32)> = candidates
        .map(|o| (o, bound(&old[o], new)))
        .filter(|(_, most)| *most >= MIN_SIMILARITY)
        .collect();
    bounded.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut best: Option<(usize, f32)> = None;
    for (o, most) in bounded {
        if best.is_some_and(|(_, b)| most < b) {
            break;
        }
        let r = similarity(&old[o], new);
        let better = match best {
            None => true,
            // The later article wins a tie, as in a left-to-right search keeping the last.
            Some((at, b)) => r > b || (r == b && o > at),
        };
        if r >= MIN_SIMILARITY && better {
            best = Some((o, r));
        }
    }
    best
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
                    let best =
                        most_similar(next_old..old_index + old_len, &old_sorted, &new_sorted[w]);
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
    fn similarity_is_the_character_diff_ratio_and_bounded_by_shared_characters() {
        let long_a = "村民应当遵守本村规民约，爱护公共财物。".repeat(8);
        let long_b = "村民必须遵守村规民约，爱护集体的公共财物！".repeat(8);
        let pairs = [
            ("禁止赌博，违者批评教育。", "禁止赌博，违者批评教育并调解。"),
            ("外出务工须告知村委会。", "本约由村委会组织实施。"),
            ("abc", "cab"),
            ("", "甲"),
            (long_a.as_str(), long_b.as_str()),
        ];
        for (a, b) in pairs {
            let (ta, tb) = (Text::new(a), Text::new(b));
            let want = similar::TextDiff::from_chars(a, b).ratio();
            assert_eq!(similarity(&ta, &tb), want, "{a} / {b}");
            assert!(bound(&ta, &tb) >= want, "{a} / {b}");
        }
    }

    #[test]
    fn most_similar_picks_what_trying_every_candidate_picks() {
        let texts = [
            "禁止赌博，违者批评教育。",
            "禁止赌博，违者批评教育并调解。",
            "禁止赌博，违者批评教育。",
            "外出务工须告知村委会。",
            "禁止赌博违者批评教育",
            "本约由村委会组织实施。",
            "",
        ];
        let all: Vec<Text> = texts.iter().map(|t| Text::new(t)).collect();
        for new in &all {
            for start in 0..all.len() {
                // Every candidate's ratio, as before the bounds were used to skip any (two
                // empty texts were not similar then either).
                let ratio = |o: usize| match bound(&all[o], new) < MIN_SIMILARITY {
                    true => 0.0,
                    false => similarity(&all[o], new),
                };
                let every = (start..all.len())
                    .map(|o| (o, ratio(o)))
                    .filter(|(_, r)| *r >= MIN_SIMILARITY)
                    .max_by(|a, b| a.1.total_cmp(&b.1));
                assert_eq!(most_similar(start..all.len(), &all, new), every);
            }
        }
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
