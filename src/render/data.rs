//! What templates see: the model turned into plain values with ready-made URLs and Chinese
//! dates, so themes stay free of logic. README's 模板变量 section documents these shapes.

use super::pages::MAX_VERSIONS_LISTED;
use crate::markdown::Article;
use crate::model::date::Date;
use crate::model::notice::{disclosure_label, Step, StepName};
use crate::model::regulation::History;
use crate::model::urls;
use crate::model::{Lesson, Site};
use crate::model::{Notice, Regulation};
use crate::poster::Sheet;
use serde_json::{json, Value};

/// Findings listed per village on the overview; the rest are counted (`qili check` lists all).
const MAX_ISSUES_LISTED: usize = 20;

fn date(d: Date) -> Value {
    json!({ "iso": d.to_string(), "cn": d.chinese() })
}

fn opt_date(d: Option<Date>) -> Value {
    d.map(date).unwrap_or(Value::Null)
}

pub fn site(site: &Site) -> Value {
    let c = &site.config;
    let audiences: Vec<Value> = c
        .audiences
        .iter()
        .map(|a| {
            json!({
                "id": a.id, "name": a.name, "description": a.description,
                "url": c.href(&urls::audience_home(&a.id)),
            })
        })
        .collect();
    let villages: Vec<Value> = c
        .villages
        .iter()
        .map(|v| {
            let current = site.regulations_of(&v.id).iter().find(|r| r.is_current);
            json!({
                "id": v.id, "name": v.name, "description": v.description,
                "is_community": v.kind == crate::config::VillageKind::Community,
                "url": c.href(&urls::village(&v.id)),
                "contacts": v.contacts,
                "regulation": current.map(|r| regulation_summary(site, r)),
                "notice_count": site.notices.iter().filter(|n| n.doc.front.village == v.id).count(),
            })
        })
        .collect();
    json!({
        "title": c.title,
        "description": c.description,
        "base_url": c.base_url,
        "base_path": c.base_path(),
        "home_url": c.href(""),
        "villages_url": c.href(&urls::villages()),
        "feed_url": c.href("feed.xml"),
        "town": c.town,
        "audiences": audiences,
        "villages": villages,
        "supervision": c.supervision,
        "footer": c.footer,
        "search": c.search,
        "today": date(site.today),
        "generator": concat!("qili ", env!("CARGO_PKG_VERSION")),
    })
}

pub fn lesson_summary(site: &Site, l: &Lesson, audience: &str) -> Value {
    let f = &l.doc.front;
    json!({
        "title": f.title,
        "summary": f.summary,
        "url": site.config.href(&l.url(audience)),
        "date": date(f.date),
        "tags": f.tags,
        "has_variant": l.variants.names(audience),
    })
}

pub fn lesson_page(site: &Site, l: &Lesson, audience: &str) -> Value {
    let c = &site.config;
    let f = &l.doc.front;
    let url = l.url(audience);
    let others: Vec<Value> = f
        .audiences
        .iter()
        .filter_map(|a| c.audience(a))
        .map(|a| {
            json!({
                "id": a.id, "name": a.name, "url": c.href(&l.url(&a.id)),
                "current": a.id == audience,
            })
        })
        .collect();
    let mut v = json!({
        "kind": "lesson",
        "title": f.title,
        "description": f.summary,
        "summary": f.summary,
        "url": c.href(&url),
        "permalink": c.permalink(&url),
        "date": date(f.date),
        "tags": f.tags,
        "laws": f.laws,
        "village": f.village.as_deref().and_then(|v| c.village(v)).map(|v| json!({
            "id": v.id, "name": v.name, "contacts": v.contacts,
            "url": c.href(&urls::village(&v.id)),
        })),
        "has_variant": l.variants.names(audience),
    });
    // Moved in: `json!` would copy a `Value` it is given.
    v["audiences"] = Value::Array(others);
    v
}

pub fn notice_summary(site: &Site, n: &Notice) -> Value {
    let c = &site.config;
    let f = &n.doc.front;
    let status = f.status(site.today);
    json!({
        "title": f.title,
        "summary": f.summary,
        "matter": f.matter,
        "url": c.href(&n.url()),
        "permalink": c.permalink(&n.url()),
        "date": date(f.date),
        "updated": date(n.updated(site.today)),
        "village": f.village,
        "village_name": c.village(&f.village).map(|v| v.name.as_str()).unwrap_or(""),
        "status": status,
        "status_label": status.label(),
    })
}

fn step_value(key: &str, label: &str, s: &Step) -> Value {
    json!({
        "key": key, "label": label, "date": date(s.date), "body": s.body, "form": s.form,
        "expected": s.expected, "present": s.present, "for": s.votes_for,
        "against": s.against, "abstain": s.abstain, "outcome": s.outcome,
        "combined": s.combined,
    })
}

