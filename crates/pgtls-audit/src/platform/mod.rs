//! Where PostgreSQL really runs: cloud parameter exports (RDS, Cloud SQL, Azure), Kubernetes
//! manifests (CloudNativePG, Zalando, Crunchy, TLS Secrets, cert-manager), Patroni, and the
//! official container image (compose files, `docker run` lines).
//!
//! Each document is read twice over. Facts only a platform has (rds.force_ssl, Cloud SQL's
//! sslMode, a cert-manager renewal window) go into the [`PlatformModel`] for the MGD rules.
//! Everything that is really a postgresql.conf setting, a pg_hba line or a certificate becomes a
//! derived input (see [`Origin`]) that the ordinary parsers and rules judge; their findings are
//! reported at the manifest line the setting came from.

mod cloud;
mod container;
mod key_values;
mod kube;
pub mod rules;
pub mod yaml;

pub use key_values::{private_key_values, KEY_ARMOUR};

use crate::checklist::Evidence;
use crate::detect::InputKind;
use crate::diagnostic::ParseError;
use crate::source::{FileId, Inputs, Location, Origin, Segment, SourceFile, Span};

/// One platform fact, located in its manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub location: Location,
}

impl<T> Located<T> {
    pub fn new(value: T, file: FileId, span: Span) -> Self {
        Located { value, location: Location::new(file, span) }
    }
}

/// RDS for PostgreSQL or Aurora: a DB parameter group export or an instance description.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RdsFacts {
    /// Where the document starts (for findings about a missing parameter).
    pub document: Option<Location>,
    /// `rds.force_ssl` with its value; `None` when the export gives no value (the default).
    pub force_ssl: Option<Located<Option<String>>>,
    /// The engine's major version, from `EngineVersion` or a parameter group family.
    pub engine_major: Option<u32>,
    pub ca_identifier: Option<Located<String>>,
    /// `CertificateDetails.ValidTill`, as Unix seconds.
    pub ca_valid_till: Option<Located<i64>>,
    pub is_parameter_export: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CloudSqlFacts {
    pub document: Option<Location>,
    pub ssl_mode: Option<Located<String>>,
    pub require_ssl: Option<Located<bool>>,
    pub ipv4_enabled: Option<Located<bool>>,
    pub authorized_networks: Vec<Located<String>>,
    pub server_ca_expires: Option<Located<i64>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AzureFacts {
    pub document: Option<Location>,
    pub require_secure_transport: Option<Located<String>>,
}

/// The official postgres image, from a compose service or a `docker run` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerFacts {
    /// The service (or run line) as a whole.
    pub location: Location,
    pub name: String,
    /// POSTGRES_HOST_AUTH_METHOD, when set.
    pub host_auth_method: Option<Located<String>>,
    /// The method the entrypoint writes into its `host all all all METHOD` line.
    pub effective_method: String,
    /// Whether the service turns SSL on (`-c ssl=on`) or mounts its own pg_hba.conf.
    pub configures_tls: bool,
    pub mounts_own_hba: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertManagerCertificate {
    pub location: Location,
    pub name: String,
    /// `spec.isCA`: a CA certificate, to which the 398-day limit for server certificates does
    /// not apply.
    pub is_ca: bool,
    /// `spec.duration` in seconds (cert-manager's default is 90 days).
    pub duration: Option<Located<i64>>,
    /// `spec.renewBefore` in seconds (default: a third of the duration).
    pub renew_before: Option<Located<i64>>,
    /// `spec.renewBeforePercentage`, when given instead.
    pub renew_before_percentage: Option<Located<i64>>,
}

/// The platform facts of all inputs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlatformModel {
    pub rds: Vec<RdsFacts>,
    pub cloud_sql: Vec<CloudSqlFacts>,
    pub azure: Vec<AzureFacts>,
    pub containers: Vec<ContainerFacts>,
    pub certificates: Vec<CertManagerCertificate>,
    /// cert-manager issuers that renew on their own (any Issuer/ClusterIssuer; ACME ones noted).
    pub issuers: Vec<Located<String>>,
    /// Operator clusters (CloudNativePG, Zalando, Crunchy, Patroni) whose certificates the
    /// operator or cert-manager rotates.
    pub managed_clusters: Vec<Located<String>>,
    pub parse_errors: Vec<ParseError>,
}

impl PlatformModel {
    /// Whether certificate rotation is automated by something the inputs show: cert-manager,
    /// an ACME issuer, an operator, or a cloud provider's CA.
    pub fn rotation_automated(&self) -> bool {
        !self.certificates.is_empty()
            || !self.issuers.is_empty()
            || !self.rds.is_empty()
            || !self.cloud_sql.is_empty()
            || !self.azure.is_empty()
    }

