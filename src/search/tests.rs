use super::*;
use crate::markdown::Article;
use crate::model::Site;
use shard::{SUMMARY, TITLE};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

fn entry(title: &str, summary: &str, text: &str) -> Entry<'static> {
    Entry {
        title: title.into(),
        summary: summary.into(),
        url: format!("{title}/"),
        text: vec![Cow::Owned(text.to_string())],
        audiences: vec![0],
        ..Default::default()
    }
}

/// Every file of an index by path.
fn files(index: &Index, entries: &[(EntryKind, Entry)]) -> BTreeMap<String, String> {
    let all = std::sync::Mutex::new(BTreeMap::new());
    index
        .each_file(entries, |path, bytes| {
            let text = String::from_utf8(bytes.to_vec()).expect("UTF-8");
            all.lock().unwrap().insert(path.to_string(), text);
            Ok::<usize, ()>(bytes.len())
        })
        .unwrap();
    all.into_inner().unwrap()
}

/// The postings of `token` in a built index, read back from its shard file.
fn postings(index: &Index, token: &str) -> Vec<(u32, u8)> {
    let n = shard::shard_of(token, index.shard_count());
    let (_, text) = index.shard_file(n);
    text.lines()
        .skip(1)
        .filter_map(shard::read_line)
        .find(|(t, _)| *t == token)
        .map(|(_, p)| p)
        .unwrap_or_default()
}

#[test]
fn flags_say_where_an_entry_has_a_token_and_how_often() {
    let entries = vec![
        (EntryKind::Lesson, entry("借条怎么写", "", "写借条")),
        (EntryKind::Lesson, entry("别的", "借条要写清", "")),
        (EntryKind::Notice, entry("公开", "", "借条借条借条借条借条")),
        (EntryKind::Notice, entry("无关", "", "没有")),
    ];
    let index = Index::build(&entries, 1);
    let p = postings(&index, "借条");
    assert_eq!(
        p,
        vec![
            (0, shard::flags(TITLE, 1)),
            (1, shard::flags(SUMMARY, 0)),
            (2, shard::flags(0, 5)),
        ]
    );
    // Single characters of titles and summaries, not of bodies.
    assert_eq!(postings(&index, "借").len(), 2);
    assert!(
        postings(&index, "条借").len() == 1,
        "pairs only within a run"
    );
}

#[test]
fn every_token_sits_in_the_shard_its_hash_names() {
    let entries = vec![
        (
            EntryKind::Lesson,
            entry("宅基地一户一宅", "12348", "外嫁女 土地流转 0937-0000101"),
        ),
        (EntryKind::Notice, entry("村务公开", "", "四议两公开")),
    ];
    let index = Index::build(&entries, 1);
    let mut seen = 0;
    for (path, text) in &files(&index, &entries) {
        let Some(n) = path
            .strip_prefix("search/s/")
            .and_then(|p| p.strip_suffix(".txt"))
        else {
            continue;
        };
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(format!("qili-search {FORMAT} {}", index.version).as_str())
        );
        for line in lines {
            let (token, _) = shard::read_line(line).expect(line);
            assert_eq!(
                shard::shard_of(token, index.shard_count()).to_string(),
                n,
                "{token}"
            );
            seen += 1;
        }
    }
    assert!(seen > 20, "{seen} tokens");
    assert_eq!(postings(&index, "0937"), vec![(0, shard::flags(0, 1))]);
}

#[test]
fn lessons_belong_to_their_audiences_and_chunks_cover_every_entry() {
    let mut a = entry("甲", "", "长");
    a.audiences = vec![0, 2];
    let mut b = entry("乙", "", "短");
    b.audiences = vec![1];
    let mut entries = vec![(EntryKind::Lesson, a), (EntryKind::Lesson, b)];
    for i in 0..3 {
        entries.push((EntryKind::Notice, entry(&format!("丙{i}"), "", "短")));
    }
    entries.push((EntryKind::Village, entry("丁", "", "短")));
    let index = Index::build(&entries, 3);
    // Lesson 0 only for audiences 0 and 2, lesson 1 only for audience 1 (first bit highest).
    assert_eq!(index.page_data(0)["lessons"], "g");
    assert_eq!(index.page_data(1)["lessons"], "Q");
    assert_eq!(index.page_data(2)["lessons"], "g");
    assert_eq!(index.page_data(0)["kinds"], json!([2, 3, 0, 0, 1]));
    // A lesson a chunk, notices two by two, kinds never mixed.
    assert_eq!(index.chunk_sizes, vec![1, 1, 2, 1, 1]);
    let (_, text) = index.chunk_file(&entries, 4);
    let chunk: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(chunk["entries"][0][0], "丁");
    assert_eq!(chunk["version"], index.version.as_str());
    let (_, text) = index.chunk_file(&entries, 2);
    let chunk: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(chunk["entries"][1][0], "丙1");
}

