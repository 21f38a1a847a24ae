//! Private keys held in a manifest's values: a Kubernetes Secret's `tls.key` (base64 in `data`,
//! PEM in `stringData`), a key pasted into a ConfigMap, a Helm values file or a JSON export. A
//! share link must never carry them, and base64 hides a key from a search for PEM armour, so
//! the values are found in the YAML (or JSON) tree and decoded.

use base64::alphabet;
use base64::engine::general_purpose::GeneralPurpose;
use base64::engine::{DecodePaddingMode, GeneralPurposeConfig};
use base64::Engine;

use super::yaml::{self, Node, Value};
use crate::source::Span;

/// The spans of text to remove so that no value of the manifest holds a private key. Removing
/// them leaves the document valid, each such value empty: a quoted value becomes `""` (the
/// span covers its quotes, the caller writes `""` in its place), a plain or block one is cut
/// to nothing on its line(s), and its key stays.
pub fn private_key_values(text: &str) -> Vec<(Span, &'static str)> {
    let (docs, _) = yaml::load(text);
    let mut found = Vec::new();
    for doc in &docs {
        walk(text, doc, None, &mut found);
    }
    // What the tree does not reach: a manifest that does not parse to its end, a comment.
    found.extend(base64_runs(text));
    found.sort_by_key(|(span, _)| span.start);
    // The two searches find some keys twice: one span for each key, the earlier's replacement.
    let mut merged: Vec<(Span, &'static str)> = Vec::with_capacity(found.len());
    for (span, with) in found {
        match merged.last_mut() {
            Some((last, _)) if span.start < last.end => last.end = last.end.max(span.end),
            _ => merged.push((span, with)),
        }
    }
    merged
}

/// Runs of base64 text of a key's length whose decoding holds a key, each with the lines of
/// base64 alone that continue it (a key wrapped at 64 or 76 columns).
fn base64_runs(text: &str) -> Vec<(Span, &'static str)> {
    let is_base64 = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_');
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_base64(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_base64(bytes[i]) {
            i += 1;
        }
        if i - start < 36 || !holds_private_key(&text[start..i]) {
            continue;
        }
        let mut end = i;
        loop {
            // The line break after the run, `\n` or `\r\n`.
            let newline = if text[end..].starts_with("\r\n") { end + 1 } else { end };
            if bytes.get(newline) != Some(&b'\n') {
                break;
            }
            let next = line_end(text, newline + 1);
            let line = text[newline + 1..next].trim();
            // `---` (a document's start) is made of base64's characters too.
            if !line.bytes().all(is_base64) || !line.bytes().any(|b| b.is_ascii_alphanumeric()) {
                break;
            }
            end = next;
        }
        found.push((Span::new(start, end), ""));
        i = end;
    }
    found
}

/// `parent_line` is the start of the line of the value's key (or of its sequence): a value
/// written over several lines continues while its lines are indented more than that line.
fn walk(text: &str, node: &Node, parent_line: Option<usize>, found: &mut Vec<(Span, &'static str)>) {
    match &node.value {
        Value::Scalar(value) if holds_private_key(value) => found.push(extent(text, node.span, parent_line)),
        Value::Scalar(_) => {}
        Value::Map(entries) => {
            for (key, value) in entries {
                walk(text, value, Some(line_start(text, key.span.start)), found);
            }
        }
        Value::Seq(items) => {
            for item in items {
                walk(text, item, Some(line_start(text, node.span.start)), found);
            }
        }
        Value::Alias => {}
    }
}

/// The end of a private key's BEGIN (and END) line, whatever the key's type: what the searches
/// look for in text and in decoded base64.
pub const KEY_ARMOUR: &str = "PRIVATE KEY-----";

/// A value's text, or its base64 decoding, holds a `-----BEGIN … PRIVATE KEY-----` line.
fn holds_private_key(value: &str) -> bool {
    if value.contains(KEY_ARMOUR) {
        return true;
    }
    let mut compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    // The armour's first line alone is 27 characters of base64 text.
    if compact.len() < 36 {
        return false;
    }
    // A run cut one character past a group cannot decode; the groups before it can.
    if compact.trim_end_matches('=').len() % 4 == 1 {
        compact = compact.trim_end_matches('=').to_string();
        compact.pop();
    }
    // Padded or not, standard or URL-safe: whichever way the value was written.
    const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    [GeneralPurpose::new(&alphabet::STANDARD, LENIENT), GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT)]
        .iter()
        .any(|engine| engine.decode(&compact).is_ok_and(|bytes| String::from_utf8_lossy(&bytes).contains(KEY_ARMOUR)))
}

/// What to remove for the value at `span`, and what to write in its place.
fn extent(text: &str, span: Span, parent_line: Option<usize>) -> (Span, &'static str) {
    if text[span.start..].starts_with(['"', '\'']) {
        return (span, "\"\"");
    }
    // A block value (`|`, `>`) starts on a line of its own: its lines go whole, with their line
    // breaks, leaving the indicator with no content. A plain one goes from its first character.
    let own_line = text[line_start(text, span.start)..span.start].trim().is_empty();
    let start = if own_line { line_start(text, span.start) } else { span.start };
    let Some(parent_line) = parent_line else {
        // A document that is a value alone: all of it, to the next document, replaced by a
        // value that stands on its line whatever the indicator before it (indented, as a block
        // scalar's content must be).
        let end = text[span.start..].find("\n---").map_or(text.len(), |i| span.start + i);
        return (Span::new(start, end), "  \"\"");
    };
    // The first line, then every following line indented more than the key's line (blank lines
    // between them too).
    let parent_indent = indent(&text[parent_line..]);
    let mut end = line_end(text, span.start);
    let mut probe = end;
    while probe < text.len() {
        let next = probe + 1;
        probe = line_end(text, next);
        let line = &text[next..probe];
        if line.trim().is_empty() {
            continue;
        }
        if indent(line) <= parent_indent {
            break;
        }
        end = probe;
    }
    if own_line && end < text.len() {
        end += 1;
    }
    (Span::new(start, end), "")
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n";
    const CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUJ\n-----END CERTIFICATE-----\n";

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    fn remove(text: &str) -> String {
        let mut out = text.to_string();
        for (span, with) in private_key_values(text).into_iter().rev() {
            out.replace_range(span.start..span.end, with);
        }
        out
    }

    /// The manifest without its keys loads, keeps every other value, and holds no key.
    fn check(text: &str, keys: usize) -> String {
        assert_eq!(private_key_values(text).len(), keys, "{text}");
        let out = remove(text);
        let (docs, error) = yaml::load(&out);
        assert!(error.is_none(), "{error:?} in\n{out}");
        assert!(private_key_values(&out).is_empty(), "{out}");
        let (before, _) = yaml::load(text);
        assert_eq!(docs.len(), before.len(), "{text}\n=>\n{out}");
        out
    }

    #[test]
    fn a_tls_secret_loses_its_key_and_keeps_its_certificates() {
        let text = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pg-tls\ntype: kubernetes.io/tls\ndata:\n  tls.crt: {}\n  tls.key: {}\n  ca.crt: {}\n",
            b64(CERT),
            b64(KEY),
            b64(CERT)
        );
        let out = check(&text, 1);
        assert_eq!(out, text.replace(&b64(KEY), ""));
        let (docs, _) = yaml::load(&out);
        assert_eq!(docs[0].path(&["data", "tls.key"]).and_then(Node::as_str), Some(""));
        assert_eq!(docs[0].path(&["data", "ca.crt"]).and_then(Node::as_str), Some(b64(CERT).as_str()));
    }

    #[test]
    fn block_folded_quoted_and_json_values() {
        let wrapped: String = b64(KEY).as_bytes().chunks(40).map(|c| format!("    {}\n", std::str::from_utf8(c).unwrap())).collect();
        let pem_block: String = KEY.lines().map(|l| format!("    {l}\n")).collect();
        let cases = [
            format!("data:\n  tls.key: |\n{wrapped}  tls.crt: {}\n", b64(CERT)),
            format!("data:\n  tls.key: >-\n{wrapped}---\nkind: Secret\n"),
            format!("data:\n  tls.key: {}\n{}  ca.crt: x\n", &b64(KEY)[..40], wrapped.lines().skip(1).map(|l| format!("{l}\n")).collect::<String>()),
            format!("stringData:\n  tls.key: |\n{pem_block}\n  # a comment\n  tls.crt: |\n    {}\n", CERT.replace('\n', "\n    ")),
            format!("{{\"data\": {{\"tls.key\": \"{}\", \"tls.crt\": \"{}\"}}}}", b64(KEY), b64(CERT)),
            format!("stringData:\n  tls.key: \"{}\"\n  user: app\n", KEY.replace('\n', "\\n")),
            format!("items:\n- kind: Secret\n  data:\n    key.pem: '{}'\n- {}\n", b64(KEY), b64(KEY)),
        ];
        // Each as written, and with CRLF line breaks.
        for text in cases.iter().flat_map(|t| [t.clone(), t.replace('\n', "\r\n")]) {
            let keys = if text.starts_with("items") { 2 } else { 1 };
            let out = check(&text, keys);
            assert!(out.contains("tls.crt") || out.contains("kind") || out.contains("ca.crt") || out.contains("user") || out.contains("items"), "{out}");
        }
        // A document that is the key alone, before another document.
        let out = check(&format!("--- |\n{wrapped}---\nkind: Secret\n"), 1);
        assert!(out.ends_with("\n---\nkind: Secret\n"), "{out}");
        // Base64url, and padding left out, hide nothing either.
        let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{KEY}?>?>"));
        check(&format!("key: {url}\n"), 1);
    }

    #[test]
    fn keys_the_tree_does_not_reach_are_found_in_the_text() {
        let wrapped: String = b64(KEY).as_bytes().chunks(40).map(|c| format!("    {}\n", std::str::from_utf8(c).unwrap())).collect();
        // A manifest broken before its key (a tab where YAML wants spaces), the same with CRLF
        // line breaks, and a commented key.
        let broken = format!("data:\n\t bad: [\n  tls.key: |\n{wrapped}  tls.crt: x\n");
        for text in [broken.clone(), broken.replace('\n', "\r\n"), format!("a: 1\n# old key: {}\n", b64(KEY))] {
            assert!(yaml::load(&text).1.is_some() || text.contains('#'));
            let out = remove(&text);
            assert!(!out.contains(&b64(KEY)[..40]) && !out.contains(&b64(KEY)[40..80]), "{out}");
            assert!(private_key_values(&out).is_empty(), "{out}");
        }
    }

    #[test]
    fn certificates_paths_and_short_values_are_kept() {
        let text = format!(
            "data:\n  tls.crt: {}\n  ssl_key_file: /etc/ssl/private/server.key\n  note: a PRIVATE KEY is kept elsewhere\n  empty: \"\"\n",
            b64(CERT)
        );
        assert_eq!(private_key_values(&text), []);
        for garbage in ["", "{{{{", "a: 'unterminated", "- - - -\n  : :", "key: |\n", "\u{0}"] {
            assert!(private_key_values(garbage).is_empty());
        }
    }
}
