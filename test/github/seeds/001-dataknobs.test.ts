/**
 * Seed 001 (Dataknobs, Python packages): ci.yml, release.yml, docs.yml and the
 * security, notification and debug snippets, rebuilt with the level-1 API and
 * compared with the transcribed fixtures in test/fixtures/seeds/001-*.yml.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { fixture, FIXTURES, normalize, PINNED, usesLines } from './compare';
import { seed001 } from './workflows';
import { SlipwayError } from '../../../src/core/errors';
import { Testing } from '../../../src/core/testing';
import { expectValid, validateFiles } from '../../support/harness';

const { ci, release, docs, security, notifications, debug } = seed001;

describe('seed 001 (Dataknobs)', () => {
  const app = Testing.app();
  // Repair: the seed's exclude (python-version '3.8') matches no combination; it is dropped (see below).
  ci(app, undefined);
  release(app);
  docs(app);
  security(app);
  notifications(app);
  debug(app);
  const files = Testing.synth(app);
  const parsed = (file: string) => YAML.parse(files[`.github/workflows/${file}`]);

  test('every file passes actionlint and the workflow parser', () => {
    expect(Object.keys(files)).toHaveLength(6);
    expectValid(files);
  });

  test('the seed\'s matrix exclude is rejected by slipway, as actionlint rejects it in the fixture', () => {
    const seedApp = Testing.app();
    ci(seedApp, [{ 'os': 'macos-latest', 'python-version': '3.8' }]);
    let problems: string[] = [];
    try {
      Testing.synth(seedApp);
    } catch (e) {
      problems = (e as SlipwayError).problems;
    }
    expect(problems).toEqual([
      '[ci/test] strategy.matrix.exclude[0] sets python-version: "3.8", which is not a value of axis "python-version" ("3.12", "3.13"); the exclude would match nothing. Fix the value or remove the entry',
    ]);
    const raw = fs.readFileSync(path.join(FIXTURES, '001-ci.yml'), 'utf8');
    const findings = validateFiles({ '.github/workflows/ci.yml': raw }).findings;
    expect(findings.map((f) => `${f.validator}: ${f.message}`)).toEqual([expect.stringMatching(/^actionlint: .*\[matrix\] value "3\.8" in "exclude" does not match in matrix "python-version" combinations/)]);
  });

  test('ci.yml equals fixture 001-ci up to pinning and the dropped no-op exclude', () => {
    const expected = normalize(fixture('001-ci')).doc;
    delete expected.jobs.test.strategy.matrix.exclude; // the repair: the exclude matched no combination
    expect(normalize(parsed('ci.yml')).doc).toEqual(expected);
  });

  test.each([
    ['release.yml', '001-release'],
    ['docs.yml', '001-docs'],
    ['security.yml', '001-security'],
    ['notifications.yml', '001-notifications'],
    ['debug.yml', '001-debug'],
  ])('%s equals fixture %s up to pinning', (file, name) => {
    expect(normalize(parsed(file)).doc).toEqual(normalize(fixture(name)).doc);
  });

  test('permissions: contents read everywhere, write only for the jobs whose actions push', () => {
    expect(normalize(parsed('ci.yml')).permissions).toEqual({ workflow: { contents: 'read' }, jobs: {} });
    expect(normalize(parsed('release.yml')).permissions).toEqual({ workflow: { contents: 'read' }, jobs: { release: { contents: 'write' } } });
    expect(normalize(parsed('docs.yml')).permissions).toEqual({ workflow: { contents: 'read' }, jobs: { docs: { contents: 'write' } } });
    // the fixture grants security-events: write to the whole workflow; slipway grants it to the one job that uploads
    expect(normalize(fixture('001-security')).permissions.workflow).toEqual({ 'contents': 'read', 'security-events': 'write' });
    expect(normalize(parsed('security.yml')).permissions).toEqual({
      workflow: { contents: 'read' },
      jobs: { 'container-scan': { 'contents': 'read', 'security-events': 'write' } },
    });
  });

  test('every action is pinned to a commit SHA with its version as a comment', () => {
    const uses = Object.values(files).flatMap(usesLines);
    const fixtureUses = ['ci', 'release', 'docs', 'security', 'notifications', 'debug']
      .flatMap((n) => usesLines(fs.readFileSync(path.join(FIXTURES, `001-${n}.yml`), 'utf8')));
    expect(uses).toHaveLength(fixtureUses.length);
    expect(uses.filter((u) => !PINNED.test(u))).toEqual([]);
    expect(usesLines(files['.github/workflows/ci.yml'])).toContain('actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0');
  });
});
