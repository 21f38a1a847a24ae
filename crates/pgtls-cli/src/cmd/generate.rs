//! `pgtls generate`: write a hardened set (server config, pg_hba.conf, certificate script,
//! client strings, steps) for a version, names, drivers and platform.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use pgtls_audit::generate::{self, Driver, GeneratedFile, Platform, Request};

#[derive(clap::Args)]
pub struct Args {
    /// Target PostgreSQL major version.
    #[arg(long, default_value_t = pgtls_audit::options::DEFAULT_PG_VERSION)]
    pub pg_version: u32,
    /// A DNS name clients connect to (repeatable); the first is used in the client strings.
    #[arg(long = "host", value_name = "NAME")]
    pub hosts: Vec<String>,
    /// An IP address clients connect to (repeatable).
    #[arg(long = "ip", value_name = "ADDR")]
    pub ips: Vec<String>,
    /// Client drivers in use: libpq, jdbc, npgsql, pgx, node, sqlalchemy (repeatable; default libpq).
    #[arg(long = "driver", value_name = "DRIVER")]
    pub drivers: Vec<String>,
    /// Where PostgreSQL runs: self, rds, cloudsql, azure, cnpg.
    #[arg(long, default_value = "self")]
    pub platform: String,
    #[arg(long, default_value_t = 5432)]
    pub port: u16,
    /// The database the client strings name.
    #[arg(long, default_value = "postgres")]
    pub db: String,
    /// The role the client strings name.
    #[arg(long, default_value = "app")]
    pub user: String,
    /// The folder to write into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Replace files that already exist in the folder.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> u8 {
    match write(&args) {
        Ok(()) => 0,
        Err(messages) => {
            for message in messages {
                eprintln!("pgtls generate: {message}");
            }
            2
        }
    }
}

/// Every problem with the arguments is reported, each naming its option, so one run shows
/// all there is to correct.
fn write(args: &Args) -> Result<(), Vec<String>> {
    let platform = Platform::parse(&args.platform).ok_or_else(|| {
        vec![format!("unknown --platform {:?}; use self, rds, cloudsql, azure or cnpg", args.platform)]
    })?;
    let mut req = Request::new(args.pg_version, platform);
    req.hosts = args.hosts.clone();
    req.ips = args.ips.clone();
    req.port = args.port;
    req.database = args.db.clone();
    req.user = args.user.clone();
    if !args.drivers.is_empty() {
        req.drivers = args
            .drivers
            .iter()
            .map(|d| {
                Driver::parse(d).ok_or_else(|| {
                    format!("unknown --driver {d:?}; use libpq, jdbc, npgsql, pgx, node or sqlalchemy")
                })
            })
            .collect::<Result<_, _>>()
            .map_err(|e| vec![e])?;
    }
    let errors = generate::request_errors(&req);
    if !errors.is_empty() {
        return Err(errors.iter().map(ToString::to_string).collect());
    }
    let files = generate::generate(&req).map_err(|e| vec![e.to_string()])?;
    write_files(&args.out, &files, args.force).map_err(|e| vec![e])
}

/// Writes generated files into `out` (created if missing), refusing to replace existing files
/// unless `force`; scripts get the executable bit.
pub fn write_files(out: &Path, files: &[GeneratedFile], force: bool) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    if !force {
        if let Some(f) = files.iter().find(|f| out.join(&f.name).exists()) {
            return Err(format!(
                "{} exists; choose another --out or pass --force to replace it",
                out.join(&f.name).display()
            ));
        }
    }
    for f in files {
        let path = out.join(&f.name);
        std::fs::write(&path, &f.contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        let mode = if f.executable { 0o755 } else { 0o644 };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| format!("cannot set the mode of {}: {e}", path.display()))?;
        println!("wrote {}", path.display());
    }
    println!("next: read {}", out.join("README.md").display());
    Ok(())
}
