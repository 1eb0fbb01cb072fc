//! What one search costs in bytes, without a browser: the search page, its style sheet and
//! script, and the index files `qili::search::query::fetched` says the script asks for, each
//! gzipped as a server sends it (tests/search_budget.rs; tests/search_browser.rs checks the
//! list against Chromium's requests).

use serde_json::Value;
use std::io::Write;
use std::path::Path;

pub const QUNZHONG: &str = "/qunzhong/search/";
pub const GANBU: &str = "/ganbu/search/";

/// (search page, query, the page that must be in the first three results; `None`: no result).
pub const QUERIES: &[(&str, &str, Option<&str>)] = &[
    (QUNZHONG, "彩礼", Some("/qunzhong/lessons/cai-li-fan-huan/")),
    (
        QUNZHONG,
        "宅基地",
        Some("/qunzhong/lessons/zhai-ji-di-yi-hu-yi-zhai/"),
    ),
    (
        QUNZHONG,
        "借条",
        Some("/qunzhong/lessons/jie-tiao-zen-me-xie/"),
    ),
    (
        QUNZHONG,
        "赡养",
        Some("/qunzhong/lessons/lao-ren-shan-yang-fei/"),
    ),
    (
        QUNZHONG,
        "遗嘱",
        Some("/qunzhong/lessons/yi-zhu-zen-me-li/"),
    ),
    (
        GANBU,
        "调解",
        Some("/ganbu/lessons/ren-min-tiao-jie-qing-dan/"),
    ),
    (
        QUNZHONG,
        "家暴",
        Some("/qunzhong/lessons/fan-jia-ting-bao-li/"),
    ),
    (
        QUNZHONG,
        "土地流转",
        Some("/qunzhong/lessons/tu-di-liu-zhuan-he-tong/"),
    ),
    (
        QUNZHONG,
        "村务公开",
        Some("/qunzhong/lessons/cun-wu-gong-kai/"),
    ),
    (
        GANBU,
        "四议两公开",
        Some("/ganbu/lessons/si-yi-liang-gong-kai-qing-dan/"),
    ),
    (
        QUNZHONG,
        "补偿款",
        Some("/villages/yangzhuang/notices/2026-liu-cun-bu-chang-kuan/"),
    ),
    // The sample says 出嫁女; no page has 外嫁女, so the pages with part of it answer.
    (
        QUNZHONG,
        "外嫁女",
        Some("/qunzhong/lessons/chu-jia-nv-cheng-yuan-quan-yi/"),
    ),
    (
        QUNZHONG,
        "12348",
        Some("/qunzhong/lessons/fa-lv-yuan-zhu-12348/"),
    ),
    // Full-width digits, as a Chinese keyboard types them.
    (
        QUNZHONG,
        "１２３４８",
        Some("/qunzhong/lessons/fa-lv-yuan-zhu-12348/"),
    ),
    (
        QUNZHONG,
        "一户一宅",
        Some("/qunzhong/lessons/zhai-ji-di-yi-hu-yi-zhai/"),
    ),
    (
        QUNZHONG,
        "民法典第一千零四十二条",
        Some("/qunzhong/lessons/cai-li-fan-huan/"),
    ),
    (QUNZHONG, "柳湾村", Some("/villages/liuwan/")),
    // A 调解员's phone number finds the village page that lists it.
    (QUNZHONG, "0937-0000602", Some("/villages/liuwan/")),
    // A phrase from a 村规民约 article: the link goes to the 条 itself.
    (
        QUNZHONG,
        "刮风天不喷药",
        Some("/villages/liuwan/guiyue/#tiao-6"),
    ),
    // One character.
    (
        QUNZHONG,
        "井",
        Some("/qunzhong/lessons/di-xia-shui-ji-jing-guan-kong/"),
    ),
    // A word on one page only, in its body.
    (
        QUNZHONG,
        "蓄水池",
        Some("/qunzhong/lessons/tu-di-liu-zhuan-he-tong/"),
    ),
    (QUNZHONG, "量子计算机", None),
    // Each audience searches its own wording: 群众 read 钱来钱往 in 村务公开, 村组干部 do not.
    (
        QUNZHONG,
        "钱来钱往",
        Some("/qunzhong/lessons/cun-wu-gong-kai/"),
    ),
    (GANBU, "钱来钱往", None),
    ("/lingdao/search/", "述法", Some("/lingdao/lessons/shu-fa/")),
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

/// The index files (URL paths) the search page `page` fetches for `query`.
pub fn index_requests(public: &Path, page: &str, query: &str) -> Vec<String> {
    let html = String::from_utf8(read(public, page)).expect("UTF-8 page");
    let data: Value = serde_json::from_str(&attribute(&html, "data-index").expect("data-index"))
        .expect("data-index is JSON");
    let dir = attribute(&html, "data-dir").expect("data-dir");
    let root = dir.trim_end_matches(qili::search::DIR);
    let shard = |n: usize| {
        let path = format!("{dir}s/{n}.txt");
        Some(String::from_utf8(read(public, &path)).expect("UTF-8 shard"))
    };
    qili::search::query::fetched(&data, shard, query)
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
