//! Bold and italic that CommonMark leaves as literal asterisks in Chinese text.
//!
//! CommonMark decides whether `*`/`**` may open or close emphasis from the characters on either
//! side ("flanking"), and a run between punctuation and a letter only counts on the side of the
//! punctuation. That fits languages with spaces between words, not Chinese:
//! `**一分不收。**法律援助…` cannot close after 「。」 because 「法」 follows, so the page shows
//! the asterisks. Worse, such a run can still open, and pair with a later `**`, so a line with
//! several bold phrases can come out bold in the wrong places without one asterisk showing.
//!
//! The CommonMark CJK-friendly amendments (github.com/tats-u/markdown-cjk-friendly,
//! specification.md) fix this by letting CJK characters and CJK punctuation count like spaces
//! in the flanking rule. pulldown-cmark has merged that rule as an option but no release has it
//! yet (0.13.6 has none), so qili applies it around the parser for `*` runs:
//!
//! 1. From the first parse, every `*` run outside code (a literal `*` in text, or the ends of
//!    an emphasis) is judged by both rules. The CJK-friendly rule only ever adds a side a run
//!    may open or close on, never removes one, and adds at most one side per run.
//! 2. Where it adds one, a marker character ([`MARK`], punctuation to the parser) is put next
//!    to the run on that side: before it when it should open after a letter (`中**“`), after it
//!    when it should close before a letter (`。**法`). With the marker there, CommonMark's own
//!    rule gives the run exactly the sides the CJK-friendly rule gives it (checked case by case
//!    in the tests), and the neighbours of the marker keep theirs (it stands where a `*`, also
//!    punctuation, stood).
//! 3. The marked text is parsed again; the markers are taken out of the text events by their
//!    position and every offset is mapped back to the source, so nothing of them is visible
//!    and diagnostics point at the editor's text. Should any marker not be found in a text
//!    event, the first parse is kept as it was.
//!
//! Code spans and code blocks are never touched: their `*` are not delimiter runs. `_` runs,
//! `~~` and variation selectors after CJK characters are left to CommonMark (the sample site
//! writes emphasis with `*` only). Any `*` still literal is reported by [`literal_stars`]
//! (W216), so an editor sees what the reader would.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

pub(super) type Spanned<'a> = (Event<'a>, Range<usize>);

/// Put next to a delimiter run and taken out again. Any non-ASCII punctuation does for the
/// parser; this one (TILDE WITH DOT ABOVE) does not occur in Chinese text, and markers are
/// removed by position anyway.
const MARK: char = '\u{2E1E}';
const MARK_LEN: usize = MARK.len_utf8();

/// The source with markers put in, and where (offsets in the marked text, ascending).
pub(super) struct Marked {
    text: String,
    at: Vec<usize>,
}

/// What the character beside a delimiter run is, for the flanking rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Unicode whitespace, or the start or end of the text.
    Space,
    /// Unicode punctuation (general categories P and S), CJK or not.
    Punct { cjk: bool },
    /// A CJK character that is not punctuation (汉字, kana, hangul, full-width digits …).
    Cjk,
    /// Anything else: Latin letters, digits.
    Other,
}

impl Side {
    fn of(c: Option<char>) -> Side {
        let Some(c) = c else {
            return Side::Space;
        };
        let cjk = is_cjk(c);
        if c.is_whitespace() {
            Side::Space
        } else if is_punctuation(c) {
            Side::Punct { cjk }
        } else if cjk {
            Side::Cjk
        } else {
            Side::Other
        }
    }

    fn punct(self) -> bool {
        matches!(self, Side::Punct { .. })
    }
}

/// (may open, may close) for a `*` run between `before` and `after`, as CommonMark 0.31 and
/// pulldown-cmark decide (left- and right-flanking).
fn commonmark(before: Side, after: Side) -> (bool, bool) {
    let open = after != Side::Space
        && (!after.punct() || matches!(before, Side::Space | Side::Punct { .. }));
    let close = before != Side::Space
        && (!before.punct() || matches!(after, Side::Space | Side::Punct { .. }));
    (open, close)
}

/// (may open, may close) under the CJK-friendly amendments: non-CJK punctuation on the inner
/// side is enough when the outer side is anything but a letter of another script.
fn cjk_friendly(before: Side, after: Side) -> (bool, bool) {
    let non_cjk_punct = |s| s == Side::Punct { cjk: false };
    let open = after != Side::Space && (!non_cjk_punct(after) || before != Side::Other);
    let close = before != Side::Space && (!non_cjk_punct(before) || after != Side::Other);
    (open, close)
}

