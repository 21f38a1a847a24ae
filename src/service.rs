//! The analysis service: the engine's side of the page, which the page talks to in messages.
//!
//! The page sends [`Request`]s and receives [`Reply`]s, both as JSON text. In the browser the
//! service runs in a web worker (src/infra/worker.rs), so that auditing a large set never blocks
//! typing; where no worker can start (the single-file page opened from disk, the component
//! tests) the page calls [`Service::handle`] itself. Either way the answers are the same.

use serde::{Deserialize, Serialize};

use crate::analysis::{self, Export, ExportFile, Outcome, PageFindings, PageResult, Settings, WhoAnswer, WhoQuery};
use crate::document::Document;
use pgtls_audit::fix::{fix_all, FixOutcome};
use pgtls_audit::report::Finding;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Audit these documents; the result is for `revision` of the page's inputs.
    Analyse { revision: u64, documents: Vec<Document>, settings: Settings, now_unix: i64 },
    /// Who gets in, by the pg_hba.conf of the analysis of `revision`.
    WhoGetsIn { revision: u64, query: WhoQuery },
    /// Every safe fix for these documents (the inputs of `revision`), for the user to review.
    FixAll { revision: u64, documents: Vec<Document>, settings: Settings, now_unix: i64 },
    /// A file made from the report of the analysis of `revision`.
    Export { revision: u64, export: Export },
    /// The findings of the checklist group of `item` that the result of `revision` left out.
    MoreFindings { revision: u64, item: Option<u8> },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// `audit_ms` is the time the audit took where it ran, `in_worker` whether that was a
    /// worker.
    Analysed { revision: u64, result: PageResult, audit_ms: f64, in_worker: bool },
    /// None when the analysis has no pg_hba.conf or is not that revision's any more.
    WhoGetsIn { revision: u64, query: WhoQuery, answer: Option<WhoAnswer> },
    FixAll { revision: u64, outcome: FixOutcome },
    Exported { file: ExportFile },
    /// None when the analysis is not that revision's any more.
    MoreFindings { revision: u64, item: Option<u8>, findings: Option<Vec<Finding>> },
    /// The request could not be read (a page and worker of different builds).
    Refused { message: String },
}

/// Holds the latest analysis, for the questions asked about it.
#[derive(Default)]
pub struct Service {
    latest: Option<(u64, Outcome)>,
    in_worker: bool,
}

impl Service {
    /// The service a worker hosts (its replies say so).
    pub fn in_worker() -> Service {
        Service { in_worker: true, ..Service::default() }
    }

    /// `clock_ms` reads a monotonic clock, to time the audit.
    pub fn handle(&mut self, request: Request, clock_ms: impl Fn() -> f64) -> Reply {
        match request {
            Request::Analyse { revision, documents, settings, now_unix } => {
                let started = clock_ms();
                let outcome = analysis::run(&documents, &settings, now_unix);
                let result = PageResult::of(&outcome, &settings, now_unix);
                let audit_ms = clock_ms() - started;
                self.latest = Some((revision, outcome));
                Reply::Analysed { revision, result, audit_ms, in_worker: self.in_worker }
            }
            Request::WhoGetsIn { revision, query } => {
                let answer = match &self.latest {
                    Some((r, outcome)) if *r == revision => analysis::who_gets_in(outcome, &query),
                    _ => None,
                };
                Reply::WhoGetsIn { revision, query, answer }
            }
            Request::FixAll { revision, documents, settings, now_unix } => {
                let outcome = fix_all(&analysis::inputs(&documents), &settings.options(now_unix));
                Reply::FixAll { revision, outcome }
            }
            Request::MoreFindings { revision, item } => {
                let findings = match &self.latest {
                    Some((r, outcome)) if *r == revision => Some(PageFindings::rest(&outcome.report.findings, item)),
                    _ => None,
                };
                Reply::MoreFindings { revision, item, findings }
            }
            Request::Export { revision, export } => match &self.latest {
                Some((r, outcome)) if *r == revision => Reply::Exported { file: export.of(&outcome.report) },
                _ => Reply::Refused { message: "the inputs changed since this result: export again once it is up to date".into() },
            },
        }
    }

    /// The same over JSON text, as the worker receives and sends it.
    pub fn handle_json(&mut self, request: &str, clock_ms: impl Fn() -> f64) -> String {
        let reply = match read_request(request) {
            Ok(request) => self.handle(request, clock_ms),
            Err(message) => Reply::Refused { message },
        };
        reply_json(&reply)
    }
}

