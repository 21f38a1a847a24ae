//! Client connection settings: libpq strings and URIs, other drivers, environment blocks,
//! service files and pgbouncer.ini, all read into one model of effective TLS behaviour.
//!
//! Each client's settings are merged the way libpq merges them (`conninfo_add_defaults`): the
//! string first, then the service file section it names (or `PGSERVICE` names), then the
//! environment, then the driver's default. Drivers that do not read the environment or
//! service files skip those steps.

pub mod dialect;
pub mod env;
pub mod ini;
pub mod libpq;
pub mod rules;

use serde::{Deserialize, Serialize};

use crate::checklist::Evidence;
use crate::detect::InputKind;
use crate::diagnostic::ParseError;
use crate::options::AuditOptions;
use crate::source::{FileId, Inputs, Location, Span};

pub use dialect::{ClientString, Driver, SslMode, Style};

/// Where a client's value came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "detail")]
pub enum Origin {
    /// The connection string itself.
    String,
    /// A service file section (named).
    ServiceFile(String),
    /// An environment variable (named).
    Environment(String),
    /// A driver option that implies it (pgjdbc `ssl=true`, `sslrootcert=system`).
    Implied(String),
    /// The driver's built-in default.
    DriverDefault,
}

impl Origin {
    pub fn describe(&self) -> String {
        match self {
            Origin::String => "string".into(),
            Origin::ServiceFile(s) => format!("service file [{s}]"),
            Origin::Environment(v) => format!("environment {v}"),
            Origin::Implied(by) => format!("implied by {by}"),
            Origin::DriverDefault => "driver default".into(),
        }
    }
}

/// One effective setting of a client, in libpq's keyword.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    pub keyword: String,
    pub value: String,
    pub origin: Origin,
    /// Where it is written; None for driver defaults.
    pub location: Option<Location>,
    /// Where the value alone is written (for fixes that replace it).
    pub value_location: Option<Location>,
}

/// One client as it will connect: its string (if any) merged with service file, environment
/// and driver defaults.
#[derive(Clone, Debug)]
pub struct Client {
    /// `file:line`, or a description for clients made of an environment block or service.
    pub name: String,
    pub driver: Driver,
    /// The string, or the block the client is made of.
    pub location: Location,
    pub string: Option<ClientString>,
    /// Effective values, by keyword, in libpq's table order then others.
    pub values: Vec<Value>,
    /// The effective sslmode; None when the value is one the driver refuses.
    pub sslmode: Option<SslMode>,
    pub verification_off: Option<(String, Location)>,
    /// The string could not be read; no other rule judges it.
    pub refused: bool,
    /// Settings the driver refuses before connecting (CONN007); such a client never
    /// connects, so the other rules do not judge it either.
    pub refusals: Vec<Refusal>,
}

/// A setting (or combination) the driver refuses, with its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The keyword the message is about, where the finding points.
    pub keyword: String,
    pub message: String,
    /// A value that the driver accepts, for the fix.
    pub replacement: Option<String>,
}

impl Client {
    pub fn get(&self, keyword: &str) -> Option<&Value> {
        self.values.iter().find(|v| v.keyword == keyword)
    }

    pub fn value(&self, keyword: &str) -> Option<&str> {
        self.get(keyword).map(|v| v.value.as_str())
    }

    /// Whether an sslmode was chosen anywhere (string, service, environment, implied) rather
    /// than left to the driver's default.
    pub fn sslmode_given(&self) -> bool {
        self.get("sslmode").is_some_and(|v| v.origin != Origin::DriverDefault)
    }

    /// The host list, split as libpq splits it.
    pub fn hosts(&self) -> Vec<String> {
        match self.value("host") {
            Some(h) => h.split(',').map(str::to_string).collect(),
            None => Vec::new(),
        }
    }

    fn is_socket_host(h: &str) -> bool {
        h.starts_with('/') || h.starts_with('@')
    }

    /// Whether every connection goes over a Unix-domain socket (where libpq ignores sslmode).
    pub fn only_unix_sockets(&self) -> bool {
        let hosts = self.hosts();
        if self.value("hostaddr").is_some_and(|a| !a.is_empty()) {
            return false;
        }
        if hosts.iter().all(|h| h.is_empty()) {
            // No host: libpq and the libraries built on it use the default socket directory.
            return matches!(self.driver, Driver::Libpq | Driver::Psycopg);
        }
        hosts.iter().all(|h| Self::is_socket_host(h) || (h.is_empty() && matches!(self.driver, Driver::Libpq | Driver::Psycopg)))
    }

