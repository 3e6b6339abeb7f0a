import * as YAML from 'yaml';
import { Testing, Application, Image, HealthCheck, Migration, Rollout, Duration, TrafficRouter } from '../../src';
import { carriedProblems } from '../../src/core/strict';
import { Approval } from '../../src/delivery/approval';
import { Check } from '../../src/delivery/check';
import { Scanner } from '../../src/delivery/checks/security-scan';
import { Environment } from '../../src/delivery/environment';
import { Pipeline } from '../../src/delivery/pipeline';
import { planJob, PlanJobKind, PlanWhen, upstreamOf } from '../../src/delivery/plan';
import { Secret } from '../../src/delivery/secret';
import { SmokeTest } from '../../src/delivery/smoke-test';
import { Target } from '../../src/delivery/target';
import { Toolchain } from '../../src/delivery/toolchain';
import { Trigger } from '../../src/github';
import { expectValid } from '../support/harness';

function northStar() {
  const app = Testing.app();
  const api = new Application(app, 'api', {
    image: Image.fromDockerfile({ repository: 'docker.io/acme/api' }),
    port: 8000,
    healthCheck: HealthCheck.http('/health'),
    migration: Migration.phases({ expand: ['alembic', 'upgrade', 'head'], contract: ['python', '-m', 'contract'] }),
  });
  const staging = new Environment(app, 'staging', {
    target: Target.kubernetes({ namespace: 'staging', kubeconfig: Secret.github('KUBECONFIG_STAGING') }),
  });
  const production = new Environment(app, 'production', {
    target: Target.kubernetes({ namespace: 'production', kubeconfig: Secret.github('KUBECONFIG_PRODUCTION') }),
    rollout: Rollout.canary({ steps: [10, 50, 100], bake: Duration.minutes(5) }),
    approval: Approval.environment(),
    requires: [staging],
    url: 'https://api.example.com',
  });
  const cloud = new Environment(app, 'cloud', {
    target: Target.cloudRun({ project: 'acme-prod', region: 'us-central1' }),
  });
  const pipeline = new Pipeline(app, 'ci', {
    applications: [api],
    toolchain: Toolchain.python('3.11'),
    checks: [
      Check.lint(['ruff check .']),
      Check.test('unit-tests', ['pytest tests/unit'], { coverage: 80 }),
      Check.securityScan([Scanner.BANDIT]),
      Check.imageScan(),
    ],
    stages: [staging, production, cloud],
  });
  return { app, pipeline };
}

