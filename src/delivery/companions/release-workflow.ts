import { Construct } from 'constructs';
import { addNotifyJob, notificationProblems } from './notify-job';
import { Actions } from '../../github/actions/actions';
import { Expression } from '../../github/expression';
import { JobBase } from '../../github/job-base';
import { PermissionLevel } from '../../github/permissions';
import { RunsOn } from '../../github/runs-on';
import { Step } from '../../github/step';
import { Trigger } from '../../github/trigger';
import { Workflow } from '../../github/workflow';
import { Notification } from '../notification';
import { Secret } from '../secret';
import { pinnedRequirement, TOOL_VERSIONS } from '../tool-versions';
import { Toolchain } from '../toolchain';

/** Options of {@link PackageRegistry.pypi}. */
export interface PypiRegistryOptions {
  /**
   * An API token. Without one, the job publishes through PyPI trusted
   * publishing (OIDC, `id-token: write`): register this repository, the
   * workflow file and the environment as a trusted publisher on PyPI.
   * @default - trusted publishing
   */
  readonly token?: Secret;

  /**
   * Upload URL of another index, e.g. `https://test.pypi.org/legacy/`.
   * @default - PyPI
   */
  readonly repositoryUrl?: string;

  /**
   * The GitHub environment of the publish job (its protection rules apply;
   * trusted publishers can be bound to it).
   * @default "pypi"
   */
  readonly environment?: string;
}

/** Options of {@link PackageRegistry.npm}. */
export interface NpmRegistryOptions {
  /** The npm access token (`NODE_AUTH_TOKEN`). */
  readonly token: Secret;

  /**
   * Publish with provenance (`--provenance`, `id-token: write`).
   * @default true
   */
  readonly provenance?: boolean;

  /**
   * Package access: `public` or `restricted` (`--access`).
   * @default - npm's default (public for unscoped packages)
   */
  readonly access?: string;

  /**
   * The GitHub environment of the publish job.
   * @default "npm"
   */
  readonly environment?: string;
}

/** Where a release is published. */
export class PackageRegistry {
  /** PyPI (or another Python index) through pypa/gh-action-pypi-publish. */
  public static pypi(options: PypiRegistryOptions = {}): PackageRegistry {
    const problems = options.token !== undefined && !(options.token instanceof Secret)
      ? ['registry token must be a GitHub secret, e.g. Secret.github(\'PYPI_API_TOKEN\'), never a literal']
      : [];
    return new PackageRegistry('python', options.environment ?? 'pypi', problems, () => [
      Step.uses(Actions.pypiPublish({
        packagesDir: 'dist/',
        repositoryUrl: options.repositoryUrl,
        password: options.token?.expression,
      }), { name: `Publish to ${options.repositoryUrl ?? 'PyPI'}` }),
    ]);
  }

  /** The npm registry: every packed tarball is published with `npm publish`. */
  public static npm(options: NpmRegistryOptions): PackageRegistry {
    const problems = !(options.token instanceof Secret)
      ? ['registry token must be a GitHub secret, e.g. Secret.github(\'NPM_TOKEN\'), never a literal']
      : [];
    if (options.access !== undefined && !['public', 'restricted'].includes(options.access)) {
      problems.push(`access must be "public" or "restricted", got "${options.access}"`);
    }
    const provenance = options.provenance ?? true;
    const flags = [provenance ? ' --provenance' : '', options.access ? ` --access ${options.access}` : ''].join('');
    return new PackageRegistry('node', options.environment ?? 'npm', problems, () => [
      Step.uses(Actions.setupNode({ nodeVersion: 'lts/*', registryUrl: 'https://registry.npmjs.org' }), { name: 'Set up Node.js for npm' }),
      Step.run(`for tarball in dist/*.tgz; do\n  npm publish "$tarball"${flags}\ndone`, {
        name: 'Publish to npm',
        env: { NODE_AUTH_TOKEN: options.token instanceof Secret ? options.token.expression : '' },
      }),
    ], provenance);
  }

  /** The language whose packages it takes: `python` or `node`. */
  public readonly language: string;
  /** The publish job's GitHub environment. */
  public readonly environment: string;

