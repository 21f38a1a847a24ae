//! `cargo xtask bench`: runs the audit benchmark natively (crates/pgtls-audit/benches/audit.rs)
//! and in headless Chromium (benches/audit_browser.rs), builds the page to measure its transfer
//! size, times a live check of a local PostgreSQL with TLS next to `openssl s_client` and
//! testssl.sh (crates/pgtls-probe/examples/bench.rs), and writes all four to docs/performance.md
//! (`--no-browser`, `--no-page`, `--no-live` leave parts out).
//!
//! `cargo xtask bench --fixtures [SAMPLE]` regenerates the text fixtures the benchmark reads:
//! postgresql.conf from PostgreSQL 18's postgresql.conf.sample with the TLS settings filled in,
//! a 1,000-line pg_hba.conf and 20 connection strings. The certificates are generated once with
//! openssl (commands in benches/fixtures/README.md).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::process::Cmd;
use crate::setup::{self, Needs};
use crate::{dist, Result};

const FIXTURES: &str = "crates/pgtls-audit/benches/fixtures";
const DEFAULT_SAMPLE: &str =
    "crates/pgtls-audit/tests/fixtures/corpus/by-version/REL_18_STABLE/postgresql.conf.sample";
const BENCH_COMMAND: &str = "cargo bench -p pgtls-audit --bench audit";
const BROWSER_BENCH_COMMAND: &str =
    "cargo bench --target wasm32-unknown-unknown -p pgtls-audit --bench audit_browser";
const SETS: [&str; 2] = ["realistic", "large"];
/// The page benchmark's sets: the engine's two, and the realistic one with ECDSA and Ed25519
/// certificates, whose first analysis waits for Web Crypto.
const PAGE_SETS: [&str; 3] = ["realistic", "large", "curves"];
const PAGE_BENCH_COMMAND: &str = "cargo run -p pgtls-e2e --example page_bench";
const LIVE_COMMAND: &str = "cargo run --profile release-native -p pgtls-probe --example bench";
/// Runs of each fast measurement, and of testssl.sh (tens of seconds a run).
const LIVE_RUNS: usize = 11;
const TESTSSL_RUNS: usize = 3;
/// The goals of the live check: a full check within a second, and the SSLRequest + handshake
/// step within 1.5 times `openssl s_client -starttls postgres`.
const FULL_CHECK_GOAL_MS: f64 = 1000.0;
const HANDSHAKE_GOAL_RATIO: f64 = 1.5;
/// One frame at 60 Hz: the page's budget for analysing the large set.
const FRAME_NS: f64 = 16.0e6;

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    if args.first().is_some_and(|a| a == "--fixtures") {
        let sample = args
            .get(1)
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join(DEFAULT_SAMPLE));
        return write_fixtures(root, &sample);
    }
    let (mut with_page, mut with_browser, mut with_live) = (true, true, true);
    for arg in args {
        match arg.as_str() {
            "--no-page" => with_page = false,
            "--no-browser" => with_browser = false,
            "--no-live" => with_live = false,
            other => {
                return Err(format!(
                    "unknown option `{other}` \
                     (cargo xtask bench [--no-page] [--no-browser] [--no-live] | --fixtures [SAMPLE])"
                ))
            }
        }
    }
    let criterion_dir = root.join("target").join("criterion").join("audit");
    for set in SETS {
        let _ = std::fs::remove_dir_all(criterion_dir.join(set));
    }
    let output = Cmd::new("cargo")
        .args(BENCH_COMMAND.split(' ').skip(1))
        .dir(root)
        .run_echoed()?;
    let findings: Vec<String> = output
        .iter()
        .filter_map(|l| l.strip_prefix("pgtls-bench "))
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for set in SETS {
        rows.push(read_estimates(&criterion_dir.join(set), set)?);
    }
    let tools = match (with_page, with_browser) {
        (false, false) => None,
        (_, true) => Some(setup::ensure(root, Needs::Browser)?),
        (true, false) => Some(setup::ensure(root, Needs::Page)?),
    };
    let browser = match (&tools, with_browser) {
        (Some(tools), true) => Some(browser_bench(root, tools)?),
        _ => None,
    };
    // The page's size, measured in the same run so the record is of one commit.
    let page = if with_page {
        Some(dist::build(root)?)
    } else {
        None
    };
    // The built page itself, in Chromium: what its own thread spends while the worker audits.
    let page_thread = match (&tools, &page, with_browser) {
        (Some(tools), Some(_), true) => Some(page_thread_bench(root, tools)?),
        _ => None,
    };
    let live = if with_live {
        Some(live_bench(root)?)
    } else {
        None
    };
    let doc = performance_md(
        root,
        &rows,
        &findings,
        browser.as_deref(),
        page.as_ref(),
        page_thread.as_ref(),
        live.as_deref(),
    )?;
    let path = root.join("docs").join("performance.md");
    std::fs::write(&path, doc).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// One measurement of the live-check benchmark, in milliseconds.
#[derive(Debug, PartialEq)]
struct LiveRow {
    name: String,
    median: f64,
    min: f64,
    max: f64,
    runs: usize,
}

