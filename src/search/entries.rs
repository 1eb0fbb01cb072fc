//! What a search can find: the entries of a site, in the order they are numbered.

use crate::markdown::{chinese_number, Article};
use crate::model::{urls, Regulation, Site};
use crate::render::data::chapters;
use std::borrow::Cow;
use std::collections::HashMap;

/// The kinds of entries, in the order their entries are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    Lesson,
    Notice,
    Regulation,
    Article,
    Village,
}

impl EntryKind {
    pub const ALL: [EntryKind; 5] = [
        EntryKind::Lesson,
        EntryKind::Notice,
        EntryKind::Regulation,
        EntryKind::Article,
        EntryKind::Village,
    ];
}

/// What a rendered page gives the index.
#[derive(Debug, Clone)]
pub enum PageText {
    /// A lesson or notice: its text as the reader sees it. Shared: a lesson's audiences
    /// mostly read the same words, kept once.
    Text(std::sync::Arc<str>),
    /// A regulation: its 条 (with anchors and chapters).
    Articles(Vec<Article>),
}

/// One thing a search can find. Its text is borrowed from the page where it can be: at
/// 10,000 pages a copy of every page's text was a hundred megabytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry<'a> {
    pub title: String,
    /// Indexed as the title when it differs from what is shown (a 条 is found by `第三条`,
    /// shown with its regulation's name).
    pub find_title: Option<String>,
    /// Shown under the title, and found as the summary is: the village, a lesson's tags, a
    /// 条's chapter.
    pub meta: String,
    /// A lesson's or notice's tags, space-separated: found as tags, between title and summary.
    pub tags: String,
    pub summary: String,
    /// A lesson's URL below its audience's home (`lessons/x/`); others from the site root.
    pub url: String,
    /// The text in parts, read one after another with a line break between them (a notice's
    /// matter, its page and its result; a lesson's page and the laws it cites): borrowed from
    /// the pages, not copied into one string.
    pub text: Vec<Cow<'a, str>>,
    /// Lessons: the audiences (by number) that read this wording. Others: all.
    pub audiences: Vec<usize>,
}

/// An entry with the kind it is numbered under.
type Kinded<'a> = (EntryKind, Entry<'a>);

/// The entries of the site, given the text of each document page by URL.
pub fn entries<'a>(site: &'a Site, texts: &'a HashMap<String, PageText>) -> Vec<Kinded<'a>> {
    let mut out = Vec::new();
    lessons(site, texts, &mut out);
    notices(site, texts, &mut out);
    regulations(site, texts, &mut out);
    articles(site, texts, &mut out);
    villages(site, &mut out);
    out
}

fn village_name(site: &Site, id: &str) -> String {
    site.config
        .village(id)
        .map(|v| v.name.clone())
        .unwrap_or_default()
}

fn page_text<'a>(texts: &'a HashMap<String, PageText>, url: &str) -> &'a str {
    match texts.get(url) {
        Some(PageText::Text(t)) => t,
        _ => "",
    }
}

/// Only the regulations in force are found: an old version would answer with rules that no
/// longer hold. Each with the 条 its page shows.
fn current_regulations<'a>(
    site: &'a Site,
    texts: &'a HashMap<String, PageText>,
) -> impl Iterator<Item = (&'a Regulation, &'a [Article])> {
    site.regulations
        .iter()
        .filter(|r| r.is_current)
        .map(move |r| match texts.get(&r.url()) {
            Some(PageText::Articles(a)) => (&**r, a.as_slice()),
            _ => (&**r, &[][..]),
        })
}

/// One entry per distinct wording of a lesson, shared by the audiences that read it: a reader
/// finds the words their own page shows, and a wording read by all is indexed once.
fn lessons<'a>(site: &'a Site, texts: &'a HashMap<String, PageText>, out: &mut Vec<Kinded<'a>>) {
    for l in &site.lessons {
        let f = &l.doc.front;
        let mut wordings: Vec<(&str, Vec<usize>)> = Vec::new();
        for (a, aud) in site.config.audiences.iter().enumerate() {
            if !l.is_for(&aud.id) {
                continue;
            }
            let text = page_text(texts, &l.url(&aud.id));
            match wordings.iter_mut().find(|(t, _)| *t == text) {
                Some((_, auds)) => auds.push(a),
                None => wordings.push((text, vec![a])),
            }
        }
        for (text, audiences) in wordings {
            let summary = if f.summary.is_empty() {
                text.chars().take(60).collect()
            } else {
                f.summary.clone()
            };
            // The page lists the laws it cites below the text.
            let mut parts = vec![Cow::Borrowed(text)];
            parts.extend(f.laws.iter().map(|law| Cow::Borrowed(law.as_str())));
            out.push((
                EntryKind::Lesson,
                Entry {
                    title: f.title.clone(),
                    meta: f.tags.join("、"),
                    tags: f.tags.join(" "),
                    summary,
                    url: format!("lessons/{}/", l.doc.slug),
                    text: parts,
                    audiences,
                    ..Default::default()
                },
            ));
        }
    }
}

