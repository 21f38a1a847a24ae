//! Certificates, keys and CRLs: PEM/DER decoding, chains, signatures, libpq host-name rules.
//!
//! Every PEM or DER input is decoded into certificates, private keys, CRLs and requests. Each
//! certificate gets a role: from the context when the audit has it (`ssl_cert_file` names the
//! server chain, a client's `sslrootcert` the trusted roots, a live check the presented chain),
//! otherwise from the certificate itself (self-signed CA → root, CA → intermediate, else leaf).
//! Chains are then built for every leaf as OpenSSL builds them for libpq, and the server leaf
//! is checked against `--host` with libpq's verify-full rules.

pub mod chain;
pub mod curves;
pub mod dn;
pub mod hostname;
pub mod keys;
pub mod pem;
pub mod rules;
pub mod verify;
pub mod x509;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::checklist::Evidence;
use crate::conf::ConfModel;
use crate::conn::ClientModel;
use crate::detect::InputKind;
use crate::diagnostic::ParseError;
use crate::live::LiveModel;
use crate::options::AuditOptions;
use crate::source::{base_name, FileId, Inputs, Location, Span};

use chain::Chain;
use keys::PrivateKey;
use x509::{CertRequest, Certificate, Crl, KeyAlg};

/// Days before expiry at which a certificate counts as expiring (CERT002, checklist item 6).
pub const ALERT_DAYS: i64 = 30;
const DAY: i64 = 86_400;

/// What a certificate is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    #[default]
    Server,
    Client,
    Intermediate,
    Root,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Server => "server",
            Role::Client => "client",
            Role::Intermediate => "intermediate",
            Role::Root => "root",
        }
    }

    pub fn is_leaf(self) -> bool {
        matches!(self, Role::Server | Role::Client)
    }
}

/// What the context says a given file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRole {
    /// `ssl_cert_file`: the server certificate, then the intermediates it sends.
    ServerChain,
    /// `ssl_key_file`.
    ServerKey,
    /// `ssl_ca_file`: the roots the server trusts for client certificates.
    ServerCa,
    /// `ssl_crl_file`.
    ServerCrl,
    /// A client's `sslrootcert`: the roots libpq trusts for the server certificate.
    ClientRoot,
    /// A client's `sslcert`.
    ClientCert,
    /// A client's `sslcrl`.
    ClientCrl,
}

impl FileRole {
    pub fn setting(self) -> &'static str {
        match self {
            FileRole::ServerChain => "ssl_cert_file",
            FileRole::ServerKey => "ssl_key_file",
            FileRole::ServerCa => "ssl_ca_file",
            FileRole::ServerCrl => "ssl_crl_file",
            FileRole::ClientRoot => "sslrootcert",
            FileRole::ClientCert => "sslcert",
            FileRole::ClientCrl => "sslcrl",
        }
    }
}

/// A certificate with its role.
#[derive(Clone, Debug)]
pub struct CertEntry {
    pub cert: Certificate,
    pub role: Role,
    /// Where the role comes from: a setting name, "presented by the server", or "certificate".
    pub role_source: String,
    /// Presented by a live server rather than given as a file.
    pub presented: bool,
}

/// A private key and the certificate it belongs with.
#[derive(Clone, Debug)]
pub struct KeyEntry {
    pub key: PrivateKey,
    /// The certificate this key should match (by context, by file or by name).
    pub paired_with: Option<usize>,
    /// Whether it is the server's key (ssl_key_file, or paired with the server certificate).
    pub server_key: bool,
    /// Certificates whose public key is this key's.
    pub matching: Vec<usize>,
}

/// The chain of a leaf and what the CRLs say about it.
#[derive(Clone, Debug)]
pub struct LeafChain {
    pub leaf: usize,
    pub chain: Chain,
    /// Whether a trusted (root) file was known from the context.
    pub trusted_from_context: bool,
    /// The CRL verdict when CRLs apply to this chain.
    pub crl_result: Option<Result<(), String>>,
    /// Certificates the chain needs that were given but are not where the server sends them.
    pub not_sent: Vec<usize>,
}

/// A problem with the order of a server chain file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderProblem {
    pub location: Location,
    pub message: String,
    /// The server starts with another certificate than the leaf: an error, not a warning.
    pub leaf_not_first: bool,
}

