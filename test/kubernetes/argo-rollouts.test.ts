import * as YAML from 'yaml';
import { CHART_DIR, chartFiles, contextApi } from './fixtures';
import { Analysis, Duration, Rollout, Scaling, Testing, TrafficRouter } from '../../src';
import { HelmChart, HelmRolloutStrategy } from '../../src/kubernetes';
import { expectValid } from '../support/harness';
import { renderChart } from './support/render';

const successRate = Analysis.prometheus({
  address: 'http://prometheus.monitoring:9090',
  query: 'sum(rate(http_requests_total{service="{{args.service}}",namespace="{{args.namespace}}",code!~"5.."}[1m])) / sum(rate(http_requests_total{service="{{args.service}}",namespace="{{args.namespace}}"}[1m]))',
  successCondition: 'result[0] >= 0.99',
  failureLimit: 2,
  interval: Duration.seconds(30),
  count: 4,
});

describe('HelmChart: canary via Argo Rollouts', () => {
  const app = Testing.app();
  const chart = new HelmChart(app, 'chart', {
    application: contextApi(app, { ingress: { host: 'api.example.com' }, scaling: Scaling.auto({ minReplicas: 2, maxReplicas: 6 }) }),
    environments: [
      { name: 'staging', rollout: Rollout.canary({ steps: [50], router: TrafficRouter.ARGO_ROLLOUTS, bake: Duration.minutes(1) }) },
      { name: 'production', rollout: Rollout.canary({ steps: [10, 50, 100], router: TrafficRouter.ARGO_ROLLOUTS, analysis: successRate }) },
    ],
  });
  const files = Testing.synth(app);

  test('passes the validators (argo-rollouts schemas for Rollout and AnalysisTemplate) with every values file', () => {
    const report = expectValid(files);
    expect(report.checked[`${CHART_DIR}/templates/rollout.yaml`]).toEqual(expect.arrayContaining(['go-template(values-production.yaml)', 'argo-rollouts', 'cross-references']));
    expect(report.checked[`${CHART_DIR}/templates/analysis-template.yaml`]).toEqual(expect.arrayContaining(['argo-rollouts']));
  });

  test('snapshot of the chart', () => {
    expect(chartFiles(files)).toMatchSnapshot();
  });

  test('facts', () => {
    expect(chart.strategyFor('production')).toBe(HelmRolloutStrategy.ARGO_CANARY);
    expect(chart.usesArgoRollouts('production')).toBe(true);
    expect(chart.rolloutName).toBe('context-api');
    expect(chart.analysisTemplateName).toBe('context-api-analysis');
  });

  test('rendered: the Rollout replaces the Deployment, with setWeight / pause / analysis steps per environment', () => {
    const r = renderChart(files, CHART_DIR, ['values-production.yaml'], { image: { tag: 'abc1234' } });
    expect(r.of('Deployment')).toEqual([]);
    const rollout = r.one('Rollout', 'release-name');
    expect(rollout.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'context-api', 'app.kubernetes.io/instance': 'release-name', 'slipway.dev/track': 'stable' });
    expect(rollout.spec.template.metadata.labels).toEqual(expect.objectContaining(rollout.spec.selector.matchLabels));
    expect(rollout.spec.template.spec.containers[0].image).toBe('docker.io/coditect/context-app:abc1234');
    expect(rollout.spec.replicas).toBeUndefined(); // the HPA owns it
    const analysis = {
      analysis: {
        templates: [{ templateName: 'release-name-analysis' }],
        args: [{ name: 'service', value: 'release-name-canary' }, { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
      },
    };
    expect(rollout.spec.strategy).toEqual({
      canary: {
        canaryService: 'release-name-canary',
        stableService: 'release-name',
        trafficRouting: { nginx: { stableIngress: 'release-name' } },
        steps: [
          { setWeight: 10 }, { pause: { duration: '5m' } }, analysis,
          { setWeight: 50 }, { pause: { duration: '5m' } }, analysis,
        ],
      },
    });
    expect(r.one('HorizontalPodAutoscaler', 'release-name').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'release-name' });
    expect(r.one('Service', 'release-name-canary').spec.selector).toEqual(rollout.spec.selector.matchLabels);

    const staging = renderChart(files, CHART_DIR, ['values-staging.yaml']).one('Rollout', 'release-name');
    expect(staging.spec.strategy.canary.steps).toEqual([{ setWeight: 50 }, { pause: { duration: '1m' } }]);
  });

  test('rendered: the AnalysisTemplate keeps {{args.x}} literal for Argo Rollouts', () => {
    const r = renderChart(files, CHART_DIR, ['values-production.yaml']);
    const template = r.one('AnalysisTemplate', 'release-name-analysis');
    expect(template.spec).toEqual({
      args: [{ name: 'service' }, { name: 'namespace' }],
      metrics: [{
        name: 'success-rate',
        interval: '30s',
        count: 4,
        failureLimit: 2,
        successCondition: 'result[0] >= 0.99',
        provider: { prometheus: { address: 'http://prometheus.monitoring:9090', query: successRate.query } },
      }],
    });
    expect(template.spec.metrics[0].provider.prometheus.query).toContain('service="{{args.service}}"');
    // staging has no analysis: no AnalysisTemplate
    expect(renderChart(files, CHART_DIR, ['values-staging.yaml']).of('AnalysisTemplate')).toEqual([]);
  });

  test('values: steps short of 100, bake and analysis per environment', () => {
    expect(YAML.parse(files[`${CHART_DIR}/values-production.yaml`])).toEqual({
      rollout: { strategy: 'argo-canary' },
      canary: { steps: [10, 50], bake: '5m' },
      analysis: {
        enabled: true,
        metricName: 'success-rate',
        address: 'http://prometheus.monitoring:9090',
        query: successRate.query,
        successCondition: 'result[0] >= 0.99',
        interval: '30s',
        count: 4,
        failureLimit: 2,
      },
    });
    expect(YAML.parse(files[`${CHART_DIR}/values-staging.yaml`])).toEqual({
      rollout: { strategy: 'argo-canary' }, canary: { steps: [50], bake: '1m' }, analysis: { enabled: false },
    });
  });
});

