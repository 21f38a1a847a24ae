//! CERT010: a passphrase-protected server key without a usable ssl_passphrase_command.

use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

use super::SSL_TCP_DOCS;

pub static META: RuleMeta = RuleMeta {
    id: "CERT010",
    title: "Encrypted server key without a reloadable passphrase command",
    severity: Severity::Warning,
    item: Some(5),
    docs_url: SSL_TCP_DOCS,
    help: "A passphrase-protected server key needs ssl_passphrase_command to start unattended, and ssl_passphrase_command_supports_reload = on to be rotated by a reload.",
    doc: crate::rule_doc!(r#"Finds encrypted server private keys (encrypted PKCS#8, or traditional PEM with
`Proc-Type: 4,ENCRYPTED`) when `ssl_passphrase_command` is not set, or is set while
`ssl_passphrase_command_supports_reload` is off.

**Why it matters.** Without a command, the server asks for the passphrase on its terminal at
start, which a service manager cannot answer, and on reload logs
`private key file "…" cannot be reloaded because it requires a passphrase` and keeps the old
certificate, so automated rotation silently stops working. The same happens with a command
that does not support reload.

**Example.** `server.key` starting with `-----BEGIN ENCRYPTED PRIVATE KEY-----` and no
`ssl_passphrase_command` in postgresql.conf.

**Fix.** Either set `ssl_passphrase_command = '/usr/local/bin/pg-key-pass %p'` and
`ssl_passphrase_command_supports_reload = on`, or store the key unencrypted with mode 0600
(`openssl pkey -in server.key -out server.key.plain`) and protect the file instead.

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL" (ssl-tcp) and
the `ssl_passphrase_command` parameter; `src/backend/libpq/be-secure-openssl.c`."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = &cx.model.certs;
    for key in model.keys.iter().filter(|k| k.server_key && k.key.encrypted) {
        let file = model.file_name(key.key.location.file);
        let settings = model.passphrase.clone().unwrap_or_default();
        let (message, fix) = match (&settings.command, settings.supports_reload) {
            (None, _) => (
                format!("the server key in {file} is encrypted ({}) and no ssl_passphrase_command is set: the server cannot start unattended nor reload the key", key.key.format.name()),
                {
                    let mut fix = Fix::new("Set ssl_passphrase_command (and supports_reload), or store the key unencrypted with mode 0600")
                        .snippet("ssl_passphrase_command = '/usr/local/bin/pg-key-pass %p'\nssl_passphrase_command_supports_reload = on");
                    if let Some(conf) = settings.conf_file {
                        let end = cx.inputs.file(conf).end_span();
                        fix = fix.edit(conf, end, "\nssl_passphrase_command = '/usr/local/bin/pg-key-pass %p'\nssl_passphrase_command_supports_reload = on\n");
                    }
                    fix
                },
            ),
            (Some(_), Some((true, _))) => continue,
            (Some((_, loc)), reload) => {
                let mut fix = Fix::new("Turn on ssl_passphrase_command_supports_reload (the command must not need a terminal)");
                fix = match reload {
                    Some((_, at)) => fix.edit(at.file, at.span, "ssl_passphrase_command_supports_reload = on"),
                    None => fix.edit(loc.file, cx.inputs.file(loc.file).end_span(), "\nssl_passphrase_command_supports_reload = on\n"),
                };
                (
                    format!("the server key in {file} is encrypted and ssl_passphrase_command_supports_reload is off: a reload cannot load a renewed key"),
                    fix,
                )
            }
        };
        out.push(Diagnostic::new(&META, key.key.location, message).with_fix(fix.activation(Activation::Reload)));
    }
}

#[cfg(test)]
mod tests {
    use crate::cert::testutil::{audit, ids, Pki};

    #[test]
    fn encrypted_server_keys() {
        let pki = Pki::new("cert010");
        pki.root("ca", "ec:P-256", "sha256");
        pki.issue("server", "ec:P-256", "ca", "sha256", "basicConstraints=CA:FALSE\nsubjectAltName=DNS:db", "", "");
        pki.openssl(&["pkey", "-in", "server.key", "-aes256", "-passout", "pass:secret", "-out", "enc.key"]);
        std::fs::rename(pki.path("enc.key"), pki.path("server.key")).unwrap();
        let a = audit(&pki.inputs(&["server.crt", "server.key", "ca.crt"]), None);
        assert!(ids(&a).contains(&"CERT010"), "{:?}", a.diagnostics);
        // Traditional PEM encryption is recognised as well.
        pki.issue("trad", "rsa:2048", "ca", "sha256", "basicConstraints=CA:FALSE\nsubjectAltName=DNS:db", "", "");
        pki.openssl(&["rsa", "-in", "trad.key", "-traditional", "-aes128", "-passout", "pass:x", "-out", "trad.enc"]);
        std::fs::rename(pki.path("trad.enc"), pki.path("trad.key")).unwrap();
        let a = audit(&pki.inputs(&["trad.crt", "trad.key", "ca.crt"]), None);
        assert!(ids(&a).contains(&"CERT010"), "{:?}", a.diagnostics);
        // A plain key needs nothing.
        pki.issue("plain", "ec:P-256", "ca", "sha256", "basicConstraints=CA:FALSE\nsubjectAltName=DNS:db", "", "");
        assert!(!ids(&audit(&pki.inputs(&["plain.crt", "plain.key", "ca.crt"]), None)).contains(&"CERT010"));
    }
}
