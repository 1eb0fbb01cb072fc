//! The command line: argument parsing, and the one place that prints diagnostics and picks the
//! exit code (0 success, 1 content or I/O errors, 2 usage errors).

use crate::build::{self, Outcome, Stats};
use crate::diagnostics::Diagnostics;
use crate::model::date::Date;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

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
}

#[derive(Args, Debug)]
pub struct PostersArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// PDF 输出目录（不存在时会新建）
    #[arg(long, value_name = "目录")]
    pub pdf: PathBuf,
}

#[derive(Args, Debug)]
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
    /// 把这一天当作"今天"来计算公示状态
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub today: Option<Date>,
}

#[derive(Args, Debug)]
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

#[derive(Args, Debug, Clone)]
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

#[derive(Args, Debug)]
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

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 输出格式：text（默认，给人看）或 json（给其他程序读）
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s)
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build_command(args),
        Command::Check(args) => check_command(args),
        Command::New(args) => new_command(args),
        Command::Serve(args) => serve_command(args),
        Command::Posters(args) => posters_command(args),
    }
}

fn posters_command(args: PostersArgs) -> ExitCode {
    use crate::posters::{self, PostersError};
    let opts = posters::Options {
        root: args.site.root.clone(),
        pdf_dir: args.pdf,
        today: args.site.today.unwrap_or_else(build::today),
        drafts: args.site.drafts,
    };
    if posters::find_chromium().is_some() {
        eprintln!("正在生成网站并用 Chromium 打印海报……");
    }
    match posters::run(&opts) {
        Ok(summary) => {
            print_diagnostics(&summary.diagnostics);
            eprintln!(
                "已生成 {} 个 PDF，保存在 {}：公示海报 {} 个（每件公开 A3、A4 各一张），村规民约打印版 {} 个（A4）",
                summary.files.len(),
                opts.pdf_dir.display(),
                summary.notice_posters,
                summary.regulation_posters
            );
            if summary.diagnostics.warning_count() > 0 {
                eprintln!("有警告（见上）：W350/W351 说明这件公开的海报可能一张纸印不下。");
            }
            ExitCode::SUCCESS
        }
        Err(PostersError::Build(d)) => {
            print_diagnostics(&d);
            eprintln!(
                "\n发现 {} 个错误、{} 个警告；改正后再生成 PDF。",
                d.error_count(),
                d.warning_count()
            );
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(1)
        }
    }
}

fn serve_command(args: ServeArgs) -> ExitCode {
    let opts = crate::serve::Options {
        root: args.root,
        bind: args.bind,
        port: args.port,
        poll: args.poll,
        open: args.open,
        drafts: !args.no_drafts,
        today: args.today,
    };
    match crate::serve::run(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", build::internal(&e));
            ExitCode::from(1)
        }
    }
}

fn new_command(args: NewArgs) -> ExitCode {
    let config = match crate::config::SiteConfig::read(&args.root) {
        Ok(c) => c,
        Err(problems) => {
            print_diagnostics(&problems.into_iter().collect());
            return ExitCode::from(1);
        }
    };
    let kind = match args.kind {
        NewKind::Lesson => crate::load::Kind::Lesson,
        NewKind::Notice => crate::load::Kind::Notice,
        NewKind::Regulation => crate::load::Kind::Regulation,
    };
    match crate::scaffold::create(
        &args.root,
        &config,
        kind,
        args.village.as_deref(),
        &args.title,
        build::today(),
    ) {
        Ok(path) => {
            eprintln!(
                "已新建 {}（草稿，draft: true）。填好字段后把 draft 改成 false，再运行 qili check。",
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("错误：{msg}");
            ExitCode::from(1)
        }
    }
}

fn options(site: &SiteArgs, output: Option<PathBuf>, write: bool) -> build::Options {
    build::Options {
        root: site.root.clone(),
        output: output.unwrap_or_else(|| build::default_output(&site.root)),
        base_url: None,
        drafts: site.drafts,
        today: site.today.unwrap_or_else(build::today),
        write,
        progress: true,
        memoize: false,
    }
}

fn build_command(args: BuildArgs) -> ExitCode {
    let mut opts = options(&args.site, args.output, true);
    opts.base_url = args.base_url;
    match build::run(&opts) {
        Ok(outcome) => {
            print_diagnostics(&outcome.diagnostics);
            finish(&outcome, |stats| print_summary(stats, &opts))
        }
        Err(e) => {
            eprintln!("{}", build::internal(&e));
            ExitCode::from(1)
        }
    }
}

fn check_command(args: CheckArgs) -> ExitCode {
    let opts = options(&args.site, None, false);
    match build::run(&opts) {
        Ok(outcome) => {
            if args.format == Format::Json {
                println!("{}", outcome.diagnostics.to_json());
            } else {
                print_diagnostics(&outcome.diagnostics);
            }
            finish(&outcome, |_| {
                if args.format == Format::Text {
                    eprintln!("检查完成：没有错误。");
                }
            })
        }
        Err(e) => {
            eprintln!("{}", build::internal(&e));
            ExitCode::from(1)
        }
    }
}

fn finish(outcome: &Outcome, on_success: impl FnOnce(&Stats)) -> ExitCode {
    let d = &outcome.diagnostics;
    match (&outcome.stats, d.has_errors()) {
        (Some(stats), false) => {
            on_success(stats);
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!(
                "\n发现 {} 个错误、{} 个警告；没有写入任何文件，原来的网站保持不变。",
                d.error_count(),
                d.warning_count()
            );
            ExitCode::from(1)
        }
    }
}

/// Every finding on stderr, sorted by file and line.
pub fn print_diagnostics(d: &Diagnostics) {
    for item in d.clone().sorted() {
        eprintln!("{item}");
    }
}

fn print_summary(stats: &Stats, opts: &build::Options) {
    let per: Vec<String> = stats
        .per_audience
        .iter()
        .map(|(name, n)| format!("{name} {n}"))
        .collect();
    eprintln!(
        "构建完成：{} 个文件，用时 {:.2} 秒",
        stats.pages,
        stats.elapsed.as_secs_f64()
    );
    eprintln!("  课程 {} 篇（{}）", stats.lessons, per.join("、"));
    eprintln!(
        "  村规民约 {} 份，四议两公开 {} 件",
        stats.regulations, stats.notices
    );
    eprintln!(
        "  输出到 {}（页面共 {:.1} KB）",
        opts.output.display(),
        stats.bytes as f64 / 1024.0
    );
    let largest: Vec<String> = stats
        .largest
        .iter()
        .map(|(url, size)| format!("/{url} {:.1} KB", *size as f64 / 1024.0))
        .collect();
    eprintln!("  最大的页面：{}", largest.join("，"));
}
