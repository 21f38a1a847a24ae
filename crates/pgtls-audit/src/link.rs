//! The share link's format (docs/url-format.md): the pairs of a URL fragment that carry
//! inputs and the settings of an audit. The page keeps its state in its fragment (its
//! `share` module reads the page's own keys, such as `example=` and `view=`, around this);
//! `pgtls link` writes the same links from files.
//!
//! Plain form: `conf=B&hba=B&pem=B&host=NAME`, each `B` base64url without padding of the input's
//! UTF-8 text, optionally after the input's file name and a `~`. Compressed form: `z=B`, `B`
//! base64url of raw DEFLATE of the same pairs with their inputs as percent-encoded text. Private
//! keys are never written into a link: neither PEM blocks nor manifest values that hold one.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use miniz_oxide::{MZError, MZFlush, MZStatus};

use crate::platform::KEY_ARMOUR;
use crate::InputKind;

/// An input as a link carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedInput {
    pub name: String,
    pub kind: InputKind,
    pub bytes: Vec<u8>,
}

/// The name an input of `kind` gets when nothing names it (a link without names, a paste); a
/// link leaves out a name that is its kind's default.
pub fn default_name(kind: InputKind) -> &'static str {
    match kind {
        InputKind::PostgresqlConf => "postgresql.conf",
        InputKind::PostgresqlAutoConf => "postgresql.auto.conf",
        InputKind::PgHba => "pg_hba.conf",
        InputKind::PgIdent => "pg_ident.conf",
        InputKind::Conninfo => "connections.txt",
        InputKind::Environment => "client.env",
        InputKind::ServiceFile => "pg_service.conf",
        InputKind::Pgbouncer => "pgbouncer.ini",
        InputKind::Pem => "certificate.pem",
        InputKind::Der => "certificate.der",
        InputKind::ErrorMessage => "error.txt",
        InputKind::Platform => "platform.yaml",
        InputKind::Live => "live-check.txt",
        InputKind::Unknown => "input.txt",
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

pub fn kind_of(key: &str) -> Option<InputKind> {
    InputKind::ALL.into_iter().find(|k| key_of(*k) == key).or_else(|| InputKind::parse(key))
}

/// A fragment's `key=value` pairs; a pair without `=` has an empty value.
pub fn pairs(fragment: &str) -> impl Iterator<Item = (&str, &str)> {
    fragment.split('&').filter(|p| !p.is_empty()).map(|pair| pair.split_once('=').unwrap_or((pair, "")))
}

/// How an input's value is written: base64url in the plain form, percent-encoded text inside
/// the compressed form (base64 would hide the text's repetitions from the compressor).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Values {
    Base64,
    Text,
}

/// An input's value that is not what its form says (not base64url in the plain form).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnreadableValue;

/// The input a pair carries; `None` when `key` names no kind of input.
pub fn read_input(key: &str, value: &str, values: Values) -> Option<Result<SharedInput, UnreadableValue>> {
    let kind = kind_of(key)?;
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
            Err(_) => return Some(Err(UnreadableValue)),
        },
        Values::Text => percent_decode_bytes(payload),
    };
    let name = if name.is_empty() { default_name(kind).to_string() } else { name };
    Some(Ok(SharedInput { name, kind, bytes }))
}

/// The key of the compressed form: `z=B`, where `B` is base64url (no padding) of raw DEFLATE
/// (RFC 1951) of pairs in the plain form whose input values are `[name:]text`, percent-encoded.
pub const COMPRESSED_KEY: &str = "z";

/// The most text a compressed value may inflate to: far above any set a page holds, and low
/// enough that a crafted link (deflate reaches about 1000:1) cannot exhaust the page's memory.
pub const INFLATED_LIMIT: usize = 16 * 1024 * 1024;

/// The inputs and settings of a `z=` value, or why they cannot be read (shown to the user).
pub fn inflate(value: &str) -> Result<String, String> {
    let compressed = URL_SAFE_NO_PAD.decode(value.trim_end_matches('=')).map_err(|_| "not base64url".to_string())?;
    let payload = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, INFLATED_LIMIT).map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => format!("more than {} MiB of text", INFLATED_LIMIT >> 20),
        miniz_oxide::inflate::TINFLStatus::FailedCannotMakeProgress => "its compressed data is cut short".to_string(),
        _ => "its compressed data is damaged".to_string(),
    })?;
    String::from_utf8(payload).map_err(|_| "not UTF-8 text".to_string())
}

