//! `qili init 目录`: a new site for another 乡镇 or 街道. The town's names in site.yaml, no
//! villages yet but a commented example of one, one draft of each kind (`scaffold`'s), the
//! default theme (compiled in, so the new folder needs nothing from qili's source), a README for
//! the town's editor and, on request, the general lessons. It builds and checks clean at once.

use crate::config::{SiteConfig, Village, VillageKind};
use crate::load::Kind;
use crate::model::date::Date;
use std::path::Path;

/// The town's names, as the editor gave them.
#[derive(Debug, Clone, Default)]
pub struct Town {
    pub name: String,
    pub county: String,
    pub city: String,
    pub province: String,
    /// Empty: "<name>法治课堂".
    pub title: String,
    /// Empty: an example address until a filed domain is bound.
    pub base_url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("目录 {0} 里已经有文件：qili init 只在空目录里新建站点，不会覆盖任何文件")]
    NotEmpty(String),
    #[error("乡镇（街道）的名称不能为空：加上 --town 名称，例如 --town 沙州镇")]
    NoTown,
    #[error("按给的名称写出的 site.yaml 不对：{0}")]
    Config(String),
    #[error(transparent)]
    Io(#[from] crate::Error),
}

macro_rules! theme {
    ($rel:literal) => {
        (
            $rel,
            include_bytes!(concat!("../themes/default/", $rel)) as &[u8],
        )
    };
}

macro_rules! lesson {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../content/lessons/", $name, ".md")),
        )
    };
}

/// The default theme, file by file (`tests` keep this list equal to `themes/default/`).
pub const THEME: &[(&str, &[u8])] = &[
    theme!("static/apple-touch-icon.png"),
    theme!("static/favicon.svg"),
    theme!("static/poster.css"),
    theme!("static/search.js"),
    theme!("static/share.png"),
    theme!("static/style.css"),
    theme!("templates/404.html"),
    theme!("templates/base.html"),
    theme!("templates/feed.xml"),
    theme!("templates/ganbu/lesson.html"),
    theme!("templates/home.html"),
    theme!("templates/lesson.html"),
    theme!("templates/lessons.html"),
    theme!("templates/lingdao/home.html"),
    theme!("templates/macros.html"),
    theme!("templates/notice.html"),
    theme!("templates/overview.html"),
    theme!("templates/portal.html"),
    theme!("templates/poster-base.html"),
    theme!("templates/poster-regulation.html"),
    theme!("templates/poster.html"),
    theme!("templates/qunzhong/home.html"),
    theme!("templates/qunzhong/lesson.html"),
    theme!("templates/regulation.html"),
    theme!("templates/robots.txt"),
    theme!("templates/search.html"),
    theme!("templates/sitemap.xml"),
    theme!("templates/versions.html"),
    theme!("templates/village.html"),
    theme!("templates/villages.html"),
    theme!("templates/zhigong/home.html"),
];

/// Lessons of the sample site that are about the law, not about 七里镇: no village, no place,
/// no link outside this list (`tests` check that), so another town can publish them as they are.
pub const GENERAL_LESSONS: &[(&str, &str)] = &[
    lesson!("cun-gui-min-yue-shen-he"),
    lesson!("ji-ti-jing-ji-zu-zhi-fa-yao-dian"),
    lesson!("xin-fang-ling-dao-ze-ren"),
    lesson!("zhong-da-jue-ce-cheng-xu"),
];

/// Where the drafts of a notice and a regulation wait for the town's first village.
pub const EXAMPLES: &str = "examples";

/// The village the drafts are written for, and the commented example in site.yaml.
fn example_village() -> Village {
    Village {
        id: "shilicun".into(),
        name: "示例村".into(),
        kind: VillageKind::Village,
        description: String::new(),
        contacts: Vec::new(),
        collective: None,
    }
}

/// Writes the new site into `dir` (made if missing, refused if not empty). Returns the files
/// written, relative to `dir`.
pub fn create(
    dir: &Path,
    town: &Town,
    with_lessons: bool,
    today: Date,
) -> Result<Vec<String>, InitError> {
    if town.name.trim().is_empty() {
        return Err(InitError::NoTown);
    }
    let not_empty = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if not_empty {
        return Err(InitError::NotEmpty(dir.display().to_string()));
    }
    let yaml = site_yaml(town);
    let config = SiteConfig::parse(&yaml).map_err(|problems| {
        let text: Vec<String> = problems.iter().map(|d| d.message.clone()).collect();
        InitError::Config(text.join("；"))
    })?;
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (crate::layout::CONFIG.into(), yaml.into_bytes()),
        ("README.md".into(), readme(&config).into_bytes()),
    ];
    for (rel, bytes) in THEME {
        files.push((format!("themes/default/{rel}"), bytes.to_vec()));
    }
    let village = example_village();
    for (kind, title) in [
        (Kind::Lesson, "第一课（草稿）"),
        (Kind::Notice, "第一件四议两公开（草稿）"),
        (Kind::Regulation, "村规民约（草稿）"),
    ] {
        let v = (kind != Kind::Lesson).then_some(&village);
        let name = crate::scaffold::base_name(kind, v, title);
        let text = crate::scaffold::text(kind, title, &name, today, v, &config);
        // A notice or regulation names its village, which is checked even in a draft: until the
        // town's villages are in site.yaml they wait beside content/, in examples/.
        let folder = if v.is_some() { EXAMPLES } else { "content" };
        let rel = format!("{folder}/{}/{name}.md", kind.folder());
        files.push((rel, text.into_bytes()));
    }
    if with_lessons {
        for (name, text) in GENERAL_LESSONS {
            files.push((
                format!("content/lessons/{name}.md"),
                text.as_bytes().to_vec(),
            ));
        }
    }
    let mut written = Vec::new();
    for (rel, bytes) in files {
        write_new(&dir.join(&rel), &bytes)?;
        written.push(rel);
    }
    Ok(written)
}

