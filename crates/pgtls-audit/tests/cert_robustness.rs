//! Corrupt, truncated and random certificate inputs never panic, and always say where they
//! are broken.

use pgtls_audit::{audit, AuditOptions, InputKind, Inputs, SourceFile};

const NOW: i64 = 1_780_272_000;

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cert/pg-ssl");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "crt" || e == "crl"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

fn mutate(rng: &mut fastrand::Rng, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.usize(..8) {
        if v.is_empty() {
            v.push(rng.u8(..));
            continue;
        }
        let at = rng.usize(..v.len().max(1));
        match rng.usize(..6) {
            0 => v[at] = rng.u8(..),
            1 => v[at] ^= 1 << rng.usize(..8),
            2 => v.truncate(at),
            3 => {
                v.remove(at);
            }
            4 => {
                let bytes = b"A+/=\n-\x00\xff0";
                v.insert(at, bytes[rng.usize(..bytes.len().max(1))]);
            }
            _ => {
                let len = rng.usize(..64).min(v.len() - at);
                let chunk = v[at..at + len].to_vec();
                let to = rng.usize(..v.len().max(1));
                v.splice(to..to, chunk);
            }
        }
    }
    v
}

/// DER inside a PEM block is where the decoders work; mutate it there too.
fn der_of(pem: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine;
    let text = std::str::from_utf8(pem).ok()?;
    let start = text.find("-----BEGIN ")?;
    let body_start = start + text[start..].find('\n')? + 1;
    let end = body_start + text[body_start..].find("-----END")?;
    let b64: String = text[body_start..end].chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

fn run(files: &[(String, Vec<u8>)], host: Option<&str>) {
    let mut inputs = Inputs::new();
    for (name, bytes) in files {
        inputs.push_detected(name.clone(), bytes.clone());
    }
    let mut options = AuditOptions::new(NOW);
    options.host = host.map(String::from);
    let analysis = audit(&inputs, &options);
    let report = analysis.report(&inputs, pgtls_audit::ColumnUnit::Utf16);
    serde_json::to_string(&report).unwrap();
    for d in &analysis.diagnostics {
        let f = &inputs.files[d.location.file];
        assert!(d.location.span.end <= f.text.len(), "{} span out of range", d.rule.id);
    }
}

#[test]
fn thousands_of_mutations_never_panic() {
    let fixtures = fixtures();
    let mut rng = fastrand::Rng::with_seed(0x9E37_79B9_7F4A_7C15);
    for round in 0..1500 {
        let (name, bytes) = &fixtures[round % fixtures.len()];
        let (name2, bytes2) = &fixtures[rng.usize(..fixtures.len().max(1))];
        let mutated = mutate(&mut rng, bytes);
        let mut files = vec![(name.clone(), mutated), (name2.clone(), bytes2.clone())];
        if round % 3 == 0 {
            if let Some(der) = der_of(bytes) {
                files.push((format!("{name}.der"), mutate(&mut rng, &der)));
            }
        }
        run(&files, if round % 2 == 0 { Some("common-name.pg-ssltest.test") } else { None });
    }
}

#[test]
fn random_bytes_and_truncations() {
    let mut rng = fastrand::Rng::with_seed(42);
    for len in [0usize, 1, 2, 3, 16, 100, 1000, 5000] {
        for _ in 0..20 {
            let bytes: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
            let mut with_header = vec![0x30, 0x82];
            with_header.extend(&bytes);
            run(&[("x.der".into(), bytes.clone()), ("y.crt".into(), with_header)], Some("h"));
        }
    }
    for (name, bytes) in fixtures() {
        let step = (bytes.len() / 40).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            run(&[(name.clone(), bytes[..cut].to_vec())], Some("192.0.2.1"));
            if let Some(der) = der_of(&bytes) {
                let cut = cut.min(der.len());
                run(&[(format!("{name}.der"), der[..cut].to_vec())], None);
            }
        }
    }
}

#[test]
fn truncated_pem_points_at_its_block() {
    let (_, root) = fixtures().into_iter().find(|(n, _)| n == "root_ca.crt").unwrap();
    let text = String::from_utf8(root).unwrap();
    let broken = format!("Certificate:\n    Data: …\n{}", &text[..text.len() - 40]);
    let mut inputs = Inputs::new();
    inputs.push(SourceFile::new("root.crt", InputKind::Pem, broken.clone().into_bytes()));
    let analysis = audit(&inputs, &AuditOptions::new(NOW));
    let d = analysis.diagnostics.iter().find(|d| d.rule.id == "CERT015").expect("CERT015");
    assert_eq!(&broken[d.location.span.start..d.location.span.end], "-----BEGIN CERTIFICATE-----");
}

#[test]
fn huge_inputs_stay_linear() {
    let start = std::time::Instant::now();
    let many_begins = "-----BEGIN CERTIFICATE-----\n".repeat(100_000);
    let one_line = "-----BEGIN X".repeat(200_000);
    let mut inputs = Inputs::new();
    inputs.push(SourceFile::new("a.pem", InputKind::Pem, many_begins.into_bytes()));
    inputs.push(SourceFile::new("b.pem", InputKind::Pem, one_line.into_bytes()));
    inputs.push(SourceFile::new("c.pem", InputKind::Pem, vec![b'A'; 10 << 20]));
    let analysis = audit(&inputs, &AuditOptions::new(NOW));
    assert!(analysis.diagnostics.iter().filter(|d| d.rule.id == "CERT015").count() >= 100_000);
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
}
