import { isImageTag } from '../github/actions/lock-file';

/**
 * The exact versions of the tools slipway's generated steps install (with pip,
 * and Poetry with its installer action) when the definition names no version;
 * each check's or toolchain's version option overrides its entry. A tool
 * installed without a version is whatever PyPI serves on the day the job runs: a compromised or broken release would
 * reach every pipeline at once, and two runs of the same commit could differ.
 *
 * How they were chosen: the newest stable release tag of each project's
 * repository (pre-releases and stray tags left out), read from the tags of a
 * copy of the repository (`git tag --sort=-v:refname`) on 2026-11-27:
 *
 * | tool | repository | tag | tag date |
 * |---|---|---|---|
 * | checkov | bridgecrewio/checkov | 3.3.13 | 2026-08-20 |
 * | locust | locustio/locust | 2.46.3 | 2026-08-01 |
 * | bandit | PyCQA/bandit | 1.9.4 | 2026-02-22 |
 * | safety | pyupio/safety | 3.8.1 | 2026-05-27 (its tag 3.12.13, from 2024-12, is not a release) |
 * | pip-audit | pypa/pip-audit | v2.10.1 | 2026-06-10 |
 * | build | pypa/build | 1.5.1 | 2026-07-09 |
 * | uv | astral-sh/uv | 0.12.5 | 2026-08-14 |
 * | poetry | python-poetry/poetry | 2.4.1 | 2026-05-09 |
 *
 * Update them together, from the same source, and say so in the changelog:
 * a default that shows up in the output is part of the API.
 * @internal
 */
export const TOOL_VERSIONS = {
  /** `IacScanner.checkov()`; override: `CheckovOptions.version`. */
  checkov: '3.3.13',
  /** `Check.loadTest()` with Locust; override: `LoadTestOptions.toolVersion`. */
  locust: '2.46.3',
  /** `Scanner.bandit()`; override: `BanditOptions.version`. */
  bandit: '1.9.4',
  /** `Scanner.safety()`; override: `SafetyOptions.version`. */
  safety: '3.8.1',
  /** `Scanner.pipAudit()`; override: `PipAuditOptions.version`. */
  pipAudit: '2.10.1',
  /** The default build of a pip release (`python -m build`); override: `ReleaseWorkflowProps.buildCommands`. */
  build: '1.5.1',
  /** `Toolchain.python()` with uv; override: `PythonToolchainOptions.uvVersion`. */
  uv: '0.12.5',
  /** `Toolchain.python()` with Poetry (`snok/install-poetry`); override: `PythonToolchainOptions.poetryVersion`. */
  poetry: '2.4.1',
} as const;

/**
 * A pip requirement pinned to one exact version: `name==version` (`bandit[toml]==1.9.4`).
 * @internal
 */
export function pinnedRequirement(name: string, version: string): string {
  return `${name}==${version}`;
}

/**
 * Problems of a tool version option: it is pasted into a `pip install` command,
 * so it must be one exact version (`1.2.3`, `2.0.0rc1`, `1.0.post1`).
 * @internal
 */
export function toolVersionProblems(prop: string, version: string | undefined): string[] {
  if (version === undefined || /^[0-9][A-Za-z0-9.+!_-]*$/.test(version)) return [];
  return [`${prop} "${version}" is not an exact version; give one such as "1.2.3" (slipway installs it with ==)`];
}

/**
 * Problems of an image tag option: it is pasted into a `docker run` line, so
 * it must be a tag (letters, digits, `_`, `.`, `-`; at most 128), and a
 * version rather than `latest`.
 * @internal
 */
export function imageTagProblems(prop: string, tag: string | undefined): string[] {
  if (tag === undefined) return [];
  if (!isImageTag(tag)) return [`${prop} "${tag}" is not an image tag; give a version such as "1.2.3"`];
  if (tag === 'latest') return [`${prop} "latest" moves; give a version such as "1.2.3"`];
  return [];
}
