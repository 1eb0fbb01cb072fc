//! The summaries lists show, and the views of the pages that list or show no document: the
//! portal, an audience's home and lessons, the villages, the search page, 404, the feed, the
//! sitemap and robots.txt.

use super::shared::{Basic, DateView, Pagination, VillageView};
use super::View;
use crate::model::notice::Status;
use crate::model::{Lesson, Notice, Regulation, Site};
use serde::Serialize;
use std::borrow::Cow;

/// 课程列表里的一篇课程。
#[derive(Serialize)]
pub(in crate::render) struct LessonSummary<'a> {
    /// 标题。
    pub title: &'a str,
    /// 摘要。
    pub summary: &'a str,
    /// 这篇课程在这个读者版本里的地址。
    pub url: String,
    /// 日期。
    pub date: DateView,
    /// 标签。
    pub tags: &'a [String],
    /// 正文有专门写给这个读者版本的段落。
    pub has_variant: bool,
}

impl<'a> LessonSummary<'a> {
    pub fn new(site: &Site, l: &'a Lesson, audience: &str) -> Self {
        let f = &l.doc.front;
        LessonSummary {
            title: &f.title,
            summary: &f.summary,
            url: site.config.href(&l.url(audience)),
            date: DateView::new(f.date),
            tags: &f.tags,
            has_variant: l.variants.names(audience),
        }
    }
}

/// 列表里的一件村务公开（最新的在前）。
#[derive(Serialize)]
pub(in crate::render) struct NoticeSummary<'a> {
    /// 标题。
    pub title: &'a str,
    /// 摘要；没写时为空文字。
    pub summary: &'a str,
    /// 公开的事项。
    pub matter: &'a str,
    /// 这件公开的页面的地址。
    pub url: String,
    /// 这件公开的页面的完整地址。
    pub permalink: String,
    /// 日期。
    pub date: DateView,
    /// 最后更新的日期（公开的最后一步，不晚于今天）。
    pub updated: DateView,
    /// 村的编号。
    pub village: &'a str,
    /// 村的名称。
    pub village_name: &'a str,
    /// 进展：`in_progress`（进行中）、`publicizing`（公示中）、`publicity_ended`（公示期满）、
    /// `result_published`（结果已公开）。
    pub status: Status,
    /// 进展的中文说法，例如"公示中"。
    pub status_label: &'static str,
}

impl<'a> NoticeSummary<'a> {
    pub fn new(site: &'a Site, n: &'a Notice) -> Self {
        let c = &site.config;
        let f = &n.doc.front;
        let status = f.status(site.today);
        let url = n.url();
        NoticeSummary {
            title: &f.title,
            summary: &f.summary,
            matter: &f.matter,
            url: c.href(&url),
            permalink: c.permalink(&url),
            date: DateView::new(f.date),
            updated: DateView::new(n.updated(site.today)),
            village: &f.village,
            village_name: c.village(&f.village).map_or("", |v| v.name.as_str()),
            status,
            status_label: status.label(),
        }
    }
}

/// 列表里的一版村规民约（居民公约）。
#[derive(Serialize)]
pub(in crate::render) struct RegulationSummary<'a> {
    /// 标题。
    pub title: &'a str,
    /// 版本，例如"2024年修订"。
    pub version: &'a str,
    /// 这一版的页面的地址。
    pub url: String,
    /// 是现行的一版。
    pub is_current: bool,
    /// 已经备案。
    pub filed: bool,
    /// 日期（表决、备案或生效中最早写了的）；都没写时为空。
    pub date: Option<DateView>,
    /// 生效日期；没写时为空。
    pub effective: Option<DateView>,
}

impl<'a> RegulationSummary<'a> {
    pub fn new(site: &Site, r: &'a Regulation) -> Self {
        let f = &r.doc.front;
        RegulationSummary {
            title: &f.title,
            version: &f.version,
            url: site.config.href(&r.url()),
            is_current: r.is_current,
            filed: f.history.filing.is_some(),
            date: DateView::opt(f.sort_date()),
            effective: DateView::opt(f.effective),
        }
    }
}

/// 门户（网站首页）：选择读者版本。
#[derive(Serialize)]
pub(in crate::render) struct PortalPage<'a> {
    /// 见「每个页面都有的」。
    #[serde(flatten)]
    pub page: Basic<'a>,
}

impl View for PortalPage<'_> {
    const TEMPLATE: &'static str = "portal.html";
}

/// 找不到页面时显示的 404 页。
#[derive(Serialize)]
pub(in crate::render) struct NotFoundPage<'a> {
    /// 见「每个页面都有的」。
    #[serde(flatten)]
    pub page: Basic<'a>,
}

impl View for NotFoundPage<'_> {
    const TEMPLATE: &'static str = "404.html";
}

/// 一个读者版本的首页。
#[derive(Serialize)]
pub(in crate::render) struct HomePage<'a> {
    /// 见「每个页面都有的」；`description` 是"读者版本名版：简介"。
    #[serde(flatten)]
    pub page: Basic<'a>,
    /// 最新的几篇课程（这个版本的课程列表的前 10 篇）。
    pub lessons: Vec<LessonSummary<'a>>,
    /// 这个版本一共几篇课程。
    pub lesson_count: usize,
    /// 全部课程的列表的地址。
    pub lessons_url: String,
    /// 最新的 8 件村务公开。
    pub notices: &'a [NoticeSummary<'a>],
}

