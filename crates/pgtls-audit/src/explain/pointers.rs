//! Where in the other inputs a message comes from.
//!
//! Server settings are read from the conf model. pg_hba.conf messages are replayed through the
//! pg_hba area's first-match simulator: the connection the message describes, and the same
//! connection with the other encryption, so the explanation can name the line that would have
//! let it in. A light field split of the file is the fallback when the simulator cannot replay
//! the message (a host name instead of an address, no pg_hba model).

use std::net::IpAddr;

use ipnet::IpNet;

use super::{Explanation, Pointer};
use crate::cipher::{check_ecdh_curve, evaluate, parse_groups, parse_tls13, DEFAULT_SECLEVEL, POSTGRES_DEFAULT_CIPHERS};
use crate::conf::parse_bool;
use crate::detect::InputKind;
use crate::model::Model;
use crate::options::AuditOptions;
use crate::source::{base_name, FileId, Inputs, Location, Span};

fn pointer(inputs: &Inputs, location: Location, note: impl Into<String>) -> Pointer {
    let file = inputs.file(location.file);
    let text = file.line_text_at(location.span.start).to_string();
    let line = file.line_col(location.span.start, crate::source::ColumnUnit::Utf8).line;
    Pointer { location, file: file.name.clone(), line, text, note: note.into() }
}

fn conf_file(inputs: &Inputs) -> Option<FileId> {
    inputs.of_kind(InputKind::PostgresqlConf).next().map(|(id, _)| id)
}

/// A server setting, or (when a postgresql.conf was given but does not set it) its start.
fn setting(inputs: &Inputs, model: &Model, name: &str, note: impl FnOnce(Option<&str>) -> Option<String>) -> Option<Pointer> {
    match model.conf.effective(name) {
        Some(s) => note(Some(&s.value)).map(|n| pointer(inputs, s.location, n)),
        None => {
            let id = conf_file(inputs)?;
            note(None).map(|n| pointer(inputs, Location::new(id, Span::at(0)), n))
        }
    }
}

/// Lines of client inputs (connection strings, environment blocks, service files,
/// pgbouncer.ini) that mention `needle`.
fn client_lines(inputs: &Inputs, needle: &str, note: &str) -> Vec<Pointer> {
    let needle = needle.to_ascii_lowercase();
    let mut out = Vec::new();
    for kind in [InputKind::Conninfo, InputKind::Environment, InputKind::ServiceFile, InputKind::Pgbouncer] {
        for (id, f) in inputs.of_kind(kind) {
            let mut offset = 0;
            for line in f.text.split_inclusive('\n') {
                if line.to_ascii_lowercase().contains(&needle) && !line.trim_start().starts_with('#') {
                    let span = Span::new(offset, offset + line.trim_end().len());
                    out.push(pointer(inputs, Location::new(id, span), note));
                }
                offset += line.len();
            }
        }
    }
    out
}

/// One pg_hba.conf record, split into fields (quotes removed, comments dropped).
struct HbaLine {
    location: Location,
    conn_type: String,
    databases: Vec<String>,
    users: Vec<String>,
    address: Option<String>,
    method: String,
}

fn hba_lines(inputs: &Inputs) -> Vec<HbaLine> {
    let mut out = Vec::new();
    for (id, f) in inputs.of_kind(InputKind::PgHba) {
        let mut offset = 0;
        for line in f.text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let body = line.split('#').next().unwrap_or("");
            let fields: Vec<String> = body.split_whitespace().map(|t| t.trim_matches('"').to_string()).collect();
            if fields.len() < 4 {
                continue;
            }
            let conn_type = fields[0].to_ascii_lowercase();
            let list = |s: &str| s.split(',').map(str::to_string).collect::<Vec<_>>();
            let (address, method_at) = match conn_type.as_str() {
                "local" => (None, 3),
                "host" | "hostssl" | "hostnossl" | "hostgssenc" | "hostnogssenc" => {
                    let addr = fields[3].clone();
                    // An address without a /mask takes the mask from the next field.
                    if !addr.contains('/') && addr.parse::<IpAddr>().is_ok() && fields.len() > 5 {
                        (Some(format!("{addr}/{}", fields[4])), 5)
                    } else {
                        (Some(addr), 4)
                    }
                }
                _ => continue,
            };
            let Some(method) = fields.get(method_at) else { continue };
            let span = Span::new(start, start + line.trim_end().len());
            out.push(HbaLine {
                location: Location::new(id, span),
                conn_type,
                databases: list(&fields[1]),
                users: list(&fields[2]),
                address,
                method: method.to_ascii_lowercase(),
            });
        }
    }
    out
}

