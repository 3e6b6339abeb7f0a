'use strict';
/**
 * Loads this repository's TypeScript with `require`, for code the tests run outside jest: the
 * validation thread (./validation-thread.js) and `slipway validate` in a child process
 * (test/cli/validate.test.ts, as `node -r ./test/support/ts-require.js`). Each file is compiled
 * on its own with esbuild, as ts-jest compiles the tests (`isolatedModules`); a dynamic `import()`
 * stays native, so ES-module packages load as they do in the built CLI. It registers no
 * module-loader hooks: those run on a thread of their own (Node 20), which a process that
 * blocks its main thread (the harness's `Atomics.wait`) must not depend on.
 */
const fs = require('node:fs');
const esbuild = require('esbuild');

require.extensions['.ts'] = (module, filename) => {
  const { code } = esbuild.transformSync(fs.readFileSync(filename, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    target: 'node20',
    sourcefile: filename,
    sourcemap: 'inline',
    supported: { 'dynamic-import': true },
  });
  module._compile(code, filename);
};
