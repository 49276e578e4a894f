import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/foundation/errors.js';
import { loadConfig } from '../../src/presets/framework/api.js';
import { compositeProvider } from '../../src/providers/composite.js';
import { envProvider } from '../../src/providers/env.js';
import { fileProvider } from '../../src/providers/file.js';
import { defaultsProvider, memoryProvider } from '../../src/providers/memory.js';
import { defineProvider, type Provider } from '../../src/providers/provider.js';
import { mockProvider } from '../../src/testing/mock-provider.js';
import { expectConfigError } from '../support/errors.js';
import { tempDir } from '../support/temp.js';

const load = (...sources: Provider[]) => loadConfig({ schema: false, env: {}, sources });

/** A remote-like provider whose load never settles until aborted. */
function hanging(name: string): Provider & { aborted: () => boolean } {
  let aborted = false;
  const p = defineProvider({
    name,
    type: 'remote',
    load: (ctx) =>
      new Promise((_, reject) => {
        ctx.signal?.addEventListener('abort', () => {
          aborted = true;
          reject(ctx.signal?.reason);
        });
      }),
  });
  return Object.assign(p, { aborted: () => aborted });
}

describe('compositeProvider: merge', () => {
  it('merges its children priority-first and keeps each value’s origin', async () => {
    const dir = tempDir({ 'app.yaml': 'server:\n  host: file\n  port: 1\n' });
    const composite = compositeProvider([
      memoryProvider({ server: { port: 2 } }, 'high'),
      fileProvider({ path: join(dir, 'app.yaml') }),
      defaultsProvider({ server: { host: 'default', tls: false } }),
    ]);
    const config = await load(composite);
    expect(config.value).toEqual({ server: { host: 'file', port: 2, tls: false } });
    expect(config.explain('server.port')?.provider).toBe('high');
    expect(config.explain('server.host')).toMatchObject({ location: join(dir, 'app.yaml'), line: 2 });
    expect(config.explain('server.tls')?.provider).toBe('defaults');
  });

  it('sits in a stack like one provider, and sources() lists its children', async () => {
    const composite = compositeProvider([memoryProvider({ a: 'c1' }, 'c1'), memoryProvider({}, 'c2')], { name: 'both' });
    expect(composite.name).toBe('both');
    expect(composite.type).toBe('composite');
    const config = await load(memoryProvider({ b: 'top' }, 'top'), composite, memoryProvider({ a: 'bottom', b: 'bottom' }, 'bottom'));
    expect(config.value).toEqual({ a: 'c1', b: 'top' });
    expect(config.sources().map((s) => `${s.name}:${s.status}`)).toEqual(['top:loaded', 'c1:loaded', 'c2:empty', 'bottom:loaded']);
  });

  it('gives an env child the values of the children below it and of the stack below', async () => {
    const composite = compositeProvider([envProvider({ env: { CONFSTACK_SERVER__PORT: '9090', CONFSTACK_DB__POOL: '5' } }), memoryProvider({ server: { port: 1 } })]);
    const config = await load(composite, memoryProvider({ db: { pool: 1 } }));
    expect(config.value).toEqual({ server: { port: 9090 }, db: { pool: 5 } });
    expect(config.explain('db.pool')?.location).toBe('CONFSTACK_DB__POOL');
  });

  it('names itself after its children by default', () => {
    expect(compositeProvider([memoryProvider({}, 'x'), memoryProvider({}, 'y')]).name).toBe('composite(x,y)');
  });
});

