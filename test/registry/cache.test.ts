/**
 * `cache: true`: shared instances for deep-equal options, one in-flight creation for concurrent
 * callers, `cacheTtlMs` on an injected clock, and unregister during an in-flight creation.
 */
import { describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../src/foundation/errors.js';
import { defineProvider, type Provider } from '../../src/providers/provider.js';
import { ProviderRegistry, type ProviderOptions } from '../../src/registry/index.js';
import { expectConfigError } from '../support/errors.js';

const META = { supportedFormats: ['json'] };
let made = 0;
const stub = (): Provider => defineProvider({ name: `stub:${++made}`, type: 'stub', load: () => ({ values: {} }) });

/** A registry with one type `t` whose creator is a spy; `clock.t` is the cache clock. */
function setup(creator: (o: ProviderOptions) => Provider | Promise<Provider> = () => stub()) {
  const clock = { t: 0 };
  const r = new ProviderRegistry({ now: () => clock.t });
  const spy = vi.fn(creator);
  r.register('t', spy, META);
  return { r, spy, clock };
}

/** A creator that resolves when told to. */
function gated() {
  const releases: (() => void)[] = [];
  const creator = (): Promise<Provider> => new Promise((resolve) => releases.push(() => resolve(stub())));
  return { creator, release: () => releases.shift()?.() };
}

describe('cache: true', () => {
  it('shares one instance between deep-equal options, whatever the key order', async () => {
    const { r, spy } = setup();
    const a = await r.create('t', { cache: true, path: 'x', configPaths: ['a', 'b'], providerSpecific: { tls: { ca: 'c', cert: 'd' }, n: 1 } });
    const b = await r.create('t', { providerSpecific: { n: 1, tls: { cert: 'd', ca: 'c' } }, configPaths: ['a', 'b'], path: 'x', cache: true });
    const c = await r.create('t', { cache: true, path: 'x', configPaths: ['a', 'b'], providerSpecific: { n: 1, tls: { ca: 'c', cert: 'd' }, gone: undefined } });
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('keeps different options (list order, values, types, cacheTtlMs) apart', async () => {
    const { r, spy } = setup();
    const variants: ProviderOptions[] = [
      { cache: true, configPaths: ['a', 'b'] },
      { cache: true, configPaths: ['b', 'a'] },
      { cache: true, providerSpecific: { n: 1 } },
      { cache: true, providerSpecific: { n: '1' } },
      { cache: true, providerSpecific: { n: 1 }, cacheTtlMs: 10 },
    ];
    const instances = await Promise.all(variants.map((o) => r.create('t', o)));
    expect(new Set(instances).size).toBe(variants.length);
    expect(spy).toHaveBeenCalledTimes(variants.length);
  });

  it('compares providers inside the options by identity', async () => {
    const { r, spy } = setup();
    const child = stub();
    const one = await r.create('t', { cache: true, providerSpecific: { providers: [child] } });
    expect(await r.create('t', { cache: true, providerSpecific: { providers: [child] } })).toBe(one);
    // An equal-looking copy is another source.
    expect(await r.create('t', { cache: true, providerSpecific: { providers: [{ ...child }] } })).not.toBe(one);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('keys a provider by identity, not by its state (a mock that records its calls)', async () => {
    const { r, spy } = setup();
    const calls: string[] = [];
    const child: Provider = { name: 'm', type: 'm', calls, load: async () => (calls.push('load'), { values: {} }) } as Provider;
    const one = await r.create('t', { cache: true, providerSpecific: { providers: [child] } });
    await child.load();
    expect(await r.create('t', { cache: true, providerSpecific: { providers: [child] } })).toBe(one);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('without cache, every create makes a new instance', async () => {
    const { r, spy } = setup();
    const a = await r.create('t', { path: 'x' });
    const b = await r.create('t', { path: 'x' });
    expect(a).not.toBe(b);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('1,000 concurrent cached creates make exactly one creator call and one instance', async () => {
    const { creator, release } = gated();
    const { r, spy } = setup(creator);
    const pending = Array.from({ length: 1000 }, (_, i) =>
      // Same options, built in alternating key order.
      r.create('t', i % 2 === 0 ? { cache: true, providerSpecific: { a: 1, b: [1, 2] } } : { providerSpecific: { b: [1, 2], a: 1 }, cache: true }),
    );
    expect(spy).toHaveBeenCalledTimes(1);
    release();
    const instances = await Promise.all(pending);
    expect(new Set(instances).size).toBe(1);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('does not cache a failed creation: the next create tries again', async () => {
    let fail = true;
    const { r, spy } = setup(() => {
      if (fail) throw new Error('first try fails');
      return stub();
    });
    const both = await Promise.allSettled([r.create('t', { cache: true }), r.create('t', { cache: true })]);
    expect(both.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(spy).toHaveBeenCalledTimes(1);
    fail = false;
    const p = await r.create('t', { cache: true });
    expect(await r.create('t', { cache: true })).toBe(p);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('cacheTtlMs expires an entry that long after its creation resolved (injected clock)', async () => {
    const { creator, release } = gated();
    const { r, spy, clock } = setup(creator);
    const o = { cache: true, cacheTtlMs: 1_000 };
    const first = r.create('t', o);
    clock.t = 5_000; // the creation takes a while: the TTL starts when it resolves
    release();
    const a = await first;
    clock.t = 5_999;
    expect(await r.create('t', o)).toBe(a);
    clock.t = 6_000;
    const next = r.create('t', o);
    expect(spy).toHaveBeenCalledTimes(2);
    release();
    const b = await next;
    expect(b).not.toBe(a);
    clock.t = 6_500;
    expect(await r.create('t', o)).toBe(b);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('an entry without cacheTtlMs never expires', async () => {
    const { r, clock } = setup();
    const a = await r.create('t', { cache: true });
    clock.t = Number.MAX_SAFE_INTEGER;
    expect(await r.create('t', { cache: true })).toBe(a);
  });

  it('unregister during an in-flight creation: it still resolves, is not cached, and later creates fail', async () => {
    const { creator, release } = gated();
    const { r, spy } = setup(creator);
    const inFlight = r.create('t', { cache: true });
    const joined = r.create('t', { cache: true });
    r.unregister('t');
    await expectConfigError(r.create('t', { cache: true }), { code: ErrorCode.ProviderNotFound });
    release();
    const [a, b] = await Promise.all([inFlight, joined]);
    expect(b).toBe(a);
    expect((await a.load()).values).toEqual({});

    // Re-registering starts with an empty cache: the old instance is not handed out.
    const again = vi.fn(() => stub());
    r.register('t', again, META);
    const c = await r.create('t', { cache: true });
    expect(c).not.toBe(a);
    expect(again).toHaveBeenCalledTimes(1);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('aborting one caller of a shared creation leaves it running for the others', async () => {
    const { creator, release } = gated();
    const { r, spy } = setup(creator);
    const controller = new AbortController();
    const aborted = r.create('t', { cache: true }, { signal: controller.signal });
    const other = r.create('t', { cache: true });
    controller.abort();
    await expectConfigError(aborted, { code: ErrorCode.LoadFailed });
    release();
    const p = await other;
    expect(await r.create('t', { cache: true })).toBe(p);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('checks options on a miss: invalid cached options are rejected every time and never cached', async () => {
    const r = new ProviderRegistry();
    const spy = vi.fn(() => stub());
    r.register('strict', spy, { supportedFormats: ['json'], requiredOptions: ['path'] });
    for (let i = 0; i < 2; i++) {
      await expectConfigError(r.create('strict', { cache: true }), { code: ErrorCode.ProviderConfigInvalid });
      await expectConfigError(r.create('strict', { cache: true, maxRetries: -1, path: 'p' }), { code: ErrorCode.ProviderConfigInvalid });
      await expectConfigError(r.create('strict', JSON.parse('{"cache": true, "path": "p", "__proto__": {}}')), { code: ErrorCode.ForbiddenKey });
    }
    expect(spy).not.toHaveBeenCalled();
    const p = await r.create('strict', { cache: true, path: 'p' });
    expect(await r.create('strict', { path: 'p', cache: true })).toBe(p);
  });

  it('keeps at most 1,024 option sets per type, dropping the oldest', async () => {
    const { r, spy } = setup();
    const first = await r.create('t', { cache: true, providerSpecific: { i: 0 } });
    for (let i = 1; i <= 1024; i++) await r.create('t', { cache: true, providerSpecific: { i } });
    expect(await r.create('t', { cache: true, providerSpecific: { i: 1024 } })).toBe(await r.create('t', { cache: true, providerSpecific: { i: 1024 } }));
    const firstAgain = await r.create('t', { cache: true, providerSpecific: { i: 0 } });
    expect(firstAgain).not.toBe(first);
    expect(spy).toHaveBeenCalledTimes(1026);
  });
});
