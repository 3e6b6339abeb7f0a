#!/usr/bin/env node
// Verifies slipway's built-in catalog lock against the action repositories' real tags and
// records each pinned action's metadata (inputs and outputs, facts only).
//
//   node scripts/catalog-sync.js --mirrors DIR [--refresh | --check]
//
// DIR holds bare git clones of the action repositories, one per repository, at
// DIR/<owner>+<name>/repo (owner and name in any case), with their tags and branches.
// Nothing here uses the network: clone or fetch the repositories first, e.g.
//   git clone --mirror https://github.com/actions/checkout DIR/actions+checkout/repo
//
// It writes:
//   test/github/actions/catalog-verification.json  each lock entry: tag -> commit, how it was
//       checked, and the date (the lock test compares the lock with this table)
//   src/github/actions/catalog/metadata.generated.ts  each pinned action's inputs (required,
//       default, deprecationMessage) and output names, read from action.yml at the pinned SHA
// With --refresh it first rewrites the entries of src/github/actions/catalog-lock.ts: each
// entry moves to the newest release of its major, majors newer than the lock's are added, and
// EXTRA_KEYS are added. An entry whose tag or commit the clone lacks is left as it is and
// marked "unverified" (its clone is older than the release). With --check it writes nothing and
// exits 1 when a lock SHA is not its tag's commit or the metadata module is not what it would write.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const LOCK_FILE = path.join(root, 'src/github/actions/catalog-lock.ts');
const TABLE_FILE = path.join(root, 'test/github/actions/catalog-verification.json');
const METADATA_FILE = path.join(root, 'src/github/actions/catalog/metadata.generated.ts');

/** Lock keys to add when missing: actions the catalog or the seed pipelines use. */
const EXTRA_KEYS = ['azure/k8s-set-context@v4', 'docker/build-push-action@v4'];
/** Actions in a folder of a lock entry's repository that the catalog uses. */
const SUB_ACTIONS = { 'github/codeql-action': ['upload-sarif'] };
/**
 * How entries whose release is newer than the clone were checked instead: public workflows that
 * pin the same commit with the same version comment (searched on the date of the table).
 */
const CORROBORATED = {
  'pypa/gh-action-pypi-publish@release/v1': 'the commit with "# v1.12.4" in 9 public workflows and docs',
  'sarisia/actions-status-discord@v1': 'the commit with "# v1.16.0" in 6 public workflows and tests',
  'codelytv/pr-size-labeler@v1': 'one public note names this commit v1.12.0; no workflow pins it',
};
/** Repositories whose versions are keyed by the full tag (0.x releases, no major tag). */
const FULL_VERSION_KEYS = new Set(['aquasecurity/trivy-action']);

const args = process.argv.slice(2);
const mirrors = valueOf('--mirrors');
if (!mirrors) {
  console.error('usage: node scripts/catalog-sync.js --mirrors DIR [--refresh | --check]');
  process.exit(2);
}
const refresh = args.includes('--refresh');
const checkOnly = args.includes('--check');

