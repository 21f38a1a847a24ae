//! Hand-built ClientHellos and the reading of the first answer: the only way to ask a server
//! about TLS 1.0/1.1 and about TLS 1.2 suites that rustls (rightly) cannot speak. The probe
//! never completes these handshakes; it reads the ServerHello's version and suite, or the alert,
//! and closes (RFC 5246 §7.4.1, RFC 8446 §4.1.2).

use std::hash::{BuildHasher, Hasher};

pub const TLS1_0: u16 = 0x0301;
pub const TLS1_1: u16 = 0x0302;
pub const TLS1_2: u16 = 0x0303;

/// TLS 1.2 suites the probe offers one at a time: every suite an OpenSSL build of PostgreSQL may
/// negotiate with a certificate, good and bad, by IANA code and name.
pub const TLS12_SUITES: &[(u16, &str)] = &[
    (0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
    (0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
    (0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
    (0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"),
    (0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"),
    (0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
    (0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
    (0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
    (0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
    (0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"),
    (0xc007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"),
    (0xc006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA"),
    (0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
    (0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
    (0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
    (0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
    (0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"),
    (0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
    (0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
    (0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
    (0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"),
    (0xc010, "TLS_ECDHE_RSA_WITH_NULL_SHA"),
    (0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
    (0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
    (0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
    (0xc09e, "TLS_DHE_RSA_WITH_AES_128_CCM"),
    (0xc09f, "TLS_DHE_RSA_WITH_AES_256_CCM"),
    (0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"),
    (0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"),
    (0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"),
    (0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"),
    (0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA"),
    (0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA"),
    (0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"),
    (0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256"),
    (0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384"),
    (0xc09c, "TLS_RSA_WITH_AES_128_CCM"),
    (0xc09d, "TLS_RSA_WITH_AES_256_CCM"),
    (0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256"),
    (0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256"),
    (0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"),
    (0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"),
    (0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"),
    (0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA"),
    (0x0096, "TLS_RSA_WITH_SEED_CBC_SHA"),
    (0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
    (0x0005, "TLS_RSA_WITH_RC4_128_SHA"),
    (0x0004, "TLS_RSA_WITH_RC4_128_MD5"),
    (0x003b, "TLS_RSA_WITH_NULL_SHA256"),
    (0x0002, "TLS_RSA_WITH_NULL_SHA"),
    (0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA"),
    (0x00a6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256"),
    (0xc018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"),
];

/// Suites a TLS 1.0/1.1 server can choose (no GCM, CCM, SHA-256 MACs or ChaCha20 before 1.2).
pub fn legacy_suites() -> Vec<u16> {
    TLS12_SUITES
        .iter()
        .filter(|(_, name)| name.ends_with("_SHA") || name.ends_with("_MD5"))
        .map(|(code, _)| *code)
        .collect()
}

pub fn suite_name(code: u16) -> String {
    TLS12_SUITES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| format!("0x{code:04x}"), |(_, n)| n.to_string())
}

/// Builds a ClientHello record offering `version` (as `client_version`; no supported_versions
/// extension, so a TLS 1.3 server negotiates at most 1.2) and exactly `suites`.
pub fn client_hello(version: u16, suites: &[u16], sni: Option<&str>) -> Vec<u8> {
    let mut body = Vec::with_capacity(256);
    body.extend_from_slice(&version.to_be_bytes());
    body.extend_from_slice(&random());
    body.push(0); // no session id
    let mut suite_bytes: Vec<u8> = suites.iter().flat_map(|s| s.to_be_bytes()).collect();
    suite_bytes.extend_from_slice(&[0x00, 0xff]); // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
    push_u16_prefixed(&mut body, &suite_bytes);
    body.extend_from_slice(&[1, 0]); // compression: null only

    let mut ext = Vec::new();
    if let Some(name) = sni {
        let mut list = vec![0u8]; // host_name
        push_u16_prefixed(&mut list, name.as_bytes());
        let mut sn = Vec::new();
        push_u16_prefixed(&mut sn, &list);
        push_extension(&mut ext, 0x0000, &sn);
    }
    // supported_groups: x25519, secp256r1, secp384r1, secp521r1, ffdhe2048, ffdhe3072.
    let groups: Vec<u8> = [0x001d_u16, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101].iter().flat_map(|g| g.to_be_bytes()).collect();
    let mut g = Vec::new();
    push_u16_prefixed(&mut g, &groups);
    push_extension(&mut ext, 0x000a, &g);
    push_extension(&mut ext, 0x000b, &[1, 0]); // ec_point_formats: uncompressed
    if version >= TLS1_2 {
        let algs: Vec<u8> = [0x0403_u16, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201]
            .iter()
            .flat_map(|a| a.to_be_bytes())
            .collect();
        let mut s = Vec::new();
        push_u16_prefixed(&mut s, &algs);
        push_extension(&mut ext, 0x000d, &s);
    }
    push_extension(&mut ext, 0x0017, &[]); // extended_master_secret
    push_u16_prefixed(&mut body, &ext);

    let mut handshake = vec![0x01];
    handshake.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    handshake.extend_from_slice(&body);
    let mut record = vec![0x16, 0x03, 0x01]; // record version 1.0, as clients send for compatibility
    record.extend_from_slice(&(handshake.len() as u16).to_be_bytes());
    record.extend_from_slice(&handshake);
    record
}

fn push_u16_prefixed(out: &mut Vec<u8>, data: &[u8]) {
    out.extend_from_slice(&(data.len() as u16).to_be_bytes());
    out.extend_from_slice(data);
}

fn push_extension(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
    out.extend_from_slice(&kind.to_be_bytes());
    push_u16_prefixed(out, data);
}

/// The hello's random. These handshakes are never completed, so it needs to be unpredictable
/// enough to look like a client's, not cryptographically strong; std's per-process hash keys
/// give that without another dependency.
fn random() -> [u8; 32] {
    let mut out = [0u8; 32];
    let state = std::collections::hash_map::RandomState::new();
    for (i, chunk) in out.chunks_mut(8).enumerate() {
        let mut h = state.build_hasher();
        h.write_usize(i);
        chunk.copy_from_slice(&h.finish().to_be_bytes());
    }
    out
}

/// The first thing a server sent back to a ClientHello.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HelloAnswer {
    /// A ServerHello: the version and suite it chose.
    ServerHello { version: u16, suite: u16 },
    /// A TLS alert (70 protocol_version, 40 handshake_failure, ...).
    Alert { level: u8, description: u8 },
    /// Bytes that are not a TLS handshake or alert record (starting with this byte).
    NotTls(u8),
    /// A handshake record too short or not starting with a ServerHello.
    Malformed(String),
}

/// Record header length; the caller reads it, then `len` more bytes, and calls [`parse_answer`].
pub const RECORD_HEADER_LEN: usize = 5;

pub fn record_body_len(header: &[u8; RECORD_HEADER_LEN]) -> Option<usize> {
    matches!(header[0], 0x15 | 0x16).then(|| u16::from_be_bytes([header[3], header[4]]) as usize)
}

pub fn parse_answer(content_type: u8, body: &[u8]) -> HelloAnswer {
    match content_type {
        0x15 if body.len() >= 2 => HelloAnswer::Alert { level: body[0], description: body[1] },
        0x16 => {
            // handshake: type(1) len(3) version(2) random(32) session_id(1+n) suite(2)
            if body.len() < 39 || body[0] != 0x02 {
                return HelloAnswer::Malformed("the first handshake message is not a ServerHello".into());
            }
            let version = u16::from_be_bytes([body[4], body[5]]);
            let sid_len = body[38] as usize;
            match body.get(39 + sid_len..41 + sid_len) {
                Some(s) => HelloAnswer::ServerHello { version, suite: u16::from_be_bytes([s[0], s[1]]) },
                None => HelloAnswer::Malformed("ServerHello is truncated".into()),
            }
        }
        0x15 => HelloAnswer::Malformed("alert record is truncated".into()),
        other => HelloAnswer::NotTls(other),
    }
}

pub fn alert_name(description: u8) -> &'static str {
    match description {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        40 => "handshake_failure",
        42 => "bad_certificate",
        47 => "illegal_parameter",
        50 => "decode_error",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        112 => "unrecognized_name",
        120 => "no_application_protocol",
        _ => "alert",
    }
}

pub fn version_name(version: u16) -> &'static str {
    match version {
        0x0300 => "SSLv3",
        TLS1_0 => "TLSv1",
        TLS1_1 => "TLSv1.1",
        TLS1_2 => "TLSv1.2",
        0x0304 => "TLSv1.3",
        _ => "unknown",
    }
}

/// A scripted ServerHello record, for tests and fake servers.
pub fn server_hello(version: u16, suite: u16) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&version.to_be_bytes());
    body.extend_from_slice(&[7u8; 32]);
    body.push(0);
    body.extend_from_slice(&suite.to_be_bytes());
    body.push(0);
    let mut hs = vec![0x02];
    hs.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    hs.extend_from_slice(&body);
    let mut rec = vec![0x16, (version >> 8) as u8, version as u8];
    rec.extend_from_slice(&(hs.len() as u16).to_be_bytes());
    rec.extend_from_slice(&hs);
    rec
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_hello_lengths_are_consistent() {
        let rec = client_hello(TLS1_2, &[0xc02f], Some("db.example.com"));
        assert_eq!(rec[0], 0x16);
        let rec_len = u16::from_be_bytes([rec[3], rec[4]]) as usize;
        assert_eq!(rec_len + 5, rec.len());
        assert_eq!(rec[5], 0x01);
        let hs_len = u32::from_be_bytes([0, rec[6], rec[7], rec[8]]) as usize;
        assert_eq!(hs_len + 4, rec_len);
        assert_eq!(&rec[9..11], &[0x03, 0x03]);
        // session id empty, then 2 suites (the offered one and the SCSV)
        assert_eq!(rec[43], 0);
        assert_eq!(&rec[44..50], &[0, 4, 0xc0, 0x2f, 0x00, 0xff]);
        assert!(rec.windows(14).any(|w| w == b"db.example.com"));
    }

    #[test]
    fn server_hello_and_alerts_are_read() {
        let sh = server_hello(TLS1_0, 0x002f);
        let len = record_body_len(sh[..5].try_into().unwrap()).unwrap();
        assert_eq!(parse_answer(sh[0], &sh[5..5 + len]), HelloAnswer::ServerHello { version: TLS1_0, suite: 0x002f });
        assert_eq!(parse_answer(0x15, &[2, 70]), HelloAnswer::Alert { level: 2, description: 70 });
        assert!(matches!(parse_answer(0x16, &[2, 0, 0]), HelloAnswer::Malformed(_)));
        assert_eq!(parse_answer(b'E', &[]), HelloAnswer::NotTls(b'E'));
        assert_eq!(record_body_len(&[b'E', 0, 0, 0, 9]), None);
    }

    #[test]
    fn legacy_suites_exclude_tls12_only_ones() {
        let legacy = legacy_suites();
        assert!(legacy.contains(&0x002f));
        assert!(!legacy.contains(&0xc02f));
        assert!(!legacy.contains(&0x003c));
    }
}
