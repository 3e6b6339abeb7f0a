import { DeployScript, deployScriptPath } from '../../core/deploy-scripts';
import { RunStepOptions, Step } from '../../github';
import { scriptStep as runScript } from '../../github/script-step';

/**
 * A step that runs one of slipway's deploy scripts.
 * @internal
 */
export function scriptStep(script: DeployScript, args: Array<string | number>, options: RunStepOptions): Step {
  return runScript(deployScriptPath(script), args, options);
}

export { DeployScript };
