import * as path from 'path';
import { IConstruct } from 'constructs';
import { loadDefinition } from './load';
import { describeFailure } from './synth';

/**
 * `slipway graph [--app slipway.ts]`: prints each pipeline's Mermaid
 * flowchart (jobs, needs, environments and gates). Synthesis also writes
 * it to each pipeline's graph file and the build job's run summary.
 */
export function graphCommand(
  opts: { readonly app: string; readonly pipeline?: string; readonly verbose?: boolean },
  log: (s: string) => void,
  err: (s: string) => void,
): number {
  let apps;
  try {
    apps = loadDefinition(opts.app, path.dirname(path.resolve(opts.app)));
  } catch (e) {
    err(describeFailure(e, path.relative(process.cwd(), opts.app) || opts.app, undefined, opts.verbose));
    return 2;
  }
  const pipelines = apps.flatMap((a) => a.node.findAll()).filter((c: IConstruct) => typeof (c as any).toMermaid === 'function');
  const chosen = opts.pipeline ? pipelines.filter((p) => p.node.id === opts.pipeline) : pipelines;
  if (chosen.length === 0) {
    err(opts.pipeline
      ? `slipway: no pipeline "${opts.pipeline}"; pipelines: ${pipelines.map((p) => p.node.id).join(', ') || 'none'}`
      : `slipway: ${opts.app} defines no Pipeline`);
    return 2;
  }
  try {
    for (const p of chosen) {
      log(`%% pipeline ${p.node.path}`);
      log((p as any).toMermaid().trimEnd());
    }
  } catch (e) {
    err(describeFailure(e, path.relative(process.cwd(), opts.app) || opts.app, undefined, opts.verbose));
    return 2;
  }
  return 0;
}
