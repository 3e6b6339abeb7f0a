import * as YAML from 'yaml';
import { chartFiles, contextApi } from './fixtures';
import { HealthCheck, Image, Testing } from '../../src';
import { HelmChart } from '../../src/kubernetes';
import { expectValid } from '../support/harness';
import { renderChart } from './support/render';

describe('HelmChart options', () => {
  const app = Testing.app();
  const chart = new HelmChart(app, 'chart', {
    application: contextApi(app, {
      image: Image.fromRegistry('ghcr.io/acme/worker', '1.4.2'),
      command: ['/app/server'],
      // a literal "{{" in content must reach the container unchanged
      args: ['--greeting', 'Hello {{name}}'],
      description: 'Renders {{templates}} for acme',
      healthCheck: HealthCheck.command(['/app/healthcheck', '--quick']),
      ingress: { host: 'worker.acme.dev', path: '/api', className: 'internal' },
    }),
    chartName: 'worker',
    directory: 'infra/helm/worker/',
    releaseName: 'acme-worker',
    version: '1.2.3',
    serviceAccount: { create: false, name: 'acme-workload', automountToken: true },
    configMap: { data: { 'app.yaml': 'mode: fast\nlimit: 3\n' }, mountPath: '/config' },
    podDisruptionBudget: { enabled: false, maxUnavailable: '25%' },
    securityContext: { runAsUser: 2000, runAsGroup: 3000, fsGroup: 3000, readOnlyRootFilesystem: false, addCapabilities: ['NET_BIND_SERVICE'], seccompRuntimeDefault: false },
    service: { port: 8080, type: 'LoadBalancer' },
    additionalPorts: [{ name: 'metrics', port: 9090 }],
    environments: [{
      name: 'production',
      values: {
        podAnnotations: { 'prometheus.io/scrape': 'true' },
        configMap: { data: { 'app.yaml': 'mode: careful\n' } },
        ingress: { annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' } },
        imagePullSecrets: ['ghcr-pull'],
      },
    }],
  });
  chart.addTemplate('network-policy.yaml', [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: "{{ .Release.Name }}-deny-all"',
    'spec:',
    '  podSelector: {}',
    '  policyTypes:',
    '    - Ingress',
    '',
  ].join('\n'));
  const files = Testing.synth(app);

  test('passes the validators', () => {
    expectValid(files);
  });

  test('snapshot of the chart', () => {
    expect(chartFiles(files, 'infra/helm/worker')).toMatchSnapshot();
  });

  test('chart identity and paths', () => {
    expect(chart.chartDir).toBe('infra/helm/worker');
    expect(chart.valuesFile('production')).toBe('infra/helm/worker/values-production.yaml');
    expect(chart.deploymentName).toBe('acme-worker');
    expect(YAML.parse(files['infra/helm/worker/Chart.yaml'])).toEqual({
      apiVersion: 'v2', name: 'worker', version: '1.2.3', description: 'Renders {{templates}} for acme', type: 'application', appVersion: '1.4.2',
    });
    expect(YAML.parse(files['infra/helm/worker/values.yaml']).image.tag).toBe('1.4.2');
  });

  test('rendered: options reach the objects', () => {
    const r = renderChart(files, 'infra/helm/worker', ['values-production.yaml']);
    const d = r.one('Deployment', 'release-name');
    const pod = d.spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toBe('ghcr.io/acme/worker:1.4.2');
    expect(c.command).toEqual(['/app/server']);
    expect(c.args).toEqual(['--greeting', 'Hello {{name}}']);
    expect(r.text['templates/deployment.yaml']).toContain('- Hello {{name}}');
    expect(files['infra/helm/worker/templates/deployment.yaml']).toContain('- Hello {{`{{`}}name}}');
    expect(c.readinessProbe.exec).toEqual({ command: ['/app/healthcheck', '--quick'] });
    expect(c.ports).toEqual([{ containerPort: 8000, name: 'http', protocol: 'TCP' }, { containerPort: 9090, name: 'metrics', protocol: 'TCP' }]);
    expect(pod.serviceAccountName).toBe('acme-workload');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.securityContext).toEqual({ fsGroup: 3000, runAsGroup: 3000, runAsNonRoot: true, runAsUser: 2000 });
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: false, runAsNonRoot: true });
    expect(c.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }, { mountPath: '/config', name: 'config', readOnly: true }]);
    expect(pod.volumes).toEqual([{ emptyDir: {}, name: 'tmp' }, { configMap: { name: 'release-name-config' }, name: 'config' }]);
    expect(pod.imagePullSecrets).toEqual([{ name: 'ghcr-pull' }]);
    expect(d.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    expect(r.one('ConfigMap', 'release-name-config').data).toEqual({ 'app.yaml': 'mode: careful\n' });
    const svc = r.one('Service', 'release-name');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP', targetPort: 'http' },
      { name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 'metrics' },
    ]);
    const ing = r.one('Ingress', 'release-name');
    expect(ing.spec.ingressClassName).toBe('internal');
    expect(ing.spec.rules[0].http.paths[0].path).toBe('/api');
    expect(ing.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' });
    expect(ing.spec.tls).toBeUndefined();
    expect(r.of('ServiceAccount')).toEqual([]);
    expect(r.of('PodDisruptionBudget')).toEqual([]);
    expect(r.one('NetworkPolicy', 'release-name-deny-all').spec.policyTypes).toEqual(['Ingress']);
    expect(r.text['templates/NOTES.txt']).toMatch(/^Renders \{\{templates\}\} for acme\n/);
    expect(r.text['templates/NOTES.txt']).toContain('URL: http://worker.acme.dev/api');
  });

  test('a migration Job runs as the existing service account', () => {
    const app2 = Testing.app();
    new HelmChart(app2, 'chart', { application: contextApi(app2), serviceAccount: { create: false, name: 'acme-workload' } });
    const f = Testing.synth(app2);
    const job = renderChart(f, 'deploy/helm/context-api').one('Job', 'release-name-migrate-expand');
    expect(job.spec.template.spec.serviceAccountName).toBe('acme-workload');
  });
});
