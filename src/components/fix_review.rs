//! "Fix all", reviewed before anything changes: each changed file as a unified diff, the score
//! before and after (the engine's audit of the fixed files), the findings that still need a
//! person's decision; then apply, download the fixed files, or cancel.

use std::rc::Rc;

use pgtls_audit::fix::FixedFile;
use yew::prelude::*;

use crate::archive::{self, Entry};
use crate::infra::browser;
use crate::state::FixReview as Review;

#[derive(Properties, PartialEq)]
pub struct FixReviewProps {
    pub review: Rc<Review>,
    pub on_apply: Callback<()>,
    pub on_cancel: Callback<()>,
}

/// The diff's lines, each marked as added, removed, a hunk header or context.
fn diff_lines(diff: &str) -> Html {
    let lines = diff.split_inclusive('\n').map(|line| {
        let class = if line.starts_with("+++") || line.starts_with("---") {
            "diff-file"
        } else if line.starts_with("@@") {
            "diff-hunk"
        } else if line.starts_with('+') {
            "diff-add"
        } else if line.starts_with('-') {
            "diff-del"
        } else {
            "diff-context"
        };
        html! { <span class={class}>{ line }</span> }
    });
    html! { <>{ for lines }</> }
}

fn file_diff(file: &FixedFile) -> Html {
    html! {
        <figure class="fix-diff" data-testid="fix-diff" data-file={file.name.clone()}>
            <figcaption><code>{ &file.name }</code></figcaption>
            <pre class="diff" role="region" tabindex="0" aria-label={format!("Changes to {}, as a unified diff", file.name)}><code>{ diff_lines(&file.diff) }</code></pre>
        </figure>
    }
}

#[function_component(FixReview)]
pub fn fix_review(props: &FixReviewProps) -> Html {
    let heading = use_node_ref();
    let download_error = use_state(|| None::<String>);
    // The review replaces what the user was looking at: move the focus to it.
    {
        let heading = heading.clone();
        use_effect_with(props.review.revision, move |_| {
            if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                let _ = h.focus();
            }
        });
    }
    let outcome = &props.review.outcome;
    let on_download = {
        let (review, failed) = (props.review.clone(), download_error.clone());
        Callback::from(move |_: MouseEvent| {
            let files = &review.outcome.files;
            let entries: Vec<Entry> =
                files.iter().map(|f| Entry { name: &f.name, bytes: f.after.as_bytes(), executable: false }).collect();
            match archive::zip(&entries, browser::now_unix()) {
                Ok(bytes) => {
                    failed.set(None);
                    browser::download_bytes("pgtls-fixed.zip", "application/zip", &bytes);
                }
                Err(e) => failed.set(Some(e.to_string())),
            }
        })
    };
    let plural = |n: usize, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    let applied = outcome.applied.iter().map(|n| {
        html! {
            <li data-testid="fix-applied" data-rule={n.rule.clone()}>
                <span class="rule-id">{ &n.rule }</span>{ " " }
                <span class="muted">{ format!("{}:{}", n.file, n.line) }</span>{ " " }
                { if n.fix.is_empty() { n.message.clone() } else { n.fix.clone() } }
            </li>
        }
    });
    let manual = outcome.manual.iter().map(|n| {
        html! {
            <li data-testid="fix-manual" data-rule={n.rule.clone()}>
                <span class="rule-id">{ &n.rule }</span>{ " " }
                <span class="muted">{ format!("{}:{}", n.file, n.line) }</span>{ " " }
                { &n.message }
                if !n.fix.is_empty() { <br /><span class="muted">{ format!("Fix: {}", n.fix) }</span> }
            </li>
        }
    });
    html! {
        <section class="panel fix-review" data-testid="fix-review" aria-labelledby="fix-review-heading">
            <h2 id="fix-review-heading" tabindex="-1" ref={heading}>{ "Review the automatic fixes" }</h2>
            <p class="fix-score" data-testid="fix-score">
                { "Score " }
                <strong data-testid="fix-score-before">{ outcome.score_before }</strong>
                { " → " }
                <strong data-testid="fix-score-after">{ outcome.score_after }</strong>
                <span class="muted">{ format!(
                    " after {} in {}, audited again. Nothing has changed yet.",
                    plural(outcome.applied.len(), "fix", "fixes"),
                    plural(outcome.files.len(), "file", "files"),
                ) }</span>
            </p>
            <div class="export-row">
                <button type="button" data-testid="fix-apply" onclick={props.on_apply.reform(|_: MouseEvent| ())}>{ "Apply to the inputs" }</button>
                <button type="button" data-testid="fix-download" onclick={on_download}>{ "Download the fixed files (.zip)" }</button>
                <button type="button" class="secondary" data-testid="fix-cancel" onclick={props.on_cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            </div>
            if let Some(message) = &*download_error {
                <p class="notice" role="alert">{ message }</p>
            }
            { for outcome.files.iter().map(file_diff) }
            <details>
                <summary>{ format!("What was fixed ({})", outcome.applied.len()) }</summary>
                <ul class="plain">{ for applied }</ul>
            </details>
            if !outcome.manual.is_empty() {
                <h3>{ format!("Left for a decision, not applied ({})", outcome.manual.len()) }</h3>
                <p class="hint">{ "These findings remain after the fixes: their fix depends on your network, clients or certificates." }</p>
                <ul class="plain fix-manual" data-testid="fix-manual-list">{ for manual }</ul>
            }
        </section>
    }
}
