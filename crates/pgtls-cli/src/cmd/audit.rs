//! `pgtls audit`: audit files, connection strings and certificates; exit by the fail level.

use std::io::IsTerminal;

use clap::ValueEnum;
use pgtls_audit::{AuditOptions, ColumnUnit, Severity};

use crate::input;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(clap::Args)]
pub struct Args {
    /// Files to audit (postgresql.conf, pg_hba.conf, PEM/DER, connection strings, ...); `-` reads
    /// standard input. Kinds are detected from the name, then the content.
    pub files: Vec<String>,
    /// Override a file's kind: KIND:FILE (e.g. pg-hba:hba.txt). Repeatable.
    #[arg(long = "kind", value_name = "KIND:FILE")]
    pub kinds: Vec<String>,
    /// A client connection string (libpq, URI, JDBC, ...). Repeatable.
    #[arg(long = "conn", value_name = "STRING")]
    pub conns: Vec<String>,
    /// Target PostgreSQL major version (server and libpq).
    #[arg(long, default_value_t = pgtls_audit::options::DEFAULT_PG_VERSION)]
    pub pg_version: u32,
    /// The host name clients connect to (for verify-full checks of the server certificate).
    #[arg(long)]
    pub host: Option<String>,
    /// A fixed clock (RFC 3339), for reproducible reports.
    #[arg(long)]
    pub now: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Colour in text output: auto (a terminal without NO_COLOR), always or never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub color: String,
}

pub fn run(args: Args) -> u8 {
    match audit(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("pgtls audit: {message}");
            2
        }
    }
}

fn audit(args: &Args) -> Result<u8, String> {
    if args.files.is_empty() && args.kinds.is_empty() && args.conns.is_empty() {
        return Err("nothing to audit: name files (or - for standard input) or give --conn".into());
    }
    let inputs = input::gather(&args.files, &args.kinds, &args.conns)?;
    let options = AuditOptions {
        pg_version: input::check_pg_version(args.pg_version)?,
        host: args.host.clone(),
        now: input::parse_now(args.now.as_deref())?,
    };
    let analysis = pgtls_audit::audit(&inputs, &options);
    let unit = if args.format == Format::Sarif { ColumnUnit::Utf16 } else { ColumnUnit::Utf8 };
    let report = analysis.report(&inputs, unit);
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?,
        Format::Sarif => serde_json::to_string_pretty(&pgtls_audit::render::sarif::render(&report))
            .map_err(|e| e.to_string())?,
        Format::Markdown => pgtls_audit::render::markdown::render(&report),
        Format::Text => {
            let color = match args.color.as_str() {
                "always" => true,
                "never" => false,
                _ => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            crate::render_text::render(&report, &inputs, color)
        }
    };
    println!("{}", text.trim_end());
    let failed = args
        .fail_on
        .threshold()
        .is_some_and(|t| analysis.diagnostics.iter().any(|d| d.severity >= t));
    Ok(u8::from(failed))
}
