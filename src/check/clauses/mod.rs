//! Clauses no village rule or decision may contain, found clause by clause: in 村规民约 and in
//! the text of 四议两公开 notices (body and fields such as the summary).
//!
//! A line often holds several clauses, and a lawful one ("出嫁女依法享有平等权益") can stand
//! beside an unlawful one on the same line. So the text is split at 。；！？ and line ends, and
//! each clause is read on its own against [`PHRASINGS`], one row per way such a clause is
//! written: whom it singles out (出嫁女, 上访 …), what it does to them (不再享受, 收回, 户口在 …)
//! and what of theirs (收益分配, 承包地 …). A clause that protects (…不受影响, 平等享有,
//! 不得以出嫁为由…, 不得收回…) is no finding. It reads words, not meaning: the findings are
//! warnings that cite the law. Every row carries a clause it must find and a lawful one it must
//! not, and a test holds each row to both.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

mod findings;
#[cfg(test)]
mod tests;

pub use findings::{in_notice, in_regulation};

/// What is wrong with a clause: decides the code and the law cited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unlawful {
    /// 罚款 and the like: a village meeting sets no penalties (W342).
    Fine,
    /// Rights cut for petitioning (W343).
    Petition,
    /// Women's collective rights (and those of men who marry into the village) cut for
    /// marriage, divorce, widowhood, 户口 … (W344).
    Women,
    /// Collective income or benefits suspended or withheld as a punishment (W345).
    Sanction,
}

impl Unlawful {
    pub fn code(self) -> &'static str {
        match self {
            Unlawful::Fine => "W342",
            Unlawful::Petition => "W343",
            Unlawful::Women => "W344",
            Unlawful::Sanction => "W345",
        }
    }
}

