//! The QR code the print views (`poster.html`, `poster-regulation.html`) show: the address of
//! the online page, as inline SVG.

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
