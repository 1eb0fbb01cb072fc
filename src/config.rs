//! `site.yaml`: what the site is, who it is for, which villages it covers.
//!
//! Villages and audiences are data, never code: a town with other villages edits this file only.

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
    /// 具有完全民事行为能力的成员人数（成员大会的应到人数）。
    #[serde(default)]
    pub members: Option<i64>,
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
    /// 公示期最少天数；短于它给出警告。全国没有统一规定，默认 7 天。
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

/// Where `qili deploy` publishes: an S3-compatible bucket (阿里云 OSS, 腾讯云 COS, 华为云 OBS,
/// MinIO). The keys come from the environment only (see `SECRET_KEYS`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Deploy {
    /// 对象存储的 S3 兼容访问地址，例如 https://oss-cn-lanzhou.aliyuncs.com。
    pub endpoint: String,
    /// 地域，例如 oss-cn-lanzhou、ap-beijing；不写时为 us-east-1（自建 MinIO 常用）。
    #[serde(default)]
    pub region: String,
    /// 存储桶名称。
    pub bucket: String,
    /// 网站放在存储桶里的哪个目录下，例如 qili/；不写就是整个存储桶。qili 只动这个目录下的对象。
    #[serde(default)]
    pub prefix: String,
    /// 用"地址/存储桶/对象"形式的网址（自建 MinIO 常用）；不写时用"存储桶.地址/对象"（OSS、COS、OBS）。
    #[serde(default)]
    pub path_style: bool,
}

/// What a government site shows at the foot of every page.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Footer {
    /// 主办单位，例如"七里镇人民政府"。
    pub organizer: String,
    /// 联系方式：电话、地址或邮箱。
    pub contact: String,
    /// ICP 备案号，例如"陇ICP备XXXXXXXX号"，链接到工业和信息化部的备案系统。
    pub icp: String,
    /// 公安机关备案号，例如"甘公网安备 62XXXXXXXXXXXX号"，链接到全国互联网安全管理服务平台。
    pub police: String,
    /// 政府网站标识码。
    pub site_code: String,
    /// The digits of the 公安 number, for the registry's link (`recordcode=`).
    #[serde(skip_deserializing)]
    pub police_code: String,
}

/// Names under `deploy:` that would put a key into site.yaml, which is copied, shared and
/// committed: keys come from the environment only.
const SECRET_KEYS: &[&str] = &[
    "access_key",
    "access_key_id",
    "accesskey",
    "accesskeyid",
    "secret",
    "secret_key",
    "secret_access_key",
    "secretkey",
    "aws_access_key_id",
    "aws_secret_access_key",
    "session_token",
    "token",
    "password",
    "ak",
    "sk",
];

/// E003 for every key written in the `deploy:` block, with its line and column.
fn secrets_in_deploy(text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let top_level = !line.starts_with([' ', '\t']) && !line.trim().is_empty();
        if top_level && !line.starts_with('#') {
            inside = line.starts_with("deploy:");
        }
        if !inside {
            continue;
        }
        let code = line.split(" #").next().unwrap_or("");
        let code = code.strip_prefix("deploy:").unwrap_or(code);
        let mut offset = line.len() - code.len();
        for part in code.split_inclusive(['{', ',']) {
            let key = part.trim_start().trim_start_matches("- ");
            if let Some((name, _)) = key.split_once(':') {
                let name = name.trim().trim_matches(['"', '\'']);
                let norm = name.to_ascii_lowercase().replace('-', "_");
                if SECRET_KEYS.contains(&norm.as_str()) {
                    let at = offset + part.find(name).unwrap_or(0);
                    // Columns count characters, as an editor shows them.
                    let column = line.get(..at).map_or(1, |s| s.chars().count() + 1);
                    out.push(
                        Diagnostic::error(
                            "E003",
                            FILE_NAME,
                            format!("site.yaml 的 deploy 里写了密钥「{name}」：密钥不能写进站点配置"),
                        )
                        .at(i + 1, column)
                        .hint(
                            "删掉这一行，把密钥放进环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY \
                             （或 QILI_ACCESS_KEY_ID、QILI_SECRET_ACCESS_KEY）；已经提交或发出去的密钥要在云平台上作废、换新",
                        ),
                    );
                }
            }
            offset += part.len();
        }
    }
    out
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
            vec![
                Diagnostic::error("E001", FILE_NAME, format!("读不到站点配置：{e}"))
                    .hint("在站点根目录放一个 site.yaml，或用 --root 指向站点目录"),
            ]
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
