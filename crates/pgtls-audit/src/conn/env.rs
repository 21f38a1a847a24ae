//! Environment blocks: dotenv and shell lines (`PGSSLMODE=...`, `export PGSSLROOTCERT=...`),
//! docker-compose lists and maps, and Kubernetes env entries in YAML
//! (`- name: PGSSLMODE` / `value: ...`) or JSON (`{"name": "PGSSLMODE", "value": "..."}`).

use std::sync::OnceLock;

use regex_lite::Regex;

use crate::source::Span;

/// One variable as a block sets it. Spans are into the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    pub value: String,
    pub name_span: Span,
    pub value_span: Span,
}

fn shell_line() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"^\s*(?:export\s+|set\s+|-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(=|:\s)\s*(.*?)\s*$"#).unwrap()
    })
}

fn yaml_name() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"^\s*-?\s*"?name"?\s*:\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?\s*,?\s*$"#).unwrap())
}

fn yaml_value() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"^\s*"?value"?\s*:\s*(.*?)\s*,?\s*$"#).unwrap())
}

fn json_entry() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"\{\s*"name"\s*:\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*,\s*"value"\s*:\s*"((?:[^"\\]|\\.)*)"\s*\}"#).unwrap()
    })
}

/// Strips one level of shell or YAML quoting, returning the value and its offset within `raw`.
fn unquote(raw: &str) -> (String, usize, usize) {
    let t = raw.trim();
    let lead = raw.len() - raw.trim_start().len();
    let quote = t.chars().next().filter(|c| *c == '"' || *c == '\'');
    if let Some(close) = quote.and_then(|q| t[1..].find(q)) {
        // Anything after the closing quote (a comment) is not part of the value.
        let inner = &t[1..1 + close];
        let value = if t.starts_with('"') { inner.replace("\\\"", "\"").replace("\\\\", "\\") } else { inner.to_string() };
        return (value, lead + 1, lead + 1 + inner.len());
    }
    // An unquoted shell or dotenv value ends at a ` #` comment.
    let cut = t.find(" #").unwrap_or(t.len());
    (t[..cut].trim_end().to_string(), lead, lead + t[..cut].trim_end().len())
}

/// Every variable the block sets, in order. Lines that set nothing are skipped: an environment
/// block is usually part of a larger file (a Deployment, a compose file, a shell script).
pub fn parse(text: &str) -> Vec<EnvVar> {
    let mut vars = Vec::new();
    let mut offset = 0;
    let mut pending_name: Option<(String, Span)> = None;
    for line in text.split_inclusive('\n') {
        let base = offset;
        offset += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        let mut found_json = false;
        for c in json_entry().captures_iter(line) {
            let (n, v) = (c.get(1).unwrap(), c.get(2).unwrap());
            vars.push(EnvVar {
                name: n.as_str().to_string(),
                value: v.as_str().replace("\\\"", "\"").replace("\\\\", "\\"),
                name_span: Span::new(base + n.start(), base + n.end()),
                value_span: Span::new(base + v.start(), base + v.end()),
            });
            found_json = true;
        }
        if found_json {
            continue;
        }
        if let Some(c) = yaml_name().captures(line) {
            let n = c.get(1).unwrap();
            pending_name = Some((n.as_str().to_string(), Span::new(base + n.start(), base + n.end())));
            continue;
        }
        if let Some((name, name_span)) = pending_name.take() {
            if let Some(c) = yaml_value().captures(line) {
                let v = c.get(1).unwrap();
                let (value, s, e) = unquote(v.as_str());
                vars.push(EnvVar {
                    name,
                    value,
                    name_span,
                    value_span: Span::new(base + v.start() + s, base + v.start() + e),
                });
                continue;
            }
        }
        if let Some(c) = shell_line().captures(line) {
            let n = c.get(1).unwrap();
            let sep = c.get(2).unwrap().as_str();
            // `KEY: value` is a YAML map entry; only PG variables and URLs are taken from
            // those, so that arbitrary YAML keys are not read as variables.
            if sep != "=" && !n.as_str().starts_with("PG") && !n.as_str().ends_with("_URL") {
                continue;
            }
            let v = c.get(3).unwrap();
            let (value, s, e) = unquote(v.as_str());
            vars.push(EnvVar {
                name: n.as_str().to_string(),
                value,
                name_span: Span::new(base + n.start(), base + n.end()),
                value_span: Span::new(base + v.start() + s, base + v.start() + e),
            });
        }
    }
    vars
}

/// Whether a text looks like an environment block that sets libpq variables.
pub fn sniff(text: &str) -> bool {
    parse(text).iter().any(|v| v.name.starts_with("PG") && super::libpq::KEYWORDS.iter().any(|k| k.envvar == Some(v.name.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        parse(text).into_iter().map(|v| (v.name, v.value)).collect()
    }

    #[test]
    fn dotenv_shell_compose_and_kubernetes() {
        let text = "export PGSSLMODE=require\nPGSSLROOTCERT='/etc/ca.crt' # CA\n";
        assert_eq!(pairs(text), vec![
            ("PGSSLMODE".into(), "require".into()),
            ("PGSSLROOTCERT".into(), "/etc/ca.crt".into())
        ]);
        let yaml = "env:\n  - name: PGSSLMODE\n    value: \"verify-full\"\n  - name: PGHOST\n    value: db\n";
        assert_eq!(pairs(yaml), vec![("PGSSLMODE".into(), "verify-full".into()), ("PGHOST".into(), "db".into())]);
        let json = r#"[{"name": "PGSSLMODE", "value": "disable"}]"#;
        assert_eq!(pairs(json), vec![("PGSSLMODE".into(), "disable".into())]);
        let compose = "environment:\n  PGSSLMODE: prefer\n  - PGHOST=db\n";
        assert_eq!(pairs(compose), vec![("PGSSLMODE".into(), "prefer".into()), ("PGHOST".into(), "db".into())]);
    }

    #[test]
    fn spans_point_at_the_value() {
        let text = "export PGSSLMODE=\"prefer\"\n";
        let v = &parse(text)[0];
        assert_eq!(&text[v.value_span.start..v.value_span.end], "prefer");
    }
}
