//! The paper a poster is printed on: sizes, the type sizes allowed on it, the QR code's side,
//! and the verdict of the fit estimate ([`Fit`]).

use crate::model::urls;

/// Points per millimetre.
pub(super) const PT_PER_MM: f64 = 72.0 / 25.4;
/// `@page` margin on every side (poster.html).
pub const MARGIN_MM: f64 = 10.0;
/// Line height of running text, and of table cells and headings (poster.css).
pub(super) const LINE: f64 = 1.3;
/// Kept free at the foot of the sheet, in body lines, for what the estimate cannot see:
/// another font's line breaks, a printer driver's rounding.
pub(super) const SAFETY_LINES: f64 = 0.5;

/// The paper sizes a notice poster is printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    A4,
    A3,
}

impl Sheet {
    pub const ALL: [Sheet; 2] = [Sheet::A3, Sheet::A4];

    pub fn name(self) -> &'static str {
        match self {
            Sheet::A4 => "A4",
            Sheet::A3 => "A3",
        }
    }

    /// Class of the poster's `<body>` (`poster-a4`) and part of the PDF file name.
    pub fn class(self) -> &'static str {
        match self {
            Sheet::A4 => "a4",
            Sheet::A3 => "a3",
        }
    }

    /// The poster's URL from its notice's (`…/notices/x/poster/` for A3, the board size).
    pub fn notice_url(self, notice_url: &str) -> String {
        urls::notice_poster(notice_url, self == Sheet::A4)
    }

    /// Width and height of the paper in millimetres, portrait.
    pub fn paper_mm(self) -> (f64, f64) {
        match self {
            Sheet::A4 => (210.0, 297.0),
            Sheet::A3 => (297.0, 420.0),
        }
    }

    /// Minimum body size: A4 is the 公文 baseline (三号, 16pt); A3 goes on boards read from
    /// two or three metres away.
    pub fn min_body_pt(self) -> f64 {
        match self {
            Sheet::A4 => 16.0,
            Sheet::A3 => 22.0,
        }
    }

    /// Minimum title size: 二号 (22pt) on A4; 36pt on A3.
    pub fn min_title_pt(self) -> f64 {
        match self {
            Sheet::A4 => 22.0,
            Sheet::A3 => 36.0,
        }
    }

    /// Body sizes tried, largest first: a short notice is set larger than the minimum, which
    /// reads better from afar and leaves no half-empty sheet.
    pub(super) fn body_sizes(self) -> &'static [f64] {
        match self {
            Sheet::A4 => &[20.0, 19.0, 18.0, 17.0, 16.0],
            Sheet::A3 => &[28.0, 27.0, 26.0, 25.0, 24.0, 23.0, 22.0],
        }
    }

    /// Title size for a body size: the minimum title scaled with the body.
    pub fn title_pt(self, body_pt: f64) -> f64 {
        (self.min_title_pt() * body_pt / self.min_body_pt()).round()
    }

    /// Side of the QR code. A code is read at about ten times its size: 35 mm from a phone
    /// held at arm's length (40 cm), 50 mm on an A3 board seen from a little further.
    pub fn qr_mm(self) -> f64 {
        match self {
            Sheet::A4 => 35.0,
            Sheet::A3 => 50.0,
        }
    }

    /// Width and height of the printable area in points.
    pub(super) fn content_pt(self) -> (f64, f64) {
        let (w, h) = self.paper_mm();
        (
            (w - 2.0 * MARGIN_MM) * PT_PER_MM,
            (h - 2.0 * MARGIN_MM) * PT_PER_MM,
        )
    }
}

/// The estimate for one notice on one sheet at one body size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub sheet: Sheet,
    pub body_pt: f64,
    pub title_pt: f64,
    /// Estimated height of the poster and height of the sheet's printable area, in points.
    pub needed_pt: f64,
    pub available_pt: f64,
}

impl Fit {
    pub fn fits(&self) -> bool {
        self.needed_pt <= self.available_pt - SAFETY_LINES * self.body_pt * LINE
    }

    /// Heights in lines of body text, for messages.
    pub fn lines_needed(&self) -> usize {
        (self.needed_pt / (self.body_pt * LINE)).ceil() as usize
    }

    pub fn lines_available(&self) -> usize {
        (self.available_pt / (self.body_pt * LINE) - SAFETY_LINES).floor() as usize
    }
}
