//! CONF008: a parameter the target major version does not have.

use super::line_start;
use crate::conf::params;
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};
use crate::source::Location;

pub static META: RuleMeta = RuleMeta {
    id: "CONF008",
    title: "Parameter not available in this PostgreSQL version",
    severity: Severity::Error,
    item: None,
    docs_url: "https://www.postgresql.org/docs/current/config-setting.html#CONFIG-SETTING-CONFIGURATION-FILE",
    help: "The target version does not know this parameter, so the server refuses to start (unrecognized configuration parameter).",
    doc: crate::rule_doc!(r#"Finds a parameter that exists in other PostgreSQL major versions (12–19) but not in the
version the audit targets: one added later (`ssl_groups` and `ssl_tls13_ciphers` in 18,
`ssl_crl_dir` in 14, `ssl_sni` in 19) or removed (`db_user_namespace` in 17,
`ssl_ecdh_curve`'s name survives as an alias of `ssl_groups`). It says from which version the
parameter exists, and what to use instead.

**Why it matters.** To the server it is an unknown name: "unrecognized configuration parameter",
and at start "configuration file contains errors" (FATAL). A configuration copied from a newer
or older server is the usual cause.

**Example (PostgreSQL 17).**
```
ssl_groups = 'X25519:prime256v1'
```

**Fix.** Use the version's own parameter (`ssl_ecdh_curve = 'prime256v1'` before 18), or remove
the line; or upgrade.

**References.** PostgreSQL release notes of each major version; `guc_tables.c`
(`map_old_guc_names` for accepted old names)."#),
};

/// What to say and offer for a parameter the version lacks: (advice, replacement line).
fn advice(name: &str, value: &str, version: u32) -> (String, Option<String>) {
    let text = |s: &str| (s.to_string(), None);
    match name {
        "ssl_groups" => {
            // Before 18 ssl_ecdh_curve names one elliptic curve; X25519/X448 are not curves there.
            let curve = value
                .split(':')
                .map(str::trim)
                .find(|g| !g.is_empty() && !g.eq_ignore_ascii_case("x25519") && !g.eq_ignore_ascii_case("x448"))
                .unwrap_or("prime256v1");
            (
                "use ssl_ecdh_curve, which takes a single curve name".to_string(),
                Some(format!("ssl_ecdh_curve = '{curve}'")),
            )
        }
        "ssl_tls13_ciphers" => text("before 18 the TLS 1.3 cipher suites cannot be configured (OpenSSL's defaults apply); remove the line"),
        "ssl_crl_dir" => text("use ssl_crl_file with the CRLs in one file"),
        "ssl_sni" | "hosts_file" => text("server-side SNI with pg_hosts.conf needs PostgreSQL 19; remove the line and use ssl_cert_file and ssl_key_file"),
        "db_user_namespace" => text("per-database users were removed; remove the line"),
        "wal_keep_segments" => text("use wal_keep_size (in megabytes: segments × 16MB)"),
        "force_parallel_mode" if version >= 16 => ("the parameter was renamed debug_parallel_query".to_string(), Some(format!("debug_parallel_query = '{value}'"))),
        "debug_parallel_query" if version < 16 => ("before 16 this parameter is force_parallel_mode".to_string(), Some(format!("force_parallel_mode = '{value}'"))),
        "promote_trigger_file" => text("promote with pg_ctl promote or SELECT pg_promote(); remove the line"),
        "vacuum_defer_cleanup_age" => text("use hot_standby_feedback or a replication slot; remove the line"),
        "stats_temp_directory" => text("statistics are kept in shared memory since 15; remove the line"),
        "password_encryption" => text("remove the line"),
        _ => text("remove the line"),
    }
}

fn availability(name: &str) -> String {
    let mut ranges: Vec<(u32, u32)> = params::definitions(name).map(|d| (d.first, d.last)).collect();
    crate::sorting::sort(&mut ranges);
    let first = ranges.first().map_or(12, |r| r.0);
    let last = ranges.iter().map(|r| r.1).max().unwrap_or(19);
    match (first, last) {
        (12, 19) => "it exists in 12–19".to_string(),
        (f, 19) => format!("it exists from PostgreSQL {f}"),
        (12, l) => format!("it was removed in PostgreSQL {}", l + 1),
        (f, l) => format!("it exists in PostgreSQL {f}–{l}"),
    }
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let conf = &cx.model.conf;
    for a in &conf.assignments {
        let written = a.written_name.to_ascii_lowercase();
        if params::lookup(&written, conf.version).is_some() || !params::is_known_anywhere(&written) {
            continue;
        }
        let s = &a.setting;
        let file = cx.inputs.file(s.location.file);
        let (what_instead, replacement) = advice(&written, &s.value, conf.version);
        let message = format!(
            "{} is not available in PostgreSQL {}: {}; {}. PostgreSQL reports: unrecognized configuration parameter \"{}\" in file \"{}\" line {}",
            a.written_name,
            conf.version,
            availability(&written),
            what_instead,
            a.written_name,
            file.name,
            a.line
        );
        let fix = match replacement {
            Some(line) => Fix::new(format!("Replace the line with {line}"))
                .edit(s.location.file, s.location.span, line.clone())
                .snippet(line),
            None => Fix::new("Comment the line out").edit(s.location.file, line_start(cx, s.location), "# "),
        }
        .activation(Activation::Reload);
        out.push(Diagnostic::new(&META, Location::new(s.location.file, s.name_span), message).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conf::rules::test_support::{apply, run};

    #[test]
    fn ssl_groups_before_18() {
        let (inputs, d) = run(check, 17, "ssl_groups = 'X25519:secp384r1'\n", None);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("it exists from PostgreSQL 18"), "{}", d[0].message);
        assert!(d[0].message.contains("ssl_ecdh_curve"));
        assert_eq!(apply(&inputs, &d[0]), "ssl_ecdh_curve = 'secp384r1'\n");
        assert!(run(check, 18, "ssl_groups = 'X25519:secp384r1'\n", None).1.is_empty());
    }

    #[test]
    fn removed_parameters_and_accepted_aliases() {
        let (inputs, d) = run(check, 17, "db_user_namespace = off\n", None);
        assert!(d[0].message.contains("removed in PostgreSQL 17"), "{}", d[0].message);
        assert_eq!(apply(&inputs, &d[0]), "# db_user_namespace = off\n");
        assert!(run(check, 16, "db_user_namespace = off\n", None).1.is_empty());
        // 18 still accepts the old name as an alias of ssl_groups.
        assert!(run(check, 18, "ssl_ecdh_curve = 'prime256v1'\n", None).1.is_empty());
        assert_eq!(run(check, 13, "ssl_crl_dir = 'crl'\n", None).1.len(), 1);
        assert_eq!(run(check, 18, "ssl_sni = on\n", None).1.len(), 1);
    }

    #[test]
    fn unknown_everywhere_is_conf007s() {
        assert!(run(check, 17, "no_such_parameter = 1\n", None).1.is_empty());
    }
}
