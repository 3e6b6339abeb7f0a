/**
 * Section 3 as reported: steady-state time to YAML in one process
 * (interleaved rounds), and the first call in a fresh process (what a
 * one-shot `synth` pays once the modules are loaded), for each tool.
 */
import { inChild } from '../lib/child';
import { Section, Target } from '../lib/report';
import { fmt, ratio, summarize, Summary, table } from '../lib/stats';

const SLIPWAY = 'slipway (level 1)';
const PROJEN = "projen's GithubWorkflow";
const GAWT = 'github-actions-workflow-ts';

export function workflowsSection(rounds: number, log: (s: string) => void): Section {
  log(`workflows: steady state, ${rounds} interleaved rounds of 10 calls each, after 20 warm-up calls`);
  const steady = inChild<{ files: number; steady: { [tool: string]: Summary }; breakdown: { [part: string]: Summary } }>(['workflows', String(rounds)]);
  log('workflows: first call in a fresh process');
  const first: { [tool: string]: number[] } = { [SLIPWAY]: [], [PROJEN]: [], [GAWT]: [] };
  for (let i = 0; i < Math.max(5, Math.ceil(rounds / 2)); i++) {
    for (const tool of Object.keys(first)) first[tool].push(inChild<number>(['workflow-first', tool]));
  }
  const s = steady.steady;
  const f = Object.fromEntries(Object.entries(first).map(([k, xs]) => [k, summarize(xs)]));
  const rows = [SLIPWAY, PROJEN, GAWT].map((tool) => [
    tool, fmt(s[tool], 2), ratio(s[tool].median / s[SLIPWAY].median), fmt(f[tool], 1), ratio(f[tool].median / f[SLIPWAY].median),
  ]);
  const vsProjen = s[PROJEN].median / s[SLIPWAY].median;
  const vsGawt = s[SLIPWAY].median / s[GAWT].median;
  const firstVsGawt = f[SLIPWAY].median / f[GAWT].median;
  const targets: Target[] = [
    { name: "level-1 workflows vs projen's GithubWorkflow (steady state)", measured: `${ratio(vsProjen)} faster`, goal: '≥ 2× faster', met: vsProjen >= 2 },
    { name: 'level-1 workflows vs github-actions-workflow-ts (steady state)', measured: vsGawt <= 1 ? `${ratio(1 / vsGawt)} faster` : `${ratio(vsGawt)} slower`, goal: 'no slower', met: vsGawt <= 1 },
    { name: 'level-1 workflows vs github-actions-workflow-ts (first call)', measured: firstVsGawt <= 1 ? `${ratio(1 / firstVsGawt)} faster` : `${ratio(firstVsGawt)} slower`, goal: 'no slower', met: firstVsGawt <= 1 },
  ];
  const markdown = [
    `The ${steady.files} workflows of seeds 001 (Dataknobs: ci, release, docs, security, notifications, debug) and 002 (CODITECT: ci,`,
    'deploy-standalone, deploy-coditect), built to YAML strings in-process, each tool with its own API and its own serializer, no files written:',
    '',
    '- slipway: `bench/workflows/slipway-seeds.ts` (the level-1 builders of `test/github/seeds/`), a new `App` and `Testing.synth(app)`:',
    '  validation (job graph, expressions, matrix, permissions), SHA pinning from the lock, untrusted-input hoisting, YAML;',
    '- projen: `GithubWorkflow` on a `Project` with a `GitHub` component (mergify and PR lint off), `on()`, `addJobs()`, and the',
    "  content its `YamlFile` would write (`synthesizeContent`, projen's resolver and the `yaml` package);",
    '- github-actions-workflow-ts: `Workflow`, `NormalJob`, `Step`, `needs()`, `addJobs()`, and the js-yaml dump and header that `gwf build` writes.',
    '',
    'The projen and github-actions-workflow-ts sources are generated from slipway\'s output (`bench/workflows/codegen.ts`), and every run',
    'first checks that the three tools produce the same documents (`bench/workflows/equivalence.ts`: same parsed content, up to key order,',
    "`needs: x` vs `[x]`, workflow- vs job-level `permissions` — projen's `Job` requires them per job — and projen's generated step ids).",
    'Action references are the same pinned SHAs in all three; only slipway writes the `# vX.Y.Z` comments.',
    '',
    table(['tool', 'steady state ms per 9 workflows, median (min–max)', 'vs slipway', 'first call in a fresh process, ms', 'vs slipway'], rows),
    '',
    "Where slipway's time goes (same process, interleaved): building the constructs, and serializing the 9 documents with slipway's",
    'YAML writer next to js-yaml on the same documents; the rest of slipway\'s time is the synth-time model work (validation, pinning,',
    'permissions, untrusted-input hoisting, rendering the documents):',
    '',
    table(['part', 'ms, median (min–max)'], Object.entries(steady.breakdown).map(([part, x]) => [part, fmt(x, 2)])),
  ].join('\n');
  return { title: 'Workflows vs anchors', markdown, targets };
}
