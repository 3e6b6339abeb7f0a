import * as YAML from 'yaml';
import { checkApp, problems, stepNamed, synthChecks } from './support';
import { Testing } from '../../../src/core/testing';
import { Check, CheckPlacement } from '../../../src/delivery/check';
import { Pipeline } from '../../../src/delivery/pipeline';
import { Toolchain } from '../../../src/delivery/toolchain';
import { expectValid } from '../../support/harness';

describe('Check.driftCheck', () => {
  test('a Python project: checkout, Node.js, npm ci, then slipway synth --check, in the job "drift-check"', () => {
    const check = Check.driftCheck();
    expect(check.id).toBe('drift-check');
    expect(check.placement).toBe(CheckPlacement.BEFORE_DEPLOY);
    const { doc } = synthChecks([check], { toolchain: Toolchain.python('3.12') });
    const job = doc.jobs['drift-check'];
    expect(job.name).toBe('Generated files are current');
    expect(job.steps.map((s: any) => s.name)).toEqual([
      'Check out the repository', 'Set up Node.js 20', 'Install dependencies', 'The generated files are current (slipway synth --check)',
    ]);
    expect(stepNamed(job, 'Install dependencies').run).toBe('npm ci');
    expect(stepNamed(job, 'The generated files are current (slipway synth --check)').run).toBe('npx slipway synth --check');
    expect(JSON.stringify(job)).not.toMatch(/setup-python/);
  });

  test('a Node.js project installs with its own toolchain (pnpm here); --app when the definition is not slipway.ts', () => {
    const { doc } = synthChecks([Check.driftCheck({ appFile: 'infra/delivery.ts', id: 'generated' })],
      { toolchain: Toolchain.node('22', { packageManager: 'pnpm' as any }) });
    const job = doc.jobs.generated;
    expect(job.steps.map((s: any) => s.name)).toContain('Enable pnpm');
    expect(job.steps.map((s: any) => s.name)).toContain('Set up Node.js 22');
    expect(job.steps[job.steps.length - 1].run).toBe('npx slipway synth --check --app infra/delivery.ts');
  });

  test('a working directory: Node.js installs there and the check runs there', () => {
    const { doc } = synthChecks([Check.driftCheck({ workingDirectory: 'deploy', nodeVersion: '22' })], { toolchain: Toolchain.python('3.12', { workingDirectory: 'api' }) });
    const job = doc.jobs['drift-check'];
    expect(job.defaults).toEqual({ run: { 'working-directory': 'deploy' } });
    expect(stepNamed(job, 'Install dependencies')['working-directory']).toBe('deploy');
    expect(stepNamed(job, 'Set up Node.js 22').with['cache-dependency-path']).toBe('deploy/package-lock.json');
  });

  test('in a pipeline: it runs on pull requests like every gate, and the deploys wait for it', () => {
    const app = Testing.app();
    new Pipeline(app, 'ci', { toolchain: Toolchain.python('3.12'), checks: [Check.test('unit', ['pytest']), Check.driftCheck()] });
    const files = Testing.synth(app);
    expectValid(files);
    const wf = YAML.parse(files['.github/workflows/ci.yml']);
    expect(Object.keys(wf.on)).toEqual(['push', 'pull_request']);
    expect(wf.jobs['drift-check'].if).toBeUndefined();
    expect(wf.jobs['drift-check'].permissions ?? wf.permissions).toEqual({ contents: 'read' });
  });

  test('bad input', () => {
    expect(problems(checkApp([Check.driftCheck({ appFile: '/abs/slipway.ts', nodeVersion: ' ' })]))).toEqual([
      '[ci/drift-check] check "drift-check" appFile "/abs/slipway.ts" must be a path relative to the working directory, without spaces, e.g. "slipway.ts"',
      '[ci/drift-check] check "drift-check" nodeVersion: Toolchain.node: version " " is not a version; pass e.g. "20"',
    ]);
  });
});