/// The longest fragment the page offers as a link, and `pgtls link` writes, in bytes. Browsers
/// accept longer addresses (Chromium up to 2 MB), but a link of that size is no way to share a
/// set of files.
pub const LINK_LIMIT: usize = 256 * 1024;

/// What was left out of a link, to say so.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Omissions {
    /// Private keys removed from the inputs' text: PEM blocks, and manifest values that held one.
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

/// The inputs ready to go into a fragment: private keys removed, binary inputs left out,
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
            let (text, keys) = without_private_keys(input.kind, text);
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

    /// The inputs encoded once ([`Prepared::encode_within`]), followed by each list of pairs
    /// (the embed view's `embed=1`, the page's own keys); `None` unless every fragment is at most
    /// `limit` bytes long.
    pub fn encode_followed_by(&self, tails: &[&[String]], limit: usize) -> Option<Vec<String>> {
        let longest_tail = tails.iter().map(|pairs| pairs.iter().map(|p| p.len() + 1).sum::<usize>()).max().unwrap_or(0);
        let inputs = if self.is_empty() { String::new() } else { self.encode_within(limit.checked_sub(longest_tail)?)? };
        let fragments: Vec<String> = tails
            .iter()
            .map(|pairs| {
                let mut fragment = inputs.clone();
                append_pairs(&mut fragment, pairs);
                fragment
            })
            .collect();
        fragments.iter().all(|f| f.len() <= limit).then_some(fragments)
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

/// The text of an input as a link carries it, and the number of private keys taken out: every
/// key block ([`strip_private_keys`]), and in a manifest every value that holds a key, in PEM or
/// base64 (a Kubernetes Secret's `tls.key`), emptied ([`crate::platform::private_key_values`]).
/// Text of unknown kind is read as a manifest too when it shows a key's armour, plain or in
/// base64 (`LS0tLS1CRUdJTi` is `-----BEGIN`).
pub fn without_private_keys(kind: InputKind, text: &str) -> (String, usize) {
    let manifest = kind == InputKind::Platform
        || kind == InputKind::Unknown && (text.contains(KEY_ARMOUR) || text.contains("LS0tLS1CRUdJTi"));
    let (mut kept, mut removed) = (text.to_string(), 0);
    // Values first (a key in a manifest goes with its whole value), then PEM blocks. Either can
    // leave text that reads differently (a manifest damaged past a key parses further once it
    // is gone; a BEGIN line whose own END was never written meets a later `PRIVATE KEY-----`
    // once the block between them is gone), so the two run again until neither finds
    // anything; every round takes text out, so it ends.
    loop {
        let before = kept.len();
        let values = if manifest { crate::platform::private_key_values(&kept) } else { Vec::new() };
        removed += values.len();
        for (span, with) in values.iter().rev() {
            kept.replace_range(span.start..span.end, with);
        }
        let (stripped, blocks) = strip_private_keys(&kept);
        kept = stripped;
        removed += blocks;
        if values.is_empty() && blocks == 0 {
            break;
        }
        if kept.len() >= before {
            // A round that found a key but took nothing out would repeat forever. Every emptied
            // span is longer than what replaces it, so this guards against a reader that places
            // a value elsewhere than it is (as the YAML reader did with lone carriage returns):
            // the text goes from the line of the first key on, as after an unterminated block.
            let found = crate::platform::private_key_values(&kept).first().map_or(kept.len(), |(span, _)| span.start);
            let cut = kept.find(KEY_ARMOUR).map_or(found, |marker| marker.min(found));
            kept.truncate(kept[..cut].rfind('\n').map_or(0, |i| i + 1));
        }
    }
    (kept, removed)
}

/// Removes every `-----BEGIN … PRIVATE KEY-----` block (PKCS#8, encrypted PKCS#8, RSA, EC, DSA,
/// OpenSSH) and returns the rest with the number removed. An unterminated block (no END line,
/// or a damaged one) is removed to the end of the text: better to lose a tail than to leak half
/// a key.
pub fn strip_private_keys(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut removed = 0;
    let mut rest = text;
    while let Some(begin) = find_private_key_begin(rest) {
        out.push_str(&rest[..begin]);
        removed += 1;
        let after = &rest[begin..];
        // The block ends at its first `-----END …-----` line; an END line that does not close
        // on itself leaves the block unterminated.
        match after.find("-----END ").and_then(|end| {
            let tail = &after[end + 9..];
            let line = &tail[..tail.find('\n').unwrap_or(tail.len())];
            line.find("-----").map(|close| end + 9 + close + 5)
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
        // A BEGIN line is one line (RFC 7468): its label ends on it.
        let line = &text[label_start..text[label_start..].find('\n').map_or(text.len(), |e| label_start + e)];
        match line.find("-----") {
            Some(end) if line[..end].ends_with("PRIVATE KEY") => return Some(start),
            Some(end) => from = label_start + end,
            None => from = label_start,
        }
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
pub fn percent_decode_bytes(s: &str) -> Vec<u8> {
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

    /// Text that deflate shortens only about twofold: hex digits.
    fn hex_text(bytes: usize) -> String {
        let mut rng = fastrand::Rng::with_seed(0x9E37_79B9_7F4A_7C15);
        let mut text = String::with_capacity(bytes + 64);
        while text.len() < bytes {
            text.push_str(&format!("# {:016x}\n", rng.u64(..)));
        }
        text
    }

    /// A postgresql.conf as packages ship it: mostly comments, which compress well.
    fn commented_conf() -> String {
        (0..120).map(|i| format!("#setting_{i} = {i}\t\t# what setting {i} does (change requires restart)\n")).collect()
    }

    /// The inputs a fragment carries, read the way the page reads them.
    fn read_back(fragment: &str) -> Vec<(String, InputKind, Vec<u8>)> {
        let mut inputs = Vec::new();
        let mut read = |key: &str, value: &str, values| {
            if let Some(input) = read_input(key, value, values) {
                let input = input.expect("readable");
                inputs.push((input.name, input.kind, input.bytes));
            }
        };
        for (key, value) in pairs(fragment) {
            if key == COMPRESSED_KEY {
                for (key, value) in pairs(&inflate(value).unwrap()) {
                    read(key, value, Values::Text);
                }
            } else {
                read(key, value, Values::Base64);
            }
        }
        inputs
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
    fn compression_stops_at_its_room() {
        let text = commented_conf();
        let input = Outgoing { name: "postgresql.conf", kind: InputKind::PostgresqlConf, text: Some(&text) };
        let prepared = Prepared::new([input], "db.example.com", Some(16));
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
    fn both_forms_carry_names_kinds_and_text() {
        let conf = commented_conf();
        let inputs = || {
            [
                Outgoing { name: "postgresql.conf", kind: InputKind::PostgresqlConf, text: Some(conf.as_str()) },
                Outgoing { name: "server ~&:%.crt", kind: InputKind::Pem, text: Some("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n") },
                Outgoing { name: "client.der", kind: InputKind::Der, text: None },
            ]
        };
        let prepared = Prepared::new(inputs(), "db.example.com", Some(17));
        assert_eq!(prepared.omitted, Omissions { private_keys: 0, binary_inputs: 1 });
        let plain = prepared.fragment();
        let compressed = prepared.encode_within(LINK_LIMIT).unwrap();
        assert!(compressed.starts_with("z=") && compressed.len() < plain.len() / 2, "{} of {}", compressed.len(), plain.len());
        for fragment in [&plain, &compressed] {
            let read = read_back(fragment);
            assert_eq!(read.len(), 2);
            assert_eq!(read[0], ("postgresql.conf".to_string(), InputKind::PostgresqlConf, conf.clone().into_bytes()));
            assert_eq!((read[1].0.as_str(), read[1].1), ("server ~&:%.crt", InputKind::Pem));
        }
        assert!(plain.ends_with("&host=db.example.com&pg=17"), "{plain:.80}");
    }

    #[test]
    fn input_keys_and_their_unreadable_values() {
        assert_eq!(read_input("colour", "blue", Values::Base64), None);
        assert_eq!(read_input("hba", "***", Values::Base64), Some(Err(UnreadableValue)));
        let input = read_input("pg-hba", "bXkuY29uZg~aG9zdA", Values::Base64).unwrap().unwrap();
        assert_eq!((input.name.as_str(), input.kind, input.bytes.as_slice()), ("bXkuY29uZg", InputKind::PgHba, &b"host"[..]));
        let input = read_input("conf", "ssl%20%3D on%0A%zz", Values::Text).unwrap().unwrap();
        assert_eq!((input.name.as_str(), input.bytes.as_slice()), ("postgresql.conf", &b"ssl = on\n%zz"[..]));
        for kind in InputKind::ALL {
            assert_eq!(kind_of(key_of(kind)), Some(kind));
            assert_eq!(kind_of(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn pairs_after_the_inputs_count_against_the_limit() {
        let input = Outgoing { name: "postgresql.conf", kind: InputKind::PostgresqlConf, text: Some("ssl = on\n") };
        let prepared = Prepared::new([input], "", None);
        let (none, embed) = (Vec::new(), vec![EMBED_PAIR.to_string()]);
        let both = prepared.encode_followed_by(&[&none, &embed], usize::MAX).unwrap();
        assert_eq!(both, [prepared.fragment(), format!("{}&embed=1", prepared.fragment())]);
        // The longer fragment decides: one byte short of it, neither is written.
        let longest = both[1].len();
        assert_eq!(prepared.encode_followed_by(&[&none, &embed], longest).unwrap(), both);
        assert_eq!(prepared.encode_followed_by(&[&none, &embed], longest - 1), None);
        assert_eq!(Prepared::new([], "", None).encode_followed_by(&[&embed], 7).unwrap(), ["embed=1"]);
    }

    #[test]
    fn a_key_block_with_a_damaged_end_line_is_removed_to_the_end() {
        let text = "cert\n-----BEGIN PRIVATE KEY-----\nMC4CAQ\n-----END PRIVATE KEYm----\nmore\n-----BEGIN CERTIFICATE-----\n";
        assert_eq!(strip_private_keys(text), ("cert\n".to_string(), 1));
        // A BEGIN line's label ends on its line; removing a block never makes a new one.
        let split = "-----BEGIN X\n-----BEGIN PRIVATE KEY-----\nMC4\n-----END PRIVATE KEY-----\nPRIVATE KEY-----\n";
        assert_eq!(strip_private_keys(split), ("-----BEGIN X\nPRIVATE KEY-----\n".to_string(), 1));
        let joined = "-----BEGIN X-----BEGIN PRIVATE KEY-----\nMC4\n-----END PRIVATE KEY-----\nPRIVATE KEY-----\n";
        assert_eq!(without_private_keys(InputKind::PostgresqlConf, joined), (String::new(), 2));
        let closed = "-----BEGIN RSA PRIVATE KEY-----\nMC4\n-----END RSA PRIVATE KEY-----\r\nafter\n";
        assert_eq!(strip_private_keys(closed), ("after\n".to_string(), 1));
    }

    #[test]
    fn keys_in_manifests_are_left_out_however_they_are_encoded() {
        let key = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49\n-----END EC PRIVATE KEY-----\n";
        let cert = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUJ\n-----END CERTIFICATE-----\n";
        let std64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let secret = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pg-tls\ntype: kubernetes.io/tls\ndata:\n  tls.crt: {}\n  tls.key: {}\n",
            std64(cert),
            std64(key)
        );
        let opaque = format!("{{\"kind\": \"Secret\", \"data\": {{\"server.key\": \"{}\"}}}}", std64(key));
        let inputs = [
            Outgoing { name: "secret.yaml", kind: InputKind::Platform, text: Some(secret.as_str()) },
            Outgoing { name: "opaque.json", kind: InputKind::Unknown, text: Some(opaque.as_str()) },
        ];
        let prepared = Prepared::new(inputs, "", None);
        assert_eq!(prepared.omitted.private_keys, 2);
        let read = read_back(&prepared.encode_within(LINK_LIMIT).unwrap());
        assert_eq!(read.len(), 2);
        assert_eq!(String::from_utf8(read[0].2.clone()).unwrap(), secret.replace(&std64(key), ""));
        assert_eq!(String::from_utf8(read[1].2.clone()).unwrap(), opaque.replace(&std64(key), ""));
        for (_, kind, bytes) in &read {
            assert_eq!(without_private_keys(*kind, &String::from_utf8_lossy(bytes)).1, 0);
        }
        // YAML reads a lone carriage return as a line break; the value that holds the key is
        // found where it is all the same (the fuzzer's case: a document that is one value).
        let after_cr = "\rKQ52 x -BEGIN PRIVATE KEY-----\n    MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n    -----END";
        let (kept, keys) = without_private_keys(InputKind::Unknown, after_cr);
        assert_eq!((kept.as_str(), keys), ("  \"\"", 1));
        // A configuration file is not a manifest: its text is only searched for PEM blocks.
        assert_eq!(without_private_keys(InputKind::PostgresqlConf, &format!("# {}\n", std64(key))).1, 0);
        assert_eq!(without_private_keys(InputKind::PostgresqlConf, key), (String::new(), 1));
    }
}
