//! W004: a site on a real domain has no ICP 备案号 in site.yaml's footer. A site served in
//! mainland China must be filed, and the filing number shown at the foot of its home page,
//! linked to the MIIT registry (the footer does both once `footer.icp` is filled in). About the
//! site, not a document: `qili check` and `qili deploy` ask for it, not every rebuild.

use crate::config::{SiteConfig, FILE_NAME};
use crate::diagnostics::Diagnostic;

pub fn check(config: &SiteConfig) -> Option<Diagnostic> {
    if !config.footer.icp.trim().is_empty() || is_placeholder(&config.base_url) {
        return None;
    }
    let line = config
        .source
        .lines()
        .position(|l| l.starts_with("base_url:"))
        .map_or(0, |i| i + 1);
    Some(
        Diagnostic::warning(
            "W004",
            FILE_NAME,
            format!(
                "网站用的是真实域名（{}），但 site.yaml 的 footer 里没有 ICP 备案号",
                config.base_url
            ),
        )
        .at(line, 0)
        .hint(
            "域名备案通过后，在 site.yaml 里写上 footer: {icp: 陇ICP备XXXXXXXX号}，每页页脚会显示它并链接到 \
             beian.miit.gov.cn；还没有备案的，先别把这个域名对外发布",
        ),
    )
}

/// `base_url` is not a real domain yet: example.*, localhost, an IP address, or a name
/// reserved for tests (RFC 2606, RFC 6761).
fn is_placeholder(base_url: &str) -> bool {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.starts_with('[') {
        return true;
    }
    let host = host
        .rsplit_once(':')
        .map_or(host, |(h, _)| h)
        .to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let tld = labels.last().copied().unwrap_or("");
    host.is_empty()
        || labels.contains(&"example")
        || labels.contains(&"localhost")
        || matches!(tld, "test" | "invalid" | "local" | "localhost")
        || host.parse::<std::net::Ipv4Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_and_local_addresses_are_not_real_domains() {
        for url in [
            "https://qili.example.cn/",
            "https://example.com/x/",
            "http://localhost:1111/",
            "http://127.0.0.1/",
            "http://[::1]:8080/",
            "https://qili.test/",
        ] {
            assert!(is_placeholder(url), "{url}");
        }
        for url in [
            "https://qilizhen.gov.cn/",
            "https://www.dunhuang.gov.cn/qili/",
        ] {
            assert!(!is_placeholder(url), "{url}");
        }
    }

    #[test]
    fn a_real_domain_without_icp_is_warned_at_base_url() {
        let yaml = |url: &str, footer: &str| {
            format!(
                "title: t\nbase_url: {url}\ntown: {{name: 七里镇}}\naudiences: [{{id: q, name: 群众}}]\nvillages: []\n{footer}"
            )
        };
        let found = |text: String| check(&SiteConfig::parse(&text).unwrap());
        let w = found(yaml("https://qilizhen.gov.cn/", "")).unwrap();
        assert_eq!((w.code, w.line), ("W004", 2));
        let filed = yaml(
            "https://qilizhen.gov.cn/",
            "footer: {icp: 陇ICP备12345678号}\n",
        );
        assert!(found(filed).is_none());
        assert!(found(yaml("https://qili.example.cn/", "")).is_none());
    }
}
