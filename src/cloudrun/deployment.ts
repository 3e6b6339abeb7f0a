import { CloudRunAuth } from './auth';
import { CloudRunJob } from './job';
import { CloudRunIngress } from './options';
import { CloudRunService } from './service';
import { HealthCheckKind, MigrationPhase } from '../core/application';
import { Duration } from '../core/duration';
import { fail } from '../core/errors';
import { RolloutKind } from '../core/rollout';
import { Action } from '../github/actions/action';
import { Expression } from '../github/expression';
import { Step } from '../github/step';

/**
 * Options of a {@link CloudRunDeployment}.
 */
export interface CloudRunDeploymentOptions {
  /** How the job authenticates to Google Cloud. */
  readonly auth: CloudRunAuth;

  /**
   * An expression giving the digest of the image the pipeline built,
   * `sha256:<64 hex>`, e.g. `${{ needs.build.outputs.digest }}`. It replaces
   * the committed image reference in the service and job specs, and its
   * first hex digits are appended to the revision name.
   * @default - the committed image is deployed as it is (only for
   * `Image.fromRegistry` images with a tag)
   */
  readonly imageDigest?: string;

  /**
   * Check out the repository first (the specs are read from it).
   * @default true
   */
  readonly checkout?: boolean;

  /**
   * Check the new revision from the runner with curl before and between
   * traffic shifts, and the service after promotion. The runner reaches
   * only services whose ingress is `all` that allow unauthenticated calls.
   * Without it, a revision is still only deployed once its startup probe
   * passed.
   * @default - true when the service's ingress is `all`
   */
  readonly runnerHealthCheck?: boolean;

  /**
   * Path the runner's health check requests.
   * @default - the application's HTTP health check path, else "/"
   */
  readonly healthCheckPath?: string;

  /**
   * Attempts of each runner health check before it fails.
   * @default 10
   */
  readonly healthCheckAttempts?: number;

  /**
   * Pause between attempts.
   * @default Duration.seconds(6)
   */
  readonly healthCheckDelay?: Duration;
}

/**
 * The deploy steps of one {@link CloudRunService}, as level-1 workflow
 * steps the delivery layer composes into jobs:
 *
 * 1. check out, authenticate (`google-github-actions/auth`), set up gcloud;
 * 2. render the specs: the built digest replaces the committed image
 *    reference (one known line per spec) and the revision becomes
 *    `<service>-<template hash>-<digest prefix>`;
 * 3. record the revision serving traffic now (the rollback target);
 * 4. run the expand and migrate jobs (`gcloud run jobs replace` +
 *    `gcloud run jobs execute --wait`);
 * 5. `gcloud run services replace`: canary and blue-green deploy the new
 *    revision with no traffic, reachable through its tag URL;
 * 6. canary: check the tag URL, then `update-traffic --to-tags canary=N` for
 *    each step, baking and checking after each, then `--to-latest`;
 * 7. check the service URL, then run the contract job;
 * 8. on failure before the final check passed, `update-traffic
 *    --to-revisions <previous>=100`.
 */
export class CloudRunDeployment {
  /** The service deployed. */
  public readonly service: CloudRunService;
  /** The authentication. */
  public readonly auth: CloudRunAuth;
  /** The digest expression, if any. */
  public readonly imageDigest?: string;
  /** Whether the runner checks the revision's health over HTTP. */
  public readonly runnerHealthCheck: boolean;
  /** The path the runner checks. */
  public readonly healthCheckPath: string;
  /** Attempts per check. */
  public readonly healthCheckAttempts: number;
  /** Pause between attempts. */
  public readonly healthCheckDelay: Duration;
  /** Id of the step that renders the specs; its output `revision` is the deployed revision name. */
  public readonly renderStepId: string;
  /** Id of the step that records the serving revision; its output `revision` is empty on a first deploy. */
  public readonly servingStepId: string;
  /** Id of the final health check; rollback happens only while it has not passed. */
  public readonly verifyStepId: string;

  private readonly checkout: boolean;

