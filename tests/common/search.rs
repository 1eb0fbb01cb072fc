//! What one search costs in bytes, without a browser: the search page, its style sheet and
//! script, and the index files `qili::search::query::fetched` says the script asks for, each
//! gzipped as a server sends it (tests/suite/search_budget.rs; tests/browser/search.rs checks the
//! list against Chromium's requests).

use serde_json::Value;
use std::io::Write;
use std::path::Path;

pub const QUNZHONG: &str = "/qunzhong/search/";
pub const GANBU: &str = "/ganbu/search/";
pub const LINGDAO: &str = "/lingdao/search/";
pub const ZHIGONG: &str = "/zhigong/search/";

/// What a query of [`TABLE`] is, as the issue (#24) counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// A word or phrase the site itself uses (the first table of #12).
    Word,
    /// A question or a colloquial phrasing.
    Question,
    /// A slip of pinyin input: a character of the same (or nearly the same) sound.
    Homophone,
    /// Pinyin typed instead of characters.
    Pinyin,
    /// Traditional characters.
    Traditional,
    /// Several words separated by spaces.
    Words,
    /// Something the site cannot answer: no result may be shown.
    Unanswerable,
}

const Q: &str = QUNZHONG;
const G: &str = GANBU;
const L: &str = LINGDAO;
const Z: &str = ZHIGONG;

