//! Monitoring: Prometheus alert rules over the OpenMetrics that `pgtls check --format
//! openmetrics` writes, and a systemd timer (or a cron line) that runs the check into a
//! node_exporter textfile directory.

use super::GeneratedFile;

/// One server to watch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// `HOST:PORT` as `pgtls check` takes it.
    pub address: String,
    /// The name clients use, when it differs from the address (`--host`).
    pub host_name: Option<String>,
    /// The root certificate clients trust (`--root`).
    pub root: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub targets: Vec<Target>,
    /// node_exporter's `--collector.textfile.directory`.
    pub textfile_dir: String,
    /// How often the check runs, in minutes.
    pub interval_minutes: u32,
    /// Path of the pgtls binary on the monitored host.
    pub pgtls_path: String,
}

/// The metric names the rules rely on; a test checks `pgtls check` writes each of them.
pub const METRICS: &[&str] = &[
    "pgtls_check_up",
    "pgtls_certificate_expiry_days",
    "pgtls_protocol_supported",
    "pgtls_plaintext_accepted",
    "pgtls_score",
];

/// A file name for the target inside the textfile directory (node_exporter reads `*.prom`).
fn prom_name(address: &str) -> String {
    let safe: String = address.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    format!("pgtls_{safe}.prom")
}

/// Quotes a word for sh.
fn sh_quote(word: &str) -> String {
    if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c)) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

fn check_command(req: &Request, t: &Target) -> String {
    let mut words = vec![sh_quote(&req.pgtls_path), "check".into(), sh_quote(&t.address)];
    if let Some(h) = &t.host_name {
        words.extend(["--host".into(), sh_quote(h)]);
    }
    if let Some(r) = &t.root {
        words.extend(["--root".into(), sh_quote(r)]);
    }
    words.extend(["--format".into(), "openmetrics".into()]);
    let file = format!("{}/{}", req.textfile_dir.trim_end_matches('/'), prom_name(&t.address));
    // Write to a temporary file and rename, so node_exporter never reads half a file; the
    // check's exit status (1 on findings) must not stop the metrics from being written.
    format!("{} > {tmp} ; mv {tmp} {file}", words.join(" "), tmp = sh_quote(&format!("{file}.tmp")), file = sh_quote(&file))
}

pub fn alert_rules(req: &Request) -> String {
    let stale = req.interval_minutes.max(1) * 3;
    format!(
        r#"# Prometheus alert rules for `pgtls check --format openmetrics`, collected through
# node_exporter's textfile collector. Load with rule_files: [pgtls-alerts.yml].
groups:
  - name: pgtls
    rules:
      - alert: PostgresCertificateExpiresSoon
        expr: pgtls_certificate_expiry_days < 30
        for: 1h
        labels:
          severity: warning
        annotations:
          summary: "PostgreSQL certificate on {{{{ $labels.target }}}} expires in {{{{ $value | humanize }}}} days"
          description: "Rotate {{{{ $labels.subject }}}} now: issue a new certificate, replace the files, SELECT pg_reload_conf()."
      - alert: PostgresCertificateExpired
        expr: pgtls_certificate_expiry_days <= 0
        labels:
          severity: critical
        annotations:
          summary: "PostgreSQL certificate on {{{{ $labels.target }}}} has expired"
          description: "Clients at verify-ca or verify-full cannot connect until {{{{ $labels.subject }}}} is replaced."
      - alert: PostgresTlsCheckFailing
        expr: pgtls_check_up == 0
        for: 15m
        labels:
          severity: critical
        annotations:
          summary: "pgtls cannot complete a TLS check of {{{{ $labels.target }}}}"
      - alert: PostgresPlaintextAccepted
        expr: pgtls_plaintext_accepted == 1
        labels:
          severity: critical
        annotations:
          summary: "{{{{ $labels.target }}}} accepts connections without SSL"
          description: "pg_hba.conf lets a connection without SSL reach authentication; require hostssl and add hostnossl ... reject."
      - alert: PostgresOldTlsAccepted
        expr: pgtls_protocol_supported{{version=~"TLSv1|TLSv1.1"}} == 1
        labels:
          severity: warning
        annotations:
          summary: "{{{{ $labels.target }}}} accepts {{{{ $labels.version }}}}"
          description: "Set ssl_min_protocol_version = 'TLSv1.2' and reload."
      - alert: PostgresTlsCheckStale
        expr: time() - node_textfile_mtime_seconds{{file=~".*pgtls_.*\\.prom"}} > {stale_s}
        labels:
          severity: warning
        annotations:
          summary: "The pgtls check has not written {{{{ $labels.file }}}} for {stale} minutes"
"#,
        stale_s = stale * 60,
    )
}

