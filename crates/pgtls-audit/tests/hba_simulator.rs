//! The first-match simulator and the exposure matrix, through the public API.

use pgtls_audit::hba::record::{read_hba, HbaFile, ReadOptions};
use pgtls_audit::hba::simulate::explain;
use pgtls_audit::hba::{simulate, AuthMethod, ClientKind, Condition, Connection, HbaModel, Outcome, Source};
use pgtls_audit::{AuditOptions, InputKind, Inputs, SourceFile};

fn read(files: &[(&str, &str)], v: u32) -> (Inputs, HbaFile) {
    let mut inputs = Inputs::new();
    for (i, (name, text)) in files.iter().enumerate() {
        let kind = if i == 0 { InputKind::PgHba } else { InputKind::Unknown };
        inputs.push(SourceFile::from_text(*name, kind, *text));
    }
    let file = read_hba(&inputs, 0, ReadOptions::new(v));
    (inputs, file)
}

fn conn(from: &str, db: &str, user: &str, ssl: bool) -> Connection {
    Connection {
        source: if from == "local" { Source::Local } else { Source::Ip(from.parse().unwrap()) },
        database: db.into(),
        user: user.into(),
        ssl,
        gss: false,
        replication: false,
    }
}

/// The matched line number and method, or None for the implicit reject.
fn answer(file: &HbaFile, cx: &Connection, v: u32) -> Option<(usize, AuthMethod)> {
    match simulate(file, cx, v) {
        Outcome::Match { entry, method } => match &file.entries[entry] {
            pgtls_audit::hba::HbaEntry::Record(r) => Some((r.line_number, method)),
            _ => unreachable!(),
        },
        Outcome::ImplicitReject => None,
        other => panic!("unexpected dependency: {other:?}"),
    }
}

#[test]
fn connection_types() {
    let (_, f) = read(
        &[("pg_hba.conf", "local all all peer\nhostgssenc all all all gss\nhostnossl all all all reject\nhostssl all all all scram-sha-256\n")],
        16,
    );
    assert_eq!(answer(&f, &conn("local", "d", "u", false), 16), Some((1, AuthMethod::Peer)));
    assert_eq!(answer(&f, &conn("10.0.0.1", "d", "u", true), 16), Some((4, AuthMethod::ScramSha256)));
    assert_eq!(answer(&f, &conn("10.0.0.1", "d", "u", false), 16), Some((3, AuthMethod::Reject)));
    let mut gss = conn("10.0.0.1", "d", "u", false);
    gss.gss = true;
    assert_eq!(answer(&f, &gss, 16), Some((2, AuthMethod::Gss)));
}

#[test]
fn addresses_and_families() {
    let (_, f) = read(&[("pg_hba.conf", "host all all 10.0.0.0 255.0.0.0 md5\nhost all all ::ffff:0:0/96 trust\nhost all all 127.1/32 password\n")], 16);
    assert_eq!(answer(&f, &conn("10.9.9.9", "d", "u", false), 16), Some((1, AuthMethod::Md5)));
    // An IPv4 line never matches an IPv6 client, not even an IPv4-mapped one.
    assert_eq!(answer(&f, &conn("::ffff:10.9.9.9", "d", "u", false), 16), Some((2, AuthMethod::Trust)));
    // 127.1 is 127.0.0.1, as inet_aton reads it.
    assert_eq!(answer(&f, &conn("127.0.0.1", "d", "u", false), 16), Some((3, AuthMethod::Password)));
    assert_eq!(answer(&f, &conn("127.0.0.2", "d", "u", false), 16), None);
}

#[test]
fn database_keywords() {
    let text = "host sameuser all all md5\nhost replication all all trust\nhost \"all\" all all password\nhost db1,db2 all all scram-sha-256\n";
    let (_, f) = read(&[("pg_hba.conf", text)], 16);
    assert_eq!(answer(&f, &conn("10.0.0.1", "alice", "alice", false), 16), Some((1, AuthMethod::Md5)));
    // A database called "replication" is not the keyword; a quoted "all" is a name.
    assert_eq!(answer(&f, &conn("10.0.0.1", "replication", "u", false), 16), None);
    assert_eq!(answer(&f, &conn("10.0.0.1", "all", "u", false), 16), Some((3, AuthMethod::Password)));
    assert_eq!(answer(&f, &conn("10.0.0.1", "db2", "u", false), 16), Some((4, AuthMethod::ScramSha256)));
    let mut rep = conn("10.0.0.1", "alice", "alice", false);
    rep.replication = true;
    assert_eq!(answer(&f, &rep, 16), Some((2, AuthMethod::Trust)));
}

