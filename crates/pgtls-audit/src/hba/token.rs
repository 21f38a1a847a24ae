//! The tokenizer shared by pg_hba.conf and pg_ident.conf, after `tokenize_auth_file` and
//! `next_token` in PostgreSQL's `src/backend/libpq/hba.c`.
//!
//! Written by hand rather than with nom: the grammar is a byte-level state machine (a comma
//! right after a token continues the list, a blank before it ends the field, `""` is a quote
//! inside quotes, a trailing `\` splices the next line, token length limits depend on the
//! version) and reproducing it exactly is simpler as the same loop PostgreSQL runs.

use crate::source::{FileId, Inputs, Location, Span};

/// One token: its de-quoted text, whether it began with a quote (which takes away keyword,
/// `+group` and `@file` meaning), and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthToken {
    pub text: String,
    /// PostgreSQL's `initial_quote`: the first character of the token was a `"`.
    pub quoted: bool,
    pub location: Location,
}

impl AuthToken {
    /// An unquoted keyword such as `all` or `samehost` (`token_is_keyword`).
    pub fn is_keyword(&self, keyword: &str) -> bool {
        !self.quoted && self.text == keyword
    }

    /// A `/regex` token (PostgreSQL 16+ checks only the first character, even when quoted).
    pub fn is_regex(&self, pg_version: u32) -> bool {
        pg_version >= 16 && self.text.starts_with('/')
    }
}

/// A whitespace-separated field: one token or a comma list, with `@file` references expanded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthField {
    pub tokens: Vec<AuthToken>,
    /// The field as written, in the line's file.
    pub span: Span,
    /// `@file` references whose file was not among the inputs: their tokens are unknown.
    pub unresolved: Vec<UnresolvedFile>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnresolvedFile {
    /// The name as written after `@`.
    pub name: String,
    pub location: Location,
}

/// How bad a problem found while reading is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// PostgreSQL refuses the line (and therefore the whole file).
    Refused,
    /// PostgreSQL logs it and keeps the line (a hostssl line with SSL off, a bad ldapscheme).
    Logged,
    /// The audit cannot see something PostgreSQL would read (a file that was not given).
    NotGiven,
}

/// A located problem met while reading an authentication file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub location: Location,
    pub message: String,
}

/// A record: the fields of one logical line (continuations joined).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenizedLine {
    pub file: FileId,
    /// 1-based number of the first physical line, as PostgreSQL counts it.
    pub line_number: usize,
    /// The whole record in its file, continuations included.
    pub span: Span,
    pub fields: Vec<AuthField>,
    /// The tokenizer's error for this line (PostgreSQL's `err_msg`), if any.
    pub error: Option<Problem>,
    /// Other problems seen on the line that do not stop it from loading.
    pub notes: Vec<Problem>,
}

impl TokenizedLine {
    pub fn location(&self) -> Location {
        Location::new(self.file, self.span)
    }
}

/// Version-dependent limits of the tokenizer.
#[derive(Clone, Copy, Debug)]
pub struct TokenizerLimits {
    /// Backslash continuation lines (PostgreSQL 14+).
    pub continuation: bool,
    /// The longest token in bytes (`MAX_TOKEN - 1`), `None` when unlimited (16+).
    pub max_token: Option<usize>,
    /// The longest physical line (`MAX_LINE - 1`, 12–13 only).
    pub max_line: Option<usize>,
}

impl TokenizerLimits {
    pub fn for_version(pg_version: u32) -> Self {
        match pg_version {
            ..=13 => TokenizerLimits { continuation: false, max_token: Some(255), max_line: Some(8191) },
            14 | 15 => TokenizerLimits { continuation: true, max_token: Some(10239), max_line: None },
            _ => TokenizerLimits { continuation: true, max_token: None, max_line: None },
        }
    }
}

/// A logical line: its bytes after splicing, and where each spliced piece came from.
struct LogicalLine {
    bytes: Vec<u8>,
    /// (offset in `bytes`, offset in the file) for each spliced piece, in order.
    pieces: Vec<(usize, usize)>,
    span: Span,
}

impl LogicalLine {
    fn source_offset(&self, at: usize) -> usize {
        let i = match self.pieces.binary_search_by(|(b, _)| b.cmp(&at)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let (b, s) = self.pieces[i];
        s + (at - b)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        if start == end {
            let s = self.source_offset(start);
            return Span::at(s);
        }
        let s = self.source_offset(start);
        let e = self.source_offset(end - 1) + 1;
        Span::new(s, e.max(s))
    }
}

/// PostgreSQL's `pg_isblank`.
fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t' || c == b'\r'
}