#[derive(Debug, Default)]
pub struct CertModel {
    pub certs: Vec<CertEntry>,
    pub keys: Vec<KeyEntry>,
    pub crls: Vec<Crl>,
    pub requests: Vec<CertRequest>,
    pub errors: Vec<ParseError>,
    pub chains: Vec<LeafChain>,
    /// The libpq verify-full verdict for each server leaf, when `--host` is given.
    pub host_checks: Vec<(usize, hostname::NameCheck)>,
    pub order_problems: Vec<OrderProblem>,
    /// Files with a role from the context.
    pub file_roles: BTreeMap<FileId, FileRole>,
    /// ssl_passphrase_command and its supports_reload flag, when a postgresql.conf was given.
    pub passphrase: Option<PassphraseSettings>,
    pub now: i64,
    pub host: Option<String>,
    pub pg_version: u32,
    /// The names of the input files, for the report.
    pub file_names: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PassphraseSettings {
    pub command: Option<(String, Location)>,
    pub supports_reload: Option<(bool, Location)>,
    /// Where a new setting would be appended.
    pub conf_file: Option<FileId>,
}

/// The public-key algorithm of the server certificate, which decides the TLS 1.2 suites a
/// server can negotiate (aRSA suites need an RSA key, aECDSA suites an EC key).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServerKeyKind {
    Rsa,
    Ecdsa,
    Ed25519,
    Ed448,
    Other,
}

/// One certificate as the report shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateSummary {
    pub file: String,
    /// Position among the certificates of its file (0 = first).
    pub index_in_file: usize,
    pub role: Role,
    /// Where the role comes from (a setting such as `ssl_cert_file`, or `certificate`).
    pub role_source: String,
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    /// RFC 3339.
    pub not_before: String,
    pub not_after: String,
    /// Whole days from `now` to not-after; negative once expired.
    pub days_left: i64,
    pub key_type: String,
    pub key_bits: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_curve: Option<String>,
    pub signature_algorithm: String,
    pub subject_alt_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_constraints: Option<BasicConstraintsSummary>,
    pub key_usage: Vec<String>,
    pub extended_key_usage: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority_key_id: Option<String>,
    pub sha256_fingerprint: String,
    pub self_signed: bool,
    /// For a leaf: its chain, leaf first, each link with whether its signature verified.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<ChainLinkSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_verified: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_check: Option<HostCheckSummary>,
    pub timeline: Timeline,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasicConstraintsSummary {
    pub ca: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_len: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainLinkSummary {
    pub subject: String,
    pub file: String,
    /// Whether this certificate's signature verified with the next link's key (for the last
    /// link: with its own key, as a self-signed root).
    pub verified: bool,
    pub trusted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostCheckSummary {
    pub host: String,
    pub matches: bool,
    /// libpq's error text when it does not match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub libpq_error: Option<String>,
}

/// What the page needs to draw the rotation timeline, in Unix seconds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    pub not_before: i64,
    pub not_after: i64,
    pub today: i64,
    /// Where the 30-day alert starts: not-after less 30 days.
    pub alert_line: i64,
}

pub use crate::civil::rfc3339;

/// Everything decoded from the inputs, before roles.
#[derive(Default)]
struct Decoded {
    certs: Vec<(Certificate, bool)>,
    keys: Vec<PrivateKey>,
    crls: Vec<Crl>,
    requests: Vec<CertRequest>,
    errors: Vec<ParseError>,
}

fn decode_pem(file: FileId, text: &str, out: &mut Decoded) {
    let (blocks, errors) = pem::scan(file, text);
    out.errors.extend(errors);
    let mut index = 0;
    for block in blocks {
        let loc = Location::new(file, block.span);
        let err = |msg: String| ParseError::new(file, block.begin_span, msg);
        match block.label.as_str() {
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                match Certificate::parse(&block.der, loc, index) {
                    Ok(c) => {
                        out.certs.push((c, false));
                        index += 1;
                    }
                    Err(e) => out.errors.push(err(format!("PEM block \"{}\": {e}", block.label))),
                }
            }
            "PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" => {
                match keys::from_pem(&block.label, &block.der, block.is_legacy_encrypted(), loc) {
                    Ok(k) => out.keys.push(k),
                    Err(e) => out.errors.push(err(format!("PEM block \"{}\": {e}", block.label))),
                }
            }
            "X509 CRL" => match Crl::parse(&block.der, loc) {
                Ok(c) => out.crls.push(c),
                Err(e) => out.errors.push(err(format!("PEM block \"X509 CRL\": {e}"))),
            },
            "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => match CertRequest::parse(&block.der, loc) {
                Ok(r) => out.requests.push(r),
                Err(e) => out.errors.push(err(format!("PEM block \"{}\": {e}", block.label))),
            },
            // Parameters and public keys sit beside keys and certificates without harm.
            _ => {}
        }
    }
}

