//! The command line: the arguments as clap parses them, resolved once into [`Args`] (every
//! default decided here, `today` among them), and handed to one file per command. Exit codes:
//! 0 success, 1 content or I/O errors, 2 usage errors (clap's own).

mod build;
mod check;
mod deploy;
mod init;
mod new;
mod posters;
mod serve;
mod wechat;

use crate::model::date::{Date, Today};
use crate::report::Format;
use clap::{Parser, Subcommand, ValueEnum};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn main() -> ExitCode {
    let args = Args::resolve(Cli::parse(), Date(chrono::Local::now().date_naive()));
    match &args.mode {
        Mode::Build => build::run(&args),
        Mode::Check => check::run(&args),
        Mode::New(draft) => new::run(&args, draft),
        Mode::Serve(preview) => serve::run(&args, preview),
        Mode::Posters { pdf } => posters::run(&args, pdf),
        Mode::Wechat(article) => wechat::run(&args, article),
        Mode::Deploy(publish) => deploy::run(&args, publish),
        Mode::Init(site) => init::run(&args, site),
    }
}

/// The command line with its defaults decided: what the commands work from.
#[derive(Debug, Clone)]
pub struct Args {
    pub mode: Mode,
    /// The site root (site.yaml, content/, themes/).
    pub root: PathBuf,
    /// Where `build` writes: `--output`, else `public/` under the root.
    pub output: PathBuf,
    pub today: Today,
    pub drafts: bool,
    /// `--base-url`, in place of site.yaml's.
    pub base_url: Option<String>,
    pub format: Format,
}

/// What to do, with what only that command takes.
#[derive(Debug, Clone)]
pub enum Mode {
    Build,
    Check,
    New(Draft),
    Serve(Preview),
    Posters { pdf: PathBuf },
    Wechat(Article),
    Deploy(Publish),
    Init(NewSite),
}

/// `qili init`: the new site's folder and the town's names (asked on a terminal when missing).
#[derive(Debug, Clone)]
pub struct NewSite {
    pub dir: PathBuf,
    pub town: Option<String>,
    pub county: Option<String>,
    pub city: Option<String>,
    pub province: Option<String>,
    pub title: Option<String>,
    pub base_url: Option<String>,
    pub lessons: bool,
}

/// `qili deploy`: how to publish.
#[derive(Debug, Clone)]
pub struct Publish {
    pub dry_run: bool,
    pub allow_delete: bool,
    pub full: bool,
    pub jobs: usize,
}

/// `qili wechat`: which article, in whose wording, and where to write it.
#[derive(Debug, Clone)]
pub struct Article {
    pub source: String,
    pub audience: Option<String>,
    /// `--output`; the fragment goes to standard output without it.
    pub output: Option<PathBuf>,
}

/// `qili new`: what to create.
#[derive(Debug, Clone)]
pub struct Draft {
    pub kind: crate::load::Kind,
    pub title: String,
    pub village: Option<String>,
}

/// `qili serve`: where to listen and how to watch.
#[derive(Debug, Clone)]
pub struct Preview {
    pub bind: IpAddr,
    pub port: u16,
    pub poll: bool,
    pub open: bool,
    /// `--edit`: the editors' desk may save even when listening beyond this computer.
    pub edit: bool,
}

impl Args {
    /// `local` is the date on this computer's clock, taken as "today" unless `--today` says
    /// otherwise: the one place that default is decided.
    pub fn resolve(cli: Cli, local: Date) -> Args {
        let (mode, site, extras) = command_mode(cli.command);
        let default_output = crate::layout::default_output(&site.root);
        Args {
            mode,
            output: extras.output.unwrap_or(default_output),
            root: site.root,
            today: match site.today {
                Some(date) => Today { date, pinned: true },
                None => Today {
                    date: local,
                    pinned: false,
                },
            },
            drafts: site.drafts,
            base_url: extras.base_url,
            format: extras.format,
        }
    }

