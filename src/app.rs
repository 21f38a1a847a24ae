//! The page: the state, the effects that follow it, and the layout.

use yew::prelude::*;

use crate::analysis::Export;
use crate::components::certificates_panel::CertificatesPanel;
use crate::components::embed_view::EmbedView;
use crate::components::exposure_panel::ExposurePanel;
use crate::components::examples_gallery::ExamplesGallery;
use crate::components::explain_panel::ExplainPanel;
use crate::components::findings::Findings;
use crate::components::fix_review::FixReview;
use crate::components::generate_view::GenerateView;
use crate::components::input_panel::InputPanel;
use crate::components::live_check::LiveCheck;
use crate::components::report_section::ReportSection;
use crate::components::who_gets_in::WhoGetsIn;
use crate::components::cipher_panel::CipherPanel;
use crate::components::scorecard::Scorecard;
use crate::components::settings_bar::SettingsBar;
use crate::components::share_bar::ShareBar;
use crate::components::view_nav::ViewNav;
use crate::examples;
use crate::hooks::{use_debounced_analysis, use_fragment_sync};
use crate::infra::browser;
use crate::share::{self, View};
use crate::state::{Action, AppState};

/// The state the page opens with: the link's inputs, or the default example.
pub fn initial_state(fragment: &str) -> AppState {
    use yew::Reducible;
    let shared = share::decode(fragment);
    let state = std::rc::Rc::new(AppState::default());
    let view = shared.view;
    let generate = shared.generate.clone();
    let state = if shared.is_empty() {
        let embed = shared.embed;
        let example = examples::by_id(examples::DEFAULT_EXAMPLE).expect("the default example exists");
        let loaded = state.reduce(Action::LoadExample(example));
        let mut loaded = (*loaded).clone();
        loaded.embed = embed;
        // A link whose every input was unreadable opens the example, and says why.
        loaded.notice = shared.rejection_notice();
        if let Some(host) = shared.host {
            loaded.settings.host = host;
        }
        if let Some(v) = shared.pg_version {
            loaded.settings.pg_version = v;
        }
        std::rc::Rc::new(loaded)
    } else {
        state.reduce(Action::LoadShared(shared))
    };
    // Through the reducer, so that the generator starts from the link's host and version.
    let state = match view {
        Some(view) => state.reduce(Action::SetView(view)),
        None => state,
    };
    let state = if generate.is_empty() { state } else { state.reduce(Action::LoadGenerateForm(generate)) };
    (*state).clone()
}

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The fragment to start from; the page's own URL fragment when absent.
    #[prop_or_default]
    pub fragment: Option<AttrValue>,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let fragment = props.fragment.as_ref().map(|f| f.to_string());
    let state = use_reducer(move || initial_state(&fragment.unwrap_or_else(browser::fragment)));
    let requests = use_debounced_analysis(state.clone());
    use_fragment_sync(state.clone());

    // The callbacks are made once (the dispatcher never changes), so that a keystroke's render
    // of the page leaves the panels whose data did not change alone: a panel re-renders when
    // a prop differs, and a callback made anew on every render always differs.
    let dispatcher = state.dispatcher();
    let on_host = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |host: String, _| dispatcher.dispatch(Action::SetHost(host)))
    };
    let on_load_example = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |example, _| dispatcher.dispatch(Action::LoadExample(example)))
    };
    let on_reveal = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |(file, start, end), _| dispatcher.dispatch(Action::Reveal { file, start, end }))
    };
    let on_reveal_line = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |(file, line), _| dispatcher.dispatch(Action::RevealLine { file, line }))
    };
    let on_apply = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |fix, _| dispatcher.dispatch(Action::ApplyFix(fix)))
    };
    let on_pg_version = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |v, _| dispatcher.dispatch(Action::SetPgVersion(v)))
    };
    let on_dismiss = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |_: MouseEvent, _| dispatcher.dispatch(Action::Notice(None)))
    };
    let on_explain = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |text: String, _| {
            dispatcher.dispatch(Action::AddFiles(vec![("error.txt".to_string(), text.into_bytes())]));
        })
    };
    let on_view = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |view, _| dispatcher.dispatch(Action::SetView(view)))
    };
    let on_generate_change = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |edit, _| dispatcher.dispatch(Action::EditGenerate(edit)))
    };
    let on_generate = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |_, _| dispatcher.dispatch(Action::Generate))
    };
    let on_apply_review = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |_, _| dispatcher.dispatch(Action::ApplyFixReview))
    };
    let on_cancel_review = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |_, _| dispatcher.dispatch(Action::CancelFixReview))
    };
    let on_live_result = {
        let dispatcher = dispatcher.clone();
        use_callback((), move |text: String, _| {
            dispatcher.dispatch(Action::AddFiles(vec![("live-check.json".to_string(), text.into_bytes())]));
        })
    };
    let on_calendar =
        use_callback(requests.export.clone(), |(), export| export.emit(Export::Calendar { now_unix: browser::now_unix() }));
    let on_fix_all = requests.fix_all.clone();

    if state.embed {
        return html! { <EmbedView state={state.clone()} on_more={requests.more_findings.clone()} /> };
    }

    // The engine's explanations of pasted messages, pointing into the other inputs.
    let explanations = state.analysed.as_ref().map(|a| a.result.explanations.clone()).unwrap_or_default();
    let results = match &state.analysed {
        Some(analysed) => {
            let report = &analysed.result.report;
            html! {
                <>
                    <Scorecard report={report.clone()} stale={state.is_stale()} />
                    <ShareBar state={state.clone()} on_export={requests.export.clone()} />
                    if let Some(review) = &state.fix_review {
                        <FixReview review={review.clone()} on_apply={on_apply_review} on_cancel={on_cancel_review} />
                    }
                    <Findings
                        report={report.clone()}
                        sources={analysed.sources.clone()}
                        more={analysed.more.clone()}
                        on_more={requests.more_findings.clone()}
                        on_reveal={on_reveal}
                        on_apply={Some(on_apply)}
                        on_fix_all={Some(on_fix_all)}
                    />
                    <ExposurePanel exposure={report.exposure.clone()} on_reveal_line={on_reveal_line.clone()} />
                    if let Some(target) = &analysed.result.hba {
                        <WhoGetsIn target={target.clone()} answer={state.who.clone()} revision={state.analysed_revision}
                            on_ask={requests.ask_who.clone()} on_reveal_line={on_reveal_line.clone()} />
                    }
                    if let Some(view) = &analysed.result.ciphers {
                        <CipherPanel view={view.clone()} on_reveal_line={on_reveal_line.clone()} />
                    }
                    <CertificatesPanel
                        certificates={report.certificates.clone()}
                        host={AttrValue::from(state.settings.host.clone())}
                        on_host={on_host.clone()}
                        on_download_calendar={Some(on_calendar)}
                    />
                    <ReportSection title="Clients" testid="clients-panel"
                        value={report.clients.clone()} />
                    <ReportSection title="Live result" testid="live-panel"
                        value={report.live.clone()} />
                </>
            }
        }
        _ => html! { <p role="status">{ "Analysing…" }</p> },
    };

    html! {
        <>
            <a class="skip-link" href="#results" onclick={Callback::from(|e: MouseEvent| {
                e.prevent_default();
                browser::focus_by_id("results");
            })}>{ "Skip to the results" }</a>
            <header class="site-header">
                <div class="brand">
                    <h1>{ "pgtls" }</h1>
                    <p class="tagline">{ "PostgreSQL SSL/TLS audit — analysed in your browser, nothing is uploaded." }</p>
                </div>
                <SettingsBar settings={state.settings.clone()} {on_host} {on_pg_version} />
            </header>
            <ViewNav view={state.view} {on_view} />
            if state.view == View::Audit {
                <ExamplesGallery active={state.example} on_load={on_load_example} />
            }
            if let Some(notice) = &state.notice {
                <div class="notice banner" role="status" data-testid="notice">
                    <span>{ notice }</span>
                    <button type="button" class="secondary" onclick={on_dismiss} aria-label="Dismiss the message">{ "×" }</button>
                </div>
            }
            if state.view == View::Generate {
                <GenerateView form={state.generate.clone()} generated={state.generated.clone()}
                    on_edit={on_generate_change} {on_generate} />
            } else {
                <main class="layout">
                    <InputPanel state={state.clone()} />
                    <div class="results" id="results" tabindex="-1" data-audit-ms={format!("{:.1}", state.audit_ms)}
                        data-audit-in={if state.audit_in_worker { "worker" } else { "page" }}>
                        { results }
                        <ExplainPanel {on_explain} explanations={explanations} on_reveal_line={on_reveal_line.clone()} />
                        <LiveCheck on_add_result={on_live_result} default_host={AttrValue::from(state.settings.host.clone())} />
                    </div>
                </main>
            }
            <footer class="site-footer">
                <p>{ "pgtls checks configuration against the PostgreSQL documentation and source. Findings link to the PostgreSQL manual." }</p>
            </footer>
        </>
    }
}