fn decode_der(file: FileId, bytes: &[u8], out: &mut Decoded) {
    let loc = Location::new(file, Span::at(0));
    let cert_error = match Certificate::parse(bytes, loc, 0) {
        Ok(c) => {
            out.certs.push((c, false));
            return;
        }
        Err(e) => e,
    };
    if let Ok(crl) = Crl::parse(bytes, loc) {
        out.crls.push(crl);
    } else if let Some(key) = keys::from_der(bytes, loc) {
        out.keys.push(key);
    } else if let Ok(req) = CertRequest::parse(bytes, loc) {
        out.requests.push(req);
    } else {
        out.errors.push(ParseError::new(
            file,
            Span::at(0),
            format!("not a DER certificate, private key, CRL or request ({cert_error})"),
        ));
    }
}

/// The role a certificate has by itself.
fn role_by_itself(cert: &Certificate, file_name: &str) -> Role {
    if cert.is_ca() {
        return if cert.is_self_signed() { Role::Root } else { Role::Intermediate };
    }
    let base = base_name(file_name).to_ascii_lowercase();
    let client_by_eku = cert.client_auth == Some(true) && cert.server_auth != Some(true);
    if client_by_eku || base.starts_with("client") || base == "postgresql.crt" {
        Role::Client
    } else {
        Role::Server
    }
}

/// Asks the host at once for every ECDSA and Ed25519 signature a chain, a CRL check or the CA
/// flag rule could need: each certificate and CRL against each certificate that could have
/// issued it by name and key identifier, and each self-issued certificate against its own key.
/// Chain building alone would ask for one link per audit (it only looks for the next issuer
/// once it has this one).
#[cfg(not(feature = "curves"))]
fn ask_for_curve_signatures(decoded: &Decoded) {
    use x509::SigAlg;
    let on_curve = |alg: &SigAlg| matches!(alg, SigAlg::Ecdsa(_) | SigAlg::Ed25519);
    let certs: Vec<&Certificate> = decoded.certs.iter().map(|(c, _)| c).collect();
    for (i, cert) in certs.iter().enumerate().filter(|(_, c)| on_curve(&c.sig_alg)) {
        for (j, issuer) in certs.iter().enumerate() {
            if (i == j && cert.is_self_issued()) || (i != j && cert.names_issuer(issuer)) {
                let _ = verify::verify_signature(&cert.sig_alg, &cert.tbs, &cert.signature, &issuer.key);
            }
        }
    }
    for crl in decoded.crls.iter().filter(|c| on_curve(&c.sig_alg)) {
        for issuer in certs.iter().filter(|c| crl.issued_by(c)) {
            let _ = verify::verify_signature(&crl.sig_alg, &crl.tbs, &crl.signature, &issuer.key);
        }
    }
}

