//! Calendar dates as editors write them (`2026-03-01`), with Chinese errors for impossible ones.

use crate::load::frontmatter::tagged;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Years a lesson, notice or regulation can be dated in.
pub const MIN_YEAR: u32 = 1900;
pub const MAX_YEAR: u32 = 2100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn parse(s: &str) -> Result<Date, String> {
        let s = s.trim();
        let parts: Vec<&str> = s.split('-').collect();
        let nums: Option<Vec<u32>> = match parts.as_slice() {
            [y, m, d]
                if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) =>
            {
                parts.iter().map(|p| p.parse().ok()).collect()
            }
            _ => None,
        };
        let Some(nums) = nums else {
            return Err(format!(
                "日期「{s}」格式不对，应写作 2026-03-01 这样的年-月-日"
            ));
        };
        // A four-digit year that cannot be a record's: a typo such as 0206 or 2620.
        if !(MIN_YEAR..=MAX_YEAR).contains(&nums[0]) {
            return Err(format!(
                "日期「{s}」的年份 {} 不对（应在 {MIN_YEAR} 到 {MAX_YEAR} 年之间）",
                parts[0]
            ));
        }
        NaiveDate::from_ymd_opt(nums[0] as i32, nums[1], nums[2])
            .map(Date)
            .ok_or_else(|| {
                if !(1..=12).contains(&nums[1]) {
                    format!("日期「{s}」不存在：没有 {} 月", nums[1])
                } else {
                    format!(
                        "日期「{s}」不存在：{} 年 {} 月没有 {} 日",
                        nums[0], nums[1], nums[2]
                    )
                }
            })
    }

    /// `2026年3月1日`, the form used on notices and posters.
    pub fn chinese(&self) -> String {
        format!("{}年{}月{}日", self.0.year(), self.0.month(), self.0.day())
    }

    pub fn days_until(&self, later: Date) -> i64 {
        (later.0 - self.0).num_days()
    }
}

/// The day statuses such as 公示中 and 公示期满 are judged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Today {
    pub date: Date,
    /// Given with `--today`. Otherwise `date` is the local date the command started on, and a
    /// preview left running follows the clock past midnight.
    pub pinned: bool,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Accept whatever scalar YAML produced (an unquoted 2026-03-01 is a string in YAML 1.2,
        // but a bare 2026 is a number) and judge the text. A visitor rather than a
        // `serde_yaml::Value`, so errors keep the value's own line.
        d.deserialize_any(DateVisitor)
    }
}

struct DateVisitor;

impl DateVisitor {
    fn judge<E: serde::de::Error>(text: &str) -> Result<Date, E> {
        Date::parse(text).map_err(|m| E::custom(tagged("E105", m)))
    }

    fn not_a_date<E: serde::de::Error>() -> E {
        E::custom(tagged(
            "E105",
            "日期应写作 2026-03-01 这样的年-月-日，这里写的不是一个日期",
        ))
    }
}

impl<'de> serde::de::Visitor<'de> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date such as 2026-03-01")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
        Self::judge(v)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Date, E> {
        Self::judge(&v.to_string())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Date, E> {
        Self::judge(&v.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Date, E> {
        Self::judge(&v.to_string())
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Date, E> {
        Err(Self::not_a_date())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Date, E> {
        Err(E::custom(tagged(
            "E103",
            "日期是空的：写成 2026-03-01 这样的年-月-日",
        )))
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Date, E> {
        self.visit_unit()
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<Date, A::Error> {
        Err(Self::not_a_date())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<Date, A::Error> {
        Err(Self::not_a_date())
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, _: A) -> Result<Date, A::Error> {
        Err(Self::not_a_date())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_dates_are_named() {
        assert!(Date::parse("2026-02-30")
            .unwrap_err()
            .contains("没有 30 日"));
        assert!(Date::parse("2026-13-01")
            .unwrap_err()
            .contains("没有 13 月"));
        assert!(Date::parse("2026/3/1").unwrap_err().contains("格式不对"));
        assert!(Date::parse("0206-03-01").unwrap_err().contains("年份"));
        assert!(Date::parse("2026-00-01").unwrap_err().contains("没有 0 月"));
        assert_eq!(
            Date::parse("2024-02-29").unwrap().chinese(),
            "2024年2月29日"
        );
    }
}
