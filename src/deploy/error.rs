//! Why a deploy stopped, told the way an editor can act on it: each case its own code (E6xx)
//! and hint. What the storage service answered is read here, in one place.

use crate::diagnostics::Diagnostic;

/// What the request was doing, for "no permission to …".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    List,
    Read,
    Upload,
    Delete,
}

impl Action {
    fn verb(self) -> &'static str {
        match self {
            Action::List => "列出对象",
            Action::Read => "读取对象",
            Action::Upload => "上传",
            Action::Delete => "删除",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    /// site.yaml's `deploy:` block or the environment is not enough to start; `line` in site.yaml.
    #[error("{message}")]
    Settings {
        message: String,
        hint: String,
        line: usize,
    },
    #[error("存储服务不认这对密钥（{code}）：AccessKey 不存在，或 Secret 不对")]
    WrongKey { code: String },
    #[error("存储桶不存在（{code}）")]
    NoBucket { code: String },
    #[error("连不上存储服务：{detail}")]
    Network { detail: String },
    #[error("这台电脑的时间和存储服务相差太多（{detail}），签名被拒绝")]
    ClockSkew { detail: String },
    #[error("密钥没有{}的权限（{code}）：{key}", action.verb())]
    Denied {
        action: Action,
        code: String,
        key: String,
    },
    #[error("要删除存储桶里 {existing} 个对象中的 {deletes} 个，超过三成：可能是 prefix 写错了，或者 public/ 不完整")]
    TooManyDeletes { deletes: usize, existing: usize },
    #[error("存储服务出错：HTTP {status} {code} {message}")]
    Server {
        status: u16,
        code: String,
        message: String,
    },
    #[error(transparent)]
    Local(#[from] crate::Error),
}

impl DeployError {
    /// The finding shown to the editor; `target` names the bucket (`s3://桶/前缀`).
    pub fn diagnostic(&self, target: &str) -> Diagnostic {
        let message = self.to_string();
        let (code, hint) = match self {
            DeployError::Settings { hint, line, .. } => {
                return Diagnostic::error("E601", crate::config::FILE_NAME, message)
                    .at(*line, 0)
                    .hint(hint.clone());
            }
            DeployError::WrongKey { .. } => (
                "E602",
                "检查环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY（或 QILI_ACCESS_KEY_ID、QILI_SECRET_ACCESS_KEY）：\
                 复制时多了空格、少了字符，或密钥已在云平台上禁用。用 RAM 子账号（访问控制）的 AccessKey，不要用主账号的"
                    .to_string(),
            ),
            DeployError::NoBucket { .. } => (
                "E603",
                "核对 site.yaml 里 deploy 的 bucket（存储桶名称）和 endpoint（地域的访问地址）：\
                 存储桶要先在云平台的控制台里建好，地域要和 endpoint 一致"
                    .to_string(),
            ),
            DeployError::Network { .. } => (
                "E604",
                "检查网络，以及 site.yaml 里 deploy 的 endpoint 有没有写错；网络恢复后再运行一次 qili deploy，会接着上传没传完的文件"
                    .to_string(),
            ),
            DeployError::ClockSkew { .. } => (
                "E605",
                "把这台电脑的日期、时间和时区调准（Windows：设置→时间和语言→立即同步），再运行 qili deploy".to_string(),
            ),
            DeployError::Denied { action, .. } => (
                "E606",
                format!(
                    "在云平台的访问控制（RAM/CAM/IAM）里给这把密钥加上对这个存储桶{}的权限：\
                     发布网站要能列出、读取、上传和删除 prefix 下的对象",
                    action.verb()
                ),
            ),
            DeployError::TooManyDeletes { .. } => (
                "E607",
                "先用 qili deploy --dry-run 看一看要删哪些；确实要删，加上 --allow-delete 再运行".to_string(),
            ),
            DeployError::Server { .. } => (
                "E608",
                "稍后再运行一次 qili deploy；一直出错的话，把这条信息发给管对象存储的同事".to_string(),
            ),
            DeployError::Local(e) => return Diagnostic::internal(e),
        };
        Diagnostic::error(code, target, message).hint(hint)
    }
}

/// What the service said when a request failed: the status, the S3 error code and message from
/// the XML body, and the service's clock from its `Date` header.
#[derive(Debug, Clone, Default)]
pub struct Failure {
    pub status: u16,
    pub body: String,
    /// Seconds the service's clock is ahead of ours (negative: behind), when it said its time.
    pub skew: Option<i64>,
}

/// More than this between the clocks and S3 refuses a signature (AWS: 15 minutes).
const MAX_SKEW_SECONDS: i64 = 15 * 60;

impl Failure {
    /// The `<Code>` and `<Message>` of an S3 error body.
    fn code_and_message(&self) -> (String, String) {
        let Ok(doc) = roxmltree::Document::parse(&self.body) else {
            return (String::new(), String::new());
        };
        let text = |name: &str| {
            doc.descendants()
                .find(|n| n.has_tag_name(name))
                .and_then(|n| n.text())
                .unwrap_or("")
                .trim()
                .to_string()
        };
        (text("Code"), text("Message"))
    }

    pub fn classify(&self, action: Action, key: &str) -> DeployError {
        let (code, message) = self.code_and_message();
        let skewed = self.skew.filter(|s| s.abs() > MAX_SKEW_SECONDS);
        if code == "RequestTimeTooSkewed" || (self.status == 403 && skewed.is_some()) {
            let detail = match skewed.or(self.skew) {
                Some(s) if s > 0 => format!("慢了约 {} 分钟", s / 60),
                Some(s) => format!("快了约 {} 分钟", -s / 60),
                None => code,
            };
            return DeployError::ClockSkew { detail };
        }
        match (self.status, code.as_str()) {
            (_, "InvalidAccessKeyId" | "SignatureDoesNotMatch" | "InvalidSecurity")
            | (_, "InvalidToken" | "ExpiredToken") => DeployError::WrongKey { code },
            (_, "NoSuchBucket") => DeployError::NoBucket { code },
            (404, "") if action == Action::List => DeployError::NoBucket { code: "404".into() },
            (403, _) => DeployError::Denied {
                action,
                code: if code.is_empty() { "403".into() } else { code },
                key: key.to_string(),
            },
            (status, _) => DeployError::Server {
                status,
                code,
                message,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(status: u16, code: &str, skew: Option<i64>) -> Failure {
        Failure {
            status,
            body: format!(
                "<?xml version=\"1.0\"?><Error><Code>{code}</Code><Message>m</Message></Error>"
            ),
            skew,
        }
    }

    #[test]
    fn each_case_has_its_code() {
        let code = |f: Failure, a| f.classify(a, "k").diagnostic("s3://b/").code;
        assert_eq!(
            code(failure(403, "SignatureDoesNotMatch", Some(2)), Action::List),
            "E602"
        );
        assert_eq!(
            code(failure(403, "InvalidAccessKeyId", None), Action::List),
            "E602"
        );
        assert_eq!(
            code(failure(404, "NoSuchBucket", None), Action::List),
            "E603"
        );
        assert_eq!(
            code(failure(403, "RequestTimeTooSkewed", None), Action::List),
            "E605"
        );
        assert_eq!(
            code(failure(403, "AccessDenied", None), Action::Delete),
            "E606"
        );
        assert_eq!(
            code(failure(500, "InternalError", None), Action::Upload),
            "E608"
        );
    }

    #[test]
    fn a_refusal_from_a_service_whose_clock_differs_is_the_clock() {
        // A presigned request from a computer 20 minutes behind: OSS and AWS answer
        // AccessDenied ("Request has expired"), not RequestTimeTooSkewed.
        let e = failure(403, "AccessDenied", Some(20 * 60)).classify(Action::List, "");
        assert!(
            matches!(&e, DeployError::ClockSkew { detail } if detail.contains("慢了约 20 分钟")),
            "{e:?}"
        );
        // Within the allowed 15 minutes, a refusal is a refusal.
        let e = failure(403, "AccessDenied", Some(15 * 60)).classify(Action::Delete, "a");
        assert!(matches!(
            e,
            DeployError::Denied {
                action: Action::Delete,
                ..
            }
        ));
    }
}