describe('delivery plan (graph, no YAML)', () => {
  const { pipeline } = northStar();
  const plan = pipeline._plan();
  const ids = (kind: PlanJobKind) => plan.jobs.filter((j) => j.kind === kind).map((j) => j.id);

  test('gates run in parallel: no gate needs another gate; the image scan needs only the build', () => {
    expect(ids(PlanJobKind.GATE).sort()).toEqual(['image-scan', 'lint', 'security-scan', 'unit-tests']);
    for (const id of ['lint', 'unit-tests', 'security-scan']) expect(planJob(plan, id).needs).toEqual([]);
    expect(planJob(plan, 'image-scan').needs).toEqual(['build']);
  });

  test('build runs once, in parallel with the gates', () => {
    expect(ids(PlanJobKind.BUILD)).toEqual(['build']);
    expect(planJob(plan, 'build').needs).toEqual([]);
  });

  test('every deploy depends on every gate, on the build (its digest) and on the previous stage', () => {
    const gates = ids(PlanJobKind.GATE);
    expect(ids(PlanJobKind.DEPLOY)).toEqual(['deploy-staging', 'deploy-production', 'deploy-cloud']);
    for (const d of ids(PlanJobKind.DEPLOY)) {
      const needs = planJob(plan, d).needs;
      expect(needs).toEqual(expect.arrayContaining([...gates, 'build']));
    }
    expect(planJob(plan, 'deploy-staging').needs).not.toContain('deploy-production');
    expect(planJob(plan, 'deploy-production').needs).toContain('deploy-staging');
    expect(planJob(plan, 'deploy-cloud').needs).toContain('deploy-production');
    expect(upstreamOf(plan, 'deploy-cloud')).toEqual(new Set([...gates, 'build', 'deploy-staging', 'deploy-production']));
  });

  test('a stage that names its prerequisites follows them, so stages can fan out', () => {
    const app = Testing.app();
    const a = new Application(app, 'api', { image: Image.fromDockerfile({ repository: 'ghcr.io/acme/api' }), healthCheck: HealthCheck.http('/health') });
    const staging = new Environment(app, 'staging', { target: Target.kubernetes({ namespace: 'staging', kubeconfig: Secret.github('K') }) });
    const eu = new Environment(app, 'eu', { target: Target.kubernetes({ namespace: 'eu', kubeconfig: Secret.github('K') }), requires: [staging] });
    const us = new Environment(app, 'us', { target: Target.cloudRun({ project: 'acme-prod', region: 'us-central1' }), requires: [staging] });
    const p = new Pipeline(app, 'cd', { applications: [a], stages: [staging, eu, us] })._plan();
    expect(planJob(p, 'deploy-eu').needs).toEqual(['build', 'deploy-staging']);
    expect(planJob(p, 'deploy-us').needs).toEqual(['build', 'deploy-staging']);
  });

  test('canary steps 10 -> 50 -> 100 with a bake and a check at each step', () => {
    const acts = planJob(plan, 'deploy-production').actions;
    const flow = acts.filter((a) => a.when === PlanWhen.SUCCESS).map((a) => `${a.kind}${a.weight !== undefined ? `@${a.weight}` : ''}${a.phase ? `:${a.phase}` : ''}`);
    expect(flow).toEqual([
      'setup', 'record', 'migrate:expand',
      'deploy@10', 'bake@10', 'smoke-test@10',
      'set-weight@50', 'bake@50', 'smoke-test@50',
      'promote@100', 'smoke-test@100',
      'mark-deployed', 'contract:contract',
    ]);
  });

  test('contract runs only after 100% and only on success; rollback only on failure and never touches the schema', () => {
    for (const d of ids(PlanJobKind.DEPLOY)) {
      const acts = planJob(plan, d).actions;
      const contract = acts.findIndex((a) => a.kind === 'contract');
      const lastTraffic = Math.max(...acts.map((a, i) => (a.weight === 100 ? i : -1)));
      expect(contract).toBeGreaterThan(lastTraffic);
      expect(acts[contract].when).toBe(PlanWhen.SUCCESS);
      const expand = acts.findIndex((a) => a.kind === 'migrate' && a.phase === 'expand');
      expect(expand).toBeLessThan(acts.findIndex((a) => a.kind === 'deploy'));
      const failureOnly = acts.filter((a) => a.when === PlanWhen.FAILURE);
      expect(failureOnly.map((a) => a.kind)).toEqual(['rollback']);
      expect(acts.filter((a) => a.kind === 'rollback').every((a) => a.when === PlanWhen.FAILURE)).toBe(true);
    }
  });

  test('the Mermaid graph shows every job, and every dependency as a path of arrows without implied ones', () => {
    const m = pipeline.toMermaid();
    expect(m.split('\n')[0]).toBe('flowchart LR');
    const node = (id: string) => `ci__${id.replace(/-/g, '_')}`;
    for (const j of plan.jobs) expect(m).toMatch(new RegExp(`^  ${node(j.id)}[[({]`, 'm'));
    const arrows = [...m.matchAll(/^ {2}(\w+) --> (\w+)$/gm)].map(([, from, to]) => [from, to]);
    const drawnUpstream = (to: string): Set<string> => {
      const seen = new Set<string>();
      const visit = (n: string) => arrows.filter(([, t]) => t === n).forEach(([f]) => { if (!seen.has(f)) { seen.add(f); visit(f); } });
      visit(to);
      return seen;
    };
    for (const j of plan.jobs) expect([j.id, drawnUpstream(node(j.id))]).toEqual([j.id, new Set([...upstreamOf(plan, j.id)].map(node))]);
    // implied arrows are left out: the build reaches production through staging
    expect(m).toContain('ci__deploy_staging --> ci__deploy_production');
    expect(m).not.toContain('ci__build --> ci__deploy_production');
    expect(arrows.length).toBeLessThan(plan.jobs.reduce((n, j) => n + j.needs.length, 0));
  });

  test('each deploy in the graph names its target and rollout, and its approval', () => {
    const m = pipeline.toMermaid();
    expect(m).toContain('ci__deploy_staging[["deploy staging<br/>kubernetes: staging · all at once"]]');
    expect(m).toContain('ci__deploy_production[["deploy production<br/>kubernetes: production · canary 10→50→100<br/>approval: environment reviewers"]]');
    expect(m).toContain('ci__deploy_cloud[["deploy cloud<br/>cloud run: acme-prod (us-central1) · all at once"]]');
  });
});

