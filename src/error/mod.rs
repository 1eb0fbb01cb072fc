//! The one internal error type: failures that are not about the user's content (the disk, a
//! port, a browser, a command-line value). Content problems are
//! [`Diagnostic`](crate::diagnostics::Diagnostic)s instead. Each variant carries its Chinese
//! message, a stable code (registered in `diagnostics/codes.rs`) and a hint, so the one
//! reporting layer shows every failure the same way: `文件 代码 说明` and `提示：…`.

pub mod deploy;

pub use deploy::DeployError;
use std::io::ErrorKind;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("读写 {path} 失败：{source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("端口 {addr} 已被别的程序占用")]
    PortBusy { addr: SocketAddr },
    #[error("无法在 {addr} 上启动服务器：{source}")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("无法监视 {root} 里文件的改动：{reason}")]
    Watch { root: PathBuf, reason: String },
    #[error("没有找到 Chromium，无法生成 PDF")]
    NoChromium,
    #[error("Chromium 没能打印 {page}：{detail}")]
    Print { page: String, detail: String },
    #[error("无法生成编辑台的口令：{reason}")]
    Token { reason: String },
    #[error("村（社区）「{village}」不存在；site.yaml 里有：{known}")]
    UnknownVillage { village: String, known: String },
    #[error("公开和村规民约要写明属于哪个村")]
    NeedsVillage,
    #[error("标题不能为空")]
    EmptyTitle,
    #[error("无法启动工作线程：{reason}")]
    Threads { reason: String },
    /// `qili deploy` stopped: its settings, or what the storage service answered.
    #[error(transparent)]
    Deploy(#[from] DeployError),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Binding `addr` failed: a busy port is said as such, since that is what an editor can
    /// fix (another `qili serve` still running, or another program on the port).
    pub fn listen(addr: SocketAddr, source: std::io::Error) -> Error {
        if source.kind() == ErrorKind::AddrInUse {
            Error::PortBusy { addr }
        } else {
            Error::Listen { addr, source }
        }
    }

    /// The stable code, registered with the others in `diagnostics/codes.rs`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "E501",
            Error::PortBusy { .. } => "E502",
            Error::Listen { .. } => "E503",
            Error::Watch { .. } => "E504",
            Error::NoChromium => "E505",
            Error::Print { .. } => "E506",
            Error::Token { .. } => "E507",
            Error::UnknownVillage { .. } => "E508",
            Error::NeedsVillage => "E509",
            Error::EmptyTitle => "E510",
            Error::Threads { .. } => "E511",
            Error::Deploy(d) => d.code(),
        }
    }

    /// What the reader can do about it.
    pub fn hint(&self) -> String {
        let fixed = match self {
            Error::Io { source, .. } => match source.kind() {
                ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
                    "磁盘满了：删掉不用的文件、腾出空间后再运行（原来的网站没有被改动）"
                }
                ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
                    "没有权限：检查这个文件或文件夹的权限，或换一个可以写的输出目录（--output）"
                }
                ErrorKind::NotFound => "文件或文件夹不存在：检查路径是否写对，是否用 --root 指向了站点目录",
                _ => "检查磁盘空间和这个文件或文件夹的权限",
            },
            Error::PortBusy { .. } => {
                "可能另一个 qili serve 还开着：关掉它，或换一个端口，比如 --port 1112"
            }
            Error::Listen { .. } => "检查 --bind 的地址是不是这台电脑的地址，或换一个 --port",
            Error::Watch { .. } => {
                "系统能监视的文件数可能到了上限：加上 --poll 改为定时检查，或调大 fs.inotify.max_user_watches"
            }
            Error::NoChromium => {
                "可以在浏览器里打开海报页面直接打印；或安装 Chromium（apt-get install chromium），或用 QILI_CHROMIUM 指明它的路径"
            }
            Error::Print { .. } => "再运行一次；仍然失败时，在浏览器里打开这张海报的页面直接打印",
            Error::Token { .. } => "再启动一次 qili serve",
            Error::UnknownVillage { .. } => "--village 后面写 site.yaml 里 villages 下的编号（id）",
            Error::NeedsVillage => "加上 --village 村编号，比如 --village dongling",
            Error::EmptyTitle => "--title 后面写上标题",
            Error::Threads { .. } => "电脑的资源可能不够：关掉别的程序后再运行",
            Error::Deploy(d) => return d.hint(),
        };
        fixed.to_string()
    }

    /// The file (and line) the failure is about, if any.
    pub fn place(&self) -> Option<(String, usize)> {
        match self {
            Error::Io { path, .. } => Some((path.display().to_string(), 0)),
            Error::Watch { root, .. } => Some((root.display().to_string(), 0)),
            Error::Deploy(d) => d
                .settings_line()
                .map(|line| (crate::layout::CONFIG.to_string(), line)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_port_is_named_with_what_to_do() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = taken.local_addr().unwrap();
        let e = std::net::TcpListener::bind(addr)
            .map(|_| ())
            .map_err(|source| Error::listen(addr, source))
            .unwrap_err();
        assert_eq!(e.code(), "E502");
        assert_eq!(e.to_string(), format!("端口 {addr} 已被别的程序占用"));
        assert!(e.hint().contains("--port"), "{}", e.hint());
    }

    #[test]
    fn a_full_disk_says_so_and_that_the_site_is_untouched() {
        let e = Error::io(
            Path::new("public/index.html"),
            std::io::Error::from(ErrorKind::StorageFull),
        );
        assert_eq!(e.code(), "E501");
        assert!(e.to_string().starts_with("读写 public/index.html 失败："));
        assert!(e.hint().starts_with("磁盘满了"), "{}", e.hint());
        assert!(e.hint().contains("原来的网站没有被改动"));
    }

    #[test]
    fn every_variant_has_a_registered_code_of_its_own() {
        let all = [
            Error::io(Path::new("a"), std::io::Error::other("x")),
            Error::PortBusy {
                addr: "127.0.0.1:1".parse().unwrap(),
            },
            Error::Listen {
                addr: "127.0.0.1:1".parse().unwrap(),
                source: std::io::Error::other("x"),
            },
            Error::Watch {
                root: "a".into(),
                reason: "x".into(),
            },
            Error::NoChromium,
            Error::Print {
                page: "a".into(),
                detail: "x".into(),
            },
            Error::Token { reason: "x".into() },
            Error::UnknownVillage {
                village: "a".into(),
                known: "b".into(),
            },
            Error::NeedsVillage,
            Error::EmptyTitle,
            Error::Threads { reason: "x".into() },
        ];
        let all: Vec<Error> = all
            .into_iter()
            .chain(
                [
                    DeployError::Settings {
                        message: "x".into(),
                        hint: "y".into(),
                        line: 1,
                    },
                    DeployError::WrongKey { code: "x".into() },
                    DeployError::NoBucket { code: "x".into() },
                    DeployError::Network { detail: "x".into() },
                    DeployError::ClockSkew { detail: "x".into() },
                    DeployError::Denied {
                        action: deploy::Action::Delete,
                        code: "x".into(),
                        key: "k".into(),
                    },
                    DeployError::TooManyDeletes {
                        deletes: 2,
                        existing: 3,
                    },
                    DeployError::Server {
                        status: 500,
                        code: "x".into(),
                        message: "m".into(),
                    },
                ]
                .map(Error::from),
            )
            .collect();
        let mut codes: Vec<&str> = all.iter().map(Error::code).collect();
        for c in &codes {
            let info = crate::diagnostics::codes::lookup(c).unwrap_or_else(|| panic!("{c}"));
            assert_eq!(info.severity, crate::diagnostics::Severity::Error);
        }
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
