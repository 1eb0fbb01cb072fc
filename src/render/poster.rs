//! What the print views (`poster.html`, `poster-regulation.html`) see: the notice and regulation
//! pages' values plus the poster's own (sheet, type sizes, the printed text of
//! `crate::poster::text`, and the QR code of the online page as inline SVG).

use super::data::merge;
use crate::model::notice::disclosure_label;
use crate::model::urls;
use crate::model::{Notice, Regulation, Site};
use crate::poster::text::{
    foot_lines, poster_body, short_url, step_rows, steps_caption, STEP_HEADERS,
};
use crate::poster::{Fit, Sheet};
use serde_json::{json, Value};

/// Values for `poster.html`: the notice page's values plus the poster's own.
/// `qr` is the notice's QR code (see [`qr_svg`]), made once for both sheet sizes.
pub fn notice_poster(site: &Site, n: &Notice, sheet: Sheet, fit: &Fit, qr: Option<&str>) -> Value {
    let c = &site.config;
    let mut v = super::data::notice_page(site, n);
    let url = n.url();
    let permalink = c.permalink(&url);
    let foot = foot_lines(site, n);
    let rows: Vec<Value> = step_rows(site, n).iter().map(|r| json!(r)).collect();
    let body = poster_body(&n.doc.body);
    let other = match sheet {
        Sheet::A3 => Sheet::A4,
        Sheet::A4 => Sheet::A3,
    };
    let vk = c
        .village(&n.doc.front.village)
        .map(|v| v.kind)
        .unwrap_or_default();
    let extra = json!({
        "kind": "poster",
        "title": n.doc.front.title,
        "description": v["description"],
        "url": c.href(&sheet.notice_url(&url)),
        "permalink": permalink,
        "canonical_url": c.href(&url),
        "disclosure_label": disclosure_label(vk),
        "sheet": sheet.name(),
        "sheet_class": sheet.class(),
        "other_sheet": {"name": other.name(), "url": c.href(&other.notice_url(&url))},
        "body_pt": fit.body_pt,
        "title_pt": fit.title_pt,
        "qr_mm": sheet.qr_mm(),
        "qr_svg": qr,
        "short_url": short_url(&permalink),
        "step_headers": STEP_HEADERS,
        "steps_caption": steps_caption(site, n),
        "attachments": body.note(),
        "step_rows": rows,
        "foot": {
            "period": foot.period, "place": foot.place, "contact": foot.contact,
            "result": foot.result,
        },
    });
    merge(&mut v, extra);
    v
}

/// Values for `poster-regulation.html`: the regulation page's values plus the poster's own.
pub fn regulation_poster(site: &Site, r: &Regulation, mut v: Value) -> Value {
    let c = &site.config;
    let url = r.url();
    let permalink = c.permalink(&url);
    let f = &r.doc.front;
    let village = c.village(&f.village);
    let adopted = f
        .history
        .vote
        .as_ref()
        .map(|vote| format!("{}{}通过", vote.date.chinese(), vote.meeting.label()));
    let filed = f.history.filing.as_ref().map(|m| {
        let by = m
            .body
            .as_deref()
            .map(|b| format!("报{b}"))
            .unwrap_or_default();
        format!("{}{by}备案", m.date.chinese())
    });
    let sheet = Sheet::A4;
    let extra = json!({
        "kind": "poster",
        "url": c.href(&urls::regulation_poster(&url)),
        "permalink": permalink,
        "canonical_url": c.href(&url),
        "village_name": village.map(|v| v.name.as_str()).unwrap_or(""),
        "sheet": sheet.name(),
        "sheet_class": sheet.class(),
        "body_pt": sheet.min_body_pt(),
        "title_pt": sheet.min_title_pt(),
        "qr_mm": sheet.qr_mm(),
        "qr_svg": qr_svg(&permalink),
        "short_url": short_url(&permalink),
        "adopted": adopted,
        "filed": filed,
        "signature_date": f.history.vote.as_ref().map(|m| m.date.chinese())
            .or_else(|| f.effective.map(|d| d.chinese())),
    });
    merge(&mut v, extra);
    v
}

/// Modules of white around the code: the QR standard's quiet zone, which scanners need.
const QUIET_ZONE: usize = 4;

/// The QR code of `text` as a small inline SVG: each row's dark runs as strokes one module
/// high in a single path, in a viewBox of modules, sized by CSS. Drawn here rather than by the
/// crate's SVG renderer, which writes an XML declaration (not allowed inside HTML) and one
/// rectangle per module (several times the bytes). `None` only for text too long for any QR
/// code.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET_ZONE;
    let mut path = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut pen: Option<usize> = None;
        let mut x = 0;
        while x < width {
            if row[x] != qrcode::Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] == qrcode::Color::Dark {
                x += 1;
            }
            // The stroke runs along the middle of the row: y + 0.5.
            match pen {
                None => path.push_str(&format!("M{} {}.5", start + QUIET_ZONE, y + QUIET_ZONE)),
                Some(end) => path.push_str(&format!("m{} 0", start - end)),
            }
            path.push_str(&format!("h{}", x - start));
            pen = Some(x);
        }
    }
    Some(format!(
        "<svg class=\"qr-code\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         role=\"img\" aria-label=\"二维码：{}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path stroke=\"#000\" d=\"{path}\"/></svg>",
        super::templates::escape(text)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_svg_is_small_and_escaped() {
        let svg = qr_svg("https://qili.example.cn/villages/a/notices/b/?x=1&y=\"2\"").unwrap();
        assert!(svg.starts_with("<svg "));
        assert!(!svg.contains("<?xml"));
        assert!(!svg.contains(" width=\"") || svg.contains("<rect width="));
        assert!(svg.contains("&amp;y=&quot;2&quot;"), "{svg}");
        assert!(svg.len() < 3000, "{} bytes", svg.len());
    }
}
