import { invalid } from './strict';

/**
 * A length of time, converted to the unit each engine expects only when rendering.
 */
export class Duration {
  /** A duration of `amount` milliseconds, e.g. a latency threshold. */
  public static millis(amount: number): Duration {
    return new Duration(amount / 1000);
  }

  /** A duration of `amount` seconds. */
  public static seconds(amount: number): Duration {
    return new Duration(amount);
  }

  /** A duration of `amount` minutes. */
  public static minutes(amount: number): Duration {
    return new Duration(amount * 60);
  }

  /** A duration of `amount` hours. */
  public static hours(amount: number): Duration {
    return new Duration(amount * 3600);
  }

  private constructor(private readonly totalSeconds: number) {
    if (!Number.isFinite(totalSeconds) || totalSeconds < 0) {
      invalid(this, `Duration must be a non-negative finite number of seconds, got ${totalSeconds}; pass e.g. Duration.seconds(30)`);
    }
  }

  /**
   * The sum of this duration and `other`.
   */
  public plus(other: Duration): Duration {
    return new Duration(this.totalSeconds + other.totalSeconds);
  }

  /** Whole milliseconds (rounded up). */
  public toMilliseconds(): number {
    return Math.ceil(Math.round(this.totalSeconds * 1e6) / 1e3);
  }

  /** Whole seconds (rounded up). */
  public toSeconds(): number {
    return Math.ceil(this.totalSeconds);
  }

  /** Whole minutes (rounded up). */
  public toMinutes(): number {
    return Math.ceil(this.totalSeconds / 60);
  }

  /**
   * A compact human form such as `5m`, `90s` or `1h`, as Helm, kubectl and
   * Argo Rollouts accept.
   */
  public toHumanString(): string {
    const s = this.toSeconds();
    if (s > 0 && s % 3600 === 0) return `${s / 3600}h`;
    if (s > 0 && s % 60 === 0) return `${s / 60}m`;
    return `${s}s`;
  }
}
