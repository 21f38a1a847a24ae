//! CONN011: a Unix-socket host, where sslmode is ignored.

use super::push_once;
use crate::conn::Origin;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONN011",
    title: "Unix-socket host: sslmode is ignored there",
    severity: Severity::Info,
    item: None,
    docs_url: "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-HOST",
    help: "Connections over a Unix-domain socket never use TLS, whatever sslmode says: fine on the same machine, wrong if the intent was an encrypted network connection.",
    doc: crate::rule_doc!(r#"
Finds a client whose host is a Unix-domain socket directory (`host=/var/run/postgresql`, a URI
with an empty or percent-encoded absolute host, `@abstract` sockets) or that names no host at
all (libpq then uses the default socket directory).

**Why it matters.** libpq never attempts SSL or GSS encryption over a Unix socket
(`init_allowed_encryption_methods`): `sslmode=require` or `verify-full` connects in plaintext
without complaint. That is harmless for a local socket, which the kernel protects, but when a
string meant for a remote server lost its host (an unset `PGHOST`, an empty URI host) the TLS
the sslmode asks for silently never happens.

**Example.** `postgresql:///app?sslmode=verify-full`

**Fix.** Nothing if the client is meant to connect locally (consider `sslmode=disable` to
make that explicit); otherwise give the server's host name.

**References.** PostgreSQL documentation §34.1.2 (`host`) and §34.19.1;
`src/interfaces/libpq/fe-connect.c` (`init_allowed_encryption_methods`).
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for c in cx.model.clients.clients.iter().filter(|c| !c.refused && c.any_unix_socket()) {
        let mode = c.get("sslmode");
        let given = mode.is_some_and(|v| v.origin != Origin::DriverDefault);
        let host = c.value("host").filter(|h| !h.is_empty()).unwrap_or("the default socket directory");
        let message = if given {
            format!("{}: {host} is a Unix-domain socket, where sslmode={} is ignored: the connection is not encrypted.", c.name, c.sslmode_text())
        } else {
            format!("{}: {host} is a Unix-domain socket: no TLS is used there.", c.name)
        };
        let loc = c.get("host").and_then(|v| v.location).unwrap_or(c.location);
        push_once(out, Diagnostic::new(&META, loc, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::test_support::run;

    #[test]
    fn socket_hosts_and_missing_hosts_are_noted() {
        let d = run(check, "host=/var/run/postgresql sslmode=require\npostgresql:///app?sslmode=verify-full\npostgres://%2Ftmp/app\n");
        assert_eq!(d.len(), 3);
        assert!(d[0].message.contains("sslmode=require is ignored"));
    }

    #[test]
    fn network_hosts_pass() {
        assert!(run(check, "host=db sslmode=require\njdbc:postgresql:app\n").is_empty());
    }
}