    pub fn any_unix_socket(&self) -> bool {
        let hosts = self.hosts();
        self.only_unix_sockets() || hosts.iter().any(|h| Self::is_socket_host(h))
    }

    /// Whether the server's chain is checked against a root.
    pub fn verifies_chain(&self) -> bool {
        if self.verification_off.is_some() {
            return false;
        }
        match self.sslmode {
            Some(SslMode::VerifyCa | SslMode::VerifyFull) => true,
            Some(SslMode::Require) => {
                self.driver.require_verifies_with_root() && self.get("sslrootcert").is_some_and(|v| v.origin != Origin::DriverDefault)
            }
            _ => false,
        }
    }

    /// Whether the certificate must name the host.
    pub fn verifies_host_name(&self) -> bool {
        self.verification_off.is_none() && self.sslmode == Some(SslMode::VerifyFull)
    }

    /// The sslmode as libpq would write it, even when it is not one.
    pub fn sslmode_text(&self) -> String {
        self.value("sslmode").unwrap_or("").to_string()
    }

    /// What the client's settings mean on the wire.
    pub fn wire(&self) -> String {
        if self.refused {
            return "the connection is refused before anything is sent: the settings cannot be read".into();
        }
        if self.only_unix_sockets() {
            return "Unix-domain socket: no TLS is used whatever sslmode says".into();
        }
        if let Some((why, _)) = &self.verification_off {
            return format!("encrypted, but {why} accepts any certificate, so a man in the middle can read everything");
        }
        match self.sslmode {
            None => format!("refused: sslmode \"{}\" is not a value {} accepts", self.sslmode_text(), self.driver.name()),
            Some(SslMode::Require) if self.verifies_chain() => {
                "always encrypted; because sslrootcert is set the chain is checked as in verify-ca, but not the host name".into()
            }
            Some(mode) => mode.wire().to_string(),
        }
    }
}

/// pgbouncer.ini's TLS settings, both sides of the pooler.
#[derive(Clone, Debug, Default)]
pub struct Pgbouncer {
    pub file: FileId,
    /// The file's name, for summaries.
    pub name: String,
    /// `[pgbouncer]` settings, keys lower-cased.
    pub settings: Vec<ini::Entry>,
    /// Where the `[pgbouncer]` header is (or the file start).
    pub section: Span,
}

impl Pgbouncer {
    pub fn get(&self, key: &str) -> Option<&ini::Entry> {
        self.settings.iter().rev().find(|e| e.key == key)
    }
}

impl Pgbouncer {
    /// pgbouncer as a client of PostgreSQL (`server_tls_*`), with its client side's settings
    /// listed too.
    fn summary(&self) -> ClientSummary {
        let mode = self.get("server_tls_sslmode");
        let text = mode.map_or("prefer", |e| e.value.as_str());
        let parsed = SslMode::parse(text);
        let ca = self.get("server_tls_ca_file").map(|e| e.value.clone());
        ClientSummary {
            name: format!("{} (pgbouncer's server connections)", self.name),
            driver: "pgbouncer".into(),
            sslmode: text.into(),
            sslmode_origin: if mode.is_some() { "pgbouncer.ini".into() } else { "pgbouncer default".into() },
            wire: parsed.map_or_else(|| format!("pgbouncer does not know server_tls_sslmode \"{text}\""), |m| m.wire().to_string()),
            verifies_chain: matches!(parsed, Some(SslMode::VerifyCa | SslMode::VerifyFull)),
            verifies_host_name: parsed == Some(SslMode::VerifyFull),
            root_cert: ca,
            verification_off: None,
            semantics: "pgbouncer's server_tls_sslmode defaults to prefer and its client_tls_sslmode to disable; server_tls_protocols defaults to secure (TLSv1.2 and TLSv1.3)".into(),
            settings: self
                .settings
                .iter()
                .filter(|e| e.key.starts_with("server_tls_") || e.key.starts_with("client_tls_"))
                .map(|e| SettingSummary { keyword: e.key.clone(), value: e.value.clone(), origin: "pgbouncer.ini".into() })
                .collect(),
        }
    }
}

/// A service file section, with the file it is in.
#[derive(Clone, Debug)]
pub struct Service {
    pub file: FileId,
    pub section: ini::Section,
}

