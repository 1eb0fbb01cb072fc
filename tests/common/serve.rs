//! `qili serve` as a real process on a free port, for tests/suite/serve.rs and the browser tests.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

pub struct Server {
    pub port: u16,
    pub child: Child,
    /// What serve printed to the terminal so far.
    pub printed: Arc<Mutex<Vec<String>>>,
    _stderr: std::thread::JoinHandle<()>,
}

impl Server {
    /// `qili serve` of the site in `root` on a free port, judging statuses on the tests' day.
    pub fn start(root: &Path) -> Server {
        Server::start_on(root, "2026-04-12")
    }

    /// `qili serve` of the site in `root`, judging statuses on `today`.
    pub fn start_on(root: &Path, today: &str) -> Server {
        Server::start_with(root, today, &[])
    }

    /// `qili serve` with `extra` arguments (`--bind 0.0.0.0`, `--edit`).
    pub fn start_with(root: &Path, today: &str, extra: &[&str]) -> Server {
        Server::start_env(root, today, extra, &[])
    }

    /// `qili serve` with `extra` arguments and environment variables.
    pub fn start_env(root: &Path, today: &str, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qili"))
            .args(["serve", "--port", "0", "--today", today])
            .args(extra)
            .envs(env.iter().copied())
            .arg("--root")
            .arg(root)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let printed = Arc::new(Mutex::new(Vec::new()));
        let keep = Arc::clone(&printed);
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                keep.lock().unwrap().push(line.clone());
                if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                    let port: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
                    let _ = tx.send(port.parse::<u16>().unwrap_or(0));
                }
            }
        });
        let port = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("serve printed its address");
        Server {
            child,
            port,
            printed,
            _stderr: reader,
        }
    }

    /// A raw request with exactly these headers (no Host unless given) and body: status and
    /// the whole response.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).unwrap();
        // A refused request may be answered before all of a large body is sent.
        let _ = s.write_all(body);
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        let text = String::from_utf8_lossy(&buf).into_owned();
        (status_of(&text), text)
    }

    /// The `Host` a browser on this computer sends to this server.
    pub fn host(&self) -> String {
        format!("localhost:{}", self.port)
    }

    /// Raw GET, so test paths are sent exactly as written (no client-side normalising).
    pub fn get(&self, path: &str) -> (u16, String) {
        self.request("GET", path, &[("Host", &self.host())], b"")
    }

    /// Polls `path` until `pred` holds on the body, or fails after a few seconds.
    #[track_caller]
    pub fn wait_for(&self, path: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let mut last = String::new();
        super::within(super::HANG, || {
            let (_, body) = self.get(path);
            if pred(&body) {
                return Some(body);
            }
            last = body;
            None
        })
        .unwrap_or_else(|| panic!("timed out waiting for {what} on {path}:\n{last}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every file of the site's sources and their bytes.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                walk(&p, out);
            } else if meta.is_file() {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&root.join("content"), &mut out);
    out.insert(
        root.join("site.yaml"),
        std::fs::read(root.join("site.yaml")).unwrap(),
    );
    out
}

pub fn meta_token(page: &str) -> String {
    attribute(page, "name=\"qili-token\" content")
}

pub fn attribute(page: &str, name: &str) -> String {
    let at = page
        .find(&format!("{name}=\""))
        .unwrap_or_else(|| panic!("no {name} in {page}"));
    let rest = &page[at + name.len() + 2..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// The status code of a raw HTTP answer, 0 when there is none (the connection was dropped).
pub fn status_of(answer: &str) -> u16 {
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}
