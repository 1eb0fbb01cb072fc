//! End-to-end tests of `qili serve` (a real process on a free port); its incremental rebuilds are
//! tested in incremental.rs.

use crate::common;
use common::serve::Server;
use common::{lesson_front, Site};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

/// Reads server-sent events from `/__qili/events` in a thread.
fn events(port: u16) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET /__qili/events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(data) = line.strip_prefix("data: ") {
                if tx.send(data.to_string()).is_err() {
                    break;
                }
            }
        }
    });
    rx
}

fn page_site() -> Site {
    let site = Site::new();
    site.lesson("a", &lesson_front("甲课", "qunzhong"), "第一版正文\n");
    site
}

#[test]
fn serves_pages_and_reloads_after_plain_and_atomic_saves() {
    let site = page_site();
    let server = Server::start(site.root());
    let (status, body) = server.get("/qunzhong/lessons/a/");
    assert_eq!(status, 200);
    assert!(body.contains("第一版正文"));
    assert!(body.contains("text/html; charset=utf-8"));
    assert!(body.contains("Cache-Control: no-cache"));
    assert!(
        body.contains("/__qili/events"),
        "reload script injected when served"
    );
    assert!(
        !std::fs::read_to_string(site.root().join("content/lessons/a.md"))
            .unwrap()
            .contains("__qili")
    );

    let ev = events(server.port);
    let first = ev
        .recv_timeout(Duration::from_secs(5))
        .expect("current generation on connect");

    // A plain write.
    site.lesson("a", &lesson_front("甲课", "qunzhong"), "第二版正文\n");
    let next = ev
        .recv_timeout(Duration::from_secs(5))
        .expect("reload event after a write");
    assert_ne!(next, first);
    server.wait_for("/qunzhong/lessons/a/", "second text", |b| {
        b.contains("第二版正文")
    });

    // Write a temporary file, then rename it over the original, as many editors save.
    let path = site.root().join("content/lessons/a.md");
    let tmp = site.root().join("content/lessons/.a.md.tmp");
    std::fs::write(
        &tmp,
        format!(
            "---\n{}\n---\n第三版正文\n",
            lesson_front("甲课", "qunzhong")
        ),
    )
    .unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    let third = ev
        .recv_timeout(Duration::from_secs(5))
        .expect("reload event after a rename");
    assert_ne!(third, next);
    server.wait_for("/qunzhong/lessons/a/", "third text", |b| {
        b.contains("第三版正文")
    });

    // A new source appears as a new page.
    site.lesson("b", &lesson_front("乙课", "qunzhong"), "新课\n");
    server.wait_for("/qunzhong/lessons/b/", "new page", |b| b.contains("新课"));
}

#[test]
fn broken_front_matter_shows_overlay_keeps_old_pages_and_clears_when_fixed() {
    let site = page_site();
    let server = Server::start(site.root());
    site.write(
        "content/lessons/a.md",
        "---\ntitle: 甲课\ndate: 2026-02-30\naudiences: [qunzhong]\n---\n坏了\n",
    );
    let body = server.wait_for("/qunzhong/lessons/a/", "overlay", |b| {
        b.contains("qili-overlay")
    });
    assert!(
        body.contains("content/lessons/a.md:3:"),
        "file and line in overlay:\n{body}"
    );
    assert!(body.contains("E105"));
    assert!(
        body.contains("第一版正文"),
        "the last good page is still served"
    );
    assert!(
        server.get("/qunzhong/").1.contains("qili-overlay"),
        "overlay on every page"
    );

    site.lesson("a", &lesson_front("甲课", "qunzhong"), "修好了\n");
    // The page is written a moment before the error state is cleared: wait for both.
    server.wait_for("/qunzhong/lessons/a/", "fixed page without overlay", |b| {
        b.contains("修好了") && !b.contains("qili-overlay")
    });
    assert!(!server.get("/qunzhong/").1.contains("qili-overlay"));
}

#[test]
fn failed_first_build_still_serves_the_overlay() {
    let site = Site::new();
    site.write("content/lessons/a.md", "---\ntitle: [\n");
    let server = Server::start(site.root());
    let (status, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(body.contains("qili-overlay") && body.contains("content/lessons/a.md"));
    site.lesson("a", &lesson_front("甲课", "qunzhong"), "好了\n");
    server.wait_for("/qunzhong/lessons/a/", "page after fix", |b| {
        b.contains("好了") && !b.contains("qili-overlay")
    });
}

#[test]
fn traversal_is_refused_and_only_get_and_head_answer() {
    let site = page_site();
    // Something outside the output that traversal would reach.
    site.write("secret.txt", "机密");
    let server = Server::start(site.root());
    // Thirty ways of reaching outside the output folder.
    let attempts = [
        "/../secret.txt",
        "/../../etc/passwd",
        "/../../../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/%2e%2e%2fsecret.txt",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/qunzhong/%2f..%2f..%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/qunzhong/../../secret.txt",
        "/qunzhong/./../../secret.txt",
        "/%252e%252e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%e0%80%ae%e0%80%ae/secret.txt",
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "//etc/passwd",
        "///etc/passwd",
        "/%2fetc%2fpasswd",
        "/%00/etc/passwd",
        "/secret.txt%00.html",
        "/C:/Windows/win.ini",
        "/C:%5cWindows%5cwin.ini",
        "/~root/.bashrc",
        "/qunzhong/%2e%2e/%2e%2e/secret.txt",
        "/static/../../secret.txt",
        "/%2e%2e/%2e%2e/%2e%2e/proc/self/environ",
        "http://127.0.0.1/../secret.txt",
    ];
    assert_eq!(attempts.len(), 30);
    for path in attempts {
        let (status, body) = server.get(path);
        assert!(matches!(status, 400 | 403 | 404), "{path}: {status}");
        assert!(
            !body.contains("机密") && !body.contains("root:"),
            "{path} leaked"
        );
    }
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        s,
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        server.host()
    )
    .unwrap();
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    assert!(buf.starts_with("HTTP/1.1 405"), "{buf}");
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        s,
        "HEAD /qunzhong/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.host()
    )
    .unwrap();
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    assert!(
        buf.starts_with("HTTP/1.1 200") && !buf.contains("<html"),
        "{buf}"
    );
}

