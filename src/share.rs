//! The share link: the whole state in the URL fragment, which browsers never send to a server.
//!
//! The inputs and the audit's settings are written and read in the engine's link format
//! (`pgtls_audit::link`, documented in docs/url-format.md), which `pgtls link` writes too; this
//! module adds the page's own keys around it: `embed=`, `example=`, `view=` and the generator's
//! `gen-*` form.

use pgtls_audit::generate::{Driver, Platform};
pub use pgtls_audit::link::{
    append_pairs, key_of, percent_decode, percent_encode, Omissions, Outgoing, Prepared, SharedInput,
    COMPRESSED_KEY, EMBED_PAIR, INFLATED_LIMIT, LINK_LIMIT, PLAIN_FORM_UP_TO,
};
use pgtls_audit::link::{inflate, pairs, read_input, Values};

use crate::generate_form::{split_list, FormEdit, GenerateForm};

/// Which of the page's views is shown: the audit, or the generator of a hardened set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Audit,
    Generate,
}

impl View {
    /// The `view=` pair a link carries; the audit, the default, needs none.
    pub fn fragment_pair(self) -> Option<&'static str> {
        match self {
            View::Audit => None,
            View::Generate => Some("view=generate"),
        }
    }
}

/// Everything a fragment says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedState {
    pub inputs: Vec<SharedInput>,
    pub host: Option<String>,
    pub pg_version: Option<u32>,
    /// `embed=1`: the compact read-only view for iframes.
    pub embed: bool,
    /// `example=ID`: load a gallery example (before any inputs the link also carries).
    pub example: Option<String>,
    /// `view=generate`: open the generator instead of the audit.
    pub view: Option<View>,
    /// `gen-pg`, `gen-hosts`, `gen-ips`, `gen-drivers`, `gen-platform`: the generator's form, as
    /// edits applied after the view opens.
    pub generate: Vec<FormEdit>,
    /// Values that could not be decoded, as `key` names, to tell the user.
    pub rejected: Vec<String>,
}

impl SharedState {
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty() && self.example.is_none()
    }

    /// What the page says about values it could not read.
    pub fn rejection_notice(&self) -> Option<String> {
        (!self.rejected.is_empty())
            .then(|| format!("Some values of the link could not be read and were skipped: {}.", self.rejected.join(", ")))
    }
}

/// Parses a fragment (with or without its leading `#`). Never fails: what cannot be read is
/// listed in `rejected` and the rest is kept.
pub fn decode(fragment: &str) -> SharedState {
    let mut state = SharedState::default();
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    for (key, value) in pairs(fragment) {
        if key != COMPRESSED_KEY {
            read_pair(&mut state, key, value, Values::Base64);
            continue;
        }
        match inflate(value) {
            // Its pairs count where `z` stands; a `z` inside it is not read again.
            Ok(payload) => {
                for (key, value) in pairs(&payload).filter(|(key, _)| *key != COMPRESSED_KEY) {
                    read_pair(&mut state, key, value, Values::Text);
                }
            }
            Err(why) => state.rejected.push(format!("{COMPRESSED_KEY} ({why})")),
        }
    }
    state
}

