import * as YAML from 'yaml';
import { CHART_DIR, chartFiles, contextApi } from './fixtures';
import { Duration, Migration, MigrationPhase, Testing } from '../../src';
import { HelmChart, MigrationMode } from '../../src/kubernetes';
import { expectValid } from '../support/harness';
import { renderChart } from './support/render';

const phases = Migration.phases({
  expand: ['alembic', 'upgrade', 'expand@head'],
  migrate: ['python', '-m', 'app.backfill'],
  contract: ['alembic', 'upgrade', 'contract@head'],
  timeout: Duration.minutes(4),
  retries: 1,
});

function synth(mode: MigrationMode) {
  const app = Testing.app();
  const chart = new HelmChart(app, 'chart', {
    application: contextApi(app, { migration: phases }),
    environments: [{ name: 'staging' }, { name: 'production' }],
    migrationMode: mode,
    migrationTtl: Duration.hours(2),
  });
  return { chart, files: Testing.synth(app) };
}

/** The values the pipeline passes to `helm template --show-only` to render a standalone phase. */
const run = (phase: string) => ({ image: { tag: 'abc1234' }, migration: { run: phase } });

describe('migrations as Helm hooks (expand, migrate) plus a standalone contract Job', () => {
  const { chart, files } = synth(MigrationMode.HOOK);

  test('passes the validators, also with migration.run=contract as the pipeline renders it', () => {
    const report = expectValid({
      ...files,
      [`${CHART_DIR}/values-production-contract.yaml`]: YAML.stringify({ ...YAML.parse(files[`${CHART_DIR}/values-production.yaml`]), ...run('contract') }),
    });
    expect(report.checked[`${CHART_DIR}/templates/migration-contract-job.yaml`]).toEqual(expect.arrayContaining(['kubernetes-models']));
  });

  test('snapshot of the chart', () => {
    expect(chartFiles(files)).toMatchSnapshot();
  });

  test('facts for the pipeline', () => {
    expect(chart.migrationPhases).toEqual([MigrationPhase.EXPAND, MigrationPhase.MIGRATE, MigrationPhase.CONTRACT]);
    expect(chart.migrationRunsAsHook(MigrationPhase.EXPAND)).toBe(true);
    expect(chart.migrationRunsAsHook(MigrationPhase.MIGRATE)).toBe(true);
    expect(chart.migrationRunsAsHook(MigrationPhase.CONTRACT)).toBe(false);
    expect(chart.migrationJobName(MigrationPhase.CONTRACT)).toBe('context-api-migrate-contract');
    expect(chart.migrationJobTemplate(MigrationPhase.CONTRACT)).toBe('templates/migration-contract-job.yaml');
    expect(chart.migrationRunKey).toBe('migration.run');
    expect(chart.deployTimeout.toSeconds()).toBe(5 * 60); // a 4 minute migration fits the default
    expect(YAML.parse(files[`${CHART_DIR}/values.yaml`]).migration).toEqual({ enabled: true, run: '' });
  });

  test('an ordinary upgrade renders expand then migrate as weighted pre-install,pre-upgrade hooks, and never contract', () => {
    const r = renderChart(files, CHART_DIR, ['values-production.yaml'], { image: { tag: 'abc1234' } });
    const jobs = r.of('Job');
    expect(jobs.map((j) => j.metadata.name)).toEqual(['release-name-migrate-expand', 'release-name-migrate-migrate']);
    const [expand, migrate] = jobs;
    for (const job of jobs) {
      expect(job.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      expect(job.metadata.annotations['helm.sh/hook-delete-policy']).toBe('before-hook-creation,hook-succeeded');
      expect(job.spec).toEqual(expect.objectContaining({ backoffLimit: 1, activeDeadlineSeconds: 240, ttlSecondsAfterFinished: 7200 }));
    }
    // Helm runs hooks in ascending weight: expand first
    expect(Number(expand.metadata.annotations['helm.sh/hook-weight'])).toBeLessThan(Number(migrate.metadata.annotations['helm.sh/hook-weight']));
    expect(expand.spec.template.spec.containers[0].command).toEqual(['alembic', 'upgrade', 'expand@head']);
    expect(migrate.spec.template.spec.containers[0].command).toEqual(['python', '-m', 'app.backfill']);
  });

  test('the pipeline renders contract alone after 100%: a plain Job, no hook', () => {
    const r = renderChart(files, CHART_DIR, ['values-production.yaml'], run('contract'));
    const contract = r.one('Job', 'release-name-migrate-contract');
    expect(contract.metadata.annotations).toBeUndefined();
    expect(contract.spec.template.spec.containers[0].command).toEqual(['alembic', 'upgrade', 'contract@head']);
    expect(contract.spec.template.spec.containers[0].image).toBe('docker.io/coditect/context-app:abc1234');
    expect(contract.spec.template.spec.restartPolicy).toBe('Never');
  });
});

describe('migrations as Jobs the pipeline runs (MigrationMode.JOB)', () => {
  const { chart, files } = synth(MigrationMode.JOB);

  test('passes the validators with each phase selected', () => {
    const extra: { [path: string]: string } = {};
    for (const phase of ['expand', 'migrate', 'contract']) {
      extra[`${CHART_DIR}/values-run-${phase}.yaml`] = YAML.stringify(run(phase));
    }
    expectValid({ ...files, ...extra });
  });

  test('no phase is a hook; an ordinary upgrade renders no Job; migration.run renders exactly one', () => {
    expect(chart.migrationPhases).toEqual(['expand', 'migrate', 'contract']);
    for (const phase of chart.migrationPhases) expect(chart.migrationRunsAsHook(phase)).toBe(false);
    expect(YAML.parse(files[`${CHART_DIR}/values.yaml`]).migration).toEqual({ run: '' });
    expect(renderChart(files, CHART_DIR, ['values-production.yaml']).of('Job')).toEqual([]);
    for (const phase of chart.migrationPhases) {
      const jobs = renderChart(files, CHART_DIR, ['values-production.yaml'], run(phase)).of('Job');
      expect(jobs.map((j) => j.metadata.name)).toEqual([`release-name-migrate-${phase}`]);
      expect(jobs[0].metadata.annotations).toBeUndefined();
    }
  });

  test('the schema only accepts the phases the chart has', () => {
    const schema = JSON.parse(files[`${CHART_DIR}/values.schema.json`]);
    expect(schema.properties.migration.properties.run.enum).toEqual(['', 'expand', 'migrate', 'contract']);
  });
});

test('an application without migration gets no Job templates and no migration values', () => {
  const app = Testing.app();
  const chart = new HelmChart(app, 'chart', { application: contextApi(app, { migration: undefined }) });
  const files = Testing.synth(app);
  expect(Object.keys(files).filter((f) => f.includes('migration'))).toEqual([]);
  expect(YAML.parse(files[`${CHART_DIR}/values.yaml`]).migration).toBeUndefined();
  expect(chart.migrationPhases).toEqual([]);
  expect(() => chart.migrationJobName(MigrationPhase.EXPAND)).toThrow(/\[chart\] the application "context-api" has no expand migration; its phases: \(no migration\)/);
});
