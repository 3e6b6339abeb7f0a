import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  App, Application, Duration, Environment, EnvironmentProps, HealthCheck, Image, Job, PermissionLevel, Rollout, Secret, Step, Target, Testing,
  Trigger, Workflow,
} from '../../src';
import { carriedProblems } from '../../src/core/strict';
import { expectValid } from '../support/harness';
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

describe('values of the wrong type (TypeScript errors) are problems with the construct path, all in one synth', () => {
  test('primitives, lists, maps, classes, enums and a factory that was not called', () => {
    expect(problems((app) => {
      new Application(app, 'api', {
        image: 'ghcr.io/acme/api' as any, port: '8080' as any, healthCheck: HealthCheck.http('/health'), env: { PORT: 8080 as any, DEBUG: true as any },
      });
      new Environment(app, 'production', { target: target(), replicas: '3' as any, url: 5 as any });
      const wf = new Workflow(app, 'ci', {
        triggers: [Trigger.push({ branches: 'main' as any }), Trigger.pullRequest as any],
        permissions: { contents: 'admin' as any },
      });
      new Job(wf, 'test', { steps: [Step.run('make test', { env: { CI: 1 as any } })], timeout: 30 as any });
    })).toEqual([
      '[api] Application props.image must be an Image (e.g. Image.fromDockerfile(...)), not the string "ghcr.io/acme/api"',
      '[api] Application props.port must be a number, not the string "8080"',
      '[api] Application props.env.PORT must be a string, not the number 8080',
      '[api] Application props.env.DEBUG must be a string, not true',
      '[production] Environment props.replicas must be a number, not the string "3"',
      '[production] Environment props.url must be a string, not the number 5',
      '[ci] Workflow props.triggers[1] must be a Trigger (e.g. Trigger.event(...)), not a function (pullRequest): call it',
      '[ci] Workflow props.permissions.contents must be one of PermissionLevel.READ, PermissionLevel.WRITE, PermissionLevel.NONE, not the string "admin"',
      '[ci] Trigger.push() options.branches must be a list ([...]), not the string "main"',
      '[ci/test] Job props.timeout must be a Duration (e.g. Duration.hours(...)), not the number 30',
      '[ci/test] Step.run() options.env.CI must be a string, not the number 1',
    ]);
  });

  test('an argument of a value object\'s factory: the construct that receives it reports it', () => {
    expect(problems((app) => {
      api(app, { healthCheck: HealthCheck.http('/health', { interval: 10 as any }) });
    })).toEqual(['[api] HealthCheck.http() options.interval must be a Duration (e.g. Duration.hours(...)), not the number 10']);
    expect(carriedProblems(Duration.seconds('5' as any))).toContain('Duration.seconds() amount must be a number, not the string "5"');
  });

  test('valid edge cases pass: an enum\'s value written as its string (JavaScript), numbers, undefined, objects of names to values', () => {
    const app = Testing.app();
    api(app, { port: 80, env: {}, resources: { cpuRequest: '100m' } });
    const wf = new Workflow(app, 'ci', {
      triggers: [Trigger.push({ branches: ['main'] }), Trigger.schedule('0 5 * * 1')],
      permissions: { contents: 'read' as PermissionLevel, packages: PermissionLevel.WRITE },
      env: { NODE_ENV: 'test' },
    });
    new Job(wf, 'test', { steps: [Step.run('make test', { env: { CI: 'true' }, timeout: Duration.minutes(5) })], timeout: undefined });
    expectValid(Testing.synth(app));
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

  test.each([
    ['a TypeScript definition', 'slipway.ts', 'import { App, Application, Environment, HealthCheck, Image, Rollout, Secret, Target } from \'slipway\';\n'],
    ['a JavaScript definition', 'slipway.js', 'const { App, Application, Environment, HealthCheck, Image, Rollout, Secret, Target } = require(\'slipway\');\n'],
  ])('%s with values of the wrong type: exit 2, each with the construct path, nothing written', (_, file, imports) => {
    const dir = project(file, imports + body('rollout').replace('port: 8080', "port: '8080'").replace("HealthCheck.http('/health')", "HealthCheck.http('/health', { interval: 10 })")
      .replace("namespace: 'prod'", 'namespace: 7'));
    const r = spawnSync(process.execPath, [bin, 'synth', '--app', file], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toContain('[api] Application props.port must be a number, not the string "8080"');
    expect(r.stderr).toContain('[api] HealthCheck.http() options.interval must be a Duration (e.g. Duration.hours(...)), not the number 10');
    expect(r.stderr).toContain('[production] Target.kubernetes() options.namespace must be a string, not the number 7');
    expect(r.stderr).not.toMatch(/is not a function|Cannot read|inside slipway/);
    expect(r.status).toBe(2);
    expect(fs.readdirSync(dir)).toEqual([file]);
  });
});
