import type * as model from './cloudrun-model';
import { CloudRunProtocol } from './options';
import { MAX_STARTUP_BUDGET_SECONDS } from './rules';
import { Application, HealthCheckKind } from '../core/application';

/**
 * Startup and liveness probes of a Cloud Run service, rendered from the
 * application's health check.
 * @internal
 */
export interface RenderedProbes {
  readonly startupProbe?: model.Probe;
  readonly livenessProbe?: model.Probe;
  readonly problems: string[];
}

/**
 * Renders the health check the way Cloud Run supports it:
 * - HTTP: an HTTP startup probe (budget `startupGrace`) and an HTTP liveness probe;
 * - TCP: a TCP startup probe only (Cloud Run has no TCP liveness probes);
 * - command: not supported (Cloud Run has no exec probes): a problem.
 *
 * @see https://cloud.google.com/run/docs/configuring/healthchecks
 * @internal
 */
export function renderProbes(app: Application, protocol: CloudRunProtocol): RenderedProbes {
  const hc = app.healthCheck;
  const problems: string[] = [];
  if (hc.kind === HealthCheckKind.COMMAND) {
    return { problems: ['healthCheck is a command check (HealthCheck.command), but Cloud Run has no exec probes; use HealthCheck.http(\'/health\') or HealthCheck.tcp()'] };
  }
  if (hc.port !== undefined && hc.port !== app.port) {
    problems.push(`healthCheck.port is ${hc.port}, but Cloud Run probes only the serving port ${app.port}; remove healthCheck.port or serve the check on port ${app.port}`);
  }
  if (hc.kind === HealthCheckKind.HTTP && protocol === CloudRunProtocol.H2C) {
    problems.push('healthCheck is an HTTP check, but Cloud Run sends HTTP probes over HTTP/1 and the service uses protocol h2c; use HealthCheck.tcp() or CloudRunProtocol.HTTP1');
  }
  const period = hc.interval.toSeconds();
  const timeout = hc.timeout.toSeconds();
  const startupFailures = Math.max(1, Math.ceil(hc.startupGrace.toSeconds() / Math.max(1, period)));
  if (period < 1 || period > MAX_STARTUP_BUDGET_SECONDS) {
    problems.push(`healthCheck interval is ${period} s; Cloud Run startup probes need 1..${MAX_STARTUP_BUDGET_SECONDS} s`);
  }
  if (timeout < 1 || timeout > period) {
    problems.push(`healthCheck timeout is ${timeout} s; Cloud Run needs 1 s up to the interval (${period} s)`);
  }
  if (startupFailures * period > MAX_STARTUP_BUDGET_SECONDS) {
    problems.push(`healthCheck startupGrace gives a startup budget of ${startupFailures} × ${period} s = ${startupFailures * period} s; Cloud Run allows at most ${MAX_STARTUP_BUDGET_SECONDS} s`);
  }
  const action = hc.kind === HealthCheckKind.HTTP
    ? { httpGet: { path: hc.path!, port: app.port } }
    : { tcpSocket: { port: app.port } };
  const startupProbe: model.Probe = { ...action, timeoutSeconds: timeout, periodSeconds: period, failureThreshold: startupFailures };
  const livenessProbe: model.Probe | undefined = hc.kind === HealthCheckKind.HTTP
    ? { ...action, timeoutSeconds: timeout, periodSeconds: period, failureThreshold: hc.failureThreshold }
    : undefined;
  return { startupProbe, livenessProbe, problems };
}
