import { mulberry32 } from './yaml-random';
import {
  Action, App, Application, Check, CompositeAction, Environment, HealthCheck, Image, Job, Migration, NotASecret, Pipeline, Secret, SecretRef,
  ServiceContainer, Step, Target, Testing, Toolchain, Trigger, Workflow,
} from '../../src';
import { CloudRunService } from '../../src/cloudrun';
import { SlipwayError } from '../../src/core/errors';
import { DEPLOYED_SECRET_FIX, namesASecret, secretLiteralIn, secretShapeIn } from '../../src/core/secret-literal';
import { HelmChart } from '../../src/kubernetes';
import { expectValid } from '../support/harness';
import { synthProblems as problems } from '../support/synth-problems';

// Test values, assembled so that this file holds no credential-shaped literal.
const GH = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const GH_PAT = 'github_pat_' + '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz';
const SLACK = 'xoxb-' + '1234567890-0987654321-AbCdEfGhIjKlMnOp';
const SLACK_HOOK = 'https://hooks.slack.com/services/' + 'T0000AAAA/B0000BBBB/XXXXXXXXXXXXXXXXXXXXXXXX';
const STRIPE = 'sk_' + 'live_' + '4eC39HqLyjWDarjtT1zdp7dc';
const AWS_ID = 'AKIA' + 'IOSFODNN7EXAMPLE';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const GOOGLE = 'AIza' + 'SyA-1234567890abcdefghijklmnopqrstu';
const PEM = '-----BEGIN ' + 'RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----';
const JWT = 'eyJ' + 'hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ' + 'zdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const NPM = 'npm_' + 'a'.repeat(36);

