/**
 * Runs one in-process benchmark in this process and prints its result as
 * JSON. Started by bench/run.ts as `node --expose-gc --import tsx`, so that
 * the in-process measurements do not share a heap with the runner.
 *
 *   inprocess.ts workflows <rounds>
 *   inprocess.ts workflow-first <tool>
 *   inprocess.ts kubernetes <rounds> <n,n,...>
 */
import { measureKubernetes } from './kubernetes/kubernetes';
import { firstWorkflowCall, measureWorkflows } from './workflows/workflows';

const [what, a, b] = process.argv.slice(2);
let result: unknown;
switch (what) {
  case 'workflows': result = measureWorkflows(Number(a)); break;
  case 'workflow-first': result = firstWorkflowCall(a); break;
  case 'kubernetes': result = measureKubernetes(b.split(',').map(Number), Number(a)); break;
  default: throw new Error(`unknown benchmark "${what}"`);
}
process.stdout.write(JSON.stringify(result) + '\n');