/// Whether a pg_hba address field can cover `host` (None: cannot tell, e.g. a host name).
fn address_covers(field: &str, host: &str) -> Option<bool> {
    if field == "all" {
        return Some(true);
    }
    let ip: IpAddr = host.parse().ok()?;
    if let Ok(net) = field.parse::<IpNet>() {
        return Some(net.contains(&ip));
    }
    if let Some((addr, mask)) = field.split_once('/') {
        if let (Ok(addr), Ok(mask)) = (addr.parse::<IpAddr>(), mask.parse::<IpAddr>()) {
            let bits = match mask {
                IpAddr::V4(m) => u32::from(m).count_ones() as u8,
                IpAddr::V6(m) => u128::from(m).count_ones() as u8,
            };
            return IpNet::new(addr, bits).ok().map(|n| n.contains(&ip));
        }
    }
    if field.parse::<IpAddr>().is_ok() {
        return Some(false);
    }
    None
}

fn names_cover(list: &[String], name: &str, same_as: Option<&str>) -> bool {
    list.iter().any(|t| {
        t == "all" || t == name || t.starts_with('+') || t.starts_with('@') || (t == "sameuser" && same_as == Some(name))
    })
}

/// pg_hba lines that could match the host, user and database of a message.
fn hba_candidates<'a>(lines: &'a [HbaLine], e: &Explanation, replication: bool) -> Vec<&'a HbaLine> {
    let host = e.captures.get("host").map(String::as_str).unwrap_or("");
    let user = e.captures.get("user").map(String::as_str).unwrap_or("");
    let database = e.captures.get("database").map(String::as_str).unwrap_or("");
    lines
        .iter()
        .filter(|l| {
            let db_ok = if replication {
                l.databases.iter().any(|d| d == "replication")
            } else {
                names_cover(&l.databases, database, Some(user)) && !l.databases.iter().all(|d| d == "replication")
            };
            let addr_ok = match (&l.address, host) {
                (None, "[local]") => true,
                (None, _) | (Some(_), "[local]") => false,
                (Some(a), h) => address_covers(a, h).unwrap_or(true),
            };
            db_ok && names_cover(&l.users, user, None) && addr_ok
        })
        .collect()
}

fn describe_line(l: &HbaLine) -> String {
    format!("{} line, method {}", l.conn_type, l.method)
}

