//! Measures a full live check of a local PostgreSQL and the SSLRequest + handshake step against
//! `openssl s_client -starttls postgres`, each the median of several runs; with `PGTLS_BIN` (the
//! `pgtls` binary) also `pgtls check` as a process, and with `PGTLS_TESTSSL` (the testssl.sh
//! script) `testssl --starttls postgres -p -e`, the median of `PGTLS_TESTSSL_RUNS` runs (3 by
//! default: one takes tens of seconds).
//!
//! `cargo run --profile release-native -p pgtls-probe --example bench [-- RUNS [PORT]]`: without a
//! port it starts a throw-away PostgreSQL (SSL on, a test certificate) on 127.0.0.1.
//!
//! Besides the readable summary it prints one `pgtls-live NAME MEDIAN_MS MIN_MS MAX_MS RUNS` line
//! per measurement, which `cargo xtask bench` reads into docs/performance.md.

#[path = "../tests/common/mod.rs"]
mod common;

use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pgtls_probe::CheckOptions;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The machine-readable line of one measurement.
fn record(name: &str, runs: &[Duration]) {
    let min = runs.iter().min().copied().unwrap_or_default();
    let max = runs.iter().max().copied().unwrap_or_default();
    let median = median(runs.to_vec());
    let f = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("pgtls-live {name} {:.2} {:.2} {:.2} {}", f(median), f(min), f(max), runs.len());
}

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(15);
    let given_port: Option<u16> = args.next().and_then(|a| a.parse().ok());
    let server = match given_port {
        Some(_) => None,
        None => Some(common::ssl_server(&["ssl = on"], "hostnossl all all 127.0.0.1/32 reject\nhostssl all all 127.0.0.1/32 trust\n")),
    };
    let port = given_port.unwrap_or_else(|| server.as_ref().unwrap().port());
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let opts = CheckOptions::new("127.0.0.1", port);

    // One warm-up of each, so that the first fork and page-ins are not measured.
    let warm = rt.block_on(pgtls_probe::check(&opts));
    assert!(warm.failures.is_empty(), "{:?}", warm.failures);

    let full: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let r = rt.block_on(pgtls_probe::check(&opts));
            assert!(r.failures.is_empty());
            t.elapsed()
        })
        .collect();
    let step: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            rt.block_on(pgtls_probe::ssl_request_handshake(addr, &opts)).expect("handshake");
            t.elapsed()
        })
        .collect();
    let s_client: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let status = Command::new("openssl")
                .args(["s_client", "-starttls", "postgres", "-connect", &format!("127.0.0.1:{port}")])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("openssl runs");
            assert!(status.success());
            t.elapsed()
        })
        .collect();
    let pgtls_bin = std::env::var("PGTLS_BIN").ok();
    let cli: Option<Vec<Duration>> = pgtls_bin.as_ref().map(|bin| {
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                Command::new(bin)
                    .args(["check", &format!("127.0.0.1:{port}"), "--format", "json"])
                    .stdout(Stdio::null())
                    .status()
                    .expect("pgtls runs");
                t.elapsed()
            })
            .collect()
    });

    let testssl = std::env::var("PGTLS_TESTSSL").ok();
    let testssl_runs: usize = std::env::var("PGTLS_TESTSSL_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let testssl_times: Option<Vec<Duration>> = testssl.as_ref().map(|script| {
        (0..testssl_runs)
            .map(|_| {
                let t = Instant::now();
                let out = Command::new(script)
                    .args(["--starttls", "postgres", "-p", "-e", "--quiet", "--color", "0", "--warnings", "batch"])
                    .arg(format!("127.0.0.1:{port}"))
                    .stdin(Stdio::null())
                    .output()
                    .expect("testssl runs");
                let elapsed = t.elapsed();
                let text = String::from_utf8_lossy(&out.stdout);
                assert!(text.contains("TLS 1.2"), "testssl did not test the protocols: {text}");
                elapsed
            })
            .collect()
    });

    record("full-check", &full);
    record("handshake-step", &step);
    record("s-client", &s_client);
    if let Some(cli) = &cli {
        record("pgtls-check", cli);
    }
    if let Some(t) = &testssl_times {
        record("testssl", t);
    }
    println!("runs: {runs} each, median, against 127.0.0.1:{port}");
    println!("full check (all steps, in process):          {}", ms(median(full)));
    let step = median(step);
    let s_client = median(s_client);
    println!("SSLRequest + handshake (in process):          {}", ms(step));
    println!("openssl s_client -starttls postgres (process): {}", ms(s_client));
    println!("ratio probe step / s_client:                  {:.2}", step.as_secs_f64() / s_client.as_secs_f64());
    if let Some(cli) = cli {
        println!("pgtls check --format json (process):           {}", ms(median(cli)));
    }
    if let Some(t) = testssl_times {
        println!("testssl --starttls postgres -p -e (process):   {}", ms(median(t)));
    }
    println!("step timings of the last check: {:?}", warm.timings_ms);
}
