//! The analysis service's transport: a web worker running the page's own wasm, or, where no
//! worker can start, the service called in the page itself.
//!
//! The worker is `static/worker.js` started as a module worker with the URL of the page's JS
//! glue (the one `loader.js` loaded), and the page's compiled wasm module as its first message,
//! so the wasm is neither fetched nor compiled again. When the wasm starts inside the worker,
//! `main` sees a worker scope and calls [`serve`] instead of rendering. Requests and replies are JSON text ([`crate::service`]). A worker that fails to
//! start, or dies, is replaced by the in-page service, which is sent the latest analysis request
//! again and then the requests the worker held, so the page always answers, also the questions
//! about the result the worker sent.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use futures::future::LocalBoxFuture;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::service::{read_request, reply_json, Reply, Request, Service};

fn clock_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Whether this wasm instance runs inside a dedicated worker (not a page).
pub fn in_worker() -> bool {
    js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>().is_ok()
}

/// Rounds of Web Crypto answers an analysis may wait for. The first audit asks for every
/// curve operation its certificates could need (`pgtls_audit::cert::curves`), so one round
/// is the rule; more happen only if an answer leads somewhere new.
const CURVE_ROUNDS: usize = 3;

/// Handles `request`, answering the engine's curve operations with Web Crypto and auditing
/// again until it has them all. An analysis's time is the whole of it, Web Crypto included.
async fn handle_with_web_crypto(service: &RefCell<Service>, request: Request) -> Reply {
    let started = clock_ms();
    let mut reply = service.borrow_mut().handle(request.clone(), clock_ms);
    for _ in 0..CURVE_ROUNDS {
        let ops = pgtls_audit::cert::curves::take_unanswered();
        if ops.is_empty() {
            break;
        }
        crate::infra::web_crypto::answer_all(ops).await;
        reply = service.borrow_mut().handle(request.clone(), clock_ms);
    }
    if let Reply::Analysed { audit_ms, .. } = &mut reply {
        *audit_ms = clock_ms() - started;
    }
    reply
}

/// Runs requests one after the other: a request waiting for Web Crypto must not see the
/// service change under it.
struct Serial<T> {
    queue: RefCell<VecDeque<T>>,
    busy: Cell<bool>,
    run: Box<dyn Fn(T) -> LocalBoxFuture<'static, ()>>,
}

impl<T: 'static> Serial<T> {
    fn new(run: impl Fn(T) -> LocalBoxFuture<'static, ()> + 'static) -> Rc<Serial<T>> {
        Rc::new(Serial { queue: RefCell::new(VecDeque::new()), busy: Cell::new(false), run: Box::new(run) })
    }

    fn push(self: &Rc<Self>, item: T) {
        self.queue.borrow_mut().push_back(item);
        if self.busy.replace(true) {
            return;
        }
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            loop {
                let next = this.queue.borrow_mut().pop_front();
                let Some(item) = next else { break };
                (this.run)(item).await;
            }
            this.busy.set(false);
        });
    }
}

/// The worker's side: answers every message with the service's reply.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let service = Rc::new(RefCell::new(Service::in_worker()));
    let reply_to = scope.clone();
    let serial = Serial::new(move |text: String| {
        let (service, reply_to) = (service.clone(), reply_to.clone());
        Box::pin(async move {
            let reply = match read_request(&text) {
                Ok(request) => handle_with_web_crypto(&service, request).await,
                Err(message) => Reply::Refused { message },
            };
            let _ = reply_to.post_message(&JsValue::from_str(&reply_json(&reply)));
        })
    });
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        serial.push(event.data().as_string().unwrap_or_default());
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
}

enum Transport {
    Worker {
        worker: Worker,
        /// Sent and not answered yet, to send again if the worker dies.
        pending: Rc<RefCell<VecDeque<String>>>,
        /// The latest analysis request, answered or not: the service that takes over from a
        /// dead worker needs that analysis to answer questions about the result on show.
        last_analysis: Rc<RefCell<Option<String>>>,
        _on_message: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(JsValue)>,
    },
    InPage(InPage),
}

/// The page's handle on the analysis service. Replies go to `on_reply`, always asynchronously.
pub struct AnalysisService {
    transport: Rc<RefCell<Option<Transport>>>,
    on_reply: Rc<dyn Fn(Reply)>,
}