#[test]
fn the_version_follows_the_structure_and_fresh_the_content() {
    let one = vec![(EntryKind::Lesson, entry("甲", "", "一"))];
    let two = vec![(EntryKind::Lesson, entry("甲", "", "二"))];
    let other = vec![(EntryKind::Lesson, entry("乙", "", "一"))];
    let build = |e: &[(EntryKind, Entry)]| Index::build(e, 1);
    assert_eq!(build(&one).version, build(&one).version);
    assert_eq!(build(&one).fresh, build(&one).fresh);
    assert_eq!(build(&one).version, build(&two).version, "same entries");
    assert_ne!(build(&one).fresh, build(&two).fresh, "other content");
    assert_ne!(build(&one).version, build(&other).version, "another entry");
}

#[test]
fn an_update_rewrites_only_what_changed_and_equals_a_build() {
    let text = |i: usize| format!("第{i}篇：宅基地、彩礼、借条和赡养，12348。");
    let entries: Vec<(EntryKind, Entry)> = (0..40)
        .map(|i| (EntryKind::Notice, entry(&format!("公开{i}"), "", &text(i))))
        .collect();
    let mut index = Index::build_for_updates(&entries, 1);
    let before = files(&index, &entries);
    assert_eq!(index.update(&entries, 1), Changed::Nothing);

    // One entry's text changes: its shards and its chunk, nothing else.
    let mut edited = entries.clone();
    edited[7].1.text = vec![Cow::Borrowed("补偿款发放到户，一户一宅。")];
    let changed = index.update(&edited, 1);
    let Changed::Parts { shards, chunks, .. } = &changed else {
        panic!("{changed:?}");
    };
    assert_eq!(chunks, &[3], "entry 7 is in the fourth chunk of two");
    let fresh = Index::build(&edited, 1);
    assert_eq!(index.version, fresh.version);
    assert_eq!(index.fresh, fresh.fresh);
    let after = files(&fresh, &edited);
    assert_eq!(files(&index, &edited), after, "an update equals a build");
    let differ: Vec<&String> = after.keys().filter(|p| before[*p] != after[*p]).collect();
    let expected: Vec<String> = shards
        .iter()
        .map(|s| format!("{DIR}s/{s}.txt"))
        .chain([format!("{DIR}c/3.json")])
        .collect();
    assert!(
        differ.iter().all(|p| expected.contains(p)),
        "{differ:?} not in {expected:?}"
    );
    assert!(
        differ.len() < after.len() / 2,
        "{} of {}",
        differ.len(),
        after.len()
    );

    // An entry more: everything is built again.
    edited.push((EntryKind::Notice, entry("新的", "", "新")));
    assert_eq!(index.update(&edited, 1), Changed::All);
    assert_eq!(
        files(&index, &edited),
        files(&Index::build(&edited, 1), &edited)
    );
}

#[test]
fn the_shard_count_follows_the_bytes_written() {
    let chars: Vec<char> = ('一'..='龥').step_by(7).collect();
    let entries: Vec<(EntryKind, Entry)> = chars
        .chunks(40)
        .enumerate()
        .map(|(i, c)| {
            let text: String = c.iter().collect();
            (EntryKind::Notice, entry(&format!("公开{i}"), "", &text))
        })
        .collect();
    let index = Index::build(&entries, 1);
    let bytes: usize = (0..index.shard_count())
        .map(|n| {
            index
                .shard_file(n)
                .1
                .lines()
                .skip(1)
                .map(|l| l.len() + 1)
                .sum::<usize>()
        })
        .sum();
    assert_eq!(bytes, index.shard_bytes);
    assert_eq!(shard::shard_count(bytes), index.shard_count());
    // Every entry with its own words: many distinct tokens, few postings each, and more shards
    // than one posting a character would ask for.
    assert!(index.shard_count() > shard::shard_count(entries.len() * 40 * 2));
    assert!(bytes / index.shard_count() <= shard::SHARD_TARGET);
}

#[test]
fn changes_not_written_add_up() {
    let mut c = Changed::Nothing;
    c.merge(Changed::Parts {
        shards: vec![3, 1],
        chunks: vec![2],
        extra: false,
    });
    c.merge(Changed::Parts {
        shards: vec![1, 5],
        chunks: vec![0],
        extra: true,
    });
    assert_eq!(
        c,
        Changed::Parts {
            shards: vec![1, 3, 5],
            chunks: vec![0, 2],
            extra: true,
        }
    );
    c.merge(Changed::Nothing);
    assert!(matches!(c, Changed::Parts { .. }));
    c.merge(Changed::All);
    c.merge(Changed::Parts {
        shards: vec![1],
        chunks: vec![],
        extra: false,
    });
    assert_eq!(c, Changed::All);
}

#[test]
fn stored_text_is_escaped_json() {
    let e = entry("</script><b>\"引号\"", "", "a\u{2028}b\\");
    let entries = [(EntryKind::Lesson, e)];
    let index = Index::build(&entries, 1);
    let (_, chunk) = index.chunk_file(&entries, 0);
    let back: Value = serde_json::from_str(&chunk).unwrap();
    assert_eq!(back["entries"][0][0], "</script><b>\"引号\"");
    assert_eq!(back["entries"][0][4], "a\u{2028}b\\");
}