/// An environment variable with the file that sets it.
#[derive(Clone, Debug)]
pub struct EnvSetting {
    pub file: FileId,
    pub var: env::EnvVar,
}

#[derive(Debug, Default)]
pub struct ClientModel {
    pub clients: Vec<Client>,
    pub services: Vec<Service>,
    pub environment: Vec<EnvSetting>,
    pub poolers: Vec<Pgbouncer>,
    pub errors: Vec<ParseError>,
    /// Whether any client input was given (strings, environment, service file, pgbouncer.ini).
    pub has_input: bool,
}

/// What the report says about one client.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSummary {
    pub name: String,
    pub driver: String,
    pub sslmode: String,
    /// Where the effective sslmode came from.
    pub sslmode_origin: String,
    /// What the settings mean on the wire.
    pub wire: String,
    pub verifies_chain: bool,
    pub verifies_host_name: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_cert: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_off: Option<String>,
    /// The driver's TLS semantics.
    pub semantics: String,
    pub settings: Vec<SettingSummary>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingSummary {
    pub keyword: String,
    /// Passwords are shown as `********`.
    pub value: String,
    pub origin: String,
}

const SECRET_KEYWORDS: &[&str] = &["password", "sslpassword", "oauth_client_secret", "scram_client_key", "scram_server_key"];

impl ClientModel {
    pub fn build(inputs: &Inputs, options: &AuditOptions) -> Self {
        let version = options.pg_version;
        let mut model = ClientModel::default();
        // Environment blocks first: they apply to every client that reads the environment.
        let mut env_strings: Vec<(FileId, env::EnvVar)> = Vec::new();
        for (id, file) in inputs.of_kind(InputKind::Environment) {
            model.has_input = true;
            for var in env::parse(&file.text) {
                if looks_like_connection_string(&var.value) {
                    env_strings.push((id, var.clone()));
                }
                model.environment.push(EnvSetting { file: id, var });
            }
        }
        for (id, file) in inputs.of_kind(InputKind::ServiceFile) {
            model.has_input = true;
            let (sections, errors) = ini::parse_service_file(&file.text, file.base_name(), version);
            model.errors.extend(errors.into_iter().map(|e| ParseError::new(id, e.span, e.message)));
            model.services.extend(sections.into_iter().map(|section| Service { file: id, section }));
        }
        for (id, file) in inputs.of_kind(InputKind::Pgbouncer) {
            model.has_input = true;
            let (sections, errors) = ini::parse_pgbouncer(&file.text);
            model.errors.extend(errors.into_iter().map(|e| ParseError::new(id, e.span, e.message)));
            let mut pooler = Pgbouncer { file: id, name: file.name.clone(), settings: Vec::new(), section: Span::at(0) };
            for s in sections.into_iter().filter(|s| s.name == "pgbouncer") {
                pooler.section = s.name_span;
                pooler.settings.extend(s.entries);
            }
            model.poolers.push(pooler);
        }
        let mut strings: Vec<(FileId, String, ClientString)> = Vec::new();
        for (id, file) in inputs.of_kind(InputKind::Conninfo) {
            model.has_input = true;
            let mut offset = 0;
            let mut hint = None;
            for (n, line) in file.text.split_inclusive('\n').enumerate() {
                let base = offset;
                offset += line.len();
                let line = line.trim_end_matches(['\n', '\r']);
                if let Some(driver) = dialect::label_comment(line) {
                    hint = Some(driver);
                    continue;
                }
                if let Some(cs) = dialect::read_line_as(line, base, version, hint) {
                    strings.push((id, format!("{}:{}", file.name, n + 1), cs));
                    hint = None;
                }
            }
        }
        for (id, var) in &env_strings {
            let file = inputs.file(*id);
            let text = file.slice(var.value_span);
            if let Some(cs) = dialect::read_line(text, var.value_span.start, version) {
                let line = file.line_col(var.name_span.start, crate::source::ColumnUnit::Utf8).line;
                strings.push((*id, format!("{}:{} ({})", file.name, line, var.name), cs));
            }
        }
        let had_strings = !strings.is_empty();
        let mut referenced_services = Vec::new();
        for (id, name, cs) in strings {
            let client = model.merge(Some(cs), id, name, version, &mut referenced_services, None);
            model.clients.push(client);
        }
        // A service section nobody names is still a way to connect (`PGSERVICE=name psql`).
        let unreferenced: Vec<(FileId, String, Span)> = model
            .services
            .iter()
            .filter(|s| !referenced_services.contains(&s.section.name))
            .map(|s| (s.file, s.section.name.clone(), s.section.name_span))
            .collect();
        for (file, name, span) in unreferenced {
            let mut client = model.merge(None, file, format!("service={name}"), version, &mut Vec::new(), Some(&name));
            client.location = Location::new(file, span);
            model.clients.push(client);
        }
        // An environment block with no string is what psql and friends run with.
        if !had_strings && !model.environment.is_empty() {
            let file = model.environment[0].file;
            let client = model.merge(None, file, format!("{} (libpq with no connection string)", inputs.file(file).name), version, &mut Vec::new(), None);
            model.clients.push(client);
        }
        model
    }

