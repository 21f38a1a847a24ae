//! Reading the relay's answers. Native too, so it is unit tested without a browser.

/// The relay's refusal in words: its message with its code (`{"error": CODE, "message": TEXT}`),
/// or the status and body when the answer is not the relay's JSON.
pub fn refusal_text(status: u16, body: &str) -> String {
    let json = serde_json::from_str::<serde_json::Value>(body).ok();
    let field = |name: &str| json.as_ref().and_then(|v| v.get(name)).and_then(|v| v.as_str()).filter(|s| !s.is_empty());
    match (field("message"), field("error")) {
        (Some(message), Some(code)) => format!("{message} ({code})"),
        (Some(text), None) | (None, Some(text)) => text.to_string(),
        (None, None) => format!("HTTP {status}: {body}"),
    }
}

#[cfg(test)]
mod tests {
    use super::refusal_text;

    #[test]
    fn refusal_shows_the_relay_message_and_code() {
        let body = r#"{"error":"not-loopback","message":"the relay only checks servers on 127.0.0.0/8 or ::1"}"#;
        assert_eq!(refusal_text(403, body), "the relay only checks servers on 127.0.0.0/8 or ::1 (not-loopback)");
        assert_eq!(refusal_text(400, r#"{"error":"bad-port"}"#), "bad-port");
        assert_eq!(refusal_text(502, "Bad Gateway"), "HTTP 502: Bad Gateway");
    }
}
