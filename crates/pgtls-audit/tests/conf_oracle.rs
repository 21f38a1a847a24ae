//! Differential test of the postgresql.conf reader against a running PostgreSQL 15: many
//! generated files are written into the data directory, `pg_file_settings` (which re-reads the
//! files at query time) says where PostgreSQL finds an error, and the audit must report a
//! CONF007 or CONF008 on exactly those lines.
//!
//! PostgreSQL reports in phases, so the comparison does too: syntax and include errors first
//! (and, for pg_file_settings, only the first syntax error of each file), else unknown names,
//! else bad values. Value cases use parameters whose value pg_file_settings really checks:
//! not postmaster ones (a valid new value is also an error there, "cannot be changed without
//! restarting"), not backend ones (not checked in a running backend), and no string parameter
//! with a check hook.

use std::collections::BTreeSet;

use pgtls_audit::conf::ConfModel;
use pgtls_audit::rules::Context;
use pgtls_audit::{AuditOptions, InputKind, Inputs, Model, SourceFile};
use pgtls_testpg::TestPg;

/// One generated configuration: postgresql.conf and the files it may include.
struct Case {
    conf: Vec<u8>,
    extra: Vec<(String, Vec<u8>)>,
    /// postgresql.auto.conf, read after postgresql.conf.
    auto: Option<Vec<u8>>,
}

fn case(conf: impl Into<Vec<u8>>) -> Case {
    Case { conf: conf.into(), extra: Vec::new(), auto: None }
}

fn with_files(conf: &str, extra: &[(&str, &str)]) -> Case {
    Case {
        conf: conf.as_bytes().to_vec(),
        extra: extra.iter().map(|(n, t)| (n.to_string(), t.as_bytes().to_vec())).collect(),
        auto: None,
    }
}

fn with_auto(conf: &str, auto: &str) -> Case {
    Case { conf: conf.as_bytes().to_vec(), extra: Vec::new(), auto: Some(auto.as_bytes().to_vec()) }
}

/// The parameter table itself, checked against the server: every parameter whose value
/// pg_file_settings checks gets its bounds, one past each bound, a unit, a bad word, and each
/// enum value. All value errors of a file are reported, so each case holds one line for each
/// of many parameters (a parameter at most once, or the earlier line would be skipped).
fn table_cases() -> Vec<Case> {
    use pgtls_audit::conf::params::{self, ParamContext, ParamType, ParamUnit};
    let mut batches: Vec<Vec<String>> = Vec::new();
    let mut names: Vec<&str> = params::all_names().collect();
    names.sort();
    names.dedup();
    for name in names {
        let Some(def) = params::lookup(name, 15) else { continue };
        // Check hooks that depend on the session or the machine rather than the value:
        // transaction_isolation and transaction_deferrable refuse a change inside the querying
        // transaction (not at server start), and max_stack_depth must stay below the server's
        // `ulimit -s` less 512kB, which the audit cannot know.
        if matches!(name, "transaction_isolation" | "transaction_deferrable" | "max_stack_depth") {
            continue;
        }
        if def.name != name
            || !matches!(def.context, ParamContext::Sighup | ParamContext::User | ParamContext::Superuser | ParamContext::Internal)
        {
            continue;
        }
        let unit_value = match def.unit {
            ParamUnit::Memory(_) => "'1GB'",
            ParamUnit::Time(_) => "'1min'",
            _ => "'1kB'",
        };
        let values: Vec<String> = match def.ty {
            ParamType::Bool => vec!["on".into(), "'bogus'".into(), "'2'".into()],
            ParamType::Enum => {
                let mut v: Vec<String> = def.visible_enum_values().iter().map(|e| format!("'{e}'")).collect();
                v.push("'bogus'".into());
                v
            }
            ParamType::Integer => {
                let (min, max) = (def.min.unwrap_or(0.0) as i64, def.max.unwrap_or(0.0) as i64);
                let mut v = vec![min.to_string(), max.to_string(), unit_value.into(), "'abc'".into()];
                if min > i32::MIN as i64 {
                    v.push((min - 1).to_string());
                }
                if max < i32::MAX as i64 {
                    v.push((max + 1).to_string());
                }
                v
            }
            ParamType::Real => {
                let (min, max) = (def.min.unwrap_or(0.0), def.max.unwrap_or(0.0));
                vec![format!("'{min}'"), format!("'{:e}'", max), format!("'{}'", min - 1.0), format!("'{:e}'", max * 2.0), unit_value.into(), "'abc'".into()]
            }
            ParamType::String | ParamType::Unchecked => continue,
        };
        for (i, v) in values.into_iter().enumerate() {
            if batches.len() <= i {
                batches.push(Vec::new());
            }
            batches[i].push(format!("{name} = {v}"));
        }
    }
    batches
        .into_iter()
        .flat_map(|lines| lines.chunks(60).map(|c| case(c.join("\n") + "\n")).collect::<Vec<_>>())
        .collect()
}

