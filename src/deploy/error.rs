//! What the storage service answered, read in one place into the reason a deploy stopped
//! ([`DeployError`], with its code and hint, in `crate::error`).

pub use crate::error::deploy::{Action, DeployError};

/// What the service said when a request failed: the status, the S3 error code and message from
/// the XML body, and the service's clock from its `Date` header.
#[derive(Debug, Clone, Default)]
pub struct Failure {
    pub status: u16,
    pub body: String,
    /// Seconds the service's clock is ahead of ours (negative: behind), when it said its time.
    pub skew: Option<i64>,
}

/// More than this between the clocks and S3 refuses a signature (AWS: 15 minutes).
const MAX_SKEW_SECONDS: i64 = 15 * 60;

impl Failure {
    /// The `<Code>` and `<Message>` of an S3 error body.
    fn code_and_message(&self) -> (String, String) {
        let Ok(doc) = roxmltree::Document::parse(&self.body) else {
            return (String::new(), String::new());
        };
        let text = |name: &str| {
            doc.descendants()
                .find(|n| n.has_tag_name(name))
                .and_then(|n| n.text())
                .unwrap_or("")
                .trim()
                .to_string()
        };
        (text("Code"), text("Message"))
    }

    pub fn classify(&self, action: Action, key: &str) -> DeployError {
        let (code, message) = self.code_and_message();
        let skewed = self.skew.filter(|s| s.abs() > MAX_SKEW_SECONDS);
        if code == "RequestTimeTooSkewed" || (self.status == 403 && skewed.is_some()) {
            let detail = match skewed.or(self.skew) {
                Some(s) if s > 0 => format!("慢了约 {} 分钟", s / 60),
                Some(s) => format!("快了约 {} 分钟", -s / 60),
                None => code,
            };
            return DeployError::ClockSkew { detail };
        }
        match (self.status, code.as_str()) {
            (_, "InvalidAccessKeyId" | "SignatureDoesNotMatch" | "InvalidSecurity")
            | (_, "InvalidToken" | "ExpiredToken") => DeployError::WrongKey { code },
            (_, "NoSuchBucket") => DeployError::NoBucket { code },
            (404, "") if action == Action::List => DeployError::NoBucket { code: "404".into() },
            (403, _) => DeployError::Denied {
                action,
                code: if code.is_empty() { "403".into() } else { code },
                key: key.to_string(),
            },
            (status, _) => DeployError::Server {
                status,
                code,
                message,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(status: u16, code: &str, skew: Option<i64>) -> Failure {
        Failure {
            status,
            body: format!(
                "<?xml version=\"1.0\"?><Error><Code>{code}</Code><Message>m</Message></Error>"
            ),
            skew,
        }
    }

    #[test]
    fn each_case_has_its_code() {
        let code = |f: Failure, a| f.classify(a, "k").code();
        assert_eq!(
            code(failure(403, "SignatureDoesNotMatch", Some(2)), Action::List),
            "E602"
        );
        assert_eq!(
            code(failure(403, "InvalidAccessKeyId", None), Action::List),
            "E602"
        );
        assert_eq!(
            code(failure(404, "NoSuchBucket", None), Action::List),
            "E603"
        );
        assert_eq!(
            code(failure(403, "RequestTimeTooSkewed", None), Action::List),
            "E605"
        );
        assert_eq!(
            code(failure(403, "AccessDenied", None), Action::Delete),
            "E606"
        );
        assert_eq!(
            code(failure(500, "InternalError", None), Action::Upload),
            "E608"
        );
    }

    #[test]
    fn a_refusal_from_a_service_whose_clock_differs_is_the_clock() {
        // A presigned request from a computer 20 minutes behind: OSS and AWS answer
        // AccessDenied ("Request has expired"), not RequestTimeTooSkewed.
        let e = failure(403, "AccessDenied", Some(20 * 60)).classify(Action::List, "");
        assert!(
            matches!(&e, DeployError::ClockSkew { detail } if detail.contains("慢了约 20 分钟")),
            "{e:?}"
        );
        // Within the allowed 15 minutes, a refusal is a refusal.
        let e = failure(403, "AccessDenied", Some(15 * 60)).classify(Action::Delete, "a");
        assert!(matches!(
            e,
            DeployError::Denied {
                action: Action::Delete,
                ..
            }
        ));
    }
}
