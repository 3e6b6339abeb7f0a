/**
 * Collects findings and the list of validators that ran on each file.
 *
 * Shared by every validator module of the worker. The shape written to stdout
 * mirrors `HarnessReport` in ../harness.ts.
 */
import { errorText } from './common';
import { MissingValidatorError } from './packages';

export interface Finding {
  readonly file: string;
  readonly validator: string;
  readonly message: string;
}

export interface WorkerReport {
  readonly findings: Finding[];
  readonly checked: { [file: string]: string[] };
  /** Known false positives of a validator, dropped from `findings` (see worker/github.mts). */
  readonly suppressed: Finding[];
}

export class Report {
  private readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();
  private readonly checked = new Map<string, string[]>();
  private readonly suppressed: Finding[] = [];

  /** Records that `validator` ran on `file` (idempotent). */
  ran(file: string, validator: string): void {
    const list = this.checked.get(file) ?? [];
    if (!list.includes(validator)) list.push(validator);
    this.checked.set(file, list);
  }

  /** Records a finding; also records that the validator ran. Exact duplicates are dropped. */
  fail(file: string, validator: string, message: string): void {
    this.ran(file, validator);
    const key = `${file}\u0000${validator}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push({ file, validator, message });
  }

  /** Records a known false positive of the validator: listed apart, never a failure. */
  suppress(file: string, validator: string, message: string): void {
    this.ran(file, validator);
    this.suppressed.push({ file, validator, message });
  }

  /**
   * Runs one validator; an exception thrown by the validator itself (a crash,
   * not a finding) becomes a finding so that it can never pass silently.
   */
  async guard(file: string, validator: string, fn: () => void | Promise<void>): Promise<void> {
    this.ran(file, validator);
    try {
      await fn();
    } catch (err) {
      if (err instanceof MissingValidatorError) throw err;
      this.fail(file, validator, `validator crashed: ${errorText(err)}`);
    }
  }

  toJSON(): WorkerReport {
    const checked: { [file: string]: string[] } = {};
    for (const file of [...this.checked.keys()].sort()) checked[file] = this.checked.get(file)!;
    return { findings: this.findings, checked, suppressed: this.suppressed };
  }
}
