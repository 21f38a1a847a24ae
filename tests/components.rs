//! Component tests in headless Chromium:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver \
//!  cargo test --target wasm32-unknown-unknown -p pgtls-web`
#![cfg(target_arch = "wasm32")]

mod support;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use pgtls_audit::checklist::{ChecklistEntry, Status};
use pgtls_audit::report::{EditOut, Finding, FixOut};
use pgtls_audit::Severity;
use pgtls_web::analysis::{PageFindings, PageReport};
use pgtls_web::app::{App, AppProps};
use pgtls_web::components::finding_card::{FindingCard, FindingCardProps};
use pgtls_web::components::scorecard::{Scorecard, ScorecardProps};
use support::{all, click, mount, one, settle};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::{AttrValue, Callback};

wasm_bindgen_test_configure!(run_in_browser);

fn finding(rule: &str, severity: Severity, item: Option<u8>, fix: Option<FixOut>) -> Finding {
    Finding {
        rule: rule.into(),
        severity,
        title: "Remote connection accepted without SSL".into(),
        message: "line 3 accepts remote connections without SSL".into(),
        file: "pg_hba.conf".into(),
        line: 3,
        column: 1,
        end_line: 3,
        end_column: 30,
        start: 40,
        end: 69,
        help: "Without SSL, anyone on the path reads the traffic.".into(),
        fix,
        docs: "https://www.postgresql.org/docs/current/auth-pg-hba-conf.html".into(),
        item,
        related: vec![],
    }
}

fn report(statuses: [Status; 6], findings: Vec<Finding>) -> PageReport {
    PageReport {
        score: 42,
        grade: "C".into(),
        checklist: statuses
            .iter()
            .enumerate()
            .map(|(i, s)| ChecklistEntry { item: i as u8 + 1, title: format!("item {}", i + 1), status: *s, findings: vec![] })
            .collect(),
        findings: PageFindings::of(&findings),
        exposure: Default::default(),
        certificates: Default::default(),
        clients: Default::default(),
        live: Default::default(),
    }
}