    /// The effective settings of one client.
    fn merge(
        &mut self,
        string: Option<ClientString>,
        file: FileId,
        name: String,
        version: u32,
        referenced: &mut Vec<String>,
        forced_service: Option<&str>,
    ) -> Client {
        let driver = string.as_ref().map_or(Driver::Libpq, |s| s.driver);
        let location = Location::new(file, string.as_ref().map_or(Span::at(0), |s| s.span));
        let mut client = Client {
            name,
            driver,
            location,
            string: None,
            values: Vec::new(),
            sslmode: None,
            verification_off: None,
            refused: false,
            refusals: Vec::new(),
        };
        if let Some(cs) = &string {
            if let Some((span, message)) = &cs.error {
                self.errors.push(ParseError::new(file, *span, message.clone()));
                client.refused = true;
            }
            // In a string the last occurrence of a keyword wins (libpq overwrites the option).
            for w in &cs.settings {
                let value = Value {
                    keyword: w.keyword.clone(),
                    value: w.value.clone(),
                    origin: Origin::String,
                    location: Some(Location::new(file, w.key_span.cover(w.value_span))),
                    value_location: Some(Location::new(file, w.value_span)),
                };
                match client.values.iter_mut().find(|v| v.keyword == w.keyword) {
                    Some(existing) => *existing = value,
                    None => client.values.push(value),
                }
            }
            if let Some((why, span)) = &cs.verification_off {
                client.verification_off = Some((why.clone(), Location::new(file, *span)));
            }
            if let Some(span) = cs.ssl_flag_means_verify_full {
                let by = match cs.driver {
                    Driver::Pgjdbc => "pgjdbc ssl=true without sslmode",
                    _ => "ssl=true without sslmode",
                };
                set_first(&mut client.values, Value {
                    keyword: "sslmode".into(),
                    value: "verify-full".into(),
                    origin: Origin::Implied(by.into()),
                    location: Some(Location::new(file, span)),
                    value_location: None,
                });
            }
        }
        client.string = string;
        // The service file: named in the string, else by PGSERVICE.
        if driver.reads_service_file() {
            let service = forced_service.map(str::to_string).or_else(|| client.value("service").map(str::to_string)).or_else(|| {
                if driver.reads_env_var("PGSERVICE") {
                    self.env_var("PGSERVICE").map(|e| e.var.value.clone())
                } else {
                    None
                }
            });
            if let Some(service) = service {
                referenced.push(service.clone());
                self.apply_service(&mut client, &service);
            }
        }
        self.finish(&mut client, version);
        client
    }

    fn apply_service(&self, client: &mut Client, service: &str) {
        if let Some(s) = self.services.iter().find(|s| s.section.name == service) {
            for e in &s.section.entries {
                set_first(&mut client.values, Value {
                    keyword: e.key.clone(),
                    value: e.value.clone(),
                    origin: Origin::ServiceFile(service.to_string()),
                    location: Some(Location::new(s.file, e.key_span.cover(e.value_span))),
                    value_location: Some(Location::new(s.file, e.value_span)),
                });
            }
        }
    }

    /// The last setting of an environment variable across the blocks.
    fn env_var(&self, name: &str) -> Option<&EnvSetting> {
        self.environment.iter().rev().find(|e| e.var.name == name)
    }

