import { createHash } from 'crypto';
import { parse, stringify } from 'yaml';
import { coditect, contextApi, SERVICE_FILE, serviceApp, synthDoc } from './fixtures';
import { Analysis, Duration, HealthCheck, Image, Rollout, Scaling, SecretRef, Testing } from '../../src';
import {
  CloudRunExecutionEnvironment, CloudRunIngress, CloudRunLaunchStage, CloudRunProtocol, CloudRunService,
  CloudRunVpcEgress,
} from '../../src/cloudrun';
import { expectValid, validateFiles } from '../support/harness';

const REVISION_HASH_LENGTH = CloudRunService.REVISION_HASH_LENGTH;

/** Every annotation/label value in a document, with where it is. */
function metadataMaps(doc: any): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const meta of [doc.metadata, doc.spec?.template?.metadata]) {
    for (const field of ['annotations', 'labels']) {
      for (const [k, v] of Object.entries(meta?.[field] ?? {})) out.push([k, v]);
    }
  }
  return out;
}

describe('CloudRunService spec', () => {
  test('seed 002: one Knative Service as `gcloud run services replace` reads it, valid under the Knative schema and the Cloud Run rules', () => {
    const { app } = serviceApp({
      rollout: Rollout.canary({ steps: [10, 50] }),
      serviceAccountEmail: 'context-api@coditect-production.iam.gserviceaccount.com',
      cloudSqlInstances: ['coditect-production:us-central1:context-db'],
    });
    const files = Testing.synth(app);
    const report = expectValid(files);
    expect(report.checked[SERVICE_FILE]).toEqual(expect.arrayContaining(['knative', 'cloudrun-rules']));
    expect(files[SERVICE_FILE]).toMatchSnapshot();

    const doc = parse(files[SERVICE_FILE]);
    expect(doc.apiVersion).toBe('serving.knative.dev/v1');
    expect(doc.kind).toBe('Service');
    expect(doc.metadata).toEqual({
      name: 'coditect-backend',
      namespace: 'coditect-production',
      labels: { 'cloud.googleapis.com/location': 'us-central1' },
      annotations: { 'run.googleapis.com/description': 'context-api application', 'run.googleapis.com/ingress': 'all' },
    });
    const spec = doc.spec.template.spec;
    expect(spec.containerConcurrency).toBe(80);
    expect(spec.timeoutSeconds).toBe(300);
    expect(spec.serviceAccountName).toBe('context-api@coditect-production.iam.gserviceaccount.com');
    expect(spec.containers).toHaveLength(1);
    const c = spec.containers[0];
    expect(c.name).toBe('context-api');
    expect(c.image).toBe('docker.io/coditect/context-app:set-by-deploy');
    expect(c.ports).toEqual([{ name: 'http1', containerPort: 8000 }]);
    expect(c.env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'context-db', key: 'latest' } } },
    ]);
    expect(c.resources).toEqual({ limits: { cpu: '1', memory: '512Mi' } });
    expect(c.startupProbe).toEqual({ httpGet: { path: '/health', port: 8000 }, timeoutSeconds: 3, periodSeconds: 10, failureThreshold: 6 });
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/health', port: 8000 }, timeoutSeconds: 3, periodSeconds: 10, failureThreshold: 3 });
    expect(doc.spec.template.metadata.annotations).toEqual({
      'autoscaling.knative.dev/minScale': '2',
      'autoscaling.knative.dev/maxScale': '2',
      'run.googleapis.com/cpu-throttling': 'true',
      'run.googleapis.com/startup-cpu-boost': 'false',
      'run.googleapis.com/cloudsql-instances': 'coditect-production:us-central1:context-db',
    });
  });

  test('every annotation and label value is a quoted string in the file, so YAML 1.1 readers see strings', () => {
    const { app } = serviceApp({ cpuThrottling: false, startupCpuBoost: true, minInstances: 0, maxInstances: 10 });
    const text = Testing.synth(app)[SERVICE_FILE];
    const doc = parse(text);
    const values = metadataMaps(doc);
    expect(values.length).toBeGreaterThan(5);
    for (const [k, v] of values) expect([k, typeof v]).toEqual([k, 'string']);
    expect(text).toContain('run.googleapis.com/cpu-throttling: "false"');
    expect(text).toContain('run.googleapis.com/startup-cpu-boost: "true"');
    expect(text).toContain('autoscaling.knative.dev/minScale: "0"');
    // a YAML 1.1 reader (gcloud's) sees the same strings
    expect(parse(text, { version: '1.1' }).spec.template.metadata.annotations['run.googleapis.com/cpu-throttling']).toBe('false');
  });

  test('typed Cloud Run options land in their annotations and fields', () => {
    const { app, service } = serviceApp({
      ingress: CloudRunIngress.INTERNAL_AND_CLOUD_LOAD_BALANCING,
      launchStage: CloudRunLaunchStage.BETA,
      description: 'Context intelligence API',
      containerConcurrency: 40,
      requestTimeout: Duration.minutes(60),
      minInstances: 1,
      maxInstances: 20,
      cpuThrottling: false,
      startupCpuBoost: true,
      executionEnvironment: CloudRunExecutionEnvironment.GEN2,
      vpcConnector: 'context-connector',
      vpcEgress: CloudRunVpcEgress.ALL_TRAFFIC,
      protocol: CloudRunProtocol.H2C,
      revisionAnnotations: { 'run.googleapis.com/session-affinity': 'true' },
    }, { healthCheck: HealthCheck.tcp() });
    const files = Testing.synth(app);
    expectValid(files);
    const doc = parse(files[SERVICE_FILE]);
    expect(doc.metadata.annotations).toEqual({
      'run.googleapis.com/launch-stage': 'BETA',
      'run.googleapis.com/description': 'Context intelligence API',
      'run.googleapis.com/ingress': 'internal-and-cloud-load-balancing',
    });
    expect(doc.spec.template.metadata.annotations).toEqual({
      'autoscaling.knative.dev/minScale': '1',
      'autoscaling.knative.dev/maxScale': '20',
      'run.googleapis.com/cpu-throttling': 'false',
      'run.googleapis.com/startup-cpu-boost': 'true',
      'run.googleapis.com/execution-environment': 'gen2',
      'run.googleapis.com/vpc-access-connector': 'context-connector',
      'run.googleapis.com/vpc-access-egress': 'all-traffic',
      'run.googleapis.com/session-affinity': 'true',
    });
    expect(doc.spec.template.spec.containerConcurrency).toBe(40);
    expect(doc.spec.template.spec.timeoutSeconds).toBe(3600);
    expect(doc.spec.template.spec.containers[0].ports).toEqual([{ name: 'h2c', containerPort: 8000 }]);
    expect(service.minInstances).toBe(1);
    expect(service.maxInstances).toBe(20);
  });

  test('min and max instances default to the application scaling', () => {
    const { app, service } = serviceApp({}, { scaling: Scaling.auto({ minReplicas: 0, maxReplicas: 7 }) });
    const ann = synthDoc(app, SERVICE_FILE).spec.template.metadata.annotations;
    expect([ann['autoscaling.knative.dev/minScale'], ann['autoscaling.knative.dev/maxScale']]).toEqual(['0', '7']);
    expect([service.minInstances, service.maxInstances]).toEqual([0, 7]);
  });

  test('a TCP health check gives a TCP startup probe and no liveness probe (Cloud Run has no TCP liveness probes)', () => {
    const { app } = serviceApp({}, { healthCheck: HealthCheck.tcp({ interval: Duration.seconds(5), startupGrace: Duration.seconds(120) }) });
    const files = Testing.synth(app);
    expectValid(files);
    const c = parse(files[SERVICE_FILE]).spec.template.spec.containers[0];
    expect(c.startupProbe).toEqual({ tcpSocket: { port: 8000 }, timeoutSeconds: 3, periodSeconds: 5, failureThreshold: 24 });
    expect(c.livenessProbe).toBeUndefined();
  });

  test('environment env and secrets extend the application; an env value of the environment wins', () => {
    const { app } = serviceApp({
      env: { LOG_LEVEL: 'warning', DJANGO_SETTINGS_MODULE: 'coditect.settings.production' },
      secrets: { REDIS_URL: SecretRef.of('context-redis', 'url', '3') },
    });
    const env = synthDoc(app, SERVICE_FILE).spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: 'LOG_LEVEL', value: 'warning' },
      { name: 'DJANGO_SETTINGS_MODULE', value: 'coditect.settings.production' },
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'context-db', key: 'latest' } } },
      { name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'context-redis', key: '3' } } },
    ]);
  });

  test('a prebuilt image with a tag is committed with that tag', () => {
    const { app, service } = serviceApp({}, { image: Image.fromRegistry('us-docker.pkg.dev/coditect/apps/context-app', '1.4.2') });
    expect(synthDoc(app, SERVICE_FILE).spec.template.spec.containers[0].image).toBe('us-docker.pkg.dev/coditect/apps/context-app:1.4.2');
    expect(service.committedImage).toBe('us-docker.pkg.dev/coditect/apps/context-app:1.4.2');
  });
});

