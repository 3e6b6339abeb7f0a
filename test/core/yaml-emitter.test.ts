/**
 * The fast YAML emitter must write exactly what the `yaml` package writes
 * with slipway's options: compared byte for byte on tricky strings and on
 * seeded random documents, in YAML 1.2 (workflows) and 1.1 (Kubernetes, Helm).
 */
import * as YAML from 'yaml';
import { prune, toYaml } from '../../src/core/yaml';
import { emitYaml } from '../../src/core/yaml-emitter';

/** What toYaml wrote before the fast emitter: the `yaml` package. */
function reference(value: unknown, yaml11: boolean): string {
  const doc = new YAML.Document(prune(value), { version: yaml11 ? '1.1' : '1.2', aliasDuplicateObjects: false });
  return doc.toString({ lineWidth: 0, minContentWidth: 0, blockQuote: 'literal', indentSeq: true, nullStr: 'null' });
}

const TRICKY = [
  '', ' ', 'on', 'On', 'off', 'yes', 'No', 'y', 'n', 'null', 'Null', '~', 'true', 'False', '123', '-5', '+5', '0x1F', '0o17', '017',
  '0b101', '1e3', '1.5', '.5', '1_000', '.inf', '-.inf', '.nan', '2001-12-14', '12:30:45', '- a', '-', '?', '? x', ': x', 'a: b',
  'a:b', 'a #b', 'a#b', '#x', 'a ', ' a', 'a\n', 'a\nb', 'a\n\nb\n\n', '\n', '\na', '  x\ny', ' x\n y\n', 'x\n  ', 'x \ny', "it's",
  'say "hi"', 'both \' "', '---', '--- x', 'a\n---\nb', '...', '%x', '@x', '`x`', '{{ .Values.x }}', '"{{ .Release.Name }}"', '[a]',
  'a,b', '*x', '&x', '!x', '|x', '>x', 'a\tb', '\t', 'ctrl\x01', 'bell\x07\nand a second line long enough to fold in quotes', 'é', '😀',
  '\u2028', 'a\u00a0b', 'multi\nline\nscript\n', 'trailing\n\n\n', 'echo "${{ github.sha }}"\nexit 1\n', 'http://x:80/', '<<',
];

/** A small deterministic generator (a linear congruential one), so failures reproduce. */
function generator(seed: number) {
  let s = seed;
  const next = (n: number) => { s = (s * 1103515245 + 12345) % 2147483648; return s % n; };
  const pick = <T>(xs: T[]): T => xs[next(xs.length)];
  const chars = [' ', '\n', '\t', 'a', '-', ':', '#', '"', "'", '{', '%', '.', '1', '\x01', 'é', '|', '>', '?', ',', '0', 'e', '+', '~'];
  const scalar = (): unknown => {
    switch (next(10)) {
      case 0: return next(2) === 0;
      case 1: return null;
      case 2: return undefined;
      case 3: return pick([0, 1, -1, 42, 3.14, -0.5, 8080]);
      case 4: {
        const node = new YAML.Scalar(pick(TRICKY.filter((t) => !t.includes('\n'))));
        if (next(2)) node.comment = pick([' v4.3.1', 'v1']);
        return node;
      }
      case 5: return Array.from({ length: next(10) }, () => pick(chars)).join('');
      default: return pick(TRICKY);
    }
  };
  const value = (depth: number): unknown => {
    const r = next(10);
    if (depth > 3 || r < 4) return scalar();
    if (r < 7) {
      const o: { [k: string]: unknown } = {};
      for (let i = next(5); i > 0; i--) o[next(3) ? pick(TRICKY) : `k${next(50)}`] = value(depth + 1);
      return o;
    }
    return Array.from({ length: next(5) }, () => value(depth + 1));
  };
  return { next, value };
}

describe('fast YAML emitter', () => {
  test.each([false, true])('writes what the yaml package writes for every tricky string as key and value (yaml11: %s)', (yaml11) => {
    for (const s of TRICKY.filter((t) => t !== '<<')) {
      const doc = { [s]: s, list: [s, { [s]: [s] }], nested: { deeper: { value: s } } };
      expect(emitYaml(doc, yaml11)).toBe(reference(doc, yaml11));
    }
  });

  test.each([false, true])('writes what the yaml package writes for seeded random documents (yaml11: %s)', (yaml11) => {
    const g = generator(yaml11 ? 11 : 12);
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      const doc = g.next(4) === 0 ? [g.value(1), g.value(1)] : { a: g.value(1), b: g.value(1), c: g.value(2) };
      const fast = emitYaml(doc, yaml11);
      if (fast === undefined) continue;
      compared++;
      expect(fast).toBe(reference(doc, yaml11));
    }
    expect(compared).toBeGreaterThan(2500); // most documents take the fast path (the rest contain "<<")
  });

  test('renders a workflow step with a pinned, commented uses: line', () => {
    const uses = new YAML.Scalar('actions/checkout@34e114876b0b11c390a56381ad16ebd13914f8d5');
    uses.comment = ' v4.3.1';
    const doc = { on: { push: { branches: ['main'] } }, jobs: { test: { 'runs-on': 'ubuntu-latest', 'steps': [{ uses }, { run: 'npm ci\nnpm test\n' }] } } };
    expect(emitYaml(doc, false)).toBe([
      'on:',
      '  push:',
      '    branches:',
      '      - main',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@34e114876b0b11c390a56381ad16ebd13914f8d5 # v4.3.1',
      '      - run: |',
      '          npm ci',
      '          npm test',
      '',
    ].join('\n'));
    expect(emitYaml(doc, false)).toBe(reference(doc, false));
    expect(emitYaml({ on: 'x' }, true)).toBe('"on": x\n');
  });

  test('leaves what it does not support to the yaml package, and toYaml writes the same either way', () => {
    const commented = new YAML.Document({ a: 1 }).contents as YAML.YAMLMap;
    (commented.items[0].key as YAML.Scalar).commentBefore = ' the a';
    const unsupported: unknown[] = [
      'a top-level scalar',
      commented,
      { when: new Date(0) },
      { big: BigInt(1) },
      { nan: NaN },
      { merge: '<<' },
      { [`k${'x'.repeat(1100)}`]: 1 },
      { multi: Object.assign(new YAML.Scalar('a'), { commentBefore: ' c' }) },
    ];
    for (const value of unsupported) {
      expect(emitYaml(value, false)).toBeUndefined();
      expect(toYaml(value)).toBe(reference(value, false));
    }
  });
});