/// Builds `pgtls`, then runs the probe's benchmark example against the throw-away PostgreSQL it
/// starts, with `pgtls check` and testssl.sh measured in the same run.
fn live_bench(root: &Path) -> Result<Vec<LiveRow>> {
    let testssl = setup::ensure_live_bench_tools()?;
    Cmd::new("cargo")
        .args(["build", "--profile", "release-native", "-p", "pgtls-cli"])
        .dir(root)
        .run()?;
    let pgtls = crate::target_dir(root).join("release-native").join("pgtls");
    let output = Cmd::new("cargo")
        .args(LIVE_COMMAND.split(' ').skip(1))
        .args(["--".to_string(), LIVE_RUNS.to_string()])
        .env("PGTLS_BIN", &pgtls)
        .env("PGTLS_TESTSSL", &testssl)
        .env("PGTLS_TESTSSL_RUNS", TESTSSL_RUNS.to_string())
        .dir(root)
        .run_echoed()?;
    let rows = parse_live(&output);
    for name in [
        "full-check",
        "handshake-step",
        "s-client",
        "pgtls-check",
        "testssl",
    ] {
        if !rows.iter().any(|r| r.name == name) {
            return Err(format!(
                "the live benchmark printed no `pgtls-live {name}` line"
            ));
        }
    }
    Ok(rows)
}

/// The `pgtls-live NAME MEDIAN MIN MAX RUNS` lines of the benchmark's output.
fn parse_live(lines: &[String]) -> Vec<LiveRow> {
    lines
        .iter()
        .filter_map(|l| {
            let mut f = l.strip_prefix("pgtls-live ")?.split_whitespace();
            Some(LiveRow {
                name: f.next()?.to_string(),
                median: f.next()?.parse().ok()?,
                min: f.next()?.parse().ok()?,
                max: f.next()?.parse().ok()?,
                runs: f.next()?.parse().ok()?,
            })
        })
        .collect()
}

fn live_section(doc: &mut String, live: &[LiveRow]) {
    let get = |name: &str| live.iter().find(|r| r.name == name);
    let (Some(full), Some(step), Some(s_client), Some(cli), Some(testssl)) = (
        get("full-check"),
        get("handshake-step"),
        get("s-client"),
        get("pgtls-check"),
        get("testssl"),
    ) else {
        return;
    };
    let _ = writeln!(doc, "\n## The live check against a local PostgreSQL\n");
    let _ = writeln!(
        doc,
        "A throw-away PostgreSQL with SSL on (RSA test certificate, `hostssl` only) on 127.0.0.1, \
         started by `{LIVE_COMMAND} -- {LIVE_RUNS}`, which measures each line below in turn after \
         one warm-up check; every figure is the median of its runs. `pgtls check` and the two \
         peers run as processes; the probe's own lines are in-process timings of the same code.\n"
    );
    let _ = writeln!(doc, "| what | does | median | min – max | runs |");
    let _ = writeln!(doc, "|---|---|---:|---:|---:|");
    let row = |doc: &mut String, what: &str, does: &str, r: &LiveRow| {
        let _ = writeln!(
            doc,
            "| {what} | {does} | {:.1} ms | {:.1} – {:.1} ms | {} |",
            r.median, r.min, r.max, r.runs
        );
    };
    row(
        doc,
        "`pgtls check 127.0.0.1:PORT --format json`",
        "every step: SSLRequest and handshake, direct TLS, plaintext StartupMessage, TLS 1.0–1.3, \
         each TLS 1.2 suite offered alone; then the audit and the JSON report",
        cli,
    );
    row(
        doc,
        "`openssl s_client -starttls postgres`",
        "SSLRequest and one handshake, certificate chain printed",
        s_client,
    );
    row(
        doc,
        "`testssl --starttls postgres -p -e`",
        "SSLRequest before each of its handshakes: every protocol, then every suite its OpenSSL \
         knows, one at a time",
        testssl,
    );
    row(
        doc,
        "full check, in process",
        "what `pgtls check` runs, without process start, audit and output",
        full,
    );
    row(
        doc,
        "SSLRequest + handshake step, in process",
        "what `openssl s_client -starttls postgres` does",
        step,
    );
    let _ = writeln!(doc, "\nRatios of the medians:\n");
    let _ = writeln!(
        doc,
        "- `pgtls check` / `openssl s_client`: **{:.2}** (a full check against a single handshake)",
        cli.median / s_client.median
    );
    let _ = writeln!(
        doc,
        "- `pgtls check` / `testssl -p -e`: **{:.3}** (testssl takes {:.0} times as long for the \
         protocol and suite enumeration)",
        cli.median / testssl.median,
        testssl.median / cli.median
    );
    let ratio = step.median / s_client.median;
    let _ = writeln!(
        doc,
        "- SSLRequest + handshake step / `openssl s_client`: **{ratio:.2}** (goal: at most \
         {HANDSHAKE_GOAL_RATIO}): {}",
        if ratio <= HANDSHAKE_GOAL_RATIO {
            "met"
        } else {
            "missed"
        }
    );
    let _ = writeln!(
        doc,
        "- full check: **{:.0} ms** in process, {:.0} ms as `pgtls check` (goal: {FULL_CHECK_GOAL_MS:.0} ms): {}",
        full.median,
        cli.median,
        if cli.median <= FULL_CHECK_GOAL_MS {
            "met"
        } else {
            "missed"
        }
    );
}

