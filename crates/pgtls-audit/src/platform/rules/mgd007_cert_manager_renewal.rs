use crate::diagnostic::{Activation, Diagnostic, Fix};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "MGD007",
    title: "cert-manager renews too late or issues too long",
    severity: crate::Severity::Warning,
    item: Some(5),
    docs_url: "https://www.postgresql.org/docs/current/ssl-tcp.html",
    help: "Automated rotation needs slack: renewing less than 30 days before expiry leaves no time \
           to notice a failed renewal, and a certificate valid for more than 398 days is a sign \
           the rotation is not really routine.",
    doc: crate::rule_doc!(r#"
**What it finds.** A cert-manager `Certificate` whose `renewBefore` (or `renewBeforePercentage`, or
the default of a third of the duration) is under 30 days, or, unless it is a CA (`isCA: true`),
whose `duration` is over 398 days.

**Why it matters.** Expiry alerts fire 30 days ahead; a renewal window shorter than that means a
renewal failure becomes an outage before anyone acts. Long lifetimes make rotation rare enough to
be forgotten, and public CAs refuse them.

**Example.** `duration: 9600h` (400 days) with `renewBefore: 240h` (10 days).

**Fix.** `duration: 2160h` (90 days) and `renewBefore: 840h` (35 days). PostgreSQL picks the
renewed Secret up on `SELECT pg_reload_conf()`; operators such as CloudNativePG reload by themselves.

**References.** PostgreSQL "Secure TCP/IP Connections with SSL" (certificates are reloaded on
SIGHUP); cert-manager "Certificate resource".
"#),
};

const DAY: i64 = 86400;

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for c in &cx.model.platform.certificates {
        let fix = || {
            Fix::new("issue for 90 days and renew 35 days before expiry")
                .snippet("spec:\n  duration: 2160h\n  renewBefore: 840h")
                .activation(Activation::Deploy)
        };
        let duration = c.duration.as_ref().map_or(90 * DAY, |d| d.value);
        if let Some(d) = c.duration.as_ref().filter(|d| d.value > 398 * DAY && !c.is_ca) {
            out.push(
                Diagnostic::new(&META, d.location, format!("Certificate {} lasts {} days, longer than 398", c.name, d.value / DAY)).with_fix(fix()),
            );
        }
        let (renew, location) = match (&c.renew_before, &c.renew_before_percentage) {
            (Some(r), _) => (r.value, r.location),
            (None, Some(p)) => (duration * p.value / 100, p.location),
            (None, None) => (duration / 3, c.duration.as_ref().map_or(c.location, |d| d.location)),
        };
        if renew < 30 * DAY {
            out.push(
                Diagnostic::new(
                    &META,
                    location,
                    format!("Certificate {} renews {} day(s) before expiry, less than the 30 days an expiry alert gives", c.name, renew / DAY),
                )
                .with_fix(fix()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::platform::rules::testing::findings;

    fn cert(spec: &str) -> String {
        format!("apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: pg\nspec:\n{spec}")
    }

    #[test]
    fn windows_and_lifetimes() {
        assert_eq!(findings("MGD007", "c.yaml", &cert("  duration: 9600h\n  renewBefore: 240h\n"), 0, 16).len(), 2);
        assert!(findings("MGD007", "c.yaml", &cert("  duration: 2160h\n  renewBefore: 840h\n"), 0, 16).is_empty());
        // The default window is a third of the duration: 30 days of 90 is not under 30.
        assert!(findings("MGD007", "c.yaml", &cert("  secretName: x\n"), 0, 16).is_empty());
        assert_eq!(findings("MGD007", "c.yaml", &cert("  duration: 720h\n"), 0, 16).len(), 1);
        assert_eq!(findings("MGD007", "c.yaml", &cert("  duration: 2160h\n  renewBeforePercentage: 10\n"), 0, 16).len(), 1);
        assert!(findings("MGD007", "c.yaml", &cert("  isCA: true\n  duration: 87600h\n  renewBefore: 2160h\n"), 0, 16).is_empty());
    }
}