impl CertModel {
    pub fn build(
        inputs: &Inputs,
        options: &AuditOptions,
        conf: &ConfModel,
        clients: &ClientModel,
        live: &LiveModel,
    ) -> Self {
        let mut model = CertModel {
            now: options.now,
            host: options.host.clone(),
            pg_version: options.pg_version,
            file_names: inputs.files.iter().map(|f| f.name.clone()).collect(),
            ..CertModel::default()
        };
        let mut decoded = Decoded::default();
        for (id, file) in inputs.files.iter().enumerate() {
            match file.kind {
                InputKind::Pem if file.text.contains("-----BEGIN ") => decode_pem(id, &file.text, &mut decoded),
                // Named like a certificate (server.crt) but without PEM armour: DER, or broken.
                InputKind::Pem if file.bytes.first() == Some(&0x30) => decode_der(id, &file.bytes, &mut decoded),
                InputKind::Pem if !file.text.trim().is_empty() => decoded.errors.push(ParseError::new(
                    id,
                    Span::at(0),
                    "no PEM block found: a certificate, key or CRL file starts with a \"-----BEGIN ...-----\" line",
                )),
                InputKind::Der => decode_der(id, &file.bytes, &mut decoded),
                _ => {}
            }
        }
        for (index, (der, location)) in live.presented_certificates().into_iter().enumerate() {
            match Certificate::parse(der, location, index) {
                Ok(c) => decoded.certs.push((c, true)),
                Err(e) => decoded.errors.push(ParseError { location, message: format!("presented certificate: {e}") }),
            }
        }
        #[cfg(not(feature = "curves"))]
        ask_for_curve_signatures(&decoded);

        // Roles from the server configuration, PostgreSQL's defaults included.
        if conf.is_present() {
            for (name, role, default) in [
                ("ssl_cert_file", FileRole::ServerChain, Some("server.crt")),
                ("ssl_key_file", FileRole::ServerKey, Some("server.key")),
                ("ssl_ca_file", FileRole::ServerCa, None),
                ("ssl_crl_file", FileRole::ServerCrl, None),
            ] {
                let value = conf.effective(name).map(|s| s.value.clone()).or(default.map(String::from));
                if let Some(id) = value.filter(|v| !v.is_empty()).and_then(|v| inputs.find_by_reference(&v)) {
                    model.file_roles.entry(id).or_insert(role);
                }
            }
            model.passphrase = Some(PassphraseSettings {
                command: conf
                    .effective("ssl_passphrase_command")
                    .filter(|s| !s.value.is_empty())
                    .map(|s| (s.value.clone(), s.location)),
                supports_reload: conf
                    .effective("ssl_passphrase_command_supports_reload")
                    .map(|s| (crate::conf::parse_bool(&s.value).unwrap_or(false), s.location)),
                conf_file: inputs
                    .of_kind(InputKind::PostgresqlConf)
                    .next()
                    .map(|(id, _)| id),
            });
        }
        // Files a client names: what they hold says which of its settings named them.
        for (reference, _) in clients.root_cert_references() {
            let Some(id) = inputs.find_by_reference(reference) else { continue };
            let certs: Vec<&Certificate> =
                decoded.certs.iter().filter(|(c, p)| !p && c.location.file == id).map(|(c, _)| c).collect();
            let role = if certs.is_empty() {
                if decoded.crls.iter().any(|c| c.location.file == id) {
                    FileRole::ClientCrl
                } else {
                    continue;
                }
            } else if certs[0].is_ca() || certs[0].is_self_signed() {
                FileRole::ClientRoot
            } else {
                FileRole::ClientCert
            };
            model.file_roles.entry(id).or_insert(role);
        }

        let any_key = !decoded.keys.is_empty();
        for (cert, presented) in decoded.certs {
            let file = cert.location.file;
            let file_name = inputs.files.get(file).map_or("", |f| f.name.as_str());
            let (role, source) = if presented {
                let role = if cert.index_in_file == 0 { Role::Server } else { ca_role(&cert) };
                (role, "presented by the server".to_string())
            } else {
                match model.file_roles.get(&file) {
                    Some(FileRole::ServerChain) if cert.index_in_file == 0 => (Role::Server, "ssl_cert_file".into()),
                    Some(FileRole::ClientCert) if cert.index_in_file == 0 => (Role::Client, "sslcert".into()),
                    Some(r @ (FileRole::ClientRoot | FileRole::ServerCa)) => (ca_role(&cert), r.setting().into()),
                    Some(r @ (FileRole::ServerChain | FileRole::ClientCert)) => (ca_role(&cert), r.setting().into()),
                    _ => {
                        let mut role = role_by_itself(&cert, file_name);
                        // `openssl req -x509` marks self-signed server certificates CA:TRUE;
                        // PostgreSQL's default file name, or a key beside it, says what it is.
                        let base = base_name(file_name).to_ascii_lowercase();
                        if role == Role::Root && cert.index_in_file == 0 && (base == "server.crt" || (any_key && base.starts_with("server") && !base.contains("ca"))) {
                            role = Role::Server;
                        }
                        (role, "certificate".into())
                    }
                }
            };
            model.certs.push(CertEntry { cert, role, role_source: source, presented });
        }
        model.crls = decoded.crls;
        model.requests = decoded.requests;
        model.errors = decoded.errors;
        model.keys = decoded
            .keys
            .into_iter()
            .map(|key| KeyEntry { key, paired_with: None, server_key: false, matching: Vec::new() })
            .collect();
        model.pair_keys(inputs);
        model.check_order();
        model.build_chains();
        if let Some(host) = &model.host {
            model.host_checks = model
                .certs
                .iter()
                .enumerate()
                .filter(|(_, e)| e.role == Role::Server)
                .map(|(i, e)| (i, hostname::verify_host(&e.cert, host, model.pg_version)))
                .collect();
        }
        model
    }

