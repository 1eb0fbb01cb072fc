//! The views of a regulation's page (`regulation.html`) and of its poster
//! (`poster-regulation.html`).

use super::lists::RegulationSummary;
use super::shared::{Body, DateView};
use super::View;
use crate::markdown::Article;
use crate::model::regulation::{History, Milestone};
use crate::model::{urls, Regulation, Site};
use crate::poster::text::short_url;
use crate::poster::Sheet;
use crate::render::data::chapters;
use crate::render::diff::Change;
use crate::render::pages::MAX_VERSIONS_LISTED;
use serde::Serialize;

/// 一版村规民约（居民公约）的页面，和上一版比较。
#[derive(Serialize)]
pub(in crate::render) struct RegulationPage<'a> {
    /// 见「列表里的一版村规民约」：标题、版本、日期……
    #[serde(flatten)]
    pub summary: RegulationSummary<'a>,
    /// 页面的种类：`regulation`。
    pub kind: &'static str,
    /// 简介（摘要）。
    pub description: &'a str,
    /// 摘要（和 `description` 相同，课程和公开的页面也叫它 `summary`）。
    #[serde(rename = "summary")]
    pub lead: &'a str,
    /// 这一版的页面的完整地址。
    pub permalink: String,
    /// 所属的村；`site.yaml` 里没有这个村时为空。
    pub village: Option<RegulationVillage<'a>>,
    /// 这个村的村规民约一共几版。
    pub version_count: usize,
    /// 这一版改了什么（作者写的说明）；没写时为空。
    pub changes: Option<&'a str>,
    /// 一共几条。
    pub article_count: usize,
    /// 各章的标题，按顺序。
    pub chapters: Vec<&'a str>,
    /// 和上一版的逐条比较；没有上一版时为空（海报上总为空）。
    pub diff: Option<DiffView<'a>>,
    /// 现行版本的地址（总指向现行的一版）。
    pub current_url: String,
    /// 列出全部版本的地址：村的页面，超过 10 版时是版本列表。
    pub versions_url: String,
    /// 海报的地址；站点不印海报时为空。
    pub poster_url: Option<String>,
    /// 制定的经过（征集民意、拟定草案、提请审核、审议表决、备案），只列写了的。
    pub history: Vec<HistoryItem<'a>>,
    /// 这个村最新的 10 版。
    pub versions: Vec<VersionItem<'a>>,
    /// 正文和目录。
    #[serde(flatten)]
    pub body: Body<'a>,
}

impl View for RegulationPage<'_> {
    const TEMPLATE: &'static str = "regulation.html";
}

/// 村规民约所属的村。
#[derive(Serialize)]
pub(in crate::render) struct RegulationVillage<'a> {
    /// 编号。
    pub id: &'a str,
    /// 名称。
    pub name: &'a str,
    /// 村的页面的地址。
    pub url: String,
}

/// 和上一版的比较。
#[derive(Serialize)]
pub(in crate::render) struct DiffView<'a> {
    /// 上一版的版本。
    pub version: &'a str,
    /// 上一版的地址。
    pub url: String,
    /// 逐条的改动，见「和上一版相比的一处改动」。
    pub items: Vec<Change>,
}

/// 制定经过的一步。
#[derive(Serialize)]
pub(in crate::render) struct HistoryItem<'a> {
    /// `solicit`、`draft`、`review`、`vote` 或 `filing`。
    pub key: &'static str,
    /// 这一步的名称，例如"审议表决"。
    pub label: &'static str,
    /// 日期。
    pub date: DateView,
    /// 哪个机构或会议；没写时为空。
    pub body: Option<&'a str>,
    /// 说明；表决是"应到……，实到……；赞成……，反对……，弃权……"；没写时为空。
    pub note: Option<String>,
}

/// 版本列表里的一版。
#[derive(Serialize)]
pub(in crate::render) struct VersionItem<'a> {
    /// 见「列表里的一版村规民约」。
    #[serde(flatten)]
    pub summary: RegulationSummary<'a>,
    /// 就是这一页显示的这一版。
    pub current_page: bool,
}

