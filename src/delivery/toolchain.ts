import { pinnedRequirement, TOOL_VERSIONS, toolVersionProblems } from './tool-versions';
import { invalid } from '../core/strict';
import { Actions } from '../github/actions/actions';
import { Step } from '../github/step';

/** How a Python project installs its dependencies. */
export enum PythonPackageManager {
  /** pip with a requirements file; setup-python caches pip's downloads. */
  PIP = 'pip',
  /** Poetry (installed with snok/install-poetry); the in-project `.venv` is cached by `poetry.lock`. */
  POETRY = 'poetry',
  /** uv (installed with pip); uv's cache is cached by `uv.lock`. */
  UV = 'uv',
}

/** How a Node.js project installs its dependencies. */
export enum NodePackageManager {
  /** npm with `package-lock.json`; setup-node caches npm's downloads. */
  NPM = 'npm',
  /** pnpm (enabled through corepack); the pnpm store is cached by `pnpm-lock.yaml`. */
  PNPM = 'pnpm',
}

/** Options of {@link Toolchain.python}. */
export interface PythonToolchainOptions {
  /**
   * The package manager.
   * @default - inferred from `install` when it starts with `poetry ` or `uv `; else PythonPackageManager.PIP
   */
  readonly packageManager?: PythonPackageManager;

  /**
   * The command that installs the project's dependencies, e.g.
   * `poetry install --with dev`.
   * @default - pip: `python -m pip install -r requirements.txt`; poetry: `poetry install --no-interaction`; uv: `uv sync --locked`
   */
  readonly install?: string;

  /**
   * Whether dependencies are cached between runs.
   * @default true
   */
  readonly cache?: boolean;

  /**
   * Directory of the project (where `pyproject.toml` and the lock file are),
   * relative to the repository root. The install and the checks run there.
   * @default - the repository root
   */
  readonly workingDirectory?: string;

  /**
   * Files whose hash keys the pip cache (setup-python's
   * `cache-dependency-path`). Only used with pip.
   * @default - setup-python's default: the requirements files and `pyproject.toml`
   */
  readonly cacheDependencyPath?: string[];

  /**
   * The Poetry version to install, e.g. `1.8.3`. Only used with Poetry.
   * @default - the version slipway is tested with (2.4.1 in this release)
   */
  readonly poetryVersion?: string;

  /**
   * The uv version to install (with `==`), e.g. `0.8.0`. Only used with uv.
   * @default - the version slipway is tested with (0.12.5 in this release)
   */
  readonly uvVersion?: string;
}

/** Options of {@link Toolchain.node}. */
export interface NodeToolchainOptions {
  /**
   * The package manager.
   * @default - inferred from `install` when it starts with `pnpm `; else NodePackageManager.NPM
   */
  readonly packageManager?: NodePackageManager;

  /**
   * The command that installs the project's dependencies.
   * @default - npm: `npm ci`; pnpm: `pnpm install --frozen-lockfile`
   */
  readonly install?: string;

  /**
   * Whether dependencies are cached between runs.
   * @default true
   */
  readonly cache?: boolean;

  /**
   * Directory of the project (where `package.json` and the lock file are),
   * relative to the repository root. The install and the checks run there.
   * @default - the repository root
   */
  readonly workingDirectory?: string;

  /**
   * The pnpm version corepack activates, e.g. `9.12.0`. Only used with pnpm.
   * @default - the `packageManager` field of `package.json`, else corepack's default
   */
  readonly pnpmVersion?: string;

  /**
   * The npm registry to authenticate against when publishing
   * (setup-node's `registry-url`).
   * @default - none
   */
  readonly registryUrl?: string;
}

/** Internal options of {@link Toolchain._setupSteps}. @internal */
export interface SetupStepOptions {
  /** Checkout fetch depth (0: full history). */
  readonly fetchDepth?: number;
  /** Leave out the dependency install (e.g. a docs build with its own requirements). */
  readonly skipInstall?: boolean;
  /** Only check the repository out. */
  readonly checkoutOnly?: boolean;
  /**
   * Restore and save no dependency cache, whatever the toolchain says: a job
   * that publishes must not build from files another run could have cached.
   */
  readonly noCache?: boolean;
}

