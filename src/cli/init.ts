import * as fs from 'fs';
import * as path from 'path';

/** The languages `slipway init` writes a starter for. */
export const INIT_LANGUAGES = ['node', 'python'] as const;
/** A language `slipway init` writes a starter for. */
export type InitLanguage = typeof INIT_LANGUAGES[number];

/** The module that builds the delivery system, next to the definition file. */
export const DELIVERY_MODULE = 'delivery.ts';
/** Its snapshot test. */
export const DELIVERY_TEST = 'delivery.test.ts';

/** What differs between the starters: the toolchain, the checks and the port. */
const STARTERS: { readonly [language in InitLanguage]: { readonly toolchain: string[]; readonly checks: string; readonly port: number } } = {
  node: {
    toolchain: ["toolchain: Toolchain.node('20'),"],
    checks: "[Check.lint(['npm run lint']), Check.test('test', ['npm test']), Check.driftCheck()]",
    port: 8080,
  },
  python: {
    toolchain: [
      '// pip installs requirements.txt (ruff and pytest belong in it); for Poetry or uv,',
      '// pass { packageManager: PythonPackageManager.POETRY } or PythonPackageManager.UV',
      "toolchain: Toolchain.python('3.12'),",
    ],
    checks: "[Check.lint(['ruff check .', 'ruff format --check .']), Check.test('test', ['pytest']), Check.driftCheck()]",
    port: 8000,
  },
};

function deliveryModule(language: InitLanguage): string {
  const s = STARTERS[language];
  return `import { App, Application, Check, Environment, HealthCheck, Image, Pipeline, Secret, Target, Toolchain } from 'slipway';

/**
 * The delivery system: the application, its environments and its pipeline.
 * slipway.ts synthesizes it; delivery.test.ts snapshot-tests it.
 */
export function defineDelivery(app: App): void {
  const api = new Application(app, 'api', {
    image: Image.fromDockerfile({ repository: 'ghcr.io/my-org/api' }),
    port: ${s.port},
    healthCheck: HealthCheck.http('/health'),
  });

  const staging = new Environment(app, 'staging', {
    target: Target.kubernetes({ namespace: 'staging', kubeconfig: Secret.github('KUBECONFIG_STAGING') }),
  });

  new Pipeline(app, 'ci', {
    applications: [api],
${s.toolchain.map((l) => `    ${l}`).join('\n')}
    // Check.driftCheck(): the job "drift-check" fails a pull request whose generated files are not current (npx slipway synth --check)
    checks: ${s.checks},
    stages: [staging],
  });
}
`;
}

const ENTRY = `import { App } from 'slipway';
import { defineDelivery } from './delivery';

const app = new App();
defineDelivery(app);
app.synth();
`;

const TEST = `/// <reference types="jest" />
import { Testing } from 'slipway';
import { defineDelivery } from './delivery';

// A snapshot of every file the definition generates: review its diff like the files themselves.
// Runs with jest and ts-jest: npm install --save-dev jest ts-jest @types/jest typescript@5,
// then npx jest --preset ts-jest (or set "preset": "ts-jest" in your jest config).
test('the delivery system generates the files in the snapshot', () => {
  const app = Testing.app();
  defineDelivery(app);
  expect(Testing.synth(app)).toMatchSnapshot();
});
`;

/** The files `slipway init` writes for a definition file (`app`), path → content. */
export function starterFiles(app: string, language: InitLanguage): { [file: string]: string } {
  const dir = path.dirname(app);
  return {
    [app]: ENTRY,
    [path.join(dir, DELIVERY_MODULE)]: deliveryModule(language),
    [path.join(dir, DELIVERY_TEST)]: TEST,
  };
}

/**
 * `slipway init [--app slipway.ts] [--language node|python] [--force]`:
 * writes a starter that a team can test: `delivery.ts` exports the function
 * that builds the delivery system, the definition file creates the App, calls
 * it and synthesizes, and `delivery.test.ts` snapshot-tests it. Writes
 * nothing when one of the files exists, unless `force`.
 */
export function initCommand(
  opts: { readonly app: string; readonly force: boolean; readonly language?: string },
  log: (s: string) => void,
  err: (s: string) => void,
): number {
  const language = opts.language ?? 'node';
  if (!(INIT_LANGUAGES as readonly string[]).includes(language)) {
    err(`slipway init: --language "${language}" is not one of: ${INIT_LANGUAGES.join(', ')}`);
    return 2;
  }
  if ([DELIVERY_MODULE, DELIVERY_TEST].includes(path.basename(opts.app))) {
    err(`slipway init: --app ${opts.app} would be overwritten by the starter's own ${path.basename(opts.app)}; name the definition file differently (e.g. slipway.ts)`);
    return 2;
  }
  const files = starterFiles(opts.app, language as InitLanguage);
  const existing = Object.keys(files).filter((f) => fs.existsSync(path.resolve(f)));
  if (existing.length > 0 && !opts.force) {
    err(`slipway: ${existing.join(', ')} ${existing.length === 1 ? 'exists' : 'exist'}; pass --force to overwrite ${existing.length === 1 ? 'it' : 'them'}`);
    return 2;
  }
  try {
    for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.resolve(file), content);
  } catch (e) {
    err(`slipway init: ${(e as Error).message}`);
    return 2;
  }
  log(`slipway: wrote ${Object.keys(files).join(', ')} (${language})`);
  log(`next: edit ${path.join(path.dirname(opts.app), DELIVERY_MODULE)}, then run \`npx slipway synth\`; \`npx jest --preset ts-jest ${path.join(path.dirname(opts.app), DELIVERY_TEST)}\` runs its snapshot test (npm install --save-dev jest ts-jest @types/jest typescript@5)`);
  return 0;
}
