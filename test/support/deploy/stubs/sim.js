'use strict';
/**
 * Shared core of the stub tools (helm, kubectl, gcloud, curl): the state of the simulated
 * cluster and cloud in $SLIPWAY_SIM, the call log, fault injection, scaled time, a small YAML
 * reader for the files the scripts pass, the Argo Rollouts model and curl's own behaviour.
 * The contract is ../TOOLS.md. Only node built-ins are loaded, so that a stub starts fast.
 *
 * Time: every duration is in simulated seconds; real time = simulated × $SLIPWAY_SIM_TIMESCALE
 * (default 0.001). Timed transitions (pods becoming ready, canary steps, scale-down delays) are
 * stored as simulated timestamps and applied lazily whenever a stub reads the state (`settle*`),
 * so no background process is needed and a killed stub leaves the state as it was.
 */
const fs = require('fs');
const path = require('path');

/** Simulated seconds it takes a new ReplicaSet / Deployment / revision / Job to be ready or done. */
const READY_SECONDS = 10;

let scaleCache;
/** $SLIPWAY_SIM_TIMESCALE, else the `timescale` file of the sim dir (test helpers), else 0.001. */
function scale() {
  if (scaleCache !== undefined) return scaleCache;
  let v = parseFloat(process.env.SLIPWAY_SIM_TIMESCALE || '');
  if (!Number.isFinite(v)) {
    try { v = parseFloat(fs.readFileSync(path.join(simDir(), 'timescale'), 'utf8')); } catch { v = NaN; }
  }
  scaleCache = Number.isFinite(v) && v >= 0 ? v : 0.001;
  return scaleCache;
}

/** Simulated clock, in seconds. */
function now() {
  const s = scale();
  return s > 0 ? Date.now() / 1000 / s : Date.now() / 1000 * 1e6;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks for real milliseconds (signals keep their default action: a kill ends the process). */
function sleepMs(ms) {
  if (ms === Infinity) {
    for (;;) Atomics.wait(sleeper, 0, 0, 2 ** 31 - 1);
  }
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}
/** Sleeps a number of simulated seconds. */
function sleepSim(seconds) {
  sleepMs(seconds === Infinity ? Infinity : seconds * scale() * 1000);
}

let dirOverride;
/** Test helpers (in-process) point the module at a sim dir without touching the environment. */
function setDir(dir) {
  dirOverride = dir;
  scaleCache = undefined;
}

function simDir() {
  const d = dirOverride || process.env.SLIPWAY_SIM;
  if (!d) {
    process.stderr.write('stub: SLIPWAY_SIM is not set\n');
    process.exit(70);
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// State: one JSON file per tool, written atomically under a lock file.

function readJson(file, dflt) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if (e.code === 'ENOENT') return dflt;
    throw e;
  }
}

function writeJsonAtomic(file, value) {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function lock(dir) {
  const file = path.join(dir, '.lock');
  const start = Date.now();
  // The lock file appears with the holder's pid in it (a hard link to a file already written):
  // a holder killed between creating the file and writing its pid left it empty, and every
  // other stub waited 10 s for it (a cancel kills stubs at any point).
  const mine = path.join(dir, `.lock.${process.pid}`);
  fs.writeFileSync(mine, String(process.pid));
  for (;;) {
    try {
      fs.linkSync(mine, file);
      try { fs.unlinkSync(mine); } catch { /* already gone */ }
      return () => {
        try { fs.unlinkSync(file); } catch { /* already gone */ }
      };
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let holder = NaN;
      try { holder = parseInt(fs.readFileSync(file, 'utf8'), 10); } catch { /* racing */ }
      // a holder killed inside its (short) critical section leaves the file behind
      if ((Number.isFinite(holder) && !pidAlive(holder)) || Date.now() - start > 10000) {
        try { fs.unlinkSync(file); } catch { /* someone else did */ }
        continue;
      }
      sleepMs(2);
    }
  }
}

const DEFAULTS = {
  helm: () => ({ releases: {} }),
  kube: () => ({ namespaces: [], objects: {}, rollouts: {}, jobs: {}, pods: {} }),
  gcloud: () => ({ services: {}, jobs: {} }),
  urls: () => ({}),
  prometheus: () => ({}),
  faults: () => [],
  'fault-counts': () => ({}),
};

/**
 * Runs fn(store) under the lock; store.get(name) reads `<name>.json` (mutate the returned
 * object freely), and every file read is written back atomically when fn returns.
 */
function transact(fn) {
  const dir = simDir();
  const unlock = lock(dir);
  try {
    const cache = {};
    const store = {
      dir,
      get(name) {
        if (!(name in cache)) {
          const dflt = DEFAULTS[name] ? DEFAULTS[name]() : {};
          cache[name] = readJson(path.join(dir, `${name}.json`), dflt);
          const base = DEFAULTS[name] ? DEFAULTS[name]() : null;
          if (base && !Array.isArray(base)) for (const k of Object.keys(base)) if (!(k in cache[name])) cache[name][k] = base[k];
          if (name === 'gcloud') settleCloudRun(cache[name], now());
        }
        return cache[name];
      },
    };
    const result = fn(store);
    for (const name of Object.keys(cache)) {
      if (name === 'faults') continue;
      writeJsonAtomic(path.join(dir, `${name}.json`), cache[name]);
    }
    return result;
  } finally {
    unlock();
  }
}

// ---------------------------------------------------------------------------------------------
// Call log and faults.

/**
 * Logs the call and returns the fault that fires for it (or null). Every fault whose tool and
 * match fit counts the call; the first one whose `nth` is reached (or that has none) fires.
 * A `transient` fault without `nth` fires on the first matching call only.
 */
function begin(tool, argv) {
  return transact((store) => {
    fs.appendFileSync(path.join(store.dir, 'calls.log'), JSON.stringify({ tool, argv, action: process.env.GITHUB_ACTION }) + '\n');
    const joined = argv.join(' ');
    const faults = store.get('faults');
    const counts = store.get('fault-counts');
    let fired = null;
    faults.forEach((f, i) => {
      if (f.tool !== tool || !joined.includes(f.match || '')) return;
      const n = (counts[i] || 0) + 1;
      counts[i] = n;
      const nth = f.nth !== undefined ? f.nth : (f.effect === 'transient' ? 1 : undefined);
      if (!fired && (nth === undefined || nth === n)) fired = f.effect;
    });
    return fired;
  });
}

function unsupported(argv) {
  process.stderr.write(`stub: unsupported: ${argv.join(' ')}\n`);
  process.exit(64);
}

function fail(message, code) {
  process.stderr.write(message.endsWith('\n') ? message : message + '\n');
  process.exit(code === undefined ? 1 : code);
}

// ---------------------------------------------------------------------------------------------
// Argument parsing.

/**
 * Splits argv into positionals and flags. `spec` maps a flag to 'value' (takes the next
 * argument or `=value`), 'multi' (repeatable value) or 'bool'. Short aliases map to long names
 * through `alias`. An unknown flag makes the call unsupported.
 */
function parseArgs(argv, spec, alias, whole) {
  const out = { _: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a === '--') {
      out.rest = argv.slice(i + 1);
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      out._.push(a);
      continue;
    }
    let value;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      value = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const name = (alias && alias[a]) || a;
    const kind = spec[name];
    if (!kind) unsupported(whole || argv);
    if (kind === 'bool') {
      out.flags[name] = value === undefined ? true : value !== 'false';
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= argv.length) unsupported(whole || argv);
      value = argv[++i];
    }
    if (kind === 'multi') (out.flags[name] = out.flags[name] || []).push(value);
    else out.flags[name] = value;
  }
  return out;
}

