//! The relay: a small loopback HTTP server that runs live checks for the page, which cannot
//! open TCP sockets itself.
//!
//! It must not become an open door: only allow-listed origins (CORS, with the JSON content type
//! forcing a preflight), a capped body, a cap on checks at once and per minute, a timeout on
//! every step, no link-local or cloud-metadata targets unless explicitly allowed, optional
//! target patterns; and it only ever sends the probe's own bytes, so it is no TCP proxy. Every
//! refusal is a JSON error `{"error": CODE, "message": TEXT}`.

pub mod fuzzing;

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use pgtls_audit::{AuditOptions, ColumnUnit, InputKind, SourceFile};
use serde::Deserialize;
use tokio::sync::Semaphore;

/// The page's origins when it is served by `cargo xtask serve` (trunk's default port).
pub const DEFAULT_ORIGINS: &[&str] = &["http://127.0.0.1:8080", "http://localhost:8080"];
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

#[derive(Clone, Debug)]
pub struct Config {
    /// Origins allowed to call the API, exactly as browsers send them (`http://host:port`).
    pub allowed_origins: Vec<String>,
    /// Whether `Origin: null` (the page opened from a file) is allowed.
    pub allow_null_origin: bool,
    /// When not empty, a target must match one of these.
    pub target_patterns: Vec<TargetPattern>,
    pub max_concurrent: usize,
    pub max_per_minute: usize,
    /// The bound of each probe step.
    pub step_timeout: Duration,
    /// The bound of a whole check.
    pub check_timeout: Duration,
    pub max_body_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            allowed_origins: DEFAULT_ORIGINS.iter().map(|s| s.to_string()).collect(),
            allow_null_origin: false,
            target_patterns: Vec::new(),
            max_concurrent: 2,
            max_per_minute: 30,
            step_timeout: Duration::from_secs(5),
            check_timeout: Duration::from_secs(60),
            max_body_bytes: 64 * 1024,
        }
    }
}

/// A `--allow-target` pattern: a host name (`db.example.com`), a name glob (`*.example.com`),
/// an address or a network (`10.0.0.0/8`, `fd00::/8`), each with an optional `:PORT`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetPattern {
    host: HostPattern,
    port: Option<u16>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum HostPattern {
    Name(String),
    Suffix(String),
    Net(ipnet::IpNet),
}

impl std::str::FromStr for TargetPattern {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (host, port) = match s.strip_prefix('[') {
            Some(rest) => {
                let (h, after) = rest.split_once(']').ok_or_else(|| format!("unclosed [ in {s:?}"))?;
                (h.to_string(), after.strip_prefix(':').map(str::to_string))
            }
            None if s.matches(':').count() == 1 => {
                let (h, p) = s.split_once(':').unwrap_or((s, ""));
                (h.to_string(), Some(p.to_string()))
            }
            None => (s.to_string(), None),
        };
        let port = match port {
            Some(p) => Some(p.parse::<u16>().map_err(|_| format!("bad port in target pattern {s:?}"))?),
            None => None,
        };
        let host = if let Ok(net) = host.parse::<ipnet::IpNet>() {
            HostPattern::Net(net)
        } else if let Ok(ip) = host.parse::<IpAddr>() {
            HostPattern::Net(ipnet::IpNet::from(ip))
        } else if let Some(suffix) = host.strip_prefix("*.") {
            HostPattern::Suffix(format!(".{}", suffix.to_ascii_lowercase()))
        } else if !host.is_empty() && !host.contains(['*', '/']) {
            HostPattern::Name(host.to_ascii_lowercase())
        } else {
            return Err(format!("target pattern {s:?} is not a host, *.domain, address or network"));
        };
        Ok(TargetPattern { host, port })
    }
}

