import { Construct } from 'constructs';
import { Actions } from '../../github/actions/actions';
import { Expression } from '../../github/expression';
import { JobBase } from '../../github/job-base';
import { RunsOn } from '../../github/runs-on';
import { Step } from '../../github/step';
import { Trigger } from '../../github/trigger';
import { Workflow } from '../../github/workflow';
import { Notification } from '../notification';
import { Toolchain } from '../toolchain';
import { addNotifyJob, notificationProblems } from './notify-job';

/** How the built site reaches GitHub Pages. */
export enum PagesPublishing {
  /**
   * A Pages deployment from Actions (actions/upload-pages-artifact and
   * actions/deploy-pages; `pages: write`, `id-token: write`). Set the
   * repository's Pages source to "GitHub Actions".
   */
  ACTIONS = 'actions',
  /**
   * A push to the `gh-pages` branch (peaceiris/actions-gh-pages;
   * `contents: write`), with a `.nojekyll` file. Set the Pages source to
   * that branch.
   */
  BRANCH = 'branch',
}

/** Properties of {@link DocsWorkflow}. */
export interface DocsWorkflowProps {
  /** The toolchain that builds the docs, e.g. `Toolchain.python('3.12', { install: 'pip install -r docs/requirements.txt' })`. */
  readonly toolchain: Toolchain;

  /** Commands that build the site, e.g. `['mkdocs build --strict']` or `['sphinx-build -b html docs/source docs/build/html']`. */
  readonly buildCommands: string[];

  /**
   * Directory of the built site, relative to the repository root.
   * @default "site" (MkDocs' output directory)
   */
  readonly outputDirectory?: string;

  /**
   * Path filters: the workflow runs only when a changed file matches one
   * (on pushes and pull requests alike). The workflow file itself is added.
   * @default - every change
   */
  readonly paths?: string[];

  /**
   * The branch whose pushes publish the site.
   * @default "main"
   */
  readonly branch?: string;

  /**
   * Build the docs on pull requests into `branch` too (never published).
   * @default true
   */
  readonly pullRequests?: boolean;

  /**
   * How the site is published.
   * @default PagesPublishing.ACTIONS
   */
  readonly publishing?: PagesPublishing;

  /**
   * Notifications about the docs build; usually failures only.
   * @default - none
   */
  readonly notifications?: Notification[];

  /**
   * The runner.
   * @default RunsOn.UBUNTU_LATEST
   */
  readonly runsOn?: RunsOn;

  /**
   * The workflow's display name.
   * @default "Documentation"
   */
  readonly name?: string;

  /**
   * The file name under `.github/workflows/`.
   * @default "docs.yml"
   */
  readonly fileName?: string;
}

const SITE_ARTIFACT = 'site';

/**
 * Builds the documentation on changes (with path filters) and publishes it
 * to GitHub Pages from the main branch only. The workflow is isolated from
 * the delivery pipelines: a failing docs build never blocks a deploy.
 * Building and publishing are separate jobs, so pull request builds never
 * hold a token that can publish.
 *
 * @example
 * new DocsWorkflow(app, 'docs', {
 *   toolchain: Toolchain.python('3.11', { install: 'pip install -r docs/requirements.txt' }),
 *   buildCommands: ['mkdocs build --strict'],
 *   paths: ['docs/**', 'mkdocs.yml'],
 * });
 */
export class DocsWorkflow extends Construct {
  /** The generated workflow. */
  public readonly workflow: Workflow;

