import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DeployTarget, expectEqual } from './matrix';
import { Checkout, run, RunOptions, RunResult, scenarioSim } from './scenario';
import { Application, Check, Environment, HealthCheck, Image, Migration, Pipeline, Rollout, SmokeTest, Target, Testing } from '../../../src';
import { setUrlHealth } from '../../support/deploy';

/*
 * A custom target under the runner simulator. Where each behaviour comes from:
 * - git is real: `origin` is a bare repository inside the sim directory (`$SLIPWAY_SIM/origin.git`), the
 *   workspace a repository whose `origin` remote points at it; the release tags live on origin.
 * - The user's commands are tiny tools of these tests, on PATH (see `toolsDir`):
 *   `app-ctl deploy|rollback SHA` (the definition's deploy and rollback commands: the environment runs SHA,
 *   written to `$SLIPWAY_SIM/running` 10 simulated seconds after it starts; it takes 30 s) and
 *   `migrate expand|contract` (the migrations, 30 s, appended to `$SLIPWAY_SIM/migrations`).
 * - A `git` wrapper in front of the real git logs the calls that reach origin (`ls-remote`, `push`, `fetch`)
 *   to `$SLIPWAY_SIM/calls.log` as tool `git`, like the stubs log theirs, and fails them on a fault of tool
 *   `git`; `app-ctl` and `migrate` do the same as tools `app-ctl` and `migrate`. Faults use the stubs'
 *   `faults.json`/`fault-counts.json` (same `match`/`nth` rules, TOOLS.md), so the generic matrix injects them
 *   with `faultAtCall`. Effects: `fail` (exit 1, nothing changes), `hang` (never returns).
 * - The smoke test is the synthesized `smoke-test.sh` against the stub curl (`setUrlHealth`).
 */

export const ENV = 'preprod';
export const WORKFLOW = 'ci.yml';
export const DEPLOY_JOB = `deploy-${ENV}`;
export const VALIDATE_JOB = `validate-${ENV}`;
export const URL = 'https://web.example.com/health';
export const DEPLOYED_TAG = `slipway/deployed/${ENV}`;
export const VALIDATED_TAG = `slipway/validated/${ENV}`;

export type CustomKind = 'all-at-once' | 'deploy-first';

