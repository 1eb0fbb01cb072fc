//! W350 / W351: a notice whose poster does not fit one sheet at the minimum type size. The
//! estimate itself is `crate::poster::fit`.

use crate::diagnostics::Diagnostic;
use crate::model::{Notice, Site};
use crate::poster::fit::{estimate, PosterText};
use crate::poster::Sheet;

/// W350 / W351: a notice whose poster does not fit one sheet at the minimum type size.
pub fn check_notice(site: &Site, n: &Notice, out: &mut Vec<Diagnostic>) {
    let text = PosterText::of(site, n);
    for sheet in [Sheet::A4, Sheet::A3] {
        let fit = estimate(&text, sheet, sheet.min_body_pt());
        if fit.fits() {
            continue;
        }
        let code = match sheet {
            Sheet::A4 => "W350",
            Sheet::A3 => "W351",
        };
        let d = Diagnostic::warning(
            code,
            &n.doc.file,
            format!(
                "{} 海报放不下：内容约需 {} 行，一页只能放 {} 行（正文 {}pt）",
                sheet.name(),
                fit.lines_needed(),
                fit.lines_available(),
                fit.body_pt
            ),
        )
        .hint(format!(
            "海报要贴在公开栏里，只能印一张 {}：请精简正文，或者把实施方案、名单等放进附件另行张贴（网上全文可扫码查看）",
            sheet.name()
        ));
        out.push(n.doc.finding(d, "title"));
    }
}
