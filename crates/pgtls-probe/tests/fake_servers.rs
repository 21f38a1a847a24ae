//! Scripted servers on 127.0.0.1 for what a real PostgreSQL will not do.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use pgtls_audit::live::{DirectTlsOutcome, LiveResult, PlaintextOutcome, SslRequestOutcome};
use pgtls_audit::AuditOptions;
use pgtls_probe::hello;
use pgtls_probe::CheckOptions;

/// Serves every connection with `script`, given the first 8 bytes the client sent.
fn fake(script: fn(&mut TcpStream, [u8; 8])) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut s) = conn else { continue };
            std::thread::spawn(move || {
                let mut first = [0u8; 8];
                if s.read_exact(&mut first).is_ok() {
                    script(&mut s, first);
                }
            });
        }
    });
    port
}

fn is_ssl_request(first: [u8; 8]) -> bool {
    first == [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]
}

fn error_response(code: &str, message: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for (t, v) in [(b'S', "FATAL"), (b'V', "FATAL"), (b'C', code), (b'M', message)] {
        body.push(t);
        body.extend_from_slice(v.as_bytes());
        body.push(0);
    }
    body.push(0);
    let mut msg = vec![b'E'];
    msg.extend_from_slice(&((body.len() + 4) as u32).to_be_bytes());
    msg.extend_from_slice(&body);
    msg
}

/// Answers a plaintext StartupMessage as pg_hba with `hostnossl ... reject` does.
fn reject_plaintext(s: &mut TcpStream) {
    let _ = s.write_all(&error_response("28000", "pg_hba.conf rejects connection for host \"127.0.0.1\", user \"pgtls_probe\", database \"pgtls_probe\", no encryption"));
}

fn run(port: u16, timeout: Duration) -> LiveResult {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut opts = CheckOptions::new("127.0.0.1", port);
    opts.timeout = timeout;
    rt.block_on(pgtls_probe::check(&opts))
}

fn rule_ids(r: &LiveResult) -> Vec<String> {
    let (inputs, analysis) = pgtls_probe::audit(r, Vec::new(), &AuditOptions::new(0));
    analysis.report(&inputs, Default::default()).findings.into_iter().map(|f| f.rule).collect()
}

#[test]
fn answers_n() {
    let port = fake(|s, first| {
        if is_ssl_request(first) {
            let _ = s.write_all(b"N");
        } else {
            reject_plaintext(s);
        }
    });
    let r = run(port, Duration::from_secs(2));
    assert_eq!(r.ssl_request, SslRequestOutcome::Refused);
    assert_eq!(r.plaintext, PlaintextOutcome::Rejected);
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    assert_eq!(rule_ids(&r), vec!["LIVE002"]);
}

#[test]
fn answers_an_error_response() {
    let port = fake(|s, first| {
        if is_ssl_request(first) {
            let _ = s.write_all(&error_response("53300", "sorry, too many clients already"));
        } else {
            reject_plaintext(s);
        }
    });
    let r = run(port, Duration::from_secs(2));
    assert_eq!(r.ssl_request, SslRequestOutcome::ErrorResponse);
    let detail = r.ssl_request_detail.as_deref().unwrap();
    assert!(detail.contains("too many clients") && detail.contains("53300"), "{detail}");
    assert_eq!(r.failures[0].step, "ssl-request");
    assert!(rule_ids(&r).contains(&"LIVE008".to_string()));
}

#[test]
fn sends_bytes_after_s() {
    let port = fake(|s, first| {
        if is_ssl_request(first) {
            // S and a forged AuthenticationOk in one segment, as an injecting middlebox would.
            let _ = s.write_all(b"SR\0\0\0\x08\0\0\0\0");
            std::thread::sleep(Duration::from_millis(300));
        } else {
            reject_plaintext(s);
        }
    });
    let r = run(port, Duration::from_secs(1));
    assert_eq!(r.ssl_request, SslRequestOutcome::Accepted);
    assert_eq!(r.bytes_after_ssl_response, 9);
    let ids = rule_ids(&r);
    assert!(ids.contains(&"LIVE006".to_string()), "{ids:?}");
}

