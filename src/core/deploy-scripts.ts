import { readFileSync } from 'fs';
import * as path from 'path';
import { Construct, IConstruct } from 'constructs';
import { packageRoot } from './package-root';
import { HeaderStyle, SynthesisSession } from './synthesis';

/**
 * Where synthesis writes the deploy scripts, relative to the output
 * directory (the repository root): deploy jobs check the repository out and
 * run them from there, so a deploy runs the scripts of the commit it deploys.
 * @internal
 */
export const DEPLOY_SCRIPT_DIR = '.github/slipway';

/**
 * The deploy scripts. Their sources live in `assets/deploy/` of the package:
 * real shell files, shellcheck-clean, executed by the tests against stub tools.
 * @internal
 */
export enum DeployScript {
  /** Functions every script sources. */
  LIB = 'lib.sh',
  /** A Helm release: record, migrate, deploy, shift, promote, roll back. */
  HELM = 'helm-release.sh',
  /** Smoke tests and metric gates from inside the cluster. */
  CLUSTER_CHECK = 'cluster-check.sh',
  /** A Cloud Run service: render, record, migrate, deploy, shift, promote, check, roll back. */
  CLOUD_RUN = 'cloud-run.sh',
  /** Smoke tests from the runner: a URL or the environment's command, with retries. */
  SMOKE_TEST = 'smoke-test.sh',
  /** Custom targets: the deployed and validated releases as git tags. */
  RELEASE_MARKER = 'release-marker.sh',
  /** The deploy job's outputs: whether a rollback ran and succeeded. */
  REPORT = 'report.sh',
}

const assets = () => path.join(packageRoot(), 'assets', 'deploy');

/** The path of a deploy script relative to the output directory. @internal */
export function deployScriptPath(script: DeployScript): string {
  return `${DEPLOY_SCRIPT_DIR}/${script}`;
}

/** The source of a deploy script. @internal */
export function deployScriptSource(script: DeployScript): string {
  return readFileSync(path.join(assets(), script), 'utf8');
}

/**
 * The condition of rollback steps: something failed, or the job was
 * cancelled or reached its timeout (which GitHub reports as cancelled, and
 * where `failure()` alone is false).
 * @internal
 */
export const ROLLBACK_CONDITION = 'failure() || cancelled()';

/** The scripts each kind of deploy runs (lib.sh, which they all source, comes with any of them). @internal */
export const SCRIPTS_OF = {
  kubernetes: [DeployScript.HELM, DeployScript.CLUSTER_CHECK, DeployScript.SMOKE_TEST, DeployScript.REPORT],
  cloudRun: [DeployScript.CLOUD_RUN, DeployScript.SMOKE_TEST, DeployScript.REPORT],
  custom: [DeployScript.RELEASE_MARKER, DeployScript.SMOKE_TEST, DeployScript.REPORT],
};

/**
 * Writes the deploy scripts the app's deploy jobs run, once per app, under
 * {@link DEPLOY_SCRIPT_DIR}.
 * @internal
 */
export class DeployScripts extends Construct {
  /** The one instance of the app that holds `scope`. */
  public static of(scope: IConstruct): DeployScripts {
    const root = scope.node.root;
    return (root.node.tryFindChild(DeployScripts.ID) as DeployScripts | undefined) ?? new DeployScripts(root as Construct, DeployScripts.ID);
  }

  private static readonly ID = 'slipway-deploy-scripts';
  private readonly used = new Set<DeployScript>();

  /** Adds scripts to write (and lib.sh, which every script sources). */
  public use(...scripts: DeployScript[]): this {
    for (const s of [DeployScript.LIB, ...scripts]) this.used.add(s);
    return this;
  }

  /** @internal */
  public _synthesize(session: SynthesisSession): void {
    for (const script of Object.values(DeployScript).filter((s) => this.used.has(s))) {
      session.addText(this, deployScriptPath(script), deployScriptSource(script), HeaderStyle.HASH);
    }
  }
}
