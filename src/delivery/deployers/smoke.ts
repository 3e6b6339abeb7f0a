import { DeployScript, scriptStep } from './scripts';
import { Application, HealthCheckKind } from '../../core/application';
import { Duration } from '../../core/duration';
import { Step } from '../../github';
import { Environment } from '../environment';
import { SmokeTestKind } from '../smoke-test';

/**
 * The URL an HTTP smoke test probes in an environment, or undefined when the
 * environment has no URL.
 * @internal
 */
export function smokeUrl(env: Environment, app: Application | undefined): string | undefined {
  if (env.smokeTest.url) return env.smokeTest.url;
  if (!env.url) return undefined;
  const path = app?.healthCheck.kind === HealthCheckKind.HTTP ? app.healthCheck.path! : '/';
  return env.url.replace(/\/+$/, '') + path;
}

/** The retry parameters of smoke-test.sh for an environment. @internal */
export function smokeTestEnv(env: Environment): { [name: string]: string } {
  const t = env.smokeTest;
  return {
    SLIPWAY_RETRIES: String(t.retries),
    SLIPWAY_INTERVAL: String(t.interval.toSeconds()),
    SLIPWAY_MAX_TIME: String(t.timeout?.toSeconds() ?? 10),
  };
}

/** The longest a smoke test of `env` can take. @internal */
export function smokeTestBudget(env: Environment): Duration {
  const t = env.smokeTest;
  return Duration.seconds(t.retries * (t.interval.toSeconds() + (t.timeout?.toSeconds() ?? 10)) + 60);
}

/**
 * A step that checks `url` from the runner with retries, failing the job
 * when every attempt failed.
 * @internal
 */
export function httpCheckStep(name: string, url: string, env: Environment): Step {
  const extra: { [name: string]: string } = {};
  if (env.smokeTest.expectText) extra.SLIPWAY_EXPECT_TEXT = env.smokeTest.expectText;
  return scriptStep(DeployScript.SMOKE_TEST, ['url', '"$SMOKE_URL"'], {
    name,
    env: { SMOKE_URL: url, ...smokeTestEnv(env), ...extra },
    timeout: smokeTestBudget(env),
  });
}

/**
 * The smoke test of an environment when it has a URL or a command, else undefined.
 * @internal
 */
export function standardSmokeTest(env: Environment, app: Application | undefined, label: string): Step | undefined {
  if (env.smokeTest.kind === SmokeTestKind.COMMAND) {
    return scriptStep(DeployScript.SMOKE_TEST, ['command'], {
      name: `Smoke test ${label}`,
      env: { SLIPWAY_CHECK_COMMAND: env.smokeTest.checkCommand!, ...smokeTestEnv(env) },
      timeout: smokeTestBudget(env),
    });
  }
  const url = smokeUrl(env, app);
  return url ? httpCheckStep(`Smoke test ${label}`, url, env) : undefined;
}

/**
 * A bake step: wait, so problems surface before the next step.
 * @internal
 */
export function bakeStep(app: Application, weight: number, seconds: number): Step {
  return Step.run(`sleep ${seconds}`, { name: `Bake ${app.name} at ${weight}% for ${seconds}s`, timeout: Duration.seconds(seconds + 60) });
}
