//! `pgtls conninfo STRING`: one connection string explained: each keyword, where its value came
//! from (string, environment, service file, driver default), the effective sslmode and what it
//! means on the wire. `--regress` prints what libpq's uri-regress test program prints.

use std::io::Write;

use pgtls_audit::conn::libpq;
use pgtls_audit::options::{DEFAULT_PG_VERSION, KNOWN_PG_VERSIONS};
use pgtls_audit::{audit, AuditOptions, ColumnUnit, InputKind, Inputs, SourceFile};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// The connection string: libpq keyword/value or URI, JDBC, Npgsql, a driver URL, or
    /// `DRIVER: STRING` (pgx, lib/pq, node-postgres, sqlx, tokio-postgres, ...).
    pub string: String,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Print the line libpq's uri-regress program prints (`key='value' ... (inet|local)`).
    #[arg(long)]
    pub regress: bool,
    /// The libpq major version whose grammar and defaults apply.
    #[arg(long = "pg-version", default_value_t = DEFAULT_PG_VERSION)]
    pub pg_version: u32,
    /// An environment block (dotenv, shell, Kubernetes env) to merge, as libpq would.
    #[arg(long = "env", value_name = "FILE")]
    pub env_files: Vec<String>,
    /// Merge this process's PG* environment variables, as libpq does.
    #[arg(long = "process-env")]
    pub process_env: bool,
    /// A pg_service.conf for `service=` references.
    #[arg(long = "service-file", value_name = "FILE")]
    pub service_files: Vec<String>,
}

pub fn run(args: Args) -> u8 {
    if !KNOWN_PG_VERSIONS.contains(&args.pg_version) {
        eprintln!(
            "pgtls conninfo: --pg-version {} is not one of {}..={}",
            args.pg_version,
            KNOWN_PG_VERSIONS.start(),
            KNOWN_PG_VERSIONS.end()
        );
        return 2;
    }
    if args.regress {
        let env = |name: &str| std::env::var(name).ok();
        let line = libpq::regress_line(&args.string, args.pg_version, &env);
        if line.starts_with("uri-regress: ") {
            eprintln!("{line}");
            return 1;
        }
        println!("{line}");
        return 0;
    }
    let mut inputs = Inputs::new();
    inputs.push(SourceFile::from_text("conninfo", InputKind::Conninfo, args.string.clone()));
    for path in &args.env_files {
        match std::fs::read(path) {
            Ok(bytes) => {
                inputs.push(SourceFile::new(path.clone(), InputKind::Environment, bytes));
            }
            Err(e) => {
                eprintln!("pgtls conninfo: {path}: {e}");
                return 2;
            }
        }
    }
    if args.process_env {
        let block: String = std::env::vars()
            .filter(|(k, _)| k.starts_with("PG"))
            .map(|(k, v)| format!("{k}='{}'\n", v.replace('\'', "")))
            .collect();
        if !block.is_empty() {
            inputs.push(SourceFile::from_text("(environment)", InputKind::Environment, block));
        }
    }
    for path in &args.service_files {
        match std::fs::read(path) {
            Ok(bytes) => {
                inputs.push(SourceFile::new(path.clone(), InputKind::ServiceFile, bytes));
            }
            Err(e) => {
                eprintln!("pgtls conninfo: {path}: {e}");
                return 2;
            }
        }
    }
    let mut options = AuditOptions::new(0);
    options.pg_version = args.pg_version;
    let analysis = audit(&inputs, &options);
    let summaries = analysis.model.clients.summaries();
    let conn_findings: Vec<_> = analysis.diagnostics.iter().filter(|d| d.rule.id.starts_with("CONN")).collect();
    let refused = analysis.model.clients.clients.iter().any(|c| c.refused);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            let findings: Vec<serde_json::Value> = conn_findings
                .iter()
                .map(|d| {
                    let file = inputs.file(d.location.file);
                    let at = file.line_col(d.location.span.start, ColumnUnit::Utf8);
                    serde_json::json!({
                        "rule": d.rule.id,
                        "severity": d.severity,
                        "message": d.message,
                        "file": file.name,
                        "line": at.line,
                        "column": at.column,
                        "fix": d.fix,
                    })
                })
                .collect();
            let doc = serde_json::json!({ "pg_version": args.pg_version, "clients": summaries, "findings": findings });
            let _ = writeln!(out, "{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        Format::Text => {
            for (c, s) in analysis.model.clients.clients.iter().zip(&summaries) {
                let _ = writeln!(out, "{}  [{}]", s.name, s.driver);
                if !s.settings.is_empty() {
                    let width = s.settings.iter().map(|v| v.keyword.len()).max().unwrap_or(0).max(7);
                    let vwidth = s.settings.iter().map(|v| v.value.chars().count().min(40)).max().unwrap_or(0).max(5);
                    let _ = writeln!(out, "  {:width$}  {:vwidth$}  from", "keyword", "value");
                    for v in &s.settings {
                        let value: String = v.value.chars().take(40).collect();
                        let _ = writeln!(out, "  {:width$}  {:vwidth$}  {}", v.keyword, value, v.origin);
                    }
                }
                let mode = if s.sslmode.is_empty() { "(none)" } else { s.sslmode.as_str() };
                let _ = writeln!(out, "  effective sslmode: {mode} ({})", s.sslmode_origin);
                let _ = writeln!(out, "  on the wire: {}", s.wire);
                let yes = |b: bool| if b { "yes" } else { "no" };
                let _ = writeln!(
                    out,
                    "  verifies the chain: {}; verifies the host name: {}; root: {}",
                    yes(s.verifies_chain),
                    yes(s.verifies_host_name),
                    s.root_cert.as_deref().unwrap_or("(driver default)")
                );
                let _ = writeln!(out, "  driver: {}", s.semantics);
                let mine: Vec<_> = conn_findings
                    .iter()
                    .filter(|d| d.rule.id != "CONN014" && d.message.starts_with(&format!("{}:", c.name)))
                    .collect();
                for d in mine {
                    let _ = writeln!(out, "  {} {}: {}", d.severity, d.rule.id, d.message);
                    if let Some(fix) = &d.fix {
                        let _ = writeln!(out, "    fix: {}", fix.summary);
                        for e in &fix.edits {
                            let _ = writeln!(out, "      replace {}..{} with {:?}", e.span.start, e.span.end, e.replacement);
                        }
                    }
                }
            }
            // Findings not tied to one client (parse errors of other inputs).
            for d in conn_findings.iter().filter(|d| d.rule.id == "CONN014") {
                let file = inputs.file(d.location.file);
                let at = file.line_col(d.location.span.start, ColumnUnit::Utf8);
                let _ = writeln!(out, "{}:{}:{}: {} {}: {}", file.name, at.line, at.column, d.severity, d.rule.id, d.message);
            }
        }
    }
    if refused {
        1
    } else {
        0
    }
}
