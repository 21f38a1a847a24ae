//! The few PostgreSQL protocol messages a probe sends and reads (protocol.sgml, pqcomm.h).
//! Hand-written: they are fixed byte layouts of a few lines each, and a client library would
//! send a password or hide the raw answers the probe has to report.

/// `NEGOTIATE_SSL_CODE`: 1234 << 16 | 5679.
pub const SSL_REQUEST_CODE: u32 = 80_877_103;
/// Protocol 3.0.
pub const PROTOCOL_3_0: u32 = 3 << 16;
/// Messages bigger than this are not read: nothing the probe waits for is that long.
pub const MAX_MESSAGE_LEN: usize = 64 * 1024;

pub fn ssl_request() -> [u8; 8] {
    let mut msg = [0u8; 8];
    msg[..4].copy_from_slice(&8u32.to_be_bytes());
    msg[4..].copy_from_slice(&SSL_REQUEST_CODE.to_be_bytes());
    msg
}

/// A protocol 3.0 StartupMessage for `user` and `database`.
pub fn startup_message(user: &str, database: &str) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&PROTOCOL_3_0.to_be_bytes());
    for (k, v) in [("user", user), ("database", database), ("application_name", "pgtls-check")] {
        body.extend_from_slice(k.as_bytes());
        body.push(0);
        body.extend_from_slice(v.as_bytes());
        body.push(0);
    }
    body.push(0);
    let mut msg = ((body.len() + 4) as u32).to_be_bytes().to_vec();
    msg.extend_from_slice(&body);
    msg
}

/// The fields of an ErrorResponse or NoticeResponse body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerError {
    pub severity: String,
    pub code: String,
    pub message: String,
}

impl ServerError {
    /// Parses the `(type byte, string)` list of an ErrorResponse body; unknown fields are skipped
    /// and a truncated body keeps what was read.
    pub fn parse(body: &[u8]) -> ServerError {
        let mut e = ServerError::default();
        let mut rest = body;
        while let Some((&field, tail)) = rest.split_first() {
            if field == 0 {
                break;
            }
            let end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
            let value = String::from_utf8_lossy(&tail[..end]).into_owned();
            match field {
                b'V' => e.severity = value,
                b'S' if e.severity.is_empty() => e.severity = value,
                b'C' => e.code = value,
                b'M' => e.message = value,
                _ => {}
            }
            rest = tail.get(end + 1..).unwrap_or(&[]);
        }
        e
    }
}

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} (SQLSTATE {})", self.severity, self.message, self.code)
    }
}

/// What the bytes read so far in answer to SSLRequest say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SslAnswer {
    /// `S`, and how many bytes came with it (a server sends none: it waits for the ClientHello).
    Accepted { extra: usize },
    /// `N`: the server does not do SSL.
    Refused,
    /// An ErrorResponse (servers before protocol 3 support, or a pooler's refusal), as far as it
    /// was read.
    Error(ServerError),
    /// An ErrorResponse whose body has not all arrived: read at least `need` more bytes.
    Incomplete { need: usize },
    /// Neither `S`, `N` nor `E`.
    Other(u8),
    /// Nothing: the server closed the connection without answering.
    Closed,
}

/// Reads the answer to SSLRequest from `bytes`, the bytes received so far; `complete` says the
/// connection ended (or the read limit was reached), so a truncated ErrorResponse is taken as
/// far as it goes. Exactly the first byte decides the kind. An ErrorResponse is read up to its
/// length word (which counts itself), at most [`MAX_MESSAGE_LEN`] bytes.
pub fn ssl_answer(bytes: &[u8], complete: bool) -> SslAnswer {
    let Some(&first) = bytes.first() else {
        return if complete { SslAnswer::Closed } else { SslAnswer::Incomplete { need: 1 } };
    };
    match first {
        b'S' => SslAnswer::Accepted { extra: bytes.len() - 1 },
        b'N' => SslAnswer::Refused,
        b'E' => {
            let want = error_message_len(bytes);
            if bytes.len() < want && !complete {
                return SslAnswer::Incomplete { need: want - bytes.len() };
            }
            let end = want.min(bytes.len());
            SslAnswer::Error(ServerError::parse(bytes.get(5..end).unwrap_or(&[])))
        }
        other => SslAnswer::Other(other),
    }
}

