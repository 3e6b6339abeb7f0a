// The package's entry point (package.json "main"), built by scripts/bundle.js into one file,
// lib/slipway.js, with the `yaml` package inside: Node loads one file instead of about 200, which
// halves the time `require('slipway')` takes. The CLI (bin/slipway) runs from the same bundle,
// so a definition's `import ... from 'slipway'` and the CLI share every class.
import { run } from './cli/main';
import { installStrictProps, StrictTable } from './core/strict';
import * as api from './index';

/** The strict props' part of the assembly, written by scripts/bundle.js and carried inside the bundle. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const table: StrictTable = require('../lib/strict-table.js');

/** What users import: the library's exports, as a plain object the strict props can replace classes in. */
const exported: { [name: string]: unknown } = { ...api };
// The bundler names a class whose static members refer to it `_Name`: each exported class gets its own name back.
for (const [name, value] of Object.entries(exported)) {
  if (typeof value === 'function' && value.name === `_${name}`) Object.defineProperty(value, 'name', { value: name, configurable: true });
}
installStrictProps(table, exported);
Object.defineProperty(exported, Symbol.for('slipway.cli.run'), { value: run, enumerable: false });
module.exports = exported;
