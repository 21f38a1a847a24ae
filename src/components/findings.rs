//! The findings, grouped by checklist item. A group shows its first [`GROUP_LIMIT`] findings and
//! a button for the rest: a set of fifty files can have thousands, and drawing them all on every
//! analysis would hold the page for a noticeable moment.

use std::collections::BTreeSet;
use std::rc::Rc;

use pgtls_audit::report::FixOut;
use crate::analysis::PageReport;
use yew::prelude::*;

use crate::components::finding_card::FindingCard;
use crate::state::FindingSource;

#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    /// Shared, so that rendering the page does not copy thousands of findings.
    /// Compared by pointer first (`PageReport` is `Eq`), so that a keystroke's render of the
    /// page does not redraw or even compare the findings.
    pub report: Rc<PageReport>,
    /// Where each finding is among the inputs, in the report's order.
    pub sources: Rc<[FindingSource]>,
    pub on_reveal: Callback<(String, usize, usize)>,
    pub on_apply: Option<Callback<FixOut>>,
    #[prop_or(true)]
    pub can_reveal: bool,
    /// Computes every automatic fix for review; absent in the read-only embed view.
    #[prop_or_default]
    pub on_fix_all: Option<Callback<()>>,
}

/// Findings shown per group before "Show all".
pub const GROUP_LIMIT: usize = 100;

#[function_component(Findings)]
pub fn findings(props: &FindingsProps) -> Html {
    // The groups the user opened in full, by anchor.
    let opened = use_state(BTreeSet::<String>::new);
    let report = &props.report;
    let fixable = report.findings.iter().any(|f| f.fix.as_ref().is_some_and(|x| !x.edits.is_empty()));
    let groups = report
        .checklist
        .iter()
        .map(|e| (Some(e.item), format!("{}. {}", e.item, e.title), format!("item-{}", e.item)))
        .chain(std::iter::once((None, "Outside the checklist".to_string(), "item-other".to_string())));
    let rendered = groups.filter_map(|(item, heading, anchor)| {
        let findings: Vec<_> = report.findings.iter().enumerate().filter(|(_, f)| f.item == item).collect();
        if findings.is_empty() {
            return None;
        }
        let total = findings.len();
        let shown = if opened.contains(&anchor) { total } else { total.min(GROUP_LIMIT) };
        let cards = findings.into_iter().take(shown).map(|(i, f)| {
            let source = props.sources.get(i).cloned().unwrap_or_default();
            html! {
                <FindingCard
                    finding={f.clone()}
                    excerpt={source.line}
                    can_reveal={props.can_reveal && source.in_inputs}
                    on_reveal={props.on_reveal.clone()}
                    on_apply={props.on_apply.clone()}
                />
            }
        });
        let show_all = (shown < total).then(|| {
            let (opened, anchor) = (opened.clone(), anchor.clone());
            let onclick = Callback::from(move |_: MouseEvent| {
                let mut open = (*opened).clone();
                open.insert(anchor.clone());
                opened.set(open);
            });
            html! {
                <button type="button" class="secondary" data-testid="show-all-findings" {onclick}>
                    { format!("Show the other {} findings", total - shown) }
                </button>
            }
        });
        Some(html! {
            <section class="finding-group" aria-labelledby={anchor.clone()}>
                <h3 id={anchor}>{ heading }</h3>
                { for cards }
                { for show_all }
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