/// CJK characters as the amendments define them (East Asian Width W, F or H): the wide ones
/// qili already knows, and the half-width forms.
fn is_cjk(c: char) -> bool {
    super::is_wide(c) || matches!(c as u32, 0xFF61..=0xFFDC | 0xFFE8..=0xFFEE)
}

/// Whether pulldown-cmark counts `c` as punctuation. Its table (Unicode P and S) is private,
/// so for a non-ASCII character the parser is asked: in `a*Xb*` the `*` before X opens only
/// if X is not punctuation. Asking it means the two can never disagree.
fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    // Most neighbours are 汉字: no need to ask.
    if c.is_whitespace() || matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..) {
        return false;
    }
    let probe = format!("a*{c}b*");
    !Parser::new(&probe).any(|e| matches!(e, Event::Start(Tag::Emphasis)))
}

/// Offsets of the `*` in `text[range]` that are not escaped with a backslash.
fn unescaped_stars(text: &str, range: Range<usize>) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    let start = range.start;
    text[range].match_indices('*').filter_map(move |(i, _)| {
        let at = start + i;
        let slashes = bytes[..at]
            .iter()
            .rev()
            .take_while(|b| **b == b'\\')
            .count();
        (slashes % 2 == 0).then_some(at)
    })
}

/// Each maximal run of consecutive offsets, as a range.
fn runs(mut at: Vec<usize>) -> Vec<Range<usize>> {
    at.sort_unstable();
    at.dedup();
    let mut out: Vec<Range<usize>> = Vec::new();
    for a in at {
        match out.last_mut() {
            Some(r) if r.end == a => r.end += 1,
            _ => out.push(a..a + 1),
        }
    }
    out
}

/// Calls `f` with the range of every text event outside code blocks.
fn text_ranges(events: &[Spanned<'_>], mut f: impl FnMut(Range<usize>)) {
    let mut in_code = false;
    for (e, r) in events {
        match e {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) if !in_code => f(r.clone()),
            _ => {}
        }
    }
}

