//! Recognises the TLS and authentication error messages users meet, and explains them.
//!
//! [`explain`] finds every known message in a pasted text (one message, a psql session, a
//! server log excerpt), pulls out the names in it (host, user, database, file, certificate
//! name), and says what it means, the likely causes, the fix and what differs between
//! versions. Given the other inputs of an audit, it also points at the lines that cause it:
//! the ssl setting, the pg_hba.conf line that would have matched with SSL, the client's
//! sslrootcert, the protocol-version settings.

pub mod catalog;
mod pointers;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex_lite::Regex;
use serde::{Deserialize, Deserializer, Serialize};

pub use catalog::{Entry, Side, CATALOG};

use crate::detect::InputKind;
use crate::model::Model;
use crate::options::AuditOptions;
use crate::source::{FileId, Inputs, Location, Span};

/// A place in the other inputs that bears on the message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pointer {
    pub location: Location,
    /// The file's name, for display.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// The text of that line.
    pub text: String,
    /// Why this line matters for the message.
    pub note: String,
}

/// One recognised message, explained. It reads back from JSON (the page's analysis worker sends
/// it to the page) with its id and title taken from [`CATALOG`] again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The message family's stable id (see [`CATALOG`]).
    #[serde(deserialize_with = "catalog_id")]
    pub id: CatalogText,
    #[serde(deserialize_with = "catalog_title")]
    pub title: CatalogText,
    pub side: Side,
    /// The text recognised, and where it is in the message.
    pub matched: String,
    pub span: Span,
    /// The names the message carries: host, user, database, file, cert_name, mode, ...
    pub captures: BTreeMap<String, String>,
    pub meaning: String,
    pub causes: Vec<String>,
    pub fix: Vec<String>,
    /// How the message differs between versions.
    pub versions: Option<String>,
    /// What the wording itself says about the version that produced it.
    pub version_hint: Option<String>,
    pub pointers: Vec<Pointer>,
}

/// Text of the [`CATALOG`]. An alias, because serde's derive borrows a field written `&str`
/// from the input (tying the whole type to `'de: 'static`) even when it is read by a function.
pub type CatalogText = &'static str;

fn catalog_id<'de, D: Deserializer<'de>>(d: D) -> Result<CatalogText, D::Error> {
    catalog_text(d, "message family", |e| e.id)
}

fn catalog_title<'de, D: Deserializer<'de>>(d: D) -> Result<CatalogText, D::Error> {
    catalog_text(d, "message title", |e| e.title)
}

/// The catalogue's own copy of a text read back, so that it stays `'static`.
fn catalog_text<'de, D: Deserializer<'de>>(d: D, what: &str, field: fn(&Entry) -> CatalogText) -> Result<CatalogText, D::Error> {
    let text = String::deserialize(d)?;
    CATALOG.iter().map(field).find(|known| *known == text).ok_or_else(|| serde::de::Error::custom(format!("unknown {what} `{text}`")))
}

fn compiled() -> &'static [Regex] {
    static RES: OnceLock<Vec<Regex>> = OnceLock::new();
    RES.get_or_init(|| CATALOG.iter().map(|e| Regex::new(e.pattern).expect("catalog patterns are valid")).collect())
}

