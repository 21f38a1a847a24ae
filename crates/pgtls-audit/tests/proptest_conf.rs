//! Printing a parsed postgresql.conf and parsing the printed text again gives the same
//! assignments and the same effective settings, for files generated from the file grammar:
//! bare and quoted values, escapes, `=` or not, comments, CRLF, unicode names and values.

// proptest is a native-only dev-dependency (its randomness source does not build for wasm32).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;

use pgtls_audit::conf::parser::{parse_file, Item};
use pgtls_audit::conf::print::{print_items, print_model};
use pgtls_audit::conf::ConfModel;
use pgtls_audit::{AuditOptions, InputKind, Inputs, SourceFile};

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "ssl", "SSL", "ssl_ciphers", "Ssl_Min_Protocol_Version", "ssl_cert_file", "ssl_key_file",
            "ssl_ca_file", "ssl_crl_file", "ssl_passphrase_command", "listen_addresses", "password_encryption",
            "ssl_ecdh_curve", "include", "include_if_exists", "include_dir", "custom.setting", "ssl_dh_params_file",
        ])
        .prop_map(str::to_string),
        "[A-Za-z_][A-Za-z0-9_]{0,12}",
        "[a-z_]{1,6}\\.[a-z_][a-z0-9_]{0,6}",
        "[é_ü][a-zé0-9]{0,5}",
    ]
}

/// The body of a quoted string: plain characters, doubled and escaped quotes, backslash
/// escapes (including octal ones and a NUL that ends the value), unicode.
fn quoted_body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[ -&(-\\[\\]-~]{1,6}",
            Just("''".to_string()),
            Just("\\'".to_string()),
            Just("\\\\".to_string()),
            prop::sample::select(vec!["\\n", "\\t", "\\r", "\\b", "\\f", "\\101", "\\7", "\\0", "\\377", "\\q", "\\#"])
                .prop_map(str::to_string),
            "[é日本語😀\u{7f}\u{85}\u{2028}\u{feff}\r]{1,3}",
        ],
        0..6,
    )
    .prop_map(|parts| parts.concat())
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        quoted_body().prop_map(|b| format!("'{b}'")),
        prop::sample::select(vec!["on", "off", "TLSv1.2", "HIGH:MEDIUM", "server.crt", "/etc/x", "1.5e3", ".", "0x1F"])
            .prop_map(str::to_string),
        "[A-Za-z][A-Za-z0-9_.:/-]{0,10}",
        "[+-]?[0-9]{1,5}(kB|MB|s|min)?",
        "[+-]?[0-9]{0,3}\\.[0-9]{0,3}",
        // Tokens that make the line a syntax error.
        prop::sample::select(vec!["'unterminated", "*", "= =", "a b", "'a'' b", "\"q\""]).prop_map(str::to_string),
    ]
}

fn line() -> impl Strategy<Value = String> {
    let blank = "[ \t]{0,3}";
    let comment = prop_oneof![Just(String::new()), "[ \t]{0,2}#[ -~é]{0,10}"];
    prop_oneof![
        8 => (blank, name(), prop_oneof![Just(" = "), Just("="), Just(" "), Just("\t=\t")], value(), comment.clone())
            .prop_map(|(lead, n, eq, v, c)| format!("{lead}{n}{eq}{v}{c}")),
        1 => comment,
        1 => "[ -~]{0,12}",
    ]
}

fn conf_file() -> impl Strategy<Value = String> {
    (prop::collection::vec((line(), prop_oneof![Just("\n"), Just("\r\n"), Just("\r\r\n")]), 0..12), any::<bool>())
        .prop_map(|(lines, final_newline)| {
            let mut text: String = lines.into_iter().map(|(l, end)| l + end).collect();
            if !final_newline && text.ends_with('\n') {
                text.pop();
            }
            text
        })
}

/// What an item means: the written name (or directive) and the de-quoted value.
fn meaning(items: &[Item]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|item| match item {
            Item::Assignment(a) => (a.name.clone(), a.value.clone()),
            Item::Include { kind, path, .. } => (kind.directive().to_string(), path.clone()),
        })
        .collect()
}

fn model_of(text: String, version: u32) -> ConfModel {
    let mut inputs = Inputs::new();
    inputs.push(SourceFile::from_text("postgresql.conf", InputKind::PostgresqlConf, text));
    let mut options = AuditOptions::new(0);
    options.pg_version = version;
    ConfModel::build(&inputs, &options)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn printed_file_reads_back_to_the_same_lines(text in conf_file()) {
        let parsed = parse_file(0, "postgresql.conf", &text);
        let printed = print_items(&parsed.items);
        let again = parse_file(0, "postgresql.conf", &printed);
        prop_assert!(again.errors.is_empty(), "printed text has errors: {:?}\n{printed}", again.errors);
        prop_assert_eq!(meaning(&parsed.items), meaning(&again.items), "printed:\n{}", printed);
    }

    #[test]
    fn printed_model_has_the_same_effective_settings(text in conf_file(), version in prop::sample::select(vec![12u32, 15, 18])) {
        let model = model_of(text, version);
        let printed = print_model(&model);
        let again = model_of(printed.clone(), version);
        let settings = |m: &ConfModel| {
            m.assignments.iter().map(|a| (a.written_name.clone(), a.setting.name.clone(), a.setting.value.clone())).collect::<Vec<_>>()
        };
        prop_assert_eq!(settings(&model), settings(&again), "printed:\n{}", printed);
        for a in &model.assignments {
            let name = &a.setting.name;
            prop_assert_eq!(
                model.effective(name).map(|s| (&s.name, &s.value)),
                again.effective(name).map(|s| (&s.name, &s.value))
            );
        }
    }
}

#[test]
fn quoting_survives_the_lexer() {
    let text = "a = 'it''s \\\\ x\\ny'\nb = server.crt\nc 'd'\r\n";
    let parsed = parse_file(0, "p", text);
    let printed = print_items(&parsed.items);
    assert_eq!(printed, "a = 'it''s \\\\ x\\ny'\nc = 'd'\n");
    assert_eq!(meaning(&parse_file(0, "p", &printed).items), meaning(&parsed.items));
}

/// The grammar must mostly produce assignments, or the round trip would prove little.
#[test]
fn the_grammar_produces_assignments() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut items, mut errors) = (0, 0);
    for _ in 0..200 {
        let text = conf_file().new_tree(&mut runner).unwrap().current();
        let parsed = parse_file(0, "p", &text);
        items += parsed.items.len();
        errors += parsed.errors.len();
    }
    assert!(items > 2 * errors && items > 500, "{items} assignments, {errors} errors");
}
