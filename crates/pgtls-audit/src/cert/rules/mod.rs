//! Rules over certificates, keys and CRLs.

pub mod cert001_expired;
pub mod cert002_expires_soon;
pub mod cert003_not_yet_valid;
pub mod cert004_host_mismatch;
pub mod cert005_weak_key;
pub mod cert006_weak_signature;
pub mod cert007_self_signed_server;
pub mod cert008_chain;
pub mod cert009_key_mismatch;
pub mod cert010_encrypted_key;
pub mod cert011_ca_flag;
pub mod cert012_no_san;
pub mod cert013_long_validity;
pub mod cert014_revocation;
pub mod cert015_undecodable;

use crate::diagnostic::Activation;
use crate::rules::Rule;

use super::{CertEntry, CertModel, FileRole, Role};

pub static RULES: &[Rule] = &[
    Rule { meta: &cert001_expired::META, check: cert001_expired::check },
    Rule { meta: &cert002_expires_soon::META, check: cert002_expires_soon::check },
    Rule { meta: &cert003_not_yet_valid::META, check: cert003_not_yet_valid::check },
    Rule { meta: &cert004_host_mismatch::META, check: cert004_host_mismatch::check },
    Rule { meta: &cert005_weak_key::META, check: cert005_weak_key::check },
    Rule { meta: &cert006_weak_signature::META, check: cert006_weak_signature::check },
    Rule { meta: &cert007_self_signed_server::META, check: cert007_self_signed_server::check },
    Rule { meta: &cert008_chain::META, check: cert008_chain::check },
    Rule { meta: &cert009_key_mismatch::META, check: cert009_key_mismatch::check },
    Rule { meta: &cert010_encrypted_key::META, check: cert010_encrypted_key::check },
    Rule { meta: &cert011_ca_flag::META, check: cert011_ca_flag::check },
    Rule { meta: &cert012_no_san::META, check: cert012_no_san::check },
    Rule { meta: &cert013_long_validity::META, check: cert013_long_validity::check },
    Rule { meta: &cert014_revocation::META, check: cert014_revocation::check },
    Rule { meta: &cert015_undecodable::META, check: cert015_undecodable::check },
];

/// How a certificate is named in messages: its role, subject and file.
pub(crate) fn describe(model: &CertModel, entry: &CertEntry) -> String {
    let what = match entry.role {
        Role::Server => "server certificate",
        Role::Client => "client certificate",
        Role::Intermediate => "intermediate CA certificate",
        Role::Root => "root CA certificate",
    };
    format!("{what} \"{}\" in {}", entry.cert.subject, model.file_name(entry.cert.location.file))
}

/// What it takes to put a replaced certificate in use: PostgreSQL re-reads its SSL files on
/// reload; clients read theirs on the next connection.
pub(crate) fn activation(model: &CertModel, entry: &CertEntry) -> Activation {
    let file_role = model.file_roles.get(&entry.cert.location.file);
    match (entry.role, file_role) {
        (Role::Server, _) | (_, Some(FileRole::ServerChain | FileRole::ServerCa | FileRole::ServerCrl)) => Activation::Reload,
        (_, Some(FileRole::ClientRoot | FileRole::ClientCert | FileRole::ClientCrl)) => Activation::Reconnect,
        _ => Activation::Deploy,
    }
}

/// A date for messages: `2026-06-01`.
pub(crate) fn day(secs: i64) -> String {
    crate::civil::date(secs)
}

pub(crate) const SSL_TCP_DOCS: &str = "https://www.postgresql.org/docs/current/ssl-tcp.html";
pub(crate) const LIBPQ_SSL_DOCS: &str = "https://www.postgresql.org/docs/current/libpq-ssl.html";