pub fn notice_page(site: &Site, n: &Notice) -> Value {
    let c = &site.config;
    let f = &n.doc.front;
    let vk = c.village(&f.village).map(|v| v.kind).unwrap_or_default();
    let mut v = notice_summary(site, n);
    let mut steps = Vec::new();
    let st = &f.steps;
    let named = [
        ("proposal", StepName::Proposal, &st.proposal),
        ("deliberation", StepName::Deliberation, &st.deliberation),
        ("party_review", StepName::PartyReview, &st.party_review),
    ];
    for (key, name, step) in named {
        if let Some(s) = step {
            steps.push(step_value(key, name.label(vk), s));
        }
    }
    if let Some(r) = &st.resolution {
        steps.push(json!({
            "key": "resolution",
            "label": format!("{}决议", r.meeting.label()),
            "meeting": r.meeting.label(),
            "counted_by": r.counted_by.unit(),
            "announced": opt_date(r.announced),
            "date": date(r.date), "form": r.form, "body": r.meeting.label(),
            "expected": r.expected, "present": r.present, "for": r.votes_for,
            "against": r.against, "abstain": r.abstain, "outcome": r.outcome,
            "households": r.households,
        }));
    }
    let contact = crate::poster::text::contact(site, n);
    let mut extra = json!({
        "kind": "notice",
        "description": if f.summary.is_empty() { f.matter.clone() } else { f.summary.clone() },
        "matter_kind": f.kind.label(),
        "initiated_by": f.initiated_by.label(vk),
        "disclosure_label": disclosure_label(vk),
        "disclosure": f.disclosure.as_ref().map(|d| json!({
            "from": date(d.from), "to": date(d.to), "place": d.place,
            "days": d.from.days_until(d.to) + 1,
        })),
        "result": f.result.as_ref().map(|r| json!({
            "date": date(r.date), "content": r.content, "amount": r.amount,
            "progress": r.progress, "supervision": r.supervision,
        })),
        "signature": { "body": f.signature.body, "date": date(f.signature.date) },
        "contact": contact,
        "tags": f.tags,
        // Print views for the 村务公开栏 (render::poster).
        "poster_a3": c.posters.then(|| c.href(&Sheet::A3.notice_url(&n.url()))),
        "poster_a4": c.posters.then(|| c.href(&Sheet::A4.notice_url(&n.url()))),
    });
    extra["steps"] = Value::Array(steps);
    merge(&mut v, extra);
    v
}

pub fn regulation_summary(site: &Site, r: &Regulation) -> Value {
    let c = &site.config;
    let f = &r.doc.front;
    json!({
        "title": f.title,
        "version": f.version,
        "url": c.href(&r.url()),
        "is_current": r.is_current,
        "filed": f.history.filing.is_some(),
        "date": opt_date(f.sort_date()),
        "effective": opt_date(f.effective),
    })
}

/// Summaries of a village's regulation versions, newest first, `skip` and `take` applied first.
pub fn versions(site: &Site, village: &str, skip: usize, take: usize) -> Value {
    let all = site.regulations_of(village).iter().skip(skip).take(take);
    Value::Array(all.map(|r| regulation_summary(site, r)).collect())
}

/// A list's title, with the page number after the first page (pages count from 0).
pub fn nth_page(title: &str, n: usize) -> String {
    match n {
        0 => title.to_string(),
        _ => format!("{title}（第 {} 页）", n + 1),
    }
}

pub fn regulation_page(
    site: &Site,
    r: &Regulation,
    articles: &[Article],
    previous: Option<(&Regulation, &[Article])>,
) -> Value {
    let c = &site.config;
    let f = &r.doc.front;
    let mut v = regulation_summary(site, r);
    let history = regulation_history(&f.history);
    // A page lists the newest versions only; the village page lists them all. Listing every
    // version on every version page would grow with the square of the number of versions.
    let all_versions = site.regulations_of(&f.village);
    let versions: Vec<Value> = all_versions
        .iter()
        .take(MAX_VERSIONS_LISTED)
        .map(|o| {
            let mut s = regulation_summary(site, o);
            s["current_page"] = Value::Bool(std::ptr::eq(o.as_ref(), r));
            s
        })
        .collect();
    let chapters = chapters(articles);
    let mut extra = json!({
        "kind": "regulation",
        "description": f.summary,
        "permalink": c.permalink(&r.url()),
        "village": c.village(&f.village).map(|v| json!({"id": v.id, "name": v.name, "url": c.href(&urls::village(&v.id))})),
        "version_count": all_versions.len(),
        "changes": f.changes,
        "article_count": articles.len(),
        "chapters": chapters,
        "diff": previous.map(|(p, old)| json!({
            "version": p.doc.front.version,
            "url": c.href(&p.url()),
            "items": crate::render::diff::articles(old, articles),
        })),
        "current_url": c.href(&urls::regulation(&f.village, None)),
        // Where all versions are listed: the village's page, or the list of its own when
        // there are too many for that page.
        "versions_url": c.href(&if all_versions.len() > MAX_VERSIONS_LISTED {
            urls::regulation_versions(&f.village, 0)
        } else {
            urls::village(&f.village)
        }),
        "poster_url": c.posters.then(|| c.href(&urls::regulation_poster(&r.url()))),
    });
    extra["history"] = Value::Array(history);
    extra["versions"] = Value::Array(versions);
    merge(&mut v, extra);
    v
}