/// Lines put together from fragments of every token class, one to three a file.
fn random_cases(count: usize) -> Vec<Case> {
    let names = [
        "ssl", "SSL", "work_mem", "ssl_ciphers", "x.y", "no_such", "1a", "a.b.c", "ssl_min_protocol_version",
        "statement_timeout", "seq_page_cost", "ssl_prefer_server_ciphers", "'ssl'", "", "password_encryption",
        "authentication_timeout", "vacuum_cost_delay", "ssl_groups", "Work_Mem", "log_min_messages",
    ];
    let seps = [" = ", "=", " ", "  =  ", "\t", " == ", "", " =\t"];
    let fragments = [
        "on", "off", "'", "''", "\\", "128", "MB", "kB", " ", "0x", "1f", ".", "5", "e", "-", "+", ":", "/",
        "TLSv1", "abc", "#c", "\t", "ms", "min", "'x'", "é", "*", "1.5", "md5", "scram-sha-256", ".2", "s",
        "true", "0", "1", "GB", "us", "'1 s'", "'64kB'", "_", "=",
    ];
    let trailing = ["", "", " # c", " x", "\r", " '", "#", " 1"];
    let mut rng = fastrand::Rng::with_seed(20261128);
    (0..count)
        .map(|_| {
            let lines = 1 + rng.usize(..3);
            let mut text = String::new();
            for _ in 0..lines {
                text.push_str(pick(&mut rng, &names));
                text.push_str(pick(&mut rng, &seps));
                for _ in 0..1 + rng.usize(..4) {
                    text.push_str(pick(&mut rng, &fragments));
                }
                text.push_str(pick(&mut rng, &trailing));
                text.push('\n');
            }
            case(text)
        })
        .collect()
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    // Every token class as an unquoted or quoted value of a string parameter without a check
    // hook: only the lexer decides.
    let values = [
        "server.crt", "TLSv1.2", "HIGH:MEDIUM", "HIGH:+3DES", "HIGH:MEDIUM:+3DES:!aNULL", "*", "/etc/x.crt",
        "0x100", "0xZZ", "08", "1.5GB", "1e3", "1.5e3", "1.5e", ".", "-.", "+5", "-5", "128MB", "128 MB", "'abc'",
        "\"x.crt\"", "'it''s'", "'a\\'b'", "'unterminated", "a.b.c", "a.b", "a.b:", "Europe/Berlin", "a-b", "a_b",
        "5a", "1.2.3", ":x", "x:", "x/", "a..b", "ä", "é.crt", "'x' y", "'x' # comment", "x=y", "= x", "",
        "'x'''", "''''", "'a''", "'\\'", "'\\\\'", "'a#b'", "a#b", "a # b", "'\\101\\t'", "@x", "x@y", "$x", "x$",
        "-x", "--1", "+-1", "1-2", "1+2", "0x", "0x1g", "1.", ".5", "1.5.6", "1e+5", "1e-5", "1E5x", "'x'\t",
        "'x'\r", "\t'x'", "x\ty", "'x' 'y'", "on off", "(x)", "[x]", "{x}", "x,y", "'x,y'", "~", "!", "%", "&",
        "'\\n'", "\\", "'\\", "a\\b", "'tab\there'",
    ];
    for v in values {
        out.push(case(format!("ssl_ciphers = {v}\n")));
        out.push(case(format!("ssl_ciphers {v}\n")));
    }
    // Names.
    for name in [
        "ssl", "SSL", "Ssl_Ciphers", "ssl.foo", "a.b.c", "1abc", "_x", "é", "x$", "x-y", "my_ext.param",
        "ssl_groups", "ssl_tls13_ciphers", "ssl_sni", "ssl_crl_dir", "db_user_namespace", "stats_temp_directory",
        "wal_keep_segments", "force_parallel_mode", "debug_parallel_query", "sort_mem", "vacuum_mem", "no_such_thing",
        "'ssl'", "include_foo", "=", "ssl_ecdh_curve", "md5_password_warnings", "scram_iterations",
    ] {
        let value = match name {
            "ssl" | "SSL" | "ssl_sni" | "db_user_namespace" | "md5_password_warnings" => "off",
            "sort_mem" | "vacuum_mem" => "'4MB'",
            "wal_keep_segments" | "scram_iterations" => "10",
            "force_parallel_mode" | "debug_parallel_query" => "off",
            _ => "'x'",
        };
        out.push(case(format!("{name} = {value}\n")));
    }
    // Booleans.
    for v in [
        "on", "off", "true", "false", "yes", "no", "1", "0", "t", "f", "y", "n", "o", "of", "tr", "TRUE", "'On'",
        "' on '", "'on '", "2", "onn", "enable", "''", "'of'", "'offf'", "'ye'", "'nope'", "'-1'", "'1.0'",
    ] {
        out.push(case(format!("ssl_prefer_server_ciphers = {v}\n")));
    }
    // Integers with and without units, ranges.
    let ints = [
        "0", "1", "-1", "10", "600", "601", "0x10", "010", "08", "1.5", "2.5", "1e3", "'1e3'", "1kB", "'1 kB'", "1KB",
        "1mb", "1MB", "1GB", "1TB", "1B", "1s", "1min", "1h", "1d", "1ms", "1us", "30s", "'30 s'", "'abc'", "''",
        "' 5 '", "9999999999", "-9999999999", "'1.5min'", "'0.5s'", "'inf'", "'nan'", "'1 kBx'", "'5 5'", "1e10",
        "0x7fffffff", "0x80000000", "'1.5GB'", "'1.5 GB'", "'0.5kB'", "'1 k B'", "'1min '", "'-0'", "'+7'", "'0x'",
        "'2147483647'", "'2147483648'", "'-2147483648'", "'-2147483649'", "'1e-3'", "'0.4'", "'0.5'", "'1.5e1'",
        "'100000000000000000000'", "'3600000s'", "'35791395min'", "'24855d'", "'1 d'", "'1 D'",
    ];
    for param in [
        "authentication_timeout", "work_mem", "statement_timeout", "vacuum_cost_limit", "temp_file_limit",
        "log_rotation_age", "checkpoint_timeout", "log_rotation_size", "bgwriter_delay", "effective_cache_size",
        "deadlock_timeout", "log_temp_files",
    ] {
        for v in ints {
            out.push(case(format!("{param} = {v}\n")));
        }
    }
    // Reals.
    for param in ["seq_page_cost", "autovacuum_vacuum_scale_factor", "vacuum_cost_delay", "cursor_tuple_fraction", "jit_above_cost", "checkpoint_completion_target"] {
        for v in [
            "0", "1.5", "-1", "1e3", "'1e3'", "'inf'", "'-inf'", "'nan'", "'0x10'", "1ms", "100ms", "101ms", "'0.1s'",
            "1us", "'abc'", "''", "'0x1p3'", "'1e400'", "'1e-400'", "'100'", "'100.0001'", "'1 ms'", "'1ms '", "'-0'",
            "'.5'", "'5.'", "'1.79769e308'", "'1.7977e308'", "'infinity'", "'1s'", "'0.9'", "'1.1'", "'10'", "'101'",
        ] {
            out.push(case(format!("{param} = {v}\n")));
        }
    }
    // Enums, with every visible value, its case variant and the hidden-alias candidates.
    let hidden = ["on", "off", "true", "false", "yes", "no", "1", "0", "debug", "info", "archive", "hot_standby"];
    for (param, visible) in [
        ("ssl_min_protocol_version", &["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", "", "TLSv1.4", " TLSv1.2", "tlsv1.3", "SSLv3"][..]),
        ("ssl_max_protocol_version", &["", "TLSv1", "TLSv1.2", "TLSV1.3", "TLSv1.0", "TLSv2"][..]),
        ("password_encryption", &["md5", "scram-sha-256", "SCRAM-SHA-256", "scram", "plain", "MD5"][..]),
        ("synchronous_commit", &["local", "remote_write", "remote_apply", "REMOTE_APPLY", "remote"][..]),
        ("constraint_exclusion", &["partition", "Partition", "always"][..]),
        ("client_min_messages", &["debug5", "debug1", "log", "notice", "warning", "error", "fatal", "panic", "debug6"][..]),
        ("log_min_messages", &["debug5", "info", "fatal", "panic", "log", "debug0"][..]),
        ("wal_compression", &["pglz", "lz4", "zstd", "gzip", "LZ4"][..]),
        ("compute_query_id", &["auto", "regress", "AUTO", "always"][..]),
        ("recovery_prefetch", &["try", "TRY", "maybe"][..]),
        ("backslash_quote", &["safe_encoding", "unsafe"][..]),
        ("log_error_verbosity", &["terse", "default", "verbose", "VERBOSE", "full"][..]),
    ] {
        for v in visible.iter().chain(hidden.iter()) {
            out.push(case(format!("{param} = '{v}'\n")));
        }
    }
    // Read-only parameters.
    for line in ["ssl_library = 'OpenSSL'", "server_version = '15'", "block_size = 8192", "data_checksums = off", "is_superuser = off", "lc_collate = 'C'"] {
        out.push(case(format!("{line}\n")));
    }
    // A few lines: phases, duplicates, first syntax error only.
    for text in [
        "work_mem = bogus\nwork_mem = '4MB'\n",
        "WORK_MEM = bogus\nwork_mem = '4MB'\n",
        "work_mem = '4MB'\nwork_mem = bogus\n",
        "ssl_ciphers = a b\nssl_ciphers = c d\n",
        "no_such = 1\nssl = bogus\n",
        "ssl = bogus\nno_such = 1\nalso_no = 2\n",
        "ssl = bogus\nwork_mem = 1mb\nssl_min_protocol_version = 'x'\n",
        "ssl = on\nssl_cert_file = server.crt\nno_such = 1\n",
        "# comment only\n\n   \n\t# more\n",
        "",
        "ssl = on",
        "ssl = on\r\nssl_ciphers = 'HIGH'\r\n",
        "ssl = on\nssl_ciphers = 'HIGH' # trailing\n  # indented comment\nssl_prefer_server_ciphers=on\n",
        "ssl_ciphers = 'x\ny'\n",
        "ssl_ciphers = '\n",
        "\n\n\nssl_ciphers = *\n",
        "ssl_ciphers = 'a'\nssl_ciphers = 'b'\nssl_ciphers = 'c' x\n",
        "sort_mem = bogus\nwork_mem = '4MB'\n",
        "password_encryption = md5\npassword_encryption = on\n",
        "include_if_exists 'definitely-missing.conf'\nssl = on\n",
        "include_if_exists = ''\n",
        "include ''\n",
        "include '   '\n",
        "include_dir ''\n",
        "include 'postgresql.conf'\n",
        "include\n",
        "include = \n",
        "include_dir 'no-such-dir-here' x\n",
    ] {
        out.push(case(text));
    }
    // Bytes PostgreSQL sees but people rarely write: a long value, control characters, bytes
    // that are not UTF-8.
    out.push(case(format!("ssl_ciphers = '{}'\n", "A".repeat(100_000))));
    out.push(case(format!("ssl_ciphers = {}\n", "A".repeat(100_000))));
    out.push(case(b"ssl_ciphers = '\xff\xfe'\n".to_vec()));
    out.push(case(b"ssl_ciphers = \xff\xfe\n".to_vec()));
    out.push(case(b"\xff = 1\n".to_vec()));
    out.push(case(b"ssl_ciphers = \x01\n".to_vec()));
    out.push(case(b"ssl_ciphers = 'x'\x0c\n".to_vec()));
    out.push(case(b"ssl_ciphers = 'x'\x0b\n".to_vec()));
    // Includes, resolved against the including file's directory.
    out.push(with_files("include 'inc1.conf'\nssl = on\n", &[("inc1.conf", "ssl_ciphers = 'HIGH'\n")]));
    out.push(with_files("include 'inc1.conf'\n", &[("inc1.conf", "ssl_ciphers = HIGH:+3DES\n")]));
    out.push(with_files("include 'inc1.conf'\n", &[("inc1.conf", "no_such = 1\n")]));
    out.push(with_files("include 'inc1.conf'\n", &[("inc1.conf", "work_mem = 1mb\n")]));
    out.push(with_files("include 'inc1.conf'\n", &[("inc1.conf", "include 'inc1.conf'\n")]));
    out.push(with_files("include 'inc1.conf'\n", &[("inc1.conf", "include 'inc2.conf'\n"), ("inc2.conf", "include 'inc1.conf'\n")]));
    out.push(with_files("include_if_exists 'inc1.conf'\n", &[("inc1.conf", "ssl = bogus\n")]));
    out.push(with_files("INCLUDE = 'inc1.conf'\n", &[("inc1.conf", "ssl = on\n")]));
    out.push(with_files("include 'missing1.conf'\nssl = on\n", &[]));
    out.push(with_files("include_dir 'conf.d'\n", &[("conf.d/10-a.conf", "ssl = on\n"), ("conf.d/20-b.conf", "ssl_ciphers = *\n")]));
    out.push(with_files("include_dir 'conf.d'\n", &[("conf.d/10-a.conf", "work_mem = 1mb\n"), ("conf.d/.hidden.conf", "ssl = bogus\n"), ("conf.d/x.txt", "ssl = bogus\n")]));
    out.push(with_files("include_dir 'conf.d'\n", &[("conf.d/a.conf", "no_such_a = 1\n"), ("conf.d/b.conf", "no_such_b = 1\n")]));
    out.push(with_files("include_dir 'conf.d'\nwork_mem = bogus\n", &[("conf.d/a.conf", "work_mem = bogus\n")]));
    // postgresql.auto.conf is read after postgresql.conf, and only when that had no syntax error.
    out.push(with_auto("work_mem = bogus\n", "work_mem = '4MB'\n"));
    out.push(with_auto("work_mem = '4MB'\n", "work_mem = bogus\n"));
    out.push(with_auto("ssl = on\n", "ssl_ciphers = HIGH:+3DES\n"));
    out.push(with_auto("ssl_ciphers = *\n", "ssl_ciphers = *\n"));
    out.push(with_auto("ssl = on\n", "no_such = 1\n"));
    out.push(with_auto("no_such = 1\n", "ssl = bogus\n"));
    out.push(with_auto("ssl = bogus\n", "ssl = on\n"));
    out.push(with_auto("ssl = on\n", "include 'postgresql.auto.conf'\n"));
    out.extend(random_cases(600));
    out.extend(table_cases());
    let chain = |n: usize| {
        let files: Vec<(String, String)> =
            (1..=n).map(|i| (format!("d{i}.conf"), if i < n { format!("include 'd{}.conf'\n", i + 1) } else { "ssl = on\n".into() })).collect();
        files
    };
    for depth in [9usize, 10, 11, 12] {
        let files = chain(depth);
        let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        out.push(with_files("include 'd1.conf'\n", &refs));
    }
    out
}

