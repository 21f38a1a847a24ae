//! `pgtls explain`: recognise an error message from libpq or the server, and explain it,
//! pointing into the given files.

use clap::ValueEnum;
use pgtls_audit::explain::{explain, Explanation};
use pgtls_audit::{AuditOptions, Model};

use crate::input;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// The error message (quote it; `-` reads it from standard input). Several messages, a psql
    /// session or a server log excerpt may be pasted at once.
    #[arg(allow_hyphen_values = true)]
    pub message: String,
    /// Configuration files the explanation should point into (postgresql.conf, pg_hba.conf,
    /// connection strings, certificates).
    pub files: Vec<String>,
    /// Override a file's kind: KIND:FILE. Repeatable.
    #[arg(long = "kind", value_name = "KIND:FILE")]
    pub kinds: Vec<String>,
    /// A client connection string to point into. Repeatable.
    #[arg(long = "conn", value_name = "STRING")]
    pub conns: Vec<String>,
    /// Target PostgreSQL major version.
    #[arg(long, default_value_t = pgtls_audit::options::DEFAULT_PG_VERSION)]
    pub pg_version: u32,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: Args) -> u8 {
    match explain_command(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("pgtls explain: {message}");
            2
        }
    }
}

fn explain_command(args: &Args) -> Result<u8, String> {
    let message = if args.message == "-" {
        String::from_utf8_lossy(&input::read_file("-")?).into_owned()
    } else {
        args.message.clone()
    };
    let inputs = input::gather(&args.files, &args.kinds, &args.conns)?;
    let mut options = AuditOptions::new(0);
    options.pg_version = input::check_pg_version(args.pg_version)?;
    let model = Model::build(&inputs, &options);
    let explanations = explain(&message, &inputs, &model, &options);
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&explanations).map_err(|e| e.to_string())?),
        Format::Text => print!("{}", render(&explanations)),
    }
    if explanations.is_empty() {
        eprintln!("pgtls explain: no known TLS or authentication message found");
        return Ok(1);
    }
    Ok(0)
}

