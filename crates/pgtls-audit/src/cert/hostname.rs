//! libpq's verify-full host-name check, re-implemented line for line from
//! `fe-secure-common.c` and `fe-secure-openssl.c` (`pgtls_verify_peer_name_matches_certificate_guts`)
//! because no crate follows libpq's rules: other verifiers (webpki, rustls) differ on the CN
//! fallback, on IP hosts against DNS SANs and on inet_aton address forms.

use std::net::Ipv6Addr;

use super::x509::{Certificate, San};

/// The outcome of the check: `Ok` or libpq's own error text.
pub type NameCheck = Result<(), String>;

/// `pg_inet_aton` (src/port/inet_aton.c): a, a.b, a.b.c and a.b.c.d forms, each part decimal,
/// octal (leading 0) or hex (0x), trailing white space allowed.
pub fn inet_aton(host: &str) -> Option<[u8; 4]> {
    let s = host.as_bytes();
    let mut i = 0;
    let mut parts: Vec<u32> = Vec::new();
    let mut val: u32;
    loop {
        val = 0;
        let mut base = 10;
        if s.get(i) == Some(&b'0') {
            i += 1;
            if matches!(s.get(i), Some(b'x' | b'X')) {
                base = 16;
                i += 1;
            } else {
                base = 8;
            }
        }
        while let Some(&c) = s.get(i) {
            if c.is_ascii_digit() {
                val = val.wrapping_mul(base).wrapping_add((c - b'0') as u32);
            } else if base == 16 && c.is_ascii_hexdigit() {
                val = (val << 4).wrapping_add((c.to_ascii_lowercase() - b'a' + 10) as u32);
            } else {
                break;
            }
            i += 1;
        }
        if s.get(i) == Some(&b'.') {
            if parts.len() >= 3 || val > 0xff {
                return None;
            }
            parts.push(val);
            i += 1;
        } else {
            break;
        }
    }
    if !s[i..].iter().all(|c| c.is_ascii_whitespace()) {
        return None;
    }
    let addr = match parts.len() {
        0 => val,
        1 if val <= 0xff_ffff => val | parts[0] << 24,
        2 if val <= 0xffff => val | parts[0] << 24 | parts[1] << 16,
        3 if val <= 0xff => val | parts[0] << 24 | parts[1] << 16 | parts[2] << 8,
        _ => return None,
    };
    Some(addr.to_be_bytes())
}

/// `inet_pton(AF_INET6, ...)`.
pub fn inet_pton6(host: &str) -> Option<[u8; 16]> {
    host.parse::<Ipv6Addr>().ok().map(|a| a.octets())
}

/// libpq's `is_ip_address`.
pub fn is_ip_address(host: &str) -> bool {
    inet_aton(host).is_some() || inet_pton6(host).is_some()
}

/// An address as `pg_inet_net_ntop` prints it in libpq's messages.
pub fn ip_to_string(ip: &[u8]) -> String {
    match ip.len() {
        4 => format!("{}.{}.{}.{}", ip[0], ip[1], ip[2], ip[3]),
        16 => {
            let b: [u8; 16] = ip.try_into().unwrap_or([0; 16]);
            Ipv6Addr::from(b).to_string()
        }
        _ => ip.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":"),
    }
}

/// `wildcard_certificate_match`: the pattern must begin with `*.`, and the `*` covers one
/// label (no dot) of at least one character.
pub fn wildcard_match(pattern: &[u8], host: &[u8]) -> bool {
    let lenpat = pattern.len();
    let lenstr = host.len();
    if lenpat < 3 || pattern[0] != b'*' || pattern[1] != b'.' {
        return false;
    }
    if lenpat > lenstr {
        return false;
    }
    if !pattern[1..].eq_ignore_ascii_case(&host[lenstr - lenpat + 1..]) {
        return false;
    }
    match host.iter().position(|&c| c == b'.') {
        Some(first_dot) => first_dot >= lenstr - lenpat,
        None => true,
    }
}

/// `pq_verify_peer_name_matches_certificate_name`: Ok(true) on a match, Err on an embedded NUL.
fn name_matches(name: &[u8], host: &str) -> Result<bool, String> {
    if name.contains(&0) {
        return Err("SSL certificate's name contains embedded null".into());
    }
    Ok(name.eq_ignore_ascii_case(host.as_bytes()) || wildcard_match(name, host.as_bytes()))
}