fn read_pair(state: &mut SharedState, key: &str, value: &str, values: Values) {
    match key {
        "host" => state.host = Some(percent_decode(value)).filter(|h| !h.is_empty()),
        "pg" => match value.parse::<u32>() {
            Ok(v) if pgtls_audit::options::KNOWN_PG_VERSIONS.contains(&v) => state.pg_version = Some(v),
            _ => state.rejected.push(key.to_string()),
        },
        "embed" => state.embed = matches!(value, "1" | "true" | "yes" | ""),
        "example" => match crate::examples::by_id(&percent_decode(value)) {
            Some(example) => state.example = Some(example.id.to_string()),
            None => state.rejected.push(key.to_string()),
        },
        // Views this page does not have are ignored, as unknown keys are.
        "view" => match value {
            "generate" => state.view = Some(View::Generate),
            "audit" => state.view = Some(View::Audit),
            _ => {}
        },
        "gen-pg" => match value.parse::<u32>() {
            Ok(v) if pgtls_audit::options::KNOWN_PG_VERSIONS.contains(&v) => state.generate.push(FormEdit::PgVersion(v)),
            _ => state.rejected.push(key.to_string()),
        },
        "gen-hosts" => state.generate.push(FormEdit::Hosts(percent_decode(value))),
        "gen-ips" => state.generate.push(FormEdit::Ips(percent_decode(value))),
        "gen-drivers" => {
            let named = percent_decode(value);
            let drivers: Option<Vec<Driver>> = split_list(&named).iter().map(|d| Driver::parse(d)).collect();
            match drivers {
                Some(drivers) => state
                    .generate
                    .extend(Driver::ALL.into_iter().map(|d| FormEdit::Driver(d, drivers.contains(&d)))),
                None => state.rejected.push(key.to_string()),
            }
        }
        "gen-platform" => match Platform::parse(&percent_decode(value)) {
            Some(platform) => state.generate.push(FormEdit::Platform(platform)),
            None => state.rejected.push(key.to_string()),
        },
        _ => {
            match read_input(key, value, values) {
                Some(Ok(input)) => state.inputs.push(input),
                Some(Err(_)) => state.rejected.push(key.to_string()),
                // Unknown keys are ignored, so that links stay valid as the format grows.
                None => {}
            }
        }
    }
}

/// The longest fragment the page keeps in its address bar as the user types. Setting the
/// address costs Chromium about half a millisecond a kilobyte (`cargo run -p pgtls-e2e
/// --example page_bench`: 80 ms for the 147 KB of the realistic set, 700 ms for the large
/// one), all of it on the page's thread, so larger inputs are shared with the link only.
pub const ADDRESS_BAR_LIMIT: usize = 32 * 1024;

/// The generator's form as `gen-*` pairs (without a leading `&`): every field, empty ones too,
/// so that the form opens exactly as it was and not from the audit's host name.
pub fn encode_generate_form(form: &GenerateForm) -> String {
    let drivers: Vec<&str> = form.request().drivers.iter().map(|d| d.as_str()).collect();
    format!(
        "gen-pg={}&gen-hosts={}&gen-ips={}&gen-drivers={}&gen-platform={}",
        form.pg_version,
        percent_encode(&form.hosts),
        percent_encode(&form.ips),
        drivers.join(","),
        form.platform.as_str()
    )
}


