/**
 * The prose of README.md and docs/*.md about generated behaviour, checked against the output:
 * the north star exactly as the README writes it, what each rollout strategy checks, what the
 * cluster must run, the CLI's exit codes and what `--check` covers.
 * Loads definitions through the compiled lib/ (as a user's project does): compile first.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { expectValid } from './support/harness';
import { tempProject } from './support/temp-project';
import { EXIT_DRIFT, EXIT_INVALID, EXIT_OK } from '../src/cli/synth';
import { Testing } from '../src/core/testing';

const REPO = path.resolve(__dirname, '..');
const BIN = path.join(REPO, 'bin', 'slipway');
const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const DELIVERY = fs.readFileSync(path.join(REPO, 'docs', 'delivery.md'), 'utf8');

/** The fenced blocks of a Markdown text in a language. */
function blocks(md: string, lang: string): string[] {
  return [...md.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))].map((m) => m[1]);
}

/** The text of the section under a heading, up to the next heading of the same or a higher level. */
function section(md: string, heading: string): string {
  const start = md.indexOf(heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const level = /^#+/.exec(heading)![0].length;
  const rest = md.slice(start + heading.length);
  const end = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return end < 0 ? rest : rest.slice(0, end);
}

/** Step names of a job, and the index of the first one matching. */
const names = (job: any): string[] => job.steps.map((s: any) => s.name as string);
const indexOf = (job: any, re: RegExp) => names(job).findIndex((n) => re.test(n));

describe('README: the north star, exactly as written', () => {
  const northStar = section(README, '### One definition, every output: the north star');
  const code = blocks(northStar, 'ts')[0];
  const dir = tempProject('docs-north-star');
  fs.writeFileSync(path.join(dir, 'slipway.ts'), code);
  const files = Testing.synthFile(path.join(dir, 'slipway.ts'));
  const ci = YAML.parse(files['.github/workflows/ci.yml']);

  test('it synthesizes, unchanged, to valid output with every file the table lists', () => {
    expect(code).toMatch(/^\/\/ slipway\.ts\nimport \{[\s\S]*\} from 'slipway';/);
    expectValid(files);
    const table = northStar.slice(northStar.indexOf('| file | what it is |'));
    for (const listed of ['.github/workflows/ci.yml', 'deploy/cloudrun/context-api.coditect.service.yaml', 'docs/pipelines/ci.md']) {
      expect(table).toContain(`\`${listed}\``);
      expect(Object.keys(files)).toContain(listed);
    }
    for (const f of ['Chart.yaml', 'values.yaml', 'values.schema.json', 'values-staging.yaml', 'values-production.yaml']) {
      expect(table).toContain(`\`${f}\``);
      expect(Object.keys(files)).toContain(`deploy/helm/context-api/${f}`);
    }
    expect(table).toContain('`context-api-migrate-expand.coditect.job.yaml`');
    expect(Object.keys(files)).toContain('deploy/cloudrun/context-api-migrate-expand.coditect.job.yaml');
  });

  test('gates in parallel, one build, deploys in order on pushes to main, one at a time, migration first', () => {
    const gates = /gates in parallel \(([^)]*(?:\([^)]*\)[^)]*)*)\)/.exec(northStar)![1];
    const ids = [...gates.matchAll(/`([a-z-]+)`(?: with|,|$)/g)].map((m) => m[1]);
    expect(ids).toEqual(['lint', 'unit-tests', 'integration-tests', 'security-scan']);
    for (const id of ids) expect([id, ci.jobs[id].needs]).toEqual([id, undefined]);
    // one build of the image, pushed on every event but pull requests
    expect(ci.jobs.build.if).toBe("github.event_name != 'pull_request'");
    expect(ci.jobs.build.steps.filter((s: any) => /docker\/build-push-action@/.test(s.uses ?? ''))).toHaveLength(1);
    expect(ci.jobs.build.outputs['digest-context-api']).toBeDefined();
    const order = ['deploy-staging', 'deploy-production', 'deploy-coditect'];
    order.forEach((job, i) => {
      expect(ci.jobs[job].needs).toEqual(expect.arrayContaining([...ids, 'build', ...(i > 0 ? [order[i - 1]] : [])]));
      expect(ci.jobs[job].if).toBe("(github.event_name == 'push') && (github.ref == 'refs/heads/main')");
      expect(ci.jobs[job].concurrency).toEqual({ 'group': `deploy-${job.slice(7)}`, 'cancel-in-progress': false });
      expect(indexOf(ci.jobs[job], /^Migrate /)).toBeGreaterThan(-1);
      expect(indexOf(ci.jobs[job], /^Migrate /)).toBeLessThan(indexOf(ci.jobs[job], /^Deploy /));
      expect(ci.jobs[job].steps.find((s: any) => /^Roll back /.test(s.name)).if).toMatch(/failure\(\) \|\| cancelled\(\)/);
    });
  });

  test('the integration tests get DATABASE_URL and REDIS_URL for their Postgres and Redis', () => {
    expect(northStar).toContain('`integration-tests` with `DATABASE_URL` and `REDIS_URL` pointing at its Postgres and Redis');
    expect(ci.jobs['integration-tests'].env).toEqual({
      DATABASE_URL: 'postgresql://postgres:postgres@localhost:5432/postgres', REDIS_URL: 'redis://localhost:6379',
    });
  });

  test('staging: a rolling update and one smoke test after it', () => {
    expect(northStar).toContain('`staging`, a rolling update: `helm upgrade`, then one in-cluster smoke test of the release.');
    const job = ci.jobs['deploy-staging'];
    expect(names(job).filter((n) => /^Smoke test /.test(n))).toHaveLength(1);
    expect(indexOf(job, /^Smoke test /)).toBeGreaterThan(indexOf(job, /^Deploy /));
    expect(Object.keys(files)).not.toContain('deploy/helm/context-api/templates/ingress.yaml');
  });

  test('production: an Argo Rollouts canary the controller steps with 5-minute pauses; one smoke test, at 100%; the cluster must run the controller', () => {
    expect(northStar).toMatch(/the canary is an Argo Rollouts `Rollout`\s+\(`templates\/rollout\.yaml`\)\. The Argo Rollouts controller, which \*\*the cluster must run\*\*/);
    expect(northStar).not.toMatch(/smoke test after every step/);
    const values = YAML.parse(files['deploy/helm/context-api/values-production.yaml']);
    expect(values.rollout.strategy).toBe('argo-canary');
    expect(values.canary).toEqual({ steps: [10, 50], bake: '5m' });
    const template = files['deploy/helm/context-api/templates/rollout.yaml'];
    expect(template).toMatch(/^kind: Rollout$/m);
    expect(template).toMatch(/\{\{- range \.Values\.canary\.steps \}\}\n\s+- setWeight: \{\{ \. \}\}\n\s+- pause:\n\s+duration: \{\{ printf "%q" \$\.Values\.canary\.bake \}\}/);
    const job = ci.jobs['deploy-production'];
    expect(indexOf(job, /^Install the Argo Rollouts kubectl plugin/)).toBeGreaterThan(-1);
    const follow = indexOf(job, /^Follow the context-api canary to 100%$/);
    expect(follow).toBeGreaterThan(indexOf(job, /^Deploy context-api to production \(Argo Rollouts\)$/));
    expect(names(job).filter((n) => /^Smoke test /.test(n))).toEqual(['Smoke test context-api (release) inside the cluster']);
    expect(indexOf(job, /^Smoke test /)).toBe(follow + 1);
    expect(names(job).filter((n) => /^Bake /.test(n))).toEqual([]);
  });

  test('coditect: Cloud Run deploy, then a check of the service', () => {
    expect(northStar).toContain('`coditect`, Cloud Run: `gcloud run services replace`, then a check of the service.');
    const job = ci.jobs['deploy-coditect'];
    expect(indexOf(job, /^Check coditect-backend$/)).toBe(indexOf(job, /^Deploy coditect-backend$/) + 1);
    expect(fs.readFileSync(path.join(REPO, 'assets/deploy/cloud-run.sh'), 'utf8')).toMatch(/gcloud run services replace/);
  });
});

