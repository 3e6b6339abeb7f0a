import { actionOf, checkApp, problems, stepNamed, synthChecks, WORKFLOW } from './support';
import { Check, CheckPlacement } from '../../../src/delivery/check';
import { IacScanner } from '../../../src/delivery/checks/iac-scan';
import { Severity } from '../../../src/delivery/checks/image-scan';
import { BanditSeverity, Scanner } from '../../../src/delivery/checks/security-scan';
import { Secret } from '../../../src/delivery/secret';
import { NodePackageManager, PythonPackageManager, Toolchain } from '../../../src/delivery/toolchain';
import { CATALOG_IMAGE_LOCK } from '../../../src/github/actions/catalog-lock';
import { expectValid } from '../../support/harness';

const IMAGES = {
  'context-api': 'docker.io/coditect/context-app@${{ needs.build.outputs.context-api-digest }}',
  'worker': 'ghcr.io/acme/worker@${{ needs.build.outputs.worker-digest }}',
};

describe('Check.securityScan', () => {
  test('seed 001: Bandit and Safety write JSON reports that are uploaded even when a scanner fails', () => {
    const { files, doc } = synthChecks([Check.securityScan([Scanner.BANDIT, Scanner.SAFETY, Scanner.PIP_AUDIT])],
      { toolchain: Toolchain.python('3.11', { install: 'poetry install --with dev' }) });
    expectValid(files);
    const job = doc.jobs['security-scan'];
    expect(job.name).toBe('Security scan');
    expect(stepNamed(job, 'Install bandit').run).toBe('python -m pip install "bandit[toml]==1.9.4"');
    expect(stepNamed(job, 'Run bandit').run).toBe('bandit -r . -x ./.venv -f json -o security-reports/bandit.json');
    expect(stepNamed(job, 'Run safety').run).toBe('safety check --save-json security-reports/safety.json');
    expect(stepNamed(job, 'Run pip-audit').run).toBe('pip-audit -f json -o security-reports/pip-audit.json');
    const upload = stepNamed(job, 'Upload reports');
    expect(upload.if).toBe('!cancelled()');
    expect(upload.with).toMatchObject({ name: 'security-scan-reports', path: 'security-reports/' });
    expect(job.steps.indexOf(upload)).toBe(job.steps.length - 1);
    expect(files[WORKFLOW]).toMatchSnapshot();
  });

  test('scanner options; uv installs tools with uv pip', () => {
    const { files, doc } = synthChecks([Check.securityScan([
      Scanner.bandit({ paths: ['src', 'scripts'], exclude: ['./tests'], severity: BanditSeverity.MEDIUM, configFile: 'pyproject.toml' }),
      Scanner.pipAudit({ requirements: ['requirements.txt'], ignore: ['GHSA-aaaa-bbbb-cccc'] }),
    ], { reportRetentionDays: 7 })], { toolchain: Toolchain.python('3.13', { packageManager: PythonPackageManager.UV }) });
    expectValid(files);
    const job = doc.jobs['security-scan'];
    expect(stepNamed(job, 'Run bandit').run).toBe('bandit -r src scripts -x ./.venv,./tests -c pyproject.toml --severity-level medium -f json -o security-reports/bandit.json');
    expect(stepNamed(job, 'Install pip-audit').run).toBe('uv pip install pip-audit==2.10.1');
    expect(stepNamed(job, 'Run pip-audit').run).toBe('pip-audit -r requirements.txt --ignore-vuln GHSA-aaaa-bbbb-cccc -f json -o security-reports/pip-audit.json');
    expect(stepNamed(job, 'Upload reports').with['retention-days']).toBe(7);
  });

  test('npm audit (pnpm audit with pnpm) and custom scanners', () => {
    const npm = synthChecks([Check.securityScan([Scanner.NPM_AUDIT, Scanner.custom('semgrep', ['pipx run semgrep --config auto --json -o security-reports/semgrep.json'])])],
      { toolchain: Toolchain.node('20') });
    expectValid(npm.files);
    expect(stepNamed(npm.doc.jobs['security-scan'], 'Run npm-audit').run).toBe('npm audit --audit-level=high --json > security-reports/npm-audit.json');
    expect(stepNamed(npm.doc.jobs['security-scan'], 'Run semgrep').run).toContain('semgrep --config auto');
    const pnpm = synthChecks([Check.securityScan([Scanner.npmAudit({ level: 'critical', productionOnly: true })])],
      { toolchain: Toolchain.node('20', { packageManager: NodePackageManager.PNPM }) });
    expect(stepNamed(pnpm.doc.jobs['security-scan'], 'Run npm-audit').run).toBe('pnpm audit --audit-level=critical --prod --json > security-reports/npm-audit.json');
  });

  test('bad input: no scanners, duplicates, a scanner for another language, a bad audit level', () => {
    expect(problems(checkApp([Check.securityScan([])]))).toEqual([
      '[ci/security-scan] check "security-scan" has no scanners; give at least one, e.g. [Scanner.BANDIT, Scanner.PIP_AUDIT]',
    ]);
    expect(problems(checkApp([Check.securityScan([Scanner.BANDIT, Scanner.bandit()])]))).toEqual([
      '[ci/security-scan] check "security-scan" scanner "bandit" is listed twice; list each scanner once',
    ]);
    expect(problems(checkApp([Check.securityScan([Scanner.NPM_AUDIT])]))).toEqual([
      '[ci/security-scan] check "security-scan" scanner "npm-audit" needs a Node.js toolchain, but the pipeline\'s toolchain is python; remove the scanner or use Scanner.BANDIT, Scanner.PIP_AUDIT or Scanner.SAFETY',
    ]);
    expect(problems(checkApp([Check.securityScan([Scanner.npmAudit({ level: 'severe' })])], { toolchain: Toolchain.node('20') }))).toEqual([
      '[ci/security-scan] check "security-scan" npm audit level "severe" is not one of low, moderate, high, critical',
    ]);
  });
});

