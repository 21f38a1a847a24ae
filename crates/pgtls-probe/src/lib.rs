//! Live TLS checks of PostgreSQL servers.
//!
//! [`check`] runs the steps of one check, each on its own connection and under its own timeout:
//! resolve and connect; SSLRequest and the TLS handshake after `S`; direct TLS (PostgreSQL 17+);
//! which protocol versions and TLS 1.2 suites the server accepts; and a plaintext
//! StartupMessage. The result is a [`LiveResult`], which [`audit`] hands to the engine like any
//! other input, so the presented chain gets the same certificate findings as a pasted file.

pub mod fuzzing;
pub mod hello;
pub mod tls;
pub mod wire;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use pgtls_audit::live::{
    DirectTlsOutcome, LiveResult, PlaintextOutcome, SslRequestOutcome, StepFailure, Target, TlsSession,
};
use pgtls_audit::{Analysis, AuditOptions, InputKind, Inputs, SourceFile};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_rustls::TlsConnector;

use crate::hello::HelloAnswer;
use crate::tls::CertificateRequestSeen;
use crate::wire::{ServerError, SslAnswer};

/// Role and database names for the plaintext probe, chosen so that no real role is hit: the
/// probe only reads the first answer and never authenticates.
pub const DEFAULT_PROBE_USER: &str = "pgtls_probe";
pub const DEFAULT_PROBE_DATABASE: &str = "pgtls_probe";
pub const DEFAULT_PORT: u16 = 5432;

/// What to check and how patiently.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub host: String,
    pub port: u16,
    /// The name to send in SNI instead of `host`.
    pub sni: Option<String>,
    pub user: String,
    pub database: String,
    /// The bound of each step (connect, SSLRequest, one handshake, one hello).
    pub timeout: Duration,
    /// Probe connections open at once during the version and suite enumeration.
    pub parallel: usize,
    /// Addresses already resolved (and vetted) by the caller; the check then does not resolve
    /// the host again, so that a second DNS answer cannot redirect it.
    pub addresses: Option<Vec<SocketAddr>>,
}

impl CheckOptions {
    pub fn new(host: impl Into<String>, port: u16) -> Self {
        CheckOptions {
            host: host.into(),
            port,
            sni: None,
            user: DEFAULT_PROBE_USER.into(),
            database: DEFAULT_PROBE_DATABASE.into(),
            timeout: Duration::from_secs(5),
            parallel: 8,
            addresses: None,
        }
    }

    /// The SNI name, or none for an address literal (libpq sends none for those either).
    fn sni_name(&self) -> Option<String> {
        match &self.sni {
            Some(s) => Some(s.clone()),
            None if is_ip_literal(&self.host) => None,
            None => Some(self.host.clone()),
        }
    }
}

pub fn is_ip_literal(host: &str) -> bool {
    host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().is_ok()
}

/// Splits `HOST[:PORT]`, `[V6]:PORT` or a bare IPv6 literal.
pub fn parse_target(target: &str) -> Result<(String, u16), String> {
    let target = target.trim();
    if target.is_empty() {
        return Err("no host given".into());
    }
    if let Some(rest) = target.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or_else(|| format!("unclosed [ in {target:?}"))?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().map_err(|_| format!("bad port in {target:?}"))?,
            None if after.is_empty() => DEFAULT_PORT,
            None => return Err(format!("unexpected text after ] in {target:?}")),
        };
        return Ok((host.to_string(), port));
    }
    if target.parse::<IpAddr>().is_ok() {
        return Ok((target.to_string(), DEFAULT_PORT));
    }
    match target.rsplit_once(':') {
        Some((host, port)) => {
            let port = port.parse().map_err(|_| format!("bad port {port:?} in {target:?}"))?;
            Ok((host.to_string(), port))
        }
        None => Ok((target.to_string(), DEFAULT_PORT)),
    }
}

