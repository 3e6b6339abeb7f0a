// The thin vertical slice: one application, synthesized to a workflow, a Helm
// chart and a Cloud Run service spec from this one file.
import { Actions, App, Application, CloudRunService, HealthCheck, HelmChart, Image, Step, Trigger, Workflow } from 'slipway';

// Every container image must be pinned by digest, except hello's own image: the team releases it
// under a new tag each time and never pushes a tag twice.
const app = new App({
  supplyChain: { strict: true, allowUnpinned: ['europe-west1-docker.pkg.dev/slipway-hello/apps/hello'] },
});

const hello = new Application(app, 'hello', {
  image: Image.fromRegistry('europe-west1-docker.pkg.dev/slipway-hello/apps/hello', '1.0.0'),
  port: 8080,
  healthCheck: HealthCheck.http('/healthz'),
  env: { GREETING: 'hello' },
});

const ci = new Workflow(app, 'ci', {
  name: 'ci',
  triggers: [Trigger.push({ branches: ['main'] }), Trigger.pullRequest({ branches: ['main'] })],
});
ci.addJob('test', {
  steps: [
    Step.uses(Actions.checkout()),
    Step.run('make test'),
  ],
});

new HelmChart(app, 'chart', { application: hello });

new CloudRunService(app, 'cloudrun', {
  application: hello,
  project: 'slipway-hello',
  region: 'europe-west1',
  environment: 'production',
});

app.synth();