/// Splits a file's text into logical lines as `tokenize_auth_file` reads them.
fn logical_lines(text: &str, limits: TokenizerLimits, file: FileId, notes: &mut Vec<(usize, Problem)>) -> Vec<(usize, LogicalLine)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    let mut line_number = 1;
    while pos < bytes.len() {
        let first_line = line_number;
        let start = pos;
        let mut line = LogicalLine { bytes: Vec::new(), pieces: Vec::new(), span: Span::at(pos) };
        let mut last_backslash_len = 0;
        loop {
            let nl = bytes[pos..].iter().position(|&c| c == b'\n').map(|i| pos + i);
            let phys_end = nl.unwrap_or(bytes.len());
            let next = nl.map_or(bytes.len(), |i| i + 1);
            let mut content_end = phys_end;
            // pg_strip_crlf removes every trailing CR and LF.
            while content_end > pos && bytes[content_end - 1] == b'\r' {
                content_end -= 1;
            }
            if let Some(max) = limits.max_line {
                if phys_end - pos >= max {
                    notes.push((
                        first_line,
                        Problem {
                            kind: ProblemKind::Refused,
                            location: Location::new(file, Span::new(pos, phys_end)),
                            message: "authentication file line too long".into(),
                        },
                    ));
                }
            }
            line.pieces.push((line.bytes.len(), pos));
            line.bytes.extend_from_slice(&bytes[pos..content_end]);
            line.span = Span::new(start, content_end.max(start));
            pos = next;
            if limits.continuation
                && line.bytes.len() > last_backslash_len
                && line.bytes.last() == Some(&b'\\')
            {
                line.bytes.pop();
                last_backslash_len = line.bytes.len();
                line_number += 1;
                if pos < bytes.len() {
                    continue;
                }
            }
            break;
        }
        line_number += 1;
        out.push((first_line, line));
    }
    out
}

/// What `next_token` returns.
struct RawToken {
    text: Vec<u8>,
    quoted: bool,
    terminating_comma: bool,
    start: usize,
    end: usize,
}

enum NextToken {
    Token(RawToken),
    /// End of line or a comment.
    None,
    TooLong { start: usize, end: usize },
}

fn next_token(line: &[u8], pos: &mut usize, max_token: Option<usize>) -> NextToken {
    let mut c = line.get(*pos).copied();
    // Skip blanks and commas before the token.
    while let Some(ch) = c {
        if is_blank(ch) || ch == b',' {
            *pos += 1;
            c = line.get(*pos).copied();
        } else {
            break;
        }
    }
    let start = *pos;
    let mut buf = Vec::new();
    let mut in_quote = false;
    let mut was_quote = false;
    let mut saw_quote = false;
    let mut initial_quote = false;
    let mut terminating_comma = false;
    while let Some(ch) = c {
        if is_blank(ch) && !in_quote {
            break;
        }
        if ch == b'#' && !in_quote {
            // A comment runs to the end of the line.
            let end = *pos;
            *pos = line.len();
            return if saw_quote || !buf.is_empty() {
                NextToken::Token(RawToken { text: buf, quoted: initial_quote, terminating_comma: false, start, end })
            } else {
                NextToken::None
            };
        }
        if let Some(max) = max_token {
            if buf.len() >= max {
                let end = line.len();
                *pos = line.len();
                return NextToken::TooLong { start, end };
            }
        }
        if ch == b',' && !in_quote {
            terminating_comma = true;
            break;
        }
        if ch != b'"' || was_quote {
            buf.push(ch);
        }
        // A literal double quote is written as two.
        if in_quote && ch == b'"' {
            was_quote = !was_quote;
        } else {
            was_quote = false;
        }
        if ch == b'"' {
            in_quote = !in_quote;
            saw_quote = true;
            if buf.is_empty() {
                initial_quote = true;
            }
        }
        *pos += 1;
        c = line.get(*pos).copied();
    }
    let end = *pos;
    if terminating_comma {
        *pos += 1;
    }
    if saw_quote || !buf.is_empty() {
        NextToken::Token(RawToken { text: buf, quoted: initial_quote, terminating_comma, start, end })
    } else {
        NextToken::None
    }
}

/// Reads authentication files, following `@file` references into the given inputs.
pub struct Tokenizer<'a> {
    pub inputs: &'a Inputs,
    pub limits: TokenizerLimits,
    /// Files being read, innermost last: a reference back into one of them is a loop.
    pub stack: Vec<FileId>,
}

/// How deep `@file` and include references may nest before the audit stops following them.
/// PostgreSQL's include records stop at 10 (`CONF_FILE_MAX_DEPTH`).
pub const MAX_DEPTH: usize = 10;

