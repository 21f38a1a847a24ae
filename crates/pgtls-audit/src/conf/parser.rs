//! One postgresql.conf file into assignments and include directives (`ParseConfigFp` in
//! guc-file.l): `name [=] value [# comment]` a line, errors located, never a failure.

use super::lexer::{deescape, Lexer, Token, TokenKind};
use crate::diagnostic::ParseError;
use crate::source::{FileId, Span};

/// PostgreSQL gives up on a file after this many syntax errors.
pub const MAX_SYNTAX_ERRORS: usize = 100;

/// How an include directive treats a missing file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncludeKind {
    /// `include`: a missing file is an error.
    Include,
    /// `include_if_exists`: a missing file is skipped.
    IfExists,
    /// `include_dir`: every `*.conf` file of a directory, in C sort order.
    Dir,
}

impl IncludeKind {
    pub fn directive(self) -> &'static str {
        match self {
            IncludeKind::Include => "include",
            IncludeKind::IfExists => "include_if_exists",
            IncludeKind::Dir => "include_dir",
        }
    }
}

/// One `name = value` line as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawAssignment {
    /// The name as written (PostgreSQL keeps the case for duplicate detection).
    pub name: String,
    pub name_span: Span,
    /// The value after de-quoting.
    pub value: String,
    /// The value token, quotes included.
    pub value_span: Span,
    pub value_kind: TokenKind,
    /// The line without its terminator.
    pub line_span: Span,
    /// 1-based line number.
    pub line: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Assignment(RawAssignment),
    Include { kind: IncludeKind, path: String, value_span: Span, line_span: Span, line: usize },
}

#[derive(Clone, Debug, Default)]
pub struct ParsedFile {
    pub items: Vec<Item>,
    pub errors: Vec<ParseError>,
}

fn is_value(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Id | TokenKind::String | TokenKind::Integer | TokenKind::Real | TokenKind::UnquotedString
    )
}

/// A token's text for a message, shortened so that a 10 MB token does not become a 10 MB message.
fn token_text(text: &str, span: Span) -> String {
    let t = text.get(span.start..span.end).unwrap_or("");
    if t.chars().count() > 60 {
        format!("{}...", t.chars().take(60).collect::<String>())
    } else {
        t.to_string()
    }
}

