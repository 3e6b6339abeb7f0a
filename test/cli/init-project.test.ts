import * as fs from 'fs';
import * as path from 'path';
import { initCommand, STARTER_GENERATED } from '../../src/cli/init';
import { tempDir } from '../support/temp-project';

// What `slipway init` does around the starter's three files: tsconfig.json, .gitattributes and
// package.json's test command. It adds, and never overwrites what the team has.

/** npm init -y's package.json (npm 10). */
const NPM_INIT = `{
  "name": "app",
  "version": "1.0.0",
  "description": "",
  "main": "index.js",
  "scripts": {
    "test": "echo \\"Error: no test specified\\" && exit 1"
  },
  "keywords": [],
  "author": "",
  "license": "ISC"
}
`;
const LINES = STARTER_GENERATED.map((p) => `${p} linguist-generated=true eol=lf`);
const COMMENT = '# Files npx slipway synth generates (.slipway/manifest.json lists them): collapsed in diffs, checked out with LF';

function init(dir: string, force = false, language?: string): { code: number; log: string[]; err: string[] } {
  const log: string[] = [];
  const err: string[] = [];
  const code = initCommand({ app: path.join(dir, 'slipway.ts'), force, language }, (s) => log.push(s), (s) => err.push(s));
  return { code, log, err };
}

function project(files: { [file: string]: string }): string {
  const dir = tempDir('init-project');
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), content);
  return dir;
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

