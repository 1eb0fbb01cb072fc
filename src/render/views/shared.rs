//! Views shared by many templates: the values every template gets ([`Base`]), the site and its
//! villages, dates, the fields every page has, pagination and a document's table of contents.

use super::lists::RegulationSummary;
use crate::config::{Contact, SiteConfig, Supervision, Town, VillageKind};
use crate::markdown::TocEntry;
use crate::model::date::Date;
use crate::model::{urls, Site};
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// 每个模板都有的变量（另有 `page`，见下面各个模板）。
#[derive(Serialize)]
pub(in crate::render) struct Base<'a> {
    /// 站点。
    pub site: &'a SiteView<'a>,
    /// 主题的静态文件：按原文件名取带内容哈希的地址，例如 `{{ assets["style.css"] }}`。
    pub assets: &'a BTreeMap<&'a str, String>,
    /// 正在渲染的读者版本；门户、村务公开、海报等不分读者的页面为空。
    pub audience: Option<&'a CurrentAudience<'a>>,
}

/// 站点（`site.yaml`）。
#[derive(Serialize)]
pub(in crate::render) struct SiteView<'a> {
    /// 网站名称。
    pub title: &'a str,
    /// 网站简介。
    pub description: &'a str,
    /// 网站的完整地址（`site.yaml` 的 `base_url`）。
    pub base_url: &'a str,
    /// 网站在域名下的路径，以 `/` 结尾。
    pub base_path: &'a str,
    /// 首页的地址。
    pub home_url: String,
    /// 村务公开页的地址。
    pub villages_url: String,
    /// 订阅源（feed.xml）的地址。
    pub feed_url: String,
    /// 乡镇。
    pub town: TownView<'a>,
    /// 全部读者版本，按 `site.yaml` 的顺序。
    pub audiences: Vec<SiteAudience<'a>>,
    /// 全部村和社区，按 `site.yaml` 的顺序；只有门户、读者首页、工作一览、村务公开、村的页面、
    /// 村规民约版本列表和 404 页有。
    #[serde(skip_serializing_if = "Option::is_none")]
    pub villages: Option<&'a [VillageView<'a>]>,
    /// 监督渠道（`site.yaml` 的 `supervision`）；没写时为空。
    pub supervision: Option<SupervisionView<'a>>,
    /// 每页页脚的主办单位和备案信息。
    pub footer: FooterView<'a>,
    /// 是否有搜索（`site.yaml` 的 `search`）。
    pub search: bool,
    /// 构建的日期（"今天"）。
    pub today: DateView,
    /// 生成器和版本，例如 `qili 0.1.0`。
    pub generator: &'static str,
}

