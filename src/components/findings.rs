//! The findings, grouped by checklist item.

use pgtls_audit::report::FixOut;
use pgtls_audit::Report;
use yew::prelude::*;

use crate::components::finding_card::FindingCard;
use crate::document::Document;

#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    pub report: Report,
    pub documents: Vec<Document>,
    pub on_reveal: Callback<(String, usize, usize)>,
    pub on_apply: Option<Callback<FixOut>>,
    #[prop_or(true)]
    pub can_reveal: bool,
    /// Computes every automatic fix for review; absent in the read-only embed view.
    #[prop_or_default]
    pub on_fix_all: Option<Callback<()>>,
}

#[function_component(Findings)]
pub fn findings(props: &FindingsProps) -> Html {
    let report = &props.report;
    let fixable = report.findings.iter().any(|f| f.fix.as_ref().is_some_and(|x| !x.edits.is_empty()));
    let groups = report
        .checklist
        .iter()
        .map(|e| (Some(e.item), format!("{}. {}", e.item, e.title), format!("item-{}", e.item)))
        .chain(std::iter::once((None, "Outside the checklist".to_string(), "item-other".to_string())));
    let rendered = groups.filter_map(|(item, heading, anchor)| {
        let findings: Vec<_> = report.findings.iter().filter(|f| f.item == item).collect();
        if findings.is_empty() {
            return None;
        }
        let cards = findings.into_iter().map(|f| {
            let doc = props.documents.iter().find(|d| d.name == f.file);
            let excerpt = doc
                .filter(|d| !d.is_binary())
                .and_then(|d| d.text.lines().nth(f.line.saturating_sub(1)).map(str::to_string));
            html! {
                <FindingCard
                    finding={f.clone()}
                    {excerpt}
                    can_reveal={props.can_reveal && doc.is_some()}
                    on_reveal={props.on_reveal.clone()}
                    on_apply={props.on_apply.clone()}
                />
            }
        });
        Some(html! {
            <section class="finding-group" aria-labelledby={anchor.clone()}>
                <h3 id={anchor}>{ heading }</h3>
                { for cards }
            </section>
        })
    });
    html! {
        <section class="findings" aria-labelledby="findings-heading">
            <div class="findings-head">
                <h2 id="findings-heading">{ "Findings" }</h2>
                if let (Some(cb), true) = (&props.on_fix_all, fixable) {
                    <button type="button" data-testid="fix-all" onclick={cb.reform(|_: MouseEvent| ())}>{ "Fix all…" }</button>
                }
            </div>
            if report.findings.is_empty() {
                <p class="empty" data-testid="no-findings">{ "No findings for these inputs." }</p>
            }
            { for rendered }
        </section>
    }
}
