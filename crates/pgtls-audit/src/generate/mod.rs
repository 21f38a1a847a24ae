//! The hardened set: everything a server and its clients need for verified TLS, generated for
//! a PostgreSQL version, the names clients use, their drivers and the platform. Pure text, so the
//! page's "Generate" view and `pgtls generate` produce the same files.

mod clients;
pub mod monitoring;
mod platform;
mod selfmanaged;

use serde::{Deserialize, Serialize};

pub use clients::Driver;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// A server whose postgresql.conf and pg_hba.conf you edit.
    #[serde(rename = "self")]
    SelfManaged,
    Rds,
    CloudSql,
    Azure,
    /// CloudNativePG on Kubernetes, with cert-manager issuing the certificates.
    Cnpg,
}

impl Platform {
    pub const ALL: [Platform; 5] =
        [Platform::SelfManaged, Platform::Rds, Platform::CloudSql, Platform::Azure, Platform::Cnpg];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::SelfManaged => "self",
            Platform::Rds => "rds",
            Platform::CloudSql => "cloudsql",
            Platform::Azure => "azure",
            Platform::Cnpg => "cnpg",
        }
    }

    pub fn parse(s: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.as_str() == s.to_ascii_lowercase())
    }
}

/// What the user tells the generator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub pg_version: u32,
    /// DNS names clients connect to; the first is the one the client strings use.
    pub hosts: Vec<String>,
    /// IP addresses clients connect to (they go into the certificate as iPAddress SANs).
    pub ips: Vec<String>,
    pub drivers: Vec<Driver>,
    pub platform: Platform,
    pub port: u16,
    pub database: String,
    pub user: String,
}

impl Request {
    pub fn new(pg_version: u32, platform: Platform) -> Self {
        Request {
            pg_version,
            hosts: Vec::new(),
            ips: Vec::new(),
            drivers: vec![Driver::Libpq],
            platform,
            port: 5432,
            database: "postgres".into(),
            user: "app".into(),
        }
    }

    /// The name clients put in `host`: the first DNS name, else the first IP address.
    pub fn client_host(&self) -> &str {
        self.hosts.first().or(self.ips.first()).map_or("db.example.internal", String::as_str)
    }
}

/// The part of a request a problem is about, so that the page can show the message at its field
/// and the CLI can name its option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestField {
    PgVersion,
    /// Neither a host name nor an IP address was given.
    Names,
    Hosts,
    Ips,
    Drivers,
    Database,
    User,
}

impl RequestField {
    /// The `pgtls generate` option that sets the field.
    pub fn option(self) -> &'static str {
        match self {
            RequestField::PgVersion => "--pg-version",
            RequestField::Names => "--host or --ip",
            RequestField::Hosts => "--host",
            RequestField::Ips => "--ip",
            RequestField::Drivers => "--driver",
            RequestField::Database => "--db",
            RequestField::User => "--user",
        }
    }
}

/// A problem with the request: which field, the value at fault (for fields that hold several),
/// and what is wrong with it, said without naming an option so that each face can say where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestError {
    pub field: RequestField,
    pub value: Option<String>,
    pub message: String,
}

impl RequestError {
    fn new(field: RequestField, value: Option<&str>, message: impl Into<String>) -> Self {
        RequestError { field, value: value.map(str::to_string), message: message.into() }
    }
}

/// The CLI's form: the option, the value, then the message (`--ip "300.1.1.1": ...`).
impl std::fmt::Display for RequestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.value {
            Some(value) => write!(f, "{} {value:?}: {}", self.field.option(), self.message),
            None => write!(f, "{}: {}", self.field.option(), self.message),
        }
    }
}

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedFile {
    pub name: String,
    pub contents: String,
    /// Whether the file is a script to run (written with the executable bit).
    pub executable: bool,
}

impl GeneratedFile {
    fn text(name: &str, contents: String) -> Self {
        GeneratedFile { name: name.into(), contents, executable: false }
    }

    fn script(name: &str, contents: String) -> Self {
        GeneratedFile { name: name.into(), contents, executable: true }
    }
}

