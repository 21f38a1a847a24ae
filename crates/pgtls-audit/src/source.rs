//! Source files, byte spans and the line index that turns spans into lines and columns.

use serde::{Deserialize, Serialize};

use crate::detect::InputKind;

/// Index of a file in [`Inputs::files`].
pub type FileId = usize;

/// A half-open byte range `start..end` into a file's decoded text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span {start}..{end} is reversed");
        Span { start, end }
    }

    /// An empty span at `offset`: where text would be inserted.
    pub fn at(offset: usize) -> Self {
        Span { start: offset, end: offset }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn shift(self, by: usize) -> Span {
        Span { start: self.start + by, end: self.end + by }
    }
}

/// A place in one input file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    pub file: FileId,
    pub span: Span,
}

impl Location {
    pub fn new(file: FileId, span: Span) -> Self {
        Location { file, span }
    }
}

/// How columns are counted: UTF-8 bytes for terminals and files, UTF-16 code units for the
/// browser, where JavaScript strings are indexed that way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColumnUnit {
    #[default]
    Utf8,
    Utf16,
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Offsets of line starts, so that a byte offset maps to a line in O(log n).
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte span of a 0-based line, without its line terminator.
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let start = self.line_starts[line.min(self.line_starts.len() - 1)];
        let mut end = self.line_starts.get(line + 1).map_or(text.len(), |next| next - 1);
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        Span::new(start, end.max(start))
    }

    /// 1-based line and column of `offset`. An offset inside a multi-byte character is
    /// moved back to the character's start, so a bad span never panics.
    pub fn line_col(&self, text: &str, offset: usize, unit: ColumnUnit) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let line_text = &text[self.line_starts[line]..offset];
        let column = match unit {
            ColumnUnit::Utf8 => line_text.len(),
            ColumnUnit::Utf16 => line_text.encode_utf16().count(),
        };
        LineCol { line: line + 1, column: column + 1 }
    }
}

/// Where a derived file's text came from. Cloud exports, Kubernetes manifests and compose files
/// are read into derived postgresql.conf, pg_hba.conf and PEM files, so that the same parsers
/// and rules judge them; each derived line maps back to the span of the manifest it came from,
/// and findings are reported there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub file: FileId,
    pub segments: Vec<Segment>,
    /// A managed provider (RDS, Cloud SQL, Azure) sets its own defaults: a setting the export
    /// does not show is unknown, not PostgreSQL's default.
    pub provider_defaults: bool,
}

/// A piece of a derived file and the piece of the original it stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub derived: Span,
    pub original: Span,
}

impl Origin {
    /// Maps a span of the derived file to the original. Within a segment of the same length
    /// (a pg_hba line copied from a YAML list) the mapping is exact; otherwise the span maps to
    /// the whole original segment.
    pub fn map(&self, span: Span) -> Location {
        let containing = self
            .segments
            .iter()
            .find(|s| s.derived.start <= span.start && span.start < s.derived.end.max(s.derived.start + 1))
            .or_else(|| self.segments.iter().rev().find(|s| s.derived.start <= span.start))
            .or(self.segments.first());
        let Some(seg) = containing else {
            return Location::new(self.file, Span::at(0));
        };
        if seg.derived.len() == seg.original.len() && span.start >= seg.derived.start {
            let start = seg.original.start + (span.start - seg.derived.start).min(seg.original.len());
            let end = seg.original.start + span.end.saturating_sub(seg.derived.start).min(seg.original.len());
            Location::new(self.file, Span::new(start, end.max(start)))
        } else {
            Location::new(self.file, seg.original)
        }
    }
}

