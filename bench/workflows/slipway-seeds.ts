/**
 * The seed 001 (Dataknobs) and 002 (CODITECT) workflows built with slipway's
 * level-1 API (test/github/seeds/workflows.ts, shared with the seed tests),
 * against the compiled library (lib/).
 */
import { App, Testing } from 'slipway';
import { seed001, seed002 } from '../../test/github/seeds/workflows';

/** Adds seed 001's six workflows to an App. */
export function buildSeed001(app: App): void {
  seed001.ci(app, undefined);
  seed001.release(app);
  seed001.docs(app);
  seed001.security(app);
  seed001.notifications(app);
  seed001.debug(app);
}

/** Adds seed 002's three workflows to an App. */
export function buildSeed002(app: App): void {
  seed002.ci(app);
  seed002.deployStandalone(app, false);
  seed002.deployCoditect(app, false);
}

/** Builds the nine workflows in new Apps and renders them: path → YAML. */
export function slipwaySeeds(): { [path: string]: string } {
  const app001 = Testing.app();
  buildSeed001(app001);
  const app002 = Testing.app();
  buildSeed002(app002);
  const out: { [path: string]: string } = {};
  for (const [p, text] of Object.entries(Testing.synth(app001))) out[`001/${p}`] = text;
  for (const [p, text] of Object.entries(Testing.synth(app002))) out[`002/${p}`] = text;
  return out;
}
