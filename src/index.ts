export * from './core';
export * from './github';
export * from './kubernetes';
export * from './cloudrun';
export * from './delivery';

// Strict props: checks the props and options given to every public constructor and method against the jsii assembly.
// The package's entry point is the bundle (src/bundle.ts, built into lib/slipway.js), which installs them on the
// object users import; this module installs them when it is loaded on its own (the compiled lib/index.js, the tests).
import * as path from 'path';
import * as cloudrun from './cloudrun';
import * as core from './core';
import { bundled, packageRoot } from './core/package-root';
import { installStrictProps } from './core/strict';
import * as delivery from './delivery';
import * as github from './github';
import * as kubernetes from './kubernetes';

if (!bundled()) {
  installStrictProps(path.join(packageRoot(), '.jsii'), { ...core, ...github, ...kubernetes, ...cloudrun, ...delivery },
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (file) => require(path.join(__dirname, file.replace(/^src\//, '').replace(/\.ts$/, ''))));
}