/// Resolves `host` to every address, within `timeout`.
pub async fn resolve(host: &str, port: u16, timeout: Duration) -> Result<Vec<SocketAddr>, String> {
    let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
    let mut addrs: Vec<SocketAddr> = match tokio::time::timeout(timeout, tokio::net::lookup_host((host.as_str(), port))).await {
        Ok(Ok(it)) => it.collect(),
        Ok(Err(e)) => return Err(format!("cannot resolve {host}: {e}")),
        Err(_) => return Err(format!("resolving {host} timed out after {}", secs(timeout))),
    };
    addrs.dedup();
    if addrs.is_empty() {
        return Err(format!("{host} resolved to no address"));
    }
    Ok(addrs)
}

fn secs(d: Duration) -> String {
    format!("{}s", d.as_secs_f64())
}

async fn connect(addr: SocketAddr, timeout: Duration) -> Result<TcpStream, String> {
    match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
        Ok(Ok(s)) => {
            let _ = s.set_nodelay(true);
            Ok(s)
        }
        Ok(Err(e)) => Err(format!("{addr}: {e}")),
        Err(_) => Err(format!("{addr}: connection timed out after {}", secs(timeout))),
    }
}

/// The answer to SSLRequest.
#[derive(Debug)]
pub enum Negotiation {
    /// `S`, and how many bytes came with or right after it.
    Accepted { extra: usize },
    Refused,
    ErrorResponse(ServerError),
    Other(String),
}

impl Negotiation {
    /// The negotiation a complete answer ([`wire::ssl_answer`] with `complete`) stands for.
    pub fn from_answer(answer: SslAnswer) -> Negotiation {
        match answer {
            SslAnswer::Accepted { extra } => Negotiation::Accepted { extra },
            SslAnswer::Refused => Negotiation::Refused,
            SslAnswer::Error(e) => Negotiation::ErrorResponse(e),
            SslAnswer::Closed | SslAnswer::Incomplete { .. } => {
                Negotiation::Other("the server closed the connection without answering".into())
            }
            SslAnswer::Other(b) => Negotiation::Other(format!("the server answered with byte 0x{b:02x} ({:?})", b as char)),
        }
    }
}

/// Records an answer to SSLRequest other than `S` in `r`: the outcome, the detail shown to the
/// user, and the failure of the step.
pub fn note_refused_negotiation(r: &mut LiveResult, negotiation: Negotiation) {
    let mut fail = |reason: String| r.failures.push(StepFailure { step: "ssl-request".into(), reason });
    match negotiation {
        Negotiation::Accepted { extra } => {
            r.ssl_request = SslRequestOutcome::Accepted;
            r.bytes_after_ssl_response = extra;
        }
        Negotiation::Refused => r.ssl_request = SslRequestOutcome::Refused,
        Negotiation::ErrorResponse(e) => {
            fail(format!("the server answered SSLRequest with an ErrorResponse: {e}"));
            r.ssl_request = SslRequestOutcome::ErrorResponse;
            // libpq does not show this text (CVE-2024-10977): it is unauthenticated.
            r.ssl_request_detail = Some(format!("unauthenticated ErrorResponse: {e}"));
        }
        Negotiation::Other(what) => {
            fail(what.clone());
            r.ssl_request = SslRequestOutcome::Other;
            r.ssl_request_detail = Some(what);
        }
    }
}

/// Sends SSLRequest and reads the answer: exactly the first byte decides; bytes already buffered
/// after an `S` are counted (a server sends none and waits for the ClientHello).
pub async fn ssl_request(stream: &mut TcpStream) -> std::io::Result<Negotiation> {
    stream.write_all(&wire::ssl_request()).await?;
    let mut buf = [0u8; 512];
    let mut received = Vec::new();
    let answer = loop {
        let n = stream.read(&mut buf).await?;
        received.extend_from_slice(&buf[..n]);
        match wire::ssl_answer(&received, n == 0 || received.len() >= wire::MAX_MESSAGE_LEN) {
            SslAnswer::Incomplete { .. } => continue,
            SslAnswer::Accepted { mut extra } => {
                // Whatever else is already in the socket buffer arrived unasked.
                while let Ok(m @ 1..) = stream.try_read(&mut buf) {
                    extra += m;
                }
                break SslAnswer::Accepted { extra };
            }
            other => break other,
        }
    };
    Ok(Negotiation::from_answer(answer))
}

