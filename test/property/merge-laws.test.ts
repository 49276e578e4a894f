/**
 * Merge laws and provenance against a small reference model (RELIABILITY M4, M6; issue 8 item 3).
 * Layers are memory providers named L0 (lowest) … Ln (highest), loaded through the real pipeline
 * (`loadConfig({ sources, schema: false })`, sources highest first). The model: objects deep-merge;
 * two non-empty lists whose items are all objects with a string `name` merge by name (same name
 * deep-merges and keeps the lower item's `name` origin, new names append); anything else is
 * replaced whole by the upper layer (null included). Each leaf remembers the layer it came from,
 * so the model also predicts `config.explain(path).provider`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/presets/framework/api.js';
import { memoryProvider } from '../../src/providers/memory.js';
import type { Provider } from '../../src/providers/provider.js';
import { formatPath } from '../../src/tree/path.js';
import { propertyRuns, propertyTimeout } from './runs.js';

const RUNS = propertyRuns(300);

type Tree = Record<string, unknown>;

/** A model leaf: a scalar and the layer that supplied it. */
class Leaf {
  constructor(
    readonly v: unknown,
    readonly from: string,
  ) {}
}

const isObj = (v: unknown): v is Tree => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Leaf);
const isNamed = (v: unknown): v is Tree[] => Array.isArray(v) && v.length > 0 && v.every((i) => isObj(i) && i.name instanceof Leaf && typeof i.name.v === 'string');

/** Tags every scalar of a layer's tree with the layer name. */
function tag(v: unknown, from: string): unknown {
  if (Array.isArray(v)) return v.map((i) => tag(i, from));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tag(x, from)]));
  return new Leaf(v, from);
}

/** The reference merge of `upper` over `lower` (both tagged). */
function merge(lower: unknown, upper: unknown): unknown {
  if (isObj(lower) && isObj(upper)) {
    const out: Tree = { ...lower };
    for (const [k, v] of Object.entries(upper)) out[k] = Object.hasOwn(lower, k) ? merge(lower[k], v) : v;
    return out;
  }
  if (isNamed(lower) && isNamed(upper)) {
    const out = [...lower];
    for (const item of upper) {
      const j = out.findIndex((x) => (x.name as Leaf).v === (item.name as Leaf).v);
      if (j < 0) out.push(item);
      else out[j] = { ...(merge(out[j], item) as Tree), name: out[j]!.name };
    }
    return out;
  }
  return upper;
}

/** Strips the tags: the plain value the model predicts. */
function plain(v: unknown): unknown {
  if (v instanceof Leaf) return v.v;
  if (Array.isArray(v)) return v.map(plain);
  return Object.fromEntries(Object.entries(v as Tree).map(([k, x]) => [k, plain(x)]));
}

/** Every scalar leaf path of the model with its layer. */
function leaves(v: unknown, path: (string | number)[] = [], out: [string, string][] = []): [string, string][] {
  if (v instanceof Leaf) out.push([formatPath(path), v.from]);
  else if (Array.isArray(v)) v.forEach((x, i) => leaves(x, [...path, i], out));
  else for (const [k, x] of Object.entries(v as Tree)) leaves(x, [...path, k], out);
  return out;
}

// A small key pool so layers collide; `name` lists so named merging happens.
const key = fc.constantFrom('a', 'b', 'c', 'port', 'host');
const scalar = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('x', 'y', ''), fc.boolean(), fc.constant(null));
const { tree } = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', maxDepth: 3 }, scalar, tie('tree'), tie('named'), fc.array(scalar, { maxLength: 3 })),
  tree: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
  named: fc
    .uniqueArray(fc.record({ name: fc.constantFrom('openai', 'anthropic', 'local'), rest: tie('tree') }), { selector: (r) => r.name, minLength: 1, maxLength: 3 })
    .map((items) => items.map(({ name, rest }) => ({ ...(rest as Tree), name }))),
}));
const layer = tree as fc.Arbitrary<Tree>;
/** 1–4 layers, lowest first. */
const stack = fc.array(layer, { minLength: 1, maxLength: 4 });

/** Memory providers for `layers` (lowest first), in source order (highest first). */
function sourcesOf(layers: readonly Tree[], prefix = 'L'): Provider[] {
  return layers.map((l, i) => memoryProvider(l, `${prefix}${i}`)).reverse();
}

async function load(sources: Provider[]) {
  return loadConfig({ sources, schema: false });
}

function model(layers: readonly Tree[], prefix = 'L'): unknown {
  return layers.reduce<unknown>((acc, l, i) => merge(acc, tag(l, `${prefix}${i}`)), {});
}

