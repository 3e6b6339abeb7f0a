// slipway's own delivery definition. `npm run synth` regenerates the files it describes:
// this repository's CI workflow and its Dependabot configuration.
import { App, Check, Dependabot, Pipeline, Toolchain, Trigger } from 'slipway';

const app = new App();

const node = Toolchain.node('20');

new Pipeline(app, 'build', {
  name: 'build',
  triggers: [Trigger.push({ branches: ['main'] }), Trigger.pullRequest({ branches: ['main'] }), Trigger.workflowDispatch()],
  toolchain: node,
  checks: [
    // jsii compile, every test through the real validators, eslint
    Check.custom('test', ['npm test'], { name: 'compile and test' }),
    // the synthesized files (ours and the examples') and projen's files are current
    Check.custom('generated-files', [
      'npx projen compile',
      'npx slipway synth --check',
      'npm run synth:check',
      'npx projen --no-post && npx projen docgen',
      'git diff --exit-code && test -z "$(git status --porcelain)"',
    ], { name: 'generated files are current' }),
  ],
});

new Dependabot(app, 'dependabot', { toolchain: node });

app.synth();
