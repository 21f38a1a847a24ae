//! Printing the records of a parsed pg_hba.conf and reading the printed text again gives the
//! same records (type, databases, users, address, method, options), for files generated from
//! the record grammar: keyword and quoted tokens, comma lists, embedded quotes, addresses with
//! CIDR or separate masks, host names, options with blanks, comments, CRLF, continuations.

// proptest is a native-only dev-dependency (its randomness source does not build for wasm32).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;

use pgtls_audit::hba::print::print_file;
use pgtls_audit::hba::record::ClientCert;
use pgtls_audit::hba::{read_hba, AuthMethod, ConnType, HbaAddress, HbaFile, ReadOptions};
use pgtls_audit::{InputKind, Inputs, SourceFile};

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "all", "sameuser", "samerole", "samegroup", "replication", "postgres", "\"all\"", "\"a b\"", "\"q\"\"uote\"",
            "+admins", "\"+admins\"", "/^db[0-9]+$", "a\"b c\"d", "\"\"", "é日本", "x#y",
        ])
        .prop_map(str::to_string),
        "[a-z_][a-z0-9_$-]{0,8}",
        "\"[ -!#-~é]{0,8}\"",
    ]
}

fn list() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 1..4).prop_map(|t| t.join(","))
}

fn address() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "all", "samehost", "samenet", "\"all\"", "0.0.0.0/0", "127.0.0.1/32", "10.0.0.0/8", "::1/128", "::/0",
            "fe80::1%eth0/64", "192.168.1.0 255.255.255.0", "10.1.2.3 255.0.255.0", "::1 ffff:ffff::", "::1.2.3.4/128",
            ".example.com", "db.example.com", "\"host name\"", "10.0.0.0/33", "host/24", "10.0.0.1 ::1",
        ])
        .prop_map(str::to_string),
        (any::<[u8; 4]>(), 0u8..=32).prop_map(|(o, bits)| format!("{}.{}.{}.{}/{bits}", o[0], o[1], o[2], o[3])),
        (any::<[u16; 8]>(), 0u8..=128).prop_map(|(s, bits)| {
            format!("{}/{bits}", std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]))
        }),
    ]
}

fn method() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "trust", "reject", "md5", "scram-sha-256", "password", "gss", "sspi", "ident", "peer", "pam", "bsd",
        "ldap ldapserver=ldap.example.com ldapprefix=\"cn=\" ldapsuffix=\", dc=example, dc=net\"",
        "ldap ldapurl=ldaps://ldap.example.com/dc=example?uid?sub", "cert", "cert clientcert=verify-ca",
        "radius radiusservers=\"a,b\" radiussecrets=\"s1,s2\"", "oauth issuer=https://issuer.example validator=v",
        "scram-sha-256 clientcert=verify-full", "md5 clientcert=verify-ca", "ident map=omicron",
        "peer map=\"m a p\"", "trust clientcert=bogus", "trust noequals", "\"trust\"", "scram-sha-256 \"include_realm=0\"",
    ])
    .prop_map(str::to_string)
}

fn record() -> impl Strategy<Value = String> {
    let sep = prop_oneof![4 => Just(" "), 2 => Just("\t"), 1 => Just("  \t "), 1 => Just(" \\\n ")];
    (
        prop::sample::select(vec!["local", "host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc", "\"host\"", "hosts"]),
        list(),
        list(),
        address(),
        method(),
        prop::collection::vec(sep, 4),
    )
        .prop_map(|(kind, db, user, addr, method, s)| {
            if kind == "local" {
                format!("{kind}{}{db}{}{user}{}{method}", s[0], s[1], s[2])
            } else {
                format!("{kind}{}{db}{}{user}{}{addr}{}{method}", s[0], s[1], s[2], s[3])
            }
        })
}

fn hba_file() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        8 => ("[ \t]{0,2}", record(), prop_oneof![Just(String::new()), " # [ -~]{0,8}"]).prop_map(|(a, r, c)| a + &r + &c),
        1 => "#[ -~é]{0,10}",
        1 => "[ -~]{0,12}",
    ];
    prop::collection::vec((line, prop_oneof![Just("\n"), Just("\r\n")]), 1..10)
        .prop_map(|lines| lines.into_iter().map(|(l, end)| l + end).collect())
}

type Projection = (ConnType, Vec<(String, bool)>, Vec<(String, bool)>, Option<HbaAddress>, AuthMethod, Vec<(String, String)>, ClientCert);

fn records(file: &HbaFile) -> Vec<Projection> {
    let tokens = |f: &pgtls_audit::hba::token::AuthField| f.tokens.iter().map(|t| (t.text.clone(), t.quoted)).collect();
    file.records()
        .map(|r| {
            (
                r.conn_type,
                tokens(&r.databases),
                tokens(&r.users),
                r.address.clone(),
                r.method,
                r.options.iter().map(|o| (o.name.clone(), o.value.clone())).collect(),
                r.clientcert,
            )
        })
        .collect()
}

fn read(text: String, version: u32) -> HbaFile {
    let mut inputs = Inputs::new();
    let root = inputs.push(SourceFile::from_text("pg_hba.conf", InputKind::PgHba, text));
    read_hba(&inputs, root, ReadOptions::new(version))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn printed_records_read_back_the_same(text in hba_file(), version in prop::sample::select(vec![13u32, 15, 16, 18])) {
        let file = read(text, version);
        let printed = print_file(&file);
        let again = read(printed.clone(), version);
        let (before, after) = (records(&file), records(&again));
        prop_assert_eq!(before.len(), after.len(), "printed:\n{}", printed);
        prop_assert_eq!(before, after, "printed:\n{}", printed);
    }
}

#[test]
fn keywords_quotes_and_masks_survive_printing() {
    let text = "host \"all\",a\"b c\"d all 10.0.0.0 255.0.0.0 ldap ldapserver=x \"ldapprefix=cn= \"\nlocal all all peer\n";
    let file = read(text.into(), 16);
    assert_eq!(records(&file).len(), 2);
    let printed = print_file(&file);
    assert_eq!(printed, "host \"all\",a\"b cd\" all 10.0.0.0 255.0.0.0 ldap ldapserver=x \"ldapprefix=cn= \"\nlocal all all peer\n");
    assert_eq!(records(&read(printed, 16)), records(&file));
}

/// The grammar must mostly produce loadable records, or the round trip would prove little.
#[test]
fn the_grammar_produces_records() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut lines, mut loaded) = (0, 0);
    for _ in 0..200 {
        let text = hba_file().new_tree(&mut runner).unwrap().current();
        lines += text.lines().filter(|l| l.trim_start().starts_with("host") || l.trim_start().starts_with("local")).count();
        loaded += records(&read(text, 16)).len();
    }
    assert!(loaded * 4 >= lines, "only {loaded} of {lines} generated records load");
}