/// Parses one file. `display_name` is the name PostgreSQL would print (the file's path).
pub fn parse_file(file: FileId, display_name: &str, text: &str) -> ParsedFile {
    let mut out = ParsedFile::default();
    let mut lexer = Lexer::new(text);
    let mut line = 1usize;
    let mut line_start = 0usize;
    let line_span_from = |start: usize, end_tok: &Token| {
        let mut end = end_tok.span.start;
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        Span::new(start, end.max(start))
    };
    loop {
        let first = lexer.next_token();
        match first.kind {
            TokenKind::Eof => break,
            TokenKind::Eol => {
                line += 1;
                line_start = first.span.end;
                continue;
            }
            _ => {}
        }
        // name [=] value EOL
        let mut bad: Option<Token> = None;
        let mut value_tok = None;
        let mut end_tok = first;
        if matches!(first.kind, TokenKind::Id | TokenKind::QualifiedId) {
            let mut t = lexer.next_token();
            if t.kind == TokenKind::Equals {
                t = lexer.next_token();
            }
            if is_value(t.kind) {
                value_tok = Some(t);
                let after = lexer.next_token();
                if matches!(after.kind, TokenKind::Eol | TokenKind::Eof) {
                    end_tok = after;
                } else {
                    bad = Some(after);
                }
            } else {
                bad = Some(t);
            }
        } else {
            bad = Some(first);
        }
        if let Some(bad) = bad {
            let (span, near) = match bad.kind {
                TokenKind::Eol | TokenKind::Eof => (Span::at(bad.span.start), "near end of line".to_string()),
                _ => (bad.span, format!("near token \"{}\"", token_text(text, bad.span))),
            };
            out.errors.push(ParseError::new(
                file,
                span,
                format!("syntax error in file \"{display_name}\" line {line}, {near}"),
            ));
            // Skip to the end of the line.
            let mut t = bad;
            while !matches!(t.kind, TokenKind::Eol | TokenKind::Eof) {
                t = lexer.next_token();
            }
            if out.errors.len() >= MAX_SYNTAX_ERRORS {
                out.errors.push(ParseError::new(
                    file,
                    Span::at(t.span.start),
                    format!("too many syntax errors found, abandoning file \"{display_name}\""),
                ));
                break;
            }
            if t.kind == TokenKind::Eof {
                break;
            }
            line += 1;
            line_start = t.span.end;
            continue;
        }
        let value_tok = value_tok.expect("a value token when no error");
        let raw_value = &text[value_tok.span.start..value_tok.span.end];
        let value =
            if value_tok.kind == TokenKind::String { deescape(raw_value) } else { raw_value.to_string() };
        let name = text[first.span.start..first.span.end].to_string();
        let line_span = line_span_from(line_start, &end_tok);
        let include = if name.eq_ignore_ascii_case("include_dir") {
            Some(IncludeKind::Dir)
        } else if name.eq_ignore_ascii_case("include_if_exists") {
            Some(IncludeKind::IfExists)
        } else if name.eq_ignore_ascii_case("include") {
            Some(IncludeKind::Include)
        } else {
            None
        };
        out.items.push(match include {
            Some(kind) => Item::Include { kind, path: value, value_span: value_tok.span, line_span, line },
            None => Item::Assignment(RawAssignment {
                name,
                name_span: first.span,
                value,
                value_span: value_tok.span,
                value_kind: value_tok.kind,
                line_span,
                line,
            }),
        });
        if end_tok.kind == TokenKind::Eof {
            break;
        }
        line += 1;
        line_start = end_tok.span.end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        parse_file(0, "postgresql.conf", text).errors.into_iter().map(|e| e.message).collect()
    }

    fn values(text: &str) -> Vec<(String, String)> {
        parse_file(0, "p", text)
            .items
            .into_iter()
            .filter_map(|i| match i {
                Item::Assignment(a) => Some((a.name, a.value)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn assignments_with_and_without_equals() {
        assert_eq!(
            values("ssl on\nSSL_Ciphers = 'HIGH:!aNULL' # strong\n\n  port=5433"),
            vec![
                ("ssl".into(), "on".into()),
                ("SSL_Ciphers".into(), "HIGH:!aNULL".into()),
                ("port".into(), "5433".into())
            ]
        );
    }

    #[test]
    fn syntax_errors_in_postgresql_words() {
        assert_eq!(
            errors("ssl_cert_file = server.crt\n"),
            vec!["syntax error in file \"postgresql.conf\" line 1, near token \"server.crt\""]
        );
        assert_eq!(errors("a = 1\nssl =\n"), vec!["syntax error in file \"postgresql.conf\" line 2, near end of line"]);
        assert_eq!(errors("x = 'open"), vec!["syntax error in file \"postgresql.conf\" line 1, near token \"'\""]);
        assert_eq!(errors("listen_addresses = *"), vec!["syntax error in file \"postgresql.conf\" line 1, near token \"*\""]);
        assert_eq!(errors("shared_buffers = 128 MB"), vec!["syntax error in file \"postgresql.conf\" line 1, near token \"MB\""]);
        assert!(errors("ssl_min_protocol_version = TLSv1.2\nssl_ciphers = HIGH:MEDIUM\nx = 0x100\n").is_empty());
    }

    #[test]
    fn errors_resync_at_the_next_line_and_stop_at_100() {
        let e = errors("bad bad bad\nssl = on\n* * *\n");
        assert_eq!(e.len(), 2);
        assert!(e[1].contains("line 3"));
        let many = "*\n".repeat(500);
        let e = errors(&many);
        assert_eq!(e.len(), MAX_SYNTAX_ERRORS + 1);
        assert!(e.last().unwrap().starts_with("too many syntax errors"));
    }

    #[test]
    fn includes_are_directives_case_insensitively() {
        let parsed = parse_file(0, "p", "INCLUDE 'a.conf'\ninclude_dir conf.d\ninclude_if_exists = 'x'\n");
        let kinds: Vec<IncludeKind> = parsed
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Include { kind, .. } => Some(*kind),
                _ => None,
            })
            .collect();
        // conf.d is a QUALIFIED_ID, not a value.
        assert_eq!(kinds, vec![IncludeKind::Include, IncludeKind::IfExists]);
        assert_eq!(parsed.errors.len(), 1);
    }

    #[test]
    fn spans_point_at_name_value_and_line() {
        let text = "# c\r\nssl = 'on'  # yes\r\n";
        let p = parse_file(0, "p", text);
        let Item::Assignment(a) = &p.items[0] else { panic!() };
        assert_eq!(&text[a.name_span.start..a.name_span.end], "ssl");
        assert_eq!(&text[a.value_span.start..a.value_span.end], "'on'");
        assert_eq!(&text[a.line_span.start..a.line_span.end], "ssl = 'on'  # yes");
        assert_eq!(a.line, 2);
    }
}
