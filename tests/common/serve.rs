//! `qili serve` as a real process on a free port, for tests/serve.rs and the browser tests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Server {
    pub port: u16,
    pub child: Child,
    _stderr: std::thread::JoinHandle<()>,
}

impl Server {
    /// `qili serve` of the site in `root` on a free port, judging statuses on the tests' day.
    pub fn start(root: &Path) -> Server {
        Server::start_on(root, "2026-04-12")
    }

    /// `qili serve` of the site in `root`, judging statuses on `today`.
    pub fn start_on(root: &Path, today: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qili"))
            .args(["serve", "--port", "0", "--today", today, "--root"])
            .arg(root)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
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
            _stderr: reader,
        }
    }

    /// Raw GET, so test paths are sent exactly as written (no client-side normalising).
    pub fn get(&self, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        let text = String::from_utf8_lossy(&buf).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, text)
    }

    /// Polls `path` until `pred` holds on the body, or fails after a few seconds.
    #[track_caller]
    pub fn wait_for(&self, path: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (_, body) = self.get(path);
            if pred(&body) {
                return body;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "timed out waiting for {what} on {path}:\n{body}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
