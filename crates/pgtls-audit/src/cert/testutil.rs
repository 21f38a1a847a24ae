//! Certificates made with the openssl command at test time, in a private temporary directory.

use std::path::PathBuf;
use std::process::Command;

use crate::options::AuditOptions;
use crate::source::Inputs;
use crate::Analysis;

/// A scratch directory for one test; removed on drop.
pub struct Pki {
    pub dir: PathBuf,
}

impl Pki {
    pub fn new(name: &str) -> Pki {
        let dir = std::env::temp_dir().join(format!("pgtls-cert-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Pki { dir }
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    pub fn read(&self, file: &str) -> Vec<u8> {
        std::fs::read(self.path(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    pub fn write(&self, file: &str, bytes: &[u8]) {
        std::fs::write(self.path(file), bytes).unwrap();
    }

    /// Runs openssl in the directory; panics with its stderr on failure.
    pub fn openssl(&self, args: &[&str]) -> String {
        let out = Command::new("openssl").args(args).current_dir(&self.dir).output().expect("openssl is installed");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A new key: `rsa:2048`, `rsa:1024`, `ec:P-256`, `ec:P-384`, `ed25519`, `rsa-pss:2048`.
    pub fn key(&self, name: &str, spec: &str) {
        let file = format!("{name}.key");
        let args: Vec<String> = match spec.split_once(':') {
            Some(("rsa", bits)) => ["genpkey", "-algorithm", "RSA", "-pkeyopt", &format!("rsa_keygen_bits:{bits}")].map(String::from).to_vec(),
            Some(("rsa-pss", bits)) => ["genpkey", "-algorithm", "RSA-PSS", "-pkeyopt", &format!("rsa_keygen_bits:{bits}")].map(String::from).to_vec(),
            Some(("ec", curve)) => ["genpkey", "-algorithm", "EC", "-pkeyopt", &format!("ec_paramgen_curve:{curve}")].map(String::from).to_vec(),
            _ => ["genpkey", "-algorithm", "ED25519"].map(String::from).to_vec(),
        };
        let mut args = args;
        args.extend(["-out".to_string(), file]);
        self.openssl(&args.iter().map(String::as_str).collect::<Vec<_>>());
    }

    /// A self-signed CA `name.crt` with key `name.key`.
    pub fn root(&self, name: &str, spec: &str, digest: &str) {
        self.key(name, spec);
        let ext = self.ext_file(name, "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n");
        self.openssl(&[
            "req", "-new", "-x509", "-key", &format!("{name}.key"), "-out", &format!("{name}.crt"),
            "-subj", &format!("/CN={name}"), "-days", "3650", &format!("-{digest}"),
            "-extensions", "v3", "-config", &ext,
        ]);
    }

    fn ext_file(&self, name: &str, body: &str) -> String {
        let file = format!("{name}.ext.cnf");
        self.write(&file, format!("[req]\ndistinguished_name=dn\n[dn]\n[v3]\n{body}").as_bytes());
        file
    }

    /// A certificate `name.crt` (key `name.key`) issued by `issuer`, with extension lines
    /// `ext` and a validity of `start`..`end` (openssl date forms, e.g. 20250101000000Z).
    #[allow(clippy::too_many_arguments)]
    pub fn issue(&self, name: &str, spec: &str, issuer: &str, digest: &str, ext: &str, start: &str, end: &str) {
        self.key(name, spec);
        self.openssl(&["req", "-new", "-key", &format!("{name}.key"), "-out", &format!("{name}.csr"), "-subj", &format!("/CN={name}")]);
        let ext_file = self.ext_file(name, &format!("{ext}\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n"));
        let mut args = vec![
            "x509", "-req", "-in", "", "-CA", "", "-CAkey", "", "-out", "", "-set_serial", "0x1234", "-extfile", "", "-extensions", "v3",
        ];
        let (csr, ca, cakey, out, d) = (format!("{name}.csr"), format!("{issuer}.crt"), format!("{issuer}.key"), format!("{name}.crt"), format!("-{digest}"));
        args[3] = &csr;
        args[5] = &ca;
        args[7] = &cakey;
        args[9] = &out;
        args[13] = &ext_file;
        args.push(&d);
        if start.is_empty() {
            args.extend(["-days", "200"]);
            self.openssl(&args);
        } else {
            // `openssl x509 -req` has no -not_before in 3.0; `openssl ca` does.
            self.ca_sign(name, issuer, digest, &ext_file, start, end);
        }
    }

    fn ca_sign(&self, name: &str, issuer: &str, digest: &str, ext_file: &str, start: &str, end: &str) {
        let db = format!("{name}.db");
        self.write(&db, b"");
        let cnf = format!(
            "[ca]\ndefault_ca=c\n[c]\ndatabase={db}\nnew_certs_dir=.\nserial={name}.srl\npolicy=p\ncopy_extensions=none\nunique_subject=no\n[p]\ncommonName=supplied\n"
        );
        self.write(&format!("{name}.srl"), b"1000\n");
        self.write(&format!("{name}.ca.cnf"), cnf.as_bytes());
        self.openssl(&[
            "ca", "-batch", "-config", &format!("{name}.ca.cnf"), "-in", &format!("{name}.csr"), "-out", &format!("{name}.crt"),
            "-cert", &format!("{issuer}.crt"), "-keyfile", &format!("{issuer}.key"), "-md", digest, "-startdate", start,
            "-enddate", end, "-extfile", ext_file, "-extensions", "v3", "-notext",
        ]);
    }

    /// `openssl verify` as the oracle: Ok or its error line.
    pub fn openssl_verify(&self, root: &str, untrusted: Option<&str>, leaf: &str) -> Result<(), String> {
        let mut args = vec!["verify", "-CAfile", root];
        if let Some(u) = untrusted {
            args.extend(["-untrusted", u]);
        }
        args.push(leaf);
        let out = Command::new("openssl").args(&args).current_dir(&self.dir).output().unwrap();
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
        }
    }

    /// Inputs made of the named files of this directory.
    pub fn inputs(&self, files: &[&str]) -> Inputs {
        let mut inputs = Inputs::new();
        for f in files {
            inputs.push_detected(*f, self.read(f));
        }
        inputs
    }

    pub fn cat(&self, out: &str, files: &[&str]) {
        let mut all = Vec::new();
        for f in files {
            all.extend(self.read(f));
        }
        self.write(out, &all);
    }
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// 2026-06-01T00:00:00Z, the clock of the generated-certificate tests.
pub const NOW: i64 = 1_780_272_000;

pub fn audit(inputs: &Inputs, host: Option<&str>) -> Analysis {
    let mut options = AuditOptions::new(NOW);
    options.host = host.map(String::from);
    crate::audit(inputs, &options)
}

pub fn ids(analysis: &Analysis) -> Vec<&'static str> {
    analysis.diagnostics.iter().map(|d| d.rule.id).collect()
}
