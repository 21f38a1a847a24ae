//! pg_hba.conf (and pg_ident.conf): tokenizer, records, first-match simulator, exposure matrix.
//!
//! Reading follows PostgreSQL's `src/backend/libpq/hba.c` for the target major version:
//! [`token`] splits records and fields, [`record`] checks each line as `parse_hba_line` does,
//! [`ident`] reads pg_ident.conf, [`simulate`] runs the first-match scan, and the
//! [`ExposureMatrix`] sums up which lines let which kind of client in.

pub mod ident;
pub mod print;
pub mod record;
pub mod rules;
pub mod simulate;
pub mod token;

use serde::{Deserialize, Serialize};

use crate::checklist::Evidence;
use crate::detect::InputKind;
use crate::options::AuditOptions;
use crate::source::{FileId, Inputs};

pub use record::{read_hba, AuthMethod, ConnType, HbaAddress, HbaEntry, HbaFile, HbaRecord, ReadOptions};
pub use simulate::{simulate, ClientClass, Condition, Connection, Outcome, Source};

#[derive(Debug, Default)]
pub struct HbaModel {
    /// Each given pg_hba.conf that no other given pg_hba.conf includes, read with its includes.
    pub files: Vec<HbaFile>,
    pub idents: Vec<ident::IdentFile>,
    pub pg_version: u32,
    exposure: Option<ExposureMatrix>,
}

/// A kind of client, as the exposure matrix groups them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientKind {
    /// Any IPv4 address outside 127.0.0.0/8.
    RemoteIpv4,
    /// Any IPv6 address other than ::1.
    RemoteIpv6,
    /// 127.0.0.1 or ::1.
    Loopback,
    UnixSocket,
}

impl ClientKind {
    pub const ALL: [ClientKind; 4] = [ClientKind::RemoteIpv4, ClientKind::RemoteIpv6, ClientKind::Loopback, ClientKind::UnixSocket];

    pub fn class(self) -> ClientClass {
        match self {
            ClientKind::RemoteIpv4 => ClientClass::RemoteIpv4,
            ClientKind::RemoteIpv6 => ClientClass::RemoteIpv6,
            ClientKind::Loopback => ClientClass::Loopback,
            ClientKind::UnixSocket => ClientClass::UnixSocket,
        }
    }
}

