import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { Duration } from '../../../src/core/duration';
import { Testing } from '../../../src/core/testing';
import { HealthCheckWorkflow } from '../../../src/delivery/companions/health-check-workflow';
import { Notification } from '../../../src/delivery/notification';
import { Secret } from '../../../src/delivery/secret';
import { RunsOn } from '../../../src/github/runs-on';
import { expectValid } from '../../support/harness';
import { problems } from '../checks/support';

const FILE = '.github/workflows/health-check.yml';

function seed003(): { files: { [path: string]: string }; doc: any } {
  const app = Testing.app();
  new HealthCheckWorkflow(app, 'health-check', {
    targets: [
      { name: 'preprod', url: 'https://mangetamain.lafrance.io/', expectedText: 'Mangetamain' },
      { name: 'production', url: 'https://backtothefuturekitchen.lafrance.io/', expectedText: 'Mangetamain' },
    ],
    notifications: [Notification.discord({ webhook: Secret.github('DISCORD_WEBHOOK_URL') })],
    runsOn: RunsOn.labels(['self-hosted', 'Linux', 'X64']),
  });
  const files = Testing.synth(app);
  return { files, doc: YAML.parse(files[FILE]) };
}

describe('HealthCheckWorkflow', () => {
  test('seed 003: hourly and on demand, status 200 and expected text within 10 s, Discord only when down', () => {
    const { files, doc } = seed003();
    expectValid(files);
    expect(files[FILE]).toMatchSnapshot();
    expect(doc.on).toEqual({ schedule: [{ cron: '0 * * * *' }], workflow_dispatch: {} });
    const job = doc.jobs['health-check'];
    expect(job['runs-on']).toEqual(['self-hosted', 'Linux', 'X64']);
    expect(job.steps.map((s: any) => [s.name, s.if])).toEqual([
      ['Check preprod', undefined],
      ['Check production', '!cancelled()'],
      ['Notify Discord (failure)', "always() && job.status == 'failure'"],
    ]);
    expect(job.steps[1].env).toEqual({ URL: 'https://backtothefuturekitchen.lafrance.io/', EXPECTED_STATUS: '200', EXPECTED_TEXT: 'Mangetamain' });
    expect(job.steps[0].run).toContain('--max-time 10 "$URL"');
    expect(job.steps[2].with.webhook).toBe('${{ secrets.DISCORD_WEBHOOK_URL }}');
  });

  test('the probe passes on the expected status and text, and fails otherwise (run against a local server)', async () => {
    const { doc } = seed003();
    const script = doc.jobs['health-check'].steps[0].run.replace(/sleep \d+/, 'sleep 0');
    const server = http.createServer((req, res) => {
      if (req.url === '/down') { res.writeHead(503); res.end('maintenance'); return; }
      res.writeHead(200); res.end('<h1>Mangetamain</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as any).port;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'health-'));
    const probe = (url: string, text: string) => new Promise<number>((resolve) => {
      const child = spawn('bash', ['-e', '-c', script], {
        env: { ...process.env, RUNNER_TEMP: tmp, URL: url, EXPECTED_STATUS: '200', EXPECTED_TEXT: text },
        stdio: 'ignore',
      });
      child.on('exit', (code) => resolve(code ?? -1));
    });
    try {
      expect(await probe(`http://127.0.0.1:${port}/`, 'Mangetamain')).toBe(0);
      expect(await probe(`http://127.0.0.1:${port}/`, '')).toBe(0);
      expect(await probe(`http://127.0.0.1:${port}/`, 'Streamlit')).toBe(1);
      expect(await probe(`http://127.0.0.1:${port}/down`, '')).toBe(1);
    } finally {
      server.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    expect(spawnSync('bash', ['-n', '-c', script]).status).toBe(0);
  });

  test('options: schedule, timeout, attempts, status', () => {
    const app = Testing.app();
    new HealthCheckWorkflow(app, 'hc', {
      targets: [{ url: 'https://api.example.com/health', expectedStatus: 204 }],
      schedule: '*/15 * * * *',
      timeout: Duration.seconds(5),
      attempts: 5,
      retryDelay: Duration.seconds(3),
    });
    const files = Testing.synth(app);
    expectValid(files);
    const job = YAML.parse(files[FILE]).jobs['health-check'];
    expect(job.steps).toHaveLength(1);
    expect(job.steps[0].name).toBe('Check https://api.example.com/health');
    expect(job.steps[0].env.EXPECTED_STATUS).toBe('204');
    expect(job.steps[0].run).toContain('for attempt in $(seq 1 5); do');
    expect(job.steps[0].run).toContain('sleep 3');
  });

  test('bad input names the construct path', () => {
    const app = Testing.app();
    new HealthCheckWorkflow(app, 'hc', {
      targets: [{ url: 'backtothefuturekitchen.lafrance.io', expectedStatus: 700 }],
      attempts: 0,
      notifications: [Notification.slack({ webhook: 'https://hooks.slack.com/services/x' as any })],
    });
    expect(problems(app)).toEqual(expect.arrayContaining([
      "[hc] Notification.slack: webhook must be a GitHub secret, e.g. webhook: Secret.github('SLACK_WEBHOOK'), got a literal URL; a webhook URL is a credential and must never appear in a workflow file",
      '[hc] targets[0].url "backtothefuturekitchen.lafrance.io" must be an http(s) URL, e.g. "https://example.com/health"',
      '[hc] targets[0].expectedStatus must be an HTTP status from 100 to 599, got 700',
      '[hc] attempts must be a whole number ≥ 1, got 0',
    ]));
    const bad = Testing.app();
    new HealthCheckWorkflow(bad, 'hc', { targets: [], schedule: '0 * * *' });
    expect(problems(bad)).toEqual(expect.arrayContaining([
      '[hc] targets is empty; give at least one, e.g. [{ url: "https://example.com/health" }]',
    ]));
  });
});
