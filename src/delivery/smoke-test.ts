import { Duration } from '../core/duration';
import { invalid } from '../core/strict';

/** Options of an HTTP smoke test. */
export interface HttpSmokeTestOptions {
  /**
   * URL to request. May contain `${{ }}` expressions.
   * @default - the environment's `url` followed by the application's HTTP health-check path
   */
  readonly url?: string;
  /**
   * Attempts before the check fails.
   * @default 5
   */
  readonly retries?: number;
  /**
   * Wait between attempts.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * Text the response body must contain.
   * @default - any 2xx/3xx response passes
   */
  readonly expectText?: string;
  /**
   * Time one request may take.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
}

/** Options of a command smoke test. */
export interface CommandSmokeTestOptions {
  /**
   * Attempts before the check fails.
   * @default 3
   */
  readonly retries?: number;
  /**
   * Wait between attempts.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
}

/** The kind of smoke test. */
export enum SmokeTestKind {
  /** An HTTP request with retries. */
  HTTP = 'http',
  /** A command with retries. */
  COMMAND = 'command',
}

/**
 * The check that runs after every deploy (and between canary steps). A
 * failed check triggers the rollback.
 */
export class SmokeTest {
  /** An HTTP GET with retries. */
  public static http(options: HttpSmokeTestOptions = {}): SmokeTest {
    return new SmokeTest(SmokeTestKind.HTTP, options.url, undefined, options.retries ?? 5, options.interval ?? Duration.seconds(10),
      options.expectText, options.timeout ?? Duration.seconds(10));
  }

  /** A command (run in the repository checkout) with retries. */
  public static command(command: string, options: CommandSmokeTestOptions = {}): SmokeTest {
    const interval = options.interval ?? Duration.seconds(10);
    const test = new SmokeTest(SmokeTestKind.COMMAND, undefined, command, options.retries ?? 3, interval, undefined, undefined);
    if (!command.trim()) invalid(test, 'SmokeTest.command needs a non-empty command, e.g. "npm run smoke"');
    return test;
  }

  /** The kind. */
  public readonly kind: SmokeTestKind;
  /** URL override (HTTP). */
  public readonly url?: string;
  /** Command (command checks). */
  public readonly checkCommand?: string;
  /** Attempts. */
  public readonly retries: number;
  /** Wait between attempts. */
  public readonly interval: Duration;
  /** Expected body text (HTTP). */
  public readonly expectText?: string;
  /** Request timeout (HTTP). */
  public readonly timeout?: Duration;

  private constructor(kind: SmokeTestKind, url: string | undefined, command: string | undefined, retries: number, interval: Duration,
    expectText: string | undefined, timeout: Duration | undefined) {
    if (!Number.isInteger(retries) || retries < 1 || retries > 100) invalid(this, `SmokeTest retries must be an integer within 1..100, got ${retries}; e.g. retries: 5`);
    this.kind = kind;
    this.url = url;
    this.checkCommand = command;
    this.retries = retries;
    this.interval = interval;
    this.expectText = expectText;
    this.timeout = timeout;
  }
}