describe('revision names', () => {
  test('the revision is `<service>-<hash>`, the hash being the SHA-256 of the rendered template without its name', () => {
    const { app, service } = serviceApp();
    const doc = synthDoc(app, SERVICE_FILE);
    const template = doc.spec.template;
    expect(template.metadata.name).toBe(service.revisionName);
    expect(service.revisionName).toMatch(new RegExp(`^coditect-backend-[0-9a-f]{${REVISION_HASH_LENGTH}}$`));
    const { name, ...metadata } = template.metadata;
    const expected = createHash('sha256').update(JSON.stringify({ metadata, spec: template.spec })).digest('hex').slice(0, REVISION_HASH_LENGTH);
    expect(name).toBe(`coditect-backend-${expected}`);
  });

  test('the same definition gives the same name; any template change gives another; service-level changes do not', () => {
    const base = serviceApp().service.revisionName;
    expect(serviceApp().service.revisionName).toBe(base);
    expect(serviceApp({ env: { FEATURE_X: 'on' } }).service.revisionName).not.toBe(base);
    expect(serviceApp({ maxInstances: 3 }).service.revisionName).not.toBe(base);
    expect(serviceApp({}, { port: 8080 }).service.revisionName).not.toBe(base);
    // not part of the revision template
    expect(serviceApp({ ingress: CloudRunIngress.INTERNAL, description: 'other' }).service.revisionName).toBe(base);
  });
});

