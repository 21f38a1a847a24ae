//! The findings, grouped by checklist item. A group shows its first
//! [`GROUP_LIMIT`](crate::analysis::GROUP_LIMIT) findings and a button for the rest: a set of
//! fifty files can have thousands, and drawing them all on every analysis would hold the page
//! for a noticeable moment. The result brings only the findings shown at first; the rest of a
//! group comes from the analysis service when the button asks for it.

use std::collections::BTreeSet;
use std::rc::Rc;

use pgtls_audit::report::{Finding, FixOut};
use yew::prelude::*;

use crate::analysis::PageReport;
use crate::components::finding_card::FindingCard;
use crate::state::{FindingSource, MoreFindings};

#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    /// Shared, so that rendering the page does not copy thousands of findings.
    /// Compared by pointer first (`PageReport` is `Eq`), so that a keystroke's render of the
    /// page does not redraw or even compare the findings.
    pub report: Rc<PageReport>,
    /// Where each shown finding is among the inputs, in the order of `report.findings.shown`.
    pub sources: Rc<[FindingSource]>,
    /// The rest of the groups opened in full.
    pub more: Rc<Vec<MoreFindings>>,
    /// Asks for the rest of a group (by its checklist item).
    pub on_more: Callback<Option<u8>>,
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
    // The groups whose rest has been asked for, for the result they were asked of.
    let requested = use_state(|| (report.clone(), BTreeSet::<Option<u8>>::new()));
    let asked = |item: Option<u8>| Rc::ptr_eq(&requested.0, report) && requested.1.contains(&item);
    let card = |f: &Finding, source: Option<&FindingSource>| {
        let source = source.cloned().unwrap_or_default();
        html! {
            <FindingCard
                finding={f.clone()}
                excerpt={source.line}
                can_reveal={props.can_reveal && source.in_inputs}
                on_reveal={props.on_reveal.clone()}
                on_apply={props.on_apply.clone()}
            />
        }
    };
    let groups = report
        .checklist
        .iter()
        .map(|e| (Some(e.item), format!("{}. {}", e.item, e.title), format!("item-{}", e.item)))
        .chain(std::iter::once((None, "Outside the checklist".to_string(), "item-other".to_string())));
    let rendered = groups.filter_map(|(item, heading, anchor)| {
        let shown: Vec<_> = report.findings.shown.iter().enumerate().filter(|(_, f)| f.item == item).collect();
        if shown.is_empty() {
            return None;
        }
        let more = props.more.iter().find(|m| m.item == item);
        let cards = shown.into_iter().map(|(i, f)| card(f, props.sources.get(i)));
        let more_cards = more.into_iter().flat_map(|m| m.findings.iter().zip(0..).map(|(f, i)| card(f, m.sources.get(i))));
        let left_out = report.findings.left_out(item);
        let show_all = (left_out > 0 && more.is_none()).then(|| {
            let waiting = asked(item);
            let onclick = {
                let (requested, report, on_more) = (requested.clone(), report.clone(), props.on_more.clone());
                Callback::from(move |_: MouseEvent| {
                    let mut items = if Rc::ptr_eq(&requested.0, &report) { requested.1.clone() } else { BTreeSet::new() };
                    if items.insert(item) {
                        requested.set((report.clone(), items));
                        on_more.emit(item);
                    }
                })
            };
            let label = if waiting { format!("Loading the other {left_out} findings…") } else { format!("Show the other {left_out} findings") };
            html! {
                <button type="button" class="secondary" data-testid="show-all-findings" aria-busy={waiting.to_string()} {onclick}>
                    { label }
                </button>
            }
        });
        Some(html! {
            <section class="finding-group" aria-labelledby={anchor.clone()}>
                <h3 id={anchor}>{ heading }</h3>
                { for cards }
                { for more_cards }
                { for show_all }
            </section>
        })
    });
    html! {
        <section class="findings" aria-labelledby="findings-heading">
            <div class="findings-head">
                <h2 id="findings-heading">{ "Findings" }</h2>
                if let (Some(cb), true) = (&props.on_fix_all, report.findings.fixable) {
                    <button type="button" data-testid="fix-all" onclick={cb.reform(|_: MouseEvent| ())}>{ "Fix all…" }</button>
                }
            </div>
            if report.findings.total == 0 {
                <p class="empty" data-testid="no-findings">{ "No findings for these inputs." }</p>
            }
            { for rendered }
        </section>
    }
}
