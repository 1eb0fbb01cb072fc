//! Counting words of the law, in integer arithmetic (民法典第一千二百五十九条: "以上" includes
//! the number, "超过" and "过半数" do not), and the articles findings cite.

/// A bound on a count, as the law words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// 过半数 / 超过半数: 2n > total.
    MoreThanHalf,
    /// 半数以上: 2n ≥ total.
    AtLeastHalf,
    /// 三分之二以上: 3n ≥ 2·total.
    AtLeastTwoThirds,
}

impl Bound {
    pub fn holds(self, n: i64, total: i64) -> bool {
        // In i128: counts come from the editor and may be anything an i64 holds.
        let (n, total) = (i128::from(n), i128::from(total));
        match self {
            Bound::MoreThanHalf => 2 * n > total,
            Bound::AtLeastHalf => 2 * n >= total,
            Bound::AtLeastTwoThirds => 3 * n >= 2 * total,
        }
    }

    /// The smallest count that satisfies the bound.
    pub fn needed(self, total: i64) -> i64 {
        let total = i128::from(total);
        let needed = match self {
            Bound::MoreThanHalf => total.div_euclid(2) + 1,
            Bound::AtLeastHalf => (total + 1).div_euclid(2),
            Bound::AtLeastTwoThirds => (2 * total + 2).div_euclid(3),
        };
        i64::try_from(needed).unwrap_or(i64::MAX)
    }

    /// "不足组成人员 32 人的三分之二（22 人）" and the like.
    pub fn shortfall(self, whole: &str, total: i64, unit: &str) -> String {
        let needed = self.needed(total);
        match self {
            Bound::MoreThanHalf => {
                format!("未超过{whole} {total} {unit}的半数（至少 {needed} {unit}）")
            }
            Bound::AtLeastHalf => format!("不足{whole} {total} {unit}的半数（{needed} {unit}）"),
            Bound::AtLeastTwoThirds => {
                format!("不足{whole} {total} {unit}的三分之二（{needed} {unit}）")
            }
        }
    }
}

/// More people than any village, community or collective has: a count above it is a typo.
pub const MAX_COUNT: i64 = 1_000_000;

/// How to fix a finding, for those whose fix does not depend on the details.
pub fn hint(code: &str) -> Option<&'static str> {
    Some(match code {
        "E301" | "E303" | "E305" | "E307" | "E309" | "E311" => {
            "到会人数不够，会议不能作出决定：先核对应到、实到人数是否填对，确实不够的要另行召开会议"
        }
        "E302" | "E304" | "E306" | "E308" | "E310" | "E312" | "E313" => {
            "赞成票不够，事项没有通过，不能实施：先核对票数是否填对，确实不够的修改方案后重新表决"
        }
        "E314" => "这类事项只能由成员大会决定：召开成员大会表决，并把 meeting 改为 成员大会",
        "E315" => "成员代表应当多于二十人：核对 expected，或者改由成员大会决定",
        "E316" => {
            "成员代表按每五户至十五户推选一名：核对 households（户数）和 expected（代表人数）"
        }
        "E317" => "集体财产事项由成员大会或成员代表大会决定：把 meeting 改为实际召开的会议",
        "E320" => {
            "核对会议记录：人数不能是负数，实到不能多于应到，赞成、反对、弃权合计不能多于实到"
        }
        "E321" => "核对会议记录上的日期：先提议、商议、审议、决议，再公开；结束不能早于开始",
        "E322" => "会议应当提前十天通知：核对 announced（通知日期），通知不足十天的要另行召开",
        "E323" => "四议两公开按顺序进行：补上前面缺少的步骤",
        "W318" => "核对所属村（社区）和会议类型：村用村民会议或村民代表会议，社区用居民会议",
        "W330" => "延长公示期，或核对 disclosure 的 from 和 to",
        "W340" => "在 history.vote 写明表决的会议和票数；村规民约由村民会议讨论决定",
        "W341" => "报乡镇人民政府备案后，在 history.filing 写明日期和备案机关",
        "W346" => "居民公约报不设区的市、市辖区人民政府或者它的派出机关备案",
        _ => return None,
    })
}

use crate::model::notice::{CountedBy, Meeting};

/// A threshold a meeting missed: code, the field it concerns (`present` or `for`), the message
/// with the numbers, and the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missed {
    pub code: &'static str,
    pub field: &'static str,
    pub message: String,
    pub law: &'static str,
}

