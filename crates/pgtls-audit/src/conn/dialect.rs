//! The drivers' connection-string dialects, each read into libpq's keywords plus what the
//! driver does differently: its default sslmode, whether `require` ever verifies, where its
//! roots come from, and the options that switch verification off.

use serde::{Deserialize, Serialize};

use super::libpq::{self, Grammar};
use crate::source::Span;

/// A client library, as far as its TLS behaviour goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Driver {
    /// libpq itself (psql, pg_dump, and everything linked against it).
    Libpq,
    /// psycopg 2/3 hand the string to libpq; SQLAlchemy URLs with them as the DBAPI too.
    Psycopg,
    Asyncpg,
    Pgjdbc,
    Npgsql,
    Pgx,
    GoLibPq,
    NodePostgres,
    Sqlx,
    TokioPostgres,
}

/// libpq's sslmode values, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    /// libpq's spelling (case-sensitive, as libpq compares it).
    pub fn parse(s: &str) -> Option<SslMode> {
        Some(match s {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    /// What the mode means on the wire.
    pub fn wire(self) -> &'static str {
        match self {
            SslMode::Disable => "plaintext only: SSL is never requested",
            SslMode::Allow => "plaintext first; SSL only if the server refuses plaintext; the certificate is not checked",
            SslMode::Prefer => "SSL is tried first but a refusal (or an attacker stripping it) falls back to plaintext; the certificate is not checked",
            SslMode::Require => "always encrypted, but any certificate is accepted, so a man in the middle can read everything",
            SslMode::VerifyCa => "always encrypted and the chain is checked against the root, but not the host name: any certificate from that CA is accepted",
            SslMode::VerifyFull => "always encrypted; the chain is checked against the root and the certificate must name the host",
        }
    }
}

impl Driver {
    pub fn name(self) -> &'static str {
        match self {
            Driver::Libpq => "libpq",
            Driver::Psycopg => "psycopg (libpq)",
            Driver::Asyncpg => "asyncpg",
            Driver::Pgjdbc => "pgjdbc",
            Driver::Npgsql => "Npgsql",
            Driver::Pgx => "pgx",
            Driver::GoLibPq => "lib/pq",
            Driver::NodePostgres => "node-postgres",
            Driver::Sqlx => "sqlx",
            Driver::TokioPostgres => "tokio-postgres",
        }
    }

    /// The sslmode the driver uses when none is given. node-postgres does not use TLS at all
    /// unless told to, which is `disable` in libpq's terms.
    pub fn default_mode(self) -> SslMode {
        match self {
            Driver::GoLibPq => SslMode::Require,
            Driver::NodePostgres => SslMode::Disable,
            _ => SslMode::Prefer,
        }
    }

    /// Whether the driver reads libpq's environment variables at all.
    pub fn reads_environment(self) -> bool {
        !matches!(self, Driver::Pgjdbc | Driver::TokioPostgres)
    }

    /// Whether the driver reads this one of libpq's environment variables. libpq and the
    /// libraries built on it (or copying it: pgx, lib/pq, asyncpg) read them all; node-postgres
    /// reads the connection basics and PGSSLMODE; sqlx also the certificate files; Npgsql
    /// reads no PGSSLMODE or PGHOST but does read the certificate files (`PostgresEnvironment`).
    pub fn reads_env_var(self, var: &str) -> bool {
        const BASICS: &[&str] = &["PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"];
        match self {
            Driver::Pgjdbc | Driver::TokioPostgres => false,
            Driver::NodePostgres => BASICS.contains(&var) || var == "PGSSLMODE",
            Driver::Sqlx => {
                BASICS.contains(&var) || ["PGSSLMODE", "PGSSLROOTCERT", "PGSSLCERT", "PGSSLKEY", "PGAPPNAME"].contains(&var)
            }
            Driver::Npgsql => [
                "PGUSER", "PGPASSWORD", "PGPASSFILE", "PGSSLCERT", "PGSSLKEY", "PGSSLROOTCERT", "PGCLIENTENCODING",
                "PGOPTIONS", "PGTARGETSESSIONATTRS", "PGSSLNEGOTIATION", "PGAPPNAME",
            ]
            .contains(&var),
            _ => true,
        }
    }

    /// Whether the driver reads pg_service.conf (`service=name`).
    pub fn reads_service_file(self) -> bool {
        matches!(self, Driver::Libpq | Driver::Psycopg | Driver::Pgx | Driver::GoLibPq)
    }

    /// Whether `sslmode=require` checks the chain when a root certificate is configured, as
    /// libpq does.
    pub fn require_verifies_with_root(self) -> bool {
        matches!(self, Driver::Libpq | Driver::Psycopg | Driver::Pgx | Driver::GoLibPq | Driver::Asyncpg | Driver::Sqlx)
    }

    /// Where the roots come from when the string names none.
    pub fn default_roots(self) -> &'static str {
        match self {
            Driver::Libpq | Driver::Psycopg => "~/.postgresql/root.crt (%APPDATA%\\postgresql\\root.crt on Windows), and the connection fails if it is missing",
            Driver::Pgjdbc => "$HOME/.postgresql/root.crt (LibPQFactory), and the connection fails if it is missing",
            Driver::Asyncpg => "~/.postgresql/root.crt if present, else the system's trusted roots",
            Driver::Npgsql => "the operating system's certificate store",
            Driver::Pgx | Driver::GoLibPq => "the system's trusted roots (Go's system certificate pool)",
            Driver::NodePostgres => "Node's bundled Mozilla CA list",
            Driver::Sqlx => "the system's (or bundled webpki) trusted roots",
            Driver::TokioPostgres => "whatever the TLS connector passed in code trusts",
        }
    }

    /// The driver's TLS semantics in one sentence, quoted in findings.
    pub fn semantics(self) -> &'static str {
        match self {
            Driver::Libpq | Driver::Psycopg => "libpq defaults to sslmode=prefer (SSL if offered, else plaintext, certificate unchecked) and verifies the host name only with verify-full",
            Driver::Asyncpg => "asyncpg defaults to sslmode=prefer and follows libpq's modes",
            Driver::Pgjdbc => "pgjdbc defaults to sslmode=prefer; ssl=true without sslmode means verify-full; require and prefer never check the certificate; sslfactory=org.postgresql.ssl.NonValidatingFactory turns checking off",
            Driver::Npgsql => "Npgsql defaults to SSL Mode=Prefer; Require does not validate the certificate; Trust Server Certificate=true skips validation",
            Driver::Pgx => "pgx follows libpq: the default sslmode is prefer, and require skips verification unless sslrootcert is set",
            Driver::GoLibPq => "lib/pq defaults to sslmode=require (encrypted, unverified) and does not support allow or prefer",
            Driver::NodePostgres => "node-postgres uses no TLS unless ssl or sslmode is set; in its URLs prefer, require and verify-ca mean verify-full unless uselibpqcompat=true, and sslmode=no-verify or rejectUnauthorized: false turn checking off",
            Driver::Sqlx => "sqlx defaults to sslmode=prefer and follows libpq's modes, including require checking the chain when a root certificate is given",
            Driver::TokioPostgres => "tokio-postgres defaults to sslmode=prefer, knows only disable, prefer and require, and leaves verification to the TLS connector given in code",
        }
    }
}

