use crate::diagnostic::{Activation, Diagnostic, Fix};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "MGD001",
    title: "RDS does not force SSL",
    severity: crate::Severity::Error,
    item: Some(3),
    docs_url: "https://www.postgresql.org/docs/current/ssl-tcp.html",
    help: "On RDS you cannot edit pg_hba.conf; rds.force_ssl = 1 is the switch that refuses every \
           connection without SSL. Without it, a client on sslmode=prefer or disable talks in cleartext.",
    doc: crate::rule_doc!(r#"
**What it finds.** An RDS for PostgreSQL or Aurora parameter export (`aws rds describe-db-parameters`
or `describe-db-cluster-parameters`) where `rds.force_ssl` is not `1`: set to `0`, or left at the
default, which is `0` before RDS for PostgreSQL 15 and `1` from 15 on.

**Why it matters.** RDS manages pg_hba.conf for you; `rds.force_ssl` is how you require SSL for
every connection, the managed counterpart of `hostssl` + `hostnossl ... reject`.

**Example.** `{"ParameterName": "rds.force_ssl", "ParameterValue": "0"}`

**Fix.** `aws rds modify-db-parameter-group --db-parameter-group-name GROUP --parameters
"ParameterName=rds.force_ssl,ParameterValue=1,ApplyMethod=immediate"` (a dynamic parameter: no
reboot). Move clients to `sslmode=verify-full` with the RDS root bundle first.

**References.** PostgreSQL: "Secure TCP/IP Connections with SSL"; AWS: "Requiring an SSL/TLS
connection to a PostgreSQL DB instance".
"#),
};

const FIX: &str = "aws rds modify-db-parameter-group --db-parameter-group-name GROUP \\\n  --parameters \"ParameterName=rds.force_ssl,ParameterValue=1,ApplyMethod=immediate\"";

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let fleet_major = cx.model.platform.rds.iter().find_map(|r| r.engine_major);
    for rds in cx.model.platform.rds.iter().filter(|r| r.is_parameter_export) {
        let fix = || Fix::new("set rds.force_ssl to 1 in the parameter group").snippet(FIX).activation(Activation::Reload);
        match &rds.force_ssl {
            Some(p) if p.value.as_deref().is_some_and(|v| v != "1") => out.push(
                Diagnostic::new(
                    &META,
                    p.location,
                    format!(
                        "rds.force_ssl = {}: RDS accepts connections without SSL",
                        p.value.as_deref().unwrap_or("")
                    ),
                )
                .with_fix(fix()),
            ),
            Some(p) if p.value.is_some() => {}
            other => {
                let major = rds.engine_major.or(fleet_major).unwrap_or(cx.options.pg_version);
                if major < 15 {
                    let location = other.as_ref().map(|p| p.location).or(rds.document).expect("export has a location");
                    out.push(
                        Diagnostic::new(
                            &META,
                            location,
                            format!(
                                "rds.force_ssl is left at its default, which is 0 for RDS for PostgreSQL {major} (1 only from 15): connections without SSL are accepted"
                            ),
                        )
                        .with_fix(fix()),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::platform::rules::testing::findings;

    #[test]
    fn explicit_zero_and_old_default_fail() {
        let zero = r#"{"Parameters": [{"ParameterName": "rds.force_ssl", "ParameterValue": "0"}]}"#;
        let d = findings("MGD001", "p.json", zero, 0, 16);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("rds.force_ssl = 0"));
        let default = r#"{"Parameters": [{"ParameterName": "rds.force_ssl", "DBParameterGroupFamily": "postgres14"}]}"#;
        assert_eq!(findings("MGD001", "p.json", default, 0, 18).len(), 1);
    }

    #[test]
    fn one_or_new_default_pass() {
        let one = r#"{"Parameters": [{"ParameterName": "rds.force_ssl", "ParameterValue": "1"}]}"#;
        assert!(findings("MGD001", "p.json", one, 0, 13).is_empty());
        let default = r#"{"Parameters": [{"ParameterName": "rds.force_ssl"}]}"#;
        assert!(findings("MGD001", "p.json", default, 0, 16).is_empty());
    }
}
