//! Headless Chromium through chromedriver, kept off the network.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};
use tokio::process::{Child, Command};

/// chromedriver and Chromium: `CHROMEDRIVER` and `CHROMIUM` (as `cargo xtask test` sets them),
/// else Debian's paths.
fn tool(var: &str, default: &str) -> String {
    std::env::var(var).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_string())
}

pub struct Browser {
    pub client: Client,
    driver: Child,
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Resolves to 127.0.0.1 in the test browser only.
pub const PLAIN_HTTP_HOST: &str = "pgtls-plain-http.test";

impl Browser {
    /// Starts chromedriver and a headless Chromium whose downloads go to `downloads`.
    pub async fn start(downloads: &Path) -> Result<Browser, String> {
        let port = free_port().map_err(|e| e.to_string())?;
        let chromedriver = tool("CHROMEDRIVER", "/usr/bin/chromedriver");
        let chromium = tool("CHROMIUM", "/usr/bin/chromium");
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {chromedriver}: {e} (cargo xtask test installs chromium-driver)"))?;
        let url = format!("http://127.0.0.1:{port}");
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--disable-default-apps", "--disable-extensions", "--window-size=1400,1100",
                    // A name for the local server that is not "localhost": pages opened by it
                    // are not a secure context, as on a plain-http intranet host.
                    &format!("--host-resolver-rules=MAP {PLAIN_HTTP_HOST} 127.0.0.1"),
                ],
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                },
            }),
        );
        // The performance log lists every network request the page makes.
        caps.insert("goog:loggingPrefs".into(), json!({ "performance": "ALL", "browser": "ALL" }));
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match ClientBuilder::native().capabilities(caps.clone()).connect(&url).await {
                Ok(client) => return Ok(Browser { client, driver }),
                Err(e) if Instant::now() > deadline => return Err(format!("cannot reach chromedriver: {e}")),
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill().await;
    }

    pub async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.client.execute(script, args).await.map_err(|e| format!("script failed: {e}"))
    }

    /// Polls `script` until it returns a truthy value.
    pub async fn wait_for(&self, what: &str, script: &str) -> Result<Value, String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let v = self.js(script, vec![]).await?;
            if !(v.is_null() || v == Value::Bool(false)) {
                return Ok(v);
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {what}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Chromium's performance log since the last call (entries are consumed).
    pub async fn performance_log(&self) -> Result<Vec<Value>, String> {
        let session = self.client.session_id().await.map_err(|e| e.to_string())?.ok_or("no session")?;
        let v = self.client.issue_cmd(GetLog { session, kind: "performance" }).await.map_err(|e| e.to_string())?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    /// Runs a DevTools command (e.g. to emulate the dark colour scheme).
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value, String> {
        let session = self.client.session_id().await.map_err(|e| e.to_string())?.ok_or("no session")?;
        self.client
            .issue_cmd(Cdp { session, cmd: cmd.to_string(), params })
            .await
            .map_err(|e| e.to_string())
    }

    pub async fn screenshot(&self, dir: &Path, name: &str) -> Result<(), String> {
        let png = self.client.screenshot().await.map_err(|e| e.to_string())?;
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        std::fs::write(dir.join(format!("{name}.png")), png).map_err(|e| e.to_string())
    }
}

/// chromedriver's log endpoint (not in the W3C protocol, so fantoccini has no method for it).
#[derive(Debug)]
struct GetLog {
    session: String,
    kind: &'static str,
}

impl WebDriverCompatibleCommand for GetLog {
    fn endpoint(&self, base: &url::Url, _: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", self.session))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "type": self.kind }).to_string()))
    }
}

#[derive(Debug)]
struct Cdp {
    session: String,
    cmd: String,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, _: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", self.session))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()))
    }
}
