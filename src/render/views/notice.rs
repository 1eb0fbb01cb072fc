//! The views of a notice's page (`notice.html`) and of its posters (`poster.html`).

use super::lists::NoticeSummary;
use super::shared::{Body, DateView};
use super::View;
use crate::model::notice::{disclosure_label, Resolution, Step, StepName};
use crate::model::{Notice, Site};
use crate::poster::text::{
    foot_lines, poster_body, short_url, step_rows, steps_caption, StepRow, STEP_HEADERS,
};
use crate::poster::{Fit, Sheet};
use serde::Serialize;

/// 一件村务公开（四议两公开）的页面。
#[derive(Serialize)]
pub(in crate::render) struct NoticePage<'a> {
    /// 见「列表里的一件村务公开」：标题、日期、进展……
    #[serde(flatten)]
    pub summary: &'a NoticeSummary<'a>,
    /// 页面的种类：`notice`。
    pub kind: &'static str,
    /// 简介：摘要，没写摘要时是事项。
    pub description: &'a str,
    /// 事项的种类，例如"集体经济项目"。
    pub matter_kind: &'static str,
    /// 由谁提议，例如"村党组织"。
    pub initiated_by: &'static str,
    /// "村务公开"或"居务公开"。
    pub disclosure_label: &'static str,
    /// 公示；没有公示时为空。
    pub disclosure: Option<DisclosureView<'a>>,
    /// 实施结果的公开；还没有时为空。
    pub result: Option<ResultView<'a>>,
    /// 落款。
    pub signature: SignatureView<'a>,
    /// 有异议找谁：公开写的联系方式，没写时是站点的监督渠道；都没有时为空。
    pub contact: Option<String>,
    /// 标签。
    pub tags: &'a [String],
    /// A3 海报的地址；站点不印海报（`posters: false`）时为空。
    pub poster_a3: Option<String>,
    /// A4 海报的地址；站点不印海报时为空。
    pub poster_a4: Option<String>,
    /// 四议的各步，按发生的顺序（只列写了的步）。
    pub steps: Vec<StepView<'a>>,
    /// 正文和目录。
    #[serde(flatten)]
    pub body: Body<'a>,
}

impl View for NoticePage<'_> {
    const TEMPLATE: &'static str = "notice.html";
}

impl<'a> NoticePage<'a> {
    pub fn new(
        site: &'a Site,
        n: &'a Notice,
        summary: &'a NoticeSummary<'a>,
        body: Body<'a>,
    ) -> Self {
        let c = &site.config;
        let f = &n.doc.front;
        let vk = c.village(&f.village).map(|v| v.kind).unwrap_or_default();
        let st = &f.steps;
        let named = [
            ("proposal", StepName::Proposal, &st.proposal),
            ("deliberation", StepName::Deliberation, &st.deliberation),
            ("party_review", StepName::PartyReview, &st.party_review),
        ];
        let mut steps: Vec<StepView> = named
            .into_iter()
            .filter_map(|(key, name, s)| Some(StepView::step(key, name.label(vk), s.as_ref()?)))
            .collect();
        steps.extend(st.resolution.as_ref().map(StepView::resolution));
        NoticePage {
            summary,
            kind: "notice",
            description: if f.summary.is_empty() {
                &f.matter
            } else {
                &f.summary
            },
            matter_kind: f.kind.label(),
            initiated_by: f.initiated_by.label(vk),
            disclosure_label: disclosure_label(vk),
            disclosure: f.disclosure.as_ref().map(|d| DisclosureView {
                from: DateView::new(d.from),
                to: DateView::new(d.to),
                place: d.place.as_deref(),
                days: d.from.days_until(d.to) + 1,
            }),
            result: f.result.as_ref().map(|r| ResultView {
                date: DateView::new(r.date),
                content: &r.content,
                amount: r.amount.as_deref(),
                progress: r.progress.as_deref(),
                supervision: r.supervision.as_deref(),
            }),
            signature: SignatureView {
                body: &f.signature.body,
                date: DateView::new(f.signature.date),
            },
            contact: crate::poster::text::contact(site, n),
            tags: &f.tags,
            // Print views for the 村务公开栏 (render::poster).
            poster_a3: c.posters.then(|| c.href(&Sheet::A3.notice_url(&n.url()))),
            poster_a4: c.posters.then(|| c.href(&Sheet::A4.notice_url(&n.url()))),
            steps,
            body,
        }
    }
}