describe('deploy-first and manual dispatch (seed 003)', () => {
  const app = Testing.app();
  const site = new Application(app, 'site', { image: Image.fromRegistry('docker.io/acme/site', 'latest'), healthCheck: HealthCheck.http('/') });
  const preprod = new Environment(app, 'preprod', {
    target: Target.custom({ deploy: ['git reset --hard "$SLIPWAY_SHA"', 'docker compose up -d'], rollback: ['git reset --hard "$SLIPWAY_ROLLBACK_SHA"', 'docker compose up -d'], runsOn: ['self-hosted', 'linux'] }),
    rollout: Rollout.deployFirst(),
    url: 'https://preprod.example.com',
  });
  const prod = new Environment(app, 'prod', {
    target: Target.custom({ deploy: ['./deploy.sh'], rollback: ['./rollback.sh'], runsOn: ['self-hosted', 'linux'] }),
    approval: Approval.manualDispatch({ confirmation: 'DEPLOY' }),
    url: 'https://example.com',
    requires: [preprod],
  });
  const pipeline = new Pipeline(app, 'cd', {
    applications: [site],
    checks: [Check.lint(['flake8']), Check.test('tests', ['pytest'], { coverage: 90 })],
    stages: [preprod, prod],
  });
  const plan = pipeline._plan();

  test('deploy-first deploys without waiting for the gates, then validates or rolls back after them', () => {
    expect(planJob(plan, 'deploy-preprod').needs).toEqual([]);
    const v = planJob(plan, 'validate-preprod');
    expect(v.needs.sort()).toEqual(['deploy-preprod', 'lint', 'tests']);
    expect(v.runsWhen).toBe('always-after');
    expect(v.actions).toEqual([
      { kind: 'record-validated', when: PlanWhen.SUCCESS },
      { kind: 'rollback-to-validated', when: PlanWhen.FAILURE },
      { kind: 'report', when: PlanWhen.ALWAYS },
    ]);
  });

  test('a manually approved stage lives in its own dispatch workflow behind a confirmation job', () => {
    expect(planJob(plan, 'confirm-prod', 'cd-prod').kind).toBe(PlanJobKind.CONFIRM);
    expect(planJob(plan, 'deploy-prod', 'cd-prod').needs).toEqual(['confirm-prod']);
    expect(plan.jobs.filter((j) => j.workflow === 'cd').map((j) => j.id)).not.toContain('deploy-prod');
  });
});

