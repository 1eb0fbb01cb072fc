//! Calendar dates as editors write them (`2026-03-01`), with Chinese errors for impossible ones.

use crate::load::frontmatter::tagged;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

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

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Accept whatever scalar YAML produced (an unquoted 2026-03-01 is a string in YAML 1.2,
        // but a bare 2026 is a number) and judge the text.
        let v = serde_yaml::Value::deserialize(d)?;
        let text = match &v {
            serde_yaml::Value::String(s) => s.clone(),
            serde_yaml::Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        Date::parse(&text).map_err(|m| serde::de::Error::custom(tagged("E105", m)))
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
        assert_eq!(
            Date::parse("2024-02-29").unwrap().chinese(),
            "2024年2月29日"
        );
    }
}