impl<'a> RegulationPage<'a> {
    /// `previous` is the village's previous version with its 条, when there is one.
    pub fn new(
        site: &'a Site,
        r: &'a Regulation,
        articles: &'a [Article],
        previous: Option<(&'a Regulation, &[Article])>,
        body: Body<'a>,
    ) -> Self {
        let c = &site.config;
        let f = &r.doc.front;
        // A page lists the newest versions only; the village page lists them all. Listing every
        // version on every version page would grow with the square of the number of versions.
        let all_versions = site.regulations_of(&f.village);
        let versions = all_versions
            .iter()
            .take(MAX_VERSIONS_LISTED)
            .map(|o| VersionItem {
                summary: RegulationSummary::new(site, o),
                current_page: std::ptr::eq(o.as_ref(), r),
            })
            .collect();
        RegulationPage {
            summary: RegulationSummary::new(site, r),
            kind: "regulation",
            description: &f.summary,
            lead: &f.summary,
            permalink: c.permalink(&r.url()),
            village: c.village(&f.village).map(|v| RegulationVillage {
                id: &v.id,
                name: &v.name,
                url: c.href(&urls::village(&v.id)),
            }),
            version_count: all_versions.len(),
            changes: f.changes.as_deref(),
            article_count: articles.len(),
            chapters: chapters(articles),
            diff: previous.map(|(p, old)| DiffView {
                version: &p.doc.front.version,
                url: c.href(&p.url()),
                items: crate::render::diff::articles(old, articles),
            }),
            current_url: c.href(&urls::regulation(&f.village, None)),
            // Where all versions are listed: the village's page, or the list of its own when
            // there are too many for that page.
            versions_url: c.href(&if all_versions.len() > MAX_VERSIONS_LISTED {
                urls::regulation_versions(&f.village, 0)
            } else {
                urls::village(&f.village)
            }),
            poster_url: c
                .posters
                .then(|| c.href(&urls::regulation_poster(&r.url()))),
            history: history(&f.history),
            versions,
            body,
        }
    }
}

/// The procedure steps a regulation records, in the order they happen, with the vote's counts
/// spelled out so a reader sees how it passed.
fn history(h: &History) -> Vec<HistoryItem<'_>> {
    let milestones = [
        ("solicit", "征集民意", &h.solicit),
        ("draft", "拟定草案", &h.draft),
        ("review", "提请审核", &h.review),
    ];
    fn item<'h>(key: &'static str, label: &'static str, m: &'h Milestone) -> HistoryItem<'h> {
        HistoryItem {
            key,
            label,
            date: DateView::new(m.date),
            body: m.body.as_deref(),
            note: m.note.clone(),
        }
    }
    let mut history: Vec<HistoryItem> = milestones
        .into_iter()
        .filter_map(|(key, label, m)| Some(item(key, label, m.as_ref()?)))
        .collect();
    if let Some(vote) = &h.vote {
        history.push(HistoryItem {
            key: "vote",
            label: "审议表决",
            date: DateView::new(vote.date),
            body: Some(vote.meeting.label()),
            note: Some(format!(
                "应到 {e}{u}，实到 {p}{u}；赞成 {}，反对 {}，弃权 {}",
                vote.votes_for,
                vote.against,
                vote.abstain,
                e = vote.expected,
                p = vote.present,
                u = vote.counted_by.unit()
            )),
        });
    }
    history.extend(h.filing.as_ref().map(|m| item("filing", "备案", m)));
    history
}

/// 一版村规民约的海报（A4，印全文，不印和上一版的比较）：页面的全部变量，加上海报自己的。
#[derive(Serialize)]
pub(in crate::render) struct RegulationPosterPage<'a> {
    /// 见「regulation.html」（`diff` 为空）。
    #[serde(flatten)]
    pub regulation: RegulationPage<'a>,
    /// 页面的种类：`poster`。
    pub kind: &'static str,
    /// 这张海报的地址。
    pub url: String,
    /// 这一版的网页的地址。
    pub canonical_url: String,
    /// 村的名称。
    pub village_name: &'a str,
    /// 纸张："A4"。
    pub sheet: &'static str,
    /// 纸张的 CSS 类名。
    pub sheet_class: &'static str,
    /// 正文的字号（磅）。
    pub body_pt: f64,
    /// 标题的字号（磅）。
    pub title_pt: f64,
    /// 二维码的边长（毫米）。
    pub qr_mm: f64,
    /// 这一版的网页的二维码（内嵌 SVG）；地址太长时为空。
    pub qr_svg: Option<String>,
    /// 印在二维码旁的短地址。
    pub short_url: String,
    /// "某年某月某日村民会议通过"；没有表决时为空。
    pub adopted: Option<String>,
    /// "某年某月某日报某某备案"（这里替换了列表里的 `filed`）；没有备案时为空。
    pub filed: Option<String>,
    /// 落款日期：表决的日期，没有时是生效日期；都没有时为空。
    pub signature_date: Option<String>,
}

impl View for RegulationPosterPage<'_> {
    const TEMPLATE: &'static str = "poster-regulation.html";
}

impl<'a> RegulationPosterPage<'a> {
    pub fn new(site: &'a Site, r: &'a Regulation, regulation: RegulationPage<'a>) -> Self {
        let c = &site.config;
        let url = r.url();
        let f = &r.doc.front;
        let adopted = f
            .history
            .vote
            .as_ref()
            .map(|vote| format!("{}{}通过", vote.date.chinese(), vote.meeting.label()));
        let filed = f.history.filing.as_ref().map(|m| {
            let by = m
                .body
                .as_deref()
                .map(|b| format!("报{b}"))
                .unwrap_or_default();
            format!("{}{by}备案", m.date.chinese())
        });
        let sheet = Sheet::A4;
        let permalink = &regulation.permalink;
        let qr_svg = crate::render::poster::qr_svg(permalink);
        RegulationPosterPage {
            kind: "poster",
            url: c.href(&urls::regulation_poster(&url)),
            canonical_url: c.href(&url),
            village_name: c.village(&f.village).map_or("", |v| v.name.as_str()),
            sheet: sheet.name(),
            sheet_class: sheet.class(),
            body_pt: sheet.min_body_pt(),
            title_pt: sheet.min_title_pt(),
            qr_mm: sheet.qr_mm(),
            qr_svg,
            short_url: short_url(permalink).to_string(),
            adopted,
            filed,
            signature_date: f
                .history
                .vote
                .as_ref()
                .map(|m| m.date.chinese())
                .or_else(|| f.effective.map(|d| d.chinese())),
            regulation,
        }
    }
}
