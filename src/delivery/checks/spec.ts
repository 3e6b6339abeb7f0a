import { CheckContext } from './context';
import { JobProps } from '../../github/job';

/**
 * What one kind of check contributes: its problems and its job.
 * @internal
 */
export interface CheckSpec {
  /** Problems of the options alone (known when the check is created). */
  readonly problems: string[];
  /** Problems that depend on the pipeline (toolchain, runner, images). */
  contextProblems(ctx: CheckContext): string[];
  /** The complete job. */
  jobProps(id: string, ctx: CheckContext): JobProps;
}
