//! `site.yaml`: what the site is, who it is for, which villages it covers.
//!
//! Villages and audiences are data, never code: a town with other villages edits this file only.

mod members;
mod publish;

use members::register_problems;
pub use members::{Members, Register};
use publish::secrets_in_deploy;
pub use publish::{Deploy, Footer};

use crate::diagnostics::Diagnostic;
use crate::load::frontmatter::{self, YamlSource};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

pub const FILE_NAME: &str = crate::layout::CONFIG;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// 站点名称，例如"七里镇法治课堂"。
    pub title: String,
    /// 站点的正式网址（以 / 结尾），用于分享链接、二维码、站点地图和订阅源。
    pub base_url: String,
    #[serde(default)]
    pub description: String,
    pub town: Town,
    #[serde(default = "default_theme")]
    pub theme: String,
    pub audiences: Vec<Audience>,
    pub villages: Vec<Village>,
    #[serde(default)]
    pub defaults: Defaults,
    /// 监督/反映渠道，印在每份公开和海报上（《村民委员会组织法》第三十一条）。
    #[serde(default)]
    pub supervision: Option<Supervision>,
    /// 信任 Markdown 中的原始 HTML，原样输出。默认关闭：从微信粘贴的标记会被清理，只留下无害的格式。
    #[serde(default)]
    pub allow_html: bool,
    /// 为每份公开和村规民约生成打印海报（A3/A4）。不需要打印的站点可以关掉。
    #[serde(default = "yes")]
    pub posters: bool,
    /// 每类读者的搜索页和搜索索引。关掉时不生成索引和搜索页，模板里 `site.search` 是 false。
    #[serde(default = "yes")]
    pub search: bool,
    /// 发布到对象存储（`qili deploy`）。密钥不写在这里，只从环境变量读。
    #[serde(default)]
    pub deploy: Option<Deploy>,
    /// 政府网站页脚：主办单位、联系方式、ICP 备案号、公安机关备案号、网站标识码。
    #[serde(default)]
    pub footer: Footer,
    /// The text of site.yaml, to point findings about a village at its line.
    #[serde(skip)]
    pub source: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Town {
    pub name: String,
    #[serde(default)]
    pub county: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub province: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// 这类读者有"各村工作一览"页面（综治纪实：公开是否按时、规约是否备案、检查发现的问题）。
    #[serde(default)]
    pub overview: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
pub enum VillageKind {
    #[default]
    #[serde(rename = "村")]
    Village,
    #[serde(rename = "社区")]
    Community,
}

impl VillageKind {
    /// What its rules are called: a village's 村规民约, a community's 居民公约.
    pub fn regulation_name(self) -> &'static str {
        match self {
            VillageKind::Village => "村规民约",
            VillageKind::Community => "居民公约",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Village {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub kind: VillageKind,
    #[serde(default)]
    pub description: String,
    /// 法律明白人、调解员、法律顾问等"找谁"联系人。
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// 本村的农村集体经济组织（经济合作社、股份经济合作社）。没有设立的不写：由村民委员会、
    /// 村民小组代行职能（《农村集体经济组织法》第六十四条）。决定集体财产事项由谁表决、怎么计数。
    #[serde(default)]
    pub collective: Option<Collective>,
}

/// A village's 农村集体经济组织, as registered: which meetings decide its property, and the
/// counts its meetings are checked against.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Collective {
    /// 名称，例如"柳湾村股份经济合作社"。
    pub name: String,
    /// 具有完全民事行为能力的成员人数（成员大会的应到人数）：一个数，或者按日期登记的
    /// 多次人数 `[{count: 986}, {since: 2026-10-23, count: 988}]`。
    #[serde(default)]
    pub members: Option<Members>,
    /// 成员代表人数（设立成员代表大会的）。
    #[serde(default)]
    pub representatives: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub role: String,
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Supervision {
    pub body: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Defaults {
    /// 公示期最少天数（本站自己的要求）；短于它给出警告 W330，默认 7 天。2026 年起村务、居务公开
    /// 法定不得少于十五日，不足的另有错误 E325，不受这里影响。
    pub publicity_days: u32,
    /// 党员大会到会要求："half"（《中国共产党支部工作条例（试行）》：半数以上）或
    /// "two_thirds"（部分地方规定：三分之二以上）。
    pub party_quorum: PartyQuorum,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            publicity_days: 7,
            party_quorum: PartyQuorum::Half,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyQuorum {
    Half,
    TwoThirds,
}

fn yes() -> bool {
    true
}

fn default_theme() -> String {
    "default".into()
}

impl SiteConfig {
    /// Reads and parses `site.yaml` from the site root.
    pub fn read(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let text = std::fs::read_to_string(root.join(FILE_NAME)).map_err(|e| {
            let hint = match e.kind() {
                std::io::ErrorKind::NotFound => {
                    "在站点根目录放一个 site.yaml（qili init 可以新建一个站点），或用 --root 指向站点目录"
                }
                std::io::ErrorKind::PermissionDenied => {
                    "site.yaml 没有读的权限：用 chmod a+r site.yaml 加上，或换一个有权限的用户运行"
                }
                std::io::ErrorKind::InvalidData => "site.yaml 要存成 UTF-8 编码（记事本“另存为”时选 UTF-8）",
                _ => "检查 site.yaml 是不是一个能打开的文件",
            };
            vec![Diagnostic::error("E001", FILE_NAME, format!("读不到站点配置：{e}")).hint(hint)]
        })?;
        SiteConfig::parse(&crate::load::clean_text(&text))
    }

    pub fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let src = YamlSource {
            file: FILE_NAME,
            text,
            first_line: 1,
        };
        let secrets = secrets_in_deploy(text);
        if !secrets.is_empty() {
            return Err(secrets);
        }
        let mut config: SiteConfig = frontmatter::parse(&src).map_err(|d| vec![d])?;
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        config.footer.police_code = config
            .footer
            .police
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        config.source = text.to_string();
        let problems = config.validate();
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    fn validate(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let err = |msg: String, hint: &str| {
            Diagnostic::error("E002", FILE_NAME, msg).hint(hint.to_string())
        };
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            out.push(err(
                format!("base_url「{}」不是完整网址", self.base_url),
                "写成 https://example.cn/ 的形式，分享链接和二维码都要用到它",
            ));
        }
        if self.audiences.is_empty() {
            out.push(err("没有定义任何受众 audiences".into(), "至少列出一个受众"));
        }
        let mut seen = HashSet::new();
        let ids = self
            .audiences
            .iter()
            .map(|a| &a.id)
            .chain(self.villages.iter().map(|v| &v.id));
        for id in ids {
            if !crate::slug::is_valid(id) {
                out.push(err(
                    format!("编号「{id}」只能由小写字母、数字和连字符组成"),
                    "例如 qunzhong、dongling",
                ));
            }
            if !seen.insert(id.as_str()) {
                out.push(err(
                    format!("编号「{id}」重复"),
                    "受众和村（社区）的编号都要唯一",
                ));
            }
            if RESERVED.contains(&id.as_str()) {
                out.push(err(
                    format!("编号「{id}」是保留名称"),
                    "换一个编号，它会和站点目录冲突",
                ));
            }
        }
        for v in &self.villages {
            if let Some(Members::Dated(list)) =
                v.collective.as_ref().and_then(|c| c.members.as_ref())
            {
                out.extend(register_problems(&v.name, list).map(|m| {
                    Diagnostic::error("E002", FILE_NAME, m)
                        .at(self.village_line(&v.id), 1)
                        .hint("按日期从早到晚列出每次登记的人数：members: [{count: 986}, {since: 2026-10-23, count: 988}]；只有第一次可以不写 since")
                }));
            }
        }
        out
    }

    pub fn audience(&self, id: &str) -> Option<&Audience> {
        self.audiences.iter().find(|a| a.id == id)
    }

    /// Line of a village's entry in site.yaml (1 when not found).
    pub fn village_line(&self, id: &str) -> usize {
        self.source
            .lines()
            .position(|l| {
                let t = l
                    .trim_start()
                    .trim_start_matches("- ")
                    .trim_start_matches('{');
                t.strip_prefix("id:")
                    .map(|rest| {
                        rest.trim().trim_end_matches(',').split([',', ' ']).next() == Some(id)
                    })
                    .unwrap_or(false)
            })
            .map(|i| i + 1)
            .unwrap_or(1)
    }

    pub fn village(&self, id: &str) -> Option<&Village> {
        self.villages.iter().find(|v| v.id == id)
    }

    /// A link to a site-relative path (`crate::model::urls`), under `base_url`'s path.
    pub fn href(&self, url: &str) -> String {
        format!("{}{url}", self.base_path())
    }

    /// The absolute URL of a site-relative path: for sharing, feeds, sitemaps and QR codes.
    pub fn permalink(&self, url: &str) -> String {
        format!("{}{url}", self.base_url)
    }

    /// The path part of `base_url`, e.g. `/` or `/qili/`: every internal link starts with it.
    pub fn base_path(&self) -> &str {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or("");
        match after_scheme.find('/') {
            Some(i) => &after_scheme[i..],
            None => "/",
        }
    }
}

/// Top-level folders qili writes itself; an audience may not take their names.
const RESERVED: &[&str] = &["villages", "static", "lessons", "search"];

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title: 测试\nbase_url: https://example.cn/qili\ntown: {name: 七里镇}\naudiences: [{id: qunzhong, name: 基层群众}]\nvillages: [{id: a, name: 甲村}]\n";

    #[test]
    fn base_path_comes_from_base_url() {
        let c = SiteConfig::parse(MINIMAL).unwrap();
        assert_eq!(c.base_url, "https://example.cn/qili/");
        assert_eq!(c.base_path(), "/qili/");
        assert_eq!(c.defaults.publicity_days, 7);
    }

    #[test]
    fn unknown_key_in_site_yaml_is_reported_with_line() {
        let text = MINIMAL.replace("title:", "titel:");
        let errs = SiteConfig::parse(&text).unwrap_err();
        assert_eq!(errs[0].code, "E102");
        assert_eq!(errs[0].line, 1);
        assert!(errs[0].hint.as_deref().unwrap_or("").contains("title"));
    }

    #[test]
    fn members_are_a_number_or_registers_by_date() {
        let with = |members: &str| {
            // The village on a line of its own (line 6), for findings to point at.
            SiteConfig::parse(&MINIMAL.replace(
                "villages: [{id: a, name: 甲村}]",
                &format!("villages:\n  - {{id: a, name: 甲村, collective: {{name: 合作社, members: {members}}}}}"),
            ))
        };
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let members = |c: &SiteConfig| {
            c.villages[0]
                .collective
                .as_ref()
                .unwrap()
                .members
                .clone()
                .unwrap()
        };
        let plain = with("986").unwrap();
        assert_eq!(members(&plain).on(day("2020-01-01")), Some((986, None)));
        let dated = with("[{count: 986}, {since: 2026-10-23, count: 988}]").unwrap();
        let m = members(&dated);
        assert_eq!(m.on(day("2026-10-22")), Some((986, None)));
        assert_eq!(
            m.on(day("2026-10-23")),
            Some((988, Some(day("2026-10-23"))))
        );
        let first_dated = members(&with("[{since: 2026-01-01, count: 5}]").unwrap());
        assert_eq!(first_dated.on(day("2025-12-31")), None);

        for (bad, code, says) in [
            ("[{count: 1}, {count: 2}]", "E002", "没有写 since"),
            (
                "[{since: 2026-05-01, count: 1}, {since: 2026-01-01, count: 2}]",
                "E002",
                "不是按日期从早到晚",
            ),
            ("[]", "E002", "空列表"),
            ("[{since: 2026-02-30, count: 1}]", "E105", "2026-02-30"),
            ("[{since: 2026-01-01, cnt: 1}]", "E102", "cnt"),
            ("多少", "E104", "不是整数"),
            ("98.6", "E104", "不是整数"),
        ] {
            let errs = with(bad).unwrap_err();
            assert_eq!(errs[0].code, code, "{bad}: {errs:?}");
            assert!(errs[0].message.contains(says), "{bad}: {errs:?}");
            assert_eq!(errs[0].line, 6, "{bad}: {errs:?}");
        }
    }

    #[test]
    fn duplicate_and_bad_ids_are_errors() {
        let text = MINIMAL.replace("{id: a, name: 甲村}", "{id: qunzhong, name: 甲村}");
        let errs = SiteConfig::parse(&text).unwrap_err();
        assert!(errs.iter().any(|e| e.message.contains("重复")));
        let text = MINIMAL.replace("{id: a,", "{id: A B,");
        assert!(SiteConfig::parse(&text).is_err());
    }

    #[test]
    fn a_key_in_the_deploy_block_is_named_with_its_line() {
        let text = format!(
            "{MINIMAL}deploy:\n  endpoint: https://oss-cn-lanzhou.aliyuncs.com\n  bucket: b\n  # secret_key: in a comment is fine\n  Secret-Key: abc\n"
        );
        let errs = SiteConfig::parse(&text).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(
            (errs[0].code, errs[0].line, errs[0].column),
            ("E003", 10, 3)
        );
        let flow = format!("{MINIMAL}deploy: {{bucket: b, access_key_id: x, endpoint: e}}\n");
        let errs = SiteConfig::parse(&flow).unwrap_err();
        assert_eq!(
            (errs[0].code, errs[0].line, errs[0].column),
            ("E003", 6, 21)
        );
        // The same names elsewhere are not keys of the bucket (and other checks catch them).
        let fine = format!(
            "{MINIMAL}deploy:\n  endpoint: https://e.cn\n  bucket: b\nfooter: {{contact: token}}\n"
        );
        let c = SiteConfig::parse(&fine).unwrap();
        assert_eq!(c.deploy.unwrap().bucket, "b");
    }

    #[test]
    fn the_police_number_gives_its_digits_for_the_link() {
        let text = format!("{MINIMAL}footer: {{police: 甘公网安备 62098202000001号}}\n");
        let c = SiteConfig::parse(&text).unwrap();
        assert_eq!(c.footer.police_code, "62098202000001");
    }
}
