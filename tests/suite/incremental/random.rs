//! The content of the randomly edited site, held as values so that an operation is a change of
//! values and the files it touches are the difference between two renderings of the site.

use qili::slug::slugify;
use std::collections::BTreeMap;

/// A tiny xorshift64*: the test must be reproducible from one printed number, with no crate.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // Zero is xorshift's one fixed point.
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A key of a non-empty map.
    pub fn key<V>(&mut self, map: &BTreeMap<String, V>) -> Option<String> {
        let keys: Vec<&String> = map.keys().collect();
        (!keys.is_empty()).then(|| keys[self.below(keys.len())].clone())
    }
}

pub const AUDIENCES: [&str; 3] = ["lingdao", "ganbu", "qunzhong"];
pub const HEADINGS: [&str; 4] = ["小结", "要点", "案例", "怎么办"];

/// The site's villages: (id, name, 社区?).
pub const VILLAGES: [(&str, &str, bool); 3] = [
    ("dongling", "东岭村", false),
    ("xihe", "西河村", false),
    ("xinhua", "新华社区", true),
];

/// Notice dates with the end of their 公示 (14 days), around the test's today 2026-04-12: some
/// over, some running, so the status shown on the lists changes with the date.
pub const NOTICE_DATES: [(&str, &str); 5] = [
    ("2026-03-02", "2026-03-16"),
    ("2026-03-10", "2026-03-24"),
    ("2026-03-20", "2026-04-03"),
    ("2026-04-05", "2026-04-19"),
    ("2026-04-10", "2026-04-24"),
];

#[derive(Clone, Debug)]
pub struct Lesson {
    pub title: String,
    pub audiences: Vec<&'static str>,
    pub weight: Option<i32>,
    /// The village of the case the lesson tells, an index into [`VILLAGES`].
    pub village: Option<usize>,
    pub day: u32,
    pub headings: Vec<&'static str>,
    /// Links to another lesson (its file name), to one of its headings or to the page.
    pub links: Vec<(String, Option<&'static str>)>,
    pub rev: u32,
}

/// Where a notice is in 四议两公开.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stage {
    /// Reviewed by the party members, the vote still to come: no resolution, no 公示.
    Voting,
    /// Resolved and 公示.
    Disclosed,
    /// 公示 over and the 结果 published.
    Result,
}

#[derive(Clone, Debug)]
pub struct Notice {
    pub village: usize,
    pub title: String,
    pub date: usize,
    pub stage: Stage,
    pub rev: u32,
}

#[derive(Clone, Debug)]
pub struct Regulation {
    pub village: usize,
    pub year: u32,
    pub rev: u32,
}

/// Every source of the site, by file name under its folder.
#[derive(Clone, Debug, Default)]
pub struct World {
    pub lessons: BTreeMap<String, Lesson>,
    pub notices: BTreeMap<String, Notice>,
    pub regulations: BTreeMap<String, Regulation>,
    pub site_rev: u32,
    /// Files whose generated text is replaced by broken bytes (an error the next step fixes).
    pub broken: BTreeMap<String, Vec<u8>>,
    /// A counter for new file names.
    pub born: u32,
}