/// 公示。
#[derive(Serialize)]
pub(in crate::render) struct DisclosureView<'a> {
    /// 公示开始的日期。
    pub from: DateView,
    /// 公示结束的日期。
    pub to: DateView,
    /// 公示的地点；没写时为空。
    pub place: Option<&'a str>,
    /// 公示几天（含首尾两天）。
    pub days: i64,
}

/// 实施结果的公开。
#[derive(Serialize)]
pub(in crate::render) struct ResultView<'a> {
    /// 公开结果的日期。
    pub date: DateView,
    /// 结果。
    pub content: &'a str,
    /// 金额；没写时为空。
    pub amount: Option<&'a str>,
    /// 进度；没写时为空。
    pub progress: Option<&'a str>,
    /// 监督的情况；没写时为空。
    pub supervision: Option<&'a str>,
}

/// 落款。
#[derive(Serialize)]
pub(in crate::render) struct SignatureView<'a> {
    /// 落款单位，例如"东岭村民委员会"。
    pub body: &'a str,
    /// 落款日期。
    pub date: DateView,
}

/// 四议的一步（`page.steps` 的每一项）。没写的数为空。
#[derive(Serialize)]
pub(in crate::render) struct StepView<'a> {
    /// `proposal`（提议）、`deliberation`（商议）、`party_review`（审议）或 `resolution`（决议）。
    pub key: &'static str,
    /// 这一步的名称，例如"村党组织提议"、"村民代表会议决议"。
    pub label: String,
    /// 日期。
    pub date: DateView,
    /// 开会的机构；决议是会议的名称。
    pub body: Option<&'a str>,
    /// 形式，例如"会议"。
    pub form: Option<&'a str>,
    /// 应到人数（或户数）。
    pub expected: Option<i64>,
    /// 实到人数（或户数）。
    pub present: Option<i64>,
    /// 赞成。
    #[serde(rename = "for")]
    pub votes_for: Option<i64>,
    /// 反对。
    pub against: Option<i64>,
    /// 弃权。
    pub abstain: Option<i64>,
    /// 结果，例如"同意"。
    pub outcome: Option<&'a str>,
    /// 前三步才有的。
    #[serde(flatten)]
    pub step: Option<StepOwn>,
    /// 决议才有的。
    #[serde(flatten)]
    pub resolution: Option<ResolutionOwn>,
}

/// 提议、商议、审议这三步才有的。
#[derive(Serialize)]
pub(in crate::render) struct StepOwn {
    /// 这一步和下一步在同一次会议上进行。
    pub combined: bool,
}

/// 决议才有的。
#[derive(Serialize)]
pub(in crate::render) struct ResolutionOwn {
    /// 会议的名称，例如"村民会议"。
    pub meeting: &'static str,
    /// 计数的单位："人"或"户"。
    pub counted_by: &'static str,
    /// 宣布结果的日期；没写时为空。
    pub announced: Option<DateView>,
    /// 到会的户数；没写时为空。
    pub households: Option<i64>,
}

impl<'a> StepView<'a> {
    fn step(key: &'static str, label: &'static str, s: &'a Step) -> Self {
        StepView {
            key,
            label: label.to_string(),
            date: DateView::new(s.date),
            body: s.body.as_deref(),
            form: s.form.as_deref(),
            expected: s.expected,
            present: s.present,
            votes_for: s.votes_for,
            against: s.against,
            abstain: s.abstain,
            outcome: s.outcome.as_deref(),
            step: Some(StepOwn {
                combined: s.combined,
            }),
            resolution: None,
        }
    }

    fn resolution(r: &'a Resolution) -> Self {
        StepView {
            key: "resolution",
            label: format!("{}决议", r.meeting.label()),
            date: DateView::new(r.date),
            body: Some(r.meeting.label()),
            form: r.form.as_deref(),
            expected: Some(r.expected),
            present: Some(r.present),
            votes_for: Some(r.votes_for),
            against: Some(r.against),
            abstain: Some(r.abstain),
            outcome: r.outcome.as_deref(),
            step: None,
            resolution: Some(ResolutionOwn {
                meeting: r.meeting.label(),
                counted_by: r.counted_by.unit(),
                announced: DateView::opt(r.announced),
                households: r.households,
            }),
        }
    }
}

