import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/presets/framework/api.js';
import { envProvider } from '../../src/providers/env.js';
import { defaultsProvider, memoryProvider } from '../../src/providers/memory.js';
import type { Provider } from '../../src/providers/provider.js';
import { expectConfigError } from '../support/errors.js';

const load = (...sources: Provider[]) => loadConfig({ schema: false, env: {}, sources });

class Point {
  x = 1;
  get norm(): number {
    return this.x;
  }
}

describe('memoryProvider and defaultsProvider', () => {
  it('layer in priority order and explain values with their provider', async () => {
    const config = await load(memoryProvider({ a: 1, nested: { b: 2 } }, 'overrides'), defaultsProvider({ a: 0, nested: { c: 3 }, d: 4 }));
    expect(config.value).toEqual({ a: 1, nested: { b: 2, c: 3 }, d: 4 });
    expect(config.explain('a')).toEqual({ provider: 'overrides', type: 'memory' });
    expect(config.explain('nested.c')).toEqual({ provider: 'defaults', type: 'defaults' });
    expect(config.sources().map((s) => [s.name, s.type, s.status])).toEqual([
      ['overrides', 'memory', 'loaded'],
      ['defaults', 'defaults', 'loaded'],
    ]);
  });

  it('names and types', () => {
    expect(memoryProvider({}).name).toBe('memory');
    expect(memoryProvider({}, 'cli').name).toBe('cli');
    expect(defaultsProvider({}).type).toBe('defaults');
  });

  it('never mutates or freezes the input, and the config shares nothing with it', async () => {
    const input = { a: { b: [1, 2], c: { d: 1 } }, llm: [{ name: 'x', t: 1 }] };
    const before = structuredClone(input);
    const config = await load(
      envProvider({ env: { CONFSTACK_A__C__D: '5', CONFSTACK_LLM__X__T: '9', CONFSTACK_A__B__0: '7' } }),
      memoryProvider({ a: { e: 1 } }),
      defaultsProvider(input),
    );
    expect(config.value).toEqual({ a: { b: [7, 2], c: { d: 5 }, e: 1 }, llm: [{ name: 'x', t: 9 }] });
    expect(input).toEqual(before);
    expect(Object.isFrozen(input) || Object.isFrozen(input.a) || Object.isFrozen(input.a.b)).toBe(false);
    input.a.c.d = 100;
    input.llm.push({ name: 'y', t: 2 });
    expect(config.get('a.c.d')).toBe(5);
    expect(config.get('llm')).toHaveLength(1);
  });

  it('reads the values afresh at each load (the provider holds them, not a copy)', async () => {
    const input: Record<string, unknown> = { a: 1 };
    const p = memoryProvider(input);
    expect((await load(p)).get('a')).toBe(1);
    input.a = 2;
    expect((await load(p)).get('a')).toBe(2);
  });

  it('accepts null-prototype objects and normalises getters, dates, bigints and shared subtrees to plain data', async () => {
    const shared = { k: 1 };
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    const withGetter = Object.defineProperty({}, 'g', { get: () => 3, enumerable: true });
    const config = await load(memoryProvider({ bare, withGetter, when: new Date(0), big: 10n, s1: shared, s2: shared, gone: undefined }));
    expect(config.value).toEqual({ bare: { a: 1 }, withGetter: { g: 3 }, when: '1970-01-01T00:00:00.000Z', big: 10, s1: { k: 1 }, s2: { k: 1 } });
    expect(Object.getOwnPropertyDescriptor(config.get('withGetter'), 'g')?.get).toBeUndefined();
    expect(config.get('s1')).not.toBe(config.get('s2'));
    expect(Object.hasOwn(config.value as object, 'gone')).toBe(false);
  });

  it('rejects nested exotic values (class instance, Map, Set, function, symbol) with invalid_config at their key', async () => {
    const cases: [string, unknown][] = [
      ['point', new Point()],
      ['map', new Map([['a', 1]])],
      ['set', new Set([1])],
      ['fn', () => 1],
      ['sym', Symbol('s')],
    ];
    for (const [key, value] of cases) {
      const err = await expectConfigError(load(memoryProvider({ ok: 1, nested: { [key]: value } })), { code: 'invalid_config', key: `nested.${key}` });
      expect(err.provider ?? err.location?.source).toContain('memory');
    }
  });

  it('rejects a cycle with invalid_config at the key that closes it', async () => {
    const cyclic: Record<string, unknown> = { a: { b: {} } };
    (cyclic.a as { b: Record<string, unknown> }).b.back = cyclic;
    const err = await expectConfigError(load(memoryProvider(cyclic)), { code: 'invalid_config', key: 'a.b.back' });
    expect(err.message).toMatch(/cycl/);
  });

  it('rejects a non-plain root at once with invalid_parameters naming what it got', async () => {
    const roots: [unknown, RegExp][] = [
      [new Point(), /Point/],
      [new Map([['a', 1]]), /Map/],
      [[], /array/],
      [null, /null/],
      ['x', /string/],
    ];
    for (const [root, kind] of roots) {
      for (const make of [memoryProvider, defaultsProvider]) {
        const err = await expectConfigError(() => make(root as Record<string, unknown>), { code: 'invalid_parameters' });
        expect(err.message).toMatch(kind);
      }
    }
    expect((await load(memoryProvider(undefined as never))).value).toEqual({});
  });

  it('a getter that throws is a ConfigError, not a raw throw', async () => {
    const values = Object.defineProperty({}, 'boom', {
      get() {
        throw new TypeError('getter failed');
      },
      enumerable: true,
    });
    const err = await load(memoryProvider(values)).catch((e: unknown) => e);
    expect((err as { name?: string }).name).toBe('ConfigError');
  });

  it('rejects forbidden keys (own __proto__, constructor, prototype) with forbidden_key; Object.prototype untouched', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [JSON.parse('{"a":{"__proto__":{"polluted":1}}}') as Record<string, unknown>, 'a.__proto__'],
      [{ constructor: { prototype: { polluted: 1 } } }, 'constructor'],
      [{ a: { prototype: 1 } }, 'a.prototype'],
    ];
    for (const [values, key] of cases) {
      await expectConfigError(load(memoryProvider(values)), { code: 'forbidden_key', key });
      await expectConfigError(load(memoryProvider({ base: 1 }), defaultsProvider(values)), { code: 'forbidden_key', key });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
