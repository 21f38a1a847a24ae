//! Kubernetes manifests and Patroni: operator clusters (their parameters and pg_hba lines),
//! TLS Secrets (their certificates), and cert-manager's Certificates and issuers.

use base64::Engine;

use super::yaml::{Node, Value};
use super::{conf_line, parse_go_duration, CertManagerCertificate, Derived, Expansion, Located};
use crate::detect::InputKind;
use crate::diagnostic::ParseError;
use crate::source::{FileId, Location, SourceFile, Span};

pub(super) fn read(id: FileId, file: &SourceFile, doc: &Node, out: &mut Expansion) -> bool {
    let api = doc.get("apiVersion").and_then(Node::as_str).unwrap_or("");
    let kind = doc.get("kind").and_then(Node::as_str).unwrap_or("");
    let name = doc.path(&["metadata", "name"]).and_then(Node::as_str).unwrap_or("").to_string();
    let at = |n: &Node| Location::new(id, n.span);
    match (api.split('/').next().unwrap_or(""), kind) {
        ("postgresql.cnpg.io", "Cluster") => {
            let spec = doc.get("spec");
            let pg = spec.and_then(|s| s.get("postgresql"));
            // CloudNativePG always serves TLS with certificates it (or cert-manager) rotates,
            // and appends `host all all all scram-sha-256` after the user's pg_hba lines.
            operator_cluster(
                id,
                file,
                doc,
                "CloudNativePG",
                pg.and_then(|p| p.get("parameters")),
                pg.and_then(|p| p.get("pg_hba")),
                Some("host all all all scram-sha-256"),
                out,
            );
            out.model.managed_clusters.push(Located { value: format!("CloudNativePG Cluster {name}"), location: at(doc) });
            true
        }
        ("acid.zalan.do", "postgresql") => {
            let spec = doc.get("spec");
            operator_cluster(
                id,
                file,
                doc,
                "Zalando",
                spec.and_then(|s| s.path(&["postgresql", "parameters"])),
                spec.and_then(|s| s.path(&["patroni", "pg_hba"])),
                None,
                out,
            );
            out.model.managed_clusters.push(Located { value: format!("Zalando postgresql {name}"), location: at(doc) });
            true
        }
        ("postgres-operator.crunchydata.com", "PostgresCluster") => {
            let dynamic = doc.path(&["spec", "patroni", "dynamicConfiguration", "postgresql"]);
            operator_cluster(
                id,
                file,
                doc,
                "Crunchy",
                dynamic.and_then(|d| d.get("parameters")),
                dynamic.and_then(|d| d.get("pg_hba")),
                None,
                out,
            );
            out.model.managed_clusters.push(Located { value: format!("Crunchy PostgresCluster {name}"), location: at(doc) });
            true
        }
        ("v1", "Secret") | ("", "Secret") => {
            tls_secret(id, file, doc, &name, out);
            true
        }
        ("cert-manager.io", "Certificate") => {
            let spec = doc.get("spec");
            let duration = spec.and_then(|s| s.get("duration"));
            let renew = spec.and_then(|s| s.get("renewBefore"));
            let pct = spec.and_then(|s| s.get("renewBeforePercentage"));
            let secs = |n: &Node| n.scalar_text().and_then(parse_go_duration).map(|v| Located::new(v, id, n.span));
            for (what, node) in [("duration", duration), ("renewBefore", renew)] {
                if let Some(n) = node.filter(|n| n.scalar_text().and_then(parse_go_duration).is_none()) {
                    out.model.parse_errors.push(ParseError::new(
                        id,
                        n.span,
                        format!("cert-manager cannot read {what} {:?}: use a Go duration such as 2160h", n.as_str().unwrap_or("")),
                    ));
                }
            }
            out.model.certificates.push(CertManagerCertificate {
                location: at(doc),
                name,
                is_ca: spec.and_then(|s| s.get("isCA")).and_then(Node::scalar_text) == Some("true"),
                duration: duration.and_then(secs),
                renew_before: renew.and_then(secs),
                renew_before_percentage: pct
                    .and_then(|n| n.scalar_text()?.parse().ok().map(|v| Located::new(v, id, n.span))),
            });
            true
        }
        ("cert-manager.io", "Issuer" | "ClusterIssuer") => {
            let acme = doc.path(&["spec", "acme"]).is_some();
            let what = if acme { format!("{kind} {name} (ACME)") } else { format!("{kind} {name}") };
            out.model.issuers.push(Located { value: what, location: at(doc) });
            true
        }
        _ if is_patroni(doc) => {
            let pg = doc.get("postgresql");
            let dcs = doc.path(&["bootstrap", "dcs", "postgresql"]);
            let params = pg.and_then(|p| p.get("parameters")).or_else(|| dcs.and_then(|d| d.get("parameters")));
            let hba = pg.and_then(|p| p.get("pg_hba")).or_else(|| dcs.and_then(|d| d.get("pg_hba")));
            operator_cluster(id, file, doc, "Patroni", params, hba, None, out);
            true
        }
        _ => false,
    }
}

