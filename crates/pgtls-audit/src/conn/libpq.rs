//! libpq's connection-string grammar, byte for byte as `src/interfaces/libpq/fe-connect.c`
//! reads it: keyword/value strings (`conninfo_parse`), URIs (`conninfo_uri_parse_options`,
//! `conninfo_uri_parse_params`, `conninfo_uri_decode`) and the keyword table
//! (`PQconninfoOptions`) of each major version.
//!
//! Written by hand rather than with nom: libpq's grammar is a pointer walk with quirks
//! (a quoted value may be followed directly by the next keyword, a port list keeps a trailing
//! comma, the user part is looked for before the host) that a combinator grammar would have to
//! re-create step by step anyway, and the error messages must name exactly the bytes libpq names.

use crate::source::Span;

/// One keyword of libpq's option table.
#[derive(Clone, Copy, Debug)]
pub struct Keyword {
    pub name: &'static str,
    pub envvar: Option<&'static str>,
    /// The compiled-in default (`PQconndefaults` without environment).
    pub default: Option<&'static str>,
    /// First major version that knows the keyword.
    pub since: u32,
    /// Last major version that knows it, if it was removed.
    pub until: Option<u32>,
}

const fn kw(name: &'static str, envvar: Option<&'static str>, default: Option<&'static str>, since: u32) -> Keyword {
    Keyword { name, envvar, default, since, until: None }
}

/// `PQconninfoOptions` in table order (the order `PQconninfoParse` returns and uri-regress
/// prints). Defaults are libpq 15's as `PQconndefaults` reports them on this platform.
pub const KEYWORDS: &[Keyword] = &[
    kw("service", Some("PGSERVICE"), None, 0),
    kw("user", Some("PGUSER"), None, 0),
    kw("password", Some("PGPASSWORD"), None, 0),
    kw("passfile", Some("PGPASSFILE"), None, 0),
    kw("channel_binding", Some("PGCHANNELBINDING"), Some("prefer"), 13),
    kw("connect_timeout", Some("PGCONNECT_TIMEOUT"), None, 0),
    kw("dbname", Some("PGDATABASE"), None, 0),
    kw("host", Some("PGHOST"), None, 0),
    kw("hostaddr", Some("PGHOSTADDR"), None, 0),
    kw("port", Some("PGPORT"), Some("5432"), 0),
    kw("client_encoding", Some("PGCLIENTENCODING"), None, 0),
    kw("options", Some("PGOPTIONS"), Some(""), 0),
    kw("application_name", Some("PGAPPNAME"), None, 0),
    kw("fallback_application_name", None, None, 0),
    kw("keepalives", None, None, 0),
    kw("keepalives_idle", None, None, 0),
    kw("keepalives_interval", None, None, 0),
    kw("keepalives_count", None, None, 0),
    kw("tcp_user_timeout", None, None, 12),
    kw("sslmode", Some("PGSSLMODE"), Some("prefer"), 0),
    kw("sslnegotiation", Some("PGSSLNEGOTIATION"), Some("postgres"), 17),
    kw("sslcompression", Some("PGSSLCOMPRESSION"), Some("0"), 0),
    kw("sslcert", Some("PGSSLCERT"), None, 0),
    kw("sslkey", Some("PGSSLKEY"), None, 0),
    kw("sslcertmode", Some("PGSSLCERTMODE"), Some("allow"), 16),
    kw("sslpassword", None, None, 13),
    kw("sslrootcert", Some("PGSSLROOTCERT"), None, 0),
    kw("sslcrl", Some("PGSSLCRL"), None, 0),
    kw("sslcrldir", Some("PGSSLCRLDIR"), None, 14),
    kw("sslsni", Some("PGSSLSNI"), Some("1"), 14),
    kw("requirepeer", Some("PGREQUIREPEER"), None, 0),
    kw("require_auth", Some("PGREQUIREAUTH"), None, 16),
    kw("ssl_min_protocol_version", Some("PGSSLMINPROTOCOLVERSION"), Some("TLSv1.2"), 13),
    kw("ssl_max_protocol_version", Some("PGSSLMAXPROTOCOLVERSION"), None, 13),
    kw("min_protocol_version", Some("PGMINPROTOCOLVERSION"), None, 18),
    kw("max_protocol_version", Some("PGMAXPROTOCOLVERSION"), None, 18),
    kw("gssencmode", Some("PGGSSENCMODE"), Some("prefer"), 12),
    kw("krbsrvname", Some("PGKRBSRVNAME"), Some("postgres"), 0),
    kw("gsslib", Some("PGGSSLIB"), None, 0),
    kw("gssdelegation", Some("PGGSSDELEGATION"), Some("0"), 16),
    kw("replication", None, None, 0),
    kw("target_session_attrs", Some("PGTARGETSESSIONATTRS"), Some("any"), 0),
    kw("load_balance_hosts", Some("PGLOADBALANCEHOSTS"), Some("disable"), 16),
    kw("scram_client_key", None, None, 18),
    kw("scram_server_key", None, None, 18),
    kw("sslkeylogfile", None, None, 18),
    kw("oauth_issuer", None, None, 18),
    kw("oauth_client_id", None, None, 18),
    kw("oauth_client_secret", None, None, 18),
    kw("oauth_scope", None, None, 18),
];