  private constructor(language: string, environment: string, private readonly problems: string[],
    private readonly steps: () => Step[], private readonly oidc = false) {
    this.language = language;
    this.environment = environment;
  }

  /** @internal */
  public _problems(): string[] {
    return [...this.problems];
  }

  /** The publish steps, run with the distributions in `dist/`. @internal */
  public _steps(): Step[] {
    return this.steps();
  }

  /** Whether publishing needs an OIDC token beyond what its actions declare. @internal */
  public get _needsIdToken(): boolean {
    return this.oidc;
  }
}

/** Properties of {@link ReleaseWorkflow}. */
export interface ReleaseWorkflowProps {
  /** The toolchain that builds the packages. */
  readonly toolchain: Toolchain;

  /**
   * Commands that build the distributions.
   * @default - Python: `poetry build`, `uv build` or `python -m build` (by package manager; pip installs build 1.5.1 first); Node.js: `npm pack` (`pnpm pack` with pnpm) into `dist`
   */
  readonly buildCommands?: string[];

  /**
   * Directories the build writes distributions to, relative to the
   * repository root; their files are published and attached to the release,
   * e.g. `['packages/common/dist', 'packages/utils/dist']`.
   * @default ["dist"] inside the toolchain's working directory
   */
  readonly distDirectories?: string[];

  /**
   * Tag patterns that start a release.
   * @default ["v*.*.*"]
   */
  readonly tags?: string[];

  /**
   * Also release when a GitHub release is published by hand (`release:
   * published`). Releases this workflow creates do not start it again
   * (events caused by the workflow token start no workflows).
   * @default false
   */
  readonly onReleasePublished?: boolean;

  /**
   * The package registry to publish to.
   * @default - no publishing; only the GitHub release
   */
  readonly registry?: PackageRegistry;

  /**
   * Create a GitHub release for the tag, with the distributions attached
   * and generated notes. A tag with a `-` (`v1.2.0-rc.1`) makes a prerelease.
   * @default true
   */
  readonly githubRelease?: boolean;

  /**
   * Further files (globs) to attach to the GitHub release.
   * @default - none besides the distributions
   */
  readonly releaseFiles?: string[];

  /**
   * Notifications about the release.
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
   * @default "Release"
   */
  readonly name?: string;

  /**
   * The file name under `.github/workflows/`.
   * @default "release.yml"
   */
  readonly fileName?: string;
}

const ARTIFACT = 'distributions';

/**
 * Releases on version tags: builds the distributions once, publishes them
 * to a package registry (PyPI through trusted publishing by default, or
 * npm), and creates a GitHub release with them attached and generated
 * notes. Build, publish and release are separate jobs, so only the publish
 * job can mint an OIDC token and only the release job can write contents.
 *
 * @example
 * new ReleaseWorkflow(app, 'release', {
 *   toolchain: Toolchain.python('3.11', { packageManager: PythonPackageManager.POETRY }),
 *   registry: PackageRegistry.pypi(),
 * });
 */
export class ReleaseWorkflow extends Construct {
  /** The generated workflow. */
  public readonly workflow: Workflow;

