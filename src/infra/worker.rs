//! The analysis service's transport: a web worker running the page's own wasm, or, where no
//! worker can start, the service called in the page itself.
//!
//! The worker is `static/worker.js` started as a module worker with the URL of the page's JS
//! glue (the one `loader.js` loaded), and the page's compiled wasm module as its first message,
//! so the wasm is neither fetched nor compiled again. When the wasm starts inside the worker,
//! `main` sees a worker scope and calls [`serve`] instead of rendering. Requests and replies are JSON text ([`crate::service`]). A worker that fails to
//! start, or dies, is replaced by the in-page service and the requests it held are sent again,
//! so the page always answers.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::service::{Reply, Request, Service};

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

/// The worker's side: answers every message with the service's reply.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let service = RefCell::new(Service::in_worker());
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let request = event.data().as_string().unwrap_or_default();
        let reply = service.borrow_mut().handle_json(&request, clock_ms);
        let _ = reply_to.post_message(&JsValue::from_str(&reply));
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
        _on_message: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(JsValue)>,
    },
    InPage(Rc<RefCell<Service>>),
}

/// The page's handle on the analysis service. Replies go to `on_reply`, always asynchronously.
pub struct AnalysisService {
    transport: Rc<RefCell<Option<Transport>>>,
    on_reply: Rc<dyn Fn(Reply)>,
}

impl AnalysisService {
    pub fn start(on_reply: impl Fn(Reply) + 'static) -> AnalysisService {
        let service = AnalysisService { transport: Rc::new(RefCell::new(None)), on_reply: Rc::new(on_reply) };
        let transport = service.spawn_worker().unwrap_or_else(|| Transport::InPage(Rc::default()));
        *service.transport.borrow_mut() = Some(transport);
        service
    }

    pub fn send(&self, request: &Request) {
        match self.transport.borrow().as_ref() {
            Some(Transport::Worker { worker, pending, .. }) => {
                let Ok(json) = serde_json::to_string(request) else { return };
                if worker.post_message(&JsValue::from_str(&json)).is_ok() {
                    pending.borrow_mut().push_back(json);
                }
            }
            Some(Transport::InPage(service)) => answer_in_page(service, &self.on_reply, request.clone()),
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
                let service: Rc<RefCell<Service>> = Rc::default();
                let held = match transport.borrow_mut().replace(Transport::InPage(service.clone())) {
                    Some(Transport::Worker { worker, pending, .. }) => {
                        worker.terminate();
                        pending.take()
                    }
                    _ => VecDeque::new(),
                };
                for request in held.iter().filter_map(|json| serde_json::from_str(json).ok()) {
                    answer_in_page(&service, &on_reply, request);
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Transport::Worker { worker, pending, _on_message: on_message, _on_error: on_error })
    }
}

/// Answered after the current event, as a worker would be, so that callers never see a reply
/// inside their own call.
fn answer_in_page(service: &Rc<RefCell<Service>>, on_reply: &Rc<dyn Fn(Reply)>, request: Request) {
    let (service, on_reply) = (service.clone(), on_reply.clone());
    Timeout::new(0, move || {
        let reply = service.borrow_mut().handle(request, clock_ms);
        on_reply(reply);
    })
    .forget();
}

impl Drop for AnalysisService {
    fn drop(&mut self) {
        if let Some(Transport::Worker { worker, .. }) = self.transport.borrow().as_ref() {
            worker.terminate();
        }
    }
}