/// One way an unlawful clause is written. A clause is found by a row when it names one of
/// `whom` (when the row names any), has one of `takes` at a place no prohibition governs (and,
/// for `amount`, followed by a sum of money), and one of `of` (when the row names any).
#[derive(Debug)]
pub struct Phrasing {
    pub what: Unlawful,
    /// What the clause does, for the message: "把……与户口挂钩".
    pub says: &'static str,
    whom: &'static [&'static [&'static str]],
    takes: &'static [&'static str],
    of: &'static [&'static [&'static str]],
    /// `takes` must be followed by a sum of money: 罚 50 元.
    amount: bool,
    /// Protective words (平等享有, 不受影响 …) clear the clause. Not for 户口: "户口在本村的出嫁
    /// 女同等分配" still makes the right follow 户口.
    protective_clears: bool,
    /// A clause of this kind from a published 村规民约 or notice: must be found.
    pub example: &'static str,
    /// Lawful text with the same words: must not be found.
    pub lawful: &'static str,
}

/// Every way of writing an unlawful clause qili knows; the first that fits a clause wins, so
/// the narrower rows (户口) stand before the wider ones and name the fault more exactly.
pub static PHRASINGS: &[Phrasing] = &[
    Phrasing {
        what: Unlawful::Fine,
        says: "规定了罚款",
        whom: &[],
        takes: FINES,
        of: &[],
        amount: false,
        protective_clears: false,
        example: "乱倒垃圾的，罚款 200 元。",
        lawful: "村民委员会不得设定罚款，对违反本约的以批评教育为主。",
    },
    Phrasing {
        what: Unlawful::Fine,
        says: "规定了罚钱（罚 + 金额）",
        whom: &[],
        takes: &["罚"],
        of: &[],
        amount: true,
        protective_clears: false,
        example: "在渠道里洗农药桶的，罚 50 元。",
        lawful: "偷倒垃圾被城管部门依法罚 200 元的，村里不再另行处理。",
    },
    Phrasing {
        what: Unlawful::Women,
        says: "把出嫁女、离婚丧偶妇女或入赘男子的成员身份和权益与户口挂钩",
        whom: &[WOMEN, MARRIED_IN],
        takes: HUKOU,
        of: &[RIGHTS, MEMBERSHIP],
        amount: false,
        protective_clears: false,
        example: "户口在本村的出嫁女、离婚妇女依法保留成员身份。",
        lawful:
            "出嫁女、离婚妇女不论户口在不在本村，未取得其他集体经济组织成员身份的，都保留成员身份。",
    },
    Phrasing {
        what: Unlawful::Women,
        says: "以婚姻状况为由限制妇女的集体经济组织成员权益",
        whom: &[WOMEN],
        takes: TAKING,
        of: &[RIGHTS],
        amount: false,
        protective_clears: true,
        example: "出嫁满一年的妇女，其补偿款不予发放。",
        lawful: "不得以妇女未婚、结婚、离婚、丧偶为由，侵害其在集体经济组织中的各项权益。",
    },
    Phrasing {
        what: Unlawful::Women,
        says: "限制男到女家落户的男子及其子女的集体经济组织成员权益",
        whom: &[MARRIED_IN],
        takes: TAKING,
        of: &[RIGHTS],
        amount: false,
        protective_clears: true,
        example: "男到女家落户的，本人及子女不参与集体收益分配。",
        lawful: "男到女家落户的，本人及子女与本村成员享有平等的权益。",
    },
    Phrasing {
        what: Unlawful::Women,
        says: "以离婚、出嫁、丧偶为由调整妇女的承包地",
        whom: &[WOMEN],
        takes: READJUST,
        of: &[LAND],
        amount: false,
        protective_clears: true,
        example: "妇女离婚的，其承包地一律由村里统一调整。",
        lawful: "承包期内，不得以妇女离婚为由调整其承包地。",
    },
    Phrasing {
        what: Unlawful::Petition,
        says: "因上访、信访限制村民的权益",
        whom: &[PETITION],
        takes: TAKING,
        of: &[RIGHTS],
        amount: false,
        protective_clears: true,
        example: "无理上访、越级上访的，取消其当年集体福利。",
        lawful: "不得因村民上访、信访而取消或者扣减其应得的补贴。",
    },
    Phrasing {
        what: Unlawful::Sanction,
        says: "以暂停、停止、取消享受或发放集体收益、福利作为处罚",
        whom: &[],
        takes: SUSPEND,
        of: &[RIGHTS],
        amount: false,
        protective_clears: true,
        example: "不参加义务植树的，暂停享受村集体福利待遇一年。",
        lawful: "家庭收入超过低保标准的，由民政部门依法停止发放低保金。",
    },
];

const FINES: &[&str] = &["罚款", "罚金", "处以罚", "罚交", "罚缴"];

const WOMEN: &[&str] = &[
    "出嫁",
    "外嫁",
    "嫁出",
    "嫁到",
    "离婚",
    "离异",
    "丧偶",
    "未婚",
    "户内无男",
    "户无男",
    "纯女户",
    "女儿户",
];

/// Men who settle in their wife's village, and their children (妇女权益保障法第五十六条第二款).
const MARRIED_IN: &[&str] = &[
    "入赘",
    "招婿",
    "上门女婿",
    "男到女家",
    "男方到女方",
    "到女方落户",
    "到女方家落户",
    "倒插门",
];

const PETITION: &[&str] = &["上访", "信访", "缠访", "闹访", "越级访"];

const TAKING: &[&str] = &[
    "不享受",
    "不再享受",
    "不能享受",
    "不得享受",
    "不享有",
    "不再享有",
    "不能享有",
    "不得享有",
    "无权",
    "取消",
    "停止",
    "暂停",
    "停发",
    "不予",
    "收回",
    "注销",
    "剥夺",
    "扣除",
    "扣发",
    "扣减",
    "减半",
    "折半",
    "一半",
    "减少",
    "少分",
    "不分",
    "不再分",
    "不参与",
    "不再参与",
    "不能参与",
    "不得参与",
    "放弃",
    "丧失",
    "迁出",
];

/// Where someone's 户口 is, as the condition of a right.
const HUKOU: &[&str] = &[
    "户口在",
    "户口仍在",
    "户口留在",
    "户口不在",
    "户口未迁",
    "户口没有迁",
    "户口没迁",
    "户口已迁",
    "户口迁出",
    "户口迁走",
    "户籍在",
    "户籍仍在",
    "户籍不在",
];

/// Benefits stopped for a while or for good (暂停享受, 停止发放 …).
const SUSPEND: &[&str] = &[
    "暂停享受",
    "停止享受",
    "取消享受",
    "暂停其享受",
    "停止其享受",
    "取消其享受",
    "暂停发放",
    "停止发放",
    "取消发放",
    "暂停向其发放",
    "停止向其发放",
];

/// A family's land taken apart or handed elsewhere.
const READJUST: &[&str] = &[
    "调整",
    "调出",
    "调给",
    "划给",
    "划归",
    "收归",
    "归男方",
    "重新分配",
];

const RIGHTS: &[&str] = &[
    "收益",
    "分配",
    "分红",
    "承包",
    "土地",
    "宅基地",
    "补偿",
    "安置",
    "成员资格",
    "成员身份",
    "股份",
    "股权",
    "福利",
    "待遇",
    "补贴",
    "补助",
    "救助",
    "低保",
    "权益",
    "口粮田",
    "责任田",
];

/// What a 户口 condition is attached to besides a right: being on the list at all.
const MEMBERSHIP: &[&str] = &["名单", "名册", "资格", "成员"];

const LAND: &[&str] = &["承包地", "土地", "责任田", "口粮田", "耕地"];

/// Words by which a clause protects the right rather than takes it.
const PROTECTS: &[&str] = &[
    "不受影响",
    "不因此受影响",
    "不影响",
    "平等享有",
    "同等享有",
    "依法享有",
    "享有同等",
    "享有平等",
    "平等的",
    "同等的",
    "一视同仁",
];

/// A prohibition before a taking verb or a fine, in the same phrase, turns it around (不得收回,
/// 无权取消, 严禁以任何理由收回); so does a taking the law itself orders (依法收回), and a
/// condition waived (不论户口在不在).
const FORBIDS: &[&str] = &[
    "不得", "不能", "不准", "禁止", "严禁", "不应", "无权", "不许", "依法", "不因", "不论", "无论",
    "不管",
];

/// "Not for this reason" before the subject: 不得以出嫁为由…, 不因离婚而….
const NOT_FOR: &[&str] = &[
    "不得以",
    "不得因",
    "不因",
    "不以",
    "不能以",
    "不能因",
    "不应以",
    "不应因",
    "不得把",
];

/// How many characters before a word a prohibition may stand (严禁以任何理由收回).
const WINDOW: usize = 8;

/// Whether one of `words` occurs in `clause` at a place not governed by a prohibition before it
/// in the same phrase, and not itself a prohibition of another of `words` right after it
/// (无权取消); with `amount`, only where a sum of money follows.
fn unforbidden(clause: &str, words: &[&str], amount: bool) -> bool {
    words.iter().any(|word| {
        clause.match_indices(word).any(|(at, _)| {
            let mut before: Vec<char> = clause[..at]
                .chars()
                .rev()
                .take(WINDOW)
                .take_while(|c| !matches!(c, '，' | ',' | '、' | '：' | ':'))
                .collect();
            before.reverse();
            let before: String = before.into_iter().collect();
            let after = &clause[at + word.len()..];
            !FORBIDS.iter().any(|f| before.contains(f))
                && !words.iter().any(|t| after.starts_with(t))
                && (!amount || money_follows(after))
        })
    })
}

/// Whether `text` starts with a sum of money, a few words of what it is for allowed before it:
/// " 50 元", "每只 50 元", "其五十元".
fn money_follows(text: &str) -> bool {
    const NUMERALS: &str = "0123456789０１２３４５６７８９一二三四五六七八九十百千万两";
    let rest = text.trim_start_matches([' ', '　', '其', '每', '人', '户', '只', '头', '棵', '次']);
    let digits = rest.chars().take_while(|c| NUMERALS.contains(*c)).count();
    let unit = rest.chars().skip(digits).find(|c| !matches!(c, ' ' | '　'));
    digits > 0 && matches!(unit, Some('元' | '块'))
}

fn any_in(clause: &str, lists: &[&[&str]]) -> bool {
    lists
        .iter()
        .any(|words| words.iter().any(|w| clause.contains(w)))
}

/// The first position of any of `lists`' words in `clause`.
fn first(clause: &str, lists: &[&[&str]]) -> Option<usize> {
    lists
        .iter()
        .flat_map(|words| words.iter())
        .filter_map(|w| clause.find(w))
        .min()
}

impl Phrasing {
    fn finds(&self, clause: &str) -> bool {
        if !self.whom.is_empty() && !any_in(clause, self.whom) {
            return false;
        }
        if !self.of.is_empty() && !any_in(clause, self.of) {
            return false;
        }
        if self.protective_clears && any_in(clause, &[PROTECTS]) {
            return false;
        }
        if !unforbidden(clause, self.takes, self.amount) {
            return false;
        }
        // 不得以出嫁为由…: the clause names whom only to protect them.
        let excused = first(clause, self.whom).is_some_and(|subject| {
            NOT_FOR
                .iter()
                .filter_map(|w| clause.find(w))
                .any(|at| at < subject)
        });
        !excused
    }

