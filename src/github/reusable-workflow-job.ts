import { unwrapCondition } from './expression-scan';
import { JobBase, JobBaseProps } from './job-base';
import { stringMap, valueMap } from './step-render';
import { concurrencyToWire, RenderedJob, strategyToWire } from './wire';
import type { Workflow } from './workflow';
import { registered, REGISTRY_KIND } from '../core/registry';

/**
 * Properties of a {@link ReusableWorkflowJob}.
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_iduses
 */
export interface ReusableWorkflowJobProps extends JobBaseProps {
  /**
   * The reusable workflow: `./.github/workflows/<file>` in this repository
   * (`otherWorkflow.localReference`), or
   * `owner/repo/.github/workflows/<file>@<ref>` (pin `<ref>` to a commit SHA).
   */
  readonly uses: string;

  /**
   * Inputs of the called workflow. Keys are kept exactly as written.
   * @default - none
   */
  readonly with?: { [key: string]: any };

  /**
   * Secrets passed to the called workflow, by name.
   * @default - none (unless `inheritSecrets`)
   */
  readonly secrets?: { [name: string]: string };

  /**
   * Pass every secret of the caller (`secrets: inherit`).
   * @default false
   */
  readonly inheritSecrets?: boolean;
}

/**
 * A job that calls a reusable workflow (`uses:` at job level).
 */
export class ReusableWorkflowJob extends JobBase {
  /** The called workflow. */
  public readonly uses: string;

  private readonly props: ReusableWorkflowJobProps;

  constructor(scope: Workflow, id: string, props: ReusableWorkflowJobProps) {
    super(scope, id, props);
    this.uses = props.uses;
    this.props = props;
  }

  /**
   * The outputs of the called workflow when it is a workflow of this App (its
   * `workflow_call` outputs), so that `needs.<id>.outputs.<name>` is checked
   * against them; undefined for a workflow of another repository.
   * @internal
   */
  public _outputNames(): string[] | undefined {
    if (!this.uses.startsWith('./.github/workflows/')) return undefined;
    return registered<Workflow>(this.node.root, REGISTRY_KIND.workflow).find((w) => `./${w.filePath}` === this.uses)?._workflowCallOutputs();
  }

  /** @internal */
  public _render(): RenderedJob {
    const problems = this._baseProblems();
    const p = this.props;
    const local = /^\.\/\.github\/workflows\/[^/]+\.ya?ml$/.test(p.uses);
    const remote = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/\.github\/workflows\/[^/@]+\.ya?ml@[^@\s]+$/.test(p.uses);
    if (!local && !remote) {
      problems.push(`uses "${p.uses}" is not a reusable workflow reference; write "./.github/workflows/<file>.yml" or "owner/repo/.github/workflows/<file>.yml@<sha>"`);
    }
    if (p.inheritSecrets && p.secrets) problems.push('sets both "secrets" and "inheritSecrets"; pass secrets by name or inherit them all, not both');
    return {
      wire: {
        name: this.name,
        needs: undefined,
        if: this.condition !== undefined ? unwrapCondition(this.condition) : undefined,
        permissions: undefined,
        concurrency: concurrencyToWire(this.concurrency),
        strategy: strategyToWire(this.strategy),
        uses: p.uses,
        with: p.with ? valueMap(p.with) : undefined,
        secrets: p.inheritSecrets ? 'inherit' : p.secrets ? stringMap(p.secrets) : undefined,
      },
      problems,
      actionPermissions: [],
      matrixKeys: this._strategyMatrixKeys(),
    };
  }
}
