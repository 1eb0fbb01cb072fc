//! How tall a notice's poster is set on a sheet, and the type size it is set in: the largest of
//! a few sizes whose estimate fits, never below the minimum (`check` warns where none fits).
//!
//! The estimate adds up the heights of the poster's blocks as `themes/default/static/poster.css`
//! lays them out, in points, from character counts: a CJK character (or any other non-ASCII
//! one) is one em wide, an ASCII one half an em, lines break anywhere (as CJK text does) but
//! lose [`LINE_END_LOSS`] of a character at each line end to punctuation that may not start a
//! line and to ASCII words that do not break. It is meant to err on the side of "does not fit":
//! a poster it passes must print on one sheet (tests/browser/posters.rs prints every sample notice to
//! PDF in Chromium and counts the pages), while a poster it fails may have fitted with a few
//! lines to spare.

use super::sheet::{Fit, Sheet, LINE, PT_PER_MM};
use super::text::{self as layout, FootLines, StepRow, STEP_HEADERS};
use crate::model::{Notice, Site};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

const TABLE_LINE: f64 = 1.25;
const TITLE_LINE: f64 = 1.25;
/// The URL under "扫码查看网上公示", in em of the body size (poster.css `.qr .url`).
const URL_SIZE: f64 = 0.75;
/// A village's official seal is 42 mm across (the 落款 block is at least that tall and wide,
/// whatever the paper: the seal does not grow with it).
const SEAL_MM: f64 = 42.0;
/// Width lost at the end of each line (in em): a closing mark that may not start a line pulls
/// a character down with it, an ASCII number or word moves down whole. Measured on the sample
/// notices in Chromium, where lines ended on average about half a character short.
const LINE_END_LOSS: f64 = 0.6;
/// Cells of the 四议 table: horizontal padding (.15em each side) and the border, in em.
const CELL_PADDING: f64 = 0.35;
/// Cells of a table in the body: .2em each side and the border.
const BODY_CELL_PADDING: f64 = 0.45;
/// Column widths of the 四议 table, as fractions of the sheet width (poster.css `.c-…`).
const STEP_COLUMNS: [f64; 6] = [0.075, 0.15, 0.22, 0.15, 0.215, 0.19];
/// Height of an image in the body (poster.css caps it at 60 mm).
const IMAGE_MM: f64 = 60.0;

/// The largest body size at which the notice's poster fits the sheet, or the estimate at the
/// minimum size when none does.
pub fn choose(site: &Site, n: &Notice, sheet: Sheet) -> Fit {
    let text = PosterText::of(site, n);
    let mut last = None;
    for &b in sheet.body_sizes() {
        let fit = estimate(&text, sheet, b);
        if fit.fits() {
            return fit;
        }
        last = Some(fit);
    }
    last.unwrap_or_else(|| estimate(&text, sheet, sheet.min_body_pt()))
}

/// The text a notice poster prints, as the template gets it.
pub struct PosterText {
    title: String,
    matter: String,
    summary: String,
    rows: Vec<StepRow>,
    body: Vec<Block>,
    foot: FootLines,
    url: String,
    signature: String,
    signature_date: String,
}

impl PosterText {
    pub fn of(site: &Site, n: &Notice) -> PosterText {
        let f = &n.doc.front;
        let c = &site.config;
        let permalink = c.permalink(&n.url());
        PosterText {
            title: f.title.clone(),
            matter: format!("事项：{}（{}）", f.matter, f.kind.label()),
            summary: f.summary.clone(),
            rows: layout::step_rows(site, n),
            body: {
                let body = layout::poster_body(&n.doc.body);
                let mut blocks = blocks(body.text);
                if let Some(note) = body.note() {
                    blocks.push(Block::Text {
                        width: width(&note),
                        indent: 0.0,
                    });
                }
                blocks
            },
            foot: layout::foot_lines(site, n),
            url: layout::short_url(&permalink).to_string(),
            signature: f.signature.body.clone(),
            signature_date: f.signature.date.chinese(),
        }
    }
}

