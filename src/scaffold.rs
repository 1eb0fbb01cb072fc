//! `qili new`: a new source with every field present and explained in Chinese, so an editor
//! fills in blanks instead of remembering a schema.

use crate::config::SiteConfig;
use crate::load::Kind;
use crate::model::date::Date;
use crate::model::slug;
use crate::Error;
use std::path::{Path, PathBuf};

/// What `qili new` made, or why it could not.
pub fn create(
    root: &Path,
    config: &SiteConfig,
    kind: Kind,
    village: Option<&str>,
    title: &str,
    today: Date,
) -> Result<PathBuf, Error> {
    let needs_village = kind != Kind::Lesson;
    let village = match village {
        Some(v) => match config.village(v) {
            Some(found) => Some(found),
            None => {
                let ids: Vec<&str> = config.villages.iter().map(|v| v.id.as_str()).collect();
                return Err(Error::UnknownVillage {
                    village: v.to_string(),
                    known: ids.join("、"),
                });
            }
        },
        None if needs_village => return Err(Error::NeedsVillage),
        None => None,
    };
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::EmptyTitle);
    }
    let base = base_name(kind, village, title);
    let dir = crate::layout::content(root).join(kind.folder());
    std::fs::create_dir_all(&dir).map_err(|e| crate::Error::io(&dir, e))?;
    // Never overwrite an editor's work: take the first name that can be created new, so a file
    // made between a check and the write is not clobbered either.
    let mut n = 1;
    loop {
        let name = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let path = dir.join(format!("{name}.md"));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path);
        let mut file = match file {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                n += 1;
                continue;
            }
            Err(e) => return Err(Error::io(&path, e)),
        };
        let text = text(kind, title, &name, today, village, config);
        std::io::Write::write_all(&mut file, text.as_bytes())
            .map_err(|e| crate::Error::io(&path, e))?;
        return Ok(path);
    }
}

/// The file name (without `.md`) of a new source titled `title`: its pinyin, after the
/// village's id for notices and regulations. The desk names the files it creates this way too.
pub fn base_name(kind: Kind, village: Option<&crate::config::Village>, title: &str) -> String {
    let mut base = slug::slugify(title.trim());
    if base.is_empty() {
        base = "xin-wen-jian".into();
    }
    if let Some(v) = village {
        if kind != Kind::Lesson {
            base = format!("{}-{}", v.id, base);
        }
    }
    base.truncate(slug::MAX_LEN - 4);
    base.trim_end_matches('-').to_string()
}

/// The text `qili new` writes for a source named `name` (the slug of a lesson or notice): every
/// field, explained, the steps not yet held commented out. The desk starts a new document from
/// it, so both write the same layout.
pub fn text(
    kind: Kind,
    title: &str,
    name: &str,
    today: Date,
    village: Option<&crate::config::Village>,
    config: &SiteConfig,
) -> String {
    match (kind, village) {
        (Kind::Notice, Some(v)) => notice(title, name, today, v),
        (Kind::Regulation, Some(v)) => regulation(title, today, v),
        _ => lesson(title, name, today, config),
    }
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Fills `{name}` placeholders of a template.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_string(), |t, (k, v)| {
        t.replace(&format!("{{{k}}}"), v)
    })
}

const LESSON: &str = r#"---
title: {title}              # 标题：单独转发到微信群也能看懂
slug: {slug}                 # 网址名：只用小写字母、数字和连字符
date: {today}                # 日期
audiences: [{ids}]           # 给哪些读者看：{names}
summary: ""                  # 摘要：60 字左右，微信分享时显示
laws: []                     # 引用的法律，例如 [《中华人民共和国民法典》第二百八十八条]
tags: []                     # 标签
# village: dongling          # 案例发生的村（可选）
# weight: 1                  # 排序：数字小的在前（可选）
draft: true                  # 草稿：写好后改成 false 才会发布
---

## 身边的事

先讲一个本地的例子。

::: qunzhong
## 大白话

给基层群众看的大白话。
:::
::: 其他
## 法律怎么说

其他读者看到的正式表述。
:::

## 遇到这事怎么办、找谁

写清楚找村里的法律明白人、调解员或法律顾问。
"#;