    /// Environment, implied and default values, then the effective sslmode.
    fn finish(&self, client: &mut Client, version: u32) {
        let driver = client.driver;
        if driver.reads_environment() {
            for k in libpq::KEYWORDS.iter().filter(|k| libpq::keyword(k.name, version).is_some()) {
                let Some(var) = k.envvar else { continue };
                if !driver.reads_env_var(var) {
                    continue;
                }
                if let Some(e) = self.env_var(var) {
                    set_first(&mut client.values, Value {
                        keyword: k.name.into(),
                        value: e.var.value.clone(),
                        origin: Origin::Environment(var.into()),
                        location: Some(Location::new(e.file, e.var.name_span.cover(e.var.value_span))),
                        value_location: Some(Location::new(e.file, e.var.value_span)),
                    });
                }
            }
            if client.get("sslmode").is_none() && driver.reads_env_var("PGREQUIRESSL") {
                if let Some(e) = self.env_var("PGREQUIRESSL").filter(|e| e.var.value.starts_with('1')) {
                    set_first(&mut client.values, Value {
                        keyword: "sslmode".into(),
                        value: "require".into(),
                        origin: Origin::Environment("PGREQUIRESSL".into()),
                        location: Some(Location::new(e.file, e.var.name_span.cover(e.var.value_span))),
                        value_location: None,
                    });
                }
            }
        }
        let libpq_family = matches!(driver, Driver::Libpq | Driver::Psycopg);
        if client.get("sslmode").is_none() {
            // libpq 16+: sslrootcert=system makes verify-full the default.
            if libpq_family && version >= 16 && client.value("sslrootcert") == Some("system") {
                let loc = client.get("sslrootcert").and_then(|v| v.location);
                set_first(&mut client.values, Value {
                    keyword: "sslmode".into(),
                    value: "verify-full".into(),
                    origin: Origin::Implied("sslrootcert=system".into()),
                    location: loc,
                    value_location: None,
                });
            } else {
                set_first(&mut client.values, Value {
                    keyword: "sslmode".into(),
                    value: driver.default_mode().as_str().into(),
                    origin: Origin::DriverDefault,
                    location: None,
                    value_location: None,
                });
            }
        }
        let text = client.sslmode_text();
        client.sslmode = match driver {
            Driver::NodePostgres => {
                let compat = client.string.as_ref().is_some_and(|s| s.libpq_compat);
                match text.as_str() {
                    "no-verify" => Some(SslMode::Require),
                    "prefer" | "require" | "verify-ca" if !compat => Some(SslMode::VerifyFull),
                    other => SslMode::parse(other),
                }
            }
            Driver::GoLibPq => SslMode::parse(&text).filter(|m| !matches!(m, SslMode::Allow | SslMode::Prefer)),
            Driver::TokioPostgres => SslMode::parse(&text).filter(|m| *m <= SslMode::Require),
            _ => SslMode::parse(&text),
        };
        if client.verification_off.is_none() && driver == Driver::NodePostgres && text == "no-verify" {
            if let Some(v) = client.get("sslmode") {
                client.verification_off = v.location.map(|l| ("sslmode=no-verify".to_string(), l));
            }
        }
        // Keep libpq's table order, then driver-only keywords.
        crate::sorting::sort_by_key(&mut client.values, |v| libpq::KEYWORDS.iter().position(|k| k.name == v.keyword).unwrap_or(usize::MAX));
        client.refusals = refusals(client, version);
    }

    /// Every sslrootcert (and sslcert/sslcrl) file a client names, with where it names it; the
    /// certificate area matches given files to these by name.
    pub fn root_cert_references(&self) -> Vec<(&str, Location)> {
        let mut refs: Vec<(&str, Location)> = Vec::new();
        for c in &self.clients {
            for v in &c.values {
                if matches!(v.keyword.as_str(), "sslrootcert" | "sslcert" | "sslcrl") && v.value != "system" && !v.value.is_empty() {
                    if let Some(loc) = v.value_location.or(v.location) {
                        if !refs.iter().any(|(_, l)| *l == loc) {
                            refs.push((v.value.as_str(), loc));
                        }
                    }
                }
            }
        }
        for p in &self.poolers {
            for key in ["server_tls_ca_file", "client_tls_ca_file"] {
                if let Some(e) = p.get(key) {
                    refs.push((e.value.as_str(), Location::new(p.file, e.value_span)));
                }
            }
        }
        refs
    }

