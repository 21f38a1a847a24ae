//! The share link: the whole state in the URL fragment, which browsers never send to a server.
//!
//! Format (documented in docs/url-format.md): `#conf=B&hba=B&conn=B&pem=B&host=NAME`, where each
//! `B` is base64url without padding of the input's UTF-8 text. Keys may repeat; unknown keys are
//! ignored. A value may carry the input's file name before a `~` (`pem=server.crt~B`), so that
//! references such as `ssl_cert_file = 'server.crt'` still find their file. Private key blocks are
//! never written into a link.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use pgtls_audit::generate::{Driver, Platform};
use pgtls_audit::InputKind;

use crate::document::default_name;
use crate::generate_form::{split_list, FormEdit, GenerateForm};

/// An input as a link carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedInput {
    pub name: String,
    pub kind: InputKind,
    pub bytes: Vec<u8>,
}

/// Which of the page's views is shown: the audit, or the generator of a hardened set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Audit,
    Generate,
}

impl View {
    /// The `view=` pair a link carries; the audit, the default, needs none.
    pub fn fragment_pair(self) -> Option<&'static str> {
        match self {
            View::Audit => None,
            View::Generate => Some("view=generate"),
        }
    }
}

/// Everything a fragment says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedState {
    pub inputs: Vec<SharedInput>,
    pub host: Option<String>,
    pub pg_version: Option<u32>,
    /// `embed=1`: the compact read-only view for iframes.
    pub embed: bool,
    /// `example=ID`: load a gallery example (before any inputs the link also carries).
    pub example: Option<String>,
    /// `view=generate`: open the generator instead of the audit.
    pub view: Option<View>,
    /// `gen-pg`, `gen-hosts`, `gen-ips`, `gen-drivers`, `gen-platform`: the generator's form, as
    /// edits applied after the view opens.
    pub generate: Vec<FormEdit>,
    /// Values that could not be decoded, as `key` names, to tell the user.
    pub rejected: Vec<String>,
}

impl SharedState {
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty() && self.example.is_none()
    }
}

/// The fragment key of a kind.
pub fn key_of(kind: InputKind) -> &'static str {
    match kind {
        InputKind::PostgresqlConf => "conf",
        InputKind::PostgresqlAutoConf => "auto",
        InputKind::PgHba => "hba",
        InputKind::PgIdent => "ident",
        InputKind::Conninfo => "conn",
        InputKind::Environment => "env",
        InputKind::ServiceFile => "service",
        InputKind::Pgbouncer => "pgbouncer",
        InputKind::Pem => "pem",
        InputKind::Der => "der",
        InputKind::ErrorMessage => "error",
        InputKind::Platform => "platform",
        InputKind::Live => "live",
        InputKind::Unknown => "text",
    }
}

fn kind_of(key: &str) -> Option<InputKind> {
    InputKind::ALL.into_iter().find(|k| key_of(*k) == key).or_else(|| InputKind::parse(key))
}

/// Parses a fragment (with or without its leading `#`). Never fails: what cannot be read is
/// listed in `rejected` and the rest is kept.
pub fn decode(fragment: &str) -> SharedState {
    let mut state = SharedState::default();
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    for pair in fragment.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "host" => state.host = Some(percent_decode(value)).filter(|h| !h.is_empty()),
            "pg" => match value.parse::<u32>() {
                Ok(v) if pgtls_audit::options::KNOWN_PG_VERSIONS.contains(&v) => state.pg_version = Some(v),
                _ => state.rejected.push(key.to_string()),
            },
            "embed" => state.embed = matches!(value, "1" | "true" | "yes" | ""),
            "example" => state.example = Some(percent_decode(value)),
            // Views this page does not have are ignored, as unknown keys are.
            "view" => match value {
                "generate" => state.view = Some(View::Generate),
                "audit" => state.view = Some(View::Audit),
                _ => {}
            },
            "gen-pg" => match value.parse::<u32>() {
                Ok(v) if pgtls_audit::options::KNOWN_PG_VERSIONS.contains(&v) => state.generate.push(FormEdit::PgVersion(v)),
                _ => state.rejected.push(key.to_string()),
            },
            "gen-hosts" => state.generate.push(FormEdit::Hosts(percent_decode(value))),
            "gen-ips" => state.generate.push(FormEdit::Ips(percent_decode(value))),
            "gen-drivers" => {
                let named = percent_decode(value);
                let drivers: Option<Vec<Driver>> = split_list(&named).iter().map(|d| Driver::parse(d)).collect();
                match drivers {
                    Some(drivers) => state
                        .generate
                        .extend(Driver::ALL.into_iter().map(|d| FormEdit::Driver(d, drivers.contains(&d)))),
                    None => state.rejected.push(key.to_string()),
                }
            }
            "gen-platform" => match Platform::parse(&percent_decode(value)) {
                Some(platform) => state.generate.push(FormEdit::Platform(platform)),
                None => state.rejected.push(key.to_string()),
            },
            _ => {
                let Some(kind) = kind_of(key) else { continue };
                let (name, payload) = match value.split_once('~') {
                    Some((name, payload)) => (percent_decode(name), payload),
                    None => (String::new(), value),
                };
                match URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')) {
                    Ok(bytes) => {
                        let name = if name.is_empty() { default_name(kind).to_string() } else { name };
                        state.inputs.push(SharedInput { name, kind, bytes });
                    }
                    Err(_) => state.rejected.push(key.to_string()),
                }
            }
        }
    }
    state
}