pub(super) fn find(e: &Explanation, inputs: &Inputs, model: &Model, options: &AuditOptions) -> Vec<Pointer> {
    let mut out = Vec::new();
    let v18 = options.pg_version >= 18;
    match e.id {
        "protocol-version" => {
            for name in ["ssl_min_protocol_version", "ssl_max_protocol_version"] {
                out.extend(setting(inputs, model, name, |v| v.map(|v| format!("the server accepts TLS {} {v}", if name.contains("min") { "from" } else { "up to" }))));
            }
            out.extend(client_lines(inputs, "ssl_max_protocol_version", "the client's TLS maximum"));
            out.extend(client_lines(inputs, "ssl_min_protocol_version", "the client's TLS minimum"));
            out.extend(client_lines(inputs, "sslnegotiation", "direct SSL needs a PostgreSQL 17 or later server"));
        }
        "server-without-ssl" | "hostssl-without-ssl" => {
            out.extend(setting(inputs, model, "ssl", |v| match v.map(parse_bool) {
                Some(Some(true)) => Some("ssl is on here: check that the server was reloaded, and that no pooler or proxy answers instead".into()),
                Some(_) => Some("ssl is off here, so the server answers the SSL request with N".into()),
                None => Some("ssl is not set in this file, so it is off (the default)".into()),
            }));
            if e.id == "hostssl-without-ssl" {
                out.extend(hba_lines(inputs).into_iter().filter(|l| l.conn_type == "hostssl").map(|l| pointer(inputs, l.location, "a hostssl line that cannot match while ssl is off")));
            }
        }
        "no-hba-entry" | "no-hba-entry-replication" | "hba-reject" if simulated(e, inputs, model, options, &mut out) => {
            if matches!(e.captures.get("encryption").map(String::as_str), Some("no encryption" | "SSL off")) {
                out.extend(client_lines(inputs, "sslmode", "the client's sslmode: require or verify-full makes it use SSL"));
            }
        }
        "no-hba-entry" | "no-hba-entry-replication" | "hba-reject" => {
            let lines = hba_lines(inputs);
            let replication = e.id == "no-hba-entry-replication";
            let candidates = hba_candidates(&lines, e, replication);
            let encryption = e.captures.get("encryption").map(String::as_str).unwrap_or("");
            let plain = matches!(encryption, "no encryption" | "SSL off");
            let ssl = matches!(encryption, "SSL encryption" | "SSL on");
            if e.id == "hba-reject" {
                if let Some(l) = candidates.iter().find(|l| l.method == "reject" && (!ssl || l.conn_type != "hostnossl") && (!plain || l.conn_type != "hostssl")) {
                    out.push(pointer(inputs, l.location, "the first reject line that matches this client"));
                }
            } else {
                for l in &candidates {
                    let note = match l.conn_type.as_str() {
                        "hostssl" if plain => format!("matches this client, but only over SSL ({}): the client connected without SSL", describe_line(l)),
                        "hostgssenc" if plain => format!("matches this client, but only with GSSAPI encryption ({})", describe_line(l)),
                        "hostnossl" if ssl => format!("matches this client, but only without SSL ({}): the client connected with SSL", describe_line(l)),
                        _ => continue,
                    };
                    out.push(pointer(inputs, l.location, note));
                }
                if out.is_empty() {
                    if let Some((id, _)) = inputs.of_kind(InputKind::PgHba).next() {
                        out.push(pointer(
                            inputs,
                            Location::new(id, Span::at(0)),
                            "no line in this file covers this client's address, user and database",
                        ));
                    }
                }
            }
            if plain {
                out.extend(client_lines(inputs, "sslmode", "the client's sslmode: require or verify-full makes it use SSL"));
            }
        }
        "root-cert-missing" | "root-cert-unreadable" => {
            let file = e.captures.get("file").map(String::as_str).unwrap_or("");
            for (path, location) in model.clients.root_cert_references() {
                if base_name(path) == base_name(file) {
                    out.push(pointer(inputs, location, format!("names \"{path}\"")));
                }
            }
            if out.is_empty() {
                out.extend(client_lines(inputs, "sslrootcert", "the client's sslrootcert"));
            }
        }
        "certificate-verify-failed" => {
            for (path, location) in model.clients.root_cert_references() {
                out.push(pointer(inputs, location, format!("the client trusts the CA certificates in \"{path}\"")));
            }
            out.extend(setting(inputs, model, "ssl_cert_file", |v| v.map(|v| format!("the server sends \"{v}\": it should hold the leaf and its intermediates"))));
        }
        "hostname-mismatch" => {
            let host = e.captures.get("host").map(String::as_str).unwrap_or("");
            if !host.is_empty() {
                out.extend(client_lines(inputs, host, "the client connects to this host name"));
            }
        }
        "weak-sslmode-system" | "weak-sslmode-direct" => {
            out.extend(client_lines(inputs, "sslmode", "the client's sslmode"));
        }
        "cipher-list" | "handshake-failure" => {
            out.extend(setting(inputs, model, "ssl_ciphers", |v| {
                let value = v.unwrap_or(POSTGRES_DEFAULT_CIPHERS);
                let list = evaluate(value, DEFAULT_SECLEVEL);
                Some(match &list.error {
                    Some(err) => format!("ssl_ciphers '{value}': {}", err.describe(value)),
                    None => format!("ssl_ciphers '{value}' enables {} suites ({} negotiable)", list.suites.len(), list.negotiable().count()),
                })
            }));
            if v18 {
                out.extend(setting(inputs, model, "ssl_tls13_ciphers", |v| {
                    let v = v.filter(|v| !v.is_empty())?;
                    let parsed = parse_tls13(v);
                    Some(if parsed.accepted {
                        format!("ssl_tls13_ciphers names {} TLS 1.3 suites", parsed.tls13_suites().count())
                    } else {
                        "OpenSSL recognises no TLS 1.3 suite in ssl_tls13_ciphers".to_string()
                    })
                }));
            }
        }
        "groups" => {
            let name = if v18 { "ssl_groups" } else { "ssl_ecdh_curve" };
            out.extend(setting(inputs, model, name, |v| {
                let v = v?;
                let verdict = if v18 {
                    parse_groups(v).err().map(|e| e.describe())
                } else {
                    check_ecdh_curve(v).err().map(|_| format!("\"{v}\" is not an OpenSSL curve short name (prime256v1, secp384r1, ...)"))
                };
                Some(verdict.unwrap_or_else(|| format!("{name} = '{v}'")))
            }));
        }
        "server-files" => {
            let file = e.captures.get("file").map(String::as_str).unwrap_or("");
            for name in ["ssl_cert_file", "ssl_key_file", "ssl_ca_file", "ssl_crl_file"] {
                if let Some(s) = model.conf.effective(name) {
                    if !file.is_empty() && base_name(&s.value) == base_name(file) {
                        out.push(pointer(inputs, s.location, format!("{name} names this file")));
                    }
                }
            }
        }
        "no-root-store" | "client-cert-required" | "sslcertmode-require" => {
            out.extend(setting(inputs, model, "ssl_ca_file", |v| {
                Some(match v.filter(|v| !v.is_empty()) {
                    Some(v) => format!("the server verifies client certificates against \"{v}\""),
                    None => "ssl_ca_file is empty, so the server neither asks for nor checks client certificates".into(),
                })
            }));
            let lines = hba_lines(inputs);
            out.extend(lines.iter().filter(|l| l.method == "cert").map(|l| pointer(inputs, l.location, "a line with cert authentication")));
        }
        "channel-binding-unsupported" | "channel-binding-not-used" => {
            let lines = hba_lines(inputs);
            out.extend(
                lines
                    .iter()
                    .filter(|l| matches!(l.method.as_str(), "md5" | "password" | "trust" | "cert"))
                    .map(|l| pointer(inputs, l.location, format!("method {} authenticates without channel binding", l.method))),
            );
            out.extend(client_lines(inputs, "channel_binding", "the client's channel_binding"));
        }
        "certificate-auth-failed" | "password-auth-failed" => {
            let user = e.captures.get("user").cloned().unwrap_or_default();
            let lines = hba_lines(inputs);
            let wanted: &[&str] = if e.id == "password-auth-failed" { &["scram-sha-256", "md5", "password"] } else { &["cert", "trust"] };
            out.extend(
                lines
                    .iter()
                    .filter(|l| wanted.contains(&l.method.as_str()) && names_cover(&l.users, &user, None))
                    .map(|l| pointer(inputs, l.location, format!("a {} line that can match user \"{user}\"", l.method))),
            );
        }
        _ => {}
    }
    out.dedup_by(|a, b| a.location == b.location);
    out
}

