/**
 * The one "did you mean" rule (src/foundation/suggest.ts), used by the CLI and the provider registry.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestNames, editDistance, editLimit } from '../../src/foundation/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['etcd', 'etcd', 0],
    ['etdc', 'etcd', 1], // a swap of neighbours is one edit
    ['YAML', 'yaml', 0], // case is ignored
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3], // optimal string alignment, not full Damerau (which says 2)
  ])('%j ~ %j = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it('is at most the longer length and zero only for equal names (ignoring case)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(d === 0).toBe(a.toLowerCase() === b.toLowerCase());
      }),
    );
  });
});

describe('closestNames', () => {
  const types = ['composite', 'defaults', 'env', 'etcd', 'file', 'json', 'toml', 'yaml'];
  it.each([
    { name: 'ymal', known: types, expected: ['yaml'] },
    { name: 'Yaml', known: types, expected: ['yaml'] }, // toml is 2 away: only the nearest are offered
    { name: 'tom', known: types, expected: ['toml'] },
    { name: 'etc', known: types, expected: ['etcd'] },
    { name: 'kubernetes', known: types, expected: [] },
    { name: 'hsot', known: ['host', 'port'], expected: ['host'] }, // a swap is one edit
    { name: 'port', known: ['host'], expected: [] }, // 2 edits in 4 letters is another word
    { name: 'no-json', known: ['json', 'config'], expected: ['json'] }, // 3 edits, but json with a prefix
    { name: 'xyz', known: ['get'], expected: [] },
    { name: 'abcdefgh', known: ['abcdwxyz'], expected: [] }, // 4 edits in 8 letters
    { name: 'bat', known: ['cat', 'hat', 'rat', 'bath'], expected: ['bath', 'cat', 'hat'] }, // ties, alphabetical, at most 3
    { name: '', known: ['', 'a'], expected: [] },
    { name: 'e', known: ['env'], expected: [] }, // one letter is no prefix
  ])('$name among $known -> $expected', ({ name, known, expected }) => {
    expect(closestNames(name, known)).toEqual(expected);
  });

  it.each([
    ['abc', 'abd', 1],
    ['server', 'servr', 2],
    ['llm_providers.0.api_key', 'llm_providers.0.apikey', 7],
  ])('editLimit(%j, %j) = %i', (a, b, limit) => {
    expect(editLimit(a, b)).toBe(limit);
  });

  it('bounds the work on a hostile name', () => {
    expect(closestNames('x'.repeat(1_000_000), ['x'.repeat(128)])).toEqual(['x'.repeat(128)]);
  });
});