/// The longest fragment the page offers as a link, in bytes. Browsers accept longer addresses
/// (Chromium up to 2 MB), but a link of that size is no way to share a set of files.
pub const LINK_LIMIT: usize = 256 * 1024;

/// The longest fragment the page keeps in its address bar as the user types. Setting the
/// address costs Chromium about half a millisecond a kilobyte (`cargo run -p pgtls-e2e
/// --example page_bench`: 80 ms for the 147 KB of the realistic set, 700 ms for the large
/// one), all of it on the page's thread, so larger inputs are shared with the link only.
pub const ADDRESS_BAR_LIMIT: usize = 32 * 1024;

/// What was left out of a link, to say so in the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Omissions {
    /// Private key blocks removed from the inputs' text.
    pub private_keys: usize,
    /// Binary inputs (DER), which may be keys and are never put in a link.
    pub binary_inputs: usize,
}

impl Omissions {
    pub fn any(&self) -> bool {
        self.private_keys > 0 || self.binary_inputs > 0
    }
}

/// An input to encode: its name, kind and text (`None` for binary inputs).
pub struct Outgoing<'a> {
    pub name: &'a str,
    pub kind: InputKind,
    pub text: Option<&'a str>,
}

/// The inputs ready to go into a fragment: private key blocks removed, binary inputs left out,
/// names percent-encoded. Its length is known before the fragment is written, so that inputs too
/// large for a link or the address bar are never base64-encoded only to be thrown away.
pub struct Prepared {
    parts: Vec<Part>,
    pub omitted: Omissions,
}

/// One `key=value` pair of a fragment.
enum Part {
    /// `key=[name~]base64(text)`: an input, its name left out when it is the kind's default.
    Input { key: &'static str, name: Option<String>, text: String },
    Plain(String),
}

impl Part {
    fn len(&self) -> usize {
        match self {
            // base64 without padding: 4 characters per 3 bytes, 2 or 3 for a last 1 or 2.
            Part::Input { key, name, text } => {
                key.len() + 1 + name.as_ref().map_or(0, |n| n.len() + 1) + (text.len() * 4).div_ceil(3)
            }
            Part::Plain(pair) => pair.len(),
        }
    }

    fn write(&self, out: &mut String) {
        match self {
            Part::Input { key, name, text } => {
                out.push_str(key);
                out.push('=');
                if let Some(name) = name {
                    out.push_str(name);
                    out.push('~');
                }
                URL_SAFE_NO_PAD.encode_string(text.as_bytes(), out);
            }
            Part::Plain(pair) => out.push_str(pair),
        }
    }
}

impl Prepared {
    pub fn new<'a>(inputs: impl IntoIterator<Item = Outgoing<'a>>, host: &str, pg_version: Option<u32>) -> Prepared {
        let mut parts = Vec::new();
        let mut omitted = Omissions::default();
        for input in inputs {
            let Some(text) = input.text else {
                omitted.binary_inputs += 1;
                continue;
            };
            let (text, keys) = strip_private_keys(text);
            omitted.private_keys += keys;
            if keys > 0 && text.trim().is_empty() {
                continue;
            }
            let name = (input.name != default_name(input.kind)).then(|| percent_encode(input.name));
            parts.push(Part::Input { key: key_of(input.kind), name, text });
        }
        let host = host.trim();
        if !host.is_empty() {
            parts.push(Part::Plain(format!("host={}", percent_encode(host))));
        }
        if let Some(v) = pg_version {
            parts.push(Part::Plain(format!("pg={v}")));
        }
        Prepared { parts, omitted }
    }