/// Attendance, then the decision, of a meeting deciding by those present: 村民会议 (第二十二条,
/// by adults or by households), 村民代表会议 (第二十六条), 村民小组会议 (第二十八条), 居民会议
/// (居委会组织法第九条) and, for other matters, the collective's assemblies. Notices and
/// regulations are judged by this one table.
pub fn judge_meeting(
    meeting: Meeting,
    counted_by: CountedBy,
    expected: i64,
    present: i64,
    votes_for: i64,
) -> Option<Missed> {
    let unit = match counted_by {
        CountedBy::Persons => "人",
        CountedBy::Households => "户",
    };
    let (quorum, whole, law, (quorum_code, decision_code)) = match (meeting, counted_by) {
        (Meeting::VillagersAssembly, CountedBy::Persons) => (
            Bound::MoreThanHalf,
            "本村十八周岁以上村民",
            VC_22,
            ("E303", "E304"),
        ),
        (Meeting::VillagersAssembly, CountedBy::Households) => {
            (Bound::AtLeastTwoThirds, "本村户数", VC_22, ("E303", "E304"))
        }
        (Meeting::RepresentativesMeeting, _) => {
            (Bound::AtLeastTwoThirds, "组成人员", VC_26, ("E301", "E302"))
        }
        (Meeting::GroupMeeting, CountedBy::Persons) => (
            Bound::AtLeastTwoThirds,
            "本组十八周岁以上村民",
            VC_28,
            ("E305", "E306"),
        ),
        (Meeting::GroupMeeting, CountedBy::Households) => {
            (Bound::AtLeastTwoThirds, "本组户数", VC_28, ("E305", "E306"))
        }
        (Meeting::ResidentsAssembly, _) => (
            Bound::MoreThanHalf,
            "十八周岁以上居民（或户的代表）",
            RC_9,
            ("E307", "E308"),
        ),
        (Meeting::MembersAssembly, _) => (
            Bound::AtLeastTwoThirds,
            "具有完全民事行为能力的成员",
            CE_27,
            ("E311", "E312"),
        ),
        (Meeting::MembersRepresentatives, _) => {
            (Bound::AtLeastTwoThirds, "成员代表", CE_28, ("E311", "E313"))
        }
    };
    let name = meeting.label();
    if !quorum.holds(present, expected) {
        return Some(Missed {
            code: quorum_code,
            field: "present",
            message: format!(
                "{name}到会 {present} {unit}，{}",
                quorum.shortfall(whole, expected, unit)
            ),
            law,
        });
    }
    if !Bound::MoreThanHalf.holds(votes_for, present) {
        return Some(Missed {
            code: decision_code,
            field: "for",
            message: format!(
                "{name}赞成 {votes_for} 人，{}",
                Bound::MoreThanHalf.shortfall("到会人员", present, "人")
            ),
            law,
        });
    }
    None
}

pub const VC_21: &str = "《村民委员会组织法》第二十一条";
pub const VC_22: &str = "《村民委员会组织法》第二十二条";
pub const VC_26: &str = "《村民委员会组织法》第二十六条";
pub const VC_27: &str = "《村民委员会组织法》第二十七条";
pub const VC_28: &str = "《村民委员会组织法》第二十八条";
pub const VC_30: &str = "《村民委员会组织法》第三十条";
pub const RC_9: &str = "《城市居民委员会组织法》第九条";
pub const RC_15: &str = "《城市居民委员会组织法》第十五条";
pub const PARTY_11: &str = "《中国共产党支部工作条例（试行）》第十一条";
pub const CE_27: &str = "《农村集体经济组织法》第二十七条";
pub const CE_28: &str = "《农村集体经济组织法》第二十八条";
pub const WOMEN_56: &str = "《妇女权益保障法》第五十六条";
pub const PENALTY_16: &str = "《行政处罚法》第十六条";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_at_their_edges() {
        // 过半数 of 32: 17 passes, 16 does not.
        assert!(Bound::MoreThanHalf.holds(17, 32));
        assert!(!Bound::MoreThanHalf.holds(16, 32));
        assert_eq!(Bound::MoreThanHalf.needed(32), 17);
        assert_eq!(Bound::MoreThanHalf.needed(33), 17);
        // 半数以上 of 31: 16 passes, 15 does not; of 32: 16 passes.
        assert!(Bound::AtLeastHalf.holds(16, 31));
        assert!(!Bound::AtLeastHalf.holds(15, 31));
        assert!(Bound::AtLeastHalf.holds(16, 32));
        assert_eq!(Bound::AtLeastHalf.needed(31), 16);
        // 三分之二以上 of 32: 22 passes (66/64), 21 does not (63/64).
        assert!(Bound::AtLeastTwoThirds.holds(22, 32));
        assert!(!Bound::AtLeastTwoThirds.holds(21, 32));
        assert_eq!(Bound::AtLeastTwoThirds.needed(32), 22);
        assert_eq!(Bound::AtLeastTwoThirds.needed(30), 20);
        assert!(Bound::AtLeastTwoThirds.holds(20, 30));
        assert!(!Bound::AtLeastTwoThirds.holds(19, 30));
    }

    #[test]
    fn extreme_counts_do_not_overflow() {
        assert!(Bound::AtLeastTwoThirds.holds(i64::MAX, i64::MAX));
        assert!(!Bound::MoreThanHalf.holds(i64::MIN, i64::MAX));
        for bound in [
            Bound::MoreThanHalf,
            Bound::AtLeastHalf,
            Bound::AtLeastTwoThirds,
        ] {
            let n = bound.needed(i64::MAX);
            assert!(bound.holds(n, i64::MAX) && !bound.holds(n - 1, i64::MAX));
        }
    }

    #[test]
    fn needed_is_always_the_first_count_that_holds() {
        for bound in [
            Bound::MoreThanHalf,
            Bound::AtLeastHalf,
            Bound::AtLeastTwoThirds,
        ] {
            for total in 1..200 {
                let n = bound.needed(total);
                assert!(bound.holds(n, total), "{bound:?} {total}");
                assert!(!bound.holds(n - 1, total), "{bound:?} {total}");
            }
        }
    }
}
