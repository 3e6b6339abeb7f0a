/**
 * The images slipway's own steps run (curl, tflint, k6, ZAP): exact default versions, rendered by
 * the digest of the built-in image lock; slipway.lock.json wins over it; a version the user picks
 * renders by its tag (with the unpinned-image warning) unless a lock pins it.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import {
  App, Application, Check, Duration, Environment, HealthCheck, IacScanner, Image, LoadTool, Pipeline, Secret, Target, Testing, Toolchain, Trigger,
} from '../../src';
import { STEP_IMAGES } from '../../src/core/step-images';
import { CATALOG_IMAGE_LOCK } from '../../src/github/actions/catalog-lock';
import { serializeLockFile } from '../../src/github/actions/lock-file';
import { expectValid } from '../support/harness';
import { tempDir } from '../support/temp-project';

const WORKFLOW = '.github/workflows/ci.yml';
const TFLINT = 'ghcr.io/terraform-linters/tflint';
const K6 = 'grafana/k6';
const ZAP = 'ghcr.io/zaproxy/zaproxy';
const STAGING = 'https://staging.example.com';

interface Versions {
  readonly tflint?: string;
  readonly k6?: string;
  readonly zap?: string;
}

/** A Kubernetes delivery (curl smoke test pods) with the tflint, k6 and ZAP checks. */
function define(app: App, versions: Versions = {}): void {
  const api = new Application(app, 'api', {
    image: Image.fromDockerfile({ repository: 'ghcr.io/acme/api' }),
    port: 8000,
    healthCheck: HealthCheck.http('/health'),
  });
  const staging = new Environment(app, 'staging', {
    target: Target.kubernetes({ namespace: 'staging', kubeconfig: Secret.github('KUBECONFIG_STAGING') }),
    // no url: the smoke test runs in a curl pod inside the cluster
    checks: [
      Check.loadTest({ tool: LoadTool.K6, script: 'tests/load/api.js', p95: Duration.millis(300), toolVersion: versions.k6, target: STAGING }),
      Check.dast({ image: versions.zap, target: STAGING }),
    ],
  });
  new Pipeline(app, 'ci', {
    applications: [api],
    triggers: [Trigger.push({ branches: ['main'] })],
    toolchain: Toolchain.python('3.12'),
    stages: [staging],
    checks: [Check.iacScan([IacScanner.tflint({ directory: 'infra', version: versions.tflint })])],
  });
}

/** The image references of the four steps, as rendered in the workflow. */
function renderedImages(files: { [path: string]: string }): { curl: string[]; tflint: string; k6: string; zap: string } {
  const doc = YAML.parse(files[WORKFLOW]);
  const steps: any[] = Object.values(doc.jobs).flatMap((j: any) => j.steps ?? []);
  const curl = [...new Set(steps.map((s) => s.env?.SLIPWAY_CHECK_IMAGE).filter((i) => i !== undefined))];
  const run = (name: string): string => {
    const step = steps.find((s) => s.name === name);
    if (!step) throw new Error(`no step "${name}"`);
    return step.run;
  };
  const imageIn = (script: string, repo: string): string => {
    const m = new RegExp(`(?:^|\\s)(${repo.replace(/[./]/g, '\\$&')}[:@]\\S+)`).exec(script);
    if (!m) throw new Error(`no ${repo} image in:\n${script}`);
    return m[1];
  };
  return {
    curl,
    tflint: imageIn(run('Run tflint'), TFLINT),
    k6: imageIn(run('Load test with k6 (10 users, 60s)'), K6),
    zap: imageIn(run('Run the OWASP ZAP baseline scan'), ZAP),
  };
}

function outdirWithLock(images: { [image: string]: string }): string {
  const dir = tempDir('step-images');
  fs.writeFileSync(path.join(dir, 'slipway.lock.json'), serializeLockFile(new Map(), new Map(Object.entries(images))));
  return dir;
}