    /// The length of [`Prepared::fragment`], without writing it.
    pub fn len(&self) -> usize {
        self.parts.iter().map(Part::len).sum::<usize>() + self.parts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The fragment (without `#`) of the inputs and settings.
    pub fn fragment(&self) -> String {
        let mut out = String::with_capacity(self.len());
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            part.write(&mut out);
        }
        out
    }

    /// The length of [`Prepared::fragment_with`] for these pairs, without writing it.
    pub fn len_with(&self, pairs: &[String]) -> usize {
        pairs.iter().fold(self.len(), |len, pair| len + usize::from(len > 0) + pair.len())
    }

    /// The fragment with `pairs` after the inputs (the view, [`EMBED_PAIR`]).
    pub fn fragment_with(&self, pairs: &[String]) -> String {
        let mut out = self.fragment();
        append_pairs(&mut out, pairs);
        out
    }
}

/// The pair that ends the embed view's fragment.
pub const EMBED_PAIR: &str = "embed=1";

/// Appends `key=value` pairs to a fragment.
pub fn append_pairs(fragment: &mut String, pairs: &[String]) {
    for pair in pairs {
        if !fragment.is_empty() {
            fragment.push('&');
        }
        fragment.push_str(pair);
    }
}

/// The generator's form as `gen-*` pairs (without a leading `&`): every field, empty ones too,
/// so that the form opens exactly as it was and not from the audit's host name.
pub fn encode_generate_form(form: &GenerateForm) -> String {
    let drivers: Vec<&str> = form.request().drivers.iter().map(|d| d.as_str()).collect();
    format!(
        "gen-pg={}&gen-hosts={}&gen-ips={}&gen-drivers={}&gen-platform={}",
        form.pg_version,
        percent_encode(&form.hosts),
        percent_encode(&form.ips),
        drivers.join(","),
        form.platform.as_str()
    )
}

