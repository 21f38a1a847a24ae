//! Accessibility: axe-core on every view, in both themes, at desktop and phone widths; and the
//! main flows walked with the keyboard alone.

use std::collections::{BTreeMap, BTreeSet};

use fantoccini::key::Key;
use pgtls_e2e::axe::{self, Violation};
use pgtls_e2e::keyboard::{chord, focus, press, tab_to, type_text};

use super::*;

/// Colour scheme, width name, window size.
const MODES: [(&str, &str, u32, u32); 4] = [
    ("light", "desktop", 1400, 1100),
    ("dark", "desktop", 1400, 1100),
    ("light", "phone", 390, 1400),
    ("dark", "phone", 390, 1400),
];

async fn set_mode(cx: &Ctx, scheme: Option<&str>, width: u32, height: u32) -> Outcome {
    let features = match scheme {
        Some(value) => json!([{ "name": "prefers-color-scheme", "value": value }]),
        None => json!([]),
    };
    cx.browser.cdp("Emulation.setEmulatedMedia", json!({ "features": features })).await?;
    cx.browser.client.set_window_size(width, height).await.map_err(|e| e.to_string())
}

/// Every violation with the views and modes it was seen in; undecided elements per rule.
#[derive(Default)]
struct Found {
    violations: BTreeMap<Violation, Vec<String>>,
    undecided: BTreeMap<String, usize>,
    states: usize,
}

/// Runs axe on the current view in every mode; what it finds is kept with where it was found.
async fn audit_view(cx: &Ctx, axe_js: &str, view: &str, found: &mut Found) -> Outcome {
    // Every disclosure open, so that what they hide is audited too.
    cx.browser.js("document.querySelectorAll('details').forEach(d => d.open = true)", vec![]).await?;
    let mut outcome = Ok(());
    for (scheme, width_name, w, h) in MODES {
        if let Err(e) = set_mode(cx, Some(scheme), w, h).await {
            outcome = Err(e);
            break;
        }
        // Let the new media query and layout apply before axe reads colours and sizes.
        tokio::time::sleep(Duration::from_millis(150)).await;
        match axe::audit(&cx.browser, axe_js).await {
            Ok(findings) => {
                let place = format!("{view} [{scheme}, {width_name}]");
                for v in findings.violations {
                    found.violations.entry(v).or_default().push(place.clone());
                }
                for (rule, count) in findings.undecided {
                    *found.undecided.entry(rule).or_default() += count;
                }
                found.states += 1;
            }
            Err(e) => {
                outcome = Err(format!("{view} [{scheme}, {width_name}]: {e}"));
                break;
            }
        }
    }
    set_mode(cx, None, 1400, 1100).await?;
    outcome
}

const SAMPLE_ERROR: &str = "psql: error: connection to server at \"db.example.com\" (10.0.0.5), port 5432 failed: FATAL:  no pg_hba.conf entry for host \"10.0.0.9\", user \"app\", database \"app\", no encryption";

