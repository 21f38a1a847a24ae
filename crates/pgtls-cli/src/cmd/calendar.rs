//! `pgtls calendar`: an iCalendar file with every certificate's expiry and the day, 30 days
//! before, when rotation should start.

use std::path::PathBuf;

use pgtls_audit::{AuditOptions, ColumnUnit};

use crate::input;

#[derive(clap::Args)]
pub struct Args {
    /// Certificate files (PEM or DER), or any inputs that hold certificates (Kubernetes Secrets).
    pub files: Vec<String>,
    /// The DTSTAMP of the events (RFC 3339); the system clock when absent.
    #[arg(long)]
    pub now: Option<String>,
    /// Write the calendar here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> u8 {
    match calendar(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("pgtls calendar: {message}");
            2
        }
    }
}

fn calendar(args: &Args) -> Result<u8, String> {
    if args.files.is_empty() {
        return Err("name the certificate files".into());
    }
    let inputs = input::gather(&args.files, &[], &[])?;
    let now = input::parse_now(args.now.as_deref())?;
    let analysis = pgtls_audit::audit(&inputs, &AuditOptions::new(now));
    let report = analysis.report(&inputs, ColumnUnit::Utf8);
    let entries = pgtls_audit::calendar::entries(&report);
    if entries.is_empty() {
        return Err("no certificate found in the given files".into());
    }
    let ics = pgtls_audit::calendar::ics(&entries, now);
    match &args.out {
        Some(path) => {
            std::fs::write(path, ics).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            eprintln!("wrote {} ({} certificate(s), 2 events each)", path.display(), entries.len());
        }
        None => print!("{ics}"),
    }
    Ok(0)
}