    pub fn summaries(&self) -> Vec<ClientSummary> {
        let poolers = self.poolers.iter().map(Pgbouncer::summary);
        self.clients
            .iter()
            .map(|c| ClientSummary {
                name: c.name.clone(),
                driver: c.driver.name().into(),
                sslmode: c.sslmode.map_or_else(|| c.sslmode_text(), |m| m.as_str().to_string()),
                sslmode_origin: c.get("sslmode").map_or_else(String::new, |v| {
                    let origin = v.origin.describe();
                    match c.sslmode {
                        // node-postgres reads prefer/require/verify-ca as verify-full, and
                        // no-verify as an unverified require.
                        Some(m) if m.as_str() != v.value => format!("{origin}, written {}, which {} treats as {}", v.value, c.driver.name(), m.as_str()),
                        _ => origin,
                    }
                }),
                wire: c.wire(),
                verifies_chain: c.verifies_chain(),
                verifies_host_name: c.verifies_host_name(),
                root_cert: c.value("sslrootcert").map(str::to_string),
                verification_off: c.verification_off.as_ref().map(|(w, _)| w.clone()),
                semantics: c.driver.semantics().into(),
                settings: c
                    .values
                    .iter()
                    .map(|v| SettingSummary {
                        keyword: v.keyword.clone(),
                        value: if SECRET_KEYWORDS.contains(&v.keyword.as_str()) { "********".into() } else { v.value.clone() },
                        origin: v.origin.describe(),
                    })
                    .collect(),
            })
            .chain(poolers)
            .collect()
    }

    /// Item 4 (clients verify the server) whenever any client input was given.
    pub fn evidence(&self, evidence: &mut Evidence) {
        if self.has_input {
            evidence.insert(4);
        }
    }
}

const PROTOCOLS: &[&str] = &["tlsv1", "tlsv1.1", "tlsv1.2", "tlsv1.3"];

/// What the driver refuses before connecting, with libpq's messages (`pqConnectOptions2`)
/// where libpq is the one refusing.
fn refusals(c: &Client, version: u32) -> Vec<Refusal> {
    let mut out = Vec::new();
    let mut refuse = |keyword: &str, message: String, replacement: Option<&str>| {
        out.push(Refusal { keyword: keyword.into(), message, replacement: replacement.map(str::to_string) });
    };
    let mode_text = c.sslmode_text();
    if c.sslmode.is_none() {
        let message = match c.driver {
            Driver::GoLibPq => format!("lib/pq: unsupported sslmode \"{mode_text}\"; only \"require\" (default), \"verify-full\", \"verify-ca\", and \"disable\" supported"),
            Driver::TokioPostgres => format!("tokio-postgres: invalid value for option `sslmode` (\"{mode_text}\"); it knows disable, prefer and require, and verifies through the TLS connector"),
            _ => format!("invalid sslmode value: \"{mode_text}\""),
        };
        // `Require` or `VERIFY-FULL` meant the mode libpq spells in lower case; any other
        // replacement would be a guess.
        let lower = mode_text.to_ascii_lowercase();
        let accepted = SslMode::parse(&lower).is_some() && lower != mode_text && c.driver != Driver::GoLibPq && c.driver != Driver::TokioPostgres;
        refuse("sslmode", message, accepted.then_some(lower.as_str()));
        return out;
    }
    let libpq_family = matches!(c.driver, Driver::Libpq | Driver::Psycopg);
    let explicit_mode = c.get("sslmode").is_some_and(|v| !matches!(v.origin, Origin::DriverDefault | Origin::Implied(_)));
    if libpq_family && version >= 16 && c.value("sslrootcert") == Some("system") && explicit_mode && c.sslmode != Some(SslMode::VerifyFull) {
        refuse("sslmode", format!("weak sslmode \"{mode_text}\" may not be used with sslrootcert=system (use \"verify-full\")"), Some("verify-full"));
    }
    if libpq_family && version >= 17 && c.value("sslnegotiation") == Some("direct") && c.sslmode.is_some_and(|m| m < SslMode::Require) {
        refuse("sslmode", format!("weak sslmode \"{mode_text}\" may not be used with sslnegotiation=direct (use \"require\", \"verify-ca\", or \"verify-full\")"), Some("require"));
    }
    if let Some(neg) = c.value("sslnegotiation").filter(|_| libpq_family && version >= 17) {
        if neg != "postgres" && neg != "direct" {
            refuse("sslnegotiation", format!("invalid sslnegotiation value: \"{neg}\""), None);
        }
    }
    let mut range = [None, None];
    for (i, key) in ["ssl_min_protocol_version", "ssl_max_protocol_version"].iter().enumerate() {
        if let Some(v) = c.value(key).filter(|v| !v.is_empty()) {
            match PROTOCOLS.iter().position(|p| p.eq_ignore_ascii_case(v)) {
                Some(p) => range[i] = Some(p),
                None => refuse(key, format!("invalid {key} value: \"{v}\""), None),
            }
        }
    }
    if let [Some(min), Some(max)] = range {
        if min > max {
            refuse("ssl_max_protocol_version", "invalid SSL protocol version range".into(), None);
        }
    }
    if let Some(cb) = c.value("channel_binding") {
        if !matches!(cb, "disable" | "prefer" | "require") {
            refuse("channel_binding", format!("invalid channel_binding value: \"{cb}\""), None);
        } else if cb == "require" && c.sslmode == Some(SslMode::Disable) && !c.only_unix_sockets() {
            refuse("channel_binding", "channel_binding=require with sslmode=disable: authentication fails with \"channel binding required, but SSL not in use\"".into(), None);
        }
    }
    out
}

