import { Testing } from '../../../src/core';
import { Action, ActionLock, Actions, Step, Trigger, Workflow } from '../../../src/github';
import { auditFile } from '../../../src/github/audit';
import { expectValid } from '../../support/harness';

describe('pinning through the Workflow construct', () => {
  test('steps render pinned references, the action inputs and env, and the job gets the actions\' permissions', () => {
    const app = Testing.app();
    const ci = new Workflow(app, 'release', { triggers: [Trigger.push({ tags: ['v*.*.*'] })] });
    ci.addJob('publish').addSteps(
      Step.uses(Actions.checkout({ fetchDepth: 0 }), { name: 'Checkout' }),
      Step.uses(Actions.pypiPublish()),
      Step.uses(Actions.ghRelease({ files: ['dist/*'], generateReleaseNotes: true })),
      Step.uses(Actions.semanticPullRequest({ types: ['feat', 'fix'] }), { with: { types: 'feat' } }),
    );
    const files = Testing.synth(app);
    const yaml = files['.github/workflows/release.yml'];
    expect(yaml).toContain([
      '    permissions:',
      '      contents: write',
      '      id-token: write',
      '      pull-requests: read',
    ].join('\n'));
    expect(yaml).toContain([
      '      - name: Checkout',
      '        uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
      '        with:',
      '          persist-credentials: false',
      '          fetch-depth: 0',
    ].join('\n'));
    expect(yaml).toContain('      - uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc # v1.12.4\n');
    // the step's own `with` wins over the typed props; the token the action reads is in env
    expect(yaml).toContain([
      '      - uses: amannn/action-semantic-pull-request@48f256284bd46cdaab1048c3721360e808335d50 # v6.1.1',
      '        with:',
      '          types: feat',
      '        env:',
      '          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}',
    ].join('\n'));
    expectValid(files);
  });

  test('an unpinned action fails synth with the job\'s path and the fix; a lock entry in code fixes it', () => {
    const make = () => {
      const app = Testing.app();
      const deploy = new Workflow(app, 'deploy', { triggers: [Trigger.workflowDispatch()] });
      deploy.addJob('staging').addSteps(Step.uses(Actions.k8sSetContext({ kubeconfig: '${{ secrets.KUBECONFIG }}' }, { version: 'v3' })));
      return app;
    };
    expect(() => Testing.synth(make())).toThrow(/\[deploy\/staging\] .*action "azure\/k8s-set-context@v3" is not pinned.*`npx slipway pin azure\/k8s-set-context@v3`/);

    const app = make();
    new ActionLock(app, 'ActionLock', { entries: { 'azure/k8s-set-context@v3': { sha: '1'.repeat(40), version: 'v3.1.0' } } });
    const files = Testing.synth(app);
    expect(files['.github/workflows/deploy.yml']).toContain(`uses: azure/k8s-set-context@${'1'.repeat(40)} # v3.1.0`);
    expectValid(files);
  });

  test('allowUnpinned renders the tag with the audit opt-out next to it; actionlint checks it like any tag reference', () => {
    const app = Testing.app();
    new Workflow(app, 'lint', { triggers: [Trigger.workflowDispatch()] })
      .addJob('lint')
      .addSteps(Step.uses(Action.of('acme/linter', 'v3', { allowUnpinned: true })));
    const files = Testing.synth(app);
    expect(files['.github/workflows/lint.yml']).toContain('      - uses: acme/linter@v3 # slipway-audit: ignore[unpinned-uses] (allowUnpinned)\n');
    expectValid(files);
    expect(auditFile('lint.yml', files['.github/workflows/lint.yml']).map((f) => f.rule)).toEqual([]);
  });
});
