//! CONN014: a connection string, service file or pgbouncer.ini line that cannot be read.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONN014",
    title: "Unparseable connection string",
    severity: Severity::Error,
    item: None,
    docs_url: "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING",
    help: "The client cannot read these settings and will not connect; nothing else can be judged about them.",
    doc: crate::rule_doc!(r#"
Reports connection strings, service file lines and pgbouncer.ini lines that the client cannot
read, with the position and, where libpq has one, libpq's own message: "unterminated quoted
string in connection info string", "missing "=" after "..." in connection info string",
"invalid connection option", "invalid percent-encoded token", "forbidden value %00 in
percent-encoded value", "end of string reached when looking for matching "]" in IPv6 host
address in URI", "syntax error in service file", and the PostgreSQL 18 "unexpected spaces
found in ..." for URI query parameters. A NUL byte is reported too: libpq stops reading there.

**Why it matters.** The application fails to connect, and the other client rules cannot judge a
string nobody can read.

**Example.** `host=db password='secret`

**Fix.** Correct the string at the position shown: close the quote, escape `'` and `\` with a
backslash inside quoted values, percent-encode reserved characters in URIs (`%40` for `@`,
`%20` for a space).

**References.** PostgreSQL documentation §34.1.1 "Connection Strings";
`src/interfaces/libpq/fe-connect.c` (`conninfo_parse`, `conninfo_uri_parse_options`,
`conninfo_uri_decode`, `parseServiceFile`).
"#),
};

/// Messages quote the offending text, which may be a whole 10 MB line.
const MAX_MESSAGE: usize = 300;

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in &cx.model.clients.errors {
        let mut message = e.message.clone();
        if message.len() > MAX_MESSAGE {
            let mut cut = MAX_MESSAGE;
            while !message.is_char_boundary(cut) {
                cut -= 1;
            }
            message.truncate(cut);
            message.push('…');
        }
        out.push(Diagnostic::new(&META, e.location, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::test_support::{run, run_at};
    use crate::detect::InputKind;

    #[test]
    fn libpq_messages_are_located() {
        let text = "host=db\nhost=db password='secret\npostgresql://h/%zz\n";
        let d = run(check, text);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].message, "unterminated quoted string in connection info string");
        assert_eq!(&text[d[0].location.span.start..d[0].location.span.end], "'secret");
        assert_eq!(d[1].message, "invalid percent-encoded token: \"%zz\"");
    }

    #[test]
    fn huge_lines_nul_bytes_and_binary_never_panic() {
        let long = format!("host='{}\n", "x".repeat(65536));
        assert_eq!(run(check, &long).len(), 1);
        let nul = run(check, "host=db\0 sslmode=disable\n");
        assert!(nul[0].message.contains("NUL byte"));
        let binary = String::from_utf8_lossy(&[0xff, 0xfe, 0x00, 0x13, b'=', 0x80, b'\n']).into_owned();
        let _ = run(check, &binary);
        let big = format!("{}\n", "a".repeat(100_000));
        let d = run(check, &big);
        assert!(d[0].message.len() <= MAX_MESSAGE + 3);
    }

    #[test]
    fn service_file_syntax_errors_use_libpq_wording() {
        let (_, d) = run_at(check, 16, &[("pg_service.conf", InputKind::ServiceFile, "[a]\nhost = db\n")]);
        assert_eq!(d[0].message, "syntax error in service file \"pg_service.conf\", line 2");
    }
}
