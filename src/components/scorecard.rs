//! The six-item checklist, the score and the grade.

use std::rc::Rc;

use pgtls_audit::checklist::Status;
use crate::analysis::PageReport;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScorecardProps {
    /// Shared, so that rendering the page does not copy thousands of findings.
    pub report: Rc<PageReport>,
    /// The inputs changed and the analysis is about to follow.
    #[prop_or_default]
    pub stale: bool,
}

pub fn status_label(status: Status) -> &'static str {
    match status {
        Status::Pass => "Pass",
        Status::Warn => "Warning",
        Status::Fail => "Fail",
        Status::Unknown => "Unknown",
    }
}

fn status_icon(status: Status) -> &'static str {
    match status {
        Status::Pass => "✓",
        Status::Warn => "!",
        Status::Fail => "✗",
        Status::Unknown => "?",
    }
}

#[function_component(Scorecard)]
pub fn scorecard(props: &ScorecardProps) -> Html {
    let report = &props.report;
    // The ring's arc is drawn with SVG attributes, not inline styles, which the CSP forbids.
    let circumference = 2.0 * std::f64::consts::PI * 42.0;
    let filled = circumference * f64::from(report.score) / 100.0;
    let grade_class = format!("grade-{}", report.grade.to_ascii_lowercase());
    let items = report.checklist.iter().map(|entry| {
        let status = entry.status.as_str();
        let count = entry.findings.len();
        html! {
            <li class={classes!("check", format!("status-{status}"))} data-testid="checklist-item" data-item={entry.item.to_string()} data-status={status}>
                <span class="check-badge" aria-hidden="true">{ status_icon(entry.status) }</span>
                <span class="check-title"><span class="check-number">{ entry.item }{ ". " }</span>{ &entry.title }</span>
                <span class="check-status">{ status_label(entry.status) }</span>
                if count > 0 {
                    <a class="check-link" href={format!("#item-{}", entry.item)}>{ format!("{count} rule{}", if count == 1 { "" } else { "s" }) }</a>
                }
            </li>
        }
    });
    html! {
        <section class={classes!("scorecard", props.stale.then_some("stale"))} aria-labelledby="score-heading" aria-busy={props.stale.to_string()}>
            <h2 id="score-heading" class="visually-hidden">{ "Score" }</h2>
            <div class={classes!("score-ring", grade_class)}>
                <svg viewBox="0 0 100 100" aria-hidden="true" focusable="false">
                    <circle class="ring-track" cx="50" cy="50" r="42" />
                    <circle class={classes!("ring-fill", (report.score == 0).then_some("empty"))} cx="50" cy="50" r="42" transform="rotate(-90 50 50)"
                        stroke-dasharray={format!("{filled:.2} {circumference:.2}")} />
                </svg>
                <div class="score-text">
                    <span class="score-value" data-testid="score">{ report.score }</span>
                    <span class="score-max">{ "/ 100" }</span>
                </div>
            </div>
            <div class="grade-box">
                <span class="grade-label">{ "Grade" }</span>
                <span class="grade-value" data-testid="grade">{ &report.grade }</span>
                <span class="finding-total">{ format!("{} finding{}", report.findings.total, if report.findings.total == 1 { "" } else { "s" }) }</span>
            </div>
            <ol class="checklist" aria-label="Hardening checklist">{ for items }</ol>
        </section>
    }
}
