//! The rotation calendar: an iCalendar (RFC 5545) file with, for every certificate, an event on
//! the day it expires and one 30 days before, when the alert should fire and rotation start.

use serde::{Deserialize, Serialize};

/// One certificate to put in the calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEntry {
    /// What the certificate is, for the event title (its subject, or a role and file).
    pub title: String,
    /// Where it came from (file name), for the event text.
    pub source: String,
    /// A stable identifier (the SHA-256 fingerprint), so re-imports update rather than duplicate.
    pub id: String,
    /// Whether it is a CA certificate: rotating a CA means distributing a new root first.
    pub is_ca: bool,
    /// Expiry, as Unix seconds.
    pub not_after: i64,
}

/// The calendar entries of a report's certificates, one per distinct certificate (a
/// certificate given in two files is one entry).
pub fn entries(report: &crate::Report) -> Vec<CalendarEntry> {
    let mut out: Vec<CalendarEntry> = Vec::new();
    for c in &report.certificates {
        if out.iter().any(|e| e.id == c.sha256_fingerprint) {
            continue;
        }
        let title = if c.subject.is_empty() { format!("certificate in {}", c.file) } else { c.subject.clone() };
        out.push(CalendarEntry {
            title,
            source: c.file.clone(),
            id: c.sha256_fingerprint.clone(),
            is_ca: c.basic_constraints.as_ref().is_some_and(|b| b.ca),
            not_after: c.timeline.not_after,
        });
    }
    crate::sorting::sort_by_key(&mut out, |e| e.not_after);
    out
}

/// Days before expiry that the alert event is placed.
pub const ALERT_DAYS: i64 = 30;

/// `YYYYMMDDTHHMMSSZ` (iCalendar's UTC DATE-TIME form); the epoch for a time it cannot write.
fn stamp(t: i64) -> String {
    let Some(date) = crate::civil::basic_date(t) else { return "19700101T000000Z".to_string() };
    let secs = t.rem_euclid(86400);
    format!("{date}T{:02}{:02}{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// TEXT escaping (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace("\r\n", "\\n").replace('\n', "\\n")
}

/// Folds a content line at 75 octets, never inside a UTF-8 character (§3.1).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn rotation_steps(entry: &CalendarEntry) -> String {
    if entry.is_ca {
        format!(
            "Rotate the CA certificate {title} ({source}) before it expires:\n\
             1. Create the new CA and add its certificate to every client's sslrootcert (and the server's ssl_ca_file) beside the old one.\n\
             2. Reissue the server certificates under the new CA.\n\
             3. Install them and reload: SELECT pg_reload_conf();\n\
             4. Remove the old CA from the bundles once nothing it signed remains.",
            title = entry.title,
            source = entry.source
        )
    } else {
        format!(
            "Rotate the certificate {title} ({source}) before it expires:\n\
             1. Issue a new certificate with the same names (subjectAltName).\n\
             2. Replace ssl_cert_file and ssl_key_file (key mode 0600, owned by the database user).\n\
             3. Reload: SELECT pg_reload_conf(); no restart is needed.\n\
             4. Check: pgtls check HOST:PORT --root ROOT.crt",
            title = entry.title,
            source = entry.source
        )
    }
}

/// The calendar. `now` is the DTSTAMP of every event.
pub fn ics(entries: &[CalendarEntry], now: i64) -> String {
    let mut out = String::new();
    for line in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//pgtls//certificate rotation//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"] {
        fold(line, &mut out);
    }
    for e in entries {
        let steps = rotation_steps(e);
        let alert_at = e.not_after.saturating_sub(ALERT_DAYS * 86400);
        for (kind, at, summary) in [
            ("alert", alert_at, format!("Rotate {}: expires in {ALERT_DAYS} days", e.title)),
            ("expiry", e.not_after, format!("{} expires today", e.title)),
        ] {
            // A date iCalendar cannot write (outside years 0-9999) has no event.
            let (Some(start), Some(end)) = (crate::civil::basic_date(at), crate::civil::basic_date(at.saturating_add(86400))) else {
                continue;
            };
            fold("BEGIN:VEVENT", &mut out);
            fold(&format!("UID:{kind}-{}@pgtls", e.id), &mut out);
            fold(&format!("DTSTAMP:{}", stamp(now)), &mut out);
            fold(&format!("DTSTART;VALUE=DATE:{start}"), &mut out);
            fold(&format!("DTEND;VALUE=DATE:{end}"), &mut out);
            fold(&format!("SUMMARY:{}", escape(&summary)), &mut out);
            fold(&format!("DESCRIPTION:{}", escape(&format!("Expires {} (UTC).\n{steps}", stamp(e.not_after)))), &mut out);
            fold("TRANSP:TRANSPARENT", &mut out);
            if kind == "alert" {
                for line in ["BEGIN:VALARM", "ACTION:DISPLAY", &format!("DESCRIPTION:{}", escape(&summary)), "TRIGGER:PT9H", "END:VALARM"] {
                    fold(line, &mut out);
                }
            }
            fold("END:VEVENT", &mut out);
        }
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> CalendarEntry {
        CalendarEntry {
            title: "CN=db.example.com, O=Example; Inc".into(),
            source: "server.crt".into(),
            id: "ab12".into(),
            is_ca: false,
            not_after: 1_767_225_600, // 2026-01-01
        }
    }

    #[test]
    fn dtstamp_is_utc_basic_form() {
        assert_eq!(stamp(1_767_225_600 + 3723), "20260101T010203Z");
        assert_eq!(stamp(i64::MAX), "19700101T000000Z");
    }

    #[test]
    fn certificates_far_outside_the_calendar_have_no_events() {
        let mut far = entry();
        far.not_after = i64::MAX;
        assert_eq!(ics(&[far], 1_700_000_000).matches("BEGIN:VEVENT").count(), 0);
    }

    #[test]
    fn two_events_per_certificate_escaped_and_folded() {
        let cal = ics(&[entry()], 1_700_000_000);
        assert!(cal.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(cal.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(cal.matches("BEGIN:VEVENT").count(), 2);
        assert!(cal.contains("DTSTART;VALUE=DATE:20251202\r\n"), "{cal}");
        assert!(cal.contains("DTSTART;VALUE=DATE:20260101\r\n"));
        assert!(cal.contains("O=Example\\; Inc"));
        assert!(cal.contains("UID:alert-ab12@pgtls"));
        for line in cal.split("\r\n") {
            assert!(line.len() <= 75, "unfolded line: {line}");
        }
        assert!(!cal.replace("\r\n", "").contains('\n'), "a bare newline escaped the TEXT escaping");
    }

    #[test]
    fn folding_keeps_characters_whole() {
        let mut out = String::new();
        fold(&"é".repeat(80), &mut out);
        assert!(out.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(out.replace("\r\n ", "").trim_end(), "é".repeat(80));
    }
}
