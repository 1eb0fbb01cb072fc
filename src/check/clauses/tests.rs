//! The clause lint against clauses as 村规民约 and notices write them.

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
    // Issue 25: membership and its rights do not follow 户口 (农村集体经济组织法第十八条), so
    // a right granted "户口在本村的" is a right denied to those whose 户口 moved.
    ("外嫁女户口在本村的，与其他成员同等享有收益分配。", Some(Women)),
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
        Some(Women),
    ),
    ("对信访事项，村委会应当在十五日内答复，不得推诿。", None),
    ("离婚时夫妻共同财产的分割，依照民法典的规定处理。", None),
    // Issue 25: phrasings of published 村规民约 the word lists missed, and lawful text beside
    // them. Suspensions of benefits as a punishment, of anyone.
    ("对拒不缴纳卫生费的农户，暂停发放其当年集体分红。", Some(Sanction)),
    ("不服从村里统一安排的，停止享受一切福利待遇。", Some(Sanction)),
    ("违反本约第十条的，取消享受村集体补贴两年。", Some(Sanction)),
    ("上访期间暂停发放其各项补贴。", Some(Petition)),
    ("出嫁女户口迁出前，暂停享受集体收益分配。", Some(Women)),
    ("符合条件的，按规定发放高龄补贴。", None),
    ("工程完工后，施工补助由村会计统一发放。", None),
    // Fines written without the word 罚款.
    ("乱砍集体林木的，罚 500 元。", Some(Fine)),
    ("放养牲畜啃食庄稼的，每只罚五十元。", Some(Fine)),
    ("不按时清理门前垃圾的，罚其 20 元。", Some(Fine)),
    ("对罚没物品由执法部门依法处理。", None),
    ("违者由有关部门依法处罚。", None),
    // A divorced woman's land handed elsewhere.
    ("妇女离婚后，其承包地由村里统一调整给男方家庭。", Some(Women)),
    ("出嫁女的责任田一律划归娘家兄弟耕种。", Some(Women)),
    ("离婚妇女的承包地不因离婚而调整。", None),
    ("因自然灾害严重毁损承包地的，经村民会议三分之二以上成员同意，可以个别调整。", None),
    // Men who marry into the village.
    ("男到女家落户的，不享受本村土地补偿费分配。", Some(Women)),
    ("倒插门女婿及其子女不再分配宅基地。", Some(Women)),
    ("男方到女方落户的，本人和子女依法享有本村成员的各项权益。", None),
    // 户口 as the condition of a woman's membership or rights: the notices of issue 25 item 2
    // as they were published.
    (
        "出嫁女、离婚或者丧偶妇女及其子女，户口在本组且未在其他集体经济组织取得成员身份的，与其他成员同等分配。",
        Some(Women),
    ),
    (
        "妇女与男子平等申请，出嫁女、离婚妇女户口在本村且在他处没有宅基地的，同样可以申请。",
        Some(Women),
    ),
    ("户口在本村的出嫁女、离婚妇女依法保留成员身份。", Some(Women)),
    ("其中 1 名户口在本组的出嫁女经核实补入名单。", Some(Women)),
    ("出嫁女、离婚丧偶妇女及其子女同等分配。", None),
    ("本社区 60 周岁以上老人，不分户籍，都可以用餐。", None),
    ("新增成员中，因结婚户口迁入本村 7 人。", None),
];

/// Each phrasing of the table finds its own example, and passes its lawful counter-example.
#[test]
fn every_phrasing_finds_its_example_and_not_its_lawful_text() {
    for p in PHRASINGS {
        let found = classify(p.example);
        assert!(
            found.is_some_and(|f| std::ptr::eq(f, p)),
            "{}: {} found by {:?}",
            p.says,
            p.example,
            found.map(|f| f.says)
        );
        assert!(
            classify(p.lawful).is_none(),
            "{}: lawful text found: {}",
            p.says,
            p.lawful
        );
    }
}

#[test]
fn a_fine_needs_a_sum_of_money_after_the_word() {
    for (text, money) in [
        (" 50 元", true),
        ("每只 50 元", true),
        ("其五十元", true),
        ("２００块", true),
        ("没物品", false),
        ("做义务工 3 天", false),
        ("50 斤", false),
    ] {
        assert_eq!(money_follows(text), money, "{text}");
    }
}

#[test]
fn clause_lint_precision_and_recall() {
    let (mut tp, mut fp, mut fnn, mut tn) = (0, 0, 0, 0);
    let mut wrong = Vec::new();
    for (clause, expected) in CLAUSES {
        let got = classify(clause).map(|p| p.what);
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
    assert_eq!((row, what.what), (0, Women));
    // The second clause starts after 「出嫁女依法享有平等权益；」, 12 characters.
    assert_eq!(column, 13);
}

/// The README shows the table of phrasings; `QILI_BLESS=1 cargo test --lib` writes it there.
#[test]
fn readme_clause_table_is_the_code_table() {
    const START: &str = "<!-- clause-table:start -->\n";
    const END: &str = "<!-- clause-table:end -->";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme.find(START).expect("README has the start marker") + START.len();
    let end = readme.find(END).expect("README has the end marker");
    let table = table_markdown();
    if std::env::var_os("QILI_BLESS").is_some() {
        std::fs::write(
            &path,
            format!("{}{table}{}", &readme[..start], &readme[end..]),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        table,
        "README 的条款写法表与代码不一致：用 QILI_BLESS=1 cargo test --lib clauses 重新生成"
    );
}
