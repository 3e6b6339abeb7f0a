import * as YAML from 'yaml';
import { Testing } from '../../src/core/testing';
import { Notification, NotifyOn } from '../../src/delivery/notification';
import { Secret } from '../../src/delivery/secret';
import { Step } from '../../src/github/step';
import { Trigger } from '../../src/github/trigger';
import { Workflow } from '../../src/github/workflow';
import { expectValid } from '../support/harness';
import { actionOf } from './checks/support';

/** A deploy job and a notify job that reports on it, as a Pipeline wires them. */
function synthNotify(notifications: Notification[]): { files: { [path: string]: string }; notify: any } {
  const app = Testing.app();
  const wf = new Workflow(app, 'cd', { triggers: [Trigger.push({ branches: ['main'] })] });
  wf.addJob('deploy', {
    outputs: { 'rolled-back': '${{ steps.rollback.outputs.done }}' },
    steps: [Step.run('./deploy.sh'), Step.run('echo "done=true" >> "$GITHUB_OUTPUT"', { id: 'rollback', if: 'failure()' })],
  });
  wf.addJob('notify', {
    needs: ['deploy'],
    if: 'always()',
    steps: notifications.flatMap((n) => n._steps({
      title: 'Deploy to production',
      resultExpression: '${{ needs.deploy.result }}',
      rolledBackExpression: 'needs.deploy.outputs.rolled-back',
    })),
  });
  const files = Testing.synth(app);
  return { files, notify: YAML.parse(files['.github/workflows/cd.yml']).jobs.notify };
}

describe('Notification', () => {
  test('Slack defaults: failure and rollback, each step with its own condition; the webhook is a secret expression', () => {
    const slack = Notification.slack({ webhook: Secret.github('SLACK_WEBHOOK'), channel: '#ci-cd', mention: 'here' });
    expect(slack.on).toEqual([NotifyOn.FAILURE, NotifyOn.ROLLBACK]);
    const { files, notify } = synthNotify([slack]);
    expectValid(files);
    expect(notify.steps.map((s: any) => [s.name, s.if])).toEqual([
      ['Notify Slack (failure)', "always() && needs.deploy.result == 'failure' && !(needs.deploy.outputs.rolled-back == 'true')"],
      ['Notify Slack (rollback)', "always() && needs.deploy.outputs.rolled-back == 'true'"],
    ]);
    const failure = notify.steps[0];
    expect(actionOf(failure)).toBe('8398a7/action-slack');
    expect(failure.env).toEqual({ SLACK_WEBHOOK_URL: '${{ secrets.SLACK_WEBHOOK }}' });
    expect(failure.with).toEqual({
      status: 'failure',
      fields: 'repo,commit,workflow,ref',
      channel: '#ci-cd',
      text: 'Deploy to production failed (${{ github.repository }}@${{ github.sha }})',
      mention: 'here',
      if_mention: 'failure,cancelled',
    });
    expect(files['.github/workflows/cd.yml']).toMatchSnapshot();
  });

  test('Discord on success, failure and rollback (seed 003: all deployments and rollbacks)', () => {
    const { files, notify } = synthNotify([Notification.discord({
      webhook: Secret.github('DISCORD_WEBHOOK_URL'), on: [NotifyOn.SUCCESS, NotifyOn.FAILURE, NotifyOn.ROLLBACK], username: 'deploy-bot',
    })]);
    expectValid(files);
    expect(notify.steps.map((s: any) => s.if)).toEqual([
      "always() && needs.deploy.result == 'failure' && !(needs.deploy.outputs.rolled-back == 'true')",
      "always() && needs.deploy.result == 'success' && !(needs.deploy.outputs.rolled-back == 'true')",
      "always() && needs.deploy.outputs.rolled-back == 'true'",
    ]);
    expect(notify.steps.map(actionOf)).toEqual(Array(3).fill('sarisia/actions-status-discord'));
    expect(notify.steps[2].with).toMatchObject({ webhook: '${{ secrets.DISCORD_WEBHOOK_URL }}', status: 'failure', color: '0xf0ad4e', username: 'deploy-bot' });
    // webhooks reach the output only as secret expressions
    for (const s of notify.steps) expect(JSON.stringify(s)).not.toMatch(/https?:\/\//);
  });

  test('ALWAYS: one step reporting the result itself; without a rollback expression no rollback step', () => {
    const n = Notification.slack({ webhook: Secret.github('SLACK_WEBHOOK'), on: [NotifyOn.ALWAYS, NotifyOn.ROLLBACK] });
    const steps = n._steps({ title: 'CI', resultExpression: 'job.status' });
    expect(steps.map((s) => s.condition)).toEqual(['${{ always() }}']);
    expect(steps[0].action!.inputs.status).toBe('${{ job.status }}');
    const failureOnly = Notification.discord({ webhook: Secret.github('DISCORD_WEBHOOK_URL'), on: [NotifyOn.FAILURE] });
    expect(failureOnly._steps({ title: 'Docs', resultExpression: 'job.status' }).map((s) => s.condition)).toEqual([
      "${{ always() && job.status == 'failure' }}",
    ]);
  });

  test('a webhook given as a literal URL, an empty or duplicated "on"', () => {
    const literal = Notification.slack({ webhook: 'https://hooks.slack.com/services/T000/B000/XXXX' as any });
    expect(literal._problems()).toEqual([
      "Notification.slack: webhook must be a GitHub secret, e.g. webhook: Secret.github('SLACK_WEBHOOK'), got a literal URL; a webhook URL is a credential and must never appear in a workflow file",
    ]);
    // even rendered by mistake, the literal never reaches the steps
    expect(JSON.stringify(literal._steps({ title: 'x', resultExpression: 'job.status' }).map((s) => s.action!.env))).not.toContain('hooks.slack.com');
    expect(Notification.discord({ webhook: Secret.github('D'), on: [] })._problems()).toEqual([
      'Notification.discord: "on" is empty; give at least one of failure, success, rollback, always, deployed, or leave it out for failure and rollback',
    ]);
    expect(Notification.discord({ webhook: Secret.github('D'), on: [NotifyOn.FAILURE, NotifyOn.FAILURE] })._problems()).toEqual([
      'Notification.discord: "on" lists "failure" twice',
    ]);
  });
});

describe('Notification contexts', () => {
  test('a compound result and a rollback condition (as the Pipeline passes them) are used as conditions', () => {
    const n = Notification.slack({ webhook: Secret.github('SLACK_WEBHOOK') });
    const steps = n._steps({
      title: 'CI',
      resultExpression: "${{ (contains(needs.*.result, 'failure') && 'failure') || 'success' }}",
      rolledBackExpression: "${{ needs.deploy-staging.outputs.rolled_back == 'true' || needs.deploy-production.outputs.rolled_back == 'true' }}",
    });
    expect(steps.map((s) => s.condition)).toEqual([
      "${{ always() && ((contains(needs.*.result, 'failure') && 'failure') || 'success') == 'failure' && !(needs.deploy-staging.outputs.rolled_back == 'true' || needs.deploy-production.outputs.rolled_back == 'true') }}",
      "${{ always() && (needs.deploy-staging.outputs.rolled_back == 'true' || needs.deploy-production.outputs.rolled_back == 'true') }}",
    ]);
  });
});