/// The same analysis as wasm in headless Chromium, through wasm-bindgen-test-runner, whose
/// criterion port prints `browser/<set>  time: [low estimate high]` per set.
fn browser_bench(root: &Path, tools: &setup::Tools) -> Result<Vec<BrowserRow>> {
    let output = Cmd::new("cargo")
        .args(BROWSER_BENCH_COMMAND.split(' ').skip(1))
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", &tools.chromedriver)
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &tools.webdriver_json)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "600")
        .env("NO_COLOR", "1")
        // The runner keeps its baseline in ./target of the package otherwise.
        .env(
            "WASM_BINDGEN_BENCH_RESULT",
            root.join("target").join("wbg_benchmark.json"),
        )
        .dir(root)
        .run_echoed()?;
    let text: String = output.iter().map(|l| strip_ansi(l) + "\n").collect();
    SETS.iter()
        .map(|&set| {
            browser_times(&text, &format!("browser/{set}"))
                .map(|[low, estimate, high]| BrowserRow {
                    set,
                    low,
                    estimate,
                    high,
                })
                .ok_or_else(|| {
                    format!("no `browser/{set}` time in the in-browser benchmark's output")
                })
        })
        .collect()
}

/// The page benchmark's line for one set (tests/e2e/examples/page_bench.rs), in milliseconds.
#[derive(Debug, PartialEq)]
struct PageThreadRow {
    set: String,
    /// The set's first analysis, Web Crypto rounds included.
    first: f64,
    /// An edit's input event and the render it causes; and up to the frame after it.
    keystroke: f64,
    next_frame: f64,
    request: f64,
    apply: f64,
    audit: f64,
    longest: f64,
    long_tasks: usize,
    place: String,
    longest_edit: f64,
    longest_request: f64,
    longest_reply: f64,
    longest_other: f64,
    /// Making the share box's links, and writing the address bar's fragment, after a change.
    link: f64,
    address: f64,
}

/// Opening the page in a browser with an empty cache, in milliseconds after the navigation
/// began: when the wasm had arrived, and when the first result had been read.
#[derive(Debug, PartialEq)]
struct PageLoad {
    wasm: f64,
    first_result: f64,
}

struct PageThread {
    load: PageLoad,
    rows: Vec<PageThreadRow>,
}

fn page_thread_bench(root: &Path, tools: &setup::Tools) -> Result<PageThread> {
    let output = Cmd::new("cargo")
        .args(PAGE_BENCH_COMMAND.split(' ').skip(1))
        .env("PGTLS_E2E_DIST", root.join("dist"))
        .env("CHROMEDRIVER", &tools.chromedriver)
        .env("CHROMIUM", &tools.chromium)
        .dir(root)
        .run_echoed()?;
    let rows = parse_page_thread(&output);
    if rows.len() != PAGE_SETS.len() {
        return Err(format!("the page benchmark printed {} of {} sets", rows.len(), PAGE_SETS.len()));
    }
    let load = parse_page_load(&output).ok_or("the page benchmark printed no load line")?;
    Ok(PageThread { load, rows })
}

/// The `key=value` words of a benchmark line.
fn fields<'a>(words: impl Iterator<Item = &'a str>) -> std::collections::HashMap<&'a str, &'a str> {
    words.filter_map(|w| w.split_once('=')).collect()
}

fn parse_page_load(lines: &[String]) -> Option<PageLoad> {
    lines.iter().find_map(|l| {
        let fields = fields(l.strip_prefix("pgtls-page-bench-load ")?.split(' '));
        let num = |k: &str| fields.get(k)?.parse::<f64>().ok();
        Some(PageLoad { wasm: num("wasm")?, first_result: num("first_result")? })
    })
}

fn parse_page_thread(lines: &[String]) -> Vec<PageThreadRow> {
    lines
        .iter()
        .filter_map(|l| {
            let mut words = l.strip_prefix("pgtls-page-bench ")?.split(' ');
            let set = words.next()?.to_string();
            let fields = fields(words);
            let num = |k: &str| fields.get(k)?.parse::<f64>().ok();
            Some(PageThreadRow {
                set,
                first: num("first")?,
                keystroke: num("keystroke")?,
                next_frame: num("next_frame")?,
                request: num("request")?,
                apply: num("apply")?,
                audit: num("audit")?,
                longest: num("longest")?,
                long_tasks: fields.get("long_tasks")?.parse().ok()?,
                place: fields.get("in")?.to_string(),
                longest_edit: num("longest_edit")?,
                longest_request: num("longest_request")?,
                longest_reply: num("longest_reply")?,
                longest_other: num("longest_other")?,
                link: num("link")?,
                address: num("address")?,
            })
        })
        .collect()
}