/** `300s`, `5m`, `1m30s`, `1h`, `250ms` or a bare number of seconds → seconds. */
function parseDuration(s) {
  if (typeof s === 'number') return s;
  if (s === undefined || s === null || s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return parseFloat(s);
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let m;
  let consumed = 0;
  while ((m = re.exec(s))) {
    const n = parseFloat(m[1]);
    total += m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : m[2] === 's' ? n : n / 1000;
    consumed += m[0].length;
  }
  if (consumed !== s.length) return undefined;
  return total;
}

// ---------------------------------------------------------------------------------------------
// Values.

function isObj(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Helm's coalescing of values files: maps merge key by key, anything else replaces. */
function deepMerge(base, over) {
  if (!isObj(base) || !isObj(over)) return over === undefined ? base : clone(over);
  const out = clone(base);
  for (const [k, v] of Object.entries(over)) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k], v) : clone(v);
  return out;
}

function clone(v) {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function getPath(obj, dotted) {
  let cur = obj;
  for (const k of dotted.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function setPath(obj, dotted, value) {
  const keys = dotted.split('.');
  let cur = obj;
  keys.slice(0, -1).forEach((k) => {
    if (!isObj(cur[k])) cur[k] = {};
    cur = cur[k];
  });
  cur[keys[keys.length - 1]] = value;
}

/** `--set a.b=1,c=true` (typed like Helm's strvals) or `--set-string a=1` (always strings). */
function applySet(values, expr, asString) {
  for (const part of expr.split(/(?<!\\),/)) {
    const eq = part.indexOf('=');
    if (eq < 0) fail(`Error: failed parsing --set data: key "${part}" has no value`);
    const key = part.slice(0, eq);
    const raw = part.slice(eq + 1).replace(/\\,/g, ',');
    let v = raw;
    if (!asString) {
      if (raw === 'true' || raw === 'false') v = raw === 'true';
      else if (raw === 'null') v = null;
      else if (/^-?(0|[1-9]\d*)$/.test(raw)) v = parseInt(raw, 10);
    }
    setPath(values, key, v);
  }
}

// ---------------------------------------------------------------------------------------------
// A small YAML reader: block maps and sequences, flow collections of scalars, quoted and plain
// scalars, comments, `---` documents and literal/folded block scalars. Enough for values files,
// Job manifests and Knative Service specs; anything else throws.

function parseYamlDocuments(text) {
  const docs = [];
  let cur = [];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (/^---\s*(#.*)?$/.test(line)) {
      docs.push(cur);
      cur = [];
    } else if (/^\.\.\.\s*$/.test(line)) {
      continue;
    } else {
      cur.push(line);
    }
  }
  docs.push(cur);
  return docs
    .map((lines) => parseYamlLines(lines))
    .filter((d) => d !== undefined);
}

function parseYaml(text) {
  const docs = parseYamlDocuments(text);
  return docs.length ? docs[0] : null;
}

function stripComment(s) {
  let q = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === '\\' && q === '"') i++;
      else if (c === q) q = null;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s\[{,:]/.test(s[i - 1])) q = c;
    } else if (c === '#' && (i === 0 || /\s/.test(s[i - 1]))) {
      return s.slice(0, i).trimEnd();
    }
  }
  return s.trimEnd();
}

