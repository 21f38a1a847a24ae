//! The relay over HTTP: every refusal, and a real check through it.

#[path = "../../pgtls-probe/tests/common/mod.rs"]
mod common;

use std::net::TcpListener;
use std::time::Duration;

use pgtls_relay::Config;
use serde_json::{json, Value};

const PAGE: &str = "http://127.0.0.1:8080";

async fn start(config: Config) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(pgtls_relay::serve(listener, config));
    format!("http://{addr}")
}

async fn post(base: &str, origin: Option<&str>, content_type: &str, body: impl Into<reqwest::Body>) -> (u16, Value, reqwest::header::HeaderMap) {
    let mut req = reqwest::Client::new().post(format!("{base}/api/v1/check")).header("content-type", content_type).body(body);
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let value = resp.json().await.unwrap_or(Value::Null);
    (status, value, headers)
}

/// A TCP server that accepts and never answers.
fn silent_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in listener.incoming() {
            held.push(c);
        }
    });
    port
}

#[tokio::test]
async fn healthz_answers_without_origin() {
    let base = start(Config::default()).await;
    let resp = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<Value>().await.unwrap()["status"], "ok");
}

#[tokio::test]
async fn origins_are_checked() {
    let base = start(Config::default()).await;
    let body = json!({"host": "127.0.0.1", "port": 1}).to_string();
    let (s, v, _) = post(&base, None, "application/json", body.clone()).await;
    assert_eq!((s, v["error"].as_str()), (403, Some("origin-missing")));
    let (s, v, _) = post(&base, Some("https://evil.example"), "application/json", body.clone()).await;
    assert_eq!((s, v["error"].as_str()), (403, Some("origin-not-allowed")));
    assert!(v["message"].as_str().unwrap().contains("--allow-origin"));
    let (s, v, _) = post(&base, Some("null"), "application/json", body.clone()).await;
    assert_eq!((s, v["error"].as_str()), (403, Some("origin-not-allowed")));
    assert!(v["message"].as_str().unwrap().contains("--allow-null-origin"));

    let base = start(Config { allow_null_origin: true, ..Config::default() }).await;
    let (s, v, h) = post(&base, Some("null"), "application/json", body).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(h["access-control-allow-origin"], "null");
}

#[tokio::test]
async fn preflight_is_answered_for_allowed_origins_only() {
    let base = start(Config::default()).await;
    let client = reqwest::Client::new();
    let resp = client
        .request(reqwest::Method::OPTIONS, format!("{base}/api/v1/check"))
        .header("origin", PAGE)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .header("access-control-request-private-network", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let h = resp.headers();
    assert_eq!(h["access-control-allow-origin"], PAGE);
    assert_eq!(h["access-control-allow-methods"], "POST");
    assert_eq!(h["access-control-allow-headers"], "content-type");
    assert_eq!(h["access-control-allow-private-network"], "true");
    let resp = client
        .request(reqwest::Method::OPTIONS, format!("{base}/api/v1/check"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert!(resp.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn bodies_are_checked() {
    let base = start(Config::default()).await;
    let (s, v, _) = post(&base, Some(PAGE), "text/plain", r#"{"host":"127.0.0.1"}"#).await;
    assert_eq!((s, v["error"].as_str()), (415, Some("content-type")));
    let (s, v, _) = post(&base, Some(PAGE), "application/json", "{not json").await;
    assert_eq!((s, v["error"].as_str()), (400, Some("bad-json")));
    let (s, v, _) = post(&base, Some(PAGE), "application/json", r#"{"host":"127.0.0.1","command":"rm"}"#).await;
    assert_eq!((s, v["error"].as_str()), (400, Some("bad-json")));
    assert!(v["message"].as_str().unwrap().contains("unknown field"));
    let huge = json!({"host": "127.0.0.1", "root_pem": "A".repeat(200_000)}).to_string();
    let (s, v, _) = post(&base, Some(PAGE), "application/json", huge).await;
    assert_eq!((s, v["error"].as_str()), (413, Some("body-too-large")));
    let (s, v, _) = post(&base, Some(PAGE), "application/json", r#"{"host":"a b/c"}"#).await;
    assert_eq!((s, v["error"].as_str()), (400, Some("bad-host")));
}

#[tokio::test]
async fn metadata_and_link_local_targets_are_refused_unless_named() {
    let base = start(Config::default()).await;
    for host in ["169.254.169.254", "fe80::1", "0.0.0.0"] {
        let (s, v, _) = post(&base, Some(PAGE), "application/json", json!({"host": host, "port": 80}).to_string()).await;
        assert_eq!((s, v["error"].as_str()), (403, Some("target-not-allowed")), "{host}: {v}");
    }
    let only = Config { target_patterns: vec!["10.0.0.0/8".parse().unwrap()], ..Config::default() };
    let base = start(only).await;
    let (s, v, _) = post(&base, Some(PAGE), "application/json", json!({"host": "127.0.0.1", "port": 5432}).to_string()).await;
    assert_eq!((s, v["error"].as_str()), (403, Some("target-not-allowed")));
    assert!(v["message"].as_str().unwrap().contains("matches no --allow-target"));
}

#[tokio::test]
async fn too_many_at_once_and_per_minute() {
    let port = silent_server();
    let config = Config { max_concurrent: 1, max_per_minute: 2, step_timeout: Duration::from_millis(700), ..Config::default() };
    let base = start(config).await;
    let body = json!({"host": "127.0.0.1", "port": port}).to_string();
    let slow = tokio::spawn({
        let base = base.clone();
        let body = body.clone();
        async move { post(&base, Some(PAGE), "application/json", body).await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (s, v, _) = post(&base, Some(PAGE), "application/json", body.clone()).await;
    assert_eq!((s, v["error"].as_str()), (429, Some("too-many-checks")));
    let (s, v, _) = slow.await.unwrap();
    assert_eq!(s, 200, "a check that times out is a report with LIVE008, not an HTTP error");
    assert_eq!(v["findings"][0]["rule"], "LIVE008");
    let (s, _, _) = post(&base, Some(PAGE), "application/json", body.clone()).await;
    assert_eq!(s, 200);
    let (s, v, _) = post(&base, Some(PAGE), "application/json", body).await;
    assert_eq!((s, v["error"].as_str()), (429, Some("rate-limited")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_check_through_the_relay() {
    let pg = tokio::task::spawn_blocking(|| common::ssl_server(&["ssl = on"], "hostssl all all 127.0.0.1/32 trust\n")).await.unwrap();
    let base = start(Config::default()).await;
    let body = json!({"host": "127.0.0.1", "port": pg.port(), "root_pem": String::from_utf8_lossy(&common::certs().ca_crt)});
    let (s, v, h) = post(&base, Some(PAGE), "application/json; charset=utf-8", body.to_string()).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(h["access-control-allow-origin"], PAGE);
    assert_eq!(v["live"]["ssl_request"], "accepted");
    assert_eq!(v["live"]["plaintext"], "rejected");
    assert_eq!(v["live"]["tls"]["version"], "TLSv1.3");
    let inputs: Vec<&str> = v["inputs"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(inputs, vec!["live", "pem"]);
    assert!(v["checklist"][0]["status"] != "unknown");
}
