//! The examples gallery: named input sets that load in one click. The end-to-end tests audit the
//! same sets natively and compare with the page.

use pgtls_audit::InputKind;

pub struct ExampleFile {
    pub name: &'static str,
    pub kind: InputKind,
    pub text: &'static str,
}

pub struct Example {
    /// Stable identifier (data-example in the page, the tests' handle).
    pub id: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    /// The host name clients connect to.
    pub host: &'static str,
    pub files: &'static [ExampleFile],
}

macro_rules! file {
    ($dir:literal, $name:literal, $kind:expr) => {
        ExampleFile { name: $name, kind: $kind, text: include_str!(concat!("examples/", $dir, "/", $name)) }
    };
}

pub static EXAMPLES: &[Example] = &[
    Example {
        id: "thirty-seconds",
        title: "The 30-second version",
        summary: "ssl = on and nothing else: traffic is encrypted, nobody checks who answers.",
        host: "db.example.com",
        files: &[
            file!("thirty-seconds", "postgresql.conf", InputKind::PostgresqlConf),
            file!("thirty-seconds", "pg_hba.conf", InputKind::PgHba),
            file!("thirty-seconds", "connections.txt", InputKind::Conninfo),
        ],
    },
    Example {
        id: "default-install",
        title: "A default install",
        summary: "What a package leaves behind, with the pg_hba.conf line someone added for the app servers.",
        host: "db.internal.example.com",
        files: &[
            file!("default-install", "postgresql.conf", InputKind::PostgresqlConf),
            file!("default-install", "pg_hba.conf", InputKind::PgHba),
            file!("default-install", "connections.txt", InputKind::Conninfo),
        ],
    },
    Example {
        id: "hardened",
        title: "A hardened set",
        summary: "TLS 1.2+, hostssl only, clients on verify-full, and the certificate chain they trust.",
        host: "localhost",
        files: &[
            file!("hardened", "postgresql.conf", InputKind::PostgresqlConf),
            file!("hardened", "pg_hba.conf", InputKind::PgHba),
            file!("hardened", "connections.txt", InputKind::Conninfo),
            file!("hardened", "server.crt", InputKind::Pem),
            file!("hardened", "root.crt", InputKind::Pem),
        ],
    },
    Example {
        id: "managed-cloud",
        title: "Managed-cloud clients",
        summary: "An RDS parameter group and the clients of RDS, Cloud SQL and Azure: drivers, an environment block, mixed sslmodes.",
        host: "orders.c9akciq32.eu-west-1.rds.amazonaws.com",
        files: &[
            file!("managed-cloud", "rds-parameters.json", InputKind::Platform),
            file!("managed-cloud", "connections.txt", InputKind::Conninfo),
            file!("managed-cloud", "client.env", InputKind::Environment),
        ],
    },
];

/// The set the page opens with when its URL carries no inputs.
pub const DEFAULT_EXAMPLE: &str = "thirty-seconds";

pub fn by_id(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_ids_are_unique_and_the_default_exists() {
        for (i, e) in EXAMPLES.iter().enumerate() {
            assert!(EXAMPLES[..i].iter().all(|o| o.id != e.id), "duplicate example {}", e.id);
            assert!(!e.files.is_empty());
        }
        assert!(by_id(DEFAULT_EXAMPLE).is_some());
    }

    #[test]
    fn no_example_carries_a_private_key() {
        for e in EXAMPLES {
            for f in e.files {
                assert!(!f.text.contains("PRIVATE KEY"), "{}/{}", e.id, f.name);
            }
        }
    }
}
