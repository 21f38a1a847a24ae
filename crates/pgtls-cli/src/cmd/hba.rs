//! `pgtls hba explain`: which pg_hba.conf line a connection meets, and with which method.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use pgtls_audit::hba::record::{read_hba, HbaEntry, HbaFile, ReadOptions};
use pgtls_audit::hba::simulate::explain;
use pgtls_audit::hba::token::ProblemKind;
use pgtls_audit::hba::{simulate, Connection, Source};
use pgtls_audit::options::{DEFAULT_PG_VERSION, KNOWN_PG_VERSIONS};
use pgtls_audit::{InputKind, Inputs, SourceFile};

#[derive(clap::Subcommand)]
pub enum HbaCommand {
    /// Which line of a pg_hba.conf a connection meets, and its method (or the implicit reject).
    Explain(ExplainArgs),
}

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// The pg_hba.conf to read. Files it names (`@file`, include records) are read from
    /// beside it.
    pub file: PathBuf,
    /// The client's IP address, or `local` for a Unix-domain socket.
    #[arg(long, value_name = "ADDR|local")]
    pub from: String,
    /// The database the client asks for.
    #[arg(long, value_name = "DB")]
    pub db: String,
    /// The role the client connects as.
    #[arg(long, value_name = "USER")]
    pub user: String,
    /// Whether the connection uses SSL.
    #[arg(long, value_parser = ["yes", "no"])]
    pub ssl: String,
    /// Whether the connection uses GSSAPI encryption.
    #[arg(long, value_parser = ["yes", "no"], default_value = "no")]
    pub gss: String,
    /// A physical replication connection (only the `replication` keyword matches it).
    #[arg(long)]
    pub replication: bool,
    /// The PostgreSQL major version whose rules apply.
    #[arg(long, value_name = "N")]
    pub pg_version: Option<u32>,
}

pub fn run(command: HbaCommand) -> u8 {
    match command {
        HbaCommand::Explain(args) => explain_cmd(args),
    }
}

fn explain_cmd(args: ExplainArgs) -> u8 {
    let pg_version = args.pg_version.unwrap_or(DEFAULT_PG_VERSION);
    if !KNOWN_PG_VERSIONS.contains(&pg_version) {
        eprintln!(
            "pgtls: --pg-version {pg_version} is not one this build knows ({}–{})",
            KNOWN_PG_VERSIONS.start(),
            KNOWN_PG_VERSIONS.end()
        );
        return 2;
    }
    let source = if args.from == "local" {
        Source::Local
    } else {
        match args.from.parse::<IpAddr>() {
            Ok(ip) => Source::Ip(ip),
            Err(_) => {
                eprintln!("pgtls: --from must be an IP address or `local`, not {:?}", args.from);
                return 2;
            }
        }
    };
    let ssl = args.ssl == "yes";
    let gss = args.gss == "yes";
    if ssl && gss {
        eprintln!("pgtls: a connection uses SSL or GSSAPI encryption, not both");
        return 2;
    }
    if source == Source::Local && (ssl || gss) {
        eprintln!("pgtls: connections over a Unix socket use neither SSL nor GSSAPI encryption");
        return 2;
    }
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("pgtls: cannot read {}: {e}", args.file.display());
            return 2;
        }
    };
    let mut inputs = Inputs::new();
    inputs.push(SourceFile::new(args.file.display().to_string(), InputKind::PgHba, bytes));
    let dir = args.file.parent().map(Path::to_path_buf).unwrap_or_default();
    let file = read_with_references(&mut inputs, &dir, pg_version);

    for p in file.problems.iter().filter(|p| p.kind != ProblemKind::Logged) {
        let f = inputs.file(p.location.file);
        let line = f.line_col(p.location.span.start, pgtls_audit::ColumnUnit::Utf8).line;
        let what = if p.kind == ProblemKind::Refused { "PostgreSQL refuses this file" } else { "note" };
        eprintln!("pgtls: {what}: {} line {line}: {}", f.name, p.message);
    }
    let cx = Connection {
        source,
        database: args.db,
        user: args.user,
        ssl,
        gss,
        replication: args.replication,
    };
    let outcome = simulate(&file, &cx, pg_version);
    println!("{}", explain(&inputs, &file, &cx, &outcome, pg_version));
    0
}

