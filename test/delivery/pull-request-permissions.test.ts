/**
 * No job that runs for a pull request holds a scope that writes outside the
 * repository's checks: `id-token: write` (cloud logins, package publishing)
 * or `packages: write` (the registry). Checked on every committed example.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

const ROOT = path.join(__dirname, '..', '..', 'examples');
const WRITE_SCOPES = ['id-token', 'packages'];

/** Whether a job's `if:` keeps it off pull requests, itself or through a job it needs. */
function offPullRequests(jobs: { [id: string]: any }, id: string, seen = new Set<string>()): boolean {
  if (seen.has(id)) return false;
  seen.add(id);
  const job = jobs[id];
  const cond = String(job.if ?? '');
  if (/github\.event_name != 'pull_request'|github\.event_name == '(push|workflow_dispatch|schedule|release)'/.test(cond) && !cond.includes('||')) return true;
  const needs: string[] = job.needs === undefined ? [] : [].concat(job.needs);
  // a job that needs a skipped job is skipped, unless its condition runs it anyway
  const required = [...cond.matchAll(/needs\.([A-Za-z0-9_-]+)\.result == 'success'/g)].map((m) => m[1]);
  if (required.some((n) => offPullRequests(jobs, n, seen))) return true;
  if (/always\(\)|failure\(\)|cancelled\(\)/.test(cond)) return false;
  return needs.some((n) => offPullRequests(jobs, n, seen));
}

const workflows = fs.readdirSync(ROOT).flatMap((example) => {
  const dir = path.join(ROOT, example, '.github', 'workflows');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(example, '.github', 'workflows', f)) : [];
});

test.each(workflows)('%s: no job that runs on pull requests holds id-token or packages write', (file) => {
  const doc = YAML.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
  const on = typeof doc.on === 'string' ? { [doc.on]: null } : doc.on;
  if (!('pull_request' in on) && !('pull_request_target' in on)) return;
  const offenders = Object.entries(doc.jobs as { [id: string]: any })
    .filter(([, job]) => WRITE_SCOPES.some((s) => (job.permissions ?? doc.permissions ?? {})[s] === 'write'))
    .filter(([id]) => !offPullRequests(doc.jobs, id))
    .map(([id]) => id);
  expect(offenders).toEqual([]);
});

test('the check sees a job that would hold a write scope on pull requests', () => {
  const jobs = {
    build: { if: "github.event_name != 'pull_request'", permissions: { packages: 'write' } },
    scan: { needs: 'build' },
    report: { needs: 'build', if: 'always()' },
    any: { permissions: { 'id-token': 'write' } },
    either: { if: "github.event_name != 'pull_request' || github.ref == 'refs/heads/main'" },
  };
  expect(Object.keys(jobs).filter((id) => offPullRequests(jobs, id))).toEqual(['build', 'scan']);
});
