//! The live check: the only request the page ever makes to something other than its own
//! assets, to the relay on the user's own machine, and only when the user asks.

use gloo::net::http::Request;
use serde::Serialize;

pub const RELAY_ORIGIN: &str = "http://127.0.0.1:8787";
pub const CHECK_PATH: &str = "/api/v1/check";
pub const START_COMMAND: &str = "cargo xtask serve";

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckRequest {
    pub host: String,
    pub port: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_pem: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CheckError {
    /// Nothing answered: the relay is not running (or a CSP/CORS refusal, which looks the same
    /// from inside the page).
    Unreachable,
    /// The relay answered with an error (its JSON error message, or the status).
    Refused(String),
}

/// Asks the relay to check `request`; the answer is the relay's JSON text.
pub async fn check(request: &CheckRequest) -> Result<String, CheckError> {
    let response = Request::post(&format!("{RELAY_ORIGIN}{CHECK_PATH}"))
        .json(request)
        .map_err(|e| CheckError::Refused(e.to_string()))?
        .send()
        .await
        .map_err(|_| CheckError::Unreachable)?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        Err(CheckError::Refused(crate::relay_reply::refusal_text(status, &text)))
    }
}

