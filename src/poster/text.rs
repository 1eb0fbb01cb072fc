//! What a notice poster prints: the body up to its first attachment, the 四议 steps as short
//! table cells, the caption, and the lines of the foot (公示期, 监督/反映).
//!
//! Made here once and used both by the print view (`crate::render::poster`) and by the fit
//! estimate (`super::fit`), so the estimate measures the text that is printed.

use crate::config::VillageKind;
use crate::model::date::Date;
use crate::model::notice::{CountedBy, Step, StepName};
use crate::model::{Notice, Site};
use chrono::Datelike;

/// Longest 结果 cell taken from an outcome as written; longer outcomes get a standard word
/// (the full text is on the online page the QR code opens).
const SHORT_OUTCOME_CHARS: usize = 6;

/// Headings that start an attachment (`## 附件：实施方案`): a poster prints the body up to the
/// first of them and points to the online page for the rest, as a printed notice says
/// "详见附件". The website shows everything.
const ATTACHMENT_PREFIXES: [&str; 3] = ["附件", "附表", "附："];

/// The part of a notice's body a poster prints, and the titles of the attachments left out.
#[derive(Debug, PartialEq)]
pub struct PosterBody<'a> {
    pub text: &'a str,
    pub attachments: Vec<String>,
}

impl PosterBody<'_> {
    /// The line printed in place of the attachments, if any.
    pub fn note(&self) -> Option<String> {
        (!self.attachments.is_empty())
            .then(|| format!("附件（全文扫码查看）：{}", self.attachments.join("；")))
    }
}