/// One input of an audit: a file, a pasted text, a `--conn` string or a live result.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The name the user knows it by (a path, a tab name, `--conn #1`).
    pub name: String,
    pub kind: InputKind,
    /// The bytes as given; DER inputs are read from here.
    pub bytes: Vec<u8>,
    /// The bytes decoded as UTF-8, invalid sequences replaced by U+FFFD. Every text parser
    /// reads this, and every span points into it.
    pub text: String,
    pub line_index: LineIndex,
    /// Set on files the engine derived from another input (see [`Origin`]).
    pub origin: Option<Origin>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, kind: InputKind, bytes: impl Into<Vec<u8>>) -> Self {
        let bytes = bytes.into();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let line_index = LineIndex::new(&text);
        SourceFile { name: name.into(), kind, bytes, text, line_index, origin: None }
    }

    pub fn from_text(name: impl Into<String>, kind: InputKind, text: impl Into<String>) -> Self {
        let text = text.into();
        Self::new(name, kind, text.into_bytes())
    }

    /// The last path component of the name, used to match file references such as
    /// `ssl_cert_file = 'server.crt'` or `include 'tls.conf'` against the given inputs.
    pub fn base_name(&self) -> &str {
        base_name(&self.name)
    }

    pub fn line_col(&self, offset: usize, unit: ColumnUnit) -> LineCol {
        self.line_index.line_col(&self.text, offset, unit)
    }

    /// The text of the 0-based line holding `offset`, without its terminator.
    pub fn line_text_at(&self, offset: usize) -> &str {
        let span = self.line_index.line_span(&self.text, self.line_index.line_of(offset.min(self.text.len())));
        &self.text[span.start..span.end]
    }

    /// A span at the end of the file, where a missing setting would be appended.
    pub fn end_span(&self) -> Span {
        Span::at(self.text.len())
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

/// The last component of a `/` or `\` separated path.
pub fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Everything one audit looks at.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    pub files: Vec<SourceFile>,
}

impl Inputs {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        self.files.len() - 1
    }

    /// Adds a file whose kind is detected from its name and content.
    pub fn push_detected(&mut self, name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> FileId {
        let name = name.into();
        let bytes = bytes.into();
        let kind = crate::detect::detect_kind(&name, &bytes);
        self.push(SourceFile::new(name, kind, bytes))
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    pub fn of_kind(&self, kind: InputKind) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().filter(move |(_, f)| f.kind == kind)
    }

    /// Files whose name, or whose base name, equals the base name of `reference`.
    /// References in configs are paths on the server; the audit only has the files it was given.
    pub fn find_by_reference(&self, reference: &str) -> Option<FileId> {
        let wanted = base_name(reference);
        if wanted.is_empty() {
            return None;
        }
        self.files
            .iter()
            .position(|f| f.name == reference)
            .or_else(|| self.files.iter().position(|f| f.base_name() == wanted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_utf8_and_utf16() {
        let text = "a = 1\nname = 'Οδυσσέας' x\n";
        let idx = LineIndex::new(text);
        let x = text.find(" x").unwrap() + 1;
        assert_eq!(idx.line_col(text, x, ColumnUnit::Utf8), LineCol { line: 2, column: 27 });
        assert_eq!(idx.line_col(text, x, ColumnUnit::Utf16), LineCol { line: 2, column: 19 });
        assert_eq!(idx.line_col(text, 0, ColumnUnit::Utf8), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, text.len(), ColumnUnit::Utf8), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn line_col_never_panics_inside_a_character() {
        let text = "é";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 1, ColumnUnit::Utf8).column, 1);
        assert_eq!(idx.line_col(text, 99, ColumnUnit::Utf8).column, 3);
    }

    #[test]
    fn line_span_strips_crlf() {
        let text = "one\r\ntwo";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_span(text, 0), Span::new(0, 3));
        assert_eq!(idx.line_span(text, 1), Span::new(5, 8));
    }

    #[test]
    fn origins_map_exactly_within_equal_segments() {
        let origin = Origin {
            file: 3,
            provider_defaults: false,
            segments: vec![
                Segment { derived: Span::new(0, 10), original: Span::new(100, 110) },
                Segment { derived: Span::new(11, 20), original: Span::new(200, 230) },
            ],
        };
        assert_eq!(origin.map(Span::new(2, 5)), Location::new(3, Span::new(102, 105)));
        assert_eq!(origin.map(Span::new(12, 14)), Location::new(3, Span::new(200, 230)));
        assert_eq!(origin.map(Span::at(25)), Location::new(3, Span::new(200, 230)));
        assert_eq!(Origin { file: 1, segments: vec![], provider_defaults: false }.map(Span::at(4)), Location::new(1, Span::at(0)));
    }

    #[test]
    fn references_match_by_base_name() {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("certs/server.crt", InputKind::Pem, ""));
        assert_eq!(inputs.find_by_reference("/etc/postgresql/16/main/server.crt"), Some(0));
        assert_eq!(inputs.find_by_reference("server.key"), None);
        assert_eq!(inputs.find_by_reference(""), None);
    }
}
