//! Where each member of a live result's JSON sits in its text, so that a finding can point at the
//! line that shows it. serde_json reads the values but keeps no positions, and no maintained
//! crate gives byte spans for a JSON document without replacing serde_json's data model; this
//! small walker runs only on text serde_json has already accepted.

use std::collections::BTreeMap;

use crate::source::Span;

/// Spans by path: `plaintext`, `protocols.TLSv1.3`, `certificates[0]`, `failures[1]`. A member's
/// span runs from its key's opening quote to the end of its value; an array element's covers
/// the element.
pub type SpanMap = BTreeMap<String, Span>;

/// Paths deeper than this are not recorded; the live result needs three (`failures[0].reason`).
const MAX_RECORDED_DEPTH: usize = 3;
/// Nesting beyond this stops the walk (serde_json itself stops at 128).
const MAX_DEPTH: usize = 128;

pub fn locate(text: &str) -> SpanMap {
    let mut walker = Walker { bytes: text.as_bytes(), pos: 0, spans: SpanMap::new() };
    walker.skip_ws();
    walker.value("", 0);
    walker.spans
}

struct Walker<'a> {
    bytes: &'a [u8],
    pos: usize,
    spans: SpanMap,
}

impl Walker<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Walks one value starting at `pos`; returns its end.
    fn value(&mut self, path: &str, depth: usize) -> usize {
        if depth > MAX_DEPTH {
            self.pos = self.bytes.len();
            return self.pos;
        }
        match self.peek() {
            Some(b'{') => self.object(path, depth),
            Some(b'[') => self.array(path, depth),
            Some(b'"') => {
                self.string();
                self.pos
            }
            Some(_) => {
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.pos += 1;
                }
                self.pos
            }
            None => self.pos,
        }
    }

    /// Skips a string starting at its opening quote; returns its contents' span.
    fn string(&mut self) -> Span {
        let start = self.pos + 1;
        self.pos += 1;
        while let Some(c) = self.peek() {
            match c {
                b'\\' => self.pos += 2,
                b'"' => {
                    let span = Span::new(start, self.pos);
                    self.pos += 1;
                    return span;
                }
                _ => self.pos += 1,
            }
        }
        self.pos = self.bytes.len();
        Span::new(start.min(self.pos), self.pos)
    }

    fn object(&mut self, path: &str, depth: usize) -> usize {
        self.pos += 1;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') => {
                    self.pos += 1;
                    return self.pos;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                _ => return self.bytes.len(),
            }
            let key_start = self.pos;
            let key = self.string();
            let key = std::str::from_utf8(&self.bytes[key.start..key.end]).unwrap_or("").to_string();
            self.skip_ws();
            if self.peek() != Some(b':') {
                return self.bytes.len();
            }
            self.pos += 1;
            self.skip_ws();
            let child = if path.is_empty() { key } else { format!("{path}.{key}") };
            let end = self.value(&child, depth + 1);
            if depth < MAX_RECORDED_DEPTH {
                self.spans.insert(child, Span::new(key_start, end.max(key_start)));
            }
        }
    }

    fn array(&mut self, path: &str, depth: usize) -> usize {
        self.pos += 1;
        let mut index = 0;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b']') => {
                    self.pos += 1;
                    return self.pos;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                None => return self.bytes.len(),
                _ => {}
            }
            let start = self.pos;
            let child = format!("{path}[{index}]");
            let end = self.value(&child, depth + 1);
            if end == start {
                return self.bytes.len();
            }
            if depth < MAX_RECORDED_DEPTH {
                self.spans.insert(child, Span::new(start, end));
            }
            index += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_and_elements_are_located() {
        let text = "{\n  \"plaintext\": \"accepted\",\n  \"protocols\": {\n    \"TLSv1.3\": false\n  },\n  \"certificates\": [\n    \"a\\\"b\",\n    \"c\"\n  ]\n}";
        let spans = locate(text);
        let at = |p: &str| &text[spans[p].start..spans[p].end];
        assert_eq!(at("plaintext"), "\"plaintext\": \"accepted\"");
        assert_eq!(at("protocols.TLSv1.3"), "\"TLSv1.3\": false");
        assert_eq!(at("certificates[0]"), "\"a\\\"b\"");
        assert_eq!(at("certificates[1]"), "\"c\"");
    }

    #[test]
    fn garbage_never_panics() {
        for text in ["", "{", "{\"a\"", "{\"a\":", "[1,", "\"", "{\"a\":[{\"b\":\"\\", "}}}", "[[[[["] {
            let _ = locate(text);
        }
        let deep = "[".repeat(100_000);
        let _ = locate(&deep);
    }
}
