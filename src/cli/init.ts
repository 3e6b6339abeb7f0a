import * as fs from 'fs';
import * as path from 'path';

const TEMPLATE = `import { App, Application, Check, Environment, HealthCheck, Image, Pipeline, Secret, Target, Toolchain } from 'slipway';

const app = new App();

const api = new Application(app, 'api', {
  image: Image.fromDockerfile({ repository: 'ghcr.io/my-org/api' }),
  port: 8080,
  healthCheck: HealthCheck.http('/health'),
});

const staging = new Environment(app, 'staging', {
  target: Target.kubernetes({ namespace: 'staging', kubeconfig: Secret.github('KUBECONFIG_STAGING') }),
});

new Pipeline(app, 'ci', {
  applications: [api],
  toolchain: Toolchain.node('20'),
  checks: [Check.lint(['npm run lint']), Check.test('test', ['npm test'])],
  stages: [staging],
});

app.synth();
`;

/** `slipway init [--app slipway.ts] [--force]`: writes a starter definition. */
export function initCommand(opts: { readonly app: string; readonly force: boolean }, log: (s: string) => void, err: (s: string) => void): number {
  const file = path.resolve(opts.app);
  if (fs.existsSync(file) && !opts.force) {
    err(`slipway: ${opts.app} exists; pass --force to overwrite it`);
    return 2;
  }
  fs.writeFileSync(file, TEMPLATE);
  log(`slipway: wrote ${opts.app}; edit it, then run \`npx slipway synth\``);
  return 0;
}