/// Replays a pg_hba message through the simulator of the pg_hba area. False when it cannot
/// (no pg_hba model, or a host that is not an address).
fn simulated(e: &Explanation, inputs: &Inputs, model: &Model, options: &AuditOptions, out: &mut Vec<Pointer>) -> bool {
    use crate::hba::{simulate, Connection, HbaEntry, Outcome, Source};
    let host = e.captures.get("host").map(String::as_str).unwrap_or("");
    let source = if host == "[local]" {
        Source::Local
    } else {
        match host.parse::<IpAddr>() {
            Ok(ip) => Source::Ip(ip),
            Err(_) => return false,
        }
    };
    if model.hba.files.is_empty() {
        return false;
    }
    let encryption = e.captures.get("encryption").map(String::as_str).unwrap_or("");
    let ssl = matches!(encryption, "SSL encryption" | "SSL on");
    let gss = encryption == "GSS encryption";
    let replication = e.id == "no-hba-entry-replication" || !e.captures.contains_key("database");
    let cx = |ssl: bool, gss: bool| Connection {
        source,
        database: e.captures.get("database").cloned().unwrap_or_else(|| "replication".into()),
        user: e.captures.get("user").cloned().unwrap_or_default(),
        ssl,
        gss,
        replication,
    };
    fn first_entry(o: &Outcome) -> Option<(usize, Option<&'static str>, bool)> {
        match o {
            Outcome::Match { entry, method } => Some((*entry, Some(method.as_str()), true)),
            Outcome::Depends { entry, .. } => Some((*entry, None, false)),
            Outcome::ImplicitReject => None,
        }
    }
    for file in &model.hba.files {
        let locate = |entry: usize| match file.entries.get(entry) {
            Some(HbaEntry::Record(r)) => Some(r.location()),
            Some(HbaEntry::Unknown { location, .. }) => Some(*location),
            _ => None,
        };
        let actual = simulate(file, &cx(ssl, gss), options.pg_version);
        match first_entry(&actual) {
            Some((entry, Some("reject"), true)) if e.id == "hba-reject" => {
                if let Some(l) = locate(entry) {
                    out.push(pointer(inputs, l, "the first line that matches this connection, and it rejects"));
                }
            }
            Some((entry, method, certain)) if e.id != "hba-reject" => {
                if let Some(l) = locate(entry) {
                    let note = if certain {
                        format!("in this file the connection matches this line (method {}): the server is running with another pg_hba.conf, or was not reloaded", method.unwrap_or("?"))
                    } else {
                        "this line matches the connection only under conditions the file cannot show (role membership, host names)".to_string()
                    };
                    out.push(pointer(inputs, l, note));
                }
            }
            _ => {}
        }
        if e.id != "hba-reject" {
            // The same connection with the other encryption.
            let (other_ssl, label) = if ssl { (false, "without SSL") } else { (true, "over SSL") };
            let other = simulate(file, &cx(other_ssl, false), options.pg_version);
            if let Some((entry, method, certain)) = first_entry(&other) {
                if let Some(l) = locate(entry) {
                    let when = if certain { String::new() } else { " (under conditions the file cannot show)".to_string() };
                    let method = method.map(|m| format!(", method {m}")).unwrap_or_default();
                    let note = if ssl {
                        format!("the same connection {label} would match this line{method}{when}: it is hostnossl or behind one")
                    } else {
                        format!("the same connection {label} would match this line{method}{when}: the client connected without SSL")
                    };
                    out.push(pointer(inputs, l, note));
                }
            } else if out.is_empty() {
                out.push(pointer(
                    inputs,
                    Location::new(file.root, Span::at(0)),
                    "no line in this file lets this client's address, user and database in, with or without SSL",
                ));
            }
        }
    }
    true
}
