import * as YAML from 'yaml';
import { Testing } from '../../../src/core/testing';
import { PullRequestChecks } from '../../../src/delivery/companions/pull-request-checks';
import { expectValid } from '../../support/harness';
import { problems, actionOf } from '../checks/support';

const FILE = '.github/workflows/pr-checks.yml';

describe('PullRequestChecks', () => {
  test('seed 000: semantic title (pull-requests: read) and size label (pull-requests: write) on opened/synchronize/reopened/edited', () => {
    const app = Testing.app();
    new PullRequestChecks(app, 'pr-checks');
    const files = Testing.synth(app);
    expectValid(files);
    expect(files[FILE]).toMatchSnapshot();
    const doc = YAML.parse(files[FILE]);
    expect(doc.name).toBe('PR Checks');
    expect(doc.on).toEqual({ pull_request: { types: ['opened', 'synchronize', 'reopened', 'edited'] } });
    expect(doc.permissions).toEqual({});
    expect(doc.concurrency).toEqual({ 'group': '${{ github.workflow }}-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
    const title = doc.jobs['semantic-title'];
    expect(title.permissions).toEqual({ 'pull-requests': 'read' });
    expect(actionOf(title.steps[0])).toBe('amannn/action-semantic-pull-request');
    expect(title.steps[0].env).toEqual({ GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}' });
    const size = doc.jobs['size-label'];
    expect(size.permissions).toEqual({ 'contents': 'read', 'issues': 'write', 'pull-requests': 'write' });
    expect(size.if).toBe("github.event.action != 'edited'");
    expect(actionOf(size.steps[0])).toBe('codelytv/pr-size-labeler');
    expect(size.steps[0].with).toEqual({ GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}' });
    // every uses: is pinned to a commit SHA with the version as a comment
    expect(files[FILE]).toMatch(/uses: amannn\/action-semantic-pull-request@[0-9a-f]{40} # v6/);
  });

  test('options: types, scopes, size thresholds, base branches, pull_request_target, file name', () => {
    const app = Testing.app();
    new PullRequestChecks(app, 'pr', {
      types: ['feat', 'fix'],
      scopes: ['api'],
      requireScope: true,
      sizeLabeler: { xsMaxSize: 5, failIfXl: true },
      branches: ['main'],
      pullRequestTarget: true,
      fileName: 'pull-requests.yml',
    });
    const files = Testing.synth(app);
    expectValid(files);
    const doc = YAML.parse(files['.github/workflows/pull-requests.yml']);
    expect(doc.on).toEqual({ pull_request_target: { types: ['opened', 'synchronize', 'reopened', 'edited'], branches: ['main'] } });
    expect(doc.jobs['semantic-title'].steps[0].with).toEqual({ types: 'feat\nfix', scopes: 'api', requireScope: true });
    expect(doc.jobs['size-label'].steps[0].with).toEqual({ GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}', xs_max_size: 5, fail_if_xl: true });
  });

  test('only one of the two checks; both off is an error with the construct path', () => {
    const app = Testing.app();
    new PullRequestChecks(app, 'pr', { sizeLabel: false });
    expect(Object.keys(YAML.parse(Testing.synth(app)[FILE]).jobs)).toEqual(['semantic-title']);
    const bad = Testing.app();
    new PullRequestChecks(bad, 'pr', { sizeLabel: false, semanticTitle: false });
    expect(problems(bad)).toEqual(expect.arrayContaining([
      '[pr] semanticTitle and sizeLabel are both false, so the workflow would have no jobs; enable one, or remove the PullRequestChecks',
    ]));
  });
});