describe('Check.imageScan', () => {
  test('Trivy on every built image by digest: SARIF to code scanning (security-events: write), then the severity gate', () => {
    const scan = Check.imageScan();
    expect(scan.placement).toBe(CheckPlacement.AFTER_BUILD);
    const { files, doc } = synthChecks([scan], { images: IMAGES });
    expectValid(files);
    const job = doc.jobs['image-scan'];
    expect(job.permissions).toEqual({ 'contents': 'read', 'security-events': 'write' });
    expect(job.steps.map((s: any) => s.name)).toEqual([
      'Check out the repository',
      'Scan context-api (SARIF report)', 'Upload context-api findings to code scanning', 'Fail on CRITICAL or HIGH vulnerabilities in context-api',
      'Scan worker (SARIF report)', 'Upload worker findings to code scanning', 'Fail on CRITICAL or HIGH vulnerabilities in worker',
    ]);
    const report = stepNamed(job, 'Scan context-api (SARIF report)');
    expect(actionOf(report)).toBe('aquasecurity/trivy-action');
    expect(report.with).toEqual({
      'scan-type': 'image', 'image-ref': IMAGES['context-api'], 'format': 'sarif', 'output': 'trivy-context-api.sarif', 'ignore-unfixed': true,
    });
    const upload = stepNamed(job, 'Upload context-api findings to code scanning');
    expect(actionOf(upload)).toBe('github/codeql-action/upload-sarif');
    expect(upload.if).toBe('!cancelled()');
    expect(upload.with).toEqual({ sarif_file: 'trivy-context-api.sarif', category: 'trivy-context-api' });
    expect(stepNamed(job, 'Fail on CRITICAL or HIGH vulnerabilities in worker').with).toEqual({
      'scan-type': 'image', 'image-ref': IMAGES.worker, 'format': 'table', 'severity': 'CRITICAL,HIGH', 'exit-code': 1, 'ignore-unfixed': true,
    });
    expect(files[WORKFLOW]).toMatchSnapshot();
  });

  test('severity threshold, no SARIF, private registry credentials from a secret', () => {
    const { files, doc } = synthChecks([Check.imageScan({
      failOn: Severity.MEDIUM,
      sarif: false,
      ignoreUnfixed: false,
      registryUsername: 'robot',
      registryPassword: Secret.github('REGISTRY_TOKEN'),
    })], { images: { 'context-api': IMAGES['context-api'] } });
    expectValid(files);
    const job = doc.jobs['image-scan'];
    expect(job.permissions).toBeUndefined();
    expect(job.steps).toHaveLength(1);
    expect(job.steps[0].with.severity).toBe('CRITICAL,HIGH,MEDIUM');
    expect(job.steps[0].with['ignore-unfixed']).toBe(false);
    expect(job.steps[0].env).toEqual({ TRIVY_USERNAME: 'robot', TRIVY_PASSWORD: '${{ secrets.REGISTRY_TOKEN }}' });
  });

  test('bad input: no built images; half the credentials', () => {
    expect(problems(checkApp([Check.imageScan()]))).toEqual([
      '[ci/image-scan] check "image-scan" scans built images, but the pipeline builds none; give an application an Image.build(...) or remove the image scan',
    ]);
    expect(problems(checkApp([Check.imageScan({ registryUsername: 'robot' })], { images: IMAGES }))).toEqual([
      '[ci/image-scan] check "image-scan" registryUsername and registryPassword go together; set both or neither',
    ]);
  });
});