#[test]
fn stored_text_is_the_parts_on_lines_cut_at_the_character_limit() {
    let long = |n: usize| "法".repeat(n);
    let max = MAX_STORED_CHARS;
    // Cut in the first part, in the second, just before a line break, and not at all.
    for parts in [
        vec![long(max + 5), "后".into()],
        vec![long(max - 10), long(30)],
        vec![long(max), "后".into()],
        vec![long(max - 1), "后".into()],
        vec!["a\"b".into(), long(3), String::new()],
    ] {
        let e = Entry {
            title: "t".into(),
            text: parts.into_iter().map(Cow::Owned).collect(),
            ..Default::default()
        };
        let expected: String = e.joined().chars().take(max).collect();
        let entries = [(EntryKind::Lesson, e)];
        let (_, chunk) = Index::build(&entries, 1).chunk_file(&entries, 0);
        let back: Value = serde_json::from_str(&chunk).unwrap();
        assert_eq!(back["entries"][0][4], expected);
    }
}

#[test]
fn the_sample_site_gives_one_entry_per_wording_and_current_regulations_only() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = crate::config::SiteConfig::read(root).expect("site.yaml");
    let (sources, _) = crate::load::sources(root);
    let opts = crate::model::Options {
        drafts: false,
        today: crate::model::date::Date::parse("2026-11-26").unwrap(),
    };
    let (site, _) = Site::build(config, sources, &opts);
    let lesson = site
        .lessons
        .iter()
        .find(|l| l.doc.front.audiences.len() >= 2)
        .expect("a lesson for two audiences");
    let auds = &lesson.doc.front.audiences;
    let mut texts = HashMap::new();
    texts.insert(lesson.url(&auds[0]), PageText::Text("大白话".into()));
    texts.insert(lesson.url(&auds[1]), PageText::Text("正式的说法".into()));
    let current = site.regulations.iter().find(|r| r.is_current).unwrap();
    let article = Article {
        number: 3,
        id: "tiao-3".into(),
        chapter: "第一章 总则".into(),
        text: "不得乱倒垃圾。".into(),
    };
    texts.insert(current.url(), PageText::Articles(vec![article]));
    let all = entries(&site, &texts);
    let of_lesson: Vec<&Entry> = all
        .iter()
        .filter(|(k, e)| *k == EntryKind::Lesson && e.title == lesson.doc.front.title)
        .map(|(_, e)| e)
        .collect();
    assert!(of_lesson.len() >= 2, "two wordings, two entries");
    for wording in ["大白话", "正式的说法"] {
        let e = of_lesson
            .iter()
            .find(|e| e.joined().starts_with(wording))
            .expect(wording);
        for law in &lesson.doc.front.laws {
            assert!(e.joined().contains(law.as_str()), "laws are found");
        }
    }
    let regulations = all
        .iter()
        .filter(|(k, _)| *k == EntryKind::Regulation)
        .count();
    let current_count = site.regulations.iter().filter(|r| r.is_current).count();
    assert_eq!(regulations, current_count);
    assert!(
        current_count < site.regulations.len(),
        "older versions exist"
    );
    let (_, art) = all.iter().find(|(k, _)| *k == EntryKind::Article).unwrap();
    assert_eq!(art.url, format!("{}#tiao-3", current.url()));
    assert_eq!(art.find_title.as_deref(), Some("第三条"));
    assert_eq!(
        all.iter().filter(|(k, _)| *k == EntryKind::Village).count(),
        site.config.villages.len()
    );
    // Kinds come in the order the script numbers them.
    let kinds: Vec<EntryKind> = all.iter().map(|(k, _)| *k).collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted);
}

#[test]
fn a_query_fetches_the_shards_of_its_tokens_and_the_chunks_of_its_first_results() {
    // Lessons, one to a chunk.
    let long = "土地".repeat(2000);
    let entries: Vec<(EntryKind, Entry)> = (0..8)
        .map(|i| {
            let text = if i == 6 {
                format!("借条{long}")
            } else {
                long.clone()
            };
            (EntryKind::Lesson, entry(&format!("课{i}"), "摘要", &text))
        })
        .collect();
    let index = Index::build(&entries, 1);
    let data = index.page_data(0);
    let shard = |path: &str| {
        let n: usize = path
            .strip_prefix("s/")?
            .strip_suffix(".txt")?
            .parse()
            .ok()?;
        Some(index.shard_file(n).1.to_string())
    };
    let n = shard::shard_of("借条", index.shard_count());
    assert_eq!(
        query::fetched(&data, shard, "借条"),
        [format!("{DIR}s/{n}.txt"), format!("{DIR}c/6.json")]
    );
    // All eight have 土地: the first page is five of them (0–4, equal scores), five chunks.
    let files = query::fetched(&data, shard, "土地");
    assert_eq!(files.len(), 1 + query::PER_PAGE, "{files:?}");
    assert!(files.ends_with(&[0, 1, 2, 3, 4].map(|c| format!("{DIR}c/{c}.json"))));
    assert!(query::fetched(&data, shard, "，").is_empty());
}