describe('traffic', () => {
  test('all-at-once: all traffic follows the latest revision', () => {
    const { app, service } = serviceApp({ rollout: Rollout.allAtOnce() });
    expect(synthDoc(app, SERVICE_FILE).spec.traffic).toEqual([{ latestRevision: true, percent: 100 }]);
    expect(service.trafficTag).toBeUndefined();
  });

  test('canary: the new revision is tagged `canary`; the committed split is the promoted state and sums to 100', () => {
    const { app, service } = serviceApp({ rollout: Rollout.canary({ steps: [10, 50, 100] }) });
    const traffic = synthDoc(app, SERVICE_FILE).spec.traffic;
    expect(traffic).toEqual([
      { latestRevision: true, percent: 100 },
      { revisionName: service.revisionName, percent: 0, tag: 'canary' },
    ]);
    expect(traffic.reduce((s: number, t: any) => s + t.percent, 0)).toBe(100);
  });

  test('blue-green: the new revision is tagged `preview`', () => {
    const { app, service } = serviceApp({ rollout: Rollout.blueGreen() });
    expect(service.trafficTag).toBe('preview');
    expect(synthDoc(app, SERVICE_FILE).spec.traffic[1]).toEqual({ revisionName: service.revisionName, percent: 0, tag: 'preview' });
  });

  test('an explicit split is written as given', () => {
    const { app } = serviceApp({
      traffic: [
        { latestRevision: true, percent: 90 },
        { revisionName: 'coditect-backend-abc123', percent: 10, tag: 'legacy' },
      ],
    });
    const files = Testing.synth(app);
    expectValid(files);
    expect(parse(files[SERVICE_FILE]).spec.traffic).toEqual([
      { latestRevision: true, percent: 90 },
      { revisionName: 'coditect-backend-abc123', percent: 10, tag: 'legacy' },
    ]);
  });
});