/// The keyword, if libpq of `version` knows it.
pub fn keyword(name: &str, version: u32) -> Option<&'static Keyword> {
    KEYWORDS
        .iter()
        .find(|k| k.name == name && version >= k.since && k.until.is_none_or(|u| version <= u))
}

/// The default of a keyword as `PQconndefaults` gives it, after the environment: libpq's
/// `conninfo_add_defaults` (the env var, then `PGREQUIRESSL=1` for sslmode, then the compiled
/// default, and from 16 on `sslrootcert=system` turning the default sslmode into verify-full).
pub fn default_value(name: &str, version: u32, env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let k = keyword(name, version)?;
    if let Some(var) = k.envvar {
        if let Some(v) = env(var) {
            return Some(v);
        }
    }
    if name == "sslmode" {
        if env("PGREQUIRESSL").is_some_and(|v| v.starts_with('1')) {
            return Some("require".into());
        }
        if version >= 16 && default_value("sslrootcert", version, env).as_deref() == Some("system") {
            return Some("verify-full".into());
        }
    }
    k.default.map(str::to_string)
}

/// A keyword and its value as the string gives them, with where they are (byte offsets into
/// the parsed string). `keyword` is libpq's name after its renames (`requiressl` → `sslmode`,
/// URI `ssl=true` → `sslmode=require`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    pub keyword: String,
    pub value: String,
    /// The key as written (before renames and percent-decoding).
    pub written_key: String,
    pub key_span: Span,
    pub value_span: Span,
}

/// A string libpq refuses, with libpq's message (without its trailing newline) and the bytes
/// it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LibpqError {
    pub span: Span,
    pub message: String,
}

impl LibpqError {
    fn new(span: Span, message: impl Into<String>) -> Self {
        LibpqError { span, message: message.into() }
    }
}

/// The length of a URI prefix libpq recognises (`uri_prefix_length`), or 0.
pub fn uri_prefix_length(s: &str) -> usize {
    if s.starts_with("postgresql://") {
        "postgresql://".len()
    } else if s.starts_with("postgres://") {
        "postgres://".len()
    } else {
        0
    }
}

/// `PQconninfoParse` of libpq `version`: a URI or a keyword/value string. The string ends at
/// its first NUL byte, as it does for libpq's C string.
pub fn parse(s: &str, version: u32) -> Result<Vec<Param>, LibpqError> {
    parse_with(s, version, false)
}

