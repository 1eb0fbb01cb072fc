//! The bucket, over HTTP: rusty-s3 signs each request (presigned SigV4, so nothing here knows
//! how), ureq sends it. Only keys under the prefix are ever named.

use super::error::{Action, DeployError, Failure};
use crate::config::Deploy;
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
use std::collections::BTreeMap;
use std::time::Duration;

/// How long a signature is good for: a slow upload of one file finishes well within it.
const SIGNED_FOR: Duration = Duration::from_secs(3600);
/// Tries of one request on a timeout, a dropped connection or a 5xx.
const TRIES: u32 = 4;

pub struct Remote {
    bucket: Bucket,
    credentials: Credentials,
    agent: ureq::Agent,
    /// `""` or `dir/`: what every key starts with.
    prefix: String,
}

/// The keys of qili's environment variables, then the usual AWS ones.
pub const KEY_VARS: [(&str, &str); 2] = [
    ("QILI_ACCESS_KEY_ID", "QILI_SECRET_ACCESS_KEY"),
    ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
];

/// The keys from the environment: qili's own names first, then AWS's.
pub fn credentials_from_env(
    var: impl Fn(&str) -> Option<String>,
) -> Result<Credentials, DeployError> {
    for (id, secret) in KEY_VARS {
        if let (Some(id), Some(secret)) = (var(id), var(secret)) {
            let (id, secret) = (id.trim().to_string(), secret.trim().to_string());
            if id.is_empty() || secret.is_empty() {
                continue;
            }
            return Ok(match var("AWS_SESSION_TOKEN").filter(|t| !t.is_empty()) {
                Some(token) => Credentials::new_with_token(id, secret, token),
                None => Credentials::new(id, secret),
            });
        }
    }
    Err(DeployError::Settings {
        message: "没有找到存储桶的密钥：环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY 没有设置".into(),
        hint: "在运行 qili deploy 的窗口里先设置这两个环境变量（或 QILI_ACCESS_KEY_ID、QILI_SECRET_ACCESS_KEY），\
               值是云平台访问控制里给这个存储桶建的 AccessKey；不要写进 site.yaml"
            .into(),
        line: 0,
    })
}

/// `prefix` as keys start with it: no leading `/`, one trailing `/`, or empty.
pub fn normalize_prefix(prefix: &str) -> Result<String, String> {
    let p = prefix.trim().trim_matches('/');
    if p.is_empty() {
        return Ok(String::new());
    }
    let bad = p
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
        || p.contains('\\');
    if bad {
        return Err(format!("prefix「{prefix}」不是一个目录名"));
    }
    Ok(format!("{p}/"))
}

/// What came back from one request that the service answered with success.
struct Answer {
    body: String,
}

