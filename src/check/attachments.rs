//! What a villager at the notice board must read on the poster itself: a poster prints the body
//! up to the first "## 附件" heading, and older villagers who cannot scan the QR code never see
//! the rest. So the way to object (异议、反映) and the money (金额) must not stand only under 附件.

use crate::diagnostics::Diagnostic;
use crate::model::Notice;
use crate::poster::text::poster_body;

/// Words of an objection route: how a villager raises an objection or makes a complaint.
const OBJECTION: &[&str] = &["异议", "反映"];

/// W352 / W353 for `n`.
pub fn check(n: &Notice, out: &mut Vec<Diagnostic>) {
    let doc = &n.doc;
    let f = &doc.front;
    let poster = poster_body(&doc.body);
    let attached = &doc.body[poster.text.len()..];
    if attached.is_empty() {
        return;
    }
    let printed = format!("{}\n{}\n{}\n{}", f.title, f.summary, f.matter, poster.text);
    let line = doc.body_line + poster.text.matches('\n').count();
    let at = |d: Diagnostic| d.at(line, 1);
    if mentions(attached, OBJECTION) && !mentions(&printed, OBJECTION) {
        out.push(at(Diagnostic::warning(
            "W352",
            &doc.file,
            "提出异议、反映意见的办法只写在附件里：海报不印附件，看不了二维码的村民在公开栏上看不到",
        )
        .hint("把怎么提异议（向谁、什么时候之前、怎么提）写到「## 附件」前面的正文里；附件只放长名单、明细")));
    }
    let money = amounts(attached);
    if !money.is_empty() && amounts(&printed).is_empty() {
        out.push(at(Diagnostic::warning(
            "W353",
            &doc.file,
            format!(
                "金额只写在附件里（{}）：海报不印附件，村民在公开栏上看不到钱数",
                money.join("、")
            ),
        )
        .hint(
            "把总金额、标准和钱的去向写到「## 附件」前面的正文里；附件只放明细",
        )));
    }
}

fn mentions(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// Sums of money written as figures: "800 元", "1.2 万元", "6.5万元", "¥50,000".
pub fn amounts(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let is_yuan = c == '元' || c == '¥' || c == '￥';
        if !is_yuan {
            continue;
        }
        let figure: String = if c == '元' {
            let mut j = i;
            // 万元, 亿元, and a space between figure and unit.
            while j > 0 && matches!(chars[j - 1], '万' | '亿' | ' ') {
                j -= 1;
            }
            let end = j;
            while j > 0 && (chars[j - 1].is_ascii_digit() || matches!(chars[j - 1], '.' | ',')) {
                j -= 1;
            }
            if j == end {
                continue;
            }
            chars[j..=i].iter().collect()
        } else {
            let digits: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
                .collect();
            if digits.is_empty() {
                continue;
            }
            format!("{c}{digits}")
        };
        let figure = figure.replace(' ', "");
        if !out.contains(&figure) {
            out.push(figure);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_figures_with_a_unit() {
        assert_eq!(
            amounts("底价每亩每年 800 元，预算 6.5万元，借 ¥50,000.00，共 1.2 万元。"),
            vec!["800元", "6.5万元", "¥50,000.00", "1.2万元"]
        );
        // A unit without a figure, and figures without a unit, are not amounts.
        assert!(amounts("资金由村集体承担，每户 3 人，元旦前完成。").is_empty());
    }
}
