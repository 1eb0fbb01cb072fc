//! Which text of the 村民委员会组织法 and the 城市居民委员会组织法 a finding cites.
//!
//! Both laws were changed on 2025-10-28 (村组法: 第二次修正, 主席令第五十九号; 居委会组织法:
//! 修订), in force 2026-01-01. The 村组法's thresholds stayed, its articles moved (旧第二十一条 is
//! 新第二十五条, …); the 居委会组织法 was rewritten. A check cites the text in force on the date
//! that matters to it (the meeting, the start of a 公示, the vote, the filing, today): a law does
//! not reach back (立法法第一百零四条). The pairs below are the one place the numbers live.

use crate::model::date::Date;
use chrono::NaiveDate;

/// A text of the two laws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// 村组法 (2018-12-29 修正) and 居委会组织法 (2018-12-29 修正).
    V2018,
    /// Both as changed on 2025-10-28, in force from 2026-01-01.
    V2025,
}

/// The day the 2025 texts came into force (决定: "本决定自2026年1月1日起施行"; 居委会组织法
/// 第五十条).
pub const IN_FORCE_2025: NaiveDate = match NaiveDate::from_ymd_opt(2026, 1, 1) {
    Some(d) => d,
    None => panic!("2026-01-01 is a date"),
};

impl Version {
    /// The text in force on `day`.
    pub fn on(day: Date) -> Version {
        if day.0 < IN_FORCE_2025 {
            Version::V2018
        } else {
            Version::V2025
        }
    }
}

/// A rule a check enforces, by what it says rather than by its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provision {
    /// 村民会议 announced ten days ahead.
    VillagersNotice,
    /// 村民会议: attendance and decision.
    VillagersAssembly,
    /// 村民代表会议: attendance and decision.
    VillagersRepresentatives,
    /// 村民小组会议: attendance and decision.
    GroupMeeting,
    /// 村规民约: adopted by the 村民会议 and filed with the 乡镇.
    VillageCharter,
    /// What a 村规民约 or a village decision may not contain.
    VillageCharterContent,
    /// 村务公开 at least once a quarter.
    VillageCadence,
    /// 村务公开: posted for no fewer than fifteen days.
    VillagePublicity,
    /// 居民会议: attendance and decision.
    ResidentsAssembly,
    /// 居民会议 announced ten days ahead.
    ResidentsNotice,
    /// 居民公约: adopted by the 居民会议 (or the 居民代表会议 it authorises).
    ResidentsCharter,
    /// 居民公约: filed, and with whom.
    ResidentsFiling,
    /// 居务公开: posted for no fewer than fifteen days.
    ResidentsPublicity,
}

impl Provision {
    /// Every provision, for the tests and the README.
    pub const ALL: [Provision; 13] = [
        Provision::VillagersNotice,
        Provision::VillagersAssembly,
        Provision::VillagersRepresentatives,
        Provision::GroupMeeting,
        Provision::VillageCharter,
        Provision::VillageCharterContent,
        Provision::VillageCadence,
        Provision::VillagePublicity,
        Provision::ResidentsAssembly,
        Provision::ResidentsNotice,
        Provision::ResidentsCharter,
        Provision::ResidentsFiling,
        Provision::ResidentsPublicity,
    ];

    /// The article in the 2018 text (`None`: that text has no such rule) and in the 2025 text.
    /// 村组法 numbers from the 决定 and the merged text (X-STORAGE/Laws and
    /// Theonefkguy/Chinese-Laws, 宪法相关法/村民委员会组织法(2025-10-28).md); 居委会组织法
    /// from its 2025 text in the same two places.
    const fn articles(self) -> (Option<&'static str>, &'static str) {
        use Provision::*;
        match self {
            VillagersNotice => (
                Some("《村民委员会组织法》第二十一条"),
                "《村民委员会组织法》第二十五条第二款",
            ),
            VillagersAssembly => (
                Some("《村民委员会组织法》第二十二条"),
                "《村民委员会组织法》第二十六条",
            ),
            VillagersRepresentatives => (
                Some("《村民委员会组织法》第二十六条"),
                "《村民委员会组织法》第三十条",
            ),
            GroupMeeting => (
                Some("《村民委员会组织法》第二十八条"),
                "《村民委员会组织法》第三十二条第二款",
            ),
            VillageCharter => (
                Some("《村民委员会组织法》第二十七条"),
                "《村民委员会组织法》第三十一条第一款",
            ),
            VillageCharterContent => (
                Some("《村民委员会组织法》第二十七条"),
                "《村民委员会组织法》第三十一条第二款",
            ),
            VillageCadence => (
                Some("《村民委员会组织法》第三十条"),
                "《村民委员会组织法》第三十五条第三款",
            ),
            VillagePublicity => (None, "《村民委员会组织法》第三十五条第四款"),
            ResidentsAssembly => (
                Some("《城市居民委员会组织法》第九条"),
                "《城市居民委员会组织法》第二十七条",
            ),
            ResidentsNotice => (None, "《城市居民委员会组织法》第二十六条第二款"),
            ResidentsCharter => (
                Some("《城市居民委员会组织法》第十五条"),
                "《城市居民委员会组织法》第三十条",
            ),
            ResidentsFiling => (
                Some("《城市居民委员会组织法》第十五条"),
                "《城市居民委员会组织法》第三十一条第一款",
            ),
            ResidentsPublicity => (None, "《城市居民委员会组织法》第三十四条第三款"),
        }
    }