  constructor(scope: Construct, id: string, props: DocsWorkflowProps) {
    super(scope, id);
    const branch = props.branch ?? 'main';
    const fileName = props.fileName ?? 'docs.yml';
    const paths = props.paths && props.paths.length > 0 ? [...props.paths, `.github/workflows/${fileName}`] : undefined;
    const triggers = [Trigger.push({ branches: [branch], paths })];
    if (props.pullRequests ?? true) triggers.push(Trigger.pullRequest({ branches: [branch], paths }));
    triggers.push(Trigger.workflowDispatch());
    const publishing = props.publishing ?? PagesPublishing.ACTIONS;
    this.workflow = new Workflow(this, 'Workflow', {
      name: props.name ?? 'Documentation',
      fileName,
      triggers,
      // one publication at a time; a newer one waits instead of cancelling a deployment half-way
      concurrency: { group: `docs-${Expression.github('ref')}`, cancelInProgress: false },
    });

    const site = (props.outputDirectory ?? 'site').replace(/\/+$/, '');
    const tc = props.toolchain;
    const onBranch = Expression.github('ref').eq(`refs/heads/${branch}`).and(Expression.github('event_name').ne('pull_request'));
    const buildSteps: Step[] = [
      ...tc._setupSteps(),
      ...props.buildCommands.filter((c) => c.trim() !== '').map((c) => Step.run(c, { name: c.split('\n')[0], workingDirectory: tc.workingDirectory })),
    ];
    if (publishing === PagesPublishing.ACTIONS) {
      buildSteps.push(Step.uses(Actions.uploadPagesArtifact({ path: `${site}/` }), { name: 'Upload the site', if: onBranch.toString() }));
    } else {
      buildSteps.push(Step.run(`touch ${site}/.nojekyll`, { name: 'Disable Jekyll' }));
      buildSteps.push(Step.uses(Actions.uploadArtifact({ name: SITE_ARTIFACT, path: [`${site}/`], includeHiddenFiles: true, ifNoFilesFound: 'error' }),
        { name: 'Upload the site', if: onBranch.toString() }));
    }
    const build = this.workflow.addJob('build', { name: 'Build the docs', runsOn: props.runsOn, steps: buildSteps });

    const publish = publishing === PagesPublishing.ACTIONS
      ? this.workflow.addJob('deploy', {
        name: 'Publish to GitHub Pages',
        needs: [build.jobId],
        if: onBranch.toString(),
        runsOn: props.runsOn,
        environment: { name: 'github-pages', url: Expression.stepOutput('deployment', 'page_url').toString() },
        steps: [Step.uses(Actions.deployPages(), { id: 'deployment', name: 'Deploy to GitHub Pages' })],
      })
      : this.workflow.addJob('deploy', {
        name: 'Publish to the gh-pages branch',
        needs: [build.jobId],
        if: onBranch.toString(),
        runsOn: props.runsOn,
        steps: [
          Step.uses(Actions.downloadArtifact({ name: SITE_ARTIFACT, path: SITE_ARTIFACT }), { name: 'Download the site' }),
          Step.uses(Actions.ghPages({ githubToken: Expression.secret('GITHUB_TOKEN').toString(), publishDir: `./${SITE_ARTIFACT}` }), { name: 'Push to gh-pages' }),
        ],
      });
    const jobs: JobBase[] = [build, publish];
    addNotifyJob(this.workflow, jobs, props.notifications ?? [], 'Documentation', props.runsOn);

    this.node.addValidation({
      validate: () => {
        const problems = [...notificationProblems(props.notifications ?? [])];
        if (props.buildCommands.length === 0 || props.buildCommands.some((c) => c.trim() === '')) {
          problems.push('build needs non-empty commands, e.g. ["mkdocs build --strict"]');
        }
        if (site === '' || site.startsWith('/') || site === '.') {
          problems.push(`outputDirectory "${props.outputDirectory}" must be the site's directory relative to the repository root, e.g. "site" or "docs/build/html"`);
        }
        if (!/^[A-Za-z0-9._/-]+$/.test(branch)) problems.push(`branch "${branch}" is not a branch name, e.g. "main"`);
        for (const p of props.paths ?? []) if (p.trim() === '') problems.push('paths has an empty pattern');
        return problems;
      },
    });
  }
}