/// The whole length of a message (type byte included) from its first bytes; 5 (the header)
/// until the length word has arrived, and never above [`MAX_MESSAGE_LEN`].
fn error_message_len(bytes: &[u8]) -> usize {
    match bytes.get(1..5) {
        Some(len) => (u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize).saturating_add(1).clamp(5, MAX_MESSAGE_LEN),
        None => 5,
    }
}

/// The body length of a backend message from its 5-byte header (type and length word, which
/// counts itself), at most [`MAX_MESSAGE_LEN`].
pub fn message_body_len(header: &[u8; 5]) -> usize {
    (u32::from_be_bytes([header[1], header[2], header[3], header[4]]) as usize).saturating_sub(4).min(MAX_MESSAGE_LEN)
}

/// What an authentication request asks for, by its code.
pub fn auth_request_name(code: u32) -> &'static str {
    match code {
        0 => "AuthenticationOk (trust: no password at all)",
        2 => "AuthenticationKerberosV5",
        3 => "AuthenticationCleartextPassword (the password would travel in clear text)",
        5 => "AuthenticationMD5Password",
        7 => "AuthenticationGSS",
        9 => "AuthenticationSSPI",
        10 => "AuthenticationSASL (SCRAM)",
        _ => "an authentication request",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssl_request_is_the_documented_eight_bytes() {
        assert_eq!(ssl_request(), [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
    }

    #[test]
    fn startup_message_is_length_prefixed_and_terminated() {
        let m = startup_message("u", "d");
        assert_eq!(u32::from_be_bytes(m[..4].try_into().unwrap()) as usize, m.len());
        assert_eq!(&m[4..8], &[0, 3, 0, 0]);
        assert!(m.ends_with(b"pgtls-check\0\0"));
    }

    #[test]
    fn error_fields_are_read_and_truncation_tolerated() {
        let body = b"SFATAL\0VFATAL\0C28000\0Mno pg_hba.conf entry for host \"127.0.0.1\", user \"x\", database \"y\", no encryption\0\0";
        let e = ServerError::parse(body);
        assert_eq!(e.code, "28000");
        assert!(e.message.ends_with("no encryption"));
        assert_eq!(ServerError::parse(b"C2800").code, "2800");
        assert_eq!(ServerError::parse(b""), ServerError::default());
    }

    #[test]
    fn ssl_answers_are_read_from_the_first_byte() {
        assert_eq!(ssl_answer(b"S", false), SslAnswer::Accepted { extra: 0 });
        assert_eq!(ssl_answer(b"S\x16\x03", false), SslAnswer::Accepted { extra: 2 });
        assert_eq!(ssl_answer(b"N", true), SslAnswer::Refused);
        assert_eq!(ssl_answer(b"", true), SslAnswer::Closed);
        assert_eq!(ssl_answer(b"H", false), SslAnswer::Other(b'H'));
        let mut msg = b"E\0\0\0\x11CXX000\0Mbad\0\0".to_vec();
        assert_eq!(ssl_answer(&msg[..3], false), SslAnswer::Incomplete { need: 2 });
        assert_eq!(ssl_answer(&msg[..8], false), SslAnswer::Incomplete { need: 10 });
        let whole = SslAnswer::Error(ServerError { code: "XX000".into(), message: "bad".into(), ..ServerError::default() });
        assert_eq!(ssl_answer(&msg, false), whole);
        msg.extend_from_slice(b"trailing bytes are not read");
        assert_eq!(ssl_answer(&msg, false), whole);
        // A length word below 4 or far beyond the limit is bounded, never trusted.
        assert_eq!(ssl_answer(b"E\0\0\0\0", false), SslAnswer::Error(ServerError::default()));
        assert_eq!(ssl_answer(b"E\xff\xff\xff\xffCX", false), SslAnswer::Incomplete { need: MAX_MESSAGE_LEN - 7 });
        assert_eq!(ssl_answer(b"E\xff\xff\xff\xffCX", true), SslAnswer::Error(ServerError { code: "X".into(), ..ServerError::default() }));
        assert_eq!(message_body_len(&[b'E', 0xff, 0xff, 0xff, 0xff]), MAX_MESSAGE_LEN);
        assert_eq!(message_body_len(&[b'R', 0, 0, 0, 2]), 0);
    }
}
