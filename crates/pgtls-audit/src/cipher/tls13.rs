//! TLS 1.3 cipher suites and the `ssl_tls13_ciphers` list (`SSL_CTX_set_ciphersuites`).

use super::table::{suite_by_name, Suite};
use crate::source::Span;

/// One TLS 1.3 suite. TLS 1.3 suites name only the AEAD and the hash: key exchange and
/// authentication are negotiated separately (groups and signature algorithms).
#[derive(Debug, PartialEq, Eq)]
pub struct Tls13Suite {
    pub name: &'static str,
    pub id: u16,
    /// `Enc=` of `openssl ciphers -v`.
    pub enc: &'static str,
    pub bits: u16,
}

impl Tls13Suite {
    /// One line of `openssl ciphers -v`.
    pub fn description(&self) -> String {
        format!(
            "{:<30} {:<7} Kx={:<8} Au={:<5} Enc={:<22} Mac={:<4}",
            self.name, "TLSv1.3", "any", "any", self.enc, "AEAD"
        )
    }
}

/// The TLS 1.3 suites OpenSSL 3.0 implements.
pub static TLS13_SUITES: [Tls13Suite; 5] = [
    Tls13Suite { name: "TLS_AES_128_GCM_SHA256", id: 0x1301, enc: "AESGCM(128)", bits: 128 },
    Tls13Suite { name: "TLS_AES_256_GCM_SHA384", id: 0x1302, enc: "AESGCM(256)", bits: 256 },
    Tls13Suite { name: "TLS_CHACHA20_POLY1305_SHA256", id: 0x1303, enc: "CHACHA20/POLY1305(256)", bits: 256 },
    Tls13Suite { name: "TLS_AES_128_CCM_SHA256", id: 0x1304, enc: "AESCCM(128)", bits: 128 },
    Tls13Suite { name: "TLS_AES_128_CCM_8_SHA256", id: 0x1305, enc: "AESCCM8(128)", bits: 128 },
];

/// OpenSSL's default TLS 1.3 list (`TLS_DEFAULT_CIPHERSUITES`), used when
/// `ssl_tls13_ciphers` is empty or on PostgreSQL 17 and older.
pub const DEFAULT_TLS13_CIPHERSUITES: &str =
    "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256";

pub fn tls13_suite_by_name(name: &str) -> Option<&'static Tls13Suite> {
    TLS13_SUITES.iter().find(|s| s.name == name)
}

/// One entry of a `ssl_tls13_ciphers` list as OpenSSL reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tls13Entry {
    Tls13(&'static Tls13Suite),
    /// A TLS 1.2 suite's IANA name: OpenSSL accepts it into the list, but it can never be
    /// negotiated in TLS 1.3.
    Tls12(&'static Suite),
}

impl Tls13Entry {
    pub fn name(&self) -> &'static str {
        match self {
            Tls13Entry::Tls13(s) => s.name,
            Tls13Entry::Tls12(s) => s.iana,
        }
    }

    pub fn description(&self) -> String {
        match self {
            Tls13Entry::Tls13(s) => s.description(),
            Tls13Entry::Tls12(s) => s.description(),
        }
    }
}

/// A parsed `ssl_tls13_ciphers` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tls13List {
    /// Every accepted entry in order (duplicates kept, as OpenSSL keeps them).
    pub entries: Vec<Tls13Entry>,
    /// Names OpenSSL does not know and silently skips, with their byte spans.
    pub unknown: Vec<(String, Span)>,
    /// False when OpenSSL rejects the value (`SSL_R_NO_CIPHER_MATCH`): nothing was recognised.
    pub accepted: bool,
}

impl Tls13List {
    /// The TLS 1.3 suites a server with this list can negotiate.
    pub fn tls13_suites(&self) -> impl Iterator<Item = &'static Tls13Suite> + '_ {
        self.entries.iter().filter_map(|e| match e {
            Tls13Entry::Tls13(s) => Some(*s),
            Tls13Entry::Tls12(_) => None,
        })
    }
}

/// Reads a TLS 1.3 suite list as `SSL_CTX_set_ciphersuites` does: `:`-separated, blanks
/// around names trimmed, empty elements and unknown names skipped, names case-sensitive and
/// looked up by their IANA name. An empty value means "OpenSSL's default".
pub fn parse_tls13(value: &str) -> Tls13List {
    if value.is_empty() {
        return parse_tls13(DEFAULT_TLS13_CIPHERSUITES);
    }
    let mut entries = Vec::new();
    let mut unknown = Vec::new();
    let mut offset = 0;
    for element in value.split(':') {
        let trimmed = element.trim_matches(|c: char| c.is_ascii_whitespace());
        let start = offset + (element.len() - element.trim_start_matches(|c: char| c.is_ascii_whitespace()).len());
        offset += element.len() + 1;
        if trimmed.is_empty() {
            continue;
        }
        if let Some(s) = tls13_suite_by_name(trimmed) {
            entries.push(Tls13Entry::Tls13(s));
        } else if let Some(s) = suite_by_name(trimmed).filter(|s| s.iana == trimmed) {
            entries.push(Tls13Entry::Tls12(s));
        } else {
            unknown.push((trimmed.to_string(), Span::new(start, start + trimmed.len())));
        }
    }
    let accepted = !entries.is_empty();
    Tls13List { entries, unknown, accepted }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_openssl() {
        let l = parse_tls13(" TLS_AES_128_GCM_SHA256 ::bogus:TLS_AES_128_GCM_SHA256");
        assert!(l.accepted);
        assert_eq!(l.entries.len(), 2);
        assert_eq!(l.unknown, vec![("bogus".to_string(), Span::new(26, 31))]);
        assert!(!parse_tls13("tls_aes_128_gcm_sha256").accepted);
        assert!(!parse_tls13(":").accepted);
        assert!(!parse_tls13("TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384").accepted);
        let l = parse_tls13("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assert!(l.accepted);
        assert_eq!(l.tls13_suites().count(), 0);
        assert_eq!(parse_tls13("").tls13_suites().count(), 3);
    }
}