describe('HelmChart: blue-green via Argo Rollouts', () => {
  const app = Testing.app();
  new HelmChart(app, 'chart', {
    application: contextApi(app),
    environments: [
      { name: 'dev', namespace: 'dev' },
      { name: 'staging', rollout: Rollout.blueGreen({ scaleDownDelay: Duration.minutes(2), autoPromote: true }) },
      { name: 'production', rollout: Rollout.blueGreen({ analysis: successRate }) },
    ],
  });
  const files = Testing.synth(app);

  test('passes the validators with every values file', () => {
    const report = expectValid(files);
    expect(report.checked[`${CHART_DIR}/templates/preview-service.yaml`]).toEqual(expect.arrayContaining(['kubernetes-models']));
  });

  test('snapshot of the chart', () => {
    expect(chartFiles(files)).toMatchSnapshot();
  });

  test('rendered: active and preview Services, auto-promotion off by default, pre-promotion analysis', () => {
    const r = renderChart(files, CHART_DIR, ['values-production.yaml']);
    const rollout = r.one('Rollout', 'release-name');
    expect(rollout.spec.strategy).toEqual({
      blueGreen: {
        activeService: 'release-name',
        previewService: 'release-name-preview',
        autoPromotionEnabled: false,
        scaleDownDelaySeconds: 600,
        prePromotionAnalysis: {
          templates: [{ templateName: 'release-name-analysis' }],
          args: [{ name: 'service', value: 'release-name-preview' }, { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
        },
      },
    });
    expect(rollout.spec.replicas).toBe(2);
    for (const name of ['release-name', 'release-name-preview']) {
      expect(r.one('Service', name).spec.selector).toEqual(rollout.spec.selector.matchLabels);
    }
    const staging = renderChart(files, CHART_DIR, ['values-staging.yaml']).one('Rollout', 'release-name');
    expect(staging.spec.strategy.blueGreen).toEqual({
      activeService: 'release-name', previewService: 'release-name-preview', autoPromotionEnabled: true, scaleDownDelaySeconds: 120,
    });
    // dev rolls: a Deployment, no Rollout or preview Service
    const dev = renderChart(files, CHART_DIR, ['values-dev.yaml']);
    expect(dev.of('Rollout')).toEqual([]);
    expect(dev.of('Service').map((s) => s.metadata.name)).toEqual(['release-name']);
    expect(dev.of('Deployment').map((s) => s.metadata.name)).toEqual(['release-name']);
  });
});