    pub fn is_empty(&self) -> bool {
        *self == PlatformModel::default()
    }

    pub fn evidence(&self, evidence: &mut Evidence) {
        if !self.rds.is_empty() || !self.cloud_sql.is_empty() || !self.azure.is_empty() {
            // The provider's TLS switch and its CA speak to items 1, 3, 5 and 6.
            evidence.extend([1, 3, 5, 6]);
        }
        if !self.containers.is_empty() {
            evidence.insert(3);
        }
        if !self.certificates.is_empty() || !self.issuers.is_empty() {
            evidence.insert(5);
        }
    }
}

/// A derived file being written, with the original span of every piece.
pub(crate) struct Derived {
    name: String,
    kind: InputKind,
    origin_file: FileId,
    text: String,
    segments: Vec<Segment>,
    provider_defaults: bool,
}

impl Derived {
    pub(crate) fn new(origin: &SourceFile, origin_file: FileId, what: &str, kind: InputKind) -> Self {
        Derived {
            name: format!("{} ({what})", origin.name),
            kind,
            origin_file,
            text: String::new(),
            segments: Vec::new(),
            provider_defaults: false,
        }
    }

    /// Marks a derived configuration whose unset parameters take the provider's defaults.
    pub(crate) fn with_provider_defaults(mut self) -> Self {
        self.provider_defaults = true;
        self
    }

    /// Appends a line that stands for `original` in the manifest.
    pub(crate) fn line(&mut self, line: &str, original: Span) {
        let start = self.text.len();
        // A newline inside a value would split one setting into two lines.
        let line = line.replace(['\n', '\r'], " ");
        self.text.push_str(&line);
        self.segments.push(Segment { derived: Span::new(start, self.text.len()), original });
        self.text.push('\n');
    }

    /// Appends raw text (a PEM block) standing for `original`.
    pub(crate) fn block(&mut self, text: &str, original: Span) {
        let start = self.text.len();
        self.text.push_str(text);
        if !text.ends_with('\n') {
            self.text.push('\n');
        }
        self.segments.push(Segment { derived: Span::new(start, self.text.len()), original });
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub(crate) fn finish(self) -> SourceFile {
        let mut file = SourceFile::from_text(self.name, self.kind, self.text);
        file.origin = Some(Origin { file: self.origin_file, segments: self.segments, provider_defaults: self.provider_defaults });
        file
    }
}

/// A postgresql.conf line for `name = value`, quoted the way the lexer reads it back.
pub(crate) fn conf_line(name: &str, value: &str) -> String {
    let escaped = value.replace('\\', "\\\\").replace('\'', "''");
    format!("{name} = '{escaped}'")
}

/// What one manifest adds: facts and derived files.
#[derive(Default)]
pub(crate) struct Expansion {
    pub model: PlatformModel,
    pub derived: Vec<SourceFile>,
}

/// Reads every platform input: the facts into the model, the rest into derived inputs appended
/// after the given ones (so the given files keep their ids).
pub fn expand(inputs: &Inputs) -> (Inputs, PlatformModel) {
    let mut out = Expansion::default();
    for (id, file) in inputs.files.iter().enumerate() {
        if file.kind != InputKind::Platform {
            continue;
        }
        if let Some(rest) = container::docker_run_lines(&file.text) {
            container::read_docker_runs(id, file, &rest, &mut out);
            continue;
        }
        let (docs, error) = yaml::load(&file.text);
        if let Some(e) = error {
            out.model.parse_errors.push(ParseError::new(
                id,
                e.span,
                format!("this file is not valid YAML or JSON: {}", e.message),
            ));
        }
        let mut recognised = false;
        for doc in &docs {
            recognised |= cloud::read(id, file, doc, &mut out)
                || kube::read(id, file, doc, &mut out)
                || container::read_compose(id, file, doc, &mut out);
        }
        if !recognised && !docs.is_empty() {
            out.model.parse_errors.push(ParseError::new(
                id,
                Span::new(0, file.line_index.line_span(&file.text, 0).end),
                "not a document pgtls knows: expected an RDS, Cloud SQL or Azure export, a \
                 Kubernetes manifest (CloudNativePG, Zalando, Crunchy, Secret, cert-manager), a \
                 Patroni configuration, a compose file or a docker run line",
            ));
        }
    }
    let mut expanded = inputs.clone();
    expanded.files.extend(out.derived);
    (expanded, out.model)
}

/// Content sniffing: JSON or YAML that names a platform's keys, or a `docker run` line.
pub fn sniff(text: &str) -> Option<InputKind> {
    const MARKERS: &[&str] = &[
        "\"ParameterName\"",
        "\"DBInstances\"",
        "\"DBInstanceIdentifier\"",
        "CACertificateIdentifier",
        "ipConfiguration",
        "databaseVersion",
        "require_secure_transport",
        "postgresql.cnpg.io",
        "acid.zalan.do",
        "postgres-operator.crunchydata.com",
        "cert-manager.io",
        "kubernetes.io/tls",
        "POSTGRES_PASSWORD",
        "POSTGRES_HOST_AUTH_METHOD",
        "image: postgres",
        "image: \"postgres",
        "image: 'postgres",
    ];
    let looks_structured = text.trim_start().starts_with(['{', '['])
        || text.lines().any(|l| l.starts_with("apiVersion:") || l.starts_with("services:"));
    if (looks_structured && MARKERS.iter().any(|m| text.contains(m)))
        || container::docker_run_lines(text).is_some()
        || (text.contains("\nbootstrap:") && text.contains("postgresql:"))
        || (text.contains("\"name\": \"require_secure_transport\""))
    {
        return Some(InputKind::Platform);
    }
    None
}

/// Go durations as cert-manager writes them (`2160h`, `90m30s`), plus the `d` some people
/// write; seconds, or None when unreadable.
pub(crate) fn parse_go_duration(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total = 0f64;
    let mut number = String::new();
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let mut unit = c.to_string();
        if c == 'm' && chars.peek() == Some(&'s') {
            unit.push(chars.next()?);
        }
        let n: f64 = number.parse().ok()?;
        number.clear();
        total += n * match unit.as_str() {
            "d" => 86400.0,
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            _ => return None,
        };
        any = true;
    }
    (any && number.is_empty()).then_some(total as i64)
}