  constructor(scope: Construct, id: string, props: ReleaseWorkflowProps) {
    super(scope, id);
    const tc = props.toolchain;
    const tags = props.tags ?? ['v*.*.*'];
    // an empty list is this construct's own problem (reported above), not the trigger's as well
    const triggers = [Trigger.push({ tags: tags.length ? tags : undefined })];
    if (props.onReleasePublished) triggers.push(Trigger.release({ types: ['published'] }));
    this.workflow = new Workflow(this, 'Workflow', {
      name: props.name ?? 'Release',
      fileName: props.fileName ?? 'release.yml',
      triggers,
      // two releases of one tag must not race
      concurrency: { group: `release-${Expression.github('ref_name')}`, cancelInProgress: false },
    });

    const dists = props.distDirectories ?? [tc._path('dist')];
    const build = props.buildCommands ?? defaultBuild(tc);
    const collect = dists.length === 1 && dists[0] === 'dist' ? [] : [Step.run(
      ['mkdir -p release-dist', ...dists.map((d) => `cp -R ${d}/. release-dist/`)].join('\n'),
      { name: 'Collect the distributions' })];
    const distDir = collect.length > 0 ? 'release-dist/' : 'dist/';
    const buildJob = this.workflow.addJob('build', {
      name: 'Build distributions',
      runsOn: props.runsOn,
      steps: [
        // no dependency cache: what is published is built from the registry's packages, not from a cache another run wrote
        ...tc._setupSteps(undefined, { fetchDepth: 0, noCache: true }),
        ...build.map((c) => Step.run(c, { name: c.split('\n')[0], workingDirectory: tc.workingDirectory })),
        ...collect,
        Step.uses(Actions.uploadArtifact({ name: ARTIFACT, path: [distDir], ifNoFilesFound: 'error' }), { name: 'Upload the distributions' }),
      ],
    });
    const download = () => Step.uses(Actions.downloadArtifact({ name: ARTIFACT, path: 'dist/' }), { name: 'Download the distributions' });

    const jobs: JobBase[] = [buildJob];
    let previous: JobBase = buildJob;
    if (props.registry) {
      const registry = props.registry;
      previous = this.workflow.addJob('publish', {
        name: 'Publish',
        needs: [buildJob.jobId],
        runsOn: props.runsOn,
        environment: { name: registry.environment },
        permissions: registry._needsIdToken ? { contents: PermissionLevel.READ, idToken: PermissionLevel.WRITE } : undefined,
        steps: [download(), ...registry._steps()],
      });
      jobs.push(previous);
    }
    if (props.githubRelease ?? true) {
      jobs.push(this.workflow.addJob('github-release', {
        name: 'GitHub release',
        needs: [previous.jobId],
        runsOn: props.runsOn,
        steps: [
          download(),
          Step.uses(Actions.ghRelease({
            files: ['dist/*', ...(props.releaseFiles ?? [])],
            generateReleaseNotes: true,
          }).withInputs({ prerelease: Expression.call('contains', Expression.github('ref_name'), '-').toString() }), { name: 'Create the GitHub release' }),
        ],
      }));
    }
    addNotifyJob(this.workflow, jobs, props.notifications ?? [], `Release ${Expression.github('ref_name')}`, props.runsOn);

    this.node.addValidation({
      validate: () => {
        const problems = [...notificationProblems(props.notifications ?? [])];
        if (tags.length === 0) problems.push('tags is empty; give at least one tag pattern, e.g. ["v*.*.*"]');
        if (build.length === 0 || build.some((c) => c.trim() === '')) problems.push('build needs non-empty commands, e.g. ["poetry build"]');
        for (const d of dists) {
          if (d.trim() === '' || d.startsWith('/')) problems.push(`distDirectories has "${d}"; give paths relative to the repository root, e.g. "dist"`);
        }
        if (tc.language === 'none') problems.push('toolchain is Toolchain.none(); a release builds packages, so give Toolchain.python(...) or Toolchain.node(...)');
        if (props.registry) {
          problems.push(...props.registry._problems());
          if (tc.language !== 'none' && props.registry.language !== tc.language) {
            problems.push(`registry takes ${props.registry.language} packages, but the toolchain is ${tc.language}; use ${tc.language === 'python' ? 'PackageRegistry.pypi()' : 'PackageRegistry.npm({...})'}`);
          }
        }
        if (!props.registry && props.githubRelease === false) {
          problems.push('has neither a registry nor a GitHub release (githubRelease: false), so it would release nothing; set "registry" or drop githubRelease: false');
        }
        return problems;
      },
    });
  }
}

function defaultBuild(tc: Toolchain): string[] {
  switch (tc.packageManager) {
    case 'poetry': return ['poetry build'];
    case 'uv': return ['uv build'];
    case 'pip': return [`python -m pip install ${pinnedRequirement('build', TOOL_VERSIONS.build)}`, 'python -m build'];
    case 'npm': return ['mkdir -p dist && npm pack --pack-destination dist'];
    case 'pnpm': return ['mkdir -p dist && pnpm pack --pack-destination dist'];
    default: return [];
  }
}