impl View for HomePage<'_> {
    const TEMPLATE: &'static str = "home.html";
}

/// 一个读者版本的课程列表的一页（每页 30 篇）。
#[derive(Serialize)]
pub(in crate::render) struct LessonsPage<'a> {
    /// 见「每个页面都有的」。
    #[serde(flatten)]
    pub page: Basic<'a>,
    /// 这一页的课程。
    pub lessons: Vec<LessonSummary<'a>>,
    /// 分页；带 `lesson_count`。
    pub pagination: Pagination,
}

impl View for LessonsPage<'_> {
    const TEMPLATE: &'static str = "lessons.html";
}

/// 村务公开：各村的列表和最新的公开。
#[derive(Serialize)]
pub(in crate::render) struct VillagesPage<'a> {
    /// 见「每个页面都有的」。
    #[serde(flatten)]
    pub page: Basic<'a>,
    /// 最新的 20 件村务公开（各村见 `site.villages`）。
    pub notices: &'a [NoticeSummary<'a>],
}

impl View for VillagesPage<'_> {
    const TEMPLATE: &'static str = "villages.html";
}

/// 一个村的页面的一页：村、它的村规民约和一页村务公开（每页 30 件）。
#[derive(Serialize)]
pub(in crate::render) struct VillagePage<'a> {
    /// 见「每个页面都有的」；`description` 是"村名：简介"（村有简介时）。
    #[serde(flatten)]
    pub page: Basic<'a>,
    /// 这个村。
    pub village: &'a VillageView<'a>,
    /// 这一页的村务公开。
    pub notices: Vec<&'a NoticeSummary<'a>>,
    /// 分页；带 `notice_count`。
    pub pagination: Pagination,
    /// 村规民约的各版，最新的在前，最多 10 版。
    pub regulations: Vec<RegulationSummary<'a>>,
    /// 村规民约一共几版。
    pub version_count: usize,
    /// 全部版本的列表的地址；只在超过 10 版时有。
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versions_url: Option<String>,
}

impl View for VillagePage<'_> {
    const TEMPLATE: &'static str = "village.html";
}

/// 一个村的村规民约全部版本的列表的一页（超过 10 版时才有，每页 50 版）。
#[derive(Serialize)]
pub(in crate::render) struct VersionsPage<'a> {
    /// 见「每个页面都有的」。
    #[serde(flatten)]
    pub page: Basic<'a>,
    /// 这个村。
    pub village: &'a VillageView<'a>,
    /// 这一页的各版，最新的在前。
    pub versions: Vec<RegulationSummary<'a>>,
    /// 分页；带 `version_count`。
    pub pagination: Pagination,
}

impl View for VersionsPage<'_> {
    const TEMPLATE: &'static str = "versions.html";
}

/// 一个读者版本的搜索页：不用脚本时是课程列表，脚本从页面读搜索索引的信息。
#[derive(Serialize)]
pub(in crate::render) struct SearchPage<'a> {
    /// 见「每个页面都有的」。
    #[serde(flatten)]
    pub page: Basic<'a>,
    /// 课程列表的第一页。
    pub lessons: Vec<LessonSummary<'a>>,
    /// 这个版本一共几篇课程。
    pub lesson_count: usize,
    /// 全部课程的列表的地址。
    pub lessons_url: String,
    /// 搜索索引（`search/`）的地址。
    pub index_url: String,
    /// 网站根的地址。
    pub root: String,
    /// 给搜索脚本的索引信息（JSON 文字，放进 `<script type="application/json">`）。
    pub index: &'a str,
}

impl View for SearchPage<'_> {
    const TEMPLATE: &'static str = "search.html";
}

/// 订阅源 `feed.xml`（Atom）。
#[derive(Serialize)]
pub(in crate::render) struct FeedPage<'a> {
    /// 见「每个页面都有的」。
    #[serde(flatten)]
    pub page: Basic<'a>,
    /// 最新的 50 件村务公开。
    pub notices: &'a [NoticeSummary<'a>],
    /// 最新一件公开的更新日期（`2026-03-01`）；没有公开时是今天。
    pub updated: String,
}

impl View for FeedPage<'_> {
    const TEMPLATE: &'static str = "feed.xml";
}

/// 网站地图 `sitemap.xml`。
#[derive(Serialize)]
pub(in crate::render) struct SitemapPage<'a> {
    /// 见「每个页面都有的」。
    #[serde(flatten)]
    pub page: Basic<'a>,
    /// 每个网页的完整地址（不含海报、搜索页和 404）。
    pub urls: Vec<String>,
}

impl View for SitemapPage<'_> {
    const TEMPLATE: &'static str = "sitemap.xml";
}

/// `robots.txt`。
#[derive(Serialize)]
pub(in crate::render) struct RobotsPage<'a> {
    /// 见「每个页面都有的」。
    #[serde(flatten)]
    pub page: Basic<'a>,
    /// 网站地图的完整地址。
    pub sitemap: String,
}

impl View for RobotsPage<'_> {
    const TEMPLATE: &'static str = "robots.txt";
}

/// A list page's title: `title`, with the page number after the first page (pages count
/// from 0).
pub(in crate::render) fn nth_page<'a>(title: Cow<'a, str>, n: usize) -> Cow<'a, str> {
    match n {
        0 => title,
        _ => Cow::Owned(format!("{title}（第 {} 页）", n + 1)),
    }
}
