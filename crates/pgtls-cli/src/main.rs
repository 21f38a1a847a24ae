//! `pgtls`: the command line over the pgtls engine.

mod cmd;
mod input;
mod render_text;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "pgtls", version, about = "Audit PostgreSQL SSL/TLS: server config, pg_hba.conf, certificates and clients")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Audit configuration files, certificates and connection strings.
    Audit(cmd::audit::Args),
    /// pg_hba.conf tools: which line lets a connection in.
    #[command(subcommand)]
    Hba(cmd::hba::HbaCommand),
    /// Show certificates, the chain built from them, and the host-name check.
    Cert(cmd::cert::Args),
    /// Explain one connection string: each keyword, where it came from, what it means.
    Conninfo(cmd::conninfo::Args),
    /// Expand an OpenSSL cipher string the way OpenSSL does.
    Ciphers(cmd::ciphers::Args),
    /// Check a running server's TLS live: SSLRequest, handshake, versions, suites, plaintext.
    Check(cmd::check::Args),
    /// Explain an error message from libpq or the server: likely causes and the fix.
    Explain(cmd::explain::Args),
    /// Generate a hardened set: server TLS settings, pg_hba.conf, certificates, client strings.
    Generate(cmd::generate::Args),
    /// Write an iCalendar file with each certificate's expiry and a rotation reminder 30 days before.
    Calendar(cmd::calendar::Args),
    /// Write Prometheus alert rules and a systemd timer that run `pgtls check` for monitoring.
    Monitoring(cmd::monitoring::Args),
    /// Apply every safe fix: print the diffs, list what needs a decision; --write replaces the files.
    Fix(cmd::fix::Args),
    /// List the rules (ids, severities, checklist items), or print their documentation.
    Rules(cmd::rules::Args),
    /// Print a share link that opens these files in the pgtls page (private keys left out).
    Link(cmd::link::Args),
}

/// Restores the default SIGPIPE action, which Rust's runtime ignores: `pgtls audit ... | head`
/// should end quietly, as other command-line tools do, rather than panic in `println!` when the
/// reader goes away.
fn reset_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any thread exists; SIG_DFL is a valid action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    reset_sigpipe();
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Audit(args) => cmd::audit::run(args),
        Command::Hba(args) => cmd::hba::run(args),
        Command::Cert(args) => cmd::cert::run(args),
        Command::Conninfo(args) => cmd::conninfo::run(args),
        Command::Ciphers(args) => cmd::ciphers::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Explain(args) => cmd::explain::run(args),
        Command::Rules(args) => cmd::rules::run(args),
        Command::Generate(args) => cmd::generate::run(args),
        Command::Fix(args) => cmd::fix::run(args),
        Command::Monitoring(args) => cmd::monitoring::run(args),
        Command::Calendar(args) => cmd::calendar::run(args),
        Command::Link(args) => cmd::link::run(args),
    };
    ExitCode::from(code)
}