#[test]
fn slow_client_does_not_block_others() {
    let site = page_site();
    let server = Server::start(site.root());
    // A client that sends half a request line and stops, and others that never send anything.
    // (They arrive a little apart: a burst of silent connections can still starve tiny_http's
    // connection pool, which has no read timeout.)
    let mut idle = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    idle.write_all(b"GET /qunzhong/ HT").unwrap();
    let mut silent = Vec::new();
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(50));
        silent.push(TcpStream::connect(("127.0.0.1", server.port)).unwrap());
    }
    // Clients that ask for pages and never read the answers.
    let mut unread = Vec::new();
    for _ in 0..4 {
        let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        write!(
            s,
            "GET /qunzhong/ HTTP/1.1\r\nHost: {}\r\n\r\n",
            server.host()
        )
        .unwrap();
        unread.push(s);
        std::thread::sleep(Duration::from_millis(20));
    }
    // The server's client reads with a timeout (tests/common/serve.rs): a server stuck behind
    // the unread requests fails there.
    let (status, text) = server.get("/qunzhong/");
    assert_eq!(status, 200, "{text}");
}

#[test]
fn stops_cleanly_on_sigterm_and_leaves_no_folder_or_port_behind() {
    let site = page_site();
    // Serve's temporary folders go here, with one a killed serve left behind.
    let tmp = tempfile::tempdir().unwrap();
    let stale = tmp.path().join("qili-serve-killed");
    std::fs::create_dir_all(stale.join("site")).unwrap();
    std::fs::write(stale.join("qili-serve.pid"), "4294967").unwrap();
    let tmpdir = tmp.path().to_str().unwrap();
    let mut server = Server::start_env(site.root(), "2026-04-12", &[], &[("TMPDIR", tmpdir)]);
    assert!(
        !stale.exists(),
        "the folder of a gone serve is removed at start"
    );
    let folders = || {
        std::fs::read_dir(tmp.path())
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                name.to_string_lossy().starts_with("qili-serve-")
            })
            .count()
    };
    assert_eq!(folders(), 1, "this serve's own folder");
    let _ev = events(server.port);
    std::thread::sleep(Duration::from_millis(200));
    let pid = server.child.id().to_string();
    let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(status.success());
    let code = common::eventually(common::HANG, "serve to stop", || {
        server.child.try_wait().unwrap()
    });
    assert!(code.success(), "{code:?}");
    assert_eq!(folders(), 0, "the temporary folder is removed");
    // The port is free again at once.
    std::net::TcpListener::bind(("127.0.0.1", server.port)).expect("the port is let go");
}

#[test]
fn lesson_pages_offer_their_wechat_article_and_only_in_the_preview() {
    let site = Site::new();
    site.lesson(
        "a",
        "title: \"<b>甲课</b> & 乙\"\ndate: 2026-03-01\naudiences: [qunzhong, ganbu]\nsummary: 摘要<i>x</i>",
        "正文，见[民法典](https://flk.npc.gov.cn/a.html)。\n",
    );
    let server = Server::start(site.root());
    let (status, page) = server.get("/ganbu/lessons/a/");
    assert_eq!(status, 200);
    let link = "/_qili/wechat?page=%2Fganbu%2Flessons%2Fa%2F";
    assert!(page.contains(link), "button on a lesson page:\n{page}");
    assert!(!server.get("/villages/").1.contains("/_qili/wechat"));

    let (status, preview) = server.get(link);
    assert_eq!(status, 200, "{preview}");
    // The real address from site.yaml, not the preview's, for 阅读原文.
    assert!(preview.contains("https://example.cn/ganbu/lessons/a/"));
    assert!(preview.contains("&lt;b&gt;甲课&lt;/b&gt; &amp; 乙"));
    assert!(!preview.contains("<b>甲课"));
    let (status, article) = server.get("/_qili/wechat/article?page=%2Fganbu%2Flessons%2Fa%2F");
    assert_eq!(status, 200);
    assert!(article.contains("[1]") && article.contains("https://flk.npc.gov.cn/a.html"));
    assert!(!article.contains("<script") && !article.contains(" class="));
    assert!(!article.contains("<b>甲课"));

    assert_eq!(server.get("/_qili/wechat?page=%2Fvillages%2F").0, 404);
    assert_eq!(server.get("/_qili/wechat").0, 400);
    assert_eq!(server.get("/_qili/nothing").0, 404);

    // `qili build` writes no trace of the preview's tools.
    site.build().ok();
    let built = site.snapshot();
    assert!(!built.is_empty());
    for (path, bytes) in built {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("_qili") && !text.contains("复制到公众号"),
            "{} mentions the preview's tools",
            path.display()
        );
    }
}

#[test]
fn a_busy_port_is_named_and_serve_exits_with_what_to_do() {
    let site = page_site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = site.qili(&["serve", "--port", &port, "--today", common::TODAY]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("qili E502 端口 127.0.0.1:{port} 已被别的程序占用")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("提示：可能另一个 qili serve 还开着"),
        "{}",
        run.stderr
    );
}
