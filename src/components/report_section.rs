//! A section of the report that an area fills in (exposure matrix, certificates, clients, live
//! result), shown as nested tables. The page renders whatever fields the engine reports, so a
//! new field appears without a page change.

use serde_json::Value;

use crate::analysis::Section;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReportSectionProps {
    pub title: AttrValue,
    pub testid: AttrValue,
    pub value: Section,
}

/// Whether a value has anything to show.
pub fn has_content(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => o.values().any(has_content),
        _ => true,
    }
}

fn label(key: &str) -> String {
    let mut s = key.replace('_', " ");
    if let Some(first) = s.get(0..1) {
        s.replace_range(0..1, &first.to_ascii_uppercase());
    }
    s
}

pub fn render_value(value: &Value) -> Html {
    render(value, false)
}

/// `in_table`: inside a table cell, whose table already scrolls sideways; a nested table gets
/// no scrolling box (and keyboard stop) of its own.
fn render(value: &Value, in_table: bool) -> Html {
    match value {
        Value::Null => html! { <span class="muted">{ "—" }</span> },
        Value::Bool(b) => html! { <span class={if *b { "yes" } else { "no" }}>{ if *b { "yes" } else { "no" } }</span> },
        Value::Number(n) => html! { { n.to_string() } },
        Value::String(s) if s.contains('\n') => html! { <pre>{ s }</pre> },
        Value::String(s) => html! { { s } },
        Value::Array(items) if items.iter().all(|i| i.is_object()) && !items.is_empty() => {
            // A table whose columns are the union of the objects' keys, in first-seen order.
            let mut columns: Vec<&String> = Vec::new();
            for item in items {
                for key in item.as_object().into_iter().flat_map(|o| o.keys()) {
                    if !columns.contains(&key) {
                        columns.push(key);
                    }
                }
            }
            let table = html! {
                <table>
                    <thead><tr>{ for columns.iter().map(|c| html! { <th scope="col">{ label(c) }</th> }) }</tr></thead>
                    <tbody>
                        { for items.iter().map(|item| html! {
                            <tr>{ for columns.iter().map(|c| html! { <td>{ render(item.get(c.as_str()).unwrap_or(&Value::Null), true) }</td> }) }</tr>
                        }) }
                    </tbody>
                </table>
            };
            if in_table {
                return table;
            }
            html! {
                <div class="table-scroll" role="region" tabindex="0"
                    aria-label={format!("Table of {}", columns.iter().map(|c| label(c)).collect::<Vec<_>>().join(", "))}>
                    { table }
                </div>
            }
        }
        Value::Array(items) => html! { <ul class="plain">{ for items.iter().map(|i| html! { <li>{ render(i, in_table) }</li> }) }</ul> },
        Value::Object(map) => html! {
            <dl>
                { for map.iter().filter(|(_, v)| has_content(v)).map(|(k, v)| html! {
                    <><dt>{ label(k) }</dt><dd>{ render(v, in_table) }</dd></>
                }) }
            </dl>
        },
    }
}

#[function_component(ReportSection)]
pub fn report_section(props: &ReportSectionProps) -> Html {
    let value = props.value.value();
    if !has_content(&value) {
        return html! {};
    }
    html! {
        <section class="panel" data-testid={props.testid.clone()}>
            <h2>{ props.title.clone() }</h2>
            { render_value(&value) }
        </section>
    }
}
