use super::*;

fn entry(title: &str, summary: &str, text: &str) -> Entry<'static> {
    Entry {
        title: title.into(),
        summary: summary.into(),
        url: "x/".into(),
        text: text.to_string().into(),
        audiences: vec![0],
        ..Default::default()
    }
}

/// The postings of `token` in a built index, read back from its shard file.
fn postings(index: &Index, token: &str) -> Vec<(u32, u8)> {
    let n = shard::shard_of(token, index.shards);
    let (_, text) = index
        .files
        .iter()
        .find(|(p, _)| *p == format!("{DIR}s/{n}.txt"))
        .expect("shard file");
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
        (Kind::Lesson, entry("借条怎么写", "", "写借条")),
        (Kind::Lesson, entry("别的", "借条要写清", "")),
        (Kind::Notice, entry("公开", "", "借条借条借条借条借条")),
        (Kind::Notice, entry("无关", "", "没有")),
    ];
    let index = Index::build(&entries, 1);
    let p = postings(&index, "借条");
    assert_eq!(
        p,
        vec![
            (0, shard::flags(TITLE | BODY, 1)),
            (1, shard::flags(SUMMARY, 0)),
            (2, shard::flags(BODY, 5)),
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
            Kind::Lesson,
            entry("宅基地一户一宅", "12348", "外嫁女 土地流转 0937-0000101"),
        ),
        (Kind::Notice, entry("村务公开", "", "四议两公开")),
    ];
    let index = Index::build(&entries, 1);
    let mut seen = 0;
    for (path, text) in &index.files {
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
                shard::shard_of(token, index.shards).to_string(),
                n,
                "{token}"
            );
            seen += 1;
        }
    }
    assert!(seen > 20, "{seen} tokens");
    assert_eq!(postings(&index, "0937"), vec![(0, 1)]);
}

#[test]
fn lessons_belong_to_their_audiences_and_chunks_cover_every_entry() {
    let mut a = entry("甲", "", &"长".repeat(CHUNK_TARGET));
    a.audiences = vec![0, 2];
    let mut b = entry("乙", "", "短");
    b.audiences = vec![1];
    let entries = vec![
        (Kind::Lesson, a),
        (Kind::Lesson, b),
        (Kind::Notice, entry("丙", "", "短")),
        (Kind::Village, entry("丁", "", "短")),
    ];
    let index = Index::build(&entries, 3);
    // Lesson 0 only for audiences 0 and 2, lesson 1 only for audience 1 (first bit highest).
    assert_eq!(index.page_data(0)["lessons"], "g");
    assert_eq!(index.page_data(1)["lessons"], "Q");
    assert_eq!(index.page_data(2)["lessons"], "g");
    assert_eq!(index.page_data(0)["kinds"], json!([2, 1, 0, 0, 1]));
    // The long lesson alone in its chunk, the three short entries together.
    assert_eq!(index.chunk_sizes, vec![1, 3]);
    let chunk: Value = serde_json::from_str(&index.files.last().unwrap().1).unwrap();
    assert_eq!(chunk["entries"][2][0], "丁");
    assert_eq!(chunk["version"], index.version.as_str());
}

#[test]
fn the_version_follows_the_content() {
    let one = vec![(Kind::Lesson, entry("甲", "", "一"))];
    let two = vec![(Kind::Lesson, entry("甲", "", "二"))];
    assert_eq!(Index::build(&one, 1).version, Index::build(&one, 1).version);
    assert_ne!(Index::build(&one, 1).version, Index::build(&two, 1).version);
}

#[test]
fn stored_text_is_escaped_json() {
    let e = entry("</script><b>\"引号\"", "", "a\u{2028}b\\");
    let index = Index::build(&[(Kind::Lesson, e)], 1);
    let chunk = &index.files.last().unwrap().1;
    let back: Value = serde_json::from_str(chunk).unwrap();
    assert_eq!(back["entries"][0][0], "</script><b>\"引号\"");
    assert_eq!(back["entries"][0][4], "a\u{2028}b\\");
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
        .filter(|(k, e)| *k == Kind::Lesson && e.title == lesson.doc.front.title)
        .map(|(_, e)| e)
        .collect();
    assert!(of_lesson.len() >= 2, "two wordings, two entries");
    for wording in ["大白话", "正式的说法"] {
        let e = of_lesson
            .iter()
            .find(|e| e.text.starts_with(wording))
            .expect(wording);
        for law in &lesson.doc.front.laws {
            assert!(e.text.contains(law.as_str()), "laws are found");
        }
    }
    let regulations = all.iter().filter(|(k, _)| *k == Kind::Regulation).count();
    let current_count = site.regulations.iter().filter(|r| r.is_current).count();
    assert_eq!(regulations, current_count);
    assert!(
        current_count < site.regulations.len(),
        "older versions exist"
    );
    let (_, art) = all.iter().find(|(k, _)| *k == Kind::Article).unwrap();
    assert_eq!(art.url, format!("{}#tiao-3", current.url()));
    assert_eq!(art.find_title.as_deref(), Some("第三条"));
    assert_eq!(
        all.iter().filter(|(k, _)| *k == Kind::Village).count(),
        site.config.villages.len()
    );
    // Kinds come in the order the script numbers them.
    let kinds: Vec<Kind> = all.iter().map(|(k, _)| *k).collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted);
}

#[test]
fn a_query_fetches_the_shards_of_its_tokens_and_the_chunks_of_its_first_results() {
    // Long texts, so that each entry has a chunk of its own.
    let long = "土地".repeat(2000);
    let entries: Vec<(Kind, Entry)> = (0..8)
        .map(|i| {
            let text = if i == 6 {
                format!("借条{long}")
            } else {
                long.clone()
            };
            (Kind::Lesson, entry(&format!("课{i}"), "摘要", &text))
        })
        .collect();
    let index = Index::build(&entries, 1);
    let data = index.page_data(0);
    let shard = |n: usize| {
        index
            .files
            .iter()
            .find(|(p, _)| *p == format!("{DIR}s/{n}.txt"))
            .map(|(_, t)| t.clone())
    };
    let n = shard::shard_of("借条", index.shards);
    assert_eq!(
        query::fetched(&data, shard, "借条"),
        [format!("{DIR}s/{n}.txt"), format!("{DIR}c/6.json")]
    );
    // All eight have 土地: the first page is five of them, five chunks.
    let files = query::fetched(&data, shard, "土地");
    assert_eq!(files.len(), 1 + query::PER_PAGE, "{files:?}");
    assert!(query::fetched(&data, shard, "，").is_empty());
    assert_eq!(query::numbers("0B1v"), [0, 33, 31]);
}