/// How a string is written, so that a fix can be spelt in its own dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Style {
    KeywordValue,
    Uri,
    Jdbc,
    Npgsql,
}

/// A keyword as the string writes it, translated to libpq's name. Spans are into the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub keyword: String,
    pub value: String,
    pub written_key: String,
    pub key_span: Span,
    pub value_span: Span,
}

/// One connection string, read in its driver's dialect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientString {
    pub driver: Driver,
    pub style: Style,
    /// The string itself within the file.
    pub span: Span,
    /// End of the string's query or list, where a missing keyword would be appended.
    pub append_at: usize,
    /// Whether a URI already has a `?`.
    pub has_query: bool,
    pub settings: Vec<Written>,
    /// A driver option that switches certificate checking off, and where it is written.
    pub verification_off: Option<(String, Span)>,
    /// pgjdbc `ssl=true` (or node-postgres `ssl=true`) without an sslmode: verify-full.
    pub ssl_flag_means_verify_full: Option<Span>,
    /// node-postgres `uselibpqcompat=true`: libpq's meaning of the modes.
    pub libpq_compat: bool,
    /// Why the driver refuses the string, with libpq's message where libpq has one.
    pub error: Option<(Span, String)>,
}

impl ClientString {
    pub fn last(&self, keyword: &str) -> Option<&Written> {
        self.settings.iter().rev().find(|w| w.keyword == keyword)
    }

    fn new(driver: Driver, style: Style, span: Span) -> Self {
        ClientString {
            driver,
            style,
            span,
            append_at: span.end,
            has_query: false,
            settings: Vec::new(),
            verification_off: None,
            ssl_flag_means_verify_full: None,
            libpq_compat: false,
            error: None,
        }
    }
}