impl World {
    /// Lessons for several audiences linking each other's headings, notices of every village
    /// (one with 公示 and 结果), three versions of one village's 村规民约 and the community's
    /// 居民公约; a few more lessons and notices than a home page lists.
    pub fn start() -> World {
        let mut w = World::default();
        let lesson = |title: &str, aud: &[&'static str], headings: &[&'static str]| Lesson {
            title: title.into(),
            audiences: aud.to_vec(),
            weight: None,
            village: None,
            day: 1,
            headings: headings.to_vec(),
            links: Vec::new(),
            rev: 0,
        };
        w.lessons.insert(
            "tu-di".into(),
            lesson("土地承包", &["qunzhong", "ganbu"], &["小结", "要点"]),
        );
        w.lessons.insert(
            "tiao-jie".into(),
            lesson("人民调解", &["qunzhong"], &["案例"]),
        );
        w.lessons.insert(
            "jue-ce".into(),
            lesson("重大决策", &["lingdao", "ganbu"], &["要点", "怎么办"]),
        );
        w.lessons.insert(
            "gong-kai".into(),
            lesson("村务公开", &["ganbu", "qunzhong", "lingdao"], &["小结"]),
        );
        w.lessons.get_mut("tu-di").unwrap().links =
            vec![("tiao-jie".into(), Some("案例")), ("jue-ce".into(), None)];
        w.lessons.get_mut("jue-ce").unwrap().links = vec![("gong-kai".into(), Some("小结"))];
        w.lessons.get_mut("gong-kai").unwrap().links = vec![("tu-di".into(), Some("要点"))];
        // More lessons for 基层群众 than a home page lists (10), so an edit of a date or a
        // weight moves a lesson on or off it.
        for (i, title) in [
            "借条", "遗嘱", "低保", "赡养", "工伤", "租地", "养犬", "网购",
        ]
        .into_iter()
        .enumerate()
        {
            let audiences: &[&'static str] = match i % 3 {
                0 => &["qunzhong"],
                1 => &["qunzhong", "ganbu"],
                _ => &["qunzhong", "lingdao"],
            };
            let mut l = lesson(title, audiences, &[]);
            l.day = 3 + 3 * i as u32;
            w.lessons.insert(format!("xiao-{i}"), l);
        }
        let notice = |village, title: &str, date, stage| Notice {
            village,
            title: title.into(),
            date,
            stage,
            rev: 0,
        };
        w.notices.insert(
            "dongling-qudao".into(),
            notice(0, "干渠防渗改造", 0, Stage::Result),
        );
        w.notices.insert(
            "dongling-dianfei".into(),
            notice(0, "机井电费分摊", 3, Stage::Disclosed),
        );
        w.notices.insert(
            "xihe-chengyuan".into(),
            notice(1, "确认集体经济组织成员", 2, Stage::Voting),
        );
        w.notices.insert(
            "xinhua-guangchang".into(),
            notice(2, "文化广场使用约定", 4, Stage::Disclosed),
        );
        // More notices than a home page lists (8).
        for (i, title) in ["路灯", "护渠员", "垃圾清运", "村部维修", "饮水管网"]
            .into_iter()
            .enumerate()
        {
            w.notices.insert(
                format!("{}-{i}", VILLAGES[i % 3].0),
                notice(i % 3, title, i, Stage::Disclosed),
            );
        }
        for year in [2019, 2022, 2025] {
            w.regulations.insert(
                format!("dongling-{year}"),
                Regulation {
                    village: 0,
                    year,
                    rev: 0,
                },
            );
        }
        w.regulations.insert(
            "xinhua-2021".into(),
            Regulation {
                village: 2,
                year: 2021,
                rev: 0,
            },
        );
        w
    }

    /// The files of the site: path under the root → bytes.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        out.insert(
            "site.yaml".to_string(),
            site_yaml(self.site_rev).into_bytes(),
        );
        for (name, l) in &self.lessons {
            out.insert(
                format!("content/lessons/{name}.md"),
                lesson_text(l).into_bytes(),
            );
        }
        for (name, n) in &self.notices {
            out.insert(
                format!("content/notices/{name}.md"),
                notice_text(n).into_bytes(),
            );
        }
        for (name, r) in &self.regulations {
            out.insert(
                format!("content/regulations/{name}.md"),
                regulation_text(r).into_bytes(),
            );
        }
        for (path, bytes) in &self.broken {
            out.insert(path.clone(), bytes.clone());
        }
        out
    }

    /// The lessons that link to `name`.
    pub fn linked_from(&self, name: &str) -> Vec<String> {
        self.lessons
            .iter()
            .filter(|(_, l)| l.links.iter().any(|(t, _)| t == name))
            .map(|(k, _)| k.clone())
            .collect()
    }

    pub fn new_name(&mut self, prefix: &str) -> String {
        self.born += 1;
        format!("{prefix}-{}", self.born)
    }
}

