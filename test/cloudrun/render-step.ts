import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudRunDeployment } from '../../src/cloudrun';
import { DeployScript, deployScriptPath, deployScriptSource } from '../../src/core/deploy-scripts';

/** What the render step produced. */
export interface RenderResult {
  /** Rendered spec file name → content. */
  readonly specs: { [file: string]: string };
  /** The `revision` step output. */
  readonly revision: string;
}

/**
 * Runs the deployment's render step (`cloud-run.sh render`) with bash and
 * the step's env, the way the runner does,
 * in a temporary copy of the synthesized files. Throws (with the step's
 * stdout on the error) when the script fails.
 */
export function runRenderStep(files: { [path: string]: string }, deployment: CloudRunDeployment, digest: string): RenderResult {
  const render = deployment.setupSteps().find((s) => s.id === deployment.renderStepId)!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-cloudrun-render-'));
  try {
    const scripts = Object.fromEntries(Object.values(DeployScript).map((s) => [deployScriptPath(s), deployScriptSource(s)]));
    for (const [p, content] of Object.entries({ ...scripts, ...files })) {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), content);
    }
    const runnerTemp = path.join(dir, 'runner-temp');
    const outputFile = path.join(dir, 'github-output');
    fs.writeFileSync(outputFile, '');
    execFileSync('bash', ['-c', render.script!], {
      cwd: dir,
      // the step's own env, with the digest expression as the runner would have evaluated it
      env: { PATH: process.env.PATH, RUNNER_TEMP: runnerTemp, GITHUB_OUTPUT: outputFile, ...render.env, SLIPWAY_IMAGE_DIGEST: digest },
      encoding: 'utf8',
    });
    const out = path.join(runnerTemp, 'slipway-cloudrun');
    const specs: { [file: string]: string } = {};
    for (const f of fs.readdirSync(out).sort()) specs[f] = fs.readFileSync(path.join(out, f), 'utf8');
    const revision = /^revision=(.*)$/m.exec(fs.readFileSync(outputFile, 'utf8'))![1];
    return { specs, revision };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
