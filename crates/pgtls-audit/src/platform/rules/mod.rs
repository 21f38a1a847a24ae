//! Rules over platform facts (MGD001–MGD008). Settings that are really postgresql.conf,
//! pg_hba.conf or certificates are judged by those areas' rules through derived inputs.

mod mgd001_rds_force_ssl;
mod mgd002_cloudsql_ssl_mode;
mod mgd003_azure_secure_transport;
mod mgd004_cloud_ca_expiry;
mod mgd005_cloudsql_open_network;
mod mgd006_container_default_hba;
mod mgd007_cert_manager_renewal;
mod mgd008_platform_parse_error;

use crate::rules::Rule;

pub static RULES: &[Rule] = &[
    Rule { meta: &mgd001_rds_force_ssl::META, check: mgd001_rds_force_ssl::check },
    Rule { meta: &mgd002_cloudsql_ssl_mode::META, check: mgd002_cloudsql_ssl_mode::check },
    Rule { meta: &mgd003_azure_secure_transport::META, check: mgd003_azure_secure_transport::check },
    Rule { meta: &mgd004_cloud_ca_expiry::META, check: mgd004_cloud_ca_expiry::check },
    Rule { meta: &mgd005_cloudsql_open_network::META, check: mgd005_cloudsql_open_network::check },
    Rule { meta: &mgd006_container_default_hba::META, check: mgd006_container_default_hba::check },
    Rule { meta: &mgd007_cert_manager_renewal::META, check: mgd007_cert_manager_renewal::check },
    Rule { meta: &mgd008_platform_parse_error::META, check: mgd008_platform_parse_error::check },
];

#[cfg(test)]
pub(crate) mod testing {
    use crate::detect::InputKind;
    use crate::source::{Inputs, SourceFile};
    use crate::{AuditOptions, Diagnostic};

    /// Audits one platform input and returns the findings of one rule.
    pub fn findings(rule: &str, name: &str, text: &str, now: i64, pg_version: u32) -> Vec<Diagnostic> {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text(name, InputKind::Platform, text));
        let mut options = AuditOptions::new(now);
        options.pg_version = pg_version;
        crate::audit(&inputs, &options).diagnostics.into_iter().filter(|d| d.rule.id == rule).collect()
    }
}