impl<'a> Tokenizer<'a> {
    pub fn new(inputs: &'a Inputs, pg_version: u32) -> Self {
        Tokenizer { inputs, limits: TokenizerLimits::for_version(pg_version), stack: Vec::new() }
    }

    /// Tokenizes one file into records; blank and comment-only lines are dropped.
    pub fn tokenize(&mut self, file: FileId) -> Vec<TokenizedLine> {
        let text = &self.inputs.file(file).text;
        let mut line_notes = Vec::new();
        let lines = logical_lines(text, self.limits, file, &mut line_notes);
        self.stack.push(file);
        let mut out = Vec::new();
        for (line_number, line) in lines {
            let mut tl = TokenizedLine {
                file,
                line_number,
                span: line.span,
                fields: Vec::new(),
                error: None,
                notes: Vec::new(),
            };
            for (n, p) in line_notes.iter() {
                if *n == line_number && tl.error.is_none() {
                    tl.error = Some(p.clone());
                }
            }
            let mut bytes: &[u8] = &line.bytes;
            if let Some(nul) = bytes.iter().position(|&b| b == 0) {
                bytes = &bytes[..nul];
                tl.notes.push(Problem {
                    kind: ProblemKind::Logged,
                    location: Location::new(file, line.span(nul, nul + 1)),
                    message: "NUL byte in the file: PostgreSQL reads lines as C strings, so the rest of this line is lost or merged unpredictably".into(),
                });
            }
            let mut pos = 0;
            while pos < bytes.len() && tl.error.is_none() {
                let field = self.next_field(file, &line, bytes, &mut pos, &mut tl);
                if let Some(field) = field {
                    tl.fields.push(field);
                }
            }
            if !tl.fields.is_empty() || tl.error.is_some() || !tl.notes.is_empty() {
                out.push(tl);
            }
        }
        self.stack.pop();
        out
    }

    fn next_field(
        &mut self,
        file: FileId,
        line: &LogicalLine,
        bytes: &[u8],
        pos: &mut usize,
        tl: &mut TokenizedLine,
    ) -> Option<AuthField> {
        let mut field = AuthField::default();
        let mut first: Option<usize> = None;
        let mut last = 0;
        loop {
            match next_token(bytes, pos, self.limits.max_token) {
                NextToken::None => break,
                NextToken::TooLong { start, end } => {
                    tl.error = Some(Problem {
                        kind: ProblemKind::Refused,
                        location: Location::new(file, line.span(start, end)),
                        message: "authentication file token too long".into(),
                    });
                    break;
                }
                NextToken::Token(t) => {
                    first.get_or_insert(t.start);
                    last = t.end;
                    let location = Location::new(file, line.span(t.start, t.end));
                    let text = String::from_utf8_lossy(&t.text).into_owned();
                    if !t.quoted && text.len() > 1 && text.starts_with('@') {
                        self.expand_file(&text[1..], location, &mut field, tl);
                    } else {
                        field.tokens.push(AuthToken { text, quoted: t.quoted, location });
                    }
                    if !t.terminating_comma || tl.error.is_some() {
                        break;
                    }
                }
            }
        }
        let start = first?;
        field.span = line.span(start, last.max(start));
        Some(field)
    }