fn render(explanations: &[Explanation]) -> String {
    let mut out = String::new();
    for (i, e) in explanations.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let side = match e.side {
            pgtls_audit::explain::Side::Client => "client (libpq)",
            pgtls_audit::explain::Side::Server => "server",
        };
        out.push_str(&format!("[{}] {} — from the {side}\n", e.id, e.title));
        out.push_str(&format!("  recognised: {}\n", e.matched.replace('\n', " ")));
        let names: Vec<String> = e
            .captures
            .iter()
            .filter(|(k, v)| !k.ends_with("_text") && !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !names.is_empty() {
            out.push_str(&format!("  names: {}\n", names.join(", ")));
        }
        if let Some(h) = &e.version_hint {
            out.push_str(&format!("  version: {h}\n"));
        }
        out.push_str(&format!("\n  What it means: {}\n", e.meaning));
        out.push_str("  Likely causes:\n");
        for c in &e.causes {
            out.push_str(&format!("    - {c}\n"));
        }
        out.push_str("  Fix:\n");
        for f in &e.fix {
            out.push_str(&format!("    - {f}\n"));
        }
        if let Some(v) = &e.versions {
            out.push_str(&format!("  Versions: {v}\n"));
        }
        if !e.pointers.is_empty() {
            out.push_str("  In your files:\n");
            for p in &e.pointers {
                out.push_str(&format!("    {}:{}: {}\n      {}\n", p.file, p.line, p.text.trim(), p.note));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    //! Messages captured from psql 15 (libpq 15) against a real PostgreSQL 15, each of which
    //! the explainer must recognise with the right names.

    use std::path::Path;
    use std::process::Command;

    use pgtls_audit::explain::explain_message;
    use pgtls_audit::AuditOptions;
    use pgtls_testpg::TestPg;

    fn openssl(args: &[&str]) -> bool {
        Command::new("openssl").args(args).output().map(|o| o.status.success()).unwrap_or(false)
    }

    /// A self-signed certificate and key for `cn`, written to `dir`.
    fn self_signed(dir: &Path, name: &str, cn: &str) -> Option<(Vec<u8>, Vec<u8>)> {
        let crt = dir.join(format!("{name}.crt"));
        let key = dir.join(format!("{name}.key"));
        let ok = openssl(&[
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", &format!("/CN={cn}"),
            "-keyout", key.to_str()?, "-out", crt.to_str()?,
        ]);
        ok.then(|| (std::fs::read(&crt).unwrap(), std::fs::read(&key).unwrap()))
    }

    fn psql(conninfo: &str) -> String {
        let out = Command::new("psql")
            .args([conninfo, "-Atc", "select 1"])
            .env("PGCONNECT_TIMEOUT", "10")
            .env_remove("PGSSLMODE")
            .env_remove("PGSSLROOTCERT")
            .output()
            .expect("psql runs");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    fn explained(message: &str) -> Vec<(&'static str, std::collections::BTreeMap<String, String>)> {
        let mut o = AuditOptions::new(0);
        o.pg_version = 15;
        explain_message(message, &o).into_iter().map(|e| (e.id, e.captures)).collect()
    }

    #[test]
    fn messages_captured_from_psql_15() {
        if pgtls_testpg::bin_dir().is_none() || Command::new("psql").arg("--version").output().is_err() {
            eprintln!("no PostgreSQL server or psql here: skipped");
            return;
        }
        let dir = std::env::temp_dir().join(format!("pgtls-explain-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let Some((crt, key)) = self_signed(&dir, "server", "db.example.com") else {
            eprintln!("no openssl here: skipped");
            return;
        };
        let Some(_) = self_signed(&dir, "other", "Other CA") else { return };
        let pg = TestPg::builder()
            .conf("ssl = on")
            .conf("ssl_min_protocol_version = 'TLSv1.3'")
            .file("server.crt", crt, 0o644)
            .file("server.key", key.clone(), 0o600)
            .hba("hostssl all postgres 127.0.0.1/32 trust\nhost all nossl 127.0.0.1/32 trust\n")
            .start()
            .expect("PostgreSQL starts");
        let port = pg.port();
        let base = format!("host=127.0.0.1 port={port} user=postgres dbname=postgres");
        let root = dir.join("server.crt");
        let other = dir.join("other.crt");
        let loose_key = dir.join("loose.key");
        std::fs::write(&loose_key, &key).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&loose_key, std::fs::Permissions::from_mode(0o644)).unwrap();
        }

        let mut captured = Vec::new();
        let mut check = |conninfo: String, id: &str, names: &[(&str, &str)]| {
            let message = psql(&conninfo);
            println!("{conninfo}\n  => {}", message.trim());
            let found = explained(&message);
            let hit = found.iter().find(|(i, _)| *i == id).unwrap_or_else(|| panic!("{id} not recognised in {message:?}: {found:?}"));
            for (k, v) in names {
                assert_eq!(hit.1.get(*k).map(String::as_str), Some(*v), "{k} in {message:?}");
            }
            captured.push(message);
        };

        check(format!("{base} sslmode=disable"), "no-hba-entry", &[("host", "127.0.0.1"), ("user", "postgres"), ("database", "postgres"), ("encryption", "no encryption")]);
        check(format!("{base} sslmode=verify-ca sslrootcert=/nonexistent/root.crt"), "root-cert-missing", &[("file", "/nonexistent/root.crt")]);
        check(format!("{base} sslmode=verify-full sslrootcert={}", root.display()), "hostname-mismatch", &[("cert_name", "db.example.com"), ("host", "127.0.0.1")]);
        check(format!("{base} sslmode=verify-ca sslrootcert={}", other.display()), "certificate-verify-failed", &[]);
        check(format!("{base} sslmode=require ssl_max_protocol_version=TLSv1.2"), "protocol-version", &[("min", "TLSv1.2"), ("max", "TLSv1.2")]);
        check(format!("{base} sslmode=require channel_binding=require"), "channel-binding-not-used", &[]);
        check(format!("{base} sslmode=require sslcert={} sslkey={}", root.display(), loose_key.display()), "key-permissions", &[("file", loose_key.to_str().unwrap())]);
        // Without SSL and with trust, libpq 15 reports the missing binding, not the missing SSL
        // ("SSL not in use" needs a SCRAM request from the server).
        check(format!("host=127.0.0.1 port={port} user=nossl dbname=postgres sslmode=disable channel_binding=require"), "channel-binding-not-used", &[]);
        check(format!("{base} sslmode=verify_full"), "invalid-client-value", &[("param", "sslmode"), ("value", "verify_full")]);
        check(format!("{base} sslmode=require ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2"), "protocol-range", &[]);
        // A reload with a cipher list OpenSSL rejects: the server log explains it.
        pg.query("ALTER SYSTEM SET ssl_ciphers = 'MEDIUM'", "|").expect("ALTER SYSTEM");
        pg.reload().expect("reload");
        let logged = pgtls_testpg::wait_until(std::time::Duration::from_secs(10), || pg.log().contains("was not reloaded"));
        assert!(logged, "{}", pg.log());
        let log = pg.log();
        println!("server log:\n{log}");
        let ids: Vec<&str> = explained(&log).into_iter().map(|(id, _)| id).collect();
        assert!(ids.contains(&"cipher-list") && ids.contains(&"ssl-not-reloaded"), "{ids:?}");
        drop(pg);

        let plain = TestPg::builder().start().expect("PostgreSQL starts");
        check(format!("host=127.0.0.1 port={} user=postgres dbname=postgres sslmode=require", plain.port()), "server-without-ssl", &[]);
        assert_eq!(captured.len(), 11);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
