import { Construct } from 'constructs';
import { Duration } from '../../core/duration';
import { Expression } from '../../github/expression';
import { RunsOn } from '../../github/runs-on';
import { Step } from '../../github/step';
import { Trigger } from '../../github/trigger';
import { Workflow } from '../../github/workflow';
import { Notification } from '../notification';
import { notificationProblems } from './notify-job';

/** One URL a {@link HealthCheckWorkflow} checks. */
export interface HealthCheckTarget {
  /** The URL, e.g. `https://backtothefuturekitchen.lafrance.io/`. */
  readonly url: string;

  /**
   * A name for the step and the alert, e.g. `production`.
   * @default - the URL
   */
  readonly name?: string;

  /**
   * The HTTP status the URL must answer with.
   * @default 200
   */
  readonly expectedStatus?: number;

  /**
   * Text the response body must contain, e.g. `Mangetamain`.
   * @default - the body is not checked
   */
  readonly expectedText?: string;
}

/** Properties of {@link HealthCheckWorkflow}. */
export interface HealthCheckWorkflowProps {
  /** The URLs to check. */
  readonly targets: HealthCheckTarget[];

  /**
   * When to check: a 5-field cron expression in UTC.
   * @default "0 * * * *" (hourly)
   */
  readonly schedule?: string;

  /**
   * Time one request may take.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;

  /**
   * Attempts per URL before it counts as down.
   * @default 3
   */
  readonly attempts?: number;

  /**
   * Pause between attempts.
   * @default Duration.seconds(10)
   */
  readonly retryDelay?: Duration;

  /**
   * Alerts. A notification's default events (failure, rollback) make it
   * alert only when a URL is down.
   * @default - none; the failed run is the only signal
   */
  readonly notifications?: Notification[];

  /**
   * The runner, e.g. a self-hosted runner inside the network the URLs are in.
   * @default RunsOn.UBUNTU_LATEST
   */
  readonly runsOn?: RunsOn;

  /**
   * The workflow's display name.
   * @default "Health Check"
   */
  readonly name?: string;

  /**
   * The file name under `.github/workflows/`.
   * @default "health-check.yml"
   */
  readonly fileName?: string;
}

/**
 * Checks URLs on a schedule (and on demand): each must answer with the
 * expected status, and optionally contain an expected text, within a
 * timeout and a number of attempts. Every URL is checked even when an
 * earlier one is down; notifications alert when any is down.
 *
 * @example
 * new HealthCheckWorkflow(app, 'health-check', {
 *   targets: [{ name: 'production', url: 'https://example.com/', expectedText: 'Example' }],
 *   notifications: [Notification.discord({ webhook: Secret.github('DISCORD_WEBHOOK_URL') })],
 * });
 */
export class HealthCheckWorkflow extends Construct {
  /** The generated workflow. */
  public readonly workflow: Workflow;

  constructor(scope: Construct, id: string, props: HealthCheckWorkflowProps) {
    super(scope, id);
    const timeout = (props.timeout ?? Duration.seconds(10)).toSeconds();
    const attempts = props.attempts ?? 3;
    const delay = (props.retryDelay ?? Duration.seconds(10)).toSeconds();
    this.workflow = new Workflow(this, 'Workflow', {
      name: props.name ?? 'Health Check',
      fileName: props.fileName ?? 'health-check.yml',
      triggers: [Trigger.schedule(props.schedule ?? '0 * * * *'), Trigger.workflowDispatch()],
      // a slow check must not pile up behind the next one
      concurrency: { group: 'health-check', cancelInProgress: true },
    });
    const notifications = props.notifications ?? [];
    const steps = props.targets.map((t, i) => Step.run(probeScript(attempts, delay, timeout), {
      name: `Check ${t.name ?? t.url}`,
      // check every URL even when an earlier one is down
      if: i === 0 ? undefined : Expression.not(Expression.cancelled()).toString(),
      env: {
        URL: t.url,
        EXPECTED_STATUS: String(t.expectedStatus ?? 200),
        EXPECTED_TEXT: t.expectedText ?? '',
      },
    }));
    const names = props.targets.map((t) => t.name ?? t.url).join(', ');
    this.workflow.addJob('health-check', {
      name: 'Health check',
      runsOn: props.runsOn,
      timeout: Duration.minutes(Math.max(5, Math.ceil((props.targets.length * attempts * (timeout + delay)) / 60) + 2)),
      steps: [
        ...steps,
        ...notifications.flatMap((n) => n._steps({ title: `Health check of ${names}`, resultExpression: 'job.status' })),
      ],
    });

    this.node.addValidation({
      validate: () => {
        const problems = [...notificationProblems(notifications)];
        if (props.targets.length === 0) problems.push('targets is empty; give at least one, e.g. [{ url: "https://example.com/health" }]');
        props.targets.forEach((t, i) => {
          if (!/^https?:\/\/\S+$/.test(t.url)) problems.push(`targets[${i}].url "${t.url}" must be an http(s) URL, e.g. "https://example.com/health"`);
          const s = t.expectedStatus;
          if (s !== undefined && (!Number.isInteger(s) || s < 100 || s > 599)) problems.push(`targets[${i}].expectedStatus must be an HTTP status from 100 to 599, got ${s}`);
        });
        if (!Number.isInteger(attempts) || attempts < 1) problems.push(`attempts must be a whole number ≥ 1, got ${attempts}`);
        if (timeout < 1) problems.push('timeout must be at least one second');
        return problems;
      },
    });
  }
}

/** A bash probe that reads URL, EXPECTED_STATUS and EXPECTED_TEXT from the environment. */
function probeScript(attempts: number, delay: number, timeout: number): string {
  return [
    `for attempt in $(seq 1 ${attempts}); do`,
    `  status=$(curl -sS -o "$RUNNER_TEMP/health-body" -w '%{http_code}' --max-time ${timeout} "$URL" || true)`,
    '  if [ "$status" = "$EXPECTED_STATUS" ] && { [ -z "$EXPECTED_TEXT" ] || grep -qF -- "$EXPECTED_TEXT" "$RUNNER_TEMP/health-body"; }; then',
    '    echo "$URL is up (HTTP $status)"',
    '    exit 0',
    '  fi',
    `  echo "attempt $attempt/${attempts}: $URL answered HTTP \${status:-none}, expected $EXPECTED_STATUS\${EXPECTED_TEXT:+ containing \\"$EXPECTED_TEXT\\"}"`,
    `  if [ "$attempt" -lt ${attempts} ]; then sleep ${delay}; fi`,
    'done',
    'echo "::error::$URL is down"',
    'exit 1',
  ].join('\n');
}
