use super::*;

const ORDER: &[&str] = &[
    "title",
    "date",
    "steps.proposal.date",
    "steps.proposal.body",
    "steps.deliberation.date",
    "steps.deliberation.expected",
    "steps.deliberation.for",
    "steps.resolution.present",
    "steps.resolution.for",
    "disclosure.from",
    "disclosure.to",
    "contact",
    "draft",
];

fn set(yaml: &str, path: &str, v: &str) -> (String, Option<String>) {
    let mut f = Front::new(yaml);
    let p: Vec<&str> = path.split('.').collect();
    let u = f.set(&p, v, ORDER).unwrap();
    (f.text(), u)
}

#[test]
fn a_value_is_replaced_keeping_its_comment_in_its_column() {
    let yaml = "title: 旧标题          # 标题\ndate: 2026-01-01\n";
    let (out, _) = set(yaml, "title", "新的标题很长");
    assert_eq!(out, "title: 新的标题很长    # 标题\ndate: 2026-01-01\n");
    let (out, _) = set(yaml, "date", "2026-02-03");
    assert_eq!(out, "title: 旧标题          # 标题\ndate: 2026-02-03\n");
}

#[test]
fn nested_values_and_new_fields_go_in_the_forms_order() {
    let yaml =
        "title: x\nsteps:\n  resolution:\n    present: 30\n    # 备注\n    for: 15\nsigned: y\n";
    let (out, _) = set(yaml, "steps.resolution.for", "16");
    assert_eq!(out, yaml.replace("for: 15", "for: 16"));
    let (out, _) = set(yaml, "steps.proposal.date", "2026-03-01");
    assert_eq!(
        out,
        "title: x\nsteps:\n  proposal:\n    date: 2026-03-01\n  resolution:\n    present: 30\n    # 备注\n    for: 15\nsigned: y\n"
    );
    let (out, _) = set(yaml, "date", "2026-03-01");
    assert!(
        out.starts_with("title: x\ndate: 2026-03-01\nsteps:"),
        "{out}"
    );
}

#[test]
fn flow_mappings_are_edited_where_they_are() {
    let yaml = "steps:\n  proposal: {date: 2026-03-20, body: \"a, b\"}   # 第一议\n";
    let (out, _) = set(yaml, "steps.proposal.date", "2026-03-21");
    assert_eq!(out, yaml.replace("03-20", "03-21"));
    let mut f = Front::new(yaml);
    f.remove(&["steps", "proposal", "date"]);
    assert_eq!(
        f.text(),
        "steps:\n  proposal: {body: \"a, b\"}   # 第一议\n"
    );
    let (out, _) = set(yaml, "steps.proposal.outcome", "同意");
    assert!(
        out.contains("{date: 2026-03-20, body: \"a, b\", outcome: 同意}   # 第一议"),
        "{out}"
    );
}

#[test]
fn a_commented_out_step_is_uncommented() {
    let yaml = "steps:\n  proposal:\n    date: 2026-01-01\n  # deliberation:     # 第二议\n  #   date: 2026-01-01\n  #   expected: 0     # 应到\ndraft: true\n";
    let (out, u) = set(yaml, "steps.deliberation.expected", "7");
    assert_eq!(u.as_deref(), Some("steps.deliberation"));
    assert_eq!(
        out,
        "steps:\n  proposal:\n    date: 2026-01-01\n  deliberation:       # 第二议\n    date: 2026-01-01\n    expected: 7       # 应到\ndraft: true\n"
    );
    let yaml = "title: x\n# contact: \"\"   # 电话\ndraft: true\n";
    let (out, u) = set(yaml, "contact", "0937");
    assert_eq!(u.as_deref(), Some("contact"));
    assert_eq!(out, "title: x\ncontact: 0937   # 电话\ndraft: true\n");
}

#[test]
fn emptied_fields_and_mappings_are_taken_out() {
    let yaml =
        "title: x\ndisclosure:\n  from: 2026-01-01   # 开始\n  to: 2026-01-08\ndraft: true\n";
    let mut f = Front::new(yaml);
    f.remove(&["disclosure", "from"]);
    assert_eq!(
        f.text(),
        "title: x\ndisclosure:\n  to: 2026-01-08\ndraft: true\n"
    );
    f.remove(&["disclosure", "to"]);
    assert_eq!(f.text(), "title: x\ndraft: true\n");
}

#[test]
fn multi_line_values_are_replaced_whole() {
    let yaml = "summary: >\n  两行的\n  摘要\n# 注释\ndraft: true\n";
    let (out, _) = set(yaml, "summary", "一行");
    assert_eq!(out, "summary: 一行\n# 注释\ndraft: true\n");
}

#[test]
fn paths_name_every_key_line() {
    let f = Front::new("title: x\nsteps:\n  resolution:\n    for: 1\n");
    let p = f.paths();
    assert_eq!(p[3], (3, "steps.resolution.for".to_string()));
}

#[test]
fn scalars_are_quoted_only_when_they_must_be() {
    assert_eq!(quote("东岭村村民委员会"), "东岭村村民委员会");
    for tricky in [
        "", "2026", "true", "a: b", "#x", "a, b", " x", "x #y", "null", "-1",
    ] {
        let q = quote(tricky);
        let back: String = serde_yaml::from_str(&format!("v: {q}"))
            .map(|m: std::collections::BTreeMap<String, String>| m["v"].clone())
            .unwrap_or_else(|e| panic!("{tricky} → {q}: {e}"));
        assert_eq!(back, tricky);
    }
}

#[test]
fn line_breaks_a_reader_sees_are_written_as_escapes() {
    // A pasted title that once turned the notice into a draft.
    let title = "修渠\u{2028}draft:\u{2028} true\u{85}\u{2029}\u{feff}\t\u{7}";
    let q = quote(title);
    assert_eq!(
        q,
        "\"修渠\\u2028draft:\\u2028 true\\u0085\\u2029\\uFEFF\\t\\u0007\""
    );
    let back: std::collections::BTreeMap<String, String> =
        serde_yaml::from_str(&format!("title: {q}\n")).unwrap();
    assert_eq!(back["title"], title);
    assert_eq!(back.len(), 1, "no draft field");
}