/// Labels a line may start with to name its driver (`pgx: postgres://...`).
const LABELS: &[(&str, Driver)] = &[
    ("libpq", Driver::Libpq),
    ("psql", Driver::Libpq),
    ("psycopg", Driver::Psycopg),
    ("psycopg2", Driver::Psycopg),
    ("asyncpg", Driver::Asyncpg),
    ("jdbc", Driver::Pgjdbc),
    ("pgjdbc", Driver::Pgjdbc),
    ("npgsql", Driver::Npgsql),
    ("pgx", Driver::Pgx),
    ("lib/pq", Driver::GoLibPq),
    ("pq", Driver::GoLibPq),
    ("node-postgres", Driver::NodePostgres),
    ("pg", Driver::NodePostgres),
    ("node", Driver::NodePostgres),
    ("sqlx", Driver::Sqlx),
    ("tokio-postgres", Driver::TokioPostgres),
    ("sqlalchemy", Driver::Psycopg),
];

/// The driver a comment line names on its own (`# pgx`, `// node-postgres`), which then
/// applies to the string on the next line.
pub fn label_comment(line: &str) -> Option<Driver> {
    let body = line.trim();
    let rest = body.strip_prefix('#').or_else(|| body.strip_prefix("//")).or_else(|| body.strip_prefix("--"))?;
    let label = rest.trim().trim_end_matches(':');
    LABELS.iter().find(|(l, _)| l.eq_ignore_ascii_case(label)).map(|&(_, d)| d)
}

/// Calls in source code whose first string argument is a connection string, and the driver
/// they belong to.
const CALLS: &[(&str, Driver)] = &[
    ("sql.Open(\"postgres\"", Driver::GoLibPq),
    ("sql.Open(\"pgx\"", Driver::Pgx),
    ("pgx.Connect(", Driver::Pgx),
    ("pgxpool.New(", Driver::Pgx),
    ("pgx.ParseConfig(", Driver::Pgx),
    ("pgxpool.ParseConfig(", Driver::Pgx),
    ("connectionString", Driver::NodePostgres),
    ("psycopg2.connect(", Driver::Psycopg),
    ("psycopg.connect(", Driver::Psycopg),
    ("asyncpg.connect(", Driver::Asyncpg),
    ("asyncpg.create_pool(", Driver::Asyncpg),
    ("tokio_postgres::connect(", Driver::TokioPostgres),
    ("PgPool::connect(", Driver::Sqlx),
    ("PgPoolOptions", Driver::Sqlx),
    ("PgConnection::connect(", Driver::Sqlx),
    ("NpgsqlConnection(", Driver::Npgsql),
    ("NpgsqlDataSource.Create(", Driver::Npgsql),
    ("create_engine(", Driver::Psycopg),
    ("DriverManager.getConnection(", Driver::Pgjdbc),
];

/// The first quoted literal after `from` in `line`: its contents' span.
fn first_literal(line: &str, from: usize) -> Option<Span> {
    let rest = &line[from..];
    let (open, quote) = rest.char_indices().find(|(_, c)| matches!(c, '"' | '\'' | '`'))?;
    let start = from + open + 1;
    let close = line[start..].find(quote)?;
    Some(Span::new(start, start + close))
}

/// Reads one line of a connection-string file (`base` is the line's offset in the file).
/// Returns None for blank and comment lines.
pub fn read_line(line: &str, base: usize, version: u32) -> Option<ClientString> {
    read_line_as(line, base, version, None)
}

/// [`read_line`] with the driver a preceding comment named, if any.
pub fn read_line_as(line: &str, base: usize, version: u32, hint: Option<Driver>) -> Option<ClientString> {
    let trimmed_start = line.len() - line.trim_start().len();
    let body = line.trim();
    if body.is_empty() || body.starts_with('#') || body.starts_with("//") || body.starts_with("--") {
        return None;
    }
    let mut start = trimmed_start;
    let mut end = trimmed_start + body.len();
    let mut forced: Option<Driver> = hint;
    // `label: string`
    if let Some((label, _)) = body.split_once(": ") {
        if let Some(&(_, d)) = LABELS.iter().find(|(l, _)| l.eq_ignore_ascii_case(label.trim())) {
            forced = Some(d);
            let after = &body[label.len() + 1..];
            start = trimmed_start + label.len() + 1 + (after.len() - after.trim_start().len());
        }
    }
    // A call in source code: the literal is the string.
    let mut code_driver = None;
    if forced.is_none() {
        for &(call, d) in CALLS {
            if let Some(at) = line.find(call) {
                // sql.Open("postgres", "DSN") names the driver in the call itself, and
                // pgx.Connect(ctx, "DSN") has no literal before the string: either way the
                // first literal after the call is the string.
                let from = at + call.len();
                if let Some(lit) = first_literal(line, from) {
                    start = lit.start;
                    end = lit.end;
                    code_driver = Some(d);
                    break;
                }
            }
        }
    }
    // A URL inside a larger line: `DATABASE_URL=postgres://...`, a properties file's
    // `spring.datasource.url=jdbc:postgresql://...`, YAML `url: postgres://...`.
    if forced.is_none() && code_driver.is_none() {
        if let Some((s, e)) = embedded_url(&line[start..end]) {
            end = start + e;
            start += s;
        }
    }
    let text = &line[start..end];
    let span = Span::new(base + start, base + end);
    let mut client = classify_and_read(text, span, forced.or(code_driver), version);
    if code_driver == Some(Driver::NodePostgres) || client.driver == Driver::NodePostgres {
        node_code_options(line, base, &mut client);
    }
    if code_driver == Some(Driver::Psycopg) && line.contains("create_engine(") && !text.contains("+") {
        client.driver = Driver::Psycopg;
    }
    Some(client)
}

