//! `pgtls cert`: a short dump of each certificate, the chain built for each leaf, the libpq
//! host-name check, and the certificate findings.

use std::fmt::Write as _;

use pgtls_audit::cert::{CertificateSummary, Role};
use pgtls_audit::{AuditOptions, ColumnUnit, Severity};

use crate::input;

#[derive(clap::Args)]
pub struct Args {
    /// PEM or DER files: certificates, chains, CA bundles, keys, CRLs; `-` reads standard input.
    #[arg(required = true)]
    pub files: Vec<String>,
    /// The host name clients connect to: checked as libpq's sslmode=verify-full does.
    #[arg(long)]
    pub host: Option<String>,
    /// A fixed clock (RFC 3339) for days left and expiry.
    #[arg(long)]
    pub now: Option<String>,
    /// The libpq major version whose host-name rules apply (IP SANs are read from 15).
    #[arg(long, default_value_t = pgtls_audit::options::DEFAULT_PG_VERSION)]
    pub pg_version: u32,
    /// Print the report's certificate section as JSON instead.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> u8 {
    match cert(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("pgtls cert: {message}");
            2
        }
    }
}

fn cert(args: &Args) -> Result<u8, String> {
    let inputs = input::gather(&args.files, &[], &[])?;
    let options = AuditOptions {
        pg_version: input::check_pg_version(args.pg_version)?,
        host: args.host.clone(),
        now: input::parse_now(args.now.as_deref())?,
    };
    let analysis = pgtls_audit::audit(&inputs, &options);
    let report = analysis.report(&inputs, ColumnUnit::Utf8);
    let findings: Vec<_> = report.findings.iter().filter(|f| f.rule.starts_with("CERT")).collect();
    if args.json {
        let json = serde_json::json!({ "certificates": report.certificates, "findings": findings });
        emit(&(serde_json::to_string_pretty(&json).map_err(|e| e.to_string())? + "\n"));
    } else {
        let model = &analysis.model.certs;
        let mut out = String::new();
        if report.certificates.is_empty() && model.keys.is_empty() && model.crls.is_empty() && model.requests.is_empty() {
            out.push_str("No certificate, key or CRL found.\n");
        }
        for c in &report.certificates {
            dump(&mut out, c);
        }
        for k in &model.keys {
            let file = model.file_name(k.key.location.file);
            let _ = write!(out, "Private key ({}) in {file}: ", k.key.format.name());
            match (&k.key.public, k.key.encrypted) {
                (_, true) => out.push_str("encrypted\n"),
                (Some(p), _) => {
                    let _ = write!(out, "{}", p.describe());
                    match k.matching.first() {
                        Some(&i) => {
                            let _ = writeln!(out, ", matches \"{}\"", model.certs[i].cert.subject);
                        }
                        None => out.push_str(", matches no given certificate\n"),
                    }
                }
                (None, _) => out.push_str("unknown algorithm\n"),
            }
        }
        for crl in &model.crls {
            let _ = writeln!(
                out,
                "CRL of \"{}\" in {}: updated {}, next update {}, {} revoked",
                crl.issuer,
                model.file_name(crl.location.file),
                &pgtls_audit::civil::date(crl.this_update),
                crl.next_update.map_or("none".to_string(), pgtls_audit::civil::date),
                crl.revoked.len()
            );
        }
        for r in &model.requests {
            let _ = writeln!(
                out,
                "Certificate request in {}: subject \"{}\", {}",
                model.file_name(r.location.file),
                r.subject,
                r.key.describe()
            );
        }
        if !findings.is_empty() {
            out.push_str("\nFindings\n");
            for f in &findings {
                let _ = writeln!(out, "  {}[{}] {}:{}: {}", f.severity, f.rule, f.file, f.line, f.message);
            }
        }
        emit(&out);
    }
    let errors = findings.iter().any(|f| f.severity == Severity::Error);
    Ok(u8::from(errors))
}

/// Writes to standard output; a closed pipe (`pgtls cert … | head`) is not an error.
fn emit(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn dump(out: &mut String, c: &CertificateSummary) {
    let role = match c.role {
        Role::Server => "server",
        Role::Client => "client",
        Role::Intermediate => "intermediate CA",
        Role::Root => "root CA",
    };
    let _ = writeln!(out, "Certificate {} #{} ({role}, from {})", c.file, c.index_in_file + 1, c.role_source);
    let _ = writeln!(out, "  Subject:   {}", c.subject);
    let _ = writeln!(out, "  Issuer:    {}", c.issuer);
    let _ = writeln!(out, "  Serial:    {}", c.serial);
    let left = if c.days_left < 0 { format!("expired {} days ago", -c.days_left) } else { format!("{} days left", c.days_left) };
    let _ = writeln!(out, "  Validity:  {} to {} ({left})", c.not_before, c.not_after);
    let curve = c.key_curve.as_deref().map(|k| format!(" {k}")).unwrap_or_default();
    let _ = writeln!(out, "  Key:       {}{curve} {} bits; signed with {}", c.key_type, c.key_bits, c.signature_algorithm);
    if !c.subject_alt_names.is_empty() {
        let _ = writeln!(out, "  SAN:       {}", c.subject_alt_names.join(", "));
    }
    if let Some(bc) = &c.basic_constraints {
        let path = bc.path_len.map(|p| format!(", pathlen {p}")).unwrap_or_default();
        let _ = writeln!(out, "  Basic:     CA:{}{path}", if bc.ca { "TRUE" } else { "FALSE" });
    }
    if !c.key_usage.is_empty() {
        let _ = writeln!(out, "  Key usage: {}", c.key_usage.join(", "));
    }
    if !c.extended_key_usage.is_empty() {
        let _ = writeln!(out, "  Ext. KU:   {}", c.extended_key_usage.join(", "));
    }
    if let Some(ski) = &c.subject_key_id {
        let _ = writeln!(out, "  SKI:       {ski}");
    }
    if let Some(aki) = &c.authority_key_id {
        let _ = writeln!(out, "  AKI:       {aki}");
    }
    let _ = writeln!(out, "  SHA-256:   {}", c.sha256_fingerprint);
    if !c.chain.is_empty() {
        let verdict = match (&c.chain_verified, &c.chain_error) {
            (Some(true), _) => "verified".to_string(),
            (_, Some(e)) => format!("NOT verified: {e}"),
            _ => "NOT verified".to_string(),
        };
        let _ = writeln!(out, "  Chain:     {verdict}");
        for (i, link) in c.chain.iter().enumerate() {
            let mark = if link.problem.is_some() { "✗" } else if link.verified { "✓" } else { "?" };
            let trusted = if link.trusted { " [trusted root]" } else { "" };
            let _ = writeln!(out, "    {}{mark} {} ({}){trusted}", "  ".repeat(i), link.subject, link.file);
        }
    }
    if let Some(h) = &c.host_check {
        match &h.libpq_error {
            None => {
                let _ = writeln!(out, "  Host:      \"{}\" matches (libpq verify-full)", h.host);
            }
            Some(e) => {
                let _ = writeln!(out, "  Host:      libpq verify-full fails: {e}");
            }
        }
    }
    out.push('\n');
}
