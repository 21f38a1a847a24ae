//! OpenSSL cipher strings: the cipher table, the string algebra, the security level, the
//! TLS 1.3 suites and the key-exchange groups, evaluated as OpenSSL 3.0 evaluates them.
//!
//! [`evaluate`] is the entry point for the rules, the page and the CLI: it turns a cipher
//! string (`ssl_ciphers`, pgbouncer's `client_tls_ciphers`) into the ordered list of suites
//! OpenSSL enables, each with its attributes, whether the security level lets it be
//! negotiated, and why it is weak.

pub mod algebra;
pub mod groups;
pub mod rules;
pub mod table;
pub mod tls13;

use serde::{Deserialize, Serialize};

pub use algebra::{expand, Expansion, Operator, StringError, Word, WordStatus};
pub use groups::{check_ecdh_curve, parse_groups, CurveError, GroupError};
pub use table::{suite_by_name, Protocol, Suite, SUITES};
pub use tls13::{parse_tls13, Tls13Entry, Tls13List, Tls13Suite, TLS13_SUITES};

use table::{au, enc, kx, mac};

/// PostgreSQL's compiled-in `ssl_ciphers` (`DEFAULT_SSL_CIPHERS` in `libpq/libpq.h`), the same
/// in every version 12–19.
pub const POSTGRES_DEFAULT_CIPHERS: &str = "HIGH:MEDIUM:+3DES:!aNULL";

/// Mozilla's "intermediate" TLS 1.2 suites (server-side TLS guidelines, version 5.7): forward
/// secret AEAD suites only.
pub const MOZILLA_INTERMEDIATE: &str = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";

/// OpenSSL's compiled-in security level (`OPENSSL_TLS_SECURITY_LEVEL`). Distributions may
/// raise it in openssl.cnf (Debian and Ubuntu use 2); for the suites of OpenSSL 3.0 levels 1
/// and 2 admit the same suites.
pub const DEFAULT_SECLEVEL: u8 = 1;

/// pgbouncer's cipher keywords (libusual's `tls_config_set_ciphers`, case-insensitive) and
/// the OpenSSL strings they stand for.
pub static PGBOUNCER_KEYWORDS: &[(&str, &str)] = &[
    ("default", "HIGH+EECDH:HIGH+EDH:!SSLv3:!SHA384:!SHA256:!DSS:!aNULL"),
    ("secure", "HIGH+EECDH:HIGH+EDH:!SSLv3:!SHA384:!SHA256:!DSS:!aNULL"),
    ("compat", "HIGH:+3DES:!aNULL"),
    ("legacy", "HIGH:+3DES:!aNULL"),
    ("insecure", "ALL:!aNULL:!eNULL"),
    ("all", "ALL:!aNULL:!eNULL"),
    (
        "normal",
        "HIGH+EECDH:HIGH+EDH:HIGH+RSA:+SHA384:+SHA256:+SSLv3:+EDH:+RSA:-3DES:3DES+RSA:!CAMELLIA:!DSS:!aNULL",
    ),
    (
        "fast",
        "HIGH+EECDH:HIGH+EDH:HIGH+RSA:+AES256:+SHA256:+SHA384:+SSLv3:+EDH:+RSA:-3DES:3DES+RSA:!CAMELLIA:!DSS:!aNULL",
    ),
];

/// The OpenSSL string behind a pgbouncer cipher keyword, if `value` is one.
pub fn pgbouncer_keyword(value: &str) -> Option<&'static str> {
    let v = value.trim();
    PGBOUNCER_KEYWORDS.iter().find(|(k, _)| k.eq_ignore_ascii_case(v)).map(|(_, s)| *s)
}

/// Why a suite is weak.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Weakness {
    /// Static RSA (or PSK) key exchange: whoever gets the server key later can decrypt
    /// recorded sessions.
    NoForwardSecrecy,
    /// CBC with an HMAC-SHA1 record MAC: MAC-then-encrypt, the Lucky13/POODLE family.
    CbcSha1,
    /// 3DES: a 64-bit block, open to Sweet32.
    TripleDes,
    /// RC4: biased key stream, banned by RFC 7465.
    Rc4,
    /// No encryption at all.
    NullEncryption,
    /// No server authentication: any man in the middle can pose as the server.
    Anonymous,
    /// HMAC-MD5 record MAC.
    Md5,
    /// Fewer than 128 bits of symmetric key (DES, EXPORT grades).
    LowBits,
}