/// Whether the server side given to the same audit authenticates TLS connections with
/// scram-sha-256: a pg_hba.conf line of type `host` or `hostssl` with that method, and no
/// postgresql.conf that turns SSL off.
pub fn server_uses_scram_over_tls(cx: &crate::rules::Context<'_>) -> bool {
    use crate::hba::AuthMethod;
    if cx.model.conf.effective("ssl").and_then(|s| crate::conf::parse_bool(&s.value)) == Some(false) {
        return false;
    }
    cx.model.hba.records().any(|(_, _, r)| r.method == AuthMethod::ScramSha256 && r.conn_type.accepts_tcp(true, false))
}

/// Adds a value unless the keyword already has one (earlier sources win).
fn set_first(values: &mut Vec<Value>, value: Value) {
    if !values.iter().any(|v| v.keyword == value.keyword) {
        values.push(value);
    }
}

/// Whether an environment value is itself a connection string (`DATABASE_URL=postgres://...`).
fn looks_like_connection_string(v: &str) -> bool {
    let l = v.trim().to_ascii_lowercase();
    l.starts_with("postgres://")
        || l.starts_with("postgresql://")
        || l.starts_with("postgresql+")
        || l.starts_with("jdbc:postgresql:")
        || (l.contains("host=") && (l.contains("sslmode=") || l.contains("dbname=")))
}

