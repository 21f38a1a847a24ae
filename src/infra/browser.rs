//! The browser's clock, location, clipboard, downloads and printing.

use wasm_bindgen::{JsCast, JsValue};

/// Seconds since the Unix epoch, for the audit's certificate dates (the engine reads no clock).
pub fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Runs `f` as the performance measure `name`, seen in devtools and by the page benchmark
/// (tests/e2e/examples/page_bench.rs).
pub fn measured<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let performance = gloo::utils::window().performance();
    let start = format!("{name}-start");
    if let Some(p) = &performance {
        let _ = p.mark(&start);
    }
    let value = f();
    if let Some(p) = &performance {
        let _ = p.measure_with_start_mark(name, &start);
    }
    value
}

/// The URL fragment without its `#`.
pub fn fragment() -> String {
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    hash.strip_prefix('#').unwrap_or(&hash).to_string()
}

/// Replaces the fragment without adding a history entry or firing `hashchange`. Nothing is done
/// when the address already has it: `replaceState` costs Chromium milliseconds even then, and
/// the fragment stays empty while the inputs are too large for the address bar.
pub fn replace_fragment(fragment: &str) {
    let window = gloo::utils::window();
    let location = window.location();
    if location.hash().is_ok_and(|hash| hash.strip_prefix('#').unwrap_or(&hash) == fragment) {
        return;
    }
    let (Ok(path), Ok(search)) = (location.pathname(), location.search()) else { return };
    let url = if fragment.is_empty() { format!("{path}{search}") } else { format!("{path}{search}#{fragment}") };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// Moves the keyboard focus to the element with this id (a skip link's target), without the
/// `#id` a plain link would put in the address bar, where the share fragment lives.
pub fn focus_by_id(id: &str) {
    if let Some(element) = gloo::utils::document().get_element_by_id(id) {
        let _ = element.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}

/// The page's address without its fragment, to build share links.
pub fn page_address() -> String {
    let location = gloo::utils::window().location();
    let href = location.href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// Copies text to the clipboard; the promise's outcome is not awaited (the button says
/// "Copied" either way, and the text stays selectable beside it).
pub fn copy_to_clipboard(text: &str) {
    let clipboard = gloo::utils::window().navigator().clipboard();
    let _ = clipboard.write_text(text);
}

/// Offers `content` as a file download through a blob: URL (no network involved).
pub fn download(file_name: &str, mime: &str, content: &str) {
    offer(file_name, mime, &js_sys::Array::of1(&JsValue::from_str(content)));
}

/// Offers bytes (an archive) as a file download, the same way.
pub fn download_bytes(file_name: &str, mime: &str, bytes: &[u8]) {
    offer(file_name, mime, &js_sys::Array::of1(&js_sys::Uint8Array::from(bytes)));
}

fn offer(file_name: &str, mime: &str, parts: &js_sys::Array) {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_buffer_source_sequence_and_options(parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let document = gloo::utils::document();
    if let Ok(anchor) = document.create_element("a") {
        let anchor: web_sys::HtmlAnchorElement = anchor.unchecked_into();
        anchor.set_href(&url);
        anchor.set_download(file_name);
        if let Some(body) = document.body() {
            let _ = body.append_child(&anchor);
            anchor.click();
            let _ = body.remove_child(&anchor);
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

pub fn print() {
    let _ = gloo::utils::window().print();
}
