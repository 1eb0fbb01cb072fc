//! `#anchor` links across pages (E207): checked once every page has rendered, since a link's
//! target page may render after it.

use super::PageFacts;
use crate::diagnostics::Diagnostic;

/// Checks every `#anchor` link of `pages` against the anchors of the page it points to, found
/// by `page` (by URL): no index of every page is built, since few pages link to anchors.
pub fn check_anchors<'p>(
    pages: impl Iterator<Item = &'p PageFacts>,
    page: impl Fn(&str) -> Option<&'p PageFacts>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for o in pages.filter(|o| !o.anchor_refs.is_empty()) {
        for (a, file, line, col) in &o.anchor_refs {
            let target = a.page.as_deref().unwrap_or(&o.url);
            let ok = page(target).is_some_and(|t| t.anchors.iter().any(|x| x == &a.anchor));
            if !ok {
                problems.push(
                    Diagnostic::error(
                        "E207",
                        file.clone(),
                        format!("链接的锚点 #{} 在页面 /{target} 中不存在", a.anchor),
                    )
                    .at(*line, *col)
                    .hint("标题的锚点是标题的拼音，例如「邻里关系」→ #lin-li-guan-xi；条文是 #tiao-12"),
                );
            }
        }
    }
    problems
}
