import * as fs from 'fs';
import * as path from 'path';
import { SlipwayError } from '../../src/core/errors';
import { Testing } from '../../src/core/testing';
import { expectValid } from '../support/harness';
import { tempProject } from '../support/temp-project';

const EXAMPLES = path.resolve(__dirname, '../../examples');

/** Every file of a folder, path → mtime, to prove nothing was written. */
function stamps(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.statSync(p).mtimeMs);
    }
  };
  walk(dir);
  return out;
}

describe('Testing.synthFile', () => {
  test.each(fs.readdirSync(EXAMPLES).filter((n) => fs.existsSync(path.join(EXAMPLES, n, 'slipway.ts'))).sort())(
    'examples/%s/slipway.ts, loaded unchanged, gives exactly the committed outputs and writes nothing', (name) => {
      const dir = path.join(EXAMPLES, name);
      const before = stamps(dir);
      const files = Testing.synthFile(path.join(dir, 'slipway.ts'));
      expect(stamps(dir)).toEqual(before);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.slipway/manifest.json'), 'utf8'));
      expect(Object.keys(files).sort()).toEqual(Object.keys(manifest.files).sort());
      for (const [file, content] of Object.entries(files)) expect([file, content]).toEqual([file, fs.readFileSync(path.join(dir, file), 'utf8')]);
      if (name === 'hello') expectValid(files);
    });

  test('an invalid definition: the problems, as a SlipwayError; a definition that never calls synth(); a missing file', () => {
    const dir = tempProject('synth-file');
    const src = JSON.stringify(path.resolve(__dirname, '../../src'));
    fs.writeFileSync(path.join(dir, 'slipway.ts'), `import { App, Workflow } from ${src};
console.log('definitions may print');
const app = new App();
new Workflow(app, 'Bad Id', { triggers: [] });
app.synth();
`);
    let error: unknown;
    try {
      Testing.synthFile(path.join(dir, 'slipway.ts'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SlipwayError);
    expect((error as SlipwayError).problems.length).toBeGreaterThan(0);
    expect((error as SlipwayError).problems.join('\n')).toMatch(/Bad Id/);
    expect(fs.readdirSync(dir)).toEqual(['slipway.ts']);

    fs.writeFileSync(path.join(dir, 'nosynth.ts'), `import { App } from ${src};\nnew App();\n`);
    expect(() => Testing.synthFile(path.join(dir, 'nosynth.ts'))).toThrow(/never called app\.synth\(\)/);
    expect(() => Testing.synthFile(path.join(dir, 'missing.ts'))).toThrow(/definition file ".*missing\.ts" not found/);
  });
});
