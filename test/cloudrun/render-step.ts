import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudRunDeployment } from '../../src/cloudrun';

/** What the render step produced. */
export interface RenderResult {
  /** Rendered spec file name → content. */
  readonly specs: { [file: string]: string };
  /** The `revision` step output. */
  readonly revision: string;
}

/**
 * Runs the deployment's render step with bash, the way the runner does,
 * in a temporary copy of the synthesized files. Throws (with the step's
 * stdout on the error) when the script fails.
 */
export function runRenderStep(files: { [path: string]: string }, deployment: CloudRunDeployment, digest: string): RenderResult {
  const render = deployment.setupSteps().find((s) => s.id === deployment.renderStepId)!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-cloudrun-render-'));
  try {
    for (const [p, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), content);
    }
    const runnerTemp = path.join(dir, 'runner-temp');
    const outputFile = path.join(dir, 'github-output');
    fs.writeFileSync(outputFile, '');
    execFileSync('bash', ['-c', render.script!], {
      cwd: dir,
      env: { PATH: process.env.PATH, RUNNER_TEMP: runnerTemp, GITHUB_OUTPUT: outputFile, IMAGE_DIGEST: digest },
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