    /// The article of `version` that sets this rule, or `None` where that text has no such
    /// rule (then the check does not apply).
    pub const fn cite(self, version: Version) -> Option<&'static str> {
        match (version, self.articles()) {
            (Version::V2018, (old, _)) => old,
            (Version::V2025, (_, new)) => Some(new),
        }
    }

    /// The article of `version`, for a rule both texts have. A rule only the 2025 text has is
    /// cited by its 2025 article; callers apply those through [`Provision::cite`].
    pub const fn article(self, version: Version) -> &'static str {
        match self.cite(version) {
            Some(a) => a,
            None => self.articles().1,
        }
    }

    /// What the rule says and the findings that cite it, for the README.
    fn label(self) -> &'static str {
        use Provision::*;
        match self {
            VillagersNotice => "村民会议提前十日通知（E322）",
            VillagersAssembly => "村民会议的到会和通过（E303、E304）",
            VillagersRepresentatives => "村民代表会议的到会和通过（E301、E302）",
            GroupMeeting => "村民小组会议的到会和通过（E305、E306）",
            VillageCharter => "村规民约由村民会议制定，报乡镇备案（W340、W341）",
            VillageCharterContent => "村规民约和村里的决定不得有的内容（W342–W345）",
            VillageCadence => "村务至少每季度公开一次（W331）",
            VillagePublicity => "村务公开不少于十五日（E325）",
            ResidentsAssembly => "居民会议的到会和通过（E307、E308）",
            ResidentsNotice => "居民会议提前十日通知（E322）",
            ResidentsCharter => "居民公约由居民会议制定（W340）",
            ResidentsFiling => "居民公约备案（W341、W346）",
            ResidentsPublicity => "居务公开不少于十五日（E325）",
        }
    }

    /// The article in force on `day`.
    pub fn on(self, day: Date) -> Option<&'static str> {
        self.cite(Version::on(day))
    }
}

/// The README's table of articles by date, rendered from [`Provision::articles`].
pub fn table_markdown() -> String {
    let mut out =
        String::from("| 规则 | 2025 年 12 月 31 日以前 | 2026 年 1 月 1 日起 |\n|---|---|---|\n");
    for p in Provision::ALL {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            p.label(),
            p.cite(Version::V2018)
                .unwrap_or("—（没有这一规定，不检查）"),
            p.article(Version::V2025)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn the_2025_texts_apply_from_new_years_day_2026() {
        assert_eq!(Version::on(day("2025-12-31")), Version::V2018);
        assert_eq!(Version::on(day("2026-01-01")), Version::V2025);
        assert_eq!(
            Provision::VillagersRepresentatives.on(day("2025-12-31")),
            Some("《村民委员会组织法》第二十六条")
        );
        assert_eq!(
            Provision::VillagersRepresentatives.on(day("2026-01-01")),
            Some("《村民委员会组织法》第三十条")
        );
        assert_eq!(
            Provision::VillagersNotice.on(day("2025-12-31")),
            Some("《村民委员会组织法》第二十一条")
        );
        assert_eq!(
            Provision::VillagersNotice.on(day("2026-01-01")),
            Some("《村民委员会组织法》第二十五条第二款")
        );
    }

    #[test]
    fn rules_new_in_2025_do_not_apply_before() {
        for p in [
            Provision::VillagePublicity,
            Provision::ResidentsNotice,
            Provision::ResidentsPublicity,
        ] {
            assert_eq!(p.on(day("2025-12-31")), None, "{p:?}");
            assert!(p.on(day("2026-01-01")).is_some(), "{p:?}");
        }
        // The 居务公开 fifteen days are in the third paragraph of 第三十四条 (the second lists
        // what is published).
        assert_eq!(
            Provision::ResidentsPublicity.article(Version::V2025),
            "《城市居民委员会组织法》第三十四条第三款"
        );
    }

    #[test]
    fn every_rule_cites_each_law_by_its_name() {
        for p in Provision::ALL {
            for v in [Version::V2018, Version::V2025] {
                if let Some(a) = p.cite(v) {
                    assert!(
                        a.starts_with("《村民委员会组织法》第")
                            || a.starts_with("《城市居民委员会组织法》第"),
                        "{p:?} {v:?}: {a}"
                    );
                }
            }
        }
    }
}
