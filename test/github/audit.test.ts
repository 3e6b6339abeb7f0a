import * as fs from 'fs';
import * as path from 'path';
import { AUDIT_RULES, AuditFinding, auditFile, conditionFor, ignoreProblems } from '../../src/github/audit';

const SHA = '08c6903cd8c0fde910a37f88322edcfb5dd907a8';
const DIGEST = 'sha256:' + 'a'.repeat(64);

/** A workflow with `permissions: contents: read`, the given triggers and jobs (YAML, indented under `jobs:`). */
function workflow(on: string, jobs: string, top = 'permissions:\n  contents: read\n'): string {
  return `name: t\non:\n${indent(on, 2)}\n${top}jobs:\n${indent(jobs, 2)}\n`;
}

function indent(s: string, n: number): string {
  return s.trim().split('\n').map((l) => ' '.repeat(n) + l).join('\n');
}

function audit(text: string, files: { [path: string]: string } = {}): AuditFinding[] {
  return auditFile('wf.yml', text, { readRepoFile: (p) => files[p] });
}

const rules = (findings: AuditFinding[]) => findings.map((f) => f.rule);

/** A job that checks out safely and runs `script`. */
function job(id: string, body: string): string {
  return `${id}:\n  runs-on: ubuntu-latest\n${indent(body, 2)}`;
}

const CHECKOUT = `- uses: actions/checkout@${SHA} # v5.0.0\n  with:\n    persist-credentials: false`;