describe('the detector: value shapes', () => {
  test.each([
    ['GitHub classic token', GH, 'a GitHub token (ghp_…)'],
    ['GitHub fine-grained token', GH_PAT, 'a GitHub token (github_pat_…)'],
    ['GitHub token inside a command', `git clone https://x-access-token:${GH}@github.com/a/b`, 'a GitHub token (ghp_…)'],
    ['Slack bot token', SLACK, 'a Slack token (xoxb-…)'],
    ['Slack webhook URL', SLACK_HOOK, 'a Slack webhook URL (hooks.slack.com/services/…)'],
    ['Stripe live key', STRIPE, 'a Stripe key (sk_live_…)'],
    ['AWS access key id', AWS_ID, 'an AWS access key id (AKIA…)'],
    ['AWS secret key next to its name', `aws_secret_access_key = ${AWS_SECRET}`, 'an AWS secret access key (aws_secret_access_key…)'],
    ['Google API key', GOOGLE, 'a Google API key (AIza…)'],
    ['private key', PEM, 'a private key (-----BEGIN RSA PRIVATE KEY-----…)'],
    ['JWT', `Bearer ${JWT}`, 'a JSON Web Token (eyJ…)'],
    ['npm token', NPM, 'an npm token (npm_…)'],
    ['URL with a password', 'postgresql://app:hunter2@db.internal:5432/app', 'a URL with a password (postgresql://…:****@…)'],
    ['URL with a password to an IP', 'redis://default:s3cr3t@10.0.0.7:6379', 'a URL with a password (redis://…:****@…)'],
  ])('%s is found', (_what, text, description) => {
    expect(secretShapeIn(text)).toBe(description);
  });

  test.each([
    ['prose about token prefixes', 'GitHub tokens start with ghp_ or gho_'],
    ['a short prefix-like word', 'ghp_abc'],
    ['a GitHub secret expression', '${{ secrets.GITHUB_TOKEN }}'],
    ['a sha256 digest', 'sha256:' + 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['a commit SHA', '11bd71901bbe5b1630ceea73d27597364c9af683'],
    ['a UUID', '123e4567-e89b-12d3-a456-426614174000'],
    ['a short word', 'AKIA'],
    ['an AWS-like id of the wrong length', 'AKIA' + 'IOSFODNN7EXAMPL'],
    ['a URL without a password', 'https://user@example.com/path'],
    ['a URL with a port', 'http://localhost:8080/health'],
    ['a URL whose password is a variable', 'postgresql://app:$DB_PASSWORD@db:5432/app'],
    ['a URL whose password is an expression', 'postgresql://app:${{ secrets.DB_PASSWORD }}@db:5432/app'],
    ['a URL whose password is a placeholder', 'postgresql://user:<password>@host/db'],
    ['a URL to a local test service', 'postgresql://postgres:postgres@localhost:5432/test_db'],
    ['an image by tag and digest in a docker:// step', 'docker://alpine:3.20@sha256:' + 'c'.repeat(64)],
    ['an image by tag and digest in a script', 'docker run oci://registry.example.com/app:1.2@sha256:' + 'd'.repeat(64)],
    ['a Stripe test key', 'sk_' + 'test_' + '4eC39HqLyjWDarjtT1zdp7dc'],
    ['a public key', '-----BEGIN PUBLIC KEY-----'],
    ['an ordinary script', 'pytest --cov=src --cov-report=xml\nnpm ci && npm test'],
  ])('%s is not a secret', (_what, text) => {
    expect(secretShapeIn(text)).toBeUndefined();
  });
});

describe('the detector: names', () => {
  test.each([
    'GITHUB_TOKEN', 'SLACK_TOKEN_PROD', 'SECRET', 'SECRET_KEY', 'DJANGO_SECRET_KEY', 'DB_PASSWORD', 'PASSWORD', 'DB_PASS', 'MYSQL_PASSWD',
    'API_KEY', 'STRIPE_API_KEY', 'apiKey', 'api-key', 'AWS_SECRET_ACCESS_KEY', 'PRIVATE_KEY', 'github-token', 'password', 'CLIENT_SECRET',
    'GPG_PASSPHRASE', 'REGISTRY_CREDENTIALS',
  ])('%s names a secret', (name) => {
    expect(namesASecret(name)).toBe(true);
  });

  test.each([
    'TOKEN_FILE', 'SECRET_NAME', 'TOKEN_URL', 'token-format', 'access_token_lifetime', 'PASSWORD_FILE', 'AWS_ACCESS_KEY_ID', 'BYPASS_CACHE',
    'KEY', 'PATH', 'NODE_ENV', 'TOKENIZER', 'PASSPORT_CALLBACK', 'GOOGLE_CREDENTIALS_FILE',
  ])('%s does not name a secret', (name) => {
    expect(namesASecret(name)).toBe(false);
  });

  test('a literal named like a secret is refused; references, switches, numbers and paths are not', () => {
    expect(secretLiteralIn('DB_PASSWORD', 'hunter2')).toBe('"DB_PASSWORD" names a secret and its value is a literal (7 characters)');
    for (const ref of ['${{ secrets.DB_PASSWORD }}', '${{ vars.DB_PASSWORD }}', 'Bearer ${{ secrets.T }}', '$DB_PASSWORD', '${DB_PASSWORD}', '$(DB_PASSWORD)', '',
      'true', 'false', '3600', '300s', '/run/secrets/db-password', './secrets/pw']) {
      expect([ref, secretLiteralIn('DB_PASSWORD', ref)]).toEqual([ref, undefined]);
    }
    // value shapes are found under any name, and with no name at all (scripts)
    expect(secretLiteralIn('NOTE', GH)).toBe('the value looks like a GitHub token (ghp_…)');
    expect(secretLiteralIn(undefined, `curl -H "Authorization: token ${GH}"`)).toBe('the value looks like a GitHub token (ghp_…)');
    expect(secretLiteralIn(undefined, 'echo hunter2')).toBeUndefined();
  });

  test('NotASecret.value() returns the value unchanged and lets it through, also inside a longer script', () => {
    const fixture = 'xoxb-' + '0000000000-fixture-for-docs';
    expect(secretShapeIn(fixture)).toBe('a Slack token (xoxb-…)');
    expect(NotASecret.value(fixture)).toBe(fixture);
    expect(secretShapeIn(fixture)).toBeUndefined();
    expect(secretShapeIn(`echo ${fixture} | ./check-format`)).toBeUndefined();
    expect(secretLiteralIn('TEST_PASSWORD', NotASecret.value('not-secret-in-ci'))).toBeUndefined();
    expect(secretLiteralIn('TEST_PASSWORD', 'another-literal')).toBeDefined();
  });
});


function joined(define: (app: App) => void): string {
  try {
    const app = Testing.app();
    define(app);
    Testing.synth(app);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(SlipwayError);
    return (e as Error).message;
  }
}

const api = (app: App, env: { [name: string]: string } = {}) => new Application(app, 'api', {
  image: Image.fromRegistry('ghcr.io/acme/api'), port: 8080, healthCheck: HealthCheck.http('/health'), env,
});

describe('workflows: every field that reaches the file', () => {
  const workflow = (app: App, job: { env?: object; steps: Step[]; services?: ServiceContainer[] }, env?: { [k: string]: string }) => {
    const wf = new Workflow(app, 'ci', { triggers: [Trigger.push({ branches: ['main'] })], env });
    new Job(wf, 'build', { env: job.env as { [k: string]: string }, steps: job.steps, services: job.services ? Object.fromEntries(job.services.map((s, i) => [`svc${i}`, s])) : undefined });
    return wf;
  };

  test('workflow, job and step env, with: inputs, run: scripts and service containers; each problem names its place and the fix, never the value', () => {
    const message = joined((app) => workflow(app, {
      env: { DB_PASSWORD: 'hunter2' },
      steps: [
        Step.run('./build.sh', { name: 'Build', env: { NPM_TOKEN: NPM } }),
        Step.run(`curl -H "Authorization: token ${GH}" https://api.github.com`, { id: 'call' }),
      ],
      services: [ServiceContainer.of('mysql:8', { env: { MYSQL_ROOT_PASSWORD: 'r00t' } })],
    }, { SLACK_WEBHOOK: SLACK_HOOK }));
    expect(message).toContain('[ci] env.SLACK_WEBHOOK is a secret written as a literal: the value looks like a Slack webhook URL (hooks.slack.com/services/…)');
    expect(message).toContain('[ci/build] env.DB_PASSWORD is a secret written as a literal: "DB_PASSWORD" names a secret and its value is a literal (7 characters)');
    expect(message).toContain('step 1 ("Build") env.NPM_TOKEN is a secret written as a literal: the value looks like an npm token (npm_…)');
    expect(message).toContain('step "call" run: the script holds a secret written as a literal: it looks like a GitHub token (ghp_…); pass it through env: { NAME: "${{ secrets.NAME }}" }');
    expect(message).toContain('services.svc0.env.MYSQL_ROOT_PASSWORD is a secret written as a literal');
    expect(message).toContain('read it with Secret.github(\'NAME\') / "${{ secrets.NAME }}"; if the value is not a secret, wrap it in NotASecret.value(\'...\')');
    for (const secret of ['hunter2', NPM, GH, SLACK_HOOK, 'r00t', 'T0000AAAA']) expect(message).not.toContain(secret);
  });

  test('secrets read through expressions pass, and the output is valid', () => {
    const files = Testing.synth((() => {
      const app = Testing.app();
      workflow(app, {
        env: { DB_PASSWORD: Secret.github('DB_PASSWORD').expression, GITHUB_TOKEN: '${{ github.token }}' },
        steps: [Step.run('./deploy.sh "$API_KEY"', { env: { API_KEY: '${{ secrets.API_KEY }}', TOKEN_FILE: '/tmp/token' } })],
        services: [ServiceContainer.postgres('16')],
      });
      return app;
    })());
    expectValid(files);
  });

  test('a secret literal in an action\'s with: input', () => {
    const message = joined((app) => {
      const wf = new Workflow(app, 'ci', { triggers: [Trigger.push({ branches: ['main'] })] });
      new Job(wf, 'release', { steps: [Step.run('true'), Step.uses(Action.of('acme/publish', 'v1', { sha: 'a'.repeat(40) }), { name: 'Publish', with: { 'api-key': 'abc123def' } })] });
    });
    expect(message).toContain('[ci/release] step 2 ("Publish") with.api-key is a secret written as a literal: "api-key" names a secret');
    expect(message).not.toContain('abc123def');
  });

  test('a reusable workflow call: with: inputs by name and shape, and any literal passed as a secret', () => {
    const message = joined((app) => {
      const wf = new Workflow(app, 'release', { triggers: [Trigger.push({ tags: ['v*'] })] });
      wf.addReusableWorkflowJob('deploy', {
        uses: 'acme/workflows/.github/workflows/deploy.yml@' + 'b'.repeat(40),
        with: { environment: 'production', registry_password: 'pw-literal' },
        secrets: { KUBECONFIG: 'apiVersion: v1', TOKEN: Secret.github('DEPLOY_TOKEN').expression },
      });
    });
    expect(message).toContain('[release/deploy] with.registry_password is a secret written as a literal: "registry_password" names a secret');
    expect(message).toContain('[release/deploy] secrets.KUBECONFIG passes a literal (14 characters) as a secret of the called workflow');
    expect(message).not.toMatch(/secrets\.TOKEN|pw-literal|apiVersion/);
  });

  test('a composite action\'s steps are checked too', () => {
    const message = joined((app) => new CompositeAction(app, 'setup', {
      description: 'Set up', steps: [Step.run('./setup.sh', { env: { SONAR_TOKEN: 'sq-literal-value' } })],
    }));
    expect(message).toContain('step 1 env.SONAR_TOKEN is a secret written as a literal');
  });

  test('NotASecret.value() lets a value through; the output keeps it as written', () => {
    const app = Testing.app();
    workflow(app, { env: { SECRET_KEY: NotASecret.value('testing_secret_key') }, steps: [Step.run('pytest')] });
    const files = Testing.synth(app);
    expect(files['.github/workflows/ci.yml']).toContain('SECRET_KEY: testing_secret_key');
  });

  test('the PostgreSQL service\'s throwaway password passes, unless it is shaped like a credential', () => {
    expect(problems((app) => workflow(app, { steps: [Step.run('pytest')], services: [ServiceContainer.postgres('16', { password: 'ci-only' })] }))).toEqual([]);
    const message = joined((app) => workflow(app, { steps: [Step.run('pytest')], services: [ServiceContainer.postgres('16', { password: GH })] }));
    expect(message).toContain('services.svc0.env.POSTGRES_PASSWORD is a secret written as a literal: the value looks like a GitHub token');
  });
});

describe('every generated file: secret-shaped text from any field is refused, with the file, the line and the construct', () => {
  test('a workflow name and a migration command', () => {
    /** A chart whose migration command holds a URL with a password, and a workflow and step named with tokens. */
    const define = (stepEnv?: { [name: string]: string }) => (app: App) => {
      const a = new Application(app, 'api', {
        image: Image.fromRegistry('us-docker.pkg.dev/acme/apps/api', '1.0.0'),
        healthCheck: HealthCheck.http('/health'),
        migration: Migration.command(['migrate', '--url', 'postgres://app:hunter2@db.internal/app']),
      });
      new HelmChart(app, 'chart', { application: a });
      const wf = new Workflow(app, 'ci', { name: `ci ${GH}`, triggers: [Trigger.push({ branches: ['main'] })] });
      new Job(wf, 'build', { steps: [Step.run('make', { name: `build ${SLACK}`, env: stepEnv })] });
    };
    const found = problems(define({ TOKEN: GH }));
    expect(found).toEqual([
      expect.stringMatching(/^\[ci\/build\] step 1 env\.TOKEN is a secret written as a literal: the value looks like a GitHub token/),
    ]);
    // the field checks pass: the last check reads the files
    const files = problems(define());
    expect(files).toEqual([
      expect.stringMatching(/^\[ci\] \.github\/workflows\/ci\.yml:3 would hold a secret written as a literal: it looks like a GitHub token \(ghp_…\)/),
      expect.stringMatching(/^\[chart\] deploy\/helm\/api\/templates\/migration-expand-job\.yaml:\d+ would hold a secret written as a literal: it looks like a URL with a password \(postgres:\/\/…:\*\*\*\*@…\); never put secret values in the definition: .*NotASecret\.value/),
    ]);
    for (const secret of [GH, SLACK, 'hunter2']) expect(files.join('\n')).not.toContain(secret);
  });

  test('NotASecret.value() lets a look-alike through anywhere; image digests and ordinary output pass', () => {
    const app = Testing.app();
    const fixture = NotASecret.value('xoxb-' + '0000000000-fixture-for-a-name');
    const wf = new Workflow(app, 'ci', { name: `ci ${fixture}`, triggers: [Trigger.push({ branches: ['main'] })] });
    new Job(wf, 'build', { steps: [Step.run('make'), Step.uses(Action.docker(`docker://alpine:3.20@sha256:${'c'.repeat(64)}`))] });
    const files = Testing.synth(app);
    expect(files['.github/workflows/ci.yml']).toContain(fixture);
    expectValid(files);
  });
});

describe('the delivery layer: checks and custom targets', () => {
  test('Check.test env and a custom target\'s env and commands', () => {
    const message = joined((app) => {
      const site = api(app);
      const prod = new Environment(app, 'prod', {
        target: Target.custom({ deploy: [`./deploy.sh --key ${STRIPE}`], env: { DEPLOY_TOKEN: 'literal-token' } }),
      });
      new Pipeline(app, 'ci', {
        applications: [site],
        toolchain: Toolchain.python('3.12'),
        checks: [Check.test('unit', ['pytest'], { env: { SECRET_KEY: 'django-insecure-key' } })],
        stages: [prod],
      });
    });
    expect(message).toMatch(/\[ci\/[^\]]*\] [^;]*env\.SECRET_KEY is a secret written as a literal: "SECRET_KEY" names a secret/);
    expect(message).toMatch(/env\.DEPLOY_TOKEN is a secret written as a literal/);
    expect(message).toMatch(/run: the script holds a secret written as a literal: it looks like a Stripe key \(sk_live_…\)/);
    for (const secret of ['django-insecure-key', 'literal-token', STRIPE]) expect(message).not.toContain(secret);
  });
});