/// axe-core finds no serious or critical violation on any view of the page, in the light and
/// dark themes, at desktop and phone widths. Every violation found is listed, blocking or not.
pub(crate) async fn axe_finds_no_serious_violations(cx: &Ctx) -> Outcome {
    let Some(axe_js) = axe::script()? else {
        println!("    (skipped: PGTLS_E2E_AXE is not set; `cargo xtask test` installs axe-core and sets it)");
        return Ok(());
    };
    let mut found = Found::default();
    let mut panels = BTreeSet::new();

    open(cx, "").await?;
    for example in EXAMPLES {
        load_example(cx, example.id).await?;
        shown(cx).await?;
        let present = cx.browser.js("return [...document.querySelectorAll('section[data-testid]')].map(s => s.dataset.testid)", vec![]).await?;
        panels.extend(present.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)));
        audit_view(cx, &axe_js, &format!("example {}", example.id), &mut found).await?;
    }
    // The panels the brief of this audit names must have been on some view.
    for panel in ["certificates-panel", "who-gets-in", "cipher-panel", "exposure-panel"] {
        ensure(panels.contains(panel), || format!("no example shows the {panel}; the audit would miss it (shown: {panels:?})"))?;
    }

    load_example(cx, "default-install").await?;
    shown(cx).await?;
    type_value(cx, "#who-address", "not an address").await?;
    cx.browser.wait_for("the form's complaint", "return document.querySelector('[data-testid=who-answer][data-verdict=invalid]') !== null").await?;
    audit_view(cx, &axe_js, "who gets in: a bad address", &mut found).await?;

    type_value(cx, "[data-testid=error-message]", SAMPLE_ERROR).await?;
    cx.browser.wait_for("the enabled Explain button", "const b = document.querySelector('.explain button[type=submit]'); return b && !b.disabled").await?;
    cx.browser.js("document.querySelector('.explain button[type=submit]').click()", vec![]).await?;
    cx.browser.wait_for("an explanation", "return document.querySelector('[data-testid=explanation]') !== null").await?;
    audit_view(cx, &axe_js, "explain: a pasted message", &mut found).await?;

    cx.browser.js("document.querySelector('[data-testid=live-check]').click()", vec![]).await?;
    cx.browser
        .wait_for("the live check outcome", "return document.querySelector('[data-testid=relay-unreachable], [data-testid=live-result]') !== null")
        .await?;
    audit_view(cx, &axe_js, "live check: relay down", &mut found).await?;

    load_example(cx, "default-install").await?;
    shown(cx).await?;
    cx.browser.js("document.querySelector('[data-testid=fix-all]').click()", vec![]).await?;
    cx.browser.wait_for("the fix review", "return document.querySelector('[data-testid=fix-review]') !== null").await?;
    audit_view(cx, &axe_js, "fix all: the review", &mut found).await?;

    cx.browser.js("document.querySelector('[data-testid=nav-generate]').click()", vec![]).await?;
    cx.browser.wait_for("the generator", "return document.querySelector('[data-testid=generate-view]') !== null").await?;
    type_value(cx, "[data-testid=gen-ips]", "10.0.0.300").await?;
    cx.browser.js("document.querySelector('[data-testid=gen-submit]').click()", vec![]).await?;
    cx.browser.wait_for("the generator's complaint", "return document.querySelector('[data-testid=gen-error]') !== null").await?;
    audit_view(cx, &axe_js, "generate: a bad address", &mut found).await?;
    type_value(cx, "[data-testid=gen-ips]", "10.0.0.30").await?;
    cx.browser.wait_for("the generated set", "return document.querySelector('[data-testid=gen-output]') !== null").await?;
    audit_view(cx, &axe_js, "generate: the set", &mut found).await?;

    let key = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n";
    open(cx, &format!("pem=server.key~{}", URL_SAFE_NO_PAD.encode(key))).await?;
    cx.browser.wait_for("the omission note", "return document.querySelector('[data-testid=share-omitted]') !== null").await?;
    audit_view(cx, &axe_js, "share: a private key left out", &mut found).await?;

    open(cx, "").await?;
    cx.browser.js("document.querySelector('.pickers button:last-child').click()", vec![]).await?;
    cx.browser.wait_for("no inputs", "return document.querySelectorAll('[data-testid=document-tab]').length === 0").await?;
    audit_view(cx, &axe_js, "no inputs", &mut found).await?;

    // A DER certificate: the read-only binary view, and the share bar's note that it stays out
    // of the link.
    let pem = pgtls_web::examples::by_id("hardened").and_then(|e| e.files.iter().find(|f| f.name == "root.crt")).ok_or("the hardened example has no root.crt")?;
    let body: String = pem.text.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD.decode(body).map_err(|e| format!("root.crt: {e}"))?;
    cx.browser
        .js(
            r#"
            const data = new DataTransfer();
            data.items.add(new File([new Uint8Array(arguments[0])], 'root.der'));
            const zone = document.querySelector('[data-testid=drop-zone]');
            zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
            "#,
            vec![json!(der)],
        )
        .await?;
    cx.browser.wait_for("the binary input", "return document.querySelector('.editor.binary') !== null && document.querySelector('[data-testid=share-omitted]') !== null").await?;
    audit_view(cx, &axe_js, "a DER certificate", &mut found).await?;

    open(cx, &embed_fragment(pgtls_web::examples::by_id("default-install").unwrap())).await?;
    shown(cx).await?;
    audit_view(cx, &axe_js, "embed", &mut found).await?;

    let grouped = &found.violations;
    println!(
        "    axe-core: {} page states audited; left undecided for a person: {}",
        found.states,
        if found.undecided.is_empty() { "nothing".to_string() } else { found.undecided.iter().map(|(r, n)| format!("{r} ({n} elements)")).collect::<Vec<_>>().join(", ") }
    );
    let blocking = grouped.keys().filter(|v| v.blocks()).count();
    println!("    axe-core: {} distinct violation{} ({blocking} serious or critical)", grouped.len(), if grouped.len() == 1 { "" } else { "s" });
    for (v, places) in grouped {
        println!("    - {v}\n      seen in: {}", places.join("; "));
    }
    ensure(blocking == 0, || format!("{blocking} serious or critical accessibility violation(s); see the list above"))
}