describe('Check.iacScan', () => {
  test('seed 004: Checkov and tflint, reports uploaded', () => {
    const { files, doc } = synthChecks([Check.iacScan([
      IacScanner.checkov({ directory: 'infra', frameworks: ['terraform'], skipChecks: ['CKV_AWS_20'] }),
      IacScanner.tflint({ directory: 'infra', recursive: true }),
    ])]);
    expectValid(files);
    const job = doc.jobs['iac-scan'];
    expect(job.steps.map((s: any) => s.name)).toEqual([
      'Check out the repository', 'Set up Python 3.12', 'Prepare the report directory', 'Install Checkov', 'Run Checkov', 'Run tflint', 'Upload reports',
    ]);
    expect(stepNamed(job, 'Run Checkov').run).toBe(
      'checkov -d infra --framework terraform --skip-check CKV_AWS_20 --quiet --compact -o cli -o junitxml --output-file-path console,iac-reports/checkov.xml');
    const tflint = stepNamed(job, 'Run tflint');
    expect(tflint.run).toContain(`ghcr.io/terraform-linters/tflint:v0.64.0@${CATALOG_IMAGE_LOCK['ghcr.io/terraform-linters/tflint:v0.64.0']} --chdir=infra --init`);
    expect(tflint.run).toContain('--chdir=infra --recursive --format=compact');
    expect(tflint.env).toEqual({ GITHUB_TOKEN: '${{ github.token }}' });
    expect(stepNamed(job, 'Upload reports').with.path).toBe('iac-reports/');
    expect(files[WORKFLOW]).toMatchSnapshot();
  });

  test('tflint alone needs no Python; bad input', () => {
    const { doc } = synthChecks([Check.iacScan([IacScanner.TFLINT])]);
    expect(doc.jobs['iac-scan'].steps.map(actionOf)).not.toContain('actions/setup-python');
    expect(problems(checkApp([Check.iacScan([IacScanner.CHECKOV, IacScanner.checkov({ directory: '/infra' })])]))).toEqual([
      '[ci/iac-scan] check "iac-scan" scanner "checkov" is listed twice; list each scanner once (give one scanner several directories instead)',
      '[ci/iac-scan] check "iac-scan" checkov: directory "/infra" must be a path relative to the repository root, e.g. "infra"',
    ]);
  });
});