const VERSION = /^[A-Za-z0-9.*x+\-/]+$/;

/** The run steps of toolchain setups (install, package manager, venv on the PATH). */
const SETUP_RUN_STEPS = new WeakSet<Step>();

/**
 * Whether a step is a run step of a toolchain setup. Such a step belongs in
 * the toolchain's directory, whatever directory a check runs its own
 * commands in.
 * @internal
 */
export function isToolchainSetupStep(step: Step): boolean {
  return SETUP_RUN_STEPS.has(step);
}

/**
 * The language, version and package manager every job of a pipeline sets
 * up: checkout, setup-python or setup-node with dependency caching, the
 * package manager, and the dependency install.
 *
 * Python projects installed with Poetry or uv get their `.venv` put on the
 * `PATH`, so check commands run the project's tools directly (`pytest`, not
 * `poetry run pytest`; both work).
 *
 * @example
 * Toolchain.python('3.11', { install: 'poetry install --with dev' });
 * Toolchain.python('3.13', { packageManager: PythonPackageManager.UV });
 * Toolchain.node('20', { packageManager: NodePackageManager.PNPM });
 */
export class Toolchain {
  /**
   * Python.
   * @param version the Python version, e.g. `3.11` (a string: `'3.10'`, not `3.1`)
   */
  public static python(version: string, options: PythonToolchainOptions = {}): Toolchain {
    const install = options.install;
    const manager = options.packageManager
      ?? (install && /^poetry\s/.test(install.trim()) ? PythonPackageManager.POETRY
        : install && /^uv\s/.test(install.trim()) ? PythonPackageManager.UV
          : PythonPackageManager.PIP);
    const defaultInstall = {
      [PythonPackageManager.PIP]: 'python -m pip install -r requirements.txt',
      [PythonPackageManager.POETRY]: 'poetry install --no-interaction',
      [PythonPackageManager.UV]: 'uv sync --locked',
    }[manager];
    return new Toolchain('python', version, manager, install ?? defaultInstall, options.cache ?? true, options.workingDirectory, options);
  }

  /**
   * Node.js.
   * @param version the Node.js version, e.g. `20` or `22.x`
   */
  public static node(version: string, options: NodeToolchainOptions = {}): Toolchain {
    const install = options.install;
    const manager = options.packageManager
      ?? (install && /^pnpm\s/.test(install.trim()) ? NodePackageManager.PNPM : NodePackageManager.NPM);
    const defaultInstall = manager === NodePackageManager.PNPM ? 'pnpm install --frozen-lockfile' : 'npm ci';
    return new Toolchain('node', version, manager, install ?? defaultInstall, options.cache ?? true, options.workingDirectory, options);
  }

  /** No language setup: jobs only check the repository out. */
  public static none(): Toolchain {
    return new Toolchain('none', '', 'none', undefined, false, undefined, {});
  }

  /** `python`, `node` or `none`. */
  public readonly language: string;
  /** The language version (`''` for `none`). */
  public readonly version: string;
  /** `pip`, `poetry`, `uv`, `npm`, `pnpm` or `none`. */
  public readonly packageManager: string;
  /** The dependency install command, if any. */
  public readonly install?: string;
  /** Whether dependencies are cached. */
  public readonly cache: boolean;
  /** The project directory, if not the repository root. */
  public readonly workingDirectory?: string;

  private readonly options: PythonToolchainOptions | NodeToolchainOptions;

