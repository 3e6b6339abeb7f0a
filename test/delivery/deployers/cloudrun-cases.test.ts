import { CLOUDRUN_STRATEGIES, cloudRunDefinition, deploy, seedService, serving, WORKFLOW, JOB } from './cloudrun-scenarios';
import { scenarioSim } from './scenario';
import * as YAML from 'yaml';
import { calls } from '../../support/deploy';
jest.setTimeout(120_000);
test.each(CLOUDRUN_STRATEGIES)('scratch %s', async (strategy) => {
  const c = cloudRunDefinition(strategy);
  if (strategy === 'canary') process.stdout.write(YAML.stringify(c.workflow(WORKFLOW).jobs[JOB]));
  process.stdout.write(Object.keys(c.files).join('\n') + '\n');
  const sim = scenarioSim();
  seedService(sim, 'split');
  const t = Date.now();
  const r = await deploy(c, sim);
  process.stdout.write(`${strategy}: ${r.result} ${Date.now() - t}ms ${JSON.stringify(r.outputs)}\n${r.steps.map((s) => `  ${s.outcome} ${s.name}`).join('\n')}\n${r.log.slice(-3000)}\n${JSON.stringify(serving(sim), null, 1)}\n`);
  process.stdout.write(calls(sim).map((x) => x.tool + ' ' + x.argv.join(' ')).join('\n') + '\n');
});
