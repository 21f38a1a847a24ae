use crate::diagnostic::{Activation, Diagnostic, Fix};
use crate::rules::{Context, RuleMeta};
use crate::source::Location;

pub static META: RuleMeta = RuleMeta {
    id: "MGD004",
    title: "Cloud CA expired, retired or about to expire",
    severity: crate::Severity::Error,
    item: Some(6),
    docs_url: "https://www.postgresql.org/docs/current/libpq-ssl.html",
    help: "Clients at verify-ca or verify-full trust the provider's CA through their sslrootcert. \
           When that CA expires or is retired, every verifying client fails at once unless it was \
           moved to the new root in time.",
    doc: crate::rule_doc!(r#"
**What it finds.** An RDS instance on a retired CA (`rds-ca-2019`, which expired on 22 August
2024, or `rds-ca-2015`), an RDS `CertificateDetails.ValidTill` or a Cloud SQL
`serverCaCert.expirationTime` in the past or within 30 days of the audit's clock.

**Why it matters.** Cloud CA rotations have a deadline; clients that still trust only the old root
stop connecting the moment the server switches.

**Example.** `"CACertificateIdentifier": "rds-ca-2019"`

**Fix.** Put the new root in every client's sslrootcert first, then rotate the instance:
`aws rds modify-db-instance --db-instance-identifier ID --ca-certificate-identifier
rds-ca-rsa2048-g1 --apply-immediately`; for Cloud SQL, `gcloud sql ssl server-ca-certs create`
and `rotate`.

**References.** libpq "SSL Support"; AWS "Rotating your SSL/TLS certificate"; Google Cloud
"Rotate server CA certificates".
"#),
};

/// RDS CA identifiers and when they expire (Unix seconds). The G1 CAs are current.
const RDS_CAS: &[(&str, i64, bool)] = &[
    ("rds-ca-2015", 1_583_366_400, true),  // 2020-03-05
    ("rds-ca-2019", 1_724_346_530, true),  // 2024-08-22T17:08:50Z
    ("rds-ca-rsa2048-g1", 2_568_470_400, false), // 2051
    ("rds-ca-rsa4096-g1", 4_778_928_000, false), // 2121
    ("rds-ca-ecc384-g1", 4_778_928_000, false),  // 2121
];

const THIRTY_DAYS: i64 = 30 * 86400;

fn judge(out: &mut Vec<Diagnostic>, what: &str, expires: i64, now: i64, location: Location, fix: &str) {
    let days = (expires - now).div_euclid(86400);
    let message = if expires <= now {
        format!("{what} expired {} day(s) ago: verifying clients that trust only it cannot connect", -days)
    } else if expires - now <= THIRTY_DAYS {
        format!("{what} expires in {days} day(s): move clients to the new root and rotate now")
    } else {
        return;
    };
    out.push(
        Diagnostic::new(&META, location, message)
            .with_fix(Fix::new("give clients the new root, then rotate the CA").snippet(fix).activation(Activation::Deploy)),
    );
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let now = cx.options.now;
    const RDS_FIX: &str = "aws rds modify-db-instance --db-instance-identifier ID \\\n  --ca-certificate-identifier rds-ca-rsa2048-g1 --apply-immediately";
    for rds in &cx.model.platform.rds {
        let known = rds.ca_identifier.as_ref().and_then(|ca| RDS_CAS.iter().find(|(id, _, _)| *id == ca.value).map(|k| (ca, k)));
        if let Some((ca, (_, expiry, retired))) = known {
            if *retired {
                out.push(
                    Diagnostic::new(&META, ca.location, format!("{} is a retired RDS CA; clients must move to rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 or rds-ca-ecc384-g1", ca.value))
                        .with_fix(Fix::new("rotate to a current RDS CA after updating clients' sslrootcert").snippet(RDS_FIX).activation(Activation::Deploy)),
                );
                continue;
            }
            if rds.ca_valid_till.is_none() {
                judge(out, &format!("RDS CA {}", ca.value), *expiry, now, ca.location, RDS_FIX);
            }
        }
        if let Some(until) = &rds.ca_valid_till {
            judge(out, "the RDS server certificate's CA", until.value, now, until.location, RDS_FIX);
        }
    }
    for sql in &cx.model.platform.cloud_sql {
        if let Some(exp) = &sql.server_ca_expires {
            judge(
                out,
                "the Cloud SQL server CA",
                exp.value,
                now,
                exp.location,
                "gcloud sql ssl server-ca-certs create --instance=INSTANCE\n# update clients' sslrootcert, then:\ngcloud sql ssl server-ca-certs rotate --instance=INSTANCE",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::platform::rules::testing::findings;

    const JAN_2026: i64 = 1_767_225_600;

    #[test]
    fn retired_and_expired_cas() {
        let old = r#"{"DBInstances": [{"DBInstanceIdentifier": "a", "CACertificateIdentifier": "rds-ca-2019"}]}"#;
        let d = findings("MGD004", "i.json", old, JAN_2026, 16);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("retired"));
        let soon = r#"{"DBInstances": [{"DBInstanceIdentifier": "a", "CACertificateIdentifier": "rds-ca-rsa2048-g1", "CertificateDetails": {"ValidTill": "2026-01-20T00:00:00Z"}}]}"#;
        assert!(findings("MGD004", "i.json", soon, JAN_2026, 16)[0].message.contains("expires in 19 day"));
        let fine = r#"{"DBInstances": [{"DBInstanceIdentifier": "a", "CACertificateIdentifier": "rds-ca-rsa2048-g1"}]}"#;
        assert!(findings("MGD004", "i.json", fine, JAN_2026, 16).is_empty());
    }

    #[test]
    fn cloud_sql_ca() {
        let doc = "databaseVersion: POSTGRES_16\nserverCaCert:\n  expirationTime: '2025-12-01T00:00:00Z'\n";
        assert!(findings("MGD004", "i.yaml", doc, JAN_2026, 16)[0].message.contains("expired 31 day"));
    }
}