/// (file base name, line) pairs where the audit says PostgreSQL finds an error, in
/// PostgreSQL's phases.
fn audit_errors(case: &Case) -> BTreeSet<(String, usize)> {
    let mut inputs = Inputs::new();
    inputs.push(SourceFile::new("postgresql.conf", InputKind::PostgresqlConf, case.conf.clone()));
    for (name, bytes) in &case.extra {
        // Files PostgreSQL would not read from a directory are given as what they are.
        let base = pgtls_audit::source::base_name(name);
        let kind = if base.ends_with(".conf") && !base.starts_with('.') { InputKind::PostgresqlConf } else { InputKind::Unknown };
        inputs.push(SourceFile::new(name.clone(), kind, bytes.clone()));
    }
    if let Some(auto) = &case.auto {
        inputs.push(SourceFile::new("postgresql.auto.conf", InputKind::PostgresqlAutoConf, auto.clone()));
    }
    let mut options = AuditOptions::new(0);
    options.pg_version = 15;
    let model = Model::build(&inputs, &options);
    let conf: &ConfModel = &model.conf;
    let locate = |file: usize, offset: usize| {
        let f = inputs.file(file);
        (pgtls_audit::source::base_name(&f.name).to_string(), f.line_col(offset, Default::default()).line)
    };
    // Phase 1: reading. pg_file_settings stops a file at its first syntax error.
    let mut first_syntax: std::collections::HashMap<usize, usize> = Default::default();
    for e in &conf.errors {
        if e.error.message.starts_with("syntax error") {
            let at = first_syntax.entry(e.error.location.file).or_insert(usize::MAX);
            *at = (*at).min(e.error.location.span.start);
        }
    }
    let reading: BTreeSet<(String, usize)> = conf
        .errors
        .iter()
        .filter(|e| first_syntax.get(&e.error.location.file).is_none_or(|&s| e.error.location.span.start <= s))
        .filter(|e| !e.error.message.starts_with("too many syntax errors"))
        .map(|e| locate(e.error.location.file, e.error.location.span.start))
        .collect();
    // postgresql.auto.conf is only read when the rest had no reading error.
    let main_reading: BTreeSet<_> = reading.iter().filter(|(f, _)| f != "postgresql.auto.conf").cloned().collect();
    if !main_reading.is_empty() {
        return main_reading;
    }
    if !reading.is_empty() {
        return reading;
    }
    let cx = Context { inputs: &inputs, options: &options, model: &model };
    let mut diags = Vec::new();
    (pgtls_audit::conf::rules::RULES.iter().find(|r| r.meta.id == "CONF007").unwrap().check)(&cx, &mut diags);
    (pgtls_audit::conf::rules::RULES.iter().find(|r| r.meta.id == "CONF008").unwrap().check)(&cx, &mut diags);
    let located: Vec<(bool, (String, usize))> = diags
        .iter()
        .map(|d| (d.message.starts_with("unrecognized") || d.rule.id == "CONF008", locate(d.location.file, d.location.span.start)))
        .collect();
    // Phase 2: names; phase 3: values.
    let names: BTreeSet<_> = located.iter().filter(|(n, _)| *n).map(|(_, l)| l.clone()).collect();
    if !names.is_empty() {
        return names;
    }
    located.into_iter().map(|(_, l)| l).collect()
}

