//! The query table of issue #24 through src/search/query.rs on the sample site, without a
//! browser (tests/browser/search.rs runs the same table in Chromium and holds the script to
//! this list): at least 90% of the answerable queries have a right answer in the first three,
//! at least 7 of 8 unanswerable ones show nothing. Prints the rates by sort.

use crate::common;
use common::search::{outcome, Sort, Tally, TABLE};

#[test]
fn the_query_table_finds_right_answers_in_the_first_three() {
    let count = |s: Sort| TABLE.iter().filter(|r| r.1 == s).count();
    assert!(TABLE.len() >= 60);
    assert!(count(Sort::Question) >= 30);
    assert!(count(Sort::Homophone) >= 5 && count(Sort::Pinyin) >= 5);
    assert!(count(Sort::Traditional) >= 3 && count(Sort::Words) >= 5);
    assert!(count(Sort::Unanswerable) >= 8);
    for page in ["/qunzhong/", "/ganbu/", "/lingdao/", "/zhigong/"] {
        assert!(TABLE.iter().any(|r| r.0.starts_with(page)), "{page}");
    }
    let public = common::build_sample("search-ranking");
    let mut tally = Tally::default();
    for row in TABLE {
        let (out, shown) = outcome(&public, row.0, row.2);
        tally.add(row, &shown);
        if row.1 == Sort::Unanswerable {
            assert!(
                (2..=3).contains(&out.suggestions.len()),
                "{}：没有建议 {:?}",
                row.2,
                out.suggestions
            );
        }
    }
    tally.print("query.rs，示例站点");
    assert!(tally.meets_the_bar(), "没有达到 90% 和 8 个里 7 个");
}

/// Slips of pinyin input, pinyin and traditional characters say what was searched instead.
#[test]
fn a_query_changed_before_searching_says_so() {
    let public = common::build_sample("search-instead");
    for (q, instead) in [("遗属怎么写", "遗嘱"), ("yizhu", "遗嘱"), ("遺囑", "遗嘱")] {
        let (out, _) = outcome(&public, common::search::QUNZHONG, q);
        assert!(
            out.instead.as_deref().is_some_and(|s| s.contains(instead)),
            "{q}：{:?}",
            out.instead
        );
    }
    let (out, _) = outcome(&public, common::search::QUNZHONG, "彩礼");
    assert_eq!(out.instead, None);
    let long = "彩礼".repeat(40);
    let (out, _) = outcome(&public, common::search::QUNZHONG, &long);
    assert!(out.cut && out.total > 0);
}

/// `qili check` tells a broken synonym table at its line with E406, and a good one is quiet.
#[test]
fn qili_check_tells_a_broken_synonym_table_at_its_line() {
    let site = common::Site::new();
    site.lesson(
        "a",
        "title: \"借条怎么写\"\ndate: 2026-03-01\naudiences: [qunzhong]",
        "写借条。\n",
    );
    site.write(
        "content/search/synonyms.yaml",
        "# 同义词\n- [借条, 欠条]\n- [欠条, 白条]\n",
    );
    site.qili(&["check", "--today", common::TODAY])
        .fails_with("E406", "content/search/synonyms.yaml:3");
    site.write("content/search/synonyms.yaml", "- [借条, 欠条, 白条]\n");
    site.qili(&["check", "--today", common::TODAY]).ok();
}
