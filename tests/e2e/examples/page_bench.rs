//! The page's side of an audit, measured in the built page in headless Chromium: the benchmark
//! sets (crates/pgtls-audit/benches/fixtures, once and ten times over, and once with ECDSA and
//! Ed25519 certificates added) dropped into the page,
//! then a pg_hba.conf edited again and again, as typing does (the browser inserts the text and
//! fires the input event). The keystroke itself costs the page's thread the state change and a
//! render ("keystroke", up to the end of that render; "next_frame", up to the frame after it).
//! Each edit is audited in the analysis worker; what
//! the page's own thread spends on it is sending the documents ("pgtls-request"), reading the
//! result and handing it to the state ("pgtls-receive" and "pgtls-apply", reported together as
//! `apply`), and rendering it, which Yew does later in the same task and which the long tasks
//! (over 50 ms, put down to what started them) show. `cargo xtask bench` runs this and writes
//! the figures into docs/performance.md.
//!
//! Needs PGTLS_E2E_DIST (the built page) and Chromium with chromedriver, as the e2e tests do:
//! `PGTLS_E2E_DIST=dist cargo run -p pgtls-e2e --example page_bench [EDITS]` (the driver's build
//! profile does not matter: the page is the release build in dist/). Prints one line per set:
//! `pgtls-page-bench SET first=MS keystroke=MS next_frame=MS request=MS apply=MS audit=MS longest=MS long_tasks=N in=worker|page
//! longest_edit=MS longest_request=MS longest_reply=MS longest_other=MS link=MS address=MS`
//! (medians over the edits; `link` and `address` are making the share box's links and writing
//! the address bar's fragment, both after each change; `first` is the set's first analysis,
//! Web Crypto rounds included; `longest` is the
//! longest main-thread task seen, 0 when none passed 50 ms). A third set, `curves`, is the
//! realistic one with ECDSA and Ed25519 certificates and keys added. Before the sets, one line
//! for opening the page in the fresh browser (empty cache): `pgtls-page-bench-load wasm=MS
//! first_result=MS`, when the wasm had arrived and when the first result (the default example,
//! audited in the worker) had been read, in milliseconds after the navigation began.

use std::time::Duration;

use pgtls_e2e::browser::Browser;
use pgtls_e2e::dist_dir;
use pgtls_e2e::server::StaticServer;
use serde_json::{json, Value};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../crates/pgtls-audit/benches/fixtures");
const FILES: [&str; 5] = ["postgresql.conf", "pg_hba.conf", "server.crt", "root.crt", "connections.txt"];
/// ECDSA and Ed25519 certificates and keys (crates/pgtls-audit/tests/fixtures/cert/gen), whose
/// signatures and public keys the page gets from Web Crypto.
const CURVE_FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../crates/pgtls-audit/tests/fixtures/cert/gen");
const CURVE_FILES: [&str; 7] = ["ec-chain.crt", "ec-root.crt", "ed-leaf.crt", "ed-root.crt", "ed-leaf.key", "p384-nopublic.key", "p384-self.crt"];

/// The realistic set `copies` times over; `curves` adds the ECDSA and Ed25519 files.
fn set(copies: usize, curves: bool) -> Vec<(String, String)> {
    let read = |dir: &str, name: &str| std::fs::read_to_string(format!("{dir}/{name}")).expect("the benchmark fixtures");
    let mut files: Vec<(String, String)> = (0..copies)
        .flat_map(|copy| {
            FILES.iter().map(move |file| {
                let name = if copies == 1 { file.to_string() } else { format!("set{copy:02}-{file}") };
                (name, read(FIXTURES, file))
            })
        })
        .collect();
    if curves {
        files.extend(CURVE_FILES.iter().map(|name| (name.to_string(), read(CURVE_FIXTURES, name))));
    }
    files
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() { f64::NAN } else { v[v.len() / 2] }
}

const SETTLED: &str = "const c = document.querySelector('.scorecard'); return c && c.getAttribute('aria-busy') === 'false'";

