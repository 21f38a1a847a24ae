//! The hardened set: everything a server and its clients need for verified TLS, generated for
//! a PostgreSQL version, the names clients use, their drivers and the platform. Pure text, so the
//! page's "Generate" view and `pgtls generate` produce the same files.

mod clients;
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

/// A problem with the request, said in terms of the option that caused it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestError(pub String);

impl std::fmt::Display for RequestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
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

/// Checks the request: names that can go into a certificate, addresses that parse, a version
/// the engine knows.
pub fn validate(req: &Request) -> Result<(), RequestError> {
    if !crate::options::KNOWN_PG_VERSIONS.contains(&req.pg_version) {
        return Err(RequestError(format!("PostgreSQL {} is not a version pgtls knows", req.pg_version)));
    }
    if req.hosts.is_empty() && req.ips.is_empty() {
        return Err(RequestError(
            "name at least one host name or IP address that clients connect to (--host, --ip)".into(),
        ));
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
        if !ok || host.parse::<std::net::IpAddr>().is_ok() {
            return Err(RequestError(format!(
                "{host:?} is not a DNS name that can go into a certificate (IP addresses go in --ip)"
            )));
        }
    }
    for ip in &req.ips {
        if ip.parse::<std::net::IpAddr>().is_err() {
            return Err(RequestError(format!("{ip:?} is not an IPv4 or IPv6 address")));
        }
    }
    if req.drivers.is_empty() {
        return Err(RequestError("name at least one client driver (--driver)".into()));
    }
    for (what, value) in [("database", &req.database), ("user", &req.user)] {
        if value.is_empty() || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Err(RequestError(format!(
                "the {what} name {value:?} must be letters, digits, '_' or '-' to be used unquoted in every driver's syntax"
            )));
        }
    }
    Ok(())
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
    fn validation_names_the_option() {
        let mut r = request();
        r.hosts = vec!["bad host".into()];
        assert!(validate(&r).unwrap_err().0.contains("DNS name"));
        let mut r = request();
        r.ips = vec!["10.1.2".into()];
        assert!(validate(&r).unwrap_err().0.contains("IPv4 or IPv6"));
        let mut r = request();
        r.hosts.clear();
        r.ips.clear();
        assert!(validate(&r).unwrap_err().0.contains("--host"));
        let mut r = request();
        r.pg_version = 9;
        assert!(validate(&r).is_err());
        assert!(validate(&request()).is_ok());
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
