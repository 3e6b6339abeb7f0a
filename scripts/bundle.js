#!/usr/bin/env node
// Builds lib/slipway.js, the package's entry point, from src/bundle.ts: slipway and the `yaml`
// package in one file (see src/bundle.ts). Every other package stays a normal dependency:
// constructs (shared with the user's code), cdk8s-plus-27 (loaded on first use), jiti (the
// CLI's loader) and the optional validators. Run by the compile task, after jsii.
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const inside = new Set(['yaml']);
const external = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies, ...pkg.devDependencies })
  .filter((name) => !inside.has(name))
  .flatMap((name) => [name, `${name}/*`]);

esbuild.buildSync({
  entryPoints: [path.join(root, 'src', 'bundle.ts')],
  outfile: path.join(root, 'lib', 'slipway.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node16',
  external,
  define: { SLIPWAY_BUNDLE: 'true' },
  tsconfig: path.join(root, 'tsconfig.json'),
  legalComments: 'inline',
  logLevel: 'warning',
});