describe('the images of slipway\'s own steps', () => {
  test.each(Object.entries(STEP_IMAGES))('%s runs an exact version (no "latest", no "stable")', (_name, image) => {
    const tag = image.slice(image.lastIndexOf(':') + 1);
    expect(tag).toMatch(/^v?\d+\.\d+\.\d+$/);
  });

  test('the built-in image lock pins each of them, and nothing else, by a sha256 digest, keys in code-unit order', () => {
    expect(Object.keys(CATALOG_IMAGE_LOCK).sort()).toEqual(Object.values(STEP_IMAGES).sort());
    for (const digest of Object.values(CATALOG_IMAGE_LOCK)) expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const keys = Object.keys(CATALOG_IMAGE_LOCK);
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  test('by default, each renders as name:tag@sha256 from the built-in lock, and none is reported, even under supplyChain.strict', () => {
    const app = Testing.app({ outdir: tempDir('step-images-default'), supplyChain: { strict: true } });
    define(app);
    const files = Testing.synth(app);
    expectValid(files);
    expect(Testing.warnings(app)).toEqual([]);
    const images = renderedImages(files);
    expect(images.curl).toEqual([`curlimages/curl:8.21.0@${CATALOG_IMAGE_LOCK['curlimages/curl:8.21.0']}`]);
    expect(images.tflint).toBe(`${TFLINT}:v0.64.0@${CATALOG_IMAGE_LOCK[`${TFLINT}:v0.64.0`]}`);
    expect(images.k6).toBe(`${K6}:2.2.0@${CATALOG_IMAGE_LOCK[`${K6}:2.2.0`]}`);
    expect(images.zap).toBe(`${ZAP}:2.17.0@${CATALOG_IMAGE_LOCK[`${ZAP}:2.17.0`]}`);
    // the deploy scripts read the curl image from the step's env, never a tag of their own
    const scripts = Object.entries(files).filter(([f]) => f.startsWith('.github/slipway/')).map(([, text]) => text).join('\n');
    expect(scripts).toContain('SLIPWAY_CHECK_IMAGE');
    expect(scripts).not.toContain('curlimages/curl');
  });

  test('an entry of slipway.lock.json wins over the built-in one', () => {
    const mine = (c: string) => `sha256:${c.repeat(64)}`;
    const outdir = outdirWithLock({
      [STEP_IMAGES.curl]: mine('1'), [STEP_IMAGES.tflint]: mine('2'), [STEP_IMAGES.k6]: mine('3'), [STEP_IMAGES.zap]: mine('4'),
    });
    const app = Testing.app({ outdir });
    define(app);
    const files = Testing.synth(app);
    expectValid(files);
    expect(renderedImages(files)).toEqual({
      curl: [`${STEP_IMAGES.curl}@${mine('1')}`],
      tflint: `${STEP_IMAGES.tflint}@${mine('2')}`,
      k6: `${STEP_IMAGES.k6}@${mine('3')}`,
      zap: `${STEP_IMAGES.zap}@${mine('4')}`,
    });
    for (const digest of Object.values(CATALOG_IMAGE_LOCK)) expect(files[WORKFLOW]).not.toContain(digest);
  });

  test('a version the user sets renders by its tag, with the unpinned-image warning; a strict App refuses it', () => {
    const versions = { tflint: 'v0.63.1', k6: '2.1.0', zap: `${ZAP}:2.16.1` };
    const app = Testing.app({ outdir: tempDir('step-images-versions') });
    define(app, versions);
    const files = Testing.synth(app);
    expectValid(files);
    const images = renderedImages(files);
    expect(images).toMatchObject({ tflint: `${TFLINT}:v0.63.1`, k6: `${K6}:2.1.0`, zap: `${ZAP}:2.16.1` });
    const warnings = Testing.warnings(app);
    expect(warnings).toHaveLength(3);
    expect(warnings).toEqual(expect.arrayContaining([
      expect.stringContaining(`check "iac-scan" tflint runs image "${TFLINT}:v0.63.1" by its tag alone`),
      expect.stringContaining(`check "load-test" k6 runs image "${K6}:2.1.0" by its tag alone`),
      expect.stringContaining(`check "dast" ZAP runs image "${ZAP}:2.16.1" by its tag alone`),
    ]));
    expect(warnings[0]).toContain('npx slipway pin docker://');

    const strict = Testing.app({ outdir: tempDir('step-images-strict'), supplyChain: { strict: true } });
    define(strict, versions);
    expect(() => Testing.synth(strict)).toThrow(/by its tag alone/);
  });

  test('a version the user sets is pinned by slipway.lock.json; the default version the user names explicitly stays pinned by the built-in lock', () => {
    const digest = `sha256:${'5'.repeat(64)}`;
    const app = Testing.app({ outdir: outdirWithLock({ [`${K6}:2.1.0`]: digest }), supplyChain: { strict: true } });
    define(app, { k6: '2.1.0', tflint: 'v0.64.0', zap: STEP_IMAGES.zap });
    const files = Testing.synth(app);
    expectValid(files);
    expect(Testing.warnings(app)).toEqual([]);
    expect(renderedImages(files)).toMatchObject({
      k6: `${K6}:2.1.0@${digest}`,
      tflint: `${STEP_IMAGES.tflint}@${CATALOG_IMAGE_LOCK[STEP_IMAGES.tflint]}`,
      zap: `${STEP_IMAGES.zap}@${CATALOG_IMAGE_LOCK[STEP_IMAGES.zap]}`,
    });
  });
});
