/**
 * Inputs of `actions/checkout`.
 * @see https://github.com/actions/checkout#usage
 */
export interface CheckoutProps {
  /**
   * Repository to check out, `owner/repo` (`repository`).
   * @default - the repository of the workflow
   */
  readonly repository?: string;

  /**
   * Branch, tag or SHA to check out (`ref`).
   * @default - the ref or SHA that triggered the workflow
   */
  readonly ref?: string;

  /**
   * Token used to fetch the repository (`token`).
   * @default "${{ github.token }}"
   */
  readonly token?: string;

  /**
   * SSH key used to fetch the repository (`ssh-key`).
   * @default - none; the token is used
   */
  readonly sshKey?: string;

  /**
   * Whether to keep the token or SSH key in the local git config, for later
   * git commands of the job (`persist-credentials`). slipway turns it off
   * unless asked: a job that never pushes should not leave a token in
   * `.git/config`, where every later step (and anything that uploads the
   * workspace) can read it. Set `true` in a job that runs `git push`.
   * @default false (the action's own default is true)
   * @see https://github.com/actions/checkout#usage
   */
  readonly persistCredentials?: boolean;

  /**
   * Path under `$GITHUB_WORKSPACE` to place the repository (`path`).
   * @default - the workspace itself
   */
  readonly path?: string;

  /**
   * Whether to run `git clean -ffdx && git reset --hard HEAD` before
   * fetching (`clean`).
   * @default true
   */
  readonly clean?: boolean;

  /**
   * Partial clone filter, e.g. `blob:none` (`filter`).
   * @default - none
   */
  readonly filter?: string;

  /**
   * Sparse checkout patterns, one per line (`sparse-checkout`).
   * @default - the whole tree
   */
  readonly sparseCheckout?: string[];

  /**
   * Number of commits to fetch; 0 fetches all history for all branches and
   * tags (`fetch-depth`).
   * @default 1
   */
  readonly fetchDepth?: number;

  /**
   * Whether to fetch tags even when `fetchDepth` > 0 (`fetch-tags`).
   * @default false
   */
  readonly fetchTags?: boolean;

  /**
   * Whether to download Git LFS files (`lfs`).
   * @default false
   */
  readonly lfs?: boolean;

  /**
   * Whether to check out submodules: `true`, `false` or `recursive`
   * (`submodules`).
   * @default "false"
   */
  readonly submodules?: string;

  /**
   * Whether to add the repository path as a git `safe.directory`
   * (`set-safe-directory`).
   * @default true
   */
  readonly setSafeDirectory?: boolean;
}

/**
 * Inputs of `actions/setup-python`.
 * @see https://github.com/actions/setup-python#usage
 */
export interface SetupPythonProps {
  /**
   * Python version or range, e.g. `3.12`, `3.x`, `pypy3.10`
   * (`python-version`). Quote it in YAML terms: pass `'3.10'`, not `3.1`.
   * @default - the version in `pythonVersionFile`, else the runner's Python
   */
  readonly pythonVersion?: string;

  /**
   * File to read the version from, e.g. `.python-version`
   * (`python-version-file`).
   * @default - none
   */
  readonly pythonVersionFile?: string;

  /**
   * Package manager whose cache to save and restore: `pip`, `pipenv` or
   * `poetry` (`cache`).
   * @default - no caching
   */
  readonly cache?: string;

  /**
   * Dependency files whose hash keys the cache, one per line
   * (`cache-dependency-path`).
   * @default - the package manager's lock files
   */
  readonly cacheDependencyPath?: string[];

  /**
   * Target architecture: `x86`, `x64` or `arm64` (`architecture`).
   * @default - the runner's
   */
  readonly architecture?: string;

  /**
   * Whether to check for the latest version matching `pythonVersion`
   * (`check-latest`).
   * @default false
   */
  readonly checkLatest?: boolean;

  /**
   * Whether prerelease versions may satisfy `pythonVersion`
   * (`allow-prereleases`).
   * @default false
   */
  readonly allowPrereleases?: boolean;

