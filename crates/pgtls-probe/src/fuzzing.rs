//! The entry point of the `probe_reply` fuzz target (fuzz/) and of the test that replays its
//! corpus on stable Rust: arbitrary bytes taken as what a server sends back to each of the
//! probe's messages, read by the same pure functions the probe uses on its sockets, recorded in
//! a [`LiveResult`] as a check would, and audited by the engine. Panics (so that the fuzzer
//! records a crash) when a reader panics or an invariant breaks.

use pgtls_audit::live::{LiveResult, Protocols, Target};
use pgtls_audit::{InputKind, Inputs, SourceFile};

use crate::hello::{self, HelloAnswer};
use crate::wire::{self, ServerError, SslAnswer};
use crate::Negotiation;

/// Reads `data` as the answer to SSLRequest, to a plaintext StartupMessage and to a
/// ClientHello, and audits the result. Invariants:
///
/// - reading the SSLRequest answer in two pieces gives the answer read at once, and an
///   incomplete ErrorResponse never asks for more than the message limit;
/// - every reader's description of the bytes is non-empty;
/// - the engine keeps its invariants on the live result (`pgtls_audit::fuzzing`).
pub fn server_bytes(data: &[u8]) {
    let whole = wire::ssl_answer(data, true);
    let mut received = Vec::new();
    let mut answer = wire::ssl_answer(&received, false);
    for piece in data.chunks(data.len().div_ceil(2).max(1)) {
        received.extend_from_slice(piece);
        answer = wire::ssl_answer(&received, false);
        if !matches!(answer, SslAnswer::Incomplete { .. }) {
            break;
        }
    }
    match answer {
        SslAnswer::Incomplete { need } => {
            assert!(need >= 1 && received.len() + need <= wire::MAX_MESSAGE_LEN, "asks for {need} more bytes after {}", received.len());
            assert_eq!(wire::ssl_answer(&received, true), whole, "a truncated answer read differently");
        }
        SslAnswer::Accepted { .. } => assert!(matches!(whole, SslAnswer::Accepted { .. })),
        other => assert_eq!(other, whole, "the answer read in pieces differs from the answer read at once"),
    }
    let error = ServerError::parse(data);
    assert!(!error.to_string().is_empty());

    let mut result = LiveResult {
        target: Target { host: "db.example.com".into(), port: 5432, ..Target::default() },
        ..LiveResult::default()
    };
    crate::note_refused_negotiation(&mut result, Negotiation::from_answer(whole));

    if let Some(header) = data.first_chunk::<5>() {
        let body = &data[5..];
        let body = &body[..wire::message_body_len(header).min(body.len())];
        let (outcome, detail) = crate::plaintext_answer(header[0], body);
        assert!(!detail.is_empty(), "a plaintext answer without a description");
        result.plaintext = outcome;
        result.plaintext_detail = Some(detail);

        if let Some(len) = hello::record_body_len(header) {
            let body = &data[5..];
            let answer = hello::parse_answer(header[0], &body[..len.min(body.len())]);
            match &answer {
                HelloAnswer::ServerHello { version, suite } => {
                    result.protocols = Protocols { tls1_2: *version == hello::TLS1_2, ..Protocols::default() };
                    result.tls12_ciphers.push(hello::suite_name(*suite));
                    assert!(!hello::version_name(*version).is_empty());
                }
                HelloAnswer::Alert { description, .. } => assert!(!hello::alert_name(*description).is_empty()),
                HelloAnswer::Malformed(why) => assert!(!why.is_empty()),
                HelloAnswer::NotTls(b) => assert!(!matches!(b, 0x15 | 0x16), "a TLS record taken for non-TLS bytes"),
            }
        }
    }

    let mut inputs = Inputs::new();
    let json = serde_json::to_string_pretty(&result).expect("a live result serialises");
    inputs.push(SourceFile::from_text(crate::input_name(&result), InputKind::Live, json));
    pgtls_audit::fuzzing::check_invariants_at(&inputs, &[18]);
}