function valueOf(flag) {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

function git(dir, ...argv) {
  try {
    return execFileSync('git', ['--git-dir', dir, ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 }).trim();
  } catch {
    return undefined;
  }
}

const dirNames = fs.readdirSync(mirrors);
function mirrorOf(repo) {
  const want = repo.replace('/', '+').toLowerCase();
  const name = dirNames.find((d) => d.toLowerCase() === want);
  return name ? path.join(mirrors, name, 'repo') : undefined;
}

const RELEASE = /^v(\d+)\.(\d+)\.(\d+)$/;
const parts = (tag) => tag.match(RELEASE).slice(1).map(Number);
function compare(a, b) {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** Facts about one clone: release tags and their commits, the clone's date. */
const repos = new Map();
function repoFacts(repo) {
  if (repos.has(repo)) return repos.get(repo);
  const dir = mirrorOf(repo);
  if (!dir) throw new Error(`no clone of ${repo} in ${mirrors}`);
  const commits = new Map();
  for (const line of git(dir, 'for-each-ref', 'refs/tags', '--format=%(refname:short) %(objectname) %(*objectname)').split('\n')) {
    const [tag, object, peeled] = line.split(' ');
    if (RELEASE.test(tag)) commits.set(tag, peeled || object);
  }
  const releases = [...commits.keys()].sort(compare);
  const date = git(dir, 'log', '-1', '--all', '--format=%cs');
  const facts = { dir, commits, releases, date };
  repos.set(repo, facts);
  return facts;
}

/** The major a lock ref names: `v4` -> 4, `release/v1` -> 1, `v0.35.0` -> the full version. */
function majorOf(repo, ref) {
  if (FULL_VERSION_KEYS.has(repo)) return undefined;
  const m = ref.match(/^(?:release\/)?v(\d+)$/);
  return m ? Number(m[1]) : undefined;
}

function newestIn(facts, major) {
  const inMajor = facts.releases.filter((t) => parts(t)[0] === major);
  return inMajor[inMajor.length - 1];
}

/** The commit of `tag`, checked: the tag resolves to it and a branch contains it. */
function check(facts, tag, sha) {
  const commit = git(facts.dir, 'rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`);
  if (!commit) return { ok: false, why: `tag ${tag} is not in the clone (clone of ${facts.date}; newest release there: ${facts.releases[facts.releases.length - 1] ?? 'none'})` };
  if (sha && commit !== sha) return { ok: false, commit, why: `tag ${tag} is commit ${commit}, not ${sha}` };
  // some actions tag a build commit made on top of a branch ("Automatic compilation"): its parent is on the branch
  const own = branchOf(facts, commit);
  const parent = own ? undefined : git(facts.dir, 'rev-parse', '--verify', '--quiet', `${commit}^`);
  const branch = own ?? (parent && branchOf(facts, parent) ? `${branchOf(facts, parent)} (the parent commit)` : undefined);
  if (!branch) return { ok: false, commit, why: `commit ${commit} of tag ${tag} is on no branch, nor is its parent` };
  return { ok: true, commit, branch, date: git(facts.dir, 'log', '-1', '--format=%cs', commit) };
}

function branchOf(facts, commit) {
  const list = (git(facts.dir, 'for-each-ref', '--contains', commit, 'refs/heads', '--format=%(refname:short)') ?? '').split('\n').filter(Boolean);
  const head = git(facts.dir, 'symbolic-ref', '--short', 'HEAD') ?? '';
  return list.includes(head) ? head : list.find((b) => /^(main|master|releases?\/)/.test(b)) ?? list[0];
}

// ---- the lock ------------------------------------------------------------------------------
const lockText = fs.readFileSync(LOCK_FILE, 'utf8');
const ENTRY = /^ {2}'([^']+)': \{ sha: '([0-9a-f]{40})', version: '([^']+)' \},$/gm;
const lock = new Map([...lockText.matchAll(ENTRY)].map((m) => [m[1], { sha: m[2], version: m[3] }]));

const rows = [];
const next = new Map();
for (const [key, pin] of lock) {
  const [repo, ref] = splitKey(key);
  const facts = repoFacts(repo);
  const verified = check(facts, pin.version, pin.sha);
  const major = majorOf(repo, ref);
  const newest = major === undefined ? undefined : newestIn(facts, major);
  if (!verified.ok && !verified.commit) {
    rows.push({ key, version: pin.version, sha: pin.sha, status: 'unverified', note: verified.why, corroboration: CORROBORATED[key] });
    next.set(key, pin);
    continue;
  }
  if (!verified.ok && verified.commit === pin.sha) {
    rows.push({ key, version: pin.version, sha: pin.sha, status: 'unverified', note: verified.why });
    next.set(key, pin);
    continue;
  }
  if (!verified.ok) {
    // the tag exists but names another commit: the lock was wrong
    const fixed = check(facts, pin.version);
    rows.push({ key, version: pin.version, sha: fixed.commit, status: 'fixed', previous: pin, branch: fixed.branch, commitDate: fixed.date, note: verified.why });
    next.set(key, { sha: fixed.commit, version: pin.version });
    continue;
  }
  if (refresh && newest && compare(newest, pin.version) > 0) {
    const now = check(facts, newest);
    if (now.ok) {
      rows.push({ key, version: newest, sha: now.commit, status: 'refreshed', previous: pin, branch: now.branch, commitDate: now.date });
      next.set(key, { sha: now.commit, version: newest });
      continue;
    }
  }
  rows.push({ key, version: pin.version, sha: pin.sha, status: 'verified', branch: verified.branch, commitDate: verified.date });
  next.set(key, pin);
}

if (refresh) {
  const wanted = [...EXTRA_KEYS];
  const byRepo = new Map();
  for (const key of [...lock.keys(), ...EXTRA_KEYS]) {
    const [repo, ref] = splitKey(key);
    if (!byRepo.has(repo)) byRepo.set(repo, []);
    byRepo.get(repo).push(ref);
  }
  for (const [repo, refs] of byRepo) {
    const facts = repoFacts(repo);
    if (FULL_VERSION_KEYS.has(repo)) {
      // keyed by full version: add the newest release when it is newer than every key
      const newest = facts.releases[facts.releases.length - 1];
      if (newest && refs.every((r) => !RELEASE.test(r) || compare(newest, r) > 0)) wanted.push(`${repo}@${newest}`);
      continue;
    }
    const top = Math.max(...refs.map((r) => majorOf(repo, r)).filter((m) => m !== undefined));
    const majors = new Set(facts.releases.map((t) => parts(t)[0]).filter((m) => m > top));
    for (const m of [...majors].sort((a, b) => a - b)) wanted.push(`${repo}@v${m}`);
  }
  for (const key of wanted) {
    if (next.has(key)) continue;
    const [repo, ref] = splitKey(key);
    const facts = repoFacts(repo);
    const major = majorOf(repo, ref);
    const tag = major === undefined ? ref : newestIn(facts, major);
    const now = tag && check(facts, tag);
    if (!now || !now.ok) throw new Error(`cannot add ${key}: ${now ? now.why : 'no release in that major'}`);
    rows.push({ key, version: tag, sha: now.commit, status: 'added', branch: now.branch, commitDate: now.date });
    next.set(key, { sha: now.commit, version: tag });
  }
  const keys = [...next.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const body = keys.map((k) => `  '${k}': { sha: '${next.get(k).sha}', version: '${next.get(k).version}' },`).join('\n');
  const start = lockText.indexOf('= {\n') + 4;
  const end = lockText.indexOf('\n};', start);
  fs.writeFileSync(LOCK_FILE, lockText.slice(0, start) + body + lockText.slice(end));
}

rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
for (const row of rows) {
  const facts = repoFacts(splitKey(row.key)[0]);
  row.clone = facts.date;
}
const table = {
  verifiedOn: new Date().toISOString().slice(0, 10),
  method: 'git rev-parse refs/tags/<version>^{commit} in a clone of each action repository (clone date per row), '
    + 'and git for-each-ref --contains <commit> refs/heads (a branch holds the commit). Generated by scripts/catalog-sync.js',
  entries: rows,
};
if (!checkOnly) fs.writeFileSync(TABLE_FILE, JSON.stringify(table, undefined, 2) + '\n');

// ---- the metadata ---------------------------------------------------------------------------
const final = new Map(refresh ? next : lock);
const metadata = {};
const missing = [];
for (const [key, pin] of final) {
  const [repo, ref] = splitKey(key);
  const facts = repoFacts(repo);
  const paths = ['', ...(SUB_ACTIONS[repo] ?? [])];
  for (const sub of paths) {
    const file = ['action.yml', 'action.yaml'].map((f) => (sub ? `${sub}/${f}` : f))
      .find((f) => git(facts.dir, 'cat-file', '-e', `${pin.sha}:${f}`) !== undefined);
    const uses = sub ? `${repo}/${sub}@${ref}` : key;
    if (!file) {
      missing.push(`${uses}: ${git(facts.dir, 'cat-file', '-e', pin.sha) === undefined ? `commit ${pin.sha} is not in the clone` : 'no action.yml at the commit'}`);
      continue;
    }
    const doc = YAML.parse(git(facts.dir, 'show', `${pin.sha}:${file}`));
    metadata[uses] = { sha: pin.sha, ...facts_of(doc) };
  }
}

function facts_of(doc) {
  const inputs = {};
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
    const s = spec ?? {};
    const input = {};
    if (s.required === true || s.required === 'true') input.required = true;
    if (s.default !== undefined && s.default !== null) input.defaultValue = String(s.default);
    if (s.deprecationMessage !== undefined) input.deprecationMessage = String(s.deprecationMessage);
    inputs[name] = input;
  }
  return { inputs, outputs: Object.keys(doc.outputs ?? {}) };
}

const sortedKeys = Object.keys(metadata).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const out = [
  '// ~~ Generated by scripts/catalog-sync.js from action.yml at each pinned commit. Do not edit.',
  '// Regenerate: node scripts/catalog-sync.js --mirrors DIR (DIR: bare clones of the action',
  '// repositories, see the script). Facts only: input names, required, default, deprecationMessage',
  '// and output names.',
  "import type { ActionMetadata } from '../action';",
  '',
  '/** An action\'s declared inputs and outputs at the commit `sha`. @internal */',
  'export interface CatalogMetadata extends ActionMetadata {',
  '  /** The commit the facts were read at. */',
  '  readonly sha: string;',
  '}',
  '',
  '/**',
  ' * By `owner/repo[/path]@ref`: the lock key, or for an action in a folder of the',
  ' * repository, its path with the lock\'s ref.',
  missing.length ? ` * Not recorded (the commit is not in the clone): ${missing.map((m) => m.split(':')[0]).join(', ')}.` : undefined,
  ' * @internal',
  ' */',
  'export const CATALOG_METADATA: { readonly [uses: string]: CatalogMetadata } = {',
  ...sortedKeys.map((k) => `  ${literal(k)}: ${literal(metadata[k])},`),
  '};',
  '',
].filter((l) => l !== undefined);
const stale = fs.readFileSync(METADATA_FILE, 'utf8') !== out.join('\n');
if (!checkOnly) fs.writeFileSync(METADATA_FILE, out.join('\n'));

const count = (s) => rows.filter((r) => r.status === s).length;
console.log(`lock: ${rows.length} entries: ${['verified', 'refreshed', 'fixed', 'added', 'unverified'].map((s) => `${count(s)} ${s}`).join(', ')}`);
for (const r of rows) if (r.status !== 'verified') console.log(`  ${r.status.padEnd(10)} ${r.key} ${r.previous ? `${r.previous.version} -> ` : ''}${r.version} ${r.sha}${r.note ? ` (${r.note})` : ''}`);
console.log(`metadata: ${sortedKeys.length} actions${missing.length ? `; not recorded: ${missing.join('; ')}` : ''}`);
if (checkOnly && (count('fixed') > 0 || stale)) {
  console.error(`check failed: ${count('fixed')} lock SHA(s) differ from their tags${stale ? '; the metadata module is out of date' : ''}`);
  process.exit(1);
}

/** A value as a one-line TypeScript literal: single-quoted strings, bare keys where they can be. */
function literal(value) {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : literal(k)}: ${literal(v)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return String(value);
}

function splitKey(key) {
  const at = key.indexOf('@');
  return [key.slice(0, at), key.slice(at + 1)];
}