function parseScalar(s) {
  s = s.trim();
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s.startsWith('"')) return JSON.parse(s);
  if (s.startsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
  if (s.startsWith('[') || s.startsWith('{')) return parseFlow(s);
  if (/^(true|True|TRUE)$/.test(s)) return true;
  if (/^(false|False|FALSE)$/.test(s)) return false;
  if (/^[-+]?(0|[1-9]\d*)$/.test(s)) return parseInt(s, 10);
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(s)) return parseFloat(s);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s, 16);
  return s;
}

function parseFlow(s) {
  let i = 0;
  const ws = () => { while (i < s.length && /\s/.test(s[i])) i++; };
  const value = () => {
    ws();
    if (s[i] === '[') {
      i++;
      const arr = [];
      ws();
      if (s[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(value());
        ws();
        if (s[i] === ',') { i++; ws(); if (s[i] === ']') { i++; return arr; } continue; }
        if (s[i] === ']') { i++; return arr; }
        throw new Error(`yaml: bad flow sequence: ${s}`);
      }
    }
    if (s[i] === '{') {
      i++;
      const obj = {};
      ws();
      if (s[i] === '}') { i++; return obj; }
      for (;;) {
        const k = scalarToken(true);
        ws();
        if (s[i] !== ':') throw new Error(`yaml: bad flow mapping: ${s}`);
        i++;
        obj[String(k)] = value();
        ws();
        if (s[i] === ',') { i++; continue; }
        if (s[i] === '}') { i++; return obj; }
        throw new Error(`yaml: bad flow mapping: ${s}`);
      }
    }
    return scalarToken(false);
  };
  const scalarToken = (isKey) => {
    ws();
    const start = i;
    if (s[i] === '"' || s[i] === "'") {
      const q = s[i++];
      while (i < s.length && s[i] !== q) { if (s[i] === '\\' && q === '"') i++; i++; }
      i++;
      return parseScalar(s.slice(start, i));
    }
    while (i < s.length && !/[,\]}]/.test(s[i]) && !(isKey && s[i] === ':')) i++;
    return parseScalar(s.slice(start, i));
  };
  const v = value();
  ws();
  if (i !== s.length) throw new Error(`yaml: trailing text in ${s}`);
  return v;
}

/** Splits `key: value` at the first `: ` (or trailing `:`) outside quotes. */
function splitKey(s) {
  let q = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) { if (c === q) q = null; continue; }
    if ((c === '"' || c === "'") && i === 0) { q = c; continue; }
    if (c === ':' && (i + 1 === s.length || s[i + 1] === ' ')) {
      const k = s.slice(0, i).trim();
      return { key: String(parseScalar(k)), rest: s.slice(i + 1).trim() };
    }
  }
  return null;
}

