//! Stage 3, check: the rules of the law that a notice or a regulation must follow. Each finding
//! cites the article it rests on. Filled in by the notices/regulations work.

use crate::diagnostics::Diagnostic;
use crate::model::Site;

/// Every finding about the site's notices and regulations.
pub fn run(_site: &Site) -> Vec<Diagnostic> {
    Vec::new()
}
