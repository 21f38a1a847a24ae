//! The share link: the whole state in the URL fragment, which browsers never send to a server.
//!
//! Format (documented in docs/url-format.md): `#conf=B&hba=B&conn=B&pem=B&host=NAME`, where each
//! `B` is base64url without padding of the input's UTF-8 text. Keys may repeat; unknown keys are
//! ignored. A value may carry the input's file name before a `~` (`pem=server.crt~B`), so that
//! references such as `ssl_cert_file = 'server.crt'` still find their file. Longer fragments are
//! written compressed, `#z=B` (raw DEFLATE of the same pairs with their inputs as text), which
//! the page reads beside the plain form. Private key blocks are never written into a link.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use miniz_oxide::{MZError, MZFlush, MZStatus};
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

    /// What the page says about values it could not read.
    pub fn rejection_notice(&self) -> Option<String> {
        (!self.rejected.is_empty())
            .then(|| format!("Some values of the link could not be read and were skipped: {}.", self.rejected.join(", ")))
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
    for (key, value) in pairs(fragment) {
        if key != COMPRESSED_KEY {
            read_pair(&mut state, key, value, Values::Base64);
            continue;
        }
        match inflate(value) {
            // Its pairs count where `z` stands; a `z` inside it is not read again.
            Ok(payload) => {
                for (key, value) in pairs(&payload).filter(|(key, _)| *key != COMPRESSED_KEY) {
                    read_pair(&mut state, key, value, Values::Text);
                }
            }
            Err(why) => state.rejected.push(format!("{COMPRESSED_KEY} ({why})")),
        }
    }
    state
}

/// A fragment's `key=value` pairs; a pair without `=` has an empty value.
fn pairs(fragment: &str) -> impl Iterator<Item = (&str, &str)> {
    fragment.split('&').filter(|p| !p.is_empty()).map(|pair| pair.split_once('=').unwrap_or((pair, "")))
}

/// How an input's value is written: base64url in the plain form, percent-encoded text inside
/// the compressed form (base64 would hide the text's repetitions from the compressor).
#[derive(Clone, Copy)]
enum Values {
    Base64,
    Text,
}

fn read_pair(state: &mut SharedState, key: &str, value: &str, values: Values) {
    match key {
        "host" => state.host = Some(percent_decode(value)).filter(|h| !h.is_empty()),
        "pg" => match value.parse::<u32>() {
            Ok(v) if pgtls_audit::options::KNOWN_PG_VERSIONS.contains(&v) => state.pg_version = Some(v),
            _ => state.rejected.push(key.to_string()),
        },
        "embed" => state.embed = matches!(value, "1" | "true" | "yes" | ""),
        "example" => match crate::examples::by_id(&percent_decode(value)) {
            Some(example) => state.example = Some(example.id.to_string()),
            None => state.rejected.push(key.to_string()),
        },
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
            let Some(kind) = kind_of(key) else { return };
            let separator = match values {
                Values::Base64 => '~',
                Values::Text => ':',
            };
            let (name, payload) = match value.split_once(separator) {
                Some((name, payload)) => (percent_decode(name), payload),
                None => (String::new(), value),
            };
            let bytes = match values {
                Values::Base64 => match URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')) {
                    Ok(bytes) => bytes,
                    Err(_) => return state.rejected.push(key.to_string()),
                },
                Values::Text => percent_decode_bytes(payload),
            };
            let name = if name.is_empty() { default_name(kind).to_string() } else { name };
            state.inputs.push(SharedInput { name, kind, bytes });
        }
    }
}

/// The key of the compressed form: `z=B`, where `B` is base64url (no padding) of raw DEFLATE
/// (RFC 1951) of pairs in the plain form whose input values are `[name:]text`, percent-encoded.
pub const COMPRESSED_KEY: &str = "z";

/// The most text a compressed value may inflate to: far above any set a page holds, and low
/// enough that a crafted link (deflate reaches about 1000:1) cannot exhaust the page's memory.
pub const INFLATED_LIMIT: usize = 16 * 1024 * 1024;

