//! `pgtls monitoring`: Prometheus alert rules, a systemd timer and a cron line that keep
//! `pgtls check` running into node_exporter's textfile directory.

use std::path::PathBuf;

use pgtls_audit::generate::monitoring::{self, Request, Target};

#[derive(clap::Args)]
pub struct Args {
    /// A server to check, HOST:PORT (repeatable).
    #[arg(long = "target", value_name = "HOST:PORT", required = true)]
    pub targets: Vec<String>,
    /// The name clients use, passed to every check as --host.
    #[arg(long)]
    pub host: Option<String>,
    /// The root certificate clients trust, passed to every check as --root.
    #[arg(long)]
    pub root: Option<String>,
    /// node_exporter's textfile collector directory.
    #[arg(long, default_value = "/var/lib/prometheus/node-exporter")]
    pub textfile_dir: String,
    /// How often to check, in minutes.
    #[arg(long, default_value_t = 60)]
    pub interval_minutes: u32,
    /// Where pgtls is installed on the monitoring host.
    #[arg(long, default_value = "/usr/local/bin/pgtls")]
    pub pgtls_path: String,
    /// The folder to write into.
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> u8 {
    if args.targets.iter().any(|t| t.trim().is_empty()) {
        eprintln!("pgtls monitoring: --target takes HOST:PORT");
        return 2;
    }
    let req = Request {
        targets: args
            .targets
            .iter()
            .map(|t| Target { address: t.clone(), host_name: args.host.clone(), root: args.root.clone() })
            .collect(),
        textfile_dir: args.textfile_dir.clone(),
        interval_minutes: args.interval_minutes,
        pgtls_path: args.pgtls_path.clone(),
    };
    match super::generate::write_files(&args.out, &monitoring::files(&req), args.force) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("pgtls monitoring: {message}");
            2
        }
    }
}
