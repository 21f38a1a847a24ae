//! `pgtls ciphers`: expand an OpenSSL cipher string the way OpenSSL 3.0 does and print it
//! like `openssl ciphers -v`.

use clap::ValueEnum;
use pgtls_audit::cipher::{self, evaluate, evaluate_pgbouncer, parse_tls13, Blocked, CipherList};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// The cipher string (ssl_ciphers), e.g. 'HIGH:!aNULL:!MD5'. Quote it for the shell; a
    /// string that starts with `-` or `!` is read as the string, not as an option.
    #[arg(allow_hyphen_values = true)]
    pub string: String,
    /// TLS 1.3 suites (ssl_tls13_ciphers), listed first as `openssl ciphers -ciphersuites`
    /// does; empty means OpenSSL's default. Without it only TLS 1.2-and-below suites are listed
    /// (`openssl ciphers -v -ciphersuites '' STRING`).
    #[arg(long, allow_hyphen_values = true)]
    pub tls13: Option<String>,
    /// List only the suites a server at this OpenSSL security level can negotiate, as
    /// `openssl ciphers -s -tls1_2` does (an @SECLEVEL=n in the string wins).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=5))]
    pub seclevel: Option<u8>,
    /// Read STRING as pgbouncer's client_tls_ciphers/server_tls_ciphers, where default,
    /// secure, compat, legacy, normal, fast, all and insecure are keywords.
    #[arg(long)]
    pub pgbouncer: bool,
    /// Mark weak suites with the reasons, and suggest a string without them.
    #[arg(long)]
    pub weak: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: Args) -> u8 {
    let level = args.seclevel.unwrap_or(cipher::DEFAULT_SECLEVEL);
    let list = if args.pgbouncer { evaluate_pgbouncer(&args.string, level) } else { evaluate(&args.string, level) };
    let tls13 = args.tls13.as_deref().map(parse_tls13);
    if let Some(t) = &tls13 {
        if !t.accepted {
            eprintln!("pgtls ciphers: no TLS 1.3 suite recognised in {:?} (names are case-sensitive, separated by ':')", args.tls13.as_deref().unwrap_or(""));
            return 1;
        }
    }
    if let Some(error) = &list.error {
        eprintln!("pgtls ciphers: {} (OpenSSL: \"no cipher match\"; PostgreSQL: \"no valid ciphers available\")", error.describe(&list.string));
        return 1;
    }
    match args.format {
        Format::Text => print!("{}", render_text(&list, tls13.as_ref(), args.seclevel.is_some(), args.weak)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&render_json(&list, tls13.as_ref(), args.seclevel.is_some())).unwrap_or_default()),
    }
    0
}

fn render_text(list: &CipherList, tls13: Option<&cipher::Tls13List>, filtered: bool, weak: bool) -> String {
    let mut out = String::new();
    if let Some(t) = tls13 {
        for e in &t.entries {
            out.push_str(&e.description());
            out.push('\n');
        }
    }
    for s in &list.suites {
        if filtered && s.blocked.is_some() {
            continue;
        }
        out.push_str(&s.suite.description());
        if weak {
            let mut notes: Vec<String> = s.weaknesses.iter().map(|w| w.describe().to_string()).collect();
            match s.blocked {
                Some(Blocked::NeedsPskOrSrp) => notes.push("never negotiated: needs a PSK or SRP callback".into()),
                Some(Blocked::SecurityLevel { level }) => notes.push(format!("refused at security level {level}")),
                None => {}
            }
            if !notes.is_empty() {
                out.push_str("  # ");
                out.push_str(&notes.join("; "));
            }
        }
        out.push('\n');
    }
    if weak {
        for w in list.ignored_words() {
            out.push_str(&format!("# ignored by OpenSSL: \"{}\" at position {}\n", w.text, w.span.start + 1));
        }
        match list.without_weak_suites() {
            Some(fixed) => out.push_str(&format!("# {} weak suite(s) the server can negotiate; without them: '{fixed}'\n", list.weak().count())),
            None => out.push_str("# no weak suite\n"),
        }
    }
    out
}

fn render_json(list: &CipherList, tls13: Option<&cipher::Tls13List>, filtered: bool) -> serde_json::Value {
    let suites: Vec<&cipher::EnabledSuite> = list.suites.iter().filter(|s| !filtered || s.blocked.is_none()).collect();
    serde_json::json!({
        "string": list.string,
        "seclevel": list.seclevel,
        "tls13": tls13.map(|t| t.entries.iter().map(|e| e.name()).collect::<Vec<_>>()),
        "tls13_unknown": tls13.map(|t| t.unknown.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>()),
        "suites": suites,
        "ignored_words": list.ignored_words().collect::<Vec<_>>(),
        "weak": list.weak().map(|s| s.name).collect::<Vec<_>>(),
        "without_weak": list.without_weak_suites(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn openssl(args: &[&str]) -> Option<String> {
        let out = std::process::Command::new("openssl").args(args).output().ok()?;
        let version = std::process::Command::new("openssl").arg("version").output().ok()?;
        (out.status.success() && String::from_utf8_lossy(&version.stdout).starts_with("OpenSSL 3.0"))
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    #[test]
    fn prints_what_openssl_ciphers_v_prints() {
        for s in [cipher::POSTGRES_DEFAULT_CIPHERS, "HIGH:!aNULL:!MD5", "ALL:COMPLEMENTOFALL", "kRSA:@STRENGTH"] {
            let ours = render_text(&evaluate(s, 1), None, false, false);
            if let Some(theirs) = openssl(&["ciphers", "-v", "-ciphersuites", "", s]) {
                assert_eq!(ours, theirs, "{s}");
            }
            let ours = render_text(&evaluate(s, 2), Some(&parse_tls13("")), true, false);
            if let Some(theirs) = openssl(&["ciphers", "-v", "-s", "-tls1_2", s]) {
                // -tls1_2 drops the TLS 1.3 suites openssl would list first.
                let ours: String = ours.lines().filter(|l| !l.contains("TLSv1.3")).map(|l| format!("{l}\n")).collect();
                assert_eq!(ours, theirs, "{s}");
            }
        }
        let t = render_text(&evaluate("ECDHE-RSA-AES128-GCM-SHA256", 1), Some(&parse_tls13("TLS_AES_128_GCM_SHA256")), false, false);
        assert_eq!(
            t,
            "TLS_AES_128_GCM_SHA256         TLSv1.3 Kx=any      Au=any   Enc=AESGCM(128)            Mac=AEAD\n\
             ECDHE-RSA-AES128-GCM-SHA256    TLSv1.2 Kx=ECDH     Au=RSA   Enc=AESGCM(128)            Mac=AEAD\n"
        );
    }

    #[test]
    fn weak_marks_reasons_and_suggests_a_string() {
        let t = render_text(&evaluate("AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256:!aNUL", 1), None, false, true);
        assert!(t.contains("AES128-SHA                     SSLv3   Kx=RSA      Au=RSA   Enc=AES(128)               Mac=SHA1  # no forward secrecy"), "{t}");
        assert!(t.contains("# ignored by OpenSSL: \"aNUL\" at position 41"), "{t}");
        assert!(t.contains("without them: 'AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256:!aNUL:!kRSA:!SHA1'"), "{t}");
    }
}
