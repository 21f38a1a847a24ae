//! One verify-full connection string per client driver, each in that driver's own syntax.

use serde::{Deserialize, Serialize};

use super::Request;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Driver {
    /// libpq and everything built on it (psql, psycopg, Ruby pg, ...).
    Libpq,
    /// pgjdbc.
    Jdbc,
    /// Npgsql (.NET).
    Npgsql,
    /// Go pgx (and lib/pq, which reads the same URL).
    Pgx,
    /// node-postgres.
    Node,
    /// SQLAlchemy with psycopg 2.
    Sqlalchemy,
}

impl Driver {
    pub const ALL: [Driver; 6] =
        [Driver::Libpq, Driver::Jdbc, Driver::Npgsql, Driver::Pgx, Driver::Node, Driver::Sqlalchemy];

    pub fn as_str(self) -> &'static str {
        match self {
            Driver::Libpq => "libpq",
            Driver::Jdbc => "jdbc",
            Driver::Npgsql => "npgsql",
            Driver::Pgx => "pgx",
            Driver::Node => "node",
            Driver::Sqlalchemy => "sqlalchemy",
        }
    }

    pub fn parse(s: &str) -> Option<Driver> {
        let s = s.to_ascii_lowercase();
        let s = match s.as_str() {
            "psql" | "psycopg" | "psycopg2" => "libpq",
            "pgjdbc" | "java" => "jdbc",
            "dotnet" | ".net" => "npgsql",
            "go" | "lib/pq" | "libpq-go" => "pgx",
            "node-postgres" | "pg" | "nodejs" => "node",
            "python" => "sqlalchemy",
            other => other,
        };
        Driver::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// `host` as it goes inside a URL: IPv6 addresses in brackets.
fn url_host(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// The connection string for one driver. `root` is the path of the root certificate on the
/// client.
pub fn connection_string(req: &Request, driver: Driver, root: &str) -> String {
    let host = req.client_host();
    let (port, db, user) = (req.port, &req.database, &req.user);
    let uh = url_host(host);
    // channel_binding is a libpq 13 keyword: libpq 12 refuses the string with it.
    let binding = req.pg_version >= 13;
    let (cb_kv, cb_q, cb_jdbc, cb_npgsql) = if binding {
        (" channel_binding=require", "&channel_binding=require", "&channelBinding=require", ";Channel Binding=Require")
    } else {
        ("", "", "", "")
    };
    match driver {
        Driver::Libpq => format!(
            "host={host} port={port} dbname={db} user={user} sslmode=verify-full sslrootcert={root}{cb_kv}"
        ),
        // pgjdbc verifies the chain and the host name with sslmode=verify-full and its default
        // LibPQFactory; sslrootcert names the PEM root.
        Driver::Jdbc => format!(
            "jdbc:postgresql://{uh}:{port}/{db}?user={user}&sslmode=verify-full&sslrootcert={root}{cb_jdbc}"
        ),
        Driver::Npgsql => format!(
            "Host={host};Port={port};Database={db};Username={user};SSL Mode=VerifyFull;Root Certificate={root}{cb_npgsql}"
        ),
        Driver::Pgx => format!(
            "postgres://{user}@{uh}:{port}/{db}?sslmode=verify-full&sslrootcert={root}{cb_q}"
        ),
        Driver::Node => format!("postgresql://{user}@{uh}:{port}/{db}?sslmode=verify-full&sslrootcert={root}"),
        Driver::Sqlalchemy => format!(
            "postgresql+psycopg2://{user}@{uh}:{port}/{db}?sslmode=verify-full&sslrootcert={root}{cb_q}"
        ),
    }
}

/// clients.txt: one string a line, each after a comment naming its driver.
pub fn clients_txt(req: &Request, root: &str) -> String {
    let mut out = String::from(
        "# One connection string per driver, each at sslmode=verify-full with its root certificate.\n\
         # The password is not in the strings: give it through the driver's password file or\n\
         # environment (PGPASSWORD, ~/.pgpass, a secret store).\n",
    );
    for driver in &req.drivers {
        out.push_str(&format!("\n# {}\n{}\n", driver.as_str(), connection_string(req, *driver, root)));
    }
    out
}
