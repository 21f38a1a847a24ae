//! End-to-end scenarios of the page, in headless Chromium over the built dist.
//!
//! Run through `cargo xtask test` (it builds dist/ and sets PGTLS_E2E_DIST). One browser serves
//! every scenario, in order; each is reported like a libtest test, and any failure fails the run.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use pgtls_audit::{audit, AuditOptions, ColumnUnit, InputKind, Inputs, Report, SourceFile};
use pgtls_e2e::browser::Browser;
use pgtls_e2e::server::StaticServer;
use pgtls_e2e::{dist_dir, screenshot_dir};
use pgtls_web::examples::{Example, EXAMPLES};
use serde_json::{json, Value};

#[path = "page/accessibility.rs"]
mod accessibility;
use accessibility::{axe_finds_no_serious_violations, keyboard_walk_through};

struct Ctx {
    browser: Browser,
    server: StaticServer,
    downloads: PathBuf,
    shots: PathBuf,
}

type Outcome = Result<(), String>;
type Scenario = for<'a> fn(&'a Ctx) -> Pin<Box<dyn Future<Output = Outcome> + 'a>>;

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        [$((stringify!($name), (|cx| Box::pin($name(cx))) as Scenario)),*]
    };
}

fn main() {
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let dist = match dist_dir() {
        Ok(d) => d,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::exit(1);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let failed = runtime.block_on(async move {
        let downloads = std::env::temp_dir().join(format!("pgtls-e2e-downloads-{}", std::process::id()));
        std::fs::create_dir_all(&downloads).unwrap();
        let server = StaticServer::start(dist).await.expect("start the static server");
        let browser = match Browser::start(&downloads).await {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        };
        let cx = Ctx { browser, server, downloads, shots: screenshot_dir() };
        // Screenshots of earlier failures would mislead a reviewer of this run.
        for entry in std::fs::read_dir(&cx.shots).into_iter().flatten().flatten() {
            if entry.file_name().to_string_lossy().starts_with("failed-") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let all = scenarios![
            no_request_leaves_the_origin,
            examples_agree_with_the_engine,
            paste_adds_a_detected_input,
            drop_adds_files,
            editing_updates_the_score_without_a_button,
            clicking_a_finding_highlights_its_range,
            share_link_round_trip,
            private_keys_stay_out_of_the_link,
            plain_fragment_format_loads,
            compressed_link_pasted_into_the_open_page,
            cli_link_opens_as_pgtls_audit_reads_the_files,
            export_json_matches_the_engine,
            embed_mode_is_compact_and_read_only,
            relay_down_shows_the_start_command,
            phone_width_and_dark_theme,
            single_file_page_works_from_disk,
            pasted_error_message_is_explained,
            axe_finds_no_serious_violations,
            keyboard_walk_through,
            generate_view_downloads_the_set_as_a_zip,
            fix_all_is_reviewed_then_applied,
            calendar_download_has_the_events_of_every_certificate,
            curve_certificates_agree_with_the_engine,
            plain_http_page_says_curve_signatures_are_not_checked,
            a_dying_worker_hands_its_work_to_the_page,
        ];
        let mut failed = 0;
        let selected: Vec<_> = all.iter().filter(|(name, _)| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()))).collect();
        println!("\nrunning {} scenarios", selected.len());
        for (name, run) in selected {
            let result = run(&cx).await;
            match result {
                Ok(()) => println!("test {name} ... ok"),
                Err(e) => {
                    failed += 1;
                    println!("test {name} ... FAILED\n    {e}");
                    let _ = cx.browser.screenshot(&cx.shots, &format!("failed-{name}")).await;
                }
            }
        }
        println!("\ntest result: {}. {failed} failed; screenshots in {}", if failed == 0 { "ok" } else { "FAILED" }, cx.shots.display());
        cx.browser.close().await;
        let _ = std::fs::remove_dir_all(&cx.downloads);
        failed
    });
    std::process::exit(if failed == 0 { 0 } else { 1 });
}

// ---- helpers ----

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// The engine's report for named files, computed natively, as `pgtls audit --host H` gives it.
fn engine_report<'a>(files: impl IntoIterator<Item = (&'a str, InputKind, &'a str)>, host: &str) -> Report {
    let inputs = Inputs { files: files.into_iter().map(|(name, kind, text)| SourceFile::from_text(name, kind, text)).collect() };
    let mut options = AuditOptions::new(now());
    options.host = Some(host.to_string());
    audit(&inputs, &options).report(&inputs, ColumnUnit::Utf16)
}

/// The engine's report for an example.
fn native_report(example: &Example) -> Report {
    engine_report(example.files.iter().map(|f| (f.name, f.kind, f.text)), example.host)
}

/// What the page shows, read from its test handles once the analysis caught up with the inputs.
#[derive(Debug, PartialEq)]
struct Shown {
    score: String,
    statuses: Vec<(String, String)>,
    findings: Vec<(String, String)>,
}

impl Shown {
    fn of(report: &Report) -> Shown {
        let mut findings: Vec<_> = report.findings.iter().map(|f| (f.rule.clone(), f.severity.as_str().to_string())).collect();
        findings.sort();
        Shown {
            score: report.score.to_string(),
            statuses: report.checklist.iter().map(|e| (e.item.to_string(), e.status.as_str().to_string())).collect(),
            findings,
        }
    }
}

const SETTLED: &str = r#"
    const card = document.querySelector('.scorecard');
    return card && card.getAttribute('aria-busy') === 'false' && document.querySelector('[data-testid=score]') !== null;
"#;

async fn shown(cx: &Ctx) -> Result<Shown, String> {
    // The analysis is debounced: wait for it to settle, then for one more quiet period.
    cx.browser.wait_for("the analysis", SETTLED).await?;
    tokio::time::sleep(Duration::from_millis(250)).await;
    cx.browser.wait_for("the analysis", SETTLED).await?;
    // Groups with more findings than the page draws at first are opened in full.
    cx.browser.js("document.querySelectorAll('[data-testid=show-all-findings]').forEach((b) => b.click())", vec![]).await?;
    cx.browser.wait_for("every finding", "return document.querySelector('[data-testid=show-all-findings]') === null").await?;
    let v = cx
        .browser
        .js(
            r#"
            const q = s => [...document.querySelectorAll(s)];
            return {
                score: document.querySelector('[data-testid=score]').textContent,
                statuses: q('[data-testid=checklist-item]').map(e => [e.dataset.item, e.dataset.status]),
                findings: q('[data-testid=finding]').map(e => [e.dataset.rule, e.dataset.severity]),
            };"#,
            vec![],
        )
        .await?;
    let pairs = |v: &Value| -> Vec<(String, String)> {
        v.as_array()
            .into_iter()
            .flatten()
            .map(|p| (p[0].as_str().unwrap_or("").to_string(), p[1].as_str().unwrap_or("").to_string()))
            .collect()
    };
    let mut findings = pairs(&v["findings"]);
    findings.sort();
    Ok(Shown { score: v["score"].as_str().unwrap_or("").to_string(), statuses: pairs(&v["statuses"]), findings })
}

async fn open(cx: &Ctx, fragment: &str) -> Outcome {
    // A fresh document each time: about:blank first, so a fragment-only change reloads.
    cx.browser.client.goto("about:blank").await.map_err(|e| e.to_string())?;
    let url = if fragment.is_empty() { format!("{}/", cx.server.origin) } else { format!("{}/#{fragment}", cx.server.origin) };
    cx.browser.client.goto(&url).await.map_err(|e| e.to_string())?;
    cx.browser.wait_for("the page to start", "return document.querySelector('[data-testid=score]') !== null").await?;
    Ok(())
}