fn postgres_errors(pg: &TestPg, case: &Case) -> Result<(BTreeSet<(String, usize)>, String), String> {
    let _ = std::fs::remove_dir_all(pg.data_dir().join("conf.d"));
    for (name, bytes) in &case.extra {
        pg.write_file(name, bytes, 0o600)?;
    }
    pg.write_file("postgresql.conf", &case.conf, 0o600)?;
    pg.write_file("postgresql.auto.conf", case.auto.as_deref().unwrap_or(b"# empty\n"), 0o600)?;
    let rows = pg.query(
        "SELECT coalesce(sourcefile, ''), coalesce(sourceline, 0), coalesce(error, '') FROM pg_file_settings WHERE error IS NOT NULL",
        "\x1f",
    )?;
    let mut out = BTreeSet::new();
    // Rows without a file are the postmaster parameters this case's file no longer sets
    // ("cannot be changed without restarting the server"): about the running server, not the file.
    let rows: String = rows.lines().filter(|l| !l.is_empty() && !l.starts_with('\x1f')).map(|l| format!("{l}\n")).collect();
    for row in rows.lines() {
        let f: Vec<&str> = row.split('\x1f').collect();
        let file = pgtls_audit::source::base_name(f[0]).to_string();
        out.insert((file, f.get(1).and_then(|l| l.parse().ok()).unwrap_or(0)));
    }
    for (name, _) in &case.extra {
        let _ = std::fs::remove_file(pg.data_dir().join(name));
    }
    Ok((out, rows))
}

