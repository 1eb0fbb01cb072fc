//! The print views of a site, as files to print: each one's site-relative URL and a PDF file
//! name a secretary can read at the print shop (`东岭` is `dongling`, the village's id):
//! `<村>-<slug>-A3.pdf` and `-A4.pdf` for notices, `<村>-guiyue-A4.pdf` for the current
//! regulation and `<村>-guiyue-<版本>-A4.pdf` for older versions.

use super::Sheet;
use crate::model::{urls, Site};

/// One print view to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJob {
    /// Site-relative URL (`villages/a/notices/b/poster/`).
    pub url: String,
    pub file: String,
    pub regulation: bool,
}

/// Every print view of `site`, notices first, in the site's order; none when posters are off.
pub fn print_jobs(site: &Site) -> Vec<PrintJob> {
    if !site.config.posters {
        return Vec::new();
    }
    let mut jobs = Vec::new();
    for n in &site.notices {
        let village = &n.doc.front.village;
        for sheet in Sheet::ALL {
            jobs.push(PrintJob {
                url: sheet.notice_url(&n.url()),
                file: format!("{village}-{}-{}.pdf", n.doc.slug, sheet.name()),
                regulation: false,
            });
        }
    }
    for r in &site.regulations {
        let f = &r.doc.front;
        let version = if r.is_current {
            String::new()
        } else {
            format!("-{}", f.version)
        };
        jobs.push(PrintJob {
            url: urls::regulation_poster(&r.url()),
            file: format!("{}-guiyue{version}-A4.pdf", f.village),
            regulation: true,
        });
    }
    jobs
}
