import * as YAML from 'yaml';
import { App } from '../../../src/core/app';
import { SlipwayError } from '../../../src/core/errors';
import { Testing } from '../../../src/core/testing';
import { Check } from '../../../src/delivery/check';
import { CheckContext } from '../../../src/delivery/checks/context';
import { Toolchain } from '../../../src/delivery/toolchain';
import { Step } from '../../../src/github/step';
import { Trigger } from '../../../src/github/trigger';
import { Workflow } from '../../../src/github/workflow';
import { expectValid } from '../../support/harness';

export const WORKFLOW = '.github/workflows/ci.yml';

/** A context like the one a Pipeline passes. */
export function context(overrides: Partial<CheckContext> = {}): CheckContext {
  return { toolchain: Toolchain.python('3.12'), images: {}, ...overrides };
}

/** An app with one workflow holding the checks' jobs. */
export function checkApp(checks: Check[], ctx: Partial<CheckContext> = {}): App {
  const app = Testing.app();
  const wf = new Workflow(app, 'ci', { name: 'CI', triggers: [Trigger.push({ branches: ['main'] })] });
  const images = ctx.images ?? {};
  if (Object.keys(images).length > 0) {
    // the job whose digest outputs the image expressions read, as the Pipeline's build job provides them
    const outputs: { [name: string]: string } = {};
    for (const name of Object.keys(images)) outputs[`${name}-digest`] = `\${{ steps.push-${name}.outputs.digest }}`;
    wf.addJob('build', {
      outputs,
      steps: Object.keys(images).map((name) => Step.run('echo "digest=sha256:0" >> "$GITHUB_OUTPUT"', { id: `push-${name}` })),
    });
  }
  for (const c of checks) c._addJob(wf, context(ctx));
  return app;
}

/** Synthesizes the checks' workflow: the files and the parsed document. */
export function synthChecks(checks: Check[], ctx: Partial<CheckContext> = {}): { files: { [path: string]: string }; doc: any } {
  const files = Testing.synth(checkApp(checks, ctx));
  expectValid(files);
  return { files, doc: YAML.parse(files[WORKFLOW]) };
}

/** The problems synth reports; fails when synth succeeds. */
export function problems(app: App): string[] {
  try {
    Testing.synth(app);
  } catch (e) {
    if (e instanceof SlipwayError) return e.problems;
    throw e;
  }
  throw new Error('synth succeeded, but a problem was expected');
}

/** The steps of a job, by name. */
export function stepNamed(job: any, name: string): any {
  const step = job.steps.find((s: any) => s.name === name);
  if (!step) throw new Error(`no step "${name}"; steps: ${job.steps.map((s: any) => s.name).join(', ')}`);
  return step;
}

/** `owner/repo` of a pinned `uses:` (the SHA dropped). */
export function actionOf(step: any): string {
  return String(step.uses).split('@')[0];
}