    /// The words without which no row can find a clause: whom a row singles out, or what it
    /// takes when it singles out no one.
    fn key_words(&self) -> impl Iterator<Item = &&'static str> {
        let own: &[&[&str]] = if self.whom.is_empty() {
            std::slice::from_ref(&self.takes)
        } else {
            self.whom
        };
        own.iter().flat_map(|words| words.iter())
    }
}

/// The README's table of the phrasings (between `<!-- clause-table:start -->` and `end`).
pub fn table_markdown() -> String {
    let mut out =
        String::from("| 写法 | 代码 | 会警告，例如 | 不警告，例如 |\n|---|---|---|---|\n");
    for p in PHRASINGS {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            p.says,
            p.what.code(),
            p.example,
            p.lawful
        ));
    }
    out
}

/// Whether a clause could be found at all: one pass over it rules out nearly all.
fn could_be_unlawful(clause: &str) -> bool {
    static WORDS: LazyLock<Option<aho_corasick::AhoCorasick>> = LazyLock::new(|| {
        aho_corasick::AhoCorasick::new(PHRASINGS.iter().flat_map(Phrasing::key_words)).ok()
    });
    WORDS.as_ref().is_none_or(|w| w.is_match(clause))
}

/// The phrasing an unlawful clause is written in, if it is one.
pub fn classify(clause: &str) -> Option<&'static Phrasing> {
    if !could_be_unlawful(clause) {
        return None;
    }
    PHRASINGS.iter().find(|p| p.finds(clause))
}