async fn load_example(cx: &Ctx, id: &str) -> Outcome {
    cx.browser.js("document.querySelector(`[data-example='${arguments[0]}']`).click()", vec![json!(id)]).await?;
    cx.browser
        .wait_for("the example", &format!("return document.querySelector(\"[data-example='{id}']\").getAttribute('aria-pressed') === 'true'"))
        .await?;
    Ok(())
}

/// Waits for a download to appear, complete, in the downloads folder, and reads it.
async fn downloaded(cx: &Ctx, name: &str) -> Result<Vec<u8>, String> {
    let file = cx.downloads.join(name);
    let partial = cx.downloads.join(format!("{name}.crdownload"));
    for _ in 0..100 {
        if let Ok(bytes) = std::fs::read(&file) {
            if !bytes.is_empty() && !partial.exists() {
                return Ok(bytes);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("no download at {}", file.display()))
}

/// Sets a form control's value as typing would, firing `input` (and `change`, for selects).
async fn type_value(cx: &Ctx, selector: &str, value: &str) -> Outcome {
    cx.browser
        .js(
            r#"
            const e = document.querySelector(arguments[0]);
            e.value = arguments[1];
            e.dispatchEvent(new InputEvent('input', { bubbles: true }));
            e.dispatchEvent(new Event('change', { bubbles: true }));
            "#,
            vec![json!(selector), json!(value)],
        )
        .await
        .map(drop)
}

fn ensure(cond: bool, message: impl FnOnce() -> String) -> Outcome {
    if cond { Ok(()) } else { Err(message()) }
}

// ---- scenarios ----

/// Every request Chromium made while the page loaded and analysed went to the page's own
/// origin: no fonts, analytics, CDNs or anything else.
async fn no_request_leaves_the_origin(cx: &Ctx) -> Outcome {
    let _ = cx.browser.performance_log().await?;
    open(cx, "").await?;
    load_example(cx, "hardened").await?;
    shown(cx).await?;
    let log = cx.browser.performance_log().await?;
    let mut urls = Vec::new();
    for entry in &log {
        let message: Value = serde_json::from_str(entry["message"].as_str().unwrap_or("{}")).unwrap_or_default();
        if message["message"]["method"] == "Network.requestWillBeSent" {
            urls.push(message["message"]["params"]["request"]["url"].as_str().unwrap_or("").to_string());
        }
    }
    ensure(!urls.is_empty(), || "the performance log recorded no request at all".into())?;
    let foreign: Vec<_> = urls
        .iter()
        .filter(|u| !(u.starts_with(&format!("{}/", cx.server.origin)) || u.starts_with("data:") || u.starts_with("blob:") || u.starts_with("about:")))
        .collect();
    ensure(foreign.is_empty(), || format!("requests outside the page's origin: {foreign:?}"))?;
    let served = cx.server.requests();
    ensure(served.iter().any(|p| p.ends_with(".wasm")), || format!("the wasm was not fetched from the server: {served:?}"))?;
    // The audit ran in the analysis worker, started from the page's own worker.js.
    ensure(served.iter().any(|p| p.starts_with("/worker.js")), || format!("the analysis worker was not started: {served:?}"))?;
    let place = cx.browser.js("return document.querySelector('#results').dataset.auditIn", vec![]).await?;
    ensure(place == "worker", || format!("the audit ran in the {place}, not in the worker"))?;
    cx.browser.screenshot(&cx.shots, "main-hardened").await
}

/// For every example, the page and the engine (natively, as `pgtls audit --format json`) agree
/// on the score, the checklist statuses and the findings.
async fn examples_agree_with_the_engine(cx: &Ctx) -> Outcome {
    open(cx, "").await?;
    for example in EXAMPLES {
        load_example(cx, example.id).await?;
        let page = shown(cx).await?;
        let engine = Shown::of(&native_report(example));
        ensure(page == engine, || format!("example {}: page shows {page:?}, engine says {engine:?}", example.id))?;
        cx.browser.screenshot(&cx.shots, &format!("example-{}", example.id)).await?;
    }
    Ok(())
}

/// A paste into the paste box becomes a new input, of the kind the engine detects.
async fn paste_adds_a_detected_input(cx: &Ctx) -> Outcome {
    open(cx, "").await?;
    let text = "# TYPE DATABASE USER ADDRESS METHOD\nhost all all 0.0.0.0/0 trust\nhostssl all all ::/0 scram-sha-256\n";
    let before = cx.browser.js("return document.querySelectorAll('[data-testid=document-tab]').length", vec![]).await?;
    cx.browser
        .js(
            r#"
            const box = document.querySelector('[data-testid=paste-box]');
            const data = new DataTransfer();
            data.setData('text/plain', arguments[0]);
            box.focus();
            box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
            "#,
            vec![json!(text)],
        )
        .await?;
    let expected_kind = pgtls_audit::detect_kind("", text.as_bytes());
    let after = cx
        .browser
        .wait_for("the pasted input", &format!("const n = document.querySelectorAll('[data-testid=document-tab]').length; return n > {before} ? n : false"))
        .await?;
    ensure(after.as_u64() == before.as_u64().map(|b| b + 1), || format!("tabs {before} → {after}"))?;
    let kind = cx.browser.js("return document.querySelector('[data-testid=document-card]').dataset.kind", vec![]).await?;
    ensure(kind == expected_kind.as_str(), || format!("pasted input has kind {kind}, the engine detects {}", expected_kind.as_str()))?;
    let content = cx.browser.js("return document.querySelector('[data-testid=editor] textarea').value", vec![]).await?;
    ensure(content == text, || format!("editor holds {content}"))?;
    Ok(())
}

/// Dropping several files adds one input each, kinds detected from their names.
async fn drop_adds_files(cx: &Ctx) -> Outcome {
    open(cx, "").await?;
    cx.browser.js("document.querySelector('.pickers button:last-child').click()", vec![]).await?; // Remove all
    cx.browser.wait_for("no inputs", "return document.querySelectorAll('[data-testid=document-tab]').length === 0").await?;
    cx.browser
        .js(
            r#"
            const data = new DataTransfer();
            data.items.add(new File(['ssl = on\nssl_min_protocol_version = TLSv1.2\n'], 'postgresql.conf'));
            data.items.add(new File(['hostssl all all 0.0.0.0/0 scram-sha-256\n'], 'pg_hba.conf'));
            const zone = document.querySelector('[data-testid=drop-zone]');
            zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
            zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
            "#,
            vec![],
        )
        .await?;
    let tabs = cx
        .browser
        .wait_for(
            "the dropped files",
            "const t = [...document.querySelectorAll('[data-testid=document-tab]')].map(e => e.querySelector('.tab-name').textContent + ':' + e.querySelector('.tab-kind').textContent); return t.length === 2 ? t : false",
        )
        .await?;
    ensure(tabs == json!(["postgresql.conf:postgresql-conf", "pg_hba.conf:pg-hba"]), || format!("tabs after the drop: {tabs}"))?;
    shown(cx).await?;
    cx.browser.screenshot(&cx.shots, "dropped-files").await
}

/// Typing into an editor re-runs the audit on its own; the result equals the engine's.
async fn editing_updates_the_score_without_a_button(cx: &Ctx) -> Outcome {
    open(cx, "").await?;
    load_example(cx, "thirty-seconds").await?;
    let before = shown(cx).await?;
    let new_text = "ssl = off\n";
    cx.browser
        .js(
            r#"
            const area = document.querySelector('[data-testid=editor] textarea');
            area.focus();
            area.value = arguments[0];
            area.dispatchEvent(new InputEvent('input', { bubbles: true }));
            "#,
            vec![json!(new_text)],
        )
        .await?;
    let after = shown(cx).await?;
    let example = pgtls_web::examples::by_id("thirty-seconds").unwrap();
    let files = example.files.iter().map(|f| (f.name, f.kind, if f.name == "postgresql.conf" { new_text } else { f.text }));
    let engine = Shown::of(&engine_report(files, example.host));
    ensure(after == engine, || format!("after editing the page shows {after:?}, the engine says {engine:?} (before: {before:?})"))
}

/// Clicking a finding's location selects its range in its editor and draws the highlight.
async fn clicking_a_finding_highlights_its_range(cx: &Ctx) -> Outcome {
    // The first example with a finding that points into one of its files: its last such
    // finding, so that its editor is not the one shown first.
    let (example, report, target) = EXAMPLES
        .iter()
        .find_map(|e| {
            let report = native_report(e);
            let target = report.findings.iter().rev().find(|f| e.files.iter().any(|x| x.name == f.file))?.clone();
            Some((e, report, target))
        })
        .ok_or("no example has a finding to click")?;
    open(cx, "").await?;
    load_example(cx, example.id).await?;
    shown(cx).await?;
    let index = report.findings.iter().position(|f| *f == target).unwrap();
    cx.browser
        .js(
            r#"
            const cards = [...document.querySelectorAll('[data-testid=finding]')];
            const card = cards.find(c => c.dataset.rule === arguments[0] && c.querySelector('[data-testid=finding-location]')?.textContent === arguments[1]);
            card.querySelector('[data-testid=finding-location]').click();
            "#,
            vec![json!(target.rule), json!(format!("{}:{}:{}", target.file, target.line, target.column))],
        )
        .await
        .map_err(|e| format!("finding #{index} ({}) of {} not clickable: {e}", target.rule, example.id))?;
    let state = cx
        .browser
        .wait_for(
            "the highlight",
            r#"
            const mark = document.querySelector('[data-testid=editor-highlight]');
            if (!mark) return false;
            const area = document.querySelector('[data-testid=editor] textarea');
            return { editor: document.querySelector('[data-testid=editor]').dataset.document,
                     start: area.selectionStart, end: area.selectionEnd, focused: document.activeElement === area,
                     marked: mark.textContent };
            "#,
        )
        .await?;
    ensure(state["editor"] == target.file.as_str(), || format!("the editor shows {} instead of {}", state["editor"], target.file))?;
    ensure(state["focused"] == true, || "the editor did not get the focus".into())?;
    let file = example.files.iter().find(|f| f.name == target.file).unwrap();
    let expected_start = pgtls_web::fixes::utf16_offset(file.text, target.start);
    if target.start < target.end {
        let expected = &file.text[target.start..target.end];
        ensure(state["marked"] == expected, || format!("highlighted {:?}, the finding's range is {expected:?}", state["marked"]))?;
        ensure(state["start"] == expected_start, || format!("selection starts at {}, expected {expected_start}", state["start"]))?;
    }
    cx.browser.screenshot(&cx.shots, "finding-highlighted").await
}

/// The share link reproduces the inputs and the analysis in a fresh page.
async fn share_link_round_trip(cx: &Ctx) -> Outcome {
    open(cx, "").await?;
    load_example(cx, "hardened").await?;
    let before = shown(cx).await?;
    let link = cx.browser.js("return document.querySelector('[data-testid=share-link]').value", vec![]).await?;
    let link = link.as_str().ok_or("no share link")?.to_string();
    // The set is long enough for the compressed form, which this round trip then covers.
    ensure(link.contains("#z="), || format!("the link is not in the compressed form: {link}"))?;
    let texts_before = cx.browser.js("return [...document.querySelectorAll('[data-testid=document-tab] .tab-name')].map(e => e.textContent)", vec![]).await?;
    cx.browser.client.goto("about:blank").await.map_err(|e| e.to_string())?;
    cx.browser.client.goto(&link).await.map_err(|e| e.to_string())?;
    cx.browser.wait_for("the shared page", "return document.querySelector('[data-testid=score]') !== null").await?;
    let after = shown(cx).await?;
    let texts_after = cx.browser.js("return [...document.querySelectorAll('[data-testid=document-tab] .tab-name')].map(e => e.textContent)", vec![]).await?;
    ensure(before == after, || format!("before sharing {before:?}, after {after:?}"))?;
    ensure(texts_before == texts_after, || format!("inputs before {texts_before}, after {texts_after}"))?;
    let host = cx.browser.js("return document.querySelector('[data-testid=host]').value", vec![]).await?;
    ensure(host == "localhost", || format!("host after sharing: {host}"))
}

/// A pasted private key is analysed but never written into the link, and the page says so.
async fn private_keys_stay_out_of_the_link(cx: &Ctx) -> Outcome {
    let key = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n";
    // And the same key in a Kubernetes Secret, in base64, where a search for PEM armour misses it.
    let secret = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pg-tls\ntype: kubernetes.io/tls\ndata:\n  tls.key: {}\n",
        base64::engine::general_purpose::STANDARD.encode(key)
    );
    let fragment = format!("pem=server.key~{}&platform=secret.yaml~{}", URL_SAFE_NO_PAD.encode(key), URL_SAFE_NO_PAD.encode(&secret));
    open(cx, &fragment).await?;
    shown(cx).await?;
    let note = cx.browser.wait_for("the omission note", "const n = document.querySelector('[data-testid=share-omitted]'); return n ? n.textContent : false").await?;
    ensure(note.as_str().unwrap_or("").contains("2 private keys are left out"), || format!("note: {note}"))?;
    let link = cx.browser.js("return document.querySelector('[data-testid=share-link]').value", vec![]).await?;
    let link = link.as_str().unwrap_or("");
    ensure(!carries_a_private_key(link), || format!("the link carries the key: {link}"))?;
    // The address bar follows the state too, and must not keep the key either.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let address = cx.browser.js("return location.href", vec![]).await?;
    let address = address.as_str().unwrap_or("");
    ensure(!carries_a_private_key(address), || format!("the address bar still carries the key: {address}"))
}

/// Whether a link, read as the page reads it (plain or compressed), holds a private key, as a
/// PEM block or in a manifest's value.
fn carries_a_private_key(link: &str) -> bool {
    let fragment = link.split_once('#').map_or("", |(_, f)| f);
    pgtls_web::share::decode(fragment)
        .inputs
        .iter()
        .any(|i| pgtls_audit::link::without_private_keys(i.kind, &String::from_utf8_lossy(&i.bytes)).1 > 0)
}

/// The documented plain format (`#conf=B&hba=B&host=NAME`) loads, unknown keys ignored.
async fn plain_fragment_format_loads(cx: &Ctx) -> Outcome {
    let conf = "ssl = on\nssl_min_protocol_version = 'TLSv1.2'\n";
    let hba = "hostssl all all 0.0.0.0/0 scram-sha-256\nhostssl all all ::/0 scram-sha-256\n";
    let fragment = format!("conf={}&hba={}&host=db.example.com&theme=whatever", URL_SAFE_NO_PAD.encode(conf), URL_SAFE_NO_PAD.encode(hba));
    open(cx, &fragment).await?;
    let page = shown(cx).await?;
    let files = [("postgresql.conf", InputKind::PostgresqlConf, conf), ("pg_hba.conf", InputKind::PgHba, hba)];
    let engine = Shown::of(&engine_report(files, "db.example.com"));
    ensure(page == engine, || format!("page {page:?}, engine {engine:?}"))
}

/// A compressed link made outside the page (Python's zlib, as docs/url-format.md shows), pasted
/// into the address bar of the open page, replaces its inputs; a damaged one is named.
async fn compressed_link_pasted_into_the_open_page(cx: &Ctx) -> Outcome {
    let conf = "ssl = on\nssl_min_protocol_version = 'TLSv1.2'\n# a comment with ~ & % : and ünïcode\n".repeat(20);
    let hba = "hostssl all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 md5\n";
    let script = "import base64, sys, urllib.parse, zlib\n\
                  conf, hba = sys.stdin.read().split('\\0')\n\
                  q = lambda s: urllib.parse.quote(s, safe='')\n\
                  payload = 'conf=' + q(conf) + '&hba=main%20hba.conf:' + q(hba) + '&host=db.example.com'\n\
                  c = zlib.compressobj(9, zlib.DEFLATED, -15)\n\
                  data = c.compress(payload.encode()) + c.flush()\n\
                  print(base64.urlsafe_b64encode(data).decode().rstrip('='))";
    let mut python = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("python3: {e}"))?;
    std::io::Write::write_all(&mut python.stdin.take().ok_or("python3's stdin")?, format!("{conf}\0{hba}").as_bytes()).map_err(|e| e.to_string())?;
    let output = python.wait_with_output().map_err(|e| e.to_string())?;
    ensure(output.status.success(), || format!("python3: {}", String::from_utf8_lossy(&output.stderr)))?;
    let z = String::from_utf8_lossy(&output.stdout).trim().to_string();
    open(cx, "").await?;
    shown(cx).await?;
    // Set as the address bar sets it: same document, a hashchange event.
    cx.browser.js("location.hash = arguments[0]", vec![json!(format!("z={z}"))]).await?;
    cx.browser
        .wait_for("the link's files", "return [...document.querySelectorAll('[data-testid=document-tab] .tab-name')].map(e => e.textContent).join(',') === 'postgresql.conf,main hba.conf'")
        .await?;
    let page = shown(cx).await?;
    let engine = Shown::of(&engine_report([("postgresql.conf", InputKind::PostgresqlConf, conf.as_str()), ("main hba.conf", InputKind::PgHba, hba)], "db.example.com"));
    ensure(page == engine, || format!("page {page:?}, engine {engine:?}"))?;
    let host = cx.browser.js("return document.querySelector('[data-testid=host]').value", vec![]).await?;
    ensure(host == "db.example.com", || format!("host: {host}"))?;
    // Made by the browser's own CompressionStream, as docs/url-format.md says it can be.
    cx.browser
        .js(
            r#"
            const payload = 'conf=' + encodeURIComponent('ssl = off\n') + '&host=stream.example.com';
            const stream = new Blob([payload]).stream().pipeThrough(new CompressionStream('deflate-raw'));
            return new Response(stream).arrayBuffer().then((buffer) => {
                const b64 = btoa(String.fromCharCode(...new Uint8Array(buffer)));
                location.hash = 'z=' + b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
            });
            "#,
            vec![],
        )
        .await?;
    cx.browser.wait_for("the stream's link", "return document.querySelector('[data-testid=host]').value === 'stream.example.com'").await?;
    let page = shown(cx).await?;
    let engine = Shown::of(&engine_report([("postgresql.conf", InputKind::PostgresqlConf, "ssl = off\n")], "stream.example.com"));
    ensure(page == engine, || format!("page {page:?}, engine {engine:?}"))?;
    // Cut short (at a whole base64 quantum): the inputs stay, and the notice says what was
    // skipped and why.
    cx.browser.js("location.hash = arguments[0]", vec![json!(format!("z={}", &z[..z.len() / 8 * 4]))]).await?;
    let notice = cx.browser.wait_for("the notice", "const n = document.querySelector('[data-testid=notice]'); return n ? n.textContent : false").await?;
    let notice = notice.as_str().unwrap_or("");
    ensure(notice.contains("z (its compressed data is cut short)"), || format!("notice: {notice}"))
}

