import * as YAML from 'yaml';
import { CHART_DIR, chartFiles, contextApi } from './fixtures';
import { Rollout, Testing } from '../../src';
import { HelmChart, HelmRolloutStrategy } from '../../src/kubernetes';
import { expectValid } from '../support/harness';
import { renderChart } from './support/render';

function synth() {
  const app = Testing.app();
  const chart = new HelmChart(app, 'chart', {
    application: contextApi(app, { ingress: { host: 'api.example.com', tlsSecretName: 'api-tls' } }),
    environments: [
      { name: 'staging', namespace: 'staging', ingressHost: 'staging.api.example.com' },
      { name: 'production', namespace: 'production', rollout: Rollout.canary({ steps: [10, 50, 100] }) },
    ],
  });
  return { chart, files: Testing.synth(app) };
}

/** What the pipeline sets while stepping a canary (`--set canary.enabled=true --set canary.weight=N ...`). */
const step = (weight: number) => ({
  image: { tag: 'new1234' },
  stable: { image: { tag: 'old5678' } },
  canary: { enabled: true, weight },
});

describe('HelmChart: canary via NGINX ingress', () => {
  const { chart, files } = synth();

  test('passes the validators with every values file, and with a canary step set like the pipeline does', () => {
    const stepping = `${CHART_DIR}/values-production-canary-step.yaml`;
    const report = expectValid({
      ...files,
      // a values set equal to values-production.yaml plus the pipeline's --set flags
      [stepping]: YAML.stringify({ ...YAML.parse(files[`${CHART_DIR}/values-production.yaml`]), ...step(10) }),
    });
    expect(report.checked[`${CHART_DIR}/templates/canary-ingress.yaml`]).toEqual(expect.arrayContaining([
      'go-template(values-production-canary-step.yaml)', 'kubernetes-models', 'cross-references',
    ]));
  });

  test('snapshot of the chart', () => {
    expect(chartFiles(files)).toMatchSnapshot();
  });

  test('facts: strategy, names and value keys the pipeline steps with', () => {
    expect(chart.strategyFor('production')).toBe(HelmRolloutStrategy.NGINX_CANARY);
    expect(chart.strategyFor('staging')).toBe(HelmRolloutStrategy.ROLLING);
    expect(chart.rolloutFor('production').steps).toEqual([10, 50, 100]);
    expect(chart.canaryDeploymentName).toBe('context-api-canary');
    expect(chart.canaryServiceName).toBe('context-api-canary');
    expect(chart.canaryIngressName).toBe('context-api-canary');
    expect([chart.canaryEnabledKey, chart.canaryWeightKey, chart.stableImageTagKey, chart.stableImageDigestKey])
      .toEqual(['canary.enabled', 'canary.weight', 'stable.image.tag', 'stable.image.digest']);
    expect(YAML.parse(files[`${CHART_DIR}/values-production.yaml`])).toEqual({ rollout: { strategy: 'nginx-canary' } });
    const values = YAML.parse(files[`${CHART_DIR}/values.yaml`]);
    expect(values.canary).toEqual({ enabled: false, weight: 0, replicas: 1 });
    expect(values.stable).toEqual({ image: { tag: '', digest: '' } });
  });

  test('without a canary running, only the stable objects render', () => {
    const r = renderChart(files, CHART_DIR, ['values-production.yaml'], { image: { tag: 'new1234' } });
    expect(r.of('Deployment').map((d) => d.metadata.name)).toEqual(['release-name']);
    expect(r.of('Ingress').map((d) => d.metadata.name)).toEqual(['release-name']);
    expect(r.of('Service').map((d) => d.metadata.name)).toEqual(['release-name']);
  });

  test.each([10, 50, 100])('step %i: a canary Ingress weighted by canary.weight (a quoted string) in front of the canary Deployment', (weight) => {
    const r = renderChart(files, CHART_DIR, ['values-production.yaml'], step(weight));
    const canaryIngress = r.one('Ingress', 'release-name-canary');
    expect(canaryIngress.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight': String(weight),
    });
    expect(r.text['templates/canary-ingress.yaml']).toContain(`nginx.ingress.kubernetes.io/canary-weight: "${weight}"`);
    const main = r.one('Ingress', 'release-name');
    // same host and path as the main ingress, backed by the canary Service
    expect(canaryIngress.spec.rules[0].host).toBe(main.spec.rules[0].host);
    expect(canaryIngress.spec.rules[0].http.paths[0].path).toBe(main.spec.rules[0].http.paths[0].path);
    expect(canaryIngress.spec.rules[0].http.paths[0].backend.service.name).toBe('release-name-canary');
    expect(main.spec.rules[0].http.paths[0].backend.service.name).toBe('release-name');
    expect(main.spec.tls).toEqual([{ hosts: ['api.example.com'], secretName: 'api-tls' }]);
    expect(canaryIngress.spec.ingressClassName).toBe('nginx');

    // the stable Deployment keeps the previous release; the canary runs the new one
    const stable = r.one('Deployment', 'release-name');
    const canary = r.one('Deployment', 'release-name-canary');
    expect(stable.spec.template.spec.containers[0].image).toBe('docker.io/coditect/context-app:old5678');
    expect(stable.metadata.annotations['slipway.dev/image-tag']).toBe('old5678');
    expect(canary.spec.template.spec.containers[0].image).toBe('docker.io/coditect/context-app:new1234');
    expect(canary.spec.replicas).toBe(1);

    // each Service selects exactly its track's pods
    const stableService = r.one('Service', 'release-name');
    const canaryService = r.one('Service', 'release-name-canary');
    expect(stableService.spec.selector).toEqual(stable.spec.selector.matchLabels);
    expect(canaryService.spec.selector).toEqual(canary.spec.selector.matchLabels);
    expect(canary.spec.selector.matchLabels['slipway.dev/track']).toBe('canary');
    expect(canary.spec.template.metadata.labels).toEqual(expect.objectContaining(canary.spec.selector.matchLabels));
    expect(stable.spec.template.metadata.labels['slipway.dev/track']).toBe('stable');
    // the PodDisruptionBudget covers both tracks
    const pdb = r.one('PodDisruptionBudget', 'release-name').spec.selector.matchLabels;
    for (const d of [stable, canary]) expect(d.spec.template.metadata.labels).toEqual(expect.objectContaining(pdb));
    expect(r.text['templates/NOTES.txt']).toContain(`Canary release-name-canary receives ${weight}% of the traffic.`);
  });

  test('promotion: with stable.image cleared the stable Deployment runs the new release; canary.enabled=false removes the canary', () => {
    const promoted = renderChart(files, CHART_DIR, ['values-production.yaml'], { image: { tag: 'new1234' }, canary: { enabled: false, weight: 100 } });
    expect(promoted.one('Deployment', 'release-name').spec.template.spec.containers[0].image).toBe('docker.io/coditect/context-app:new1234');
    expect(promoted.of('Deployment', 'release-name-canary')).toEqual([]);
    expect(promoted.of('Ingress', 'release-name-canary')).toEqual([]);
  });

  test('the staging environment (rolling) never renders canary objects, even with canary.enabled', () => {
    const r = renderChart(files, CHART_DIR, ['values-staging.yaml'], { canary: { enabled: true, weight: 10 } });
    expect(r.of('Deployment').map((d) => d.metadata.name)).toEqual(['release-name']);
    expect(r.one('Ingress', 'release-name').spec.rules[0].host).toBe('staging.api.example.com');
  });
});