const NOTICE: &str = r#"---
title: {title}               # 标题：单独转发到微信群也能看懂
slug: {slug}                  # 网址名：只用小写字母、数字和连字符
village: {village}            # 所属村（社区）编号
date: {today}                 # 发布日期
summary: ""                   # 摘要：一句大白话，60 字左右
matter: ""                    # 事项
kind: {kind}                 # 事项类别：误工补贴 集体收益使用 公益事业 土地承包经营方案 集体经济项目
                              #   宅基地使用方案 征地补偿费 处分集体财产 其他村民利益事项 集体经济组织章程
                              #   确认成员 承包宅基地份额量化方案 土地补偿费分配 合并分立 集体财产其他事项
                              #   社区事项 其他
initiated_by: 党员群众建议     # 动议事由：党员群众建议 / 村干部提议 / 上级安排
steps:
  proposal:                   # 第一议：村党组织提议
    date: {today}
    body: ""                  # 提议的组织，例如 村党支部委员会
    outcome: ""               # 提议内容
  # deliberation:             # 第二议：村“两委”会议商议（开了会再去掉 # 号填写）
  #   date: {today}
  #   expected: 0             # 应到人数
  #   present: 0              # 实到人数
  #   for: 0                  # 赞成
  #   against: 0              # 反对
  #   abstain: 0              # 弃权
  #   outcome: ""
  #   combined: false         # 书记、主任一肩挑时与提议合并召开
  # party_review:             # 第三议：党员大会审议（到会须达半数，赞成须过应到的半数）
  #   date: {today}
  #   expected: 0
  #   present: 0
  #   for: 0
  # resolution:               # 第四议：决议
  #   meeting: {meeting}      # 村民会议 / 村民代表会议 / 村民小组会议 / 居民会议 / 成员大会 / 成员代表大会
  #   counted_by: 人数        # 村务事项的村民会议、村民小组会议可按 户数 计算；集体财产事项一人一票
  #   announced: {today}      # 会议通知日期（村民会议、居民会议、成员大会须提前十日）
  #   urgent: ""              # 2026 年起村民会议、居民会议遇有特殊情况临时通知的，在这里写明是什么情况
  #   date: {today}
  #   expected: 0
  #   present: 0
  #   for: 0
  #   against: 0
  #   abstain: 0
# disclosure:                 # 决议公开（2026 年起村务、居务公开不少于十五日）
#   from: {today}
#   to: {today}
#   place: 村务公开栏、村民微信群
# result:                     # 实施结果公开
#   date: {today}
#   content: ""
#   amount: ""
#   supervision: ""           # 村务监督委员会意见
signature:                    # 落款
  body: {body}
  date: {today}
# contact: ""                 # 监督/反映电话；不写则用 site.yaml 里的
draft: true                   # 草稿：写好后改成 false 才会发布
---

决议内容和实施方案：做什么、花多少钱、钱从哪里来、谁来做、什么时候完成。
"#;

const REGULATION: &str = r#"---
title: {title}               # 标题，例如 东岭村村规民约
village: {village}            # 所属村（社区）编号
version: "{year}"             # 版本名：只用小写字母、数字和连字符
summary: ""                   # 摘要：60 字左右
history:                      # 制定过程，按实际日期填写
  solicit: {date: {today}, note: 入户征求意见}        # 征集民意
  # draft: {date: {today}}                           # 拟定草案
  # review: {date: {today}, body: 七里镇党委、政府}     # 提请审核
  # vote: {date: {today}, meeting: {meeting}, expected: 0, present: 0, for: 0, against: 0, abstain: 0}  # 审议表决
  # filing: {date: {today}, body: {filing}}           # 备案
# effective: {today}          # 施行日期
# changes: ""                 # 与上一版相比改了什么
draft: true                   # 草稿：写好后改成 false 才会发布
---

## 总则

1. 制定目的和依据。
2. 适用范围。

## 附则

1. 本约经{meeting}表决通过，自公布之日起施行。
"#;

fn lesson(title: &str, slug: &str, today: Date, config: &SiteConfig) -> String {
    let ids: Vec<&str> = config.audiences.iter().map(|a| a.id.as_str()).collect();
    let names: Vec<String> = config
        .audiences
        .iter()
        .map(|a| format!("{}={}", a.id, a.name))
        .collect();
    fill(
        LESSON,
        &[
            ("title", &quote(title)),
            ("slug", slug),
            ("today", &today.to_string()),
            ("ids", &ids.join(", ")),
            ("names", &names.join("，")),
        ],
    )
}