/// [`parse`], optionally keeping keywords libpq does not know instead of refusing them: the
/// Go drivers (pgx, lib/pq) read libpq's grammar but pass unknown keywords to the server as
/// run-time parameters.
pub fn parse_with(s: &str, version: u32, keep_unknown: bool) -> Result<Vec<Param>, LibpqError> {
    let s = match s.find('\0') {
        Some(nul) => &s[..nul],
        None => s,
    };
    let v = Grammar { version, keep_unknown };
    if uri_prefix_length(s) > 0 {
        parse_uri(s, v)
    } else {
        parse_keyword_value(s, v)
    }
}

/// Which libpq a string is read as.
#[derive(Clone, Copy, Debug)]
pub struct Grammar {
    pub version: u32,
    pub keep_unknown: bool,
}

impl Grammar {
    fn knows(&self, name: &str) -> bool {
        self.keep_unknown || keyword(name, self.version).is_some()
    }
}

/// C `isspace` in the C locale.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `conninfo_parse`: `key = value` pairs separated by whitespace; values may be single-quoted;
/// a backslash escapes the next byte inside and outside quotes.
pub fn parse_keyword_value(s: &str, version: Grammar) -> Result<Vec<Param>, LibpqError> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut params = Vec::new();
    while i < b.len() {
        if is_space(b[i]) {
            i += 1;
            continue;
        }
        let name_start = i;
        let mut name_end;
        loop {
            name_end = i;
            if i >= b.len() || b[i] == b'=' {
                break;
            }
            if is_space(b[i]) {
                i += 1;
                while i < b.len() && is_space(b[i]) {
                    i += 1;
                }
                break;
            }
            i += 1;
        }
        let name = &b[name_start..name_end];
        if i >= b.len() || b[i] != b'=' {
            return Err(LibpqError::new(
                Span::new(name_start, name_end),
                format!("missing \"=\" after \"{}\" in connection info string", lossy(name)),
            ));
        }
        i += 1;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        let value_start = i;
        let mut value = Vec::new();
        if i >= b.len() || b[i] != b'\'' {
            while i < b.len() {
                if is_space(b[i]) {
                    break;
                }
                if b[i] == b'\\' {
                    i += 1;
                    if i < b.len() {
                        value.push(b[i]);
                        i += 1;
                    }
                } else {
                    value.push(b[i]);
                    i += 1;
                }
            }
            let value_end = i;
            if i < b.len() {
                i += 1; // the terminating space
            }
            store(&mut params, name, Span::new(name_start, name_end), value, Span::new(value_start, value_end), version)?;
        } else {
            i += 1;
            loop {
                if i >= b.len() {
                    return Err(LibpqError::new(
                        Span::new(value_start, b.len()),
                        "unterminated quoted string in connection info string",
                    ));
                }
                if b[i] == b'\\' {
                    i += 1;
                    if i < b.len() {
                        value.push(b[i]);
                        i += 1;
                    }
                    continue;
                }
                if b[i] == b'\'' {
                    i += 1;
                    break;
                }
                value.push(b[i]);
                i += 1;
            }
            store(&mut params, name, Span::new(name_start, name_end), value, Span::new(value_start, i), version)?;
        }
    }
    Ok(params)
}

/// `conninfo_storeval` for keyword/value strings: the `requiressl` rename, then the table.
fn store(
    params: &mut Vec<Param>,
    name: &[u8],
    key_span: Span,
    value: Vec<u8>,
    value_span: Span,
    version: Grammar,
) -> Result<(), LibpqError> {
    let written = lossy(name);
    let (name, value) = rename_requiressl(&written, lossy(&value));
    if !version.knows(&name) {
        return Err(LibpqError::new(key_span, format!("invalid connection option \"{written}\"")));
    }
    params.push(Param { keyword: name, value, written_key: written, key_span, value_span });
    Ok(())
}