describe('layer merging (reference model)', () => {
  it('the merged value equals the reference model for random stacks', async () => {
    await fc.assert(
      fc.asyncProperty(stack, async (layers) => {
        const config = await load(sourcesOf(layers));
        expect(config.value).toEqual(plain(model(layers)));
      }),
      { numRuns: RUNS },
    );
  }, propertyTimeout(RUNS));

  it('provenance: explain(path).provider names the layer that supplied every leaf', async () => {
    await fc.assert(
      fc.asyncProperty(stack, async (layers) => {
        const config = await load(sourcesOf(layers));
        for (const [path, from] of leaves(model(layers))) {
          expect(config.explain(path)?.provider, path).toBe(from);
        }
      }),
      { numRuns: RUNS },
    );
  }, propertyTimeout(RUNS));

  it('identity: an empty layer anywhere in the stack changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(stack, fc.nat(), async (layers, at) => {
        const i = at % (layers.length + 1);
        const withEmpty = [...layers.slice(0, i), {}, ...layers.slice(i)];
        expect((await load(sourcesOf(withEmpty))).value).toEqual((await load(sourcesOf(layers))).value);
      }),
      { numRuns: RUNS },
    );
  }, propertyTimeout(RUNS));

  it('priority: a scalar in the highest layer is the result at that path', async () => {
    await fc.assert(
      fc.asyncProperty(stack, async (layers) => {
        const config = await load(sourcesOf(layers));
        const top = layers[layers.length - 1]!;
        // Paths through objects only (list indices move when named lists merge).
        const walk = (v: Tree, path: string[]) => {
          for (const [k, x] of Object.entries(v)) {
            if (isObj(x)) walk(x, [...path, k]);
            else if (!Array.isArray(x)) expect(config.get(formatPath([...path, k]))).toBe(x);
          }
        };
        walk(top, []);
      }),
      { numRuns: RUNS },
    );
  }, propertyTimeout(RUNS));

  it('associativity (left): merging [a, b] then c equals a, b, c', async () => {
    await fc.assert(
      fc.asyncProperty(layer, layer, layer, async (a, b, c) => {
        const flat = (await load(sourcesOf([a, b, c]))).value;
        const ab = (await load(sourcesOf([a, b]))).value as Tree;
        expect((await load(sourcesOf([ab, c]))).value).toEqual(flat);
      }),
      { numRuns: RUNS },
    );
  }, propertyTimeout(RUNS));

  // Replacement leaves no tombstone: once b has replaced a's object (or named list) by another
  // kind, pre-merging [b, c] forgets it and a's container merges with c again. So the right
  // grouping holds exactly when b replaces none of a's containers (see the example below).
  it('associativity (right): a, then [b, c] equals a, b, c when b replaces no container of a', async () => {
    await fc.assert(
      fc.asyncProperty(layer, layer, layer, async (a, b, c) => {
        fc.pre(!replacesContainer(tag(a, 'a'), tag(b, 'b')));
        const flat = (await load(sourcesOf([a, b, c]))).value;
        const bc = (await load(sourcesOf([b, c]))).value as Tree;
        expect((await load(sourcesOf([a, bc]))).value).toEqual(flat);
      }),
      { numRuns: RUNS },
    );
  }, propertyTimeout(RUNS));

  it('associativity (right) fails by design when b replaces a container of a', async () => {
    const [a, b, c] = [{ k: [{ name: 'openai' }] }, { k: 'x' }, { k: [{ name: 'anthropic' }] }];
    const bc = (await load(sourcesOf([b, c]))).value as Tree;
    expect((await load(sourcesOf([a, b, c]))).value).toEqual({ k: [{ name: 'anthropic' }] });
    expect((await load(sourcesOf([a, bc]))).value).toEqual({ k: [{ name: 'openai' }, { name: 'anthropic' }] });
  });
});

/** True if, at some path, `lower` holds a mergeable container (object, named list) and `upper` another kind. */
function replacesContainer(lower: unknown, upper: unknown): boolean {
  if (isObj(lower)) {
    if (!isObj(upper)) return true;
    return Object.keys(upper).some((k) => Object.hasOwn(lower, k) && replacesContainer(lower[k], upper[k]));
  }
  if (isNamed(lower)) {
    if (!isNamed(upper)) return true;
    return upper.some((u) => {
      const l = lower.find((x) => (x.name as Leaf).v === (u.name as Leaf).v);
      return l !== undefined && replacesContainer(l, u);
    });
  }
  return false;
}

describe('named-list and array semantics (examples)', () => {
  it.each([
    ['same name deep-merges, new names append', [{ l: [{ name: 'a', x: 1 }] }, { l: [{ name: 'b' }, { name: 'a', y: 2 }] }], { l: [{ name: 'a', x: 1, y: 2 }, { name: 'b' }] }],
    ['a plain list is replaced, not concatenated (M6)', [{ l: [1, 2, 3] }, { l: [1] }], { l: [1] }],
    ['an empty upper list replaces a named list', [{ l: [{ name: 'a' }] }, { l: [] }], { l: [] }],
    ['a mixed list (one item without name) replaces', [{ l: [{ name: 'a', x: 1 }] }, { l: [{ name: 'a' }, 3] }], { l: [{ name: 'a' }, 3] }],
    ['null in the upper layer replaces an object', [{ a: { b: 1 } }, { a: null }], { a: null }],
    ['an object in the upper layer replaces a scalar', [{ a: 1 }, { a: { b: 1 } }], { a: { b: 1 } }],
  ] as [string, Tree[], Tree][])('%s', async (_name, layers, expected) => {
    expect((await load(sourcesOf(layers))).value).toEqual(expected);
    expect(plain(model(layers))).toEqual(expected);
  });
});