/// RFC 3339 time (as cloud APIs write it) to Unix seconds.
pub(crate) fn parse_rfc3339(text: &str) -> Option<i64> {
    let t = text.trim();
    let (date, rest) = t.split_at(t.find(['T', 't', ' '])?);
    let mut d = date.split('-');
    let (y, m, day): (i64, i64, i64) = (d.next()?.parse().ok()?, d.next()?.parse().ok()?, d.next()?.parse().ok()?);
    let rest = &rest[1..];
    let hms: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == ':').collect();
    let mut h = hms.split(':');
    let (hh, mm, ss): (i64, i64, i64) =
        (h.next()?.parse().ok()?, h.next()?.parse().ok()?, h.next().unwrap_or("0").parse().ok()?);
    let tz = &rest[hms.len()..];
    let tz = tz.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = match tz {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match tz.as_bytes()[0] {
                b'-' => -1,
                b'+' => 1,
                _ => return None,
            };
            let mut p = tz[1..].split(':');
            let oh: i64 = p.next()?.parse().ok()?;
            let om: i64 = p.next().unwrap_or("0").parse().ok()?;
            sign * oh.checked_mul(3600)?.checked_add(om.checked_mul(60)?)?
        }
    };
    let small = |v: i64| u8::try_from(v).ok();
    crate::civil::unix_time(
        i32::try_from(y).ok()?,
        small(m)?,
        small(day)?,
        small(hh)?,
        small(mm)?,
        small(ss)?,
        i32::try_from(offset).ok()?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("2160h"), Some(2160 * 3600));
        assert_eq!(parse_go_duration("1h30m"), Some(5400));
        assert_eq!(parse_go_duration("90d"), Some(90 * 86400));
        assert_eq!(parse_go_duration("soon"), None);
        assert_eq!(parse_go_duration("12"), None);
    }

    #[test]
    fn rfc3339_times() {
        assert_eq!(parse_rfc3339("1970-01-02T00:00:00Z"), Some(86400));
        assert_eq!(parse_rfc3339("2024-08-22T17:08:50Z"), Some(1724346530));
        assert_eq!(parse_rfc3339("2024-08-22T19:08:50.000+02:00"), Some(1724346530));
        assert_eq!(parse_rfc3339("not a time"), None);
        assert_eq!(parse_rfc3339("2024-02-30T00:00:00Z"), None, "no such day");
        assert_eq!(parse_rfc3339("2024-01-01T00:00:00é"), None);
        assert_eq!(parse_rfc3339("2024-01-01T00:00:00+99999999999999999:00"), None);
    }

    #[test]
    fn conf_lines_quote_like_the_lexer() {
        assert_eq!(conf_line("ssl_ciphers", "HIGH:!aNULL"), "ssl_ciphers = 'HIGH:!aNULL'");
        assert_eq!(conf_line("x", "it's\\"), "x = 'it''s\\\\'");
    }
}