    /// Options for one full pass of the pipeline; `write: false` renders without writing.
    fn build_options(&self, write: bool) -> crate::build::Options {
        crate::build::Options {
            root: self.root.clone(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            today: self.today.date,
            write,
            progress: true,
            memoize: false,
        }
    }
}

/// What a command asks beyond the site folder, the day and drafts.
struct Extras {
    output: Option<PathBuf>,
    base_url: Option<String>,
    format: Format,
}

impl Extras {
    fn none() -> Extras {
        Extras {
            output: None,
            base_url: None,
            format: Format::Text,
        }
    }
}

/// A command's mode, the site it works on, and what else it asks; each command sets its own
/// defaults here (a preview shows drafts, a deploy never publishes them).
fn command_mode(command: Command) -> (Mode, SiteArgs, Extras) {
    let no_site = |root: PathBuf| SiteArgs {
        root,
        today: None,
        drafts: false,
    };
    match command {
        Command::Build(a) => (
            Mode::Build,
            a.site,
            Extras {
                output: a.output,
                base_url: a.base_url,
                ..Extras::none()
            },
        ),
        Command::Check(a) => (
            Mode::Check,
            a.site,
            Extras {
                format: match a.format {
                    FormatArg::Text => Format::Text,
                    FormatArg::Json => Format::Json,
                },
                ..Extras::none()
            },
        ),
        Command::New(a) => {
            let kind = match a.kind {
                NewKind::Lesson => crate::load::Kind::Lesson,
                NewKind::Notice => crate::load::Kind::Notice,
                NewKind::Regulation => crate::load::Kind::Regulation,
            };
            let draft = Draft {
                kind,
                title: a.title,
                village: a.village,
            };
            (Mode::New(draft), no_site(a.root), Extras::none())
        }
        Command::Serve(a) => {
            let preview = Preview {
                bind: a.bind,
                port: a.port,
                poll: a.poll,
                open: a.open,
                edit: a.edit,
            };
            let site = SiteArgs {
                root: a.root,
                today: a.today,
                // A preview shows drafts unless told not to, unlike a build.
                drafts: !a.no_drafts,
            };
            (Mode::Serve(preview), site, Extras::none())
        }
        Command::Deploy(a) => {
            let publish = Publish {
                dry_run: a.dry_run,
                allow_delete: a.allow_delete,
                full: a.full,
                jobs: a.jobs,
            };
            let site = SiteArgs {
                root: a.root,
                today: a.today,
                // Drafts are never published.
                drafts: false,
            };
            let extras = Extras {
                output: a.output,
                ..Extras::none()
            };
            (Mode::Deploy(publish), site, extras)
        }
        Command::Init(a) => {
            let town = NewSite {
                dir: a.dir,
                town: a.town,
                county: a.county,
                city: a.city,
                province: a.province,
                title: a.title,
                base_url: a.base_url,
                lessons: a.with_lessons,
            };
            (
                Mode::Init(town),
                no_site(PathBuf::from(".")),
                Extras::none(),
            )
        }
        Command::Posters(a) => (Mode::Posters { pdf: a.pdf }, a.site, Extras::none()),
        Command::Wechat(a) => {
            let article = Article {
                source: a.source,
                audience: a.audience,
                output: a.output,
            };
            (Mode::Wechat(article), a.site, Extras::none())
        }
    }
}

// The command line as clap parses it; only [`Args::resolve`] reads these.

#[derive(Parser, Debug)]
#[command(
    name = "qili",
    version,
    about = "七里镇法治课堂静态网站生成器：把 Markdown 课程、村规民约和四议两公开变成网站",
    long_about = None,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 生成整个网站到输出目录（默认 public/）
    Build(BuildArgs),
    /// 检查内容和法定程序，不生成网站
    Check(CheckArgs),
    /// 新建一篇课程、公开或村规民约，所有字段都带中文说明
    New(NewArgs),
    /// 本地预览：生成网站、打开预览服务器，保存文件后页面自动刷新
    Serve(ServeArgs),
    /// 把所有公示海报和村规民约打印版生成 PDF（需要 Chromium），方便发给打印店
    Posters(PostersArgs),
    /// 把一篇课程或公开导出为公众号文章（样式全部内联），并打印标题、摘要和阅读原文网址
    Wechat(WechatArgs),
    /// 先按 build 生成并检查，再把网站发布到对象存储（阿里云 OSS、腾讯云 COS、华为云 OBS、MinIO），只传改过的文件
    Deploy(DeployArgs),
    /// 为另一个乡镇或街道新建一个站点目录：site.yaml、每类一篇草稿、默认主题、给编辑的说明
    Init(InitArgs),
}

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// 新站点的目录（不存在时新建；里面已有文件的不用）
    #[arg(value_name = "目录")]
    pub dir: PathBuf,
    /// 乡镇或街道的名称，例如 沙州镇、东街街道（在终端里运行时不写会问）
    #[arg(long, value_name = "名称")]
    pub town: Option<String>,
    /// 所属县（市、区），例如 敦煌市
    #[arg(long, value_name = "名称")]
    pub county: Option<String>,
    /// 所属市（州），例如 酒泉市
    #[arg(long, value_name = "名称")]
    pub city: Option<String>,
    /// 所属省（自治区），例如 甘肃省
    #[arg(long, value_name = "名称")]
    pub province: Option<String>,
    /// 网站名称（默认"乡镇名+法治课堂"）
    #[arg(long, value_name = "名称")]
    pub title: Option<String>,
    /// 网站网址（默认 https://example.cn/，备案的域名绑定后再改）
    #[arg(long, value_name = "网址")]
    pub base_url: Option<String>,
    /// 把 qili 自带的通用课程（不涉及具体的镇和村）也放进来
    #[arg(long)]
    pub with_lessons: bool,
}

