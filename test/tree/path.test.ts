import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalPath, formatPath, getAt, parsePath } from '../../src/tree/path.js';
import { expectConfigError } from '../support/errors.js';

describe('parsePath', () => {
  it.each([
    { path: 'server.port', expected: ['server', 'port'] },
    { path: 'llm_providers.0.model_name', expected: ['llm_providers', '0', 'model_name'] },
    { path: 'llm_providers[0].model_name', expected: ['llm_providers', '0', 'model_name'] },
    { path: 'a[0][1]', expected: ['a', '0', '1'] },
    { path: 'a["b.c"].d', expected: ['a', 'b.c', 'd'] },
    { path: '', expected: [] },
  ])('$path', ({ path, expected }) => expect(parsePath(path)).toEqual(expected));

  it.each(['a..b', '.a', 'a.', 'a[x]', 'a[0', 'a[0]b'])('rejects malformed %s', async (path) => {
    await expectConfigError(() => parsePath(path), { code: 'invalid_parameters' });
  });

  it.each(['__proto__.x', 'a.constructor.prototype', 'a["__proto__"]', 'x[prototype]'])('rejects %s with forbidden_key', async (path) => {
    await expectConfigError(() => parsePath(path), { code: 'forbidden_key' });
  });

  it('round-trips canonical paths', () => {
    const segment = fc.stringMatching(/^[a-zA-Z0-9_.\-]{1,8}$/).filter((s) => !['__proto__', 'constructor', 'prototype'].includes(s));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (segs) => {
        expect(parsePath(formatPath(segs))).toEqual(segs);
      }),
      { numRuns: 500 },
    );
    expect(canonicalPath('a[0].b')).toBe('a.0.b');
  });
});

describe('getAt', () => {
  it('reads own properties only, and list items by index', () => {
    const tree = { a: [{ b: 1 }], c: {} };
    expect(getAt(tree, ['a', '0', 'b'])).toBe(1);
    expect(getAt(tree, ['a', 'x'])).toBeUndefined();
    expect(getAt(tree, ['c', 'toString'])).toBeUndefined();
    expect(getAt(tree, ['c', 'x', 'y'])).toBeUndefined();
  });
});
