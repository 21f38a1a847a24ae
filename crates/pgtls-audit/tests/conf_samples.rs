//! Every postgresql.conf.sample PostgreSQL ships reads cleanly at its own version, both as
//! shipped (all settings commented out) and with every setting uncommented, which checks the
//! parameter table's names, types, enum values, units and ranges against each version's defaults.

use pgtls_audit::rules::Context;
use pgtls_audit::{AuditOptions, Diagnostic, InputKind, Inputs, Model, SourceFile};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus");

/// Parameters of the development branch after 19 that its sample (the top-level one) lists.
const NEWER_THAN_19: &[&str] = &["enable_groupagg", "log_statement_max_length", "output_plugin_libraries"];

fn samples() -> Vec<(u32, String, String)> {
    let mut out = Vec::new();
    for version in 14..=19 {
        let path = format!("{CORPUS}/by-version/REL_{version}_STABLE/postgresql.conf.sample");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        out.push((version, path, text));
    }
    let top = format!("{CORPUS}/postgresql.conf.sample");
    out.push((19, top.clone(), std::fs::read_to_string(&top).unwrap()));
    out
}

fn refusals(version: u32, text: &str) -> Vec<Diagnostic> {
    let mut inputs = Inputs::new();
    inputs.push(SourceFile::from_text("postgresql.conf", InputKind::PostgresqlConf, text));
    let mut options = AuditOptions::new(0);
    options.pg_version = version;
    let model = Model::build(&inputs, &options);
    let cx = Context { inputs: &inputs, options: &options, model: &model };
    let mut out = Vec::new();
    for rule in pgtls_audit::conf::rules::RULES.iter().filter(|r| matches!(r.meta.id, "CONF007" | "CONF008")) {
        (rule.check)(&cx, &mut out);
    }
    out
}

/// The sample with each `#name = value` setting line uncommented (include lines stay comments).
fn uncommented(text: &str, skip: &[&str]) -> (String, usize) {
    let mut count = 0;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let Some(rest) = line.strip_prefix('#') else { return line.to_string() };
            let name: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_').collect();
            if name.is_empty() || !rest[name.len()..].starts_with(" = ") || name.starts_with("include") || skip.contains(&name.as_str()) {
                return line.to_string();
            }
            count += 1;
            rest.to_string()
        })
        .collect();
    (lines.join("\n"), count)
}

#[test]
fn samples_as_shipped_read_cleanly() {
    for (version, path, text) in samples() {
        let found = refusals(version, &text);
        assert!(found.is_empty(), "{path} at {version}: {:?}", found.iter().map(|d| &d.message).collect::<Vec<_>>());
    }
}

#[test]
fn every_sample_setting_is_valid_at_its_version() {
    let mut total = 0;
    for (version, path, text) in samples() {
        let (text, count) = uncommented(&text, NEWER_THAN_19);
        assert!(count > 250, "{path}: only {count} settings found");
        total += count;
        let found = refusals(version, &text);
        assert!(found.is_empty(), "{path} at {version}: {:#?}", found.iter().map(|d| &d.message).collect::<Vec<_>>());
    }
    println!("conf_samples: {total} sample settings valid at their versions");
}

#[test]
fn settings_of_a_newer_sample_are_flagged_on_an_older_version() {
    // The 18 sample uncommented, read as 17: ssl_groups, ssl_tls13_ciphers and the other 18
    // additions are refused, each as CONF008.
    let text = &samples()[4].2;
    let (text, _) = uncommented(text, &[]);
    let found = refusals(17, &text);
    let names: Vec<&str> = found.iter().filter(|d| d.rule.id == "CONF008").map(|d| d.message.split(' ').next().unwrap()).collect();
    for expected in ["ssl_groups", "ssl_tls13_ciphers", "md5_password_warnings", "oauth_validator_libraries"] {
        assert!(names.contains(&expected), "{expected} not flagged: {names:?}");
    }
    // And log_connections, a boolean until 17, refuses 18's list syntax ('').
    let others: Vec<&str> = found.iter().filter(|d| d.rule.id != "CONF008").map(|d| d.message.as_str()).collect();
    assert_eq!(others, vec!["parameter \"log_connections\" requires a Boolean value"]);
}