impl TargetPattern {
    /// Does the pattern allow `host` (as requested) resolving to `addr`?
    pub fn allows(&self, host: &str, addr: SocketAddr) -> bool {
        if self.port.is_some_and(|p| p != addr.port()) {
            return false;
        }
        let host = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        match &self.host {
            HostPattern::Name(n) => *n == host,
            HostPattern::Suffix(s) => host.ends_with(s.as_str()),
            HostPattern::Net(net) => net.contains(&addr.ip()),
        }
    }

    /// Whether the pattern names this address itself (not by host name), which is what it
    /// takes to allow a link-local or metadata address.
    fn names_address(&self, addr: SocketAddr) -> bool {
        matches!(&self.host, HostPattern::Net(net) if net.contains(&addr.ip())) && self.port.is_none_or(|p| p == addr.port())
    }
}

/// Why an address is refused by default: link-local (which holds the cloud metadata services
/// at 169.254.169.254 and fd00:ec2::254), unspecified, multicast or broadcast addresses.
pub fn forbidden_address(ip: IpAddr) -> Option<&'static str> {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    };
    match ip {
        IpAddr::V4(v4) => {
            if v4 == Ipv4Addr::new(169, 254, 169, 254) || v4 == Ipv4Addr::new(100, 100, 100, 200) {
                Some("a cloud metadata service address")
            } else if v4.is_link_local() {
                Some("a link-local address")
            } else if v4.is_unspecified() || v4.is_broadcast() || v4.is_multicast() {
                Some("not a host address")
            } else {
                None
            }
        }
        IpAddr::V6(v6) => {
            if v6 == "fd00:ec2::254".parse::<Ipv6Addr>().expect("a valid address") {
                Some("a cloud metadata service address")
            } else if (v6.segments()[0] & 0xffc0) == 0xfe80 {
                Some("a link-local address")
            } else if v6.is_unspecified() || v6.is_multicast() {
                Some("not a host address")
            } else {
                None
            }
        }
    }
}

/// What the page sends.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    pub host: String,
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default)]
    pub sni: Option<String>,
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub database: Option<String>,
    /// The CAs the clients trust (their sslrootcert), as PEM.
    #[serde(default)]
    pub root_pem: Option<String>,
}

struct AppState {
    config: Config,
    running: Arc<Semaphore>,
    /// The most checks that ever ran at once, reported by `/healthz`.
    peak_running: AtomicUsize,
    recent: Mutex<VecDeque<Instant>>,
}

pub fn router(config: Config) -> Router {
    let state = Arc::new(AppState {
        running: Arc::new(Semaphore::new(config.max_concurrent.max(1))),
        peak_running: AtomicUsize::new(0),
        recent: Mutex::new(VecDeque::new()),
        config,
    });
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/check", axum::routing::any(check_endpoint))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not-found", "the relay serves POST /api/v1/check and GET /healthz") })
        .with_state(state)
}

/// Liveness, and how busy the relay is: checks running now, the most ever at once, the cap.
async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    let cap = state.config.max_concurrent.max(1);
    json_response(
        StatusCode::OK,
        serde_json::json!({
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
            "running": cap - state.running.available_permits(),
            "peak_running": state.peak_running.load(Ordering::Relaxed),
            "max_concurrent": cap,
        }),
    )
}

fn json_response(status: StatusCode, value: serde_json::Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], value.to_string()).into_response()
}

fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    json_response(status, serde_json::json!({"error": code, "message": message.into()}))
}

/// The request's Origin if it is allowed; the refusal otherwise.
fn allowed_origin(config: &Config, headers: &HeaderMap) -> Result<HeaderValue, Box<Response>> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Err(Box::new(error(
            StatusCode::FORBIDDEN,
            "origin-missing",
            "requests must come from the pgtls page: an Origin header on the allow-list is required",
        )));
    };
    let text = origin.to_str().unwrap_or("");
    let ok = if text == "null" {
        config.allow_null_origin
    } else {
        config.allowed_origins.iter().any(|o| o.trim_end_matches('/').eq_ignore_ascii_case(text))
    };
    if ok {
        Ok(origin.clone())
    } else {
        let hint = if text == "null" { " (start the relay with --allow-null-origin for the single-file page)" } else { " (add it with --allow-origin)" };
        Err(Box::new(error(StatusCode::FORBIDDEN, "origin-not-allowed", format!("origin {text:?} is not allowed{hint}"))))
    }
}