/// Connects and gets an `S`; an error string otherwise.
async fn connect_ssl(addr: SocketAddr, timeout: Duration) -> Result<TcpStream, String> {
    let mut stream = connect(addr, timeout).await?;
    match tokio::time::timeout(timeout, ssl_request(&mut stream)).await {
        Ok(Ok(Negotiation::Accepted { .. })) => Ok(stream),
        Ok(Ok(other)) => Err(format!("SSLRequest answered {other:?}")),
        Ok(Err(e)) => Err(format!("SSLRequest: {e}")),
        Err(_) => Err(format!("SSLRequest timed out after {}", secs(timeout))),
    }
}

/// SSLRequest, then a hand-built hello; the server's first answer.
pub async fn hello_probe(addr: SocketAddr, version: u16, suites: &[u16], sni: Option<&str>, timeout: Duration) -> Result<HelloAnswer, String> {
    let mut stream = connect_ssl(addr, timeout).await?;
    let hello = hello::client_hello(version, suites, sni);
    let read = async {
        stream.write_all(&hello).await?;
        let mut header = [0u8; hello::RECORD_HEADER_LEN];
        stream.read_exact(&mut header).await?;
        let Some(len) = hello::record_body_len(&header) else {
            return Ok(HelloAnswer::NotTls(header[0]));
        };
        let mut body = vec![0u8; len];
        stream.read_exact(&mut body).await?;
        Ok::<_, std::io::Error>(hello::parse_answer(header[0], &body))
    };
    match tokio::time::timeout(timeout, read).await {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err("the server closed the connection".into()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer to the ClientHello within {}", secs(timeout))),
    }
}

/// The session facts and chain of a completed handshake.
fn session_of(conn: &rustls::ClientConnection, seen: &CertificateRequestSeen) -> (TlsSession, Vec<String>) {
    let session = TlsSession {
        version: conn.protocol_version().map(tls::version_label).unwrap_or_default(),
        cipher: conn.negotiated_cipher_suite().map(|s| tls::suite_label(s.suite())).unwrap_or_default(),
        group: conn.negotiated_key_exchange_group().map(|g| format!("{:?}", g.name())),
        alpn: conn.alpn_protocol().map(|p| String::from_utf8_lossy(p).into_owned()),
        client_cert_requested: seen.seen(),
    };
    let chain = conn.peer_certificates().unwrap_or(&[]).iter().map(|c| tls::pem(c)).collect();
    (session, chain)
}

type Handshake = Result<(TlsSession, Vec<String>), String>;

/// A rustls handshake over `stream` with the given versions.
async fn handshake(
    stream: TcpStream,
    opts: &CheckOptions,
    versions: &[&'static rustls::SupportedProtocolVersion],
    alpn: bool,
) -> Handshake {
    let seen = Arc::new(CertificateRequestSeen::default());
    let config = tls::client_config(versions, alpn, seen.clone()).map_err(|e| e.to_string())?;
    let name = tls::server_name(&opts.host, opts.sni.as_deref());
    match tokio::time::timeout(opts.timeout, TlsConnector::from(config).connect(name, stream)).await {
        Ok(Ok(tls)) => {
            let out = session_of(tls.get_ref().1, &seen);
            // Close politely; the server logs a plain disconnect rather than an error.
            let mut tls = tls;
            let _ = tokio::time::timeout(Duration::from_millis(100), tls.shutdown()).await;
            Ok(out)
        }
        Ok(Err(e)) => Err(describe_tls_error(&e)),
        Err(_) => Err(format!("the TLS handshake did not finish within {}", secs(opts.timeout))),
    }
}

fn describe_tls_error(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        "the server closed the connection during the TLS handshake".into()
    } else {
        e.to_string()
    }
}

/// The SSLRequest + handshake step alone, on a fresh connection: what `openssl s_client
/// -starttls postgres` does. For benchmarks and quick probes.
pub async fn ssl_request_handshake(addr: SocketAddr, opts: &CheckOptions) -> Result<TlsSession, String> {
    let stream = connect_ssl(addr, opts.timeout).await?;
    handshake(stream, opts, rustls::ALL_VERSIONS, true).await.map(|(session, _)| session)
}

/// The first answer to a plaintext StartupMessage.
pub async fn plaintext_probe(addr: SocketAddr, user: &str, database: &str, timeout: Duration) -> (PlaintextOutcome, String) {
    let mut stream = match connect(addr, timeout).await {
        Ok(s) => s,
        Err(e) => return (PlaintextOutcome::Unknown, e),
    };
    let exchange = async {
        stream.write_all(&wire::startup_message(user, database)).await?;
        let mut header = [0u8; 5];
        stream.read_exact(&mut header).await?;
        let mut body = vec![0u8; wire::message_body_len(&header)];
        stream.read_exact(&mut body).await?;
        Ok::<_, std::io::Error>((header[0], body))
    };
    let answer = tokio::time::timeout(timeout, exchange).await;
    // Close at once: the probe never answers an authentication request.
    drop(stream);
    match answer {
        Ok(Ok((kind, body))) => plaintext_answer(kind, &body),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            (PlaintextOutcome::Unknown, "the server closed the connection without answering".into())
        }
        Ok(Err(e)) => (PlaintextOutcome::Unknown, e.to_string()),
        Err(_) => (PlaintextOutcome::Unknown, format!("no answer within {}", secs(timeout))),
    }
}

