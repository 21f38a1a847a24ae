//! The share link under arbitrary bytes, for the `share_link` fuzz target (fuzz/) and the test
//! that replays its corpus on stable Rust (tests/fuzz_corpus.rs).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use pgtls_audit::link::without_private_keys;
use pgtls_audit::InputKind;

use crate::document::default_name;
use crate::share::{decode, Outgoing, Prepared, SharedState, LINK_LIMIT};

/// Reads the bytes three ways, checking what holds whatever a link says:
/// - as a fragment (lossy UTF-8): every skipped value is named, by its key or as `z (reason)`;
/// - as the compressed data of a `z=` value: read, or skipped with a reason;
/// - as inputs to share (split at NUL into texts, the first byte choosing kinds and names):
///   the link the page would write reads back as the same inputs, private keys left out, and
///   none of them holds a key any more.
pub fn share_link(data: &[u8]) {
    check_rejections(&decode(&String::from_utf8_lossy(data)));
    check_rejections(&decode(&format!("z={}&embed=1", URL_SAFE_NO_PAD.encode(data))));
    round_trip(data);
}

fn check_rejections(state: &SharedState) {
    for rejected in &state.rejected {
        let known = rejected.strip_prefix("z (").is_some_and(|reason| reason.ends_with(')') && reason.len() > 1)
            || !rejected.is_empty() && !rejected.contains(['&', '=']);
        assert!(known, "an unnamed rejection: {rejected:?}");
    }
    assert_eq!(state.rejection_notice().is_some(), !state.rejected.is_empty());
}

const KINDS: [InputKind; 7] = [
    InputKind::PostgresqlConf,
    InputKind::PgHba,
    InputKind::Conninfo,
    InputKind::Pem,
    InputKind::ErrorMessage,
    InputKind::Platform,
    InputKind::Unknown,
];

fn round_trip(data: &[u8]) {
    let (choice, rest) = data.split_first().map_or((0, &[][..]), |(c, r)| (*c, r));
    let text = String::from_utf8_lossy(rest);
    let names = ["", "server.crt", "odd ~&%=: name.conf", "ünï.conf"];
    let inputs: Vec<(String, InputKind, &str)> = text
        .split('\0')
        .take(6)
        .enumerate()
        .map(|(i, text)| {
            let kind = KINDS[(usize::from(choice) + i) % KINDS.len()];
            let name = match names[(usize::from(choice >> 3) + i) % names.len()] {
                "" => default_name(kind).to_string(),
                name => name.to_string(),
            };
            (name, kind, text)
        })
        .collect();
    let host = if choice & 0x80 != 0 { "db.example.com" } else { "" };
    let prepared = Prepared::new(inputs.iter().map(|(name, kind, text)| Outgoing { name, kind: *kind, text: Some(text) }), host, None);
    let Some(link) = prepared.encode_within(LINK_LIMIT) else {
        assert!(prepared.len() > LINK_LIMIT, "a link of {} bytes was refused", prepared.len());
        return;
    };
    assert!(link.len() <= LINK_LIMIT && link.len() <= prepared.len());
    let read = decode(&link);
    assert!(read.rejected.is_empty(), "the page cannot read its own link: {:?}", read.rejected);
    let expected: Vec<(String, InputKind, String)> = inputs
        .iter()
        .filter_map(|(name, kind, text)| {
            let (kept, keys) = without_private_keys(*kind, text);
            (keys == 0 || !kept.trim().is_empty()).then(|| (name.clone(), *kind, kept))
        })
        .collect();
    let got: Vec<(String, InputKind, String)> =
        read.inputs.iter().map(|i| (i.name.clone(), i.kind, String::from_utf8_lossy(&i.bytes).into_owned())).collect();
    assert_eq!(got, expected);
    for (name, kind, text) in &got {
        assert_eq!(without_private_keys(*kind, text).1, 0, "{name} still holds a private key");
    }
    assert_eq!(read.host.as_deref(), (!host.is_empty()).then_some(host));
}