/// Every problem with the request, in field order: names that cannot go into a certificate,
/// addresses that do not parse, a version the engine does not know.
pub fn request_errors(req: &Request) -> Vec<RequestError> {
    use RequestField as F;
    let mut errors = Vec::new();
    if !crate::options::KNOWN_PG_VERSIONS.contains(&req.pg_version) {
        let known = crate::options::KNOWN_PG_VERSIONS;
        errors.push(RequestError::new(
            F::PgVersion,
            None,
            format!(
                "PostgreSQL {} is not a version pgtls knows (it knows {} to {})",
                req.pg_version,
                known.start(),
                known.end()
            ),
        ));
    }
    if req.hosts.is_empty() && req.ips.is_empty() {
        errors.push(RequestError::new(F::Names, None, "name at least one host name or IP address that clients connect to"));
    }
    for host in &req.hosts {
        let ok = !host.is_empty()
            && host.len() <= 253
            && host.split('.').enumerate().all(|(i, label)| {
                let wildcard = i == 0 && label == "*";
                wildcard
                    || (!label.is_empty()
                        && label.len() <= 63
                        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        && !label.starts_with('-')
                        && !label.ends_with('-'))
            });
        if host.parse::<std::net::IpAddr>().is_ok() {
            errors.push(RequestError::new(F::Hosts, Some(host), "is an IP address; IP addresses go with the IP addresses"));
        } else if !ok {
            errors.push(RequestError::new(
                F::Hosts,
                Some(host),
                "is not a DNS name that can go into a certificate (letters, digits and '-' in dot-separated labels)",
            ));
        }
    }
    for ip in &req.ips {
        if ip.parse::<std::net::IpAddr>().is_err() {
            errors.push(RequestError::new(F::Ips, Some(ip), "is not an IPv4 or IPv6 address"));
        }
    }
    if req.drivers.is_empty() {
        errors.push(RequestError::new(F::Drivers, None, "name at least one client driver"));
    }
    for (field, value) in [(F::Database, &req.database), (F::User, &req.user)] {
        if value.is_empty() || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            errors.push(RequestError::new(
                field,
                Some(value),
                "must be letters, digits, '_' or '-' to be used unquoted in every driver's syntax",
            ));
        }
    }
    errors
}