#[test]
fn accepts_only_tls10() {
    let port = fake(|s, first| {
        if !is_ssl_request(first) {
            reject_plaintext(s);
            return;
        }
        let _ = s.write_all(b"S");
        let mut header = [0u8; 5];
        if s.read_exact(&mut header).is_err() {
            return;
        }
        let mut body = vec![0u8; u16::from_be_bytes([header[3], header[4]]) as usize];
        if s.read_exact(&mut body).is_err() {
            return;
        }
        // ClientHello: type(1) len(3) client_version(2)
        let version = u16::from_be_bytes([body[4], body[5]]);
        if version == hello::TLS1_0 {
            let _ = s.write_all(&hello::server_hello(hello::TLS1_0, 0x002f));
        } else {
            let _ = s.write_all(&[0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 70]);
        }
        std::thread::sleep(Duration::from_millis(50));
    });
    let r = run(port, Duration::from_secs(2));
    assert_eq!(r.ssl_request, SslRequestOutcome::Accepted);
    assert!(r.protocols.tls1_0, "{:?}", r.protocols);
    assert!(!r.protocols.tls1_1 && !r.protocols.tls1_2 && !r.protocols.tls1_3, "{:?}", r.protocols);
    assert!(r.tls12_ciphers.is_empty());
    assert!(r.failures.iter().any(|f| f.step == "handshake" && f.reason.contains("ProtocolVersion")), "{:?}", r.failures);
    let ids = rule_ids(&r);
    for id in ["LIVE003", "LIVE004", "LIVE008"] {
        assert!(ids.contains(&id.to_string()), "{id} missing: {ids:?}");
    }
}

#[test]
fn closes_at_once() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            drop(conn);
        }
    });
    let r = run(port, Duration::from_secs(2));
    assert_eq!(r.ssl_request, SslRequestOutcome::Other);
    assert_eq!(r.plaintext, PlaintextOutcome::Unknown);
    assert!(r.failures.iter().any(|f| f.step == "ssl-request"), "{:?}", r.failures);
    assert!(rule_ids(&r).contains(&"LIVE008".to_string()));
}

#[test]
fn never_answers() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming() {
            held.push(conn);
        }
    });
    let started = Instant::now();
    let r = run(port, Duration::from_millis(300));
    assert!(started.elapsed() < Duration::from_secs(3), "every step is bounded: {:?}", started.elapsed());
    assert_eq!(r.ssl_request, SslRequestOutcome::Other);
    let reason = &r.failures.iter().find(|f| f.step == "ssl-request").unwrap().reason;
    assert!(reason.contains("no answer to SSLRequest within 0.3s"), "{reason}");
    assert_eq!(r.plaintext, PlaintextOutcome::Unknown);
}

#[test]
fn nothing_listening() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let r = run(port, Duration::from_secs(1));
    assert_eq!(r.failures.len(), 1);
    assert_eq!(r.failures[0].step, "connect");
    assert!(r.failures[0].reason.contains("refused"), "{}", r.failures[0].reason);
    assert_eq!(rule_ids(&r), vec!["LIVE008"]);
}

/// A TLS server that takes only direct TLS and selects ALPN `postgresql`, as PostgreSQL 17 does
/// (or a TLS-terminating proxy in front of it): `openssl s_server`.
#[test]
fn direct_tls_with_alpn_is_recognised() {
    let certs = common::certs();
    let dir = std::env::temp_dir().join(format!("pgtls-direct-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("server.crt"), &certs.server_crt).unwrap();
    std::fs::write(dir.join("server.key"), &certs.server_key).unwrap();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = std::process::Command::new("openssl")
        .args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-cert", "server.crt", "-key", "server.key", "-alpn", "postgresql", "-www"])
        .current_dir(&dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() && started.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let r = run(port, Duration::from_secs(2));
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(r.direct_tls, DirectTlsOutcome::Supported, "{:?}", r.direct_tls_detail);
    assert!(r.direct_tls_detail.as_deref().unwrap().contains("ALPN postgresql"));
    assert_ne!(r.ssl_request, SslRequestOutcome::Accepted, "s_server does not speak SSLRequest");
}
