//! CONF004: ssl_ciphers admits weak suites.

use super::{name_list, server_value, tls12_disabled};
use crate::cipher::{evaluate, Blocked, Weakness, DEFAULT_SECLEVEL, POSTGRES_DEFAULT_CIPHERS};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONF004",
    title: "ssl_ciphers admits weak cipher suites",
    severity: Severity::Warning,
    item: Some(1),
    docs_url: "https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-SSL-CIPHERS",
    help: "Some TLS 1.2 suites the server would negotiate lack forward secrecy or use CBC with SHA-1; a client that offers only those gets a weaker connection than it could have.",
    doc: crate::rule_doc!(r#"
**What it finds.** The effective `ssl_ciphers` (the given value, or the version's default
`HIGH:MEDIUM:+3DES:!aNULL` when postgresql.conf does not set it) is expanded exactly as
OpenSSL 3.0 expands it, and every suite the server could negotiate is judged: static RSA key
exchange (no forward secrecy), CBC with an HMAC-SHA1 record MAC, 3DES, RC4, NULL encryption,
anonymous suites, MD5 MACs and fewer than 128 key bits. PSK and SRP suites are left out
(PostgreSQL never installs the callbacks they need), and so are suites OpenSSL's security level
refuses, though the message says when the list names them. The rule is silent when
`ssl_min_protocol_version = 'TLSv1.3'`, since ssl_ciphers then never takes part in a handshake.

**Why it matters.** The server picks from the suites a client offers. With static RSA, whoever
obtains the server's private key later can decrypt every recorded session; CBC-SHA1 suites are
the family behind Lucky13-style padding attacks. PostgreSQL's default admits both kinds: with
OpenSSL 3.0 it enables 125 suites, 28 of them weak (`AES256-GCM-SHA384`, `AES128-SHA`,
`ECDHE-RSA-AES128-SHA`, ...). From PostgreSQL 18 `ssl_ciphers` governs only TLS 1.2 and older;
TLS 1.3 suites (all strong) are set by `ssl_tls13_ciphers`.

**Example.**
```
ssl_ciphers = 'HIGH:MEDIUM:+3DES:!aNULL'
```

**Fix.** Keep the list and remove the weak kinds with `!` terms, which OpenSSL applies for good:
```
ssl_ciphers = 'HIGH:MEDIUM:+3DES:!aNULL:!kRSA:!SHA1'
```
or use Mozilla's intermediate list of forward-secret AEAD suites. Reload the configuration.

**References.** PostgreSQL documentation, "Connections and Authentication" (`ssl_ciphers`);
`src/backend/libpq/be-secure-openssl.c` (`SSL_CTX_set_cipher_list`); OpenSSL `ciphers(1)`.
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(value) = server_value(cx, "ssl_ciphers", POSTGRES_DEFAULT_CIPHERS) else { return };
    if tls12_disabled(cx) {
        return;
    }
    let list = evaluate(&value.value, DEFAULT_SECLEVEL);
    if !list.accepted() {
        return; // CONF010
    }
    let weak: Vec<_> = list.weak().collect();
    if weak.is_empty() {
        return;
    }
    let mut kinds: Vec<Weakness> = weak.iter().flat_map(|s| s.weaknesses.iter().copied()).collect();
    crate::sorting::sort(&mut kinds);
    kinds.dedup();
    let mut parts = Vec::new();
    for kind in &kinds {
        let names: Vec<&str> = weak.iter().filter(|s| s.weaknesses.contains(kind)).map(|s| s.name).collect();
        parts.push(format!("{} ({}): {}", kind.describe(), names.len(), name_list(names, 4)));
    }
    let mut message = format!(
        "{} enables {} weak suite{} of {}: {}",
        value.describe(),
        weak.len(),
        if weak.len() == 1 { "" } else { "s" },
        list.suites.len(),
        parts.join("; ")
    );
    let level_blocked = list
        .suites
        .iter()
        .filter(|s| matches!(s.blocked, Some(Blocked::SecurityLevel { .. })) && !s.weaknesses.is_empty())
        .count();
    if level_blocked > 0 {
        message.push_str(&format!(
            ". It also lists {level_blocked} anonymous, NULL or MD5 suite{} that only OpenSSL's security level keeps out",
            if level_blocked == 1 { "" } else { "s" }
        ));
    }
    if cx.options.pg_version >= 18 {
        message.push_str(" (from PostgreSQL 18 ssl_ciphers covers TLS 1.2 and older only; TLS 1.3 suites are set by ssl_tls13_ciphers)");
    }
    let mut d = Diagnostic::new(&META, value.location, message);
    if let Some(fixed) = list.without_weak_suites() {
        d = d.with_fix(value.fix(cx, "Remove the weak suites and keep the rest of the list in its order", &fixed));
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::super::testing::{conf, with_rule};

    #[test]
    fn the_default_counts() {
        let (_, diags) = conf("ssl = on\n", 16);
        let d = with_rule(&diags, "CONF004");
        assert_eq!(d.len(), 1, "{diags:?}");
        assert!(d[0].message.starts_with("the default ssl_ciphers 'HIGH:MEDIUM:+3DES:!aNULL' enables 28 weak suites of 125"), "{}", d[0].message);
        assert!(d[0].message.contains("no forward secrecy"));
        assert!(!d[0].message.contains("PostgreSQL 18"));
        let fix = d[0].fix.as_ref().unwrap();
        assert_eq!(fix.edits[0].replacement, "ssl_ciphers = 'HIGH:MEDIUM:+3DES:!aNULL:!kRSA:!SHA1'\n");
    }

    #[test]
    fn a_set_value_is_edited_in_place() {
        let text = "ssl = on\nssl_ciphers = 'HIGH:!aNULL:!MD5'\n";
        let (inputs, diags) = conf(text, 18);
        let d = with_rule(&diags, "CONF004");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("PostgreSQL 18"));
        let edit = &d[0].fix.as_ref().unwrap().edits[0];
        let mut fixed = inputs.files[0].text.clone();
        fixed.replace_range(edit.span.start..edit.span.end, &edit.replacement);
        assert_eq!(fixed, "ssl = on\nssl_ciphers = 'HIGH:!aNULL:!MD5:!kRSA:!SHA1'\n");
    }

    #[test]
    fn strong_lists_and_tls13_only_servers_pass() {
        let mozilla = format!("ssl = on\nssl_ciphers = '{}'\n", crate::cipher::MOZILLA_INTERMEDIATE);
        assert!(with_rule(&conf(&mozilla, 16).1, "CONF004").is_empty());
        let tls13 = "ssl = on\nssl_min_protocol_version = 'TLSv1.3'\n";
        assert!(with_rule(&conf(tls13, 16).1, "CONF004").is_empty());
    }

    #[test]
    fn nothing_to_judge_without_a_postgresql_conf() {
        let (_, diags) = super::super::testing::audit(&[], 16);
        assert!(with_rule(&diags, "CONF004").is_empty());
    }
}