/// A notice is found by its matter, its page and, once published, its result.
fn notices<'a>(site: &'a Site, texts: &'a HashMap<String, PageText>, out: &mut Vec<Kinded<'a>>) {
    for n in &site.notices {
        let f = &n.doc.front;
        let body = page_text(texts, &n.url());
        let mut text = vec![Cow::Borrowed(f.matter.as_str()), Cow::Borrowed(body)];
        if let Some(r) = &f.result {
            let result = [Some(&r.content), r.amount.as_ref()].into_iter().flatten();
            text.extend(result.map(|part| Cow::Borrowed(part.as_str())));
        }
        let village = village_name(site, &f.village);
        out.push((
            EntryKind::Notice,
            Entry {
                title: f.title.clone(),
                // The village, then the tags (shown in the result as on the notice's page).
                meta: match f.tags.is_empty() {
                    true => village,
                    false => format!("{village} · {}", f.tags.join("、")),
                },
                tags: f.tags.join(" "),
                summary: if f.summary.is_empty() {
                    f.matter.clone()
                } else {
                    f.summary.clone()
                },
                url: n.url(),
                text,
                ..Default::default()
            },
        ));
    }
}

/// A regulation as a whole is found by its name, summary and chapter titles; its words are
/// found through its 条.
fn regulations<'a>(
    site: &'a Site,
    texts: &'a HashMap<String, PageText>,
    out: &mut Vec<Kinded<'a>>,
) {
    for (r, list) in current_regulations(site, texts) {
        let f = &r.doc.front;
        out.push((
            EntryKind::Regulation,
            Entry {
                title: f.title.clone(),
                meta: village_name(site, &f.village),
                summary: f.summary.clone(),
                url: r.url(),
                text: chapters(list).into_iter().map(Cow::Borrowed).collect(),
                ..Default::default()
            },
        ));
    }
}

/// Each 条 of a current regulation on its own, so a search lands on the rule itself.
fn articles<'a>(site: &'a Site, texts: &'a HashMap<String, PageText>, out: &mut Vec<Kinded<'a>>) {
    for (r, list) in current_regulations(site, texts) {
        let f = &r.doc.front;
        for a in list {
            let number = format!("第{}条", chinese_number(a.number));
            out.push((
                EntryKind::Article,
                Entry {
                    title: format!("{} {number}", f.title),
                    find_title: Some(number),
                    meta: a.chapter.clone(),
                    // Found by the regulation's name too: "东岭村 宅基地".
                    summary: f.title.clone(),
                    url: format!("{}#{}", r.url(), a.id),
                    text: vec![Cow::Borrowed(a.text.as_str())],
                    ..Default::default()
                },
            ));
        }
    }
}

/// Who to call is what a village's page is for: shown in the result, found as a summary.
fn villages<'a>(site: &'a Site, out: &mut Vec<Kinded<'a>>) {
    for v in &site.config.villages {
        let contacts: Vec<String> = v
            .contacts
            .iter()
            .map(|p| {
                format!("{} {} {}", p.role, p.name, p.phone)
                    .trim()
                    .to_string()
            })
            .collect();
        let mut text = vec![Cow::Borrowed(v.description.as_str())];
        let notes = v.contacts.iter().filter(|p| !p.note.is_empty());
        text.extend(notes.map(|p| Cow::Borrowed(p.note.as_str())));
        text.extend(v.collective.iter().map(|c| Cow::Borrowed(c.name.as_str())));
        out.push((
            EntryKind::Village,
            Entry {
                title: v.name.clone(),
                meta: contacts.join("；"),
                summary: v.description.clone(),
                url: urls::village(&v.id),
                text,
                ..Default::default()
            },
        ));
    }
}

impl Entry<'_> {
    /// The text as one string, its parts on lines of their own.
    pub fn joined(&self) -> String {
        self.text.join("\n")
    }
}
