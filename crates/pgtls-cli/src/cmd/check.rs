//! `pgtls check`: a live check of a running server, judged by the engine like any input.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::time::Duration;

use clap::ValueEnum;
use pgtls_audit::live::LiveResult;
use pgtls_audit::{AuditOptions, ColumnUnit, InputKind, Report, Severity, SourceFile};
use pgtls_probe::CheckOptions;

use crate::cmd::audit::FailOn;
use crate::input;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// Prometheus/OpenMetrics text, for node_exporter's textfile collector.
    Openmetrics,
}

#[derive(clap::Args)]
pub struct Args {
    /// The server: HOST, HOST:PORT or [IPV6]:PORT (port 5432 by default).
    pub target: String,
    /// The host name clients connect to: sent as SNI and used for the certificate's host-name
    /// check (verify-full). Defaults to the target's host unless it is an address.
    #[arg(long)]
    pub host: Option<String>,
    /// A PEM file of the CAs clients trust (their sslrootcert), or `system` for the system's
    /// roots. Repeatable.
    #[arg(long = "root", value_name = "FILE")]
    pub roots: Vec<String>,
    /// The role named in the plaintext probe's StartupMessage (never authenticated).
    #[arg(long, default_value = pgtls_probe::DEFAULT_PROBE_USER)]
    pub user: String,
    /// The database named in the plaintext probe's StartupMessage.
    #[arg(long = "db", default_value = pgtls_probe::DEFAULT_PROBE_DATABASE)]
    pub database: String,
    /// The bound of each step: `5s`, `500ms`, or seconds.
    #[arg(long, default_value = "5s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Target PostgreSQL major version (for the certificate and libpq rules).
    #[arg(long, default_value_t = pgtls_audit::options::DEFAULT_PG_VERSION)]
    pub pg_version: u32,
    /// A fixed clock (RFC 3339) for the certificate checks.
    #[arg(long)]
    pub now: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Colour in text output: auto, always or never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub color: String,
}

pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (number, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else {
        (t, 1.0)
    };
    let value: f64 = number.trim().parse().map_err(|_| format!("{text:?} is not a duration (5s, 500ms, 2)"))?;
    if !(value > 0.0 && value * scale <= 600.0) {
        return Err(format!("{text:?}: a timeout must be above 0 and at most 10 minutes"));
    }
    Ok(Duration::from_secs_f64(value * scale))
}

pub fn run(args: Args) -> u8 {
    match check(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("pgtls check: {message}");
            2
        }
    }
}

fn check(args: &Args) -> Result<u8, String> {
    let (host, port) = pgtls_probe::parse_target(&args.target)?;
    let now = input::parse_now(args.now.as_deref())?;
    let options = AuditOptions {
        pg_version: input::check_pg_version(args.pg_version)?,
        host: args.host.clone().or_else(|| (!pgtls_probe::is_ip_literal(&host)).then(|| host.clone())),
        now,
    };
    let mut roots = Vec::new();
    for root in &args.roots {
        if root == "system" {
            roots.push(SourceFile::from_text("system roots", InputKind::Pem, pgtls_probe::system_roots_pem()?));
        } else {
            roots.push(SourceFile::new(root.clone(), InputKind::Pem, input::read_file(root)?));
        }
    }
    let mut opts = CheckOptions::new(host, port);
    opts.sni = args.host.clone();
    opts.user = args.user.clone();
    opts.database = args.database.clone();
    opts.timeout = args.timeout;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let result = runtime.block_on(pgtls_probe::check(&opts));
    let (inputs, analysis) = pgtls_probe::audit(&result, roots, &options);
    let report = analysis.report(&inputs, ColumnUnit::Utf8);
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?,
        Format::Openmetrics => openmetrics(&result, &report, now),
        Format::Text => {
            let color = match args.color.as_str() {
                "always" => true,
                "never" => false,
                _ => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            format!("{}\n{}", summary(&result), crate::render_text::render(&report, &inputs, color))
        }
    };
    println!("{}", text.trim_end());
    let failed = args.fail_on.threshold().is_some_and(|t| analysis.diagnostics.iter().any(|d| d.severity >= t));
    Ok(u8::from(failed))
}