describe('docs/delivery.md: what each rollout checks (the committed examples/coditect output)', () => {
  const ci = YAML.parse(fs.readFileSync(path.join(REPO, 'examples/coditect/.github/workflows/ci.yml'), 'utf8'));

  test('an NGINX canary: at every step a bake, an in-cluster smoke test of the canary Service and the metric gate; a smoke test at 100%', () => {
    expect(DELIVERY).toContain('NGINX canary stepped by `canary.weight` (when the app has an ingress or the environment a `url`): at every step a bake, an in-cluster smoke test of the canary Service and the metric gate.');
    const job = ci.jobs['deploy-production'];
    for (const weight of [10, 50]) {
      const bake = indexOf(job, new RegExp(`^Bake context-api at ${weight}% `));
      expect(names(job)[bake + 1]).toBe(`Smoke test context-api (${weight}% canary) inside the cluster`);
      expect(names(job)[bake + 2]).toMatch(new RegExp(`^Metric gate .* at ${weight}%$`));
    }
    expect(names(job)[indexOf(job, /^Promote /) + 1]).toMatch(/^Smoke test context-api at https:/);
  });

  test('Cloud Run: a check of the canary revision at every step', () => {
    expect(DELIVERY).toContain('for an NGINX canary and on Cloud Run also every canary step');
    const job = ci.jobs['deploy-coditect'];
    const shifts = names(job).map((n, i) => [n, i] as const).filter(([n]) => /^Shift \d+% /.test(n));
    expect(shifts.length).toBe(2);
    for (const [, i] of shifts) expect(names(job).slice(i + 1, i + 3)).toEqual(expect.arrayContaining(['Check the canary revision of coditect-backend']));
  });
});