/// The inputs and settings of a `z=` value, or why they cannot be read (shown to the user).
fn inflate(value: &str) -> Result<String, String> {
    let compressed = URL_SAFE_NO_PAD.decode(value.trim_end_matches('=')).map_err(|_| "not base64url".to_string())?;
    let payload = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, INFLATED_LIMIT).map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => format!("more than {} MiB of text", INFLATED_LIMIT >> 20),
        miniz_oxide::inflate::TINFLStatus::FailedCannotMakeProgress => "its compressed data is cut short".to_string(),
        _ => "its compressed data is damaged".to_string(),
    })?;
    String::from_utf8(payload).map_err(|_| "not UTF-8 text".to_string())
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

    /// The pair as the compressed form's payload holds it: `key=[name:]text`, the text
    /// percent-encoded only where it would end its value (`&`) or split name from text (`:`),
    /// and `%` itself. The separator is `:` rather than the plain form's `~` because the usual
    /// encoders (`encodeURIComponent`, Python's `quote`) leave `~` alone and always escape `:`.
    fn write_payload(&self, out: &mut BoundedDeflate) {
        match self {
            Part::Input { key, name, text } => {
                out.push(key.as_bytes());
                out.push(b"=");
                if let Some(name) = name {
                    out.push(name.as_bytes());
                    out.push(b":");
                }
                for piece in text.as_bytes().split_inclusive(|b| matches!(b, b'&' | b':' | b'%')) {
                    match piece.split_last() {
                        Some((&last @ (b'&' | b':' | b'%'), before)) => {
                            out.push(before);
                            out.push(format!("%{last:02X}").as_bytes());
                        }
                        _ => out.push(piece),
                    }
                }
            }
            Part::Plain(pair) => out.push(pair.as_bytes()),
        }
    }
}

/// Fragments up to this long stay in the plain form.
pub const PLAIN_FORM_UP_TO: usize = 1024;

/// The longest plain fragment the page compresses: four times a link's limit, a ratio that
/// configuration text reaches and certificates (base64 already) do not.
pub const COMPRESSED_FROM_UP_TO: usize = 4 * LINK_LIMIT;

/// Raw DEFLATE into at most `limit` bytes, giving up (and skipping the rest of its input) once
/// the output passes it. Written on miniz_oxide's streaming core, as no crate offers a bounded
/// compressor.
struct BoundedDeflate {
    compressor: Box<miniz_oxide::deflate::core::CompressorOxide>,
    out: Vec<u8>,
    limit: usize,
    /// Input gathered into larger pieces before each call to the compressor.
    pending: Vec<u8>,
    overflowed: bool,
}

impl BoundedDeflate {
    const PIECE: usize = 16 * 1024;

