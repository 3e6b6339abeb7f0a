import { parse } from 'yaml';
import { coditect, contextApi } from './fixtures';
import { runRenderStep } from './render-step';
import { Duration, HealthCheck, Rollout, SecretRef, Testing } from '../../src';
import { CloudRunAuth, CloudRunDeployment } from '../../src/cloudrun';
import { HelmChart } from '../../src/kubernetes';
import { renderChart } from '../kubernetes/support/render';
import { expectValid } from '../support/harness';

const DIGEST = 'sha256:' + '0123456789abcdef'.repeat(4);
const ENV = { DJANGO_SETTINGS_MODULE: 'coditect.settings.production' };

/** Env as name → literal value or the referenced secret and its entry. */
function envMap(env: any[]): { [name: string]: unknown } {
  const out: { [name: string]: unknown } = {};
  for (const e of env) out[e.name] = e.valueFrom ? { secret: e.valueFrom.secretKeyRef.name, entry: e.valueFrom.secretKeyRef.key } : e.value;
  return out;
}

/** A probe with its port resolved to a number and its action named. */
function probe(p: any, ports: any[]): unknown {
  if (!p) return undefined;
  const action = p.httpGet ? 'http' : p.tcpSocket ? 'tcp' : 'other';
  const raw = (p.httpGet ?? p.tcpSocket).port;
  const port = typeof raw === 'number' ? raw : ports.find((x) => x.name === raw)?.containerPort;
  const { periodSeconds, timeoutSeconds, failureThreshold } = p;
  return { action, path: p.httpGet?.path, port, periodSeconds, timeoutSeconds, failureThreshold };
}

describe('one Application, two targets', () => {
  test('the Helm chart and the Cloud Run service agree on image, port, env, secret references, resources and health check', () => {
    const app = Testing.app();
    const api = contextApi(app, {
      resources: { cpuRequest: '250m', cpuLimit: '2', memoryRequest: '256Mi', memoryLimit: '1Gi' },
      secrets: { DATABASE_URL: SecretRef.of('context-db', 'url'), REDIS_URL: SecretRef.of('context-redis', 'url', '4') },
      healthCheck: HealthCheck.http('/health', { interval: Duration.seconds(15), timeout: Duration.seconds(5), failureThreshold: 4, startupGrace: Duration.seconds(90) }),
    });
    new HelmChart(app, 'chart', { application: api, environments: [{ name: 'production', rollout: Rollout.allAtOnce(), env: ENV }] });
    const service = coditect(app, api, { env: ENV });
    const files = Testing.synth(app);
    expectValid(files);

    // what each target deploys for the same built digest
    const chart = renderChart(files, 'deploy/helm/context-api', ['values-production.yaml'], { image: { digest: DIGEST } });
    const deployment = chart.one('Deployment', 'release-name');
    const k8s = deployment.spec.template.spec.containers.find((c: any) => c.name === 'context-api');
    const rendered = runRenderStep(files, new CloudRunDeployment(service, { auth: CloudRunAuth.serviceAccountKey(), imageDigest: '${{ needs.build.outputs.digest }}' }), DIGEST);
    const run = parse(rendered.specs['context-api.coditect.service.yaml']).spec.template.spec.containers[0];

    // image
    expect(run.image).toBe(`docker.io/coditect/context-app@${DIGEST}`);
    expect(k8s.image).toBe(run.image);

    // port
    expect(run.ports.map((p: any) => p.containerPort)).toEqual([8000]);
    expect(k8s.ports.map((p: any) => p.containerPort)).toEqual([8000]);

    // env and secret references: the same variables; Kubernetes reads entry `key` of Secret `name`,
    // Cloud Run reads version `version` of Secret Manager secret `name`
    const k8sEnv = envMap(k8s.env);
    const runEnv = envMap(run.env);
    expect(Object.keys(runEnv).sort()).toEqual(['DATABASE_URL', 'DJANGO_SETTINGS_MODULE', 'LOG_LEVEL', 'REDIS_URL']);
    expect(Object.keys(k8sEnv).sort()).toEqual(Object.keys(runEnv).sort());
    for (const name of ['LOG_LEVEL', 'DJANGO_SETTINGS_MODULE']) expect([name, k8sEnv[name]]).toEqual([name, runEnv[name]]);
    expect(runEnv.LOG_LEVEL).toBe('info');
    expect(runEnv.DJANGO_SETTINGS_MODULE).toBe('coditect.settings.production');
    for (const [name, ref] of Object.entries(api.secrets)) {
      expect([name, k8sEnv[name]]).toEqual([name, { secret: ref.name, entry: ref.key }]);
      expect([name, runEnv[name]]).toEqual([name, { secret: ref.name, entry: ref.version }]);
    }

    // resources: Cloud Run reads the limits
    expect(run.resources.limits).toEqual({ cpu: '2', memory: '1Gi' });
    expect(k8s.resources.limits).toEqual(run.resources.limits);

    // health check: the same startup and liveness checks (path, port, timing)
    expect(probe(run.startupProbe, run.ports)).toEqual({ action: 'http', path: '/health', port: 8000, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 6 });
    expect(probe(k8s.startupProbe, k8s.ports)).toEqual(probe(run.startupProbe, run.ports));
    expect(probe(run.livenessProbe, run.ports)).toEqual({ action: 'http', path: '/health', port: 8000, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4 });
    expect(probe(k8s.livenessProbe, k8s.ports)).toEqual(probe(run.livenessProbe, run.ports));

    // the migration job too: same command, image and env on both targets
    const runJob = parse(rendered.specs['context-api-migrate-expand.coditect.job.yaml']).spec.template.spec.template.spec.containers[0];
    const k8sJobs = chart.of('Job');
    expect(k8sJobs).toHaveLength(1);
    const k8sJob = k8sJobs[0].spec.template.spec.containers[0];
    expect(runJob.command).toEqual(['alembic', 'upgrade', 'head']);
    expect(k8sJob.command).toEqual(runJob.command);
    expect(runJob.image).toBe(run.image);
    expect(k8sJob.image).toBe(runJob.image);
    expect(envMap(runJob.env)).toEqual(runEnv);
    expect(Object.keys(envMap(k8sJob.env)).sort()).toEqual(Object.keys(runEnv).sort());
    expect(k8sJob.resources.limits).toEqual(runJob.resources.limits);
  });
});