#[test]
fn regexes_from_16_names_before() {
    let text = "host /^db all all trust\n";
    let (_, f16) = read(&[("pg_hba.conf", text)], 16);
    assert_eq!(answer(&f16, &conn("10.0.0.1", "dbx", "u", false), 16), Some((1, AuthMethod::Trust)));
    let (_, f15) = read(&[("pg_hba.conf", text)], 15);
    assert_eq!(answer(&f15, &conn("10.0.0.1", "dbx", "u", false), 15), None);
    assert_eq!(answer(&f15, &conn("10.0.0.1", "/^db", "u", false), 15), Some((1, AuthMethod::Trust)));
}

#[test]
fn what_the_file_cannot_show_becomes_a_dependency() {
    let text = "host all all samenet trust\nhost samerole all .example.com md5\nhost all @ops all password\ninclude more.conf\nhost all all all reject\n";
    let (inputs, f) = read(&[("pg_hba.conf", text)], 16);
    let cx = conn("192.0.2.7", "sales", "bob", false);
    let out = simulate(&f, &cx, 16);
    let mut conditions = Vec::new();
    let mut cur = &out;
    while let Outcome::Depends { requires, if_no, .. } = cur {
        conditions.push(requires.clone());
        cur = if_no;
    }
    assert_eq!(
        conditions,
        vec![
            vec![vec![Condition::SameNet]],
            vec![vec![Condition::HostName { name: ".example.com".into() }], vec![Condition::SameRole { role: "sales".into() }]],
            vec![vec![Condition::FileNotGiven { name: "ops".into() }]],
            vec![vec![Condition::Include { what: "the rules in \"more.conf\"".into() }]],
        ]
    );
    assert!(matches!(cur, Outcome::Match { method: AuthMethod::Reject, .. }));
    let words = explain(&inputs, &f, &cx, &out, 16);
    assert!(words.starts_with("The answer depends on what the file cannot show: line 1 (host all all samenet trust) matches only if the client address is on a subnet"), "{words}");
    assert!(words.contains("if not: line 5: host all all all reject"), "{words}");
    // From loopback, samenet is certain.
    assert_eq!(answer(&f, &conn("127.0.0.1", "x", "y", false), 16), Some((1, AuthMethod::Trust)));
}

#[test]
fn given_files_are_used() {
    let (_, f) = read(&[("pg_hba.conf", "host all @ops all password\n"), ("/etc/postgresql/ops", "alice\n")], 16);
    assert_eq!(answer(&f, &conn("10.0.0.1", "d", "alice", false), 16), Some((1, AuthMethod::Password)));
    assert_eq!(answer(&f, &conn("10.0.0.1", "d", "bob", false), 16), None);
}

#[test]
fn the_implicit_reject_quotes_the_server() {
    let (inputs, f) = read(&[("pg_hba.conf", "local all all peer\n")], 16);
    let cx = conn("10.0.0.1", "app", "alice", true);
    assert_eq!(
        explain(&inputs, &f, &cx, &simulate(&f, &cx, 16), 16),
        "no match: rejected (the server answers: no pg_hba.conf entry for host \"10.0.0.1\", user \"alice\", database \"app\", SSL encryption)"
    );
    assert!(explain(&inputs, &f, &cx, &simulate(&f, &cx, 13), 13).ends_with("SSL on)"));
}

#[test]
fn exposure_matrix_in_the_report() {
    let mut inputs = Inputs::new();
    inputs.push(SourceFile::from_text(
        "pg_hba.conf",
        InputKind::PgHba,
        "local all all peer\nhost all all 0.0.0.0/0 md5\nhostssl all all ::/0 scram-sha-256\nhost all +admins db.example.com trust\n",
    ));
    let analysis = pgtls_audit::audit(&inputs, &AuditOptions::new(0));
    let report = analysis.report(&inputs, pgtls_audit::ColumnUnit::Utf8);
    let m = report.exposure.expect("a pg_hba.conf gives an exposure matrix");
    let methods = |k, ssl| m.cell(k, ssl).unwrap().lines.iter().map(|l| (l.line, l.method.as_str(), l.conditional)).collect::<Vec<_>>();
    // Line 2 takes every remote IPv4 client before line 4 could; line 3 every IPv6 SSL one.
    assert_eq!(methods(ClientKind::RemoteIpv4, false), vec![(2, "md5", false)]);
    assert_eq!(methods(ClientKind::RemoteIpv6, false), vec![(4, "trust", true)]);
    assert_eq!(methods(ClientKind::RemoteIpv6, true), vec![(3, "scram-sha-256", false)]);
    assert_eq!(methods(ClientKind::Loopback, true), vec![(2, "md5", false), (3, "scram-sha-256", false)]);
    assert_eq!(methods(ClientKind::UnixSocket, false), vec![(1, "peer", false)]);
    assert!(!m.cell(ClientKind::UnixSocket, true).unwrap().applicable);
    assert_eq!(m.cells.len(), 8);
    // Item 3 is judged (and failed) once a pg_hba.conf is given.
    assert_eq!(analysis.checklist[2].status, pgtls_audit::checklist::Status::Fail);
    let empty = HbaModel::default();
    assert!(empty.exposure().is_none());
}
