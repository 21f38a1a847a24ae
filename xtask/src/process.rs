//! Running programs: each command is echoed before it runs, so a log shows what was done.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::Result;

pub struct Cmd {
    inner: Command,
    shown: String,
}

impl Cmd {
    pub fn new(program: impl AsRef<OsStr>) -> Self {
        let program = program.as_ref();
        Cmd {
            inner: Command::new(program),
            shown: program.to_string_lossy().into_owned(),
        }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        let arg = arg.as_ref();
        self.shown.push(' ');
        self.shown.push_str(&arg.to_string_lossy());
        self.inner.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for arg in args {
            self = self.arg(arg);
        }
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.shown = format!("{key}={} {}", value.as_ref().to_string_lossy(), self.shown);
        self.inner.env(key, value);
        self
    }

    pub fn dir(mut self, dir: &Path) -> Self {
        self.inner.current_dir(dir);
        self
    }

    /// Runs with the terminal's stdin/stdout/stderr; fails unless it exits with status 0.
    pub fn run(mut self) -> Result<()> {
        println!("$ {}", self.shown);
        let status = self
            .inner
            .status()
            .map_err(|e| format!("cannot run `{}`: {e}", self.shown))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", self.shown))
        }
    }

    /// Runs quietly and returns stdout; fails unless it exits with status 0.
    pub fn read(mut self) -> Result<String> {
        let output = self
            .inner
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run `{}`: {e}", self.shown))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(format!(
                "`{}` failed ({}):\n{}",
                self.shown,
                output.status,
                String::from_utf8_lossy(&output.stderr).trim_end()
            ))
        }
    }

    /// Runs with stdout echoed line by line as it comes and also returned; fails unless it
    /// exits with status 0.
    pub fn run_echoed(mut self) -> Result<Vec<String>> {
        use std::io::BufRead as _;
        println!("$ {}", self.shown);
        let mut child = self
            .inner
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run `{}`: {e}", self.shown))?;
        let mut lines = Vec::new();
        for line in std::io::BufReader::new(child.stdout.take().expect("stdout is piped")).lines() {
            let line = line.map_err(|e| format!("reading `{}`: {e}", self.shown))?;
            println!("{line}");
            lines.push(line);
        }
        let status = child
            .wait()
            .map_err(|e| format!("waiting for `{}`: {e}", self.shown))?;
        if status.success() {
            Ok(lines)
        } else {
            Err(format!("`{}` failed ({status})", self.shown))
        }
    }

    /// Starts in the background, with the terminal's stdout/stderr.
    pub fn spawn(mut self) -> Result<Child> {
        println!("$ {} &", self.shown);
        self.inner
            .spawn()
            .map_err(|e| format!("cannot start `{}`: {e}", self.shown))
    }
}

/// The first `name` on PATH, if any.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `program --version`'s first line, or None when it is missing or fails.
pub fn version_line(program: &str) -> Option<String> {
    let out = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(|l| l.trim().to_string())
}

/// Puts `dirs` in front of this process's PATH, so that every program started later (trunk,
/// cargo, the test runner) finds the project's tools first.
pub fn prepend_path(dirs: &[PathBuf]) {
    let current = std::env::var_os("PATH").unwrap_or_default();
    let mut all: Vec<PathBuf> = dirs.to_vec();
    all.extend(std::env::split_paths(&current));
    let mut seen = std::collections::HashSet::new();
    all.retain(|d| seen.insert(d.clone()));
    let joined: OsString = std::env::join_paths(all).expect("PATH entries contain no ':'");
    // Set before any thread starts; every later child inherits it.
    std::env::set_var("PATH", joined);
}
