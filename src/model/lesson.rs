//! Lessons of the 法治课堂: one source, one page per audience, with audience-specific variants of
//! parts of the text.
//!
//! Variant blocks in the body:
//!
//! ```text
//! 所有受众都看到的段落。
//!
//! ::: qunzhong
//! 只给基层群众看的大白话。
//! :::
//! ::: 其他
//! 其余受众看到的正式表述。
//! :::
//! ```
//!
//! A block opens with `:::` and one or more audience ids or names, and closes with `:::`.
//! Blocks with nothing but blank lines between them form a group, which a `::: 其他` (or
//! `::: default`) block ends; that block is shown to every audience no other block of its group
//! named. Text outside blocks is common to all.

use super::date::Date;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonFront {
    pub title: String,
    #[serde(default)]
    pub slug: Option<String>,
    pub date: Date,
    pub audiences: Vec<String>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// 引用的法律条文，例如"《中华人民共和国民法典》第二百八十八条"。
    #[serde(default)]
    pub laws: Vec<String>,
    /// 案例发生的村（可选）。
    #[serde(default)]
    pub village: Option<String>,
    /// 排序：数字小的在前；没有则按日期从新到旧。
    #[serde(default)]
    pub weight: Option<i32>,
    #[serde(default)]
    pub draft: bool,
}

/// One `:::` block, with the lines it spans in the body (0-based, fence lines included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Audience ids; empty for the `其他` block.
    pub audiences: Vec<String>,
    pub is_default: bool,
    pub group: usize,
    pub open_line: usize,
    pub close_line: usize,
}

/// The variant structure of a lesson body.
#[derive(Debug, Clone, Default)]
pub struct Variants {
    pub blocks: Vec<Block>,
}

const DEFAULT_NAMES: &[&str] = &["其他", "default", "其它", "通用"];

impl Variants {
    /// Finds the `:::` blocks. `body_line` is the file line of the body's first line, for
    /// messages; unknown audiences and unclosed blocks are reported.
    pub fn parse(
        body: &str,
        body_line: usize,
        file: &str,
        config: &SiteConfig,
    ) -> (Variants, Vec<Diagnostic>) {
        let mut blocks = Vec::new();
        let mut problems = Vec::new();
        let mut open: Option<Block> = None;
        let mut group = 0;
        let mut last_close: Option<usize> = None;
        let mut code_fence: Option<&str> = None;
        for (i, line) in body.lines().enumerate() {
            let t = line.trim();
            if in_code(&mut code_fence, t) {
                continue;
            }
            let Some(rest) = t.strip_prefix(":::") else {
                if !t.is_empty() && open.is_none() {
                    last_close = None;
                }
                continue;
            };
            let rest = rest.trim();
            match open.take() {
                Some(mut b) => {
                    if !rest.is_empty() {
                        problems.push(
                            Diagnostic::error("E204", file, "上一个 ::: 区块还没有结束")
                                .at(body_line + i, 1)
                                .hint("先用单独一行 ::: 结束前一个区块"),
                        );
                    }
                    b.close_line = i;
                    blocks.push(b);
                    last_close = Some(i);
                }
                None => {
                    if rest.is_empty() {
                        problems.push(
                            Diagnostic::error("E204", file, "多余的 :::，前面没有开始的区块")
                                .at(body_line + i, 1)
                                .hint("开始区块要写成 ::: qunzhong 这样，后面跟受众"),
                        );
                        continue;
                    }
                    // A `::: 其他` block closes its group: a block after it starts a new one.
                    let after_default = blocks.last().is_some_and(|b: &Block| b.is_default);
                    if last_close.is_none() || after_default {
                        group += 1;
                    }
                    let mut b = Block {
                        audiences: Vec::new(),
                        is_default: false,
                        group,
                        open_line: i,
                        close_line: i,
                    };
                    for word in name_audiences(&mut b, rest, config) {
                        problems.push(unknown_audience(word, file, body_line + i, config));
                    }
                    open = Some(b);
                }
            }
        }
        if let Some(b) = open {
            problems.push(
                Diagnostic::error("E204", file, "::: 区块没有结束")
                    .at(body_line + b.open_line, 1)
                    .hint("在区块最后加一行 :::"),
            );
        }
        (Variants { blocks }, problems)
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// Whether the body has text meant for `audience` in particular.
    pub fn names(&self, audience: &str) -> bool {
        self.blocks
            .iter()
            .any(|b| b.audiences.iter().any(|a| a == audience))
    }

    /// The body as `audience` sees it. Lines of other audiences' blocks and the fence lines are
    /// blanked rather than removed, so line numbers in the result are those of the source.
    pub fn select(&self, body: &str, audience: &str) -> String {
        if self.blocks.is_empty() {
            return body.to_string();
        }
        let mut hidden = vec![false; body.lines().count() + 1];
        for b in &self.blocks {
            let shown = if b.is_default {
                !self.blocks.iter().any(|o| {
                    o.group == b.group && !o.is_default && o.audiences.iter().any(|a| a == audience)
                }) || b.audiences.iter().any(|a| a == audience)
            } else {
                b.audiences.iter().any(|a| a == audience)
            };
            hidden[b.open_line] = true;
            hidden[b.close_line] = true;
            if !shown {
                for h in &mut hidden[b.open_line..=b.close_line] {
                    *h = true;
                }
            }
        }
        let mut out = String::with_capacity(body.len());
        for (i, line) in body.lines().enumerate() {
            if !hidden[i] {
                out.push_str(line);
            }
            out.push('\n');
        }
        out
    }
}

/// Whether the line is part of a code block (its fences included), tracking the open fence:
/// `:::` inside a code block is just text.
fn in_code<'a>(code_fence: &mut Option<&'a str>, t: &'a str) -> bool {
    if let Some(fence) = *code_fence {
        if t.starts_with(fence) {
            *code_fence = None;
        }
        return true;
    }
    if t.starts_with("```") || t.starts_with("~~~") {
        *code_fence = Some(&t[..3]);
        return true;
    }
    false
}