/// The main flows with the keyboard alone: the skip link, an example from the gallery, a
/// finding shown in its editor, an edit, the share link, the who-gets-in form and the live
/// check. The focus must land where it should and be visible at every stop.
pub(crate) async fn keyboard_walk_through(cx: &Ctx) -> Outcome {
    open(cx, "").await?;
    shown(cx).await?;

    // The first Tab reaches the skip link, which must then be on screen.
    press(&cx.browser, Key::Tab).await?;
    let f = focus(&cx.browser, "a.skip-link").await?;
    ensure(f.matches && f.visible, || format!("the first Tab should show the skip link; focus: {f:?}"))?;

    // An example from the gallery, loaded with Enter; the focus stays on its card.
    tab_to(&cx.browser, "[data-example=default-install]", false).await?;
    press(&cx.browser, Key::Enter).await?;
    cx.browser
        .wait_for("the example", "return document.querySelector(\"[data-example='default-install']\").getAttribute('aria-pressed') === 'true'")
        .await?;
    let f = focus(&cx.browser, "[data-example=default-install]").await?;
    ensure(f.matches && f.visible, || format!("after loading the example the focus is on {f:?}"))?;
    let example = pgtls_web::examples::by_id("default-install").unwrap();
    ensure(shown(cx).await? == Shown::of(&native_report(example)), || "the example loaded by keyboard differs from the engine".into())?;

    // Back to the skip link; Enter moves the focus to the results.
    tab_to(&cx.browser, "a.skip-link", true).await?;
    press(&cx.browser, Key::Enter).await?;
    let f = focus(&cx.browser, "#results").await?;
    ensure(f.matches && f.visible, || format!("the skip link should move the focus to the results; focus: {f:?}"))?;
    let address = cx.browser.js("return location.hash", vec![]).await?;
    ensure(!address.as_str().unwrap_or("").starts_with("#results"), || format!("the skip link replaced the share fragment in the address bar: {address}"))?;
    press(&cx.browser, Key::Tab).await?;
    let f = focus(&cx.browser, "#results *").await?;
    ensure(f.matches && f.visible, || format!("Tab after the skip link should stay in the results; focus: {f:?}"))?;

    // A finding's location, activated with Enter: its range is highlighted in its editor,
    // which takes the focus.
    tab_to(&cx.browser, "[data-testid=finding-location]", false).await?;
    let location = cx.browser.js("return document.activeElement.textContent", vec![]).await?;
    let location = location.as_str().unwrap_or("").to_string();
    let file = location.split(':').next().unwrap_or("").to_string();
    press(&cx.browser, Key::Enter).await?;
    let state = cx
        .browser
        .wait_for(
            "the highlight",
            "const m = document.querySelector('[data-testid=editor-highlight]'); return m && { editor: document.querySelector('[data-testid=editor]').dataset.document, focused: document.activeElement === document.querySelector('[data-testid=editor] textarea'), marked: m.textContent }",
        )
        .await?;
    ensure(state["editor"] == file.as_str() && state["focused"] == true, || format!("after activating {location}: {state}"))?;
    let finding = native_report(example)
        .findings
        .into_iter()
        .find(|f| format!("{}:{}:{}", f.file, f.line, f.column) == location)
        .ok_or_else(|| format!("the engine reports no finding at {location}"))?;
    if finding.start < finding.end {
        let source = example.files.iter().find(|f| f.name == file).map(|f| f.text).unwrap_or("");
        let expected = &source[finding.start..finding.end];
        ensure(state["marked"] == expected, || format!("{location}: highlighted {}, the finding's range is {expected:?}", state["marked"]))?;
    }
    let f = focus(&cx.browser, "[data-testid=editor] textarea").await?;
    ensure(f.visible, || format!("the focused editor shows no focus: {f:?}"))?;

    // An edit typed at the end of that file re-runs the audit, which agrees with the engine.
    chord(&cx.browser, &[Key::Control.into(), Key::End.into()]).await?;
    let typed = "\nssl_min_protocol_version = 'TLSv1.3'\n";
    type_text(&cx.browser, typed).await?;
    let text = cx.browser.js("return document.querySelector('[data-testid=editor] textarea').value", vec![]).await?;
    let text = text.as_str().unwrap_or("").to_string();
    let original = example.files.iter().find(|f| f.name == file).ok_or_else(|| format!("{file} is not in the example"))?.text;
    ensure(text == format!("{original}{typed}"), || format!("after typing, {file} holds {text:?}"))?;
    let inputs = Inputs {
        files: example.files.iter().map(|f| SourceFile::from_text(f.name, f.kind, if f.name == file { text.as_str() } else { f.text })).collect(),
    };
    let mut options = AuditOptions::new(now());
    options.host = Some(example.host.to_string());
    let engine = Shown::of(&audit(&inputs, &options).report(&inputs, ColumnUnit::Utf16));
    let page = shown(cx).await?;
    ensure(page == engine, || format!("after the typed edit the page shows {page:?}, the engine says {engine:?}"))?;

    // The share link, copied with Enter.
    tab_to(&cx.browser, ".share-row button", false).await?;
    press(&cx.browser, Key::Enter).await?;
    cx.browser.wait_for("the copied state", "return document.activeElement.textContent === 'Copied'").await?;

    // Who gets in: an address typed in, then SSL turned off with Space; both answered.
    tab_to(&cx.browser, "#who-address", false).await?;
    chord(&cx.browser, &[Key::Control.into(), 'a']).await?;
    type_text(&cx.browser, "198.51.100.7").await?;
    let answer = cx
        .browser
        .wait_for("the answer", "const a = document.querySelector('[data-testid=who-answer]'); return document.querySelector('#who-address').value === '198.51.100.7' && a ? a.dataset.verdict : false")
        .await?;
    ensure(answer != "invalid", || "the form rejects the typed address".into())?;
    tab_to(&cx.browser, "#who-ssl", false).await?;
    let before = cx.browser.js("return document.querySelector('#who-ssl').checked", vec![]).await?;
    press(&cx.browser, Key::Space).await?;
    // The answer comes from the analysis worker: wait for the one to the new question.
    let after = cx
        .browser
        .wait_for("the answer with SSL toggled", "const a = document.querySelector('[data-testid=who-answer]'); return a ? [document.querySelector('#who-ssl').checked, a.dataset.verdict] : false")
        .await?;
    ensure(before != after[0] && after[1] != "invalid", || format!("Space on the SSL box: checked {before} → {after}"))?;

    // The live check, submitted with Enter from its host field.
    tab_to(&cx.browser, "#live-host", false).await?;
    chord(&cx.browser, &[Key::Control.into(), 'a']).await?;
    type_text(&cx.browser, "127.0.0.1").await?;
    press(&cx.browser, Key::Enter).await?;
    cx.browser
        .wait_for("the live check outcome", "return document.querySelector('[data-testid=relay-unreachable], [data-testid=live-result]') !== null")
        .await?;
    let f = focus(&cx.browser, "#live-host").await?;
    ensure(f.matches && f.visible, || format!("after the live check the focus is on {f:?}"))?;
    cx.browser.screenshot(&cx.shots, "keyboard-walk").await
}