describe('validation at synth names the construct path and the fix', () => {
  /** Synthesizes and returns the error message. */
  function synthError(overrides: Parameters<typeof serviceApp>[0], appOverrides: Parameters<typeof serviceApp>[1] = {}): string {
    const { app } = serviceApp(overrides, appOverrides);
    try {
      Testing.synth(app);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('synth succeeded');
  }

  test.each([
    ['upper-case service name', { serviceName: 'Coditect' }, /\[coditect\] serviceName "Coditect" is not a valid Cloud Run service name/],
    ['service name of 50 characters', { serviceName: 'a'.repeat(50) }, /\[coditect\] serviceName "a{50}" is not a valid Cloud Run service name: use at most 49/],
    ['service name ending with "-"', { serviceName: 'coditect-' }, /serviceName "coditect-" is not a valid/],
    ['request timeout over an hour', { requestTimeout: Duration.seconds(3601) }, /\[coditect\] requestTimeout is 3601 s; Cloud Run accepts 1\.\.3600 s/],
    ['request timeout of zero', { requestTimeout: Duration.seconds(0) }, /requestTimeout is 0 s/],
    ['concurrency over 1000', { containerConcurrency: 1001 }, /\[coditect\] containerConcurrency is 1001; Cloud Run accepts an integer within 0\.\.1000/],
    ['negative concurrency', { containerConcurrency: -1 }, /containerConcurrency is -1/],
    ['min over max instances', { minInstances: 5, maxInstances: 2 }, /\[coditect\] minInstances \(5\) is greater than maxInstances \(2\)/],
    ['zero max instances', { maxInstances: 0 }, /maxInstances is 0; use an integer ≥ 1/],
    ['traffic not summing to 100', { traffic: [{ latestRevision: true, percent: 90 }] }, /\[coditect\] traffic percents sum to 90 \(90\); they must sum to 100/],
    ['traffic percent over 100', { traffic: [{ latestRevision: true, percent: 150 }] }, /traffic\[0\]\.percent is 150; use an integer within 0\.\.100/],
    ['traffic target with both latest and name', { traffic: [{ latestRevision: true, revisionName: 'coditect-backend-x', percent: 100 }] }, /traffic\[0\] has both latestRevision: true and revisionName "coditect-backend-x"/],
    ['traffic target naming nothing', { traffic: [{ percent: 100 }] }, /traffic\[0\] names no revision; set revisionName or latestRevision: true/],
    ['traffic revision of another service', { traffic: [{ revisionName: 'other-abc', percent: 100 }] }, /traffic\[0\]\.revisionName "other-abc" is not a revision of service "coditect-backend"/],
    ['duplicate traffic tags', { traffic: [{ latestRevision: true, percent: 50, tag: 'a' }, { revisionName: 'coditect-backend-x', percent: 50, tag: 'a' }] }, /traffic\[1\]\.tag "a" is used twice/],
    ['tag too long with the service name', { traffic: [{ latestRevision: true, percent: 100, tag: 'a-very-long-tag-name-for-this-service' }] }, /together have 53 characters, more than the 46 Cloud Run allows/],
    ['explicit traffic with a canary rollout', { rollout: Rollout.canary({ steps: [10] }), traffic: [{ latestRevision: true, percent: 100 }] }, /traffic is given, but the canary rollout manages the traffic split/],
    ['canary tag too long for the service name', { serviceName: 'a'.repeat(41), rollout: Rollout.canary({ steps: [10] }) }, /with the rollout's traffic tag\) "canary" and service name "a{41}" together have 47 characters/],
    ['metric analysis', { rollout: Rollout.canary({ steps: [10], analysis: Analysis.prometheus({ address: 'http://p:9090', query: 'up', successCondition: 'result[0] >= 1' }) }) }, /metric analysis, which slipway runs only on Kubernetes/],
    ['secret literal in environment env', { env: { API_TOKEN: 'abc123' } }, /\[coditect\] env\.API_TOKEN is a secret written as a literal: "API_TOKEN" names a secret and its value is a literal \(6 characters\); .*secrets: \{ NAME: SecretRef\.of/],
    ['credential-looking env value', { env: { DATABASE: 'postgres://admin:hunter2@db:5432/app' } }, /env\.DATABASE is a secret written as a literal: the value looks like a URL with a password/],
    ['env name both in env and secrets', { env: { DATABASE_URL: 'x' } }, /"DATABASE_URL" is both in env and in secrets; keep one/],
    ['non-string revision annotation value', { revisionAnnotations: { 'run.googleapis.com/session-affinity': true as any } }, /\[coditect\] CloudRunService props\.revisionAnnotations\["run\.googleapis\.com\/session-affinity"\] must be a string, not true/],
    ['numeric service annotation value', { serviceAnnotations: { 'example.com/owner': 42 as any } }, /serviceAnnotations\["example\.com\/owner"\] must be a string, not the number 42/],
    ['annotation slipway manages', { revisionAnnotations: { 'autoscaling.knative.dev/maxScale': '9' } }, /revisionAnnotations sets "autoscaling\.knative\.dev\/maxScale", which slipway writes from the typed prop "maxInstances"; use that prop/],
    ['invalid annotation key', { serviceAnnotations: { 'not a key': 'x' } }, /serviceAnnotations key "not a key" is not an annotation name/],
    ['egress without connector', { vpcEgress: CloudRunVpcEgress.ALL_TRAFFIC }, /vpcEgress "all-traffic" needs a vpcConnector/],
    ['bad connector', { vpcConnector: 'Bad_Connector' }, /vpcConnector "Bad_Connector" must be a connector name/],
    ['bad project', { project: 'Coditect' }, /project "Coditect" is not a Google Cloud project ID/],
    ['bad region', { region: 'central' }, /region "central" is not a Google Cloud region/],
    ['bad environment', { environment: 'Prod' }, /environment "Prod" must be lowercase letters/],
    ['bad service account', { serviceAccountEmail: 'someone@gmail.com' }, /serviceAccountEmail "someone@gmail\.com" is not a service account email/],
    ['bad Cloud SQL instance', { cloudSqlInstances: ['context-db'] }, /cloudSqlInstances entry "context-db" is not an instance connection name "project:region:instance"/],
    ['Secret Manager version', { secrets: { REDIS_URL: SecretRef.of('context-redis', 'url', 'newest') } }, /secrets\.REDIS_URL reads Secret Manager version "newest"; use "latest" or a version number/],
  ])('%s', (_name, overrides, message) => {
    expect(synthError(overrides as any)).toMatch(message);
  });

  test.each([
    ['command health check', { healthCheck: HealthCheck.command(['pg_isready']) }, /\[coditect\] healthCheck is a command check \(HealthCheck\.command\), but Cloud Run has no exec probes; use HealthCheck\.http/],
    ['health check on another port', { healthCheck: HealthCheck.http('/health', { port: 9000 }) }, /healthCheck\.port is 9000, but Cloud Run probes only the serving port 8000/],
    ['startup budget over 240 s', { healthCheck: HealthCheck.http('/health', { startupGrace: Duration.minutes(5) }) }, /startup budget of 30 × 10 s = 300 s; Cloud Run allows at most 240 s/],
    ['probe timeout over interval', { healthCheck: HealthCheck.http('/health', { interval: Duration.seconds(2), timeout: Duration.seconds(5) }) }, /healthCheck timeout is 5 s; Cloud Run needs 1 s up to the interval \(2 s\)/],
    ['CPU Cloud Run does not offer', { resources: { cpuLimit: '3' } }, /resources\.cpuLimit "3" is not a Cloud Run CPU limit: use 1, 2, 4, 6 or 8/],
    ['memory too large for the CPU', { resources: { cpuLimit: '1', memoryLimit: '8Gi' } }, /resources\.memoryLimit "8Gi" does not fit cpuLimit "1": Cloud Run needs at most 4Gi/],
    ['memory too small for 4 CPU', { resources: { cpuLimit: '4', memoryLimit: '1Gi' } }, /needs 2Gi\.\.16Gi of memory for 4 CPU/],
    ['fractional CPU with concurrency', { resources: { cpuLimit: '500m' } }, /resources\.cpuLimit "500m" is below 1 CPU, which Cloud Run allows only with containerConcurrency 1 \(it is 80\)/],
    ['Kubernetes secret name with a dot', { secrets: { DATABASE_URL: SecretRef.of('context.db', 'url') } }, /secrets\.DATABASE_URL names Secret Manager secret "context\.db", but Secret Manager names allow only letters, digits, "-" and "_"/],
  ])('%s', (_name, appOverrides, message) => {
    expect(synthError({}, appOverrides as any)).toMatch(message);
  });

  test('an HTTP health check needs HTTP/1', () => {
    expect(synthError({ protocol: CloudRunProtocol.H2C })).toMatch(/healthCheck is an HTTP check, but Cloud Run sends HTTP probes over HTTP\/1 and the service uses protocol h2c/);
  });

  test('fractional CPU also needs CPU throttling and gen1', () => {
    const message = synthError({ containerConcurrency: 1, cpuThrottling: false, executionEnvironment: CloudRunExecutionEnvironment.GEN2 }, { resources: { cpuLimit: '0.5' } });
    expect(message).toMatch(/with cpuThrottling: true/);
    expect(message).toMatch(/in the gen1 execution environment/);
  });

  test('all problems are reported at once and nothing is synthesized', () => {
    const message = synthError({ serviceName: 'Bad', containerConcurrency: 5000, requestTimeout: Duration.hours(2) });
    expect(message).toMatch(/^4 problems:/);
    expect(message).toMatch(/\[coditect\] serviceName "Bad"/);
    expect(message).toMatch(/\[coditect\/migrate-expand\] jobName "Bad-migrate-expand" is not a valid Cloud Run job name/);
    expect(message).toMatch(/containerConcurrency is 5000/);
    expect(message).toMatch(/requestTimeout is 7200 s/);
  });

  test('two services with the same name in one project and region are refused', () => {
    const app = Testing.app();
    const api = contextApi(app);
    coditect(app, api);
    new CloudRunService(app, 'coditect-2', { application: api, project: 'coditect-production', region: 'us-central1', environment: 'coditect2', serviceName: 'coditect-backend', migrations: false });
    expect(() => Testing.synth(app)).toThrow(/\[coditect\] service "coditect-backend" in project "coditect-production", region "us-central1" is also defined by "coditect-2"/);
  });

  test('the same service name in another region is fine', () => {
    const app = Testing.app();
    const api = contextApi(app);
    coditect(app, api);
    new CloudRunService(app, 'coditect-eu', { application: api, project: 'coditect-production', region: 'europe-west4', environment: 'coditect-eu', serviceName: 'coditect-backend' });
    expectValid(Testing.synth(app));
  });
});

describe('the validators reject broken Cloud Run specs (they can fail)', () => {
  test.each([
    ['port named http', (d: any) => { d.spec.template.spec.containers[0].ports[0].name = 'http'; }, /must be "http1" or "h2c"/],
    ['unquoted annotation value', (d: any) => { d.spec.template.metadata.annotations['autoscaling.knative.dev/maxScale'] = 2; }, /must be a string, got 2/],
    ['traffic not summing to 100', (d: any) => { d.spec.traffic[0].percent = 90; }, /percents sum to 90/],
    ['timeout over an hour', (d: any) => { d.spec.template.spec.timeoutSeconds = 7200; }, /timeoutSeconds must be an integer in 1\.\.3600/],
    ['schema: containers not a list', (d: any) => { d.spec.template.spec.containers = { image: 'x' }; }, /containers must be array/],
  ])('%s', (_name, mutate, message) => {
    const { app } = serviceApp();
    const doc = parse(Testing.synth(app)[SERVICE_FILE]);
    mutate(doc);
    const report = validateFiles({ [SERVICE_FILE]: stringify(doc) });
    expect(report.findings.map((f) => f.message).join('\n')).toMatch(message);
  });
});
