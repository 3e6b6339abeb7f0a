import { Construct } from 'constructs';
import { Actions } from '../../github/actions/actions';
import { PrSizeLabelerProps } from '../../github/actions/catalog/pull-request';
import { Expression } from '../../github/expression';
import { PermissionLevel } from '../../github/permissions';
import { RunsOn } from '../../github/runs-on';
import { Step } from '../../github/step';
import { Trigger } from '../../github/trigger';
import { Workflow } from '../../github/workflow';

/** Properties of {@link PullRequestChecks}. */
export interface PullRequestChecksProps {
  /**
   * Check that the pull request title follows Conventional Commits
   * (amannn/action-semantic-pull-request; `pull-requests: read`).
   * @default true
   */
  readonly semanticTitle?: boolean;

  /**
   * Allowed title types, e.g. `['feat', 'fix', 'docs']`.
   * @default - the Conventional Commits types
   */
  readonly types?: string[];

  /**
   * Allowed scopes, e.g. `['api', 'ui']`.
   * @default - any scope
   */
  readonly scopes?: string[];

  /**
   * Whether a title must have a scope.
   * @default false
   */
  readonly requireScope?: boolean;

  /**
   * Label pull requests by size (codelytv/pr-size-labeler;
   * `pull-requests: write` and `issues: write`).
   * @default true
   */
  readonly sizeLabel?: boolean;

  /**
   * Size thresholds and labels of the size labeler (its token is set).
   * @default - the labeler's defaults (size/xs up to 10 changed lines ... size/xl)
   */
  readonly sizeLabeler?: PrSizeLabelerProps;

  /**
   * Base branches whose pull requests are checked.
   * @default - every base branch
   */
  readonly branches?: string[];

  /**
   * Run on `pull_request_target` instead of `pull_request`, so pull requests
   * from forks get labels too (the `pull_request` token of a fork is
   * read-only). Safe here because no job checks out or runs the pull
   * request's code.
   * @default false
   */
  readonly pullRequestTarget?: boolean;

  /**
   * The runner.
   * @default RunsOn.UBUNTU_LATEST
   */
  readonly runsOn?: RunsOn;

  /**
   * The workflow's display name.
   * @default "PR Checks"
   */
  readonly name?: string;

  /**
   * The file name under `.github/workflows/`.
   * @default "pr-checks.yml"
   */
  readonly fileName?: string;
}

/**
 * Checks every pull request: a semantic (Conventional Commits) title and a
 * size label. Written to `.github/workflows/pr-checks.yml`; each job gets
 * only the token scopes it needs, and a new push cancels the previous run
 * of the same pull request.
 *
 * @example
 * new PullRequestChecks(app, 'pr-checks', { types: ['feat', 'fix', 'chore'] });
 */
export class PullRequestChecks extends Construct {
  /** The generated workflow, for further jobs or overrides. */
  public readonly workflow: Workflow;

  constructor(scope: Construct, id: string, props: PullRequestChecksProps = {}) {
    super(scope, id);
    const semantic = props.semanticTitle ?? true;
    const size = props.sizeLabel ?? true;
    const trigger = { types: ['opened', 'synchronize', 'reopened', 'edited'], branches: props.branches };
    this.workflow = new Workflow(this, 'Workflow', {
      name: props.name ?? 'PR Checks',
      fileName: props.fileName ?? 'pr-checks.yml',
      triggers: [props.pullRequestTarget ? Trigger.pullRequestTarget(trigger) : Trigger.pullRequest(trigger)],
      permissions: {},
      concurrency: {
        group: `${Expression.github('workflow')}-${Expression.github('event.pull_request.number')}`,
        cancelInProgress: true,
      },
    });
    if (semantic) {
      this.workflow.addJob('semantic-title', {
        name: 'Validate PR title',
        runsOn: props.runsOn,
        permissions: { pullRequests: PermissionLevel.READ },
        steps: [Step.uses(Actions.semanticPullRequest({ types: props.types, scopes: props.scopes, requireScope: props.requireScope }), { name: 'Validate PR title' })],
      });
    }
    if (size) {
      this.workflow.addJob('size-label', {
        name: 'Label PR size',
        runsOn: props.runsOn,
        // a title edit does not change the size
        if: Expression.github('event.action').ne('edited').toString(),
        permissions: { contents: PermissionLevel.READ, pullRequests: PermissionLevel.WRITE, issues: PermissionLevel.WRITE },
        steps: [Step.uses(Actions.prSizeLabeler({ ...props.sizeLabeler, githubToken: Expression.secret('GITHUB_TOKEN').toString() }), { name: 'Label PR size' })],
      });
    }
    this.node.addValidation({
      validate: () => (!semantic && !size
        ? ['semanticTitle and sizeLabel are both false, so the workflow would have no jobs; enable one, or remove the PullRequestChecks']
        : []),
    });
  }
}
