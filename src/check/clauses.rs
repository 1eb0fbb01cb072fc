//! Clauses a village meeting may not adopt, found clause by clause.
//!
//! A 村规民约 line often holds several clauses, and a lawful one ("出嫁女依法享有平等权益") can
//! stand beside an unlawful one on the same line. So the text is split at 。；！？ and line ends,
//! and each clause is read on its own: a restricted subject (出嫁女, 离婚, 上访 …) together with
//! a taking verb (不再享受, 取消, 收回 …) and a right (收益分配, 承包地, 宅基地 …) is a finding,
//! unless the clause itself protects (…不受影响, 平等享有, 不得以出嫁为由…, 不得收回…).
//! It reads words, not meaning: the findings are warnings that cite the law.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// What is wrong with a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unlawful {
    /// 罚款 and the like: a village meeting sets no penalties (W342).
    Fine,
    /// Rights cut for petitioning (W343).
    Petition,
    /// Women's collective rights cut for marriage, divorce, widowhood … (W344).
    Women,
}

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
    "入赘",
    "招婿",
    "上门女婿",
    "户内无男",
    "户无男",
    "纯女户",
    "女儿户",
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
/// 无权取消, 严禁以任何理由收回); so does a taking the law itself orders (依法收回).
const FORBIDS: &[&str] = &[
    "不得", "不能", "不准", "禁止", "严禁", "不应", "无权", "不许", "依法",
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

/// Whether `word` occurs in `clause` at a place not governed by a prohibition before it in the
/// same phrase, and not itself a prohibition of the taking verb right after it (无权取消).
fn unforbidden(clause: &str, word: &str) -> bool {
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
        !FORBIDS.iter().any(|f| before.contains(f)) && !TAKING.iter().any(|t| after.starts_with(t))
    })
}

fn any_in(clause: &str, words: &[&str]) -> bool {
    words.iter().any(|w| clause.contains(w))
}

/// The first position of any of `words` in `clause`.
fn first(clause: &str, words: &[&str]) -> Option<usize> {
    words.iter().filter_map(|w| clause.find(w)).min()
}

/// The words without which a clause cannot be a finding: a fine, or a restricted subject. One
/// pass over the clause rules out nearly all of them.
fn could_be_unlawful(clause: &str) -> bool {
    static WORDS: LazyLock<Option<aho_corasick::AhoCorasick>> = LazyLock::new(|| {
        aho_corasick::AhoCorasick::new(FINES.iter().chain(WOMEN).chain(PETITION)).ok()
    });
    WORDS.as_ref().is_none_or(|w| w.is_match(clause))
}

/// What, if anything, is unlawful in one clause.
pub fn classify(clause: &str) -> Option<Unlawful> {
    if !could_be_unlawful(clause) {
        return None;
    }
    if FINES.iter().any(|w| unforbidden(clause, w)) {
        return Some(Unlawful::Fine);
    }
    // Cheapest tests first: most clauses name no restricted subject at all.
    if !any_in(clause, WOMEN) && !any_in(clause, PETITION) {
        return None;
    }
    if any_in(clause, PROTECTS) || !any_in(clause, RIGHTS) {
        return None;
    }
    if !TAKING.iter().any(|w| unforbidden(clause, w)) {
        return None;
    }
    for (subjects, what) in [(WOMEN, Unlawful::Women), (PETITION, Unlawful::Petition)] {
        let Some(subject) = first(clause, subjects) else {
            continue;
        };
        let excused = NOT_FOR
            .iter()
            .filter_map(|w| clause.find(w))
            .any(|at| at < subject);
        if !excused {
            return Some(what);
        }
    }
    None
}

/// Each clause of `text` with what is unlawful in it: (0-based line, 1-based column in
/// characters, finding).
pub fn scan(text: &str) -> Vec<(usize, usize, Unlawful)> {
    // `serve` checks every regulation again after each edit; the text of all but the edited
    // one is unchanged, so its clauses are read once per text (keyed by the text's hash).
    type Seen = HashMap<[u8; 32], Vec<(usize, usize, Unlawful)>>;
    static SEEN: LazyLock<Mutex<Seen>> = LazyLock::new(Default::default);
    /// Texts remembered at most: far more than a town's regulations, and a bound on memory.
    const MAX_SEEN: usize = 100_000;
    let key = *blake3::hash(text.as_bytes()).as_bytes();
    if let Some(found) = SEEN.lock().ok().and_then(|s| s.get(&key).cloned()) {
        return found;
    }
    let found = scan_text(text);
    if let Ok(mut seen) = SEEN.lock() {
        if seen.len() >= MAX_SEEN {
            seen.clear();
        }
        seen.insert(key, found.clone());
    }
    found
}

