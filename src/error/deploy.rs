//! Why a deploy stopped, told the way an editor can act on it: each case its own code (E6xx)
//! and hint. The deploy stage (src/deploy/error.rs) reads what the storage service answered
//! into one of these.

/// What the request was doing, for "no permission to …".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    List,
    Read,
    Upload,
    Delete,
}

impl Action {
    pub fn verb(self) -> &'static str {
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
}

impl DeployError {
    /// The stable code, registered in `diagnostics/codes.rs`.
    pub fn code(&self) -> &'static str {
        match self {
            DeployError::Settings { .. } => "E601",
            DeployError::WrongKey { .. } => "E602",
            DeployError::NoBucket { .. } => "E603",
            DeployError::Network { .. } => "E604",
            DeployError::ClockSkew { .. } => "E605",
            DeployError::Denied { .. } => "E606",
            DeployError::TooManyDeletes { .. } => "E607",
            DeployError::Server { .. } => "E608",
        }
    }

    /// What the editor can do about it.
    pub fn hint(&self) -> String {
        match self {
            DeployError::Settings { hint, .. } => hint.clone(),
            DeployError::WrongKey { .. } => "检查环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY（或 QILI_ACCESS_KEY_ID、QILI_SECRET_ACCESS_KEY）：\
                 复制时多了空格、少了字符，或密钥已在云平台上禁用。用 RAM 子账号（访问控制）的 AccessKey，不要用主账号的"
                .to_string(),
            DeployError::NoBucket { .. } => "核对 site.yaml 里 deploy 的 bucket（存储桶名称）和 endpoint（地域的访问地址）：\
                 存储桶要先在云平台的控制台里建好，地域要和 endpoint 一致"
                .to_string(),
            DeployError::Network { .. } => "检查网络，以及 site.yaml 里 deploy 的 endpoint 有没有写错；网络恢复后再运行一次 qili deploy，会接着上传没传完的文件"
                .to_string(),
            DeployError::ClockSkew { .. } => "把这台电脑的日期、时间和时区调准（Windows：设置→时间和语言→立即同步），再运行 qili deploy".to_string(),
            DeployError::Denied { action, .. } => format!(
                "在云平台的访问控制（RAM/CAM/IAM）里给这把密钥加上对这个存储桶{}的权限：\
                 发布网站要能列出、读取、上传和删除 prefix 下的对象",
                action.verb()
            ),
            DeployError::TooManyDeletes { .. } => {
                "先用 qili deploy --dry-run 看一看要删哪些；确实要删，加上 --allow-delete 再运行".to_string()
            }
            DeployError::Server { .. } => {
                "稍后再运行一次 qili deploy；一直出错的话，把这条信息发给管对象存储的同事".to_string()
            }
        }
    }

    /// The line of site.yaml a settings problem is at.
    pub fn settings_line(&self) -> Option<usize> {
        match self {
            DeployError::Settings { line, .. } => Some(*line),
            _ => None,
        }
    }
}
