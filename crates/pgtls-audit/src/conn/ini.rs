//! pg_service.conf (read exactly as libpq's `parseServiceFile` reads it) and pgbouncer.ini.

use crate::source::Span;

/// One `key=value` line of a section. Spans are into the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    pub key_span: Span,
    pub value_span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    pub name_span: Span,
    pub entries: Vec<Entry>,
}

impl Section {
    /// libpq keeps the first value of a keyword within a service section ("don't override
    /// any previous explicit setting"); pgbouncer keeps the last.
    pub fn first(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    pub fn last(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().rev().find(|e| e.key == key)
    }
}

/// A located problem, with libpq's message where libpq has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IniError {
    pub span: Span,
    pub message: String,
}

fn lines(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').enumerate().map(move |(n, line)| {
        let base = offset;
        offset += line.len();
        (n + 1, base, line.trim_end_matches(['\n', '\r']))
    })
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// pg_service.conf: leading and trailing blanks dropped, `#` comment lines, `[name]`
/// sections, and `keyword=value` with nothing trimmed around the `=` (so `sslmode = require`
/// is the unknown keyword "sslmode " and a syntax error, as libpq says).
pub fn parse_service_file(text: &str, file_name: &str, version: u32) -> (Vec<Section>, Vec<IniError>) {
    let mut sections: Vec<Section> = Vec::new();
    let mut errors = Vec::new();
    for (n, base, raw) in lines(text) {
        let lead = raw.len() - raw.trim_start_matches(is_space).len();
        let line = raw.trim_start_matches(is_space).trim_end_matches(is_space);
        let start = base + lead;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest.split(']').next().unwrap_or(rest);
            sections.push(Section {
                name: name.to_string(),
                name_span: Span::new(start + 1, start + 1 + name.len()),
                entries: Vec::new(),
            });
            continue;
        }
        let Some(section) = sections.last_mut() else {
            // libpq skips lines before the first section: no group has been found yet.
            continue;
        };
        let line_span = Span::new(start, start + line.len());
        let Some((key, value)) = line.split_once('=') else {
            errors.push(IniError { span: line_span, message: format!("syntax error in service file \"{file_name}\", line {n}") });
            continue;
        };
        if key == "service" {
            errors.push(IniError {
                span: line_span,
                message: format!("nested service specifications not supported in service file \"{file_name}\", line {n}"),
            });
            continue;
        }
        if super::libpq::keyword(key, version).is_none() {
            errors.push(IniError { span: line_span, message: format!("syntax error in service file \"{file_name}\", line {n}") });
            continue;
        }
        section.entries.push(Entry {
            key: key.to_string(),
            value: value.to_string(),
            key_span: Span::new(start, start + key.len()),
            value_span: Span::new(start + key.len() + 1, start + line.len()),
        });
    }
    (sections, errors)
}

/// pgbouncer.ini: `[section]`, `key = value` (trimmed, keys case-insensitive), `;` and `#`
/// comment lines.
pub fn parse_pgbouncer(text: &str) -> (Vec<Section>, Vec<IniError>) {
    let mut sections: Vec<Section> = Vec::new();
    let mut errors = Vec::new();
    for (n, base, raw) in lines(text) {
        let lead = raw.len() - raw.trim_start().len();
        let line = raw.trim();
        let start = base + lead;
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let Some(name) = rest.strip_suffix(']') else {
                errors.push(IniError { span: Span::new(start, start + line.len()), message: format!("pgbouncer.ini line {n}: section header without \"]\"") });
                continue;
            };
            sections.push(Section { name: name.trim().to_ascii_lowercase(), name_span: Span::new(start + 1, start + 1 + name.len()), entries: Vec::new() });
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            errors.push(IniError { span: Span::new(start, start + line.len()), message: format!("pgbouncer.ini line {n}: expected key = value") });
            continue;
        };
        if sections.is_empty() {
            errors.push(IniError { span: Span::new(start, start + line.len()), message: format!("pgbouncer.ini line {n}: setting outside any [section]") });
            continue;
        }
        let k = key.trim_end();
        let v_lead = value.len() - value.trim_start().len();
        let v = value.trim();
        let v_start = start + key.len() + 1 + v_lead;
        sections.last_mut().unwrap().entries.push(Entry {
            key: k.to_ascii_lowercase(),
            value: v.to_string(),
            key_span: Span::new(start, start + k.len()),
            value_span: Span::new(v_start, v_start + v.len()),
        });
    }
    (sections, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_file_reads_as_libpq_does() {
        let text = "[prod]\nhost=db\nsslmode=verify-full\nsslmode=disable\nsslrootcert = /ca\n";
        let (sections, errors) = parse_service_file(text, "pg_service.conf", 16);
        assert_eq!(sections[0].first("sslmode").unwrap().value, "verify-full");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "syntax error in service file \"pg_service.conf\", line 5");
    }

    #[test]
    fn pgbouncer_trims_and_lowercases_keys() {
        let (sections, errors) = parse_pgbouncer("[pgbouncer]\n Server_TLS_SSLMode = verify-full \nbroken\n");
        assert_eq!(sections[0].last("server_tls_sslmode").unwrap().value, "verify-full");
        assert_eq!(errors.len(), 1);
    }
}