    fn file_of(&self, i: usize) -> FileId {
        self.certs[i].cert.location.file
    }

    fn pair_keys(&mut self, inputs: &Inputs) {
        let stem = |name: &str| {
            let b = base_name(name);
            b.rsplit_once('.').map_or(b, |(s, _)| s).to_string()
        };
        let servers: Vec<usize> = (0..self.certs.len()).filter(|&i| self.certs[i].role == Role::Server && !self.certs[i].presented).collect();
        let key_count = self.keys.len();
        for k in 0..key_count {
            let key_file = self.keys[k].key.location.file;
            let matching: Vec<usize> = match &self.keys[k].key.public {
                Some(p) => (0..self.certs.len()).filter(|&i| self.certs[i].cert.key.same_key(p)).collect(),
                None => Vec::new(),
            };
            let context_server = self.file_roles.get(&key_file) == Some(&FileRole::ServerKey);
            let paired = if context_server {
                self.certs.iter().position(|e| e.role == Role::Server && self.file_roles.get(&e.cert.location.file) == Some(&FileRole::ServerChain))
            } else {
                let same_file = self.certs.iter().position(|e| e.cert.location.file == key_file && e.cert.index_in_file == 0);
                let key_stem = inputs.files.get(key_file).map(|f| stem(&f.name));
                same_file
                    .or_else(|| {
                        self.certs.iter().position(|e| {
                            e.cert.index_in_file == 0
                                && e.cert.location.file != key_file
                                && key_stem.as_deref() == inputs.files.get(e.cert.location.file).map(|f| stem(&f.name)).as_deref()
                        })
                    })
                    .or_else(|| (key_count == 1 && servers.len() == 1).then(|| servers[0]))
            };
            let entry = &mut self.keys[k];
            entry.matching = matching;
            entry.paired_with = paired;
            entry.server_key = context_server || paired.is_some_and(|p| self.certs[p].role == Role::Server);
        }
    }

    /// The order of server chain files: the leaf first, then each certificate's issuer.
    fn check_order(&mut self) {
        let mut by_file: BTreeMap<FileId, Vec<usize>> = BTreeMap::new();
        for (i, e) in self.certs.iter().enumerate() {
            if !e.presented {
                by_file.entry(e.cert.location.file).or_default().push(i);
            }
        }
        for (file, list) in by_file {
            if list.len() < 2 {
                continue;
            }
            let is_chain_file = self.file_roles.get(&file) == Some(&FileRole::ServerChain);
            let leaves: Vec<usize> = list.iter().copied().filter(|&i| !self.certs[i].cert.is_ca()).collect();
            let first = list[0];
            if !is_chain_file && self.file_roles.contains_key(&file) {
                continue;
            }
            if leaves.len() == 1 && leaves[0] != first {
                let leaf = &self.certs[leaves[0]].cert;
                self.order_problems.push(OrderProblem {
                    location: leaf.location,
                    message: format!(
                        "the server certificate \"{}\" is not the first certificate of the file: PostgreSQL uses the first one (\"{}\") as the server certificate, so the key will not match and the server will not start",
                        leaf.subject, self.certs[first].cert.subject
                    ),
                    leaf_not_first: true,
                });
                continue;
            }
            if !(is_chain_file || self.certs[first].role == Role::Server) {
                continue;
            }
            for w in 1..list.len() {
                let (prev, cur) = (&self.certs[list[w - 1]].cert, &self.certs[list[w]].cert);
                if prev.names_issuer(cur) || prev.is_self_issued() {
                    continue;
                }
                if let Some(&later) = list[w + 1..].iter().find(|&&j| prev.names_issuer(&self.certs[j].cert)) {
                    self.order_problems.push(OrderProblem {
                        location: cur.location,
                        message: format!(
                            "out of order: \"{}\" should follow \"{}\", which it did not issue; its issuer \"{}\" comes later in the file (libpq reorders, but TLS requires each certificate to be followed by its issuer and other clients may refuse)",
                            cur.subject, prev.subject, self.certs[later].cert.subject
                        ),
                        leaf_not_first: false,
                    });
                    break;
                }
            }
        }
    }