  private constructor(language: string, version: string, packageManager: string, install: string | undefined,
    cacheDependencies: boolean, workingDirectory: string | undefined, options: PythonToolchainOptions | NodeToolchainOptions) {
    if (language !== 'none' && (version.trim() === '' || !VERSION.test(version))) {
      invalid(this, `Toolchain.${language}: version "${version}" is not a version; pass e.g. ${language === 'python' ? '"3.12"' : '"20"'}`);
    }
    if (install !== undefined && install.trim() === '') {
      invalid(this, `Toolchain.${language}: "install" is empty; leave it out for the default (${packageManager}) or give the command`);
    }
    if (workingDirectory !== undefined && (workingDirectory.trim() === '' || workingDirectory.startsWith('/'))) {
      invalid(this, `Toolchain.${language}: workingDirectory "${workingDirectory}" must be a path relative to the repository root, e.g. "backend"`);
    }
    const py = options as PythonToolchainOptions;
    for (const p of [...toolVersionProblems('poetryVersion', py.poetryVersion), ...toolVersionProblems('uvVersion', py.uvVersion)]) invalid(this, `Toolchain.${language}: ${p}`);
    this.language = language;
    this.version = version;
    this.packageManager = packageManager;
    this.install = install;
    this.cache = cacheDependencies;
    this.workingDirectory = workingDirectory === '.' ? undefined : workingDirectory?.replace(/\/+$/, '');
    this.options = options;
  }

  private get py(): PythonToolchainOptions {
    return this.options as PythonToolchainOptions;
  }

  private get js(): NodeToolchainOptions {
    return this.options as NodeToolchainOptions;
  }

  /** The variable part of a matrix axis for this toolchain: `python-version`, `node-version` or `version`. @internal */
  public get _versionAxis(): string {
    return this.language === 'none' ? 'version' : `${this.language}-version`;
  }

  /**
   * A command that installs Python packages into the environment the checks
   * use (`uv pip install` in a uv project, whose `.venv` has no pip).
   * @internal
   */
  public _pipInstall(packages: string[]): string {
    const args = packages.map((p) => (/^[A-Za-z0-9._=<>~!-]+$/.test(p) ? p : `"${p}"`)).join(' ');
    return this.packageManager === PythonPackageManager.UV ? `uv pip install ${args}` : `python -m pip install ${args}`;
  }

  /** `path` inside the project directory. @internal */
  public _path(path: string): string {
    return this.workingDirectory ? `${this.workingDirectory}/${path}` : path;
  }

  /**
   * Checkout, language setup with dependency caching, the package manager
   * and the install.
   * @param versionOverride a version (usually `${{ matrix.python-version }}`) instead of the toolchain's
   * @internal
   */
  public _setupSteps(versionOverride?: string, options: SetupStepOptions = {}): Step[] {
    const steps = [Step.uses(Actions.checkout({ fetchDepth: options.fetchDepth }), { name: 'Check out the repository' })];
    if (options.checkoutOnly) return steps;
    const version = versionOverride ?? this.version;
    const cache = this.cache && options.noCache !== true;
    if (this.language === 'python') steps.push(...this.pythonSteps(version, options.skipInstall === true, cache));
    if (this.language === 'node') steps.push(...this.nodeSteps(version, options.skipInstall === true, cache));
    return steps;
  }

  private run(script: string, name: string, extra: { id?: string; shell?: string; env?: { [name: string]: string } } = {}): Step {
    const step = Step.run(script, { name, workingDirectory: this.workingDirectory, ...extra });
    SETUP_RUN_STEPS.add(step);
    return step;
  }

