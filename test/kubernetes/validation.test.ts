import { contextApi } from './fixtures';
import { Duration, HealthCheck, Migration, Rollout, Scaling, Testing, TrafficRouter } from '../../src';
import { mergeValues as validatorMerge } from '../../src/cli/validators/helm';
import { SlipwayError } from '../../src/core/errors';
import { carriedProblems } from '../../src/core/strict';
import { HelmChart, HelmChartProps, KubernetesEnvironment } from '../../src/kubernetes';
import { checkTemplate } from '../../src/kubernetes/template';
import { mergeValues } from '../../src/kubernetes/values';
import { validateFiles } from '../support/harness';

/** Builds a chart; returns the error message of construction or synthesis (or undefined). */
function problemOf(props: Partial<HelmChartProps> = {}, environments: KubernetesEnvironment[] = [], appProps = {}): string | undefined {
  const app = Testing.app();
  try {
    new HelmChart(app, 'chart', { application: contextApi(app, appProps), environments, ...props });
    Testing.synth(app);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(SlipwayError);
    return (e as Error).message;
  }
}

describe('synth-time validation names the construct path and the fix', () => {
  test('a valid chart has no problem', () => {
    expect(problemOf()).toBeUndefined();
  });

  describe('DNS-1123 names and label values', () => {
    test('environment name', () => {
      expect(problemOf({}, [{ name: 'Prod_1' }])).toBe('[chart] environment "Prod_1": name must consist of lowercase letters, digits and "-", and start and end with a letter or digit');
    });
    test('namespace', () => {
      expect(problemOf({}, [{ name: 'prod', namespace: 'x'.repeat(64) }])).toMatch(/^\[chart\] environment "prod": namespace "x{64}" is 64 characters long; the limit is 63$/);
    });
    test('duplicate environment', () => {
      expect(problemOf({}, [{ name: 'prod' }, { name: 'prod' }])).toBe('[chart] environment "prod" is added twice; environment names must be unique');
    });
    test('chart name', () => {
      expect(problemOf({ chartName: 'Context' })).toMatch(/^\[chart\] chartName "Context" must consist of lowercase letters/);
    });
    test('release name: object names derived from it must stay within 63 characters', () => {
      const release = 'r'.repeat(50);
      expect(problemOf({ releaseName: release })).toBe(`[chart] releaseName "${release}" is too long: object names such as "${release}-migrate-contract" (67 characters) must be at most 63; use a releaseName of at most 46 characters`);
      expect(problemOf({ releaseName: '1api' })).toMatch(/^\[chart\] releaseName "1api" must be a Helm release name/);
    });
    test('chart version: SemVer without "+" (the helm.sh/chart label)', () => {
      expect(problemOf({ version: '1.0.0+build.1' })).toMatch(/^\[chart\] version "1\.0\.0\+build\.1" must be a SemVer version without build metadata/);
      expect(problemOf({ version: '1.0' })).toMatch(/^\[chart\] version "1\.0" must be a SemVer version/);
    });
    test('appVersion must be a label value', () => {
      expect(problemOf({ appVersion: 'v1/2' })).toBe('[chart] appVersion "v1/2" must consist of letters, digits, "-", "_" and ".", and start and end with a letter or digit (it is the app.kubernetes.io/version label when no image tag is set)');
    });
    test('helm.sh/chart label length', () => {
      expect(problemOf({ chartName: 'c'.repeat(55), version: '10.20.30-rc.1' })).toMatch(/helm\.sh\/chart label "c{55}-10\.20\.30-rc\.1" \(chartName-version\) is 69 characters long; label values are limited to 63; shorten chartName or version/);
    });
    test('ingress host', () => {
      expect(problemOf({}, [{ name: 'prod', ingressHost: 'API.example.com' }])).toBe('[chart] environment "prod": ingressHost "API.example.com" is not a valid host name (lowercase, e.g. "staging.example.com")');
    });
  });

  describe('ports referenced by probes and services exist', () => {
    test('a health check on a port the container does not declare', () => {
      expect(problemOf({}, [], { healthCheck: HealthCheck.http('/health', { port: 9000 }) }))
        .toBe('[chart] the health check probes port 9000, which is not a container port (ports: http=8000); probe the application\'s port or add it to additionalPorts');
    });
    test('declaring the port fixes it', () => {
      expect(problemOf({ additionalPorts: [{ name: 'admin', port: 9000 }] }, [], { healthCheck: HealthCheck.http('/health', { port: 9000 }) })).toBeUndefined();
    });
    test('additional ports must not clash', () => {
      expect(problemOf({ additionalPorts: [{ name: 'metrics', port: 8000 }] })).toBe('[chart] additionalPorts "metrics" uses port 8000, which is already the "http" port');
      expect(problemOf({ additionalPorts: [{ name: 'http', port: 9090 }] })).toBe('[chart] additionalPorts name "http" is used twice (the application\'s port is named "http")');
      expect(problemOf({ additionalPorts: [{ name: 'prometheus-metrics', port: 9090 }] })).toMatch(/additionalPorts name "prometheus-metrics" must be at most 15/);
    });
    test('service port', () => {
      expect(problemOf({ service: { port: 70000 } })).toBe('[chart] service.port must be an integer within 1..65535, got 70000');
    });
  });

  describe('canary steps strictly increasing within 1..100', () => {
    test('the rollout itself rejects bad steps', () => {
      expect(carriedProblems(Rollout.canary({ steps: [50, 10] })).join('\n')).toContain('Rollout.canary steps must be strictly increasing; 10 follows 50 (steps: [50, 10])');
      expect(carriedProblems(Rollout.canary({ steps: [10, 150] })).join('\n')).toMatch(/step 2 is 150/);
    });
    test('steps given through values are checked too', () => {
      const env = { name: 'prod', rollout: Rollout.canary({ steps: [10, 50] }) };
      const argo = { name: 'argo', rollout: Rollout.canary({ steps: [10], router: TrafficRouter.ARGO_ROLLOUTS }) };
      expect(problemOf({}, [argo, { ...env, name: 'x', values: { canary: { steps: [50, 20] } } }], { ingress: { host: 'api.example.com' } }))
        .toBe('[chart] environment "x": values canary.steps: Rollout.canary steps must be strictly increasing; 20 follows 50 (steps: [50, 20])');
      expect(problemOf({}, [{ ...argo, values: { canary: { steps: [10, 100] } } }]))
        .toBe('[chart] environment "argo": values canary.steps must stop short of 100 (Argo Rollouts promotes fully after the last step); got [10, 100]');
    });
    test('a canary weight through values', () => {
      expect(problemOf({}, [{ name: 'prod', rollout: Rollout.canary({ steps: [10] }), values: { canary: { weight: 120 } } }], { ingress: { host: 'api.example.com' } }))
        .toBe('[chart] environment "prod": values canary.weight must be an integer within 0..100, got 120');
    });
    test('an NGINX canary needs the ingress', () => {
      expect(problemOf({}, [{ name: 'prod', rollout: Rollout.canary({ steps: [10, 50] }) }]))
        .toBe('[chart] environment "prod": an NGINX canary needs the ingress (the canary Ingress shares its host); give the application an ingress or the environment an ingressHost, or use Rollout.canary({ router: TrafficRouter.ARGO_ROLLOUTS }), which shifts traffic by replica count without an ingress');
    });
  });

  describe('secrets given as literals', () => {
    test('environment env', () => {
      expect(problemOf({}, [{ name: 'prod', env: { DB_PASSWORD: 'hunter2' } }]))
        .toBe('[chart] environment "prod": env.DB_PASSWORD is a secret written as a literal: "DB_PASSWORD" names a secret and its value is a literal (7 characters); never put secret values in the definition: '
          + 'reference a Kubernetes Secret / Secret Manager secret with secrets: { NAME: SecretRef.of(\'<secret-name>\', \'<key>\') }; if the value is not a secret, wrap it in NotASecret.value(\'...\')');
    });
    test('a credential-looking value anywhere in values', () => {
      expect(problemOf({}, [{ name: 'prod', values: { env: { DATABASE_URI: 'postgres://app:s3cret@db:5432/app' } } }]))
        .toMatch(/^\[chart\] environment "prod": values\.env\.DATABASE_URI is a secret written as a literal: the value looks like a URL with a password \(postgres:\/\/…:\*\*\*\*@…\)/);
    });
    test('ConfigMap data', () => {
      expect(problemOf({ configMap: { data: { 'key.pem': '-----BEGIN RSA PRIVATE KEY-----\nabc' } } }))
        .toMatch(/^\[chart\] configMap\.data\.key\.pem is a secret written as a literal: the value looks like a private key/);
    });
    test('an env variable that is also a secret', () => {
      expect(problemOf({}, [{ name: 'prod', env: { DATABASE_URL: 'x' } }])).toBe('[chart] environment "prod": env "DATABASE_URL" is also a secret of the application; keep one');
    });
  });

  describe('a value a template reads but values.yaml lacks', () => {
    test('environment values must exist in values.yaml', () => {
      expect(problemOf({}, [{ name: 'prod', values: { canary: { weight: 10 } } }]))
        .toBe('[chart] environment "prod": values "canary" is not a value of the chart; values under the root are: image, imagePullSecrets, replicas, rollout, strategy, resources, env, podAnnotations, service, podDisruptionBudget, serviceAccount, migration');
      expect(problemOf({}, [{ name: 'prod', values: { image: { tga: 'x' } } }]))
        .toBe('[chart] environment "prod": values "image.tga" is not a value of the chart; values under "image" are: repository, tag, digest, pullPolicy');
      // free-form maps accept any key
      expect(problemOf({}, [{ name: 'prod', values: { podAnnotations: { 'prometheus.io/scrape': 'true' } } }])).toBeUndefined();
    });
    test('an added template reading a value values.yaml lacks, or using a sprig function', () => {
      const app = Testing.app();
      const chart = new HelmChart(app, 'chart', { application: contextApi(app) });
      chart.addTemplate('extra.yaml', 'metadata:\n  name: {{ .Values.service.name | quote }}\n');
      expect(() => Testing.synth(app)).toThrow([
        '2 problems:',
        '  - [chart] deploy/helm/context-api/templates/extra.yaml uses "quote" in {{ .Values.service.name | quote }}, which is not a core Go text/template function (sprig and Helm functions are not available)',
        '  - [chart] deploy/helm/context-api/templates/extra.yaml reads .Values.service.name, but values.yaml has no "service.name"',
      ].join('\n'));
    });
    test('the checker itself', () => {
      const values = { a: { b: 1 }, list: [1] };
      expect(checkTemplate('{{ .Values.a.b }} {{ range $.Values.list }}{{ . }}{{ end }}', values)).toEqual([]);
      expect(checkTemplate('{{ if .Values.a.c }}x{{ end }}', values)).toEqual(['reads .Values.a.c, but values.yaml has no "a.c"']);
      expect(checkTemplate('{{ printf "%q" $.Values.z }}', values)).toEqual(['reads .Values.z, but values.yaml has no "z"']);
      expect(checkTemplate('{{ .Values.a.b | default 3 }}', values)).toEqual(['uses "default" in {{ .Values.a.b | default 3 }}, which is not a core Go text/template function (sprig and Helm functions are not available)']);
      // string literals and escaped braces are not code
      expect(checkTemplate('{{ printf "%s" "toYaml .Values.nope" }} {{`{{`}}args.service}}', values)).toEqual([]);
    });
    test('the harness catches a value values.yaml lacks (<no value> / missing key), so the check above matters', () => {
      const app = Testing.app();
      const chart = new HelmChart(app, 'chart', { application: contextApi(app) });
      const files = Testing.synth(app);
      const broken = { ...files, 'deploy/helm/context-api/templates/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.nope.name }}\n' };
      const findings = validateFiles(broken).findings.filter((f) => f.file.endsWith('extra.yaml'));
      expect(findings.length).toBeGreaterThan(0);
      expect(findings[0].message).toMatch(/nope/);
      expect(chart.chartName).toBe('context-api');
    });
  });

  describe('migration timeout below the deploy timeout', () => {
    test('an explicit deploy timeout shorter than the migration', () => {
      expect(problemOf({ deployTimeout: Duration.minutes(5) }))
        .toBe('[chart] the migration timeout (10m) must be shorter than deployTimeout (5m), so a stuck migration Job fails before helm --timeout; raise deployTimeout above 10m or lower Migration timeout');
    });
    test('equal is not shorter', () => {
      expect(problemOf({ deployTimeout: Duration.minutes(3) }, [], { migration: Migration.command(['migrate'], { timeout: Duration.minutes(3) }) }))
        .toMatch(/the migration timeout \(3m\) must be shorter than deployTimeout \(3m\)/);
    });
  });

  describe('workload options', () => {
    test('root user with runAsNonRoot', () => {
      expect(problemOf({ securityContext: { runAsUser: 0 } }))
        .toBe('[chart] securityContext.runAsUser is 0 (root) while runAsNonRoot is true; use a non-root user ID, or set runAsNonRoot: false if the image must run as root');
    });
    test('an existing service account needs a name', () => {
      expect(problemOf({ serviceAccount: { create: false } })).toBe('[chart] serviceAccount.create is false, so serviceAccount.name must name an existing ServiceAccount');
    });
    test('replicas and scaling together', () => {
      expect(problemOf({}, [{ name: 'prod', replicas: 2, scaling: Scaling.fixed(3) }])).toBe('[chart] environment "prod": give replicas or scaling, not both');
      expect(problemOf({}, [{ name: 'qa', replicas: 0 }])).toBe('[chart] environment "qa": replicas must be an integer ≥ 1, got 0');
      expect(problemOf({}, [{ name: 'qa', scaling: Scaling.auto({ minReplicas: 0, maxReplicas: 3 }) }]))
        .toBe('[chart] environment "qa": Scaling.auto minReplicas is 0, which a HorizontalPodAutoscaler does not support; use minReplicas ≥ 1');
    });
    test('added template names', () => {
      const app = Testing.app();
      const chart = new HelmChart(app, 'chart', { application: contextApi(app) });
      expect(() => chart.addTemplate('deployment.yaml', 'x')).toThrow('[chart] addTemplate file name "deployment.yaml" is already a template of the chart; choose another name');
      expect(() => chart.addTemplate('x.json', 'x')).toThrow(/must be a plain file name ending in \.yaml, \.yml, \.tpl or \.txt/);
    });
  });
});

describe("Helm's coalescing of values", () => {
  // helm install -f (chartutil's coalesceValues): maps merge, anything else replaces, and a null deletes the key of the values below it
  const cases: [string, unknown, unknown, unknown][] = [
    ['maps merge', { a: { x: 1, y: 2 } }, { a: { y: 3 } }, { a: { x: 1, y: 3 } }],
    ['a list replaces', { a: [1, 2] }, { a: [3] }, { a: [3] }],
    ['a scalar replaces a map', { a: { x: 1 } }, { a: 'off' }, { a: 'off' }],
    ['null deletes a key', { a: 1, b: { c: 2, d: 3 } }, { a: null, b: { d: null } }, { b: { c: 2 } }],
    ['null deletes a whole map', { ingress: { enabled: true, host: 'x' } }, { ingress: null }, {}],
    ['a null for a key the values below do not have stays', { a: 1 }, { b: null, c: { d: null } }, { a: 1, b: null, c: { d: null } }],
    ['no override', { a: 1 }, undefined, { a: 1 }],
  ];
  test.each(cases)('%s: the synth-time checks and the validator merge alike', (_, base, over, want) => {
    expect(mergeValues(base, over)).toEqual(want);
    expect(validatorMerge(base, over)).toEqual(want);
  });
});