impl Remote {
    pub fn new(
        config: &Deploy,
        credentials: Credentials,
        line: usize,
    ) -> Result<Remote, DeployError> {
        let settings = |message: String, hint: &str| DeployError::Settings {
            message,
            hint: hint.to_string(),
            line,
        };
        let endpoint = config.endpoint.trim().parse::<url::Url>().map_err(|e| {
            settings(
                format!("deploy 的 endpoint「{}」不是网址：{e}", config.endpoint),
                "写成 https://oss-cn-lanzhou.aliyuncs.com 这样的完整网址（云平台的地域访问地址，S3 兼容的那个）",
            )
        })?;
        if !matches!(endpoint.scheme(), "http" | "https") {
            return Err(settings(
                format!(
                    "deploy 的 endpoint「{}」要以 https:// 开头",
                    config.endpoint
                ),
                "写成 https://oss-cn-lanzhou.aliyuncs.com 这样的完整网址",
            ));
        }
        let prefix = normalize_prefix(&config.prefix)
            .map_err(|m| settings(m, "写成 qili/ 这样的目录名，或者不写（整个存储桶）"))?;
        let region = match config.region.trim() {
            "" => "us-east-1",
            r => r,
        };
        let style = if config.path_style {
            UrlStyle::Path
        } else {
            UrlStyle::VirtualHost
        };
        let bucket = Bucket::new(
            endpoint,
            style,
            config.bucket.trim().to_string(),
            region.to_string(),
        )
        .map_err(|e| {
            settings(
                format!("存储桶名称「{}」用不了：{e}", config.bucket),
                "存储桶名称只用小写字母、数字和连字符",
            )
        })?;
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .new_agent();
        Ok(Remote {
            bucket,
            credentials,
            agent,
            prefix,
        })
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// `s3://桶/前缀`, for messages.
    pub fn target(&self) -> String {
        format!("s3://{}/{}", self.bucket.name(), self.prefix)
    }

    /// Every object under the prefix: site-relative path → size.
    pub fn list(&self) -> Result<BTreeMap<String, u64>, DeployError> {
        let mut out = BTreeMap::new();
        let mut token: Option<String> = None;
        loop {
            // Sorted by name, as signing requires.
            let mut query = vec![];
            if let Some(t) = &token {
                query.push(("continuation-token", t.as_str()));
            }
            query.push(("list-type", "2"));
            if !self.prefix.is_empty() {
                query.push(("prefix", self.prefix.as_str()));
            }
            let url = rusty_s3::signing::sign(
                &jiff::Timestamp::now(),
                rusty_s3::Method::Get,
                self.bucket.base_url().clone(),
                self.credentials.key(),
                self.credentials.secret(),
                self.credentials.token(),
                self.bucket.region(),
                SIGNED_FOR.as_secs(),
                query.iter().copied(),
                std::iter::empty(),
            );
            let answer = self.send(Action::List, "", || self.agent.get(url.as_str()).call())?;
            let page = parse_listing(&answer.body).map_err(|e| DeployError::Server {
                status: 200,
                code: "ListObjectsV2".into(),
                message: format!("列表读不懂：{e}"),
            })?;
            for (key, size) in page.objects {
                if let Some(rel) = key.strip_prefix(&self.prefix) {
                    out.insert(rel.to_string(), size);
                }
            }
            match page.next {
                Some(next) if page.truncated => token = Some(next),
                _ => return Ok(out),
            }
        }
    }

    /// The object at `rel`, or `None` when there is none.
    pub fn get(&self, rel: &str) -> Result<Option<String>, DeployError> {
        let key = self.key(rel);
        let url = self
            .bucket
            .get_object(Some(&self.credentials), &key)
            .sign(SIGNED_FOR);
        match self.send(Action::Read, &key, || self.agent.get(url.as_str()).call()) {
            Ok(a) => Ok(Some(a.body)),
            Err(DeployError::Server { status: 404, .. }) => Ok(None),
            Err(DeployError::Server { code, .. }) if code == "NoSuchKey" => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn put(
        &self,
        rel: &str,
        bytes: &[u8],
        content_type: &str,
        cache_control: &str,
    ) -> Result<(), DeployError> {
        let key = self.key(rel);
        let mut action = self.bucket.put_object(Some(&self.credentials), &key);
        // Signed, so they must be sent exactly as here.
        action.headers_mut().insert("cache-control", cache_control);
        action.headers_mut().insert("content-type", content_type);
        let url = action.sign(SIGNED_FOR);
        self.send(Action::Upload, &key, || {
            self.agent
                .put(url.as_str())
                .header("cache-control", cache_control)
                .header("content-type", content_type)
                .send(bytes)
        })
        .map(drop)
    }

    pub fn delete(&self, rel: &str) -> Result<(), DeployError> {
        let key = self.key(rel);
        let url = self
            .bucket
            .delete_object(Some(&self.credentials), &key)
            .sign(SIGNED_FOR);
        self.send(Action::Delete, &key, || {
            self.agent.delete(url.as_str()).call()
        })
        .map(drop)
    }

    fn key(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }

    /// Sends a request, again after a pause when the network or the service failed in a way
    /// that may pass (timeouts, dropped connections, 5xx, 429 SlowDown).
    fn send(
        &self,
        action: Action,
        key: &str,
        request: impl Fn() -> Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<Answer, DeployError> {
        let mut pause = Duration::from_millis(250);
        let mut tries = 0;
        loop {
            tries += 1;
            let last = tries >= TRIES;
            match request() {
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    let date = response
                        .headers()
                        .get("date")
                        .and_then(|d| d.to_str().ok())
                        .and_then(|d| chrono::DateTime::parse_from_rfc2822(d).ok());
                    let body = response.body_mut().read_to_string().unwrap_or_default();
                    if (200..300).contains(&status) {
                        return Ok(Answer { body });
                    }
                    if (status >= 500 || status == 429) && !last {
                        std::thread::sleep(pause);
                        pause *= 2;
                        continue;
                    }
                    let skew = date.map(|d| d.timestamp() - chrono::Utc::now().timestamp());
                    return Err(Failure { status, body, skew }.classify(action, key));
                }
                Err(e) if !last && transient(&e) => {
                    std::thread::sleep(pause);
                    pause *= 2;
                }
                Err(e) => {
                    return Err(DeployError::Network {
                        detail: network_detail(&e),
                    })
                }
            }
        }
    }
}

fn transient(e: &ureq::Error) -> bool {
    matches!(
        e,
        ureq::Error::Timeout(_)
            | ureq::Error::Io(_)
            | ureq::Error::ConnectionFailed
            | ureq::Error::HostNotFound
    )
}

fn network_detail(e: &ureq::Error) -> String {
    match e {
        ureq::Error::HostNotFound => "找不到这个地址（域名解析失败）".into(),
        ureq::Error::ConnectionFailed => "连接被拒绝或连不上".into(),
        ureq::Error::Timeout(_) => "等了太久没有回应".into(),
        ureq::Error::Tls(m) => format!("加密连接（TLS）失败：{m}"),
        other => other.to_string(),
    }
}

struct Listing {
    objects: Vec<(String, u64)>,
    truncated: bool,
    next: Option<String>,
}

/// One page of a ListObjectsV2 answer. Read by hand rather than with rusty-s3's parser: some
/// servers (s3s among them) leave out `ETag`, which that parser requires.
fn parse_listing(xml: &str) -> Result<Listing, roxmltree::Error> {
    let doc = roxmltree::Document::parse(xml)?;
    let child = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    let root = doc.root_element();
    let objects = root
        .children()
        .filter(|n| n.has_tag_name("Contents"))
        .filter_map(|n| {
            let key = child(n, "Key")?;
            let size = child(n, "Size")
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(0);
            Some((key, size))
        })
        .collect();
    Ok(Listing {
        objects,
        truncated: child(root, "IsTruncated").is_some_and(|t| t.trim() == "true"),
        next: child(root, "NextContinuationToken"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_folders() {
        assert_eq!(normalize_prefix("").unwrap(), "");
        assert_eq!(normalize_prefix("/qili").unwrap(), "qili/");
        assert_eq!(normalize_prefix("a/b/").unwrap(), "a/b/");
        assert!(normalize_prefix("a/../b").is_err());
        assert!(normalize_prefix("a//b").is_err());
    }

    #[test]
    fn listing_without_etags_is_read() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>
<Contents><Key>site/index.html</Key><Size>12</Size></Contents>
<Contents><Key>site/a b.html</Key><Size>3</Size></Contents>
<IsTruncated>true</IsTruncated><NextContinuationToken>t1</NextContinuationToken></ListBucketResult>"#;
        let l = parse_listing(xml).unwrap();
        assert_eq!(
            l.objects,
            vec![("site/index.html".into(), 12), ("site/a b.html".into(), 3)]
        );
        assert!(l.truncated);
        assert_eq!(l.next.as_deref(), Some("t1"));
    }

    #[test]
    fn keys_come_from_qili_names_first() {
        let env = |k: &str| match k {
            "QILI_ACCESS_KEY_ID" => Some("q".to_string()),
            "QILI_SECRET_ACCESS_KEY" => Some("qs".to_string()),
            "AWS_ACCESS_KEY_ID" => Some("a".to_string()),
            "AWS_SECRET_ACCESS_KEY" => Some("as".to_string()),
            _ => None,
        };
        assert_eq!(credentials_from_env(env).unwrap().key(), "q");
        let none = |_: &str| None;
        assert!(matches!(
            credentials_from_env(none),
            Err(DeployError::Settings { .. })
        ));
    }
}