/// Where a connection URL starts inside a line that is not itself one, and where it ends (at
/// a quote or whitespace).
fn embedded_url(body: &str) -> Option<(usize, usize)> {
    let lower = body.to_ascii_lowercase();
    let start = ["jdbc:postgresql:", "postgresql+", "postgresql://", "postgres://", "postgres+"]
        .iter()
        .filter_map(|p| lower.find(p))
        .min()?;
    if start == 0 {
        return None;
    }
    let len = body[start..].find(|c: char| matches!(c, '"' | '\'' | '`') || c.is_whitespace()).unwrap_or(body.len() - start);
    Some((start, start + len))
}

/// node-postgres options written beside the string: `ssl: { rejectUnauthorized: false }`.
fn node_code_options(line: &str, base: usize, client: &mut ClientString) {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains("rejectUnauthorized:false") {
        let at = line.find("rejectUnauthorized").unwrap_or(0);
        let end = line[at..].find("false").map_or(line.len(), |f| at + f + 5);
        client.verification_off =
            Some(("rejectUnauthorized: false".into(), Span::new(base + at, base + end)));
    } else if compact.contains("ssl:true") || compact.contains("ssl:{") {
        let at = line.find("ssl").unwrap_or(0);
        client.ssl_flag_means_verify_full = Some(Span::new(base + at, base + at + 3));
    }
}

fn classify_and_read(text: &str, span: Span, forced: Option<Driver>, version: u32) -> ClientString {
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("jdbc:postgresql:") || forced == Some(Driver::Pgjdbc) {
        return read_jdbc(text, span);
    }
    if let Some(rest) = lower.strip_prefix("postgresql+").or_else(|| lower.strip_prefix("postgres+")) {
        let dbapi = rest.split("://").next().unwrap_or("");
        let driver = match dbapi {
            "asyncpg" => Driver::Asyncpg,
            "pg8000" | "psycopg" | "psycopg2" | "psycopg2cffi" | "psycopgcffi" => Driver::Psycopg,
            _ => Driver::Psycopg,
        };
        let driver = forced.unwrap_or(driver);
        return read_url(text, span, driver, Style::Uri);
    }
    let looks_npgsql = text.contains(';')
        && text.contains('=')
        && !lower.starts_with("postgres")
        && text.split(';').any(|part| {
            let key: String = part.split('=').next().unwrap_or("").chars().filter(|c| !c.is_whitespace()).collect();
            matches!(
                key.to_ascii_lowercase().as_str(),
                "host" | "server" | "sslmode" | "database" | "username" | "userid" | "trustservercertificate" | "rootcertificate"
            )
        });
    if forced == Some(Driver::Npgsql) || (forced.is_none() && looks_npgsql) {
        return read_npgsql(text, span);
    }
    let is_uri = lower.starts_with("postgresql://") || lower.starts_with("postgres://");
    let driver = forced.unwrap_or_else(|| {
        if is_uri && (lower.contains("sslmode=no-verify") || lower.contains("uselibpqcompat=")) {
            Driver::NodePostgres
        } else if is_uri && (lower.contains("ssl-mode=") || lower.contains("ssl-root-cert=")) {
            Driver::Sqlx
        } else {
            Driver::Libpq
        }
    });
    match driver {
        Driver::Libpq | Driver::Psycopg | Driver::Pgx | Driver::GoLibPq => read_libpq(text, span, driver, version),
        _ if is_uri => read_url(text, span, driver, Style::Uri),
        // A keyword/value string handed to a driver that reads URLs only is still read as
        // libpq reads it, so that its keywords can be judged.
        _ => read_libpq(text, span, driver, version),
    }
}