describe('unpinned-uses', () => {
  test('a tag, a branch, a docker:// image by tag and a reusable workflow by tag fire, with the fix', () => {
    const text = workflow('push: {}', `
${job('a', `steps:
  - uses: actions/setup-node@v4
  - uses: some/action/sub@main
  - uses: docker://alpine:3.19`)}
b:
  uses: org/repo/.github/workflows/x.yml@v1`);
    const f = audit(text);
    expect(rules(f)).toEqual(['unpinned-uses', 'unpinned-uses', 'unpinned-uses', 'unpinned-uses']);
    expect(f[0]).toMatchObject({ line: 10, column: 15 });
    expect(f[0].message).toContain('use "actions/setup-node@<40-hex commit> # v4"');
    expect(f[2].message).toContain('"docker://alpine:3.19@sha256:<digest>"');
    expect(f[3].message).toContain('org/repo/.github/workflows/x.yml@v1');
  });

  test('a full SHA, a local action and a docker:// image by digest are clean', () => {
    const text = workflow('push: {}', job('a', `steps:
  - uses: actions/setup-node@${SHA} # v4
  - uses: ./.github/actions/local
  - uses: docker://alpine:3.19@${DIGEST}`));
    expect(audit(text)).toEqual([]);
  });
});

describe('template-injection', () => {
  test('untrusted text in run: and in a github-script script fires at the expression', () => {
    const text = workflow('issues: {}', job('a', `steps:
  - run: |
      echo start
      echo "\${{ github.event.issue.title }}"
  - uses: actions/github-script@${SHA}
    with:
      script: console.log('\${{ github.event.issue.body }}')`));
    const f = audit(text);
    expect(rules(f)).toEqual(['template-injection', 'template-injection']);
    expect(f[0]).toMatchObject({ line: 12, column: 17 });
    expect(f[0].message).toContain('put it in the step\'s env (ISSUE_TITLE: ${{ github.event.issue.title }}) and read "$ISSUE_TITLE"');
    expect(f[1]).toMatchObject({ line: 15 });
    expect(f[1].message).toContain('github-script "script"');
  });

  test('the same value read from env as data, and trusted expressions, are clean', () => {
    const text = workflow('issues: {}', job('a', `steps:
  - run: echo "$TITLE" \${{ github.sha }} \${{ github.event.issue.number }}
    env:
      TITLE: \${{ github.event.issue.title }}`));
    expect(audit(text)).toEqual([]);
  });

  test('inputs are untrusted in a reusable workflow and in a composite action', () => {
    const reusable = workflow('workflow_call:\n  inputs:\n    x: { type: string }', job('a', 'steps:\n  - run: echo ${{ inputs.x }}'));
    expect(rules(audit(reusable))).toEqual(['template-injection']);
    const dispatch = workflow('workflow_dispatch:\n  inputs:\n    x: { type: string }', job('a', 'steps:\n  - run: echo ${{ inputs.x }}'));
    expect(audit(dispatch)).toEqual([]);
    const action = 'name: a\ndescription: d\nruns:\n  using: composite\n  steps:\n    - run: echo ${{ inputs.name }}\n      shell: bash\n';
    expect(auditFile('action.yml', action)).toMatchObject([{ rule: 'template-injection', line: 6, column: 17 }]);
  });
});

describe('template-injection through env, step outputs and job outputs', () => {
  test('${{ env.X }} where X holds untrusted text fires; "$X" does not', () => {
    const text = workflow('issues: {}', `
${job('a', `env:
  TITLE: \${{ github.event.issue.title }}
steps:
  - run: echo "$TITLE"
  - run: echo "\${{ env.TITLE }}"
  - run: echo "\${{ env.OTHER }}"`)}`, 'permissions: {}\nenv:\n  OTHER: fixed\n');
    const f = audit(text);
    expect(f).toMatchObject([{ rule: 'template-injection', line: 14 }]);
    expect(f[0].message).toContain('${{ env.TITLE }}');
  });

  test('a step output written from untrusted text, directly or through an env variable, is untrusted in later steps and in needs', () => {
    const text = workflow('issue_comment: {}', `
${job('a', `outputs:
  direct: \${{ steps.s.outputs.direct }}
  clean: \${{ steps.s.outputs.clean }}
steps:
  - id: s
    env:
      BODY: \${{ github.event.comment.body }}
    run: |
      echo "direct=\${{ github.event.comment.body }}" >> "$GITHUB_OUTPUT"
      echo "viaenv=$BODY" >> "$GITHUB_OUTPUT"
      echo "clean=\${{ github.sha }}" >> "$GITHUB_OUTPUT"
  - run: echo \${{ steps.s.outputs.viaenv }} \${{ steps.s.outputs.clean }}`)}
${job('b', `needs: a
steps:
  - run: echo \${{ needs.a.outputs.direct }} \${{ needs.a.outputs.clean }}`)}`, 'permissions: {}\n');
    const f = audit(text).filter((x) => x.rule === 'template-injection');
    expect(f.map((x) => /\$\{\{ (\S+) \}\}/.exec(x.message)![1])).toEqual([
      'github.event.comment.body', // the write itself
      'steps.s.outputs.viaenv',
      'needs.a.outputs.direct',
    ]);
  });
});

describe('template-injection through github-script outputs, multi-line outputs, reusable workflows and matrices', () => {
  const exprs = (f: AuditFinding[]) => f.filter((x) => x.rule === 'template-injection').map((x) => /\$\{\{ (.+?) \}\}/.exec(x.message)![1]);

  test('a github-script output set from payload text fires where a script reads it; one set from a number does not', () => {
    const text = workflow('issues: {}', `
${job('a', `steps:
  - id: gs
    uses: actions/github-script@${SHA} # v7
    with:
      script: |
        const { title } = context.payload.issue;
        core.setOutput('title', title);
        core.setOutput('number', context.payload.issue.number);
        return context.payload['issue']?.body;
  - run: echo "\${{ steps.gs.outputs.title }}" \${{ steps.gs.outputs.number }} \${{ steps.gs.outputs.result }}`)}`);
    expect(exprs(audit(text))).toEqual(['steps.gs.outputs.title', 'steps.gs.outputs.result']);
  });

  test('a multi-line output written from a tainted variable fires; one written from a trusted one does not', () => {
    const text = workflow('issue_comment: {}', `
${job('a', `steps:
  - id: s
    env:
      BODY: \${{ github.event.comment.body }}
    run: |
      { echo "body<<EOF"; echo "$BODY"; echo EOF; } >> "$GITHUB_OUTPUT"
      { echo "sha<<EOF"; echo "$GITHUB_SHA"; echo EOF; } >> "$GITHUB_OUTPUT"
  - run: echo \${{ steps.s.outputs.body }} \${{ steps.s.outputs.sha }}`)}`);
    expect(exprs(audit(text))).toEqual(['steps.s.outputs.body']);
  });

  const CALLEE = `name: describe
on:
  workflow_call:
    inputs:
      text:
        type: string
    outputs:
      summary:
        value: \${{ jobs.sum.outputs.summary }}
      fixed:
        value: \${{ jobs.sum.outputs.fixed }}
permissions: {}
jobs:
  sum:
    runs-on: ubuntu-latest
    outputs:
      summary: \${{ steps.s.outputs.summary }}
      fixed: \${{ steps.s.outputs.fixed }}
    steps:
      - id: s
        env:
          TEXT: \${{ inputs.text }}
        run: |
          echo "summary=$TEXT" >> "$GITHUB_OUTPUT"
          echo "fixed=ok" >> "$GITHUB_OUTPUT"
`;
  const caller = (passed: string) => workflow('issues: {}', `
describe:
  uses: ./.github/workflows/describe.yml
  with:
    text: ${passed}
${job('use', `needs: describe
steps:
  - run: echo \${{ needs.describe.outputs.summary }} \${{ needs.describe.outputs.fixed }}`)}`);

  test('an output of a called workflow of the repository that carries the untrusted text passed to it fires in the caller', () => {
    const files = { '.github/workflows/describe.yml': CALLEE };
    expect(exprs(audit(caller('${{ github.event.issue.title }}'), files))).toEqual(['needs.describe.outputs.summary']);
    expect(exprs(audit(caller('${{ github.event.issue.number }}'), files))).toEqual([]);
    // the called workflow cannot be read: its outputs are not followed
    expect(exprs(audit(caller('${{ github.event.issue.title }}')))).toEqual([]);
  });

  test('a call cycle (which GitHub rejects) is followed once around', () => {
    const calls = ['a', 'b', 'c'].map((id) => `${id}:\n  uses: ./.github/workflows/self.yml\n  with:\n    text: \${{ inputs.text }}`).join('\n');
    const self = workflow('workflow_call:\n  inputs:\n    text:\n      type: string\n  outputs:\n    out:\n      value: ${{ jobs.a.outputs.out }}', `
${calls}
${job('use', `needs: [a, b, c]
steps:
  - run: echo \${{ needs.a.outputs.out }}`)}`);
    const started = Date.now();
    expect(exprs(audit(self, { '.github/workflows/self.yml': self }))).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('matrix values from untrusted text fire where a script reads them; other keys do not', () => {
    const text = workflow('issues: {}', `
${job('setup', `outputs:
  m: \${{ steps.m.outputs.m }}
steps:
  - id: m
    run: echo "m=\${{ github.event.issue.body }}" >> "$GITHUB_OUTPUT"`)}
${job('fromoutput', `needs: setup
strategy:
  matrix: \${{ fromJSON(needs.setup.outputs.m) }}
steps:
  - run: echo \${{ matrix.name }}`)}
${job('keys', `strategy:
  matrix:
    os: [ubuntu-latest]
    label: ['\${{ github.event.issue.title }}']
    include:
      - os: ubuntu-latest
        number: \${{ github.event.issue.number }}
steps:
  - run: echo \${{ matrix.os }} \${{ matrix.label }} \${{ matrix.number }}`)}`);
    expect(exprs(audit(text))).toEqual(['github.event.issue.body', 'matrix.name', 'matrix.label']);
  });
});

describe('excessive-permissions', () => {
  test('no top-level permissions, write-all, and write scopes where a pull request runs repository code fire', () => {
    expect(audit(workflow('push: {}', job('a', 'steps:\n  - run: echo'), ''))).toMatchObject([{ rule: 'excessive-permissions', line: 4 }]);
    expect(rules(audit(workflow('push: {}', job('a', 'steps:\n  - run: echo'), 'permissions: write-all\n')))).toEqual(['excessive-permissions']);
    const pr = workflow('pull_request: {}', job('a', `permissions:
  packages: write
steps:
  ${indent(CHECKOUT, 2).trim()}`));
    const f = audit(pr);
    expect(f).toMatchObject([{ rule: 'excessive-permissions', line: 9 }]);
    expect(f[0].message).toContain('"pull_request"');
    expect(f[0].message).toContain('"packages: write"');
  });

  test('write scopes in a job the condition keeps off pull requests, or downstream of one, are clean', () => {
    const text = workflow('pull_request: {}\npush: {}', `
${job('build', `if: github.event_name != 'pull_request'
permissions:
  packages: write
steps:
  ${indent(CHECKOUT, 2).trim()}`)}
${job('deploy', `needs: build
if: always() && needs.build.result == 'success'
permissions:
  id-token: write
steps:
  ${indent(CHECKOUT, 2).trim()}`)}
${job('release', `if: startsWith(github.ref, 'refs/tags/')
permissions:
  contents: write
steps:
  ${indent(CHECKOUT, 2).trim()}`)}`);
    expect(audit(text)).toEqual([]);
  });

  test('a labeler that runs no repository code may hold write scopes on pull requests', () => {
    const text = workflow('pull_request: {}', job('label', `permissions:
  pull-requests: write
steps:
  - uses: some/labeler@${SHA}`));
    expect(audit(text)).toEqual([]);
  });

  test('the condition evaluator: event name, github.ref on pull_request, and unknowns', () => {
    expect(conditionFor("github.event_name == 'push'", 'pull_request')).toBe(false);
    expect(conditionFor("${{ github.event_name != 'pull_request' }}", 'pull_request')).toBe(false);
    expect(conditionFor("github.ref == 'refs/heads/main'", 'pull_request')).toBe(false);
    expect(conditionFor("github.ref == 'refs/heads/main'", 'pull_request_target')).toBeUndefined();
    expect(conditionFor("contains(github.event.pull_request.labels.*.name, 'x')", 'pull_request')).toBeUndefined();
    expect(conditionFor("github.event_name == 'push' || github.actor == 'me'", 'pull_request')).toBeUndefined();
    expect(conditionFor("needs.b.result == 'success'", 'pull_request', () => 'skipped')).toBe(false);
  });
});

describe('credential-persistence', () => {
  test('a checkout that keeps the token in a job that does not push fires', () => {
    const f = audit(workflow('push: {}', job('a', `steps:\n  - uses: actions/checkout@${SHA}\n  - run: make`)));
    expect(f).toMatchObject([{ rule: 'credential-persistence', line: 10, column: 15 }]);
    expect(f[0].message).toContain('persist-credentials: false');
  });

  test('persist-credentials: false, or a job that pushes (directly or in a repository script it runs), is clean', () => {
    expect(audit(workflow('push: {}', job('a', `steps:\n  ${indent(CHECKOUT, 2).trim()}`)))).toEqual([]);
    expect(audit(workflow('push: {}', job('a', `steps:\n  - uses: actions/checkout@${SHA}\n  - run: git push origin HEAD`)))).toEqual([]);
    const viaScript = workflow('push: {}', job('a', `steps:\n  - uses: actions/checkout@${SHA}\n    with:\n      persist-credentials: true\n  - run: bash .github/slipway/marker.sh v1`));
    expect(audit(viaScript, { '.github/slipway/marker.sh': 'git tag -f x\ngit push -f origin x\n' })).toEqual([]);
    expect(rules(audit(viaScript, { '.github/slipway/marker.sh': 'echo no\n' }))).toEqual(['credential-persistence']);
  });
});

describe('dangerous-trigger', () => {
  test('pull_request_target checking out the head, workflow_run downloading the run\'s artifacts, gh pr checkout fire', () => {
    const prt = workflow('pull_request_target: {}', job('a', `steps:
  - uses: actions/checkout@${SHA}
    with:
      persist-credentials: false
      ref: \${{ github.event.pull_request.head.sha }}
  - run: gh pr checkout 1`));
    const f = audit(prt);
    expect(rules(f)).toEqual(['dangerous-trigger', 'dangerous-trigger']);
    expect(f[0]).toMatchObject({ line: 13 });
    const wr = workflow('workflow_run:\n  workflows: [ci]\n  types: [completed]', job('a', `steps:
  - uses: actions/download-artifact@${SHA}
    with:
      run-id: \${{ github.event.workflow_run.id }}`));
    expect(rules(audit(wr))).toEqual(['dangerous-trigger']);
  });

  test('pull_request_target that checks out the base, and pull_request checking out the head, are clean', () => {
    expect(audit(workflow('pull_request_target: {}', job('a', `steps:\n  ${indent(CHECKOUT, 2).trim()}`)))).toEqual([]);
    expect(audit(workflow('pull_request: {}', job('a', `steps:
  - uses: actions/checkout@${SHA}
    with:
      persist-credentials: false
      ref: \${{ github.event.pull_request.head.sha }}`)))).toEqual([]);
  });
});

describe('cache-poisoning', () => {
  test('actions/cache and cache: inputs in a release job with write scopes fire', () => {
    const text = workflow('push:\n  tags: ["v*"]', job('publish', `permissions:
  contents: write
  id-token: write
steps:
  - uses: actions/cache@${SHA}
    with:
      path: ~/.npm
      key: k
  - uses: actions/setup-node@${SHA}
    with:
      cache: npm`));
    const f = audit(text);
    expect(rules(f)).toEqual(['cache-poisoning', 'cache-poisoning']);
    expect(f[1]).toMatchObject({ line: 20 });
    expect(f[1].message).toContain('remove "cache"');
  });

  test('a cache in a test job, or in a release job without write scopes, is clean', () => {
    const test = workflow('push: {}', job('test', `steps:\n  - uses: actions/setup-node@${SHA}\n    with:\n      cache: npm`));
    expect(audit(test)).toEqual([]);
    const readOnly = workflow('release: {}', job('release', `steps:\n  - uses: actions/setup-node@${SHA}\n    with:\n      cache: npm`));
    expect(audit(readOnly)).toEqual([]);
  });
});

describe('mutable-image', () => {
  test('container and service images by tag or latest fire', () => {
    const text = workflow('push: {}', job('a', `container: node:20
services:
  db:
    image: postgres
steps:
  - run: echo`));
    const f = audit(text);
    expect(rules(f)).toEqual(['mutable-image', 'mutable-image']);
    expect(f[0].message).toContain('the tag "20"');
    expect(f[1].message).toContain('"latest"');
  });

  test('images by digest are clean', () => {
    const text = workflow('push: {}', job('a', `container:
  image: node:20@${DIGEST}
services:
  db:
    image: postgres@${DIGEST}
steps:
  - run: echo`));
    expect(audit(text)).toEqual([]);
  });

  test('the image of a docker run in a run script fires, at its position, past the options and line continuations', () => {
    const text = workflow('push: {}', job('lint', `steps:
  - name: Run tflint
    run: |
      docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/data" -w /data -e GITHUB_TOKEN ghcr.io/terraform-linters/tflint:v0.64.0 --init
      docker container run -it --network=host \\
        grafana/k6 run load.js
      # docker run ignored/in-a-comment:1
      echo ok; docker run --rm alpine:3.20 true
      docker run --platform linux/amd64 -p 8080:80 "nginx:1.27" true`));
    const f = audit(text);
    expect(rules(f)).toEqual(['mutable-image', 'mutable-image', 'mutable-image', 'mutable-image']);
    expect(f[0].message).toBe('job "lint" step "Run tflint": docker run image "ghcr.io/terraform-linters/tflint:v0.64.0" is referenced by the tag "v0.64.0", which can be pushed again; pin it by digest: "ghcr.io/terraform-linters/tflint:v0.64.0@sha256:<digest>"');
    expect(f[0]).toMatchObject({ line: 12, column: 95 });
    expect(f[1].message).toContain('docker run image "grafana/k6" is the moving "latest" tag');
    expect(f[1]).toMatchObject({ line: 14, column: 13 });
    expect(f[2].message).toContain('image "alpine:3.20"');
    expect(f[3].message).toContain('docker run image "nginx:1.27" is referenced by the tag "1.27"');
    expect(f[3]).toMatchObject({ line: 17, column: 57 });
  });

  test('a shell comment ignore line silences the docker run finding below it', () => {
    const text = workflow('push: {}', job('a', `steps:
  - run: |
      # slipway-audit: ignore[mutable-image] (a throwaway image)
      docker run --rm alpine:3.20 true
      docker run --rm busybox:1.37 true`));
    const f = audit(text);
    expect(rules(f)).toEqual(['mutable-image']);
    expect(f[0].message).toContain('"busybox:1.37"');
  });

  test('docker run images by digest, from a variable or an expression are clean', () => {
    const text = workflow('push: {}', job('a', `steps:
  - run: |
      docker run --rm -v "$PWD:/zap/wrk:rw" \\
        ghcr.io/zaproxy/zaproxy:2.17.0@${DIGEST} zap-baseline.py
      docker run --rm "$IMAGE" true
      docker run --rm \${{ vars.IMAGE }} true
      docker build -t app:dev . && echo docker runs`));
    expect(audit(text)).toEqual([]);
  });

  test('an env variable *_IMAGE by tag fires when the step starts a container from it, in its script or a repository script it runs', () => {
    const CHECK = `#!/usr/bin/env bash
kubectl run "$pod" --namespace "$NS" --rm -i --restart=Never --quiet \\
  --image="$SLIPWAY_CHECK_IMAGE" -- curl "$@"
`;
    const text = workflow('push: {}', job('deploy', `steps:
  - name: Smoke test
    run: exec bash .github/slipway/cluster-check.sh smoke api /health
    env:
      SLIPWAY_CHECK_IMAGE: curlimages/curl:8.11.1
  - name: Scan
    run: docker run --rm "$ZAP_IMAGE" zap-baseline.py
    env:
      ZAP_IMAGE: ghcr.io/zaproxy/zaproxy:stable
      OTHER_IMAGE: alpine:3.20`));
    const f = audit(text, { '.github/slipway/cluster-check.sh': CHECK });
    expect(rules(f)).toEqual(['mutable-image', 'mutable-image']);
    expect(f[0].message).toBe('job "deploy" step "Smoke test": env SLIPWAY_CHECK_IMAGE image "curlimages/curl:8.11.1" is referenced by the tag "8.11.1", which can be pushed again; pin it by digest: "curlimages/curl:8.11.1@sha256:<digest>"');
    expect(f[0]).toMatchObject({ line: 13, column: 32 });
    expect(f[1].message).toContain('env ZAP_IMAGE image "ghcr.io/zaproxy/zaproxy:stable"');
    // without the script, nothing says the variable is an image that runs
    expect(rules(audit(text))).toEqual(['mutable-image']);
  });

  test('an env variable *_IMAGE by digest or expression, or that no container starts from, is clean', () => {
    const text = workflow('push: {}', job('deploy', `steps:
  - name: Render
    run: |
      docker run --rm "$PINNED_IMAGE" true
      docker run --rm "$BUILT_IMAGE" true
      sed -i "s|$COMMITTED_IMAGE|$NEW|" spec.yaml
    env:
      PINNED_IMAGE: curlimages/curl:8.21.0@${DIGEST}
      BUILT_IMAGE: ghcr.io/acme/api@\${{ needs.build.outputs.digest }}
      COMMITTED_IMAGE: ghcr.io/acme/api:set-by-deploy`));
    expect(audit(text)).toEqual([]);
  });
});

describe('secrets-to-third-party', () => {
  test('a secret in with: or env: of a third-party action in a job pull_request_target can run fires', () => {
    const text = workflow('pull_request_target: {}', job('a', `steps:
  - uses: some/notify@${SHA}
    with:
      token: \${{ secrets.NOTIFY_TOKEN }}
    env:
      HOOK: \${{ secrets.HOOK }}`));
    const f = audit(text);
    expect(rules(f)).toEqual(['secrets-to-third-party', 'secrets-to-third-party']);
    expect(f[0].message).toContain('secrets.NOTIFY_TOKEN');
  });

  test('first-party actions, the job token, pull_request and jobs kept off the event are clean', () => {
    expect(audit(workflow('pull_request_target: {}', job('a', `steps:
  - uses: actions/upload-artifact@${SHA}
    with:
      token: \${{ secrets.T }}
  - uses: some/notify@${SHA}
    with:
      token: \${{ secrets.GITHUB_TOKEN }}`)))).toEqual([]);
    expect(audit(workflow('pull_request: {}', job('a', `steps:\n  - uses: some/notify@${SHA}\n    with:\n      token: \${{ secrets.T }}`)))).toEqual([]);
    expect(audit(workflow('pull_request_target: {}\npush: {}', job('a', `if: github.event_name == 'push'\nsteps:\n  - uses: some/notify@${SHA}\n    with:\n      token: \${{ secrets.T }}`)))).toEqual([]);
  });
});

describe('ignore comments', () => {
  const text = workflow('push: {}', job('a', `steps:
  - uses: actions/setup-node@v4 # slipway-audit: ignore[unpinned-uses]
  # slipway-audit: ignore[unpinned-uses, mutable-image]
  - uses: other/action@v1
  - uses: third/action@v1 # slipway-audit: ignore[template-injection]`));

  test('a comment silences its rule on its line, or alone on a line, on the next', () => {
    expect(audit(text)).toMatchObject([{ rule: 'unpinned-uses', line: 13 }]);
  });

  test('ignore-file silences a rule in the whole file; unknown rule ids are reported', () => {
    expect(audit(`# slipway-audit: ignore-file[unpinned-uses]\n${text}`)).toEqual([]);
    expect(ignoreProblems('wf.yml', '# slipway-audit: ignore[unpined-uses]\n')).toEqual([
      expect.stringContaining('wf.yml:1: unknown rule "unpined-uses"'),
    ]);
  });
});

test('every rule has an id, a summary, help and a security severity', () => {
  expect(AUDIT_RULES.map((r) => r.id)).toEqual([
    'unpinned-uses', 'template-injection', 'excessive-permissions', 'credential-persistence',
    'dangerous-trigger', 'cache-poisoning', 'mutable-image', 'secrets-to-third-party',
  ]);
  for (const r of AUDIT_RULES) {
    expect(r.summary.length).toBeGreaterThan(20);
    expect(r.help.length).toBeGreaterThan(40);
    expect(Number(r.securitySeverity)).toBeGreaterThan(0);
  }
});

test('docs/github.md has a section for every rule, where the SARIF help links point', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'github.md'), 'utf8');
  const chapter = doc.slice(doc.indexOf('## slipway audit'), doc.indexOf('## Escape hatches'));
  for (const r of AUDIT_RULES) {
    const section = new RegExp(`### ${r.id}\\n\\n\\*\\*What\\.\\*\\*[\\s\\S]*?\\*\\*Why\\.\\*\\*[\\s\\S]*?\\*\\*How slipway handles it\\.\\*\\*[\\s\\S]*?\\*\\*Opting out\\.\\*\\*`);
    expect(chapter).toMatch(section);
  }
});
