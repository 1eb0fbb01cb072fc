//! The gate every request passes before any route: the `Host` it names, so a page of another
//! site cannot read the preview through DNS rebinding, and the length of its body, judged on
//! what the request declares before anything reads (or drains) it.

use super::reply::HttpError;
use std::net::IpAddr;

/// The largest request body read at all (the desk's saves are far smaller).
pub const MAX_BODY: usize = 1024 * 1024;

/// Which `Host` names this server: `localhost`, `127.0.0.1`, `[::1]`, the address it is bound
/// to, or with `--bind 0.0.0.0` this computer's LAN address; always with its port. A name that
/// merely resolves here (the DNS rebinding trick) is none of them.
#[derive(Debug, Clone)]
pub struct Gate {
    port: u16,
    /// Besides the loopback ones.
    address: Option<IpAddr>,
}

impl Gate {
    /// For a server on `port` bound to `bind`; `lan` is this computer's LAN address, used when
    /// `bind` is every address.
    pub fn new(bind: IpAddr, port: u16, lan: Option<IpAddr>) -> Gate {
        let address = if bind.is_unspecified() {
            lan
        } else {
            Some(bind)
        };
        Gate { port, address }
    }

    pub fn host_ok(&self, host: &str) -> bool {
        let (name, port) = match host.strip_prefix('[') {
            Some(rest) => match rest.split_once("]:") {
                Some((ip, port)) => (ip, port),
                None => return false,
            },
            None => match host.rsplit_once(':') {
                Some(parts) => parts,
                None => return false,
            },
        };
        if port.parse::<u16>().ok() != Some(self.port) || port.starts_with(['+', '0']) {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let Ok(ip) = name.parse::<IpAddr>() else {
            return false;
        };
        // An IPv6 address only in brackets, an IPv4 one without.
        if ip.is_ipv6() != host.starts_with('[') {
            return false;
        }
        ip == IpAddr::from([127, 0, 0, 1])
            || ip == IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1])
            || Some(ip) == self.address
    }

    /// The one `Host` of a request, if it is this server's.
    pub fn admit(&self, headers: &[(String, String)]) -> Result<(), HttpError> {
        let mut hosts = headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("Host"));
        match (hosts.next(), hosts.next()) {
            (Some((_, host)), None) if self.host_ok(host) => Ok(()),
            (Some(_), None) => Err(HttpError::new(
                403,
                "这个预览只回答发给本机地址的请求（Host 不对）。请用终端里显示的地址打开。",
            )),
            (None, _) => Err(HttpError::new(400, "请求里没有 Host")),
            (Some(_), Some(_)) => Err(HttpError::new(400, "请求里有不止一个 Host")),
        }
    }
}

/// The body length a request declares, refused when it is not one clear number or more than
/// `max`. Chunked bodies are refused: no page of qili sends one.
pub fn declared_body(headers: &[(String, String)], max: usize) -> Result<usize, HttpError> {
    if headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("Transfer-Encoding"))
    {
        return Err(HttpError::new(
            501,
            "不支持分块传输（Transfer-Encoding）的请求",
        ));
    }
    let mut length: Option<u64> = None;
    for (_, v) in headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
    {
        let v = v.trim();
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(HttpError::new(400, "Content-Length 不是一个数"));
        }
        // Only digits: more of them than a u64 holds is still "too large".
        let n = v.parse::<u64>().unwrap_or(u64::MAX);
        if length.is_some_and(|l| l != n) {
            return Err(HttpError::new(400, "请求里有两个不同的 Content-Length"));
        }
        length = Some(n);
    }
    let length = length.unwrap_or(0);
    if length > max as u64 {
        return Err(HttpError::new(
            413,
            format!("内容太长：一次最多 {} KB", max / 1024),
        ));
    }
    Ok(length as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn loopback_names_and_the_bound_address_with_the_port_are_good_hosts() {
        let local = Gate::new("127.0.0.1".parse().unwrap(), 1111, None);
        for good in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "[::1]:1111",
        ] {
            assert!(local.host_ok(good), "{good}");
        }
        for bad in [
            "evil.example:1111",
            "127.0.0.1:2222",
            "127.0.0.1:01111",
            "127.0.0.1",
            "localhost",
            "127.0.0.1.nip.io:1111",
            "[::1]",
            "::1:1111",
            "[127.0.0.1]:1111",
            "192.168.1.5:1111",
            "127.0.0.2:1111",
            "0.0.0.0:1111",
            "",
        ] {
            assert!(!local.host_ok(bad), "{bad}");
        }
        let lan = Gate::new(
            "0.0.0.0".parse().unwrap(),
            1111,
            Some("192.168.1.5".parse().unwrap()),
        );
        assert!(lan.host_ok("192.168.1.5:1111") && lan.host_ok("localhost:1111"));
        assert!(!lan.host_ok("192.168.1.6:1111") && !lan.host_ok("0.0.0.0:1111"));
        let bound = Gate::new("10.0.0.7".parse().unwrap(), 80, None);
        assert!(bound.host_ok("10.0.0.7:80") && !bound.host_ok("10.0.0.8:80"));
    }

    #[test]
    fn exactly_one_good_host() {
        let g = Gate::new("127.0.0.1".parse().unwrap(), 1, None);
        assert!(g.admit(&h(&[("Host", "localhost:1")])).is_ok());
        assert_eq!(g.admit(&h(&[])).unwrap_err().status, 400);
        let two = h(&[("Host", "localhost:1"), ("host", "localhost:1")]);
        assert_eq!(g.admit(&two).unwrap_err().status, 400);
        assert_eq!(g.admit(&h(&[("Host", "x:1")])).unwrap_err().status, 403);
    }

    #[test]
    fn bodies_are_judged_on_what_they_declare() {
        let ok = |v: &str| declared_body(&h(&[("Content-Length", v)]), 100);
        assert_eq!(ok("0"), Ok(0));
        assert_eq!(ok("100"), Ok(100));
        assert_eq!(declared_body(&h(&[]), 100), Ok(0));
        for (v, status) in [
            ("101", 413),
            ("4611686018427387904", 413),
            ("18446744073709551615", 413),
            ("18446744073709551616", 413),
            ("99999999999999999999999999", 413),
            ("-1", 400),
            ("1e3", 400),
            ("", 400),
            ("+5", 400),
            ("0x10", 400),
        ] {
            assert_eq!(ok(v).unwrap_err().status, status, "{v}");
        }
        let two = h(&[("Content-Length", "5"), ("Content-Length", "6")]);
        assert_eq!(declared_body(&two, 100).unwrap_err().status, 400);
        let same = h(&[("Content-Length", "5"), ("content-length", "5")]);
        assert_eq!(declared_body(&same, 100), Ok(5));
        let chunked = h(&[("Transfer-Encoding", "chunked")]);
        assert_eq!(declared_body(&chunked, 100).unwrap_err().status, 501);
    }
}