impl<'a> SiteView<'a> {
    /// The site without its villages; `with_villages` adds them for the pages that list them.
    pub fn new(site: &'a Site) -> SiteView<'a> {
        let c = &site.config;
        SiteView {
            title: &c.title,
            description: &c.description,
            base_url: &c.base_url,
            base_path: c.base_path(),
            home_url: c.href(""),
            villages_url: c.href(&urls::villages()),
            feed_url: c.href("feed.xml"),
            town: TownView::new(&c.town),
            audiences: c
                .audiences
                .iter()
                .map(|a| SiteAudience {
                    id: &a.id,
                    name: &a.name,
                    description: &a.description,
                    url: c.href(&urls::audience_home(&a.id)),
                })
                .collect(),
            villages: None,
            supervision: c.supervision.as_ref().map(SupervisionView::new),
            footer: FooterView::new(c),
            search: c.search,
            today: DateView::new(site.today),
            generator: concat!("qili ", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// 乡镇（`site.yaml` 的 `town`）。
#[derive(Serialize)]
pub(in crate::render) struct TownView<'a> {
    /// 乡镇名，例如"七里镇"。
    pub name: &'a str,
    /// 县（市、区）。
    pub county: &'a str,
    /// 地级市。
    pub city: &'a str,
    /// 省。
    pub province: &'a str,
}

impl<'a> TownView<'a> {
    fn new(t: &'a Town) -> Self {
        TownView {
            name: &t.name,
            county: &t.county,
            city: &t.city,
            province: &t.province,
        }
    }
}

/// 一个读者版本（`site.audiences` 的每一项）。
#[derive(Serialize)]
pub(in crate::render) struct SiteAudience<'a> {
    /// 编号，也是网址的第一段，例如 `qunzhong`。
    pub id: &'a str,
    /// 名称，例如"基层群众"。
    pub name: &'a str,
    /// 简介。
    pub description: &'a str,
    /// 这个版本首页的地址。
    pub url: String,
}

/// 正在渲染的读者版本（`audience`）。
#[derive(Serialize)]
pub(in crate::render) struct CurrentAudience<'a> {
    /// 编号，例如 `qunzhong`。
    pub id: &'a str,
    /// 名称。
    pub name: &'a str,
    /// 简介。
    pub description: &'a str,
    /// 这个版本首页的地址。
    pub url: String,
    /// 各村工作一览的地址；这个版本没有一览（`overview: false`）时为空。
    pub overview_url: Option<String>,
}

impl<'a> CurrentAudience<'a> {
    /// Every audience of the site, in order.
    pub fn all(c: &'a SiteConfig) -> impl Iterator<Item = CurrentAudience<'a>> {
        c.audiences.iter().map(move |a| CurrentAudience {
            id: &a.id,
            name: &a.name,
            description: &a.description,
            url: c.href(&urls::audience_home(&a.id)),
            // Only audiences that have the page link to it.
            overview_url: a.overview.then(|| c.href(&urls::overview(&a.id))),
        })
    }
}

/// 一个村或社区（`site.villages` 的每一项，也是村的页面的 `page.village`）。
#[derive(Serialize)]
pub(in crate::render) struct VillageView<'a> {
    /// 编号，也是网址里的名字。
    pub id: &'a str,
    /// 名称，例如"七里村"。
    pub name: &'a str,
    /// 简介。
    pub description: &'a str,
    /// 是社区（居委会）而不是村。
    pub is_community: bool,
    /// 村的页面的地址。
    pub url: String,
    /// 联系人。
    pub contacts: Vec<ContactView<'a>>,
    /// 现行的村规民约（居民公约）；没有时为空。
    pub regulation: Option<RegulationSummary<'a>>,
    /// 这个村的村务公开件数。
    pub notice_count: usize,
}

impl<'a> VillageView<'a> {
    /// Every village of the site, in order.
    pub fn all(site: &'a Site) -> Vec<VillageView<'a>> {
        let c = &site.config;
        c.villages
            .iter()
            .map(|v| {
                let current = site.regulations_of(&v.id).iter().find(|r| r.is_current);
                VillageView {
                    id: &v.id,
                    name: &v.name,
                    description: &v.description,
                    is_community: v.kind == VillageKind::Community,
                    url: c.href(&urls::village(&v.id)),
                    contacts: ContactView::all(&v.contacts),
                    regulation: current.map(|r| RegulationSummary::new(site, r)),
                    notice_count: site
                        .notices
                        .iter()
                        .filter(|n| n.doc.front.village == v.id)
                        .count(),
                }
            })
            .collect()
    }
}

/// 一位联系人。
#[derive(Serialize)]
pub(in crate::render) struct ContactView<'a> {
    /// 职务，例如"村委会主任"。
    pub role: &'a str,
    /// 姓名。
    pub name: &'a str,
    /// 电话；没写时为空文字。
    pub phone: &'a str,
    /// 备注；没写时为空文字。
    pub note: &'a str,
}

impl<'a> ContactView<'a> {
    pub fn all(contacts: &'a [Contact]) -> Vec<ContactView<'a>> {
        contacts
            .iter()
            .map(|c| ContactView {
                role: &c.role,
                name: &c.name,
                phone: &c.phone,
                note: &c.note,
            })
            .collect()
    }
}

/// 监督渠道。
#[derive(Serialize)]
pub(in crate::render) struct SupervisionView<'a> {
    /// 受理单位，例如"七里镇纪委"。
    pub body: &'a str,
    /// 电话；没写时为空文字。
    pub phone: &'a str,
    /// 地址；没写时为空文字。
    pub address: &'a str,
}

impl<'a> SupervisionView<'a> {
    fn new(s: &'a Supervision) -> Self {
        SupervisionView {
            body: &s.body,
            phone: &s.phone,
            address: &s.address,
        }
    }
}

/// 页脚（`site.yaml` 的 `footer`）；没写的项为空文字。
#[derive(Serialize)]
pub(in crate::render) struct FooterView<'a> {
    /// 主办单位。
    pub organizer: &'a str,
    /// 联系方式。
    pub contact: &'a str,
    /// ICP 备案号。
    pub icp: &'a str,
    /// 公安机关备案号。
    pub police: &'a str,
    /// 政府网站标识码。
    pub site_code: &'a str,
    /// 公安备案号里的数字，用于备案系统的链接（`recordcode=`）。
    pub police_code: &'a str,
}

impl<'a> FooterView<'a> {
    fn new(c: &'a SiteConfig) -> Self {
        let f = &c.footer;
        FooterView {
            organizer: &f.organizer,
            contact: &f.contact,
            icp: &f.icp,
            police: &f.police,
            site_code: &f.site_code,
            police_code: &f.police_code,
        }
    }
}

/// 日期（模板里的日期都是这样）。
#[derive(Clone, Copy, Serialize)]
pub(in crate::render) struct DateView {
    /// `2026-03-01`，给机器读（`<time datetime>`、订阅源）。
    #[serde(serialize_with = "iso")]
    pub iso: Date,
    /// `2026年3月1日`，给人读。
    #[serde(serialize_with = "chinese")]
    pub cn: Date,
}

impl DateView {
    pub fn new(d: Date) -> DateView {
        DateView { iso: d, cn: d }
    }

