//! Notice-board posters (公开栏), in one place:
//! - [`sheet`]: the paper (A3, A4), the type sizes allowed on it, the QR code's side, and the
//!   verdict of the fit estimate;
//! - [`text`]: what a poster prints (the body up to 附件, the 四议 table, the foot);
//! - [`fit`]: how tall that text is set on a sheet, and the type size chosen;
//! - [`jobs`]: the print views of a site as files to print.
//!
//! `check` warns about posters that do not fit (W350/W351) and `render` fills the print views
//! from these; printing the views to PDF is `crate::serve::print`, on a built site.

pub mod fit;
pub mod jobs;
pub mod sheet;
pub mod text;

pub use fit::choose;
pub use jobs::{print_jobs, PrintJob};
pub use sheet::{Fit, Sheet};
