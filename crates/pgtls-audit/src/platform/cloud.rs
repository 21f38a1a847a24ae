//! Managed clouds: `aws rds describe-db-parameters` / `describe-db-cluster-parameters` /
//! `describe-db-instances`, `gcloud sql instances describe`, and
//! `az postgres flexible-server parameter list`.

use super::yaml::Node;
use super::{conf_line, parse_rfc3339, AzureFacts, CloudSqlFacts, Derived, Expansion, Located, RdsFacts};
use crate::detect::InputKind;
use crate::source::{FileId, Location, SourceFile, Span};

/// Server parameters a cloud export may carry that the postgresql.conf rules judge.
const TLS_PARAMETERS: &[&str] = &[
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "ssl_ciphers",
    "password_encryption",
    "ssl_groups",
    "ssl_ecdh_curve",
];

pub(super) fn read(id: FileId, file: &SourceFile, doc: &Node, out: &mut Expansion) -> bool {
    if let Some(params) = doc.get("Parameters") {
        read_rds_parameters(id, file, doc, params, out);
        return true;
    }
    if let Some(instances) = doc.get("DBInstances").or_else(|| doc.get("DBClusters")) {
        for inst in instances.items() {
            read_rds_instance(id, inst, out);
        }
        return true;
    }
    if doc.get("DBInstanceIdentifier").is_some() {
        read_rds_instance(id, doc, out);
        return true;
    }
    if doc.get("databaseVersion").is_some() || doc.path(&["settings", "ipConfiguration"]).is_some() {
        read_cloud_sql(id, file, doc, out);
        return true;
    }
    if !doc.items().is_empty()
        && doc.items().iter().all(|p| p.get("name").is_some() && (p.get("value").is_some() || p.get("defaultValue").is_some()))
        && doc.items().iter().any(|p| {
            p.get("name").and_then(Node::as_str).is_some_and(|n| n == "require_secure_transport" || n.starts_with("ssl"))
        })
    {
        read_azure(id, file, doc, out);
        return true;
    }
    false
}