describe('blueprint errors name the construct path', () => {
  test('a stage listed before its prerequisite', () => {
    const app = Testing.app();
    const staging = new Environment(app, 'staging', { target: Target.custom({ deploy: ['true'] }), url: 'https://s.example.com' });
    const production = new Environment(app, 'production', { target: Target.custom({ deploy: ['true'] }), url: 'https://example.com', requires: [staging] });
    new Pipeline(app, 'ci', { stages: [production, staging] });
    expect(() => Testing.synth(app)).toThrow('[ci] stage "production" is listed before its prerequisite "staging"; order stages as [staging, production]');
  });

  test('an approval on a stage without a GitHub environment', () => {
    const app = Testing.app();
    new Environment(app, 'production', {
      target: Target.custom({ deploy: ['true'] }),
      approval: Approval.environment(),
      useGithubEnvironment: false,
    });
    expect(() => Testing.synth(app)).toThrow(/^\[production\] approval: Approval.environment\(\) is enforced by GitHub environment protection rules, but useGithubEnvironment is false/);
  });

  test('a canary on a target that cannot split traffic', () => {
    const app = Testing.app();
    new Environment(app, 'preprod', {
      target: Target.custom({ deploy: ['docker compose up -d'], platform: 'docker compose' }),
      rollout: Rollout.canary({ steps: [10, 100] }),
    });
    expect(() => Testing.synth(app)).toThrow('[preprod] rollout canary needs a target that can split traffic, but target is custom (docker compose); use Rollout.allAtOnce() or Rollout.deployFirst(), or a Kubernetes or Cloud Run target');
  });

  test('a migration without a command', () => {
    expect(carriedProblems(Migration.phases({})).join('\n')).toContain('Migration needs a command: use Migration.command([...]) or give expand, migrate or contract to Migration.phases({...})');
    expect(carriedProblems(Migration.command([])).join('\n')).toContain('Migration expand command must be a non-empty list of non-empty words');
  });

  test('canary weights out of range or not increasing', () => {
    expect(carriedProblems(Rollout.canary({ steps: [10, 150] })).join('\n')).toContain('Rollout.canary steps must be integers within 1..100; step 2 is 150 (steps: [10, 150])');
    expect(carriedProblems(Rollout.canary({ steps: [50, 10] })).join('\n')).toContain('Rollout.canary steps must be strictly increasing; 10 follows 50 (steps: [50, 10])');
    expect(Rollout.canary({ steps: [10, 50] }).steps).toEqual([10, 50, 100]);
    expect(Rollout.canary({ steps: [10], router: TrafficRouter.ARGO_ROLLOUTS }).router).toBe(TrafficRouter.ARGO_ROLLOUTS);
  });

  test('a deploy stage with custom commands and no health check', () => {
    const app = Testing.app();
    const dev = new Environment(app, 'dev', { target: Target.custom({ deploy: ['./deploy.sh'] }) });
    new Pipeline(app, 'ci', { stages: [dev] });
    expect(() => Testing.synth(app)).toThrow(/\[ci\] stage "dev" deploys with custom commands but has no url and no SmokeTest.command/);
    const ok = Testing.app();
    const dev2 = new Environment(ok, 'dev', { target: Target.custom({ deploy: ['./deploy.sh'] }), smokeTest: SmokeTest.command('./smoke.sh') });
    new Pipeline(ok, 'ci', { stages: [dev2] });
    const files = Testing.synth(ok);
    expect(YAML.parse(files['.github/workflows/ci.yml']).jobs['deploy-dev'].steps.map((s: any) => s.name))
      .toEqual(['Check out', 'Record the release running in dev', 'Mark dev as changing', 'Deploy to dev', 'Smoke test dev', 'Record dev deployment', 'Report the outcome']);
    expectValid(files);
  });
});

describe('deploy job time limits', () => {
  test('the deploy timeout plus every canary bake and metric measurement', () => {
    const app = Testing.app();
    const api = new Application(app, 'api', { image: Image.fromDockerfile({ repository: 'ghcr.io/acme/api' }), healthCheck: HealthCheck.http('/health') });
    const prod = new Environment(app, 'prod', {
      target: Target.kubernetes({ namespace: 'prod', kubeconfig: Secret.github('K') }),
      url: 'https://api.example.com',
      rollout: Rollout.canary({ steps: [25, 100], bake: Duration.minutes(4) }),
    });
    new Pipeline(app, 'cd', { applications: [api], stages: [prod], deployTimeout: Duration.minutes(20) });
    const files = Testing.synth(app);
    expectValid(files);
    const job = YAML.parse(files['.github/workflows/cd.yml']).jobs['deploy-prod'];
    // rollback and report steps run after a timeout too: their own limits are added to the job's
    const reserve = job.steps.filter((s: any) => s.if === 'failure() || cancelled()' || s.if === 'always()').map((s: any) => s['timeout-minutes'] * 60);
    expect(reserve.length).toBe(2);
    expect(job['timeout-minutes']).toBe(Math.ceil((20 * 60 + 2 * 4 * 60 + reserve.reduce((a: number, b: number) => a + b, 0)) / 60));
  });
});

describe('builds and pull requests', () => {
  function plan(triggers?: Trigger[]) {
    const app = Testing.app();
    const api = new Application(app, 'api', { image: Image.fromDockerfile({ repository: 'ghcr.io/acme/api' }), healthCheck: HealthCheck.http('/health') });
    return new Pipeline(app, 'ci', { applications: [api], triggers, checks: [Check.lint(['ruff check .'])] })._plan();
  }

  test('a pipeline that runs on pull requests builds there in a job of its own, which deploys never wait for', () => {
    const p = plan();
    const pr = planJob(p, 'build-pull-request');
    expect(pr.kind).toBe(PlanJobKind.PULL_REQUEST_BUILD);
    expect(pr.needs).toEqual([]);
    expect(p.jobs.filter((j) => j.needs.includes('build-pull-request'))).toEqual([]);
  });

  test('a pipeline that never runs on pull requests has one build job', () => {
    const p = plan([Trigger.push({ branches: ['main'] })]);
    expect(p.jobs.map((j) => j.id)).toEqual(['build', 'lint']);
  });
});