    pub fn opt(d: Option<Date>) -> Option<DateView> {
        d.map(DateView::new)
    }
}

fn iso<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

fn chinese<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.chinese())
}

/// 每个页面都有的 `page` 变量。
#[derive(Serialize)]
pub(in crate::render) struct Basic<'a> {
    /// 页面的种类：`portal`、`home`、`overview`、`lessons`、`lesson`、`villages`、`village`、
    /// `versions`、`notice`、`regulation`、`poster`、`search`、`404`、`feed`、`sitemap`、`robots`。
    pub kind: &'static str,
    /// 标题；列表的第 2 页起带"（第 N 页）"。
    pub title: Cow<'a, str>,
    /// 简介，给 `<meta name="description">`。
    pub description: Cow<'a, str>,
    /// 这一页的地址（站内路径，带 base_path）。
    pub url: String,
    /// 这一页的完整地址（带域名）。
    pub permalink: String,
}

impl<'a> Basic<'a> {
    /// A page of kind `kind` at `url`, with the site's description.
    pub fn new(c: &'a SiteConfig, kind: &'static str, title: Cow<'a, str>, url: &str) -> Self {
        Basic {
            kind,
            title,
            description: Cow::Borrowed(&c.description),
            url: c.href(url),
            permalink: c.permalink(url),
        }
    }
}

/// 分页：列表的这一页在第几页，前后页的地址。
#[derive(Serialize)]
pub(in crate::render) struct Pagination {
    /// 这是第几页（从 1 起）。
    pub current: usize,
    /// 一共几页（空列表也有 1 页）。
    pub total: usize,
    /// 上一页的地址；第一页为空。
    pub prev: Option<String>,
    /// 下一页的地址；最后一页为空。
    pub next: Option<String>,
    /// 课程一共几篇（只在课程列表里有）。
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lesson_count: Option<usize>,
    /// 村务公开一共几件（只在村的页面里有）。
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_count: Option<usize>,
    /// 村规民约一共几版（只在版本列表里有）。
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_count: Option<usize>,
}

impl Pagination {
    /// Page `n` (0-based) of `total`, with links to its neighbours (`link(page)`).
    pub fn new(n: usize, total: usize, link: impl Fn(usize) -> String) -> Pagination {
        Pagination {
            current: n + 1,
            total,
            prev: (n > 0).then(|| link(n - 1)),
            next: (n + 1 < total).then(|| link(n + 1)),
            lesson_count: None,
            notice_count: None,
            version_count: None,
        }
    }
}

/// 正文的一个标题（`page.toc` 的每一项）。
#[derive(Serialize)]
pub(in crate::render) struct TocItem<'a> {
    /// 级别：2 是 `##`，3 是 `###`……
    pub level: u8,
    /// 锚点，链接写 `#{{ item.id }}`。
    pub id: &'a str,
    /// 标题文字。
    pub title: &'a str,
}

impl<'a> TocItem<'a> {
    pub fn all(toc: &'a [TocEntry]) -> Vec<TocItem<'a>> {
        toc.iter()
            .map(|t| TocItem {
                level: t.level,
                id: &t.id,
                title: &t.title,
            })
            .collect()
    }
}

/// 显示一篇文档的页面（课程、公开、村规民约和它们的海报）的 `page` 都有的。
#[derive(Serialize)]
pub(in crate::render) struct Body<'a> {
    /// 正文的 HTML（已经转好、已经清理，直接输出：`{{ page.content | safe }}`）。
    pub content: &'a str,
    /// 正文的目录（二级以下标题）。
    pub toc: Vec<TocItem<'a>>,
}

impl<'a> Body<'a> {
    pub fn new(r: &'a crate::markdown::Rendered) -> Self {
        Body {
            content: &r.html,
            toc: TocItem::all(&r.toc),
        }
    }
}
