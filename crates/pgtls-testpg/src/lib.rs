//! A throw-away PostgreSQL server for tests: initdb into a temp dir, listen on 127.0.0.1 on a
//! free port and on a private Unix socket, stop and delete everything on drop.
//!
//! Uses the server binaries of Debian's `postgresql` package (`/usr/lib/postgresql/N/bin`, the
//! newest N) or `PGTLS_PG_BIN`. As root, the server runs as the `postgres` user, since
//! PostgreSQL refuses to run as root.
//!
//! Beside it, [`fuzz_corpus`]: the fuzzers' corpora, which several crates replay as tests.

pub mod fuzz_corpus;

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The directory of `initdb`, `pg_ctl` and `postgres`, if a server is installed.
pub fn bin_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("PGTLS_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// The major version of the installed server.
pub fn server_version() -> Option<u32> {
    bin_dir()?.parent()?.file_name()?.to_str()?.parse().ok()
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

fn postgres_ids() -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        (f.first() == Some(&"postgres")).then(|| Some((f.get(2)?.parse().ok()?, f.get(3)?.parse().ok()?)))?
    })
}

/// What to start a server with.
#[derive(Clone, Debug, Default)]
pub struct Builder {
    conf: Vec<String>,
    hba: Option<String>,
    files: Vec<(String, Vec<u8>, u32)>,
}

impl Builder {
    /// A line appended to postgresql.conf (`ssl = on`, `ssl_cert_file = 'server.crt'`, ...).
    pub fn conf(mut self, line: impl Into<String>) -> Self {
        self.conf.push(line.into());
        self
    }

    /// The whole pg_hba.conf. A `local all all trust` line is always put first so the test
    /// itself can connect over the private socket.
    pub fn hba(mut self, text: impl Into<String>) -> Self {
        self.hba = Some(text.into());
        self
    }

    /// A file written into the data directory with the given mode (keys want 0o600).
    pub fn file(mut self, name: impl Into<String>, contents: impl Into<Vec<u8>>, mode: u32) -> Self {
        self.files.push((name.into(), contents.into(), mode));
        self
    }

    pub fn start(self) -> Result<TestPg, String> {
        TestPg::start_with(self)
    }
}

/// A running server. Dropping it stops the server and removes its directory.
pub struct TestPg {
    root: PathBuf,
    data: PathBuf,
    bin: PathBuf,
    port: u16,
    run_as_postgres: bool,
}

impl TestPg {
    pub fn builder() -> Builder {
        Builder::default()
    }

    fn start_with(b: Builder) -> Result<TestPg, String> {
        let bin = bin_dir().ok_or("no PostgreSQL server installed (apt-get install postgresql)")?;
        let run_as_postgres = is_root();
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let root = std::env::temp_dir().join(format!("pgtls-testpg-{}-{}", std::process::id(), n));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
        let data = root.join("data");
        let pg = TestPg { root, data, bin, port: free_port()?, run_as_postgres };
        pg.chown(&pg.root)?;
        pg.run(
            "initdb",
            &["-D", pg.data.to_str().unwrap(), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"],
        )?;
        let mut conf = format!(
            "\n# pgtls-testpg\nlisten_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\nfsync = off\nlog_min_messages = warning\n",
            pg.port,
            pg.root.display()
        );
        for line in &b.conf {
            conf.push_str(line);
            conf.push('\n');
        }
        append(&pg.data.join("postgresql.conf"), &conf)?;
        let hba = b.hba.unwrap_or_else(|| "host all all 127.0.0.1/32 trust\n".into());
        pg.write_file("pg_hba.conf", format!("local all all trust\n{hba}\n").as_bytes(), 0o600)?;
        for (name, contents, mode) in &b.files {
            pg.write_file(name, contents, *mode)?;
        }
        pg.pg_ctl(&["start", "-w", "-t", "30", "-l", pg.root.join("server.log").to_str().unwrap()])?;
        Ok(pg)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    /// The server log so far, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.root.join("server.log")).unwrap_or_default()
    }

    /// Writes (or replaces) a file in the data directory, owned by the server's user.
    pub fn write_file(&self, name: &str, contents: &[u8], mode: u32) -> Result<PathBuf, String> {
        let path = self.data.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            self.chown(parent)?;
        }
        std::fs::write(&path, contents).map_err(|e| format!("{}: {e}", path.display()))?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).map_err(|e| e.to_string())?;
        self.chown(&path)?;
        Ok(path)
    }

    /// Runs SQL through psql over the private socket as `postgres`; rows come back one a line,
    /// fields separated by `sep`.
    pub fn query(&self, sql: &str, sep: &str) -> Result<String, String> {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-F", sep])
            .args(["-h", self.root.to_str().unwrap(), "-p", &self.port.to_string(), "-U", "postgres", "-d", "postgres"])
            .args(["-c", sql])
            .env("PGCONNECT_TIMEOUT", "10")
            .output()
            .map_err(|e| format!("psql: {e}"))?;
        check("psql", out).map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    }

    pub fn reload(&self) -> Result<(), String> {
        self.pg_ctl(&["reload"]).map(|_| ())
    }

    pub fn restart(&self) -> Result<(), String> {
        self.pg_ctl(&["restart", "-w", "-t", "30", "-l", self.root.join("server.log").to_str().unwrap()]).map(|_| ())
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<Output, String> {
        let mut all = vec!["-D", self.data.to_str().unwrap()];
        all.extend_from_slice(args);
        self.run("pg_ctl", &all).map_err(|e| format!("{e}\nserver log:\n{}", self.log()))
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<Output, String> {
        let exe = self.bin.join(program);
        let mut cmd = if self.run_as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        cmd.args(args).current_dir(&self.root);
        let out = cmd.output().map_err(|e| format!("{program}: {e}"))?;
        check(program, out)
    }

    fn chown(&self, path: &Path) -> Result<(), String> {
        if !self.run_as_postgres {
            return Ok(());
        }
        let (uid, gid) = postgres_ids().ok_or("running as root but there is no postgres user")?;
        std::os::unix::fs::chown(path, Some(uid), Some(gid)).map_err(|e| format!("chown {}: {e}", path.display()))
    }
}

impl Drop for TestPg {
    fn drop(&mut self) {
        let _ = self.run("pg_ctl", &["-D", self.data.to_str().unwrap(), "stop", "-m", "immediate", "-w", "-t", "10"]);
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn check(program: &str, out: Output) -> Result<Output, String> {
    if out.status.success() {
        Ok(out)
    } else {
        Err(format!(
            "{program} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn append(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().append(true).open(path).map_err(|e| e.to_string())?;
    f.write_all(text.as_bytes()).map_err(|e| e.to_string())
}

/// A port nobody listens on right now. Another process could take it before the server does;
/// on a test machine that is rare enough, and start() then fails with a clear message.
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

/// Waits until `f` returns true or the time is up.
pub fn wait_until(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_queries_and_stops() {
        if bin_dir().is_none() {
            panic!("PostgreSQL server binaries are missing: `cargo xtask test` installs them");
        }
        let pg = TestPg::builder().conf("ssl = off").start().unwrap();
        let v = pg.query("SELECT current_setting('port')", "|").unwrap();
        assert_eq!(v.trim(), pg.port().to_string());
        let rules = pg.query("SELECT count(*) FROM pg_hba_file_rules", "|").unwrap();
        assert_eq!(rules.trim(), "2");
    }
}