    fn new(limit: usize) -> BoundedDeflate {
        // Window bits 0: raw DEFLATE, no zlib header. Level 3: on the benchmarks' realistic set
        // 4 % longer than level 6 and 5 % longer than level 9, in 44 % and 27 % of their time
        // (docs/performance-notes.md); this runs on the page's thread after every change.
        let flags = miniz_oxide::deflate::core::create_comp_flags_from_zip_params(3, 0, 0);
        BoundedDeflate {
            compressor: Box::new(miniz_oxide::deflate::core::CompressorOxide::new(flags)),
            out: Vec::new(),
            limit,
            pending: Vec::with_capacity(Self::PIECE),
            overflowed: false,
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        if self.overflowed {
            return;
        }
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= Self::PIECE {
            self.run(MZFlush::None);
        }
    }

    /// Compresses what is pending; with `Finish`, to the end of the stream.
    fn run(&mut self, flush: MZFlush) {
        let mut input = &self.pending[..];
        let mut chunk = [0u8; 8192];
        loop {
            let result = miniz_oxide::deflate::stream::deflate(&mut self.compressor, input, &mut chunk, flush);
            self.out.extend_from_slice(&chunk[..result.bytes_written]);
            input = &input[result.bytes_consumed..];
            if self.out.len() > self.limit {
                self.overflowed = true;
                return;
            }
            let waiting = flush == MZFlush::None && input.is_empty();
            match result.status {
                Ok(MZStatus::StreamEnd) => break,
                Ok(_) if waiting && result.bytes_written < chunk.len() => break,
                Ok(_) => {}
                // No progress for want of input: the rest comes with the next piece.
                Err(MZError::Buf) if waiting => break,
                // Not produced for a non-empty output before the end of the stream; treated as a
                // failure to fit rather than trusted.
                Err(_) => {
                    self.overflowed = true;
                    return;
                }
            }
        }
        self.pending.clear();
    }

    /// The compressed bytes, or `None` when they pass the limit.
    fn finish(mut self) -> Option<Vec<u8>> {
        if !self.overflowed {
            self.run(MZFlush::Finish);
        }
        (!self.overflowed).then_some(self.out)
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

    /// The inputs and settings in the form a link should carry, at most `room` bytes long: the
    /// plain form while it is short (readable, and editable by hand) or the compressed one is no
    /// shorter, the compressed form otherwise; `None` when neither fits. Compression stops as
    /// soon as its output passes `room`, and is not tried beyond [`COMPRESSED_FROM_UP_TO`], so
    /// that a set too large for a link costs the page's thread little on every change.
    pub fn encode_within(&self, room: usize) -> Option<String> {
        let plain = self.len();
        if plain > PLAIN_FORM_UP_TO && plain <= COMPRESSED_FROM_UP_TO {
            if let Some(compressed) = self.compressed_within(room.min(plain - 1)) {
                return Some(compressed);
            }
        }
        (plain <= room).then(|| self.fragment())
    }

    /// The `z=` pair, when it is at most `room` bytes long.
    fn compressed_within(&self, room: usize) -> Option<String> {
        let prefix = COMPRESSED_KEY.len() + 1;
        // base64 without padding: n bytes take ceil(4n/3) characters.
        let mut deflate = BoundedDeflate::new(room.checked_sub(prefix)?.saturating_mul(3) / 4);
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                deflate.push(b"&");
            }
            part.write_payload(&mut deflate);
        }
        let compressed = deflate.finish()?;
        let mut out = String::with_capacity(prefix + (compressed.len() * 4).div_ceil(3));
        out.push_str(COMPRESSED_KEY);
        out.push('=');
        URL_SAFE_NO_PAD.encode_string(&compressed, &mut out);
        Some(out)
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
    String::from_utf8_lossy(&percent_decode_bytes(s)).into_owned()
}

/// `%XX` sequences as the bytes they stand for; anything else, a stray `%` included, as it is.
fn percent_decode_bytes(s: &str) -> Vec<u8> {
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
    out
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
        let mut fragment = prepared.fragment();
        if embed {
            append_pairs(&mut fragment, &[EMBED_PAIR.to_string()]);
        }
        (fragment, prepared.omitted)
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
                }
            }
        }
    }

    /// Text that deflate shortens only about twofold: hex digits.
    fn hex_text(bytes: usize) -> String {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut text = String::with_capacity(bytes + 64);
        while text.len() < bytes {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            text.push_str(&format!("# {x:016x}\n"));
        }
        text
    }

    #[test]
    fn large_inputs_leave_the_address_bar_before_the_link() {
        let encoded = |bytes: usize, limit: usize| {
            let text = hex_text(bytes);
            let input = Outgoing { name: "postgresql.conf", kind: InputKind::PostgresqlConf, text: Some(&text) };
            Prepared::new([input], "", None).encode_within(limit)
        };
        // As the fragment sync and the share bar ask (`fragment_within`, `link_fragments`).
        assert!(encoded(16 * 1024, ADDRESS_BAR_LIMIT).is_some());
        assert!(encoded(100 * 1024, ADDRESS_BAR_LIMIT).is_none());
        assert!(encoded(100 * 1024, LINK_LIMIT).is_some());
        assert!(encoded(1024 * 1024, LINK_LIMIT).is_none());
    }

    fn example_inputs(example: &crate::examples::Example) -> Prepared {
        let inputs = example.files.iter().map(|f| Outgoing { name: f.name, kind: f.kind, text: Some(f.text) });
        Prepared::new(inputs, example.host, Some(16))
    }

    #[test]
    fn the_compressed_form_carries_what_the_plain_form_does() {
        let mut compressed = 0;
        for example in crate::examples::EXAMPLES {
            let prepared = example_inputs(example);
            let plain = prepared.fragment();
            let link = prepared.encode_within(LINK_LIMIT).unwrap();
            if plain.len() <= PLAIN_FORM_UP_TO {
                assert_eq!(link, plain);
                continue;
            }
            compressed += 1;
            // Certificates are base64 already and shrink little; configuration text to under half.
            let certificates = example.files.iter().any(|f| f.kind == InputKind::Pem);
            let bound = if certificates { plain.len() } else { plain.len() / 2 };
            assert!(link.starts_with("z=") && link.len() < bound, "{}: {} of {} bytes", example.id, link.len(), plain.len());
            let (from_plain, from_link) = (decode(&plain), decode(&link));
            assert!(from_link.rejected.is_empty(), "{:?}", from_link.rejected);
            assert_eq!(from_link, from_plain, "{}", example.id);
            assert_eq!(from_link.inputs.len(), example.files.len());
        }
        assert!(compressed >= 3, "the gallery's longer sets are compressed");
    }

    #[test]
    fn short_fragments_stay_plain() {
        let input = Outgoing { name: "postgresql.conf", kind: InputKind::PostgresqlConf, text: Some("ssl = on\n") };
        let prepared = Prepared::new([input], "db.example.com", None);
        assert_eq!(prepared.encode_within(LINK_LIMIT).unwrap(), format!("conf={}&host=db.example.com", b("ssl = on\n")));
        // Up to the limit, and not when the compressed form would be no shorter.
        let text = hex_text(4096);
        let input = Outgoing { name: "postgresql.conf", kind: InputKind::PostgresqlConf, text: Some(&text[..PLAIN_FORM_UP_TO / 4 * 3 - 4]) };
        let prepared = Prepared::new([input], "", None);
        assert_eq!(prepared.len(), PLAIN_FORM_UP_TO);
        assert!(prepared.encode_within(LINK_LIMIT).unwrap().starts_with("conf="));
        let random: String = (0..3000u32).map(|i| char::from_u32(0x4E00 + (i * 7919) % 20000).unwrap()).collect();
        let input = Outgoing { name: "postgresql.conf", kind: InputKind::PostgresqlConf, text: Some(&random) };
        let prepared = Prepared::new([input], "", None);
        let compressed = prepared.compressed_within(usize::MAX);
        let encoded = prepared.encode_within(LINK_LIMIT).unwrap();
        match compressed {
            Some(z) if z.len() < prepared.len() => assert_eq!(encoded, z),
            _ => assert_eq!(encoded, prepared.fragment()),
        }
    }

    #[test]
    fn text_that_looks_like_the_format_survives_compression() {
        let tricky = "a&b=c~d%e %41 %zz %% %\r\n# ? z=AAAA&conf=eA\u{0}é 🔒 ~%7E&&== ::1/128 x:y %3A\n";
        let text = tricky.repeat(40);
        let inputs = [
            Outgoing { name: "odd ~&%=: name.conf", kind: InputKind::PostgresqlConf, text: Some(&text) },
            Outgoing { name: "pg_hba.conf", kind: InputKind::PgHba, text: Some("") },
            Outgoing { name: "x.pem", kind: InputKind::Pem, text: Some("%") },
        ];
        let prepared = Prepared::new(inputs, "h%st&x", Some(15));
        let link = prepared.encode_within(LINK_LIMIT).unwrap();
        assert!(link.starts_with("z="), "{link}");
        let s = decode(&link);
        assert!(s.rejected.is_empty(), "{:?}", s.rejected);
        let inputs: Vec<_> = s.inputs.iter().map(|i| (i.name.as_str(), i.kind, String::from_utf8(i.bytes.clone()).unwrap())).collect();
        assert_eq!(
            inputs,
            vec![
                ("odd ~&%=: name.conf", InputKind::PostgresqlConf, text.clone()),
                ("pg_hba.conf", InputKind::PgHba, String::new()),
                ("x.pem", InputKind::Pem, "%".to_string()),
            ]
        );
        assert_eq!((s.host.as_deref(), s.pg_version), (Some("h%st&x"), Some(15)));
    }

    fn z(payload: &[u8]) -> String {
        format!("z={}", b_bytes(&miniz_oxide::deflate::compress_to_vec(payload, 6)))
    }

    fn b_bytes(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    #[test]
    fn pairs_beside_the_compressed_part_count_in_link_order() {
        let inner = z(b"conf=ssl = on%0A&host=inner.example.com&z=AAAA&embed=0");
        let s = decode(&format!("hba={}&{inner}&pem={}&embed=1", b("local all all peer\n"), b("C")));
        let kinds: Vec<_> = s.inputs.iter().map(|i| i.kind).collect();
        assert_eq!(kinds, [InputKind::PgHba, InputKind::PostgresqlConf, InputKind::Pem]);
        // Percent-encoded text inside; a `z` inside is not read again; a later pair wins.
        assert_eq!(s.inputs[1].bytes, b"ssl = on\n");
        assert_eq!((s.host.as_deref(), s.embed), (Some("inner.example.com"), true));
        assert!(s.rejected.is_empty(), "{:?}", s.rejected);
    }

    #[test]
    fn damaged_compressed_values_are_named_and_the_rest_kept() {
        let valid = miniz_oxide::deflate::compress_to_vec(b"conf=ssl = on", 6);
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'a'; INFLATED_LIMIT + 1], 9);
        let cases = [
            ("z=***".to_string(), "z (not base64url)"),
            (format!("z={}", b_bytes(&valid[..valid.len() - 2])), "z (its compressed data is cut short)"),
            (format!("z={}", b_bytes(&[0xff; 40])), "z (its compressed data is damaged)"),
            (format!("z={}", b_bytes(&bomb)), "z (more than 16 MiB of text)"),
            (z(&[b'c', b'=', 0xff, 0xfe]), "z (not UTF-8 text)"),
            ("z=".to_string(), "z (its compressed data is cut short)"),
        ];
        for (pair, why) in cases {
            let s = decode(&format!("{pair}&hba={}", b("host")));
            assert_eq!(s.rejected, vec![why.to_string()], "{pair:.60}");
            assert_eq!(s.inputs.len(), 1);
            assert_eq!(s.rejection_notice().unwrap(), format!("Some values of the link could not be read and were skipped: {why}."));
        }
    }

    #[test]
    fn compression_stops_at_its_room() {
        let prepared = example_inputs(crate::examples::by_id("default-install").unwrap());
        let full = prepared.compressed_within(usize::MAX).unwrap();
        assert_eq!(prepared.compressed_within(full.len()).as_ref(), Some(&full));
        assert_eq!(prepared.compressed_within(full.len() - 1), None);
        assert_eq!(prepared.compressed_within(1), None);
        // Whatever the room, the link is the shortest form that fits or nothing.
        for room in [0, 2, 100, full.len() - 1, full.len(), prepared.len() - 1, prepared.len(), usize::MAX] {
            let encoded = prepared.encode_within(room);
            let expected = if room >= full.len() { Some(full.clone()) } else { None };
            assert_eq!(encoded, expected, "room {room}");
        }
    }

    #[test]
    fn an_unknown_example_is_named_not_opened_empty() {
        let s = decode("example=hardened");
        assert_eq!(s.example.as_deref(), Some("hardened"));
        let s = decode("example=nonesuch");
        assert!(s.is_empty());
        assert_eq!(s.rejected, vec!["example"]);
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