/// Reads the words after an opening `:::` into the block: `其他` (and its synonyms) makes it the
/// default, an audience's id or name adds it; the words that are neither are returned.
fn name_audiences<'a>(b: &mut Block, words: &'a str, config: &SiteConfig) -> Vec<&'a str> {
    let mut unknown = Vec::new();
    for word in words
        .split([' ', ',', '，', '、'])
        .filter(|w| !w.is_empty())
    {
        if DEFAULT_NAMES.contains(&word) {
            b.is_default = true;
        } else if let Some(a) = config
            .audiences
            .iter()
            .find(|a| a.id == word || a.name == word)
        {
            b.audiences.push(a.id.clone());
        } else {
            unknown.push(word);
        }
    }
    unknown
}

/// E203 for a block's audience site.yaml does not define, with the ones it does.
fn unknown_audience(word: &str, file: &str, line: usize, config: &SiteConfig) -> Diagnostic {
    let ids: Vec<&str> = config.audiences.iter().map(|a| a.id.as_str()).collect();
    Diagnostic::error("E203", file, format!("区块的受众「{word}」不存在"))
        .at(line, 1)
        .hint(format!("可用的受众：{}，或写 其他", ids.join("、")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SiteConfig {
        SiteConfig::parse(
            "title: t\nbase_url: https://e.cn/\ntown: {name: 七里镇}\naudiences: [{id: qunzhong, name: 基层群众}, {id: ganbu, name: 村组干部}, {id: lingdao, name: 党政领导}]\nvillages: []\n",
        )
        .unwrap()
    }

    const BODY: &str = "共同\n\n::: 基层群众\n大白话\n:::\n\n::: 其他\n正式\n:::\n中间\n::: ganbu\n清单\n:::\n尾\n";

    #[test]
    fn each_audience_gets_its_block_or_the_default() {
        let (v, p) = Variants::parse(BODY, 5, "a.md", &config());
        assert!(p.is_empty(), "{p:?}");
        let q = v.select(BODY, "qunzhong");
        assert!(q.contains("大白话") && !q.contains("正式") && !q.contains("清单"));
        let g = v.select(BODY, "ganbu");
        assert!(g.contains("正式") && g.contains("清单") && !g.contains("大白话"));
        let l = v.select(BODY, "lingdao");
        assert!(l.contains("正式") && l.contains("共同") && l.contains("尾"));
        assert_eq!(l.lines().count(), BODY.lines().count(), "line numbers kept");
        assert!(!l.contains(":::"));
    }

    #[test]
    fn unknown_audience_and_unclosed_block_are_reported_at_their_lines() {
        let body = "a\n::: cunmin\nx\n";
        let (_, p) = Variants::parse(body, 10, "a.md", &config());
        assert_eq!(p[0].code, "E203");
        assert_eq!(p[0].line, 11);
        assert!(p.iter().any(|d| d.code == "E204"));
    }

    #[test]
    fn a_default_block_ends_its_group() {
        let body = "::: qunzhong\n大白话\n:::\n::: 其他\n正式\n:::\n\n::: ganbu\n清单\n:::\n";
        let (v, _) = Variants::parse(body, 1, "a.md", &config());
        let g = v.select(body, "ganbu");
        assert!(g.contains("正式") && g.contains("清单"), "{g}");
    }

    #[test]
    fn fences_inside_code_blocks_are_text() {
        let body = "```\n::: ganbu\n```\n";
        let (v, p) = Variants::parse(body, 1, "a.md", &config());
        assert!(v.is_empty() && p.is_empty());
    }
}