/// Every `*` delimiter run of the parsed text: literal ones and the ends of emphasis.
fn star_runs(text: &str, events: &[Spanned<'_>]) -> Vec<Range<usize>> {
    let mut at = Vec::new();
    text_ranges(events, |r| at.extend(unescaped_stars(text, r)));
    let bytes = text.as_bytes();
    for (e, r) in events {
        let width = match e {
            Event::Start(Tag::Emphasis) => 1,
            Event::Start(Tag::Strong) => 2,
            _ => continue,
        };
        for end in [r.start..r.start + width, r.end - width..r.end] {
            if bytes
                .get(end.clone())
                .is_some_and(|s| s.iter().all(|b| *b == b'*'))
            {
                at.extend(end);
            }
        }
    }
    runs(at)
}

/// The source with markers where the CJK-friendly rule lets a `*` run open or close and
/// CommonMark does not; `None` when there is no such run (nearly every page).
pub(super) fn mark(text: &str, events: &[Spanned<'_>]) -> Option<Marked> {
    if !text.contains('*') {
        return None;
    }
    let mut insert = Vec::new();
    for run in star_runs(text, events) {
        let before = Side::of(text[..run.start].chars().next_back());
        let after = Side::of(text[run.end..].chars().next());
        let (open, close) = commonmark(before, after);
        let (cjk_open, cjk_close) = cjk_friendly(before, after);
        if cjk_open && !open {
            insert.push(run.start);
        } else if cjk_close && !close {
            insert.push(run.end);
        }
    }
    if insert.is_empty() {
        return None;
    }
    let mut marked = String::with_capacity(text.len() + insert.len() * MARK_LEN);
    let mut at = Vec::with_capacity(insert.len());
    let mut from = 0;
    for i in insert {
        marked.push_str(&text[from..i]);
        at.push(marked.len());
        marked.push(MARK);
        from = i;
    }
    marked.push_str(&text[from..]);
    Some(Marked { text: marked, at })
}

impl Marked {
    /// The events of the marked text with the markers taken out and offsets in the source's
    /// terms; `None` if a marker was not where a text event could lose it.
    pub(super) fn parse(&self, options: Options) -> Option<Vec<Spanned<'_>>> {
        let source = |o: usize| o - MARK_LEN * self.at.partition_point(|m| *m < o);
        let mut removed = 0;
        let mut out = Vec::new();
        for (e, r) in Parser::new_ext(&self.text, options).into_offset_iter() {
            let marks = &self.at[self.at.partition_point(|m| *m < r.start)
                ..self.at.partition_point(|m| *m < r.end)];
            let e = match e {
                Event::Text(t) if !marks.is_empty() => {
                    let (text, n) = self.unmark(&t, r.clone(), marks);
                    removed += n;
                    Event::Text(CowStr::from(text))
                }
                other => other,
            };
            out.push((e, source(r.start)..source(r.end)));
        }
        (removed == self.at.len()).then_some(out)
    }

    /// `t` (the text event at `range`) without the markers at `marks`, and how many it had.
    fn unmark(&self, t: &str, range: Range<usize>, marks: &[usize]) -> (String, usize) {
        if self.text[range.clone()] == *t {
            let mut out = String::with_capacity(t.len());
            let mut from = range.start;
            for m in marks {
                out.push_str(&self.text[from..*m]);
                from = m + MARK_LEN;
            }
            out.push_str(&self.text[from..range.end]);
            return (out, marks.len());
        }
        // An escape or entity in the event: its text is not the source's, but each marker in
        // its range is in it as a character.
        let mut left = marks.len();
        let out = t
            .chars()
            .filter(|c| {
                let drop = *c == MARK && left > 0;
                left -= usize::from(drop);
                !drop
            })
            .collect();
        (out, marks.len() - left)
    }
}

/// Runs of `*` the reader would see as asterisks: unescaped in the source, outside code, and
/// not made into emphasis. Offsets in the source.
pub(super) fn literal_stars(text: &str, events: &[Spanned<'_>]) -> Vec<Range<usize>> {
    if !text.contains('*') {
        return Vec::new();
    }
    let mut at = Vec::new();
    text_ranges(events, |r| at.extend(unescaped_stars(text, r)));
    runs(at)
}

#[cfg(test)]
mod tests {
    use super::super::tests::plain;
    use super::*;
    use Side::*;

    const SIDES: [Side; 5] = [Space, Punct { cjk: false }, Punct { cjk: true }, Cjk, Other];

    /// The marker reproduces the amendments with CommonMark's own rule: for every pair of
    /// neighbours where the two rules differ, the run with the marker on the side chosen has
    /// exactly the CJK-friendly sides; and the rules differ only by sides added.
    #[test]
    fn the_marker_gives_commonmark_the_cjk_friendly_sides() {
        let mark = Punct { cjk: false };
        let mut differing = 0;
        for before in SIDES {
            for after in SIDES {
                let (open, close) = commonmark(before, after);
                let wanted = cjk_friendly(before, after);
                assert!(
                    wanted.0 >= open && wanted.1 >= close,
                    "{before:?} {after:?}"
                );
                let got = if wanted.0 && !open {
                    commonmark(mark, after)
                } else if wanted.1 && !close {
                    commonmark(before, mark)
                } else {
                    continue;
                };
                differing += 1;
                assert_eq!(got, wanted, "{before:?} ** {after:?}");
            }
        }
        // 「中**“」「中**（」「a**（」 may open; 「。**法」「。**a」「”**法」 may close.
        assert_eq!(differing, 6);
    }

    #[test]
    fn the_parser_and_qili_agree_on_punctuation() {
        for c in [
            '。', '，', '：', '“', '”', '（', '《', '、', '！', '—', '…', '·', '¥', '+',
        ] {
            assert!(is_punctuation(c), "{c}");
        }
        for c in ['法', 'a', '1', 'あ', '한', '〇', 'Ａ', '１'] {
            assert!(!is_punctuation(c), "{c}");
        }
        assert_eq!(Side::of(Some('。')), Punct { cjk: true });
        assert_eq!(Side::of(Some('“')), Punct { cjk: false });
        assert_eq!(Side::of(Some('　')), Space);
        assert_eq!(Side::of(None), Space);
    }

    fn strong(html: &str) -> usize {
        html.matches("<strong>").count()
    }

    #[test]
    fn bold_ending_in_chinese_punctuation_before_a_character_renders() {
        let r = plain("- **一分不收。**法律援助律师不得向你收任何钱。\n");
        assert!(
            r.html.contains("<strong>一分不收。</strong>法律援助律师"),
            "{}",
            r.html
        );
        assert!(!r.html.contains('\u{2E1E}') && !r.html.contains('*'));
        // Opening after a character, before punctuation; and italic.
        let r = plain("他说**“不签字”**就走了，*（注）*见后。\n");
        assert!(
            r.html.contains("他说<strong>“不签字”</strong>就走了"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<em>（注）</em>见后"), "{}", r.html);
    }

    #[test]
    fn several_bold_phrases_on_a_line_pair_as_written() {
        // CommonMark pairs the run after 「：」 with the one after 「就」 here, and the first
        // `**` with the one after 「穷」: bold in the wrong places, with no asterisk showing.
        let line = "**经济困难怎么算：**标准由省里定，就**不用再查家里穷不穷**：还有**农民工**。\n";
        let r = plain(line);
        assert_eq!(strong(&r.html), 3, "{}", r.html);
        for bold in ["经济困难怎么算：", "不用再查家里穷不穷", "农民工"] {
            assert!(
                r.html.contains(&format!("<strong>{bold}</strong>")),
                "{bold}: {}",
                r.html
            );
        }
        assert!(r.problems.is_empty(), "{:?}", r.problems);
    }

    #[test]
    fn code_keeps_its_asterisks_and_offsets_stay_the_source_s() {
        let text = "用 `**加粗。**后` 写，**一分不收。**后面\n\n```\n**一分不收。**法\n```\n\n外部 ![图](https://example.com/a.png)\n";
        let r = plain(text);
        assert!(r.html.contains("<code>**加粗。**后</code>"), "{}", r.html);
        assert!(
            r.html.contains("<strong>一分不收。</strong>后面"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<code>**一分不收。**法\n</code>"),
            "{}",
            r.html
        );
        // W211's offset is the image's place in the editor's text, markers or not.
        let w211 = r.problems.iter().find(|p| p.code == "W211").unwrap();
        assert!(text[w211.offset..].starts_with("![图"), "{}", w211.offset);
        assert!(
            r.problems.iter().all(|p| p.code != "W216"),
            "{:?}",
            r.problems
        );
    }

    #[test]
    fn asterisks_left_literal_are_named_escaped_ones_are_not() {
        let text = "第一段。\n\n孤零零的 ** 星号，和*另一个\n\n写成 \\*号 是有意的。\n";
        let r = plain(text);
        let found: Vec<String> = r
            .problems
            .iter()
            .filter(|p| p.code == "W216")
            .map(|p| text[p.offset..].chars().take(2).collect::<String>())
            .collect();
        assert_eq!(found, ["**", "*另"], "{:?}", r.problems);
    }

    #[test]
    fn escapes_and_links_around_a_marked_run() {
        let r = plain("\\*注：[**见下。**详](https://example.cn/)文\n");
        assert!(r.html.starts_with("<p>*注："), "{}", r.html);
        assert!(
            r.html.contains("<strong>见下。</strong>详</a>文"),
            "{}",
            r.html
        );
    }

    /// The four pages the issue names, as they were published (tests/fixtures/cjk-bold/):
    /// pulldown-cmark alone leaves asterisks in each; qili renders every `**` pair as bold.
    #[test]
    fn the_four_published_pages_render_their_bold() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cjk-bold");
        for name in [
            "fa-lv-yuan-zhu-12348",
            "tu-di-cheng-bao-yan-chang-san-shi-nian",
            "wen-wu-bao-hu-chang-cheng-feng-sui",
            "di-xia-shui-ji-jing-guan-kong",
        ] {
            let source = std::fs::read_to_string(format!("{dir}/{name}.md")).unwrap();
            let body = source.splitn(3, "---\n").nth(2).unwrap();
            let mut plain_html = String::new();
            pulldown_cmark::html::push_html(
                &mut plain_html,
                Parser::new_ext(body, super::super::cmark_options()),
            );
            assert!(
                plain_html.contains("**"),
                "{name}: the fixture shows the fault"
            );
            let r = plain(body);
            let pairs = body.matches("**").count() / 2;
            assert_eq!(strong(&r.html), pairs, "{name}: {}", r.html);
            assert!(!r.html.contains('*'), "{name}: {}", r.html);
            assert!(r.problems.iter().all(|p| p.code != "W216"), "{name}");
        }
    }
}
