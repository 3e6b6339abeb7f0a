/**
 * Imports a validator package's module with a real dynamic `import()` (kept as such in the
 * CommonJS build by `module: node16`); several are ES modules. This module stays outside the
 * CLI's bundle (scripts/bundle.js) and is loaded on first use by ./packages.ts.
 */

let jiti: { import(id: string): Promise<unknown> } | undefined;

/**
 * Imports the module `id`. @actions/workflow-parser imports JSON without import attributes,
 * which plain Node rejects; that one goes through jiti (a dependency of slipway, which loads
 * definitions with it) when the native import fails so.
 */
export async function importModule<T>(id: string): Promise<T> {
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