describe('slipway init: package.json gets the test command', () => {
  test("npm init's package.json: the placeholder test script becomes jest, a ts-jest jest config is added, nothing else changes", () => {
    const dir = project({ 'package.json': NPM_INIT });
    const r = init(dir);
    expect(r).toEqual({ code: 0, err: [], log: expect.any(Array) });
    const pkg = JSON.parse(read(dir, 'package.json'));
    expect(pkg).toEqual({ ...JSON.parse(NPM_INIT), scripts: { test: 'jest' }, jest: { preset: 'ts-jest' } });
    // npm's own format: two spaces, a final newline, the keys in their order
    expect(read(dir, 'package.json')).toBe(`${JSON.stringify(pkg, undefined, 2)}\n`);
    expect(Object.keys(pkg)).toEqual([...Object.keys(JSON.parse(NPM_INIT)), 'jest']);
    expect(r.log).toEqual([
      `slipway: wrote ${dir}/slipway.ts, ${dir}/delivery.ts, ${dir}/delivery.test.ts (node)`,
      `slipway: wrote ${dir}/tsconfig.json (strict, commonjs, esModuleInterop, skipLibCheck: what ts-jest needs for the starter)`,
      `slipway: wrote ${dir}/.gitattributes: 5 lines marking the generated files (linguist-generated=true eol=lf; add one for each generated file or folder you add)`,
      `slipway: added to ${dir}/package.json: the script "test": "jest" and "jest": { "preset": "ts-jest" }`,
      'next: npm install --save-dev jest ts-jest @types/jest typescript@5   (the snapshot test\'s packages; init does not run npm)',
      `next: edit ${dir}/delivery.ts, then run \`npx slipway synth\`; \`npm test\` runs its snapshot test`,
    ]);
  });

  test('a package.json without scripts, indented with tabs: the test script is added, the indentation kept; only the missing packages are listed', () => {
    const dir = project({ 'package.json': '{\n\t"name": "app",\n\t"devDependencies": {\n\t\t"typescript": "^5.4.0",\n\t\t"jest": "^29.7.0"\n\t}\n}\n' });
    const r = init(dir);
    expect(r.code).toBe(0);
    expect(read(dir, 'package.json')).toBe('{\n\t"name": "app",\n\t"devDependencies": {\n\t\t"typescript": "^5.4.0",\n\t\t"jest": "^29.7.0"\n\t},\n\t"scripts": {\n\t\t"test": "jest"\n\t},\n\t"jest": {\n\t\t"preset": "ts-jest"\n\t}\n}\n');
    expect(r.log).toContain('next: npm install --save-dev ts-jest @types/jest   (the snapshot test\'s packages; init does not run npm)');
  });

  test('a team\'s own test script and jest config are kept; init says how to run the snapshot test', () => {
    const text = '{\n  "name": "app",\n  "scripts": {\n    "test": "mocha"\n  },\n  "devDependencies": {\n    "jest": "^29.7.0",\n    "ts-jest": "^29.2.0",\n    "@types/jest": "^29.5.0",\n    "typescript": "^5.4.0"\n  }\n}\n';
    const dir = project({ 'package.json': text, 'jest.config.js': "module.exports = { testEnvironment: 'node' };\n" });
    const r = init(dir);
    expect(r.code).toBe(0);
    expect(read(dir, 'package.json')).toBe(text);
    expect(r.log).toContain(`slipway: kept the test script of ${dir}/package.json ("mocha"); run the snapshot test with npx jest --preset ts-jest`);
    expect(r.log).toContain(`slipway: kept ${dir}/jest.config.js: the snapshot test needs jest to transform TypeScript ("preset": "ts-jest")`);
    expect(r.log.filter((l) => l.startsWith('next: npm install'))).toEqual([]);
    expect(r.log[r.log.length - 1]).toBe(`next: edit ${dir}/delivery.ts, then run \`npx slipway synth\`; \`npx jest --preset ts-jest ${dir}/delivery.test.ts\` runs its snapshot test`);
  });

  test('no test script but a jest config without ts-jest: the script is added, and init does not promise that npm test runs the snapshot test', () => {
    const dir = project({ 'package.json': '{\n  "name": "app"\n}\n', 'jest.config.js': "module.exports = { testEnvironment: 'node' };\n" });
    const r = init(dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(read(dir, 'package.json')).scripts).toEqual({ test: 'jest' });
    expect(r.log).toContain(`slipway: kept ${dir}/jest.config.js: the snapshot test needs jest to transform TypeScript ("preset": "ts-jest")`);
    expect(r.log[r.log.length - 1]).toBe(`next: edit ${dir}/delivery.ts, then run \`npx slipway synth\`; \`npx jest --preset ts-jest ${dir}/delivery.test.ts\` runs its snapshot test`);
  });

  test('a jest key with the ts-jest preset and a jest test script: kept as they are, and npm test runs the snapshot test', () => {
    const text = '{\n  "name": "app",\n  "scripts": {\n    "test": "jest --coverage"\n  },\n  "jest": {\n    "preset": "ts-jest",\n    "testEnvironment": "node"\n  }\n}\n';
    const dir = project({ 'package.json': text });
    const r = init(dir);
    expect(r.code).toBe(0);
    expect(read(dir, 'package.json')).toBe(text);
    expect(r.log.filter((l) => l.includes('package.json'))).toEqual([`slipway: kept the test script of ${dir}/package.json ("jest --coverage")`]);
    expect(r.log[r.log.length - 1]).toMatch(/`npm test` runs its snapshot test$/);
  });

  test('a package.json that projen generates is left to projen', () => {
    const text = '{\n  "name": "app",\n  "scripts": {\n    "test": "npx projen test"\n  },\n  "//": "~~ Generated by projen. To modify, edit .projenrc.ts and run \\"npx projen\\"."\n}\n';
    const dir = project({ 'package.json': text });
    const r = init(dir);
    expect(r.code).toBe(0);
    expect(read(dir, 'package.json')).toBe(text);
    expect(r.log).toContain(`slipway: kept ${dir}/package.json: projen generates it; the snapshot test runs with the jest of your projen project (ts-jest preset)`);
  });

  test('a package.json that is not valid JSON: exit 2, the file named, nothing written', () => {
    const dir = project({ 'package.json': '{ "name": "app", }\n' });
    const r = init(dir);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(new RegExp(`^slipway init: ${dir}/package\\.json is not valid JSON \\(.+\\); fix it, or run init where package\\.json is valid; nothing was written$`));
    expect(fs.readdirSync(dir)).toEqual(['package.json']);
    expect(read(dir, 'package.json')).toBe('{ "name": "app", }\n');
  });

  test('no package.json: none is made, and init says how to run the snapshot test', () => {
    const dir = project({});
    const r = init(dir);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'package.json'))).toBe(false);
    expect(r.log).toContain(`slipway: no ${dir}/package.json, so no test script: the snapshot test runs with npx jest --preset ts-jest`);
    expect(r.log).toContain('next: npm install --save-dev jest ts-jest @types/jest typescript@5   (the snapshot test\'s packages; init does not run npm)');
  });
});

