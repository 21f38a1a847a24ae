//! Chains generated with openssl at test time, judged by `openssl verify -auth_level 1` (the
//! security level libpq's TLS handshake uses by default) and by the engine: both must agree on
//! every chain, for RSA PKCS#1 v1.5 and PSS, ECDSA P-256/P-384 and Ed25519.

use std::path::PathBuf;
use std::process::Command;

use pgtls_audit::cert::libpq_verify;

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Dir {
    fn new(name: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("pgtls-gen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }
    fn ossl(&self, args: &[&str]) {
        let out = Command::new("openssl").args(args).current_dir(&self.0).output().unwrap();
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    fn read(&self, f: &str) -> Vec<u8> {
        std::fs::read(self.0.join(f)).unwrap()
    }
    fn write(&self, f: &str, b: &[u8]) {
        std::fs::write(self.0.join(f), b).unwrap()
    }
    fn cat(&self, out: &str, files: &[&str]) {
        let all: Vec<u8> = files.iter().flat_map(|f| self.read(f)).collect();
        self.write(out, &all);
    }
    fn key(&self, name: &str, spec: &str) {
        let out = format!("{name}.key");
        let (alg, opt) = match spec {
            "rsa1024" => ("RSA", Some("rsa_keygen_bits:1024")),
            "rsa2048" => ("RSA", Some("rsa_keygen_bits:2048")),
            "rsapss" => ("RSA-PSS", Some("rsa_keygen_bits:2048")),
            "p256" => ("EC", Some("ec_paramgen_curve:P-256")),
            "p384" => ("EC", Some("ec_paramgen_curve:P-384")),
            _ => ("ED25519", None),
        };
        let mut args = vec!["genpkey", "-algorithm", alg];
        if let Some(o) = opt {
            args.extend(["-pkeyopt", o]);
        }
        args.extend(["-out", &out]);
        self.ossl(&args);
    }
    fn digest_args(spec: &str, digest: &str) -> Vec<String> {
        if spec == "ed25519" {
            vec![]
        } else {
            vec![format!("-{digest}")]
        }
    }
    fn root(&self, name: &str, spec: &str) {
        self.key(name, spec);
        self.write("v3.cnf", b"[req]\ndistinguished_name=dn\n[dn]\n[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n[leaf]\nbasicConstraints=CA:FALSE\nsubjectAltName=DNS:db.test\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        let mut args: Vec<String> = ["req", "-new", "-x509", "-key", &format!("{name}.key"), "-subj", &format!("/CN={name}"), "-days", "30", "-config", "v3.cnf", "-extensions", "ca", "-out", &format!("{name}.crt")]
            .map(String::from)
            .to_vec();
        args.extend(Self::digest_args(spec, "sha256"));
        self.ossl(&args.iter().map(String::as_str).collect::<Vec<_>>());
    }
    /// `name` signed by `issuer` (whose key is of kind `issuer_spec`).
    #[allow(clippy::too_many_arguments)]
    fn issue(&self, name: &str, spec: &str, issuer: &str, issuer_spec: &str, ext: &str, digest: &str, pss: bool) {
        self.key(name, spec);
        self.ossl(&["req", "-new", "-key", &format!("{name}.key"), "-subj", &format!("/CN={name}"), "-out", &format!("{name}.csr")]);
        let mut args: Vec<String> = ["x509", "-req", "-in", &format!("{name}.csr"), "-CA", &format!("{issuer}.crt"), "-CAkey", &format!("{issuer}.key"), "-set_serial", "7", "-days", "20", "-extfile", "v3.cnf", "-extensions", ext, "-out", &format!("{name}.crt")]
            .map(String::from)
            .to_vec();
        args.extend(Self::digest_args(issuer_spec, digest));
        if pss {
            args.extend(["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:-1"].map(String::from));
        }
        self.ossl(&args.iter().map(String::as_str).collect::<Vec<_>>());
    }
    fn openssl_verdict(&self, root_file: &str, untrusted: &str) -> bool {
        Command::new("openssl")
            .args(["verify", "-auth_level", "1", "-CAfile", root_file, "-untrusted", untrusted, "leaf.crt"])
            .current_dir(&self.0)
            .output()
            .unwrap()
            .status
            .success()
    }
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// One generated hierarchy and the scenarios built from it; returns how many were compared.
fn compare(tag: &str, root: &str, inter: &str, leaf: &str, digest: &str, pss: bool) -> usize {
    let d = Dir::new(tag);
    d.root("root", root);
    d.root("other", "p256");
    d.issue("inter", inter, "root", root, "ca", "sha256", false);
    d.issue("leaf", leaf, "inter", inter, "leaf", digest, pss);
    d.cat("chain.crt", &["leaf.crt", "inter.crt"]);
    d.cat("both.crt", &["root.crt", "inter.crt"]);
    // The leaf's signature with one bit flipped.
    let mut der = Vec::new();
    {
        let out = Command::new("openssl").args(["x509", "-in", "leaf.crt", "-outform", "DER"]).current_dir(&d.0).output().unwrap();
        der.extend(out.stdout);
        let last = der.len() - 3;
        der[last] ^= 0x01;
        d.write("tampered.der", &der);
        d.ossl(&["x509", "-inform", "DER", "-in", "tampered.der", "-out", "tampered.crt"]);
        d.cat("tampered-chain.crt", &["tampered.crt", "inter.crt"]);
    }
    let scenarios = [
        ("full chain", "chain.crt", "root.crt"),
        ("missing intermediate", "leaf.crt", "root.crt"),
        ("intermediate-only root file", "leaf.crt", "inter.crt"),
        ("intermediate in the root file", "leaf.crt", "both.crt"),
        ("another root", "chain.crt", "other.crt"),
        ("tampered signature", "tampered-chain.crt", "root.crt"),
    ];
    for (what, sent, root_file) in scenarios {
        let expected = if what == "tampered signature" {
            std::fs::copy(d.0.join("tampered.crt"), d.0.join("leaf.crt")).unwrap();
            d.openssl_verdict(root_file, sent)
        } else {
            d.openssl_verdict(root_file, sent)
        };
        let ours = libpq_verify(&d.read(sent), &d.read(root_file), None, Some("db.test"), 18, now());
        assert_eq!(ours.is_ok(), expected, "{tag}: {what}: engine says {ours:?}, openssl verify says {expected}");
    }
    scenarios.len()
}

#[test]
fn engine_agrees_with_openssl_verify() {
    let cases = [
        ("rsa", "rsa2048", "rsa2048", "rsa2048", "sha256", false),
        ("rsa-pss-sig", "rsa2048", "rsa2048", "p256", "sha384", true),
        ("rsa-pss-keys", "rsapss", "rsapss", "rsapss", "sha256", false),
        ("ecdsa", "p384", "p256", "p256", "sha256", false),
        ("ecdsa-384", "p256", "p384", "p384", "sha384", false),
        ("ed25519", "ed25519", "ed25519", "ed25519", "sha256", false),
        ("mixed", "rsa2048", "p384", "ed25519", "sha512", false),
        ("sha1", "rsa2048", "rsa2048", "rsa2048", "sha1", false),
        ("rsa1024", "rsa2048", "rsa2048", "rsa1024", "sha256", false),
    ];
    let compared: usize = cases.iter().map(|c| compare(c.0, c.1, c.2, c.3, c.4, c.5)).sum();
    assert_eq!(compared, cases.len() * 6);
}