/// For each kind of client (remote IPv4/IPv6, loopback, Unix socket) with and without SSL,
/// which lines can accept and with which methods. "Without SSL" means a plain connection
/// (neither SSL nor GSSAPI encryption).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposureMatrix {
    /// The pg_hba.conf the matrix is for.
    pub file: String,
    pub cells: Vec<ExposureCell>,
    /// Includes or `@file` references that were not given: lines the matrix cannot show.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposureCell {
    pub client: ClientKind,
    pub ssl: bool,
    /// False for SSL over a Unix socket, which PostgreSQL does not offer.
    pub applicable: bool,
    /// The lines that can accept such a client, in file order (reject lines and lines that
    /// earlier lines wholly take are left out).
    pub lines: Vec<ExposureLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposureLine {
    pub file: String,
    pub line: usize,
    pub text: String,
    pub method: String,
    pub databases: Vec<String>,
    pub users: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Whether it accepts only under a condition the file cannot show (host names, samenet,
    /// role membership, a file that was not given).
    pub conditional: bool,
}

impl ExposureMatrix {
    pub fn cell(&self, client: ClientKind, ssl: bool) -> Option<&ExposureCell> {
        self.cells.iter().find(|c| c.client == client && c.ssl == ssl)
    }
}

impl HbaModel {
    pub fn build(inputs: &Inputs, options: &AuditOptions) -> Self {
        let v = options.pg_version;
        let read = ReadOptions::new(v);
        let all: Vec<HbaFile> = inputs.of_kind(InputKind::PgHba).map(|(id, _)| read_hba(inputs, id, read)).collect();
        let referenced: Vec<FileId> = all.iter().flat_map(|f| f.referenced.iter().copied()).collect();
        let files: Vec<HbaFile> = all.into_iter().filter(|f| !referenced.contains(&f.root)).collect();
        let idents = inputs.of_kind(InputKind::PgIdent).map(|(id, _)| ident::read_ident(inputs, id, v)).collect();
        let exposure = files.first().map(|f| exposure_matrix(inputs, f));
        HbaModel { files, idents, pg_version: v, exposure }
    }

    pub fn is_present(&self) -> bool {
        !self.files.is_empty()
    }

    pub fn exposure(&self) -> Option<ExposureMatrix> {
        self.exposure.clone()
    }

    pub fn evidence(&self, evidence: &mut Evidence) {
        if self.is_present() {
            evidence.insert(3);
        }
    }

    /// Every valid record of every pg_hba.conf, with its file.
    pub fn records(&self) -> impl Iterator<Item = (&HbaFile, usize, &HbaRecord)> {
        self.files.iter().flat_map(|f| {
            f.entries.iter().enumerate().filter_map(move |(i, e)| match e {
                HbaEntry::Record(r) => Some((f, i, r.as_ref())),
                _ => None,
            })
        })
    }
}

/// A record's text for messages: continuations joined, blanks collapsed, at most 160 bytes
/// (a 10 MB line is cut before any work is done on it).
pub fn short_text(text: &str) -> String {
    let mut cut = text.len().min(400);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &text[..cut];
    let joined = head.replace("\\\r\n", " ").replace("\\\n", " ");
    let mut words = joined.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.len() > 160 || cut < text.len() {
        let mut end = words.len().min(157);
        while !words.is_char_boundary(end) {
            end -= 1;
        }
        words.truncate(end);
        words.push_str("...");
    }
    words
}

/// The line's record fields, as pg_hba_file_rules lists them.
fn token_texts(field: &token::AuthField) -> Vec<String> {
    let mut v: Vec<String> = field.tokens.iter().map(|t| t.text.clone()).collect();
    v.extend(field.unresolved.iter().map(|u| format!("@{}", u.name)));
    v
}

fn exposure_matrix(inputs: &Inputs, file: &HbaFile) -> ExposureMatrix {
    let mut cells = Vec::new();
    for client in ClientKind::ALL {
        for ssl in [false, true] {
            let applicable = !(client == ClientKind::UnixSocket && ssl);
            let mut lines = Vec::new();
            if applicable {
                for (i, r) in exposure_lines(file, client.class(), ssl) {
                    let _ = i;
                    let src = inputs.file(r.file);
                    let cond_addr = simulate::address_in_class(r.address.as_ref(), r.conn_type, client.class()) == Some(true);
                    let conditional = cond_addr
                        || !r.databases.unresolved.is_empty()
                        || !r.users.unresolved.is_empty()
                        || r.users.tokens.iter().any(|t| !t.quoted && t.text.starts_with('+'))
                        || r.databases.tokens.iter().any(|t| t.is_keyword("samerole") || t.is_keyword("samegroup"));
                    lines.push(ExposureLine {
                        file: src.name.clone(),
                        line: r.line_number,
                        text: short_text(src.slice(r.span)),
                        method: r.method.as_str().to_string(),
                        databases: token_texts(&r.databases),
                        users: token_texts(&r.users),
                        address: r.address.as_ref().map(|a| match a.display_netmask() {
                            Some(m) => format!("{} {}", a.display_address(), m),
                            None => a.display_address(),
                        }),
                        conditional,
                    });
                }
            }
            cells.push(ExposureCell { client, ssl, applicable, lines });
        }
    }
    let mut unknown: Vec<String> = file
        .entries
        .iter()
        .filter_map(|e| match e {
            HbaEntry::Unknown { what, .. } => Some(what.clone()),
            _ => None,
        })
        .collect();
    for r in file.records() {
        for u in r.databases.unresolved.iter().chain(&r.users.unresolved) {
            let s = format!("@{}", u.name);
            if !unknown.contains(&s) {
                unknown.push(s);
            }
        }
    }
    ExposureMatrix { file: inputs.file(file.root).name.clone(), cells, unknown }
}

/// The records (with their entry index) that can accept a client of the class with or
/// without SSL: the type and address allow it, the method is not reject, and no earlier
/// line takes every such connection first.
pub fn exposure_lines(file: &HbaFile, class: ClientClass, ssl: bool) -> Vec<(usize, &HbaRecord)> {
    let record = |i: usize| match &file.entries[i] {
        HbaEntry::Record(r) => Some((i, r.as_ref())),
        _ => None,
    };
    let picked = file.memo.exposure(class, ssl, || {
        (0..file.entries.len())
            .filter_map(record)
            .filter(|(_, r)| r.method != AuthMethod::Reject)
            .filter(|(_, r)| reachable(file, r, class, ssl))
            .filter(|(i, _)| simulate::shadowed_by(file, *i, Some((class, ssl))).is_none())
            .map(|(i, _)| i)
            .collect()
    });
    picked.iter().filter_map(|&i| record(i)).collect()
}

/// The earlier line that takes every connection the entry at `index` could get, if any (see
/// [`simulate::shadowed_by`]), remembered for the file.
pub fn shadowing_line(file: &HbaFile, index: usize) -> Option<usize> {
    file.memo.shadowed(file, index)
}

fn reachable(_file: &HbaFile, r: &HbaRecord, class: ClientClass, ssl: bool) -> bool {
    let type_ok = match class {
        ClientClass::UnixSocket => r.conn_type == ConnType::Local && !ssl,
        _ => r.conn_type.accepts_tcp(ssl, false),
    };
    type_ok && simulate::address_in_class(r.address.as_ref(), r.conn_type, class).is_some()
}

/// Recognises pg_hba.conf and pg_ident.conf text by its records or its stock header.
pub fn sniff(text: &str) -> Option<InputKind> {
    if text.contains("# PostgreSQL Client Authentication Configuration File") {
        return Some(InputKind::PgHba);
    }
    if text.contains("# PostgreSQL User Name Maps") {
        return Some(InputKind::PgIdent);
    }
    let (mut records, mut other) = (0usize, 0usize);
    for line in text.lines().take(5000) {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = t.split_whitespace().take(8).collect();
        let is_type = matches!(
            words[0],
            "local" | "host" | "hostssl" | "hostnossl" | "hostgssenc" | "hostnogssenc"
        );
        let has_method = words.iter().skip(3).any(|w| AuthMethod::from_name(w, 99).is_some() || *w == "radius");
        if is_type && words.len() >= 4 && has_method {
            records += 1;
        } else if matches!(words[0], "include" | "include_if_exists" | "include_dir") && words.len() == 2 {
            // Neutral: postgresql.conf has include lines too.
        } else {
            other += 1;
        }
    }
    (records > 0 && records >= other * 2).then_some(InputKind::PgHba)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn model(text: &str) -> (Inputs, HbaModel) {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("pg_hba.conf", InputKind::PgHba, text));
        let m = HbaModel::build(&inputs, &AuditOptions::new(0));
        (inputs, m)
    }

    fn lines(m: &HbaModel, client: ClientKind, ssl: bool) -> Vec<(usize, String)> {
        m.exposure().unwrap().cell(client, ssl).unwrap().lines.iter().map(|l| (l.line, l.method.clone())).collect()
    }

    #[test]
    fn exposure_of_a_hardened_file() {
        let (_, m) = model(
            "local all postgres peer\n\
             host all all 127.0.0.1/32 scram-sha-256\n\
             host all all ::1/128 scram-sha-256\n\
             hostnossl all all 0.0.0.0/0 reject\n\
             hostnossl all all ::/0 reject\n\
             hostssl all all 0.0.0.0/0 scram-sha-256\n\
             hostssl all all ::/0 scram-sha-256 clientcert=verify-full\n",
        );
        assert_eq!(lines(&m, ClientKind::RemoteIpv4, false), vec![]);
        assert_eq!(lines(&m, ClientKind::RemoteIpv6, false), vec![]);
        assert_eq!(lines(&m, ClientKind::RemoteIpv4, true), vec![(6, "scram-sha-256".into())]);
        assert_eq!(lines(&m, ClientKind::RemoteIpv6, true), vec![(7, "scram-sha-256".into())]);
        assert_eq!(lines(&m, ClientKind::Loopback, false), vec![(2, "scram-sha-256".into()), (3, "scram-sha-256".into())]);
        assert_eq!(lines(&m, ClientKind::UnixSocket, false), vec![(1, "peer".into())]);
        let json = serde_json::to_value(m.exposure().unwrap()).unwrap();
        assert_eq!(json["cells"][0]["client"], "remote-ipv4");
    }

    #[test]
    fn exposure_hides_shadowed_lines() {
        let (_, m) = model("host all all 10.0.0.0/8 md5\nhost all all 10.1.0.0/16 trust\nhost all all samenet password\n");
        assert_eq!(lines(&m, ClientKind::RemoteIpv4, false), vec![(1, "md5".into()), (3, "password".into())]);
        assert!(m.exposure().unwrap().cell(ClientKind::RemoteIpv4, false).unwrap().lines[1].conditional);
    }

    #[test]
    fn sniffs_records_and_headers() {
        assert_eq!(sniff("# x\nlocal all all peer\nhost all all 10.0.0.0/8 scram-sha-256\n"), Some(InputKind::PgHba));
        assert_eq!(sniff("host=db.example.com port=5432 sslmode=require\n"), None);
        assert_eq!(sniff("ssl = on\nport = 5432\n"), None);
        let sample = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus/pg_hba.conf.sample"));
        if let Ok(sample) = sample {
            assert_eq!(sniff(&sample), Some(InputKind::PgHba));
        }
    }
}
