// The analysis worker: the page's own wasm, compiled once by the page and handed over as the
// first message (so it is neither fetched nor compiled twice), answering the page's analysis
// requests (src/service.rs). Requests that arrive while it starts wait for it.
const glueUrl = new URL(self.location.href).searchParams.get('js');
const waiting = [];
let started = null;
self.onmessage = (event) => {
  if (started === null) {
    started = start(event.data);
  } else {
    waiting.push(event);
  }
};
async function start(module) {
  try {
    const glue = await import(glueUrl);
    // Starting the wasm runs its main, which sees a worker and installs the real onmessage.
    await glue.default({ module_or_path: module });
  } catch (error) {
    // Thrown from a task of its own, so that the page's `error` handler hears of it and
    // analyses on its own thread instead.
    setTimeout(() => { throw error; });
    return;
  }
  for (const event of waiting) self.onmessage(event);
}