/// Checks the request; the first problem, if any (`request_errors` lists them all).
pub fn validate(req: &Request) -> Result<(), RequestError> {
    match request_errors(req).into_iter().next() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Generates the set for the request's platform.
pub fn generate(req: &Request) -> Result<Vec<GeneratedFile>, RequestError> {
    validate(req)?;
    Ok(match req.platform {
        Platform::SelfManaged => selfmanaged::files(req),
        Platform::Rds | Platform::CloudSql | Platform::Azure => platform::cloud_files(req),
        Platform::Cnpg => platform::cnpg_files(req),
    })
}

/// The TLS 1.2 suites of Mozilla's "intermediate" profile: forward secrecy and AEAD only.
/// TLS 1.3 suites are always on and strong.
pub const TLS12_CIPHERS: &str = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:\
ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:\
ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:\
DHE-RSA-CHACHA20-POLY1305";

/// Lifetime of the generated server certificate: short enough that rotation has to be a routine.
pub const SERVER_CERT_DAYS: u32 = 90;
/// Lifetime of the generated private root CA.
pub const ROOT_CA_DAYS: u32 = 3650;

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        let mut r = Request::new(17, Platform::SelfManaged);
        r.hosts = vec!["db.example.com".into()];
        r.ips = vec!["10.1.2.3".into()];
        r
    }

    #[test]
    fn validation_names_the_field_and_the_option() {
        let mut r = request();
        r.hosts = vec!["bad host".into()];
        let e = validate(&r).unwrap_err();
        assert_eq!((e.field, e.value.as_deref()), (RequestField::Hosts, Some("bad host")));
        assert!(e.message.contains("DNS name"));
        assert!(e.to_string().starts_with("--host \"bad host\": "), "{e}");
        let mut r = request();
        r.ips = vec!["10.1.2".into()];
        let e = validate(&r).unwrap_err();
        assert_eq!(e.field, RequestField::Ips);
        assert_eq!(e.to_string(), "--ip \"10.1.2\": is not an IPv4 or IPv6 address");
        let mut r = request();
        r.hosts.clear();
        r.ips.clear();
        let e = validate(&r).unwrap_err();
        assert_eq!(e.field, RequestField::Names);
        assert!(e.to_string().starts_with("--host or --ip: "), "{e}");
        let mut r = request();
        r.pg_version = 9;
        assert_eq!(validate(&r).unwrap_err().field, RequestField::PgVersion);
        assert!(validate(&request()).is_ok());
    }

    #[test]
    fn every_problem_is_listed_at_its_field() {
        let mut r = request();
        r.pg_version = 9;
        r.hosts = vec!["10.0.0.1".into(), "ok.example.com".into(), "-bad.example.com".into()];
        r.ips = vec!["300.1.1.1".into(), "::1".into()];
        r.drivers.clear();
        r.database = "my db".into();
        r.user = String::new();
        let errors = request_errors(&r);
        let fields: Vec<(RequestField, Option<&str>)> = errors.iter().map(|e| (e.field, e.value.as_deref())).collect();
        assert_eq!(
            fields,
            vec![
                (RequestField::PgVersion, None),
                (RequestField::Hosts, Some("10.0.0.1")),
                (RequestField::Hosts, Some("-bad.example.com")),
                (RequestField::Ips, Some("300.1.1.1")),
                (RequestField::Drivers, None),
                (RequestField::Database, Some("my db")),
                (RequestField::User, Some("")),
            ]
        );
        assert!(errors[1].message.contains("IP address"), "{}", errors[1].message);
        assert_eq!(validate(&r).unwrap_err(), errors[0]);
    }

    /// Audits a generated set the way a user would after running it: every finding at warning
    /// or error is a defect of the generator.
    fn audit_generated(req: &Request) -> crate::Analysis {
        use crate::detect::InputKind;
        use crate::source::{Inputs, SourceFile};
        let mut inputs = Inputs::new();
        for f in generate(req).unwrap() {
            let kind = match f.name.as_str() {
                "postgresql.conf" => InputKind::PostgresqlConf,
                "pg_hba.conf" => InputKind::PgHba,
                "clients.txt" => InputKind::Conninfo,
                "cluster.yaml" | "cert-manager.yaml" => InputKind::Platform,
                _ => continue,
            };
            inputs.push(SourceFile::from_text(f.name, kind, f.contents));
        }
        let mut options = crate::AuditOptions::new(1_767_225_600);
        options.pg_version = req.pg_version;
        options.host = req.hosts.first().cloned();
        crate::audit(&inputs, &options)
    }

    #[test]
    fn generated_self_managed_sets_score_100_for_every_version_and_driver() {
        for version in crate::options::KNOWN_PG_VERSIONS {
            let mut r = request();
            r.pg_version = version;
            r.drivers = Driver::ALL.to_vec();
            let analysis = audit_generated(&r);
            let serious: Vec<String> = analysis
                .diagnostics
                .iter()
                .filter(|d| d.severity >= crate::Severity::Warning)
                .map(|d| format!("{} {}", d.rule.id, d.message))
                .collect();
            assert!(serious.is_empty(), "PostgreSQL {version}: {serious:#?}");
            assert_eq!(analysis.score, 100, "PostgreSQL {version}");
        }
    }

    #[test]
    fn generated_cnpg_set_has_no_warning_or_error() {
        let mut r = request();
        r.platform = Platform::Cnpg;
        let analysis = audit_generated(&r);
        let serious: Vec<String> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity >= crate::Severity::Warning)
            .map(|d| format!("{} {}", d.rule.id, d.message))
            .collect();
        assert!(serious.is_empty(), "{serious:#?}");
    }

    #[test]
    fn every_platform_generates_a_readme() {
        for p in Platform::ALL {
            let mut r = request();
            r.platform = p;
            r.drivers = Driver::ALL.to_vec();
            let files = generate(&r).unwrap();
            assert!(files.iter().any(|f| f.name == "README.md"), "{p:?}");
            assert!(files.iter().all(|f| !f.contents.is_empty()), "{p:?}");
        }
    }
}