fn read_libpq(text: &str, span: Span, driver: Driver, version: u32) -> ClientString {
    let style = if libpq::uri_prefix_length(text) > 0 { Style::Uri } else { Style::KeywordValue };
    let mut client = ClientString::new(driver, style, span);
    client.has_query = style == Style::Uri && text.contains('?');
    let keep_unknown = matches!(driver, Driver::Pgx | Driver::GoLibPq);
    if let Some(nul) = text.find('\0') {
        client.error = Some((
            Span::new(span.start + nul, span.start + nul + 1),
            "NUL byte in the connection string: libpq stops reading here and ignores the rest".into(),
        ));
    }
    let grammar = Grammar { version, keep_unknown };
    let parsed = libpq::parse_with(text, grammar.version, grammar.keep_unknown);
    match parsed {
        Ok(params) => {
            client.settings = params
                .into_iter()
                .map(|p| Written {
                    keyword: p.keyword,
                    value: p.value,
                    written_key: p.written_key,
                    key_span: p.key_span.shift(span.start),
                    value_span: p.value_span.shift(span.start),
                })
                .collect();
        }
        Err(e) => {
            if client.error.is_none() {
                client.error = Some((e.span.shift(span.start), e.message));
            }
        }
    }
    client
}

/// Percent-decoding as URL libraries do it (lenient about `+`, strict about bad escapes).
fn percent_decode(raw: &str) -> Result<String, String> {
    let b = raw.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = b.get(i + 1).and_then(|c| (*c as char).to_digit(16));
            let l = b.get(i + 2).and_then(|c| (*c as char).to_digit(16));
            match (h, l) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                }
                _ => return Err(format!("invalid percent-encoded token: \"{raw}\"")),
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// A driver's query key in libpq's terms.
fn url_key(driver: Driver, key: &str) -> String {
    let k = key.to_ascii_lowercase();
    let mapped = match (driver, k.as_str()) {
        (_, "ssl-mode") => "sslmode",
        (_, "ssl-root-cert") => "sslrootcert",
        (_, "ssl-cert") => "sslcert",
        (_, "ssl-key") => "sslkey",
        (_, "channelbinding") => "channel_binding",
        (_, "application-name") => "application_name",
        (Driver::Pgjdbc, "sslnegotiation") => "sslnegotiation",
        _ => return key.to_string(),
    };
    mapped.to_string()
}

/// `scheme://[user[:password]@]host[:port][,host...][/db][?k=v&...]` for the drivers that read
/// URLs with a URL library rather than libpq's grammar.
fn read_url(text: &str, span: Span, driver: Driver, style: Style) -> ClientString {
    let mut client = ClientString::new(driver, style, span);
    let Some(scheme_end) = text.find("://") else {
        client.error = Some((span, "not a URL: \"://\" is missing".into()));
        return client;
    };
    let after = scheme_end + 3;
    let (main, query) = match text[after..].find('?') {
        Some(q) => (Span::new(after, after + q), Some(after + q + 1)),
        None => (Span::new(after, text.len()), None),
    };
    client.has_query = query.is_some();
    let main_text = &text[main.start..main.end];
    let (authority, path) = match main_text.find('/') {
        Some(slash) => (Span::new(main.start, main.start + slash), Some(main.start + slash + 1)),
        None => (main, None),
    };
    let auth_text = &text[authority.start..authority.end];
    let mut hosts_start = authority.start;
    if let Some(at) = auth_text.rfind('@') {
        let userinfo = &auth_text[..at];
        let (user, password) = match userinfo.find(':') {
            Some(c) => (&userinfo[..c], Some((authority.start + c + 1, &userinfo[c + 1..]))),
            None => (userinfo, None),
        };
        push_decoded(&mut client, "user", "user", user, Span::new(authority.start, authority.start + user.len()), span.start);
        if let Some((p_start, p)) = password {
            push_decoded(&mut client, "password", "password", p, Span::new(p_start, p_start + p.len()), span.start);
        }
        hosts_start = authority.start + at + 1;
    }
    let hosts_text = &text[hosts_start..authority.end];
    let hosts_span = Span::new(hosts_start, authority.end);
    let mut hosts = Vec::new();
    let mut ports = Vec::new();
    for h in hosts_text.split(',') {
        let (host, port) = if let Some(rest) = h.strip_prefix('[') {
            match rest.split_once(']') {
                Some((inside, tail)) => (inside.to_string(), tail.strip_prefix(':').unwrap_or("").to_string()),
                None => (rest.to_string(), String::new()),
            }
        } else {
            match h.rsplit_once(':') {
                Some((a, p)) => (a.to_string(), p.to_string()),
                None => (h.to_string(), String::new()),
            }
        };
        hosts.push(host);
        ports.push(port);
    }
    if hosts.iter().any(|h| !h.is_empty()) {
        push_decoded(&mut client, "host", "host", &hosts.join(","), hosts_span, span.start);
    }
    if ports.iter().any(|p| !p.is_empty()) {
        push_decoded(&mut client, "port", "port", &ports.join(","), hosts_span, span.start);
    }
    if let Some(p) = path {
        let db = &text[p..main.end];
        if !db.is_empty() {
            push_decoded(&mut client, "dbname", "dbname", db, Span::new(p, main.end), span.start);
        }
    }
    if let Some(q) = query {
        let mut pos = q;
        for part in text[q..].split('&') {
            let part_span = Span::new(pos, pos + part.len());
            pos += part.len() + 1;
            if part.is_empty() {
                continue;
            }
            let (k, v, vstart) = match part.split_once('=') {
                Some((k, v)) => (k, v, part_span.start + k.len() + 1),
                None => (part, "", part_span.end),
            };
            let key = match percent_decode(k) {
                Ok(k) => k,
                Err(e) => {
                    client.error.get_or_insert((part_span.shift(span.start), e));
                    continue;
                }
            };
            let name = url_key(driver, &key);
            let before = client.settings.len();
            push_decoded(&mut client, &name, &key, v, Span::new(vstart, vstart + v.len()), span.start);
            if let Some(w) = client.settings.get_mut(before) {
                w.key_span = Span::new(part_span.start, part_span.start + k.len()).shift(span.start);
            }
        }
    }
    client.append_at = span.end;
    apply_driver_options(&mut client);
    client
}