/// One block of the Markdown body, with the widths of its text in em.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    /// A paragraph (indented two characters), or a heading when `indent` is 0.
    Text {
        width: f64,
        indent: f64,
    },
    /// A list item: its text and how deep it is nested.
    Item {
        width: f64,
        depth: usize,
    },
    /// A table: the width of each cell, row by row (the header first).
    Table(Vec<Vec<f64>>),
    /// Lines of a code block.
    Code(usize),
    Image,
    Rule,
}

/// Width of text in em: one for a CJK (or any other non-ASCII) character; about half for ASCII,
/// whose glyphs in CJK fonts are proportional: letters and digits are taken as 0.6 (digits are
/// 0.55 in WenQuanYi Micro Hei and Microsoft YaHei, 0.5 in SimHei), spaces and punctuation as
/// 0.35 (0.26 to 0.37 measured).
pub fn width(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            // Line breaks in the source, and the word joiner that keeps phone numbers whole.
            '\n' | '\r' | '\u{2060}' => 0.0,
            c if c.is_ascii_alphanumeric() => 0.6,
            c if c.is_ascii() => 0.35,
            _ => 1.0,
        })
        .sum()
}

/// Width of the longest run of digits and hyphens (a phone number), at least the usual loss.
fn longest_number(text: &str) -> f64 {
    text.split(|c: char| !(c.is_ascii_digit() || c == '-' || c == '\u{2060}'))
        .map(width)
        .fold(LINE_END_LOSS, f64::max)
}

/// Lines that text of `width` em takes in a box `room` em wide, after `indent` em.
fn lines(width: f64, room: f64, indent: f64) -> f64 {
    if width + indent <= room {
        return 1.0;
    }
    let per_line = (room.floor() - LINE_END_LOSS).max(1.0);
    ((width + indent) / per_line).ceil().max(1.0)
}

/// The body's blocks, from the same Markdown parse options as the site's renderer.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut reader = BlockReader::default();
    for event in Parser::new_ext(markdown, crate::markdown::cmark_options()) {
        reader.read(event);
    }
    reader.out
}

/// The state of reading the body's Markdown events into blocks.
#[derive(Default)]
struct BlockReader {
    out: Vec<Block>,
    /// The text of the paragraph, heading, list item or table cell being read.
    text: String,
    /// How deep the list being read is nested (0 outside lists).
    depth: usize,
    in_item: bool,
    row: Option<Vec<f64>>,
    table: Option<Vec<Vec<f64>>>,
    /// Lines of the code block being read.
    code: Option<usize>,
}

impl BlockReader {
    fn read(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Rule => self.out.push(Block::Rule),
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                match self.code.as_mut() {
                    Some(n) => *n += t.lines().count().max(1),
                    None => self.text.push_str(&t),
                }
            }
            Event::SoftBreak => self.text.push(' '),
            Event::HardBreak => self.text.push('\n'),
            Event::TaskListMarker(_) => self.text.push('口'),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            // A nested list ends the text of the item it is in: it is measured on its own.
            Tag::List(_) => {
                if self.in_item {
                    self.flush_item();
                }
                self.depth += 1;
            }
            Tag::Item => {
                self.in_item = true;
                self.text.clear();
            }
            Tag::Paragraph | Tag::Heading { .. } if !self.in_item => self.text.clear(),
            Tag::Table(_) => self.table = Some(Vec::new()),
            Tag::TableHead | Tag::TableRow => self.row = Some(Vec::new()),
            Tag::TableCell => self.text.clear(),
            Tag::CodeBlock(_) => self.code = Some(0),
            Tag::Image { .. } => self.out.push(Block::Image),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::List(_) => self.depth = self.depth.saturating_sub(1),
            TagEnd::Item => {
                self.flush_item();
                self.in_item = false;
            }
            TagEnd::Paragraph if !self.in_item => self.flush_text(2.0),
            // The paragraphs of a loose list item are measured as one text.
            TagEnd::Paragraph => self.text.push('\n'),
            TagEnd::Heading(_) => self.flush_text(0.0),
            TagEnd::Table => self
                .out
                .push(Block::Table(self.table.take().unwrap_or_default())),
            TagEnd::TableHead | TagEnd::TableRow => {
                if let (Some(r), Some(t)) = (self.row.take(), self.table.as_mut()) {
                    t.push(r);
                }
            }
            TagEnd::TableCell => {
                if let Some(r) = self.row.as_mut() {
                    r.push(width(self.text.trim()));
                }
                self.text.clear();
            }
            TagEnd::CodeBlock => self.out.push(Block::Code(self.code.take().unwrap_or(0))),
            _ => {}
        }
    }

    fn flush_text(&mut self, indent: f64) {
        self.out.push(Block::Text {
            width: width(self.text.trim()),
            indent,
        });
        self.text.clear();
    }

    fn flush_item(&mut self) {
        if !self.text.trim().is_empty() {
            self.out.push(Block::Item {
                width: width(self.text.trim()),
                depth: self.depth,
            });
        }
        self.text.clear();
    }
}

