//! The inputs as the page holds them: named, kinded documents the user can edit.

use pgtls_audit::{InputKind, SourceFile};

/// One input the user gave: pasted, dropped, picked, loaded from an example or a link.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Document {
    /// Stable across renames and edits, for component keys and editor references.
    pub id: u32,
    pub name: String,
    pub kind: InputKind,
    pub text: String,
    /// The original bytes when they are not text (DER); the editor is then read-only.
    pub binary: Option<Vec<u8>>,
}

impl Document {
    pub fn text(id: u32, name: impl Into<String>, kind: InputKind, text: impl Into<String>) -> Self {
        Document { id, name: name.into(), kind, text: text.into(), binary: None }
    }

    /// A document from a file's bytes: text when it decodes as UTF-8 (or is not DER), bytes kept
    /// as they are otherwise, so that a DER certificate reaches the engine unchanged.
    pub fn from_bytes(id: u32, name: impl Into<String>, bytes: Vec<u8>) -> Self {
        let name = name.into();
        let kind = pgtls_audit::detect_kind(&name, &bytes);
        match String::from_utf8(bytes) {
            Ok(text) if kind != InputKind::Der => Document { id, name, kind, text, binary: None },
            Ok(text) => Document { id, name, kind, text: String::new(), binary: Some(text.into_bytes()) },
            Err(err) if kind == InputKind::Der || looks_binary(err.as_bytes()) => {
                Document { id, name, kind, text: String::new(), binary: Some(err.into_bytes()) }
            }
            Err(err) => {
                let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
                Document { id, name, kind, text, binary: None }
            }
        }
    }

    pub fn is_binary(&self) -> bool {
        self.binary.is_some()
    }

    pub fn source_file(&self) -> SourceFile {
        match &self.binary {
            Some(bytes) => SourceFile::new(self.name.clone(), self.kind, bytes.clone()),
            None => SourceFile::from_text(self.name.clone(), self.kind, self.text.clone()),
        }
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(512).any(|&b| b == 0)
}

/// A short human label for a kind, for the kind selector.
pub fn kind_label(kind: InputKind) -> &'static str {
    match kind {
        InputKind::PostgresqlConf => "postgresql.conf",
        InputKind::PostgresqlAutoConf => "postgresql.auto.conf",
        InputKind::PgHba => "pg_hba.conf",
        InputKind::PgIdent => "pg_ident.conf",
        InputKind::Conninfo => "Connection strings",
        InputKind::Environment => "Environment (PG* variables)",
        InputKind::ServiceFile => "pg_service.conf",
        InputKind::Pgbouncer => "pgbouncer.ini",
        InputKind::Pem => "PEM (certificates, keys, CRLs)",
        InputKind::Der => "DER (binary certificate)",
        InputKind::ErrorMessage => "Error message",
        InputKind::Platform => "Platform (cloud, Kubernetes, compose)",
        InputKind::Live => "Live check result",
        InputKind::Unknown => "Unknown",
    }
}

/// The name a document of `kind` gets when nothing names it (a share link, a paste).
pub use pgtls_audit::link::default_name;

/// `name`, or `name` with a number before its extension, so that no two documents share a name
/// (fix edits and file references find their file by name).
pub fn unique_name(wanted: &str, taken: &[&str]) -> String {
    if !taken.contains(&wanted) {
        return wanted.to_string();
    }
    let (stem, ext) = match wanted.rfind('.') {
        Some(dot) if dot > 0 => (&wanted[..dot], &wanted[dot..]),
        _ => (wanted, ""),
    };
    (2..)
        .map(|n| format!("{stem}-{n}{ext}"))
        .find(|candidate| !taken.contains(&candidate.as_str()))
        .expect("an unused name exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_number_before_the_extension() {
        assert_eq!(unique_name("pg_hba.conf", &[]), "pg_hba.conf");
        assert_eq!(unique_name("pg_hba.conf", &["pg_hba.conf"]), "pg_hba-2.conf");
        assert_eq!(unique_name("a.pem", &["a.pem", "a-2.pem"]), "a-3.pem");
        assert_eq!(unique_name(".env", &[".env"]), ".env-2");
    }

    #[test]
    fn der_bytes_stay_binary_and_text_stays_text() {
        let der = Document::from_bytes(1, "server.der", vec![0x30, 0x82, 0xff, 0x00]);
        assert!(der.is_binary());
        assert_eq!(der.kind, InputKind::Der);
        let conf = Document::from_bytes(2, "postgresql.conf", b"ssl = on\n".to_vec());
        assert_eq!(conf.text, "ssl = on\n");
        assert_eq!(conf.kind, InputKind::PostgresqlConf);
    }
}
