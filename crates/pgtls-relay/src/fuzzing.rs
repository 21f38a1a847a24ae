//! The entry point of the `relay_request` fuzz target (fuzz/) and of the test that replays its
//! corpus on stable Rust: arbitrary bytes as a request's Content-Type and body, through the
//! same validation the relay runs before it opens any socket, and, for a request it accepts,
//! through what it builds from it: the probe's options, ClientHello and StartupMessage, and the
//! report. Panics (so that the fuzzer records a crash) when an invariant breaks.

use std::net::SocketAddr;
use std::time::Duration;

use pgtls_audit::live::{LiveResult, Target};

use crate::{check_options, parse_request, report_json, MAX_NAME_BYTES};

/// A fixed clock, so that a crash reproduces.
const NOW: i64 = 1_767_225_600;

/// The first byte picks the Content-Type (JSON, JSON with a charset, none, or the bytes up to the
/// first NUL); the rest is the body. Invariants:
///
/// - a refusal has a 4xx status, an error code, a message, and a JSON body with both;
/// - an accepted request has a trimmed host of 1 to 253 bytes with no blank, `/`, `@` or
///   control character, a port other than 0, an SNI of the same kind, user and database names
///   of at most 63 bytes without NUL;
/// - the ClientHello built for it has consistent record and handshake lengths, and the
///   StartupMessage holds exactly its three parameters;
/// - the report for it (a check that found the server refusing SSL) serialises.
pub fn request(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else { return };
    let (content_type, body): (Option<&[u8]>, &[u8]) = match selector & 3 {
        0 => (Some(b"application/json"), rest),
        1 => (Some(b"Application/JSON; charset=utf-8"), rest),
        2 => (None, rest),
        _ => match rest.iter().position(|&b| b == 0) {
            Some(i) => (Some(&rest[..i]), &rest[i + 1..]),
            None => (Some(rest), &[]),
        },
    };
    let req = match parse_request(content_type, body) {
        Ok(req) => req,
        Err(refusal) => {
            assert!(refusal.status.is_client_error(), "refusal with status {}", refusal.status);
            assert!(!refusal.code.is_empty() && !refusal.message.is_empty());
            let json = refusal.body();
            assert_eq!(json["error"], refusal.code);
            serde_json::to_string(&json).expect("a refusal serialises");
            return;
        }
    };
    let bad = |s: &str| s.contains(|c: char| c == '/' || c == '@' || c.is_whitespace() || c.is_control());
    assert!(!req.host.is_empty() && req.host.len() <= 253 && !bad(&req.host), "host {:?} accepted", req.host);
    assert_eq!(req.host, req.host.trim());
    assert_ne!(req.port, 0);
    if let Some(sni) = &req.sni {
        assert!(!sni.is_empty() && sni.len() <= 253 && !bad(sni), "SNI {sni:?} accepted");
    }
    for name in [&req.user, &req.database].into_iter().flatten() {
        assert!(!name.is_empty() && name.len() <= MAX_NAME_BYTES && !name.contains('\0'), "name {name:?} accepted");
    }

    let addr = SocketAddr::from(([127, 0, 0, 1], req.port));
    let opts = check_options(&req, vec![addr], Duration::from_secs(5));
    assert_eq!(opts.addresses.as_deref(), Some(&[addr][..]));
    let hello = pgtls_probe::hello::client_hello(pgtls_probe::hello::TLS1_2, &[0xc02f], req.sni.as_deref().or(Some(&req.host)));
    let record_len = u16::from_be_bytes([hello[3], hello[4]]) as usize;
    assert_eq!(record_len + 5, hello.len(), "ClientHello record length");
    let handshake_len = u32::from_be_bytes([0, hello[6], hello[7], hello[8]]) as usize;
    assert_eq!(handshake_len + 4, record_len, "ClientHello handshake length");
    let startup = pgtls_probe::wire::startup_message(&opts.user, &opts.database);
    assert_eq!(u32::from_be_bytes([startup[0], startup[1], startup[2], startup[3]]) as usize, startup.len());
    assert_eq!(startup[8..].iter().filter(|&&b| b == 0).count(), 7, "StartupMessage holds other parameters");

    let result = LiveResult {
        target: Target { host: req.host.clone(), port: req.port, sni: req.sni.clone(), ..Target::default() },
        ssl_request: pgtls_audit::live::SslRequestOutcome::Refused,
        ..LiveResult::default()
    };
    let report = report_json(&req, &result, NOW).expect("the report serialises");
    assert!(report.get("findings").is_some(), "a report without findings");
}