/// The estimated height of the notice's poster on `sheet` with body text of `b` points.
pub fn estimate(t: &PosterText, sheet: Sheet, b: f64) -> Fit {
    let (w, available) = sheet.content_pt();
    let title_pt = sheet.title_pt(b).max(sheet.min_title_pt());
    let m = Measure {
        b,
        w,
        room: w / b,
        line: b * LINE,
    };

    // Band: a line, .1em padding, a .25em double rule.
    let mut h = m.line + 0.35 * b;
    // Title: .2em above and below.
    h += lines(width(&t.title), w / title_pt, 0.0) * title_pt * TITLE_LINE + 0.4 * title_pt;
    h += m.text_lines(&t.matter) * m.line;
    if !t.summary.is_empty() {
        h += m.text_lines(&t.summary) * m.line;
    }
    m.add_steps(&mut h, &t.rows);
    // "决议内容", then the body.
    h += m.line;
    for block in &t.body {
        h += m.block(block);
    }
    m.add_foot(&mut h, &t.foot);
    h += m.sign_row(t, sheet);

    Fit {
        sheet,
        body_pt: b,
        title_pt,
        needed_pt: h,
        available_pt: available,
    }
}

/// The sizes every part of the estimate uses, in points (`room` in em of the body size). The
/// parts add to the height in the order the poster stacks them, so the sum is the same to the
/// last bit whatever the parts are split into.
struct Measure {
    b: f64,
    w: f64,
    room: f64,
    line: f64,
}

impl Measure {
    fn text_lines(&self, s: &str) -> f64 {
        lines(width(s), self.room, 0.0)
    }

    /// The 四议 table: margins .3em and .4em (the caption is for screen readers only), the
    /// header, the rows, each as tall as its tallest cell.
    fn add_steps(&self, h: &mut f64, rows: &[StepRow]) {
        if rows.is_empty() {
            return;
        }
        let b = self.b;
        *h += 0.7 * b;
        let header: StepRow = STEP_HEADERS.map(String::from);
        for row in std::iter::once(&header).chain(rows) {
            let tallest = row
                .iter()
                .zip(STEP_COLUMNS)
                .map(|(cell, share)| lines(width(cell), share * self.room - CELL_PADDING, 0.0))
                .fold(1.0, f64::max);
            *h += tallest * b * TABLE_LINE + 0.2 * b + 1.0;
        }
    }

    /// One block of the body, with its margins.
    fn block(&self, block: &Block) -> f64 {
        let (b, room, line) = (self.b, self.room, self.line);
        match block {
            Block::Text { width, indent } if *indent == 0.0 => {
                lines(*width, room, 0.0) * line + 0.2 * b
            }
            Block::Text { width, indent } => lines(*width, room, *indent) * line,
            Block::Item { width, depth } => {
                // 2em of padding per level; the marker ("1." or the bullet) sits in it.
                lines(*width, room - 2.0 * *depth as f64, 0.0) * line
            }
            // .2em above and below; each row .1em of padding and a border.
            Block::Table(rows) => {
                0.4 * b
                    + table_lines(rows, room)
                        .iter()
                        .map(|l| l * b * TABLE_LINE + 0.1 * b + 1.0)
                        .sum::<f64>()
            }
            Block::Code(n) => *n as f64 * line,
            Block::Image => IMAGE_MM * PT_PER_MM,
            Block::Rule => 0.6 * b + 1.0,
        }
    }