fn scan_text(text: &str) -> Vec<(usize, usize, Unlawful)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use Unlawful::*;

    /// Real-style clauses from 村规民约 as they are written, half lawful and half not. The
    /// unlawful ones follow the patterns 妇女权益保障法第五十六条 and 村组法第二十七条 forbid.
    const CLAUSES: &[(&str, Option<Unlawful>)] = &[
        // Unlawful: women's rights cut for marriage and family status.
        ("出嫁女户口未迁出的，不再享受村集体收益分配。", Some(Women)),
        ("外嫁女及其子女不享受本村土地补偿费分配。", Some(Women)),
        (
            "妇女离婚后户口仍在本村的，其承包地由村委会收回。",
            Some(Women),
        ),
        ("丧偶妇女改嫁的，收回其宅基地使用权。", Some(Women)),
        (
            "本村女子嫁到外村后，注销其集体经济组织成员资格。",
            Some(Women),
        ),
        ("入赘女婿不得享有村集体福利待遇。", Some(Women)),
        ("户内无男性的，只能分得一半的分红。", Some(Women)),
        ("招婿上门的，其配偶和子女不参与集体收益分配。", Some(Women)),
        ("未婚生育的妇女，取消其当年分红。", Some(Women)),
        ("离婚妇女在本村无权申请宅基地。", Some(Women)),
        ("出嫁女的口粮田一律收回，由村集体统一发包。", Some(Women)),
        (
            "纯女户只保留一名女儿的成员资格，其余女儿出嫁后自动丧失。",
            Some(Women),
        ),
        ("外嫁女回村居住的，停发村集体福利。", Some(Women)),
        ("离异妇女及其子女的股份由村集体收回。", Some(Women)),
        ("出嫁满一年的妇女，其补偿款不予发放。", Some(Women)),
        (
            "嫁出的女儿不再参与本村征地补偿分配，子女户口也应迁出。",
            Some(Women),
        ),
        ("为保障集体利益，出嫁女一律不再享受收益分配。", Some(Women)),
        (
            "出嫁女平时不在村居住，不再享受土地承包经营权。",
            Some(Women),
        ),
        // Unlawful: rights cut for petitioning.
        ("无理上访、越级上访的，取消其当年集体福利。", Some(Petition)),
        ("多次到县、市信访的，停发其各项补贴。", Some(Petition)),
        ("缠访闹访的村民，不予享受村集体分红。", Some(Petition)),
        ("对上访户收回其承包的集体土地。", Some(Petition)),
        ("参与集体上访的，扣发当年收益分配款。", Some(Petition)),
        ("信访期间不享受村里的低保推荐资格。", Some(Petition)),
        ("凡越级访的，当年不分红。", Some(Petition)),
        // Unlawful: fines.
        ("乱倒垃圾的，罚款 200 元。", Some(Fine)),
        ("私自砍伐集体林木的，处以每棵 500 元罚款。", Some(Fine)),
        ("不按时交纳水费的，罚交滞纳金。", Some(Fine)),
        ("酒后滋事的，由村委会处以罚金。", Some(Fine)),
        ("在渠道里洗农药桶的，罚款 100 元并赔偿损失。", Some(Fine)),
        ("放养牲畜啃食苗木的，罚缴每只 50 元。", Some(Fine)),
        // Lawful: protective clauses that name the same subjects and rights.
        (
            "出嫁女、离婚或者丧偶的妇女，依法享有与本村其他成员平等的土地承包和收益分配权益。",
            None,
        ),
        (
            "不得以妇女未婚、结婚、离婚、丧偶为由，侵害其在集体经济组织中的各项权益。",
            None,
        ),
        (
            "妇女结婚后在新居住地未取得承包地的，村集体不得收回其原承包地。",
            None,
        ),
        ("外嫁女户口在本村的，与其他成员同等享有收益分配。", None),
        ("入赘男子及其子女与本村村民一视同仁，享有集体福利。", None),
        ("离婚妇女的宅基地使用权不受影响。", None),
        ("村民依法信访的，其享受的各项福利不受影响。", None),
        ("不得因村民上访、信访而取消或者扣减其应得的补贴。", None),
        ("任何组织和个人无权取消出嫁女的成员资格。", None),
        ("不因户内无男性而减少其承包土地。", None),
        ("丧偶妇女有权依法处分继承的财产，任何人不得干涉。", None),
        ("村民委员会不得设定罚款，对违反本约的以批评教育为主。", None),
        (
            "对无理缠访闹访的，由村调解委员会做好疏导，依法引导到法定途径解决。",
            None,
        ),
        ("提倡婚事新办，反对高价彩礼。", None),
        (
            "离婚纠纷由村调解委员会调解，调解不成的引导到法院起诉。",
            None,
        ),
        ("村集体收益分配方案由村民会议讨论决定，并张榜公布。", None),
        ("出嫁女回娘家探亲的，村里提供方便。", None),
        ("承包期内，发包方不得收回承包地。", None),
        (
            "村民有权对村集体财务提出质询，村务监督委员会应当答复。",
            None,
        ),
        ("依法信访是村民的权利，村干部应当热情接待。", None),
        ("对评为文明家庭的，给予表扬。", None),
        ("违反本约的，取消当年评先评优资格。", None),
        ("宅基地实行一户一宅，超占的依法收回。", None),
        (
            "承包方全家迁入设区的市并落户的，依照法律规定交回承包地。",
            None,
        ),
        ("妇女在婚姻期间的土地承包经营权受法律保护，不得剥夺。", None),
        ("上访户的合理诉求，村委会要及时协调解决。", None),
        (
            "出嫁女离婚后回村居住的，与其他村民同等享受集体福利待遇。",
            None,
        ),
        ("招婿上门的家庭，其子女依法享有本村成员资格。", None),
        (
            "外来人员不享受本村集体福利，但依法登记确认为成员的除外。",
            None,
        ),
        ("严禁以任何理由收回离婚妇女的承包地。", None),
        ("对家庭暴力、虐待老人的，由村调解委员会批评教育。", None),
        // Cases that once fooled the lint.
        ("户内无男性的，只按一半比例参与分配。", Some(Women)),
        (
            "离婚的妇女如在新居住地已取得承包地，原承包地依法由发包方收回。",
            None,
        ),
        // Written after the word lists were settled, to keep the figures honest: the lint
        // misses some of these.
        (
            "凡本村姑娘出嫁的，户口必须迁出，不迁出的不分配集体收益。",
            Some(Women),
        ),
        ("离婚后再婚的妇女，其子女不再列入分红名单。", Some(Women)),
        ("经常上访影响村里工作的，村里不给办理低保。", Some(Petition)),
        (
            "出嫁女户口未迁出的，仍为本村集体经济组织成员，享有收益分配权。",
            None,
        ),
        ("对信访事项，村委会应当在十五日内答复，不得推诿。", None),
        ("离婚时夫妻共同财产的分割，依照民法典的规定处理。", None),
    ];

    #[test]
    fn clause_lint_precision_and_recall() {
        let (mut tp, mut fp, mut fnn, mut tn) = (0, 0, 0, 0);
        let mut wrong = Vec::new();
        for (clause, expected) in CLAUSES {
            let got = classify(clause);
            match (expected, got) {
                (Some(e), Some(g)) if *e == g => tp += 1,
                (Some(_), Some(_)) => {
                    fp += 1;
                    wrong.push(format!("{clause} expected {expected:?}, got {got:?}"));
                }
                (Some(_), None) => {
                    fnn += 1;
                    wrong.push(format!("missed: {clause}"));
                }
                (None, Some(_)) => {
                    fp += 1;
                    wrong.push(format!("false alarm: {clause} ({got:?})"));
                }
                (None, None) => tn += 1,
            }
        }
        let unlawful = CLAUSES.iter().filter(|(_, e)| e.is_some()).count();
        assert!(CLAUSES.len() >= 60 && unlawful * 2 >= CLAUSES.len() - 4);
        let precision = f64::from(tp) / f64::from(tp + fp);
        let recall = f64::from(tp) / f64::from(tp + fnn);
        println!(
            "村规民约条款检查：{} 条（违法 {unlawful} 条），precision {precision:.3}，recall {recall:.3}（TP {tp}，FP {fp}，FN {fnn}，TN {tn}）",
            CLAUSES.len()
        );
        for w in &wrong {
            println!("  {w}");
        }
        assert!(precision >= 0.95, "precision {precision:.3}: {wrong:#?}");
        assert!(recall >= 0.9, "recall {recall:.3}: {wrong:#?}");
    }

    #[test]
    fn a_protective_clause_does_not_silence_its_neighbour_on_the_line() {
        let line = "出嫁女依法享有平等权益；但离婚后户口迁出的，不再享受收益分配。";
        let found = scan(line);
        assert_eq!(found.len(), 1, "{found:?}");
        let (row, column, what) = found[0];
        assert_eq!((row, what), (0, Women));
        // The second clause starts after 「出嫁女依法享有平等权益；」, 12 characters.
        assert_eq!(column, 13);
    }
}
