import { describe, expect, it } from 'vitest';
import { createMergeState, lookupOrigin, markOwned, mergeLayerInto, mergeLayers } from '../../src/tree/merge.js';
import type { Layer } from '../../src/providers/provider.js';
import { expectConfigError } from '../support/errors.js';

const file = (values: Record<string, unknown>, location = 'a.yaml'): Layer => ({
  values,
  origin: { provider: `file:${location}`, type: 'file', location },
});

function originOf(state: ReturnType<typeof mergeLayers>, path: string) {
  return lookupOrigin(state.origins, path);
}

describe('mergeLayers', () => {
  it.each([
    { name: 'scalar over scalar', lower: { a: 1 }, upper: { a: 2 }, expected: { a: 2 } },
    { name: 'objects deep-merge', lower: { s: { a: 1, b: 2 } }, upper: { s: { b: 3, c: 4 } }, expected: { s: { a: 1, b: 3, c: 4 } } },
    { name: 'plain lists replace', lower: { l: [1, 2, 3] }, upper: { l: [9] }, expected: { l: [9] } },
    { name: 'empty list replaces a named list', lower: { l: [{ name: 'a' }] }, upper: { l: [] }, expected: { l: [] } },
    {
      name: 'named lists merge by name, new names append',
      lower: { p: [{ name: 'a', x: 1 }, { name: 'b', x: 2 }] },
      upper: { p: [{ name: 'b', y: 3 }, { name: 'c', x: 4 }] },
      expected: { p: [{ name: 'a', x: 1 }, { name: 'b', x: 2, y: 3 }, { name: 'c', x: 4 }] },
    },
    { name: 'mixed list replaces', lower: { p: [{ name: 'a' }] }, upper: { p: [{ name: 'b' }, 3] }, expected: { p: [{ name: 'b' }, 3] } },
    { name: 'scalar replaces object', lower: { db: { host: 'h' } }, upper: { db: 'url' }, expected: { db: 'url' } },
    { name: 'object replaces scalar', lower: { db: 'url' }, upper: { db: { host: 'h' } }, expected: { db: { host: 'h' } } },
    { name: 'null is a value', lower: { a: 1 }, upper: { a: null }, expected: { a: null } },
    { name: 'undefined is ignored', lower: { a: 1 }, upper: { a: undefined }, expected: { a: 1 } },
  ])('$name', ({ lower, upper, expected }) => {
    expect(mergeLayers([file(upper, 'up.yaml'), file(lower, 'low.yaml')]).values).toEqual(expected);
  });

  it('never mutates its inputs', () => {
    const lower = { s: { a: 1 }, l: [{ name: 'x', v: 1 }] };
    const upper = { s: { b: 2 }, l: [{ name: 'x', w: 2 }] };
    const snapshot = JSON.stringify([lower, upper]);
    const merged = mergeLayers([file(upper), file(lower)]);
    (merged.values.s as Record<string, unknown>).c = 3;
    expect(JSON.stringify([lower, upper])).toBe(snapshot);
  });

  it('records origins at the destination path, also for items merged by name', () => {
    const state = mergeLayers([
      { values: { p: [{ name: 'b', y: 3 }] }, origins: { 'p.0.y': { provider: 'env:X', type: 'env', location: 'X_P__B__Y' } } },
      file({ p: [{ name: 'a', x: 1 }, { name: 'b', x: 2 }] }, 'low.yaml'),
    ]);
    expect(originOf(state, 'p.1.y')).toEqual({ provider: 'env:X', type: 'env', location: 'X_P__B__Y' });
    expect(originOf(state, 'p.1.x')?.location).toBe('low.yaml');
    expect(originOf(state, 'p.1.name')?.location).toBe('low.yaml');
    expect(originOf(state, 'p.0.x')?.location).toBe('low.yaml');
  });

  it('resolves positions lazily by source path', () => {
    const seen: string[] = [];
    const layer: Layer = {
      values: { p: [{ name: 'b', v: 1 }] },
      origin: { provider: 'f', type: 'file', location: 'up.yaml' },
      positions: { get: (path) => (seen.push(path), { line: 7, column: 3 }) },
    };
    const state = mergeLayers([layer, file({ p: [{ name: 'a' }] })]);
    expect(seen).toEqual([]);
    expect(originOf(state, 'p.1.v')).toMatchObject({ location: 'up.yaml', line: 7, column: 3 });
    expect(seen).toEqual(['p.0.v']);
  });

  it('drops origins under a replaced subtree', () => {
    const state = mergeLayers([file({ db: 'url' }, 'up.yaml'), file({ db: { host: 'h', port: 1 } }, 'low.yaml')]);
    expect([...state.origins.keys()].sort()).toEqual(['db']);
    expect(originOf(state, 'db')?.location).toBe('up.yaml');
  });

  it('adopts owned layers without copying, and still expands ${VAR} in them', () => {
    const values = { a: { url: 'http://${HOST}' }, l: [{ name: 'x', v: '${HOST}' }] };
    const state = mergeLayers([{ ...file(markOwned(values)), owned: true, interpolate: true }], { env: { HOST: 'h' } });
    expect(state.values.a).toBe(values.a);
    expect(state.values).toEqual({ a: { url: 'http://h' }, l: [{ name: 'x', v: 'h' }] });
    expect(originOf(state, 'l.0.v')?.location).toBe('a.yaml');
  });

  it('copies a layer flagged owned that no confstack parser built (the flag alone is not trusted)', () => {
    const kept = { a: { b: 1 } };
    const state = mergeLayers([{ ...file({ a: { c: 2 } }, 'up.yaml') }, { ...file(kept, 'kept.yaml'), owned: true }]);
    expect(state.values).toEqual({ a: { b: 1, c: 2 } });
    expect(state.values.a).not.toBe(kept.a);
    expect(kept).toEqual({ a: { b: 1 } }); // the merge wrote into its copy, not into the provider's data
  });

  it('gives every leaf of a random stack the origin of the layer that supplied it', () => {
    const low = file({ s: { a: 1, b: 2 }, p: [{ name: 'n1', x: 1 }] }, 'low.yaml');
    const mid: Layer = { values: { s: { b: 3 }, p: [{ name: 'n2', x: 2 }] }, origins: { 's.b': { provider: 'env', type: 'env', location: 'B' } } };
    const up = { ...file(markOwned({ p: [{ name: 'n1', y: 9 }] }), 'up.yaml'), owned: true };
    const state = mergeLayers([up, mid, low]);
    expect(state.values).toEqual({ s: { a: 1, b: 3 }, p: [{ name: 'n1', x: 1, y: 9 }, { name: 'n2', x: 2 }] });
    expect(originOf(state, 's.a')?.location).toBe('low.yaml');
    expect(originOf(state, 's.b')?.location).toBe('B');
    expect(originOf(state, 'p.0.x')?.location).toBe('low.yaml');
    expect(originOf(state, 'p.0.y')?.location).toBe('up.yaml');
    expect(originOf(state, 'p.1.x')?.provider).toBe('unknown');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('rejects the key %s with its location', async (key) => {
    const values = JSON.parse(`{"a":{"${key}":{"polluted":1}}}`);
    await expectConfigError(() => mergeLayers([file(values, 'evil.json')]), { code: 'forbidden_key', file: 'evil.json', key: `a.${key}` });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps toString and hasOwnProperty as ordinary keys', () => {
    const merged = mergeLayers([file({ toString: 'x', hasOwnProperty: 1 })]).values;
    expect(Object.keys(merged)).toEqual(['toString', 'hasOwnProperty']);
    expect(merged.toString).toBe('x');
  });

  it('rejects cycles and exotic values with invalid_config', async () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    await expectConfigError(() => mergeLayers([file(cyclic)]), { code: 'invalid_config', key: 'self' });
    await expectConfigError(() => mergeLayers([file({ m: new Map() })]), { code: 'invalid_config', key: 'm' });
    await expectConfigError(() => mergeLayers([file({ f: () => 1 })]), { code: 'invalid_config', key: 'f' });
  });

  it('normalises dates, safe bigints and getters to plain data', () => {
    const withGetter = Object.defineProperty({}, 'g', { get: () => 5, enumerable: true });
    const merged = mergeLayers([file({ d: new Date(0), n: 5n, o: withGetter })]).values;
    expect(merged).toEqual({ d: '1970-01-01T00:00:00.000Z', n: 5, o: { g: 5 } });
  });

  it('enforces the depth limit and the node budget', async () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 50; i++) deep = (deep.x = {}) as Record<string, unknown>;
    await expectConfigError(() => mergeLayers([file(root)], { limits: { ...limitsBase, maxDepth: 10 } }), { code: 'limit_exceeded' });
    // Shared references (what a YAML alias bomb becomes) are expanded by copying: the budget stops it.
    let shared: unknown = ['x'];
    for (let i = 0; i < 20; i++) shared = [shared, shared, shared];
    await expectConfigError(() => mergeLayers([file({ bomb: shared })]), { code: 'limit_exceeded' });
  });

  it('expands ${VAR} only in layers that ask for it, with the location of the string', async () => {
    const env = { HOST: 'db.local' };
    const interpolating: Layer = { ...file({ url: 'postgres://${HOST}/x', esc: '$${HOST}' }), interpolate: true };
    expect(mergeLayers([interpolating], { env }).values).toEqual({ url: 'postgres://db.local/x', esc: '${HOST}' });
    expect(mergeLayers([file({ url: '${HOST}' })], { env }).values).toEqual({ url: '${HOST}' });
    const bad: Layer = { ...interpolating, values: { url: '${MISSING_VAR}' }, positions: { get: () => ({ line: 4, column: 6 }) } };
    const err = await expectConfigError(() => mergeLayers([bad], { env }), { code: 'interpolation_failed', file: 'a.yaml', line: 4, column: 6 });
    expect(err.context?.variable).toBe('MISSING_VAR');
  });

  it('merges incrementally with mergeLayerInto', () => {
    const state = createMergeState();
    mergeLayerInto(state, file({ a: { b: 1 } }));
    mergeLayerInto(state, file({ a: { c: 2 } }, 'b.yaml'));
    expect(state.values).toEqual({ a: { b: 1, c: 2 } });
    expect(originOf(state, 'a.c')?.location).toBe('b.yaml');
  });
});

