//! `cargo xtask serve`: the page on http://127.0.0.1:8080 (trunk serve, rebuilt on change) and
//! the relay on 127.0.0.1:8787 beside it, allowed to answer that origin only.
//!
//! Ctrl-C reaches every process in the terminal's foreground group, so it stops trunk and
//! the relay together with this one.

use std::path::Path;
use std::process::Child;
use std::time::Duration;

use crate::process::Cmd;
use crate::setup::{self, Needs};
use crate::Result;

const PAGE_ADDRESS: &str = "127.0.0.1";
const PAGE_PORT: &str = "8080";
const RELAY_LISTEN: &str = "127.0.0.1:8787";

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let mut release = false;
    for arg in args {
        match arg.as_str() {
            "--release" => release = true,
            other => {
                return Err(format!(
                    "unknown option `{other}` (cargo xtask serve [--release])"
                ))
            }
        }
    }
    setup::ensure(root, Needs::Page)?;
    let origin = format!("http://{PAGE_ADDRESS}:{PAGE_PORT}");

    let mut relay = start_relay(root, &origin);
    let mut trunk = Cmd::new("trunk")
        .args([
            "serve",
            "--offline",
            "--address",
            PAGE_ADDRESS,
            "--port",
            PAGE_PORT,
        ])
        .args(if release { &["--release"][..] } else { &[] })
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .dir(root)
        .spawn()?;
    println!(
        "\npage: {origin}/ (first build takes a while); relay: {RELAY_LISTEN}; Ctrl-C stops both\n"
    );

    loop {
        std::thread::sleep(Duration::from_millis(250));
        if let Ok(Some(status)) = trunk.try_wait() {
            stop(&mut relay);
            return if status.success() {
                Ok(())
            } else {
                Err(format!("trunk serve stopped ({status})"))
            };
        }
        if let Some(child) = relay.as_mut() {
            if let Ok(Some(status)) = child.try_wait() {
                eprintln!("xtask: the relay stopped ({status}); the page keeps running without live checks");
                relay = None;
            }
        }
    }
}

/// Builds and starts the relay; the page works without it, so a failure is only reported.
fn start_relay(root: &Path, origin: &str) -> Option<Child> {
    let built = Cmd::new("cargo")
        .args(["build", "-p", "pgtls-relay", "--bin", "pgtls-relay"])
        .dir(root)
        .run();
    if let Err(e) = built {
        eprintln!("xtask: the relay does not build ({e}); serving the page without live checks");
        return None;
    }
    let binary = root.join("target").join("debug").join("pgtls-relay");
    match Cmd::new(&binary)
        .args(["--listen", RELAY_LISTEN, "--allow-origin", origin])
        .dir(root)
        .spawn()
    {
        Ok(child) => Some(child),
        Err(e) => {
            eprintln!("xtask: {e}; serving the page without live checks");
            None
        }
    }
}

fn stop(child: &mut Option<Child>) {
    if let Some(c) = child.as_mut() {
        let _ = c.kill();
        let _ = c.wait();
    }
}
