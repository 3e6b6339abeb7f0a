import { Construct } from 'constructs';
import { Testing } from '../../../src/core';
import { Action, Actions } from '../../../src/github/actions';
import { CATALOG_LOCK } from '../../../src/github/actions/catalog-lock';
import { isLockKey } from '../../../src/github/actions/lock-file';
import { isWithin, parseVersionTag } from '../../../src/github/actions/version-tag';

const entries = Object.entries(CATALOG_LOCK);

const factories: Array<[string, () => Action]> = [
  ['checkout', () => Actions.checkout()],
  ['setupPython', () => Actions.setupPython()],
  ['setupNode', () => Actions.setupNode()],
  ['cache', () => Actions.cache({ path: ['~/.cache/pip'], key: 'pip' })],
  ['installPoetry', () => Actions.installPoetry()],
  ['uploadArtifact', () => Actions.uploadArtifact({ path: ['dist/'] })],
  ['downloadArtifact', () => Actions.downloadArtifact()],
  ['dockerLogin', () => Actions.dockerLogin()],
  ['setupBuildx', () => Actions.setupBuildx()],
  ['buildPush', () => Actions.buildPush()],
  ['codecov', () => Actions.codecov()],
  ['googleAuth', () => Actions.googleAuth({ credentialsJson: '${{ secrets.GCP_SA_KEY }}' })],
  ['setupGcloud', () => Actions.setupGcloud()],
  ['setupHelm', () => Actions.setupHelm()],
  ['slack', () => Actions.slack({ webhook: '${{ secrets.SLACK_WEBHOOK_URL }}', webhookType: 'incoming-webhook' })],
  ['slackStatus', () => Actions.slackStatus({ status: '${{ job.status }}', webhookUrl: '${{ secrets.SLACK_WEBHOOK }}' })],
  ['discord', () => Actions.discord({ webhook: '${{ secrets.DISCORD_WEBHOOK }}' })],
  ['ghRelease', () => Actions.ghRelease()],
  ['ghPages', () => Actions.ghPages({ githubToken: '${{ secrets.GITHUB_TOKEN }}' })],
  ['uploadPagesArtifact', () => Actions.uploadPagesArtifact()],
  ['deployPages', () => Actions.deployPages()],
  ['pypiPublish', () => Actions.pypiPublish()],
  ['semanticPullRequest', () => Actions.semanticPullRequest()],
  ['prSizeLabeler', () => Actions.prSizeLabeler()],
  ['trivy', () => Actions.trivy()],
  ['k8sSetContext', () => Actions.k8sSetContext()],
  ['uploadSarif', () => Actions.uploadSarif({ sarifFile: 'trivy-results.sarif' })],
];

describe('the built-in catalog lock', () => {
  test('has an entry for each action the catalog needs', () => {
    expect(entries.length).toBeGreaterThanOrEqual(40);
  });

  test.each(entries)('%s: the sha is 40 lowercase hex digits', (_key, pin) => {
    expect(pin.sha).toMatch(/^[0-9a-f]{40}$/);
  });

  test.each(entries)('%s: the key is a lock key and the version a full tag within it', (key, pin) => {
    expect(isLockKey(key)).toBe(true);
    const tag = parseVersionTag(pin.version);
    expect(tag).toBeDefined();
    expect(tag!.parts).toHaveLength(3);
    // softprops moved its v1 tag onto the v0.1.15 release; `slipway pin` names that commit v0.1.15 too
    const movedMajor = key === 'softprops/action-gh-release@v1';
    expect(isWithin(tag!, key.slice(key.indexOf('@') + 1)) || movedMajor).toBe(true);
  });

  test('keys are in code-unit order, so diffs of the file stay small', () => {
    const keys = entries.map(([k]) => k);
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  test('no two versions of an action share a commit', () => {
    const seen = new Map<string, string>();
    for (const [key, pin] of entries) {
      const id = `${key.split('@')[0]} ${pin.sha}`;
      expect(seen.get(id)).toBeUndefined();
      seen.set(id, key);
    }
  });

  test('trivy-action is pinned only to 0.35.0, the tag not rewritten in the March 2026 compromise, and 0.36.0, released after it', () => {
    expect(entries.filter(([k]) => k.startsWith('aquasecurity/trivy-action@'))).toEqual([
      ['aquasecurity/trivy-action@v0.35.0', { sha: '57a97c7e7821a5776cebc9bb87c984fa69cba8f1', version: 'v0.35.0' }],
      ['aquasecurity/trivy-action@v0.36.0', { sha: 'ed142fd0673e97e23eac54620cfb913e5ce36c25', version: 'v0.36.0' }],
    ]);
  });

  test('each factory defaults to the newest major the lock pins (its props match that major: see catalog-metadata.test.ts)', () => {
    const major = (v: string) => Number(v.match(/^(?:release\/)?v(\d+)/)![1]);
    for (const [name, make] of factories) {
      const action = make();
      const repo = action.repository.split('/').slice(0, 2).join('/').toLowerCase();
      const refs = entries.map(([k]) => k).filter((k) => k.startsWith(`${repo}@`)).map((k) => k.slice(k.indexOf('@') + 1));
      const newest = repo === 'aquasecurity/trivy-action' ? refs[refs.length - 1] : `v${Math.max(...refs.map(major))}`;
      expect([name, action.version.replace(/^release\//, '')]).toEqual([name, newest]);
    }
  });
});

describe('every catalog factory resolves at its default version', () => {
  test.each(factories)('%s', (_name, make) => {
    const ref = make()._reference(new Construct(Testing.app(), 'ci'));
    expect(ref.uses).toMatch(/^[A-Za-z0-9-]+\/[A-Za-z0-9._/-]+@[0-9a-f]{40}$/);
    expect(ref.comment).toMatch(/^ v\d+\.\d+\.\d+$/);
  });

  test('the older majors the seed pipelines use are pinned', () => {
    const scope = new Construct(Testing.app(), 'ci');
    const seedVersions: Array<[string, string]> = [
      ['actions/checkout', 'v3'], ['actions/checkout', 'v4'], ['actions/setup-python', 'v4'], ['actions/setup-python', 'v5'],
      ['actions/upload-artifact', 'v3'], ['actions/upload-artifact', 'v4'], ['codecov/codecov-action', 'v3'], ['codecov/codecov-action', 'v4'],
      ['docker/setup-buildx-action', 'v2'], ['docker/setup-buildx-action', 'v3'], ['docker/build-push-action', 'v5'], ['docker/login-action', 'v3'],
      ['snok/install-poetry', 'v1'], ['peaceiris/actions-gh-pages', 'v3'], ['softprops/action-gh-release', 'v1'], ['8398a7/action-slack', 'v3'],
      ['amannn/action-semantic-pull-request', 'v5'], ['codelytv/pr-size-labeler', 'v1'], ['google-github-actions/auth', 'v2'],
      ['google-github-actions/setup-gcloud', 'v2'], ['github/codeql-action/upload-sarif', 'v3'],
    ];
    for (const [repository, version] of seedVersions) {
      expect(Action.of(repository, version)._reference(scope).uses).toMatch(/@[0-9a-f]{40}$/);
    }
  });
});