/// `requiressl=1` is `sslmode=require`, any other value `sslmode=prefer` (libpq's backward
/// compatibility in `conninfo_storeval`).
fn rename_requiressl(keyword: &str, value: String) -> (String, String) {
    if keyword == "requiressl" {
        let mode = if value.starts_with('1') { "require" } else { "prefer" };
        ("sslmode".into(), mode.into())
    } else {
        (keyword.to_string(), value)
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `conninfo_uri_decode`: percent-decoding, `%00` forbidden, `+` left alone. From 18 on,
/// spaces around the token are dropped and a space inside it is an error.
pub fn uri_decode(raw: &[u8], span: Span, version: u32) -> Result<Vec<u8>, LibpqError> {
    let shown = lossy(raw);
    let mut out = Vec::with_capacity(raw.len());
    let mut q = 0;
    if version >= 18 {
        while q < raw.len() && raw[q] == b' ' {
            q += 1;
        }
    }
    while q < raw.len() {
        let c = raw[q];
        if c != b'%' {
            if version >= 18 && c == b' ' {
                break;
            }
            out.push(c);
            q += 1;
            continue;
        }
        let hi = raw.get(q + 1).copied().and_then(hex);
        let lo = if hi.is_some() { raw.get(q + 2).copied().and_then(hex) } else { None };
        let (Some(hi), Some(lo)) = (hi, lo) else {
            return Err(LibpqError::new(span, format!("invalid percent-encoded token: \"{shown}\"")));
        };
        let byte = (hi << 4) | lo;
        if byte == 0 {
            return Err(LibpqError::new(span, format!("forbidden value %00 in percent-encoded value: \"{shown}\"")));
        }
        out.push(byte);
        q += 3;
    }
    if version >= 18 {
        while q < raw.len() && raw[q] == b' ' {
            q += 1;
        }
        if q < raw.len() {
            return Err(LibpqError::new(
                span,
                format!("unexpected spaces found in \"{shown}\", use percent-encoded spaces (%20) instead"),
            ));
        }
    }
    Ok(out)
}

/// `conninfo_storeval` with `uri_decode`: the keyword is checked first, then the value decoded.
fn store_uri_part(
    params: &mut Vec<Param>,
    keyword: &str,
    raw: &[u8],
    span: Span,
    version: Grammar,
) -> Result<(), LibpqError> {
    let value = lossy(&uri_decode(raw, span, version.version)?);
    params.push(Param {
        keyword: keyword.to_string(),
        value,
        written_key: keyword.to_string(),
        key_span: Span::at(span.start),
        value_span: span,
    });
    Ok(())
}

/// `conninfo_uri_parse_options`:
/// `postgresql://[user[:password]@][host][:port][,...][/dbname][?param1=value1&...]`.
pub fn parse_uri(s: &str, version: Grammar) -> Result<Vec<Param>, LibpqError> {
    let b = s.as_bytes();
    let whole = Span::new(0, b.len());
    let mut params = Vec::new();
    let start = uri_prefix_length(s);
    let at = |i: usize| -> u8 { b.get(i).copied().unwrap_or(0) };
    let mut p = start;
    while at(p) != 0 && at(p) != b'@' && at(p) != b'/' {
        p += 1;
    }
    if at(p) == b'@' {
        let user = start;
        p = user;
        while at(p) != b':' && at(p) != b'@' {
            p += 1;
        }
        let user_end = p;
        if user_end > user {
            store_uri_part(&mut params, "user", &b[user..user_end], Span::new(user, user_end), version)?;
        }
        if at(p) == b':' {
            let password = p + 1;
            while at(p) != b'@' {
                p += 1;
            }
            if p > password {
                store_uri_part(&mut params, "password", &b[password..p], Span::new(password, p), version)?;
            }
        }
        p += 1;
    } else {
        p = start;
    }

    let mut hosts: Vec<u8> = Vec::new();
    let mut ports: Vec<u8> = Vec::new();
    let hosts_start = p;
    let mut prevchar;
    loop {
        let host_start;
        let host_end;
        if at(p) == b'[' {
            p += 1;
            host_start = p;
            while at(p) != 0 && at(p) != b']' {
                p += 1;
            }
            if at(p) == 0 {
                return Err(LibpqError::new(
                    Span::new(host_start - 1, b.len()),
                    format!("end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"{s}\""),
                ));
            }
            if p == host_start {
                return Err(LibpqError::new(
                    Span::new(host_start - 1, p + 1),
                    format!("IPv6 host address may not be empty in URI: \"{s}\""),
                ));
            }
            host_end = p;
            p += 1;
            let c = at(p);
            if c != 0 && c != b':' && c != b'/' && c != b'?' && c != b',' {
                let ch = s[p..].chars().next().unwrap_or('?');
                // libpq prints the single byte with %c; for ASCII that is the character.
                let shown = if ch.is_ascii() { ch.to_string() } else { lossy(&[c]) };
                return Err(LibpqError::new(
                    Span::new(p, p + ch.len_utf8()),
                    format!(
                        "unexpected character \"{shown}\" at position {} in URI (expected \":\" or \"/\"): \"{s}\"",
                        p + 1
                    ),
                ));
            }
        } else {
            host_start = p;
            while at(p) != 0 && !matches!(at(p), b':' | b'/' | b'?' | b',') {
                p += 1;
            }
            host_end = p;
        }
        prevchar = at(p);
        hosts.extend_from_slice(&b[host_start..host_end]);
        if prevchar == b':' {
            p += 1;
            let port_start = p;
            while at(p) != 0 && !matches!(at(p), b'/' | b'?' | b',') {
                p += 1;
            }
            prevchar = at(p);
            ports.extend_from_slice(&b[port_start..p]);
        }
        if prevchar != b',' {
            break;
        }
        p += 1;
        hosts.push(b',');
        ports.push(b',');
    }
    let netloc = Span::new(hosts_start, p.min(b.len()));
    if !hosts.is_empty() {
        store_uri_part(&mut params, "host", &hosts, netloc, version)?;
    }
    if !ports.is_empty() {
        store_uri_part(&mut params, "port", &ports, netloc, version)?;
    }
    if prevchar != 0 && prevchar != b'?' {
        p += 1;
        let dbname = p;
        while at(p) != 0 && at(p) != b'?' {
            p += 1;
        }
        prevchar = at(p);
        if p > dbname {
            store_uri_part(&mut params, "dbname", &b[dbname..p], Span::new(dbname, p), version)?;
        }
    }
    if prevchar != 0 {
        p += 1;
        parse_uri_params(b, p, version, &mut params)?;
    }
    let _ = whole;
    Ok(params)
}

/// `conninfo_uri_parse_params`: `key=value` pairs separated by `&`.
fn parse_uri_params(b: &[u8], mut p: usize, version: Grammar, params: &mut Vec<Param>) -> Result<(), LibpqError> {
    while p < b.len() {
        let key_start = p;
        let mut eq: Option<usize> = None;
        loop {
            let c = b.get(p).copied().unwrap_or(0);
            if c == b'=' {
                if let Some(eq) = eq {
                    return Err(LibpqError::new(
                        Span::new(key_start, p + 1),
                        format!("extra key/value separator \"=\" in URI query parameter: \"{}\"", lossy(&b[key_start..eq])),
                    ));
                }
                eq = Some(p);
                p += 1;
            } else if c == b'&' || c == 0 {
                let end = p;
                if c != 0 {
                    p += 1;
                }
                let Some(eq) = eq else {
                    return Err(LibpqError::new(
                        Span::new(key_start, end),
                        format!("missing key/value separator \"=\" in URI query parameter: \"{}\"", lossy(&b[key_start..end])),
                    ));
                };
                let key_span = Span::new(key_start, eq);
                let value_span = Span::new(eq + 1, end);
                let key = lossy(&uri_decode(&b[key_start..eq], key_span, version.version)?);
                let value = lossy(&uri_decode(&b[eq + 1..end], value_span, version.version)?);
                let (keyword_name, value) = if key == "ssl" && value == "true" {
                    ("sslmode".to_string(), "require".to_string())
                } else {
                    rename_requiressl(&key, value)
                };
                if !version.knows(&keyword_name) {
                    return Err(LibpqError::new(key_span, format!("invalid URI query parameter: \"{key}\"")));
                }
                params.push(Param { keyword: keyword_name, value, written_key: key, key_span, value_span });
                break;
            } else {
                p += 1;
            }
        }
    }
    Ok(())
}

/// The options as `PQconninfoParse` returns them: one value a keyword (the last one given
/// wins), in table order.
pub fn options(params: &[Param], version: u32) -> Vec<(&'static str, String)> {
    KEYWORDS
        .iter()
        .filter(|k| keyword(k.name, version).is_some())
        .filter_map(|k| params.iter().rev().find(|p| p.keyword == k.name).map(|p| (k.name, p.value.clone())))
        .collect()
}

/// The line libpq's uri-regress test program prints for a string: the options whose value
/// differs from `PQconndefaults()` as `key='value' `, then `(inet)` or `(local)`; or
/// `uri-regress: <message>` for a refused string. `env` stands in for the process environment.
pub fn regress_line(s: &str, version: u32, env: &dyn Fn(&str) -> Option<String>) -> String {
    match parse(s, version) {
        Err(e) => format!("uri-regress: {}", e.message),
        Ok(params) => {
            let mut line = String::new();
            let mut local = true;
            for (name, value) in options(&params, version) {
                let default = match name {
                    // PQconndefaults fills in the operating-system user; the vectors never use it.
                    "user" => env("PGUSER"),
                    _ => default_value(name, version, env),
                };
                if default.as_deref() != Some(value.as_str()) {
                    line.push_str(&format!("{name}='{value}' "));
                }
                if !value.is_empty() && (name == "hostaddr" || (name == "host" && !value.starts_with('/'))) {
                    local = false;
                }
            }
            line.push_str(if local { "(local)" } else { "(inet)" });
            line
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(s: &str) -> Vec<(String, String)> {
        parse(s, 15).unwrap().into_iter().map(|p| (p.keyword, p.value)).collect()
    }

    #[test]
    fn keyword_value_quoting_and_escapes() {
        assert_eq!(kv("host=a port = 5 "), vec![("host".into(), "a".into()), ("port".into(), "5".into())]);
        assert_eq!(kv(r"password='it\'s' dbname=a\ b"), vec![
            ("password".into(), "it's".into()),
            ("dbname".into(), "a b".into())
        ]);
        assert_eq!(kv("host='x'port=1"), vec![("host".into(), "x".into()), ("port".into(), "1".into())]);
        assert_eq!(kv("requiressl=1"), vec![("sslmode".into(), "require".into())]);
    }

    #[test]
    fn keyword_value_errors_carry_libpq_messages() {
        let e = parse("host='x", 15).unwrap_err();
        assert_eq!(e.message, "unterminated quoted string in connection info string");
        assert_eq!(e.span, Span::new(5, 7));
        let e = parse("host x", 15).unwrap_err();
        assert_eq!(e.message, "missing \"=\" after \"host\" in connection info string");
        let e = parse("hots=x", 15).unwrap_err();
        assert_eq!(e.message, "invalid connection option \"hots\"");
        assert!(parse("sslnegotiation=direct", 16).is_err());
        assert!(parse("sslnegotiation=direct", 17).is_ok());
    }

    #[test]
    fn uri_multiple_hosts_keep_libpq_lists() {
        let p = parse("postgresql://a:1,[::1],b:3/db?ssl=true", 15).unwrap();
        let got: Vec<_> = p.iter().map(|p| (p.keyword.as_str(), p.value.as_str())).collect();
        assert_eq!(got, vec![("host", "a,::1,b"), ("port", "1,,3"), ("dbname", "db"), ("sslmode", "require")]);
    }

    #[test]
    fn pg18_trims_spaces_in_query_parameters() {
        assert!(parse("postgresql://h? sslmode = require", 17).is_err());
        assert!(parse("postgresql://h? sslmode = require", 18).is_ok());
    }
}