describe('applications, charts and Cloud Run: values land as text in committed files', () => {
  test('a secret literal in an application\'s env', () => {
    expect(problems((app) => api(app, { DB_PASS: 'hunter2' }))).toEqual([
      '[api] env.DB_PASS is a secret written as a literal: "DB_PASS" names a secret and its value is a literal (7 characters); never put secret values in the definition: '
      + 'reference a Kubernetes Secret / Secret Manager secret with secrets: { NAME: SecretRef.of(\'<secret-name>\', \'<key>\') }; if the value is not a secret, wrap it in NotASecret.value(\'...\')',
    ]);
  });

  test('a GitHub secret expression in an application\'s env is refused: the chart and the spec would hold it as text', () => {
    const [problem] = problems((app) => api(app, { API_KEY: '${{ secrets.API_KEY }}' }));
    expect(problem).toBe('[api] env.API_KEY reads a GitHub secret ("${{ secrets.… }}"), but env.API_KEY is written into the chart\'s values / the Cloud Run spec as literal text, where no workflow resolves it; '
      + 'reference a Kubernetes Secret / Secret Manager secret instead: secrets: { API_KEY: SecretRef.of(\'<secret-name>\', \'<key>\') }');
  });

  test('chart values and per-environment env', () => {
    expect(problems((app) => new HelmChart(app, 'chart', {
      application: api(app),
      environments: [{ name: 'prod', namespace: 'prod', values: { sentry: { dsn: 'https://key:secretpart@sentry.example.com/1' } } }],
    }))[0]).toMatch(/^\[chart\] environment "prod": values\.sentry\.dsn is a secret written as a literal: the value looks like a URL with a password \(https:\/\/…:\*\*\*\*@…\)/);
    expect(problems((app) => new HelmChart(app, 'chart', {
      application: api(app),
      environments: [{ name: 'prod', namespace: 'prod', env: { REDIS_PASSWORD: '${{ secrets.REDIS_PASSWORD }}' } }],
    }))[0]).toMatch(/^\[chart\] environment "prod": env\.REDIS_PASSWORD reads a GitHub secret/);
  });

  test('Cloud Run env', () => {
    const found = problems((app) => new CloudRunService(app, 'run', {
      application: api(app), project: 'acme-prod', region: 'us-central1', environment: 'production', env: { MAPS_KEY: GOOGLE },
    }));
    expect(found.join('\n')).toContain('env.MAPS_KEY is a secret written as a literal: the value looks like a Google API key (AIza…)');
    expect(found.join('\n')).not.toContain(GOOGLE);
  });

  test('an application\'s command, args and description', () => {
    const found = problems((app) => new Application(app, 'api', {
      image: Image.fromRegistry('ghcr.io/acme/api'),
      healthCheck: HealthCheck.http('/health'),
      command: ['serve', `--token=${GH}`],
      args: ['--stripe-key', STRIPE],
      description: `deploys with ${AWS_ID}`,
    }));
    expect(found).toEqual([
      `[api] command[1] is a secret written as a literal: it looks like a GitHub token (ghp_…); never put secret values in the definition: ${DEPLOYED_SECRET_FIX}`,
      `[api] args[1] is a secret written as a literal: it looks like a Stripe key (sk_live_…); never put secret values in the definition: ${DEPLOYED_SECRET_FIX}`,
      `[api] description is a secret written as a literal: it looks like an AWS access key id (AKIA…); never put secret values in the definition: ${DEPLOYED_SECRET_FIX}`,
    ]);
  });

  test('secrets through SecretRef pass', () => {
    expect(problems((app) => new Application(app, 'api', {
      image: Image.fromRegistry('ghcr.io/acme/api'),
      healthCheck: HealthCheck.http('/health'),
      env: { LOG_LEVEL: 'info', DATABASE_HOST: 'db.internal' },
      secrets: { DB_PASS: SecretRef.of('api-db', 'password') },
    }))).toEqual([]);
  });
});

