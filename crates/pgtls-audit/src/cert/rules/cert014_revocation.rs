//! CERT014: a certificate revoked by a given CRL, a CRL past its next update, or a CRL set that
//! leaves a CA of the chain without a CRL.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

use super::{activation, day, describe, SSL_TCP_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "CERT014",
    title: "Certificate revoked or CRL out of date",
    severity: Severity::Error,
    item: Some(2),
    docs_url: SSL_TCP_DOCS,
    help: "A revoked certificate, an expired CRL, or a CRL file that lacks the CRL of a CA in the chain makes verification fail.",
    doc: crate::rule_doc!(r#"Reads the CRLs given (`ssl_crl_file`, `sslcrl`, or any X509 CRL input) and finds:

* certificates whose serial is listed by a CRL of their issuer;
* CRLs whose nextUpdate is before the audit's clock (OpenSSL: "CRL has expired");
* chains checked against a CRL file in which some certificate's issuer has no CRL.
  PostgreSQL and libpq load CRLs with `X509_V_FLAG_CRL_CHECK_ALL`, so every certificate of the
  chain, the root included, needs a current CRL from its issuer, or verification fails with
  "unable to get certificate CRL" (the SSL test suite's `sslcrl=client.crl` row).

**Why it matters.** Each of these makes libpq report `SSL error: certificate verify failed`
(or the server refuse a client certificate with "certificate revoked"); an expired CRL
fails every connection at once.

**Example.** `root+server.crl` lists serial 202307131635230B, the serial of `server-revoked.crt`.

**Fix.** Replace a revoked certificate; publish fresh CRLs before nextUpdate (and
automate it); include the CRL of every CA of the chain in the CRL file
(`cat root.crl intermediate.crl > root+intermediate.crl`).

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL" (ssl-tcp,
`ssl_crl_file`) and libpq "SSL Support" (`sslcrl`); `src/test/ssl/t/001_ssltests.pl`."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = &cx.model.certs;
    for crl in &model.crls {
        if let Some(next) = crl.next_update.filter(|&t| t < model.now) {
            out.push(
                Diagnostic::new(&META, crl.location, format!("the CRL of \"{}\" expired on {} (nextUpdate)", crl.issuer, day(next)))
                    .with_fix(Fix::new("Publish a fresh CRL").snippet("openssl ca -gencrl -config ca.cnf -out crl.pem")),
            );
        }
    }
    for entry in &model.certs {
        let c = &entry.cert;
        let by_issuer = model.crls.iter().find(|crl| {
            crl.revokes(c).is_some()
                && (crl.issuer_raw == c.issuer_raw || crl.issuer == c.issuer)
                && match (&crl.aki, &c.aki) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                }
        });
        if let Some(crl) = by_issuer {
            let when = crl.revokes(c).map(|r| day(r.date)).unwrap_or_default();
            out.push(
                Diagnostic::new(&META, c.location, format!("{} (serial {}) is revoked since {when}", describe(model, entry), c.serial_hex))
                    .related(crl.location, "the CRL that lists it")
                    .with_fix(Fix::new("Issue and deploy a new certificate").activation(activation(model, entry))),
            );
        }
    }
    for lc in &model.chains {
        if let Some(Err(reason)) = &lc.crl_result {
            if reason.starts_with("certificate revoked") || reason.starts_with("CRL has expired") {
                continue; // Reported above, at the certificate or the CRL.
            }
            let entry = &model.certs[lc.leaf];
            out.push(
                Diagnostic::new(&META, entry.cert.location, format!("CRL check of the {} fails: {reason}", describe(model, entry))).with_fix(
                    Fix::new("Put the CRL of every CA of the chain, the root's included, into the CRL file")
                        .snippet("cat root.crl intermediate.crl > crl-bundle.pem")
                        .activation(activation(model, entry)),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::cert::testutil::{audit, ids};
    use crate::source::Inputs;

    fn run(names: &[&str]) -> Vec<&'static str> {
        let mut inputs = Inputs::new();
        let path = format!("{}/tests/fixtures/cert/pg-ssl/", env!("CARGO_MANIFEST_DIR"));
        for n in names {
            inputs.push_detected(*n, std::fs::read(format!("{path}{n}")).unwrap());
        }
        ids(&audit(&inputs, None))
    }

    #[test]
    fn revoked_server_certificate() {
        assert!(run(&["server-revoked.crt", "root+server_ca.crt", "root+server.crl"]).contains(&"CERT014"));
        assert!(!run(&["server-cn-only.crt", "root+server_ca.crt", "root+server.crl"]).contains(&"CERT014"));
        assert!(!run(&["server-revoked.crt", "root+server_ca.crt"]).contains(&"CERT014"));
        // server.crl alone covers the leaf, not the intermediate: CRL_CHECK_ALL fails.
        assert!(run(&["server-cn-only.crt", "root+server_ca.crt", "server.crl"]).contains(&"CERT014"));
    }
}
