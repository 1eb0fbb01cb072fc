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
        match self {
            Bound::MoreThanHalf => 2 * n > total,
            Bound::AtLeastHalf => 2 * n >= total,
            Bound::AtLeastTwoThirds => 3 * n >= 2 * total,
        }
    }

    /// The smallest count that satisfies the bound.
    pub fn needed(self, total: i64) -> i64 {
        match self {
            Bound::MoreThanHalf => total.div_euclid(2) + 1,
            Bound::AtLeastHalf => (total + 1).div_euclid(2),
            Bound::AtLeastTwoThirds => (2 * total + 2).div_euclid(3),
        }
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
