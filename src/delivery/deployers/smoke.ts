import { Application, HealthCheckKind } from '../../core/application';
import { Step } from '../../github';
import { Environment } from '../environment';
import { SmokeTestKind } from '../smoke-test';
import { shq } from './deployer';

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

/**
 * A step that checks `url` with retries (curl), optionally with extra
 * headers (e.g. to reach the canary), failing the job when every attempt failed.
 * @internal
 */
export function httpCheckStep(name: string, url: string, env: Environment, headers: string[] = []): Step {
  const t = env.smokeTest;
  const expect = t.expectText ? ` | grep -q ${shq(t.expectText)}` : ' > /dev/null';
  const headerArgs = headers.map((h) => ` -H ${shq(h)}`).join('');
  return Step.run([
    `for attempt in $(seq 1 ${t.retries}); do`,
    `  if curl -fsSL --max-time ${t.timeout?.toSeconds() ?? 10}${headerArgs} "$SMOKE_URL"${expect}; then`,
    '    echo "healthy: $SMOKE_URL (attempt $attempt)"; exit 0',
    '  fi',
    `  echo "attempt $attempt/${t.retries} failed; retrying in ${t.interval.toSeconds()}s"`,
    `  sleep ${t.interval.toSeconds()}`,
    'done',
    'echo "::error::smoke test failed: $SMOKE_URL"',
    'exit 1',
  ].join('\n'), { name, env: { SMOKE_URL: url } });
}

/**
 * A step that runs the environment's command smoke test with retries.
 * @internal
 */
export function commandCheckStep(name: string, env: Environment): Step {
  const t = env.smokeTest;
  return Step.run([
    `for attempt in $(seq 1 ${t.retries}); do`,
    `  if ${t.checkCommand}; then exit 0; fi`,
    `  echo "attempt $attempt/${t.retries} failed; retrying in ${t.interval.toSeconds()}s"`,
    `  sleep ${t.interval.toSeconds()}`,
    'done',
    'echo "::error::smoke test failed"',
    'exit 1',
  ].join('\n'), { name });
}

/**
 * The smoke test of an environment when it has a URL or a command, else undefined.
 * @internal
 */
export function standardSmokeTest(env: Environment, app: Application | undefined, label: string, headers: string[] = []): Step | undefined {
  if (env.smokeTest.kind === SmokeTestKind.COMMAND) return commandCheckStep(`Smoke test ${label}`, env);
  const url = smokeUrl(env, app);
  return url ? httpCheckStep(`Smoke test ${label}`, url, env, headers) : undefined;
}

/**
 * A bake step: wait, so problems surface before the next step.
 * @internal
 */
export function bakeStep(app: Application, weight: number, seconds: number): Step {
  return Step.run(`sleep ${seconds}`, { name: `Bake ${app.name} at ${weight}% for ${seconds}s` });
}
