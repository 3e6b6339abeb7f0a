import { lockKey, parseLockFile, Pin, serializeLockFile, splitRef } from '../../../src/github/actions/lock-file';
import { bestVersionTag, majorRef, parseVersionTag } from '../../../src/github/actions/version-tag';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);

describe('lock keys', () => {
  test('drop the path inside the repository and lower-case owner and repo, not the ref', () => {
    expect(lockKey('github/codeql-action/upload-sarif', 'v3')).toBe('github/codeql-action@v3');
    expect(lockKey('CodelyTV/pr-size-labeler', 'V1')).toBe('codelytv/pr-size-labeler@V1');
    expect(lockKey('pypa/gh-action-pypi-publish', 'release/v1')).toBe('pypa/gh-action-pypi-publish@release/v1');
  });

  test('splitRef splits at the first @', () => {
    expect(splitRef('actions/checkout@v4')).toEqual({ repository: 'actions/checkout', version: 'v4' });
    expect(splitRef('actions/checkout')).toBeUndefined();
    expect(splitRef('actions/checkout@')).toBeUndefined();
  });
});

describe('serializeLockFile', () => {
  test('is deterministic: sorted keys, fixed field order, trailing newline', () => {
    const a = new Map<string, Pin>([
      ['docker/login-action@v3', { version: 'v3.6.0', sha: SHA_B } as Pin],
      ['actions/checkout@v4', { sha: SHA_A, version: 'v4.3.1' }],
    ]);
    const b = new Map<string, Pin>([...a.entries()].reverse());
    const text = serializeLockFile(a);
    expect(serializeLockFile(b)).toBe(text);
    expect(text).toBe([
      '{',
      '  "actions": {',
      '    "actions/checkout@v4": {',
      `      "sha": "${SHA_A}",`,
      '      "version": "v4.3.1"',
      '    },',
      '    "docker/login-action@v3": {',
      `      "sha": "${SHA_B}",`,
      '      "version": "v3.6.0"',
      '    }',
      '  },',
      '  "lockfileVersion": 1',
      '}',
      '',
    ].join('\n'));
  });

  test('round-trips through parseLockFile', () => {
    const pins = new Map<string, Pin>([['actions/checkout@v4', { sha: SHA_A, version: 'v4.3.1' }]]);
    const parsed = parseLockFile(serializeLockFile(pins), 'slipway.lock.json');
    expect(parsed.problems).toEqual([]);
    expect(parsed.pins).toEqual(pins);
  });

  test('an empty file object has no pins and no problems', () => {
    expect(parseLockFile('{}', 'x.json')).toEqual({ pins: new Map(), images: new Map(), problems: [] });
  });

  test('bad entries are reported and left out; good ones are kept', () => {
    const parsed = parseLockFile(JSON.stringify({ actions: { 'a/b@v1': { sha: SHA_A, version: 'v1.0.0' }, 'a/c@v1': 'nope' } }), 'x.json');
    expect([...parsed.pins.keys()]).toEqual(['a/b@v1']);
    expect(parsed.problems).toEqual(['x.json: entry "a/c@v1" must be an object { "sha": "<40-hex>", "version": "v1.2.3" }']);
  });
});

describe('version tags', () => {
  test('parse v-prefixed and bare versions, not branches', () => {
    expect(parseVersionTag('v4.2.2')).toEqual({ tag: 'v4.2.2', prefix: 'v', parts: [4, 2, 2], prerelease: undefined });
    expect(parseVersionTag('0.35.0')!.parts).toEqual([0, 35, 0]);
    expect(parseVersionTag('v1.0.0-rc.1')!.prerelease).toBe('rc.1');
    expect(parseVersionTag('main')).toBeUndefined();
    expect(parseVersionTag('release/v1')).toBeUndefined();
  });

  test('bestVersionTag picks the most precise, highest tag within the requested one', () => {
    expect(bestVersionTag(['v4', 'v4.3', 'v4.3.1', 'v4.3.0'], 'v4')).toBe('v4.3.1');
    expect(bestVersionTag(['v4', 'v4.3.1', 'v4.3.2-rc.1'], 'v4')).toBe('v4.3.1');
    expect(bestVersionTag(['v4.2.2'], 'v4.2.2')).toBe('v4.2.2');
    expect(bestVersionTag(['v5.0.0', 'v4'], 'v4')).toBe('v5.0.0');
    expect(bestVersionTag(['v1', 'v0.1.15'], 'v1')).toBe('v0.1.15');
    expect(bestVersionTag(['v1.12.4'], 'release/v1')).toBe('v1.12.4');
    expect(bestVersionTag([], 'main')).toBe('main');
    expect(bestVersionTag(['4.0.0'], 'v4')).toBe('4.0.0');
    expect(bestVersionTag(['v4'], 'v4')).toBe('v4');
  });

  test('majorRef', () => {
    expect(majorRef('v4.3.1')).toBe('v4');
    expect(majorRef('0.35.0')).toBe('0.35.0');
    expect(majorRef('v1.0.0-rc.1')).toBe('v1.0.0-rc.1');
    expect(majorRef('release/v1')).toBe('release/v1');
  });
});