describe('README: the slipway command', () => {
  const run = (dir: string, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });

  test('exit codes: 0 success, 1 drift found by --check, 2 an error; the help says the same', () => {
    expect(README).toContain('Exit codes: `0` success, `1` drift found by `--check` (or findings of `slipway audit` and\n`slipway validate`), `2` an error');
    expect([EXIT_OK, EXIT_DRIFT, EXIT_INVALID]).toEqual([0, 1, 2]);
    expect(run(REPO, '--help').stdout).toContain('Exit codes: 0 success, 1 `--check` found drift or `audit` or `validate` found problems, 2 invalid definition');
  });

  test('--check writes nothing and lists each file that is missing, changed or stale (exit 1); an invalid definition is exit 2', () => {
    expect(README).toContain('| `slipway synth --check` | Writes nothing. Exit 1 and a list of each file that is missing, changed or stale');
    const dir = tempProject('docs-check');
    const definition = fs.readFileSync(path.join(REPO, 'examples/hello/slipway.ts'), 'utf8');
    fs.writeFileSync(path.join(dir, 'slipway.ts'), definition);
    expect(run(dir, 'synth', '--quiet').status).toBe(EXIT_OK);
    expect(run(dir, 'synth', '--check').status).toBe(EXIT_OK);

    const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.slipway/manifest.json'), 'utf8'));
    const generated = Object.keys(manifest.files).sort();
    const [edited, deleted] = [generated.find((f) => f.endsWith('.yml'))!, generated.find((f) => f.endsWith('Chart.yaml'))!];
    fs.appendFileSync(path.join(dir, edited), '# edited by hand\n');
    fs.rmSync(path.join(dir, deleted));
    // a definition that no longer generates the Cloud Run spec leaves it stale
    const cloudRun = generated.find((f) => f.startsWith('deploy/cloudrun/'))!;
    fs.writeFileSync(path.join(dir, 'slipway.ts'), definition.replace(/\nnew CloudRunService\([\s\S]*?\n\}\);\n/, '\n'));
    expect(fs.readFileSync(path.join(dir, 'slipway.ts'), 'utf8')).not.toContain('new CloudRunService(');
    const before = fs.readFileSync(path.join(dir, edited), 'utf8');
    const check = run(dir, 'synth', '--check');
    expect(check.status).toBe(EXIT_DRIFT);
    expect(check.stderr).toMatch(new RegExp(`changed\\s+${edited.replace(/\./g, '\\.')}`));
    expect(check.stderr).toMatch(new RegExp(`missing\\s+${deleted.replace(/\./g, '\\.')}`));
    expect(check.stderr).toMatch(new RegExp(`stale\\s+${cloudRun.replace(/\./g, '\\.')}`));
    expect(fs.readFileSync(path.join(dir, edited), 'utf8')).toBe(before);
    expect(fs.existsSync(path.join(dir, deleted))).toBe(false);

    fs.writeFileSync(path.join(dir, 'slipway.ts'), definition.replace("new Application(app, 'hello'", "new Application(app, 'Bad_Name'"));
    const invalid = run(dir, 'synth', '--check');
    expect(invalid.status).toBe(EXIT_INVALID);
    expect(invalid.stderr).toMatch(/Bad_Name/);
  });
});
