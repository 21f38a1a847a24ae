//! `pgtls-relay`: lets the pgtls page run live checks through this machine.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use pgtls_relay::{Config, TargetPattern, DEFAULT_LISTEN};

#[derive(Parser)]
#[command(name = "pgtls-relay", version, about = "A loopback relay that lets the pgtls page run live TLS checks of PostgreSQL servers")]
struct Args {
    /// Address to listen on. Loopback only, unless --allow-remote-listen.
    #[arg(long, default_value = DEFAULT_LISTEN)]
    listen: SocketAddr,
    /// Allow listening on a non-loopback address (anyone who can reach it can make this machine
    /// probe servers).
    #[arg(long)]
    allow_remote_listen: bool,
    /// An origin allowed to call the relay, e.g. http://127.0.0.1:8080. Repeatable; replaces the
    /// defaults (the page under `cargo xtask serve`).
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    allow_origins: Vec<String>,
    /// Allow `Origin: null`, sent by the single-file page opened from disk.
    #[arg(long)]
    allow_null_origin: bool,
    /// Only check targets matching a pattern: db.example.com, *.example.com, 10.0.0.0/8,
    /// each with an optional :PORT. An address pattern also allows a link-local or metadata
    /// address, which are refused otherwise. Repeatable.
    #[arg(long = "allow-target", value_name = "PATTERN")]
    allow_targets: Vec<TargetPattern>,
    /// Checks running at once.
    #[arg(long, default_value_t = 2)]
    max_concurrent: usize,
    /// Checks started per minute.
    #[arg(long, default_value_t = 30)]
    max_per_minute: usize,
    /// The bound of each probe step, in seconds.
    #[arg(long, default_value_t = 5.0)]
    timeout: f64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if !args.listen.ip().is_loopback() && !args.allow_remote_listen {
        eprintln!("pgtls-relay: {} is not a loopback address; pass --allow-remote-listen to listen there anyway", args.listen);
        return ExitCode::from(2);
    }
    if !(args.timeout > 0.0 && args.timeout <= 60.0) {
        eprintln!("pgtls-relay: --timeout must be above 0 and at most 60 seconds");
        return ExitCode::from(2);
    }
    let mut config = Config::default();
    if !args.allow_origins.is_empty() {
        config.allowed_origins = args.allow_origins;
    }
    config.allow_null_origin = args.allow_null_origin;
    config.target_patterns = args.allow_targets;
    config.max_concurrent = args.max_concurrent.max(1);
    config.max_per_minute = args.max_per_minute.max(1);
    config.step_timeout = Duration::from_secs_f64(args.timeout);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("pgtls-relay: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(async {
        let listener = match tokio::net::TcpListener::bind(args.listen).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("pgtls-relay: cannot listen on {}: {e}", args.listen);
                return ExitCode::from(1);
            }
        };
        eprintln!(
            "pgtls-relay: listening on http://{} for {}{}",
            args.listen,
            config.allowed_origins.join(", "),
            if config.allow_null_origin { ", null" } else { "" }
        );
        match pgtls_relay::serve(listener, config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("pgtls-relay: {e}");
                ExitCode::from(1)
            }
        }
    })
}