function parseYamlLines(rawLines) {
  const lines = [];
  for (let idx = 0; idx < rawLines.length; idx++) {
    const raw = rawLines[idx];
    if (/^\s*(#.*)?$/.test(raw)) {
      lines.push({ blank: true, raw });
      continue;
    }
    if (/\t/.test(raw.match(/^\s*/)[0])) throw new Error('yaml: tab indentation');
    lines.push({ indent: raw.match(/^ */)[0].length, text: stripComment(raw.trim()), raw });
  }
  let pos = 0;
  const skip = () => { while (pos < lines.length && lines[pos].blank) pos++; };

  const blockScalar = (indicator, parentIndent) => {
    const folded = indicator[0] === '>';
    const chomp = indicator.includes('-') ? 'strip' : indicator.includes('+') ? 'keep' : 'clip';
    const body = [];
    let ind = -1;
    while (pos < lines.length) {
      const l = lines[pos];
      const lineIndent = l.raw.match(/^ */)[0].length;
      if (!l.blank || l.raw.trim() !== '') {
        if (lineIndent <= parentIndent) break;
        if (ind < 0) ind = lineIndent;
        if (lineIndent < ind) break;
      }
      body.push(l.raw.trim() === '' ? '' : l.raw.slice(ind < 0 ? 0 : ind));
      pos++;
    }
    let text = folded ? body.join('\n').replace(/([^\n])\n(?=[^\n ])/g, '$1 ') : body.join('\n');
    if (chomp === 'strip') text = text.replace(/\n+$/, '');
    else if (chomp === 'clip') text = text.replace(/\n+$/, '') + '\n';
    else text += '\n';
    return text;
  };

  const valueAfter = (rest, indent) => {
    if (rest === '') {
      skip();
      if (pos < lines.length && (lines[pos].indent > indent || (lines[pos].indent === indent && lines[pos].text.startsWith('- ')) || (lines[pos].indent === indent && lines[pos].text === '-'))) {
        return node(lines[pos].indent);
      }
      return null;
    }
    if (/^[|>][-+]?$/.test(rest)) return blockScalar(rest, indent);
    if (rest.startsWith('&') || rest.startsWith('*') || rest.startsWith('!')) throw new Error(`yaml: unsupported: ${rest}`);
    return parseScalar(rest);
  };

  const node = (indent) => {
    skip();
    const first = lines[pos];
    if (first.text === '-' || first.text.startsWith('- ')) {
      const arr = [];
      while (pos < lines.length) {
        skip();
        if (pos >= lines.length) break;
        const l = lines[pos];
        if (l.indent !== indent || !(l.text === '-' || l.text.startsWith('- '))) break;
        const item = l.text === '-' ? '' : l.text.slice(2).trim();
        pos++;
        if (item === '') {
          arr.push(valueAfter('', indent));
        } else if (splitKey(item) && !item.startsWith('"') && !item.startsWith("'") && !item.startsWith('{')) {
          // `- key: value` starts a mapping indented at the item's column
          const col = indent + (l.text.length - l.text.slice(1).trimStart().length);
          pos--;
          lines[pos] = { indent: col, text: item, raw: ' '.repeat(col) + item };
          arr.push(node(col));
        } else {
          arr.push(valueAfter(item, indent));
        }
      }
      return arr;
    }
    const obj = {};
    while (pos < lines.length) {
      skip();
      if (pos >= lines.length) break;
      const l = lines[pos];
      if (l.indent < indent) break;
      if (l.indent > indent) throw new Error(`yaml: bad indentation: ${l.raw}`);
      if (l.text.startsWith('- ') || l.text === '-') break;
      const kv = splitKey(l.text);
      if (!kv) {
        if (Object.keys(obj).length === 0 && pos === lines.length - 1) {
          pos++;
          return parseScalar(l.text);
        }
        throw new Error(`yaml: expected key: ${l.raw}`);
      }
      pos++;
      obj[kv.key] = valueAfter(kv.rest, indent);
    }
    return obj;
  };

  skip();
  if (pos >= lines.length) return undefined;
  const only = lines.filter((l) => !l.blank);
  if (only.length === 1 && !splitKey(only[0].text) && !only[0].text.startsWith('- ')) return parseScalar(only[0].text);
  const result = node(lines[pos].indent);
  skip();
  if (pos < lines.length) throw new Error(`yaml: unexpected line: ${lines[pos].raw}`);
  return result;
}

/** Minimal YAML writer for the manifests the stubs print. */
function toYaml(v, indent) {
  indent = indent || 0;
  const pad = ' '.repeat(indent);
  const scalar = (x) => {
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'string') return /^[A-Za-z0-9_./@:-]+$/.test(x) && !/^(true|false|null|[-+]?\d)/.test(x) && !x.includes(': ') ? x : JSON.stringify(x);
    return String(x);
  };
  if (Array.isArray(v)) {
    if (!v.length) return `${pad}[]\n`;
    return v.map((item) => {
      if (isObj(item) || Array.isArray(item)) {
        const inner = toYaml(item, indent + 2);
        return `${pad}- ${inner.slice(indent + 2)}`;
      }
      return `${pad}- ${scalar(item)}\n`;
    }).join('');
  }
  if (isObj(v)) {
    if (!Object.keys(v).length) return `${pad}{}\n`;
    return Object.entries(v).map(([k, x]) => {
      if ((isObj(x) && Object.keys(x).length) || (Array.isArray(x) && x.length)) return `${pad}${k}:\n${toYaml(x, indent + (Array.isArray(x) ? 0 : 2))}`;
      if (isObj(x)) return `${pad}${k}: {}\n`;
      if (Array.isArray(x)) return `${pad}${k}: []\n`;
      return `${pad}${k}: ${scalar(x)}\n`;
    }).join('');
  }
  return `${pad}${scalar(v)}\n`;
}

function readYamlFile(file, errorPrefix) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    fail(`${errorPrefix}${e.code === 'ENOENT' ? `open ${file}: no such file or directory` : e.message}`);
  }
  try {
    return parseYaml(text);
  } catch (e) {
    fail(`${errorPrefix}${file}: ${e.message}`);
  }
  return undefined;
}

