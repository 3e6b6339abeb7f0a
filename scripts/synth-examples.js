#!/usr/bin/env node
// Synthesizes (or, with --check, verifies) every examples/*/slipway.ts next to itself,
// each in its own process, exactly as a user runs `npx slipway synth` in that folder.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const examples = path.join(root, 'examples');
const args = process.argv.slice(2);
let failed = 0;
for (const name of fs.readdirSync(examples).sort()) {
  const dir = path.join(examples, name);
  if (!fs.existsSync(path.join(dir, 'slipway.ts'))) continue;
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'slipway'), 'synth', ...args], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`examples/${name}: slipway synth ${args.join(' ')} exited ${r.status}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
