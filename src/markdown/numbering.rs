//! 第N章 / 第N条 numbering of regulations: `##` headings become chapters and top-level list
//! items become 条 with `#tiao-N` anchors, counted across chapters, so that editors never
//! renumber by hand when a 条 is added or removed.

use serde::Serialize;

/// One 条 of a regulation, for the table of contents and the comparison between versions.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Article {
    pub number: usize,
    /// Its anchor on the page (`tiao-3`).
    pub id: String,
    pub chapter: String,
    pub text: String,
}

/// How far a regulation's numbering has got while its events go by. Only a top-level list
/// item is a 条; a list inside one is part of its text.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    chapter: usize,
    chapter_title: String,
    article: usize,
    list_depth: usize,
    /// The text of the 条 being read, if any.
    article_text: Option<String>,
}

impl Numbering {
    /// The anchor of the next chapter, unless its heading names its own.
    pub(super) fn next_chapter_id(&self) -> String {
        format!("zhang-{}", self.chapter + 1)
    }

    /// Counts a chapter and returns its title as shown, `第N章 标题`.
    pub(super) fn chapter(&mut self, title: &str) -> String {
        self.chapter += 1;
        let bare = strip_numbering(title, '章');
        self.chapter_title = format!("第{}章 {}", chinese_number(self.chapter), bare);
        self.chapter_title.clone()
    }

    /// Enters a list; `true` when it is a top-level one, whose items are 条.
    pub(super) fn enter_list(&mut self) -> bool {
        self.list_depth += 1;
        self.list_depth == 1
    }

    /// Leaves a list; `true` when it was a top-level one.
    pub(super) fn leave_list(&mut self) -> bool {
        self.list_depth -= 1;
        self.list_depth == 0
    }

    /// Whether an item starting or ending here is a 条.
    pub(super) fn at_article(&self) -> bool {
        self.list_depth == 1
    }

    /// Counts a 条 and starts gathering its text; returns its number.
    pub(super) fn start_article(&mut self) -> usize {
        self.article += 1;
        self.article_text = Some(String::new());
        self.article
    }

    /// Text of the page, kept if it belongs to a 条.
    pub(super) fn text(&mut self, t: &str) {
        if let Some(buf) = self.article_text.as_mut() {
            buf.push_str(t);
        }
    }

    /// The 条 just read (its anchor `id`), with the chapter it sits in.
    pub(super) fn end_article(&mut self, id: String) -> Article {
        Article {
            number: self.article,
            id,
            chapter: self.chapter_title.clone(),
            text: self
                .article_text
                .take()
                .unwrap_or_default()
                .trim()
                .to_string(),
        }
    }
}

/// The markup that opens a 条: the anchor `#tiao-N` links point to.
pub(super) fn article_open(id: &str) -> String {
    format!("<div class=\"tiao\" id=\"{id}\">")
}

/// The `第N条` in front of a 条's text, a link to the 条 itself.
pub(super) fn article_number(id: &str, number: usize) -> String {
    format!(
        "<a class=\"tiao-no\" href=\"#{id}\">第{}条</a> ",
        chinese_number(number)
    )
}

/// `第一章 总则` → `总则`: editors may or may not number chapters themselves.
fn strip_numbering(title: &str, unit: char) -> &str {
    let t = title.trim();
    if let Some(rest) = t.strip_prefix('第') {
        if let Some(pos) = rest.find(unit) {
            let num = &rest[..pos];
            if num
                .chars()
                .all(|c| "零一二三四五六七八九十百0123456789".contains(c))
            {
                return rest[pos + unit.len_utf8()..].trim_start();
            }
        }
    }
    t
}

/// 1 → 一, 12 → 十二, 20 → 二十, 105 → 一百零五: numbering as Chinese legal texts write it.
pub fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 {
        return DIGITS[0].into();
    }
    if n >= 10000 {
        return n.to_string();
    }
    let units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")];
    let mut s = String::new();
    let mut zero_pending = false;
    for (value, unit) in units {
        let d = (n / value) % 10;
        if d == 0 {
            if !s.is_empty() {
                zero_pending = true;
            }
            continue;
        }
        if zero_pending {
            s.push_str(DIGITS[0]);
            zero_pending = false;
        }
        // 十二, not 一十二, when the number starts with the tens.
        if !(value == 10 && d == 1 && s.is_empty()) {
            s.push_str(DIGITS[d]);
        }
        s.push_str(unit);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::tests::no_links;
    use crate::markdown::{render, Options};

    #[test]
    fn chinese_numbers() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (12, "十二"),
            (20, "二十"),
            (21, "二十一"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1001, "一千零一"),
        ];
        for (n, s) in cases {
            assert_eq!(chinese_number(n), s, "{n}");
        }
    }

    #[test]
    fn regulation_numbers_chapters_and_articles_across_chapters() {
        let text = "## 总则\n\n1. 为了……制定本公约。\n2. 本村村民遵守。\n\n## 第二章 环境卫生\n\n- 垃圾入箱。\n";
        let r = render(
            text,
            "/",
            Options {
                regulation: true,
                ..Default::default()
            },
            &no_links,
        );
        assert!(r.html.contains("第一章 总则"));
        assert!(r.html.contains("第二章 环境卫生"), "{}", r.html);
        assert!(!r.html.contains("第二章 第二章"));
        assert!(r.html.contains("id=\"tiao-3\""));
        assert!(r.html.contains("第三条"));
        assert_eq!(r.articles.len(), 3);
        assert_eq!(r.articles[2].text, "垃圾入箱。");
        assert_eq!(r.articles[2].chapter, "第二章 环境卫生");
        assert_eq!(r.articles[2].id, "tiao-3");
    }
}