/// "15.4" or "postgres15" / "aurora-postgresql14" to the major version.
fn major_of(text: &str) -> Option<u32> {
    let digits: String = text
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

fn read_rds_parameters(id: FileId, file: &SourceFile, doc: &Node, params: &Node, out: &mut Expansion) {
    let mut facts = RdsFacts {
        document: Some(Location::new(id, doc.span)),
        is_parameter_export: true,
        ..RdsFacts::default()
    };
    let mut conf = Derived::new(file, id, "RDS parameters", InputKind::PostgresqlConf).with_provider_defaults();
    // RDS always runs with ssl = on; the switch users control is rds.force_ssl.
    conf.line("ssl = on", Span::at(doc.span.start));
    for p in params.items() {
        let Some(name) = p.get("ParameterName").and_then(Node::as_str) else { continue };
        let value = p.get("ParameterValue");
        let family = p.get("DBParameterGroupFamily").and_then(Node::as_str);
        if let Some(v) = family.and_then(major_of) {
            facts.engine_major = Some(v);
        }
        if name == "rds.force_ssl" {
            let span = value.map_or(p.span, |v| v.span);
            facts.force_ssl = Some(Located::new(value.and_then(Node::scalar_text).map(str::to_string), id, span));
        } else if TLS_PARAMETERS.contains(&name) {
            if let Some(v) = value.and_then(Node::scalar_text) {
                conf.line(&conf_line(name, v), p.span);
            }
        }
    }
    out.model.rds.push(facts);
    out.derived.push(conf.finish());
}

fn read_rds_instance(id: FileId, inst: &Node, out: &mut Expansion) {
    let mut facts = RdsFacts { document: Some(Location::new(id, inst.span)), ..RdsFacts::default() };
    facts.engine_major = inst.get("EngineVersion").and_then(Node::as_str).and_then(major_of);
    if let Some(ca) = inst.get("CACertificateIdentifier") {
        if let Some(s) = ca.scalar_text() {
            facts.ca_identifier = Some(Located::new(s.to_string(), id, ca.span));
        }
    }
    if let Some(details) = inst.get("CertificateDetails") {
        if facts.ca_identifier.is_none() {
            if let Some(ca) = details.get("CAIdentifier") {
                facts.ca_identifier = ca.scalar_text().map(|s| Located::new(s.to_string(), id, ca.span));
            }
        }
        if let Some(until) = details.get("ValidTill") {
            if let Some(t) = until.scalar_text().and_then(parse_rfc3339) {
                facts.ca_valid_till = Some(Located::new(t, id, until.span));
            }
        }
    }
    out.model.rds.push(facts);
}

fn read_cloud_sql(id: FileId, file: &SourceFile, doc: &Node, out: &mut Expansion) {
    let mut facts = CloudSqlFacts { document: Some(Location::new(id, doc.span)), ..CloudSqlFacts::default() };
    let ip = doc.path(&["settings", "ipConfiguration"]);
    if let Some(ip) = ip {
        if let Some(n) = ip.get("sslMode") {
            facts.ssl_mode = n.scalar_text().map(|s| Located::new(s.to_string(), id, n.span));
        }
        if let Some(n) = ip.get("requireSsl") {
            facts.require_ssl = n.scalar_text().map(|s| Located::new(s == "true", id, n.span));
        }
        if let Some(n) = ip.get("ipv4Enabled") {
            facts.ipv4_enabled = n.scalar_text().map(|s| Located::new(s == "true", id, n.span));
        }
        for net in ip.get("authorizedNetworks").map(Node::items).unwrap_or(&[]) {
            if let Some(v) = net.get("value") {
                if let Some(s) = v.scalar_text() {
                    facts.authorized_networks.push(Located::new(s.to_string(), id, v.span));
                }
            }
        }
    }
    if let Some(exp) = doc.path(&["serverCaCert", "expirationTime"]) {
        if let Some(t) = exp.scalar_text().and_then(parse_rfc3339) {
            facts.server_ca_expires = Some(Located::new(t, id, exp.span));
        }
    }
    let mut conf = Derived::new(file, id, "Cloud SQL flags", InputKind::PostgresqlConf).with_provider_defaults();
    // Cloud SQL always offers TLS; whether it is required is sslMode.
    conf.line("ssl = on", Span::at(doc.span.start));
    for flag in doc.path(&["settings", "databaseFlags"]).map(Node::items).unwrap_or(&[]) {
        let (Some(name), Some(value)) = (flag.get("name").and_then(Node::as_str), flag.get("value")) else {
            continue;
        };
        if TLS_PARAMETERS.contains(&name) {
            if let Some(v) = value.scalar_text() {
                conf.line(&conf_line(name, v), flag.span);
            }
        }
    }
    out.model.cloud_sql.push(facts);
    out.derived.push(conf.finish());
}

fn read_azure(id: FileId, file: &SourceFile, doc: &Node, out: &mut Expansion) {
    let mut facts = AzureFacts { document: Some(Location::new(id, doc.span)), ..AzureFacts::default() };
    let mut conf = Derived::new(file, id, "Azure parameters", InputKind::PostgresqlConf).with_provider_defaults();
    conf.line("ssl = on", Span::at(doc.span.start));
    for p in doc.items() {
        let Some(name) = p.get("name").and_then(Node::as_str) else { continue };
        let value = p.get("value").or_else(|| p.get("defaultValue"));
        if name == "require_secure_transport" {
            if let Some(v) = value {
                facts.require_secure_transport = v.scalar_text().map(|s| Located::new(s.to_string(), id, v.span));
            }
        } else if TLS_PARAMETERS.contains(&name) {
            if let Some(v) = value.and_then(Node::scalar_text).filter(|v| !v.is_empty()) {
                conf.line(&conf_line(name, v), p.span);
            }
        }
    }
    out.model.azure.push(facts);
    out.derived.push(conf.finish());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Inputs;

    fn expand(text: &str) -> (Inputs, super::super::PlatformModel) {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("export.json", InputKind::Platform, text));
        super::super::expand(&inputs)
    }

    #[test]
    fn rds_parameter_export() {
        let (inputs, model) = expand(
            r#"{"Parameters": [
  {"ParameterName": "rds.force_ssl", "ParameterValue": "0", "ApplyType": "dynamic"},
  {"ParameterName": "ssl_min_protocol_version", "ParameterValue": "TLSv1.1"},
  {"ParameterName": "shared_buffers", "ParameterValue": "{DBInstanceClassMemory/32768}"}
]}"#,
        );
        let force = model.rds[0].force_ssl.as_ref().unwrap();
        assert_eq!(force.value.as_deref(), Some("0"));
        let derived = &inputs.files[1];
        assert_eq!(derived.text, "ssl = on\nssl_min_protocol_version = 'TLSv1.1'\n");
        assert!(model.parse_errors.is_empty());
    }

    #[test]
    fn rds_instance_ca() {
        let (_, model) = expand(
            r#"{"DBInstances": [{"DBInstanceIdentifier": "db1", "EngineVersion": "14.10",
  "CACertificateIdentifier": "rds-ca-2019",
  "CertificateDetails": {"CAIdentifier": "rds-ca-2019", "ValidTill": "2024-08-22T17:08:50Z"}}]}"#,
        );
        assert_eq!(model.rds[0].engine_major, Some(14));
        assert_eq!(model.rds[0].ca_identifier.as_ref().unwrap().value, "rds-ca-2019");
        assert_eq!(model.rds[0].ca_valid_till.as_ref().unwrap().value, 1724346530);
    }

    #[test]
    fn cloud_sql_yaml() {
        let (_, model) = expand(
            "databaseVersion: POSTGRES_15\nsettings:\n  ipConfiguration:\n    ipv4Enabled: true\n    sslMode: ALLOW_UNENCRYPTED_AND_ENCRYPTED\n    authorizedNetworks:\n    - value: 0.0.0.0/0\nserverCaCert:\n  expirationTime: '2033-01-01T00:00:00.000Z'\n",
        );
        let f = &model.cloud_sql[0];
        assert_eq!(f.ssl_mode.as_ref().unwrap().value, "ALLOW_UNENCRYPTED_AND_ENCRYPTED");
        assert_eq!(f.authorized_networks[0].value, "0.0.0.0/0");
        assert!(f.server_ca_expires.is_some());
    }

    #[test]
    fn azure_parameter_list() {
        let (inputs, model) = expand(
            r#"[{"name": "require_secure_transport", "value": "off", "defaultValue": "on"},
 {"name": "ssl_min_protocol_version", "value": "TLSv1.2", "defaultValue": "TLSv1.2"}]"#,
        );
        assert_eq!(model.azure[0].require_secure_transport.as_ref().unwrap().value, "off");
        assert!(inputs.files[1].text.contains("ssl_min_protocol_version = 'TLSv1.2'"));
    }
}