fn with_cors(mut response: Response, origin: HeaderValue) -> Response {
    let h = response.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    response
}

async fn check_endpoint(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let config = &state.config;
    let origin = match allowed_origin(config, request.headers()) {
        Ok(o) => o,
        Err(refusal) => return *refusal,
    };
    let response = match *request.method() {
        Method::OPTIONS => preflight(request.headers()),
        Method::POST => run_check(&state, request).await,
        _ => error(StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "use POST with a JSON body"),
    };
    with_cors(response, origin)
}

fn preflight(headers: &HeaderMap) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let h = response.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    // Chrome's Private Network Access asks before a public page may call a loopback server.
    if headers.contains_key("access-control-request-private-network") {
        h.insert("access-control-allow-private-network", HeaderValue::from_static("true"));
    }
    response
}

/// Takes a slot in the per-minute window, or says when the next one frees up.
fn take_rate_slot(state: &AppState) -> Result<(), Duration> {
    let mut recent = state.recent.lock().unwrap_or_else(|p| p.into_inner());
    let now = Instant::now();
    while recent.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60)) {
        recent.pop_front();
    }
    if recent.len() >= state.config.max_per_minute {
        let oldest = *recent.front().expect("the window is full");
        return Err(Duration::from_secs(60).saturating_sub(now.duration_since(oldest)));
    }
    recent.push_back(now);
    Ok(())
}

/// A refusal of a request: the HTTP status, the error code and the message of the JSON body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal { status, code, message: message.into() }
    }

    /// The JSON body: `{"error": CODE, "message": TEXT}`.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({"error": self.code, "message": self.message})
    }

    fn into_response(self) -> Response {
        json_response(self.status, self.body())
    }
}

/// The longest user or database name PostgreSQL keeps (NAMEDATALEN - 1 bytes); longer ones are
/// truncated by the server, so a longer one is a mistake.
pub const MAX_NAME_BYTES: usize = 63;

/// A check request that passed every check that needs no network: what the relay may probe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRequest {
    /// Trimmed; 1 to 253 bytes, no blank, `/`, `@` or control character.
    pub host: String,
    /// Not 0.
    pub port: u16,
    /// A host name (as [`ValidRequest::host`]) when given.
    pub sni: Option<String>,
    /// At most [`MAX_NAME_BYTES`], no NUL (it would end the StartupMessage field early).
    pub user: Option<String>,
    pub database: Option<String>,
    pub root_pem: Option<String>,
}

fn valid_host(host: &str) -> bool {
    !host.is_empty() && host.len() <= 253 && !host.contains(|c: char| c == '/' || c == '@' || c.is_whitespace() || c.is_control())
}

/// Refuses any media type but JSON (which also makes browsers send a CORS preflight).
pub fn json_media_type(content_type: Option<&[u8]>) -> Result<(), Refusal> {
    let is_json = content_type
        .and_then(|v| std::str::from_utf8(v).ok())
        .is_some_and(|v| v.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/json"));
    if is_json {
        Ok(())
    } else {
        Err(Refusal::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "content-type", "the body must be JSON with Content-Type: application/json"))
    }
}

