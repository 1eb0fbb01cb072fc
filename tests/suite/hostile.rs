//! `qili serve` against hostile clients over raw sockets: absurd body lengths, slow bodies and
//! heads, foreign and duplicate `Host`s, and many editors saving the same file at once. After
//! each attack the server still answers a normal request, and nothing under `content/` changed
//! but the one save that won. The server runs with short timeouts (`QILI_SERVE_TIMEOUT_MS`), so
//! the suite does not wait the real ten seconds.

use crate::common;
use common::serve::{attribute, meta_token, snapshot, status_of, Server};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

const TODAY: &str = "2026-04-12";
const QUDAO: &str = "notices/dongling-2026-qudao.md";
/// Each client read, request head and body may take this long on the test server.
const TIMEOUT_MS: &str = "300";

fn start() -> (tempfile::TempDir, Server) {
    let root = common::sample_copy();
    let server = Server::start_env(
        root.path(),
        TODAY,
        &[],
        &[("QILI_SERVE_TIMEOUT_MS", TIMEOUT_MS)],
    );
    (root, server)
}

fn connect(server: &Server) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

/// Sends `head` (and nothing more) and reads the first answer: status and text.
fn ask(server: &Server, head: &str) -> (u16, String) {
    let mut s = connect(server);
    let _ = s.write_all(head.as_bytes());
    let text = answer(&mut s);
    (status_of(&text), text)
}

/// One answer: its head, and as much body as it says it has (or what came before the end).
fn answer(s: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&buf);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .and_then(|n| n.trim().parse::<usize>().ok());
            if length.is_some_and(|n| body.len() >= n) {
                return text.into_owned();
            }
        }
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => return text.into_owned(),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// The server still serves a page: a normal GET gets its 200 within 2 seconds (a timeout to
/// fail on, not a speed to meet), the process lives, and the sources are as `before`.
#[track_caller]
fn still_well(server: &mut Server, root: &Path, before: &BTreeMap<PathBuf, Vec<u8>>) {
    let mut last = (0, String::new());
    common::within(Duration::from_secs(2), || {
        let (status, page) = server.get("/qunzhong/");
        let ok = status == 200 && page.contains("</html>");
        last = (status, page);
        ok.then_some(())
    })
    .unwrap_or_else(|| panic!("no page within 2 s: {} {}", last.0, last.1));
    assert!(server.child.try_wait().unwrap().is_none(), "serve exited");
    assert!(snapshot(root) == *before, "a source file changed");
}

