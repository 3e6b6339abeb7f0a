import * as YAML from 'yaml';
import { CHART_DIR, chartFiles, contextApi } from './fixtures';
import { Analysis, Rollout, Scaling, Testing, TrafficRouter } from '../../src';
import { HelmChart, HelmRolloutStrategy } from '../../src/kubernetes';
import { expectValid } from '../support/harness';
import { renderChart } from './support/render';

const analysis = Analysis.prometheus({
  address: 'http://prometheus:9090',
  query: 'avg(up{service="{{args.service}}"})',
  successCondition: 'result[0] >= 1',
});

/** One chart whose environments use every strategy: each values file selects its own. */
describe('one chart, every rollout strategy', () => {
  const app = Testing.app();
  const chart = new HelmChart(app, 'chart', {
    application: contextApi(app, { ingress: { host: 'api.example.com' } }),
    environments: [
      { name: 'dev', scaling: Scaling.auto({ minReplicas: 1, maxReplicas: 3 }) },
      { name: 'staging', rollout: Rollout.canary({ steps: [25, 100] }) },
      { name: 'canary', rollout: Rollout.canary({ steps: [10, 50], router: TrafficRouter.ARGO_ROLLOUTS, analysis }) },
      { name: 'production', rollout: Rollout.blueGreen({ analysis }) },
      { name: 'hotfix', rollout: Rollout.deployFirst() },
    ],
  });
  const files = Testing.synth(app);

  test('every template renders and validates with values.yaml, each values-<env>.yaml and an NGINX canary step', () => {
    const report = expectValid({
      ...files,
      [`${CHART_DIR}/values-staging-step.yaml`]: YAML.stringify({
        ...YAML.parse(files[`${CHART_DIR}/values-staging.yaml`]),
        image: { tag: 'new' },
        stable: { image: { tag: 'old' } },
        canary: { enabled: true, weight: 25 },
      }),
    });
    const sets = ['values.yaml', 'values-dev.yaml', 'values-staging.yaml', 'values-canary.yaml', 'values-production.yaml', 'values-hotfix.yaml', 'values-staging-step.yaml'];
    for (const t of Object.keys(files).filter((f) => f.startsWith(`${CHART_DIR}/templates/`))) {
      expect(report.checked[t]).toEqual(expect.arrayContaining(sets.map((s) => `go-template(${s})`)));
    }
  });

  test('snapshot of the chart', () => {
    expect(chartFiles(files)).toMatchSnapshot();
  });

  test('the schema lists exactly the strategies in use', () => {
    const schema = JSON.parse(files[`${CHART_DIR}/values.schema.json`]);
    expect(schema.properties.rollout.properties.strategy.enum).toEqual(['rolling', 'nginx-canary', 'argo-canary', 'argo-blue-green']);
    expect(chart.strategyFor('hotfix')).toBe(HelmRolloutStrategy.ROLLING);
  });

  test.each([
    ['dev', ['Deployment/release-name', 'HorizontalPodAutoscaler/release-name', 'Ingress/release-name', 'Job/release-name-migrate-expand', 'PodDisruptionBudget/release-name', 'Service/release-name', 'ServiceAccount/release-name']],
    ['staging', ['Deployment/release-name', 'Ingress/release-name', 'Job/release-name-migrate-expand', 'PodDisruptionBudget/release-name', 'Service/release-name', 'ServiceAccount/release-name']],
    ['canary', ['AnalysisTemplate/release-name-analysis', 'Ingress/release-name', 'Job/release-name-migrate-expand', 'PodDisruptionBudget/release-name', 'Rollout/release-name', 'Service/release-name', 'Service/release-name-canary', 'ServiceAccount/release-name']],
    ['production', ['AnalysisTemplate/release-name-analysis', 'Ingress/release-name', 'Job/release-name-migrate-expand', 'PodDisruptionBudget/release-name', 'Rollout/release-name', 'Service/release-name', 'Service/release-name-preview', 'ServiceAccount/release-name']],
    ['hotfix', ['Deployment/release-name', 'Ingress/release-name', 'Job/release-name-migrate-expand', 'PodDisruptionBudget/release-name', 'Service/release-name', 'ServiceAccount/release-name']],
  ])('values-%s.yaml renders exactly its objects', (env, objects) => {
    const r = renderChart(files, CHART_DIR, [`values-${env}.yaml`]);
    const rendered = Object.values(r.docs).flat().map((d) => `${d.kind}/${d.metadata.name}`).sort();
    expect(rendered).toEqual(objects);
  });
});