/// What the check saw, before the findings.
fn summary(r: &LiveResult) -> String {
    let mut out = String::new();
    let t = &r.target;
    let _ = writeln!(out, "Live check of {}:{} ({})", t.host, t.port, if t.addresses.is_empty() { "unresolved".into() } else { t.addresses.join(", ") });
    let _ = writeln!(out, "  SSLRequest:   {}{}", kebab(&r.ssl_request), r.ssl_request_detail.as_deref().map(|d| format!(" ({d})")).unwrap_or_default());
    if let Some(tls) = &r.tls {
        let _ = writeln!(
            out,
            "  TLS:          {} {} group {} ALPN {}{}",
            tls.version,
            tls.cipher,
            tls.group.as_deref().unwrap_or("-"),
            tls.alpn.as_deref().unwrap_or("none"),
            if tls.client_cert_requested { ", client certificate requested" } else { "" }
        );
    }
    let _ = writeln!(out, "  Certificates: {} presented", r.certificates.len());
    let protocols: Vec<&str> = r.protocols.iter().into_iter().filter(|(_, on)| *on).map(|(n, _)| n).collect();
    let _ = writeln!(out, "  Protocols:    {}", if protocols.is_empty() { "none".into() } else { protocols.join(", ") });
    let _ = writeln!(out, "  TLS 1.2 suites accepted: {}", r.tls12_ciphers.len());
    let _ = writeln!(out, "  Direct TLS:   {}", kebab(&r.direct_tls));
    let _ = writeln!(out, "  Plaintext:    {}{}", kebab(&r.plaintext), r.plaintext_detail.as_deref().map(|d| format!(" ({d})")).unwrap_or_default());
    if let Some(total) = r.timings_ms.get("total") {
        let _ = writeln!(out, "  Took {total} ms");
    }
    out
}

fn kebab<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// OpenMetrics text: days to expiry per presented certificate, accepted protocol versions,
/// plaintext acceptance, plus whether the check could run and the score.
pub fn openmetrics(r: &LiveResult, report: &Report, now: i64) -> String {
    let target = escape(&format!("{}:{}", r.target.host, r.target.port));
    let mut out = String::new();
    let _ = writeln!(out, "# TYPE pgtls_check_up gauge\n# HELP pgtls_check_up 1 when the server answered SSLRequest at all.");
    let up = !matches!(r.ssl_request, pgtls_audit::live::SslRequestOutcome::NotTried | pgtls_audit::live::SslRequestOutcome::Other);
    let _ = writeln!(out, "pgtls_check_up{{target=\"{target}\"}} {}", u8::from(up));
    let _ = writeln!(out, "# TYPE pgtls_certificate_expiry_days gauge\n# HELP pgtls_certificate_expiry_days Days until each presented certificate expires (negative when expired).");
    for (i, pem) in r.certificates.iter().enumerate() {
        if let Some((subject, not_after)) = pgtls_probe::certificate_validity(pem) {
            let days = (not_after - now) as f64 / 86_400.0;
            let _ = writeln!(out, "pgtls_certificate_expiry_days{{target=\"{target}\",position=\"{i}\",subject=\"{}\"}} {days:.2}", escape(&subject));
        }
    }
    let _ = writeln!(out, "# TYPE pgtls_protocol_supported gauge\n# HELP pgtls_protocol_supported 1 when the server accepts the protocol version.");
    // Versions are only known when the server does TLS at all.
    let versions = if up && r.ssl_request == pgtls_audit::live::SslRequestOutcome::Accepted { r.protocols.iter().to_vec() } else { Vec::new() };
    for (name, on) in versions {
        let _ = writeln!(out, "pgtls_protocol_supported{{target=\"{target}\",version=\"{name}\"}} {}", u8::from(on));
    }
    let _ = writeln!(out, "# TYPE pgtls_plaintext_accepted gauge\n# HELP pgtls_plaintext_accepted 1 when a connection without SSL reached authentication, -1 when unknown.");
    let plain = match r.plaintext {
        pgtls_audit::live::PlaintextOutcome::Accepted => "1",
        pgtls_audit::live::PlaintextOutcome::Rejected => "0",
        pgtls_audit::live::PlaintextOutcome::Unknown => "-1",
    };
    let _ = writeln!(out, "pgtls_plaintext_accepted{{target=\"{target}\"}} {plain}");
    let _ = writeln!(out, "# TYPE pgtls_score gauge\n# HELP pgtls_score The audit score, 0-100.");
    let _ = writeln!(out, "pgtls_score{{target=\"{target}\"}} {}", report.score);
    let _ = writeln!(out, "# TYPE pgtls_findings gauge\n# HELP pgtls_findings Findings by severity.");
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        let n = report.findings.iter().filter(|f| f.severity == s).count();
        let _ = writeln!(out, "pgtls_findings{{target=\"{target}\",severity=\"{s}\"}} {n}");
    }
    out.push_str("# EOF\n");
    out
}

/// A label value with `\`, `"` and newlines escaped, as the exposition format requires.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("5s").unwrap(), Duration::from_secs(5));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2").unwrap(), Duration::from_secs(2));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("1h").is_err());
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("CN=a\"b\\c\nd"), "CN=a\\\"b\\\\c\\nd");
    }
}
