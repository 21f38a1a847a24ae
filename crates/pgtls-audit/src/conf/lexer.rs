//! The postgresql.conf lexer, token for token as PostgreSQL's flex scanner
//! (`src/backend/utils/misc/guc-file.l`, unchanged from 12 to 19) reads a file.
//!
//! Written by hand rather than with nom because flex semantics decide what is valid: at each
//! position every rule is tried, the longest match wins, and a tie goes to the rule listed
//! first. That is why an unquoted `server.crt` (QUALIFIED_ID, listed before UNQUOTED_STRING,
//! same length) is a syntax error while `TLSv1.2` and `a.b.c` (longer as UNQUOTED_STRING) are
//! fine. nom's alternatives take the first parser that succeeds, which is a different rule;
//! emulating longest-match with it would be more code than these few byte scanners.

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A newline.
    Eol,
    Id,
    QualifiedId,
    /// A single-quoted string.
    String,
    UnquotedString,
    Integer,
    Real,
    Equals,
    /// Any byte no rule matches.
    Error,
    /// End of input.
    Eof,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// `LETTER [A-Za-z_\200-\377]`
fn is_letter(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// `LETTER_OR_DIGIT [A-Za-z_0-9\200-\377]`
fn is_letter_or_digit(b: u8) -> bool {
    is_letter(b) || b.is_ascii_digit()
}

fn run(s: &[u8], from: usize, pred: impl Fn(u8) -> bool) -> usize {
    s[from..].iter().take_while(|&&b| pred(b)).count()
}

/// `ID {LETTER}{LETTER_OR_DIGIT}*`
fn id_len(s: &[u8]) -> usize {
    match s.first() {
        Some(&b) if is_letter(b) => 1 + run(s, 1, is_letter_or_digit),
        _ => 0,
    }
}

/// `STRING \'([^'\\\n]|\\.|\'\')*\'`: the longest match, so `'a'' b` is the string `'a'`
/// followed by more tokens.
fn string_len(s: &[u8]) -> usize {
    if s.first() != Some(&b'\'') {
        return 0;
    }
    let mut longest = 0;
    let mut i = 1;
    while i < s.len() {
        match s[i] {
            b'\'' => {
                longest = i + 1;
                if s.get(i + 1) == Some(&b'\'') {
                    i += 2;
                } else {
                    break;
                }
            }
            b'\\' => match s.get(i + 1) {
                Some(&b) if b != b'\n' => i += 2,
                _ => break,
            },
            b'\n' => break,
            _ => i += 1,
        }
    }
    longest
}

/// `INTEGER {SIGN}?({DIGIT}+|0x{HEXDIGIT}+){UNIT_LETTER}*`
fn integer_len(s: &[u8]) -> usize {
    let sign = usize::from(matches!(s.first(), Some(b'-' | b'+')));
    let digits = run(s, sign, |b| b.is_ascii_digit());
    let decimal = if digits > 0 { sign + digits + run(s, sign + digits, |b| b.is_ascii_alphabetic()) } else { 0 };
    let hex = if s.get(sign) == Some(&b'0') && s.get(sign + 1) == Some(&b'x') {
        let h = run(s, sign + 2, |b| b.is_ascii_hexdigit());
        if h > 0 {
            sign + 2 + h + run(s, sign + 2 + h, |b| b.is_ascii_alphabetic())
        } else {
            0
        }
    } else {
        0
    };
    decimal.max(hex)
}

/// `REAL {SIGN}?{DIGIT}*"."{DIGIT}*{EXPONENT}?` with `EXPONENT [Ee]{SIGN}?{DIGIT}+`
fn real_len(s: &[u8]) -> usize {
    let mut i = usize::from(matches!(s.first(), Some(b'-' | b'+')));
    i += run(s, i, |b| b.is_ascii_digit());
    if s.get(i) != Some(&b'.') {
        return 0;
    }
    i += 1;
    i += run(s, i, |b| b.is_ascii_digit());
    if matches!(s.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(s.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        let d = run(s, j, |b| b.is_ascii_digit());
        if d > 0 {
            i = j + d;
        }
    }
    i
}

/// Yields the tokens of a file; blanks and comments are skipped as the scanner does.
pub struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Self {
        Lexer { bytes: text.as_bytes(), pos: 0 }
    }

    pub fn next_token(&mut self) -> Token {
        let s = self.bytes;
        loop {
            // [ \t\r]+ and #.* are eaten.
            while self.pos < s.len() && matches!(s[self.pos], b' ' | b'\t' | b'\r') {
                self.pos += 1;
            }
            if self.pos < s.len() && s[self.pos] == b'#' {
                self.pos += run(s, self.pos, |b| b != b'\n');
                continue;
            }
            break;
        }
        let start = self.pos;
        if start >= s.len() {
            return Token { kind: TokenKind::Eof, span: Span::at(s.len()) };
        }
        if s[start] == b'\n' {
            self.pos += 1;
            return Token { kind: TokenKind::Eol, span: Span::new(start, start + 1) };
        }
        let rest = &s[start..];
        // Rules in the order guc-file.l lists them; a later rule wins only with a longer match.
        // Only the rules that can match the first byte are tried, and the word rules share
        // their scan (ID is a prefix of UNQUOTED_STRING), so a 10 MB word is read a few times,
        // not once per rule.
        let first = rest[0];
        let mut best = (TokenKind::Error, 0);
        let mut consider = |kind: TokenKind, len: usize| {
            if len > best.1 {
                best = (kind, len);
            }
        };
        if is_letter(first) {
            // ID, QUALIFIED_ID {ID}"."{ID}, UNQUOTED_STRING {LETTER}({LETTER_OR_DIGIT}|[-._:/])*
            let id = 1 + run(rest, 1, is_letter_or_digit);
            consider(TokenKind::Id, id);
            if rest.get(id) == Some(&b'.') {
                let second = id_len(&rest[id + 1..]);
                if second > 0 {
                    consider(TokenKind::QualifiedId, id + 1 + second);
                }
            }
            consider(
                TokenKind::UnquotedString,
                id + run(rest, id, |b| is_letter_or_digit(b) || matches!(b, b'-' | b'.' | b'_' | b':' | b'/')),
            );
        } else if first == b'\'' {
            consider(TokenKind::String, string_len(rest));
        } else if first == b'=' {
            consider(TokenKind::Equals, 1);
        } else if first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.') {
            consider(TokenKind::Integer, integer_len(rest));
            consider(TokenKind::Real, real_len(rest));
        }
        if best.1 == 0 {
            // `.` matches one byte. Keep whole characters together so that spans stay on
            // character boundaries (bytes above 127 are letters, so only ASCII lands here).
            best = (TokenKind::Error, 1);
        }
        self.pos = start + best.1;
        Token { kind: best.0, span: Span::new(start, self.pos) }
    }
}

