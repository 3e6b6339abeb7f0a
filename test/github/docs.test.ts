/**
 * The first example of docs/github.md, built and compared with the YAML the
 * document shows, so that the documentation cannot drift from the code.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from '../../src/core/testing';
import { Action, Expression, Job, Matrix, Step, Trigger, Workflow } from '../../src/github';
import { expectValid } from '../support/harness';

test('docs/github.md: "A first workflow" renders as shown', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'github.md'), 'utf8');
  const shown = /## A first workflow[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)![1];

  const app = Testing.app();
  const ci = new Workflow(app, 'ci', {
    name: 'CI',
    triggers: [Trigger.push({ branches: ['main'] }), Trigger.pullRequest({ branches: ['main'] })],
    env: { PYTHON_VERSION: '3.12' },
  });
  const lint = ci.addJob('lint', {
    steps: [
      Step.uses(Action.of('actions/checkout', 'v4')),
      Step.run('ruff check .'),
    ],
  });
  new Job(ci, 'test', {
    needs: [lint.jobId],
    strategy: { matrix: Matrix.of({ python: ['3.12', '3.13'] }) },
    steps: [
      Step.uses(Action.of('actions/checkout', 'v4')),
      Step.uses(Action.of('actions/setup-python', 'v5'), { with: { 'python-version': Expression.matrix('python').toString() } }),
      Step.run('pip install -e .[test]\npytest\n', { name: 'Test' }),
    ],
  });
  const files = Testing.synth(app);
  expect(files['.github/workflows/ci.yml']).toBe(shown);
  expectValid(files);
});