#[wasm_bindgen_test]
async fn scorecard_shows_the_score_and_six_items_with_their_status() {
    use Status::*;
    let r = report([Pass, Fail, Warn, Unknown, Pass, Unknown], vec![]);
    let root = mount::<Scorecard>(ScorecardProps { report: std::rc::Rc::new(r), stale: false }).await;
    assert_eq!(one(&root, "[data-testid=score]").text_content().unwrap(), "42");
    assert_eq!(one(&root, "[data-testid=grade]").text_content().unwrap(), "C");
    let items: Vec<(String, String)> = all(&root, "[data-testid=checklist-item]")
        .iter()
        .map(|e| (e.get_attribute("data-item").unwrap(), e.get_attribute("data-status").unwrap()))
        .collect();
    let expected: Vec<(String, String)> = [("1", "pass"), ("2", "fail"), ("3", "warn"), ("4", "unknown"), ("5", "pass"), ("6", "unknown")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(items, expected);
}

#[wasm_bindgen_test]
async fn finding_card_carries_its_rule_and_severity_and_applies_edits() {
    let fix = FixOut {
        summary: "Require SSL on this line".into(),
        edits: vec![EditOut { file: "pg_hba.conf".into(), start: 40, end: 44, replacement: "hostssl".into() }],
        snippet: None,
        activation: Some(pgtls_audit::Activation::Reload),
    };
    let applied = std::rc::Rc::new(std::cell::RefCell::new(None));
    let revealed = std::rc::Rc::new(std::cell::RefCell::new(None));
    let (a, r) = (applied.clone(), revealed.clone());
    let root = mount::<FindingCard>(FindingCardProps {
        finding: finding("HBA001", Severity::Error, Some(3), Some(fix.clone())),
        excerpt: Some("host all all 0.0.0.0/0 md5".into()),
        can_reveal: true,
        on_reveal: Callback::from(move |target| *r.borrow_mut() = Some(target)),
        on_apply: Some(Callback::from(move |f| *a.borrow_mut() = Some(f))),
    })
    .await;
    let card = one(&root, "[data-testid=finding]");
    assert_eq!(card.get_attribute("data-rule").as_deref(), Some("HBA001"));
    assert_eq!(card.get_attribute("data-severity").as_deref(), Some("error"));
    assert_eq!(one(&root, "[data-testid=fix-snippet]").text_content().unwrap(), "hostssl");
    assert!(one(&root, ".docs").get_attribute("href").unwrap().starts_with("https://www.postgresql.org/docs/"));
    click(&root, "[data-testid=apply-fix]");
    click(&root, "[data-testid=finding-location]");
    settle(0).await;
    assert_eq!(applied.borrow().as_ref(), Some(&fix));
    assert_eq!(revealed.borrow().clone(), Some(("pg_hba.conf".to_string(), 40, 69)));
}

#[wasm_bindgen_test]
async fn a_finding_without_edits_offers_no_apply_button() {
    let fix = FixOut { summary: "Add lines".into(), edits: vec![], snippet: Some("hostnossl all all 0.0.0.0/0 reject".into()), activation: None };
    let root = mount::<FindingCard>(FindingCardProps {
        finding: finding("HBA010", Severity::Info, Some(3), Some(fix)),
        excerpt: None,
        can_reveal: false,
        on_reveal: Callback::noop(),
        on_apply: Some(Callback::noop()),
    })
    .await;
    assert!(all(&root, "[data-testid=apply-fix]").is_empty());
    assert!(all(&root, "[data-testid=finding-location]").is_empty());
    assert_eq!(one(&root, "[data-testid=fix-snippet]").text_content().unwrap(), "hostnossl all all 0.0.0.0/0 reject");
}

fn b64(s: &str) -> String {
    URL_SAFE_NO_PAD.encode(s)
}

#[wasm_bindgen_test]
async fn the_app_loads_a_fragment_and_analyses_it_without_a_button() {
    let fragment = format!("conf={}&hba={}&host=db.example.com", b64("ssl = on\n"), b64("hostssl all all 0.0.0.0/0 scram-sha-256\n"));
    let root = mount::<App>(AppProps { fragment: Some(AttrValue::from(fragment)) }).await;
    settle(50).await;
    let tabs: Vec<String> = all(&root, "[data-testid=document-tab] .tab-name").iter().map(|e| e.text_content().unwrap()).collect();
    assert_eq!(tabs, vec!["postgresql.conf", "pg_hba.conf"]);
    let host: web_sys::HtmlInputElement = one(&root, "[data-testid=host]").unchecked_into();
    assert_eq!(host.value(), "db.example.com");
    // The page's score is the engine's for the same inputs.
    let docs = vec![
        pgtls_web::document::Document::text(1, "postgresql.conf", pgtls_audit::InputKind::PostgresqlConf, "ssl = on\n"),
        pgtls_web::document::Document::text(2, "pg_hba.conf", pgtls_audit::InputKind::PgHba, "hostssl all all 0.0.0.0/0 scram-sha-256\n"),
    ];
    let settings = pgtls_web::analysis::Settings { host: "db.example.com".into(), ..Default::default() };
    let expected = pgtls_web::analysis::run(&docs, &settings, pgtls_web::infra::browser::now_unix()).report;
    assert_eq!(one(&root, "[data-testid=score]").text_content().unwrap(), expected.score.to_string());
    assert_eq!(all(&root, "[data-testid=finding]").len(), expected.findings.len());
}

#[wasm_bindgen_test]
async fn the_app_opens_with_the_default_example_and_switches_examples() {
    let root = mount::<App>(AppProps { fragment: Some(AttrValue::from("")) }).await;
    settle(50).await;
    let pressed = one(&root, "[data-example=thirty-seconds]").get_attribute("aria-pressed");
    assert_eq!(pressed.as_deref(), Some("true"));
    click(&root, "[data-example=hardened]");
    settle(50).await;
    let tabs = all(&root, "[data-testid=document-tab]").len();
    assert_eq!(tabs, pgtls_web::examples::by_id("hardened").unwrap().files.len());
    assert_eq!(one(&root, "[data-example=hardened]").get_attribute("aria-pressed").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn renaming_and_rekinding_an_input_change_what_is_audited() {
    let fragment = format!("text={}", b64("ssl = on\n"));
    let root = mount::<App>(AppProps { fragment: Some(AttrValue::from(fragment)) }).await;
    settle(50).await;
    assert_eq!(one(&root, "[data-testid=document-card]").get_attribute("data-kind").as_deref(), Some("unknown"));
    let select: web_sys::HtmlSelectElement = one(&root, "[data-testid=document-kind]").unchecked_into();
    select.set_value("postgresql-conf");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    let name: web_sys::HtmlInputElement = one(&root, "[data-testid=document-name]").unchecked_into();
    name.set_value("main.conf");
    name.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    settle(300).await;
    assert_eq!(one(&root, "[data-testid=document-card]").get_attribute("data-kind").as_deref(), Some("postgresql-conf"));
    assert_eq!(one(&root, "[data-testid=document-tab] .tab-name").text_content().as_deref(), Some("main.conf"));
}

#[wasm_bindgen_test]
async fn embed_mode_has_no_editors() {
    let fragment = format!("conf={}&embed=1", b64("ssl = on\n"));
    let root = mount::<App>(AppProps { fragment: Some(AttrValue::from(fragment)) }).await;
    settle(50).await;
    assert_eq!(all(&root, "[data-testid=embed-view]").len(), 1);
    assert!(all(&root, "textarea").is_empty());
    assert_eq!(all(&root, "[data-testid=checklist-item]").len(), 6);
}

fn type_into(root: &web_sys::Element, selector: &str, text: &str) {
    let input: web_sys::HtmlInputElement = one(root, selector).unchecked_into();
    input.set_value(text);
    input.dispatch_event(&web_sys::InputEvent::new("input").unwrap()).unwrap();
}

fn toggle(root: &web_sys::Element, selector: &str, on: bool) {
    let input: web_sys::HtmlInputElement = one(root, selector).unchecked_into();
    input.set_checked(on);
    input.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn who_gets_in_names_the_line_the_server_would_use() {
    let hba = "local all all peer\nhostnossl all all 0.0.0.0/0 reject\nhostssl all all 0.0.0.0/0 scram-sha-256\n";
    let fragment = format!("hba={}", b64(hba));
    let root = mount::<App>(AppProps { fragment: Some(AttrValue::from(fragment)) }).await;
    settle(50).await;
    let answer = |root: &web_sys::Element| {
        let a = one(root, "[data-testid=who-answer]");
        (a.get_attribute("data-verdict").unwrap(), a.get_attribute("data-line"))
    };
    type_into(&root, "[data-testid=who-address]", "198.51.100.7");
    settle(10).await;
    assert_eq!(answer(&root), ("accepted".to_string(), Some("3".to_string())));
    toggle(&root, "[data-testid=who-ssl]", false);
    settle(10).await;
    assert_eq!(answer(&root), ("rejected".to_string(), Some("2".to_string())));
    type_into(&root, "[data-testid=who-address]", "2001:db8::5");
    settle(10).await;
    let (verdict, line) = answer(&root);
    assert_eq!((verdict.as_str(), line), ("rejected", None), "no IPv6 line: the implicit reject");
    assert!(one(&root, "[data-testid=who-answer]").text_content().unwrap().contains("no pg_hba.conf entry for host \"2001:db8::5\""));
    type_into(&root, "[data-testid=who-address]", "db.example.com");
    settle(10).await;
    assert_eq!(answer(&root).0, "invalid");
    toggle(&root, "[data-testid=who-ssl]", true);
    type_into(&root, "[data-testid=who-address]", "local");
    settle(10).await;
    assert_eq!(answer(&root), ("accepted".to_string(), Some("1".to_string())), "SSL does not apply to a socket");
    let ssl_box = one(&root, "[data-testid=who-ssl]").dyn_into::<web_sys::HtmlInputElement>().unwrap();
    assert!(ssl_box.disabled() && !ssl_box.checked());
    click(&root, "[data-testid=who-line]");
    settle(10).await;
    assert_eq!(one(&root, "[data-testid=editor-highlight]").text_content().as_deref(), Some("local all all peer"));
}

#[wasm_bindgen_test]
async fn the_cipher_panel_lists_what_ssl_ciphers_enables_in_openssl_order() {
    let conf = "ssl = on\nssl_ciphers = 'HIGH:!aNULL'\n";
    let fragment = format!("conf={}", b64(conf));
    let root = mount::<App>(AppProps { fragment: Some(AttrValue::from(fragment)) }).await;
    settle(50).await;
    let expected = pgtls_audit::cipher::evaluate("HIGH:!aNULL", pgtls_audit::cipher::DEFAULT_SECLEVEL);
    let rows = all(&root, "[data-testid=cipher-suite]");
    let names: Vec<String> = rows.iter().map(|r| r.get_attribute("data-name").unwrap()).collect();
    let want: Vec<String> = expected.suites.iter().map(|s| s.name.to_string()).collect();
    assert_eq!(names, want);
    let weak: Vec<String> = rows.iter().filter(|r| r.get_attribute("data-state").as_deref() == Some("weak")).map(|r| r.get_attribute("data-name").unwrap()).collect();
    assert_eq!(weak, expected.weak().map(|s| s.name.to_string()).collect::<Vec<_>>());
    assert!(weak.iter().any(|n| n == "AES256-SHA"), "static RSA with CBC-SHA1 is marked");
    let replacement = one(&root, "[data-testid=cipher-replacement]").text_content().unwrap();
    assert_eq!(replacement, format!("ssl_ciphers = '{}'", expected.without_weak_suites().unwrap()));
}

fn textarea_value(root: &web_sys::Element) -> String {
    one(root, "[data-testid=editor] textarea").unchecked_into::<web_sys::HtmlTextAreaElement>().value()
}

#[wasm_bindgen_test]
async fn the_navigation_switches_between_the_audit_and_the_generator() {
    let root = mount::<App>(AppProps { fragment: Some(AttrValue::from("")) }).await;
    settle(50).await;
    assert!(all(&root, "[data-testid=generate-view]").is_empty());
    assert_eq!(one(&root, "[data-testid=nav-audit]").get_attribute("aria-current").as_deref(), Some("page"));
    click(&root, "[data-testid=nav-generate]");
    settle(10).await;
    assert_eq!(all(&root, "[data-testid=generate-view]").len(), 1);
    assert!(all(&root, "textarea").is_empty(), "the generator replaces the inputs");
    assert_eq!(one(&root, "[data-testid=nav-generate]").get_attribute("aria-current").as_deref(), Some("page"));
    assert_eq!(one(&root, "[data-testid=nav-audit]").get_attribute("aria-current"), None);
    click(&root, "[data-testid=nav-audit]");
    settle(50).await;
    assert!(all(&root, "[data-testid=generate-view]").is_empty());
    assert!(!all(&root, "textarea").is_empty());
}

#[wasm_bindgen_test]
async fn a_link_opens_the_generator_with_its_form_filled_in() {
    let fragment = "view=generate&host=audit.example.com&gen-pg=16&gen-hosts=db.example.com%2C%20db2.example.com\
                    &gen-ips=10.0.0.5&gen-drivers=jdbc,pgx&gen-platform=cnpg";
    let root = mount::<App>(AppProps { fragment: Some(AttrValue::from(fragment)) }).await;
    settle(50).await;
    let value = |selector: &str| one(&root, selector).unchecked_into::<web_sys::HtmlInputElement>().value();
    assert_eq!(value("[data-testid=gen-hosts]"), "db.example.com, db2.example.com", "the link's names, not the audit's host");
    assert_eq!(value("[data-testid=gen-ips]"), "10.0.0.5");
    let version: web_sys::HtmlSelectElement = one(&root, "[data-testid=gen-pg-version]").unchecked_into();
    assert_eq!(version.value(), "16");
    let checked = |selector: &str| -> Vec<String> {
        all(&root, selector)
            .into_iter()
            .map(|e| e.unchecked_into::<web_sys::HtmlInputElement>())
            .filter(|e| e.checked())
            .map(|e| e.get_attribute("data-driver").unwrap_or_else(|| e.value()))
            .collect()
    };
    assert_eq!(checked("[data-testid=gen-driver]"), ["jdbc", "pgx"]);
    assert_eq!(checked("[data-testid=gen-platform]"), ["cnpg"]);
}

#[wasm_bindgen_test]
async fn the_generator_shows_each_problem_at_its_field_then_the_engines_files() {
    let root = mount::<App>(AppProps { fragment: Some(AttrValue::from("view=generate&host=db.example.com&pg=15")) }).await;
    settle(50).await;
    // It starts from the audit's host name and version.
    let hosts: web_sys::HtmlInputElement = one(&root, "[data-testid=gen-hosts]").unchecked_into();
    assert_eq!(hosts.value(), "db.example.com");
    let version: web_sys::HtmlSelectElement = one(&root, "[data-testid=gen-pg-version]").unchecked_into();
    assert_eq!(version.value(), "15");

    type_into(&root, "[data-testid=gen-hosts]", "db.example.com, bad_host");
    type_into(&root, "[data-testid=gen-ips]", "300.1.1.1");
    toggle(&root, "[data-testid=gen-driver][data-driver=libpq]", false);
    settle(10).await;
    assert!(all(&root, "[data-testid=gen-error]").is_empty(), "no message before the user asks");
    click(&root, "[data-testid=gen-submit]");
    settle(10).await;
    let errors: Vec<(String, String)> = all(&root, "[data-testid=gen-error]")
        .iter()
        .map(|e| (e.get_attribute("data-field").unwrap(), e.text_content().unwrap()))
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(errors[0].0, "gen-hosts");
    assert!(errors[0].1.starts_with("bad_host: "), "{errors:?}");
    assert_eq!(errors[1], ("gen-ips".to_string(), "300.1.1.1: is not an IPv4 or IPv6 address".to_string()));
    assert_eq!(errors[2].0, "gen-drivers");
    let focused = gloo::utils::document().active_element().and_then(|e| e.get_attribute("id"));
    assert_eq!(focused.as_deref(), Some("gen-hosts"), "the focus goes to the first field at fault");
    assert_eq!(one(&root, "[data-testid=gen-ips]").get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(one(&root, "[data-testid=gen-ips]").get_attribute("aria-describedby").as_deref(), Some("gen-ips-hint gen-ips-error"));
    assert!(all(&root, "[data-testid=gen-output]").is_empty());

    // Corrected, the answer follows the form without another click.
    type_into(&root, "[data-testid=gen-hosts]", "db.example.com");
    type_into(&root, "[data-testid=gen-ips]", "10.0.0.5");
    settle(10).await;
    assert_eq!(all(&root, "[data-testid=gen-error]").len(), 1);
    click(&root, "[data-testid=gen-submit]");
    settle(10).await;
    let focused = gloo::utils::document().active_element().and_then(|e| e.get_attribute("id"));
    assert_eq!(focused.as_deref(), Some("gen-driver-libpq"), "a group of boxes takes the focus on its first");
    toggle(&root, "[data-testid=gen-driver][data-driver=jdbc]", true);
    one(&root, "[data-testid=gen-platform][value=cnpg]").unchecked_into::<web_sys::HtmlElement>().click();
    settle(10).await;
    assert!(all(&root, "[data-testid=gen-error]").is_empty());
    assert_eq!(one(&root, "[data-testid=gen-hosts]").get_attribute("aria-invalid"), None);
    let mut req = pgtls_audit::generate::Request::new(15, pgtls_audit::generate::Platform::Cnpg);
    req.hosts = vec!["db.example.com".into()];
    req.ips = vec!["10.0.0.5".into()];
    req.drivers = vec![pgtls_audit::generate::Driver::Jdbc];
    let expected = pgtls_audit::generate::generate(&req).unwrap();
    let names: Vec<String> = all(&root, "[data-testid=gen-file]").iter().map(|e| e.get_attribute("data-name").unwrap()).collect();
    assert_eq!(names, expected.iter().map(|f| f.name.clone()).collect::<Vec<_>>());
    let readme = expected.iter().find(|f| f.name == "README.md").unwrap();
    assert_eq!(one(&root, "[data-testid=gen-readme]").text_content().unwrap(), readme.contents);
    let first = one(&root, "[data-testid=gen-file] pre").text_content().unwrap();
    assert_eq!(first, expected[0].contents);
    assert!(one(&root, "[data-testid=gen-download]").text_content().unwrap().contains("pgtls-cnpg-pg15.zip"));
}

#[wasm_bindgen_test]
async fn fix_all_is_reviewed_then_cancelled_or_applied() {
    let conf = "ssl = on\nssl_min_protocol_version = 'TLSv1'\n";
    let hba = "hostssl all all 0.0.0.0/0 md5\n";
    let fragment = format!("conf={}&hba={}", b64(conf), b64(hba));
    let root = mount::<App>(AppProps { fragment: Some(AttrValue::from(fragment)) }).await;
    settle(300).await;
    let docs = vec![
        pgtls_web::document::Document::text(1, "postgresql.conf", pgtls_audit::InputKind::PostgresqlConf, conf),
        pgtls_web::document::Document::text(2, "pg_hba.conf", pgtls_audit::InputKind::PgHba, hba),
    ];
    let settings = pgtls_web::analysis::Settings::default();
    let now = pgtls_web::infra::browser::now_unix();
    let expected = pgtls_audit::fix::fix_all(&pgtls_web::analysis::inputs(&docs), &settings.options(now));
    assert!(!expected.files.is_empty(), "the sample has safe fixes");

    click(&root, "[data-testid=fix-all]");
    settle(10).await;
    assert_eq!(one(&root, "[data-testid=fix-score-before]").text_content().unwrap(), expected.score_before.to_string());
    assert_eq!(one(&root, "[data-testid=fix-score-after]").text_content().unwrap(), expected.score_after.to_string());
    let diffs: Vec<(String, String)> =
        all(&root, "[data-testid=fix-diff]").iter().map(|d| (d.get_attribute("data-file").unwrap(), one(d, "pre").text_content().unwrap())).collect();
    assert_eq!(diffs, expected.files.iter().map(|f| (f.name.clone(), f.diff.clone())).collect::<Vec<_>>());
    assert_eq!(all(&root, "[data-testid=fix-manual]").len(), expected.manual.len());
    let focused = gloo::utils::document().active_element().and_then(|e| e.get_attribute("id"));
    assert_eq!(focused.as_deref(), Some("fix-review-heading"), "the review takes the focus");
    assert_eq!(textarea_value(&root), conf, "nothing changes before Apply");

    click(&root, "[data-testid=fix-cancel]");
    settle(10).await;
    assert!(all(&root, "[data-testid=fix-review]").is_empty());
    assert_eq!(textarea_value(&root), conf);

    click(&root, "[data-testid=fix-all]");
    settle(10).await;
    click(&root, "[data-testid=fix-apply]");
    settle(300).await;
    assert!(all(&root, "[data-testid=fix-review]").is_empty());
    let fixed_conf = expected.files.iter().find(|f| f.name == "postgresql.conf").map_or(conf.to_string(), |f| f.after.clone());
    assert_eq!(textarea_value(&root), fixed_conf);
    assert_eq!(one(&root, "[data-testid=score]").text_content().unwrap(), expected.score_after.to_string());
}

#[wasm_bindgen_test]
async fn the_certificates_panel_offers_the_rotation_calendar() {
    use pgtls_web::components::certificates_panel::{CertificatesPanel, CertificatesPanelProps};
    let asked = std::rc::Rc::new(std::cell::Cell::new(0));
    let a = asked.clone();
    let certificates = serde_json::json!([{ "subject": "CN=db.example.com", "role": "server", "file": "server.crt", "days_left": 80 }]);
    let root = mount::<CertificatesPanel>(CertificatesPanelProps {
        certificates: pgtls_web::analysis::Section::of(&certificates),
        host: AttrValue::from(""),
        on_host: Callback::noop(),
        on_download_calendar: Some(Callback::from(move |_| a.set(a.get() + 1))),
    })
    .await;
    click(&root, "[data-testid=calendar-download]");
    settle(0).await;
    assert_eq!(asked.get(), 1);
    let without = mount::<CertificatesPanel>(CertificatesPanelProps {
        certificates: pgtls_web::analysis::Section::of(&certificates),
        host: AttrValue::from(""),
        on_host: Callback::noop(),
        on_download_calendar: None,
    })
    .await;
    assert!(all(&without, "[data-testid=calendar-download]").is_empty());
}

/// A finding of `rule` on `line` of `file`.
fn finding_at(file: &str, line: usize) -> Finding {
    Finding { file: file.into(), line, end_line: line, ..finding("HBA001", Severity::Error, Some(3), None) }
}

#[wasm_bindgen_test]
fn finding_sources_are_the_lines_of_the_documents_when_the_result_arrives() {
    use pgtls_audit::InputKind;
    use pgtls_web::document::Document;
    use pgtls_web::state::FindingSource;
    let documents = [
        Document::text(1, "pg_hba.conf", InputKind::PgHba, "local all all peer\nhost all all 0.0.0.0/0 md5\n"),
        Document { binary: Some(vec![0x30, 0x03]), ..Document::text(2, "server.der", InputKind::Der, "") },
    ];
    let findings = [finding_at("pg_hba.conf", 2), finding_at("pg_hba.conf", 9), finding_at("server.der", 1), finding_at("gone.conf", 1)];
    let sources = FindingSource::of_all(&findings, &documents);
    let expected = [
        FindingSource { in_inputs: true, line: Some("host all all 0.0.0.0/0 md5".into()) },
        // A line past the end has no excerpt; a binary input has an editor but no lines.
        FindingSource { in_inputs: true, line: None },
        FindingSource { in_inputs: true, line: None },
        FindingSource { in_inputs: false, line: None },
    ];
    assert_eq!(&*sources, &expected);
}

#[wasm_bindgen_test]
fn file_findings_count_each_finding_and_list_each_line_once() {
    use pgtls_web::analysis::FileFindings;
    let findings = [finding_at("a.conf", 7), finding_at("b.conf", 1), finding_at("a.conf", 2), finding_at("a.conf", 7)];
    let page = PageFindings::of(&findings);
    assert_eq!(page.file("a.conf"), Some(&FileFindings { count: 3, lines: vec![2, 7] }));
    assert_eq!(page.file("b.conf"), Some(&FileFindings { count: 1, lines: vec![1] }));
    assert_eq!(page.file("c.conf"), None);
    assert_eq!(page.files.len(), 2);
}

/// A pg_hba.conf of `n` md5 lines: more than a hundred findings in a checklist group.
fn md5_lines(n: usize) -> String {
    (0..n).map(|i| format!("host all all 10.{i}.0.0/16 md5\n")).collect()
}

/// The rule ids of `findings` in the page's order: by checklist group, then the report's order.
fn in_page_order(report: &pgtls_audit::Report, findings: &[Finding]) -> Vec<String> {
    let items = report.checklist.iter().map(|e| Some(e.item)).chain([None]);
    items.flat_map(|item| findings.iter().filter(move |f| f.item == item).map(|f| f.rule.clone())).collect()
}

async fn shows_the_rest_of_a_group_on_request(fragment: String) {
    let hba = md5_lines(150);
    let root = mount::<App>(AppProps { fragment: Some(AttrValue::from(fragment)) }).await;
    settle(300).await;
    let docs = vec![pgtls_web::document::Document::text(1, "pg_hba.conf", pgtls_audit::InputKind::PgHba, hba)];
    let expected = pgtls_web::analysis::run(&docs, &Default::default(), pgtls_web::infra::browser::now_unix()).report;
    let page = PageFindings::of(&expected.findings);
    assert!(!page.left_out.is_empty());
    let rules = |root: &web_sys::Element| -> Vec<String> {
        all(root, "[data-testid=finding]").iter().map(|e| e.get_attribute("data-rule").unwrap()).collect()
    };
    // At first the first hundred of each group, and the count of all.
    assert_eq!(rules(&root), in_page_order(&expected, &page.shown));
    assert_eq!(one(&root, ".finding-total").text_content().unwrap(), format!("{} findings", expected.findings.len()));
    let buttons = all(&root, "[data-testid=show-all-findings]");
    assert_eq!(buttons.len(), page.left_out.len());
    for button in buttons {
        button.unchecked_into::<web_sys::HtmlElement>().click();
    }
    settle(300).await;
    // Then every finding, each group in the report's order.
    assert!(all(&root, "[data-testid=show-all-findings]").is_empty());
    assert_eq!(rules(&root), in_page_order(&expected, &expected.findings));
}

#[wasm_bindgen_test]
async fn a_group_over_the_limit_shows_its_rest_when_asked() {
    shows_the_rest_of_a_group_on_request(format!("hba={}", b64(&md5_lines(150)))).await;
}

#[wasm_bindgen_test]
async fn the_embed_view_shows_the_rest_of_a_group_when_asked() {
    shows_the_rest_of_a_group_on_request(format!("hba={}&embed=1", b64(&md5_lines(150)))).await;
}

#[wasm_bindgen_test]
fn a_fragment_over_its_limit_is_measured_not_written() {
    use pgtls_web::hooks::use_fragment_sync::{fragment_of, fragment_within, link_fragments};
    let conf = URL_SAFE_NO_PAD.encode("ssl = on\nssl_min_protocol_version = 'TLSv1.2'\n");
    let hba = URL_SAFE_NO_PAD.encode("hostssl all all 0.0.0.0/0 scram-sha-256\n");
    let fragment = format!("conf={conf}&hba={hba}&host=db.example.com");
    let state = pgtls_web::app::initial_state(&format!("#{fragment}"));
    // The link's fragment is the one the page was opened with; the embed view's adds embed=1.
    assert_eq!(fragment_of(&state, false).0, fragment);
    let embed = format!("{fragment}&embed=1");
    assert_eq!(fragment_of(&state, true).0, embed);
    for (embed_view, expected) in [(false, &fragment), (true, &embed)] {
        assert_eq!(fragment_within(&state, embed_view, expected.len()).0.as_ref(), Some(expected));
        assert_eq!(fragment_within(&state, embed_view, expected.len() - 1).0, None);
    }
    // Both links from one encoding, or neither.
    assert_eq!(link_fragments(&state, embed.len()).0, Some((fragment.clone(), embed.clone())));
    assert_eq!(link_fragments(&state, embed.len() - 1).0, None);
}

#[wasm_bindgen_test]
fn a_link_with_nothing_readable_opens_the_example_and_says_why() {
    let state = pgtls_web::app::initial_state("#z=***&example=nonesuch");
    let example = pgtls_web::examples::by_id(pgtls_web::examples::DEFAULT_EXAMPLE).unwrap();
    assert_eq!(state.documents.len(), example.files.len());
    assert_eq!(
        state.notice.as_deref(),
        Some("Some values of the link could not be read and were skipped: z (not base64url), example.")
    );
}

#[wasm_bindgen_test]
fn a_long_set_is_linked_in_the_compressed_form() {
    use pgtls_web::hooks::use_fragment_sync::{fragment_of, link_fragments};
    let state = pgtls_web::app::initial_state("#example=default-install");
    let (link, embed) = link_fragments(&state, pgtls_web::share::LINK_LIMIT).0.unwrap();
    assert!(link.starts_with("z=") && !link.contains('&'), "{link}");
    assert_eq!(embed, format!("{link}&embed=1"));
    assert_eq!(fragment_of(&state, false).0, link);
    // Opened again, the link is the same set.
    let reopened = pgtls_web::app::initial_state(&format!("#{link}"));
    let files = |s: &pgtls_web::state::AppState| s.documents.iter().map(|d| (d.name.clone(), d.kind, d.text.clone())).collect::<Vec<_>>();
    assert_eq!(files(&reopened), files(&state));
    assert_eq!(reopened.settings.host, state.settings.host);
}