describe('slipway init: tsconfig.json', () => {
  test('written when there is none: strict, commonjs, esModuleInterop, skipLibCheck, and no types entry', () => {
    const dir = project({});
    expect(init(dir).code).toBe(0);
    const tsconfig = JSON.parse(read(dir, 'tsconfig.json'));
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, module: 'commonjs', esModuleInterop: true, skipLibCheck: true });
    // a `types` entry would need its package installed; the snapshot test references jest's types itself
    expect(tsconfig.compilerOptions.types).toBeUndefined();
    expect(read(dir, 'delivery.test.ts')).toMatch(/^\/\/\/ <reference types="jest" \/>\n/);
  });

  test('a team\'s tsconfig.json is kept, also with --force', () => {
    const own = '{\n  // ours\n  "compilerOptions": { "strict": true }\n}\n';
    const dir = project({ 'tsconfig.json': own });
    const first = init(dir);
    expect(first.log).toContain(`slipway: kept ${dir}/tsconfig.json: ts-jest compiles the starter with it`);
    expect(first.log.filter((l) => l.includes('wrote') && l.includes('tsconfig'))).toEqual([]);
    expect(init(dir, true).code).toBe(0);
    expect(read(dir, 'tsconfig.json')).toBe(own);
  });
});

describe('slipway init: .gitattributes marks the generated files', () => {
  test('written when there is none; a second init (--force) adds nothing', () => {
    const dir = project({});
    expect(init(dir).code).toBe(0);
    expect(read(dir, '.gitattributes')).toBe([COMMENT, ...LINES, ''].join('\n'));
    const again = init(dir, true);
    expect(again.code).toBe(0);
    expect(again.log).toContain(`slipway: ${dir}/.gitattributes already marks the starter's generated files`);
    expect(read(dir, '.gitattributes')).toBe([COMMENT, ...LINES, ''].join('\n'));
  });

  test('appended to a team\'s file, after a blank line; lines already there (spaced differently) are not repeated', () => {
    const own = '*.sh text eol=lf\n/.slipway/**   linguist-generated=true  eol=lf';
    const dir = project({ '.gitattributes': own });
    const r = init(dir);
    expect(r.code).toBe(0);
    expect(read(dir, '.gitattributes')).toBe([own, '', COMMENT, ...LINES.slice(1), ''].join('\n'));
    expect(r.log).toContain(`slipway: added to ${dir}/.gitattributes: 4 lines marking the generated files (linguist-generated=true eol=lf; add one for each generated file or folder you add)`);
  });

  test('a file with CRLF line endings keeps them', () => {
    const own = '* text=auto\r\n';
    const dir = project({ '.gitattributes': own });
    expect(init(dir).code).toBe(0);
    expect(read(dir, '.gitattributes')).toBe(`${own}\r\n${[COMMENT, ...LINES].join('\r\n')}\r\n`);
  });

  test('a file projen generates is left to projen, with the lines to add in .projenrc', () => {
    const own = '# ~~ Generated by projen. To modify, edit .projenrc.ts and run "npx projen".\n/.gitattributes linguist-generated\n';
    const dir = project({ '.gitattributes': own });
    const r = init(dir);
    expect(r.code).toBe(0);
    expect(read(dir, '.gitattributes')).toBe(own);
    expect(r.log).toContain(`slipway: kept ${dir}/.gitattributes: projen generates it; mark the generated files in .projenrc instead: project.gitattributes.addAttributes(pattern, 'linguist-generated', 'eol=lf') for each of ${STARTER_GENERATED.join(', ')}`);
  });
});

describe('slipway init: a starter file that exists stops everything', () => {
  test('without --force: exit 2 and not even package.json, tsconfig.json or .gitattributes change', () => {
    const dir = project({ 'package.json': NPM_INIT, 'delivery.ts': '// ours\n' });
    const r = init(dir);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`slipway: ${dir}/delivery.ts exists; pass --force to overwrite it`]);
    expect(fs.readdirSync(dir).sort()).toEqual(['delivery.ts', 'package.json']);
    expect(read(dir, 'package.json')).toBe(NPM_INIT);
  });
});

describe('README: slipway init', () => {
  test('the CLI table names every pattern init adds to .gitattributes', () => {
    const row = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8').split('\n').find((l) => l.startsWith('| `slipway init '));
    expect(row).toBeDefined();
    for (const pattern of STARTER_GENERATED) expect([pattern, row!.includes(`\`${pattern}\``)]).toEqual([pattern, true]);
  });
});
