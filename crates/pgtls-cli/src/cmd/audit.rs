//! `pgtls audit`: audit files, connection strings and certificates; exit by the fail level.

use std::io::IsTerminal;

use clap::ValueEnum;
use pgtls_audit::{ColumnUnit, Severity};

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
    #[command(flatten)]
    pub input: input::AuditInputArgs,
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
    if args.input.is_empty() {
        return Err("nothing to audit: name files (or - for standard input) or give --conn".into());
    }
    let inputs = args.input.inputs()?;
    let options = args.input.options()?;
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