    /// `@file`: the referenced file's tokens, from all its lines, join the field.
    fn expand_file(&mut self, name: &str, location: Location, field: &mut AuthField, tl: &mut TokenizedLine) {
        let Some(target) = self.inputs.find_by_reference(name) else {
            field.unresolved.push(UnresolvedFile { name: name.to_string(), location });
            tl.notes.push(Problem {
                kind: ProblemKind::NotGiven,
                location,
                message: format!(
                    "secondary authentication file \"@{name}\" was not given: the names it lists are unknown to the audit (PostgreSQL refuses the file if it cannot open it)"
                ),
            });
            return;
        };
        if self.stack.contains(&target) || self.stack.len() > MAX_DEPTH {
            tl.error = Some(Problem {
                kind: ProblemKind::Refused,
                location,
                message: format!(
                    "could not open secondary authentication file \"@{name}\": it includes itself (a loop of @file references)"
                ),
            });
            return;
        }
        let lines = self.tokenize(target);
        for l in lines {
            for f in l.fields {
                field.tokens.extend(f.tokens);
                field.unresolved.extend(f.unresolved);
            }
            tl.notes.extend(l.notes);
            if let Some(e) = l.error {
                tl.notes.push(e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::InputKind;
    use crate::source::SourceFile;

    fn fields(text: &str, version: u32) -> Vec<Vec<Vec<(String, bool)>>> {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("pg_hba.conf", InputKind::PgHba, text));
        let mut t = Tokenizer::new(&inputs, version);
        t.tokenize(0)
            .into_iter()
            .map(|l| {
                l.fields
                    .into_iter()
                    .map(|f| f.tokens.into_iter().map(|t| (t.text, t.quoted)).collect())
                    .collect()
            })
            .collect()
    }

    fn plain(text: &str, version: u32) -> Vec<Vec<Vec<String>>> {
        fields(text, version)
            .into_iter()
            .map(|l| l.into_iter().map(|f| f.into_iter().map(|(t, _)| t).collect()).collect())
            .collect()
    }

    #[test]
    fn comma_after_a_token_continues_the_list_blank_before_ends_the_field() {
        assert_eq!(plain("a, b c", 16), vec![vec![vec!["a", "b"], vec!["c"]]]);
        assert_eq!(plain("a ,b c", 16), vec![vec![vec!["a"], vec!["b"], vec!["c"]]]);
        assert_eq!(plain("a,,b", 16), vec![vec![vec!["a", "b"]]]);
        assert_eq!(plain("a,", 16), vec![vec![vec!["a"]]]);
    }

    #[test]
    fn quotes_keep_blanks_commas_and_hashes_and_double_to_escape() {
        let f = fields(r#""a b,#c" "x""y" "" all"#, 16);
        assert_eq!(
            f[0],
            vec![
                vec![("a b,#c".to_string(), true)],
                vec![("x\"y".to_string(), true)],
                vec![("".to_string(), true)],
                vec![("all".to_string(), false)]
            ]
        );
        // A quote that is not first still quotes but does not take away keyword meaning.
        assert_eq!(fields(r#"a"l"l"#, 16)[0], vec![vec![("all".to_string(), false)]]);
    }

    #[test]
    fn comments_and_blank_lines_make_no_records() {
        assert_eq!(plain("# c\n\n   \nlocal all#x\n", 16), vec![vec![vec!["local"], vec!["all"]]]);
    }

    #[test]
    fn backslash_continues_from_14_even_in_comments() {
        assert_eq!(plain("local all \\\n all trust", 14), vec![vec![vec!["local"], vec!["all"], vec!["all"], vec!["trust"]]]);
        assert_eq!(plain("local all # note \\\n all trust", 14).len(), 1);
        assert_eq!(plain("local all \\\n all trust", 13).len(), 2);
    }

    #[test]
    fn line_numbers_count_continuations() {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("pg_hba.conf", InputKind::PgHba, "a \\\nb\nc\n"));
        let lines = Tokenizer::new(&inputs, 16).tokenize(0);
        assert_eq!(lines.iter().map(|l| l.line_number).collect::<Vec<_>>(), vec![1, 3]);
        assert_eq!(inputs.file(0).slice(lines[0].fields[1].tokens[0].location.span), "b");
    }

    #[test]
    fn token_limits_follow_the_version() {
        let long = "x".repeat(300);
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("pg_hba.conf", InputKind::PgHba, format!("local {long} all trust")));
        assert!(Tokenizer::new(&inputs, 13).tokenize(0)[0].error.is_some());
        assert!(Tokenizer::new(&inputs, 14).tokenize(0)[0].error.is_none());
    }

    #[test]
    fn lines_longer_than_8191_bytes_are_refused_before_14() {
        let line = format!("local all all trust map={}", "m ".repeat(5000));
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("pg_hba.conf", InputKind::PgHba, line));
        let at13 = Tokenizer::new(&inputs, 13).tokenize(0);
        assert_eq!(at13[0].error.as_ref().map(|e| e.message.as_str()), Some("authentication file line too long"));
        assert!(Tokenizer::new(&inputs, 14).tokenize(0)[0].error.is_none());
    }

    #[test]
    fn at_files_expand_and_loops_are_reported() {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("pg_hba.conf", InputKind::PgHba, "local @admins trust\nlocal @loop x"));
        inputs.push(SourceFile::from_text("admins", InputKind::Unknown, "alice, bob # c\n\"carol\"\n"));
        inputs.push(SourceFile::from_text("loop", InputKind::Unknown, "@loop"));
        let lines = Tokenizer::new(&inputs, 16).tokenize(0);
        let names: Vec<_> = lines[0].fields[1].tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(names, vec!["alice", "bob", "carol"]);
        assert_eq!(lines[0].fields[1].tokens[0].location.file, 1);
        assert!(lines[1].error.is_some() || lines[1].notes.iter().any(|n| n.kind == ProblemKind::Refused));
    }
}
