import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  App, Application, Duration, Environment, EnvironmentProps, HealthCheck, Image, Rollout, Secret, Target, Testing,
} from '../../src';
import { SlipwayError } from '../../src/core/errors';
import { carriedProblems } from '../../src/core/strict';
import { synthProblems as problems } from '../support/synth-problems';
import { tempProject } from '../support/temp-project';

const REPO = path.resolve(__dirname, '../..');


const target = () => Target.kubernetes({ namespace: 'prod', kubeconfig: Secret.github('KUBECONFIG') });
const api = (app: App, extra: object = {}) =>
  new Application(app, 'api', { image: Image.fromRegistry('ghcr.io/acme/api'), port: 8080, healthCheck: HealthCheck.http('/health'), ...extra });

describe('unknown props are errors at synth, with the construct path and "did you mean"', () => {
  test('a typo in a construct\'s props', () => {
    const props = { target: target(), rolllout: Rollout.canary({ steps: [10, 100] }) };
    expect(problems((app) => {
      api(app);
      new Environment(app, 'production', props as EnvironmentProps);
    })).toEqual(['[production] Environment props: unknown prop "rolllout"; did you mean "rollout"?']);
  });

  test('a typo in a nested struct of the props names its place', () => {
    expect(problems((app) => api(app, { resources: { cpuRequest: '100m', memoryLimt: '1Gi' } }))).toEqual([
      '[api] Application props.resources: unknown prop "memoryLimt"; did you mean "memoryLimit"?',
    ]);
  });

  test('a typo in the options of a value object is reported by the construct that receives it', () => {
    expect(problems((app) => {
      api(app, { healthCheck: HealthCheck.http('/health', { intervall: Duration.seconds(5) } as any) });
      new Environment(app, 'production', { target: target(), rollout: Rollout.canary({ steps: [10, 100], bakee: Duration.minutes(1) } as any) });
    })).toEqual([
      '[api] HealthCheck.http() options: unknown prop "intervall"; did you mean "interval"?',
      '[production] Rollout.canary() options: unknown prop "bakee"; did you mean "bake"?',
    ]);
  });

  test('problems of every construct are listed together; an unknown prop far from any known one lists the props', () => {
    expect(problems((app) => {
      api(app, { colour: 'blue' });
      new Environment(app, 'staging', { target: target(), replicaz: 2 } as EnvironmentProps);
    })).toEqual([
      '[api] Application props: unknown prop "colour"; props: args, command, description, env, healthCheck, image, ingress, migration, port, resources, scaling, secrets',
      '[staging] Environment props: unknown prop "replicaz"; did you mean "replicas"?',
    ]);
  });

  test('a typo that makes a factory fail is the message, not the failure it caused', () => {
    expect(() => Target.kubernetes({ namspace: 'prod', kubeconfig: Secret.github('K') } as any))
      .toThrow(/^2 problems:\n  - Target\.kubernetes\(\) options: missing required prop "namespace"\n  - Target\.kubernetes\(\) options: unknown prop "namspace"; did you mean "namespace"\?$/);
  });

  test('a value object with a typo that no construct receives is reported by synthesis', () => {
    let rollout: Rollout | undefined;
    expect(problems((app) => {
      api(app);
      rollout = Rollout.canary({ steps: [50, 100], stesp: [1] } as any);
    })).toEqual(['Rollout.canary() options: unknown prop "stesp"; did you mean "steps"?']);
    expect(carriedProblems(rollout)).toHaveLength(1);
  });

  test('valid edge cases pass: user keys of maps, undefined values, a subclass with props of its own', () => {
    class Tagged extends Application {
      constructor(scope: App, id: string, props: { readonly team: string }) {
        super(scope, id, { image: Image.fromRegistry('ghcr.io/acme/tagged'), port: 80, healthCheck: HealthCheck.tcp(), ...props } as any);
      }
    }
    expect(problems((app) => {
      api(app, { env: { ANY_NAME: 'x', rollout: 'y' }, resources: undefined, description: undefined });
      new Tagged(app, 'tagged', { team: 'core' });
      new Environment(app, 'production', { target: target(), rollout: Rollout.canary({ steps: [10, 100], bake: undefined }) });
    })).toEqual([]);
  });
});

describe('unknown props through the slipway bin', () => {
  const bin = path.join(REPO, 'bin', 'slipway');
  function project(file: string, source: string): string {
    const dir = tempProject('props');
    fs.writeFileSync(path.join(dir, file), source);
    return dir;
  }
  const body = (rollout: string) => `
const app = new App();
new Application(app, 'api', { image: Image.fromRegistry('ghcr.io/acme/api'), port: 8080, healthCheck: HealthCheck.http('/health') });
const props = { target: Target.kubernetes({ namespace: 'prod', kubeconfig: Secret.github('KUBECONFIG') }), ${rollout}: Rollout.canary({ steps: [10, 100] }) };
new Environment(app, 'production', props);
app.synth();
`;

  test.each([
    ['a TypeScript definition', 'slipway.ts', 'import { App, Application, Environment, HealthCheck, Image, Rollout, Secret, Target } from \'slipway\';\n'],
    ['a JavaScript definition', 'slipway.js', 'const { App, Application, Environment, HealthCheck, Image, Rollout, Secret, Target } = require(\'slipway\');\n'],
  ])('%s: exit 2, the construct path and the fix, nothing written; fixed, it synthesizes', (_, file, imports) => {
    const dir = project(file, imports + body('rolllout'));
    const r = spawnSync(process.execPath, [bin, 'synth', '--app', file], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toContain('[production] Environment props: unknown prop "rolllout"; did you mean "rollout"?');
    expect(r.stderr).toMatch(/nothing was written/);
    expect(r.status).toBe(2);
    expect(fs.readdirSync(dir)).toEqual([file]);
    fs.writeFileSync(path.join(dir, file), imports + body('rollout'));
    const fixed = spawnSync(process.execPath, [bin, 'synth', '--app', file], { cwd: dir, encoding: 'utf8' });
    expect(fixed.stderr).toBe('');
    expect(fixed.status).toBe(0);
  });
});