pub fn files(req: &Request) -> Vec<GeneratedFile> {
    let commands: Vec<String> = req.targets.iter().map(|t| check_command(req, t)).collect();
    let script = format!(
        "#!/bin/sh\n# Runs pgtls check for each server into node_exporter's textfile directory.\nset -u\nmkdir -p {dir}\n{cmds}\n",
        dir = sh_quote(&req.textfile_dir),
        cmds = commands.join("\n")
    );
    let service = "[Unit]\nDescription=pgtls TLS check of PostgreSQL servers\nWants=network-online.target\nAfter=network-online.target\n\n\
         [Service]\nType=oneshot\nExecStart=/bin/sh /etc/pgtls/pgtls-check.sh\nDynamicUser=yes\nReadWritePaths=TEXTFILE_DIR\nProtectSystem=strict\nProtectHome=yes\nNoNewPrivileges=yes\n"
        .replace("TEXTFILE_DIR", &req.textfile_dir);
    let timer = format!(
        "[Unit]\nDescription=Run the pgtls TLS check every {m} minutes\n\n[Timer]\nOnBootSec=2min\nOnUnitActiveSec={m}min\nRandomizedDelaySec=60\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n",
        m = req.interval_minutes.max(1)
    );
    let cron = format!(
        "# crontab line, where systemd timers are not available:\n*/{m} * * * * /bin/sh /etc/pgtls/pgtls-check.sh\n",
        m = req.interval_minutes.clamp(1, 59)
    );
    let readme = format!(
        "# Certificate-expiry and TLS monitoring with pgtls\n\n\
         1. Install `pgtls` on a host that can reach the servers, and node_exporter with\n\
         \x20  `--collector.textfile.directory={dir}`.\n\
         2. Copy `pgtls-check.sh` to /etc/pgtls/, and `pgtls-check.service` and `pgtls-check.timer`\n\
         \x20  to /etc/systemd/system/, then `systemctl enable --now pgtls-check.timer`\n\
         \x20  (or use the line in `crontab.txt`).\n\
         3. Add `pgtls-alerts.yml` to Prometheus's `rule_files` and reload Prometheus.\n\n\
         The rules alert 30 days before a certificate expires, when it has expired, when a server\n\
         accepts plaintext or TLS 1.0/1.1, when the check fails, and when it stops running.\n",
        dir = req.textfile_dir
    );
    vec![
        GeneratedFile::text("README.md", readme),
        GeneratedFile::text("pgtls-alerts.yml", alert_rules(req)),
        GeneratedFile::script("pgtls-check.sh", script),
        GeneratedFile::text("pgtls-check.service", service),
        GeneratedFile::text("pgtls-check.timer", timer),
        GeneratedFile::text("crontab.txt", cron),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        Request {
            targets: vec![Target {
                address: "db.example.com:5432".into(),
                host_name: None,
                root: Some("/etc/pgtls/root's.crt".into()),
            }],
            textfile_dir: "/var/lib/node_exporter/textfile".into(),
            interval_minutes: 60,
            pgtls_path: "/usr/local/bin/pgtls".into(),
        }
    }

    #[test]
    fn rules_are_yaml_with_every_alert() {
        let rules = alert_rules(&request());
        let (docs, err) = crate::platform::yaml::load(&rules);
        assert!(err.is_none(), "{err:?}");
        let alerts: Vec<&str> = docs[0].get("groups").unwrap().items()[0]
            .get("rules")
            .unwrap()
            .items()
            .iter()
            .map(|r| r.get("alert").unwrap().as_str().unwrap())
            .collect();
        assert_eq!(alerts.len(), 6);
        for metric in METRICS.iter().filter(|m| **m != "pgtls_score") {
            assert!(rules.contains(metric), "{metric} unused");
        }
        assert!(rules.contains("$labels.target"));
    }

    #[test]
    fn the_script_writes_atomically_and_quotes() {
        let files = files(&request());
        let script = &files.iter().find(|f| f.name == "pgtls-check.sh").unwrap().contents;
        assert!(script.contains("check db.example.com:5432 --root '/etc/pgtls/root'\\''s.crt' --format openmetrics"), "{script}");
        assert!(script.contains("> /var/lib/node_exporter/textfile/pgtls_db_example_com_5432.prom.tmp ; mv "));
        let timer = &files.iter().find(|f| f.name == "pgtls-check.timer").unwrap().contents;
        assert!(timer.contains("OnUnitActiveSec=60min"));
    }
}