/// Writes a file that must not exist yet: nothing an editor made is ever overwritten.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), crate::Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| crate::Error::io(parent, e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| crate::Error::io(path, e))?;
    std::io::Write::write_all(&mut file, bytes).map_err(|e| crate::Error::io(path, e))
}

/// A YAML string: JSON's quoting is valid YAML and escapes whatever the editor typed.
fn q(s: &str) -> String {
    serde_json::to_string(s.trim()).unwrap_or_else(|_| "\"\"".into())
}

fn site_yaml(town: &Town) -> String {
    let name = town.name.trim();
    let title = match town.title.trim() {
        "" => format!("{name}法治课堂"),
        t => t.to_string(),
    };
    let base_url = match town.base_url.trim() {
        "" => "https://example.cn/",
        u => u,
    };
    let organizer = if name.ends_with("街道") {
        format!("{name}办事处")
    } else {
        format!("{name}人民政府")
    };
    let v = example_village();
    SITE_YAML
        .replace("{title}", &q(&title))
        .replace("{base_url}", &q(base_url))
        .replace("{name}", &q(name))
        .replace("{county}", &q(&town.county))
        .replace("{city}", &q(&town.city))
        .replace("{province}", &q(&town.province))
        .replace("{organizer}", &q(&organizer))
        .replace("{village_id}", &v.id)
        .replace("{village_name}", &v.name)
}

const SITE_YAML: &str = r#"# 站点配置。改完运行 qili check 看有没有写错。
title: {title}
# 网站的正式网址（以 / 结尾）：分享链接、二维码、站点地图都用它。
# 备案的域名绑定好以前用 example.cn；换成真实域名时，在下面 footer 里写上 ICP 备案号。
base_url: {base_url}
description: ""
town:
  name: {name}
  county: {county}
  city: {city}
  province: {province}
theme: default

# 四类读者：编号用于网址（/qunzhong/），名称显示在页面上。
audiences:
  - id: lingdao
    name: 党政领导
    description: 应知应会的法律、依法决策、各村工作一览
    overview: true
  - id: zhigong
    name: 机关职工
    description: 依法履职、机关制度、行政工作中的案例
  - id: ganbu
    name: 村组干部
    description: 四议两公开、村务公开、集体资产、调解的办事清单
  - id: qunzhong
    name: 基层群众
    description: 大白话讲法律，遇到事情知道找谁

# 村（社区）：还没有。照下面的例子写，去掉行首的 # 号。编号只用小写字母、数字和连字符（一般用拼音），
# 写进网址，以后不要改。examples/ 里的公开和村规民约草稿写的是示例村 {village_id}。
villages: []
#  - id: {village_id}
#    name: {village_name}
#    kind: 村                 # 村 或 社区
#    description: 一句话介绍
#    collective: {name: 示例村股份经济合作社, members: 800, representatives: 30}  # 集体经济组织，没有设立的不写
#    contacts:                # 遇到事情找谁
#      - {role: 法律明白人, name: 姓名, phone: 电话}
#      - {role: 调解员, name: 姓名, phone: 电话}
#      - {role: 村法律顾问, name: 姓名, phone: 电话, note: 坐班时间}

defaults:
  publicity_days: 7      # 公示期最少天数，短于它给出警告
  party_quorum: half     # 党员大会到会要求：half（半数以上）或 two_thirds（三分之二以上）

# 监督/反映渠道，印在每份公开和海报上。
# supervision:
#   body: 镇纪委
#   phone: 电话
#   address: 地址

# 每页页脚：主办单位、联系方式；备案后写上 ICP 备案号、公安机关备案号、网站标识码。
footer:
  organizer: {organizer}
  contact: ""
  icp: ""          # 例如 陇ICP备XXXXXXXX号-1
  police: ""       # 例如 甘公网安备 62XXXXXXXXXXXX号
  site_code: ""    # 政府网站标识码

# 发布到对象存储（qili deploy）。密钥不写在这里，放在环境变量 AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY 里。
# deploy:
#   endpoint: https://oss-cn-lanzhou.aliyuncs.com
#   region: oss-cn-lanzhou
#   bucket: 存储桶名称
#   prefix: ""
"#;

