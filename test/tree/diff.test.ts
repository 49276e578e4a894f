import { describe, expect, it } from 'vitest';
import { changedKeys } from '../../src/tree/diff.js';

describe('changedKeys', () => {
  const nullProto = (o: Record<string, unknown>) => Object.assign(Object.create(null) as Record<string, unknown>, o);

  it.each([
    { name: 'equal trees', prev: { a: 1, b: { c: [1, 2] } }, next: { a: 1, b: { c: [1, 2] } }, expected: [] },
    { name: 'a changed leaf', prev: { a: 1, b: { c: 2 } }, next: { a: 1, b: { c: 3 } }, expected: ['b.c'] },
    { name: 'an added leaf', prev: { a: 1 }, next: { a: 1, b: 2 }, expected: ['b'] },
    { name: 'a removed leaf', prev: { a: 1, b: 2 }, next: { a: 1 }, expected: ['b'] },
    { name: 'a whole subtree appearing lists the container and its leaves', prev: {}, next: { s: { p: 1, q: { r: 2 } } }, expected: ['s', 's.p', 's.q', 's.q.r'] },
    { name: 'a whole subtree disappearing lists the container and its leaves', prev: { s: { p: 1 } }, next: {}, expected: ['s', 's.p'] },
    { name: 'a list growing', prev: { l: [1] }, next: { l: [1, 2] }, expected: ['l.1'] },
    { name: 'a list shrinking', prev: { l: [1, { n: 'x' }] }, next: { l: [1] }, expected: ['l.1', 'l.1.n'] },
    { name: 'list items by index', prev: { l: [{ name: 'a', m: 1 }] }, next: { l: [{ name: 'a', m: 2 }] }, expected: ['l.0.m'] },
    { name: 'a scalar becoming an object', prev: { a: 1 }, next: { a: { b: 1 } }, expected: ['a', 'a.b'] },
    { name: 'an object becoming an array', prev: { a: { x: 1 } }, next: { a: [1] }, expected: ['a', 'a.0', 'a.x'] },
    { name: 'an empty object is a leaf', prev: { a: {} }, next: { a: {} }, expected: [] },
    { name: 'an empty object becoming empty array', prev: { a: {} }, next: { a: [] }, expected: ['a'] },
    { name: 'an empty object gaining a key', prev: { a: {} }, next: { a: { b: 1 } }, expected: ['a', 'a.b'] },
    { name: 'type change of a leaf', prev: { a: 1 }, next: { a: '1' }, expected: ['a'] },
    { name: 'null vs absent', prev: { a: null }, next: {}, expected: ['a'] },
    { name: 'NaN equals NaN', prev: { a: Number.NaN }, next: { a: Number.NaN }, expected: [] },
    { name: '0 equals -0', prev: { a: 0 }, next: { a: -0 }, expected: [] },
    { name: 'bigint', prev: { a: 1n }, next: { a: 2n }, expected: ['a'] },
    { name: 'dates by value', prev: { d: new Date(5) }, next: { d: new Date(5) }, expected: [] },
    { name: 'changed dates', prev: { d: new Date(5) }, next: { d: new Date(6) }, expected: ['d'] },
    { name: 'keys needing brackets', prev: { 'a.b': 1 }, next: { 'a.b': 2 }, expected: ['["a.b"]'] },
    { name: 'null-prototype and plain objects compare by content', prev: nullProto({ a: nullProto({ b: 1 }) }), next: { a: { b: 1 } }, expected: [] },
  ])('$name', ({ prev, next, expected }) => {
    expect(changedKeys(prev, next)).toEqual(expected);
  });

  it('returns sorted, duplicate-free paths', () => {
    const keys = changedKeys({ z: 1, a: 1, m: { 0: 1 } }, { z: 2, a: 2, m: [2] });
    expect(keys).toEqual([...new Set(keys)].sort());
    expect(keys).toEqual(['a', 'm', 'm.0', 'z']);
  });

  it('is symmetric in the set of paths it reports', () => {
    const a = { x: { y: [1, 2, { z: true }] }, k: 'v' };
    const b = { x: { y: [1, 3] }, n: null };
    expect(changedKeys(a, b)).toEqual(changedKeys(b, a));
  });

  it('handles frozen trees and deep nesting without overflowing', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 300; i++) deep = { n: deep };
    const keys = changedKeys({}, Object.freeze(deep));
    expect(keys).toHaveLength(301);
  });

  it('does not treat __proto__ as special', () => {
    const next = JSON.parse('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
    expect(changedKeys({}, next)).toEqual(['__proto__', '__proto__.polluted']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
