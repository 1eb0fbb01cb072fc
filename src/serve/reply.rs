//! What the preview's handlers see of a request and give back: plain data, so the pages
//! (files, desk, 公众号 export) never touch the HTTP server, and the transport in
//! [`super::http`] is the one place that reads requests and writes answers.

/// A request as a handler sees it, after the gate: the path without query, the query, the
/// headers, whether it came from this computer, and the body (read only for routes that take
/// one, and bounded).
#[derive(Debug, Default)]
pub struct Req {
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    /// The client is on this computer (a loopback address).
    pub local: bool,
    pub body: Vec<u8>,
}

impl Req {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub kind: &'static str,
    pub body: Vec<u8>,
    /// Where a redirect leads.
    pub location: Option<String>,
}

impl Reply {
    pub fn html(page: String) -> Reply {
        Reply::with(200, "text/html; charset=utf-8", page.into_bytes())
    }

    pub fn json(value: &serde_json::Value) -> Reply {
        Reply::with(
            200,
            "application/json; charset=utf-8",
            value.to_string().into_bytes(),
        )
    }

    pub fn with(status: u16, kind: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            kind,
            body,
            location: None,
        }
    }

    pub fn redirect(to: String) -> Reply {
        Reply {
            location: Some(to),
            ..Reply::with(301, "text/plain; charset=utf-8", Vec::new())
        }
    }
}

/// A request refused or failed: the status and a message for the person at the browser
/// (简体中文). How it is shown, as text or as the desk's JSON, is the route's choice.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {message}")]
pub struct HttpError {
    pub status: u16,
    pub message: String,
    /// The file as it is now and its hash, when a save came too late (409): the desk offers
    /// it.
    pub newer: Option<(String, String)>,
}

impl HttpError {
    pub fn new(status: u16, message: impl Into<String>) -> HttpError {
        HttpError {
            status,
            message: message.into(),
            newer: None,
        }
    }

    pub fn not_found() -> HttpError {
        HttpError::new(404, "找不到这个页面")
    }

    /// The site has not been built yet.
    pub fn not_ready() -> HttpError {
        HttpError::new(503, "网站还没有生成成功，改好错误后再试。")
    }

    /// As plain text.
    pub fn text_reply(&self) -> Reply {
        Reply::with(
            self.status,
            "text/plain; charset=utf-8",
            self.message.clone().into_bytes(),
        )
    }

    /// As the desk's JSON: `{"error": …}`, with `current` (the newer text) and its `base` when
    /// a save came too late.
    pub fn json_reply(&self) -> Reply {
        let mut value = serde_json::json!({ "error": self.message });
        if let Some((text, base)) = &self.newer {
            value["current"] = text.clone().into();
            value["base"] = base.clone().into();
        }
        Reply {
            status: self.status,
            ..Reply::json(&value)
        }
    }
}
