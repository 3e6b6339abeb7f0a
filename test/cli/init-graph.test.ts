import * as fs from 'fs';
import * as path from 'path';
import { graphCommand } from '../../src/cli/graph';
import { initCommand } from '../../src/cli/init';
import { synthCommand, EXIT_OK } from '../../src/cli/synth';
import { setSynthHost } from '../../src/core/app';
import { expectValid } from '../support/harness';
import { tempProject } from '../support/temp-project';

const REPO = path.resolve(__dirname, '../..');


function readTree(dir: string): { [file: string]: string } {
  const out: { [file: string]: string } = {};
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.slipway/manifest.json'), 'utf8'));
  for (const f of Object.keys(manifest.files)) out[f] = fs.readFileSync(path.join(dir, f), 'utf8');
  return out;
}

describe('slipway init and graph', () => {
  test('init writes a starter definition that synthesizes to valid output, and refuses to overwrite it', async () => {
    const dir = tempProject('init');
    const app = path.join(dir, 'slipway.ts');
    const log: string[] = [];
    const err: string[] = [];
    expect(initCommand({ app, force: false }, (s) => log.push(s), (s) => err.push(s))).toBe(0);
    // the starter imports 'slipway'; point it at this checkout's sources for the test
    fs.writeFileSync(app, fs.readFileSync(app, 'utf8').replace("from 'slipway'", `from ${JSON.stringify(path.join(REPO, 'src'))}`));
    expect(await synthCommand({ app, check: false, quiet: true }, () => undefined, (s) => err.push(s))).toBe(EXIT_OK);
    expect(err).toEqual([]);
    const files = readTree(dir);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', 'deploy/helm/api/Chart.yaml']));
    expectValid(files);
    expect(initCommand({ app, force: false }, () => undefined, (s) => err.push(s))).toBe(2);
    expect(err.pop()).toMatch(/exists; pass --force/);
  });

  test('graph prints the Mermaid plan of each pipeline, and names the pipelines when asked for an unknown one', () => {
    const dir = tempProject('init');
    const app = path.join(dir, 'slipway.ts');
    initCommand({ app, force: false }, () => undefined, () => undefined);
    fs.writeFileSync(app, fs.readFileSync(app, 'utf8').replace("from 'slipway'", `from ${JSON.stringify(path.join(REPO, 'src'))}`));
    const out: string[] = [];
    expect(graphCommand({ app }, (s) => out.push(s), () => undefined)).toBe(0);
    expect(out.join('\n')).toMatch(/^%% pipeline ci\nflowchart LR\n/);
    expect(out.join('\n')).toContain('ci__build --> ci__deploy_staging');
    const err: string[] = [];
    expect(graphCommand({ app, pipeline: 'nope' }, () => undefined, (s) => err.push(s))).toBe(2);
    expect(err[0]).toBe('slipway: no pipeline "nope"; pipelines: ci');
  });
});

// `slipway synth` leaves a closed host installed (a late app.synth() then fails); remove it after this file.
afterAll(() => setSynthHost(undefined));