/// Whether a text is connection strings, an environment block, a service file or pgbouncer.ini.
pub fn sniff(text: &str) -> Option<InputKind> {
    let lower = text.to_ascii_lowercase();
    if lower.contains("[pgbouncer]") || lower.contains("client_tls_sslmode") || lower.contains("server_tls_sslmode") {
        return Some(InputKind::Pgbouncer);
    }
    let meaningful: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    if meaningful.first().is_some_and(|l| l.starts_with('[') && l.ends_with(']'))
        && meaningful.iter().skip(1).any(|l| {
            l.split_once('=').is_some_and(|(k, _)| libpq::keyword(k, crate::options::DEFAULT_PG_VERSION).is_some())
        })
    {
        return Some(InputKind::ServiceFile);
    }
    if env::sniff(text) {
        return Some(InputKind::Environment);
    }
    let conn_lines = meaningful
        .iter()
        .filter(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("postgres://")
                || l.starts_with("postgresql://")
                || l.starts_with("postgresql+")
                || l.starts_with("jdbc:postgresql:")
                || (l.contains("sslmode") && l.contains('='))
                || (l.starts_with("host=") || l.starts_with("host ="))
        })
        .count();
    if conn_lines > 0 && conn_lines * 2 >= meaningful.len() {
        return Some(InputKind::Conninfo);
    }
    None
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::detect::InputKind;
    use crate::diagnostic::Diagnostic;
    use crate::model::Model;
    use crate::options::AuditOptions;
    use crate::rules::{CheckFn, Context};
    use crate::source::{Inputs, SourceFile};

    /// Runs one check over the given files at `version`.
    pub fn run_at(check: CheckFn, version: u32, files: &[(&str, InputKind, &str)]) -> (Inputs, Vec<Diagnostic>) {
        let mut inputs = Inputs::new();
        for (name, kind, text) in files {
            inputs.push(SourceFile::from_text(*name, *kind, *text));
        }
        let mut options = AuditOptions::new(0);
        options.pg_version = version;
        let model = Model::build(&inputs, &options);
        let cx = Context { inputs: &inputs, options: &options, model: &model };
        let mut out = Vec::new();
        check(&cx, &mut out);
        (inputs, out)
    }

    /// Runs one check over connection strings (one a line) at version 16.
    pub fn run(check: CheckFn, conninfo: &str) -> Vec<Diagnostic> {
        run_at(check, 16, &[("conn.txt", InputKind::Conninfo, conninfo)]).1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn model(files: &[(&str, InputKind, &str)]) -> ClientModel {
        let mut inputs = Inputs::new();
        for (n, k, t) in files {
            inputs.push(SourceFile::from_text(*n, *k, *t));
        }
        let mut options = AuditOptions::new(0);
        options.pg_version = 16;
        ClientModel::build(&inputs, &options)
    }

    #[test]
    fn string_wins_over_service_which_wins_over_environment() {
        let m = model(&[
            ("conn", InputKind::Conninfo, "service=prod host=a\n"),
            ("pg_service.conf", InputKind::ServiceFile, "[prod]\nhost=b\nsslmode=verify-ca\nsslrootcert=/s.crt\n"),
            (".env", InputKind::Environment, "PGSSLMODE=disable\nPGSSLROOTCERT=/e.crt\nPGSSLCRL=/e.crl\n"),
        ]);
        let c = &m.clients[0];
        assert_eq!(c.value("host"), Some("a"));
        assert_eq!(c.get("sslmode").unwrap().origin, Origin::ServiceFile("prod".into()));
        assert_eq!(c.value("sslrootcert"), Some("/s.crt"));
        assert_eq!(c.get("sslcrl").unwrap().origin, Origin::Environment("PGSSLCRL".into()));
        assert_eq!(m.clients.len(), 1, "the referenced service is not a client of its own");
    }

    #[test]
    fn driver_defaults_differ() {
        let m = model(&[("conn", InputKind::Conninfo, "lib/pq: host=db\npgx: host=db\njdbc:postgresql://db/app?ssl=true\nnode: postgres://db/app\n")]);
        let modes: Vec<_> = m.clients.iter().map(|c| c.sslmode).collect();
        assert_eq!(modes, vec![Some(SslMode::Require), Some(SslMode::Prefer), Some(SslMode::VerifyFull), Some(SslMode::Disable)]);
    }

    #[test]
    fn each_driver_reads_only_the_variables_it_knows() {
        let m = model(&[
            ("conn", InputKind::Conninfo, "Host=db;SSL Mode=VerifyFull\nnode: postgres://db/app\njdbc:postgresql://db/app\n"),
            (".env", InputKind::Environment, "PGSSLMODE=disable\nPGSSLROOTCERT=/ca.crt\n"),
        ]);
        let npgsql = &m.clients[0];
        assert_eq!(npgsql.sslmode, Some(SslMode::VerifyFull));
        assert_eq!(npgsql.get("sslrootcert").unwrap().origin, Origin::Environment("PGSSLROOTCERT".into()));
        let node = &m.clients[1];
        assert_eq!(node.get("sslmode").unwrap().origin, Origin::Environment("PGSSLMODE".into()));
        assert!(node.get("sslrootcert").is_none());
        assert_eq!(m.clients[2].get("sslmode").unwrap().origin, Origin::DriverDefault);
    }

    #[test]
    fn sslrootcert_system_defaults_to_verify_full_from_16() {
        let m = model(&[(".env", InputKind::Environment, "PGSSLROOTCERT=system\nPGHOST=db\n")]);
        assert_eq!(m.clients[0].sslmode, Some(SslMode::VerifyFull));
        assert!(m.clients[0].verifies_host_name());
    }

    #[test]
    fn sniffing_tells_the_client_kinds_apart() {
        assert_eq!(sniff("[pgbouncer]\nlisten_port = 6432\n"), Some(InputKind::Pgbouncer));
        assert_eq!(sniff("[prod]\nhost=db\nsslmode=verify-full\n"), Some(InputKind::ServiceFile));
        assert_eq!(sniff("export PGSSLMODE=require\n"), Some(InputKind::Environment));
        assert_eq!(sniff("postgresql://db/app?sslmode=require\n"), Some(InputKind::Conninfo));
        assert_eq!(sniff("ssl = on\nshared_buffers = 128MB\n"), None);
    }

    #[test]
    fn root_references_name_their_place() {
        let m = model(&[("conn", InputKind::Conninfo, "host=db sslmode=verify-full sslrootcert=/etc/ca.crt\n")]);
        let refs = m.root_cert_references();
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].0, "/etc/ca.crt");
        assert_eq!(refs[0].1.span, Span::new(40, 51));
    }
}