/// Opens the page and reads when its wasm arrived and when its first result was read, from the
/// navigation's start: what a visitor waits for before the first score.
async fn load(browser: &Browser, origin: &str) -> Result<String, String> {
    browser.client.goto(&format!("{origin}/")).await.map_err(|e| e.to_string())?;
    browser.wait_for("the first result", SETTLED).await?;
    let v = browser
        .js(
            r#"
            const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
            const apply = performance.getEntriesByName('pgtls-apply')[0];
            return [wasm ? wasm.responseEnd : null, apply ? apply.startTime + apply.duration : null];
            "#,
            vec![],
        )
        .await?;
    let num = |v: &Value| v.as_f64().ok_or_else(|| format!("no load timing in {v}"));
    Ok(format!("pgtls-page-bench-load wasm={:.1} first_result={:.1}", num(&v[0])?, num(&v[1])?))
}

async fn run(browser: &Browser, origin: &str, name: &str, copies: usize, curves: bool, edits: usize) -> Result<String, String> {
    browser.client.goto("about:blank").await.map_err(|e| e.to_string())?;
    browser.client.goto(&format!("{origin}/")).await.map_err(|e| e.to_string())?;
    browser.wait_for("the page", "return document.querySelector('[data-testid=score]') !== null").await?;
    browser.js("document.querySelector('.pickers button:last-child').click()", vec![]).await?; // Remove all
    browser.wait_for("no inputs", "return document.querySelectorAll('[data-testid=document-tab]').length === 0").await?;
    let files = set(copies, curves);
    browser
        .js(
            r#"
            window.pgtlsLongTasks = [];
            new PerformanceObserver((list) => window.pgtlsLongTasks.push(...list.getEntries().map((e) => [e.startTime, e.duration])))
                .observe({ type: 'longtask' });
            const data = new DataTransfer();
            for (const [name, text] of arguments[0]) data.items.add(new File([text], name));
            const zone = document.querySelector('[data-testid=drop-zone]');
            zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
            "#,
            vec![json!(files)],
        )
        .await?;
    browser
        .wait_for("the dropped set", &format!("return document.querySelectorAll('[data-testid=document-tab]').length === {}", files.len()))
        .await?;
    browser.wait_for("the first analysis", SETTLED).await?;
    // The set's first analysis: certificates the page has not seen before take a round of Web
    // Crypto answers (ECDSA, Ed25519) and one more audit; the edits after it need neither.
    let first = browser.js("return Number(document.querySelector('#results').dataset.auditMs)", vec![]).await?;
    let first = first.as_f64().ok_or_else(|| format!("no audit time in {first}"))?;
    // The editor shows the first input; select a pg_hba.conf to edit.
    browser
        .js("[...document.querySelectorAll('[data-testid=document-tab]')].find((t) => t.textContent.includes('pg_hba')).click()", vec![])
        .await?;
    browser.wait_for("the pg_hba.conf editor", "const e = document.querySelector('[data-testid=editor]'); return e && e.dataset.document.includes('pg_hba')").await?;
    browser.js("performance.clearMeasures(); window.pgtlsLongTasks = []; window.pgtlsInputs = [];", vec![]).await?;
    let (mut audit, mut apply, mut request) = (Vec::new(), Vec::new(), Vec::new());
    let (mut keystroke, mut next_frame) = (Vec::new(), Vec::new());
    for edit in 0..edits {
        let typing = browser
            .js(
                r#"
                const area = document.querySelector('[data-testid=editor] textarea');
                area.focus();
                area.setSelectionRange(area.value.length, area.value.length);
                const start = performance.now();
                (window.pgtlsInputs = window.pgtlsInputs || []).push(start);
                // As typing does: the browser edits the text in place and fires the input event.
                document.execCommand('insertText', false, `\n# edit ${arguments[0]}`);
                // The keystroke's work: the input handler, the state change, and the render,
                // which Yew runs in a microtask queued during the dispatch, before this one.
                return Promise.resolve().then(() => {
                    const work = performance.now() - start;
                    // And the next frame after it (the task after that frame's callbacks):
                    // what the user waits for to see the character.
                    return new Promise((done) => requestAnimationFrame(() => {
                        const channel = new MessageChannel();
                        channel.port1.onmessage = () => done([work, performance.now() - start]);
                        channel.port2.postMessage(0);
                    }));
                });
                "#,
                vec![json!(edit)],
            )
            .await?;
        let num = |v: &Value| v.as_f64().ok_or_else(|| format!("no keystroke time in {typing}"));
        keystroke.push(num(&typing[0])?);
        next_frame.push(num(&typing[1])?);
        browser.wait_for("the edit to be seen", "return document.querySelector('.scorecard').getAttribute('aria-busy') === 'true'").await?;
        browser.wait_for("the analysis of the edit", SETTLED).await?;
        let v = browser
            .js(
                r#"
                const last = (name) => { const m = performance.getEntriesByName(name); return m.length ? m[m.length - 1].duration : null; };
                // The result's reading ("pgtls-receive", just before its "pgtls-apply") and its
                // dispatch; who-gets-in answers are read too, and are left out.
                const all = performance.getEntriesByType('measure');
                const at = all.map((e) => e.name).lastIndexOf('pgtls-apply');
                const read = at > 0 && all[at - 1].name === 'pgtls-receive' ? all[at - 1].duration : null;
                return [last('pgtls-request'), read === null ? null : read + all[at].duration, Number(document.querySelector('#results').dataset.auditMs)];
                "#,
                vec![],
            )
            .await?;
        let num = |v: &Value| v.as_f64().ok_or_else(|| format!("no measure in {v}"));
        request.push(num(&v[0])?);
        apply.push(num(&v[1])?);
        audit.push(num(&v[2])?);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Each long task is put down to what started in it: an edit (the input event and the
    // render it causes), the request (sending the documents) or the reply (reading and
    // rendering the result); anything else is "other" (the share link's update, say).
    let v = browser
        .js(
            r#"
            const starts = (name) => performance.getEntriesByName(name).map((e) => e.startTime);
            const durations = (name) => performance.getEntriesByName(name).map((e) => e.duration);
            return [window.pgtlsLongTasks, window.pgtlsInputs, starts('pgtls-request'), starts('pgtls-receive'),
                    document.querySelector('#results').dataset.auditIn, durations('pgtls-link'), durations('pgtls-address')];
            "#,
            vec![],
        )
        .await?;
    let times = |v: &Value| -> Vec<f64> { v.as_array().into_iter().flatten().filter_map(Value::as_f64).collect() };
    let (inputs, requests, receives) = (times(&v[1]), times(&v[2]), times(&v[3]));
    let long: Vec<(f64, f64)> = v[0]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| Some((t[0].as_f64()?, t[1].as_f64()?)))
        .collect();
    let mut worst = [0.0f64; 4];
    for &(start, duration) in &long {
        let within = |marks: &[f64]| marks.iter().any(|&m| m >= start - 1.0 && m <= start + duration);
        let class = if within(&inputs) { 0 } else if within(&receives) { 2 } else if within(&requests) { 1 } else { 3 };
        worst[class] = worst[class].max(duration);
    }
    let longest = long.iter().map(|t| t.1).fold(0.0, f64::max);
    // The share link and the address bar are made again after each change (the set's own
    // entries: the page is reloaded for every set).
    let (link, address) = (median(times(&v[5])), median(times(&v[6])));
    Ok(format!(
        "pgtls-page-bench {name} first={first:.2} keystroke={:.2} next_frame={:.2} request={:.2} apply={:.2} audit={:.2} longest={longest:.0} long_tasks={} in={} \
         longest_edit={:.0} longest_request={:.0} longest_reply={:.0} longest_other={:.0} link={link:.2} address={address:.2}",
        median(keystroke),
        median(next_frame),
        median(request),
        median(apply),
        median(audit),
        long.len(),
        v[4].as_str().unwrap_or("?"),
        worst[0],
        worst[1],
        worst[2],
        worst[3]
    ))
}

#[tokio::main]
async fn main() {
    let edits = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(9);
    let result = async {
        let dist = dist_dir()?;
        let server = StaticServer::start(dist).await.map_err(|e| e.to_string())?;
        let downloads = std::env::temp_dir().join(format!("pgtls-page-bench-{}", std::process::id()));
        std::fs::create_dir_all(&downloads).map_err(|e| e.to_string())?;
        let browser = Browser::start(&downloads).await?;
        // First, while the browser's cache is empty.
        let mut lines = vec![load(&browser, &server.origin).await];
        for (name, copies, curves) in [("realistic", 1, false), ("large", 10, false), ("curves", 1, true)] {
            lines.push(run(&browser, &server.origin, name, copies, curves, edits).await);
        }
        browser.close().await;
        lines.into_iter().collect::<Result<Vec<_>, _>>()
    }
    .await;
    match result {
        Ok(lines) => lines.iter().for_each(|l| println!("{l}")),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