/// Queries as the four audiences type them on a phone, written before the ranking was tuned
/// (issue #24), each with its right answers (any one in the visible top 3 is a hit); an empty
/// list for a query the site cannot answer (no result may be shown).
pub const TABLE: &[(&str, Sort, &str, &[&str])] = &[
    // Words the site uses (#12).
    (
        Q,
        Sort::Word,
        "彩礼",
        &["/qunzhong/lessons/cai-li-fan-huan/"],
    ),
    (
        Q,
        Sort::Word,
        "宅基地",
        &["/qunzhong/lessons/zhai-ji-di-yi-hu-yi-zhai/"],
    ),
    (
        Q,
        Sort::Word,
        "借条",
        &["/qunzhong/lessons/jie-tiao-zen-me-xie/"],
    ),
    (
        Q,
        Sort::Word,
        "赡养",
        &["/qunzhong/lessons/lao-ren-shan-yang-fei/"],
    ),
    (
        Q,
        Sort::Word,
        "遗嘱",
        &["/qunzhong/lessons/yi-zhu-zen-me-li/"],
    ),
    (
        G,
        Sort::Word,
        "调解",
        &["/ganbu/lessons/ren-min-tiao-jie-qing-dan/"],
    ),
    (
        Q,
        Sort::Word,
        "家暴",
        &["/qunzhong/lessons/fan-jia-ting-bao-li/"],
    ),
    (
        Q,
        Sort::Word,
        "土地流转",
        &["/qunzhong/lessons/tu-di-liu-zhuan-he-tong/"],
    ),
    (
        Q,
        Sort::Word,
        "村务公开",
        &["/qunzhong/lessons/cun-wu-gong-kai/"],
    ),
    (
        G,
        Sort::Word,
        "四议两公开",
        &["/ganbu/lessons/si-yi-liang-gong-kai-qing-dan/"],
    ),
    (
        Q,
        Sort::Word,
        "补偿款",
        &["/villages/yangzhuang/notices/2026-liu-cun-bu-chang-kuan/"],
    ),
    // The sample says 出嫁女; no page has 外嫁女, so the pages with part of it answer.
    (
        Q,
        Sort::Word,
        "外嫁女",
        &["/qunzhong/lessons/chu-jia-nv-cheng-yuan-quan-yi/"],
    ),
    (
        Q,
        Sort::Word,
        "12348",
        &["/qunzhong/lessons/fa-lv-yuan-zhu-12348/"],
    ),
    // Full-width digits, as a Chinese keyboard types them.
    (
        Q,
        Sort::Word,
        "１２３４８",
        &["/qunzhong/lessons/fa-lv-yuan-zhu-12348/"],
    ),
    (
        Q,
        Sort::Word,
        "一户一宅",
        &["/qunzhong/lessons/zhai-ji-di-yi-hu-yi-zhai/"],
    ),
    (
        Q,
        Sort::Word,
        "民法典第一千零四十二条",
        &["/qunzhong/lessons/cai-li-fan-huan/"],
    ),
    (Q, Sort::Word, "柳湾村", &["/villages/liuwan/"]),
    // A 调解员's phone number finds the village page that lists it.
    (Q, Sort::Word, "0937-0000602", &["/villages/liuwan/"]),
    // A phrase from a 村规民约 article: the link goes to the 条 itself.
    (
        Q,
        Sort::Word,
        "刮风天不喷药",
        &["/villages/liuwan/guiyue/#tiao-6"],
    ),
    // One character.
    (
        Q,
        Sort::Word,
        "井",
        &["/qunzhong/lessons/di-xia-shui-ji-jing-guan-kong/"],
    ),
    // A word on one page only, in its body.
    (
        Q,
        Sort::Word,
        "蓄水池",
        &["/qunzhong/lessons/tu-di-liu-zhuan-he-tong/"],
    ),
    // Each audience searches its own wording: 群众 read 钱来钱往 in 村务公开, 村组干部 do not.
    (
        Q,
        Sort::Word,
        "钱来钱往",
        &["/qunzhong/lessons/cun-wu-gong-kai/"],
    ),
    (G, Sort::Unanswerable, "钱来钱往", &[]),
    (L, Sort::Word, "述法", &["/lingdao/lessons/shu-fa/"]),
    // Questions and colloquial phrasings: 群众.
    (
        Q,
        Sort::Question,
        "女儿嫁出去了分红还有她的吗",
        &[
            "/qunzhong/lessons/chu-jia-nv-cheng-yuan-quan-yi/",
            "/villages/xihe/notices/2026-que-ren-cheng-yuan/",
        ],
    ),
    (
        Q,
        Sort::Question,
        "订婚后女方反悔了彩礼能要回来吗",
        &["/qunzhong/lessons/cai-li-fan-huan/"],
    ),
    (
        Q,
        Sort::Question,
        "儿子不养老人怎么办",
        &["/qunzhong/lessons/lao-ren-shan-yang-fei/"],
    ),
    (
        Q,
        Sort::Question,
        "亲戚借钱不还怎么办",
        &["/qunzhong/lessons/jie-tiao-zen-me-xie/"],
    ),
    (
        Q,
        Sort::Question,
        "打工的工钱老板不给咋办",
        &[
            "/qunzhong/lessons/nong-min-gong-qian-xin/",
            "/qunzhong/lessons/fa-lv-yuan-zhu-12348/",
        ],
    ),
    (
        Q,
        Sort::Question,
        "老公打老婆怎么办",
        &["/qunzhong/lessons/fan-jia-ting-bao-li/"],
    ),
    (
        Q,
        Sort::Question,
        "媳妇被男人打了找谁",
        &["/qunzhong/lessons/fan-jia-ting-bao-li/"],
    ),
    (
        Q,
        Sort::Question,
        "请不起律师怎么办",
        &["/qunzhong/lessons/fa-lv-yuan-zhu-12348/"],
    ),
    (
        Q,
        Sort::Question,
        "娃在渠里游泳出事了谁负责",
        &["/qunzhong/lessons/wei-cheng-nian-ren-fang-ni-shui/"],
    ),
    (
        Q,
        Sort::Question,
        "狗咬了人要赔钱吗",
        &["/qunzhong/lessons/si-yang-dong-wu-sun-hai/"],
    ),
    (
        Q,
        Sort::Question,
        "帮人盖房子摔伤了谁赔",
        &["/qunzhong/lessons/bang-gong-shou-shang/"],
    ),
    (
        Q,
        Sort::Question,
        "邻居不让从他家地里过咋办",
        &["/qunzhong/lessons/xiang-lin-tong-xing/"],
    ),
    (
        Q,
        Sort::Question,
        "自家地里能不能打井",
        &["/qunzhong/lessons/di-xia-shui-ji-jing-guan-kong/"],
    ),
    (
        Q,
        Sort::Question,
        "承包地到期了还能接着种吗",
        &["/qunzhong/lessons/tu-di-cheng-bao-yan-chang-san-shi-nian/"],
    ),
    (
        Q,
        Sort::Question,
        "把地包给别人种合同咋写",
        &["/qunzhong/lessons/tu-di-liu-zhuan-he-tong/"],
    ),
    (
        Q,
        Sort::Question,
        "在承包地上盖房子行不行",
        &["/qunzhong/lessons/zhai-ji-di-yi-hu-yi-zhai/"],
    ),
    (
        Q,
        Sort::Question,
        "房子想留给闺女怎么写遗嘱",
        &["/qunzhong/lessons/yi-zhu-zen-me-li/"],
    ),
    (
        Q,
        Sort::Question,
        "公安局打电话让我转账",
        &["/qunzhong/lessons/fan-dian-xin-wang-luo-zha-pian/"],
    ),
    (
        Q,
        Sort::Question,
        "有人拉我入股养牛说保本高息",
        &["/qunzhong/lessons/fang-fan-fei-fa-ji-zi/"],
    ),
    (
        Q,
        Sort::Question,
        "电动三轮车能拉人吗",
        &["/qunzhong/lessons/nong-yong-che-dian-san-lun-an-quan/"],
    ),
    (
        Q,
        Sort::Question,
        "喝了酒开三轮车被查了",
        &["/qunzhong/lessons/nong-yong-che-dian-san-lun-an-quan/"],
    ),
    (
        Q,
        Sort::Question,
        "游客在农家乐摔倒了要不要赔",
        &["/qunzhong/lessons/nong-jia-le-an-quan-bao-zhang/"],
    ),
    (
        Q,
        Sort::Question,
        "地里挖出来的古董归谁",
        &["/qunzhong/lessons/wen-wu-bao-hu-chang-cheng-feng-sui/"],
    ),
    (
        Q,
        Sort::Question,
        "村里的账多久公开一次",
        &["/qunzhong/lessons/cun-wu-gong-kai/"],
    ),
    (
        Q,
        Sort::Question,
        "想上访该找谁",
        &["/qunzhong/lessons/you-su-qiu-zen-me-fan-ying/"],
    ),
    (
        Q,
        Sort::Question,
        "集市摊位的租金花到哪里去了",
        &[
            "/villages/shiqiao/notices/2026-zu-jin-shi-yong/",
            "/villages/shiqiao/notices/2026-ji-shi-tan-wei/",
        ],
    ),
    (
        Q,
        Sort::Question,
        "征地补偿款怎么分",
        &[
            "/villages/yangzhuang/notices/2026-san-zu-tu-di-bu-chang-fei/",
            "/villages/yangzhuang/notices/2026-liu-cun-bu-chang-kuan/",
            "/qunzhong/lessons/chu-jia-nv-cheng-yuan-quan-yi/",
        ],
    ),
    (
        Q,
        Sort::Question,
        "承包证上没写媳妇的名字",
        &["/qunzhong/lessons/tu-di-cheng-bao-yan-chang-san-shi-nian/"],
    ),
    (
        Q,
        Sort::Question,
        "老人在家接到电话说孙子出事了要汇钱",
        &["/qunzhong/lessons/fan-dian-xin-wang-luo-zha-pian/"],
    ),
    // 村组干部.
    (
        G,
        Sort::Question,
        "成员大会要多少人同意才算",
        &[
            "/ganbu/lessons/ji-ti-jing-ji-zu-zhi-fa-yao-dian/",
            "/ganbu/lessons/chu-jia-nv-cheng-yuan-quan-yi/",
            "/ganbu/lessons/ji-ti-zi-chan-chu-zu/",
        ],
    ),
    (
        G,
        Sort::Question,
        "调解完了要不要回访",
        &["/ganbu/lessons/ren-min-tiao-jie-qing-dan/"],
    ),
    (
        G,
        Sort::Question,
        "集体的圈舍租出去要走啥程序",
        &[
            "/ganbu/lessons/ji-ti-zi-chan-chu-zu/",
            "/villages/beipo/notices/2026-quan-she-zhao-zu/",
        ],
    ),
    (
        G,
        Sort::Question,
        "村里的大事怎么商量决定",
        &["/ganbu/lessons/si-yi-liang-gong-kai-qing-dan/"],
    ),
    (
        G,
        Sort::Question,
        "村规民约里哪些条款不能写",
        &["/ganbu/lessons/cun-gui-min-yue-shen-he/"],
    ),
    (
        G,
        Sort::Question,
        "能不能把群众的身份证号发到微信群里",
        &["/ganbu/lessons/qun-zhong-ge-ren-xin-xi/"],
    ),
    (
        G,
        Sort::Question,
        "村里开会的材料要不要归档",
        &["/ganbu/lessons/dang-an-guan-li/"],
    ),
    // 党政领导.
    (
        L,
        Sort::Question,
        "书记要负什么法治责任",
        &["/lingdao/lessons/fa-zhi-jian-she-di-yi-ze-ren-ren/"],
    ),
    (
        L,
        Sort::Question,
        "镇政府被告了镇长要不要出庭",
        &["/lingdao/lessons/xing-zheng-ji-guan-fu-ze-ren-chu-ting/"],
    ),
    (
        L,
        Sort::Question,
        "重大事项拍板前要走哪些程序",
        &["/lingdao/lessons/zhong-da-jue-ce-cheng-xu/"],
    ),
    (
        L,
        Sort::Question,
        "拆迁留下的老问题怎么化解",
        &["/lingdao/lessons/zheng-qian-yi-liu-wen-ti/"],
    ),
    (
        L,
        Sort::Question,
        "信访条例对领导有啥要求",
        &["/lingdao/lessons/xin-fang-ling-dao-ze-ren/"],
    ),
    // 机关职工.
    (
        Z,
        Sort::Question,
        "群众来办事第一个问到我怎么办",
        &["/zhigong/lessons/shou-wen-ze-ren-zhi/"],
    ),
    (
        Z,
        Sort::Question,
        "罚款的程序哪里容易出错",
        &["/zhigong/lessons/xing-zheng-chu-fa-cheng-xu/"],
    ),
    (
        Z,
        Sort::Question,
        "年底述职要不要讲法治",
        &["/zhigong/lessons/shu-fa/"],
    ),
    (
        Z,
        Sort::Question,
        "工作记录怎么写才算数",
        &["/zhigong/lessons/gong-zuo-ji-shi/"],
    ),
    (
        Z,
        Sort::Question,
        "普法的新法出来了机关要做什么",
        &["/zhigong/lessons/fa-zhi-xuan-chuan-jiao-yu-fa/"],
    ),
    // Slips of pinyin input.
    (
        Q,
        Sort::Homophone,
        "遗属怎么写",
        &["/qunzhong/lessons/yi-zhu-zen-me-li/"],
    ),
    (
        Q,
        Sort::Homophone,
        "赡养废",
        &["/qunzhong/lessons/lao-ren-shan-yang-fei/"],
    ),
    (
        Q,
        Sort::Homophone,
        "财礼退不退",
        &["/qunzhong/lessons/cai-li-fan-huan/"],
    ),
    (
        Q,
        Sort::Homophone,
        "家爆",
        &["/qunzhong/lessons/fan-jia-ting-bao-li/"],
    ),
    (
        Q,
        Sort::Homophone,
        "留转合同",
        &["/qunzhong/lessons/tu-di-liu-zhuan-he-tong/"],
    ),
    (
        Q,
        Sort::Homophone,
        "反炸骗",
        &["/qunzhong/lessons/fan-dian-xin-wang-luo-zha-pian/"],
    ),
    // Pinyin.
    (
        Q,
        Sort::Pinyin,
        "yizhu",
        &["/qunzhong/lessons/yi-zhu-zen-me-li/"],
    ),
    (
        Q,
        Sort::Pinyin,
        "cai li",
        &["/qunzhong/lessons/cai-li-fan-huan/"],
    ),
    (
        Q,
        Sort::Pinyin,
        "jietiao",
        &["/qunzhong/lessons/jie-tiao-zen-me-xie/"],
    ),
    (
        Q,
        Sort::Pinyin,
        "zhaijidi",
        &[
            "/qunzhong/lessons/zhai-ji-di-yi-hu-yi-zhai/",
            "/villages/beipo/notices/2027-zhai-ji-di/",
        ],
    ),
    (
        Q,
        Sort::Pinyin,
        "jiabao",
        &["/qunzhong/lessons/fan-jia-ting-bao-li/"],
    ),
    (
        G,
        Sort::Pinyin,
        "tiaojie",
        &["/ganbu/lessons/ren-min-tiao-jie-qing-dan/"],
    ),
    // Traditional characters.
    (
        Q,
        Sort::Traditional,
        "遺囑怎麼寫",
        &["/qunzhong/lessons/yi-zhu-zen-me-li/"],
    ),
    (
        Q,
        Sort::Traditional,
        "彩禮",
        &["/qunzhong/lessons/cai-li-fan-huan/"],
    ),
    (
        Q,
        Sort::Traditional,
        "贍養費",
        &["/qunzhong/lessons/lao-ren-shan-yang-fei/"],
    ),
    (
        G,
        Sort::Traditional,
        "村規民約審查",
        &["/ganbu/lessons/cun-gui-min-yue-shen-he/"],
    ),
    // Several words.
    (
        Q,
        Sort::Words,
        "彩礼 退还",
        &["/qunzhong/lessons/cai-li-fan-huan/"],
    ),
    (
        Q,
        Sort::Words,
        "宅基地 儿子 盖房",
        &["/qunzhong/lessons/zhai-ji-di-yi-hu-yi-zhai/"],
    ),
    (
        Q,
        Sort::Words,
        "老人 赡养费 儿女",
        &["/qunzhong/lessons/lao-ren-shan-yang-fei/"],
    ),
    (
        G,
        Sort::Words,
        "集体资产 出租 清单",
        &["/ganbu/lessons/ji-ti-zi-chan-chu-zu/"],
    ),
    (
        Q,
        Sort::Words,
        "12348 律师",
        &["/qunzhong/lessons/fa-lv-yuan-zhu-12348/"],
    ),
    (L, Sort::Words, "述职 述法", &["/lingdao/lessons/shu-fa/"]),
    // What the site cannot answer.
    (Q, Sort::Unanswerable, "量子计算机", &[]),
    (Q, Sort::Unanswerable, "护照怎么办理", &[]),
    (Q, Sort::Unanswerable, "高考志愿怎么填", &[]),
    (Q, Sort::Unanswerable, "股票开户", &[]),
    (Q, Sort::Unanswerable, "新冠疫苗在哪里打", &[]),
    (Q, Sort::Unanswerable, "手机话费怎么充值", &[]),
    (G, Sort::Unanswerable, "无人机植保作业补贴怎么申请", &[]),
    (Z, Sort::Unanswerable, "公务员退休工资怎么算", &[]),
    (L, Sort::Unanswerable, "考研复试分数线", &[]),
];

