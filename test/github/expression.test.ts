import * as YAML from 'yaml';
import { Testing } from '../../src/core/testing';
import { Expression, Step, Trigger, Workflow } from '../../src/github';
import { expressionSpans, matrixReferences, needsReferences, stepsReferences, unwrapCondition } from '../../src/github/expression-scan';

describe('Expression', () => {
  test('contexts stringify to ${{ }}', () => {
    expect(Expression.secret('PYPI_API_TOKEN').toString()).toBe('${{ secrets.PYPI_API_TOKEN }}');
    expect(`${Expression.vars('REGION')}`).toBe('${{ vars.REGION }}');
    expect(`${Expression.github('event.pull_request.number')}`).toBe('${{ github.event.pull_request.number }}');
    expect(`${Expression.env('PYTHON_VERSION')}`).toBe('${{ env.PYTHON_VERSION }}');
    expect(`${Expression.matrix('python-version')}`).toBe('${{ matrix.python-version }}');
    expect(`${Expression.input('environment')}`).toBe('${{ inputs.environment }}');
    expect(`${Expression.needs('build', 'digest')}`).toBe('${{ needs.build.outputs.digest }}');
    expect(`${Expression.stepOutput('meta', 'tags')}`).toBe('${{ steps.meta.outputs.tags }}');
  });

  test('status functions', () => {
    expect([Expression.success(), Expression.failure(), Expression.always(), Expression.cancelled()].map((e) => e.text))
      .toEqual(['success()', 'failure()', 'always()', 'cancelled()']);
  });

  test('comparisons and logic add parentheses only where needed', () => {
    const onMainPush = Expression.github('ref').eq('refs/heads/main').and(Expression.github('event_name').eq('push'));
    expect(onMainPush.text).toBe("github.ref == 'refs/heads/main' && github.event_name == 'push'");
    const either = Expression.anyOf(onMainPush, Expression.github('event_name').ne('pull_request'));
    expect(either.text).toBe("github.ref == 'refs/heads/main' && github.event_name == 'push' || github.event_name != 'pull_request'");
    const both = Expression.allOf(Expression.anyOf(Expression.failure(), Expression.cancelled()), Expression.github('ref').eq('refs/heads/main'));
    expect(both.text).toBe("(failure() || cancelled()) && github.ref == 'refs/heads/main'");
    expect(Expression.not(Expression.cancelled()).text).toBe('!cancelled()');
    expect(Expression.not(Expression.failure().or(Expression.cancelled())).text).toBe('!(failure() || cancelled())');
    expect(Expression.matrix('os').eq(Expression.literal('ubuntu-latest')).text).toBe("matrix.os == 'ubuntu-latest'");
  });

  test('literals', () => {
    expect(Expression.literal("it's").text).toBe("'it''s'");
    expect(Expression.literal(3).text).toBe('3');
    expect(Expression.literal(false).text).toBe('false');
    expect(Expression.literal(null).text).toBe('null');
    expect(() => Expression.literal({})).toThrow(/string, number, boolean or null/);
    expect(() => Expression.literal(Number.NaN)).toThrow(/finite/);
  });

  test('function calls and raw expressions', () => {
    expect(Expression.call('contains', Expression.github('ref'), 'release/').text).toBe("contains(github.ref, 'release/')");
    expect(Expression.call('hashFiles', '**/poetry.lock').toString()).toBe("${{ hashFiles('**/poetry.lock') }}");
    expect(Expression.raw('github.event.pull_request.draft == false').and(Expression.success()).text)
      .toBe('(github.event.pull_request.draft == false) && success()');
    expect(() => Expression.raw('${{ x }}')).toThrow(/without/);
  });

  test('invalid names are rejected', () => {
    expect(() => Expression.secret('MY SECRET')).toThrow(/not a valid name/);
    expect(() => Expression.github('event..x')).toThrow(/property path/);
    expect(() => Expression.call('a b')).toThrow(/function name/);
  });
});

describe('expression scanning', () => {
  test('spans honour string literals', () => {
    const spans = expressionSpans("a ${{ format('}}{0}', github.sha) }} b ${{ env.X }}");
    expect(spans.map((s) => s.text)).toEqual(["format('}}{0}', github.sha)", 'env.X']);
  });

  test('needs and matrix references ignore literals and longer names', () => {
    expect(needsReferences("needs.build.outputs.tag == 'needs.x.outputs.y' && needs.test.result"))
      .toEqual([{ job: 'build', property: 'outputs', output: 'tag' }, { job: 'test', property: 'result', output: undefined }]);
    expect(needsReferences('steps.needs.outputs.x')).toEqual([]);
    expect(matrixReferences("matrix.os == 'matrix.y' && toJSON(matrix)")).toEqual(['os', '']);
    expect(matrixReferences('inputs.matrix_name')).toEqual([]);
  });

  test('needs, matrix and steps references are found in any case, as GitHub reads them', () => {
    expect(needsReferences('NEEDS.Build.OUTPUTS.tag')).toEqual([{ job: 'Build', property: 'outputs', output: 'tag' }]);
    expect(matrixReferences('Matrix.OS')).toEqual(['OS']);
    expect(stepsReferences("STEPS.meta.outputs.x == 'steps.no'")).toEqual(['meta']);
  });

  test('a workflow reads needs and steps in any case: the job is added to needs, an unknown step is reported', () => {
    const app = Testing.app();
    const wf = new Workflow(app, 'ci', { triggers: [Trigger.push()] });
    wf.addJob('build', { outputs: { tag: '${{ steps.meta.outputs.tag }}' }, steps: [Step.run('echo "tag=1" >> "$GITHUB_OUTPUT"', { id: 'meta' })] });
    wf.addJob('deploy', { steps: [Step.run('echo ${{ NEEDS.Build.Outputs.TAG }} ${{ Steps.Missing.outputs.x }}')] });
    expect(() => Testing.synth(app)).toThrow('[ci/deploy] reads "steps.Missing", but no step of the job has id "Missing"');
    const ok = Testing.app();
    const wf2 = new Workflow(ok, 'ci', { triggers: [Trigger.push()] });
    wf2.addJob('build', { outputs: { tag: '${{ steps.meta.outputs.tag }}' }, steps: [Step.run('echo "tag=1" >> "$GITHUB_OUTPUT"', { id: 'meta' })] });
    wf2.addJob('deploy', { steps: [Step.run('echo ${{ NEEDS.Build.Outputs.TAG }}')] });
    const files = Testing.synth(ok);
    expect(YAML.parse(files['.github/workflows/ci.yml']).jobs.deploy.needs).toBe('build');
  });

  test('a condition is rendered as one expression (mixed ${{ }} and text would always be true)', () => {
    expect(unwrapCondition('${{ always() }}')).toBe('always()');
    expect(unwrapCondition('success()')).toBe('success()');
    expect(unwrapCondition("${{ github.ref == 'x' }} && ${{ true }}")).toBe("(github.ref == 'x') && true");
    expect(unwrapCondition("${{ needs.staging.outputs.url }} != '' && ${{ failure() }}")).toBe("needs.staging.outputs.url != '' && failure()");
  });
});