  constructor(service: CloudRunService, options: CloudRunDeploymentOptions) {
    this.service = service;
    this.auth = options.auth;
    this.imageDigest = options.imageDigest;
    this.checkout = options.checkout ?? true;
    this.runnerHealthCheck = options.runnerHealthCheck ?? service.ingress === CloudRunIngress.ALL;
    const hc = service.application.healthCheck;
    this.healthCheckPath = options.healthCheckPath ?? (hc.kind === HealthCheckKind.HTTP ? hc.path! : '/');
    this.healthCheckAttempts = options.healthCheckAttempts ?? 10;
    this.healthCheckDelay = options.healthCheckDelay ?? Duration.seconds(6);
    this.renderStepId = `${service.serviceName}-render`;
    this.servingStepId = `${service.serviceName}-serving`;
    this.verifyStepId = `${service.serviceName}-verify`;

    if (this.imageDigest === undefined && service.application.image.defaultTag === undefined) {
      fail(service, `deploying "${service.serviceName}" needs imageDigest: the image ${service.application.image.repository} is built by the pipeline and the committed spec holds the placeholder "${service.committedImage}"; pass the build's digest, e.g. imageDigest: buildJob.output('digest').toString()`);
    }
    if (this.imageDigest !== undefined && !/\$\{\{.+\}\}/.test(this.imageDigest) && !/^sha256:[0-9a-f]{64}$/.test(this.imageDigest)) {
      fail(service, `imageDigest "${this.imageDigest}" is neither an expression such as \${{ needs.build.outputs.digest }} nor a digest sha256:<64 hex digits>`);
    }
    if (this.runnerHealthCheck && service.ingress !== CloudRunIngress.ALL) {
      fail(service, `runnerHealthCheck needs ingress "all": a GitHub runner cannot reach a service with ingress "${service.ingress}"; remove runnerHealthCheck: true or set ingress: CloudRunIngress.ALL`);
    }
    if (!this.healthCheckPath.startsWith('/')) fail(service, `healthCheckPath "${this.healthCheckPath}" must start with "/"`);
    if (!Number.isInteger(this.healthCheckAttempts) || this.healthCheckAttempts < 1) {
      fail(service, `healthCheckAttempts is ${this.healthCheckAttempts}; use an integer ≥ 1`);
    }
  }

  /** Every step, in order: setup, expand and migrate jobs, rollout, contract job, rollback. */
  public steps(): Step[] {
    return [
      ...this.setupSteps(),
      ...this.migrationSteps(MigrationPhase.EXPAND),
      ...this.migrationSteps(MigrationPhase.MIGRATE),
      ...this.rolloutSteps(),
      ...this.migrationSteps(MigrationPhase.CONTRACT),
      this.rollbackStep(),
    ];
  }

  /** Checkout, authentication, gcloud, spec rendering and recording of the serving revision. */
  public setupSteps(): Step[] {
    const steps: Step[] = [];
    if (this.checkout) steps.push(Step.uses(Action.of('actions/checkout', 'v4', { permissions: { contents: 'read' } }), { name: 'Check out' }));
    steps.push(
      Step.uses(this.auth.toAction(), { name: `Authenticate to Google Cloud (${this.auth.description})` }),
      Step.uses(Action.of('google-github-actions/setup-gcloud', 'v2'), { name: 'Set up gcloud' }),
      this.renderStep(),
      this.servingStep(),
    );
    return steps;
  }

  /** The job of a migration phase: replace it, then execute it and wait. Empty when the application has no such phase. */
  public migrationSteps(phase: MigrationPhase): Step[] {
    const job = this.service.migrationJob(phase);
    if (!job) return [];
    return [Step.run(script(
      `gcloud run jobs replace "${this.renderedPath(job)}" ${this.where()}`,
      `gcloud run jobs execute ${job.jobName} ${this.where()} --wait`,
    ), { name: `Migrate ${this.service.serviceName} (${phase})` })];
  }

