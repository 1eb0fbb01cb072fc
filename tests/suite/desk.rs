//! The editors' desk of `qili serve` (/_qili/desk/), over HTTP: the safety rules of the first
//! part of qili that writes files on request, and what a save writes. The browser side is in
//! tests/browser/desk.rs.

use crate::common;
use common::serve::{attribute, meta_token, snapshot, Server};
use serde_json::{json, Value};

const TODAY: &str = "2026-04-12";
const QUDAO: &str = "notices/dongling-2026-qudao.md";

fn body(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

/// A header set to a value, or left out.
type Change<'a> = (&'a str, Option<&'a str>);

/// The desk as its page sees it: the serving address and the token the page carries.
struct Desk<'a> {
    server: &'a Server,
    host: String,
    token: String,
}

impl<'a> Desk<'a> {
    fn open(server: &'a Server) -> Desk<'a> {
        let host = format!("127.0.0.1:{}", server.port);
        let (status, page) = server.request("GET", "/_qili/desk/", &[("Host", &host)], b"");
        assert_eq!(status, 200, "{page}");
        let token = meta_token(&page);
        assert_eq!(token.len(), 48, "the desk page carries the token");
        Desk {
            server,
            host,
            token,
        }
    }

    fn get(&self, path: &str) -> String {
        let (status, page) = self
            .server
            .request("GET", path, &[("Host", &self.host)], b"");
        assert_eq!(status, 200, "{page}");
        page
    }

    /// A POST as the desk's page sends it, with `change` applied to its headers.
    fn post_with(
        &self,
        what: &str,
        payload: &[u8],
        change: &[(&str, Option<&str>)],
    ) -> (u16, Value) {
        let origin = format!("http://{}", self.host);
        let mut headers: Vec<(&str, String)> = vec![
            ("Host", self.host.clone()),
            ("Origin", origin),
            ("X-Qili-Token", self.token.clone()),
            ("Content-Type", "application/json".into()),
        ];
        for (name, value) in change {
            headers.retain(|(n, _)| n != name);
            if let Some(v) = value {
                headers.push((name, v.to_string()));
            }
        }
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let (status, text) =
            self.server
                .request("POST", &format!("/_qili/desk/{what}"), &headers, payload);
        let value = serde_json::from_str(body(&text)).unwrap_or(Value::Null);
        (status, value)
    }

    fn post(&self, what: &str, payload: &Value) -> (u16, Value) {
        self.post_with(what, payload.to_string().as_bytes(), &[])
    }

    /// The hash the form of `key` was opened with.
    fn base(&self, key: &str) -> String {
        let page = self.get(&format!("/_qili/desk/edit?file={key}"));
        attribute(&page, "data-base")
    }
}

/// What the page's text area holds: the browser drops the newline after `<textarea>`.
fn textarea(page: &str) -> String {
    let at = page.find("name=\"body\"").unwrap();
    let rest = &page[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest.find("</textarea>").unwrap();
    let text = &rest[start..end];
    text.strip_prefix('\n')
        .unwrap_or(text)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn writing_requests_without_the_token_from_another_origin_or_to_another_host_are_refused() {
    let root = common::sample_copy();
    let server = Server::start_on(root.path(), TODAY);
    let desk = Desk::open(&server);
    let edit = json!({"kind": "notice", "file": QUDAO, "base": desk.base(QUDAO),
                      "fields": {"title": "被别的网页改掉了"}});
    let new =
        json!({"kind": "notice", "fields": {"title": "不该写出的公开", "village": "dongling"}});
    let before = snapshot(root.path());
    let port = server.port;
    let evil_host = format!("evil.example:{port}");
    let evil_origin = format!("http://evil.example:{port}");
    let refusals: Vec<(&str, Vec<Change>)> = vec![
        ("no token", vec![("X-Qili-Token", None)]),
        (
            "a wrong token",
            vec![(
                "X-Qili-Token",
                Some("0123456789abcdef0123456789abcdef0123456789abcdef"),
            )],
        ),
        (
            "a foreign Origin",
            vec![("Origin", Some("http://evil.example"))],
        ),
        ("no Origin", vec![("Origin", None)]),
        ("the null Origin", vec![("Origin", Some("null"))]),
        (
            "another port's Origin",
            vec![("Origin", Some("http://127.0.0.1:1"))],
        ),
        // DNS rebinding: a name of the attacker's that now resolves to 127.0.0.1.
        (
            "a wrong Host",
            vec![("Host", Some(&evil_host)), ("Origin", Some(&evil_origin))],
        ),
        ("no Host", vec![("Host", None)]),
        (
            "a form post",
            vec![("Content-Type", Some("application/x-www-form-urlencoded"))],
        ),
        (
            "a type that only starts like JSON",
            vec![("Content-Type", Some("application/jsonx"))],
        ),
    ];
    for payload in [&edit, &new] {
        for (what, change) in &refusals {
            let (status, answer) = desk.post_with("save", payload.to_string().as_bytes(), change);
            // tiny_http itself answers a request without a Host with 400.
            assert!(
                [400, 403, 415].contains(&status),
                "{what}: {status} {answer}"
            );
            assert!(
                status == 400 || answer["error"].as_str().is_some_and(|e| !e.is_empty()),
                "{what}: {answer}"
            );
        }
    }
    assert!(
        snapshot(root.path()) == before,
        "a refused request wrote something"
    );
    // The desk page itself is not given to a rebinding name either: it carries the token.
    let (status, _) = server.request("GET", "/_qili/desk/", &[("Host", &evil_host)], b"");
    assert_eq!(status, 403);

    // The same requests as the desk's page sends them do write: the refusals kept the files.
    let (status, answer) = desk.post("save", &edit);
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = desk.post("save", &new);
    assert_eq!(status, 200, "{answer}");
    let after = snapshot(root.path());
    assert_eq!(after.len(), before.len() + 1, "one new file");
    let qudao = String::from_utf8(after[&root.path().join("content").join(QUDAO)].clone()).unwrap();
    assert!(
        qudao.starts_with("---\ntitle: 被别的网页改掉了\n"),
        "{qudao}"
    );
}

#[test]
fn paths_outside_content_and_files_that_are_not_markdown_are_refused() {
    let root = common::sample_copy();
    std::fs::write(root.path().join("content/notices/readme.txt"), "x").unwrap();
    let server = Server::start_on(root.path(), TODAY);
    let desk = Desk::open(&server);
    std::os::unix::fs::symlink(
        root.path().join("site.yaml"),
        root.path().join("content/notices/link.md"),
    )
    .unwrap();
    let before = snapshot(root.path());
    for file in [
        "../site.yaml",
        "notices/../../site.yaml",
        "notices/../../../etc/passwd.md",
        "/etc/passwd",
        "notices/%2e%2e/%2e%2e/site.md",
        "notices/readme.txt",
        "notices/link.md",
        "lessons/cai-li-fan-huan.md",
        "notices/.hidden.md",
        "notices\\..\\..\\site.md",
        "C:/site.md",
    ] {
        let payload = json!({"kind": "notice", "file": file, "base": "x",
                             "fields": {"title": "越界", "village": "dongling"}});
        let (status, answer) = desk.post("save", &payload);
        assert!((400..500).contains(&status), "{file}: {status} {answer}");
    }
    assert!(
        snapshot(root.path()) == before,
        "a refused path was written"
    );
}

#[test]
fn a_stale_edit_is_refused_and_the_newer_file_kept() {
    let root = common::sample_copy();
    let server = Server::start_on(root.path(), TODAY);
    let desk = Desk::open(&server);
    let base = desk.base(QUDAO);
    // Someone else saves the file after the form was opened.
    let path = root.path().join("content").join(QUDAO);
    let theirs = format!(
        "{}\n另一位编辑加的一段。\n",
        std::fs::read_to_string(&path).unwrap()
    );
    std::fs::write(&path, &theirs).unwrap();
    let payload = json!({"kind": "notice", "file": QUDAO, "base": base,
                         "fields": {"steps.resolution.present": "31"}});
    let (status, answer) = desk.post("save", &payload);
    assert_eq!(status, 409, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("改过了"),
        "{answer}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    // Reloaded, the form saves over the newer file.
    let payload = json!({"kind": "notice", "file": QUDAO, "base": desk.base(QUDAO),
                         "fields": {"steps.resolution.present": "31"}});
    let (status, answer) = desk.post("save", &payload);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs.replace("    present: 30\n", "    present: 31\n")
    );
}

/// A notice as an editor's own text editor leaves it: BOM, CRLF, comments, a flow mapping,
/// and a body with trailing spaces, tabs and a line without an end.
const EDITED: &str = "\u{feff}---\r\ntitle: 东岭村水窖维修决议公开   # 标题\r\nvillage: dongling\r\ndate: 2026-03-22\r\nmatter: 水窖维修方案\r\nkind: 公益事业  # 类别\r\ninitiated_by: 村干部提议\r\nsteps:\r\n  proposal: {date: 2026-03-02, body: 东岭村党支部委员会}   # 第一议\r\n  deliberation: {date: 2026-03-05, expected: 7, present: 7, for: 7}\r\n  party_review: {date: 2026-03-10, expected: 31, present: 26, for: 24}\r\n  resolution:\r\n    meeting: 村民代表会议\r\n    date: 2026-03-20\r\n    expected: 35   # 应到\r\n    present: 30\r\n    for: 15        # 赞成\r\n# 公示以后再填\r\nsignature: {body: 东岭村村民委员会, date: 2026-03-22}\r\n---\r\n\r\n正文  \r\n\r\n\t缩进的一行\r\n<b>HTML</b> & “引号”\r\n最后一行没有换行";

#[test]
fn an_edited_notice_keeps_its_body_byte_for_byte_and_every_line_the_form_did_not_change() {
    let root = common::sample_copy();
    let key = "notices/dongling-shuijiao.md";
    let path = root.path().join("content").join(key);
    std::fs::write(&path, EDITED).unwrap();
    let server = Server::start_on(root.path(), TODAY);
    let desk = Desk::open(&server);
    let page = desk.get(&format!("/_qili/desk/edit?file={key}"));
    let mut fields = serde_json::Map::new();
    // The whole form as the page shows it, with one count corrected.
    for name in [
        "title",
        "matter",
        "steps.resolution.expected",
        "steps.deliberation.for",
    ] {
        let input = format!("name=\"{name}\" value=\"");
        let at = page.find(&input).unwrap_or_else(|| panic!("{name}"));
        let rest = &page[at + input.len()..];
        fields.insert(name.into(), rest[..rest.find('"').unwrap()].into());
    }
    fields.insert("steps.resolution.for".into(), "16".into());
    fields.insert("draft".into(), "false".into());
    fields.insert("body".into(), textarea(&page).into());
    let payload = json!({"kind": "notice", "file": key, "base": attribute(&page, "data-base"),
                         "fields": fields});
    let (status, answer) = desk.post("check", &payload);
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = desk.post("save", &payload);
    assert_eq!(status, 200, "{answer}");
    let saved = std::fs::read(&path).unwrap();
    let expected = EDITED.replace("    for: 15        # 赞成", "    for: 16        # 赞成");
    assert_eq!(String::from_utf8(saved.clone()).unwrap(), expected);
    let body_at = |text: &[u8]| text.windows(5).position(|w| w == b"\n---\r").unwrap();
    assert_eq!(
        &saved[body_at(&saved)..],
        &EDITED.as_bytes()[body_at(EDITED.as_bytes())..]
    );
}

#[test]
fn a_request_over_one_megabyte_is_refused() {
    let root = common::sample_copy();
    let server = Server::start_on(root.path(), TODAY);
    let desk = Desk::open(&server);
    let before = snapshot(root.path());
    let big = "字".repeat(400_000);
    let payload =
        json!({"kind": "notice", "fields": {"title": "很长", "village": "dongling", "body": big}});
    let (status, _) = desk.post("save", &payload);
    assert_eq!(status, 413);
    assert!(snapshot(root.path()) == before);
}

#[test]
fn the_live_check_finds_a_missing_vote_and_says_how_many_more_next_to_the_field() {
    let root = common::sample_copy();
    let server = Server::start_on(root.path(), TODAY);
    let desk = Desk::open(&server);
    let check = |votes: &str| {
        let payload = json!({"kind": "notice", "file": QUDAO, "preview": "a3",
                             "fields": {"steps.resolution.for": votes}});
        let (status, answer) = desk.post("check", &payload);
        assert_eq!(status, 200, "{answer}");
        answer
    };
    let short = check("15");
    let findings = short["findings"].as_array().unwrap();
    let e302 = findings.iter().find(|f| f["code"] == "E302").expect("E302");
    assert_eq!(e302["field"], "steps.resolution.for");
    assert_eq!(e302["plain"], "还差 1 人：到会人员 30 人的过半数是 16 人");
    assert_eq!(e302["law"], "《村民委员会组织法》第三十条");
    assert!(
        short["preview"].as_str().unwrap().contains("A3"),
        "the A3 poster"
    );
    let fixed = check("16");
    assert!(fixed["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["code"] != "E302"));
    // Checking writes nothing.
    let text = std::fs::read_to_string(root.path().join("content").join(QUDAO)).unwrap();
    assert!(text.contains("    for: 28\n"));
}

/// The first line serve printed that contains `what`, waiting for it a while.
fn printed_line(server: &Server, what: &str) -> String {
    common::eventually(common::HANG, &format!("serve to print {what}"), || {
        let printed = server.printed.lock().unwrap().clone();
        printed.iter().find(|l| l.contains(what)).cloned()
    })
}

#[test]
fn listening_beyond_this_computer_the_desk_is_read_only_unless_edit_is_given() {
    let root = common::sample_copy();
    let before = snapshot(root.path());
    let server = Server::start_with(root.path(), TODAY, &["--bind", "0.0.0.0"]);
    let host = format!("127.0.0.1:{}", server.port);
    let (_, page) = server.request("GET", "/_qili/desk/", &[("Host", &host)], b"");
    assert_eq!(meta_token(&page), "", "a read-only desk hands out no token");
    assert!(page.contains("只读"));
    let printed = printed_line(&server, "编辑台");
    assert!(
        printed.contains("只读") && !printed.contains("token="),
        "{printed}"
    );
    drop(server);
    assert!(snapshot(root.path()) == before);

    let server = Server::start_with(root.path(), TODAY, &["--bind", "0.0.0.0", "--edit"]);
    let line = printed_line(&server, "token=");
    let token = line.split("token=").nth(1).unwrap().trim().to_string();
    let desk = Desk {
        server: &server,
        host: format!("127.0.0.1:{}", server.port),
        token,
    };
    let payload = json!({"kind": "notice", "file": QUDAO, "base": desk.base(QUDAO),
                         "fields": {"steps.resolution.present": "31"}});
    let (status, answer) = desk.post("save", &payload);
    assert_eq!(status, 200, "{answer}");
}