  /**
   * Whether to set environment variables (`pythonLocation`, `PKG_CONFIG_PATH`)
   * for the installed Python (`update-environment`).
   * @default true
   */
  readonly updateEnvironment?: boolean;
}

/**
 * Inputs of `actions/setup-node`.
 * @see https://github.com/actions/setup-node#usage
 */
export interface SetupNodeProps {
  /**
   * Node.js version or range, e.g. `20`, `22.x`, `lts/*` (`node-version`).
   * @default - the version in `nodeVersionFile`, else the runner's Node.js
   */
  readonly nodeVersion?: string;

  /**
   * File to read the version from, e.g. `.nvmrc` (`node-version-file`).
   * @default - none
   */
  readonly nodeVersionFile?: string;

  /**
   * Package manager whose cache to save and restore: `npm`, `yarn` or `pnpm`
   * (`cache`).
   * @default - no caching (v6: npm caching when package.json names npm)
   */
  readonly cache?: string;

  /**
   * Dependency files whose hash keys the cache, one per line
   * (`cache-dependency-path`).
   * @default - the package manager's lock file
   */
  readonly cacheDependencyPath?: string[];

  /**
   * Registry to set up for auth, e.g. `https://registry.npmjs.org`
   * (`registry-url`).
   * @default - none
   */
  readonly registryUrl?: string;

  /**
   * Scope for the registry, e.g. `@octocat` (`scope`).
   * @default - none
   */
  readonly scope?: string;

  /**
   * Target architecture: `x86`, `x64` or `arm64` (`architecture`).
   * @default - the runner's
   */
  readonly architecture?: string;

  /**
   * Whether to check for the latest version matching `nodeVersion`
   * (`check-latest`).
   * @default false
   */
  readonly checkLatest?: boolean;
}

/**
 * Inputs of `actions/cache`.
 * @see https://github.com/actions/cache#inputs
 */
export interface CacheProps {
  /**
   * Files, directories and globs to cache, one per line (`path`).
   */
  readonly path: string[];

  /**
   * The key to save and restore the cache with (`key`).
   */
  readonly key: string;

  /**
   * Prefixes of keys to restore from when `key` misses, in order
   * (`restore-keys`).
   * @default - none
   */
  readonly restoreKeys?: string[];

  /**
   * Whether a cache saved on Windows may be restored on other systems and
   * vice versa (`enableCrossOsArchive`).
   * @default false
   */
  readonly enableCrossOsArchive?: boolean;

  /**
   * Whether to fail the job when no cache entry is found
   * (`fail-on-cache-miss`).
   * @default false
   */
  readonly failOnCacheMiss?: boolean;

  /**
   * Whether to only check that an entry exists, without downloading it
   * (`lookup-only`).
   * @default false
   */
  readonly lookupOnly?: boolean;
}

/**
 * Inputs of `snok/install-poetry`.
 * @see https://github.com/snok/install-poetry#usage
 */
export interface InstallPoetryProps {
  /**
   * Poetry version, e.g. `1.8.3` (`version`).
   * @default - the latest release
   */
  readonly version?: string;

  /**
   * Whether Poetry creates virtual environments (`virtualenvs-create`).
   * @default true
   */
  readonly virtualenvsCreate?: boolean;

  /**
   * Whether the virtual environment is created in the project's `.venv`
   * (`virtualenvs-in-project`).
   * @default false
   */
  readonly virtualenvsInProject?: boolean;

  /**
   * Where virtual environments are created (`virtualenvs-path`).
   * @default "{cache-dir}/virtualenvs"
   */
  readonly virtualenvsPath?: string;

  /**
   * Whether Poetry installs packages in parallel (`installer-parallel`).
   * @default true
   */
  readonly installerParallel?: boolean;

  /**
   * Poetry plugins to install, space-separated (`plugins`).
   * @default - none
   */
  readonly plugins?: string;
}