/// Reads and validates a request from its Content-Type header and body, without any I/O: the
/// media type must be JSON, the body a [`CheckRequest`] with no unknown field, the host a host
/// name or address, the port not 0, the SNI a host name, user and database names short and
/// without NUL. The body's size is bounded before this, while it is read.
pub fn parse_request(content_type: Option<&[u8]>, body: &[u8]) -> Result<ValidRequest, Refusal> {
    json_media_type(content_type)?;
    let req: CheckRequest = serde_json::from_slice(body)
        .map_err(|e| Refusal::new(StatusCode::BAD_REQUEST, "bad-json", format!("the body is not a check request: {e}")))?;
    let host = req.host.trim().to_string();
    if !valid_host(&host) {
        return Err(Refusal::new(StatusCode::BAD_REQUEST, "bad-host", format!("{:?} is not a host name or address", req.host)));
    }
    let port = req.port.unwrap_or(pgtls_probe::DEFAULT_PORT);
    if port == 0 {
        return Err(Refusal::new(StatusCode::BAD_REQUEST, "bad-port", "port 0 is not a port"));
    }
    if let Some(sni) = &req.sni {
        if !valid_host(sni) || pgtls_probe::is_ip_literal(sni) {
            return Err(Refusal::new(StatusCode::BAD_REQUEST, "bad-sni", format!("{sni:?} is not a host name to send as SNI")));
        }
    }
    for (field, value) in [("user", &req.user), ("database", &req.database)] {
        if let Some(v) = value {
            if v.is_empty() || v.len() > MAX_NAME_BYTES || v.contains('\0') {
                return Err(Refusal::new(
                    StatusCode::BAD_REQUEST,
                    if field == "user" { "bad-user" } else { "bad-database" },
                    format!("the {field} name must be 1 to {MAX_NAME_BYTES} bytes without NUL"),
                ));
            }
        }
    }
    Ok(ValidRequest { host, port, sni: req.sni, user: req.user, database: req.database, root_pem: req.root_pem })
}

/// The probe's options for a valid request and the addresses it was vetted for.
pub fn check_options(req: &ValidRequest, addrs: Vec<SocketAddr>, step_timeout: Duration) -> pgtls_probe::CheckOptions {
    let mut opts = pgtls_probe::CheckOptions::new(req.host.clone(), req.port);
    opts.sni = req.sni.clone();
    if let Some(u) = &req.user {
        opts.user = u.clone();
    }
    if let Some(d) = &req.database {
        opts.database = d.clone();
    }
    opts.timeout = step_timeout;
    opts.addresses = Some(addrs);
    opts
}

/// The report the relay answers with: the live result audited with the request's roots, at
/// `now` (Unix seconds), UTF-16 columns as the page wants them.
pub fn report_json(req: &ValidRequest, result: &pgtls_audit::live::LiveResult, now: i64) -> Result<serde_json::Value, String> {
    let mut extra = Vec::new();
    if let Some(pem) = &req.root_pem {
        extra.push(SourceFile::from_text("root.pem", InputKind::Pem, pem.clone()));
    }
    let mut options = AuditOptions::new(now);
    options.host = req.sni.clone().or_else(|| (!pgtls_probe::is_ip_literal(&req.host)).then(|| req.host.clone()));
    let (inputs, analysis) = pgtls_probe::audit(result, extra, &options);
    let report = analysis.report(&inputs, ColumnUnit::Utf16);
    serde_json::to_value(&report).map_err(|e| e.to_string())
}