const REAL_GIT = execFileSync('bash', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'dev',
  GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'dev',
  GIT_COMMITTER_EMAIL: 'dev@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

/** Real git, for the tests themselves (never the wrapper, never a fault). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync(REAL_GIT, args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

const FAULT_LIB = `# shellcheck shell=bash
# sim_call TOOL ARGS...: logs the call to $SLIPWAY_SIM/calls.log and applies the fault that fires for it
# (faults.json, the stubs' rules: every fault of TOOL whose match is in the joined argv counts the call; the
# first whose nth is reached, or that has none, fires).
sim_call() {
  local tool="$1" effect
  shift
  [ -n "\${SLIPWAY_SIM:-}" ] || return 0
  exec 9>>"$SLIPWAY_SIM/.tools.lock"
  flock 9
  jq -cn --arg tool "$tool" '{tool: $tool, argv: $ARGS.positional} + (if env.GITHUB_ACTION then {action: env.GITHUB_ACTION} else {} end)' --args -- "$@" >> "$SLIPWAY_SIM/calls.log"
  [ -f "$SLIPWAY_SIM/fault-counts.json" ] || echo '{}' > "$SLIPWAY_SIM/fault-counts.json"
  jq -c --arg tool "$tool" --arg joined "$*" --slurpfile counts "$SLIPWAY_SIM/fault-counts.json" '
    reduce (to_entries[]) as $e ({counts: $counts[0], fired: null};
      ($e.key | tostring) as $k
      | if $e.value.tool == $tool and ($joined | contains($e.value.match // "")) then
          .counts[$k] = ((.counts[$k] // 0) + 1)
          | (if $e.value.nth != null then $e.value.nth elif $e.value.effect == "transient" then 1 else null end) as $nth
          | if .fired == null and ($nth == null or $nth == .counts[$k]) then .fired = $e.value.effect else . end
        else . end)' "$SLIPWAY_SIM/faults.json" > "$SLIPWAY_SIM/.tools.out"
  jq -c .counts "$SLIPWAY_SIM/.tools.out" > "$SLIPWAY_SIM/fault-counts.json"
  effect="$(jq -r '.fired // empty' "$SLIPWAY_SIM/.tools.out")"
  flock -u 9
  exec 9>&-
  case "$effect" in
    '') return 0 ;;
    hang) exec /usr/bin/sleep 100000 ;;
    *)
      echo "$tool: injected fault ($effect): $*" >&2
      return 1 ;;
  esac
}
`;

const GIT_WRAPPER = `#!/usr/bin/env bash
# git of the scenarios: real git; the calls that reach origin are logged and may fail by a fault (tool "git").
. "$(dirname "\${BASH_SOURCE[0]}")/sim-call.sh"
sub=""
args=("$@")
for ((i = 0; i < \${#args[@]}; i++)); do
  case "\${args[$i]}" in
    -C|-c) i=$((i + 1)) ;;
    -*) ;;
    *) sub="\${args[$i]}"; break ;;
  esac
done
case "$sub" in
  ls-remote|push|fetch) sim_call git "$@" || { echo "fatal: unable to access 'origin': Could not connect to server" >&2; exit 128; } ;;
esac
exec ${REAL_GIT} "$@"
`;

const APP_CTL = `#!/usr/bin/env bash
# app-ctl deploy|rollback SHA: the user's deploy and rollback commands in the scenarios. The environment runs
# SHA ($SLIPWAY_SIM/running) 10 simulated seconds after the start; the command takes 30 s.
. "$(dirname "\${BASH_SOURCE[0]}")/sim-call.sh"
sim_call app-ctl "$@" || exit 1
case "$1" in deploy|rollback) ;; *) echo "app-ctl: unsupported: $*" >&2; exit 64 ;; esac
if ! [[ "\${2:-}" =~ ^[0-9a-f]{40}$ ]]; then echo "app-ctl: not a commit: '\${2:-}'" >&2; exit 2; fi
sleep 10
printf '%s\\n' "$2" > "$SLIPWAY_SIM/running"
sleep 20
echo "app-ctl: running $2"
`;

const MIGRATE = `#!/usr/bin/env bash
# migrate expand|contract: a migration of the scenarios (30 simulated seconds).
. "$(dirname "\${BASH_SOURCE[0]}")/sim-call.sh"
sim_call migrate "$@" || exit 1
sleep 10
printf '%s\\n' "$1" >> "$SLIPWAY_SIM/migrations"
sleep 20
echo "migrated ($1)"
`;

let tools: string | undefined;

/**
 * The directory of the scenarios' tools (git wrapper, app-ctl, migrate). Jobs get PATH from
 * `process.env.PATH` (simEnv), so it is put in front of it for this test file's jobs: the stubs come
 * first, then these tools, then the machine's.
 */
export function installTools(): string {
  if (tools) return tools;
  tools = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-custom-tools-'));
  fs.writeFileSync(path.join(tools, 'sim-call.sh'), FAULT_LIB);
  for (const [name, text] of Object.entries({ 'git': GIT_WRAPPER, 'app-ctl': APP_CTL, 'migrate': MIGRATE })) {
    fs.writeFileSync(path.join(tools, name), text, { mode: 0o755 });
  }
  process.env.PATH = `${tools}${path.delimiter}${process.env.PATH}`;
  return tools;
}

export interface DefinitionOptions {
  /** Expand and contract migrations (default true). */
  readonly migrations?: boolean;
  /** The definition's rollback commands (default `app-ctl rollback "$SLIPWAY_ROLLBACK_SHA"`). */
  readonly rollback?: string[];
}

/**
 * A synthesized definition in a git workspace. The workspace has commits `old` (what runs before the
 * scenario) and `new` (the commit deployed); `commit()` adds more. Its origin is made by {@link seedWorld}.
 */
export class GitCheckout extends Checkout {
  public readonly old: string;
  public readonly new: string;
  private n = 0;

  constructor(files: { [path: string]: string }, public readonly kind: CustomKind) {
    super(files);
    git(this.dir, 'init', '-q', '-b', 'main');
    this.old = this.commit('old');
    this.new = this.commit('new');
  }

  /** A new commit on main (a change of app.txt), pushed when origin exists; returns its SHA. */
  public commit(label: string): string {
    this.n++;
    fs.writeFileSync(path.join(this.dir, 'app.txt'), `${label}\n`);
    git(this.dir, 'add', '-A');
    const date = `2024-01-01T00:${String(this.n).padStart(2, '0')}:00Z`;
    execFileSync(REAL_GIT, ['commit', '-q', '-m', label], { cwd: this.dir, env: { ...process.env, ...GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
    const sha = git(this.dir, 'rev-parse', 'HEAD');
    if (this.hasOrigin()) git(this.dir, 'push', '-q', 'origin', 'main');
    return sha;
  }

  /**
   * The workspace as actions/checkout leaves it for a job of commit `sha` (fetch-depth 0): that commit
   * checked out, the tags as origin has them now.
   */
  public checkoutFor(sha: string): void {
    git(this.dir, 'fetch', '-q', '--force', '--prune', '--prune-tags', 'origin', '+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*');
    git(this.dir, 'checkout', '-q', '--detach', sha);
  }

  private hasOrigin(): boolean {
    return git(this.dir, 'remote').split('\n').includes('origin');
  }
}

/** One application deployed to `preprod` by the commands of a custom target, all at once or deploy-first. */
export function customDefinition(kind: CustomKind, o: DefinitionOptions = {}): GitCheckout {
  installTools();
  const app = Testing.app();
  const web = new Application(app, 'web', {
    image: Image.fromRegistry('web'),
    port: 8501,
    healthCheck: HealthCheck.http('/health'),
    migration: o.migrations === false ? undefined : Migration.phases({ expand: ['migrate', 'expand'], contract: ['migrate', 'contract'] }),
  });
  const preprod = new Environment(app, ENV, {
    target: Target.custom({
      deploy: ['app-ctl deploy "$SLIPWAY_SHA"'],
      rollback: o.rollback ?? ['app-ctl rollback "$SLIPWAY_ROLLBACK_SHA"'],
    }),
    rollout: kind === 'deploy-first' ? Rollout.deployFirst() : Rollout.allAtOnce(),
    url: 'https://web.example.com',
    // one attempt: a smoke test that fails once fails the deploy
    smokeTest: SmokeTest.http({ retries: 1 }),
  });
  new Pipeline(app, 'ci', { applications: [web], checks: [Check.test('tests', ['true'])], stages: [preprod] });
  return new GitCheckout(Testing.synth(app), kind);
}

/** What the world is: the commits the checks compare with. */
interface World {
  readonly old: string;
  readonly new: string;
  readonly kind: CustomKind;
}

export interface SeedOptions {
  /** The release deployed (and, deploy-first, validated) before the scenario; `none`: no release yet. Default `old`. */
  readonly deployed?: string | 'none';
  readonly validated?: string | 'none';
  /** What runs (default: the deployed release). */
  readonly running?: string | 'none';
}

/** A sim with origin (the workspace's remote), the release tags and what runs, as an earlier deploy left them. */
export function seedWorld(checkout: GitCheckout, o: SeedOptions = {}): string {
  const sim = scenarioSim();
  const origin = path.join(sim, 'origin.git');
  git(sim, 'init', '-q', '--bare', '-b', 'main', origin);
  git(checkout.dir, 'remote', 'add', 'origin', `file://${origin}`);
  git(checkout.dir, 'push', '-q', 'origin', 'main');
  const deployed = o.deployed ?? checkout.old;
  const validated = o.validated ?? (checkout.kind === 'deploy-first' ? deployed : 'none');
  if (deployed !== 'none') git(origin, 'tag', '-f', DEPLOYED_TAG, deployed);
  if (validated !== 'none') git(origin, 'tag', '-f', VALIDATED_TAG, validated);
  const runs = o.running ?? deployed;
  if (runs !== 'none') fs.writeFileSync(path.join(sim, 'running'), `${runs}\n`);
  fs.writeFileSync(path.join(sim, 'world.json'), JSON.stringify({ old: checkout.old, new: checkout.new, kind: checkout.kind }));
  setUrlHealth(sim, URL, { status: 200, body: 'ok' });
  return sim;
}

export function world(sim: string): World {
  return JSON.parse(fs.readFileSync(path.join(sim, 'world.json'), 'utf8'));
}

/** The commit the environment runs (`none` before any deploy). */
export function running(sim: string): string {
  const f = path.join(sim, 'running');
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim() : 'none';
}

/** The commit a tag points at on origin (`none`: no tag). */
export function originTag(sim: string, tag: string): string {
  try {
    return git(path.join(sim, 'origin.git'), 'rev-parse', '-q', '--verify', `refs/tags/${tag}^{commit}`);
  } catch {
    return 'none';
  }
}

/** The migrations that ran, in order. */
export function migrations(sim: string): string[] {
  const f = path.join(sim, 'migrations');
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean) : [];
}

/** What runs and what the tags say, with commit names for messages. */
export function state(sim: string): { running: string; deployed: string; validated: string } {
  const w = world(sim);
  const name = (sha: string) => (sha === w.old ? 'old' : sha === w.new ? 'new' : sha);
  return { running: name(running(sim)), deployed: name(originTag(sim, DEPLOYED_TAG)), validated: name(originTag(sim, VALIDATED_TAG)) };
}

export type JobOptions = Partial<Pick<RunOptions, 'cancelAt' | 'runAttempt' | 'runId' | 'needsResults'>> & { sha?: string };

/** Runs the deploy job for commit `sha` (default: the new commit), in a workspace checked out at it. */
export function deployJob(checkout: GitCheckout, sim: string, o: JobOptions = {}): Promise<RunResult> {
  const sha = o.sha ?? checkout.new;
  checkout.checkoutFor(sha);
  return run({ checkout, workflow: WORKFLOW, jobId: DEPLOY_JOB, sim, ...o, sha });
}

/** Runs the validate job of a deploy-first run of commit `sha`; `needsResults` marks gates failed. */
export function validateJob(checkout: GitCheckout, sim: string, o: JobOptions = {}): Promise<RunResult> {
  const sha = o.sha ?? checkout.new;
  checkout.checkoutFor(sha);
  return run({ checkout, workflow: WORKFLOW, jobId: VALIDATE_JOB, sim, ...o, sha });
}

/** The state names: the deploy job of the new commit left the environment as it found it, or deployed it. */
export function expectRecorded(sim: string): void {
  const w = world(sim);
  expectEqual(state(sim), { running: 'old', deployed: 'old', validated: w.kind === 'deploy-first' ? 'old' : 'none' }, 'what runs and the release tags');
}

export function expectDeployed(sim: string): void {
  const w = world(sim);
  // the deploy job never validates: deploy-first, the validated release stays the old one until the gates pass
  expectEqual(state(sim), { running: 'new', deployed: 'new', validated: w.kind === 'deploy-first' ? 'old' : 'none' }, 'what runs and the release tags');
}

/** Steps before this run changes the environment: setup, record, expand. */
function isBeforeChange(stepName: string): boolean {
  return /^(Check out|Record the release running in|Migrate .*\((expand|migrate)\))/.test(stepName);
}

/** The deploy job of a custom target, for the generic matrix. */
export function customTarget(kind: CustomKind): DeployTarget {
  return {
    name: `custom ${kind}`,
    definition: () => customDefinition(kind),
    seed: (checkout) => seedWorld(checkout as GitCheckout),
    deploy: (checkout, sim, o) => deployJob(checkout as GitCheckout, sim, o),
    phaseOf: (stepName) => {
      // the contract marker records the contract locally before its push: a failed push still refuses the rollback
      if (/^Mark the contract of/.test(stepName) || /\(contract\)$/.test(stepName)) return 'after-contract';
      return isBeforeChange(stepName) ? 'before-change' : 'changing';
    },
    phaseOfCancel: (stepName) => {
      if (/^Mark the contract of/.test(stepName)) return 'either';
      if (/\(contract\)$/.test(stepName)) return 'after-contract';
      return isBeforeChange(stepName) ? 'before-change' : 'changing';
    },
    expectRecorded,
    expectDeployed,
  };
}

/** Step outcomes and the log tail, for failure messages. */
export function outline(r: RunResult): string {
  return `${r.result}\n${r.steps.map((s) => `  ${s.outcome.padEnd(9)} ${s.name}`).join('\n')}\n--- log ---\n${r.log.slice(-3000)}`;
}
