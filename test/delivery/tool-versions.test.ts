import * as YAML from 'yaml';
import { checkApp, problems, stepNamed, WORKFLOW } from './checks/support';
import { Duration } from '../../src/core/duration';
import { Testing } from '../../src/core/testing';
import { Check } from '../../src/delivery/check';
import { IacScanner } from '../../src/delivery/checks/iac-scan';
import { LoadTool } from '../../src/delivery/checks/load-test';
import { Scanner } from '../../src/delivery/checks/security-scan';
import { ReleaseWorkflow } from '../../src/delivery/companions/release-workflow';
import { TOOL_VERSIONS } from '../../src/delivery/tool-versions';
import { PythonPackageManager, Toolchain } from '../../src/delivery/toolchain';
import { expectValid } from '../support/harness';

const STAGING = 'https://staging.example.com';

/** The `run:` of every install step of the checks' workflow, by job and step name. */
function installs(checks: Check[], toolchain: Toolchain): { [step: string]: string } {
  const files = Testing.synth(checkApp(checks, { toolchain, environmentUrl: STAGING }));
  expectValid(files);
  const out: { [step: string]: string } = {};
  for (const [id, job] of Object.entries<any>(YAML.parse(files[WORKFLOW]).jobs)) {
    for (const s of job.steps) if (/^Install /.test(s.name ?? '')) out[`${id}: ${s.name}`] = s.run;
  }
  return out;
}

const loadTest = (toolVersion?: string) => Check.loadTest({ tool: LoadTool.LOCUST, script: 'locustfile.py', p95: Duration.millis(500), toolVersion });

describe('tools installed by exact version', () => {
  test('the table holds one exact version per tool', () => {
    for (const v of Object.values(TOOL_VERSIONS)) expect(v).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('by default each tool is installed at the version of the table', () => {
    expect(installs([
      Check.securityScan([Scanner.BANDIT, Scanner.SAFETY, Scanner.PIP_AUDIT]),
      Check.iacScan([IacScanner.CHECKOV]),
      loadTest(),
    ], Toolchain.python('3.12', { packageManager: PythonPackageManager.UV }))).toEqual({
      'security-scan: Install uv': 'python -m pip install uv==0.12.5',
      'security-scan: Install dependencies': 'uv sync --locked',
      'security-scan: Install bandit': 'uv pip install "bandit[toml]==1.9.4"',
      'security-scan: Install safety': 'uv pip install safety==3.8.1',
      'security-scan: Install pip-audit': 'uv pip install pip-audit==2.10.1',
      'iac-scan: Install Checkov': 'python -m pip install checkov==3.3.13',
      'load-test: Install Locust': 'python -m pip install locust==2.46.3',
    });
  });

  test('the version options override the defaults', () => {
    expect(installs([
      Check.securityScan([Scanner.bandit({ version: '1.8.6' }), Scanner.safety({ version: '3.7.0' }), Scanner.pipAudit({ version: '2.9.0' })]),
      Check.iacScan([IacScanner.checkov({ version: '3.2.500' })]),
      loadTest('2.40.0'),
    ], Toolchain.python('3.12', { packageManager: PythonPackageManager.UV, uvVersion: '0.11.0' }))).toEqual({
      'security-scan: Install uv': 'python -m pip install uv==0.11.0',
      'security-scan: Install dependencies': 'uv sync --locked',
      'security-scan: Install bandit': 'uv pip install "bandit[toml]==1.8.6"',
      'security-scan: Install safety': 'uv pip install safety==3.7.0',
      'security-scan: Install pip-audit': 'uv pip install pip-audit==2.9.0',
      'iac-scan: Install Checkov': 'python -m pip install checkov==3.2.500',
      'load-test: Install Locust': 'python -m pip install locust==2.40.0',
    });
  });

  test('a version that is not one exact version is a problem naming the option', () => {
    expect(problems(checkApp([
      Check.securityScan([Scanner.bandit({ version: '>=1.8' }), Scanner.safety({ version: '3.8.1; curl x' })]),
      Check.iacScan([IacScanner.checkov({ version: 'latest' })]),
    ]))).toEqual([
      '[ci/security-scan] check "security-scan" bandit: version ">=1.8" is not an exact version; give one such as "1.2.3" (slipway installs it with ==)',
      '[ci/security-scan] check "security-scan" safety: version "3.8.1; curl x" is not an exact version; give one such as "1.2.3" (slipway installs it with ==)',
      '[ci/iac-scan] check "iac-scan" checkov: version "latest" is not an exact version; give one such as "1.2.3" (slipway installs it with ==)',
    ]);
  });

  test('the load test, tflint and toolchain version options are checked too: exact versions, image tags that are versions', () => {
    expect(problems(checkApp([
      Check.loadTest({ tool: LoadTool.LOCUST, script: 'locustfile.py', p95: Duration.millis(500), toolVersion: '>=2.40', target: STAGING }),
      Check.iacScan([IacScanner.tflint({ version: 'v0.64.0 && curl x' })]),
    ])).map((p) => p.replace(/^\[[^\]]*\] /, ''))).toEqual([
      'check "load-test" toolVersion ">=2.40" is not an exact version; give one such as "1.2.3" (slipway installs it with ==)',
      'check "iac-scan" tflint: version "v0.64.0 && curl x" is not an image tag; give a version such as "1.2.3"',
    ]);
    expect(problems(checkApp([Check.iacScan([IacScanner.tflint({ version: 'latest' })])])).map((p) => p.replace(/^\[[^\]]*\] /, ''))).toEqual([
      'check "iac-scan" tflint: version "latest" moves; give a version such as "1.2.3"',
    ]);
    expect(problems(checkApp([
      Check.loadTest({ tool: LoadTool.K6, script: 'load.js', p95: Duration.millis(500), toolVersion: '2.2.0; rm -rf /', target: STAGING }),
    ])).map((p) => p.replace(/^\[[^\]]*\] /, ''))).toEqual([
      'check "load-test" toolVersion "2.2.0; rm -rf /" is not an image tag; give a version such as "1.2.3"',
    ]);
    const app = Testing.app();
    Toolchain.python('3.12', { packageManager: PythonPackageManager.UV, uvVersion: 'latest' });
    expect(() => Testing.synth(app)).toThrow('Toolchain.python: uvVersion "latest" is not an exact version');
  });

  test('Poetry is installed at the version of the table, or the one poetryVersion names', () => {
    const poetry = (poetryVersion?: string) => {
      const files = Testing.synth(checkApp([Check.lint(['ruff check .'])], { toolchain: Toolchain.python('3.12', { packageManager: PythonPackageManager.POETRY, poetryVersion }) }));
      expectValid(files);
      return stepNamed(YAML.parse(files[WORKFLOW]).jobs.lint, 'Install Poetry').with.version;
    };
    expect(poetry()).toBe('2.4.1');
    expect(poetry('1.8.5')).toBe('1.8.5');
  });

  test('the default build of a pip release installs build at the version of the table', () => {
    const app = Testing.app();
    new ReleaseWorkflow(app, 'release', { toolchain: Toolchain.python('3.12') });
    const files = Testing.synth(app);
    expectValid(files);
    const build = YAML.parse(files['.github/workflows/release.yml']).jobs.build;
    expect(stepNamed(build, 'python -m pip install build==1.5.1').run).toBe('python -m pip install build==1.5.1');
  });
});