#[test]
fn absurd_lengths_slow_bodies_and_unfinished_heads_take_nothing_down() {
    let (root, mut server) = start();
    let before = snapshot(root.path());
    let host = server.host();
    still_well(&mut server, root.path(), &before);

    // Lengths that once aborted the process (2^62), panicked a handler (2^64 - 1), or do not
    // fit a number at all; on pages, the desk and the event stream, with a few bytes of body.
    for length in [
        "4611686018427387904",
        "18446744073709551615",
        "18446744073709551616",
        "999999999999999999999999999999",
        "1048577",
    ] {
        for (method, path) in [
            ("GET", "/"),
            ("GET", "/qunzhong/"),
            ("GET", "/__qili/events"),
            ("POST", "/"),
            ("POST", "/_qili/desk/save"),
            ("POST", "/_qili/desk/check"),
        ] {
            let (status, text) = ask(
                &server,
                &format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {length}\r\n\r\nabc"),
            );
            assert_eq!(status, 413, "{method} {path} {length}: {text}");
            assert!(text.contains("Connection: close"), "{text}");
        }
    }
    // Many at once, on one connection after another.
    let mut s = connect(&server);
    for _ in 0..50 {
        let _ = write!(
            s,
            "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 4611686018427387904\r\n\r\n"
        );
    }
    drop(s);
    still_well(&mut server, root.path(), &before);

    // Lengths that are not one number.
    for lengths in [
        "Content-Length: -1\r\n",
        "Content-Length: 5\r\nContent-Length: 6\r\n",
        "Content-Length: 0x10\r\n",
        "Transfer-Encoding: chunked\r\n",
    ] {
        let (status, text) = ask(
            &server,
            &format!("POST /_qili/desk/save HTTP/1.1\r\nHost: {host}\r\n{lengths}\r\nabcdef"),
        );
        assert!(matches!(status, 400 | 501), "{lengths}: {text}");
        assert!(text.contains("Connection: close"), "{text}");
    }
    still_well(&mut server, root.path(), &before);

    // 300 connections that declare a body and never send it: to pages and to the desk.
    let slow: Vec<TcpStream> = (0..300)
        .map(|i| {
            let mut s = connect(&server);
            let path = ["/", "/_qili/desk/save", "/_qili/desk/check"][i % 3];
            let length = [2000, 500, 1_000_000][i % 3];
            let origin = format!("http://{host}");
            let _ = write!(
                s,
                "POST {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n{{\"kind\""
            );
            s
        })
        .collect();
    still_well(&mut server, root.path(), &before);
    drop(slow);

    // 300 connections whose request head never ends, and 300 that trickle one.
    let unfinished: Vec<TcpStream> = (0..300)
        .map(|i| {
            let mut s = connect(&server);
            let head = ["GET / HTTP/1.1\r\nHost: ", "GET /qunzhong/ HT", ""][i % 3];
            let _ = s.write_all(head.as_bytes());
            s
        })
        .collect();
    still_well(&mut server, root.path(), &before);
    drop(unfinished);
    let mut trickle: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut s = connect(&server);
            let _ = write!(s, "GET / HTTP/1.1\r\nHost: {host}\r\n");
            s
        })
        .collect();
    for _ in 0..5 {
        for s in &mut trickle {
            let _ = s.write_all(b"X-Slow: 1\r\n");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    still_well(&mut server, root.path(), &before);
    drop(trickle);

    // A head without end is cut off, not kept in memory.
    let mut s = connect(&server);
    let _ = write!(s, "GET / HTTP/1.1\r\nHost: {host}\r\n");
    let line = format!("X-Long: {}\r\n", "a".repeat(1000));
    let mut refused = false;
    for _ in 0..200 {
        if s.write_all(line.as_bytes()).is_err() {
            refused = true;
            break;
        }
    }
    let answer = answer(&mut s);
    assert!(
        refused || answer.starts_with("HTTP/1.1 431") || answer.is_empty(),
        "{answer}"
    );
    assert!(!answer.starts_with("HTTP/1.1 200"), "{answer}");
    still_well(&mut server, root.path(), &before);
}

#[test]
fn every_path_answers_only_its_own_host() {
    let (root, mut server) = start();
    let before = snapshot(root.path());
    let port = server.port;
    let good = server.host();
    let foreign = [
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("192.168.1.5:{port}"),
        format!("10.0.0.1:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        String::new(),
    ];
    let paths = [
        ("GET", "/"),
        ("GET", "/qunzhong/"),
        ("GET", "/qunzhong/lessons/"),
        ("GET", "/404-nowhere/"),
        ("GET", "/__qili/events"),
        ("GET", "/_qili/wechat?page=%2Fqunzhong%2F"),
        ("GET", "/_qili/wechat/article?page=%2Fqunzhong%2F"),
        ("GET", "/_qili/desk/"),
        ("GET", &format!("/_qili/desk/edit?file={QUDAO}")),
        ("GET", "/_qili/nothing"),
        ("HEAD", "/"),
        ("POST", "/_qili/desk/save"),
        ("POST", "/_qili/desk/check"),
    ];
    let (_, page) = server.get("/qunzhong/");
    assert!(page.contains("</html>"));
    for host in &foreign {
        for (method, path) in paths {
            let (status, text) = ask(
                &server,
                &format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
            );
            assert_eq!(status, 403, "{method} {path} as {host}: {text}");
            assert!(
                !text.contains("<html") && !text.contains("data:") && !text.contains("qili-token"),
                "{method} {path} as {host} leaked:\n{text}"
            );
        }
    }
    // Two Hosts, even a good one twice, and none at all.
    for hosts in [
        format!("Host: {good}\r\nHost: evil.example:{port}\r\n"),
        format!("Host: evil.example:{port}\r\nHost: {good}\r\n"),
        format!("Host: {good}\r\nHost: {good}\r\n"),
        String::new(),
    ] {
        for (method, path) in paths {
            let (status, text) = ask(
                &server,
                &format!("{method} {path} HTTP/1.1\r\n{hosts}Content-Length: 0\r\nConnection: close\r\n\r\n"),
            );
            assert_eq!(status, 400, "{method} {path} with {hosts:?}: {text}");
        }
    }
    // The good names all answer.
    for host in [good, format!("127.0.0.1:{port}"), format!("[::1]:{port}")] {
        let (status, _) = ask(
            &server,
            &format!("GET /qunzhong/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(status, 200, "{host}");
    }
    still_well(&mut server, root.path(), &before);
}

#[test]
fn of_thirty_saves_from_one_version_exactly_one_wins() {
    let (root, mut server) = start();
    let host = format!("127.0.0.1:{}", server.port);
    let (status, page) = server.request("GET", "/_qili/desk/", &[("Host", &host)], b"");
    assert_eq!(status, 200, "{page}");
    let token = meta_token(&page);
    let (_, form) = server.request(
        "GET",
        &format!("/_qili/desk/edit?file={QUDAO}"),
        &[("Host", &host)],
        b"",
    );
    let base = attribute(&form, "data-base");
    let before = snapshot(root.path());
    let path = root.path().join("content").join(QUDAO);

    let answers: Vec<(u16, Value, u32)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..30u32)
            .map(|i| {
                let (server, host, token, base) = (&server, &host, &token, &base);
                scope.spawn(move || {
                    let present = 31 + i;
                    let payload = json!({"kind": "notice", "file": QUDAO, "base": base,
                        "fields": {"steps.resolution.present": present.to_string()}})
                    .to_string();
                    let origin = format!("http://{host}");
                    let (status, text) = server.request(
                        "POST",
                        "/_qili/desk/save",
                        &[
                            ("Host", host),
                            ("Origin", &origin),
                            ("X-Qili-Token", token),
                            ("Content-Type", "application/json; charset=utf-8"),
                        ],
                        payload.as_bytes(),
                    );
                    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
                    (
                        status,
                        serde_json::from_str(body).unwrap_or(Value::Null),
                        present,
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let won: Vec<&(u16, Value, u32)> = answers.iter().filter(|a| a.0 == 200).collect();
    assert_eq!(won.len(), 1, "exactly one save wins: {answers:?}");
    let saved = std::fs::read_to_string(&path).unwrap();
    let winner = won[0].2;
    assert!(
        saved.contains(&format!("    present: {winner}\n")),
        "the winner's text is the file:\n{saved}"
    );
    for (status, answer, _) in answers.iter().filter(|a| a.0 != 200) {
        assert_eq!(*status, 409, "{answer}");
        assert_eq!(answer["current"].as_str(), Some(saved.as_str()), "{answer}");
        assert_eq!(answer["base"], won[0].1["base"], "{answer}");
    }
    // Nothing else changed, and no temporary file is left beside the notice.
    let mut expected = before;
    expected.insert(path.clone(), saved.into_bytes());
    still_well(&mut server, root.path(), &expected);
}
