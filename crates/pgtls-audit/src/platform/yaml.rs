//! YAML (and JSON, which YAML 1.2 reads) into a small tree whose every node keeps its byte span,
//! so that findings about a manifest point at the line the user wrote. yaml-rust2's event parser
//! gives positions; serde-based loaders drop them, which is why the tree is built here.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
    /// An alias (`*name`): the anchored value is not copied, only noted.
    Alias,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
    /// Whether a scalar was written plain (unquoted), so its text in the file equals its value.
    pub plain: bool,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The entry (key node and value node) of `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// Follows a path of keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    /// A scalar as a string, a number or a boolean written in any of YAML's ways.
    pub fn scalar_text(&self) -> Option<&str> {
        self.as_str().map(str::trim)
    }
}

/// A document that did not parse, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub span: Span,
    pub message: String,
}

/// Byte offsets of the parser's markers. A marker counts characters from the start of the
/// text, whatever the line breaks (YAML reads a lone carriage return as one, so counting lines
/// by `\n` would place a marker elsewhere than it is).
struct CharOffsets {
    /// Byte offset of every character; empty when the text is ASCII (offsets are indices).
    table: Vec<usize>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        let table = if text.is_ascii() { Vec::new() } else { text.char_indices().map(|(i, _)| i).collect() };
        CharOffsets { table, len: text.len() }
    }

    fn of(&self, mark: Marker) -> usize {
        if self.table.is_empty() {
            mark.index().min(self.len)
        } else {
            self.table.get(mark.index()).copied().unwrap_or(self.len)
        }
    }
}

struct Builder<'a> {
    text: &'a str,
    offsets: CharOffsets,
    stack: Vec<(Node, Option<Node>)>,
    docs: Vec<Node>,
}

impl Builder<'_> {
    /// End of a scalar that starts at `start`: a plain scalar ends where its value ends; a
    /// quoted one at its closing quote; a block scalar at the end of its line.
    fn scalar_end(&self, start: usize, value: &str, style: TScalarStyle) -> usize {
        let rest = &self.text[start..];
        match style {
            TScalarStyle::Plain if rest.starts_with(value) => start + value.len(),
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
                let quote = if style == TScalarStyle::SingleQuoted { '\'' } else { '"' };
                let mut escaped = false;
                for (i, c) in rest.char_indices().skip(1) {
                    if quote == '"' && c == '\\' && !escaped {
                        escaped = true;
                        continue;
                    }
                    if c == quote && !escaped {
                        // '' inside single quotes is an escaped quote.
                        if quote == '\'' && rest[i + 1..].starts_with('\'') {
                            escaped = true;
                            continue;
                        }
                        return start + i + 1;
                    }
                    escaped = false;
                }
                self.text.len()
            }
            _ => start + rest.find('\n').unwrap_or(rest.len()),
        }
    }

    fn push_value(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.docs.push(node),
            Some((parent, pending_key)) => match &mut parent.value {
                Value::Seq(items) => items.push(node),
                Value::Map(entries) => match pending_key.take() {
                    None => *pending_key = Some(node),
                    Some(key) => entries.push((key, node)),
                },
                _ => {}
            },
        }
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = self.offsets.of(mark);
        match ev {
            Event::Scalar(value, style, _, _) => {
                let end = self.scalar_end(at, &value, style).max(at);
                let plain = style == TScalarStyle::Plain && self.text[at..end] == value;
                self.push_value(Node { value: Value::Scalar(value), span: Span::new(at, end), plain });
            }
            Event::Alias(_) => self.push_value(Node { value: Value::Alias, span: Span::at(at), plain: false }),
            Event::SequenceStart(..) => {
                self.stack.push((Node { value: Value::Seq(Vec::new()), span: Span::at(at), plain: false }, None))
            }
            Event::MappingStart(..) => {
                self.stack.push((Node { value: Value::Map(Vec::new()), span: Span::at(at), plain: false }, None))
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((mut node, _)) = self.stack.pop() {
                    let last_end = match &node.value {
                        Value::Seq(items) => items.last().map(|n| n.span.end),
                        Value::Map(entries) => entries.last().map(|(_, v)| v.span.end),
                        _ => None,
                    };
                    node.span = Span::new(node.span.start, last_end.unwrap_or(at).max(node.span.start));
                    self.push_value(node);
                }
            }
            _ => {}
        }
    }
}

/// Parses every document of a YAML (or JSON) stream. On a syntax error, the documents before
/// it are kept and the error says where.
pub fn load(text: &str) -> (Vec<Node>, Option<LoadError>) {
    let mut builder = Builder { text, offsets: CharOffsets::new(text), stack: Vec::new(), docs: Vec::new() };
    let mut parser = Parser::new_from_str(text);
    let error = parser.load(&mut builder, true).err().map(|e| {
        let at = builder.offsets.of(*e.marker());
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        LoadError { span: Span::new(at, line_end), message: e.info().to_string() }
    });
    (builder.docs, error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_the_text() {
        let text = "kind: Cluster\nspec:\n  pg_hba:\n    - hostssl all all 0.0.0.0/0 scram-sha-256\n    - 'host all all ::/0 md5'\n";
        let (docs, err) = load(text);
        assert!(err.is_none());
        let hba = docs[0].path(&["spec", "pg_hba"]).unwrap();
        let first = &hba.items()[0];
        assert_eq!(&text[first.span.start..first.span.end], "hostssl all all 0.0.0.0/0 scram-sha-256");
        assert!(first.plain);
        let second = &hba.items()[1];
        assert_eq!(&text[second.span.start..second.span.end], "'host all all ::/0 md5'");
        assert!(!second.plain);
        assert_eq!(docs[0].get("kind").unwrap().as_str(), Some("Cluster"));
    }

    #[test]
    fn spans_hold_with_lone_carriage_returns_and_non_ascii_text() {
        let text = "a: 1\rkind: Cluster\r\nname: 'Οδυσσέας'\nc: x\r";
        let (docs, err) = load(text);
        assert!(err.is_none(), "{err:?}");
        let at = |key: &str| {
            let span = docs[0].get(key).unwrap().span;
            &text[span.start..span.end]
        };
        assert_eq!((at("a"), at("kind"), at("name"), at("c")), ("1", "Cluster", "'Οδυσσέας'", "x"));
    }

    #[test]
    fn json_and_multiple_documents() {
        let (docs, err) = load("{\"Parameters\": [{\"ParameterName\": \"rds.force_ssl\", \"ParameterValue\": \"0\"}]}");
        assert!(err.is_none());
        let p = &docs[0].get("Parameters").unwrap().items()[0];
        assert_eq!(p.get("ParameterValue").unwrap().as_str(), Some("0"));
        let (docs, _) = load("a: 1\n---\nb: 2\n");
        assert_eq!(docs.len(), 2);
    }

    #[test]
    fn errors_are_located_and_never_panic() {
        let (_, err) = load("a: [1, 2\nb: c\n");
        assert!(err.is_some());
        for garbage in ["\u{0}\u{1}", "{{{{", "a: 'unterminated", "- - - -\n  : :", "é: ü\n  - x"] {
            let (_, err) = load(garbage);
            if let Some(e) = err {
                assert!(e.span.end <= garbage.len());
            }
        }
    }
}
