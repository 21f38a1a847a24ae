//! Reading the command line's inputs into the engine's [`Inputs`], shared by the subcommands.

use std::io::Read;
use std::path::Path;

use pgtls_audit::{AuditOptions, InputKind, Inputs, SourceFile};

/// Files larger than this are refused rather than read: nothing pgtls reads is that big, and a
/// wrong path (a disk image, /dev/zero) should fail at once.
const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// The inputs and options an audit takes, shared by `pgtls audit` and `pgtls fix`.
#[derive(clap::Args)]
pub struct AuditInputArgs {
    /// Files (postgresql.conf, pg_hba.conf, PEM/DER, connection strings, platform exports, ...);
    /// `-` reads standard input. Kinds are detected from the name, then the content.
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
}

impl AuditInputArgs {
    /// Whether any input was named at all.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.kinds.is_empty() && self.conns.is_empty()
    }

    pub fn inputs(&self) -> Result<Inputs, String> {
        gather(&self.files, &self.kinds, &self.conns)
    }

    pub fn options(&self) -> Result<AuditOptions, String> {
        Ok(AuditOptions {
            pg_version: check_pg_version(self.pg_version)?,
            host: self.host.clone(),
            now: parse_now(self.now.as_deref())?,
        })
    }
}

/// The name standard input (`-`) goes by in reports.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads one file (`-` is standard input).
pub fn read_file(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        if buf.len() as u64 > MAX_INPUT_BYTES {
            return Err(format!("standard input is larger than {} MiB", MAX_INPUT_BYTES >> 20));
        }
        return Ok(buf);
    }
    let p = Path::new(path);
    let meta = std::fs::metadata(p).map_err(|e| format!("cannot read {path}: {e}"))?;
    if meta.is_dir() {
        return Err(format!("cannot read {path}: it is a directory (name the files in it)"));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(format!("cannot read {path}: larger than {} MiB", MAX_INPUT_BYTES >> 20));
    }
    std::fs::read(p).map_err(|e| format!("cannot read {path}: {e}"))
}

/// Splits `KIND:FILE`.
pub fn parse_kind_override(spec: &str) -> Result<(InputKind, String), String> {
    let (kind, file) = spec
        .split_once(':')
        .ok_or_else(|| format!("--kind takes KIND:FILE, got {spec:?}"))?;
    let kind = InputKind::parse(kind).ok_or_else(|| {
        let names: Vec<&str> = InputKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("unknown input kind {kind:?}; known kinds: {}", names.join(", "))
    })?;
    Ok((kind, file.to_string()))
}

/// Reads the named files (kinds detected, unless overridden) and the `--conn` strings.
pub fn gather(files: &[String], kinds: &[String], conns: &[String]) -> Result<Inputs, String> {
    let overrides: Vec<(InputKind, String)> =
        kinds.iter().map(|k| parse_kind_override(k)).collect::<Result<_, _>>()?;
    let mut inputs = Inputs::new();
    let mut names: Vec<&String> = files.iter().collect();
    for (_, file) in &overrides {
        if !names.contains(&file) {
            names.push(file);
        }
    }
    for name in names {
        let bytes = read_file(name)?;
        let display = if name == "-" { STDIN_NAME.to_string() } else { name.clone() };
        match overrides.iter().find(|(_, f)| f == name) {
            Some((kind, _)) => {
                inputs.push(SourceFile::new(display, *kind, bytes));
            }
            None => {
                inputs.push_detected(display, bytes);
            }
        }
    }
    for (i, conn) in conns.iter().enumerate() {
        inputs.push(SourceFile::from_text(format!("--conn #{}", i + 1), InputKind::Conninfo, conn.clone()));
    }
    Ok(inputs)
}

/// `--now` as Unix seconds: RFC 3339, or the system clock when absent.
pub fn parse_now(now: Option<&str>) -> Result<i64, String> {
    match now {
        None => Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)),
        Some(text) => time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            .map(|t| t.unix_timestamp())
            .map_err(|e| format!("--now takes an RFC 3339 time such as 2026-01-31T12:00:00Z: {e}")),
    }
}

/// `--pg-version`, checked against the versions the engine knows.
pub fn check_pg_version(version: u32) -> Result<u32, String> {
    if pgtls_audit::options::KNOWN_PG_VERSIONS.contains(&version) {
        Ok(version)
    } else {
        let r = pgtls_audit::options::KNOWN_PG_VERSIONS;
        Err(format!("--pg-version {version} is not known; pgtls knows {} to {}", r.start(), r.end()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_parses_rfc3339() {
        assert_eq!(parse_now(Some("1970-01-02T00:00:00Z")), Ok(86400));
        assert!(parse_now(Some("yesterday")).is_err());
    }

    #[test]
    fn kind_overrides() {
        assert_eq!(parse_kind_override("hba:x.txt").unwrap(), (InputKind::PgHba, "x.txt".into()));
        assert!(parse_kind_override("nonsense:x").unwrap_err().contains("known kinds"));
        assert!(parse_kind_override("x.txt").is_err());
    }
}