fn push_decoded(client: &mut ClientString, keyword: &str, written: &str, raw: &str, local: Span, base: usize) {
    match percent_decode(raw) {
        Ok(value) => client.settings.push(Written {
            keyword: keyword.to_string(),
            value,
            written_key: written.to_string(),
            key_span: local.shift(base),
            value_span: local.shift(base),
        }),
        Err(e) => {
            client.error.get_or_insert((local.shift(base), e));
        }
    }
}

/// pgjdbc: `jdbc:postgresql://host[:port][,host...]/db?props` or `jdbc:postgresql:db?props`.
fn read_jdbc(text: &str, span: Span) -> ClientString {
    let lower = text.to_ascii_lowercase();
    let prefix = "jdbc:postgresql:";
    let mut client = if lower.starts_with("jdbc:postgresql://") {
        // Read as a URL from "postgresql://" on, then shift the spans back to the whole string.
        let inner_start = "jdbc:".len();
        let mut c = read_url(&text[inner_start..], Span::new(span.start + inner_start, span.end), Driver::Pgjdbc, Style::Jdbc);
        c.span = span;
        c
    } else if lower.starts_with(prefix) {
        let rest = &text[prefix.len()..];
        let fake = format!("postgresql:///{rest}");
        let shift = prefix.len() as isize - "postgresql:///".len() as isize;
        let mut c = read_url(&fake, Span::new(0, fake.len()), Driver::Pgjdbc, Style::Jdbc);
        for w in &mut c.settings {
            w.key_span = shift_span(w.key_span, span.start as isize + shift);
            w.value_span = shift_span(w.value_span, span.start as isize + shift);
        }
        c.span = span;
        c.error = c.error.map(|(s, m)| (shift_span(s, span.start as isize + shift), m));
        c
    } else {
        let mut c = ClientString::new(Driver::Pgjdbc, Style::Jdbc, span);
        c.error = Some((span, "not a pgjdbc URL: it must start with jdbc:postgresql:".into()));
        c
    };
    client.append_at = span.end;
    client.style = Style::Jdbc;
    apply_driver_options(&mut client);
    client
}

fn shift_span(s: Span, by: isize) -> Span {
    let f = |x: usize| (x as isize + by).max(0) as usize;
    Span::new(f(s.start), f(s.end))
}

/// Driver options that change the meaning of the modes: pgjdbc `ssl` and `sslfactory`,
/// node-postgres `ssl`, `sslmode=no-verify` and `uselibpqcompat`.
fn apply_driver_options(client: &mut ClientString) {
    let has_mode = client.last("sslmode").is_some();
    match client.driver {
        Driver::Pgjdbc => {
            if let Some(f) = client.last("sslfactory") {
                if f.value.ends_with("NonValidatingFactory") {
                    client.verification_off = Some((format!("sslfactory={}", f.value), f.key_span.cover(f.value_span)));
                }
            }
            if let Some(ssl) = client.last("ssl") {
                let on = ssl.value.is_empty() || ssl.value.eq_ignore_ascii_case("true");
                if on && !has_mode {
                    client.ssl_flag_means_verify_full = Some(ssl.key_span.cover(ssl.value_span));
                }
            }
        }
        Driver::NodePostgres => {
            client.libpq_compat = client.last("uselibpqcompat").is_some_and(|w| w.value == "true");
            if let Some(m) = client.last("sslmode") {
                if m.value == "no-verify" {
                    client.verification_off = Some(("sslmode=no-verify".into(), m.key_span.cover(m.value_span)));
                }
            }
            if let Some(ssl) = client.last("ssl") {
                if !has_mode && matches!(ssl.value.as_str(), "true" | "1") {
                    client.ssl_flag_means_verify_full = Some(ssl.key_span.cover(ssl.value_span));
                }
            }
        }
        _ => {}
    }
}