fn is_patroni(doc: &Node) -> bool {
    doc.get("postgresql").is_some_and(|p| p.get("data_dir").is_some() || p.get("parameters").is_some() || p.get("pg_hba").is_some())
        && (doc.get("scope").is_some() || doc.get("bootstrap").is_some() || doc.get("restapi").is_some())
}

/// An operator's cluster: its parameters become a derived postgresql.conf and its pg_hba lines
/// a derived pg_hba.conf, each line mapped to the manifest line it came from.
#[allow(clippy::too_many_arguments)]
fn operator_cluster(
    id: FileId,
    file: &SourceFile,
    doc: &Node,
    operator: &str,
    parameters: Option<&Node>,
    pg_hba: Option<&Node>,
    appended_rule: Option<&str>,
    out: &mut Expansion,
) {
    let mut conf = Derived::new(file, id, &format!("{operator} parameters"), InputKind::PostgresqlConf);
    // Operators run PostgreSQL with TLS on; a parameter can still weaken it.
    conf.line("ssl = on", Span::at(doc.span.start));
    if let Some(params) = parameters {
        for (key, value) in params.entries() {
            let (Some(name), Some(v)) = (key.as_str(), value.scalar_text()) else { continue };
            conf.line(&conf_line(name, v), key.span.cover(value.span));
        }
    }
    out.derived.push(conf.finish());
    let Some(hba) = pg_hba else { return };
    let mut derived = Derived::new(file, id, &format!("{operator} pg_hba"), InputKind::PgHba);
    match &hba.value {
        Value::Seq(items) => {
            for item in items {
                if let Some(line) = item.as_str() {
                    // A plain scalar on one line is the line as written, so findings map to
                    // their exact columns; a quoted or folded one differs in length from its
                    // source and maps to the whole item (Origin::map).
                    derived.line(line, item.span);
                }
            }
        }
        Value::Scalar(text) => {
            for (i, line) in text.lines().enumerate() {
                let line_span = file.line_index.line_span(&file.text, file.line_index.line_of(hba.span.start) + i + 1);
                derived.line(line, if i == 0 { hba.span } else { line_span });
            }
        }
        _ => {}
    }
    if let Some(rule) = appended_rule {
        derived.line(rule, Span::at(hba.span.start));
    }
    if !derived.is_empty() {
        out.derived.push(derived.finish());
    }
}

