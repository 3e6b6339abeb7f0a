import { Secret } from './secret';
import { Actions } from '../github/actions/actions';
import { Expression } from '../github/expression';
import { Step } from '../github/step';

/** The events a notification is sent for. */
export enum NotifyOn {
  /** The run (or the deploy) failed. */
  FAILURE = 'failure',
  /** The run (or the deploy) succeeded. */
  SUCCESS = 'success',
  /** A deploy was rolled back. */
  ROLLBACK = 'rollback',
  /** Every finished run, whatever its result. */
  ALWAYS = 'always',
  /**
   * A successful run that deployed: in a `Pipeline`, only runs in which a
   * deploy job succeeded (pull requests and check-only runs stay silent);
   * elsewhere the same as `SUCCESS`. List it instead of `SUCCESS` to hear
   * about deployments but not about every green check.
   */
  DEPLOYED = 'deployed',
}

/** Options of {@link Notification.slack}. */
export interface SlackNotificationOptions {
  /**
   * The Slack incoming-webhook URL, as a GitHub secret, e.g.
   * `Secret.github('SLACK_WEBHOOK')`. Webhook URLs are credentials: they are
   * never accepted as literal text.
   */
  readonly webhook: Secret;

  /**
   * The events to notify about.
   * @default [NotifyOn.FAILURE, NotifyOn.ROLLBACK]
   */
  readonly on?: NotifyOn[];

  /**
   * The channel, e.g. `#ci-cd` (legacy webhooks only; an app's incoming
   * webhook always posts to its own channel).
   * @default - the webhook's channel
   */
  readonly channel?: string;

  /**
   * Who to mention on failures and rollbacks, e.g. `here` or a user id.
   * @default - nobody
   */
  readonly mention?: string;
}

/** Options of {@link Notification.discord}. */
export interface DiscordNotificationOptions {
  /**
   * The Discord webhook URL, as a GitHub secret, e.g.
   * `Secret.github('DISCORD_WEBHOOK_URL')`. Never accepted as literal text.
   */
  readonly webhook: Secret;

  /**
   * The events to notify about.
   * @default [NotifyOn.FAILURE, NotifyOn.ROLLBACK]
   */
  readonly on?: NotifyOn[];

  /**
   * The name the message is posted under.
   * @default - the webhook's name
   */
  readonly username?: string;
}

/**
 * What a notification reports on; the construct that sends it provides it.
 * @internal
 */
export interface NotifyContext {
  /** What the message is about, e.g. `Deploy to production`. */
  readonly title: string;
  /** An expression (with or without `${{ }}`) that is `success`, `failure` or `cancelled`, e.g. `needs.deploy.result` or `job.status`. */
  readonly resultExpression: string;
  /**
   * When a rollback happened: a property path whose value is the string
   * `true` (a job output, e.g. `needs.deploy.outputs.rolled_back`), or a
   * condition (e.g. `needs.a.outputs.rolled_back == 'true' || ...`).
   */
  readonly rolledBackExpression?: string;
  /**
   * A condition that holds when the run deployed (e.g.
   * `needs.deploy-staging.result == 'success'`), or `false` when the
   * workflow deploys nothing (the `DEPLOYED` step is then left out).
   * Without it, `DEPLOYED` is reported like `SUCCESS`.
   */
  readonly deployedExpression?: string;
  /**
   * An expression (without `${{ }}`) whose value is appended to a failure's
   * text, e.g. why a failed deploy was not rolled back; `''` when there is
   * nothing to add.
   */
  readonly failureDetailExpression?: string;
}

enum Channel {
  SLACK = 'slack',
  DISCORD = 'discord',
}

/**
 * A chat notification about a run: Slack or Discord, through a webhook
 * held in a GitHub secret. Each event (failure, success, rollback) gets its
 * own step with its own `if:`, so exactly the events in `on` are reported,
 * and a rolled-back failure is reported once, as a rollback.
 *
 * @example
 * Notification.slack({ webhook: Secret.github('SLACK_WEBHOOK'), channel: '#ci-cd' });
 * Notification.discord({ webhook: Secret.github('DISCORD_WEBHOOK_URL'), on: [NotifyOn.ALWAYS] });
 */
export class Notification {
  /** Slack, through an incoming webhook (8398a7/action-slack). */
  public static slack(options: SlackNotificationOptions): Notification {
    return new Notification(Channel.SLACK, options.webhook, options.on, options.channel, options.mention, undefined);
  }

  /** Discord, through a channel webhook (sarisia/actions-status-discord). */
  public static discord(options: DiscordNotificationOptions): Notification {
    return new Notification(Channel.DISCORD, options.webhook, options.on, undefined, undefined, options.username);
  }

  /** The events notified about. */
  public readonly on: NotifyOn[];
  /** `slack` or `discord`. */
  public readonly channel: string;

  private readonly webhook: Secret;
  private readonly slackChannel?: string;
  private readonly mention?: string;
  private readonly username?: string;
  private readonly problems: string[] = [];