impl Weakness {
    pub fn describe(self) -> &'static str {
        match self {
            Weakness::NoForwardSecrecy => "no forward secrecy (static RSA key exchange)",
            Weakness::CbcSha1 => "CBC with SHA-1",
            Weakness::TripleDes => "3DES (64-bit block, Sweet32)",
            Weakness::Rc4 => "RC4",
            Weakness::NullEncryption => "NULL encryption",
            Weakness::Anonymous => "anonymous (no server authentication)",
            Weakness::Md5 => "MD5 MAC",
            Weakness::LowBits => "fewer than 128 key bits",
        }
    }

    /// The cipher-string term that removes every suite with this weakness.
    pub fn kill_term(self) -> &'static str {
        match self {
            Weakness::NoForwardSecrecy => "!kRSA",
            Weakness::CbcSha1 => "!SHA1",
            Weakness::TripleDes => "!3DES",
            Weakness::Rc4 => "!RC4",
            Weakness::NullEncryption => "!eNULL",
            Weakness::Anonymous => "!aNULL",
            Weakness::Md5 => "!MD5",
            Weakness::LowBits => "!LOW",
        }
    }
}

/// Every weakness of a suite, strongest reason first.
pub fn weaknesses(s: &Suite) -> Vec<Weakness> {
    let mut w = Vec::new();
    if s.enc == enc::NULL {
        w.push(Weakness::NullEncryption);
    }
    if s.au == au::NULL {
        w.push(Weakness::Anonymous);
    }
    if s.enc == enc::RC4 {
        w.push(Weakness::Rc4);
    }
    if s.enc == enc::TDES {
        w.push(Weakness::TripleDes);
    }
    if s.bits > 0 && s.bits < 128 && s.enc != enc::TDES {
        w.push(Weakness::LowBits);
    }
    if s.mac == mac::MD5 {
        w.push(Weakness::Md5);
    }
    if s.kx & (kx::RSA | kx::PSK | kx::RSAPSK) != 0 {
        w.push(Weakness::NoForwardSecrecy);
    }
    if s.is_cbc() && s.mac == mac::SHA1 {
        w.push(Weakness::CbcSha1);
    }
    w
}

/// Why a listed suite can never be negotiated by a PostgreSQL server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Blocked {
    /// A PSK or SRP suite: PostgreSQL installs no PSK or SRP callback.
    NeedsPskOrSrp,
    /// The OpenSSL security level refuses it.
    SecurityLevel { level: u8 },
}

/// Whether OpenSSL's default security callback lets a suite be negotiated at `level`
/// (`ssl_security_default_callback`, `SSL_SECOP_CIPHER_SUPPORTED`), together with the PSK
/// and SRP suites OpenSSL disables without a callback (`ssl_set_client_disabled`): exactly
/// what `openssl ciphers -s -tls1_2` keeps.
pub fn blocked(s: &Suite, level: u8) -> Option<Blocked> {
    if s.needs_psk_or_srp() {
        return Some(Blocked::NeedsPskOrSrp);
    }
    let minbits: u16 = match level {
        0 => return None,
        1 => 80,
        2 => 112,
        3 => 128,
        4 => 192,
        _ => 256,
    };
    let refused = s.bits < minbits
        || s.au == au::NULL
        || s.mac == mac::MD5
        || (minbits > 160 && s.mac == mac::SHA1)
        || (level >= 2 && s.enc == enc::RC4)
        || (level >= 3 && !s.is_forward_secret());
    refused.then_some(Blocked::SecurityLevel { level })
}

/// One suite of an evaluated list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnabledSuite {
    #[serde(skip)]
    pub suite: &'static Suite,
    pub name: &'static str,
    pub iana: &'static str,
    pub protocol: Protocol,
    pub kx: &'static str,
    pub au: &'static str,
    pub enc: String,
    pub mac: &'static str,
    pub bits: u16,
    pub weaknesses: Vec<Weakness>,
    /// Why it can never be negotiated, if so.
    pub blocked: Option<Blocked>,
}

/// A cipher string evaluated by OpenSSL's rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CipherList {
    pub string: String,
    /// The security level in force: the string's last `@SECLEVEL=n`, else the one given.
    pub seclevel: u8,
    /// The enabled suites in OpenSSL's order (what `openssl ciphers -v` lists); empty when
    /// OpenSSL rejects the string.
    pub suites: Vec<EnabledSuite>,
    pub words: Vec<Word>,
    /// Why OpenSSL rejects the string; PostgreSQL then refuses to start.
    pub error: Option<StringError>,
}

impl CipherList {
    /// Whether `SSL_CTX_set_cipher_list` accepts the string.
    pub fn accepted(&self) -> bool {
        self.error.is_none()
    }

    /// The suites the security level lets a PostgreSQL server negotiate (`openssl ciphers
    /// -s -tls1_2`).
    pub fn negotiable(&self) -> impl Iterator<Item = &EnabledSuite> {
        self.suites.iter().filter(|s| s.blocked.is_none())
    }

    /// Negotiable suites with at least one weakness.
    pub fn weak(&self) -> impl Iterator<Item = &EnabledSuite> {
        self.negotiable().filter(|s| !s.weaknesses.is_empty())
    }