impl AnalysisService {
    pub fn start(on_reply: impl Fn(Reply) + 'static) -> AnalysisService {
        let service = AnalysisService { transport: Rc::new(RefCell::new(None)), on_reply: Rc::new(on_reply) };
        let transport = service.spawn_worker().unwrap_or_else(|| Transport::InPage(in_page(&service.on_reply)));
        *service.transport.borrow_mut() = Some(transport);
        service
    }

    pub fn send(&self, request: &Request) {
        match self.transport.borrow().as_ref() {
            Some(Transport::Worker { worker, pending, last_analysis, .. }) => {
                let Ok(json) = serde_json::to_string(request) else { return };
                if matches!(request, Request::Analyse { .. }) {
                    *last_analysis.borrow_mut() = Some(json.clone());
                }
                if worker.post_message(&JsValue::from_str(&json)).is_ok() {
                    pending.borrow_mut().push_back(json);
                }
            }
            // Answered after the current event, as a worker would be, so that callers never
            // see a reply inside their own call.
            Some(Transport::InPage(in_page)) => in_page.push(request.clone()),
            None => {}
        }
    }

    /// The URL of the glue the page was started from; none when the page was not started by
    /// loader.js (the single file inlines its glue, and has no worker.js beside it).
    fn glue_url() -> Option<String> {
        let tag = gloo::utils::document().query_selector("script[data-js][data-wasm]").ok()??;
        let base = gloo::utils::document().base_uri().ok()??;
        Some(web_sys::Url::new_with_base(&tag.get_attribute("data-js")?, &base).ok()?.href())
    }

    fn spawn_worker(&self) -> Option<Transport> {
        let glue = Self::glue_url()?;
        let script = web_sys::Url::new_with_base("worker.js", &glue).ok()?;
        script.search_params().set("js", &glue);
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(&script.href(), &options).ok()?;
        if worker.post_message(&wasm_bindgen::module()).is_err() {
            worker.terminate();
            return None;
        }

        let pending: Rc<RefCell<VecDeque<String>>> = Rc::default();
        let last_analysis: Rc<RefCell<Option<String>>> = Rc::default();
        let on_message = {
            let (pending, on_reply) = (pending.clone(), self.on_reply.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                pending.borrow_mut().pop_front();
                let text = event.data().as_string().unwrap_or_default();
                // Reading the answer is the page thread's share of an audit in the worker.
                let reply = crate::infra::browser::measured("pgtls-receive", || {
                    serde_json::from_str(&text).unwrap_or_else(|e| Reply::Refused {
                        message: format!("the analysis worker's answer could not be read: {e}"),
                    })
                });
                on_reply(reply);
            })
        };
        let on_error = {
            let (transport, on_reply) = (Rc::downgrade(&self.transport), self.on_reply.clone());
            Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| {
                // The worker could not load (a blocked script, an old browser) or crashed:
                // the page answers from now on, starting with what the worker held.
                let Some(transport) = transport.upgrade() else { return };
                let in_page = in_page(&on_reply);
                let held = match transport.borrow_mut().replace(Transport::InPage(in_page.clone())) {
                    Some(Transport::Worker { worker, pending, last_analysis, .. }) => {
                        worker.terminate();
                        let mut held = pending.take();
                        // The result on show came from the worker: the new service audits the
                        // same inputs again first, so that who-gets-in, exports and the rest of
                        // the findings are answered for it (its answer is the same result).
                        if let Some(last) = last_analysis.take().filter(|last| !held.contains(last)) {
                            held.push_front(last);
                        }
                        held
                    }
                    _ => VecDeque::new(),
                };
                for request in held.iter().filter_map(|json| serde_json::from_str(json).ok()) {
                    in_page.push(request);
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Transport::Worker { worker, pending, last_analysis, _on_message: on_message, _on_error: on_error })
    }
}

/// The service on the page's thread, behind its queue.
type InPage = Rc<Serial<Request>>;

fn in_page(on_reply: &Rc<dyn Fn(Reply)>) -> InPage {
    let service = Rc::new(RefCell::new(Service::default()));
    let on_reply = on_reply.clone();
    Serial::new(move |request: Request| {
        let (service, on_reply) = (service.clone(), on_reply.clone());
        Box::pin(async move {
            let reply = handle_with_web_crypto(&service, request).await;
            on_reply(reply);
        })
    })
}

impl Drop for AnalysisService {
    fn drop(&mut self) {
        if let Some(Transport::Worker { worker, .. }) = self.transport.borrow().as_ref() {
            worker.terminate();
        }
    }
}