/// 一件村务公开的海报（贴在村务公开栏，A3 或 A4 一张）：公开的页面的全部变量，加上海报自己的。
#[derive(Serialize)]
pub(in crate::render) struct NoticePosterPage<'a> {
    /// 见「notice.html」（`content` 是海报印的那部分正文：附件之前的）。
    #[serde(flatten)]
    pub notice: NoticePage<'a>,
    /// 页面的种类：`poster`。
    pub kind: &'static str,
    /// 这张海报的地址。
    pub url: String,
    /// 公开的网页的地址。
    pub canonical_url: String,
    /// 纸张："A3"或"A4"。
    pub sheet: &'static str,
    /// 纸张的 CSS 类名。
    pub sheet_class: &'static str,
    /// 另一种纸张的海报。
    pub other_sheet: OtherSheet,
    /// 正文的字号（磅），选到能排进一张纸的最大的。
    pub body_pt: f64,
    /// 标题的字号（磅）。
    pub title_pt: f64,
    /// 二维码的边长（毫米）。
    pub qr_mm: f64,
    /// 公开的网页的二维码（内嵌 SVG，`{{ page.qr_svg | safe }}`）；地址太长时为空。
    pub qr_svg: Option<&'a str>,
    /// 印在二维码旁的短地址（不带 `https://`）。
    pub short_url: &'a str,
    /// 四议表格的表头。
    pub step_headers: [&'static str; 6],
    /// 四议表格的标题。
    pub steps_caption: String,
    /// 附件的说明（附件不印，扫码看全文）；没有附件时为空。
    pub attachments: Option<String>,
    /// 四议表格的各行，每行 6 格，和表头对应。
    pub step_rows: Vec<StepRow>,
    /// 海报底部的几行。
    pub foot: FootView,
}

impl View for NoticePosterPage<'_> {
    const TEMPLATE: &'static str = "poster.html";
}

/// 另一种纸张的海报。
#[derive(Serialize)]
pub(in crate::render) struct OtherSheet {
    /// 纸张："A3"或"A4"。
    pub name: &'static str,
    /// 那张海报的地址。
    pub url: String,
}

/// 海报底部的几行；没有的为空。
#[derive(Serialize)]
pub(in crate::render) struct FootView {
    /// 公示期。
    pub period: Option<String>,
    /// 公示地点。
    pub place: Option<String>,
    /// 有异议找谁。
    pub contact: Option<String>,
    /// 结果已经公开时，指向结果。
    pub result: Option<String>,
}

impl<'a> NoticePosterPage<'a> {
    /// `qr` is the notice's QR code, made once for both sheet sizes.
    pub fn new(
        site: &'a Site,
        n: &'a Notice,
        notice: NoticePage<'a>,
        sheet: Sheet,
        fit: &Fit,
        qr: Option<&'a str>,
    ) -> Self {
        let c = &site.config;
        let url = n.url();
        let foot = foot_lines(site, n);
        let other = match sheet {
            Sheet::A3 => Sheet::A4,
            Sheet::A4 => Sheet::A3,
        };
        let summary = notice.summary;
        let short = short_url(&summary.permalink);
        NoticePosterPage {
            kind: "poster",
            url: c.href(&sheet.notice_url(&url)),
            canonical_url: c.href(&url),
            sheet: sheet.name(),
            sheet_class: sheet.class(),
            other_sheet: OtherSheet {
                name: other.name(),
                url: c.href(&other.notice_url(&url)),
            },
            body_pt: fit.body_pt,
            title_pt: fit.title_pt,
            qr_mm: sheet.qr_mm(),
            qr_svg: qr,
            short_url: short,
            step_headers: STEP_HEADERS,
            steps_caption: steps_caption(site, n),
            attachments: poster_body(&n.doc.body).note(),
            step_rows: step_rows(site, n),
            foot: FootView {
                period: foot.period,
                place: foot.place,
                contact: foot.contact,
                result: foot.result,
            },
            notice,
        }
    }
}
