//! The site's URL scheme, in one place: every page's site-relative path (`villages/a/`, no
//! leading slash). [`crate::config::SiteConfig::href`] turns a path into a link under
//! `base_url`'s path, and [`crate::config::SiteConfig::permalink`] into the absolute URL that is
//! shared, printed as a QR code, and listed in the feed and sitemap.

/// The name of a print view's folder: `…/notices/x/poster/`, `…/guiyue/poster/`. A regulation
/// version may not take it (E209).
pub const POSTER: &str = "poster";

pub fn audience_home(audience: &str) -> String {
    format!("{audience}/")
}

pub fn overview(audience: &str) -> String {
    format!("{audience}/overview/")
}

/// An audience's search page; `?q=…` in its address is the query, so a search can be shared.
pub fn search(audience: &str) -> String {
    format!("{audience}/search/")
}

/// The folder of the search index (shards and chunks), shared by all audiences.
pub const SEARCH_INDEX: &str = "search/";

pub fn lesson(audience: &str, slug: &str) -> String {
    format!("{audience}/lessons/{slug}/")
}

/// Page `page` (0-based) of an audience's lesson list: the first at `lessons/`.
pub fn lesson_list(audience: &str, page: usize) -> String {
    if page == 0 {
        format!("{audience}/lessons/")
    } else {
        format!("{audience}/lessons/page/{}/", page + 1)
    }
}

pub fn villages() -> String {
    "villages/".into()
}

pub fn village(id: &str) -> String {
    format!("villages/{id}/")
}

/// Page `page` (0-based) of a village's page, which lists its notices: the first at the
/// village's own URL.
pub fn village_page(id: &str, page: usize) -> String {
    match page {
        0 => village(id),
        _ => format!("villages/{id}/page/{}/", page + 1),
    }
}

/// Page `page` (0-based) of the list of all versions of a village's regulation. Beside
/// `guiyue/`, not in it, so that no version name can take its URL.
pub fn regulation_versions(village: &str, page: usize) -> String {
    match page {
        0 => format!("villages/{village}/banben/"),
        _ => format!("villages/{village}/banben/page/{}/", page + 1),
    }
}

pub fn notice(village: &str, slug: &str) -> String {
    format!("villages/{village}/notices/{slug}/")
}

/// A regulation: the current version at the village's canonical `guiyue/`, older ones by
/// version name.
pub fn regulation(village: &str, version: Option<&str>) -> String {
    match version {
        None => format!("villages/{village}/guiyue/"),
        Some(v) => format!("villages/{village}/guiyue/{v}/"),
    }
}

/// A notice's print view: A3 (the board size) at `poster/`, A4 at `poster-a4/`.
pub fn notice_poster(notice_url: &str, a4: bool) -> String {
    if a4 {
        format!("{notice_url}{POSTER}-a4/")
    } else {
        format!("{notice_url}{POSTER}/")
    }
}

pub fn regulation_poster(regulation_url: &str) -> String {
    format!("{regulation_url}{POSTER}/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme() {
        assert_eq!(lesson_list("qunzhong", 0), "qunzhong/lessons/");
        assert_eq!(lesson_list("qunzhong", 1), "qunzhong/lessons/page/2/");
        let n = notice("dongling", "2026-qu-dao");
        assert_eq!(n, "villages/dongling/notices/2026-qu-dao/");
        assert_eq!(notice_poster(&n, false), format!("{n}poster/"));
        assert_eq!(notice_poster(&n, true), format!("{n}poster-a4/"));
        let r = regulation("dongling", Some("2019"));
        assert_eq!(
            regulation_poster(&r),
            "villages/dongling/guiyue/2019/poster/"
        );
    }
}
