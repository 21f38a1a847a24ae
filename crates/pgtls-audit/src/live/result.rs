//! The record of one live check, as the probe writes it and the engine reads it back.
//!
//! The probe (native, tokio) fills it in; the engine judges it. It travels as pretty JSON in an
//! input of kind `live`, so that findings can point at the line that shows them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One live check of one server. Every field has a default so that a result written by an older
/// probe, or trimmed by hand, still reads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveResult {
    pub target: Target,
    /// The server's answer to SSLRequest.
    pub ssl_request: SslRequestOutcome,
    /// What the answer said, when it was not a plain `S` or `N` (an ErrorResponse's text, the
    /// byte that came instead).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ssl_request_detail: Option<String>,
    /// Bytes that arrived after `S` and before the client's ClientHello (CVE-2021-23222: a
    /// man-in-the-middle can inject them into the later TLS stream's buffer).
    pub bytes_after_ssl_response: usize,
    /// The session negotiated after SSLRequest, when the handshake succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsSession>,
    /// The presented chain, leaf first, as PEM.
    pub certificates: Vec<String>,
    /// Direct TLS (PostgreSQL 17+, `sslnegotiation=direct`).
    pub direct_tls: DirectTlsOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direct_tls_detail: Option<String>,
    /// Which protocol versions the server accepted, each tried on its own connection.
    pub protocols: Protocols,
    /// The TLS 1.2 suites the server accepted when offered alone, by IANA name.
    pub tls12_ciphers: Vec<String>,
    /// The answer to a StartupMessage sent without SSL.
    pub plaintext: PlaintextOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plaintext_detail: Option<String>,
    /// Steps that could not be completed, each with the precise reason.
    pub failures: Vec<StepFailure>,
    /// Wall time of each step, in milliseconds.
    pub timings_ms: BTreeMap<String, u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Target {
    /// The host as given (a name or an address literal).
    pub host: String,
    pub port: u16,
    /// The server name sent in SNI; none for address literals, as libpq does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
    /// Every address the host resolved to.
    pub addresses: Vec<String>,
    /// The address the steps were run against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The user and database named in the plaintext probe's StartupMessage.
    pub user: String,
    pub database: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SslRequestOutcome {
    /// `S`: the server is ready for a TLS handshake.
    Accepted,
    /// `N`: the server will not do SSL.
    Refused,
    /// An ErrorResponse (PgBouncer, a server that cannot fork, ...).
    ErrorResponse,
    /// Anything else, or the connection closed without an answer.
    Other,
    /// The step could not run (no connection); see `failures`.
    #[default]
    NotTried,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TlsSession {
    /// `TLSv1.2` or `TLSv1.3`, as PostgreSQL's `pg_stat_ssl.version` writes them.
    pub version: String,
    /// The IANA name of the suite.
    pub cipher: String,
    /// The key-exchange group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The ALPN protocol the server selected (`postgresql` for PostgreSQL 17+).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpn: Option<String>,
    /// The server sent a CertificateRequest (`ssl_ca_file` is set).
    pub client_cert_requested: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DirectTlsOutcome {
    /// The handshake succeeded with ALPN `postgresql`.
    Supported,
    /// The server closed the connection or answered in the PostgreSQL protocol: before 17, a
    /// ClientHello reads as a startup packet of invalid length.
    Unsupported,
    /// The server answered in TLS but the handshake failed, or the step timed out.
    Error,
    #[default]
    NotTried,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlaintextOutcome {
    /// An ErrorResponse 28000 naming "no encryption": pg_hba.conf has no plaintext path.
    Rejected,
    /// An authentication request: a plaintext path exists for the probed user and database.
    Accepted,
    #[default]
    Unknown,
}

/// Protocol versions, named as in `ssl_min_protocol_version`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Protocols {
    #[serde(rename = "TLSv1")]
    pub tls1_0: bool,
    #[serde(rename = "TLSv1.1")]
    pub tls1_1: bool,
    #[serde(rename = "TLSv1.2")]
    pub tls1_2: bool,
    #[serde(rename = "TLSv1.3")]
    pub tls1_3: bool,
}

impl Protocols {
    /// (name, accepted), oldest first.
    pub fn iter(&self) -> [(&'static str, bool); 4] {
        [("TLSv1", self.tls1_0), ("TLSv1.1", self.tls1_1), ("TLSv1.2", self.tls1_2), ("TLSv1.3", self.tls1_3)]
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepFailure {
    /// `resolve`, `connect`, `ssl-request`, `handshake`, `direct-tls`, `protocols`, `ciphers`,
    /// `plaintext`.
    pub step: String,
    pub reason: String,
}

/// Why a TLS 1.2 suite is weak, by its IANA name: no forward secrecy, CBC with SHA-1, 3DES, RC4,
/// NULL encryption, anonymous or export suites. None for a sound suite.
pub fn weak_tls12_suite_reason(name: &str) -> Option<&'static str> {
    let n = name.to_ascii_uppercase();
    if n.contains("NULL") {
        Some("no encryption (NULL)")
    } else if n.contains("_ANON_") {
        Some("no server authentication (anonymous)")
    } else if n.contains("EXPORT") {
        Some("export-grade")
    } else if n.contains("RC4") {
        Some("RC4")
    } else if n.contains("3DES") || n.contains("_DES_") {
        Some("3DES/DES")
    } else if n.starts_with("TLS_RSA_") || n.starts_with("TLS_PSK_") || n.starts_with("TLS_DH_") || n.starts_with("TLS_ECDH_") {
        Some("no forward secrecy (static key exchange)")
    } else if n.contains("_CBC_") && n.ends_with("_SHA") {
        Some("CBC with SHA-1")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_round_trips_with_the_documented_names() {
        let mut r = LiveResult::default();
        r.ssl_request = SslRequestOutcome::ErrorResponse;
        r.protocols.tls1_3 = true;
        r.plaintext = PlaintextOutcome::Rejected;
        let json = serde_json::to_string_pretty(&r).unwrap();
        assert!(json.contains(r#""ssl_request": "error-response""#), "{json}");
        assert!(json.contains(r#""TLSv1.3": true"#));
        assert!(json.contains(r#""plaintext": "rejected""#));
        assert!(json.contains(r#""direct_tls": "not-tried""#));
        assert_eq!(serde_json::from_str::<LiveResult>(&json).unwrap(), r);
        assert_eq!(serde_json::from_str::<LiveResult>("{}").unwrap(), LiveResult::default());
    }

    #[test]
    fn weak_suites_are_named_and_strong_ones_pass() {
        for weak in [
            "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
            "TLS_ECDHE_RSA_WITH_NULL_SHA",
            "TLS_DH_anon_WITH_AES_128_GCM_SHA256",
        ] {
            assert!(weak_tls12_suite_reason(weak).is_some(), "{weak}");
        }
        for strong in [
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        ] {
            assert_eq!(weak_tls12_suite_reason(strong), None, "{strong}");
        }
    }
}
