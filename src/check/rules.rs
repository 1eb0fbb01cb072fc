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

    /// How the law words the bound: "三分之二以上", "过半数", "半数以上".
    pub fn words(self) -> &'static str {
        match self {
            Bound::MoreThanHalf => "过半数",
            Bound::AtLeastHalf => "半数以上",
            Bound::AtLeastTwoThirds => "三分之二以上",
        }
    }

    /// What is missing, for a secretary: "还差 3 人：全体成员 300 人的三分之二以上是 200 人".
    pub fn missing(self, n: i64, whole: &str, total: i64, unit: &str) -> String {
        let needed = self.needed(total);
        let short = i128::from(needed) - i128::from(n);
        format!(
            "还差 {short} {unit}：{whole} {total} {unit}的{}是 {needed} {unit}",
            self.words()
        )
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
        "W316" => {
            "成员代表一般每五户至十五户选举一名：核对 households（户数）和 expected（代表人数）"
        }
        "E317" => {
            "集体财产事项由集体经济组织的成员大会或成员代表大会决定（没有设立集体经济组织的，由村民会议、村民代表会议代行）：召开有权决定的会议，并把 meeting 改为实际召开的会议"
        }
        "E319" => {
            "集体财产事项一人一票：按人数统计应到、实到和赞成，把 counted_by 改为 人数（或删去）"
        }
        "W324" => "核对会议记录上的应到人数，或者更新 site.yaml 中本村 collective 的 members、representatives",
        "E320" => {
            "核对会议记录：人数不能是负数，实到不能多于应到，赞成、反对、弃权合计不能多于实到"
        }
        "E321" => "核对会议记录上的日期：先提议、商议、审议、决议，再公开；结束不能早于开始",
        "E322" => {
            "会议应当提前十日通知：核对 announced（通知日期）；2026 年起村民会议、居民会议遇有特殊情况临时通知的，在 urgent 写明情况；其他的要另行召开"
        }
        "E323" => "四议两公开按顺序进行：补上前面缺少的步骤",
        "W318" => "核对所属村（社区）和会议类型：村用村民会议或村民代表会议，社区用居民会议",
        "W330" => "延长公示期，或核对 disclosure 的 from 和 to",
        "W340" => "在 history.vote 写明表决的会议和票数；村规民约由村民会议讨论决定",
        "W341" => "报乡镇人民政府备案后，在 history.filing 写明日期和备案机关",
        "W346" => {
            "居民公约报不设区的市、市辖区人民政府或者它的派出机关（2026 年起写明：或者街道办事处）备案"
        }
        _ => return None,
    })
}

/// A threshold a meeting missed: code, the field it concerns (`present`, `for` or
/// `counted_by`), the message with the numbers, and the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missed {
    pub code: &'static str,
    pub field: &'static str,
    pub message: String,
    /// What is missing with the number needed (see [`Bound::missing`]), where a count fell short.
    pub plain: Option<String>,
    pub law: &'static str,
}

pub const PARTY_11: &str = "《中国共产党支部工作条例（试行）》第十一条";
pub const CE_27: &str = "《农村集体经济组织法》第二十七条";
pub const CE_28: &str = "《农村集体经济组织法》第二十八条";
pub const WOMEN_55_56: &str = "《妇女权益保障法》第五十五条、第五十六条";
pub const CE_18: &str = "《农村集体经济组织法》第十八条";
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
    fn missing_says_how_many_more_and_the_number_needed() {
        assert_eq!(
            Bound::AtLeastTwoThirds.missing(197, "全体成员", 300, "人"),
            "还差 3 人：全体成员 300 人的三分之二以上是 200 人"
        );
        assert_eq!(
            Bound::MoreThanHalf.missing(15, "到会人员", 30, "人"),
            "还差 1 人：到会人员 30 人的过半数是 16 人"
        );
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