/// The procedure steps a regulation records, in the order they happen, with the vote's counts
/// spelled out so a reader sees how it passed.
fn regulation_history(h: &History) -> Vec<Value> {
    let mut history = Vec::new();
    let milestones = [
        ("solicit", "征集民意", &h.solicit),
        ("draft", "拟定草案", &h.draft),
        ("review", "提请审核", &h.review),
    ];
    for (key, label, m) in milestones {
        if let Some(m) = m {
            history.push(json!({"key": key, "label": label, "date": date(m.date), "body": m.body, "note": m.note}));
        }
    }
    if let Some(vote) = &h.vote {
        history.push(json!({
            "key": "vote", "label": "审议表决", "date": date(vote.date),
            "body": vote.meeting.label(),
            "note": format!("应到 {e}{u}，实到 {p}{u}；赞成 {}，反对 {}，弃权 {}",
                vote.votes_for, vote.against, vote.abstain,
                e = vote.expected, p = vote.present,
                u = vote.counted_by.unit()),
        }));
    }
    if let Some(m) = &h.filing {
        history.push(json!({"key": "filing", "label": "备案", "date": date(m.date), "body": m.body, "note": m.note}));
    }
    history
}

/// The chapter titles in the order they first appear, for the page's table of contents; a run
/// of articles under one chapter names it once.
pub fn chapters(articles: &[Article]) -> Vec<&str> {
    let mut seen: Vec<&str> = Vec::new();
    for a in articles {
        if !a.chapter.is_empty() && seen.last() != Some(&a.chapter.as_str()) {
            seen.push(&a.chapter);
        }
    }
    seen
}

/// Adds the keys of `extra` to the object `base`.
pub(super) fn merge(base: &mut Value, extra: Value) {
    if let (Value::Object(b), Value::Object(e)) = (base, extra) {
        b.extend(e);
    }
}

/// The leaders' overview: per village, what is on track and what is overdue (the case study's
/// 综治纪实 view).
pub fn overview(site: &Site, findings: &[crate::diagnostics::Diagnostic]) -> Value {
    use crate::model::notice::Status;
    let c = &site.config;
    let villages: Vec<Value> = c
        .villages
        .iter()
        .map(|v| {
            let notices: Vec<&Notice> = site
                .notices
                .iter().map(|n| n.as_ref())
                .filter(|n| n.doc.front.village == v.id)
                .collect();
            let counts: Vec<Value> = Status::ALL
                .iter()
                .map(|s| {
                    let n = notices.iter().filter(|n| n.doc.front.status(site.today) == *s);
                    json!({"status": s, "label": s.label(), "count": n.count()})
                })
                .collect();
            let files: std::collections::HashSet<&str> = notices
                .iter()
                .map(|n| n.doc.file.as_str())
                .chain(site.regulations_of(&v.id).iter().map(|r| r.doc.file.as_str()))
                .collect();
            let line = c.village_line(&v.id);
            let issues: Vec<Value> = findings
                .iter()
                .filter(|d| {
                    files.contains(d.file.as_str())
                        || (d.file == crate::config::FILE_NAME && d.line == line && d.code == "W331")
                })
                .map(|d| json!({"code": d.code, "message": d.message, "law": d.law, "error": d.is_error()}))
                .collect();
            let issue_count = issues.len();
            let issues: Vec<Value> = issues.into_iter().take(MAX_ISSUES_LISTED).collect();
            let current = site.regulations_of(&v.id).iter().find(|r| r.is_current);
            json!({
                "id": v.id,
                "name": v.name,
                "url": c.href(&urls::village(&v.id)),
                "regulation": current.map(|r| regulation_summary(site, r)),
                "counts": counts,
                "latest": notices.iter().take(3).map(|n| notice_summary(site, n)).collect::<Vec<_>>(),
                "issues": issues,
                "issue_count": issue_count,
                "disclosed_this_quarter": crate::check::disclosed_this_quarter(site, &v.id),
            })
        })
        .collect();
    json!(villages)
}
