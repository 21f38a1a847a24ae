//! PEM blocks located in a text: label, RFC 1421 headers, decoded bytes and where they sit.
//!
//! Written by hand rather than with a PEM crate because the audit needs each block's span (to
//! point a finding at it) and must skip the text around blocks (`openssl x509 -text` output).

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use crate::diagnostic::ParseError;
use crate::source::{FileId, Span};

/// One `-----BEGIN LABEL-----` … `-----END LABEL-----` block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PemBlock {
    pub label: String,
    /// From the BEGIN line to the end of the END line.
    pub span: Span,
    /// The BEGIN line alone, where findings about the block point.
    pub begin_span: Span,
    /// RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`) of legacy encrypted keys.
    pub headers: Vec<(String, String)>,
    pub der: Vec<u8>,
}

impl PemBlock {
    /// A traditional (OpenSSL "legacy") PEM key encrypted with a passphrase.
    pub fn is_legacy_encrypted(&self) -> bool {
        self.headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("Proc-Type") && v.contains("ENCRYPTED"))
    }
}

const BEGIN: &str = "-----BEGIN ";
const DASHES: &str = "-----";

/// Lenient base64: PEM writers differ on padding; the bytes are what matters.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn line_end(text: &str, from: usize) -> usize {
    text[from..].find('\n').map_or(text.len(), |i| from + i + 1)
}

/// Every PEM block of `text`, and a located error for each block that cannot be read.
pub fn scan(file: FileId, text: &str) -> (Vec<PemBlock>, Vec<ParseError>) {
    let mut blocks = Vec::new();
    let mut errors = Vec::new();
    let mut pos = 0;
    while let Some(found) = text[pos..].find(BEGIN) {
        let start = pos + found;
        let label_start = start + BEGIN.len();
        let begin_line_end = line_end(text, start);
        let begin_span = Span::new(start, text[..begin_line_end].trim_end_matches(['\n', '\r']).len().max(start));
        let Some(label_len) = text[label_start..begin_line_end].find(DASHES) else {
            errors.push(ParseError::new(file, begin_span, "PEM BEGIN line is not closed by \"-----\""));
            pos = begin_line_end.max(start + 1);
            continue;
        };
        let label = text[label_start..label_start + label_len].to_string();
        let end_marker = format!("-----END {label}-----");
        let body_start = begin_line_end;
        // A block ends at its END line; a new BEGIN before it means this one was cut short.
        // Searching only up to the next BEGIN keeps a file of many broken blocks linear.
        let next_begin = text[body_start..].find(BEGIN).map(|i| body_start + i);
        let limit = next_begin.unwrap_or(text.len());
        let end_at = text[body_start..limit].find(&end_marker).map(|i| body_start + i);
        let Some(end_at) = end_at else {
            let stop = next_begin.unwrap_or(text.len());
            errors.push(ParseError::new(
                file,
                begin_span,
                format!("PEM block \"{label}\" is truncated: no \"{end_marker}\" line follows"),
            ));
            pos = stop.max(start + 1);
            continue;
        };
        let block_end = end_at + end_marker.len();
        let span = Span::new(start, block_end);
        pos = block_end;
        let body = &text[body_start..end_at];
        let (headers, b64) = split_headers(body);
        let compact: String = b64.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        match BASE64.decode(compact.as_bytes()) {
            Ok(der) if !der.is_empty() => blocks.push(PemBlock { label, span, begin_span, headers, der }),
            Ok(_) => errors.push(ParseError::new(file, begin_span, format!("PEM block \"{label}\" is empty"))),
            Err(e) => errors.push(ParseError::new(
                file,
                begin_span,
                format!("PEM block \"{label}\" is not valid base64: {e}"),
            )),
        }
    }
    (blocks, errors)
}

/// RFC 1421 headers come first, `Name: value` lines ended by an empty line.
fn split_headers(body: &str) -> (Vec<(String, String)>, &str) {
    let mut headers = Vec::new();
    let mut rest = body;
    loop {
        let line_len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = rest[..line_len].trim();
        match line.split_once(':') {
            Some((name, value)) if !name.is_empty() && !name.contains(char::is_whitespace) => {
                headers.push((name.to_string(), value.trim().to_string()));
                rest = &rest[line_len..];
            }
            _ if line.is_empty() && !headers.is_empty() => {
                rest = &rest[line_len..];
                break;
            }
            _ => break,
        }
        if rest.is_empty() {
            break;
        }
    }
    (headers, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_surrounding_text_and_reads_headers() {
        let text = "Certificate:\n  Data: x\n-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAEC\n-----END RSA PRIVATE KEY-----\ntrailer\n";
        let (blocks, errors) = scan(0, text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].label, "RSA PRIVATE KEY");
        assert_eq!(blocks[0].der, vec![0, 1, 2]);
        assert!(blocks[0].is_legacy_encrypted());
        assert_eq!(&text[blocks[0].begin_span.start..blocks[0].begin_span.end], "-----BEGIN RSA PRIVATE KEY-----");
    }

    #[test]
    fn truncated_and_bad_blocks_are_located_errors() {
        let text = "-----BEGIN CERTIFICATE-----\nAAEC\n-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n-----BEGIN X";
        let (blocks, errors) = scan(0, text);
        assert!(blocks.is_empty());
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].message.contains("truncated"));
        assert_eq!(errors[0].location.span.start, 0);
        assert!(errors[1].message.contains("base64"));
        assert!(errors[2].message.contains("not closed"));
    }
}