#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use pgtls_audit::InputKind;

    fn b(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    /// A fragment of these inputs, for the embed view when `embed`.
    fn encode<'a>(inputs: impl IntoIterator<Item = Outgoing<'a>>, host: &str, pg: Option<u32>, embed: bool) -> (String, Omissions) {
        let prepared = Prepared::new(inputs, host, pg);
        let mut fragment = prepared.fragment();
        if embed {
            append_pairs(&mut fragment, &[EMBED_PAIR.to_string()]);
        }
        (fragment, prepared.omitted)
    }

    #[test]
    fn a_prepared_fragment_knows_its_length_before_it_is_written() {
        let key = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n";
        let texts = ["", "a", "ab", "abc", "ssl = on\n", "é ü ✓ 🔒\r\n", key, &format!("cert\n{key}tail")];
        let names = [("postgresql.conf", InputKind::PostgresqlConf), ("my file #2&x.conf", InputKind::PostgresqlConf), ("server.crt", InputKind::Pem)];
        for (i, text) in texts.iter().enumerate() {
            for (j, (name, kind)) in names.iter().enumerate() {
                for (host, pg) in [("", None), (" db.example.com ", Some(16)), ("h&st", None)] {
                    let inputs = || {
                        [Outgoing { name, kind: *kind, text: Some(text) }, Outgoing { name: "bin.der", kind: InputKind::Der, text: None }]
                            .into_iter()
                            .take(1 + (i + j) % 2)
                    };
                    let prepared = Prepared::new(inputs(), host, pg);
                    let fragment = prepared.fragment();
                    assert_eq!(prepared.len(), fragment.len(), "{fragment}");
                    assert_eq!(prepared.is_empty(), fragment.is_empty());
                }
            }
        }
    }

    #[test]
    fn large_inputs_leave_the_address_bar_before_the_link() {
        let encoded = |bytes: usize, limit: usize| {
            // Hex digits, which deflate shortens only about twofold, in lines of 19 bytes.
            let mut rng = fastrand::Rng::with_seed(7);
            let text: String = (0..bytes.div_ceil(19)).map(|_| format!("# {:016x}\n", rng.u64(..))).collect();
            let input = Outgoing { name: "postgresql.conf", kind: InputKind::PostgresqlConf, text: Some(&text) };
            Prepared::new([input], "", None).encode_within(limit)
        };
        // As the fragment sync and the share bar ask (`fragment_within`, `link_fragments`).
        assert!(encoded(16 * 1024, ADDRESS_BAR_LIMIT).is_some());
        assert!(encoded(100 * 1024, ADDRESS_BAR_LIMIT).is_none());
        assert!(encoded(100 * 1024, LINK_LIMIT).is_some());
        assert!(encoded(1024 * 1024, LINK_LIMIT).is_none());
    }

    fn example_inputs(example: &crate::examples::Example) -> Prepared {
        let inputs = example.files.iter().map(|f| Outgoing { name: f.name, kind: f.kind, text: Some(f.text) });
        Prepared::new(inputs, example.host, Some(16))
    }

    #[test]
    fn the_compressed_form_carries_what_the_plain_form_does() {
        let mut compressed = 0;
        for example in crate::examples::EXAMPLES {
            let prepared = example_inputs(example);
            let plain = prepared.fragment();
            let link = prepared.encode_within(LINK_LIMIT).unwrap();
            if plain.len() <= PLAIN_FORM_UP_TO {
                assert_eq!(link, plain);
                continue;
            }
            compressed += 1;
            // Certificates are base64 already and shrink little; configuration text to under half.
            let certificates = example.files.iter().any(|f| f.kind == InputKind::Pem);
            let bound = if certificates { plain.len() } else { plain.len() / 2 };
            assert!(link.starts_with("z=") && link.len() < bound, "{}: {} of {} bytes", example.id, link.len(), plain.len());
            let (from_plain, from_link) = (decode(&plain), decode(&link));
            assert!(from_link.rejected.is_empty(), "{:?}", from_link.rejected);
            assert_eq!(from_link, from_plain, "{}", example.id);
            assert_eq!(from_link.inputs.len(), example.files.len());
        }
        assert!(compressed >= 3, "the gallery's longer sets are compressed");
    }

    #[test]
    fn text_that_looks_like_the_format_survives_compression() {
        let tricky = "a&b=c~d%e %41 %zz %% %\r\n# ? z=AAAA&conf=eA\u{0}é 🔒 ~%7E&&== ::1/128 x:y %3A\n";
        let text = tricky.repeat(40);
        let inputs = [
            Outgoing { name: "odd ~&%=: name.conf", kind: InputKind::PostgresqlConf, text: Some(&text) },
            Outgoing { name: "pg_hba.conf", kind: InputKind::PgHba, text: Some("") },
            Outgoing { name: "x.pem", kind: InputKind::Pem, text: Some("%") },
        ];
        let prepared = Prepared::new(inputs, "h%st&x", Some(15));
        let link = prepared.encode_within(LINK_LIMIT).unwrap();
        assert!(link.starts_with("z="), "{link}");
        let s = decode(&link);
        assert!(s.rejected.is_empty(), "{:?}", s.rejected);
        let inputs: Vec<_> = s.inputs.iter().map(|i| (i.name.as_str(), i.kind, String::from_utf8(i.bytes.clone()).unwrap())).collect();
        assert_eq!(
            inputs,
            vec![
                ("odd ~&%=: name.conf", InputKind::PostgresqlConf, text.clone()),
                ("pg_hba.conf", InputKind::PgHba, String::new()),
                ("x.pem", InputKind::Pem, "%".to_string()),
            ]
        );
        assert_eq!((s.host.as_deref(), s.pg_version), (Some("h%st&x"), Some(15)));
    }

    fn z(payload: &[u8]) -> String {
        format!("z={}", b_bytes(&miniz_oxide::deflate::compress_to_vec(payload, 6)))
    }

    fn b_bytes(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    #[test]
    fn pairs_beside_the_compressed_part_count_in_link_order() {
        let inner = z(b"conf=ssl = on%0A&host=inner.example.com&z=AAAA&embed=0");
        let s = decode(&format!("hba={}&{inner}&pem={}&embed=1", b("local all all peer\n"), b("C")));
        let kinds: Vec<_> = s.inputs.iter().map(|i| i.kind).collect();
        assert_eq!(kinds, [InputKind::PgHba, InputKind::PostgresqlConf, InputKind::Pem]);
        // Percent-encoded text inside; a `z` inside is not read again; a later pair wins.
        assert_eq!(s.inputs[1].bytes, b"ssl = on\n");
        assert_eq!((s.host.as_deref(), s.embed), (Some("inner.example.com"), true));
        assert!(s.rejected.is_empty(), "{:?}", s.rejected);
    }

    #[test]
    fn damaged_compressed_values_are_named_and_the_rest_kept() {
        let valid = miniz_oxide::deflate::compress_to_vec(b"conf=ssl = on", 6);
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'a'; INFLATED_LIMIT + 1], 9);
        let cases = [
            ("z=***".to_string(), "z (not base64url)"),
            (format!("z={}", b_bytes(&valid[..valid.len() - 2])), "z (its compressed data is cut short)"),
            (format!("z={}", b_bytes(&[0xff; 40])), "z (its compressed data is damaged)"),
            (format!("z={}", b_bytes(&bomb)), "z (more than 16 MiB of text)"),
            (z(&[b'c', b'=', 0xff, 0xfe]), "z (not UTF-8 text)"),
            ("z=".to_string(), "z (its compressed data is cut short)"),
        ];
        for (pair, why) in cases {
            let s = decode(&format!("{pair}&hba={}", b("host")));
            assert_eq!(s.rejected, vec![why.to_string()], "{pair:.60}");
            assert_eq!(s.inputs.len(), 1);
            assert_eq!(s.rejection_notice().unwrap(), format!("Some values of the link could not be read and were skipped: {why}."));
        }
    }

    #[test]
    fn an_unknown_example_is_named_not_opened_empty() {
        let s = decode("example=hardened");
        assert_eq!(s.example.as_deref(), Some("hardened"));
        let s = decode("example=nonesuch");
        assert!(s.is_empty());
        assert_eq!(s.rejected, vec!["example"]);
    }

    #[test]
    fn the_documented_plain_form_decodes() {
        let frag = format!("#conf={}&hba={}&pem={}&pem={}&host=db.example.com&colour=blue", b("ssl = on\n"), b("hostssl all all 0.0.0.0/0 scram-sha-256\n"), b("A"), b("B"));
        let s = decode(&frag);
        assert_eq!(s.host.as_deref(), Some("db.example.com"));
        let kinds: Vec<_> = s.inputs.iter().map(|i| (i.kind, i.name.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                (InputKind::PostgresqlConf, "postgresql.conf"),
                (InputKind::PgHba, "pg_hba.conf"),
                (InputKind::Pem, "certificate.pem"),
                (InputKind::Pem, "certificate.pem"),
            ]
        );
        assert_eq!(s.inputs[0].bytes, b"ssl = on\n");
        assert!(s.rejected.is_empty());
        assert!(!s.embed);
        assert_eq!(s.view, None);
    }

    #[test]
    fn the_view_key_selects_the_generator_and_unknown_views_are_ignored() {
        let s = decode("view=generate");
        assert_eq!(s.view, Some(View::Generate));
        assert!(s.is_empty(), "a view alone carries no inputs: the page opens its default example behind it");
        assert_eq!(decode("view=audit").view, Some(View::Audit));
        let s = decode("view=telescope&conf=c3NsID0gb24K");
        assert_eq!((s.view, s.inputs.len(), s.rejected.len()), (None, 1, 0));
        assert_eq!(View::Generate.fragment_pair(), Some("view=generate"));
        assert_eq!(View::Audit.fragment_pair(), None);
    }

    #[test]
    fn round_trip_keeps_names_kinds_text_and_settings() {
        let text = "Οδυσσέας ~ & = # ?\n";
        let (frag, omitted) = encode(
            [
                Outgoing { name: "my conf~1.conf", kind: InputKind::PostgresqlConf, text: Some(text) },
                Outgoing { name: "connections.txt", kind: InputKind::Conninfo, text: Some("host=a") },
            ],
            "db.example.com",
            Some(16),
            true,
        );
        assert!(!omitted.any());
        assert!(frag.contains("conn=aG9zdD1h"), "{frag}");
        let s = decode(&frag);
        assert_eq!(s.inputs[0].name, "my conf~1.conf");
        assert_eq!(String::from_utf8(s.inputs[0].bytes.clone()).unwrap(), text);
        assert_eq!(s.inputs[1].name, "connections.txt");
        assert_eq!((s.host.as_deref(), s.pg_version, s.embed), (Some("db.example.com"), Some(16), true));
    }

    #[test]
    fn private_keys_never_enter_a_link() {
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN RSA PRIVATE KEY-----\nsecret\n-----END RSA PRIVATE KEY-----\n-----BEGIN PRIVATE KEY-----\nsecret2\n-----END PRIVATE KEY-----\n";
        let (frag, omitted) = encode([Outgoing { name: "server.pem", kind: InputKind::Pem, text: Some(pem) }], "", None, false);
        assert_eq!(omitted.private_keys, 2);
        let s = decode(&frag);
        let shared = String::from_utf8(s.inputs[0].bytes.clone()).unwrap();
        assert_eq!(shared, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        assert!(!frag.contains(&b("secret")));
    }

    #[test]
    fn a_key_only_input_and_binary_inputs_are_left_out() {
        let key = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n";
        let (frag, omitted) = encode(
            [
                Outgoing { name: "server.key", kind: InputKind::Pem, text: Some(key) },
                Outgoing { name: "server.der", kind: InputKind::Der, text: None },
            ],
            "",
            None,
            false,
        );
        assert_eq!(frag, "");
        assert_eq!(omitted, Omissions { private_keys: 1, binary_inputs: 1 });
    }

    #[test]
    fn bad_values_are_reported_not_fatal() {
        let s = decode("conf=***&pg=99&hba=aG9zdA&embed=1");
        assert_eq!(s.rejected, vec!["conf", "pg"]);
        assert_eq!(s.inputs.len(), 1);
        assert!(s.embed);
    }

    #[test]
    fn long_kind_names_are_accepted_as_keys() {
        let s = decode(&format!("pg-hba={}&postgresql-conf={}", b("x"), b("y")));
        assert_eq!(s.inputs[0].kind, InputKind::PgHba);
        assert_eq!(s.inputs[1].kind, InputKind::PostgresqlConf);
    }

    #[test]
    fn the_generator_form_round_trips_through_the_link() {
        let mut form = GenerateForm::default();
        form.apply(FormEdit::PgVersion(16));
        form.apply(FormEdit::Hosts("db.example.com, db-2.example.com".into()));
        form.apply(FormEdit::Ips("10.0.0.5 2001:db8::5".into()));
        form.apply(FormEdit::Driver(Driver::Libpq, false));
        form.apply(FormEdit::Driver(Driver::Jdbc, true));
        form.apply(FormEdit::Driver(Driver::Pgx, true));
        form.apply(FormEdit::Platform(Platform::Cnpg));
        let link = format!("view=generate&{}", encode_generate_form(&form));
        let shared = decode(&link);
        assert!(shared.rejected.is_empty(), "{:?}", shared.rejected);
        // Applied to a form that starts elsewhere (the audit's host name, other drivers).
        let mut opened = GenerateForm { hosts: "other.example.com".into(), ..GenerateForm::default() };
        for edit in shared.generate {
            opened.apply(edit);
        }
        assert_eq!(opened.request(), form.request());
        assert_eq!((opened.hosts.as_str(), opened.ips.as_str()), (form.hosts.as_str(), form.ips.as_str()));
    }

    #[test]
    fn an_empty_generator_form_stays_empty_and_bad_values_are_named() {
        let form = GenerateForm { drivers: Vec::new(), ..GenerateForm::default() };
        let mut opened = GenerateForm { hosts: "from-the-audit.example.com".into(), ..GenerateForm::default() };
        for edit in decode(&encode_generate_form(&form)).generate {
            opened.apply(edit);
        }
        assert_eq!((opened.hosts.as_str(), opened.drivers.len()), ("", 0));
        let shared = decode("gen-pg=9&gen-drivers=libpq,cobol&gen-platform=mainframe&gen-hosts=a");
        assert_eq!(shared.rejected, ["gen-pg", "gen-drivers", "gen-platform"]);
        assert_eq!(shared.generate, [FormEdit::Hosts("a".into())]);
    }
}