/// A clause found: 0-based line, 1-based column in characters, and how it is written.
pub type Found = (usize, usize, &'static Phrasing);

/// Each unlawful clause of `text`.
pub fn scan(text: &str) -> Vec<Found> {
    // `serve` checks every document again after each edit; the text of all but the edited
    // one is unchanged, so its clauses are read once per text (keyed by the text's hash).
    type Seen = HashMap<[u8; 32], Vec<Found>>;
    static SEEN: LazyLock<Mutex<Seen>> = LazyLock::new(Default::default);
    /// Texts remembered at most: far more than a town's documents, and a bound on memory.
    const MAX_SEEN: usize = 100_000;
    let key = *blake3::hash(text.as_bytes()).as_bytes();
    if let Some(found) = crate::sync::lock(&SEEN).get(&key).cloned() {
        return found;
    }
    let found = scan_text(text);
    let mut seen = crate::sync::lock(&SEEN);
    if seen.len() >= MAX_SEEN {
        seen.clear();
    }
    seen.insert(key, found.clone());
    found
}

fn scan_text(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut column = 1;
        for clause in line.split_inclusive(['。', '；', ';', '！', '？']) {
            if let Some(found) = classify(clause) {
                let lead = clause.chars().take_while(|c| c.is_whitespace()).count();
                out.push((i, column + lead, found));
            }
            column += clause.chars().count();
        }
    }
    out
}