    /// Words OpenSSL does not know, or conjunctions that can match nothing.
    pub fn ignored_words(&self) -> impl Iterator<Item = &Word> {
        self.words.iter().filter(|w| w.status != WordStatus::Known)
    }

    /// The list as `openssl ciphers -v` prints it.
    pub fn openssl_v(&self) -> String {
        self.suites.iter().map(|s| s.suite.description() + "\n").collect()
    }

    /// A string that keeps what this one enables, in its order, less every weak suite: the
    /// original with one `!` term per kind of weakness present (also those only the security
    /// level keeps out). None when nothing is weak; Mozilla's intermediate list when the
    /// result would enable nothing.
    pub fn without_weak_suites(&self) -> Option<String> {
        let mut kinds: Vec<Weakness> = self
            .suites
            .iter()
            .filter(|s| s.blocked != Some(Blocked::NeedsPskOrSrp))
            .flat_map(|s| s.weaknesses.iter().copied())
            .collect();
        crate::sorting::sort(&mut kinds);
        kinds.dedup();
        if kinds.is_empty() {
            return None;
        }
        let base = self.string.trim_end_matches([':', ' ', ',', ';']);
        let mut fixed = base.to_string();
        for k in kinds {
            let term = k.kill_term();
            if !self.words.iter().any(|w| w.operator == Operator::Kill && format!("!{}", w.text) == term) {
                if !fixed.is_empty() {
                    fixed.push(':');
                }
                fixed.push_str(term);
            }
        }
        let check = evaluate(&fixed, self.seclevel);
        if check.accepted() && check.negotiable().next().is_some() && check.weak().next().is_none() {
            Some(fixed)
        } else {
            Some(MOZILLA_INTERMEDIATE.to_string())
        }
    }
}

/// Evaluates a cipher string for a server whose OpenSSL security level is `seclevel` (an
/// `@SECLEVEL=n` in the string overrides it, as in OpenSSL).
pub fn evaluate(cipher_string: &str, seclevel: u8) -> CipherList {
    let e = expand(cipher_string);
    let level = e.seclevel.unwrap_or(seclevel).min(5);
    let suites = e
        .suites
        .iter()
        .map(|&s| EnabledSuite {
            suite: s,
            name: s.name,
            iana: s.iana,
            protocol: s.min_tls,
            kx: s.kx_name(),
            au: s.au_name(),
            enc: s.enc_name(),
            mac: s.mac_name(),
            bits: s.bits,
            weaknesses: weaknesses(s),
            blocked: blocked(s, level),
        })
        .collect();
    CipherList { string: cipher_string.to_string(), seclevel: level, suites, words: e.words, error: e.error }
}

/// Evaluates pgbouncer's `client_tls_ciphers`/`server_tls_ciphers`: a keyword or an OpenSSL
/// string.
pub fn evaluate_pgbouncer(value: &str, seclevel: u8) -> CipherList {
    match pgbouncer_keyword(value) {
        Some(s) => evaluate(s, seclevel),
        None => evaluate(value, seclevel),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_default_has_weak_suites() {
        let l = evaluate(POSTGRES_DEFAULT_CIPHERS, DEFAULT_SECLEVEL);
        assert_eq!(l.suites.len(), 125);
        let weak: Vec<&str> = l.weak().map(|s| s.name).collect();
        assert!(weak.contains(&"AES128-SHA"));
        assert!(weak.contains(&"ECDHE-RSA-AES128-SHA"));
        assert!(!weak.contains(&"ECDHE-RSA-AES128-GCM-SHA256"));
        let fixed = l.without_weak_suites().unwrap();
        assert_eq!(fixed, "HIGH:MEDIUM:+3DES:!aNULL:!kRSA:!SHA1");
        assert!(evaluate(&fixed, 1).weak().next().is_none());
    }

    #[test]
    fn security_levels_match_openssl_counts() {
        // `openssl ciphers -s -tls1_2 -ciphersuites '' 'ALL:COMPLEMENTOFALL:@SECLEVEL=n' | wc -l`
        for (level, count) in [(0, 89), (1, 71), (2, 71), (3, 55), (4, 23), (5, 23)] {
            let l = evaluate(&format!("ALL:COMPLEMENTOFALL:@SECLEVEL={level}"), 1);
            assert_eq!(l.negotiable().count(), count, "level {level}");
        }
    }

    #[test]
    fn pgbouncer_keywords_are_case_insensitive() {
        assert_eq!(pgbouncer_keyword("Fast"), pgbouncer_keyword("fast"));
        assert!(pgbouncer_keyword("HIGH").is_none());
        // "secure" keeps TLS 1.0-era ECDHE CBC-SHA1 suites: `!SSLv3` does not reach them.
        let secure = evaluate_pgbouncer("secure", 1);
        assert_eq!(secure.suites.len(), 27);
        let weak: Vec<&str> = secure.weak().map(|s| s.name).collect();
        assert_eq!(weak, ["ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA"]);
    }
}