/// Fills `{name}` placeholders from the captures.
fn fill(text: &str, captures: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_lowercase() || c == '_') && close > 0 => {
                let key = &after[..close];
                out.push_str(captures.get(key).map(String::as_str).unwrap_or("…"));
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Captures derived from the message around the match: the range libpq 14+ adds after a
/// protocol failure, readable forms of optional parts.
fn derive(id: &str, message: &str, captures: &mut BTreeMap<String, String>) {
    match id {
        "hostname-mismatch" => {
            let others = captures.get("others").and_then(|n| n.parse::<u32>().ok()).unwrap_or(0);
            let text = match others {
                0 => String::new(),
                1 => " and 1 other name".to_string(),
                n => format!(" and {n} other names"),
            };
            captures.insert("others_text".into(), text);
        }
        "protocol-version" => {
            static RANGE: OnceLock<Regex> = OnceLock::new();
            let re = RANGE.get_or_init(|| {
                Regex::new(r"does not support any SSL protocol version between (?P<min>\S+) and (?P<max>\S+?)\.?(?:\s|$)").unwrap()
            });
            if let Some(c) = re.captures(message) {
                captures.insert("min".into(), c["min"].to_string());
                captures.insert("max".into(), c["max"].to_string());
            }
        }
        "no-hba-entry" | "no-hba-entry-replication" | "hba-reject" => {
            captures.entry("encryption".into()).or_insert_with(|| "encryption not stated".into());
        }
        _ => {}
    }
}

fn version_hint(id: &str, message: &str, captures: &BTreeMap<String, String>) -> Option<String> {
    let hint = match id {
        "no-hba-entry" | "no-hba-entry-replication" | "hba-reject" => match captures.get("encryption").map(String::as_str) {
            Some("SSL on" | "SSL off") => "\"SSL on/off\": written by a PostgreSQL 12 or 13 server",
            Some("SSL encryption" | "GSS encryption" | "no encryption") => "written by a PostgreSQL 14 or later server",
            _ => return None,
        },
        "root-cert-missing" if message.contains("use the system's trusted roots") => "written by libpq 16 or later",
        "root-cert-missing" if message.contains("Either provide the file or change sslmode") => "written by libpq 15 or older",
        "protocol-version" if captures.contains_key("min") => "the range hint is added by libpq 14 or later",
        "cipher-list" if captures.contains_key("tls") => "written by a PostgreSQL 18 or later server",
        "cipher-list" => "written by a PostgreSQL 17 or older server",
        "groups" if message.contains("ssl_groups") => "written by a PostgreSQL 18 or later server",
        "groups" => "written by a PostgreSQL 17 or older server",
        _ => return None,
    };
    Some(hint.to_string())
}

/// Every known message in `message`, in order, without the audit's other inputs.
pub fn explain_message(message: &str, options: &AuditOptions) -> Vec<Explanation> {
    let inputs = Inputs::new();
    let model = Model::default();
    explain(message, &inputs, &model, options)
}

/// Every known message in `message`, explained; where `inputs` (and the `model` built from
/// them) hold the configuration involved, each explanation points at the lines that cause it.
pub fn explain(message: &str, inputs: &Inputs, model: &Model, options: &AuditOptions) -> Vec<Explanation> {
    let mut found: Vec<Explanation> = Vec::new();
    for (entry, re) in CATALOG.iter().zip(compiled()) {
        for c in re.captures_iter(message) {
            let whole = c.get(0).expect("group 0 always matches");
            let span = Span::new(whole.start(), whole.end());
            // A longer family already covers this text (a replication form, a more precise alert).
            if found.iter().any(|f| f.span.start <= span.start && span.end <= f.span.end) {
                continue;
            }
            let mut captures = BTreeMap::new();
            for name in re.capture_names().flatten() {
                if let Some(m) = c.name(name) {
                    captures.insert(name.to_string(), m.as_str().to_string());
                }
            }
            derive(entry.id, message, &mut captures);
            let mut e = Explanation {
                id: entry.id,
                title: entry.title,
                side: entry.side,
                matched: whole.as_str().to_string(),
                span,
                meaning: fill(entry.meaning, &captures),
                causes: entry.causes.iter().map(|t| fill(t, &captures)).collect(),
                fix: entry.fix.iter().map(|t| fill(t, &captures)).collect(),
                versions: entry.versions.map(|t| fill(t, &captures)),
                version_hint: version_hint(entry.id, message, &captures),
                captures,
                pointers: Vec::new(),
            };
            // The encryption a pg_hba message states rules out half of the causes.
            if entry.id.starts_with("no-hba-entry") {
                match e.captures.get("encryption").map(String::as_str) {
                    Some("no encryption" | "SSL off" | "GSS encryption") => e.causes.retain(|c| !c.contains("connected with SSL")),
                    Some("SSL encryption" | "SSL on") => e.causes.retain(|c| !c.contains("connected without SSL")),
                    _ => {}
                }
            }
            e.pointers = pointers::find(&e, inputs, model, options);
            found.push(e);
        }
    }
    crate::sorting::sort_by_key(&mut found, |e| (e.span.start, std::cmp::Reverse(e.span.end)));
    found
}

/// Explains every input of kind [`InputKind::ErrorMessage`], pointing into the others.
pub fn explain_inputs(inputs: &Inputs, model: &Model, options: &AuditOptions) -> Vec<(FileId, Vec<Explanation>)> {
    inputs
        .of_kind(InputKind::ErrorMessage)
        .map(|(id, f)| (id, explain(&f.text, inputs, model, options)))
        .collect()
}

/// A pasted error message: a short text that holds a known message or starts the way psql,
/// libpq and server logs start theirs.
pub fn sniff(text: &str) -> Option<InputKind> {
    let text = text.trim();
    if text.is_empty() || text.len() > 8_000 || text.lines().count() > 40 {
        return None;
    }
    let prefixed = ["psql: error:", "psql: FATAL:", "FATAL:", "ERROR:", "connection to server at", "could not connect to server"]
        .iter()
        .any(|p| text.starts_with(p));
    if prefixed || compiled().iter().any(|re| re.is_match(text)) {
        Some(InputKind::ErrorMessage)
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
