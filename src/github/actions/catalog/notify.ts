/**
 * Inputs of `slackapi/slack-github-action` (v2). Send with a webhook
 * (`webhook` + `webhookType`) or call a Web API method (`method` + `token`).
 * @see https://github.com/slackapi/slack-github-action#sending-techniques
 */
export interface SlackProps {
  /**
   * Webhook URL, as a secret expression (`webhook`).
   * @default - none
   */
  readonly webhook?: string;

  /**
   * Kind of webhook: `incoming-webhook` or `webhook-trigger`
   * (`webhook-type`).
   * @default - none (required with `webhook`)
   */
  readonly webhookType?: string;

  /**
   * Web API method to call, e.g. `chat.postMessage` (`method`).
   * @default - none
   */
  readonly method?: string;

  /**
   * Bot token for `method`, as a secret expression (`token`).
   * @default - none
   */
  readonly token?: string;

  /**
   * The message or arguments, as JSON or YAML text (`payload`).
   * @default - none
   */
  readonly payload?: string;

  /**
   * File holding the payload (`payload-file-path`).
   * @default - none
   */
  readonly payloadFilePath?: string;

  /**
   * Whether `${{ }}` expressions in the payload file are replaced
   * (`payload-templated`).
   * @default false
   */
  readonly payloadTemplated?: boolean;

  /**
   * Whether a failed request fails the step (`errors`).
   * @default false
   */
  readonly errors?: boolean;

  /**
   * Retry policy: `0`, `5`, `10` or `RAPID` (`retries`).
   * @default "5"
   */
  readonly retries?: string;
}

/**
 * Inputs of `8398a7/action-slack` (v3): a job status message through an
 * incoming webhook, whose URL the step must get as `SLACK_WEBHOOK_URL`.
 * @see https://action-slack.netlify.app/usecase/01-general
 */
export interface SlackStatusProps {
  /**
   * Status to report: `success`, `failure`, `cancelled`, `custom`, or
   * `${{ job.status }}` (`status`).
   */
  readonly status: string;

  /**
   * Incoming webhook URL, as a secret expression; rendered as the step's
   * `SLACK_WEBHOOK_URL` environment variable.
   */
  readonly webhookUrl: string;

  /**
   * Message text (`text`).
   * @default - a text describing the status
   */
  readonly text?: string;

  /**
   * Fields to show, e.g. `repo,message,commit,author` or `all` (`fields`).
   * @default "repo,commit"
   */
  readonly fields?: string;

  /**
   * Channel to post to, e.g. `#ci-cd` (`channel`).
   * @default - the webhook's channel
   */
  readonly channel?: string;

  /**
   * Who to mention, e.g. `here` or a user id (`mention`).
   * @default - nobody
   */
  readonly mention?: string;

  /**
   * Statuses that trigger the mention, e.g. `failure,cancelled`
   * (`if_mention`).
   * @default - none
   */
  readonly ifMention?: string;

  /**
   * Custom payload (JSON text) for `status: custom` (`custom_payload`).
   * @default - none
   */
  readonly customPayload?: string;
}

/**
 * Inputs of `sarisia/actions-status-discord`: a job status embed posted to a
 * Discord webhook.
 * @see https://github.com/sarisia/actions-status-discord#inputs
 */
export interface DiscordProps {
  /**
   * Discord webhook URL, as a secret expression (`webhook`).
   */
  readonly webhook: string;

  /**
   * Status to report: `success`, `failure`, `cancelled`, or
   * `${{ job.status }}` (`status`).
   * @default "${{ job.status }}"
   */
  readonly status?: string;

  /**
   * Message text shown above the embed, e.g. a mention (`content`).
   * @default - none
   */
  readonly content?: string;

  /**
   * Embed title (`title`).
   * @default "${{ github.workflow }}"
   */
  readonly title?: string;

  /**
   * Embed description (`description`).
   * @default - none
   */
  readonly description?: string;

  /**
   * Embed color, e.g. `0xff91a4` (`color`).
   * @default - by status
   */
  readonly color?: string;

  /**
   * Webhook user name (`username`).
   * @default - the webhook's name
   */
  readonly username?: string;

  /**
   * Whether to leave out the commit, ref and run details (`nodetail`).
   * @default false
   */
  readonly nodetail?: boolean;

  /**
   * Whether a failed notification leaves the step green (`nofail`).
   * @default true
   */
  readonly nofail?: boolean;

  /**
   * Link of the title (`url`).
   * @default - the workflow run
   */
  readonly url?: string;
}
