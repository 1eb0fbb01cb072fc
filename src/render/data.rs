//! Values derived from the model that both the views and the search index use.

use crate::markdown::Article;

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