    /// The foot's lines: a rule, .4em, the lines, then .3em before the row of the QR code.
    fn add_foot(&self, h: &mut f64, f: &FootLines) {
        *h += 0.4 * self.b + 1.0;
        for l in [&f.period, &f.place, &f.result].into_iter().flatten() {
            *h += self.text_lines(l) * self.line;
        }
        if let Some(contact) = &f.contact {
            // Phone numbers do not break (poster::text joins them): a line may end a whole
            // number short.
            let per_line = (self.room.floor() - longest_number(contact)).max(1.0);
            *h += (width(contact) / per_line).ceil().max(1.0) * self.line;
        }
        *h += 0.3 * self.b;
    }

    /// The row of the QR code, its caption and the 落款 (with room for the seal): as tall as
    /// the tallest of them.
    fn sign_row(&self, t: &PosterText, sheet: Sheet) -> f64 {
        let (b, w, line) = (self.b, self.w, self.line);
        let qr = sheet.qr_mm() * PT_PER_MM;
        let seal = SEAL_MM * PT_PER_MM;
        // The 落款 is as wide as its longest line, at least the seal and at most 55% of the
        // sheet (then it wraps); 1em of margin keeps it off the caption.
        let sign_w = (width(&t.signature).max(width(&t.signature_date)) * b).clamp(seal, 0.55 * w);
        let signature = (lines(width(&t.signature), sign_w / b, 0.0)
            + lines(width(&t.signature_date), sign_w / b, 0.0))
            * line;
        // The caption has what is left beside the code (.4em from it): a line, then the URL.
        let caption_room = ((w - qr - sign_w - 1.4 * b) / b).max(4.0);
        let caption = lines(width("扫码查看网上公示"), caption_room, 0.0) * line
            + lines(width(&t.url), caption_room / URL_SIZE, 0.0) * line * URL_SIZE;
        [qr, caption, seal, signature]
            .into_iter()
            .fold(0.0, f64::max)
    }
}