/// What the first message answering a plaintext StartupMessage (its type byte and body) says
/// about whether the server lets clients in without SSL.
pub fn plaintext_answer(kind: u8, body: &[u8]) -> (PlaintextOutcome, String) {
    match kind {
        b'R' => {
            let code = body.get(..4).map_or(u32::MAX, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
            (PlaintextOutcome::Accepted, format!("the server answered a StartupMessage without SSL with {}", wire::auth_request_name(code)))
        }
        b'E' => {
            let e = ServerError::parse(body);
            if e.code == "28000" && e.message.contains("no encryption") {
                (PlaintextOutcome::Rejected, e.to_string())
            } else {
                (PlaintextOutcome::Unknown, format!("the server answered with an error that does not say whether SSL is required: {e}"))
            }
        }
        b'v' => (PlaintextOutcome::Unknown, "the server asked to negotiate the protocol version".into()),
        t => (PlaintextOutcome::Unknown, format!("unexpected message type {:?}", t as char)),
    }
}

/// Direct TLS: a ClientHello with ALPN `postgresql` straight away.
async fn direct_tls_probe(addr: SocketAddr, opts: &CheckOptions) -> (DirectTlsOutcome, String) {
    let stream = match connect(addr, opts.timeout).await {
        Ok(s) => s,
        Err(e) => return (DirectTlsOutcome::Error, e),
    };
    match handshake(stream, opts, rustls::ALL_VERSIONS, true).await {
        Ok((s, _)) if s.alpn.as_deref() == Some("postgresql") => {
            (DirectTlsOutcome::Supported, format!("{} handshake with ALPN postgresql", s.version))
        }
        Ok((s, _)) => (DirectTlsOutcome::Error, format!("{} handshake completed without ALPN postgresql", s.version)),
        Err(e) if e.contains("closed the connection") || e.contains("reset") => (
            DirectTlsOutcome::Unsupported,
            "the server closed the connection on a ClientHello, as servers before PostgreSQL 17 do (invalid length of startup packet)".into(),
        ),
        Err(e) if e.contains("InvalidContentType") || e.contains("corrupt message") || e.contains("invalid") => {
            (DirectTlsOutcome::Unsupported, format!("the server did not answer in TLS ({e})"))
        }
        Err(e) => (DirectTlsOutcome::Error, e),
    }
}

fn ms(start: Instant) -> u64 {
    start.elapsed().as_millis() as u64
}

/// One full live check.
pub async fn check(opts: &CheckOptions) -> LiveResult {
    let total = Instant::now();
    let mut r = LiveResult {
        target: Target {
            host: opts.host.clone(),
            port: opts.port,
            sni: opts.sni_name(),
            user: opts.user.clone(),
            database: opts.database.clone(),
            ..Target::default()
        },
        ..LiveResult::default()
    };
    let fail = |r: &mut LiveResult, step: &str, reason: String| r.failures.push(StepFailure { step: step.into(), reason });

    let t = Instant::now();
    let resolved = match &opts.addresses {
        Some(addrs) if !addrs.is_empty() => Ok(addrs.clone()),
        _ => resolve(&opts.host, opts.port, opts.timeout).await,
    };
    let addrs = match resolved {
        Ok(a) => a,
        Err(e) => {
            fail(&mut r, "resolve", e);
            r.timings_ms.insert("total".into(), ms(total));
            return r;
        }
    };
    r.timings_ms.insert("resolve".into(), ms(t));
    r.target.addresses = addrs.iter().map(|a| a.ip().to_string()).collect();

    // Connect: the first address that answers is the one every step uses.
    let t = Instant::now();
    let mut reasons = Vec::new();
    let mut first = None;
    for addr in &addrs {
        match connect(*addr, opts.timeout).await {
            Ok(s) => {
                first = Some((*addr, s));
                break;
            }
            Err(e) => reasons.push(e),
        }
    }
    r.timings_ms.insert("connect".into(), ms(t));
    let Some((addr, mut stream)) = first else {
        fail(&mut r, "connect", reasons.join("; "));
        r.timings_ms.insert("total".into(), ms(total));
        return r;
    };
    r.target.address = Some(addr.ip().to_string());

    // SSLRequest and the handshake after S, on the connection just opened.
    let t = Instant::now();
    let negotiation = tokio::time::timeout(opts.timeout, ssl_request(&mut stream)).await;
    // Without an `S` the connection is of no further use: close it now rather than hold a
    // server slot while the other steps run.
    let stream = match negotiation {
        Ok(Ok(Negotiation::Accepted { .. })) => Some(stream),
        _ => {
            drop(stream);
            None
        }
    };
    match negotiation {
        Ok(Ok(Negotiation::Accepted { extra })) => {
            r.ssl_request = SslRequestOutcome::Accepted;
            r.bytes_after_ssl_response = extra;
            if let Some(stream) = stream {
                match handshake(stream, opts, rustls::ALL_VERSIONS, true).await {
                    Ok((session, chain)) => {
                        r.tls = Some(session);
                        r.certificates = chain;
                    }
                    Err(e) => fail(&mut r, "handshake", e),
                }
            }
        }
        Ok(Ok(other)) => note_refused_negotiation(&mut r, other),
        Ok(Err(e)) => {
            r.ssl_request = SslRequestOutcome::Other;
            fail(&mut r, "ssl-request", e.to_string());
        }
        Err(_) => {
            r.ssl_request = SslRequestOutcome::Other;
            r.ssl_request_detail = Some("no answer".into());
            fail(&mut r, "ssl-request", format!("no answer to SSLRequest within {}", secs(opts.timeout)));
        }
    }
    r.timings_ms.insert("ssl_request_handshake".into(), ms(t));

    let tls_possible = r.ssl_request == SslRequestOutcome::Accepted;
    let plaintext = async {
        let t = Instant::now();
        let out = plaintext_probe(addr, &opts.user, &opts.database, opts.timeout).await;
        (out, ms(t))
    };
    // Direct TLS is its own way in: a TLS-terminating proxy may take it and refuse SSLRequest.
    let direct = async {
        let t = Instant::now();
        Some((direct_tls_probe(addr, opts).await, ms(t)))
    };
    let versions = async {
        if !tls_possible {
            return None;
        }
        let t = Instant::now();
        Some((probe_versions(addr, opts).await, ms(t)))
    };
    let ((plain, plain_ms), direct, versions) = tokio::join!(plaintext, direct, versions);

    r.plaintext = plain.0;
    r.plaintext_detail = Some(plain.1);
    r.timings_ms.insert("plaintext".into(), plain_ms);
    if let Some(((outcome, detail), t)) = direct {
        r.direct_tls = outcome;
        r.direct_tls_detail = Some(detail);
        r.timings_ms.insert("direct_tls".into(), t);
    }
    if let Some(((protocols, errors), t)) = versions {
        r.protocols = protocols;
        for e in errors {
            fail(&mut r, "protocols", e);
        }
        r.timings_ms.insert("protocols".into(), t);
        if r.protocols.tls1_2 {
            let t = Instant::now();
            let (suites, errors) = enumerate_tls12_suites(addr, opts).await;
            r.tls12_ciphers = suites;
            for e in errors {
                fail(&mut r, "ciphers", e);
            }
            r.timings_ms.insert("ciphers".into(), ms(t));
        }
    }
    r.timings_ms.insert("total".into(), ms(total));
    r
}

/// Which of TLS 1.0–1.3 the server accepts, each on its own connection; and the reasons of
/// probes that got no clear answer.
async fn probe_versions(addr: SocketAddr, opts: &CheckOptions) -> (pgtls_audit::live::Protocols, Vec<String>) {
    let sni = opts.sni_name();
    let legacy = hello::legacy_suites();
    let all: Vec<u16> = hello::TLS12_SUITES.iter().map(|(c, _)| *c).collect();
    let tls13 = async {
        match connect_ssl(addr, opts.timeout).await {
            Ok(stream) => handshake(stream, opts, &[&rustls::version::TLS13], true).await.map(|_| true).or_else(|e| {
                if e.contains("alert") || e.contains("PeerIncompatible") || e.contains("peer") {
                    Ok(false)
                } else {
                    Err(format!("TLSv1.3: {e}"))
                }
            }),
            Err(e) => Err(format!("TLSv1.3: {e}")),
        }
    };
    let hand = |version: u16, suites: Vec<u16>| {
        let sni = sni.clone();
        async move {
            match hello_probe(addr, version, &suites, sni.as_deref(), opts.timeout).await {
                Ok(HelloAnswer::ServerHello { version: v, .. }) => Ok(v == version),
                Ok(HelloAnswer::Alert { .. }) => Ok(false),
                Ok(HelloAnswer::NotTls(b)) => Err(format!("{}: the server answered with non-TLS byte 0x{b:02x}", hello::version_name(version))),
                Ok(HelloAnswer::Malformed(m)) => Err(format!("{}: {m}", hello::version_name(version))),
                // A server that cannot do a version often just closes.
                Err(e) if e.contains("closed") => Ok(false),
                Err(e) => Err(format!("{}: {e}", hello::version_name(version))),
            }
        }
    };
    let (v10, v11, v12, v13) =
        tokio::join!(hand(hello::TLS1_0, legacy.clone()), hand(hello::TLS1_1, legacy), hand(hello::TLS1_2, all), tls13);
    let mut errors = Vec::new();
    let mut take = |r: Result<bool, String>| {
        r.unwrap_or_else(|e| {
            errors.push(e);
            false
        })
    };
    let p = pgtls_audit::live::Protocols { tls1_0: take(v10), tls1_1: take(v11), tls1_2: take(v12), tls1_3: take(v13) };
    (p, errors)
}

/// The TLS 1.2 suites of [`hello::TLS12_SUITES`] the server accepts when offered alone.
async fn enumerate_tls12_suites(addr: SocketAddr, opts: &CheckOptions) -> (Vec<String>, Vec<String>) {
    let permits = Arc::new(Semaphore::new(opts.parallel.max(1)));
    let mut set = JoinSet::new();
    for (i, (code, _)) in hello::TLS12_SUITES.iter().enumerate() {
        let permits = permits.clone();
        let sni = opts.sni_name();
        let timeout = opts.timeout;
        let code = *code;
        set.spawn(async move {
            let _permit = permits.acquire_owned().await;
            let answer = hello_probe(addr, hello::TLS1_2, &[code], sni.as_deref(), timeout).await;
            (i, code, answer)
        });
    }
    let mut accepted = Vec::new();
    let mut errors = Vec::new();
    while let Some(joined) = set.join_next().await {
        let Ok((i, code, answer)) = joined else { continue };
        match answer {
            Ok(HelloAnswer::ServerHello { version, suite }) if version == hello::TLS1_2 && suite == code => accepted.push(i),
            Ok(_) => {}
            Err(e) if e.contains("closed") => {}
            Err(e) => errors.push(format!("{}: {e}", hello::suite_name(code))),
        }
    }
    accepted.sort_unstable();
    (accepted.into_iter().map(|i| hello::TLS12_SUITES[i].1.to_string()).collect(), errors)
}

/// The name of the live input in reports: `check:HOST:PORT`.
pub fn input_name(result: &LiveResult) -> String {
    format!("check:{}:{}", result.target.host, result.target.port)
}

/// Audits a live result: the result as a `live` input (pretty JSON, so that findings point at
/// its lines), then `extra` inputs (`--root` files). The presented chain reaches the
/// certificate area through the live model.
pub fn audit(result: &LiveResult, extra: Vec<SourceFile>, options: &AuditOptions) -> (Inputs, Analysis) {
    let mut inputs = Inputs::new();
    let json = serde_json::to_string_pretty(result).unwrap_or_else(|_| "{}".into());
    inputs.push(SourceFile::from_text(input_name(result), InputKind::Live, json));
    for f in extra {
        inputs.push(f);
    }
    let analysis = pgtls_audit::audit(&inputs, options);
    (inputs, analysis)
}

/// The system's trusted roots as one PEM text, for `--root system`.
pub fn system_roots_pem() -> Result<String, String> {
    let loaded = rustls_native_certs::load_native_certs();
    if loaded.certs.is_empty() {
        return Err(match loaded.errors.first() {
            Some(e) => format!("no system roots: {e}"),
            None => "no system roots found".into(),
        });
    }
    Ok(loaded.certs.iter().map(|c| tls::pem(c)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_with_and_without_ports() {
        assert_eq!(parse_target("db.example.com").unwrap(), ("db.example.com".into(), 5432));
        assert_eq!(parse_target("db:6432").unwrap(), ("db".into(), 6432));
        assert_eq!(parse_target("[::1]:5433").unwrap(), ("::1".into(), 5433));
        assert_eq!(parse_target("::1").unwrap(), ("::1".into(), 5432));
        assert_eq!(parse_target("127.0.0.1").unwrap(), ("127.0.0.1".into(), 5432));
        assert!(parse_target("db:x").is_err());
        assert!(parse_target("").is_err());
    }

    #[test]
    fn no_sni_for_address_literals() {
        assert_eq!(CheckOptions::new("127.0.0.1", 1).sni_name(), None);
        assert_eq!(CheckOptions::new("::1", 1).sni_name(), None);
        assert_eq!(CheckOptions::new("db.example.com", 1).sni_name().as_deref(), Some("db.example.com"));
    }
}

/// The subject and the end of validity (Unix seconds) of a PEM certificate, for expiry metrics.
pub fn certificate_validity(pem: &str) -> Option<(String, i64)> {
    let (_, block) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).ok()?;
    let (_, cert) = x509_parser::parse_x509_certificate(&block.contents).ok()?;
    Some((cert.subject().to_string(), cert.validity().not_after.timestamp()))
}

#[cfg(test)]
mod validity_tests {
    #[test]
    fn garbage_has_no_validity() {
        assert_eq!(super::certificate_validity("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), None);
        assert_eq!(super::certificate_validity(""), None);
    }
}