  private pythonSteps(version: string, skipInstall: boolean, cache: boolean): Step[] {
    const steps: Step[] = [];
    const usePipCache = cache && this.packageManager === PythonPackageManager.PIP;
    steps.push(Step.uses(Actions.setupPython({
      pythonVersion: version,
      cache: usePipCache ? 'pip' : undefined,
      cacheDependencyPath: usePipCache ? this.pipCachePaths() : undefined,
    }), { name: `Set up Python ${version}` }));
    if (skipInstall) return steps;

    if (this.packageManager === PythonPackageManager.POETRY) {
      const poetryVersion = this.py.poetryVersion ?? TOOL_VERSIONS.poetry;
      const poetry = Actions.installPoetry({ version: poetryVersion, virtualenvsCreate: true, virtualenvsInProject: true });
      steps.push(Step.uses(poetry, { name: 'Install Poetry' }));
      if (cache) {
        steps.push(Step.uses(Actions.cache({
          path: [this._path('.venv')],
          key: `venv-\${{ runner.os }}-python-${version}-\${{ hashFiles('${this._path('poetry.lock')}') }}`,
        }), { name: 'Cache the virtual environment' }));
      }
    }
    const uvEnv = this.packageManager === PythonPackageManager.UV && cache ? { UV_CACHE_DIR: '${{ runner.temp }}/uv-cache' } : undefined;
    if (this.packageManager === PythonPackageManager.UV) {
      steps.push(this.run(`python -m pip install ${pinnedRequirement('uv', this.py.uvVersion ?? TOOL_VERSIONS.uv)}`, 'Install uv'));
      if (cache) {
        steps.push(Step.uses(Actions.cache({
          path: ['${{ runner.temp }}/uv-cache'],
          key: `uv-\${{ runner.os }}-python-${version}-\${{ hashFiles('${this._path('uv.lock')}') }}`,
          restoreKeys: [`uv-\${{ runner.os }}-python-${version}-`],
        }), { name: 'Cache uv downloads' }));
      }
    }
    steps.push(this.run(this.install!, 'Install dependencies', { env: uvEnv }));
    if (this.packageManager !== PythonPackageManager.PIP) {
      steps.push(this.run(ACTIVATE_VENV, 'Use the project virtual environment', { shell: 'python' }));
    }
    return steps;
  }

  private pipCachePaths(): string[] | undefined {
    if (this.py.cacheDependencyPath) return [...this.py.cacheDependencyPath];
    if (!this.workingDirectory) return undefined;
    return [this._path('requirements*.txt'), this._path('pyproject.toml')];
  }

  private nodeSteps(version: string, skipInstall: boolean, cache: boolean): Step[] {
    const steps: Step[] = [];
    const npm = this.packageManager === NodePackageManager.NPM;
    steps.push(Step.uses(Actions.setupNode({
      nodeVersion: version,
      cache: npm && cache ? 'npm' : undefined,
      cacheDependencyPath: npm && cache && this.workingDirectory ? [this._path('package-lock.json')] : undefined,
      registryUrl: this.js.registryUrl,
    }), { name: `Set up Node.js ${version}` }));
    if (skipInstall) return steps;
    if (!npm) {
      const prepare = this.js.pnpmVersion ? `\ncorepack prepare pnpm@${this.js.pnpmVersion} --activate` : '';
      steps.push(this.run(`corepack enable${prepare}`, 'Enable pnpm'));
      if (cache) {
        steps.push(this.run('echo "path=$(pnpm store path --silent)" >> "$GITHUB_OUTPUT"', 'Locate the pnpm store', { id: 'pnpm-store', shell: 'bash' }));
        steps.push(Step.uses(Actions.cache({
          path: ['${{ steps.pnpm-store.outputs.path }}'],
          key: `pnpm-\${{ runner.os }}-\${{ hashFiles('${this._path('pnpm-lock.yaml')}') }}`,
          restoreKeys: ['pnpm-${{ runner.os }}-'],
        }), { name: 'Cache the pnpm store' }));
      }
    }
    steps.push(this.run(this.install!, 'Install dependencies'));
    return steps;
  }
}

/**
 * Puts the in-project `.venv` (Poetry with virtualenvs-in-project, uv) on the
 * PATH of later steps, on Linux, macOS and Windows alike.
 */
const ACTIVATE_VENV = [
  'import os',
  "venv = os.path.abspath('.venv')",
  "bin_dir = os.path.join(venv, 'Scripts' if os.name == 'nt' else 'bin')",
  "with open(os.environ['GITHUB_PATH'], 'a') as f:",
  "    f.write(bin_dir + '\\n')",
  "with open(os.environ['GITHUB_ENV'], 'a') as f:",
  "    f.write('VIRTUAL_ENV=' + venv + '\\n')",
].join('\n');
