/**
 * Section 3, workflows vs anchors: the nine workflows of seeds 001 and 002
 * built to YAML in-process with slipway level 1, projen's GithubWorkflow and
 * github-actions-workflow-ts; each tool's own API and its own YAML
 * serialization, no file writing. The outputs are checked equivalent first.
 */
import * as path from 'path';
import * as YAML from 'yaml';
import { differences } from './equivalence';
import { gawtSeeds } from './gawt-seeds';
import { projenSeeds } from './projen-seeds';
import { buildSeed001, buildSeed002, slipwaySeeds } from './slipway-seeds';
import { Testing } from 'slipway';
import { toYaml } from '../../lib/core/yaml';
import { Contender, firstCall, interleave } from '../lib/interleave';

/** The js-yaml that github-actions-workflow-ts uses. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsYaml: { dump(value: unknown, options: { noRefs: boolean }): string } = require(require.resolve('js-yaml', { paths: [path.dirname(require.resolve('github-actions-workflow-ts'))] }));

export const CONTENDERS: Contender[] = [
  { name: 'slipway (level 1)', run: slipwaySeeds },
  { name: "projen's GithubWorkflow", run: projenSeeds },
  { name: 'github-actions-workflow-ts', run: gawtSeeds },
];

/** Throws unless the three tools produce the same nine workflows. */
export function checkEquivalent(): number {
  const reference = slipwaySeeds();
  const problems = [...differences('projen', reference, projenSeeds()), ...differences('github-actions-workflow-ts', reference, gawtSeeds())];
  if (problems.length) throw new Error(`the tools' workflows differ; regenerate with \`tsx bench/workflows/codegen.ts\`:\n${problems.join('\n')}`);
  return Object.keys(reference).length;
}

/** Parts of slipway's time, next to the serializer github-actions-workflow-ts uses, on the same documents. */
export function breakdownContenders(): Contender[] {
  const docs = Object.values(slipwaySeeds()).map((text) => YAML.parse(text));
  return [
    { name: 'slipway: build the constructs only', run: () => { buildSeed001(Testing.app()); buildSeed002(Testing.app()); } },
    { name: 'slipway: its YAML serializer alone (toYaml of the 9 documents)', run: () => docs.map((d) => toYaml(d)) },
    { name: 'js-yaml alone (the dump github-actions-workflow-ts does, same 9 documents)', run: () => docs.map((d) => jsYaml.dump(d, { noRefs: true })) },
  ];
}

export function measureWorkflows(rounds: number) {
  const files = checkEquivalent();
  return {
    files,
    steady: Object.fromEntries(interleave(CONTENDERS, { rounds, warmup: 20, batch: 10 })),
    breakdown: Object.fromEntries(interleave(breakdownContenders(), { rounds, warmup: 20, batch: 10 })),
  };
}

/** One tool's first call in a fresh process (run by bench/inprocess.ts). */
export function firstWorkflowCall(tool: string): number {
  const c = CONTENDERS.find((x) => x.name === tool);
  if (!c) throw new Error(`unknown tool ${tool}`);
  return firstCall(c.run);
}