pub fn poster_body(body: &str) -> PosterBody<'_> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut cut = None;
    let mut attachments = Vec::new();
    let mut heading: Option<(usize, String)> = None;
    for (event, range) in
        Parser::new_ext(body, pulldown_cmark::Options::ENABLE_TABLES).into_offset_iter()
    {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some((range.start, String::new())),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, title)) = heading.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, title)) = heading.take() {
                    let title = title.trim();
                    if let Some(p) = ATTACHMENT_PREFIXES.iter().find(|p| title.starts_with(*p)) {
                        cut.get_or_insert(start);
                        let name = title[p.len()..].trim_start_matches(['：', ':', ' ', '　']);
                        attachments.push(if name.is_empty() { title } else { name }.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    PosterBody {
        text: cut.map_or(body, |c| &body[..c]),
        attachments,
    }
}

/// One row of the 四议 table: 议程, 日期, 会议, 应到/实到, 赞成/反对/弃权, 结果.
pub type StepRow = [String; 6];

pub const STEP_HEADERS: [&str; 6] = [
    "议程",
    "日期",
    "会议",
    "应到/实到",
    "赞成/反对/弃权",
    "结果",
];

/// The rows of the 四议 table, in procedure order.
pub fn step_rows(site: &Site, n: &Notice) -> Vec<StepRow> {
    let f = &n.doc.front;
    let cells = Cells::new(site, n);
    let st = &f.steps;
    let mut rows = Vec::new();
    if let Some(s) = &st.proposal {
        rows.push([
            "提议".to_string(),
            cells.day(s.date),
            cells.meeting(s.body.as_deref(), StepName::Proposal),
            attendance(s.expected, s.present),
            votes(s),
            // A proposal's outcome is the proposal itself, too long for a cell.
            "提出方案".into(),
        ]);
    }
    if let Some(s) = &st.deliberation {
        let mut meeting = cells.meeting(s.body.as_deref(), StepName::Deliberation);
        if s.combined {
            meeting.push_str("（与提议合并）");
        }
        rows.push([
            "商议".into(),
            cells.day(s.date),
            meeting,
            attendance(s.expected, s.present),
            votes(s),
            short_outcome(s.outcome.as_deref(), "已商议"),
        ]);
    }
    if let Some(s) = &st.party_review {
        let meeting = s
            .form
            .clone()
            .filter(|f| f.ends_with("党员大会"))
            .unwrap_or_else(|| "党员大会".into());
        rows.push([
            "审议".into(),
            cells.day(s.date),
            meeting,
            attendance(s.expected, s.present),
            votes(s),
            short_outcome(s.outcome.as_deref(), "已审议"),
        ]);
    }
    if let Some(r) = &st.resolution {
        let unit = match r.counted_by {
            CountedBy::Persons => "",
            CountedBy::Households => "户",
        };
        rows.push([
            "决议".into(),
            cells.day(r.date),
            r.meeting.label().to_string(),
            format!("{}/{}{unit}", r.expected, r.present),
            format!("{}/{}/{}", r.votes_for, r.against, r.abstain),
            short_outcome(r.outcome.as_deref(), "已表决"),
        ]);
    }
    rows
}

/// How a notice's steps are written in the narrow cells of the table: what the poster already
/// says at its top (the village, the year of the 落款) is left out.
struct Cells {
    kind: VillageKind,
    /// The village's name without 村 or 社区 ("东岭"), empty when unknown.
    stem: String,
    /// The year of the 落款.
    year: i32,
}

impl Cells {
    fn new(site: &Site, n: &Notice) -> Cells {
        let f = &n.doc.front;
        let village = site.config.village(&f.village);
        let kind = village.map(|v| v.kind).unwrap_or_default();
        let name = village
            .map(|v| strip_parentheses(&v.name))
            .unwrap_or_default();
        let stem = name
            .strip_suffix("社区")
            .or_else(|| name.strip_suffix('村'))
            .unwrap_or("")
            .to_string();
        Cells {
            kind,
            stem,
            year: f.signature.date.0.year(),
        }
    }

    /// The meeting or body that took the step, as written or the step's usual one.
    fn meeting(&self, body: Option<&str>, step: StepName) -> String {
        body.map_or_else(|| step.default_body(self.kind).into(), |b| self.own(b))
    }

    /// "东岭村党支部委员会" → "村党支部委员会": the village is named at the top of the poster.
    fn own(&self, body: &str) -> String {
        let stem = self.stem.as_str();
        match body.strip_prefix(stem) {
            Some(rest)
                if !stem.is_empty() && (rest.starts_with('村') || rest.starts_with("社区")) =>
            {
                rest.to_string()
            }
            _ => body.to_string(),
        }
    }

    /// A date in the 落款's year without its year.
    fn day(&self, d: Date) -> String {
        if d.0.year() == self.year {
            format!("{}月{}日", d.0.month(), d.0.day())
        } else {
            d.chinese()
        }
    }
}

/// 应到/实到, or a dash when either is not given.
fn attendance(e: Option<i64>, p: Option<i64>) -> String {
    match (e, p) {
        (Some(e), Some(p)) => format!("{e}/{p}"),
        _ => "—".to_string(),
    }
}

/// 赞成/反对/弃权 (unstated 反对 and 弃权 are none), or a dash for a step without a vote.
fn votes(s: &Step) -> String {
    match s.votes_for {
        Some(v) => format!("{v}/{}/{}", s.against.unwrap_or(0), s.abstain.unwrap_or(0)),
        None => "—".to_string(),
    }
}

/// The 四议 table's caption, with how the matter was put forward (动议事由).
pub fn steps_caption(site: &Site, n: &Notice) -> String {
    let f = &n.doc.front;
    let vk = site
        .config
        .village(&f.village)
        .map(|v| v.kind)
        .unwrap_or_default();
    let by = f.initiated_by.label(vk);
    format!("“四议两公开”办理过程（动议事由：{by}）")
}

/// A verdict short enough for the 结果 cell: the outcome's first clause ("表决通过（赞成票达到
/// …）" → "表决通过"), or its last when that is a verdict ("…；同意方案"), else `fallback`.
fn short_outcome(outcome: Option<&str>, fallback: &str) -> String {
    let Some(text) = outcome else {
        return fallback.into();
    };
    let plain = strip_parentheses(text);
    let clauses: Vec<&str> = plain
        .split(['，', '；', '。', ',', ';'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let short = |c: &&&str| c.chars().count() <= SHORT_OUTCOME_CHARS;
    let verdict = |c: &&&str| {
        ["同意", "通过", "审议", "表决", "否决", "不同意"]
            .iter()
            .any(|w| c.starts_with(w))
    };
    clauses
        .first()
        .filter(short)
        .or_else(|| clauses.last().filter(short).filter(verdict))
        .map(|c| c.to_string())
        .unwrap_or_else(|| fallback.into())
}

/// The text without its （…） and (…) asides.
fn strip_parentheses(text: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The lines above the QR code and the 落款: 公示期 (bold), 公示地点, 监督/反映.
pub struct FootLines {
    pub period: Option<String>,
    pub place: Option<String>,
    pub contact: Option<String>,
    /// Set when the result has been published: a pointer to it, since the poster is the
    /// resolution's.
    pub result: Option<String>,
}

pub fn foot_lines(site: &Site, n: &Notice) -> FootLines {
    let f = &n.doc.front;
    let period = f.disclosure.as_ref().map(|d| {
        format!(
            "公示期：{}至{}（{}天）",
            d.from.chinese(),
            d.to.chinese(),
            d.from.days_until(d.to) + 1
        )
    });
    let place = f
        .disclosure
        .as_ref()
        .and_then(|d| d.place.as_ref())
        .map(|p| format!("公示地点：{p}"));
    let contact = contact(site, n).map(|c| format!("监督/反映：{}", unbroken_numbers(&c)));
    let result = f
        .result
        .as_ref()
        .filter(|r| r.date <= site.today)
        .map(|r| format!("实施结果已于{}公开，扫码查看。", r.date.chinese()));
    FootLines {
        period,
        place,
        contact,
        result,
    }
}

/// Where to report problems: the notice's own `contact`, else site.yaml's `supervision`.
pub fn contact(site: &Site, n: &Notice) -> Option<String> {
    n.doc.front.contact.clone().or_else(|| {
        site.config.supervision.as_ref().map(|s| {
            [s.body.as_str(), s.phone.as_str(), s.address.as_str()]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join("　")
        })
    })
}

/// A word joiner after each hyphen between digits, so a phone number (0937-0000000) is never
/// split over two lines of the printed sheet.
fn unbroken_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in chars.iter().enumerate() {
        out.push(*c);
        let digit = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(char::is_ascii_digit)
        };
        if *c == '-' && digit(i.checked_sub(1)) && digit(Some(i + 1)) {
            out.push('\u{2060}');
        }
    }
    out
}

/// The absolute URL without its scheme, as printed under the QR code for typing by hand.
pub fn short_url(permalink: &str) -> &str {
    permalink
        .split_once("://")
        .map_or(permalink, |(_, rest)| rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_shorten_to_a_verdict() {
        assert_eq!(short_outcome(Some("表决通过"), "x"), "表决通过");
        assert_eq!(
            short_outcome(
                Some("表决通过（赞成票达到全体成员代表的三分之二以上）"),
                "x"
            ),
            "表决通过"
        );
        assert_eq!(
            short_outcome(Some("同意改造方案，提交党员大会审议"), "x"),
            "同意改造方案"
        );
        assert_eq!(
            short_outcome(
                Some("村党支部书记、村委会主任“一肩挑”，提议和商议合并召开；同意方案"),
                "x"
            ),
            "同意方案"
        );
        assert_eq!(
            short_outcome(
                Some("养殖小区闲置多年的圈舍需要维修，增加集体收入"),
                "已商议"
            ),
            "已商议"
        );
        assert_eq!(short_outcome(None, "已审议"), "已审议");
    }

    #[test]
    fn posters_stop_at_the_first_attachment() {
        let body =
            "决议。\n\n## 要点\n\n1. 一\n\n## 附件：实施方案\n\n长。\n\n### 附表 资金\n\n表。\n";
        let p = poster_body(body);
        assert_eq!(p.text, "决议。\n\n## 要点\n\n1. 一\n\n");
        assert_eq!(p.attachments, ["实施方案", "资金"]);
        assert_eq!(
            p.note().as_deref(),
            Some("附件（全文扫码查看）：实施方案；资金")
        );
        let plain = poster_body("## 附近的路\n\n正文");
        assert_eq!(plain.text, "## 附近的路\n\n正文");
        assert!(plain.note().is_none());
    }

    #[test]
    fn phone_numbers_do_not_break() {
        assert_eq!(
            unbroken_numbers("纪委 0937-0000000；2026-2027 年 a-b"),
            "纪委 0937-\u{2060}0000000；2026-\u{2060}2027 年 a-b"
        );
    }

    #[test]
    fn short_url_drops_the_scheme() {
        assert_eq!(short_url("https://a.cn/x/"), "a.cn/x/");
        assert_eq!(short_url("a.cn/x/"), "a.cn/x/");
    }
}
