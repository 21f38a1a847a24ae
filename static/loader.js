// Starts the page: imports the wasm-bindgen glue and instantiates the wasm. An external file
// rather than Trunk's inline script, so that the Content-Security-Policy needs no inline script.
const tag = document.querySelector('script[data-js][data-wasm]');
const glue = await import(tag.dataset.js);
await glue.default({ module_or_path: tag.dataset.wasm });