struct BrowserRow {
    set: &'static str,
    low: f64,
    estimate: f64,
    high: f64,
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `[low estimate high]` after `time:` following `id` (criterion prints long ids on a line of
/// their own), in nanoseconds.
fn browser_times(text: &str, id: &str) -> Option<[f64; 3]> {
    let after = &text[text.find(id)? + id.len()..];
    let bracket = &after[after.find("time:")?..];
    let inside = &bracket[bracket.find('[')? + 1..bracket.find(']')?];
    let words: Vec<&str> = inside.split_whitespace().collect();
    if words.len() != 6 {
        return None;
    }
    let mut out = [0.0; 3];
    for (i, pair) in words.chunks(2).enumerate() {
        let scale = match pair[1] {
            "ps" => 1e-3,
            "ns" => 1.0,
            "µs" | "us" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            _ => return None,
        };
        out[i] = pair[0].parse::<f64>().ok()? * scale;
    }
    Some(out)
}

struct Row {
    set: &'static str,
    bytes: u64,
    median_ns: f64,
    mean_ns: f64,
    mean_low_ns: f64,
    mean_high_ns: f64,
    p95_ns: f64,
    samples: usize,
}

/// criterion's new/estimates.json (nanoseconds), new/benchmark.json (the throughput) and
/// new/sample.json (per-sample totals, for the 95th percentile).
fn read_estimates(dir: &Path, set: &'static str) -> Result<Row> {
    let read = |name: &str| {
        let path = dir.join("new").join(name);
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let estimates = read("estimates.json")?;
    let benchmark = read("benchmark.json")?;
    let sample = read("sample.json")?;
    let number = |text: &str, path: &[&str]| {
        json_number(text, path)
            .ok_or_else(|| format!("no {} in criterion's output for {set}", path.join(".")))
    };
    let iters = json_array(&sample, "iters").ok_or("no iters in sample.json")?;
    let times = json_array(&sample, "times").ok_or("no times in sample.json")?;
    let mut per_iter: Vec<f64> = times.iter().zip(&iters).map(|(t, n)| t / n).collect();
    per_iter.sort_by(f64::total_cmp);
    let p95 =
        per_iter[((per_iter.len() as f64 * 0.95).ceil() as usize).clamp(1, per_iter.len()) - 1];
    Ok(Row {
        set,
        bytes: number(&benchmark, &["throughput", "Bytes"])? as u64,
        median_ns: number(&estimates, &["median", "point_estimate"])?,
        mean_ns: number(&estimates, &["mean", "point_estimate"])?,
        mean_low_ns: number(&estimates, &["mean", "confidence_interval", "lower_bound"])?,
        mean_high_ns: number(&estimates, &["mean", "confidence_interval", "upper_bound"])?,
        p95_ns: p95,
        samples: per_iter.len(),
    })
}

/// The number at a key path in criterion's JSON. Keys are found in order, each after the
/// previous one: enough for criterion's fixed shapes, and keeps xtask free of a JSON parser.
fn json_number(text: &str, path: &[&str]) -> Option<f64> {
    let mut at = 0;
    for key in path {
        at += text[at..].find(&format!("\"{key}\""))? + key.len() + 2;
    }
    let rest = text[at..].trim_start().strip_prefix(':')?.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

fn json_array(text: &str, key: &str) -> Option<Vec<f64>> {
    let start = text.find(&format!("\"{key}\""))?;
    let open = start + text[start..].find('[')? + 1;
    let close = open + text[open..].find(']')?;
    text[open..close]
        .split(',')
        .map(|n| n.trim().parse().ok())
        .collect()
}

fn ms(ns: f64) -> String {
    format!("{:.3} ms", ns / 1e6)
}

fn performance_md(
    root: &Path,
    rows: &[Row],
    findings: &[String],
    browser: Option<&[BrowserRow]>,
    page: Option<&dist::Built>,
    page_thread: Option<&PageThread>,
    live: Option<&[LiveRow]>,
) -> Result<String> {
    let fixtures = root.join(FIXTURES);
    let mut doc = String::new();
    let _ = writeln!(doc, "# Performance\n");
    let _ = writeln!(
        doc,
        "Generated by `cargo xtask bench`; edit xtask/src/bench.rs, not this file.\n"
    );
    let _ = writeln!(doc, "## The audit, native\n");
    let _ = writeln!(
        doc,
        "One iteration is the whole analysis the page runs on each edit: the inputs read into \
         sources (line index included), parsed, modelled, judged by every rule, scored, and the \
         report built (UTF-16 columns, as the page uses). Command: `{BENCH_COMMAND}` \
         (criterion, release profile with `opt-level = \"z\"`, the page's).\n"
    );
    let _ = writeln!(doc, "| set | input | median | mean (95% CI) | p95 of sample means | throughput | audits/s | samples |");
    let _ = writeln!(doc, "|---|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let mib_s = r.bytes as f64 / (r.median_ns / 1e9) / (1024.0 * 1024.0);
        let _ = writeln!(
            doc,
            "| {} | {:.1} KiB | {} | {} ({} – {}) | {} | {mib_s:.1} MiB/s | {:.0} | {} |",
            r.set,
            r.bytes as f64 / 1024.0,
            ms(r.median_ns),
            ms(r.mean_ns),
            ms(r.mean_low_ns),
            ms(r.mean_high_ns),
            ms(r.p95_ns),
            1e9 / r.median_ns,
            r.samples
        );
    }
    if !findings.is_empty() {
        let _ = writeln!(
            doc,
            "\nWhat the engine found in each set at this commit (the work grows with the rules):\n"
        );
        for f in findings {
            let _ = writeln!(doc, "- {f}");
        }
    }
    if let Some(large) = rows.iter().find(|r| r.set == "large") {
        let verdict = if large.p95_ns <= FRAME_NS {
            "within"
        } else {
            "over"
        };
        let _ = writeln!(
            doc,
            "\nNatively the large set's p95 is {verdict} one frame (16 ms), the page's budget.{}",
            if verdict == "over" {
                " Where the time goes and what would bring it down: docs/performance-notes.md."
            } else {
                ""
            }
        );
    }

    if let Some(browser) = browser {
        let _ = writeln!(doc, "\n## The audit in headless Chromium\n");
        let _ = writeln!(
            doc,
            "The same iteration compiled to wasm32 (bench profile, `opt-level = \"z\"`) and run in \
             headless Chromium by wasm-bindgen-test-runner's criterion port, as the page runs it. \
             Command: `{BROWSER_BENCH_COMMAND}` with \
             `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner` (`cargo xtask \
             bench` sets it and the Chromium flags).\n"
        );
        let _ = writeln!(
            doc,
            "| set | time (95% CI) | wasm / native median | one frame (16 ms) |"
        );
        let _ = writeln!(doc, "|---|---:|---:|---|");
        for b in browser {
            let ratio = rows
                .iter()
                .find(|r| r.set == b.set)
                .map_or("–".to_string(), |r| {
                    format!("{:.1}×", b.estimate / r.median_ns)
                });
            let fits = if b.high <= FRAME_NS {
                "fits"
            } else {
                "does not fit"
            };
            let _ = writeln!(
                doc,
                "| {} | {} ({} – {}) | {ratio} | {fits} |",
                b.set,
                ms(b.estimate),
                ms(b.low),
                ms(b.high)
            );
        }
    }

    if let Some(PageThread { load, rows }) = page_thread {
        let _ = writeln!(doc, "\n## The page's own thread while the worker audits\n");
        let _ = writeln!(
            doc,
            "The built page (dist/) in headless Chromium: the set dropped into it, then its \
             pg_hba.conf edited nine times as typing does (the browser inserts the text and fires \
             the input event). The keystroke costs the page's thread the state change and a render \
             (\"keystroke\", to the end of that render; \"next frame\", to the frame after it, \
             when the typed text can be seen). Each edit is audited in the analysis worker; the page's \
             thread sends the documents (\"request\"), reads the result and hands it to the state \
             (\"read\"), and renders it, which Yew does later in the same task. Medians over the \
             edits. Long tasks are main-thread tasks over 50 ms during the edits (Chromium's Long \
             Tasks API), each put down to what started it: the keystroke (with the render it \
             causes), the request, the result (read and render), or something else. \
             \"first\" is the set's first analysis in the worker: certificates the page has not seen \
             yet take a round of Web Crypto answers (ECDSA and Ed25519 signatures, keys' public \
             halves) and one more audit; the \"curves\" set is the realistic one with ECDSA and \
             Ed25519 certificates and keys added. \"link\" is making the share box's links once a \
             result lands, \"address\" writing the address bar's fragment when typing pauses (each \
             compresses the inputs, up to the limit of its form: docs/url-format.md). \
             Command: `{PAGE_BENCH_COMMAND}` with `PGTLS_E2E_DIST=dist`.\n"
        );
        let _ = writeln!(
            doc,
            "| set | first analysis | keystroke | next frame | audit (in the {}) | request | read | link | address | long tasks | longest: keystroke | longest: result | longest: other |",
            rows.first().map_or("worker", |r| r.place.as_str())
        );
        let _ = writeln!(doc, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        let task = |ms: f64| if ms > 0.0 { format!("{ms:.0} ms") } else { "none over 50 ms".to_string() };
        for r in rows {
            let _ = writeln!(
                doc,
                "| {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {} | {} | {} | {} |",
                r.set,
                r.first,
                r.keystroke,
                r.next_frame,
                r.audit,
                r.request,
                r.apply,
                r.link,
                r.address,
                r.long_tasks,
                task(r.longest_edit),
                task(r.longest_reply),
                task(r.longest_other.max(r.longest_request))
            );
        }
        let worst = rows.iter().map(|r| r.longest).fold(0.0, f64::max);
        // The Long Tasks API reports tasks over 50 ms only: 0 means none was that long.
        let summary = if worst > 0.0 {
            format!(
                "the longest main-thread task seen was {worst:.0} ms, over one frame (16 ms); the columns above say what \
                 started it (docs/performance-notes.md)"
            )
        } else {
            "no main-thread task over 50 ms (the Long Tasks API's threshold) was seen in any set".to_string()
        };
        let _ = writeln!(doc, "\nThe audit itself no longer holds the page: {summary}.");
        let _ = writeln!(
            doc,
            "\nOpening the page in the benchmark's fresh browser (empty cache, served over loopback, so \
             the transfer takes next to no time): the wasm had arrived {:.0} ms after the navigation \
             began, and the first result (the default example, audited in the worker) had been read \
             {:.0} ms after it.",
            load.wasm, load.first_result
        );
    }

    if let Some(page) = page {
        let _ = writeln!(doc, "\n## The page's transfer size\n");
        let _ = writeln!(
            doc,
            "`trunk build --release` (wasm-opt at the level index.html asks for) in the same run, as \
             `cargo xtask dist` does; \
             gzip -9 as a static host precompressing its files would serve them. {SINGLE} is the \
             single-file page for offline use, not part of the transfer.\n",
            SINGLE = dist::SINGLE_FILE
        );
        let _ = writeln!(doc, "| dist/ | bytes | gzip -9 |");
        let _ = writeln!(doc, "|---|---:|---:|");
        for (name, raw, gz) in &page.files {
            let _ = writeln!(doc, "| {name} | {raw} | {gz} |");
        }
        let verdict = if page.transfer_gzip <= dist::TRANSFER_BUDGET {
            "within"
        } else {
            "over"
        };
        let _ = writeln!(
            doc,
            "\nTransfer (wasm + js + css, gzip -9): **{}**, {verdict} the 350 KB ({}) budget; over a \
             10 Mbit/s link it takes {:.2} s.{}",
            dist::kib(page.transfer_gzip),
            dist::kib(dist::TRANSFER_BUDGET),
            page.transfer_gzip as f64 * 8.0 / 10e6,
            if verdict == "over" {
                " Where the bytes go and what was cut: docs/page-size.md."
            } else {
                ""
            }
        );
    }

    if let Some(live) = live {
        live_section(&mut doc, live);
    }

    let _ = writeln!(doc, "\n## Fixtures\n");
    let _ = writeln!(
        doc,
        "In `{FIXTURES}/` (see its README.md); the large set is ten copies of the realistic set.\n"
    );
    let _ = writeln!(doc, "| file | bytes | lines |");
    let _ = writeln!(doc, "|---|---:|---:|");
    for name in [
        "postgresql.conf",
        "pg_hba.conf",
        "server.crt",
        "root.crt",
        "connections.txt",
    ] {
        let text = std::fs::read_to_string(fixtures.join(name))
            .map_err(|e| format!("cannot read fixture {name}: {e}"))?;
        let _ = writeln!(
            doc,
            "| {name} | {} | {} |",
            text.len(),
            text.lines().count()
        );
    }

    let _ = writeln!(doc, "\n## Machine\n");
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let rustc = Cmd::new("rustc")
        .arg("--version")
        .read()
        .unwrap_or_default();
    let commit = Cmd::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .dir(root)
        .read()
        .unwrap_or_default();
    let date = Cmd::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .read()
        .unwrap_or_default();
    let _ = writeln!(
        doc,
        "- CPU: {cpu}, {cores} cores available (shared with other builds while measured)"
    );
    let _ = writeln!(doc, "- {}", rustc.trim());
    let _ = writeln!(doc, "- commit {} measured {}", commit.trim(), date.trim());
    Ok(doc)
}

/// Writes the generated text fixtures; the output depends only on the sample, so a rerun
/// gives the same bytes.
fn write_fixtures(root: &Path, sample: &Path) -> Result<()> {
    let dir = root.join(FIXTURES);
    let sample_text = std::fs::read_to_string(sample).map_err(|e| {
        format!(
            "cannot read {} ({e}); pass the PostgreSQL 18 postgresql.conf.sample path",
            sample.display()
        )
    })?;
    let write = |name: &str, text: String| {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("wrote {}", path.display());
        Ok::<_, String>(())
    };
    write("postgresql.conf", postgresql_conf(&sample_text)?)?;
    write("pg_hba.conf", pg_hba_conf())?;
    write("connections.txt", connection_strings())?;
    Ok(())
}

/// The sample with the TLS settings a careful administrator sets, each in place of its
/// commented-out default.
fn postgresql_conf(sample: &str) -> Result<String> {
    const SETTINGS: &[(&str, &str)] = &[
        ("#listen_addresses = ", "listen_addresses = '*'"),
        (
            "#password_encryption = ",
            "password_encryption = scram-sha-256",
        ),
        ("#ssl = ", "ssl = on"),
        ("#ssl_ca_file = ", "ssl_ca_file = 'root.crt'"),
        ("#ssl_cert_file = ", "ssl_cert_file = 'server.crt'"),
        ("#ssl_crl_file = ", "ssl_crl_file = ''"),
        ("#ssl_key_file = ", "ssl_key_file = 'server.key'"),
        (
            "#ssl_ciphers = ",
            "ssl_ciphers = 'HIGH:!aNULL:!MD5:!3DES:!CAMELLIA:!kRSA'",
        ),
        (
            "#ssl_prefer_server_ciphers = ",
            "ssl_prefer_server_ciphers = on",
        ),
        ("#ssl_groups = ", "ssl_groups = 'X25519:prime256v1'"),
        (
            "#ssl_min_protocol_version = ",
            "ssl_min_protocol_version = 'TLSv1.2'",
        ),
        (
            "#ssl_max_protocol_version = ",
            "ssl_max_protocol_version = ''",
        ),
    ];
    let mut out = String::with_capacity(sample.len() + 512);
    let mut used = vec![false; SETTINGS.len()];
    for line in sample.lines() {
        match SETTINGS
            .iter()
            .position(|(prefix, _)| line.starts_with(prefix))
        {
            Some(i) if !used[i] => {
                used[i] = true;
                // Keep the sample's trailing comment, as an administrator editing in place would.
                let comment = line.find("\t#").map(|at| &line[at..]).unwrap_or("");
                out.push_str(SETTINGS[i].1);
                out.push_str(comment);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(format!(
            "the sample has no `{}` line to fill in",
            SETTINGS[i].0
        ));
    }
    Ok(out)
}

/// A small deterministic generator (xorshift), so the fixtures never change between runs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// 1,000 lines shaped like a large organisation's pg_hba.conf: comments, local and loopback
/// rules, then per-team rules over IPv4 CIDRs, address + mask pairs, IPv6 prefixes and host
/// names, mostly hostssl with scram-sha-256 or client certificates, some legacy md5 and
/// plaintext rules, and explicit rejects at the end.
fn pg_hba_conf() -> String {
    const LINES: usize = 1000;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut lines: Vec<String> = [
        "# pg_hba.conf for the benchmark: 1,000 lines generated by `cargo xtask bench --fixtures`.",
        "#",
        "# TYPE  DATABASE        USER            ADDRESS                 METHOD",
        "",
        "local   all             postgres                                peer",
        "local   all             all                                     scram-sha-256",
        "host    all             all             127.0.0.1/32            scram-sha-256",
        "host    all             all             ::1/128                 scram-sha-256",
        "hostssl replication     replicator      10.0.0.0/8              scram-sha-256",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let tail = [
        "",
        "# Everything else: TLS with a password, or a clear rejection.",
        "hostssl all             all             0.0.0.0/0               scram-sha-256",
        "hostssl all             all             ::/0                    scram-sha-256",
        "hostnossl all           all             0.0.0.0/0               reject",
        "hostnossl all           all             ::/0                    reject",
    ];
    let mut team = 0;
    while lines.len() < LINES - tail.len() {
        team += 1;
        if team % 25 == 1 {
            if team > 1 {
                lines.push(String::new());
            }
            lines.push(format!("# teams {team} to {}", team + 24));
        }
        let kind = match rng.below(100) {
            0..=69 => "hostssl",
            70..=81 => "host",
            82..=87 => "hostnossl",
            88..=93 => "hostgssenc",
            _ => "hostnogssenc",
        };
        let database = match rng.below(6) {
            0 => "all".to_string(),
            1 => "sameuser".to_string(),
            2 => format!("app{team},app{team}_ro"),
            3 => format!("\"Team {team}\""),
            _ => format!("app{}", rng.below(200)),
        };
        let user = match rng.below(5) {
            0 => "all".to_string(),
            1 => format!("+team{team}"),
            2 => format!("svc{team},svc{team}_batch"),
            _ => format!("user{}", rng.below(500)),
        };
        let address = match rng.below(7) {
            0 | 1 => format!("10.{}.{}.0/24", rng.below(256), rng.below(256)),
            2 => format!("192.168.{}.0 255.255.255.0", rng.below(256)),
            3 => format!(
                "172.{}.{}.{}/32",
                16 + rng.below(16),
                rng.below(256),
                1 + rng.below(254)
            ),
            4 => format!(
                "2001:db8:{:x}:{:x}::/64",
                rng.below(0xffff),
                rng.below(0xffff)
            ),
            5 => format!("app{}.internal.example.com", rng.below(300)),
            _ => rng
                .pick(&[".example.net", "samenet", "samehost", "fd00::/8"])
                .to_string(),
        };
        let method = match kind {
            "hostssl" => match rng.below(10) {
                0..=5 => "scram-sha-256",
                6 => "scram-sha-256 clientcert=verify-full",
                7 => "cert",
                8 => "md5",
                _ => "reject",
            },
            "hostnossl" => rng.pick(&["reject", "reject", "md5"]),
            _ => rng.pick(&["scram-sha-256", "scram-sha-256", "md5", "reject"]),
        };
        lines.push(format!(
            "{kind:<7} {database:<15} {user:<15} {address:<23} {method}"
        ));
    }
    lines.truncate(LINES - tail.len());
    lines.extend(tail.iter().map(|s| s.to_string()));
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// 20 client connection strings as applications write them: libpq URIs and keyword/value
/// strings, from verify-full with the right root down to sslmode=disable.
fn connection_strings() -> String {
    let lines = [
        "postgresql://app@db.example.com:5432/app?sslmode=verify-full&sslrootcert=root.crt",
        "postgresql://report@db.example.com/reports?sslmode=verify-full&sslrootcert=/etc/ssl/pgtls/root.crt&connect_timeout=10",
        "postgres://batch:secret@db.example.com:5432/batch?sslmode=verify-ca&sslrootcert=root.crt",
        "postgresql://web@db.example.com,db-replica.example.com/app?sslmode=verify-full&target_session_attrs=read-write",
        "postgresql://admin@10.0.0.5/postgres?sslmode=require",
        "postgresql://legacy@db.example.com/legacy?sslmode=prefer",
        "postgresql://etl@db.example.com/warehouse",
        "postgresql://metrics@127.0.0.1:5432/metrics?sslmode=disable",
        "postgresql://%2Fvar%2Frun%2Fpostgresql/app",
        "postgresql://cert_user@db.example.com/app?sslmode=verify-full&sslcert=client.crt&sslkey=client.key&sslrootcert=root.crt",
        "host=db.example.com port=5432 dbname=app user=app sslmode=verify-full sslrootcert=root.crt",
        "host=db.example.com dbname=app user=api sslmode=verify-full sslrootcert=system",
        "host=db.example.com dbname=app user=worker sslmode=require sslrootcert=root.crt",
        "host=10.1.2.3 dbname=app user=ops sslmode=verify-full",
        "host=db.example.com hostaddr=10.0.0.5 dbname=app user=app sslmode=verify-full sslrootcert=root.crt",
        "host=db.example.com dbname=app user=app sslmode=allow",
        "host=db.example.com dbname=app user=app sslmode=verify-full sslrootcert=root.crt ssl_min_protocol_version=TLSv1.3",
        "host=db.example.com dbname=app user=app sslmode=verify-full sslrootcert=root.crt sslnegotiation=direct",
        "host=/var/run/postgresql dbname=app user=app",
        "service=production sslmode=verify-full",
    ];
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_browser_benchmark_output() {
        let line = "\u{1b}[32mbrowser/large\u{1b}[0m           time:   [\u{1b}[2m7.4590 ms\u{1b}[0m \u{1b}[1m7.7901 ms\u{1b}[0m \u{1b}[2m8.1393 ms\u{1b}[0m]";
        let text = strip_ansi(line);
        assert_eq!(
            text,
            "browser/large           time:   [7.4590 ms 7.7901 ms 8.1393 ms]"
        );
        let times = browser_times(&text, "browser/large").unwrap();
        assert!((times[1] - 7.7901e6).abs() < 1.0, "{times:?}");
        let micro = browser_times(
            "browser/realistic\n   time:   [720.13 µs 744.07 µs 770.28 µs]",
            "browser/realistic",
        )
        .unwrap();
        assert!((micro[0] - 720_130.0).abs() < 1.0, "{micro:?}");
        assert_eq!(
            browser_times("browser/large time: [oops]", "browser/large"),
            None
        );
    }

    #[test]
    fn reads_the_page_benchmark_lines() {
        let lines = vec![
            "noise".to_string(),
            "pgtls-page-bench large first=150.00 keystroke=9.50 next_frame=30.25 request=3.10 apply=12.50 audit=140.20 longest=75 long_tasks=2 in=worker longest_edit=60 longest_request=0 longest_reply=75 longest_other=0 link=4.25 address=1.50".to_string(),
            "pgtls-page-bench broken request=x".to_string(),
        ];
        assert_eq!(
            parse_page_thread(&lines),
            vec![PageThreadRow {
                set: "large".into(),
                first: 150.0,
                keystroke: 9.5,
                next_frame: 30.25,
                request: 3.1,
                apply: 12.5,
                audit: 140.2,
                longest: 75.0,
                long_tasks: 2,
                place: "worker".into(),
                longest_edit: 60.0,
                longest_request: 0.0,
                longest_reply: 75.0,
                longest_other: 0.0,
                link: 4.25,
                address: 1.5,
            }]
        );
    }

    #[test]
    fn reads_the_page_load_line() {
        let lines = vec![
            "pgtls-page-bench realistic first=1 keystroke=1".to_string(),
            "pgtls-page-bench-load wasm=78.9 first_result=341.9".to_string(),
        ];
        assert_eq!(parse_page_load(&lines), Some(PageLoad { wasm: 78.9, first_result: 341.9 }));
        assert_eq!(parse_page_load(&["pgtls-page-bench-load wasm=78.9".to_string()]), None);
        // The sets' lines are not taken for it, nor it for a set.
        assert_eq!(parse_page_thread(&lines[1..]), vec![]);
    }

    #[test]
    fn reads_the_live_benchmark_lines() {
        let lines: Vec<String> = [
            "runs: 11 each",
            "pgtls-live full-check 312.50 290.00 400.10 11",
            "pgtls-live testssl 41000.00 40000.00 42000.00 3",
            "pgtls-live broken x 1 2 3",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let rows = parse_live(&lines);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0],
            LiveRow {
                name: "full-check".into(),
                median: 312.5,
                min: 290.0,
                max: 400.1,
                runs: 11
            }
        );
        let mut doc = String::new();
        live_section(&mut doc, &rows);
        assert!(doc.is_empty(), "a section needs every measurement");
    }

    #[test]
    fn reads_criterion_numbers() {
        let estimates = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":10.5,"upper_bound":12.0},"point_estimate":11.25,"standard_error":0.3},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":9.0,"upper_bound":10.0},"point_estimate":9.5e3,"standard_error":0.1}}"#;
        assert_eq!(
            json_number(estimates, &["mean", "point_estimate"]),
            Some(11.25)
        );
        assert_eq!(
            json_number(estimates, &["mean", "confidence_interval", "upper_bound"]),
            Some(12.0)
        );
        assert_eq!(
            json_number(estimates, &["median", "point_estimate"]),
            Some(9500.0)
        );
        assert_eq!(
            json_array(
                r#"{"sampling_mode":"Linear","iters":[1.0,2.0],"times":[5.0,9.0]}"#,
                "times"
            ),
            Some(vec![5.0, 9.0])
        );
    }

    #[test]
    fn the_generated_hba_has_1000_lines() {
        let hba = pg_hba_conf();
        assert_eq!(hba.lines().count(), 1000);
        assert_eq!(hba, pg_hba_conf(), "the generator is deterministic");
        assert_eq!(connection_strings().lines().count(), 20);
    }

    #[test]
    fn the_committed_fixtures_are_generated_ones() {
        let dir = crate::repo_root().join(FIXTURES);
        assert_eq!(
            std::fs::read_to_string(dir.join("pg_hba.conf")).unwrap(),
            pg_hba_conf()
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("connections.txt")).unwrap(),
            connection_strings()
        );
    }

    #[test]
    fn fills_settings_in_place() {
        let sample =
            "#ssl = off\n#listen_addresses = 'localhost'\t\t# what IP address(es) to listen on;\n";
        assert!(
            postgresql_conf(sample).is_err(),
            "a sample missing settings is refused"
        );
    }
}