/// Reads the pg_hba.conf, adding the files it names from disk until nothing new is found.
fn read_with_references(inputs: &mut Inputs, dir: &Path, pg_version: u32) -> HbaFile {
    let opts = ReadOptions::new(pg_version);
    let mut tried: Vec<String> = Vec::new();
    loop {
        let file = read_hba(inputs, 0, opts);
        let mut wanted: Vec<String> = Vec::new();
        for e in &file.entries {
            match e {
                HbaEntry::Unknown { reference, .. } => wanted.push(reference.clone()),
                HbaEntry::Record(r) => {
                    wanted.extend(r.databases.unresolved.iter().chain(&r.users.unresolved).map(|u| u.name.clone()))
                }
                HbaEntry::Invalid { .. } => {}
            }
        }
        let mut added = false;
        for name in wanted {
            if tried.contains(&name) {
                continue;
            }
            tried.push(name.clone());
            let path = if Path::new(&name).is_absolute() { PathBuf::from(&name) } else { dir.join(&name) };
            if path.is_dir() {
                // include_dir: the directory's files, named under the directory as written.
                let Ok(entries) = std::fs::read_dir(&path) else { continue };
                for entry in entries.flatten() {
                    let base = entry.file_name().to_string_lossy().into_owned();
                    if let Ok(bytes) = std::fs::read(entry.path()) {
                        inputs.push(SourceFile::new(format!("{}/{base}", name.trim_end_matches('/')), InputKind::Unknown, bytes));
                        added = true;
                    }
                }
            } else if let Ok(bytes) = std::fs::read(&path) {
                inputs.push(SourceFile::new(name, InputKind::Unknown, bytes));
                added = true;
            }
        }
        if !added {
            return file;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(file: PathBuf, from: &str, ssl: &str) -> ExplainArgs {
        ExplainArgs {
            file,
            from: from.into(),
            db: "app".into(),
            user: "alice".into(),
            ssl: ssl.into(),
            gss: "no".into(),
            replication: false,
            pg_version: Some(16),
        }
    }

    #[test]
    fn answers_exit_0_bad_input_exits_2() {
        let dir = tempfile::tempdir().unwrap();
        let hba = dir.path().join("pg_hba.conf");
        std::fs::write(&hba, "hostssl all @admins all scram-sha-256\n").unwrap();
        std::fs::write(dir.path().join("admins"), "alice\n").unwrap();
        assert_eq!(run(HbaCommand::Explain(args(hba.clone(), "10.0.0.1", "yes"))), 0);
        assert_eq!(run(HbaCommand::Explain(args(hba.clone(), "not-an-ip", "yes"))), 2);
        assert_eq!(run(HbaCommand::Explain(args(hba.clone(), "local", "yes"))), 2);
        assert_eq!(run(HbaCommand::Explain(args(dir.path().join("missing.conf"), "local", "no"))), 2);
        let mut bad = args(hba, "local", "no");
        bad.pg_version = Some(9);
        assert_eq!(run(HbaCommand::Explain(bad)), 2);
    }

    #[test]
    fn referenced_files_are_read_from_beside_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pg_hba.conf"), "hostssl all @admins all scram-sha-256\n").unwrap();
        std::fs::write(dir.path().join("admins"), "alice\n").unwrap();
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::new("pg_hba.conf", InputKind::PgHba, std::fs::read(dir.path().join("pg_hba.conf")).unwrap()));
        let file = read_with_references(&mut inputs, dir.path(), 16);
        let cx = Connection {
            source: Source::Ip("10.0.0.1".parse().unwrap()),
            database: "app".into(),
            user: "alice".into(),
            ssl: true,
            gss: false,
            replication: false,
        };
        let text = explain(&inputs, &file, &cx, &simulate(&file, &cx, 16), 16);
        assert_eq!(text, "line 1: hostssl all @admins all scram-sha-256\nmethod: scram-sha-256");
    }
}
