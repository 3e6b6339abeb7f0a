import { Construct } from 'constructs';
import type { SynthesisSession } from '../../core/synthesis';
import { Toolchain } from '../toolchain';

/** A package ecosystem Dependabot updates. */
export enum DependabotEcosystem {
  /** Actions used in workflows (`uses:`); updates keep the SHA pins and their version comments. */
  GITHUB_ACTIONS = 'github-actions',
  /** pip, pip-compile, Pipenv and Poetry manifests. */
  PIP = 'pip',
  /** uv (`uv.lock`). */
  UV = 'uv',
  /** npm, pnpm and yarn manifests. */
  NPM = 'npm',
  /** Dockerfile base images. */
  DOCKER = 'docker',
  /** Terraform providers and modules. */
  TERRAFORM = 'terraform',
  /** Helm chart dependencies. */
  HELM = 'helm',
}

/** How often Dependabot looks for updates. */
export enum DependabotInterval {
  /** Every weekday. */
  DAILY = 'daily',
  /** Once a week (Monday). */
  WEEKLY = 'weekly',
  /** Once a month. */
  MONTHLY = 'monthly',
}

/** One entry of `updates:`. */
export interface DependabotUpdate {
  /** The ecosystem. */
  readonly ecosystem: DependabotEcosystem;

  /**
   * Directory of the manifests, from the repository root, starting with `/`.
   * @default "/"
   */
  readonly directory?: string;

  /**
   * How often to check.
   * @default - the Dependabot's interval
   */
  readonly interval?: DependabotInterval;

  /**
   * Labels of the pull requests.
   * @default - the Dependabot's labels
   */
  readonly labels?: string[];

  /**
   * Group minor and patch updates of this ecosystem into one pull request.
   * @default - the Dependabot's setting
   */
  readonly groupMinorAndPatch?: boolean;

  /**
   * At most this many open pull requests.
   * @default - the Dependabot's limit
   */
  readonly openPullRequestsLimit?: number;
}

/** Properties of {@link Dependabot}. */
export interface DependabotProps {
  /**
   * Update the actions the workflows use.
   * @default true
   */
  readonly githubActions?: boolean;

  /**
   * The application's toolchain: its ecosystem is updated in its directory
   * (pip for pip and Poetry, uv, npm for npm and pnpm).
   * @default - no language ecosystem
   */
  readonly toolchain?: Toolchain;

  /**
   * Directories with Dockerfiles whose base images to update, e.g. `['/docker']`.
   * @default - none
   */
  readonly dockerDirectories?: string[];

  /**
   * Further updates.
   * @default - none
   */
  readonly updates?: DependabotUpdate[];

  /**
   * How often to check.
   * @default DependabotInterval.WEEKLY
   */
  readonly interval?: DependabotInterval;

  /**
   * Labels of the pull requests.
   * @default - Dependabot's defaults ("dependencies" and the ecosystem)
   */
  readonly labels?: string[];

  /**
   * Group minor and patch updates per ecosystem into one pull request.
   * @default false
   */
  readonly groupMinorAndPatch?: boolean;

  /**
   * At most this many open pull requests per ecosystem.
   * @default - Dependabot's default, 5
   */
  readonly openPullRequestsLimit?: number;
}

/**
 * `.github/dependabot.yml` (version 2): version updates for the workflows'
 * actions and the application's ecosystems.
 * @see https://docs.github.com/en/code-security/dependabot/working-with-dependabot/dependabot-options-reference
 *
 * @example
 * new Dependabot(app, 'dependabot', { toolchain, dockerDirectories: ['/docker'], groupMinorAndPatch: true });
 */
export class Dependabot extends Construct {
  /** The path of the generated file. */
  public static readonly FILE_PATH = '.github/dependabot.yml';

  /** The updates, in order. */
  public readonly updates: DependabotUpdate[];

  private readonly props: DependabotProps;

  constructor(scope: Construct, id: string, props: DependabotProps = {}) {
    super(scope, id);
    this.props = props;
    const updates: DependabotUpdate[] = [];
    if (props.githubActions ?? true) updates.push({ ecosystem: DependabotEcosystem.GITHUB_ACTIONS });
    const tc = props.toolchain;
    if (tc && tc.language !== 'none') {
      const ecosystem = tc.packageManager === 'uv' ? DependabotEcosystem.UV : tc.language === 'node' ? DependabotEcosystem.NPM : DependabotEcosystem.PIP;
      updates.push({ ecosystem, directory: tc.workingDirectory ? `/${tc.workingDirectory}` : '/' });
    }
    for (const d of props.dockerDirectories ?? []) updates.push({ ecosystem: DependabotEcosystem.DOCKER, directory: d });
    updates.push(...(props.updates ?? []));
    this.updates = updates;
    this.node.addValidation({ validate: () => this.problems() });
  }

  /** @internal */
  public _synthesize(session: SynthesisSession): void {
    const p = this.props;
    session.addYaml(this, Dependabot.FILE_PATH, {
      version: 2,
      updates: this.updates.map((u) => {
        const group = u.groupMinorAndPatch ?? p.groupMinorAndPatch ?? false;
        const labels = u.labels ?? p.labels;
        return {
          'package-ecosystem': u.ecosystem,
          'directory': u.directory ?? '/',
          'schedule': { interval: u.interval ?? p.interval ?? DependabotInterval.WEEKLY },
          'labels': labels && labels.length > 0 ? [...labels] : undefined,
          'groups': group ? { [`${u.ecosystem}-minor-and-patch`]: { 'update-types': ['minor', 'patch'] } } : undefined,
          'open-pull-requests-limit': u.openPullRequestsLimit ?? p.openPullRequestsLimit,
        };
      }),
    });
  }

  private problems(): string[] {
    const problems: string[] = [];
    if (this.updates.length === 0) {
      problems.push('has no updates; keep githubActions (the default), or give a toolchain, dockerDirectories or updates');
    }
    const seen = new Set<string>();
    this.updates.forEach((u, i) => {
      const dir = u.directory ?? '/';
      if (!Object.values(DependabotEcosystem).includes(u.ecosystem)) {
        problems.push(`updates[${i}] has ecosystem "${u.ecosystem}", which is not one of ${Object.values(DependabotEcosystem).join(', ')}`);
      }
      if (!dir.startsWith('/')) problems.push(`updates[${i}] (${u.ecosystem}) directory "${dir}" must start with "/" (the repository root), e.g. "/${dir}"`);
      const key = `${u.ecosystem} ${dir}`;
      if (seen.has(key)) problems.push(`updates[${i}] repeats ${u.ecosystem} in "${dir}"; Dependabot rejects two updates of one ecosystem and directory. Merge them`);
      seen.add(key);
      const limit = u.openPullRequestsLimit ?? this.props.openPullRequestsLimit;
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) problems.push(`openPullRequestsLimit must be a whole number ≥ 0, got ${limit}`);
    });
    return [...new Set(problems)];
  }
}