fn readme(config: &SiteConfig) -> String {
    EDITOR_README
        .replace("{title}", &config.title)
        .replace("{town}", &config.town.name)
}

const EDITOR_README: &str = r#"# {title}：给{town}编辑的说明

这个目录是{town}的法治课堂和村（居）务公开网站。网页由 qili 从这里的文字生成，
不用会写网页：改文字，检查，发布。

## 目录里有什么

- `site.yaml`：网站设置。镇名、网址、各村（社区）、页脚的备案号、发布到哪里。
- `content/lessons/`：法治课堂的课程，一篇一个文件。
- `content/notices/`：四议两公开的公开，一件事一个文件。
- `content/regulations/`：村规民约（居民公约），一个版本一个文件。
- `examples/`：一件四议两公开和一份村规民约的草稿，等本镇的村写进 `site.yaml` 以后再用。
- `themes/default/`：网页的样式。换图标就替换 `static/favicon.svg` 和 `static/apple-touch-icon.png`。

草稿都带着 `draft: true`，写好后把 `draft` 改成 `false` 才会发布。

## 第一次要做的

1. 打开 `site.yaml`，照注释里的例子把本镇的村（社区）写进 `villages`。
2. `examples/` 里的公开和村规民约写的是示例村 `shilicun`：把 `village:` 改成真实的村编号，再分别移到
   `content/notices/` 和 `content/regulations/`（以后新建用 `qili new notice --village 村编号 "标题"`）。
3. 在 `footer` 里写上主办单位和联系方式。

## 常用命令

```
qili check                         检查内容和法定程序，不生成网站
qili serve                         本地预览（浏览器打开 http://127.0.0.1:1111/），保存后自动刷新
qili new lesson "标题"              新建一篇课程
qili new notice --village 村编号 "标题"   新建一件四议两公开
qili build                         生成网站到 public/
qili deploy                        检查、生成，再发布到对象存储（只传改过的文件）
```

每条错误都写着哪个文件、第几行、怎么改。有错误时不会生成，也不会发布，线上的网站不受影响。

## 发布

网站放在县里租用的对象存储（阿里云 OSS、腾讯云 COS、华为云 OBS 或 MinIO）上：

1. 管存储的同事建好存储桶，开通静态网站托管（默认首页 `index.html`），绑定已备案的域名。
2. 在 `site.yaml` 的 `deploy` 里写上访问地址、地域、存储桶名称（去掉行首的 #）。
3. 在运行 qili 的窗口里设置环境变量 `AWS_ACCESS_KEY_ID` 和 `AWS_SECRET_ACCESS_KEY`（密钥不要写进任何文件）。
4. 先运行 `qili deploy --dry-run` 看要传哪些文件，再运行 `qili deploy`。

域名换成真实的以后，把 `base_url` 改成它，并在 `footer` 里写上 ICP 备案号。
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn the_embedded_theme_is_the_whole_default_theme() {
        let dir = repo().join("themes/default");
        let on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| crate::diagnostics::display_path(&dir, e.path()))
            .collect();
        let embedded: Vec<String> = THEME.iter().map(|(r, _)| r.to_string()).collect();
        assert_eq!(embedded, on_disk);
    }

    #[test]
    fn general_lessons_name_no_place_and_link_only_each_other() {
        let sample = SiteConfig::read(repo()).unwrap();
        let names: Vec<&str> = GENERAL_LESSONS.iter().map(|(n, _)| *n).collect();
        for (name, text) in GENERAL_LESSONS {
            for place in sample
                .villages
                .iter()
                .map(|v| v.name.trim_end_matches("（示例）"))
                .chain([sample.town.name.as_str(), sample.town.county.as_str()])
            {
                assert!(!text.contains(place), "{name} mentions {place}");
            }
            for (i, _) in text.match_indices("@/") {
                let target = &text[i + 2..];
                let target = target.split([')', '#', ' ']).next().unwrap_or("");
                let lesson = target
                    .strip_prefix("lessons/")
                    .and_then(|t| t.strip_suffix(".md"));
                assert!(
                    lesson.is_some_and(|l| names.contains(&l)),
                    "{name} links to {target}"
                );
            }
        }
    }

    #[test]
    fn names_are_quoted_and_a_folder_with_files_is_refused() {
        let town = Town {
            name: "东街: 街道".into(),
            ..Town::default()
        };
        let config = SiteConfig::parse(&site_yaml(&town)).unwrap();
        assert_eq!(config.town.name, "东街: 街道");
        assert_eq!(config.title, "东街: 街道法治课堂");
        assert_eq!(config.footer.organizer, "东街: 街道办事处");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("keep.txt"), "x").unwrap();
        let today = Date::parse("2026-04-12").unwrap();
        let err = create(dir.path(), &town, false, today).unwrap_err();
        assert!(matches!(err, InitError::NotEmpty(_)));
        assert!(matches!(
            create(&dir.path().join("new"), &Town::default(), false, today),
            Err(InitError::NoTown)
        ));
    }
}
