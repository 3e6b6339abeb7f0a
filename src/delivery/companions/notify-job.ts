import { Expression } from '../../github/expression';
import { JobBase } from '../../github/job-base';
import { RunsOn } from '../../github/runs-on';
import { Workflow } from '../../github/workflow';
import { Notification } from '../notification';

/**
 * Adds a `notify` job that runs after `jobs` whatever their result and
 * sends the notifications about the run: `failure` when any job failed,
 * `cancelled` when any was cancelled, else `success`.
 * @internal
 */
export function addNotifyJob(workflow: Workflow, jobs: JobBase[], notifications: readonly Notification[], title: string, runsOn?: RunsOn): void {
  if (notifications.length === 0) return;
  const any = (result: string) => Expression.anyOf(...jobs.map((j) => j.result.eq(result)));
  // `a && 'x' || b` is the expression language's conditional
  const result = `(${any('failure').text}) && 'failure' || ((${any('cancelled').text}) && 'cancelled' || 'success')`;
  workflow.addJob('notify', {
    name: 'Notify',
    needs: jobs.map((j) => j.jobId),
    if: Expression.always().toString(),
    runsOn,
    steps: notifications.flatMap((n) => n._steps({ title, resultExpression: result })),
  });
}

/** Problems of notifications, for a construct's validation. @internal */
export function notificationProblems(notifications: readonly Notification[]): string[] {
  return notifications.flatMap((n) => n._problems());
}