async fn run_check(state: &AppState, request: Request) -> Response {
    let config = &state.config;
    let content_type = request.headers().get(header::CONTENT_TYPE).map(|v| v.as_bytes().to_vec());
    if let Err(refusal) = json_media_type(content_type.as_deref()) {
        return refusal.into_response();
    }
    let body = match to_bytes(request.into_body(), config.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                format!("the request body is larger than {} bytes", config.max_body_bytes),
            );
        }
    };
    let req = match parse_request(content_type.as_deref(), &body) {
        Ok(r) => r,
        Err(refusal) => return refusal.into_response(),
    };
    let Ok(permit) = state.running.clone().try_acquire_owned() else {
        return error(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-checks",
            format!("{} check(s) are already running; try again when they finish", config.max_concurrent),
        );
    };
    let running = config.max_concurrent.max(1) - state.running.available_permits();
    state.peak_running.fetch_max(running, Ordering::Relaxed);
    if let Err(wait) = take_rate_slot(state) {
        return error(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            format!("at most {} checks a minute; try again in {}s", config.max_per_minute, wait.as_secs() + 1),
        );
    }
    let (host, port) = (req.host.as_str(), req.port);
    let addrs = match pgtls_probe::resolve(host, port, config.step_timeout).await {
        Ok(a) => a,
        Err(e) => return error(StatusCode::BAD_GATEWAY, "resolve-failed", e),
    };
    // Vet every address the name resolved to, and hand exactly these to the probe, so that a
    // second DNS answer cannot point the check elsewhere.
    for addr in &addrs {
        let named = config.target_patterns.iter().any(|p| p.names_address(*addr));
        if let Some(why) = forbidden_address(addr.ip()) {
            if !named {
                return error(
                    StatusCode::FORBIDDEN,
                    "target-not-allowed",
                    format!("{host} resolves to {} ({why}); allow it explicitly with --allow-target {}", addr.ip(), addr.ip()),
                );
            }
        }
        if !config.target_patterns.is_empty() && !config.target_patterns.iter().any(|p| p.allows(host, *addr)) {
            return error(
                StatusCode::FORBIDDEN,
                "target-not-allowed",
                format!("{host}:{port} ({}) matches no --allow-target pattern", addr.ip()),
            );
        }
    }
    let opts = check_options(&req, addrs, config.step_timeout);
    let result = match tokio::time::timeout(config.check_timeout, pgtls_probe::check(&opts)).await {
        Ok(r) => r,
        Err(_) => {
            return error(
                StatusCode::GATEWAY_TIMEOUT,
                "check-timeout",
                format!("the check did not finish within {}s", config.check_timeout.as_secs_f64()),
            )
        }
    };
    drop(permit);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    match report_json(&req, &result, now) {
        Ok(v) => json_response(StatusCode::OK, v),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e),
    }
}

/// Serves until the listener fails.
pub async fn serve(listener: tokio::net::TcpListener, config: Config) -> std::io::Result<()> {
    axum::serve(listener, router(config)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn metadata_and_link_local_are_forbidden() {
        for ip in ["169.254.169.254", "169.254.1.1", "fe80::1", "fd00:ec2::254", "::ffff:169.254.169.254", "0.0.0.0", "224.0.0.1", "100.100.100.200"] {
            assert!(forbidden_address(ip.parse().unwrap()).is_some(), "{ip}");
        }
        for ip in ["127.0.0.1", "::1", "10.1.2.3", "192.168.1.10", "203.0.113.5", "2001:db8::1"] {
            assert_eq!(forbidden_address(ip.parse().unwrap()), None, "{ip}");
        }
    }

    #[test]
    fn target_patterns_match_names_suffixes_networks_and_ports() {
        let p: TargetPattern = "*.example.com".parse().unwrap();
        assert!(p.allows("db.example.com", addr("10.0.0.1:5432")));
        assert!(!p.allows("example.com.evil", addr("10.0.0.1:5432")));
        let p: TargetPattern = "10.0.0.0/8:5432".parse().unwrap();
        assert!(p.allows("anything", addr("10.9.9.9:5432")));
        assert!(!p.allows("anything", addr("10.9.9.9:6432")));
        assert!(!p.allows("anything", addr("11.0.0.1:5432")));
        let p: TargetPattern = "[::1]:5433".parse().unwrap();
        assert!(p.allows("::1", addr("[::1]:5433")));
        let p: TargetPattern = "169.254.169.254".parse().unwrap();
        assert!(p.names_address(addr("169.254.169.254:80")));
        let p: TargetPattern = "DB.internal".parse().unwrap();
        assert!(p.allows("db.INTERNAL", addr("10.0.0.1:5432")) && !p.names_address(addr("10.0.0.1:5432")));
        assert!("a/b".parse::<TargetPattern>().is_err());
        assert!("db:x".parse::<TargetPattern>().is_err());
        assert!("".parse::<TargetPattern>().is_err());
    }
}