#[test]
fn conf_reader_agrees_with_postgresql_15() {
    if pgtls_testpg::bin_dir().is_none() {
        panic!("PostgreSQL server binaries are missing: `cargo xtask test` installs them");
    }
    let pg = TestPg::builder().start().expect("a test server");
    let original = std::fs::read(pg.data_dir().join("postgresql.conf")).unwrap();
    let cases = cases();
    let mut agree = 0;
    let mut disagreements = Vec::new();
    for case in &cases {
        let (theirs, raw) = postgres_errors(&pg, case).expect("pg_file_settings");
        let ours = audit_errors(case);
        if ours == theirs {
            agree += 1;
        } else {
            let text = String::from_utf8_lossy(&case.conf);
            let differing: Vec<String> = theirs
                .symmetric_difference(&ours)
                .filter(|(f, _)| f == "postgresql.conf")
                .map(|(_, l)| format!("line {l}: {}", text.lines().nth(l.saturating_sub(1)).unwrap_or("")))
                .collect();
            println!("differs: {differing:?}");
            let shown = String::from_utf8_lossy(&case.conf);
            let shown: String = shown.chars().take(120).collect();
            disagreements.push(format!(
                "{shown:?} (+{} files)\n    postgresql: {theirs:?} {raw:?}\n    audit:      {ours:?}",
                case.extra.len()
            ));
        }
    }
    pg.write_file("postgresql.conf", &original, 0o600).unwrap();
    let lines: usize = cases.iter().map(|c| c.conf.split(|&b| b == b'\n').count() - 1 + c.extra.len()).sum();
    println!(
        "conf_oracle: {agree}/{} generated postgresql.conf variants ({lines} lines) agree with PostgreSQL 15",
        cases.len()
    );
    assert!(disagreements.is_empty(), "{} disagreements:\n{}", disagreements.len(), disagreements.join("\n"));
}

/// One of `items`, drawn from `rng`.
fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}