/// A Secret's certificates (`tls.crt`, `ca.crt`) become a derived PEM input; its key
/// (`tls.key`) too, so that the key is matched against the certificate.
fn tls_secret(id: FileId, file: &SourceFile, doc: &Node, name: &str, out: &mut Expansion) {
    // tls.crt (the chain the server presents) with tls.key, and ca.crt (the roots clients and
    // the server trust) are separate files with separate roles, as they are when mounted.
    let mut chain = Derived::new(file, id, &format!("Secret {name} tls.crt"), InputKind::Pem);
    let mut roots = Derived::new(file, id, &format!("Secret {name} ca.crt"), InputKind::Pem);
    for (section, encoded) in [("data", true), ("stringData", false)] {
        let Some(data) = doc.get(section) else { continue };
        for (key, value) in data.entries() {
            let Some(k) = key.as_str() else { continue };
            let target = match k {
                "tls.crt" | "tls.key" => &mut chain,
                "ca.crt" => &mut roots,
                _ => continue,
            };
            let Some(text) = value.as_str() else { continue };
            let decoded = if encoded {
                let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
                    Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                    Err(e) => {
                        out.model.parse_errors.push(ParseError::new(
                            id,
                            value.span,
                            format!("{k} in Secret {name} is not valid base64: {e}"),
                        ));
                        continue;
                    }
                }
            } else {
                text.to_string()
            };
            target.block(&decoded, value.span);
        }
    }
    for derived in [chain, roots] {
        if !derived.is_empty() {
            out.derived.push(derived.finish());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Inputs;

    fn expand(text: &str) -> (Inputs, super::super::PlatformModel) {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("cluster.yaml", InputKind::Platform, text));
        super::super::expand(&inputs)
    }

    #[test]
    fn cnpg_cluster_parameters_and_hba_map_back() {
        let text = "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n  postgresql:\n    parameters:\n      ssl_min_protocol_version: TLSv1\n    pg_hba:\n      - host all all 0.0.0.0/0 md5\n";
        let (inputs, model) = expand(text);
        assert_eq!(model.managed_clusters.len(), 1);
        let conf = inputs.files.iter().find(|f| f.kind == InputKind::PostgresqlConf).unwrap();
        assert!(conf.text.contains("ssl_min_protocol_version = 'TLSv1'"));
        let hba = inputs.files.iter().find(|f| f.kind == InputKind::PgHba).unwrap();
        assert_eq!(hba.text, "host all all 0.0.0.0/0 md5\nhost all all all scram-sha-256\n");
        let origin = hba.origin.as_ref().unwrap();
        let loc = origin.map(Span::new(5, 8));
        assert_eq!(&text[loc.span.start..loc.span.end], "all");
    }

    #[test]
    fn tls_secret_and_cert_manager() {
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        let b64 = base64::engine::general_purpose::STANDARD.encode(pem);
        let text = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: kubernetes.io/tls\ndata:\n  tls.crt: {b64}\n---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: server\nspec:\n  duration: 8760h\n  renewBefore: 240h\n"
        );
        let (inputs, model) = expand(&text);
        let derived = inputs.files.iter().find(|f| f.kind == InputKind::Pem).unwrap();
        assert_eq!(derived.text, pem);
        let c = &model.certificates[0];
        assert_eq!(c.duration.as_ref().unwrap().value, 8760 * 3600);
        assert_eq!(c.renew_before.as_ref().unwrap().value, 240 * 3600);
    }

    #[test]
    fn bad_base64_and_durations_are_located() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ndata:\n  tls.crt: '%%%'\n---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: s\nspec:\n  duration: ninety days\n";
        let (_, model) = expand(text);
        assert_eq!(model.parse_errors.len(), 2, "{:?}", model.parse_errors);
    }

    #[test]
    fn patroni_configuration() {
        let text = "scope: demo\npostgresql:\n  data_dir: /data\n  parameters:\n    ssl: 'off'\n  pg_hba:\n  - hostssl all all 0.0.0.0/0 scram-sha-256\n";
        let (inputs, _) = expand(text);
        let conf = inputs.files.iter().find(|f| f.kind == InputKind::PostgresqlConf).unwrap();
        assert!(conf.text.ends_with("ssl = 'off'\n"));
    }
}
