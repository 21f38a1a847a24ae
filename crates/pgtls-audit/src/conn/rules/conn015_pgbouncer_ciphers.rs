//! CONN015: pgbouncer's TLS cipher strings admit weak suites, or none.

use crate::cipher::{evaluate_pgbouncer, pgbouncer_keyword};
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};
use crate::source::Location;

pub static META: RuleMeta = RuleMeta {
    id: "CONN015",
    title: "pgbouncer TLS cipher string admits weak suites or none",
    severity: Severity::Warning,
    item: Some(1),
    docs_url: "https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-SSL-CIPHERS",
    help: "pgbouncer terminates TLS for its clients and opens TLS to the server with its own cipher \
           strings; a weak suite there undoes the server's careful ssl_ciphers.",
    doc: crate::rule_doc!(r#"
Finds a pgbouncer.ini whose `client_tls_ciphers` or `server_tls_ciphers` (a pgbouncer keyword
such as `normal`, `compat`, `default`, or an OpenSSL cipher string) enables TLS 1.2 suites that
are weak: no forward secrecy, CBC with SHA-1, 3DES, RC4, NULL, anonymous, export or low-bit
suites. A string OpenSSL rejects (no suite at all) is reported as an error, since pgbouncer then
cannot set up TLS on that side. The default `default` is judged only where that side's TLS is
on.

**Why it matters.** Clients talk TLS to pgbouncer, not to PostgreSQL; the pooler's suites are
the ones an eavesdropper faces. The evaluation is the same exact OpenSSL 3.0 algebra as for
`ssl_ciphers` (see CONF004).

**Example.** `client_tls_ciphers = compat`. Note that pgbouncer's own `secure` and `default`
keywords (`HIGH+EECDH:HIGH+EDH:!SSLv3:!SHA384:!SHA256:!DSS:!aNULL`) still enable CBC suites with
SHA-1 MACs.

**Fix.** The string pgtls proposes, which keeps what the setting enabled and removes the weak
suites, or Mozilla's intermediate list (forward-secret AEAD suites only). pgbouncer applies it
on `RELOAD` for new connections.

**References.** PostgreSQL "ssl_ciphers"; pgbouncer's configuration reference
(`client_tls_ciphers`, `server_tls_ciphers`).
"#),
};

/// OpenSSL's default security level, as PostgreSQL's checks assume it.
const SECLEVEL: u8 = 1;

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for pooler in &cx.model.clients.poolers {
        for (side, mode_key, key) in [
            ("client", "client_tls_sslmode", "client_tls_ciphers"),
            ("server", "server_tls_sslmode", "server_tls_ciphers"),
        ] {
            let setting = pooler.get(key);
            let tls_on = pooler.get(mode_key).is_some_and(|m| !m.value.trim().eq_ignore_ascii_case("disable"))
                || (side == "server" && pooler.get(mode_key).is_none());
            if setting.is_none() && !tls_on {
                continue;
            }
            let value = setting.map_or("default", |s| s.value.trim());
            let location = setting.map_or(Location::new(pooler.file, pooler.section), |s| Location::new(pooler.file, s.value_span));
            let list = evaluate_pgbouncer(value, SECLEVEL);
            let shown = match pgbouncer_keyword(value) {
                Some(expanded) => format!("{key} = {value} ({expanded})"),
                None => format!("{key} = {value}"),
            };
            let edit = |fix: Fix, replacement: &str| match setting {
                Some(s) => fix.edit(pooler.file, s.value_span, replacement),
                None => fix.snippet(format!("{key} = {replacement}")),
            };
            if !list.accepted() || list.negotiable().next().is_none() {
                let fix = edit(
                    Fix::new(format!("use forward-secret AEAD suites (Mozilla's intermediate list) on pgbouncer's {side} side")),
                    crate::generate::TLS12_CIPHERS,
                )
                .activation(Activation::Reload);
                out.push(
                    Diagnostic::new(&META, location, format!("{shown} enables no TLS 1.2 suite: pgbouncer cannot set up TLS on its {side} side"))
                        .severity(Severity::Error)
                        .with_fix(fix),
                );
                continue;
            }
            let weak: Vec<&crate::cipher::EnabledSuite> = list.weak().collect();
            if weak.is_empty() {
                continue;
            }
            let mut reasons: Vec<&str> = weak.iter().flat_map(|s| s.weaknesses.iter().map(|w| w.describe())).collect();
            crate::sorting::sort(&mut reasons);
            reasons.dedup();
            let examples: Vec<&str> = weak.iter().take(3).map(|s| s.name).collect();
            let replacement = list.without_weak_suites().unwrap_or_else(|| crate::generate::TLS12_CIPHERS.into());
            let fix = edit(Fix::new(format!("drop the weak suites from pgbouncer's {side} side")), &replacement).activation(Activation::Reload);
            out.push(
                Diagnostic::new(
                    &META,
                    location,
                    format!(
                        "{shown} enables {} weak suite(s) of {} on pgbouncer's {side} side ({}), e.g. {}",
                        weak.len(),
                        list.negotiable().count(),
                        reasons.join(", "),
                        examples.join(", ")
                    ),
                )
                .with_fix(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::InputKind;
    use crate::source::{Inputs, SourceFile};
    use crate::AuditOptions;

    fn findings(ini: &str) -> Vec<crate::Diagnostic> {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("pgbouncer.ini", InputKind::Pgbouncer, ini));
        crate::audit(&inputs, &AuditOptions::new(0)).diagnostics.into_iter().filter(|d| d.rule.id == "CONN015").collect()
    }

    #[test]
    fn weak_keywords_and_strings_are_reported_with_a_fix() {
        let aead = crate::generate::TLS12_CIPHERS;
        let d = findings(&format!("[pgbouncer]\nclient_tls_sslmode = require\nclient_tls_ciphers = HIGH:MEDIUM:+3DES:!aNULL\nserver_tls_sslmode = verify-full\nserver_tls_ciphers = {aead}\n"));
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(d[0].message.contains("client side"));
        assert!(!d[0].fix.as_ref().unwrap().edits.is_empty());
    }

    #[test]
    fn aead_only_passes_secure_keyword_does_not_and_garbage_is_an_error() {
        let aead = crate::generate::TLS12_CIPHERS;
        let ini = format!("[pgbouncer]\nclient_tls_sslmode = require\nclient_tls_ciphers = {aead}\nserver_tls_ciphers = {aead}\n");
        assert!(findings(&ini).is_empty(), "{:#?}", findings(&ini));
        // pgbouncer's "secure" keeps ECDHE CBC suites with SHA-1 MACs.
        let d = findings("[pgbouncer]\nclient_tls_sslmode = require\nclient_tls_ciphers = secure\n");
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(d[0].message.contains("CBC with SHA-1"), "{}", d[0].message);
        let d = findings(&format!("[pgbouncer]\nclient_tls_sslmode = require\nclient_tls_ciphers = NOTHING:!ALL\nserver_tls_ciphers = {aead}\n"));
        assert_eq!(d[0].severity, crate::Severity::Error, "{d:#?}");
    }
}
