//! The clause lint's findings in documents: the body of a 村规民约, and the body and text fields
//! of a notice (a village decision as published), each with the article it rests on.

use super::{scan, Phrasing, Unlawful};
use crate::check::rules::{CE_18, PENALTY_16, WOMEN_55_56};
use crate::diagnostics::Diagnostic;
use crate::model::notice::Step;
use crate::model::{Doc, Notice, Regulation};

impl Phrasing {
    /// The warning for a clause written this way, not yet placed. `content` is the article of
    /// the 村组法 in force on the decision's day that says what a 村规民约 or a village decision
    /// may not contain (2018 第二十七条, 2025 第三十一条第二款).
    fn diagnostic(&self, file: &str, regulation: bool, content: &str) -> Diagnostic {
        let says = self.says;
        match self.what {
            Unlawful::Fine => Diagnostic::warning(
                self.what.code(),
                file,
                format!("条文{says}：村民会议和村里的决定都无权设定罚款等处罚"),
            )
            .law(format!("{content}、{PENALTY_16}"))
            .hint("改为批评教育、调解、取消评先评优资格等自治措施，或写明由有关部门依法处理"),
            Unlawful::Petition => Diagnostic::warning(
                self.what.code(),
                file,
                format!("条文{says}：不得侵犯村民的民主权利"),
            )
            .law(content)
            .hint("依法信访是公民的权利；删除这一条，或改为引导依法理性表达诉求"),
            Unlawful::Women => {
                let law = if regulation {
                    format!("{WOMEN_55_56}，{CE_18}，{content}")
                } else {
                    format!("{WOMEN_55_56}，{CE_18}")
                };
                Diagnostic::warning(self.what.code(), file, format!("条文{says}"))
                    .law(law)
                    .hint(
                        "成员身份和权益不随户口走：成员不因离婚、丧偶丧失成员身份，结婚后没有取得其他集体经济组织\
                         成员身份的，原集体经济组织不得取消；男到女家落户的男子和子女享有平等的权益。删去户口、婚姻、性别的条件",
                    )
            }
            Unlawful::Sanction => Diagnostic::warning(
                self.what.code(),
                file,
                format!("条文{says}：不得侵犯村民的财产权利"),
            )
            .law(content)
            .hint("集体收益分配和福利是成员的财产权利，不能当处罚手段；改为批评教育、调解、取消评先评优资格等自治措施"),
        }
    }
}

/// Warnings at each unlawful clause of a document's body.
fn body<F>(doc: &Doc<F>, regulation: bool, content: &str, out: &mut Vec<Diagnostic>) {
    for (i, column, found) in scan(&doc.body) {
        out.push(
            found
                .diagnostic(&doc.file, regulation, content)
                .at(doc.body_line + i, column),
        );
    }
}

fn outcome(step: Option<&Step>) -> Option<&str> {
    step.and_then(|s| s.outcome.as_deref())
}

/// Clauses no village meeting may adopt, in a 村规民约; `content` as for
/// [`Phrasing::diagnostic`].
pub fn in_regulation(r: &Regulation, content: &str, out: &mut Vec<Diagnostic>) {
    body(&r.doc, true, content, out);
}

/// The same clauses in a notice: its body, and the fields that say who gets what (the
/// summary, the matter, what each meeting concluded, the result).
pub fn in_notice(n: &Notice, content: &str, out: &mut Vec<Diagnostic>) {
    let doc = &n.doc;
    body(doc, false, content, out);
    let f = &doc.front;
    let s = &f.steps;
    let fields = [
        ("title", Some(f.title.as_str())),
        ("summary", Some(f.summary.as_str())),
        ("matter", Some(f.matter.as_str())),
        ("steps.proposal.outcome", outcome(s.proposal.as_ref())),
        (
            "steps.deliberation.outcome",
            outcome(s.deliberation.as_ref()),
        ),
        (
            "steps.party_review.outcome",
            outcome(s.party_review.as_ref()),
        ),
        (
            "steps.resolution.outcome",
            s.resolution.as_ref().and_then(|r| r.outcome.as_deref()),
        ),
        (
            "result.content",
            f.result.as_ref().map(|r| r.content.as_str()),
        ),
        (
            "result.amount",
            f.result.as_ref().and_then(|r| r.amount.as_deref()),
        ),
    ];
    for (field, text) in fields {
        let Some(text) = text else { continue };
        for (_, _, found) in scan(text) {
            out.push(doc.finding(found.diagnostic(&doc.file, false, content), field));
        }
    }
}