const limitsBase = {
  maxDepth: 256,
  maxDocumentBytes: 1 << 24,
  maxScalarBytes: 1 << 20,
  maxNodes: 1_000_000,
  maxAliases: 10_000,
  maxInterpolationDepth: 32,
};

describe('interpolation and positions', () => {
  const counted = () => {
    const calls = { n: 0 };
    const layer: Layer = {
      values: { db: { url: '${DB_HOST:-localhost}:5432', name: '${DB_NAME}' } },
      origin: { provider: 'file:app.yaml', type: 'file', location: 'app.yaml' },
      positions: { get: () => (calls.n++, { line: 3, column: 9 }) },
      interpolate: true,
    };
    return { calls, layer };
  };

  it('expands references without resolving a line/column (that can mean re-parsing the file)', () => {
    const { calls, layer } = counted();
    expect(mergeLayers([layer], { env: { DB_NAME: 'app' } }).values).toEqual({ db: { url: 'localhost:5432', name: 'app' } });
    expect(calls.n).toBe(0);
  });

  it('resolves the line/column when a reference fails, and names it in the error', async () => {
    const { calls, layer } = counted();
    const err = await expectConfigError(() => mergeLayers([layer], { env: {} }), { code: 'interpolation_failed', file: 'app.yaml', line: 3, column: 9 });
    expect(err.context).toMatchObject({ variable: 'DB_NAME' });
    expect(calls.n).toBeGreaterThan(0);
  });
});