describe('compositeProvider: failures and fallback', () => {
  it('without fallback, a failing child fails the load with its own code', async () => {
    const down = mockProvider({ name: 'down', failWith: 'provider_unavailable' });
    const err = await expectConfigError(load(compositeProvider([down, memoryProvider({ a: 1 })])), { code: 'provider_unavailable' });
    expect(err.provider).toBe('down');
  });

  it('with fallback, skips a child that fails retryably and reports it in sources()', async () => {
    const down = mockProvider({ name: 'down', failWith: 'provider_unavailable' });
    const config = await load(compositeProvider([down, memoryProvider({ a: 1 }, 'mem')], { fallback: true }));
    expect(config.value).toEqual({ a: 1 });
    const [skipped, loaded] = config.sources();
    expect(skipped).toMatchObject({ name: 'down', type: 'mock', status: 'skipped' });
    expect(skipped?.error).toBeInstanceOf(ConfigError);
    expect(skipped?.error?.code).toBe('provider_unavailable');
    expect(loaded).toMatchObject({ name: 'mem', status: 'loaded' });
  });

  it('with fallback, still fails on a non-retryable error (a broken file is never ignored)', async () => {
    const dir = tempDir({ 'bad.json': '{"a": ' });
    const composite = compositeProvider([fileProvider({ path: join(dir, 'bad.json') }), memoryProvider({ a: 1 })], { fallback: true });
    await expectConfigError(load(composite), { code: 'parse_failed', file: join(dir, 'bad.json') });
  });

  it('refuses an empty list at once with invalid_parameters (as the Go package; it would load {} and hide a wiring mistake)', () => {
    expect(() => compositeProvider([])).toThrow(expect.objectContaining({ code: 'invalid_parameters', op: 'compositeProvider' }));
  });

  it('with fallback, skips a child whose load throws a foreign error (load_failed is retryable, as in the Go package)', async () => {
    const broken = defineProvider({ name: 'http-source', type: 'remote', load: () => Promise.reject(new Error('ECONNRESET')) });
    const config = await load(compositeProvider([broken, memoryProvider({ a: 1 }, 'mem')], { fallback: true }));
    expect(config.value).toEqual({ a: 1 });
    expect(config.sources()[0]).toMatchObject({ name: 'http-source', status: 'skipped' });
    expect(config.sources()[0]?.error).toMatchObject({ code: 'load_failed', retryable: true });
    // Without fallback the same failure fails the load.
    await expectConfigError(load(compositeProvider([broken, memoryProvider({ a: 1 })])), { code: 'load_failed' });
  });

  it('with fallback, never skips a child whose load was aborted (the caller asked to stop)', async () => {
    const controller = new AbortController();
    const stopper = defineProvider({
      name: 'stopper',
      type: 'remote',
      load: () => {
        controller.abort(new Error('stop'));
        return Promise.reject(new Error('interrupted'));
      },
    });
    const composite = compositeProvider([stopper, memoryProvider({ a: 1 })], { fallback: true });
    await expectConfigError(composite.load({ signal: controller.signal }), { code: 'load_failed' });
  });

  it('with fallback, still fails when a child breaks the Layer contract (not retryable)', async () => {
    const bad = defineProvider({ name: 'bad', type: 'remote', load: () => ({ values: [] as never }) });
    const err = await expectConfigError(load(compositeProvider([bad, memoryProvider({ a: 1 })], { fallback: true })), { code: 'load_failed' });
    expect(err.retryable).toBe(false);
  });

  it('with fallback, all children failing is all_providers_failed carrying each cause', async () => {
    const composite = compositeProvider([mockProvider({ name: 'one', failWith: 'provider_unavailable' }), mockProvider({ name: 'two', failWith: 'remote_load_timeout' })], {
      fallback: true,
    });
    const err = await expectConfigError(load(composite), { code: 'all_providers_failed' });
    expect(err.issues?.map((i) => i.code).sort()).toEqual(['provider_unavailable', 'remote_load_timeout']);
    expect((err.cause as AggregateError).errors).toHaveLength(2);
  });
});

describe('compositeProvider: per-child timeout', () => {
  it('times out a hung child and, with fallback, skips it', async () => {
    const stuck = hanging('stuck');
    const composite = compositeProvider([stuck, memoryProvider({ a: 1 })], { fallback: true, timeoutMs: 20 });
    const config = await load(composite);
    expect(config.value).toEqual({ a: 1 });
    expect(config.sources()[0]).toMatchObject({ name: 'stuck', status: 'skipped' });
    expect(config.sources()[0]?.error?.code).toBe('remote_load_timeout');
    expect(stuck.aborted()).toBe(true);
  });

  it('without fallback, a hung child fails the load with remote_load_timeout naming it', async () => {
    const err = await expectConfigError(load(compositeProvider([hanging('stuck'), memoryProvider({ a: 1 })], { timeoutMs: 20 })), { code: 'remote_load_timeout' });
    expect(err.provider).toBe('stuck');
    expect(err.retryable).toBe(true);
  });
});

describe('compositeProvider: watch, health, close', () => {
  it('fans watch out to every child that can watch, and unsubscribes them all', () => {
    const a = mockProvider({ name: 'a' });
    const b = mockProvider({ name: 'b' });
    const composite = compositeProvider([a, memoryProvider({}), b]);
    let changes = 0;
    const stop = composite.watch!(() => changes++);
    expect(a.calls.watch).toHaveLength(1);
    expect(b.calls.watch).toHaveLength(1);
    a.emitChange();
    b.emitChange();
    expect(changes).toBe(2);
    stop();
    expect(a.calls.watch[0]?.active).toBe(false);
    expect(b.calls.watch[0]?.active).toBe(false);
    a.emitChange();
    expect(changes).toBe(2);
  });

  it('has no watch when no child can watch', () => {
    expect(compositeProvider([memoryProvider({})]).watch).toBeUndefined();
  });

  it('reports health: ok, degraded under fallback, unhealthy naming the bad children', async () => {
    const a = mockProvider({ name: 'a' });
    const b = mockProvider({ name: 'b', healthy: false });
    expect(await compositeProvider([a, memoryProvider({})]).healthCheck!()).toEqual({ ok: true });
    expect(await compositeProvider([a, b], { fallback: true }).healthCheck!()).toEqual({ ok: true, message: 'degraded: b unhealthy' });
    expect(await compositeProvider([a, b]).healthCheck!()).toEqual({ ok: false, message: 'unhealthy: b' });
    a.setHealthy(false);
    expect((await compositeProvider([a, b], { fallback: true }).healthCheck!()).ok).toBe(false);
  });

  it('closes every child once, however often it is closed', async () => {
    const a = mockProvider({ name: 'a' });
    const b = mockProvider({ name: 'b' });
    const composite = compositeProvider([a, memoryProvider({}), b]);
    await Promise.all([composite.close!(), composite.close!()]);
    await composite.close!();
    expect(a.calls.close).toBe(1);
    expect(b.calls.close).toBe(1);
  });
});
