//! `pgtls link`: a share link for files, the link the page writes for the same inputs, so that
//! documentation pages can link to a prepared example and CI can point at a report a reader
//! opens in the browser. The link's format is the engine's (`pgtls_audit::link`,
//! docs/url-format.md); nothing is sent anywhere: the inputs travel in the URL's fragment.

use pgtls_audit::link::{self, Outgoing, Prepared, LINK_LIMIT};
use pgtls_audit::source::base_name;
use pgtls_audit::{InputKind, SourceFile};

use crate::input;

#[derive(clap::Args)]
pub struct Args {
    /// Files (postgresql.conf, pg_hba.conf, PEM certificates and CRLs, connection strings, ...);
    /// `-` reads standard input. Kinds are detected as `pgtls audit` detects them.
    pub files: Vec<String>,
    /// Override a file's kind: KIND:FILE (e.g. pg-hba:hba.txt). Repeatable.
    #[arg(long = "kind", value_name = "KIND:FILE")]
    pub kinds: Vec<String>,
    /// A client connection string (libpq, URI, JDBC, ...). Repeatable; the link carries them
    /// as one connections.txt, one a line.
    #[arg(long = "conn", value_name = "STRING")]
    pub conns: Vec<String>,
    /// The host name clients connect to (for verify-full checks of the server certificate).
    #[arg(long)]
    pub host: Option<String>,
    /// Target PostgreSQL major version; the page's default (`pgtls audit`'s too) when absent.
    #[arg(long)]
    pub pg_version: Option<u32>,
    /// Open the page's compact read-only view, for an iframe in a documentation page.
    #[arg(long)]
    pub embed: bool,
    /// Always write the plain form (base64url of each file: readable, editable by hand), not
    /// the compressed one the page chooses for long inputs.
    #[arg(long)]
    pub plain: bool,
    /// The address of the page the link opens, e.g. https://docs.example.com/pgtls/; without it
    /// only the fragment (`#…`) is printed.
    #[arg(long, value_name = "URL")]
    pub base: Option<String>,
}

pub fn run(args: Args) -> u8 {
    match link(&args) {
        Ok(url) => {
            println!("{url}");
            0
        }
        Err(message) => {
            eprintln!("pgtls link: {message}");
            2
        }
    }
}

fn link(args: &Args) -> Result<String, String> {
    if args.files.is_empty() && args.kinds.is_empty() && args.conns.is_empty() {
        return Err("name the files to link (or give --conn strings)".into());
    }
    let base = args.base.as_deref().unwrap_or("");
    if base.contains('#') {
        return Err(format!("--base {base:?} already has a fragment; give the page's address without '#'"));
    }
    let pg_version = args.pg_version.map(input::check_pg_version).transpose()?;
    let mut files = input::gather(&args.files, &args.kinds, &[])?.files;
    if !args.conns.is_empty() {
        let text = args.conns.iter().map(|c| format!("{c}\n")).collect::<String>();
        files.push(SourceFile::from_text(link::default_name(InputKind::Conninfo), InputKind::Conninfo, text));
    }
    for note in notes(&files) {
        eprintln!("pgtls link: {note}");
    }

    let names: Vec<&str> = files.iter().map(link_name).collect();
    let outgoing = files.iter().zip(&names).map(|(file, name)| Outgoing {
        name,
        kind: file.kind,
        text: (file.kind != InputKind::Der).then_some(file.text.as_str()),
    });
    let prepared = Prepared::new(outgoing, args.host.as_deref().unwrap_or(""), pg_version);
    if prepared.omitted.private_keys > 0 {
        eprintln!(
            "pgtls link: left out {} private key(s) (PEM blocks, and manifest values that hold a key): a link never carries a private key",
            prepared.omitted.private_keys
        );
    }
    if prepared.is_empty() {
        return Err("nothing is left to put in the link".into());
    }

    // The whole fragment, `&embed=1` included, stays within a link's limit.
    let tail = if args.embed { vec![link::EMBED_PAIR.to_string()] } else { Vec::new() };
    let fragment = if args.plain {
        let mut plain = prepared.fragment();
        link::append_pairs(&mut plain, &tail);
        Some(plain).filter(|f| f.len() <= LINK_LIMIT)
    } else {
        prepared.encode_followed_by(&[&tail], LINK_LIMIT).and_then(|mut fragments| fragments.pop())
    }
    .ok_or_else(|| {
        format!(
            "the inputs are too large for a link: their plain form is {} KiB, and a link holds at most {} KiB{}",
            prepared.len().div_ceil(1024),
            LINK_LIMIT / 1024,
            if args.plain { " (without --plain the page's compressed form may fit)" } else { " even compressed" }
        )
    })?;
    Ok(format!("{base}#{fragment}"))
}

/// The name an input goes by in the link: its base name, as references in the configuration
/// (`ssl_cert_file = '/etc/ssl/server.crt'`) are matched by base name, and a directory on the
/// author's machine is nobody's business; standard input goes by its kind's default name.
fn link_name(file: &SourceFile) -> &str {
    if file.name == input::STDIN_NAME {
        link::default_name(file.kind)
    } else {
        base_name(&file.name)
    }
}

/// What the reader of the link will see differently from `pgtls audit` on the same files.
fn notes(files: &[SourceFile]) -> Vec<String> {
    let mut notes = Vec::new();
    for (i, file) in files.iter().enumerate() {
        if file.kind == InputKind::Der {
            notes.push(format!(
                "left out {}: binary (DER) inputs are never put in a link; a certificate can be \
                 converted to PEM with `openssl x509 -inform der -in {0} -out {0}.pem`",
                file.name
            ));
        } else if std::str::from_utf8(&file.bytes).is_err() {
            notes.push(format!("{} is not UTF-8 text: its invalid bytes go into the link as U+FFFD", file.name));
        }
        let name = link_name(file);
        if files[..i].iter().any(|earlier| earlier.kind != InputKind::Der && link_name(earlier) == name) && file.kind != InputKind::Der {
            notes.push(format!(
                "{} has the same file name as an earlier input; the page renames it, so a setting that \
                 names it may find the other file",
                file.name
            ));
        }
    }
    notes
}
