//! Notice-board posters (公开栏), in one place:
//! - [`sheet`]: the paper (A3, A4), the type sizes allowed on it, the QR code's side, and the
//!   verdict of the fit estimate;
//! - [`text`]: what a poster prints (the body up to 附件, the 四议 table, the foot);
//! - [`fit`]: how tall that text is set on a sheet, and the type size chosen.
//!
//! `check` warns about posters that do not fit (W350/W351) and `render` fills the print views
//! from these; printing the views to PDF is the `posters` command, run on a built site.

pub mod fit;
pub mod sheet;
pub mod text;

pub use fit::choose;
pub use sheet::{Fit, Sheet};
