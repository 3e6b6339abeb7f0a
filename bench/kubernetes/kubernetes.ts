/**
 * Section 4, Kubernetes vs raw cdk8s: N applications' Deployments, Services,
 * ServiceAccounts and PodDisruptionBudgets through slipway's HelmChart
 * (templates, values.yaml, values.schema.json, Chart.yaml, NOTES.txt, and
 * the checks of every template against the values) vs the same objects
 * hand-built with cdk8s-plus-27 and rendered with `app.synthYaml()`.
 */
import { cdk8sPlusCharts, slipwayCharts } from './builders';
import { interleave } from '../lib/interleave';

export const SLIPWAY = "slipway's HelmChart";
export const CDK8S = 'cdk8s-plus-27 by hand';

export function measureKubernetes(sizes: number[], rounds: number) {
  const out: { [n: string]: { [tool: string]: unknown } } = {};
  for (const n of sizes) {
    const r = interleave([
      { name: SLIPWAY, run: () => slipwayCharts(n) },
      { name: CDK8S, run: () => cdk8sPlusCharts(n) },
    ], { rounds, warmup: n >= 100 ? 3 : 10, batch: n >= 100 ? 1 : 5 });
    out[n] = Object.fromEntries(r);
  }
  return out;
}