/// `东岭村（示例）` → `东岭村村民委员会`; `新华社区` → `新华社区居民委员会`: the committee's
/// full name repeats 村, as on its seal.
fn committee(village: &crate::config::Village) -> String {
    let name = village.name.split('（').next().unwrap_or(&village.name);
    match village.kind {
        crate::config::VillageKind::Community => format!("{name}居民委员会"),
        crate::config::VillageKind::Village => format!("{name}村民委员会"),
    }
}

fn notice(title: &str, slug: &str, today: Date, village: &crate::config::Village) -> String {
    let community = village.kind == crate::config::VillageKind::Community;
    fill(
        NOTICE,
        &[
            ("title", &quote(title)),
            ("slug", slug),
            ("village", &village.id),
            ("today", &today.to_string()),
            (
                "meeting",
                if community {
                    "居民会议"
                } else {
                    "村民代表会议"
                },
            ),
            (
                "kind",
                if community {
                    "社区事项"
                } else {
                    "公益事业"
                },
            ),
            ("body", &quote(&committee(village))),
        ],
    )
}

fn regulation(title: &str, today: Date, village: &crate::config::Village) -> String {
    let community = village.kind == crate::config::VillageKind::Community;
    fill(
        REGULATION,
        &[
            ("title", &quote(title)),
            ("village", &village.id),
            ("year", &today.0.format("%Y").to_string()),
            ("today", &today.to_string()),
            (
                "meeting",
                if community {
                    "居民会议"
                } else {
                    "村民会议"
                },
            ),
            // 居民公约 are filed with the city, 村规民约 with the town.
            (
                "filing",
                if community {
                    "敦煌市人民政府"
                } else {
                    "七里镇人民政府"
                },
            ),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::frontmatter::{parse, split, YamlSource};
    use crate::model::lesson::LessonFront;
    use crate::model::notice::NoticeFront;
    use crate::model::regulation::RegulationFront;

    fn config() -> SiteConfig {
        SiteConfig::parse("title: t\nbase_url: https://e.cn/\ntown: {name: 七里镇}\naudiences: [{id: qunzhong, name: 基层群众}]\nvillages: [{id: dongling, name: 东岭村}]\n").unwrap()
    }

    fn parses<T: serde::de::DeserializeOwned>(path: &Path) -> T {
        let text = std::fs::read_to_string(path).unwrap();
        let s = split("x", &text).unwrap();
        parse(&YamlSource {
            file: "x",
            text: s.yaml,
            first_line: 2,
        })
        .unwrap_or_else(|d| panic!("{d}\n{text}"))
    }

    #[test]
    fn every_kind_makes_a_valid_draft_with_an_ascii_slug() {
        let dir = tempfile::tempdir().unwrap();
        let today = Date::parse("2026-11-26").unwrap();
        let c = config();
        let p = create(dir.path(), &c, Kind::Lesson, None, "邻里纠纷怎么办", today).unwrap();
        assert!(p.ends_with("content/lessons/lin-li-jiu-fen-zen-me-ban.md"));
        let l: LessonFront = parses(&p);
        assert!(l.draft && l.audiences == ["qunzhong"]);
        let p = create(
            dir.path(),
            &c,
            Kind::Notice,
            Some("dongling"),
            "修路",
            today,
        )
        .unwrap();
        let n: NoticeFront = parses(&p);
        assert_eq!((n.village.as_str(), n.draft), ("dongling", true));
        let p = create(
            dir.path(),
            &c,
            Kind::Regulation,
            Some("dongling"),
            "东岭村村规民约",
            today,
        )
        .unwrap();
        let r: RegulationFront = parses(&p);
        assert_eq!(r.version, "2026");
        // A second file with the same title does not overwrite the first.
        let again = create(
            dir.path(),
            &c,
            Kind::Notice,
            Some("dongling"),
            "修路",
            today,
        )
        .unwrap();
        assert!(again.ends_with("dongling-xiu-lu-2.md"));
    }

    #[test]
    fn notices_need_a_known_village() {
        let dir = tempfile::tempdir().unwrap();
        let today = Date::parse("2026-11-26").unwrap();
        assert!(create(dir.path(), &config(), Kind::Notice, None, "x", today).is_err());
        let e = create(
            dir.path(),
            &config(),
            Kind::Notice,
            Some("nope"),
            "x",
            today,
        )
        .unwrap_err();
        assert!(e.to_string().contains("dongling"));
    }
}