/// `pgtls link` on files as an operator has them (the strong example, its certificates made by
/// its own script, a packaged postgresql.conf.sample in conf.d/) opens in the page with the
/// inputs named by their base names, and the page shows what `pgtls audit` reports for the files.
async fn cli_link_opens_as_pgtls_audit_reads_the_files(cx: &Ctx) -> Outcome {
    let cli = std::env::var_os("PGTLS_E2E_CLI").ok_or("set PGTLS_E2E_CLI to the pgtls binary (cargo xtask test does)")?;
    let dir = std::env::temp_dir().join(format!("pgtls-e2e-link-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("etc/conf.d")).map_err(|e| e.to_string())?;
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for name in ["postgresql.conf", "pg_hba.conf", "clients.txt", "make-certs.sh"] {
        std::fs::copy(repo.join("examples/strong").join(name), dir.join("etc").join(name)).map_err(|e| format!("{name}: {e}"))?;
    }
    std::fs::copy(repo.join("crates/pgtls-audit/tests/fixtures/corpus/postgresql.conf.sample"), dir.join("etc/conf.d/sample.conf"))
        .map_err(|e| e.to_string())?;
    let run = |program: &std::ffi::OsStr, args: &[&str]| -> Result<String, String> {
        let out = std::process::Command::new(program).args(args).current_dir(&dir).output().map_err(|e| format!("{program:?}: {e}"))?;
        // `pgtls audit` exits 1 when it has findings; only 2 (a usage error) is a failure.
        ensure(out.status.code().is_some_and(|c| c < 2), || format!("{program:?} {args:?}: {}", String::from_utf8_lossy(&out.stderr)))?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    run("sh".as_ref(), &["etc/make-certs.sh"])?;
    let files = ["etc/postgresql.conf", "etc/pg_hba.conf", "etc/clients.txt", "etc/server.crt", "etc/root.crt", "etc/conf.d/sample.conf"];
    let base = format!("{}/", cx.server.origin);
    let settings = ["--host", "db.example.com", "--pg-version", "17"];
    let link = run(&cli, &[&["link", "--base", &base][..], &settings, &files].concat())?;
    let report = run(&cli, &[&["audit", "--format", "json"][..], &settings, &files].concat())?;
    let _ = std::fs::remove_dir_all(&dir);
    let link = link.trim();
    ensure(link.starts_with(&format!("{base}#z=")), || format!("not a compressed link to the page: {link:.80}"))?;

    let report: Value = serde_json::from_str(&report).map_err(|e| format!("pgtls audit --format json: {e}"))?;
    let pairs = |v: &Value, a: &str, b: &str| -> Vec<(String, String)> {
        v.as_array().into_iter().flatten().map(|e| (e[a].to_string().trim_matches('"').to_string(), e[b].as_str().unwrap_or("").to_string())).collect()
    };
    let mut findings = pairs(&report["findings"], "rule", "severity");
    findings.sort();
    let audited = Shown { score: report["score"].to_string(), statuses: pairs(&report["checklist"], "item", "status"), findings };

    cx.browser.client.goto("about:blank").await.map_err(|e| e.to_string())?;
    cx.browser.client.goto(link).await.map_err(|e| e.to_string())?;
    cx.browser.wait_for("the linked page", "return document.querySelector('[data-testid=score]') !== null").await?;
    let page = shown(cx).await?;
    ensure(page == audited, || format!("page {page:?}, pgtls audit {audited:?}"))?;
    let tabs = cx.browser.js("return [...document.querySelectorAll('[data-testid=document-tab] .tab-name')].map(e => e.textContent)", vec![]).await?;
    let expected = json!(["postgresql.conf", "pg_hba.conf", "clients.txt", "server.crt", "root.crt", "sample.conf"]);
    ensure(tabs == expected, || format!("tabs {tabs}, expected {expected}"))?;
    let version = cx.browser.js("return document.querySelector('[data-testid=pg-version]').value", vec![]).await?;
    ensure(version == "17", || format!("server version {version}"))
}

/// "Download JSON" saves the report in the CLI's format; its contents match the engine's.
async fn export_json_matches_the_engine(cx: &Ctx) -> Outcome {
    open(cx, "").await?;
    load_example(cx, "default-install").await?;
    shown(cx).await?;
    let (exported, text) = exported_report(cx).await?;
    let engine = native_report(pgtls_web::examples::by_id("default-install").unwrap());
    ensure(Shown::of(&exported) == Shown::of(&engine), || "the exported report differs from the engine's".into())?;
    ensure(exported.findings == engine.findings, || "the exported findings differ from the engine's".into())?;
    ensure(text == serde_json::to_string_pretty(&exported).unwrap(), || "the export is not serde_json's pretty form".into())?;
    // A second export from the same page: the analysis worker makes the file, and the download
    // starts when its answer arrives, after the click.
    let file = cx.downloads.join("pgtls-report.md");
    let _ = std::fs::remove_file(&file);
    // A real click (WebDriver's, not a script's): browsers let a page start a second download
    // only on the user's action.
    cx.browser
        .client
        .find(fantoccini::Locator::Css("[data-testid=export-markdown]"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    let mut markdown = String::new();
    for _ in 0..100 {
        match std::fs::read_to_string(&file) {
            Ok(t) if !t.is_empty() => {
                markdown = t;
                break;
            }
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    let listing: Vec<String> = std::fs::read_dir(&cx.downloads).into_iter().flatten().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    ensure(markdown == pgtls_audit::render::markdown::render(&engine), || format!("the Markdown export differs from the engine's (downloads: {listing:?}):\n{markdown}"))
}

/// Clicks "Download JSON" and reads the report the page saved.
async fn exported_report(cx: &Ctx) -> Result<(Report, String), String> {
    let file = cx.downloads.join("pgtls-report.json");
    let _ = std::fs::remove_file(&file);
    cx.browser.js("document.querySelector('[data-testid=export-json]').click()", vec![]).await?;
    let mut text = String::new();
    for _ in 0..100 {
        if let Ok(t) = std::fs::read_to_string(&file) {
            if !t.is_empty() {
                text = t;
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    ensure(!text.is_empty(), || format!("no download at {}", file.display()))?;
    let report = serde_json::from_str(&text).map_err(|e| format!("the export is not a report: {e}"))?;
    Ok((report, text))
}

/// The plain fragment (docs/url-format.md) of named files and a host.
fn fragment_of<'a>(files: impl IntoIterator<Item = (&'a str, InputKind, &'a str)>, host: &str) -> String {
    let mut fragment = String::new();
    for (name, kind, text) in files {
        fragment.push_str(&format!("{}={}~{}&", pgtls_web::share::key_of(kind), pgtls_web::share::percent_encode(name), URL_SAFE_NO_PAD.encode(text)));
    }
    fragment + "host=" + host
}

fn curve_fragment(files: &[(&str, InputKind, String)]) -> String {
    fragment_of(files.iter().map(|(name, kind, text)| (*name, *kind, text.as_str())), "db.example.test")
}

/// The files of a set whose certificates and keys are ECDSA (P-384, P-256) and Ed25519, made by
/// openssl for this run: a server chain that verifies, a client chain under a forged
/// intermediate (same name, another key), keys stored without their public half.
fn curve_set() -> Result<Vec<(&'static str, pgtls_audit::InputKind, String)>, String> {
    let dir = std::env::temp_dir().join(format!("pgtls-e2e-curves-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let openssl = |args: &str| -> Outcome {
        let out = std::process::Command::new("openssl")
            .args(args.split_whitespace())
            .current_dir(&dir)
            .output()
            .map_err(|e| format!("cannot run openssl: {e}"))?;
        ensure(out.status.success(), || format!("openssl {args}: {}", String::from_utf8_lossy(&out.stderr)))
    };
    std::fs::write(dir.join("ca.ext"), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n").map_err(|e| e.to_string())?;
    std::fs::write(dir.join("leaf.ext"), "basicConstraints=CA:FALSE\nsubjectAltName=DNS:db.example.test\n").map_err(|e| e.to_string())?;
    openssl("ecparam -name secp384r1 -genkey -noout -out root.key")?;
    openssl("req -x509 -new -key root.key -sha384 -subj /CN=Curves-Root -days 200 -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out root.crt")?;
    openssl("ecparam -name prime256v1 -genkey -noout -out inter.key")?;
    openssl("req -new -key inter.key -subj /CN=Curves-Intermediate -out inter.csr")?;
    openssl("x509 -req -in inter.csr -CA root.crt -CAkey root.key -CAcreateserial -sha384 -days 200 -extfile ca.ext -out inter.crt")?;
    openssl("genpkey -algorithm ed25519 -out server.key")?;
    openssl("req -new -key server.key -subj /CN=db.example.test -out server.csr")?;
    openssl("x509 -req -in server.csr -CA inter.crt -CAkey inter.key -CAcreateserial -sha256 -days 200 -extfile leaf.ext -out leaf.crt")?;
    // A client certificate under a forged intermediate: the same name, another key.
    openssl("ecparam -name prime256v1 -genkey -noout -out forger.key")?;
    openssl("req -x509 -new -key forger.key -subj /CN=Curves-Intermediate -days 200 -out forger.crt")?;
    openssl("ecparam -name prime256v1 -genkey -noout -out client-full.key")?;
    openssl("ec -in client-full.key -no_public -out client.key")?;
    openssl("req -new -key client-full.key -subj /CN=app -out client.csr")?;
    openssl("x509 -req -in client.csr -CA forger.crt -CAkey forger.key -CAcreateserial -days 200 -out client-leaf.crt")?;
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).map_err(|e| format!("{name}: {e}"));
    let server_crt = read("leaf.crt")? + &read("inter.crt")?;
    let client_crt = read("client-leaf.crt")? + &read("inter.crt")?;
    let files = [
        ("postgresql.conf", InputKind::PostgresqlConf, "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_ca_file = 'root.crt'\n".to_string()),
        ("server.crt", InputKind::Pem, server_crt),
        ("server.key", InputKind::Pem, read("server.key")?),
        ("root.crt", InputKind::Pem, read("root.crt")?),
        ("client.crt", InputKind::Pem, client_crt),
        ("client.key", InputKind::Pem, read("client.key")?),
        ("app.conn", InputKind::Conninfo, "host=db.example.test sslmode=verify-full sslrootcert=root.crt sslcert=client.crt sslkey=client.key".to_string()),
    ];
    let _ = std::fs::remove_dir_all(&dir);
    Ok(files.to_vec())
}

/// ECDSA (P-256, P-384) and Ed25519 certificates and keys, made by openssl for this run: the
/// page checks their signatures and computes the keys' public halves with the browser's Web
/// Crypto, the engine natively with RustCrypto; both reports must be the same, a forged link
/// included.
async fn curve_certificates_agree_with_the_engine(cx: &Ctx) -> Outcome {
    let files = curve_set()?;
    open(cx, &curve_fragment(&files)).await?;
    let page = shown(cx).await?;
    let engine = engine_report(files.iter().map(|(name, kind, text)| (*name, *kind, text.as_str())), "db.example.test");
    ensure(page == Shown::of(&engine), || format!("page {page:?}, engine {:?}", Shown::of(&engine)))?;
    let (exported, _) = exported_report(cx).await?;
    ensure(exported.findings == engine.findings, || format!("findings: page {:#?}\nengine {:#?}", exported.findings, engine.findings))?;
    // The certificates as the engine describes them (chains, verified links, host checks),
    // less the clock-dependent parts: the page's clock is not the engine's second.
    let described = |report: &Report| {
        let mut v = serde_json::to_value(&report.certificates).unwrap();
        for cert in v.as_array_mut().into_iter().flatten() {
            if let Some(o) = cert.as_object_mut() {
                o.remove("timeline");
                o.remove("days_left");
            }
        }
        v
    };
    ensure(described(&exported) == described(&engine), || format!("certificates: page {}\nengine {}", described(&exported), described(&engine)))?;
    // The chain the server sends verifies (the links are ECDSA P-384 and P-256); the forged
    // client chain does not.
    let verified: Vec<Option<bool>> = engine.certificates.iter().map(|c| c.chain_verified).collect();
    ensure(verified.contains(&Some(true)) && verified.contains(&Some(false)), || format!("chain verdicts {verified:?}"))
}

/// Served over plain http from a host that is not local, a page has no Web Crypto: its ECDSA
/// and Ed25519 signatures are reported as not checked, with the reason, never as forged.
async fn plain_http_page_says_curve_signatures_are_not_checked(cx: &Ctx) -> Outcome {
    let files = curve_set()?;
    let origin = cx.server.origin.replace("127.0.0.1", pgtls_e2e::browser::PLAIN_HTTP_HOST);
    cx.browser.client.goto("about:blank").await.map_err(|e| e.to_string())?;
    cx.browser.client.goto(&format!("{origin}/#{}", curve_fragment(&files))).await.map_err(|e| e.to_string())?;
    cx.browser.wait_for("the page to start", "return document.querySelector('[data-testid=score]') !== null").await?;
    let secure = cx.browser.js("return window.isSecureContext", vec![]).await?;
    ensure(secure == json!(false), || format!("{origin} is a secure context ({secure}); the scenario needs one that is not"))?;
    shown(cx).await?;
    let (exported, _) = exported_report(cx).await?;
    let chain_messages: Vec<&str> = exported.findings.iter().map(|f| f.message.as_str()).filter(|m| m.contains("does not verify")).collect();
    ensure(!chain_messages.is_empty(), || "no chain finding".into())?;
    ensure(chain_messages.iter().all(|m| m.contains("not checked: this page has no Web Crypto")), || format!("chain findings: {chain_messages:#?}"))
}

/// An example's files, named, with its host and `embed=1`: the link a documentation page embeds.
fn embed_fragment(example: &Example) -> String {
    fragment_of(example.files.iter().map(|f| (f.name, f.kind, f.text)), example.host) + "&embed=1"
}

/// `embed=1` shows the compact read-only view: score, checklist and findings, no editors.
async fn embed_mode_is_compact_and_read_only(cx: &Ctx) -> Outcome {
    let example = pgtls_web::examples::by_id("default-install").unwrap();
    open(cx, &embed_fragment(example)).await?;
    let page = shown(cx).await?;
    let engine = Shown::of(&native_report(example));
    ensure(page == engine, || format!("embed shows {page:?}, engine {engine:?}"))?;
    let counts = cx
        .browser
        .js(
            "return { embed: document.querySelectorAll('[data-testid=embed-view]').length, editors: document.querySelectorAll('textarea').length, apply: document.querySelectorAll('[data-testid=apply-fix]').length }",
            vec![],
        )
        .await?;
    ensure(counts == json!({ "embed": 1, "editors": 0, "apply": 0 }), || format!("embed view: {counts}"))?;
    cx.browser.client.set_window_size(700, 900).await.map_err(|e| e.to_string())?;
    let shot = cx.browser.screenshot(&cx.shots, "embed").await;
    cx.browser.client.set_window_size(1400, 1100).await.map_err(|e| e.to_string())?;
    shot
}

/// With no relay listening, the live check says so and shows the command that starts it.
async fn relay_down_shows_the_start_command(cx: &Ctx) -> Outcome {
    if std::net::TcpStream::connect("127.0.0.1:8787").is_ok() {
        println!("    (a relay is listening on 127.0.0.1:8787; checking only that the page asked it)");
    }
    open(cx, "").await?;
    cx.browser.js("document.querySelector('[data-testid=live-check]').click()", vec![]).await?;
    let outcome = cx
        .browser
        .wait_for(
            "the live check outcome",
            "const d = document.querySelector('[data-testid=relay-unreachable]') || document.querySelector('[data-testid=live-result]'); return d ? [d.dataset.testid, d.textContent] : false",
        )
        .await?;
    if std::net::TcpStream::connect("127.0.0.1:8787").is_err() {
        ensure(outcome[0] == "relay-unreachable", || format!("outcome: {outcome}"))?;
        ensure(outcome[1].as_str().unwrap_or("").contains("cargo xtask serve"), || format!("no start command in {outcome}"))?;
    }
    Ok(())
}

/// The innermost unclipped elements whose right edge passes the viewport: they name what makes
/// the page scroll sideways.
const WIDEST_ELEMENTS: &str = r#"
    const w = document.documentElement.clientWidth;
    const name = x => x.tagName.toLowerCase() + (x.className ? '.' + String(x.className).trim().replace(/ +/g, '.') : '');
    const clipped = e => { for (let a = e.parentElement; a; a = a.parentElement) { if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
    return [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > w + 1 && !clipped(e))
        .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > w + 1))
        .slice(0, 5)
        .map(e => [e, e.parentElement, e.parentElement && e.parentElement.parentElement].filter(Boolean).map(name).join(' < ')
             + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + 'px)');
"#;

/// The layout holds at a phone's width, and the dark theme follows the system.
async fn phone_width_and_dark_theme(cx: &Ctx) -> Outcome {
    open(cx, "").await?;
    shown(cx).await?;
    cx.browser.client.set_window_size(390, 1400).await.map_err(|e| e.to_string())?;
    let overflow = cx.browser.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth", vec![]).await?;
    // The innermost elements whose right edge passes the viewport name the culprit.
    let culprits = cx.browser.js(WIDEST_ELEMENTS, vec![]).await?;
    cx.browser.screenshot(&cx.shots, "phone").await?;
    cx.browser.client.set_window_size(1400, 1100).await.map_err(|e| e.to_string())?;
    ensure(overflow.as_i64().unwrap_or(1) <= 0, || {
        format!("the page scrolls sideways at phone width by {overflow}px; widest elements: {culprits}")
    })?;
    cx.browser.cdp("Emulation.setEmulatedMedia", json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] })).await?;
    let background = cx.browser.js("return getComputedStyle(document.body).backgroundColor", vec![]).await?;
    cx.browser.screenshot(&cx.shots, "dark").await?;
    cx.browser.cdp("Emulation.setEmulatedMedia", json!({ "features": [] })).await?;
    ensure(background == "rgb(15, 19, 24)", || format!("dark background is {background}"))
}

/// The self-contained page (`cargo xtask dist`'s one HTML file) works opened from disk with the
/// browser offline, and asks for nothing over the network.
async fn single_file_page_works_from_disk(cx: &Ctx) -> Outcome {
    let offline = |offline: bool| {
        json!({ "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 })
    };
    cx.browser.cdp("Network.enable", json!({})).await?;
    cx.browser.cdp("Network.emulateNetworkConditions", offline(true)).await?;
    let outcome = single_file_page_offline(cx).await;
    cx.browser.cdp("Network.emulateNetworkConditions", offline(false)).await?;
    outcome
}

async fn single_file_page_offline(cx: &Ctx) -> Outcome {
    let Some(file) = std::env::var_os("PGTLS_E2E_SINGLE_FILE").map(PathBuf::from) else {
        println!("    (PGTLS_E2E_SINGLE_FILE is not set: the single-file page was not built; `cargo xtask test` builds it)");
        return Ok(());
    };
    ensure(file.is_file(), || format!("PGTLS_E2E_SINGLE_FILE={} does not exist", file.display()))?;
    let _ = cx.browser.performance_log().await?;
    let url = format!("file://{}#example=hardened", file.canonicalize().map_err(|e| e.to_string())?.display());
    cx.browser.client.goto("about:blank").await.map_err(|e| e.to_string())?;
    cx.browser.client.goto(&url).await.map_err(|e| e.to_string())?;
    let page = shown(cx).await?;
    let engine = Shown::of(&native_report(pgtls_web::examples::by_id("hardened").unwrap()));
    ensure(page == engine, || format!("single file shows {page:?}, engine {engine:?}"))?;
    // With no files beside it there is no worker script: the page audits on its own thread.
    let place = cx.browser.js("return document.querySelector('#results').dataset.auditIn", vec![]).await?;
    ensure(place == "page", || format!("the single file's audit ran in the {place}"))?;
    let log = cx.browser.performance_log().await?;
    let network: Vec<String> = log
        .iter()
        .filter_map(|entry| {
            let message: Value = serde_json::from_str(entry["message"].as_str().unwrap_or("{}")).ok()?;
            (message["message"]["method"] == "Network.requestWillBeSent")
                .then(|| message["message"]["params"]["request"]["url"].as_str().unwrap_or("").to_string())
        })
        .filter(|u| u.starts_with("http:") || u.starts_with("https:") || u.starts_with("ws"))
        .collect();
    ensure(network.is_empty(), || format!("the single file made network requests: {network:?}"))?;
    cx.browser.screenshot(&cx.shots, "single-file").await
}

/// A message typed into the explainer comes back explained as the engine explains it.
async fn pasted_error_message_is_explained(cx: &Ctx) -> Outcome {
    open(cx, "").await?;
    let message = "psql: error: connection to server at \"db.example.com\" (10.0.0.5), port 5432 failed: FATAL:  no pg_hba.conf entry for host \"10.0.0.9\", user \"app\", database \"app\", no encryption";
    let expected: Vec<&str> = pgtls_audit::explain::explain_message(message, &pgtls_audit::AuditOptions::new(now())).iter().map(|e| e.id).collect();
    ensure(!expected.is_empty(), || "the engine recognises the sample message".to_string())?;
    cx.browser
        .js(
            r#"
            const box = document.querySelector('[data-testid=error-message]');
            box.value = arguments[0];
            box.dispatchEvent(new InputEvent('input', { bubbles: true }));
            "#,
            vec![json!(message)],
        )
        .await?;
    cx.browser.wait_for("the enabled Explain button", "const b = document.querySelector('.explain button[type=submit]'); return b && !b.disabled").await?;
    cx.browser.js("document.querySelector('.explain button[type=submit]').click()", vec![]).await?;
    let ids = cx
        .browser
        .wait_for("an explanation", "const e = [...document.querySelectorAll('[data-testid=explanation]')].map(e => e.dataset.id); return e.length ? e : false")
        .await?;
    let shown: Vec<String> = ids.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect();
    ensure(shown.iter().map(String::as_str).eq(expected.iter().copied()), || format!("page explains {shown:?}, the engine {expected:?}"))?;
    Ok(())
}

/// The "Generate" view, opened by its link key: a bad address is refused at its field, then the
/// set downloads as a .zip whose entries are the engine's files, byte for byte, with the
/// script executable; the view holds at phone width.
async fn generate_view_downloads_the_set_as_a_zip(cx: &Ctx) -> Outcome {
    use pgtls_audit::generate::{self, Driver, Platform, Request};
    cx.browser.client.goto("about:blank").await.map_err(|e| e.to_string())?;
    cx.browser.client.goto(&format!("{}/#view=generate&pg=16", cx.server.origin)).await.map_err(|e| e.to_string())?;
    cx.browser.wait_for("the generator", "return document.querySelector('[data-testid=generate-view]') !== null").await?;
    type_value(cx, "[data-testid=gen-hosts]", "db.example.com db-ro.example.com").await?;
    type_value(cx, "[data-testid=gen-ips]", "10.1.2.300").await?;
    cx.browser.js("document.querySelector('[data-testid=gen-driver][data-driver=npgsql]').click()", vec![]).await?;
    cx.browser.js("document.querySelector('[data-testid=gen-submit]').click()", vec![]).await?;
    let error = cx
        .browser
        .wait_for("the address error", "const e = document.querySelector('[data-testid=gen-error]'); return e ? [e.dataset.field, e.textContent] : false")
        .await?;
    ensure(error == json!(["gen-ips", "10.1.2.300: is not an IPv4 or IPv6 address"]), || format!("error shown: {error}"))?;
    type_value(cx, "[data-testid=gen-ips]", "10.1.2.3").await?;
    cx.browser.wait_for("the generated files", "return document.querySelector('[data-testid=gen-output]') !== null").await?;
    let address = cx.browser.js("return location.hash", vec![]).await?;
    ensure(address.as_str().is_some_and(|h| h.contains("view=generate")), || format!("the address does not keep the view: {address}"))?;

    let mut req = Request::new(16, Platform::SelfManaged);
    req.hosts = vec!["db.example.com".into(), "db-ro.example.com".into()];
    req.ips = vec!["10.1.2.3".into()];
    req.drivers = vec![Driver::Libpq, Driver::Npgsql];
    let expected = generate::generate(&req).map_err(|e| e.to_string())?;
    let name = "pgtls-self-pg16.zip";
    let _ = std::fs::remove_file(cx.downloads.join(name));
    cx.browser.js("document.querySelector('[data-testid=gen-download]').click()", vec![]).await?;
    let bytes = downloaded(cx, name).await?;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("the download is not a zip: {e}"))?;
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        use std::io::Read;
        let mut file = archive.by_index(i).map_err(|e| e.to_string())?;
        let mut text = String::new();
        file.read_to_string(&mut text).map_err(|e| format!("{}: {e}", file.name()))?;
        let executable = file.unix_mode().is_some_and(|m| m & 0o111 != 0);
        entries.push((file.name().to_string(), text, executable));
    }
    let want: Vec<(String, String, bool)> = expected.iter().map(|f| (f.name.clone(), f.contents.clone(), f.executable)).collect();
    ensure(entries == want, || {
        format!("zip entries {:?}, engine {:?}", entries.iter().map(|e| &e.0).collect::<Vec<_>>(), want.iter().map(|e| &e.0).collect::<Vec<_>>())
    })?;
    ensure(want.iter().any(|e| e.2), || "the engine's set has a script".into())?;

    cx.browser.client.set_window_size(390, 1400).await.map_err(|e| e.to_string())?;
    cx.browser.js("document.querySelectorAll('[data-testid=gen-file] details').forEach(d => d.open = true)", vec![]).await?;
    let overflow = cx.browser.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth", vec![]).await?;
    let shot = cx.browser.screenshot(&cx.shots, "generate-phone").await;
    cx.browser.client.set_window_size(1400, 1100).await.map_err(|e| e.to_string())?;
    ensure(overflow.as_i64().unwrap_or(1) <= 0, || format!("the generator scrolls sideways at phone width by {overflow}px"))?;
    shot
}

/// "Fix all" shows the diffs and the score after, which is the engine's audit of the fixed
/// files; Apply puts the fixed text in the inputs and the page's score becomes that score.
async fn fix_all_is_reviewed_then_applied(cx: &Ctx) -> Outcome {
    let example = pgtls_web::examples::by_id("default-install").unwrap();
    open(cx, "").await?;
    load_example(cx, "default-install").await?;
    shown(cx).await?;
    let inputs = Inputs { files: example.files.iter().map(|f| SourceFile::from_text(f.name, f.kind, f.text)).collect() };
    let mut options = AuditOptions::new(now());
    options.host = Some(example.host.to_string());
    let outcome = pgtls_audit::fix::fix_all(&inputs, &options);
    ensure(!outcome.files.is_empty(), || "the example has safe fixes".into())?;
    let fixed = Inputs {
        files: inputs
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| match outcome.files.iter().find(|x| x.file == i) {
                Some(x) => SourceFile::from_text(f.name.clone(), f.kind, x.after.clone()),
                None => f.clone(),
            })
            .collect(),
    };
    let reaudit = audit(&fixed, &options).report(&fixed, ColumnUnit::Utf16);
    ensure(reaudit.score == outcome.score_after, || "the engine's fix_all score is its re-audit".into())?;

    cx.browser.js("document.querySelector('[data-testid=fix-all]').click()", vec![]).await?;
    let review = cx
        .browser
        .wait_for(
            "the review",
            r#"if (!document.querySelector('[data-testid=fix-review]')) return false;
            return {
                before: document.querySelector('[data-testid=fix-score-before]').textContent,
                after: document.querySelector('[data-testid=fix-score-after]').textContent,
                diffs: [...document.querySelectorAll('[data-testid=fix-diff]')].map(d => [d.dataset.file, d.querySelector('pre').textContent]),
            };"#,
        )
        .await?;
    let diffs: Vec<(String, String)> = outcome.files.iter().map(|f| (f.name.clone(), f.diff.clone())).collect();
    ensure(review["before"].as_str() == Some(outcome.score_before.to_string().as_str()), || format!("score before: {review}"))?;
    ensure(review["after"].as_str() == Some(reaudit.score.to_string().as_str()), || format!("score after {}, engine's re-audit {}", review["after"], reaudit.score))?;
    ensure(review["diffs"] == json!(diffs), || format!("diffs shown {}, engine {diffs:?}", review["diffs"]))?;
    cx.browser.screenshot(&cx.shots, "fix-review").await?;

    cx.browser.js("document.querySelector('[data-testid=fix-apply]').click()", vec![]).await?;
    cx.browser.wait_for("the review to close", "return document.querySelector('[data-testid=fix-review]') === null").await?;
    let page = shown(cx).await?;
    ensure(page == Shown::of(&reaudit), || format!("after Apply the page shows {page:?}, the engine {:?}", Shown::of(&reaudit)))?;
    for f in &fixed.files {
        cx.browser
            .js(
                "[...document.querySelectorAll('[data-testid=document-tab]')].find(t => t.querySelector('.tab-name').textContent === arguments[0]).click()",
                vec![json!(f.name)],
            )
            .await?;
        let script = format!(
            "const e = document.querySelector('[data-testid=editor]'); return e && e.dataset.document === {} ? e.querySelector('textarea').value : false",
            json!(f.name)
        );
        let text = cx.browser.wait_for(&format!("the editor of {}", f.name), &script).await?;
        ensure(text == f.text, || format!("{} holds {text}, the fixed text is {:?}", f.name, f.text))?;
    }
    Ok(())
}

/// The certificates panel's calendar holds the events the engine writes for every certificate
/// of the inputs: the 30-day alert and the expiry day.
async fn calendar_download_has_the_events_of_every_certificate(cx: &Ctx) -> Outcome {
    use pgtls_audit::calendar;
    let example = pgtls_web::examples::by_id("hardened").unwrap();
    open(cx, "").await?;
    load_example(cx, "hardened").await?;
    shown(cx).await?;
    let name = "pgtls-rotation.ics";
    let _ = std::fs::remove_file(cx.downloads.join(name));
    cx.browser.js("document.querySelector('[data-testid=calendar-download]').click()", vec![]).await?;
    let text = String::from_utf8(downloaded(cx, name).await?).map_err(|e| e.to_string())?;
    // Long lines (a UID holding a SHA-256 fingerprint) are folded; read them whole.
    let unfolded = text.replace("\r\n ", "");
    let entries = calendar::entries(&native_report(example));
    ensure(entries.len() >= 2, || format!("the example has certificates: {entries:?}"))?;
    for e in &entries {
        ensure(unfolded.contains(&format!("UID:expiry-{}@pgtls\r\n", e.id)), || format!("no expiry event for {}", e.title))?;
        ensure(unfolded.contains(&format!("UID:alert-{}@pgtls\r\n", e.id)), || format!("no alert event for {}", e.title))?;
    }
    ensure(text.matches("BEGIN:VEVENT").count() == 2 * entries.len(), || format!("{} events for {} certificates", text.matches("BEGIN:VEVENT").count(), entries.len()))?;
    // The rest is the engine's calendar, but for the time it was made.
    let without_stamp = |t: &str| t.split("\r\n").filter(|l| !l.starts_with("DTSTAMP:")).collect::<Vec<_>>().join("\r\n");
    ensure(without_stamp(&text) == without_stamp(&calendar::ics(&entries, now())), || "the calendar differs from the engine's".into())
}

/// A scripted fault for worker.js: the first request for the rest of a group of findings is not
/// handled, and the worker throws instead, as a worker that crashes does.
const DYING_WORKER: &str = "self.addEventListener('message', (event) => {
  if (typeof event.data === 'string' && event.data.startsWith('{\"MoreFindings\"') && !self.pgtlsDied) {
    self.pgtlsDied = true;
    event.stopImmediatePropagation();
    throw new Error('scripted worker fault');
  }
});
";

/// The worker dies with a question pending about the result it sent: the page's own thread
/// takes over, audits the same inputs again and answers the question, so nothing waits forever.
async fn a_dying_worker_hands_its_work_to_the_page(cx: &Ctx) -> Outcome {
    let dir = std::env::temp_dir().join(format!("pgtls-e2e-dying-worker-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(dist_dir()?).map_err(|e| e.to_string())?.flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), dir.join(entry.file_name())).map_err(|e| e.to_string())?;
        }
    }
    let script = std::fs::read_to_string(dir.join("worker.js")).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("worker.js"), format!("{DYING_WORKER}{script}")).map_err(|e| e.to_string())?;
    let server = StaticServer::start(dir.clone()).await.map_err(|e| e.to_string())?;
    let outcome = async {
        let hba: String = (0..150).map(|i| format!("host all all 10.{i}.0.0/16 md5\n")).collect();
        cx.browser.client.goto("about:blank").await.map_err(|e| e.to_string())?;
        cx.browser.client.goto(&format!("{}/#hba={}", server.origin, URL_SAFE_NO_PAD.encode(&hba))).await.map_err(|e| e.to_string())?;
        cx.browser.wait_for("the first result", SETTLED).await?;
        let place = cx.browser.js("return document.querySelector('#results').dataset.auditIn", vec![]).await?;
        ensure(place == "worker", || format!("the first audit ran in the {place}, not in the worker"))?;
        let buttons = cx.browser.js("const b = document.querySelectorAll('[data-testid=show-all-findings]'); b.forEach((b) => b.click()); return b.length", vec![]).await?;
        ensure(buttons.as_u64().is_some_and(|n| n > 0), || "150 md5 lines leave findings for \"Show the other\"".into())?;
        cx.browser.wait_for("every finding, from the page's own thread", "return document.querySelector('[data-testid=show-all-findings]') === null").await?;
        let v = cx
            .browser
            .js(
                "return [document.querySelectorAll('[data-testid=finding]').length, document.querySelector('.finding-total').textContent, document.querySelector('#results').dataset.auditIn]",
                vec![],
            )
            .await?;
        let total = v[1].as_str().and_then(|t| t.split(' ').next()).and_then(|n| n.parse::<u64>().ok());
        ensure(v[0].as_u64().is_some() && v[0].as_u64() == total, || format!("drawn findings and the count: {v}"))?;
        ensure(v[2] == "page", || format!("after the worker died the audit ran in the {}", v[2]))
    }
    .await;
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}
