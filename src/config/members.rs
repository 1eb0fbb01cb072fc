//! A collective's member count in site.yaml: one number, or registers by date, so a meeting is
//! compared with the register in force on its day.

use crate::load::frontmatter::tagged;
use chrono::NaiveDate;
use serde::{de, Deserialize, Deserializer, Serialize};

/// A collective's member count as registered: one number, or a register per date, each in
/// force from its `since` until the next one. A meeting is compared with the register in force
/// on its day, so an older meeting is not flagged after the membership changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Members {
    Count(i64),
    Dated(Vec<Register>),
}

/// One registered count and the day it holds from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    /// 从哪天起（含这一天）按这个人数；只有第一次登记可以不写（更早的日期不详）。
    #[serde(default, deserialize_with = "register_date")]
    pub since: Option<NaiveDate>,
    pub count: i64,
}

impl Members {
    /// The register in force on `day`: the count and the day it holds from (`None` for a
    /// plain number or an undated first register). `None` before the first dated register.
    pub fn on(&self, day: NaiveDate) -> Option<(i64, Option<NaiveDate>)> {
        match self {
            Members::Count(n) => Some((*n, None)),
            Members::Dated(list) => list
                .iter()
                .rev()
                .find(|r| r.since.is_none_or(|since| since <= day))
                .map(|r| (r.count, r.since)),
        }
    }
}

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Members;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an integer or a sequence")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Members, E> {
                Ok(Members::Count(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Members, E> {
                i64::try_from(v)
                    .map(Members::Count)
                    .map_err(|_| E::custom(tagged("E104", format!("人数 {v} 太大"))))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Members, E> {
                Err(E::custom(tagged(
                    "E104",
                    format!("成员人数「{v}」不是整数：写一个整数，或者按日期登记的列表"),
                )))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Members, E> {
                self.visit_str(&v.to_string())
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Members, A::Error> {
                let mut list = Vec::new();
                while let Some(r) = seq.next_element::<Register>()? {
                    list.push(r);
                }
                Ok(Members::Dated(list))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A register's day, written 2026-10-23 (YAML reads it as text).
fn register_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let text = String::deserialize(d)?;
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            de::Error::custom(tagged(
                "E105",
                format!("登记日期「{text}」不对：写成 2026-10-23 这样的年-月-日，这个月要有这一天"),
            ))
        })
}

/// What is wrong with a village's dated member registers, if anything.
pub(super) fn register_problems<'a>(
    village: &'a str,
    list: &'a [Register],
) -> impl Iterator<Item = String> + 'a {
    let empty = list
        .is_empty()
        .then(|| format!("{village}的 collective.members 是空列表"));
    let undated = list
        .iter()
        .skip(1)
        .filter(|r| r.since.is_none())
        .map(move |r| {
            format!(
                "{village}登记的成员人数 {} 没有写 since（从哪天起）",
                r.count
            )
        });
    let order = list
        .windows(2)
        .filter_map(move |w| match (w[0].since, w[1].since) {
            (Some(a), Some(b)) if b <= a => Some(format!(
                "{village}登记的成员人数不是按日期从早到晚排列：{b} 排在 {a} 后面"
            )),
            _ => None,
        });
    let negative = list
        .iter()
        .filter(|r| r.count < 0)
        .map(move |r| format!("{village}登记的成员人数不能是负数（{}）", r.count));
    empty
        .into_iter()
        .chain(undated)
        .chain(order)
        .chain(negative)
}
