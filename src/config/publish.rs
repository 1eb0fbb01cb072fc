//! What site.yaml says about publishing: where `qili deploy` sends the site (never the keys,
//! which come from the environment only) and the footer a government site must show.

use super::FILE_NAME;
use crate::diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};

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
pub(super) fn secrets_in_deploy(text: &str) -> Vec<Diagnostic> {
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