/// A request as the worker receives it; what to refuse it with when it cannot be read.
pub fn read_request(text: &str) -> Result<Request, String> {
    serde_json::from_str::<Request>(text).map_err(|e| format!("the analysis request could not be read: {e}"))
}

/// A reply as the worker sends it.
pub fn reply_json(reply: &Reply) -> String {
    serde_json::to_string(reply).unwrap_or_else(|e| {
        serde_json::to_string(&Reply::Refused { message: format!("the analysis could not be sent: {e}") })
            .expect("a plain message serialises")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;

    fn documents() -> Vec<Document> {
        let example = examples::by_id(examples::DEFAULT_EXAMPLE).unwrap();
        example.files.iter().zip(0..).map(|(f, id)| Document::text(id, f.name, f.kind, f.text)).collect()
    }

    fn analyse(service: &mut Service, revision: u64) -> PageResult {
        let request = Request::Analyse { revision, documents: documents(), settings: Settings::default(), now_unix: 1_780_000_000 };
        let json = serde_json::to_string(&request).unwrap();
        match serde_json::from_str(&service.handle_json(&json, || 0.0)).unwrap() {
            Reply::Analysed { revision: r, result, .. } => {
                assert_eq!(r, revision);
                result
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_result_crosses_json_unchanged() {
        let docs = documents();
        let settings = Settings::default();
        let outcome = analysis::run(&docs, &settings, 1_780_000_000);
        let direct = PageResult::of(&outcome, &settings, 1_780_000_000);
        let sent = analyse(&mut Service::default(), 1);
        assert_eq!(sent, direct);
        // The page's view of the report is the report: the same findings and checklist, and
        // the sections as JSON values of the report's own.
        let r = &outcome.report;
        assert_eq!(sent.report.findings, PageFindings::of(&r.findings));
        assert_eq!(sent.report.findings.shown, r.findings, "the example's groups are all under the limit");
        assert_eq!(sent.report.checklist, r.checklist);
        assert_eq!((sent.report.score, &sent.report.grade), (r.score, &r.grade));
        assert_eq!(sent.report.exposure.value(), serde_json::to_value(&r.exposure).unwrap());
        assert_eq!(sent.report.certificates.value(), serde_json::to_value(&r.certificates).unwrap());
        assert_eq!(sent.report.clients.value(), serde_json::to_value(&r.clients).unwrap());
        assert!(sent.report.exposure.value().is_object() && sent.report.clients.value().as_array().is_some_and(|c| !c.is_empty()));
        assert!(sent.hba.is_some() && sent.ciphers.is_some());
    }

    #[test]
    fn explanations_cross_json_with_their_catalogue_ids() {
        let mut docs = documents();
        docs.push(Document::text(99, "error.txt", pgtls_audit::InputKind::ErrorMessage,
            "psql: error: connection to server at \"db\" (10.0.0.5), port 5432 failed: FATAL:  no pg_hba.conf entry for host \"10.0.0.9\", user \"app\", database \"app\", no encryption"));
        let settings = Settings::default();
        let outcome = analysis::run(&docs, &settings, 1_780_000_000);
        let direct = PageResult::of(&outcome, &settings, 1_780_000_000);
        assert!(!direct.explanations.is_empty() && !direct.explanations[0].1.is_empty());
        let json = serde_json::to_string(&direct).unwrap();
        assert_eq!(serde_json::from_str::<PageResult>(&json).unwrap(), direct);
        // An id the catalogue does not know is refused, not invented.
        let bad = json.replace(direct.explanations[0].1[0].id, "no-such-family");
        assert!(serde_json::from_str::<PageResult>(&bad).unwrap_err().to_string().contains("no-such-family"));
    }

    #[test]
    fn a_group_over_the_limit_is_sent_in_part_and_the_rest_on_request() {
        use crate::analysis::GROUP_LIMIT;
        let hba: String = (0..150).map(|i| format!("host all all 10.{i}.0.0/16 md5\n")).collect();
        let documents = vec![Document::text(1, "pg_hba.conf", pgtls_audit::InputKind::PgHba, &hba)];
        let settings = Settings::default();
        let all = analysis::run(&documents, &settings, 1_780_000_000).report.findings;
        let mut service = Service::default();
        let request = Request::Analyse { revision: 5, documents, settings, now_unix: 1_780_000_000 };
        let Reply::Analysed { result, .. } = service.handle(request, || 0.0) else { panic!("no result") };
        let page = &result.report.findings;
        assert_eq!(page.total, all.len());
        assert!(!page.left_out.is_empty(), "150 md5 lines make groups of more than {GROUP_LIMIT}");
        let mut items: Vec<Option<u8>> = all.iter().map(|f| f.item).collect();
        items.dedup();
        for item in items {
            let group: Vec<Finding> = all.iter().filter(|f| f.item == item).cloned().collect();
            let shown: Vec<Finding> = page.shown.iter().filter(|f| f.item == item).cloned().collect();
            assert_eq!(shown.len(), group.len().min(GROUP_LIMIT));
            assert_eq!(page.left_out(item), group.len() - shown.len());
            let rest = match service.handle(Request::MoreFindings { revision: 5, item }, || 0.0) {
                Reply::MoreFindings { revision: 5, item: i, findings: Some(rest) } if i == item => rest,
                other => panic!("{other:?}"),
            };
            assert_eq!([shown, rest].concat(), group, "the shown findings and the rest make the group, in order");
        }
        // The files' counts and lines are of every finding, not only the shown ones.
        let (name, file) = &page.files[0];
        assert_eq!((name.as_str(), file.count, page.files.len()), ("pg_hba.conf", all.len(), 1));
        assert_eq!(file.lines, (1..=150).collect::<Vec<usize>>());
        assert!(matches!(
            service.handle(Request::MoreFindings { revision: 4, item: Some(3) }, || 0.0),
            Reply::MoreFindings { revision: 4, findings: None, .. }
        ));
    }

    #[test]
    fn who_gets_in_is_answered_for_the_latest_revision_only() {
        let mut service = Service::default();
        analyse(&mut service, 3);
        let query = WhoQuery { address: "203.0.113.10".into(), database: "app".into(), user: "app_user".into(), ssl: true, replication: false };
        let ask = |service: &mut Service, revision| match service.handle(Request::WhoGetsIn { revision, query: query.clone() }, || 0.0) {
            Reply::WhoGetsIn { answer, .. } => answer,
            other => panic!("{other:?}"),
        };
        let answer = ask(&mut service, 3).expect("the example has a pg_hba.conf");
        assert!(answer.is_ok());
        assert_eq!(ask(&mut service, 2), None);
        let bad = WhoQuery { address: "not an address".into(), ..query.clone() };
        match service.handle(Request::WhoGetsIn { revision: 3, query: bad }, || 0.0) {
            Reply::WhoGetsIn { answer: Some(Err(problem)), .. } => assert!(!problem.is_empty()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fix_all_is_the_engines() {
        let documents = documents();
        let settings = Settings::default();
        let expected = fix_all(&analysis::inputs(&documents), &settings.options(1_780_000_000));
        let request = Request::FixAll { revision: 4, documents, settings, now_unix: 1_780_000_000 };
        let reply = Service::default().handle_json(&serde_json::to_string(&request).unwrap(), || 0.0);
        match serde_json::from_str(&reply).unwrap() {
            Reply::FixAll { revision: 4, outcome } => {
                assert_eq!(outcome, expected);
                assert!(!outcome.files.is_empty(), "the default example has safe fixes");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn exports_are_made_from_the_latest_analysis_only() {
        let mut service = Service::default();
        analyse(&mut service, 4);
        let outcome = analysis::run(&documents(), &Settings::default(), 1_780_000_000);
        let ask = |service: &mut Service, revision, export| {
            let json = serde_json::to_string(&Request::Export { revision, export }).unwrap();
            serde_json::from_str::<Reply>(&service.handle_json(&json, || 0.0)).unwrap()
        };
        match ask(&mut service, 4, Export::Json) {
            Reply::Exported { file } => {
                assert_eq!((file.name.as_str(), file.mime.as_str()), ("pgtls-report.json", "application/json"));
                assert_eq!(file.content, analysis::report_json(&outcome.report));
            }
            other => panic!("{other:?}"),
        }
        match ask(&mut service, 4, Export::Markdown) {
            Reply::Exported { file } => assert_eq!(file.content, pgtls_audit::render::markdown::render(&outcome.report)),
            other => panic!("{other:?}"),
        }
        match ask(&mut service, 4, Export::Calendar { now_unix: 1_780_000_000 }) {
            Reply::Exported { file } => assert!(file.content.starts_with("BEGIN:VCALENDAR"), "{}", file.content),
            other => panic!("{other:?}"),
        }
        assert!(matches!(ask(&mut service, 3, Export::Json), Reply::Refused { .. }));
    }

    #[test]
    fn an_unreadable_request_is_refused_with_a_message() {
        let reply = Service::default().handle_json("{\"Analyse\": 7}", || 0.0);
        match serde_json::from_str::<Reply>(&reply).unwrap() {
            Reply::Refused { message } => assert!(message.contains("could not be read"), "{message}"),
            other => panic!("{other:?}"),
        }
    }
}