    fn files_with_role(&self, role: FileRole) -> Vec<FileId> {
        self.file_roles.iter().filter(|(_, r)| **r == role).map(|(f, _)| *f).collect()
    }

    fn build_chains(&mut self) {
        let client_roots = self.files_with_role(FileRole::ClientRoot);
        let server_cas = self.files_with_role(FileRole::ServerCa);
        let all: Vec<usize> = (0..self.certs.len()).collect();
        // Without a named root file: every root given, and every certificate of a CA bundle that
        // holds a root (root+intermediate files, as sslrootcert often is). A file holding only
        // an intermediate is a piece of the chain, not a root file: libpq would not accept it
        // as one, and the server must send it.
        let mut bundle_files: BTreeMap<FileId, (bool, bool)> = BTreeMap::new();
        for e in self.certs.iter().filter(|e| !e.presented) {
            let (all_ca, has_root) = bundle_files.entry(e.cert.location.file).or_insert((true, false));
            *all_ca &= !e.role.is_leaf();
            *has_root |= e.role == Role::Root;
        }
        let default_trusted: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&i| {
                let e = &self.certs[i];
                e.role == Role::Root || (!e.presented && bundle_files.get(&e.cert.location.file) == Some(&(true, true)))
            })
            .collect();
        let in_files = |files: &[FileId]| -> Vec<usize> {
            all.iter().copied().filter(|&i| !self.certs[i].presented && files.contains(&self.file_of(i))).collect()
        };
        let client_crl_files = self.files_with_role(FileRole::ClientCrl);
        let server_crl_files = self.files_with_role(FileRole::ServerCrl);
        let certs: Vec<Certificate> = self.certs.iter().map(|e| e.cert.clone()).collect();
        let mut chains = Vec::new();
        for leaf in all.iter().copied().filter(|&i| self.certs[i].role.is_leaf()) {
            let entry = &self.certs[leaf];
            let (trusted, from_context, crl_files) = match entry.role {
                Role::Server if !client_roots.is_empty() => (in_files(&client_roots), true, &client_crl_files),
                Role::Client if !server_cas.is_empty() => (in_files(&server_cas), true, &server_crl_files),
                Role::Server => (default_trusted.clone(), false, &client_crl_files),
                _ => (default_trusted.clone(), false, &server_crl_files),
            };
            let file = entry.cert.location.file;
            let sends_chain = entry.presented
                || matches!(self.file_roles.get(&file), Some(FileRole::ServerChain | FileRole::ClientCert));
            let untrusted: Vec<usize> = if sends_chain {
                all.iter()
                    .copied()
                    .filter(|&i| i != leaf && self.certs[i].presented == entry.presented && self.file_of(i) == file)
                    .collect()
            } else {
                all.iter().copied().filter(|&i| i != leaf && !self.certs[i].role.is_leaf()).collect()
            };
            let built = chain::build(&certs, leaf, &untrusted, &trusted);
            // A certificate the chain lacks that was given elsewhere: the server does not send it.
            let mut not_sent = Vec::new();
            if sends_chain && !built.verified() {
                let top = &certs[*built.path.last().unwrap_or(&leaf)];
                not_sent = all
                    .iter()
                    .copied()
                    .filter(|&i| !untrusted.contains(&i) && !trusted.contains(&i) && top.names_issuer(&certs[i]))
                    .collect();
            }
            // CRLs apply as configured; without context, when one comes from a CA of the chain.
            let crls: Vec<&Crl> = if crl_files.is_empty() {
                self.crls.iter().collect()
            } else {
                self.crls.iter().filter(|c| crl_files.contains(&c.location.file)).collect()
            };
            let applies = !crl_files.is_empty()
                || crls.iter().any(|crl| built.path.iter().any(|&i| crl.issued_by(&certs[i])));
            let crl_result = (built.verified() && applies && !crls.is_empty())
                .then(|| chain::check_crls(&certs, &built, &crls, self.now));
            chains.push(LeafChain { leaf, chain: built, trusted_from_context: from_context, crl_result, not_sent });
        }
        self.chains = chains;
    }

    /// The server certificate: from the context first, else the first server leaf given.
    pub fn server_leaf(&self) -> Option<usize> {
        let by_context = self.certs.iter().position(|e| {
            e.role == Role::Server && (e.presented || self.file_roles.get(&e.cert.location.file) == Some(&FileRole::ServerChain))
        });
        by_context.or_else(|| self.certs.iter().position(|e| e.role == Role::Server))
    }

    /// The key algorithm of the server's leaf certificate, when the audit has it.
    pub fn server_key_kind(&self) -> Option<ServerKeyKind> {
        let leaf = &self.certs[self.server_leaf()?].cert;
        Some(match leaf.key.alg {
            KeyAlg::Rsa | KeyAlg::RsaPss => ServerKeyKind::Rsa,
            KeyAlg::Ec => ServerKeyKind::Ecdsa,
            KeyAlg::Ed25519 => ServerKeyKind::Ed25519,
            KeyAlg::Ed448 => ServerKeyKind::Ed448,
            _ => ServerKeyKind::Other,
        })
    }

    pub fn chain_of(&self, leaf: usize) -> Option<&LeafChain> {
        self.chains.iter().find(|c| c.leaf == leaf)
    }

    pub fn file_name(&self, file: FileId) -> String {
        self.file_names.get(file).cloned().unwrap_or_else(|| format!("#{file}"))
    }

    /// The certificates for the report.
    pub fn summaries(&self) -> Vec<CertificateSummary> {
        self.certs
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let c = &e.cert;
                let chain = self.chain_of(i);
                let links = chain
                    .map(|lc| {
                        let path = &lc.chain.path;
                        path.iter()
                            .enumerate()
                            .map(|(pos, &j)| {
                                let last = pos + 1 == path.len();
                                let failed_here = lc.chain.result.as_ref().err().is_some_and(|_| {
                                    // The error concerns the link before the last one pushed
                                    // (a bad signature or a non-CA issuer) or the top.
                                    if matches!(lc.chain.result, Err((chain::ChainError::BadSignature | chain::ChainError::NotCa, _))) {
                                        pos + 2 == path.len()
                                    } else {
                                        last
                                    }
                                });
                                ChainLinkSummary {
                                    subject: self.certs[j].cert.subject.clone(),
                                    file: self.file_name(self.certs[j].cert.location.file),
                                    verified: !failed_here && (!last || lc.chain.verified()),
                                    trusted: last && lc.chain.anchored,
                                    problem: failed_here.then(|| lc.chain.result.as_ref().err().map(|(_, m)| m.clone())).flatten(),
                                }
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let chain_error = chain.and_then(|lc| match (&lc.chain.result, &lc.crl_result) {
                    (Err((_, m)), _) => Some(m.clone()),
                    (Ok(()), Some(Err(m))) => Some(m.clone()),
                    _ => None,
                });
                let host_check = self.host_checks.iter().find(|(j, _)| *j == i).map(|(_, r)| HostCheckSummary {
                    host: self.host.clone().unwrap_or_default(),
                    matches: r.is_ok(),
                    libpq_error: r.as_ref().err().cloned(),
                });
                CertificateSummary {
                    file: self.file_name(c.location.file),
                    index_in_file: c.index_in_file,
                    role: e.role,
                    role_source: e.role_source.clone(),
                    subject: c.subject.clone(),
                    issuer: c.issuer.clone(),
                    serial: c.serial_hex.clone(),
                    not_before: rfc3339(c.not_before),
                    not_after: rfc3339(c.not_after),
                    days_left: (c.not_after - self.now).div_euclid(DAY),
                    key_type: c.key.type_name().to_string(),
                    key_bits: c.key.bits,
                    key_curve: c.key.curve.clone(),
                    signature_algorithm: c.sig_alg.name(),
                    subject_alt_names: c.sans.iter().map(|s| s.display()).collect(),
                    basic_constraints: c.basic_constraints.map(|(ca, path_len)| BasicConstraintsSummary { ca, path_len }),
                    key_usage: c.key_usage.clone().unwrap_or_default().into_iter().map(String::from).collect(),
                    extended_key_usage: c.extended_key_usage.clone().unwrap_or_default(),
                    subject_key_id: c.ski.as_ref().map(|k| x509::hex(k, ":")),
                    authority_key_id: c.aki.as_ref().map(|k| x509::hex(k, ":")),
                    sha256_fingerprint: c.fingerprint(),
                    self_signed: c.is_self_signed(),
                    chain: links,
                    chain_verified: chain.map(|lc| lc.chain.verified() && !matches!(lc.crl_result, Some(Err(_)))),
                    chain_error,
                    host_check,
                    timeline: Timeline {
                        not_before: c.not_before,
                        not_after: c.not_after,
                        today: self.now,
                        alert_line: c.not_after - ALERT_DAYS * DAY,
                    },
                }
            })
            .collect()
    }

    pub fn evidence(&self, evidence: &mut Evidence) {
        if !self.certs.is_empty() {
            evidence.insert(6);
        }
        if self.server_leaf().is_some() {
            evidence.insert(2);
            evidence.insert(5);
        }
    }
}

/// Reads every certificate of PEM or DER bytes (decoding errors are dropped).
pub fn read_certificates(bytes: &[u8]) -> Vec<Certificate> {
    let mut out = Decoded::default();
    let text = String::from_utf8_lossy(bytes);
    if text.contains("-----BEGIN ") {
        decode_pem(0, &text, &mut out);
    } else {
        decode_der(0, bytes, &mut out);
    }
    out.certs.into_iter().map(|(c, _)| c).collect()
}

/// Reads every CRL of PEM or DER bytes.
pub fn read_crls(bytes: &[u8]) -> Vec<Crl> {
    let mut out = Decoded::default();
    let text = String::from_utf8_lossy(bytes);
    if text.contains("-----BEGIN ") {
        decode_pem(0, &text, &mut out);
    } else {
        decode_der(0, bytes, &mut out);
    }
    out.crls
}

/// What libpq concludes for a server that sends `server_chain` (its ssl_cert_file) to a client
/// with `sslrootcert` = `root_file`, optional `sslcrl` and, for verify-full, `host`: `Ok`, or
/// libpq's error text (`SSL error: certificate verify failed` with OpenSSL's reason after it,
/// or the host-name message).
pub fn libpq_verify(
    server_chain: &[u8],
    root_file: &[u8],
    crl_file: Option<&[u8]>,
    host: Option<&str>,
    pg_version: u32,
    now: i64,
) -> Result<(), String> {
    let sent = read_certificates(server_chain);
    let roots = read_certificates(root_file);
    if sent.is_empty() {
        return Err("the server sends no certificate".into());
    }
    let mut certs = sent.clone();
    certs.extend(roots.iter().cloned());
    let untrusted: Vec<usize> = (1..sent.len()).collect();
    let trusted: Vec<usize> = (sent.len()..certs.len()).collect();
    let failed = |why: String| Err(format!("SSL error: certificate verify failed ({why})"));
    let built = chain::build(&certs, 0, &untrusted, &trusted);
    if let Err((_, why)) = &built.result {
        return failed(why.clone());
    }
    // OpenSSL's default security level 1 (libpq changes nothing): signatures must offer 80
    // bits, which SHA-1 and MD5 do not since OpenSSL 3.0, and keys must be at least RSA 1024
    // or EC 160. The trust anchor's own signature is not checked.
    for (pos, &i) in built.path.iter().enumerate() {
        let c = &certs[i];
        let anchor = pos + 1 == built.path.len();
        if !anchor && c.sig_alg.hash().is_some_and(|h| h.is_weak()) {
            return failed(format!("CA signature digest algorithm too weak: \"{}\"", c.subject));
        }
        let too_small = match c.key.alg {
            KeyAlg::Rsa | KeyAlg::RsaPss | KeyAlg::Dsa => c.key.bits < 1024,
            KeyAlg::Ec => c.key.bits < 160,
            _ => false,
        };
        if too_small {
            let which = if pos == 0 { "EE" } else { "CA" };
            return failed(format!("{which} certificate key too weak: \"{}\"", c.subject));
        }
    }
    for &i in &built.path {
        if certs[i].not_after < now {
            return failed(format!("certificate has expired: \"{}\"", certs[i].subject));
        }
        if certs[i].not_before > now {
            return failed(format!("certificate is not yet valid: \"{}\"", certs[i].subject));
        }
    }
    if let Some(crl_bytes) = crl_file {
        let crls = read_crls(crl_bytes);
        let crl_refs: Vec<&Crl> = crls.iter().collect();
        if let Err(why) = chain::check_crls(&certs, &built, &crl_refs, now) {
            return failed(why);
        }
    }
    match host {
        Some(h) => hostname::verify_host(&certs[0], h, pg_version),
        None => Ok(()),
    }
}

fn ca_role(cert: &Certificate) -> Role {
    if cert.is_self_issued() && cert.is_self_signed() {
        Role::Root
    } else {
        Role::Intermediate
    }
}

#[cfg(test)]
pub(crate) mod testutil;
