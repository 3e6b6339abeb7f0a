import * as YAML from 'yaml';
import { Testing } from '../../../src/core/testing';
import { DocsWorkflow, PagesPublishing } from '../../../src/delivery/companions/docs-workflow';
import { Notification, NotifyOn } from '../../../src/delivery/notification';
import { Secret } from '../../../src/delivery/secret';
import { Toolchain } from '../../../src/delivery/toolchain';
import { RunsOn } from '../../../src/github/runs-on';
import { expectValid } from '../../support/harness';
import { actionOf, problems, stepNamed } from '../checks/support';

const ON_MAIN = "github.ref == 'refs/heads/main' && github.event_name != 'pull_request'";

describe('DocsWorkflow', () => {
  test('seed 001: MkDocs with path filters; Pages deployment from main only, with pages: write and id-token: write', () => {
    const app = Testing.app();
    new DocsWorkflow(app, 'docs', {
      toolchain: Toolchain.python('3.11', { install: 'python -m pip install -r docs/requirements.txt' }),
      buildCommands: ['mkdocs build --strict'],
      paths: ['docs/**', 'packages/**/*.py', 'mkdocs.yml'],
    });
    const files = Testing.synth(app);
    expectValid(files);
    const file = files['.github/workflows/docs.yml'];
    expect(file).toMatchSnapshot();
    const doc = YAML.parse(file);
    const paths = ['docs/**', 'packages/**/*.py', 'mkdocs.yml', '.github/workflows/docs.yml'];
    expect(doc.on).toEqual({
      push: { branches: ['main'], paths },
      pull_request: { branches: ['main'], paths },
      workflow_dispatch: {},
    });
    expect(doc.permissions).toEqual({ contents: 'read' });
    const build = doc.jobs.build;
    expect(build.permissions).toBeUndefined();
    expect(stepNamed(build, 'mkdocs build --strict').run).toBe('mkdocs build --strict');
    const upload = stepNamed(build, 'Upload the site');
    expect(actionOf(upload)).toBe('actions/upload-pages-artifact');
    expect(upload.if).toBe(ON_MAIN);
    expect(upload.with).toEqual({ path: 'site/' });
    const deploy = doc.jobs.deploy;
    expect(deploy.needs).toBe('build');
    expect(deploy.if).toBe(ON_MAIN);
    expect(deploy.permissions).toEqual({ 'contents': 'read', 'id-token': 'write', 'pages': 'write' });
    expect(deploy.environment).toEqual({ name: 'github-pages', url: '${{ steps.deployment.outputs.page_url }}' });
    expect(actionOf(deploy.steps[0])).toBe('actions/deploy-pages');
  });

  test('seed 003: isolated Sphinx build, .nojekyll, gh-pages branch, Discord on failure only, self-hosted runner', () => {
    const app = Testing.app();
    new DocsWorkflow(app, 'documentation', {
      fileName: 'documentation.yml',
      toolchain: Toolchain.python('3.13.7', { install: 'python -m pip install -r 90_doc/requirements.txt' }),
      buildCommands: ['sphinx-build -b html 90_doc/source 90_doc/build/html'],
      outputDirectory: '90_doc/build/html',
      paths: ['90_doc/source/**', '90_doc/requirements.txt'],
      pullRequests: false,
      publishing: PagesPublishing.BRANCH,
      notifications: [Notification.discord({ webhook: Secret.github('DISCORD_WEBHOOK_URL'), on: [NotifyOn.FAILURE] })],
      runsOn: RunsOn.labels(['self-hosted', 'Linux', 'X64']),
    });
    const files = Testing.synth(app);
    expectValid(files);
    const doc = YAML.parse(files['.github/workflows/documentation.yml']);
    expect(doc.on).toEqual({
      push: { branches: ['main'], paths: ['90_doc/source/**', '90_doc/requirements.txt', '.github/workflows/documentation.yml'] },
      workflow_dispatch: {},
    });
    const build = doc.jobs.build;
    expect(build['runs-on']).toEqual(['self-hosted', 'Linux', 'X64']);
    expect(stepNamed(build, 'Disable Jekyll').run).toBe('touch 90_doc/build/html/.nojekyll');
    expect(stepNamed(build, 'Upload the site').with).toEqual({
      'name': 'site', 'path': '90_doc/build/html/', 'if-no-files-found': 'error', 'include-hidden-files': true,
    });
    const deploy = doc.jobs.deploy;
    expect(deploy.permissions).toEqual({ contents: 'write' });
    expect(stepNamed(deploy, 'Push to gh-pages').with).toEqual({ github_token: '${{ secrets.GITHUB_TOKEN }}', publish_dir: './site' });
    const notify = doc.jobs.notify;
    expect(notify.needs).toEqual(['build', 'deploy']);
    expect(notify.steps).toHaveLength(1);
    expect(notify.steps[0].if).toMatch(/^always\(\) && \(.*\) == 'failure'$/);
    expect(notify.steps[0].with.webhook).toBe('${{ secrets.DISCORD_WEBHOOK_URL }}');
  });

  test('bad input names the construct path', () => {
    const app = Testing.app();
    new DocsWorkflow(app, 'docs', { toolchain: Toolchain.python('3.12'), buildCommands: [], outputDirectory: '/site' });
    expect(problems(app)).toEqual([
      '[docs] build needs non-empty commands, e.g. ["mkdocs build --strict"]',
      '[docs] outputDirectory "/site" must be the site\'s directory relative to the repository root, e.g. "site" or "docs/build/html"',
    ]);
  });
});