/// Removes every `-----BEGIN … PRIVATE KEY-----` block (PKCS#8, encrypted PKCS#8, RSA, EC, DSA,
/// OpenSSH) and returns the rest with the number removed. An unterminated block is removed to
/// the end of the text: better to lose a tail than to leak half a key.
pub fn strip_private_keys(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut removed = 0;
    let mut rest = text;
    while let Some(begin) = find_private_key_begin(rest) {
        out.push_str(&rest[..begin]);
        removed += 1;
        let after = &rest[begin..];
        match after.find("-----END ").and_then(|end| {
            let tail = &after[end + 9..];
            tail.find("-----").map(|close| end + 9 + close + 5)
        }) {
            Some(end) => {
                let mut end = end;
                if after[end..].starts_with("\r\n") {
                    end += 2;
                } else if after[end..].starts_with('\n') {
                    end += 1;
                }
                rest = &after[end..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    (out, removed)
}

fn find_private_key_begin(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find("-----BEGIN ") {
        let start = from + at;
        let label_start = start + "-----BEGIN ".len();
        let label_end = text[label_start..].find("-----").map(|e| label_start + e)?;
        if text[label_start..label_end].ends_with("PRIVATE KEY") {
            return Some(start);
        }
        from = label_end;
    }
    None
}

/// Keeps `[A-Za-z0-9._-]`, percent-encodes every other UTF-8 byte (`~` included: it separates a
/// name from its payload).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    /// A fragment of these inputs, for the embed view when `embed`.
    fn encode<'a>(inputs: impl IntoIterator<Item = Outgoing<'a>>, host: &str, pg: Option<u32>, embed: bool) -> (String, Omissions) {
        let prepared = Prepared::new(inputs, host, pg);
        let pairs = if embed { vec![EMBED_PAIR.to_string()] } else { vec![] };
        (prepared.fragment_with(&pairs), prepared.omitted)
    }

    #[test]
    fn a_prepared_fragment_knows_its_length_before_it_is_written() {
        let key = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n";
        let texts = ["", "a", "ab", "abc", "ssl = on\n", "é ü ✓ 🔒\r\n", key, &format!("cert\n{key}tail")];
        let names = [("postgresql.conf", InputKind::PostgresqlConf), ("my file #2&x.conf", InputKind::PostgresqlConf), ("server.crt", InputKind::Pem)];
        for (i, text) in texts.iter().enumerate() {
            for (j, (name, kind)) in names.iter().enumerate() {
                for (host, pg) in [("", None), (" db.example.com ", Some(16)), ("h&st", None)] {
                    let inputs = || {
                        [Outgoing { name, kind: *kind, text: Some(text) }, Outgoing { name: "bin.der", kind: InputKind::Der, text: None }]
                            .into_iter()
                            .take(1 + (i + j) % 2)
                    };
                    let prepared = Prepared::new(inputs(), host, pg);
                    let fragment = prepared.fragment();
                    assert_eq!(prepared.len(), fragment.len(), "{fragment}");
                    assert_eq!(prepared.is_empty(), fragment.is_empty());
                    for pairs in [vec![], vec![EMBED_PAIR.to_string()], vec!["view=generate".to_string(), "gen-pg=17".to_string()]] {
                        assert_eq!(prepared.len_with(&pairs), prepared.fragment_with(&pairs).len(), "{pairs:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn large_inputs_leave_the_address_bar_before_the_link() {
        let encoded = |bytes: usize| {
            let text = "# x\n".repeat(bytes / 4);
            let input = Outgoing { name: "postgresql.conf", kind: InputKind::PostgresqlConf, text: Some(&text) };
            encode([input], "", None, false).0
        };
        // As the fragment sync and the share bar compare them (`fragment_within`, `link_fragments`).
        let small = encoded(16 * 1024);
        assert!(small.len() <= ADDRESS_BAR_LIMIT && small.len() <= LINK_LIMIT);
        let medium = encoded(100 * 1024);
        assert!(medium.len() > ADDRESS_BAR_LIMIT && medium.len() <= LINK_LIMIT, "{}", medium.len());
        let large = encoded(1024 * 1024);
        assert!(large.len() > LINK_LIMIT);
    }

    #[test]
    fn the_documented_plain_form_decodes() {
        let frag = format!("#conf={}&hba={}&pem={}&pem={}&host=db.example.com&colour=blue", b("ssl = on\n"), b("hostssl all all 0.0.0.0/0 scram-sha-256\n"), b("A"), b("B"));
        let s = decode(&frag);
        assert_eq!(s.host.as_deref(), Some("db.example.com"));
        let kinds: Vec<_> = s.inputs.iter().map(|i| (i.kind, i.name.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                (InputKind::PostgresqlConf, "postgresql.conf"),
                (InputKind::PgHba, "pg_hba.conf"),
                (InputKind::Pem, "certificate.pem"),
                (InputKind::Pem, "certificate.pem"),
            ]
        );
        assert_eq!(s.inputs[0].bytes, b"ssl = on\n");
        assert!(s.rejected.is_empty());
        assert!(!s.embed);
        assert_eq!(s.view, None);
    }

    #[test]
    fn the_view_key_selects_the_generator_and_unknown_views_are_ignored() {
        let s = decode("view=generate");
        assert_eq!(s.view, Some(View::Generate));
        assert!(s.is_empty(), "a view alone carries no inputs: the page opens its default example behind it");
        assert_eq!(decode("view=audit").view, Some(View::Audit));
        let s = decode("view=telescope&conf=c3NsID0gb24K");
        assert_eq!((s.view, s.inputs.len(), s.rejected.len()), (None, 1, 0));
        assert_eq!(View::Generate.fragment_pair(), Some("view=generate"));
        assert_eq!(View::Audit.fragment_pair(), None);
    }

    #[test]
    fn round_trip_keeps_names_kinds_text_and_settings() {
        let text = "Οδυσσέας ~ & = # ?\n";
        let (frag, omitted) = encode(
            [
                Outgoing { name: "my conf~1.conf", kind: InputKind::PostgresqlConf, text: Some(text) },
                Outgoing { name: "connections.txt", kind: InputKind::Conninfo, text: Some("host=a") },
            ],
            "db.example.com",
            Some(16),
            true,
        );
        assert!(!omitted.any());
        assert!(frag.contains("conn=aG9zdD1h"), "{frag}");
        let s = decode(&frag);
        assert_eq!(s.inputs[0].name, "my conf~1.conf");
        assert_eq!(String::from_utf8(s.inputs[0].bytes.clone()).unwrap(), text);
        assert_eq!(s.inputs[1].name, "connections.txt");
        assert_eq!((s.host.as_deref(), s.pg_version, s.embed), (Some("db.example.com"), Some(16), true));
    }

    #[test]
    fn private_keys_never_enter_a_link() {
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN RSA PRIVATE KEY-----\nsecret\n-----END RSA PRIVATE KEY-----\n-----BEGIN PRIVATE KEY-----\nsecret2\n-----END PRIVATE KEY-----\n";
        let (frag, omitted) = encode([Outgoing { name: "server.pem", kind: InputKind::Pem, text: Some(pem) }], "", None, false);
        assert_eq!(omitted.private_keys, 2);
        let s = decode(&frag);
        let shared = String::from_utf8(s.inputs[0].bytes.clone()).unwrap();
        assert_eq!(shared, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        assert!(!frag.contains(&b("secret")));
    }

    #[test]
    fn a_key_only_input_and_binary_inputs_are_left_out() {
        let key = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n";
        let (frag, omitted) = encode(
            [
                Outgoing { name: "server.key", kind: InputKind::Pem, text: Some(key) },
                Outgoing { name: "server.der", kind: InputKind::Der, text: None },
            ],
            "",
            None,
            false,
        );
        assert_eq!(frag, "");
        assert_eq!(omitted, Omissions { private_keys: 1, binary_inputs: 1 });
    }

    #[test]
    fn bad_values_are_reported_not_fatal() {
        let s = decode("conf=***&pg=99&hba=aG9zdA&embed=1");
        assert_eq!(s.rejected, vec!["conf", "pg"]);
        assert_eq!(s.inputs.len(), 1);
        assert!(s.embed);
    }

    #[test]
    fn long_kind_names_are_accepted_as_keys() {
        let s = decode(&format!("pg-hba={}&postgresql-conf={}", b("x"), b("y")));
        assert_eq!(s.inputs[0].kind, InputKind::PgHba);
        assert_eq!(s.inputs[1].kind, InputKind::PostgresqlConf);
    }

    #[test]
    fn the_generator_form_round_trips_through_the_link() {
        let mut form = GenerateForm::default();
        form.apply(FormEdit::PgVersion(16));
        form.apply(FormEdit::Hosts("db.example.com, db-2.example.com".into()));
        form.apply(FormEdit::Ips("10.0.0.5 2001:db8::5".into()));
        form.apply(FormEdit::Driver(Driver::Libpq, false));
        form.apply(FormEdit::Driver(Driver::Jdbc, true));
        form.apply(FormEdit::Driver(Driver::Pgx, true));
        form.apply(FormEdit::Platform(Platform::Cnpg));
        let link = format!("view=generate&{}", encode_generate_form(&form));
        let shared = decode(&link);
        assert!(shared.rejected.is_empty(), "{:?}", shared.rejected);
        // Applied to a form that starts elsewhere (the audit's host name, other drivers).
        let mut opened = GenerateForm { hosts: "other.example.com".into(), ..GenerateForm::default() };
        for edit in shared.generate {
            opened.apply(edit);
        }
        assert_eq!(opened.request(), form.request());
        assert_eq!((opened.hosts.as_str(), opened.ips.as_str()), (form.hosts.as_str(), form.ips.as_str()));
    }

    #[test]
    fn an_empty_generator_form_stays_empty_and_bad_values_are_named() {
        let form = GenerateForm { drivers: Vec::new(), ..GenerateForm::default() };
        let mut opened = GenerateForm { hosts: "from-the-audit.example.com".into(), ..GenerateForm::default() };
        for edit in decode(&encode_generate_form(&form)).generate {
            opened.apply(edit);
        }
        assert_eq!((opened.hosts.as_str(), opened.drivers.len()), ("", 0));
        let shared = decode("gen-pg=9&gen-drivers=libpq,cobol&gen-platform=mainframe&gen-hosts=a");
        assert_eq!(shared.rejected, ["gen-pg", "gen-drivers", "gen-platform"]);
        assert_eq!(shared.generate, [FormEdit::Hosts("a".into())]);
    }
}