  private constructor(channel: Channel, webhook: Secret, on: NotifyOn[] | undefined, slackChannel?: string, mention?: string, username?: string) {
    this.channel = channel;
    this.webhook = webhook;
    this.on = [...(on ?? [NotifyOn.FAILURE, NotifyOn.ROLLBACK])];
    this.slackChannel = slackChannel;
    this.mention = mention;
    this.username = username;
    const factory = `Notification.${channel}`;
    if (!(webhook instanceof Secret)) {
      const shown = typeof webhook === 'string' ? (/^https?:/.test(webhook) ? 'a literal URL' : `"${webhook}"`) : String(webhook);
      this.problems.push(`${factory}: webhook must be a GitHub secret, e.g. webhook: Secret.github('${channel === Channel.SLACK ? 'SLACK_WEBHOOK' : 'DISCORD_WEBHOOK_URL'}'), got ${shown}; a webhook URL is a credential and must never appear in a workflow file`);
    }
    if (this.on.length === 0) this.problems.push(`${factory}: "on" is empty; give at least one of ${Object.values(NotifyOn).join(', ')}, or leave it out for failure and rollback`);
    for (const e of this.on) {
      if (!Object.values(NotifyOn).includes(e)) this.problems.push(`${factory}: "on" has ${JSON.stringify(e)}, which is not one of ${Object.values(NotifyOn).join(', ')}`);
    }
    const dup = this.on.find((e, i) => this.on.indexOf(e) !== i);
    if (dup) this.problems.push(`${factory}: "on" lists "${dup}" twice`);
    if (this.on.includes(NotifyOn.DEPLOYED) && (this.on.includes(NotifyOn.SUCCESS) || this.on.includes(NotifyOn.ALWAYS))) {
      this.problems.push(`${factory}: "on" lists "deployed" with "${this.on.includes(NotifyOn.SUCCESS) ? 'success' : 'always'}", which already reports every successful run; keep one of them`);
    }
  }

  /** Why the notification is invalid. @internal */
  public _problems(): string[] {
    return [...this.problems];
  }

  /**
   * The steps that send the notification, each with the `if:` of its event.
   * Put them in a job that runs whatever the result (`if: always()`), or at
   * the end of the job they report on (with `job.status` as the result).
   * @internal
   */
  public _steps(ctx: NotifyContext): Step[] {
    const result = Expression.raw(unwrap(ctx.resultExpression));
    const rolledBack = ctx.rolledBackExpression !== undefined ? rolledBackCondition(unwrap(ctx.rolledBackExpression)) : undefined;
    const notRolledBack = rolledBack && this.on.includes(NotifyOn.ROLLBACK) ? Expression.not(rolledBack) : undefined;
    const when = (...conditions: Array<Expression | undefined>) =>
      Expression.allOf(Expression.always(), ...conditions.filter((c): c is Expression => c !== undefined)).toString();

    const steps: Step[] = [];
    if (this.on.includes(NotifyOn.ALWAYS)) {
      steps.push(this.step(`${ctx.title}: \${{ ${result.text} }}`, result.toString(), when(notRolledBack), 'result'));
    } else {
      if (this.on.includes(NotifyOn.FAILURE)) {
        const detail = ctx.failureDetailExpression ? `\${{ ${ctx.failureDetailExpression} }}` : '';
        steps.push(this.step(`${ctx.title} failed${detail}`, 'failure', when(result.eq('failure'), notRolledBack), 'failure'));
      }
      if (this.on.includes(NotifyOn.SUCCESS)) {
        steps.push(this.step(`${ctx.title} succeeded`, 'success', when(result.eq('success'), notRolledBack), 'success'));
      }
      if (this.on.includes(NotifyOn.DEPLOYED) && ctx.deployedExpression?.trim() !== 'false') {
        const deployed = ctx.deployedExpression !== undefined ? Expression.raw(unwrap(ctx.deployedExpression)) : undefined;
        steps.push(this.step(`${ctx.title} ${deployed ? 'deployed' : 'succeeded'}`, 'success', when(result.eq('success'), deployed, notRolledBack), 'deployed'));
      }
    }
    if (this.on.includes(NotifyOn.ROLLBACK) && rolledBack) {
      steps.push(this.step(`${ctx.title} was rolled back`, 'failure', when(rolledBack), 'rollback'));
    }
    return steps;
  }

  private step(text: string, status: string, condition: string, event: string): Step {
    const name = `Notify ${this.channel === Channel.SLACK ? 'Slack' : 'Discord'} (${event})`;
    const message = `${text} (\${{ github.repository }}@\${{ github.sha }})`;
    if (this.channel === Channel.SLACK) {
      const mention = this.mention && event !== 'success' ? { mention: this.mention, ifMention: 'failure,cancelled' } : {};
      return Step.uses(Actions.slackStatus({
        status,
        webhookUrl: this.webhook.expression,
        text: message,
        fields: 'repo,commit,workflow,ref',
        channel: this.slackChannel,
        ...mention,
      }), { name, if: condition });
    }
    return Step.uses(Actions.discord({
      webhook: this.webhook.expression,
      status,
      title: text,
      description: message,
      username: this.username,
      color: event === 'rollback' ? '0xf0ad4e' : undefined,
    }), { name, if: condition });
  }
}

/** A job output (a path) is compared with 'true'; anything else is already a condition. */
function rolledBackCondition(text: string): Expression {
  const expression = Expression.raw(text);
  return /^[A-Za-z_][A-Za-z0-9_.*-]*$/.test(text) ? expression.eq('true') : expression;
}

function unwrap(expression: string): string {
  const t = expression.trim();
  return t.startsWith('${{') && t.endsWith('}}') ? t.slice(3, -2).trim() : t;
}
