//! The view of a lesson's page (`lesson.html`), as one audience reads it.

use super::shared::{Body, ContactView, DateView};
use super::View;
use crate::model::{urls, Lesson, Site};
use serde::Serialize;

/// 一篇课程（一个读者版本读到的样子：正文里只留写给这个版本的段落）。
#[derive(Serialize)]
pub(in crate::render) struct LessonPage<'a> {
    /// 页面的种类：`lesson`。
    pub kind: &'static str,
    /// 标题。
    pub title: &'a str,
    /// 简介（同摘要）。
    pub description: &'a str,
    /// 摘要。
    pub summary: &'a str,
    /// 这一页的地址。
    pub url: String,
    /// 这一页的完整地址。
    pub permalink: String,
    /// 日期。
    pub date: DateView,
    /// 标签。
    pub tags: &'a [String],
    /// 涉及的法律，例如"《中华人民共和国村民委员会组织法》第二十四条"。
    pub laws: &'a [String],
    /// 课程讲的是哪个村的事（`village:`）；没写时为空。
    pub village: Option<LessonVillage<'a>>,
    /// 正文有专门写给这个读者版本的段落。
    pub has_variant: bool,
    /// 这篇课程的各个读者版本（可以切换）。
    pub audiences: Vec<LessonAudience<'a>>,
    /// 正文和目录。
    #[serde(flatten)]
    pub body: Body<'a>,
}

impl View for LessonPage<'_> {
    const TEMPLATE: &'static str = "lesson.html";
}

/// 课程讲的村。
#[derive(Serialize)]
pub(in crate::render) struct LessonVillage<'a> {
    /// 编号。
    pub id: &'a str,
    /// 名称。
    pub name: &'a str,
    /// 联系人。
    pub contacts: Vec<ContactView<'a>>,
    /// 村的页面的地址。
    pub url: String,
}

/// 课程的一个读者版本。
#[derive(Serialize)]
pub(in crate::render) struct LessonAudience<'a> {
    /// 编号。
    pub id: &'a str,
    /// 名称。
    pub name: &'a str,
    /// 这篇课程在这个版本里的地址。
    pub url: String,
    /// 就是正在看的版本。
    pub current: bool,
}

impl<'a> LessonPage<'a> {
    pub fn new(site: &'a Site, l: &'a Lesson, audience: &str, body: Body<'a>) -> Self {
        let c = &site.config;
        let f = &l.doc.front;
        let url = l.url(audience);
        LessonPage {
            kind: "lesson",
            title: &f.title,
            description: &f.summary,
            summary: &f.summary,
            url: c.href(&url),
            permalink: c.permalink(&url),
            date: DateView::new(f.date),
            tags: &f.tags,
            laws: &f.laws,
            village: f
                .village
                .as_deref()
                .and_then(|v| c.village(v))
                .map(|v| LessonVillage {
                    id: &v.id,
                    name: &v.name,
                    contacts: ContactView::all(&v.contacts),
                    url: c.href(&urls::village(&v.id)),
                }),
            has_variant: l.variants.names(audience),
            audiences: f
                .audiences
                .iter()
                .filter_map(|a| c.audience(a))
                .map(|a| LessonAudience {
                    id: &a.id,
                    name: &a.name,
                    url: c.href(&l.url(&a.id)),
                    current: a.id == audience,
                })
                .collect(),
            body,
        }
    }
}
