//! Helpers for tests that need tools from outside Rust (Chromium, Node.js and the packages in
//! tests/browser/, Java): finding them, skipping with a message when they are missing (a
//! failure when `QILI_REQUIRE_BROWSER=1`, as in CI), and a static file server on 127.0.0.1.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// CI sets this: a missing tool is then a failure, not a skip.
pub fn tools_required() -> bool {
    std::env::var("QILI_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// Skips the calling test with a visible line, or fails it when tools are required.
#[track_caller]
pub fn skip(missing: &str) {
    if tools_required() {
        panic!("缺少测试工具：{missing}（QILI_REQUIRE_BROWSER=1，不能跳过）");
    }
    // Straight to the process's stderr: libtest captures eprintln! of passing tests.
    let _ = writeln!(
        std::io::stderr(),
        "已跳过：{missing}（设置 QILI_REQUIRE_BROWSER=1 时此项为失败）"
    );
}

/// tests/browser/: the Node.js scripts and their package.json.
pub fn browser_dir() -> PathBuf {
    super::repo().join("tests").join("browser")
}

/// An executable on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Chromium: `QILI_CHROMIUM`, else Debian's `chromium` (or `chromium-browser`) on PATH.
pub fn chromium() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("QILI_CHROMIUM") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("没有找到 Chromium：QILI_CHROMIUM={}", p.display()))
        };
    }
    which("chromium")
        .or_else(|| which("chromium-browser"))
        .ok_or_else(|| "没有找到 Chromium，可用 apt-get install chromium 安装".to_string())
}

/// Node.js with the packages of tests/browser/package.json installed.
pub fn node_with(packages: &[&str]) -> Result<PathBuf, String> {
    let node = which("node").ok_or("没有找到 Node.js")?;
    let ok = Command::new(&node)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        return Err(format!("Node.js 无法运行：{}", node.display()));
    }
    let modules = browser_dir().join("node_modules");
    for p in packages {
        if !modules.join(p).join("package.json").is_file() {
            return Err(format!(
                "没有找到 npm 包 {p}，先运行 npm ci --ignore-scripts --prefix tests/browser"
            ));
        }
    }
    Ok(node)
}

/// Chromium, and Node.js with `packages`: what a test that drives the browser needs.
pub fn chromium_and_node(packages: &[&str]) -> Result<(PathBuf, PathBuf), String> {
    Ok((chromium()?, node_with(packages)?))
}

/// Java and the Nu HTML Checker's jar from the npm package vnu-jar.
pub fn java_and_vnu() -> Result<(PathBuf, PathBuf), String> {
    let java =
        which("java").ok_or("没有找到 Java，可用 apt-get install default-jre-headless 安装")?;
    let ok = Command::new(&java)
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        return Err(format!("Java 无法运行：{}", java.display()));
    }
    let jar = browser_dir().join("node_modules/vnu-jar/build/dist/vnu.jar");
    if !jar.is_file() {
        return Err(
            "没有找到 vnu.jar，先运行 npm ci --ignore-scripts --prefix tests/browser".into(),
        );
    }
    Ok((java, jar))
}

/// A static file server for a built site on 127.0.0.1: pretty URLs (`/a/` → `/a/index.html`),
/// `404.html` for what is missing. It lives as long as the test process.
pub struct StaticServer {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
}

impl StaticServer {
    pub fn start(root: &Path) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = root.clone();
                std::thread::spawn(move || {
                    let _ = serve_one(stream, &root);
                });
            }
        });
        StaticServer { base }
    }
}

fn serve_one(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let mut first = head.lines().next().unwrap_or_default().split_whitespace();
    let method = first.next().unwrap_or_default().to_string();
    let target = first.next().unwrap_or("/");
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));

    let (status, body, kind, location) = if method != "GET" && method != "HEAD" {
        ("405 Method Not Allowed", Vec::new(), "text/plain", None)
    } else if !path.starts_with('/') || path.split('/').any(|s| s == "..") {
        ("400 Bad Request", Vec::new(), "text/plain", None)
    } else {
        let file = root.join(path.trim_start_matches('/'));
        if file.is_dir() && !path.ends_with('/') {
            let to = format!("{path}/");
            ("301 Moved Permanently", Vec::new(), "text/plain", Some(to))
        } else {
            let file = if file.is_dir() {
                file.join("index.html")
            } else {
                file
            };
            match std::fs::read(&file) {
                Ok(bytes) => ("200 OK", bytes, content_type(&file), None),
                Err(_) => (
                    "404 Not Found",
                    std::fs::read(root.join("404.html")).unwrap_or_default(),
                    "text/html; charset=utf-8",
                    None,
                ),
            }
        }
    };
    let mut response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(to) = location {
        response.push_str(&format!("Location: {to}\r\n"));
    }
    response.push_str("\r\n");
    stream.write_all(response.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

fn content_type(file: &Path) -> &'static str {
    match file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "xml" => "application/xml",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Width and height of a PNG file, from its IHDR chunk.
pub fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Some((be(&bytes[16..20]), be(&bytes[20..24])))
}

/// Runs `script` of tests/browser/ with `node`, `job` as JSON on its standard input.
pub fn run_script(node: &Path, script: &str, job: &serde_json::Value) -> std::process::Output {
    let mut child = Command::new(node)
        .arg(browser_dir().join(script))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run node");
    {
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(job.to_string().as_bytes())
            .expect("job to node");
    }
    child.wait_with_output().expect("node")
}
