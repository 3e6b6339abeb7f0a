/** Section 4 as reported: slipway's HelmChart vs cdk8s-plus-27 by hand, in-process, interleaved. */
import { inChild } from '../lib/child';
import { Section, Target } from '../lib/report';
import { fmt, ratio, Summary, table } from '../lib/stats';

const SLIPWAY = "slipway's HelmChart";
const CDK8S = 'cdk8s-plus-27 by hand';

export function kubernetesSection(rounds: number, log: (s: string) => void, sizes = [10, 100]): Section {
  log(`kubernetes: N = ${sizes.join(', ')}, ${rounds} interleaved rounds after warm-up calls`);
  const r = inChild<{ [n: string]: { [tool: string]: Summary } }>(['kubernetes', String(rounds), sizes.join(',')]);
  const rows: string[][] = [];
  const targets: Target[] = [];
  for (const n of sizes) {
    const s = r[n][SLIPWAY];
    const c = r[n][CDK8S];
    const x = s.median / c.median;
    rows.push([String(n), fmt(c, 1), fmt(s, 1), ratio(x)]);
    if (n === Math.max(...sizes)) {
      targets.push({ name: `Kubernetes target overhead vs raw cdk8s-plus-27 (N = ${n})`, measured: ratio(x), goal: '≤ 1.3×', met: x <= 1.3 });
    }
  }
  const markdown = [
    'N web applications, each a Deployment (probes, resources, hardened security context, a /tmp volume), a Service, a ServiceAccount',
    'and a PodDisruptionBudget (`bench/kubernetes/builders.ts`):',
    '',
    "- slipway: an `Application` and a `HelmChart` per application, `Testing.synth(app)`: the four templates (cdk8s-plus-27's typed",
    '  `k8s` objects with Helm expressions), `values.yaml` with comments, `values.schema.json`, `Chart.yaml`, `NOTES.txt`, and the check of',
    '  every template against the values;',
    '- cdk8s-plus-27: the same four objects per application with its L2 constructs (`Deployment`, `Service`, `ServiceAccount`) and',
    "  `k8s.KubePodDisruptionBudget`, one `Chart` per application, `app.synthYaml()`.",
    '',
    table(['N applications', 'cdk8s-plus-27 ms, median (min–max)', 'slipway ms', 'slipway / cdk8s-plus-27'], rows),
  ].join('\n');
  return { title: 'Kubernetes vs raw cdk8s', markdown, targets };
}