/// Npgsql's `Key=Value;...`: keys case-insensitive with spaces ignored, values optionally
/// quoted with `"` or `'`.
fn read_npgsql(text: &str, span: Span) -> ClientString {
    let mut client = ClientString::new(Driver::Npgsql, Style::Npgsql, span);
    let mut pos = 0;
    let b = text.as_bytes();
    while pos < b.len() {
        let part_end = next_npgsql_separator(text, pos);
        let part = &text[pos..part_end];
        if !part.trim().is_empty() {
            match part.split_once('=') {
                None => {
                    client.error.get_or_insert((
                        Span::new(span.start + pos, span.start + part_end),
                        format!("Npgsql: missing \"=\" in \"{}\"", part.trim()),
                    ));
                }
                Some((k, _)) if k.trim().is_empty() => {
                    // .NET's connection string parser rejects the whole string here.
                    let lead = part.len() - part.trim_start().len();
                    client.error.get_or_insert((
                        Span::new(span.start + pos + lead, span.start + pos + lead + part.trim().len()),
                        format!("Npgsql: no setting name before \"=\" in \"{}\"", part.trim()),
                    ));
                }
                Some((k, v)) => {
                    let key_start = pos + (k.len() - k.trim_start().len());
                    let key_span = Span::new(span.start + key_start, span.start + key_start + k.trim().len());
                    let v_off = pos + k.len() + 1;
                    let vt = v.trim();
                    let v_start = v_off + (v.len() - v.trim_start().len());
                    let value = if vt.len() >= 2 && (vt.starts_with('"') && vt.ends_with('"') || vt.starts_with('\'') && vt.ends_with('\'')) {
                        vt[1..vt.len() - 1].to_string()
                    } else if vt.starts_with('"') || vt.starts_with('\'') {
                        client.error.get_or_insert((
                            Span::new(span.start + v_start, span.start + part_end),
                            "Npgsql: unterminated quoted value".into(),
                        ));
                        vt[1..].to_string()
                    } else {
                        vt.to_string()
                    };
                    let value_span = Span::new(span.start + v_start, span.start + v_start + vt.len());
                    let norm: String = k.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
                    let (keyword, value) = match norm.as_str() {
                        "host" | "server" => ("host", value),
                        "port" => ("port", value),
                        "database" | "db" => ("dbname", value),
                        "username" | "userid" | "user" | "uid" => ("user", value),
                        "password" | "pwd" | "psw" => ("password", value),
                        "sslmode" => ("sslmode", npgsql_mode(&value)),
                        "rootcertificate" => ("sslrootcert", value),
                        "sslcertificate" => ("sslcert", value),
                        "sslkey" => ("sslkey", value),
                        "channelbinding" => ("channel_binding", value.to_ascii_lowercase()),
                        "trustservercertificate" => ("trust_server_certificate", value),
                        other => {
                            client.settings.push(Written {
                                keyword: other.to_string(),
                                value,
                                written_key: k.trim().to_string(),
                                key_span,
                                value_span,
                            });
                            pos = part_end + 1;
                            continue;
                        }
                    };
                    if keyword == "trust_server_certificate" && value.eq_ignore_ascii_case("true") {
                        client.verification_off =
                            Some((format!("{}={}", k.trim(), vt), key_span.cover(value_span)));
                    }
                    client.settings.push(Written {
                        keyword: keyword.to_string(),
                        value,
                        written_key: k.trim().to_string(),
                        key_span,
                        value_span,
                    });
                }
            }
        }
        pos = part_end + 1;
    }
    client
}

/// The next `;` outside quotes.
fn next_npgsql_separator(text: &str, from: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (i, &c) in text.as_bytes().iter().enumerate().skip(from) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, b';') => return i,
            _ => {}
        }
    }
    text.len()
}

