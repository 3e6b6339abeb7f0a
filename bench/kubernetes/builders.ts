/**
 * N web applications (Deployment, Service, ServiceAccount and
 * PodDisruptionBudget each; probes, resources, a hardened security context,
 * a /tmp volume) built two ways: slipway's Kubernetes target (one Helm chart
 * per Application) and the same objects hand-built with cdk8s-plus-27, one
 * cdk8s Chart per application, rendered with `app.synthYaml()`.
 */
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { App, Application, HealthCheck, HelmChart, Image, Testing } from 'slipway';

const name = (i: number) => `web-${String(i).padStart(4, '0')}`;
const RESOURCES = { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '128Mi', memoryLimit: '512Mi' };

/** slipway: an Application and its HelmChart per application; every file of the charts. */
export function slipwayCharts(n: number): { [path: string]: string } {
  const app: App = Testing.app();
  for (let i = 0; i < n; i++) {
    const application = new Application(app, name(i), {
      image: Image.fromRegistry(`ghcr.io/acme/${name(i)}`, '1.0.0'),
      port: 8080,
      healthCheck: HealthCheck.http('/healthz'),
      env: { GREETING: 'hello' },
      resources: RESOURCES,
    });
    new HelmChart(app, `${name(i)}-chart`, { application });
  }
  return Testing.synth(app);
}

/** cdk8s-plus-27 by hand: the same four objects per application, as one YAML stream. */
export function cdk8sPlusCharts(n: number): string {
  const app = new cdk8s.App();
  for (let i = 0; i < n; i++) {
    const id = name(i);
    const chart = new cdk8s.Chart(app, id, { disableResourceNameHashes: true });
    const labels = { 'app.kubernetes.io/name': id, 'app.kubernetes.io/instance': id, 'app.kubernetes.io/component': 'server' };
    const selector = { 'app.kubernetes.io/name': id, 'app.kubernetes.io/instance': id, 'slipway.dev/track': 'stable' };
    const serviceAccount = new kplus.ServiceAccount(chart, 'service-account', { metadata: { name: id, labels }, automountToken: false });
    const tmp = kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp');
    const probe = (failureThreshold: number) => kplus.Probe.fromHttpGet('/healthz', {
      port: 8080, periodSeconds: cdk8s.Duration.seconds(10), timeoutSeconds: cdk8s.Duration.seconds(3), failureThreshold,
    });
    const deployment = new kplus.Deployment(chart, 'deployment', {
      metadata: { name: id, labels },
      replicas: 2,
      strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.percent(25), maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
      select: false,
      podMetadata: { labels: { ...selector, 'app.kubernetes.io/component': 'server' } },
      serviceAccount,
      automountServiceAccountToken: false,
      securityContext: { user: 10001, group: 10001, fsGroup: 10001, ensureNonRoot: true },
      volumes: [tmp],
      containers: [{
        name: id,
        image: `ghcr.io/acme/${id}:1.0.0`,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        ports: [{ number: 8080, name: 'http', protocol: kplus.Protocol.TCP }],
        envVariables: { GREETING: kplus.EnvValue.fromValue('hello') },
        liveness: probe(3),
        readiness: probe(3),
        startup: probe(6),
        resources: {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.units(1) },
          memory: { request: cdk8s.Size.mebibytes(128), limit: cdk8s.Size.mebibytes(512) },
        },
        securityContext: { readOnlyRootFilesystem: true, ensureNonRoot: true, allowPrivilegeEscalation: false },
        volumeMounts: [{ path: '/tmp', volume: tmp }],
      }],
    });
    deployment.select(kplus.LabelSelector.of({ labels: selector }));
    const service = new kplus.Service(chart, 'service', {
      metadata: { name: id, labels },
      ports: [{ port: 80, targetPort: 8080, name: 'http', protocol: kplus.Protocol.TCP }],
    });
    for (const [key, value] of Object.entries(selector)) service.selectLabel(key, value);
    new kplus.k8s.KubePodDisruptionBudget(chart, 'pdb', {
      metadata: { name: id, labels },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });
  }
  return app.synthYaml();
}
