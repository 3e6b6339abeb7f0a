import { IConstruct } from 'constructs';
import { Duration } from '../../core/duration';
import { pinnedByReference, recordUnpinnedImage } from '../../core/image-pinning';
import { ActionLock, catalogImageRef } from '../../github/actions/action-lock';
import { Actions } from '../../github/actions/actions';
import { Expression } from '../../github/expression';
import { JobProps } from '../../github/job';
import { RunsOn } from '../../github/runs-on';
import { Step } from '../../github/step';
import { isToolchainSetupStep, Toolchain } from '../toolchain';

/**
 * What a check's job depends on besides the check itself; the Pipeline
 * provides it.
 * @internal
 */
export interface CheckContext {
  /** The pipeline's toolchain. */
  readonly toolchain: Toolchain;
  /** The pipeline's runner. */
  readonly runsOn?: RunsOn;
  /**
   * Per built application, an expression string for `repository@digest`
   * (used by AFTER_BUILD checks).
   */
  readonly images: { [application: string]: string };
  /** AFTER_DEPLOY checks: the deployed environment's URL. */
  readonly environmentUrl?: string;
  /** The construct problems are reported on (the pipeline), if any. */
  readonly scope?: IConstruct;
}

/** Options every check accepts. */
export interface CheckOptions {
  /**
   * The job's display name.
   * @default - a name describing the check, e.g. "Lint"
   */
  readonly name?: string;

  /**
   * The runner.
   * @default - the pipeline's runner
   */
  readonly runsOn?: RunsOn;

  /**
   * Cancel the job after this long.
   * @default - GitHub's limit, 360 minutes
   */
  readonly timeout?: Duration;

  /**
   * Environment variables of every step of the check. Keys are kept
   * exactly as written. Give secrets as `Secret.github('X').expression`.
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Let the pipeline pass when this check fails (`continue-on-error`), e.g.
   * integration tests that need credentials CI may not have.
   * @default false
   */
  readonly allowFailure?: boolean;

  /**
   * Directory the check's commands run in, relative to the repository root.
   * @default - the toolchain's working directory, else the repository root
   */
  readonly workingDirectory?: string;
}

/** Condition of a step that runs even when an earlier one failed, unless the run was cancelled. @internal */
export const UNLESS_CANCELLED = Expression.not(Expression.cancelled()).toString();

/** The job props every check shares. @internal */
export function jobProps(ctx: CheckContext, options: CheckOptions, defaultName: string, steps: Step[], extra: Partial<JobProps> = {},
  inToolchainDirectory = true): JobProps {
  const workingDirectory = options.workingDirectory ?? (inToolchainDirectory ? ctx.toolchain.workingDirectory : undefined);
  const shell = extra.defaults?.shell;
  // the check's own directory moves its commands, never the toolchain's install (which stays in the toolchain's directory)
  const moved = workingDirectory !== ctx.toolchain.workingDirectory;
  const jobSteps = moved ? steps.map((s) => (isToolchainSetupStep(s) && s.workingDirectory === undefined ? inRepositoryRoot(s) : s)) : steps;
  return {
    name: options.name ?? defaultName,
    runsOn: options.runsOn ?? ctx.runsOn,
    timeout: options.timeout,
    env: options.env && Object.keys(options.env).length > 0 ? { ...options.env } : undefined,
    continueOnError: options.allowFailure ? true : undefined,
    ...extra,
    defaults: workingDirectory !== undefined || shell !== undefined ? { shell, workingDirectory } : undefined,
    steps: jobSteps,
  };
}

/** A copy of a run step that runs in the repository root. */
function inRepositoryRoot(s: Step): Step {
  return Step.run(s.script!, {
    id: s.id,
    name: s.name,
    if: s.condition,
    env: s.env,
    timeout: s.timeout,
    continueOnError: s.continueOnError,
    shell: s.shell,
    workingDirectory: '.',
  });
}

/** A run step per command, named after the command. @internal */
export function commandSteps(commands: readonly string[], options: {
  readonly env?: (index: number) => { [name: string]: string } | undefined;
  readonly continueOnError?: boolean;
} = {}): Step[] {
  // empty commands are reported as problems of the check; leave them out here
  return commands.flatMap((c, i) => (c.trim() === '' ? [] : [Step.run(c, { name: firstLine(c), env: options.env?.(i), continueOnError: options.continueOnError })]));
}

/** Uploads report files as an artifact, even when the check failed. @internal */
export function uploadReports(name: string, paths: string[], retentionDays?: number): Step {
  return Step.uses(Actions.uploadArtifact({ name, path: paths, ifNoFilesFound: 'warn', retentionDays }), {
    name: 'Upload reports',
    if: UNLESS_CANCELLED,
  });
}

/** Problems shared by every check's options. @internal */
export function optionProblems(options: CheckOptions, commands?: readonly string[]): string[] {
  const problems: string[] = [];
  if (commands !== undefined) {
    if (commands.length === 0) problems.push('has no commands; give at least one, e.g. ["pytest"]');
    commands.forEach((c, i) => {
      if (c.trim() === '') problems.push(`command ${i + 1} is empty; remove it or give the command`);
    });
  }
  if (options.workingDirectory !== undefined && (options.workingDirectory.trim() === '' || options.workingDirectory.startsWith('/'))) {
    problems.push(`workingDirectory "${options.workingDirectory}" must be a path relative to the repository root, e.g. "backend"`);
  }
  if (options.timeout !== undefined && options.timeout.toMinutes() === 0) problems.push('timeout must be at least one minute');
  return problems;
}

/** The check id rule (it becomes a job id). @internal */
export const CHECK_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function firstLine(command: string): string {
  const line = command.trim().split('\n')[0];
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/** Whether a runner may be something other than Linux (services need Linux). @internal */
export function mayBeNonLinux(runsOn: RunsOn | undefined): boolean {
  if (!runsOn) return false;
  const wire = runsOn._toWire();
  const labels = typeof wire === 'string' ? [wire] : Array.isArray(wire) ? wire : [];
  return labels.some((l) => /windows|macos/i.test(l));
}

/**
 * An image a check's step runs, pinned by digest when slipway.lock.json has it
 * (`npx slipway pin --images` or `npx slipway pin docker://name:tag`) or,
 * else, the built-in image lock does (slipway's default versions).
 * @internal
 */
export function lockedImage(ctx: CheckContext, image: string, named?: string): string {
  const ref = ctx.scope ? ActionLock.of(ctx.scope)._imageRef(image) : catalogImageRef(image);
  // an image the definition names (not a default tag, which the built-in image lock pins) is the user's to pin
  if (named !== undefined && ctx.scope && ref === image && !pinnedByReference(image)) recordUnpinnedImage(ctx.scope, { what: named, image });
  return ref;
}