function stableStringify(v) {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

// ---------------------------------------------------------------------------------------------
// Kubernetes workloads: Deployments, Jobs and the Argo Rollouts model.

/** A Deployment's pods become ready READY_SECONDS after its template changed, unless unhealthy. */
function settleDeployment(d, t) {
  if (d.image !== d.readyImage && d.healthy !== false && t >= (d.since || 0) + READY_SECONDS) d.readyImage = d.image;
  return d;
}

function settleJob(j, t) {
  if (j.state === 'Running' && t >= j.startedAt + READY_SECONDS) j.state = j.willFail ? 'Failed' : 'Complete';
  return j;
}

/**
 * Argo Rollouts (v1.7) model. A rollout record:
 *   { name, namespace, strategy: 'canary'|'blueGreen', steps, bake, scaleDownDelay, autoPromotion,
 *     analysis, progressDeadline, revision,
 *     stable: { template, image, healthy } | null,                  // status.stableRS
 *     update: { template, image, healthy, startedAt, skew, promoteFullAt, aborted, message,
 *               revision, initial } | null,                         // the new (canary/preview) RS
 *     previous: { template, image, scaleDownAt } | null,            // old stable kept for scaleDownDelaySeconds
 *     promotedAt }
 * settleRollout applies every transition due by time t.
 */
function settleRollout(ro, t) {
  if (ro.previous && t >= ro.previous.scaleDownAt) ro.previous = null;
  const u = ro.update;
  if (!u || u.aborted) return ro;
  const e = t - u.startedAt + (u.skew || 0);
  const readyAt = u.startedAt - (u.skew || 0) + READY_SECONDS;
  const promote = (at) => {
    if (ro.stable) ro.previous = { template: ro.stable.template, image: ro.stable.image, scaleDownAt: at + ro.scaleDownDelay };
    ro.stable = { template: u.template, image: u.image, healthy: true };
    ro.update = null;
    ro.promotedAt = at;
    settleRollout(ro, t);
  };
  if (u.healthy === false) {
    if (ro.strategy === 'canary' || ro.analysis) {
      if (t >= readyAt && !u.initial) {
        u.aborted = true;
        u.message = `RolloutAborted: Rollout aborted update to revision ${u.revision}: Metric "${ro.analysisName || 'success-rate'}" assessed Failed due to failed (1) > failureLimit (0)`;
      } else if (t >= u.startedAt + ro.progressDeadline) {
        u.degraded = true;
      }
    } else if (t >= u.startedAt + ro.progressDeadline) {
      u.degraded = true;
    }
    return ro;
  }
  if (e < READY_SECONDS) return ro;
  if (u.initial) return promote(readyAt), ro;
  if (u.promoteFullAt !== undefined) return promote(Math.max(readyAt, u.promoteFullAt)), ro;
  if (ro.strategy === 'canary') {
    const total = READY_SECONDS + ro.steps.length * ro.bake;
    if (e >= total) promote(u.startedAt - (u.skew || 0) + total);
    return ro;
  }
  if (ro.autoPromotion) promote(readyAt);
  else if (u.promotedAt !== undefined) promote(u.promotedAt);
  return ro;
}

/** status.phase and message of a settled rollout at time t. */
function rolloutPhase(ro, t) {
  const u = ro.update;
  if (!u) return { phase: 'Healthy', message: '' };
  if (u.aborted) return { phase: 'Degraded', message: u.message || `RolloutAborted: Rollout aborted update to revision ${u.revision}` };
  if (u.degraded) return { phase: 'Degraded', message: `ProgressDeadlineExceeded: ReplicaSet "${ro.name}-${hash(u.template)}" has timed out progressing.` };
  const e = t - u.startedAt + (u.skew || 0);
  if (e < READY_SECONDS || u.healthy === false) return { phase: 'Progressing', message: 'more replicas need to be updated' };
  if (ro.strategy === 'canary') return { phase: 'Paused', message: 'CanaryPauseStep' };
  return { phase: 'Paused', message: 'BlueGreenPause' };
}

/** Current canary weight (canary strategy) of a settled rollout. */
function canaryWeight(ro, t) {
  const u = ro.update;
  if (!u || u.aborted || ro.strategy !== 'canary' || u.healthy === false) return 0;
  const e = t - u.startedAt + (u.skew || 0);
  if (e < READY_SECONDS) return 0;
  const i = Math.min(ro.steps.length - 1, Math.floor((e - READY_SECONDS) / (ro.bake || Infinity)));
  return i >= 0 ? ro.steps[i] : 0;
}

function hash(s) {
  let h = 2166136261;
  for (const c of String(s)) {
    h ^= c.charCodeAt(0);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h.toString(16).padStart(8, '0').slice(0, 9);
}

/** The Rollout's settings from the release's computed values. */
function rolloutSettings(ro, values) {
  const strategy = getPath(values, 'rollout.strategy');
  ro.strategy = strategy === 'argo-blue-green' ? 'blueGreen' : 'canary';
  const steps = getPath(values, 'canary.steps');
  ro.steps = Array.isArray(steps) ? steps.map(Number) : [10, 50];
  ro.bake = parseDuration(getPath(values, 'canary.bake')) ?? 300;
  const sdd = ro.strategy === 'blueGreen' ? getPath(values, 'blueGreen.scaleDownDelaySeconds') : getPath(values, 'canary.scaleDownDelaySeconds');
  ro.scaleDownDelay = typeof sdd === 'number' ? sdd : 30;
  ro.autoPromotion = getPath(values, 'blueGreen.autoPromotion') === true;
  ro.analysis = getPath(values, 'analysis.enabled') === true;
  ro.analysisName = getPath(values, 'analysis.metricName') || 'success-rate';
  const pd = getPath(values, 'rollout.progressDeadlineSeconds');
  ro.progressDeadline = typeof pd === 'number' ? pd : 600;
}

/**
 * Applies a Rollout's pod template (helm installs or upgrades the Rollout object). The same
 * template as the stable ReplicaSet: Healthy at once (the update is dropped). The same as the
 * current update: nothing changes. Otherwise a new update starts.
 */
function applyRolloutTemplate(ro, template, image, healthy, t) {
  settleRollout(ro, t);
  ro.revision = (ro.revision || 0) + 1;
  if (ro.stable && ro.stable.template === template) {
    ro.update = null;
    return;
  }
  if (ro.update && ro.update.template === template) return;
  ro.update = { template, image, healthy, startedAt: t, skew: 0, revision: ro.revision, initial: !ro.stable };
}

// ---------------------------------------------------------------------------------------------
// Helm releases: the objects a revision owns and how helm applies them (used by the helm stub
// and by the test helpers that seed releases).

function imageOf(imageValues) {
  if (!isObj(imageValues)) return undefined;
  const repo = imageValues.repository || 'image';
  if (imageValues.digest) return `${repo}@${imageValues.digest}`;
  return `${repo}:${imageValues.tag === undefined || imageValues.tag === null ? 'latest' : imageValues.tag}`;
}

/** The objects a revision owns, from its computed values. */
function manifestFor(rel, values) {
  const strategy = getPath(values, 'rollout.strategy') || 'rolling';
  const image = imageOf(values.image) || 'image:latest';
  const objs = [{ kind: 'Service', name: rel }];
  if (strategy === 'argo-canary' || strategy === 'argo-blue-green') {
    objs.push({ kind: 'Rollout', name: rel, image, template: stableStringify({ image }) });
    if (strategy === 'argo-blue-green') objs.push({ kind: 'Service', name: `${rel}-preview` });
    if (getPath(values, 'analysis.enabled') === true) objs.push({ kind: 'AnalysisTemplate', name: `${rel}-analysis` });
    return objs;
  }
  const canary = getPath(values, 'canary.enabled') === true;
  const stableImage = canary && isObj(getPath(values, 'stable.image')) ? imageOf(deepMerge(values.image || {}, getPath(values, 'stable.image'))) : image;
  objs.push({ kind: 'Deployment', name: rel, image: stableImage });
  if (canary) {
    objs.push({ kind: 'Deployment', name: `${rel}-canary`, image });
    objs.push({ kind: 'Service', name: `${rel}-canary` });
    const w = getPath(values, 'canary.weight');
    objs.push({ kind: 'Ingress', name: `${rel}-canary`, weight: typeof w === 'number' ? w : 0 });
  }
  return objs;
}

/**
 * Applies `target` over the cluster (kube state), deleting what `base` had and `target`
 * lacks. Returns the Deployments whose pods change (what --wait waits for).
 */
function applyManifest(kube, ns, rel, base, target, computed, healthy, at) {
  const t = at === undefined ? now() : at;
  const key = (o) => `${ns}/${o.kind}/${o.name}`;
  const changed = [];
  const targetKeys = new Set(target.map(key));
  for (const o of base || []) {
    if (targetKeys.has(key(o))) continue;
    delete kube.objects[key(o)];
    if (o.kind === 'Rollout') delete kube.rollouts[`${ns}/${o.name}`];
  }
  for (const o of target) {
    const k = key(o);
    const live = kube.objects[k];
    if (o.kind === 'Deployment') {
      const d = live ? settleDeployment(live, t) : { kind: 'Deployment', name: o.name, readyImage: null };
      if (d.image !== o.image || !live) {
        d.image = o.image;
        d.since = t;
        d.healthy = healthy;
        if (d.readyImage !== d.image) changed.push(d.name);
      }
      d.release = rel;
      kube.objects[k] = d;
    } else if (o.kind === 'Rollout') {
      kube.objects[k] = { kind: 'Rollout', name: o.name, release: rel, image: o.image };
      const rk = `${ns}/${o.name}`;
      const ro = kube.rollouts[rk] || { name: o.name, namespace: ns, stable: null, update: null, previous: null, revision: 0 };
      rolloutSettings(ro, computed);
      applyRolloutTemplate(ro, o.template, o.image, healthy, t);
      kube.rollouts[rk] = ro;
    } else {
      kube.objects[k] = Object.assign({}, o, { release: rel });
    }
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------
// Endpoints: what an HTTP request gets back.

/**
 * Answer for a URL: { status, body } | { down: true } | { hang: true }.
 * Order: urls.json (set by the test), a Prometheus query, a cluster Service
 * (`http://SVC.NS.svc...`, in-cluster only), a Cloud Run service or tag URL.
 */
function resolveUrl(store, url, opts) {
  const urls = store.get('urls');
  const noQuery = url.split('?')[0];
  const set = urls[url] || urls[noQuery] || urls[noQuery.replace(/\/$/, '')];
  if (set !== undefined) {
    if (set === 'down') return { down: true };
    if (set === 'hang') return { hang: true };
    return { status: set.status === undefined ? 200 : set.status, body: set.body === undefined ? 'ok' : set.body, hang: set.hang };
  }
  if (/\/api\/v1\/query$/.test(noQuery)) {
    const prom = store.get('prometheus');
    const q = opts.query;
    const v = q !== undefined && prom[q] !== undefined ? prom[q] : prom['*'];
    const result = v === undefined || v === null ? [] : [{ metric: {}, value: [Math.floor(Date.now() / 1000), String(v)] }];
    return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }) };
  }
  const m = /^https?:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?(:\d+)?(\/|$)/.exec(url);
  if (m) {
    if (!opts.inCluster) return { down: true, resolve: true };
    return serviceAnswer(store, m[2], m[1]);
  }
  const cr = cloudRunAnswer(store, url);
  if (cr) return cr;
  return { down: true, resolve: true };
}

/** A cluster Service answers from the ready pods behind it. */
function serviceAnswer(store, ns, svc) {
  const kube = store.get('kube');
  const t = now();
  if (!kube.objects[`${ns}/Service/${svc}`]) return { down: true, resolve: true };
  const baseName = svc.replace(/-(canary|preview)$/, '');
  const ro = kube.rollouts[`${ns}/${baseName}`];
  if (ro) {
    settleRollout(ro, t);
    let rs = ro.stable;
    if (svc.endsWith('-preview') || svc.endsWith('-canary')) rs = ro.update && !ro.update.aborted ? ro.update : ro.stable;
    if (!rs) return { status: 503, body: 'no healthy upstream' };
    const ready = rs === ro.update ? (rs.healthy !== false && t - rs.startedAt + (rs.skew || 0) >= READY_SECONDS) : rs.healthy !== false;
    return ready ? { status: 200, body: `ok ${rs.image}` } : { status: 503, body: 'no healthy upstream' };
  }
  const dep = kube.objects[`${ns}/Deployment/${svc}`];
  if (!dep) return { status: 503, body: 'no healthy upstream' };
  settleDeployment(dep, t);
  if (!dep.readyImage) return { status: 503, body: 'no healthy upstream' };
  return { status: dep.readyStatus || 200, body: `ok ${dep.readyImage}` };
}

function cloudRunAnswer(store, url) {
  const gc = store.get('gcloud');
  const host = (/^https?:\/\/([^/]+)/.exec(url) || [])[1];
  if (!host) return null;
  for (const svc of Object.values(gc.services)) {
    const svcHost = (/^https?:\/\/([^/]+)/.exec(svc.url) || [])[1];
    let rev = null;
    if (host === svcHost) {
      const split = resolvedTraffic(svc).filter((x) => x.percent > 0).sort((a, b) => b.percent - a.percent);
      if (!split.length) return { status: 503, body: 'Service Unavailable' };
      rev = svc.revisions.find((r) => r.name === split[0].revisionName);
    } else if (host.endsWith(`---${svcHost}`)) {
      const tag = host.slice(0, -(`---${svcHost}`).length);
      const target = resolvedTraffic(svc).find((x) => x.tag === tag);
      if (!target) return { status: 404, body: 'Not Found' };
      rev = svc.revisions.find((r) => r.name === target.revisionName);
    } else {
      continue;
    }
    if (!rev || rev.ready === false) return { status: 503, body: 'Service Unavailable' };
    return { status: rev.httpStatus || 200, body: `ok ${rev.image}` };
  }
  return null;
}

/** Traffic targets with LATEST resolved to the latest ready revision. */
function resolvedTraffic(svc) {
  return (svc.traffic || []).map((x) => {
    const out = { revisionName: x.latestRevision ? svc.latestReadyRevisionName : x.revisionName, percent: x.percent || 0 };
    if (x.latestRevision) out.latestRevision = true;
    if (x.tag) out.tag = x.tag;
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// curl (8.x), shared by the curl stub (on the runner) and `kubectl run ... -- curl` (in-cluster).

/**
 * Runs curl's argv; returns { code, stdout, stderr, files } and never throws.
 * Sleeps when the endpoint hangs: `--max-time N` ends it with 28 after N (scaled), otherwise
 * it never returns. `fault` is the fault effect that fired for this call, if any.
 */
function runCurl(argv, fault, opts) {
  const spec = {
    '--fail': 'bool', '--silent': 'bool', '--show-error': 'bool', '--location': 'bool', '--get': 'bool',
    '--max-time': 'value', '--output': 'value', '--write-out': 'value', '--retry': 'value', '--retry-delay': 'value',
    '--retry-all-errors': 'bool', '--data-urlencode': 'multi', '--connect-timeout': 'value',
  };
  const alias = { '-f': '--fail', '-s': '--silent', '-S': '--show-error', '-L': '--location', '-G': '--get', '-o': '--output', '-w': '--write-out', '-m': '--max-time' };
  const expanded = [];
  for (const a of argv) {
    if (/^-[fsSLG]{2,}$/.test(a)) for (const c of a.slice(1)) expanded.push(`-${c}`);
    else expanded.push(a);
  }
  const whole = ['curl', ...argv];
  const p = parseArgs(expanded, spec, alias, whole);
  if (p._.length !== 1 || p.rest) unsupported(whole);
  const f = p.flags;
  if (f['--data-urlencode'] && !f['--get']) unsupported(whole);
  let url = p._[0];
  let query;
  for (const d of f['--data-urlencode'] || []) {
    const eq = d.indexOf('=');
    const name = eq > 0 ? d.slice(0, eq) : '';
    const val = eq >= 0 ? d.slice(eq + 1) : d;
    if (name === 'query') query = val;
    url += (url.includes('?') ? '&' : '?') + (name ? `${name}=` : '') + encodeURIComponent(val);
  }
  const maxTime = f['--max-time'] !== undefined ? parseFloat(f['--max-time']) : undefined;
  const retries = f['--retry'] !== undefined ? parseInt(f['--retry'], 10) : 0;
  const retryDelay = f['--retry-delay'] !== undefined ? parseFloat(f['--retry-delay']) : 1;
  const silent = !!f['--silent'];
  const showError = !silent || !!f['--show-error'];
  const host = (/^[a-z]+:\/\/([^/:?]+)/.exec(url) || [])[1] || url;

  let attempt = 0;
  let firstFault = fault;
  for (;;) {
    let answer;
    if (firstFault === 'hang' || firstFault === 'timeout') answer = { hang: true };
    else if (firstFault === 'fail') answer = { down: true };
    else if (firstFault === 'transient' || firstFault === 'unhealthy') answer = { status: 503, body: 'Service Unavailable' };
    else answer = transact((store) => resolveUrl(store, url, { inCluster: opts.inCluster, query }));
    // curl's own --retry attempts meet the same server: only a transient fault clears after one answer
    if (firstFault === 'transient') firstFault = null;
    let res;
    if (answer.hang) {
      if (maxTime === undefined) sleepSim(Infinity);
      sleepSim(maxTime);
      res = { code: 28, err: `curl: (28) Operation timed out after ${Math.round(maxTime * 1000)} milliseconds with 0 bytes received` };
    } else if (answer.down) {
      res = answer.resolve
        ? { code: 6, err: `curl: (6) Could not resolve host: ${host}` }
        : { code: 7, err: `curl: (7) Failed to connect to ${host} port 443 after 0 ms: Couldn't connect to server` };
    } else if (f['--fail'] && answer.status >= 400) {
      res = { code: 22, err: `curl: (22) The requested URL returned error: ${answer.status}`, status: answer.status };
    } else {
      res = { code: 0, status: answer.status, body: answer.body };
    }
    const transientHttp = res.status === 408 || res.status === 429 || res.status >= 500;
    const retryable = res.code === 28 || res.code === 7 || res.code === 6 || transientHttp || (f['--retry-all-errors'] && res.code !== 0);
    if (res.code !== 0 && attempt < retries && retryable) {
      attempt++;
      sleepSim(retryDelay);
      continue;
    }
    let stdout = '';
    const wf = f['--write-out'] !== undefined ? f['--write-out'].replace(/%\{http_code\}/g, String(res.status === undefined ? '000' : res.status).padStart(3, '0')).replace(/\\n/g, '\n') : '';
    if (res.code === 0) {
      if (f['--output'] && f['--output'] !== '-') {
        if (f['--output'] !== '/dev/null') fs.writeFileSync(f['--output'], res.body);
      } else {
        stdout += res.body;
      }
    }
    stdout += wf;
    return { code: res.code, stdout, stderr: res.code !== 0 && showError ? res.err + '\n' : '' };
  }
}

/**
 * Cloud Run applies a `services replace` on the server: the request records the new spec, the
 * new revision becomes ready (or fails) READY_SECONDS later, and only then does the spec's
 * traffic take effect, whatever became of the client that sent it (Knative: a Route moves
 * to a revision once it is ready; a revision that fails leaves the traffic as it was). A
 * traffic update made in between is made on the pending spec's traffic (gcloud edits the
 * spec): it stays pending while it names the revision, and applies at once when it does not.
 * Settled lazily, like the other timed transitions.
 */
function settleCloudRun(gc, t) {
  for (const svc of Object.values(gc.services || {})) {
    const p = svc.pending;
    if (!p || t < p.readyAt) continue;
    delete svc.pending;
    const rev = svc.revisions.find((r) => r.name === p.revision);
    if (rev && rev.ready === null) rev.ready = p.healthy;
    if (!p.healthy) continue;
    if (p.isNew && rev) svc.latestReadyRevisionName = p.revision;
    if (p.traffic) svc.traffic = p.traffic;
  }
}

module.exports = {
  setDir,
  READY_SECONDS, scale, now, sleepMs, sleepSim, simDir, transact, begin, unsupported, fail, parseArgs,
  parseDuration, deepMerge, clone, getPath, setPath, applySet, parseYaml, parseYamlDocuments, toYaml,
  readYamlFile, stableStringify, isObj, settleDeployment, settleJob, settleRollout, rolloutPhase,
  canaryWeight, rolloutSettings, applyRolloutTemplate, hash, resolveUrl, resolvedTraffic, runCurl,
  readJson, writeJsonAtomic, imageOf, manifestFor, applyManifest, settleCloudRun,
};
