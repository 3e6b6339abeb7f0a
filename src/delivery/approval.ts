import { invalid } from '../core/strict';

/** How a stage is approved before it deploys. */
export enum ApprovalKind {
  /** GitHub environment protection rules (required reviewers, wait timers, branch rules). */
  ENVIRONMENT = 'environment',
  /** A separate `workflow_dispatch` workflow whose operator types a confirmation word. */
  MANUAL_DISPATCH = 'manual-dispatch',
}

/** Options of a manual dispatch approval. */
export interface ManualDispatchOptions {
  /**
   * The word the operator must type to confirm the deploy.
   * @default "DEPLOY"
   */
  readonly confirmation?: string;
  /**
   * Description of the confirmation input shown in the GitHub UI.
   * @default - "Type <confirmation> to deploy to <environment>"
   */
  readonly description?: string;
}

/**
 * A gate a person passes before a stage deploys.
 */
export class Approval {
  /**
   * Approval through the GitHub environment's protection rules (required
   * reviewers). The deploy job references the environment and GitHub holds it
   * until a reviewer approves. Configure the reviewers in the repository's
   * environment settings.
   * @see https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment#required-reviewers
   */
  public static environment(): Approval {
    return new Approval(ApprovalKind.ENVIRONMENT, undefined, undefined);
  }

  /**
   * The stage deploys only from a manual `workflow_dispatch` run of its own
   * workflow, after the operator typed the confirmation word.
   */
  public static manualDispatch(options: ManualDispatchOptions = {}): Approval {
    const word = options.confirmation ?? 'DEPLOY';
    const approval = new Approval(ApprovalKind.MANUAL_DISPATCH, word, options.description);
    if (!/^[A-Za-z0-9_-]+$/.test(word)) {
      invalid(approval, `Approval.manualDispatch confirmation "${word}" must be one word of letters, digits, "-" or "_", e.g. "DEPLOY"`);
    }
    return approval;
  }

  /** The kind of approval. */
  public readonly kind: ApprovalKind;
  /** The confirmation word of a manual dispatch. */
  public readonly confirmation?: string;
  /** Description of the confirmation input. */
  public readonly description?: string;

  private constructor(kind: ApprovalKind, confirmation: string | undefined, description: string | undefined) {
    this.kind = kind;
    this.confirmation = confirmation;
    this.description = description;
  }
}