/// Npgsql's SslMode names (`VerifyFull`, `verify-full`, `Require`) in libpq's spelling; an
/// unknown name is kept as written so that it is reported.
fn npgsql_mode(v: &str) -> String {
    let norm: String = v.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    match norm.as_str() {
        "disable" => "disable",
        "allow" => "allow",
        "prefer" => "prefer",
        "require" => "require",
        "verifyca" => "verify-ca",
        "verifyfull" => "verify-full",
        _ => return v.to_string(),
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> ClientString {
        read_line(s, 0, 16).unwrap()
    }

    #[test]
    fn drivers_are_told_apart_per_line() {
        assert_eq!(read("host=db sslmode=require").driver, Driver::Libpq);
        assert_eq!(read("jdbc:postgresql://db/app?ssl=true").driver, Driver::Pgjdbc);
        assert_eq!(read("Host=db;SSL Mode=VerifyFull").driver, Driver::Npgsql);
        assert_eq!(read("postgresql+psycopg2://u@db/app").driver, Driver::Psycopg);
        assert_eq!(read("postgresql+asyncpg://u@db/app").driver, Driver::Asyncpg);
        assert_eq!(read("postgres://db/app?sslmode=no-verify").driver, Driver::NodePostgres);
        assert_eq!(read("pgx: postgres://db/app").driver, Driver::Pgx);
        assert_eq!(read(r#"db, err := sql.Open("postgres", "host=db dbname=app")"#).driver, Driver::GoLibPq);
        assert!(read_line("  # comment", 0, 16).is_none());
    }

    #[test]
    fn jdbc_ssl_true_means_verify_full_and_factory_turns_checks_off() {
        let c = read("jdbc:postgresql://db:5432/app?ssl=true");
        assert!(c.ssl_flag_means_verify_full.is_some());
        let c = read("jdbc:postgresql://db/app?sslmode=require&sslfactory=org.postgresql.ssl.NonValidatingFactory");
        assert!(c.verification_off.is_some());
        assert_eq!(c.last("sslmode").unwrap().value, "require");
        let c = read("jdbc:postgresql:app?sslmode=verify-full");
        let w = c.last("sslmode").unwrap();
        assert_eq!(&"jdbc:postgresql:app?sslmode=verify-full"[w.value_span.start..w.value_span.end], "verify-full");
    }

    #[test]
    fn npgsql_keys_ignore_case_and_spaces() {
        let c = read("Host=db;SSL Mode=VerifyFull;Trust Server Certificate=true;Root Certificate=/ca.crt");
        assert_eq!(c.last("sslmode").unwrap().value, "verify-full");
        assert_eq!(c.last("sslrootcert").unwrap().value, "/ca.crt");
        assert!(c.verification_off.is_some());
    }

    #[test]
    fn npgsql_settings_without_a_name_are_an_error_not_a_panic() {
        // Found by the span property test: a blank key's span came out reversed.
        for line in ["Host=db;Port=5432;SSL Mode=Require; =\n", "Host=db; = x;SSL Mode=Require", "Host=db;=x"] {
            let c = read(line);
            let (at, message) = c.error.clone().expect(line);
            assert!(message.starts_with("Npgsql: no setting name before \"=\""), "{message}");
            assert!(at.start < at.end && line[at.start..at.end].contains('='), "{line}: {at:?}");
            assert_eq!(c.last("sslmode").map(|w| w.value.as_str()), Some("require").filter(|_| line.contains("SSL Mode")));
        }
        // Keys padded with blanks keep spans that cover the key only.
        let line = "Host=db;  SSL Mode  =Require";
        let w = read(line).last("sslmode").cloned().unwrap();
        assert_eq!(&line[w.key_span.start..w.key_span.end], "SSL Mode");
    }

    #[test]
    fn urls_inside_other_lines_are_found() {
        let line = "spring.datasource.url=jdbc:postgresql://db/app?sslmode=require";
        let c = read(line);
        assert_eq!(c.driver, Driver::Pgjdbc);
        assert_eq!(&line[c.span.start..c.span.end], "jdbc:postgresql://db/app?sslmode=require");
        let c = read(r#"  "url": "postgres://db/app?sslmode=verify-full","#);
        assert_eq!(c.last("sslmode").unwrap().value, "verify-full");
    }

    #[test]
    fn a_comment_naming_a_driver_applies_to_the_next_string() {
        assert_eq!(label_comment("# node"), Some(Driver::NodePostgres));
        assert_eq!(label_comment("# the node app"), None);
        let c = read_line_as("postgres://db/app?sslmode=require", 0, 16, Some(Driver::NodePostgres)).unwrap();
        assert_eq!(c.driver, Driver::NodePostgres);
    }

    #[test]
    fn node_code_options_are_seen() {
        let c = read("new Pool({ connectionString: 'postgres://db/app', ssl: { rejectUnauthorized: false } })");
        assert_eq!(c.driver, Driver::NodePostgres);
        assert!(c.verification_off.is_some());
        assert_eq!(c.last("host").unwrap().value, "db");
    }
}
