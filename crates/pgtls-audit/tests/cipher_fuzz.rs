//! The cipher-string readers never panic, whatever they are given.

use pgtls_audit::cipher::{check_ecdh_curve, evaluate, evaluate_pgbouncer, parse_groups, parse_tls13};

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn random_input_never_panics() {
    const ALPHABET: &[u8] = b"ALHIGMEDUNkaeRSDC0123456789+-!@:;, =._()\t\"'\0";
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    for round in 0..20_000 {
        let len = (xorshift(&mut state) % 40) as usize;
        let s: String = if round % 4 == 0 {
            // Arbitrary bytes, decoded as the engine decodes input text.
            let bytes: Vec<u8> = (0..len).map(|_| xorshift(&mut state) as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            (0..len)
                .map(|_| ALPHABET[(xorshift(&mut state) % ALPHABET.len() as u64) as usize] as char)
                .collect()
        };
        let l = evaluate(&s, (round % 7) as u8);
        for w in &l.words {
            assert!(w.span.end <= s.len(), "{s:?}: {w:?}");
        }
        if let Some(err) = &l.error {
            let _ = err.describe(&s);
        }
        let _ = l.without_weak_suites();
        let _ = l.openssl_v();
        let _ = evaluate_pgbouncer(&s, 2);
        let _ = parse_tls13(&s);
        let _ = parse_groups(&s).map_err(|e| e.describe());
        let _ = check_ecdh_curve(&s);
    }
}

#[test]
fn huge_input_is_handled() {
    let s = "HIGH:".repeat(200_000) + "!aNULL";
    let l = evaluate(&s, 2);
    assert!(l.accepted());
    let s = "é".repeat(100_000);
    assert!(!evaluate(&s, 2).accepted());
}