  /** Deploy, checks, traffic steps and promotion. */
  public rolloutSteps(): Step[] {
    const svc = this.service;
    const tag = svc.trafficTag;
    const hasPrevious = Expression.stepOutput(this.servingStepId, 'revision').ne('');
    const previousEnv = { PREVIOUS_REVISION: Expression.stepOutput(this.servingStepId, 'revision').toString() };
    const steps: Step[] = [];
    if (!tag) {
      steps.push(Step.run(script(`gcloud run services replace "${this.renderedPath(svc)}" ${this.where()}`), { name: `Deploy ${svc.serviceName}` }));
      steps.push(this.checkStep(`Check ${svc.serviceName}`, undefined, this.verifyStepId));
      return steps;
    }
    steps.push(Step.run(script(
      `spec="${this.renderedPath(svc)}"`,
      'if [ -n "$PREVIOUS_REVISION" ]; then',
      '  # keep every request on the serving revision; the new one is reachable only through its tag URL',
      '  sed -E -i \'s#^( *- )latestRevision: true$#\\1revisionName: \'"$PREVIOUS_REVISION"\'#\' "$spec"',
      'fi',
      `gcloud run services replace "$spec" ${this.where()}`,
    ), { name: `Deploy ${svc.serviceName} without traffic (tag ${tag})`, env: previousEnv }));
    steps.push(this.checkStep(`Check the ${tag} revision of ${svc.serviceName}`, tag));

    if (svc.rollout.kind === RolloutKind.CANARY) {
      const bake = svc.rollout.bake!;
      for (const percent of svc.rollout.steps!.filter((p) => p < 100)) {
        steps.push(Step.run(script(`gcloud run services update-traffic ${svc.serviceName} ${this.where()} --to-tags=${tag}=${percent}`), {
          name: `Shift ${percent}% of ${svc.serviceName} to ${tag}`,
          if: hasPrevious.toString(),
        }));
        steps.push(this.checkStep(`Bake ${bake.toHumanString()} at ${percent}% and check ${tag}`, tag, undefined, bake, hasPrevious));
      }
    }
    steps.push(Step.run(script(`gcloud run services update-traffic ${svc.serviceName} ${this.where()} --to-latest`), { name: `Promote ${svc.serviceName} to 100%` }));
    steps.push(this.checkStep(`Check ${svc.serviceName}`, undefined, this.verifyStepId));
    return steps;
  }

  /**
   * Sends all traffic back to the revision that served before the deploy,
   * when a step failed before the final check passed (never after: the
   * contract migration may already have run). Skipped on a first deploy.
   */
  public rollbackStep(): Step {
    const svc = this.service;
    const condition = Expression.allOf(
      Expression.failure(),
      Expression.stepOutput(this.servingStepId, 'revision').ne(''),
      Expression.raw(`steps.${this.verifyStepId}.outcome`).ne('success'),
    );
    return Step.run(script(
      `gcloud run services update-traffic ${svc.serviceName} ${this.where()} --to-revisions="$PREVIOUS_REVISION=100"`,
      `echo "::error::rolled ${svc.serviceName} back to revision $PREVIOUS_REVISION"`,
    ), {
      name: `Roll back ${svc.serviceName}`,
      if: condition.toString(),
      env: { PREVIOUS_REVISION: Expression.stepOutput(this.servingStepId, 'revision').toString() },
    });
  }

  /** `--project=P --region=R`. */
  private where(): string {
    return `--project=${this.service.project} --region=${this.service.region}`;
  }

  /** Where the render step writes a spec. */
  private renderedPath(spec: CloudRunService | CloudRunJob): string {
    return `$RUNNER_TEMP/slipway-cloudrun/${spec.specPath.split('/').pop()}`;
  }

  private renderStep(): Step {
    const svc = this.service;
    const specs = [svc.specPath, ...svc.migrationJobs.map((j) => j.specPath)];
    const lines: string[] = [];
    const env: { [name: string]: string } = {};
    if (this.imageDigest === undefined) {
      lines.push(
        'out="$RUNNER_TEMP/slipway-cloudrun"',
        'mkdir -p "$out"',
        `cp ${specs.join(' ')} "$out/"`,
        `echo "revision=${svc.revisionName}" >> "$GITHUB_OUTPUT"`,
      );
    } else {
      env.IMAGE_DIGEST = this.imageDigest;
      const image = `${svc.application.image.repository}@`;
      lines.push(
        'if [[ ! "$IMAGE_DIGEST" =~ ^sha256:[0-9a-f]{64}$ ]]; then',
        '  echo "::error::IMAGE_DIGEST \'$IMAGE_DIGEST\' is not a digest sha256:<64 hex digits>"',
        '  exit 1',
        'fi',
        'out="$RUNNER_TEMP/slipway-cloudrun"',
        'mkdir -p "$out"',
        `image="${image}$IMAGE_DIGEST"`,
        `revision="${svc.revisionName}-\${IMAGE_DIGEST:7:${CloudRunService.REVISION_HASH_LENGTH}}"`,
        `for spec in ${specs.join(' ')}; do`,
        '  rendered="$out/$(basename "$spec")"',
        '  sed -E \\',
        `    -e 's#^( *(- )?image: )${ere(svc.committedImage)}$#\\1'"$image"'#' \\`,
        `    -e 's#^( *(- )?(name|revisionName): )${ere(svc.revisionName)}$#\\1'"$revision"'#' \\`,
        '    "$spec" > "$rendered"',
        '  grep -qF "image: $image" "$rendered" || { echo "::error::$spec has no image line to substitute; regenerate it with npx slipway synth"; exit 1; }',
        'done',
        'echo "revision=$revision" >> "$GITHUB_OUTPUT"',
        'echo "deploying $image as revision $revision"',
      );
    }
    return Step.run(script(...lines), {
      id: this.renderStepId,
      name: `Render the Cloud Run specs of ${svc.serviceName}`,
      env: Object.keys(env).length ? env : undefined,
    });
  }

