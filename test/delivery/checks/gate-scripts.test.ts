import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stepNamed, synthChecks } from './support';
import { Duration } from '../../../src/core/duration';
import { Check } from '../../../src/delivery/check';
import { LoadTool } from '../../../src/delivery/checks/load-test';
import { Toolchain } from '../../../src/delivery/toolchain';

/**
 * The gates that fail a job are small scripts in the workflow. These tests run
 * the rendered scripts on sample reports, so their pass/fail semantics are
 * checked, not only their text.
 */
function runIn(dir: string, command: string, args: string[], files: { [name: string]: string }): number {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  const r = spawnSync(command, args, { cwd: dir, encoding: 'utf8' });
  if (r.error) throw r.error;
  return r.status ?? -1;
}

let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-')); });
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const HEADER = 'Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%';
const stats = (requests: number, failures: number, p95: number) =>
  `${HEADER}\nGET,/,${requests},${failures},80,90,10,900,512,20,0,80,90,100,110,200,${p95},600,700,800,900,900\n`
  + `,Aggregated,${requests},${failures},80,90,10,900,512,20,0,80,90,100,110,200,${p95},600,700,800,900,900\n`;

describe('Locust p95 gate', () => {
  const { doc } = synthChecks([Check.loadTest({ tool: LoadTool.LOCUST, script: 'locustfile.py', p95: Duration.millis(500), maxErrorRate: 2 })],
    { environmentUrl: 'https://staging.example.com' });
  const gate = stepNamed(doc.jobs['load-test'], 'Require p95 < 500 ms and errors ≤ 2%');
  const run = (csv: string) => {
    fs.writeFileSync(path.join(tmp, 'gate.py'), gate.run);
    return runIn(tmp, 'python3', ['gate.py'], { 'load-test-reports/locust_stats.csv': csv });
  };

  test('passes under the limits', () => expect(run(stats(1000, 10, 480))).toBe(0));
  test('fails at or over the p95 limit', () => {
    expect(run(stats(1000, 0, 500))).toBe(1);
    expect(run(stats(1000, 0, 1200))).toBe(1);
  });
  test('fails over the error rate', () => expect(run(stats(1000, 30, 100))).toBe(1));
  test('fails when no request was sent', () => expect(run(stats(0, 0, 0))).toBe(1));
});

describe('Node.js coverage gate', () => {
  const { doc } = synthChecks([Check.test('unit', ['npx jest --coverage'], { coverage: 80 })], { toolchain: Toolchain.node('20') });
  const gate = stepNamed(doc.jobs.unit, 'Require 80% coverage');
  const run = (summary?: object) => {
    fs.writeFileSync(path.join(tmp, 'gate.js'), gate.run);
    return runIn(tmp, process.execPath, ['gate.js'], summary ? { 'coverage/coverage-summary.json': JSON.stringify(summary) } : {});
  };
  const total = (pct: number) => ({ total: { lines: { total: 100, covered: pct, skipped: 0, pct } } });

  test('passes at or over the threshold', () => {
    expect(run(total(80))).toBe(0);
    expect(run(total(93.5))).toBe(0);
  });
  test('fails under the threshold', () => expect(run(total(79.9))).toBe(1));
  test('fails without a summary report', () => expect(run()).toBe(1));
});

describe('k6 thresholds', () => {
  test('the config file is JSON k6 reads: p95 and error-rate thresholds', () => {
    const { doc } = synthChecks([Check.loadTest({ tool: LoadTool.K6, script: 's.js', p95: Duration.millis(250) })], { environmentUrl: 'https://s.example.com' });
    const step = stepNamed(doc.jobs['load-test'], 'Set the thresholds: p95 < 250 ms, errors ≤ 1%');
    expect(runIn(tmp, 'bash', ['-e', '-c', step.run], {})).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(tmp, 'load-test-reports/k6-config.json'), 'utf8'))).toEqual({
      thresholds: { http_req_duration: ['p(95)<250'], http_req_failed: ['rate<=0.01'] },
    });
  });
});