/// The value of a quoted string (`DeescapeQuotedString`): `''` is `'`; `\b \f \n \r \t`, up to
/// three octal digits, and `\` before any other character stand for that character. The value
/// ends at a NUL byte, as a C string does.
pub fn deescape(quoted: &str) -> String {
    let s = quoted.as_bytes();
    let inner = if s.len() >= 2 { &s[1..s.len() - 1] } else { &[][..] };
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let b = inner[i];
        if b == b'\\' && i + 1 < inner.len() {
            i += 1;
            match inner[i] {
                b'b' => out.push(0x08),
                b'f' => out.push(0x0c),
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'0'..=b'7' => {
                    let mut v: u32 = 0;
                    let mut k = 0;
                    while k < 3 && i + k < inner.len() && (b'0'..=b'7').contains(&inner[i + k]) {
                        v = (v << 3) + (inner[i + k] - b'0') as u32;
                        k += 1;
                    }
                    i += k - 1;
                    out.push(v as u8);
                }
                other => out.push(other),
            }
        } else if b == b'\'' && inner.get(i + 1) == Some(&b'\'') {
            out.push(b'\'');
            i += 1;
        } else {
            out.push(b);
        }
        i += 1;
    }
    if let Some(nul) = out.iter().position(|&b| b == 0) {
        out.truncate(nul);
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        let mut lx = Lexer::new(text);
        let mut out = Vec::new();
        loop {
            let t = lx.next_token();
            if t.kind == TokenKind::Eof {
                return out;
            }
            out.push((t.kind, &text[t.span.start..t.span.end]));
        }
    }

    #[test]
    fn longest_match_then_rule_order() {
        use TokenKind::*;
        assert_eq!(kinds("server.crt"), vec![(QualifiedId, "server.crt")]);
        assert_eq!(kinds("TLSv1.2"), vec![(UnquotedString, "TLSv1.2")]);
        assert_eq!(kinds("a.b.c"), vec![(UnquotedString, "a.b.c")]);
        assert_eq!(kinds("HIGH:MEDIUM"), vec![(UnquotedString, "HIGH:MEDIUM")]);
        assert_eq!(kinds("HIGH:+3DES"), vec![(UnquotedString, "HIGH:"), (Integer, "+3DES")]);
        assert_eq!(kinds("0x100"), vec![(Integer, "0x100")]);
        assert_eq!(kinds("128MB"), vec![(Integer, "128MB")]);
        assert_eq!(kinds("1.5GB"), vec![(Real, "1.5"), (Id, "GB")]);
        assert_eq!(kinds("1e3"), vec![(Integer, "1e"), (Integer, "3")]);
        assert_eq!(kinds("1.5e3"), vec![(Real, "1.5e3")]);
        assert_eq!(kinds("."), vec![(Real, ".")]);
        assert_eq!(kinds("*"), vec![(Error, "*")]);
        assert_eq!(kinds("/etc/x"), vec![(Error, "/"), (UnquotedString, "etc/x")]);
        assert_eq!(kinds("a = 'b' # c\n"), vec![(Id, "a"), (Equals, "="), (String, "'b'"), (Eol, "\n")]);
    }

    #[test]
    fn strings_take_the_longest_closed_form() {
        use TokenKind::*;
        assert_eq!(kinds("'it''s'"), vec![(String, "'it''s'")]);
        assert_eq!(kinds("'a'' b"), vec![(String, "'a'"), (Error, "'"), (Id, "b")]);
        assert_eq!(kinds("'a\\'b'"), vec![(String, "'a\\'b'")]);
        assert_eq!(kinds("'open"), vec![(Error, "'"), (Id, "open")]);
        assert_eq!(kinds("'a\nb'"), vec![(Error, "'"), (Id, "a"), (Eol, "\n"), (Id, "b"), (Error, "'")]);
    }

    #[test]
    fn deescaping() {
        assert_eq!(deescape("'it''s'"), "it's");
        assert_eq!(deescape(r"'a\tb\nc\\d\'e'"), "a\tb\nc\\d'e");
        assert_eq!(deescape(r"'\101\1012'"), "AA2");
        assert_eq!(deescape(r"'ab\0cd'"), "ab");
        assert_eq!(deescape("''"), "");
    }
}