  private servingStep(): Step {
    const svc = this.service;
    return Step.run(script(
      'previous=""',
      `if [ -n "$(gcloud run services list ${this.where()} --filter='metadata.name=${svc.serviceName}' --format='value(metadata.name)')" ]; then`,
      `  previous="$(gcloud run services describe ${svc.serviceName} ${this.where()} --format=json \\`,
      '    | jq -r \'[.status.traffic[]? | select((.percent // 0) > 0)] | max_by(.percent) | .revisionName // empty\')"',
      'fi',
      'echo "revision=$previous" >> "$GITHUB_OUTPUT"',
      'echo "serving revision: ${previous:-none (first deploy)}"',
    ), { id: this.servingStepId, name: `Record the serving revision of ${svc.serviceName}` });
  }

  /**
   * A health check of the tag URL (`tag`) or the service URL: curl with
   * retries. Without a runner health check, a no-op that says so.
   */
  private checkStep(name: string, tag: string | undefined, id?: string, bake?: Duration, condition?: Expression): Step {
    const svc = this.service;
    const lines: string[] = [];
    if (bake) lines.push(`sleep ${bake.toSeconds()}`);
    if (!this.runnerHealthCheck) {
      lines.push(`echo "ingress ${svc.ingress}: the runner cannot reach ${svc.serviceName}; Cloud Run admitted the revision after its startup probe passed"`);
    } else {
      lines.push(tag
        ? `url="$(gcloud run services describe ${svc.serviceName} ${this.where()} --format=json | jq -r '.status.traffic[]? | select(.tag == "${tag}") | .url' | head -n 1)"`
        : `url="$(gcloud run services describe ${svc.serviceName} ${this.where()} --format='value(status.url)')"`);
      lines.push(`[ -n "$url" ] || { echo "::error::${svc.serviceName} has no ${tag ? `URL for tag ${tag}` : 'URL'}"; exit 1; }`);
      const target = `$url${this.healthCheckPath === '/' ? '/' : this.healthCheckPath}`;
      const attempts = this.healthCheckAttempts;
      const http = svc.application.healthCheck.kind === HealthCheckKind.HTTP || this.healthCheckPath !== '/';
      lines.push(`for attempt in $(seq 1 ${attempts}); do`);
      if (http) {
        lines.push(`  if curl -fsS --max-time 10 -o /dev/null "${target}"; then echo "healthy: ${target}"; exit 0; fi`);
      } else {
        // no HTTP health endpoint: any HTTP answer below 500 shows the revision serves
        lines.push(`  code="$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "${target}" || true)"`);
        lines.push(`  if [ "$code" != "000" ] && [ "$code" -lt 500 ]; then echo "serving: ${target} answered $code"; exit 0; fi`);
      }
      lines.push(
        `  echo "attempt $attempt/${attempts}: ${target} is not healthy yet"`,
        `  sleep ${this.healthCheckDelay.toSeconds()}`,
        'done',
        `echo "::error::${target} failed its health check ${attempts} times"`,
        'exit 1',
      );
    }
    return Step.run(script(...lines), { id, name, if: condition?.toString() });
  }
}

/** A bash script that stops at the first failing command, pipes included. */
function script(...lines: string[]): string {
  return ['set -euo pipefail', ...lines].join('\n') + '\n';
}

/** Escapes a literal for a sed -E pattern. */
function ere(literal: string): string {
  return literal.replace(/[.[\]*^$+?(){}|\\]/g, '\\$&');
}
