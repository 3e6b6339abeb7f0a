import * as YAML from 'yaml';
import { Testing } from '../../../src/core/testing';
import { Dependabot, DependabotEcosystem, DependabotInterval } from '../../../src/delivery/companions/dependabot';
import { NodePackageManager, PythonPackageManager, Toolchain } from '../../../src/delivery/toolchain';
import { expectValid, validateFiles } from '../../support/harness';
import { problems } from '../checks/support';

describe('Dependabot', () => {
  test('actions and the toolchain ecosystem, weekly', () => {
    const app = Testing.app();
    new Dependabot(app, 'dependabot', { toolchain: Toolchain.python('3.11', { install: 'poetry install' }), dockerDirectories: ['/docker'] });
    const files = Testing.synth(app);
    const report = expectValid(files);
    expect(report.checked[Dependabot.FILE_PATH]).toEqual(expect.arrayContaining(['dependabot-structure']));
    expect(files[Dependabot.FILE_PATH]).toMatchSnapshot();
    expect(YAML.parse(files[Dependabot.FILE_PATH])).toEqual({
      version: 2,
      updates: [
        { 'package-ecosystem': 'github-actions', 'directory': '/', 'schedule': { interval: 'weekly' } },
        { 'package-ecosystem': 'pip', 'directory': '/', 'schedule': { interval: 'weekly' } },
        { 'package-ecosystem': 'docker', 'directory': '/docker', 'schedule': { interval: 'weekly' } },
      ],
    });
  });

  test('groups, labels, limits, intervals; uv and npm toolchains in their directories', () => {
    const app = Testing.app();
    new Dependabot(app, 'dependabot', {
      toolchain: Toolchain.python('3.13', { packageManager: PythonPackageManager.UV, workingDirectory: 'backend' }),
      updates: [{ ecosystem: DependabotEcosystem.NPM, directory: '/web', interval: DependabotInterval.DAILY, labels: ['frontend'] }],
      interval: DependabotInterval.MONTHLY,
      labels: ['dependencies'],
      groupMinorAndPatch: true,
      openPullRequestsLimit: 3,
    });
    const files = Testing.synth(app);
    expectValid(files);
    const doc = YAML.parse(files[Dependabot.FILE_PATH]);
    expect(doc.updates[1]).toEqual({
      'package-ecosystem': 'uv',
      'directory': '/backend',
      'schedule': { interval: 'monthly' },
      'labels': ['dependencies'],
      'groups': { 'uv-minor-and-patch': { 'update-types': ['minor', 'patch'] } },
      'open-pull-requests-limit': 3,
    });
    expect(doc.updates[2]).toMatchObject({ 'package-ecosystem': 'npm', 'directory': '/web', 'schedule': { interval: 'daily' }, 'labels': ['frontend'] });
    const node = Testing.app();
    new Dependabot(node, 'dependabot', { toolchain: Toolchain.node('20', { packageManager: NodePackageManager.PNPM }), githubActions: false });
    expect(YAML.parse(Testing.synth(node)[Dependabot.FILE_PATH]).updates).toEqual([
      { 'package-ecosystem': 'npm', 'directory': '/', 'schedule': { interval: 'weekly' } },
    ]);
  });

  test('the validator rejects what Dependabot rejects (so the structure check can fail)', () => {
    const report = validateFiles({ '.github/dependabot.yml': 'version: 2\nupdates:\n  - package-ecosystem: pipenv\n    directory: /\n    schedule:\n      interval: hourly\n' });
    expect(report.findings.map((f) => f.message)).toEqual(['updates[0]: unknown package-ecosystem "pipenv"', 'updates[0]: unknown schedule.interval "hourly"']);
  });

  test('bad input names the construct path', () => {
    const app = Testing.app();
    new Dependabot(app, 'dependabot', {
      updates: [{ ecosystem: DependabotEcosystem.GITHUB_ACTIONS }, { ecosystem: DependabotEcosystem.DOCKER, directory: 'docker' }],
    });
    expect(problems(app)).toEqual([
      '[dependabot] updates[1] repeats github-actions in "/"; Dependabot rejects two updates of one ecosystem and directory. Merge them',
      '[dependabot] updates[2] (docker) directory "docker" must start with "/" (the repository root), e.g. "/docker"',
    ]);
    const empty = Testing.app();
    new Dependabot(empty, 'dependabot', { githubActions: false });
    expect(problems(empty)).toEqual(['[dependabot] has no updates; keep githubActions (the default), or give a toolchain, dockerDirectories or updates']);
  });
});