/// Gzipped size of a file of the site (by URL path), as a server would send it.
pub fn gzipped(public: &Path, url_path: &str) -> usize {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&read(public, url_path)).unwrap();
    gz.finish().unwrap().len()
}

fn read(public: &Path, url_path: &str) -> Vec<u8> {
    let rel = url_path.trim_start_matches('/');
    let file = if rel.is_empty() || rel.ends_with('/') {
        public.join(rel).join("index.html")
    } else {
        public.join(rel)
    };
    std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The value of the first `name="…"` attribute in `html`, unescaped.
fn attribute(html: &str, name: &str) -> Option<String> {
    let start = html.find(&format!("{name}=\""))? + name.len() + 2;
    let end = start + html[start..].find('"')?;
    Some(
        html[start..end]
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#x2F;", "/")
            .replace("&amp;", "&"),
    )
}

/// What the search page `page` shows and fetches for `query`, by src/search/query.rs: the
/// outcome, and the first page's results as URL paths (as the page links them).
pub fn outcome(
    public: &Path,
    page: &str,
    query: &str,
) -> (qili::search::query::Outcome, Vec<String>) {
    let html = String::from_utf8(read(public, page)).expect("UTF-8 page");
    let data: Value = serde_json::from_str(&attribute(&html, "data-index").expect("data-index"))
        .expect("data-index is JSON");
    let dir = attribute(&html, "data-dir").expect("data-dir");
    let home = attribute(&html, "data-home").expect("data-home");
    let root = attribute(&html, "data-root").expect("data-root");
    let file = |path: &str| {
        let full = public.join(format!("{dir}{path}").trim_start_matches('/'));
        std::fs::read_to_string(full).ok()
    };
    let out = qili::search::query::search(&data, file, query);
    let paths = out
        .page
        .iter()
        .map(|h| match h.kind {
            0 => format!("{home}{}", h.url),
            _ => format!("{root}{}", h.url),
        })
        .collect();
    (out, paths)
}

/// The index files (URL paths) the search page `page` fetches for `query`.
pub fn index_requests(public: &Path, page: &str, query: &str) -> Vec<String> {
    let html = String::from_utf8(read(public, page)).expect("UTF-8 page");
    let dir = attribute(&html, "data-dir").expect("data-dir");
    let root = dir.trim_end_matches(qili::search::DIR).to_string();
    let (out, _) = outcome(public, page, query);
    out.files
        .into_iter()
        .map(|f| format!("{root}{f}"))
        .collect()
}

/// Every request of one search (URL paths): the page, its style sheet and script, the index
/// files.
pub fn requests(public: &Path, page: &str, query: &str) -> Vec<String> {
    let html = String::from_utf8(read(public, page)).expect("UTF-8 page");
    let mut out = vec![page.to_string()];
    for (tag, name) in [("<link rel=\"stylesheet\"", "href"), ("<script src", "src")] {
        let mut rest = html.as_str();
        while let Some(at) = rest.find(tag) {
            rest = &rest[at..];
            out.extend(attribute(rest, name));
            rest = &rest[tag.len()..];
        }
    }
    out.extend(index_requests(public, page, query));
    out
}

/// Gzipped bytes of one search, and its requests.
pub fn cost(public: &Path, page: &str, query: &str) -> (usize, Vec<String>) {
    let requests = requests(public, page, query);
    (requests.iter().map(|r| gzipped(public, r)).sum(), requests)
}

/// Hits of [`TABLE`] by sort: an answerable query hits when one of its answers is in the first
/// three results shown, an unanswerable one when nothing is shown.
#[derive(Debug, Default)]
pub struct Tally {
    /// (sort, queries, hits), in the order sorts first appear.
    rows: Vec<(Sort, usize, usize)>,
    pub misses: Vec<String>,
}

impl Tally {
    /// Counts one query of the table, given the paths shown for it.
    pub fn add(
        &mut self,
        (page, sort, q, answers): &(&str, Sort, &str, &[&str]),
        shown: &[String],
    ) {
        let hit = match answers.is_empty() {
            true => shown.is_empty(),
            false => shown.iter().take(3).any(|p| answers.contains(&p.as_str())),
        };
        match self.rows.iter_mut().find(|r| r.0 == *sort) {
            Some(r) => {
                r.1 += 1;
                r.2 += hit as usize;
            }
            None => self.rows.push((*sort, 1, hit as usize)),
        }
        if !hit {
            let first: Vec<&String> = shown.iter().take(3).collect();
            self.misses.push(format!(
                "{sort:?} {page}?q={q}：前三条 {first:?}，应为 {answers:?}"
            ));
        }
    }

    /// (hits, queries) of the answerable queries, and of the unanswerable ones.
    pub fn rates(&self) -> ((usize, usize), (usize, usize)) {
        let mut a = (0, 0);
        let mut u = (0, 0);
        for &(sort, n, h) in &self.rows {
            let slot = if sort == Sort::Unanswerable {
                &mut u
            } else {
                &mut a
            };
            slot.0 += h;
            slot.1 += n;
        }
        (a, u)
    }

    /// Prints the rates, by sort and in all.
    pub fn print(&self, label: &str) {
        eprintln!(
            "{label}：查询表 {} 个查询",
            self.rows.iter().map(|r| r.1).sum::<usize>()
        );
        for (sort, n, h) in &self.rows {
            eprintln!("  {sort:?}: {h}/{n}");
        }
        let ((ah, an), (uh, un)) = self.rates();
        eprintln!(
            "  能回答的：{ah}/{an}（{:.0}%）前三条里有对的；不能回答的：{uh}/{un} 没有显示结果",
            100.0 * ah as f64 / an.max(1) as f64
        );
        for m in &self.misses {
            eprintln!("  未命中 {m}");
        }
    }

    /// Whether the bars are met: 90% of answerable queries, 7 of 8 unanswerable ones.
    pub fn meets_the_bar(&self) -> bool {
        let ((ah, an), (uh, un)) = self.rates();
        ah * 10 >= an * 9 && uh * 8 >= un * 7
    }
}
