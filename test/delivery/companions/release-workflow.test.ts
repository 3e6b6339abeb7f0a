import * as YAML from 'yaml';
import { Testing } from '../../../src/core/testing';
import { PackageRegistry, ReleaseWorkflow } from '../../../src/delivery/companions/release-workflow';
import { Notification } from '../../../src/delivery/notification';
import { Secret } from '../../../src/delivery/secret';
import { NodePackageManager, PythonPackageManager, Toolchain } from '../../../src/delivery/toolchain';
import { expectValid } from '../../support/harness';
import { actionOf, problems, stepNamed } from '../checks/support';

const FILE = '.github/workflows/release.yml';

function synth(build: (app: any) => void): { files: { [path: string]: string }; doc: any } {
  const app = Testing.app();
  build(app);
  const files = Testing.synth(app);
  return { files, doc: YAML.parse(files[FILE]) };
}

describe('ReleaseWorkflow', () => {
  test('PyPI trusted publishing by default: build once, publish with id-token in its own job, GitHub release with contents: write', () => {
    const { files, doc } = synth((app) => new ReleaseWorkflow(app, 'release', {
      toolchain: Toolchain.python('3.11', { packageManager: PythonPackageManager.POETRY }),
      registry: PackageRegistry.pypi(),
      notifications: [Notification.slack({ webhook: Secret.github('SLACK_WEBHOOK') })],
    }));
    expectValid(files);
    expect(files[FILE]).toMatchSnapshot();
    expect(doc.on).toEqual({ push: { tags: ['v*.*.*'] } });
    expect(doc.permissions).toEqual({ contents: 'read' });
    expect(Object.keys(doc.jobs)).toEqual(['build', 'publish', 'github-release', 'notify']);
    const build = doc.jobs.build;
    expect(build.permissions).toBeUndefined();
    expect(build.steps[0].with).toEqual({ 'persist-credentials': false, 'fetch-depth': 0 });
    expect(stepNamed(build, 'poetry build').run).toBe('poetry build');
    expect(stepNamed(build, 'Upload the distributions').with).toEqual({ 'name': 'distributions', 'path': 'dist/', 'if-no-files-found': 'error' });
    const publish = doc.jobs.publish;
    expect(publish.needs).toBe('build');
    expect(publish.environment).toBe('pypi');
    expect(publish.permissions).toEqual({ 'contents': 'read', 'id-token': 'write' });
    const pypi = stepNamed(publish, 'Publish to PyPI');
    expect(actionOf(pypi)).toBe('pypa/gh-action-pypi-publish');
    expect(pypi.with).toEqual({ 'packages-dir': 'dist/' });
    const release = doc.jobs['github-release'];
    expect(release.needs).toBe('publish');
    expect(release.permissions).toEqual({ contents: 'write' });
    expect(stepNamed(release, 'Create the GitHub release').with).toEqual({
      files: 'dist/*', generate_release_notes: true, prerelease: "${{ contains(github.ref_name, '-') }}",
    });
    const notify = doc.jobs.notify;
    expect(notify.needs).toEqual(['build', 'publish', 'github-release']);
    expect(notify.if).toBe('always()');
    expect(notify.steps[0].if).toBe("always() && ((needs.build.result == 'failure' || needs.publish.result == 'failure' || needs.github-release.result == 'failure') && 'failure' || ((needs.build.result == 'cancelled' || needs.publish.result == 'cancelled' || needs.github-release.result == 'cancelled') && 'cancelled' || 'success')) == 'failure'");
  });

  test('seed 001: several packages, an API token, tag and release-published triggers', () => {
    const { files, doc } = synth((app) => new ReleaseWorkflow(app, 'release', {
      name: 'Release Pipeline',
      toolchain: Toolchain.python('3.11', { packageManager: PythonPackageManager.POETRY, poetryVersion: '1.6.1' }),
      buildCommands: [
        'cd packages/common && poetry build', 'cd packages/structures && poetry build',
        'cd packages/utils && poetry build', 'cd packages/xization && poetry build',
      ],
      distDirectories: ['packages/common/dist', 'packages/structures/dist', 'packages/utils/dist', 'packages/xization/dist'],
      onReleasePublished: true,
      registry: PackageRegistry.pypi({ token: Secret.github('PYPI_API_TOKEN') }),
    }));
    expectValid(files);
    expect(doc.on).toEqual({ push: { tags: ['v*.*.*'] }, release: { types: ['published'] } });
    expect(stepNamed(doc.jobs.build, 'Collect the distributions').run).toBe([
      'mkdir -p release-dist', 'cp -R packages/common/dist/. release-dist/', 'cp -R packages/structures/dist/. release-dist/',
      'cp -R packages/utils/dist/. release-dist/', 'cp -R packages/xization/dist/. release-dist/',
    ].join('\n'));
    expect(stepNamed(doc.jobs.build, 'Upload the distributions').with.path).toBe('release-dist/');
    const publish = doc.jobs.publish;
    expect(publish.permissions).toBeUndefined();
    expect(stepNamed(publish, 'Publish to PyPI').with).toEqual({ 'packages-dir': 'dist/', 'password': '${{ secrets.PYPI_API_TOKEN }}' });
  });

  test('npm with provenance; GitHub release only', () => {
    const npm = synth((app) => new ReleaseWorkflow(app, 'release', {
      toolchain: Toolchain.node('20', { packageManager: NodePackageManager.PNPM }),
      registry: PackageRegistry.npm({ token: Secret.github('NPM_TOKEN'), access: 'public' }),
    }));
    expectValid(npm.files);
    expect(stepNamed(npm.doc.jobs.build, 'mkdir -p dist && pnpm pack --pack-destination dist').run).toBeDefined();
    const publish = npm.doc.jobs.publish;
    expect(publish.environment).toBe('npm');
    expect(publish.permissions).toEqual({ 'contents': 'read', 'id-token': 'write' });
    const step = stepNamed(publish, 'Publish to npm');
    expect(step.run).toBe('for tarball in dist/*.tgz; do\n  npm publish "$tarball" --provenance --access public\ndone');
    expect(step.env).toEqual({ NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' });

    const plain = synth((app) => new ReleaseWorkflow(app, 'release', { toolchain: Toolchain.python('3.12'), releaseFiles: ['CHANGELOG.md'] }));
    expectValid(plain.files);
    expect(Object.keys(plain.doc.jobs)).toEqual(['build', 'github-release']);
    expect(plain.doc.jobs.build.steps.map((s: any) => s.run).filter(Boolean)).toEqual(expect.arrayContaining(['python -m pip install build==1.5.1', 'python -m build']));
    expect(stepNamed(plain.doc.jobs['github-release'], 'Create the GitHub release').with.files).toBe('dist/*\nCHANGELOG.md\n');
  });

  test.each([
    ['poetry', Toolchain.python('3.11', { packageManager: PythonPackageManager.POETRY })],
    ['uv', Toolchain.python('3.12', { packageManager: PythonPackageManager.UV })],
    ['pip', Toolchain.python('3.12')],
    ['npm', Toolchain.node('20')],
    ['pnpm', Toolchain.node('20', { packageManager: NodePackageManager.PNPM })],
  ])('the build restores no dependency cache (%s): a poisoned cache would be published', (_, toolchain) => {
    const { files, doc } = synth((app) => new ReleaseWorkflow(app, 'release', { toolchain }));
    expectValid(files);
    const steps = JSON.stringify(doc.jobs.build.steps);
    expect(steps).not.toMatch(/actions\/cache@/);
    expect(steps).not.toMatch(/"cache":/);
    expect(steps).not.toMatch(/UV_CACHE_DIR/);
    // the toolchain still caches in the pipeline's jobs
    expect(toolchain.cache).toBe(true);
  });

  test('bad input names the construct path', () => {
    const app = Testing.app();
    new ReleaseWorkflow(app, 'release', {
      toolchain: Toolchain.node('20'),
      registry: PackageRegistry.pypi({ token: 'pypi-AgEIcHlwaS5vcmc' as any }),
      tags: [],
      notifications: [Notification.discord({ webhook: 'https://discord.com/api/webhooks/1/x' as any })],
    });
    expect(problems(app)).toEqual([
      "[release] Notification.discord: webhook must be a GitHub secret, e.g. webhook: Secret.github('DISCORD_WEBHOOK_URL'), got a literal URL; a webhook URL is a credential and must never appear in a workflow file",
      '[release] tags is empty; give at least one tag pattern, e.g. ["v*.*.*"]',
      "[release] registry token must be a GitHub secret, e.g. Secret.github('PYPI_API_TOKEN'), never a literal",
      '[release] registry takes python packages, but the toolchain is node; use PackageRegistry.npm({...})',
    ]);
    const none = Testing.app();
    new ReleaseWorkflow(none, 'release', { toolchain: Toolchain.python('3.12'), githubRelease: false });
    expect(problems(none)).toEqual([
      '[release] has neither a registry nor a GitHub release (githubRelease: false), so it would release nothing; set "registry" or drop githubRelease: false',
    ]);
  });
});