fn site_yaml(rev: u32) -> String {
    let villages: String = VILLAGES
        .iter()
        .map(|(id, name, community)| {
            let kind = if *community { ", kind: 社区" } else { "" };
            format!("  - {{id: {id}, name: {name}{kind}}}\n")
        })
        .collect();
    format!(
        "title: 测试镇法治课堂{}\nbase_url: https://example.cn/\ntown: {{name: 测试镇}}\n\
         audiences:\n  - {{id: lingdao, name: 党政领导}}\n  - {{id: ganbu, name: 村组干部}}\n  \
         - {{id: qunzhong, name: 基层群众, description: 第{rev}版说明}}\nvillages:\n{villages}",
        if rev % 2 == 1 { "（修订）" } else { "" }
    )
}

fn lesson_text(l: &Lesson) -> String {
    let mut front = format!(
        "title: {}\ndate: 2026-03-{:02}\naudiences: [{}]\nsummary: 摘要{}",
        l.title,
        l.day,
        l.audiences.join(", "),
        l.rev
    );
    if let Some(w) = l.weight {
        front.push_str(&format!("\nweight: {w}"));
    }
    if let Some(v) = l.village {
        front.push_str(&format!("\nvillage: {}", VILLAGES[v].0));
    }
    let mut body = format!("{}的导语，第{}版。\n\n", l.title, l.rev);
    if l.audiences.contains(&"qunzhong") && l.audiences.len() > 1 {
        body.push_str("::: qunzhong\n大白话讲一遍。\n:::\n::: 其他\n正式的说法。\n:::\n\n");
    }
    for h in &l.headings {
        body.push_str(&format!("## {h}\n\n关于{h}的一段话。\n\n"));
    }
    for (target, heading) in &l.links {
        let anchor = heading
            .map(|h| format!("#{}", slugify(h)))
            .unwrap_or_default();
        body.push_str(&format!(
            "另见[这一课](@/lessons/{target}.md{anchor})。\n\n"
        ));
    }
    format!("---\n{front}\n---\n{body}")
}

fn notice_text(n: &Notice) -> String {
    let (id, name, community) = VILLAGES[n.village];
    let (date, to) = NOTICE_DATES[n.date];
    let (kind, meeting, party) = if community {
        ("社区事项", "居民会议", "社区党委")
    } else {
        ("公益事业", "村民代表会议", "党支部")
    };
    let mut text = format!(
        "---\ntitle: {name}{}公示\nvillage: {id}\ndate: {date}\nsummary: 第{}版摘要\nmatter: {}\n\
         kind: {kind}\ninitiated_by: 党员群众建议\nsteps:\n  proposal: {{date: 2026-02-01}}\n  \
         deliberation: {{date: 2026-02-05, expected: 7, present: 7, for: 7}}\n  \
         party_review: {{date: 2026-02-10, body: {name}{party}, expected: 31, present: 27, for: 25}}\n",
        n.title, n.rev, n.title
    );
    if n.stage != Stage::Voting {
        text.push_str(&format!(
            "  resolution: {{meeting: {meeting}, date: 2026-02-20, expected: 35, present: 30, for: 28}}\n\
             disclosure: {{from: {date}, to: {to}}}\n"
        ));
    }
    if n.stage == Stage::Result {
        text.push_str(&format!(
            "result: {{date: 2026-04-11, content: 已办完，第{}版结果。}}\n",
            n.rev
        ));
    }
    text.push_str(&format!(
        "signature: {{body: {name}委员会, date: {date}}}\n---\n{}的正文，第{}版。\n",
        n.title, n.rev
    ));
    text
}

fn regulation_text(r: &Regulation) -> String {
    let (id, name, community) = VILLAGES[r.village];
    let (what, meeting) = if community {
        ("居民公约", "居民会议")
    } else {
        ("村规民约", "村民会议")
    };
    let y = r.year;
    format!(
        "---\ntitle: {name}{what}\nvillage: {id}\nversion: \"{y}\"\nhistory:\n  \
         vote: {{date: {y}-02-01, meeting: {meeting}, expected: 100, present: 60, for: 40}}\n  \
         filing: {{date: {y}-03-01, body: 镇政府}}\n---\n## 总则\n\n1. 第{}版的甲条。\n2. 乙条。\n",
        r.rev
    )
}
