export * from './core';
export * from './github';
export * from './kubernetes';
export * from './cloudrun';
export * from './delivery';

// Strict props: checks the props and options given to every public constructor and method against the jsii assembly.
import * as path from 'path';
import * as cloudrun from './cloudrun';
import * as core from './core';
import { installStrictProps } from './core/strict';
import * as delivery from './delivery';
import * as github from './github';
import * as kubernetes from './kubernetes';

installStrictProps(path.join(__dirname, '..', '.jsii'), { ...core, ...github, ...kubernetes, ...cloudrun, ...delivery },
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (file) => require(path.join(__dirname, file.replace(/^src\//, '').replace(/\.ts$/, ''))));