#[derive(clap::Args, Debug)]
pub struct DeployArgs {
    /// 站点根目录（含 site.yaml、content/、themes/）
    #[arg(long, default_value = ".", value_name = "目录")]
    pub root: PathBuf,
    /// 把这一天当作"今天"来计算公示状态，格式 2026-03-01（默认今天）
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub today: Option<Date>,
    /// 生成到这个目录再发布（默认为站点根目录下的 public/）
    #[arg(long, short, value_name = "目录")]
    pub output: Option<PathBuf>,
    /// 只列出要上传、不变和要删除的文件，不改动存储桶
    #[arg(long)]
    pub dry_run: bool,
    /// 允许删除存储桶里超过三成的对象
    #[arg(long)]
    pub allow_delete: bool,
    /// 不只看上次发布留下的清单，逐个对照存储桶里的对象（有人在控制台里改过、删过存储桶里的文件时用）
    #[arg(long)]
    pub full: bool,
    /// 同时上传的文件数
    #[arg(long, default_value_t = 8, value_name = "个数")]
    pub jobs: usize,
}

#[derive(clap::Args, Debug)]
pub struct WechatArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 要导出的文件，例如 content/lessons/jie-tiao-zen-me-xie.md
    #[arg(value_name = "文件")]
    pub source: String,
    /// 课程用哪类读者的说法（受众编号，例如 qunzhong）；不写时用课程的第一个受众
    #[arg(long, value_name = "受众")]
    pub audience: Option<String>,
    /// 写到这个文件；不写时输出到屏幕（标准输出）
    #[arg(long, short, value_name = "文件")]
    pub output: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct PostersArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// PDF 输出目录（不存在时会新建）
    #[arg(long, value_name = "目录")]
    pub pdf: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// 站点根目录
    #[arg(long, default_value = ".", value_name = "目录")]
    pub root: PathBuf,
    /// 端口
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// 监听地址；用 0.0.0.0 可让同一局域网的手机访问（会显示二维码）
    #[arg(long, default_value = "127.0.0.1", value_name = "地址")]
    pub bind: std::net::IpAddr,
    /// 轮询文件变化（共享文件夹、网络盘收不到变化通知时用）
    #[arg(long)]
    pub poll: bool,
    /// 启动后用浏览器打开
    #[arg(long)]
    pub open: bool,
    /// 不显示草稿（默认预览时显示 draft: true 的草稿）
    #[arg(long)]
    pub no_drafts: bool,
    /// 监听本机以外的地址（--bind）时也允许编辑台保存文件；终端会显示带口令的编辑台地址
    #[arg(long)]
    pub edit: bool,
    /// 把这一天当作"今天"来计算公示状态
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub today: Option<Date>,
}

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// 要新建的类型：lesson（课程）、notice（四议两公开）、regulation（村规民约）
    #[arg(value_enum)]
    pub kind: NewKind,
    /// 标题
    pub title: String,
    /// 所属村（社区）的编号（公开和村规民约必填）
    #[arg(long, value_name = "村编号")]
    pub village: Option<String>,
    /// 站点根目录
    #[arg(long, default_value = ".", value_name = "目录")]
    pub root: PathBuf,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Lesson,
    Notice,
    Regulation,
}

#[derive(clap::Args, Debug, Clone)]
pub struct SiteArgs {
    /// 站点根目录（含 site.yaml、content/、themes/）
    #[arg(long, default_value = ".", value_name = "目录")]
    pub root: PathBuf,
    /// 把这一天当作"今天"来计算公示状态，格式 2026-03-01（默认今天）
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub today: Option<Date>,
    /// 把草稿（draft: true）也包括进来
    #[arg(long)]
    pub drafts: bool,
}

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 输出目录（默认为站点根目录下的 public/）
    #[arg(long, short, value_name = "目录")]
    pub output: Option<PathBuf>,
    /// 覆盖 site.yaml 中的 base_url，例如 https://qili.example.cn/
    #[arg(long, value_name = "网址")]
    pub base_url: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 输出格式：text（默认，给人看）或 json（给其他程序读）
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatArg {
    Text,
    Json,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(args: &[&str]) -> Args {
        let cli = Cli::try_parse_from([&["qili"], args].concat()).unwrap();
        Args::resolve(cli, Date::parse("2026-04-12").unwrap())
    }

    #[test]
    fn today_is_the_clock_unless_given() {
        let args = resolve(&["build"]);
        assert_eq!(args.today.date, Date::parse("2026-04-12").unwrap());
        assert!(!args.today.pinned);
        let args = resolve(&["serve", "--today", "2026-03-01"]);
        assert_eq!(args.today.date, Date::parse("2026-03-01").unwrap());
        assert!(args.today.pinned);
    }

    #[test]
    fn defaults_are_decided_once() {
        let args = resolve(&["build", "--root", "site"]);
        assert_eq!(args.output, PathBuf::from("site/public"));
        assert!(!args.drafts);
        let args = resolve(&["build", "--root", "site", "-o", "out"]);
        assert_eq!(args.output, PathBuf::from("out"));
        // A preview shows drafts unless told not to.
        assert!(resolve(&["serve"]).drafts);
        assert!(!resolve(&["serve", "--no-drafts"]).drafts);
        assert_eq!(resolve(&["check", "--format", "json"]).format, Format::Json);
    }
}