/// Lines of each row of a body table. A table as wide as its text fits on one line a row;
/// a wider one shares the width among its columns in proportion to their widest cells, as
/// automatic table layout does when every column can wrap (CJK text can, anywhere).
fn table_lines(rows: &[Vec<f64>], room: f64) -> Vec<f64> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widest: Vec<f64> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .fold(0.0, |a: f64, w| a.max(*w))
                + BODY_CELL_PADDING
        })
        .collect();
    let total: f64 = widest.iter().sum();
    rows.iter()
        .map(|r| {
            if total <= room {
                return 1.0;
            }
            r.iter()
                .zip(&widest)
                .map(|(w, max)| lines(*w, max / total * room - BODY_CELL_PADDING, 0.0))
                .fold(1.0, f64::max)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cjk_as_one_and_ascii_as_half() {
        assert_eq!(width("村务公开"), 4.0);
        assert!((width("2026 年") - 3.75).abs() < 1e-9);
        assert_eq!(width("“两委”"), 4.0);
    }

    #[test]
    fn lines_wrap_with_a_loss_at_each_end() {
        assert_eq!(lines(10.0, 33.6, 0.0), 1.0);
        // A line that fits loses nothing; longer text loses a little at every line end.
        assert_eq!(lines(33.0, 33.6, 0.0), 1.0);
        assert_eq!(lines(34.0, 33.6, 0.0), 2.0);
        assert_eq!(lines(64.8, 33.6, 0.0), 2.0);
        assert_eq!(lines(65.0, 33.6, 0.0), 3.0);
        assert_eq!(lines(31.0, 33.6, 2.0), 1.0);
        assert_eq!(lines(0.0, 33.6, 0.0), 1.0);
    }

    /// A notice like the samples, with `body` as its body.
    fn notice(body: Vec<Block>) -> PosterText {
        let row = |step: &str, votes: &str| -> StepRow {
            [step, "3月20日", "村党支部委员会", votes, votes, "审议通过"].map(String::from)
        };
        PosterText {
            title: "东岭村灌溉干渠防渗改造工程决议公开".into(),
            matter: "事项：灌溉干渠防渗改造工程建设方案（公益事业）".into(),
            summary: "干渠 1.2 公里防渗改造方案经村民代表会议通过，总投资约 48.5 万元。".into(),
            rows: vec![
                row("提议", "—"),
                row("商议", "7/7"),
                row("审议", "31/27"),
                row("决议", "35/30"),
            ],
            body,
            foot: FootLines {
                period: Some("公示期：2026年4月10日至2026年4月16日（7天）".into()),
                place: Some("公示地点：村务公开栏、村民微信群".into()),
                contact: Some("监督/反映：七里镇纪委 0937-\u{2060}0000000".into()),
                result: None,
            },
            url: "qili.example.cn/villages/dongling/notices/2026-qu-dao-gai-zao/".into(),
            signature: "东岭村民委员会".into(),
            signature_date: "2026年4月10日".into(),
        }
    }

    /// `n` one-line paragraphs.
    fn paragraphs(n: usize) -> Vec<Block> {
        vec![
            Block::Text {
                width: 20.0,
                indent: 2.0
            };
            n
        ]
    }

    #[test]
    fn a_poster_fits_until_its_lines_run_out() {
        for sheet in [Sheet::A4, Sheet::A3] {
            let b = sheet.min_body_pt();
            let first_over = (0..100)
                .find(|&n| !estimate(&notice(paragraphs(n)), sheet, b).fits())
                .expect("some length does not fit");
            // The title, table and foot leave room for a dozen lines or so of the body.
            assert!((8..=20).contains(&first_over), "{sheet:?}: {first_over}");
            let under = estimate(&notice(paragraphs(first_over - 1)), sheet, b);
            let over = estimate(&notice(paragraphs(first_over)), sheet, b);
            assert!(under.fits() && !over.fits());
            // Each paragraph is one line of body text.
            assert!((over.needed_pt - under.needed_pt - b * LINE).abs() < 1e-9);
            assert!(over.lines_needed() > over.lines_available(), "{over:?}");
            assert!(
                under.lines_needed() <= under.lines_available() + 1,
                "{under:?}"
            );
        }
    }

    #[test]
    fn sheets_hold_the_lines_their_sizes_allow() {
        // 277 mm of A4 in 16pt at 1.3: 37 lines; 400 mm of A3 in 22pt: 39.
        let a4 = estimate(&notice(vec![]), Sheet::A4, 16.0);
        assert_eq!(a4.lines_available(), 37);
        let a3 = estimate(&notice(vec![]), Sheet::A3, 22.0);
        assert_eq!(a3.lines_available(), 39);
    }

    #[test]
    fn long_paragraphs_wrap_at_the_sheet_width() {
        // A4 at 16pt: 190 mm is 33.7 em, 32.4 usable per line after the loss at the end.
        let room = Sheet::A4.content_pt().0 / 16.0;
        assert_eq!(lines(62.0, room, 2.0), 2.0);
        assert_eq!(lines(64.0, room, 2.0), 3.0);
    }

    #[test]
    fn short_posters_get_larger_type_down_to_the_minimum() {
        let short = notice(paragraphs(2));
        let sizes: Vec<f64> = Sheet::A4
            .body_sizes()
            .iter()
            .filter(|&&b| estimate(&short, Sheet::A4, b).fits())
            .copied()
            .collect();
        assert_eq!(sizes.first(), Some(&20.0), "{sizes:?}");
        assert_eq!(Sheet::A4.title_pt(20.0), 28.0);
        assert_eq!(Sheet::A3.title_pt(22.0), 36.0);
    }

    #[test]
    fn body_blocks_follow_the_markdown() {
        let b = blocks("## 标题\n\n一段话。\n\n1. 第一条\n2. 第二条\n   - 细则\n\n| a | 项目 |\n|---|---|\n| 1 | 二 |\n");
        assert_eq!(
            b,
            vec![
                Block::Text {
                    width: 2.0,
                    indent: 0.0
                },
                Block::Text {
                    width: 4.0,
                    indent: 2.0
                },
                Block::Item {
                    width: 3.0,
                    depth: 1
                },
                Block::Item {
                    width: 3.0,
                    depth: 1
                },
                Block::Item {
                    width: 2.0,
                    depth: 2
                },
                Block::Table(vec![vec![0.6, 2.0], vec![0.6, 1.0]]),
            ]
        );
    }
}