describe('the secret-shape scan is fast and finds what its patterns find', () => {
  /** The URL pattern the scan applies after each `://`, as one pattern over the whole text: the oracle. */
  const URL_WITH_PASSWORD = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\s:@'"]+:([^/\s@'"]+)@([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])/g;
  const oracle = (text: string): string | undefined => {
    for (const m of text.matchAll(URL_WITH_PASSWORD)) {
      const scheme = m[0].slice(0, m[0].indexOf('://'));
      if (/^[$<{%*]/.test(m[1]) || /^(?:localhost|127\.0\.0\.1|\[::1\])$/i.test(m[2])) continue;
      if (scheme === 'docker' || /^sha(?:256|384|512)$/i.test(m[2])) continue;
      return `a URL with a password (${scheme}://…:****@…)`;
    }
    return undefined;
  };

  test('on 20,000 seeded random texts of URL parts, the scan reports what the whole-text pattern reports', () => {
    const next = mulberry32(20261128);
    const pick = (xs: string[]) => xs[next() % xs.length];
    const noise = ['://', ':', '@', '/', ' ', '"', "'", 'a', 'Z', '9', '+', '.', '-', '\n', '1+x', 'x:y', '${{ secrets.P }}'];
    const url = () => pick(['https', 'postgres', 'docker', 'redis', 'git+ssh', '1+x', 'a.b-c', '', '9z', 'S3'])
      + '://' + pick(['user', 'u', '', 'a b', "o'k", 'x/y'])
      + ':' + pick(['pw', 'hunter2', '$X', '{p}', '<p>', '***', '%2F', '', 'p@q', 'p/q'])
      + '@' + pick(['db', 'db.internal', 'localhost', 'LOCALHOST', '127.0.0.1', '[::1]', '[fe80::1]', 'sha256', 'SHA512', '', '-x'])
      + pick(['', ':5432/app', '/path', ' ', '://x:y@z', 'b://u:p@h']);
    let reported = 0;
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      const n = 1 + (next() % 6);
      for (let j = 0; j < n; j++) text += next() % 3 === 0 ? url() : pick(noise);
      const expected = oracle(text);
      const found = secretShapeIn(text);
      if (text.split('://').length === 2) {
        // one URL: the same answer
        expect({ text, found }).toEqual({ text, found: expected });
        if (expected !== undefined) reported++;
      } else if (expected !== undefined) {
        // several: where the pattern's match of one URL swallowed the scheme of the next, the scan may name that one
        expect({ text, found }).toEqual({ text, found: expect.stringMatching(/^a URL with a password \(/) });
      }
    }
    expect(reported).toBeGreaterThan(200);
  });

  test('a text without any shape\'s literal part is answered without running the shapes', () => {
    const big = 'name: ci\non: push\n'.repeat(50_000) + 'https://example.com/x';
    expect(secretShapeIn(big)).toBeUndefined();
    expect(secretShapeIn(big + '\n' + GH)).toMatch(/^a GitHub token/);
  });
});
