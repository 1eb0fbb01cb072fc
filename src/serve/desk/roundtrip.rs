//! The desk's writing, tried on random text: whatever an editor types or pastes into a field
//! of any kind (line and paragraph separators, NEL, BOM, tabs, control characters, YAML's
//! indicators and words), the file reads back with serde_norway to the value the form meant,
//! with no other field added or lost, and the body byte for byte.
//!
//! 10,000 cases per kind of field, from a seed printed with any failure; `QILI_ROUNDTRIP_SEED`
//! runs one seed again.

use super::fields::{self, Field, Input};
use super::form::{self, Document};
use super::yaml::Front;
use crate::load::Kind;
use serde_yaml::Value;
use std::collections::BTreeMap;

const CASES: usize = 10_000;

/// Pieces random text is made of: plain text, and everything that once broke or could break a
/// YAML file.
const PIECES: &[&str] = &[
    "a",
    "Z",
    "村",
    "东岭村",
    "😀",
    "é",
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{a0}",
    "\u{3000}",
    "\u{200b}",
    "\0",
    "\u{7}",
    "\u{8}",
    "\u{b}",
    "\u{c}",
    "\u{1b}",
    "\u{7f}",
    "\u{9f}",
    "\u{fffe}",
    "\u{ffff}",
    "\"",
    "'",
    "\\",
    "\\n",
    ":",
    ": ",
    "#",
    " #",
    "-",
    "- ",
    "--- ",
    "---",
    "...",
    "?",
    "? ",
    ",",
    "，",
    "、",
    "[",
    "]",
    "{",
    "}",
    "&a",
    "*a",
    "!",
    "!!str ",
    "|",
    ">",
    "%",
    "@",
    "`",
    ".",
    "+",
    "=",
    "<<",
    "~",
    "null",
    "Null",
    "true",
    "yes",
    "No",
    "on",
    "y",
    "0",
    "1",
    "-1",
    "0x1F",
    "0o7",
    "1e3",
    ".inf",
    ".NaN",
    "1_000",
    "12:30",
    "2026-03-01",
    "2026-03-01T08:00:00",
    "draft:",
    "\u{2028}draft:\u{2028} true",
    "\ndraft: true",
];

/// xorshift64*: a few lines, and enough for picking pieces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn text(&mut self) -> String {
        (0..self.below(9))
            .map(|_| PIECES[self.below(PIECES.len())])
            .collect()
    }
}

fn seed() -> u64 {
    if let Some(s) = std::env::var("QILI_ROUNDTRIP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return s;
    }
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).unwrap();
    u64::from_le_bytes(bytes) | 1
}

/// A notice as `qili new` leaves it, with a body that must come back byte for byte.
const NOTICE: &str = "---\ntitle: 修渠   # 标题\nvillage: dongling\nkind: 公益事业\nsteps:\n  resolution: {meeting: 村民代表会议, date: 2026-04-08, expected: 35, present: 30, for: 15}\n# contact: \"\"   # 电话\ndraft: true\n---\n";
const LESSON: &str = "---\ntitle: 甲课\ndate: 2026-03-01\naudiences: [qunzhong]\n---\n";
const BODY: &str = "\n正文\u{2028}第一行  \r\n---\n\t缩进\u{85}\u{feff}\n最后一行没有换行";

/// The value the file should hold for `text` typed into a field of `input`.
fn meant(input: Input, text: &str) -> Option<Value> {
    let n = input.normalize(text);
    if n.is_empty() {
        return None;
    }
    Some(match input {
        Input::Bool => Value::Bool(n == "true"),
        Input::Int if n.parse::<i64>().is_ok() => Value::Number(n.parse::<i64>().unwrap().into()),
        Input::List | Input::Audiences => Value::Sequence(
            n.split(", ")
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
        _ => Value::String(n),
    })
}

fn at<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(root, |v, seg| v.get(seg))
}

/// Top-level keys, to see that no field appeared or vanished.
fn keys(root: &Value) -> Vec<String> {
    root.as_mapping()
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn try_field(kind: Kind, template: &str, field: &Field, rng: &mut Rng, seed: u64) {
    let original = format!("{template}{BODY}");
    let base = Document::parse(&original).unwrap().yaml;
    let before: Value = serde_yaml::from_str(&base).unwrap();
    let order: Vec<&str> = fields::all(kind).map(|f| f.path).collect();
    let root = field.path.split('.').next().unwrap();
    let others = |v: &Value| -> Vec<String> {
        let mut k = keys(v);
        k.retain(|k| k != root);
        k.sort();
        k
    };
    let had = at(&before, field.path).is_some();
    for case in 0..CASES {
        let typed = rng.text();
        let why = format!("seed {seed}, case {case}, {} = {typed:?}", field.path);
        let want = meant(field.input, &typed);
        // A checkbox left off is not written where the file did not have it.
        let written = want.is_some() && (had || want != Some(Value::Bool(false)));
        // The form's writing of one field, as `Document::apply` does it; every 100th case
        // through the whole document, with its body.
        let front = if case % 100 == 0 {
            let mut doc = Document::parse(&original).unwrap();
            let form: BTreeMap<String, String> = [(field.path.to_string(), typed.clone())].into();
            doc.apply(kind, &form)
                .unwrap_or_else(|e| panic!("{why}: {e}"));
            let text = doc.text();
            let (front, body) = text[4..]
                .split_once("\n---\n")
                .unwrap_or_else(|| panic!("{why}: no front matter in\n{text}"));
            assert_eq!(body, BODY, "{why}: the body changed");
            let front = format!("{front}\n");
            let values = fields::values(kind, &front).unwrap_or_else(|e| panic!("{why}: {e}"));
            assert_eq!(
                values[field.path],
                field.input.normalize(&typed),
                "{why}: the desk reads back another value:\n{front}"
            );
            front
        } else {
            let mut front = Front::new(&base);
            form::write(&mut front, field, &field.input.normalize(&typed), &order)
                .unwrap_or_else(|e| panic!("{why}: {e}"));
            front.text()
        };
        let after: Value = serde_yaml::from_str(&front)
            .unwrap_or_else(|e| panic!("{why}: not YAML any more ({e}):\n{front}"));
        assert_eq!(
            others(&after),
            others(&before),
            "{why}: fields appeared or vanished:\n{front}"
        );
        let got = at(&after, field.path);
        if written {
            assert_eq!(got, want.as_ref(), "{why}:\n{front}");
        } else {
            assert_eq!(got, None, "{why}:\n{front}");
        }
    }
}

#[test]
fn random_text_in_every_kind_of_field_reads_back_as_written() {
    let seed = seed();
    // One field of each kind, from the kinds of document that have it.
    let mut kinds: Vec<(Kind, &str, &Field)> = Vec::new();
    for (kind, template) in [
        (Kind::Notice, NOTICE),
        (Kind::Lesson, LESSON),
        (Kind::Regulation, NOTICE),
    ] {
        for field in fields::all(kind) {
            if !kinds.iter().any(|(_, _, f)| f.input == field.input) {
                kinds.push((kind, template, field));
            }
        }
    }
    assert_eq!(kinds.len(), 12, "every kind of field the desk has");
    std::thread::scope(|scope| {
        for (i, (kind, template, field)) in kinds.into_iter().enumerate() {
            scope.spawn(move || {
                try_field(
                    kind,
                    template,
                    field,
                    &mut Rng(seed ^ (i as u64 + 1) << 32 | 1),
                    seed,
                )
            });
        }
    });
}
