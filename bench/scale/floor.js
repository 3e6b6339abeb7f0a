// The file-system floor of a synth: reads every generated file under <from> (the output of a
// `slipway synth` of the scale definition), then, timed, writes the same files with the same
// content into the empty folder <to> with plain fs.mkdirSync(recursive) and fs.writeFileSync: no
// staging, no journal, no checks. Prints the milliseconds of the writes. What any tool that
// writes these files pays on this machine's file system.
'use strict';
const fs = require('fs');
const path = require('path');

const [from, to] = process.argv.slice(2);
const files = [];
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) walk(abs);
    else if (e.isFile() && e.name !== 'slipway.ts') files.push([path.relative(from, abs), fs.readFileSync(abs, 'utf8')]);
  }
};
walk(from);
const start = process.hrtime.bigint();
const made = new Set();
for (const [rel, content] of files) {
  const dir = path.dirname(path.join(to, rel));
  if (!made.has(dir)) { fs.mkdirSync(dir, { recursive: true }); made.add(dir); }
  fs.writeFileSync(path.join(to, rel), content);
}
console.log(`${files.length} ${Number(process.hrtime.bigint() - start) / 1e6}`);