/// `pq_verify_peer_name_matches_certificate_ip`.
fn ip_matches(ip: &[u8], host: &str) -> Result<bool, String> {
    match ip.len() {
        4 => Ok(inet_aton(host).is_some_and(|a| a == ip)),
        16 => Ok(inet_pton6(host).is_some_and(|a| a == ip)),
        n => Err(format!("certificate contains IP address with invalid length {n}")),
    }
}

/// The libpq verify-full check of `host` against a server certificate, for libpq of major
/// version `pg_version`. Errors are libpq's messages, word for word.
pub fn verify_host(cert: &Certificate, host: &str, pg_version: u32) -> NameCheck {
    if host.is_empty() {
        return Err("host name must be specified for a verified SSL connection".into());
    }
    let host_is_ip = is_ip_address(host);
    let mut names_examined = 0usize;
    let mut first_name: Option<String> = None;
    let mut rc: Result<bool, String> = Ok(false);
    let mut check_cn = true;
    let ip_sans = pg_version >= 15;
    for san in &cert.sans {
        let (result, shown) = match san {
            San::Dns(name) => {
                if !host_is_ip || !ip_sans {
                    check_cn = false;
                }
                names_examined += 1;
                let r = name_matches(name.as_bytes(), host);
                let shown = if r.is_ok() { Some(name.clone()) } else { None };
                (r, shown)
            }
            San::Ip(ip) if ip_sans => {
                if host_is_ip {
                    check_cn = false;
                }
                names_examined += 1;
                let r = ip_matches(ip, host);
                let shown = if r.is_ok() { Some(ip_to_string(ip)) } else { None };
                (r, shown)
            }
            _ => continue,
        };
        if first_name.is_none() {
            first_name = shown;
        }
        rc = result;
        if !matches!(rc, Ok(false)) {
            check_cn = false;
            break;
        }
    }
    if check_cn {
        if let Some(cn) = cert.common_names.first() {
            names_examined += 1;
            rc = name_matches(cn, host);
            if rc.is_ok() && first_name.is_none() {
                first_name = Some(String::from_utf8_lossy(cn).into_owned());
            }
        }
    }
    match rc {
        Ok(true) => Ok(()),
        Err(e) => Err(e),
        Ok(false) => {
            let first = first_name.unwrap_or_default();
            Err(match names_examined {
                0 => "could not get server's host name from server certificate".to_string(),
                1 => format!("server certificate for \"{first}\" does not match host name \"{host}\""),
                n => {
                    let others = n - 1;
                    let noun = if others == 1 { "name" } else { "names" };
                    format!("server certificate for \"{first}\" (and {others} other {noun}) does not match host name \"{host}\"")
                }
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inet_aton_forms() {
        assert_eq!(inet_aton("192.0.2.1"), Some([192, 0, 2, 1]));
        assert_eq!(inet_aton("192.000.002.001"), Some([192, 0, 2, 1]));
        assert_eq!(inet_aton("0xC0.0.2.1"), Some([192, 0, 2, 1]));
        assert_eq!(inet_aton("3221225985"), Some([192, 0, 2, 1]));
        assert_eq!(inet_aton("192.0.513"), Some([192, 0, 2, 1]));
        assert_eq!(inet_aton("127.1"), Some([127, 0, 0, 1]));
        assert_eq!(inet_aton("1.2.3.4 "), Some([1, 2, 3, 4]));
        assert_eq!(inet_aton("256.0.0.1"), None);
        assert_eq!(inet_aton("1.2.3.4.5"), None);
        assert_eq!(inet_aton("example.com"), None);
        assert_eq!(inet_aton("2001:db8::1"), None);
    }

    #[test]
    fn wildcards_cover_one_whole_leftmost_label() {
        assert!(wildcard_match(b"*.example.com", b"a.example.com"));
        assert!(wildcard_match(b"*.example.com", b"A.EXAMPLE.COM"));
        assert!(!wildcard_match(b"*.example.com", b"example.com"));
        assert!(!wildcard_match(b"*.example.com", b".example.com"));
        assert!(!wildcard_match(b"*.example.com", b"a.b.example.com"));
        assert!(!wildcard_match(b"f*.example.com", b"foo.example.com"));
        assert!(!wildcard_match(b"*", b"foo"));
    }
}
