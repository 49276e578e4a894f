/**
 * etcdProvider against a real etcd (spawned by test/support/etcd-server.ts). These tests fail, not
 * skip, when etcd is missing: `scripts/ensure-etcd.sh` installs it.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/foundation/errors.js';
import { etcdProvider, type EtcdProviderOptions, type EtcdWatchEvent } from '../../src/remote/etcd/index.js';
import type { Provider } from '../../src/providers/provider.js';
import { resolveLimits } from '../../src/tree/limits.js';
import { freePort, startEtcd, startProxy, type EtcdServer, type TcpProxy } from '../support/etcd-server.js';

let etcd: EtcdServer;
const open: Provider[] = [];
let prefixCounter = 0;

beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.stop();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close?.()));
});

/** A fresh prefix per test, so tests do not see each other's keys. */
function freshPrefix(): string {
  return `/t${++prefixCounter}`;
}

function provider(opts: Partial<EtcdProviderOptions> & { prefix: string }): Provider {
  const p = etcdProvider({ endpoints: [etcd.endpoint], dialTimeoutMs: 2_000, loadTimeoutMs: 2_000, ...opts });
  open.push(p);
  return p;
}

async function loadError(p: Provider, ctx?: Parameters<Provider['load']>[0]): Promise<ConfigError> {
  try {
    await p.load(ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected load to fail');
}

/** Subscribes and records onChange calls and lifecycle events. */
function watchRecorder(opts: Partial<EtcdProviderOptions> & { prefix: string }) {
  const events: EtcdWatchEvent[] = [];
  let changes = 0;
  const p = provider({ ...opts, onEvent: (e) => events.push(e) });
  return {
    p,
    events,
    changes: () => changes,
    start: () => p.watch!(() => changes++),
    connectedCount: () => events.filter((e) => e.type === 'connected').length,
  };
}

/** True when no kind of active resource (socket, timer…) is more numerous than in `baseline`. */
function noNewResources(baseline: string[], ignore: string[] = []): boolean {
  const count = (list: string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const r of list) if (!ignore.includes(r)) m.set(r, (m.get(r) ?? 0) + 1);
    return m;
  };
  const before = count(baseline);
  for (const [kind, n] of count(process.getActiveResourcesInfo())) if (n > (before.get(kind) ?? 0)) return false;
  return true;
}

const waitUntil = (cond: () => boolean | Promise<boolean>, timeout = 15_000): Promise<void> =>
  vi.waitFor(
    async () => {
      if (!(await cond())) throw new Error('condition not met yet');
    },
    { timeout, interval: 25 },
  );

describe('etcdProvider', () => {
  describe('factory', () => {
    it('is synchronous and does not connect', () => {
      // Nothing listens on port 1: a factory that dialled would fail or hang here.
      const p = etcdProvider({ endpoints: ['http://127.0.0.1:1'], prefix: '/app' });
      expect(p.name).toBe('etcd:/app');
      expect(p.type).toBe('etcd');
      expect(typeof p.watch).toBe('function');
      expect(typeof p.healthCheck).toBe('function');
    });

    it('names document-mode providers after the key', () => {
      expect(etcdProvider({ endpoints: ['http://x:1'], prefix: '/app', mode: 'document', key: '/app/config.yaml' }).name).toBe(
        'etcd:/app/config.yaml',
      );
      expect(etcdProvider({ endpoints: ['http://x:1'], prefix: '/app', name: 'fleet' }).name).toBe('fleet');
    });

    it.each([
      { name: 'no endpoints', opts: { endpoints: [], prefix: '/a' } },
      { name: 'empty prefix', opts: { endpoints: ['http://x:1'], prefix: '' } },
      { name: 'bad mode', opts: { endpoints: ['http://x:1'], prefix: '/a', mode: 'tree' } },
      { name: 'bad format', opts: { endpoints: ['http://x:1'], prefix: '/a', format: 'ini' } },
      { name: 'bad dial timeout', opts: { endpoints: ['http://x:1'], prefix: '/a', dialTimeoutMs: -1 } },
      { name: 'auth without password', opts: { endpoints: ['http://x:1'], prefix: '/a', auth: { username: 'u' } } },
    ])('rejects $name with invalid_parameters', ({ opts }) => {
      let err: unknown;
      try {
        etcdProvider(opts as unknown as EtcdProviderOptions);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).code).toBe('invalid_parameters');
    });
  });

  describe('load (keys mode)', () => {
    it('maps every key under the prefix to a path, with key@mod_revision origins', async () => {
      const prefix = freshPrefix();
      const r1 = await etcd.put(`${prefix}/server/port`, '8080');
      const r2 = await etcd.put(`${prefix}/server/host`, 'db.local');
      const r3 = await etcd.put(`${prefix}/features`, '["a","b"]');
      await etcd.put(`${prefix}x/outside`, 'not mine');
      const layer = await provider({ prefix }).load();
      expect(layer.values).toEqual({ server: { port: 8080, host: 'db.local' }, features: ['a', 'b'] });
      expect(layer.origins?.['server.port']).toEqual({ provider: `etcd:${prefix}`, type: 'etcd', location: `${prefix}/server/port@${r1}` });
      expect(layer.origins?.['server.host']?.location).toBe(`${prefix}/server/host@${r2}`);
      expect(layer.origins?.['features.0']?.location).toBe(`${prefix}/features@${r3}`);
      expect(layer.interpolate).toBe(true);
    });

    it('parses values as JSON where they parse, else keeps the string', async () => {
      const prefix = freshPrefix();
      const cases: [string, unknown][] = [
        ['int', 42],
        ['float', 1.5],
        ['bool', true],
        ['nul', null],
        ['quoted', 'a string'],
        ['plain', 'hello world'],
        ['obj', { a: { b: [1, 2] } }],
        ['almostjson', '{oops'],
        ['bigint', '12345678901234567890'],
      ];
      const raw: Record<string, string> = {
        int: '42', float: '1.5', bool: 'true', nul: 'null', quoted: '"a string"', plain: 'hello world',
        obj: '{"a":{"b":[1,2]}}', almostjson: '{oops', bigint: '12345678901234567890',
      };
      for (const [k] of cases) await etcd.put(`${prefix}/${k}`, raw[k]!);
      const layer = await provider({ prefix }).load();
      for (const [k, expected] of cases) expect(layer.values[k], k).toEqual(expected);
    });

    it('is an empty layer when no key is under the prefix', async () => {
      const layer = await provider({ prefix: freshPrefix() }).load();
      expect(layer.values).toEqual({});
    });

    it.each(['__proto__', 'constructor', 'prototype'])('rejects a %s segment with forbidden_key naming the etcd key', async (seg) => {
      const prefix = freshPrefix();
      const rev = await etcd.put(`${prefix}/a/${seg}/polluted`, 'true');
      const err = await loadError(provider({ prefix }));
      expect(err.code).toBe('forbidden_key');
      expect(err.location?.source).toBe(`etcd ${prefix}/a/${seg}/polluted@${rev}`);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('rejects a value over maxScalarBytes with limit_exceeded naming the key', async () => {
      const prefix = freshPrefix();
      await etcd.put(`${prefix}/small`, 'ok');
      const rev = await etcd.put(`${prefix}/big`, 'x'.repeat(2048));
      const err = await loadError(provider({ prefix }), { limits: resolveLimits({ maxScalarBytes: 1024 }) });
      expect(err.code).toBe('limit_exceeded');
      expect(err.location?.source).toBe(`etcd ${prefix}/big@${rev}`);
    });

    it('rejects a non-UTF-8 value with parse_failed (encoding) naming the key', async () => {
      const prefix = freshPrefix();
      const rev = await etcd.put(`${prefix}/bin`, Uint8Array.of(0x61, 0x62, 0xff, 0xfe));
      const err = await loadError(provider({ prefix }));
      expect(err.code).toBe('parse_failed');
      expect(err.location?.source).toBe(`etcd ${prefix}/bin@${rev}`);
      expect(err.context).toMatchObject({ encoding: 'utf-8', byteOffset: 2 });
    });

    it('never puts a secret value in an error', async () => {
      const prefix = freshPrefix();
      await etcd.put(`${prefix}/llm/api_key`, Buffer.concat([Buffer.from('sk-CANARY-1234'), Uint8Array.of(0xff)]));
      const err = await loadError(provider({ prefix }));
      expect(JSON.stringify(err.toJSON())).not.toContain('CANARY');
      expect(err.message).not.toContain('CANARY');
    });
  });

  describe('load (document mode)', () => {
    it('parses a YAML document from one key, with key@revision origin and positions', async () => {
      const prefix = freshPrefix();
      const key = `${prefix}/config.yaml`;
      const rev = await etcd.put(key, 'server:\n  port: 8080\n  host: ${HOST:-localhost}\n');
      const layer = await provider({ prefix, mode: 'document', key }).load();
      expect(layer.values).toEqual({ server: { port: 8080, host: '${HOST:-localhost}' } });
      expect(layer.origin).toEqual({ provider: `etcd:${key}`, type: 'etcd', location: `${key}@${rev}` });
      expect(layer.positions?.get('server.port')).toEqual({ line: 2, column: 3 });
      expect(layer.interpolate).toBe(true);
    });

    it.each([
      { name: 'format option', key: '/doc', format: 'json' as const, text: '{"a":{"b":1}}' },
      { name: '.json extension', key: '/doc.json', format: undefined, text: '{"a":{"b":1}}' },
      { name: '.toml extension', key: '/doc.toml', format: undefined, text: '[a]\nb = 1\n' },
      { name: 'yaml by default', key: '/doc', format: undefined, text: 'a:\n  b: 1\n' },
    ])('picks the format by $name', async ({ key, format, text }) => {
      const prefix = freshPrefix();
      await etcd.put(`${prefix}${key}`, text);
      const layer = await provider({ prefix, mode: 'document', key: `${prefix}${key}`, ...(format ? { format } : {}) }).load();
      expect(layer.values).toEqual({ a: { b: 1 } });
    });

    it('uses the prefix as the key when none is given; an absent key is an empty layer', async () => {
      const prefix = freshPrefix();
      const p = provider({ prefix, mode: 'document', format: 'json' });
      expect((await p.load()).values).toEqual({});
      await etcd.put(prefix, '{"x":1}');
      expect((await p.load()).values).toEqual({ x: 1 });
    });

    it('reports a broken document with the parser code and the etcd key', async () => {
      const prefix = freshPrefix();
      const key = `${prefix}/c.json`;
      await etcd.put(key, '{"a": 1, "a": 2}');
      const err = await loadError(provider({ prefix, mode: 'document', key }));
      expect(err.code).toBe('duplicate_key');
      expect(err.location?.file).toBe(key);
    });
  });

  describe('failures', () => {
    it('reports a refused endpoint as provider_unavailable (retryable)', async () => {
      const port = await freePort();
      const p = etcdProvider({ endpoints: [`http://127.0.0.1:${port}`], prefix: '/app', dialTimeoutMs: 1_000 });
      open.push(p);
      const err = await loadError(p);
      expect(err.code).toBe('provider_unavailable');
      expect(err.retryable).toBe(true);
      expect(err.provider).toBe('etcd:/app');
      expect(err.context).toMatchObject({ reason: 'unreachable' });
    });

    it('reports a silent endpoint as provider_unavailable after the dial timeout, not a hang', async () => {
      const sockets = new Set<net.Socket>();
      const silent = net.createServer((s) => {
        sockets.add(s);
        s.on('error', () => undefined);
      });
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      const port = (silent.address() as net.AddressInfo).port;
      try {
        const p = etcdProvider({ endpoints: [`http://127.0.0.1:${port}`], prefix: '/app', dialTimeoutMs: 500 });
        open.push(p);
        const err = await loadError(p);
        expect(err.code).toBe('provider_unavailable');
        expect(err.retryable).toBe(true);
        expect(err.context).toMatchObject({ reason: 'unreachable', dialTimeoutMs: 500 });
        expect(await p.healthCheck!()).toMatchObject({ ok: false });
      } finally {
        for (const s of sockets) s.destroy();
        await new Promise((r) => silent.close(r));
      }
    });

    it('reports a read that outlasts loadTimeoutMs as remote_load_timeout (retryable)', async () => {
      const prefix = freshPrefix();
      await etcd.put(`${prefix}/a`, '1');
      const p = provider({ prefix, loadTimeoutMs: 500 });
      expect((await p.load()).values).toEqual({ a: 1 });
      etcd.pause();
      try {
        const err = await loadError(p);
        expect(err.code).toBe('remote_load_timeout');
        expect(err.retryable).toBe(true);
      } finally {
        etcd.resume();
      }
      // The next load dials again and succeeds.
      expect((await p.load()).values).toEqual({ a: 1 });
    });

    it('stops a load when the caller aborts', async () => {
      const prefix = freshPrefix();
      const p = provider({ prefix });
      const ac = new AbortController();
      ac.abort();
      const err = await loadError(p, { signal: ac.signal });
      expect(err.code).toBe('load_failed');
    });
  });

  describe('healthCheck', () => {
    it('is ok with the current revision when etcd answers', async () => {
      const p = provider({ prefix: freshPrefix() });
      const rev = await etcd.revision();
      const res = await p.healthCheck!();
      expect(res.ok).toBe(true);
      expect(Number(res.message?.replace('revision ', ''))).toBeGreaterThanOrEqual(rev);
    });

    it('is not ok, and bounded, when etcd is unreachable', async () => {
      const port = await freePort();
      const p = etcdProvider({ endpoints: [`http://127.0.0.1:${port}`], prefix: '/app', dialTimeoutMs: 500 });
      open.push(p);
      expect(await p.healthCheck!()).toEqual({ ok: false, message: 'provider_unavailable (unreachable)' });
    });
  });

  describe('watch', () => {
    it('calls onChange on put and on delete, and not after unsubscribe', async () => {
      const prefix = freshPrefix();
      await etcd.put(`${prefix}/a`, '1');
      const w = watchRecorder({ prefix });
      await w.p.load();
      const unsubscribe = w.start();
      await waitUntil(() => w.connectedCount() > 0);
      await etcd.put(`${prefix}/a`, '2');
      await waitUntil(() => w.changes() >= 1);
      const afterPut = w.changes();
      await etcd.del(`${prefix}/a`);
      await waitUntil(() => w.changes() > afterPut);
      expect((await w.p.load()).values).toEqual({});
      unsubscribe();
      const frozen = w.changes();
      await etcd.put(`${prefix}/a`, '3');
      await etcd.put(`${prefix}/b`, '3');
      // A later watch on the same prefix sees the puts, so this one had the chance to.
      const probe = watchRecorder({ prefix });
      await probe.p.load();
      probe.start();
      await waitUntil(() => probe.connectedCount() > 0);
      await etcd.put(`${prefix}/c`, '4');
      await waitUntil(() => probe.changes() >= 1);
      expect(w.changes()).toBe(frozen);
    });

    it('ignores changes outside the prefix', async () => {
      const prefix = freshPrefix();
      const w = watchRecorder({ prefix });
      await w.p.load();
      w.start();
      await waitUntil(() => w.connectedCount() > 0);
      await etcd.put(`${prefix}-sibling/x`, '1');
      await etcd.put(`${prefix}/x`, '1');
      await waitUntil(() => w.changes() >= 1);
      expect(w.changes()).toBe(1);
    });

    it('replays changes made between load and watch (starts at the loaded revision + 1)', async () => {
      const prefix = freshPrefix();
      const w = watchRecorder({ prefix });
      await w.p.load();
      await etcd.put(`${prefix}/between`, '1');
      w.start();
      await waitUntil(() => w.changes() >= 1);
    });

    it('watches only the document key in document mode', async () => {
      const prefix = freshPrefix();
      const key = `${prefix}/config.json`;
      await etcd.put(key, '{"a":1}');
      const w = watchRecorder({ prefix, mode: 'document', key });
      await w.p.load();
      w.start();
      await waitUntil(() => w.connectedCount() > 0);
      await etcd.put(`${prefix}/other.json`, '{}');
      await etcd.put(key, '{"a":2}');
      await waitUntil(() => w.changes() >= 1);
      expect(w.changes()).toBe(1);
      expect((await w.p.load()).values).toEqual({ a: 2 });
    });
  });

  describe('watch through outages', () => {
    let proxy: TcpProxy;
    beforeAll(async () => {
      proxy = await startProxy(etcd.port);
    });
    afterAll(async () => {
      await proxy?.close();
    });
    afterEach(() => proxy.heal());

    function viaProxy(prefix: string) {
      return watchRecorder({ prefix, endpoints: [proxy.endpoint] });
    }

    it('resumes after a dropped connection and sees every put made meanwhile (R1)', async () => {
      const prefix = freshPrefix();
      await etcd.put(`${prefix}/n`, '0');
      const w = viaProxy(prefix);
      await w.p.load();
      w.start();
      await waitUntil(() => w.connectedCount() === 1);
      proxy.cut();
      await waitUntil(() => w.events.some((e) => e.type === 'disconnected'));
      const before = w.changes();
      for (let i = 1; i <= 100; i++) await etcd.put(`${prefix}/n`, String(i));
      await etcd.put(`${prefix}/gone`, 'x');
      await etcd.del(`${prefix}/gone`);
      proxy.heal();
      await waitUntil(() => w.connectedCount() >= 2);
      await waitUntil(() => w.changes() > before);
      expect(w.events.some((e) => e.type === 'resync')).toBe(false);
      expect((await w.p.load()).values).toEqual({ n: 100 });
    });

    it('resumes after etcd is killed and restarted', async () => {
      const prefix = freshPrefix();
      await etcd.put(`${prefix}/v`, '"before"');
      const w = watchRecorder({ prefix });
      await w.p.load();
      w.start();
      await waitUntil(() => w.connectedCount() === 1);
      await etcd.kill();
      await waitUntil(() => w.events.some((e) => e.type === 'disconnected'));
      expect((await loadError(w.p)).code).toBe('provider_unavailable');
      await etcd.restart();
      await etcd.put(`${prefix}/v`, '"during"');
      await etcd.put(`${prefix}/w`, '1');
      await waitUntil(() => w.connectedCount() >= 2);
      const seen = w.changes();
      await waitUntil(() => w.changes() >= 1);
      await etcd.put(`${prefix}/v`, '"after"');
      await waitUntil(() => w.changes() > seen);
      expect((await w.p.load()).values).toEqual({ v: 'after', w: 1 });
    });

    it('resyncs when history was compacted past its revision while disconnected (R2)', async () => {
      const prefix = freshPrefix();
      await etcd.put(`${prefix}/n`, '0');
      const w = viaProxy(prefix);
      await w.p.load();
      w.start();
      await waitUntil(() => w.connectedCount() === 1);
      proxy.cut();
      await waitUntil(() => w.events.some((e) => e.type === 'disconnected'));
      let last = 0;
      for (let i = 1; i <= 50; i++) last = await etcd.put(`${prefix}/n`, String(i));
      await etcd.compact(last);
      proxy.heal();
      await waitUntil(() => w.events.some((e) => e.type === 'resync' && e.reason === 'compacted'));
      await waitUntil(() => w.changes() >= 1);
      expect((await w.p.load()).values).toEqual({ n: 50 });
      // The new watch works.
      const seen = w.changes();
      await etcd.put(`${prefix}/n`, '51');
      await waitUntil(() => w.changes() > seen);
      expect((await w.p.load()).values).toEqual({ n: 51 });
    });

    it('waits out a network that goes quiet, then sees what changed (no hang, nothing lost)', async () => {
      const prefix = freshPrefix();
      const w = watchRecorder({ prefix, endpoints: [proxy.endpoint], dialTimeoutMs: 500, loadTimeoutMs: 500 });
      await w.p.load();
      w.start();
      await waitUntil(() => w.connectedCount() === 1);
      proxy.stall();
      // A load during the stall is bounded by loadTimeoutMs.
      expect((await loadError(w.p)).code).toMatch(/^(remote_load_timeout|provider_unavailable)$/);
      await etcd.put(`${prefix}/x`, '1');
      proxy.heal();
      await waitUntil(() => w.changes() >= 1);
      expect((await w.p.load()).values).toEqual({ x: 1 });
    });
  });

  describe('close', () => {
    it('leaves no sockets or timers behind and is idempotent', async () => {
      const baseline = process.getActiveResourcesInfo();
      const prefix = freshPrefix();
      const w = watchRecorder({ prefix });
      await w.p.load();
      w.start();
      await waitUntil(() => w.connectedCount() === 1);
      await w.p.healthCheck!();
      await w.p.close!();
      await w.p.close!();
      await waitUntil(() => noNewResources(baseline), 5_000);
      expect((await loadError(w.p)).code).toBe('provider_unavailable');
      const seen = w.changes();
      await etcd.put(`${prefix}/late`, '1');
      await new Promise((r) => setTimeout(r, 200));
      expect(w.changes()).toBe(seen);
    });

    it('leaves nothing behind when closed during an outage', async () => {
      const proxy = await startProxy(etcd.port);
      try {
        const baseline = process.getActiveResourcesInfo();
        const w = watchRecorder({ prefix: freshPrefix(), endpoints: [proxy.endpoint] });
        await w.p.load();
        w.start();
        await waitUntil(() => w.connectedCount() === 1);
        proxy.cut();
        await waitUntil(() => w.events.some((e) => e.type === 'disconnected'));
        await w.p.close!();
        // The proxy's own half of the cut connections may linger; our timers and client sockets may not.
        await waitUntil(() => noNewResources(baseline), 5_000);
      } finally {
        await proxy.close();
      }
    });
  });
});

describe('etcdProvider revision going down (R9)', () => {
  it('resyncs when etcd comes back with a lower revision (restored or wiped)', async () => {
    const prefix = '/restore';
    for (let i = 0; i < 30; i++) await etcd.put(`${prefix}/n`, String(i));
    const w = watchRecorder({ prefix });
    expect((await w.p.load()).values).toEqual({ n: 29 });
    w.start();
    await waitUntil(() => w.connectedCount() === 1);
    await etcd.wipe();
    await etcd.put(`${prefix}/m`, '"restored"');
    await waitUntil(() => w.events.some((e) => e.type === 'resync' && e.reason === 'revision_decreased'));
    await waitUntil(() => w.changes() >= 1);
    expect((await w.p.load()).values).toEqual({ m: 'restored' });
    const seen = w.changes();
    await etcd.put(`${prefix}/m`, '"next"');
    await waitUntil(() => w.changes() > seen);
  });
});

describe('etcdProvider with etcd auth (R10)', () => {
  let secured: EtcdServer;
  const b64 = (s: string): string => Buffer.from(s).toString('base64');

  beforeAll(async () => {
    secured = await startEtcd();
    await secured.put('/allowed/port', '8080');
    await secured.put('/private/port', '9090');
    await secured.call('/v3/auth/role/add', { name: 'root' }).catch(() => undefined);
    await secured.call('/v3/auth/user/add', { name: 'root', password: 'root-pw' });
    await secured.call('/v3/auth/user/grant', { user: 'root', role: 'root' });
    await secured.call('/v3/auth/role/add', { name: 'reader' });
    await secured.call('/v3/auth/role/grant', {
      name: 'reader',
      perm: { permType: 'READ', key: b64('/allowed/'), range_end: b64('/allowed0') },
    });
    await secured.call('/v3/auth/user/add', { name: 'app', password: 'app-password-secret' });
    await secured.call('/v3/auth/user/grant', { user: 'app', role: 'reader' });
    await secured.call('/v3/auth/enable', {});
  });
  afterAll(async () => {
    await secured?.stop();
  });

  function securedProvider(prefix: string, auth?: { username: string; password: string }, onEvent?: (e: EtcdWatchEvent) => void): Provider {
    const p = etcdProvider({ endpoints: [secured.endpoint], prefix, dialTimeoutMs: 2_000, ...(auth ? { auth } : {}), ...(onEvent ? { onEvent } : {}) });
    open.push(p);
    return p;
  }

  it('reads with a user allowed on the prefix', async () => {
    const layer = await securedProvider('/allowed', { username: 'app', password: 'app-password-secret' }).load();
    expect(layer.values).toEqual({ port: 8080 });
  });

  it.each([
    { name: 'a wrong password', prefix: '/allowed', auth: { username: 'app', password: 'wrong-password-secret' }, reason: 'auth' },
    { name: 'an unknown user', prefix: '/allowed', auth: { username: 'nobody', password: 'x' }, reason: 'auth' },
    { name: 'no permission on the prefix', prefix: '/private', auth: { username: 'app', password: 'app-password-secret' }, reason: 'permission' },
    { name: 'no credentials', prefix: '/allowed', auth: undefined, reason: 'auth' },
  ])('reports $name as provider_unavailable ($reason), not retryable', async ({ prefix, auth, reason }) => {
    const p = securedProvider(prefix, auth);
    const err = await loadError(p);
    expect(err.code).toBe('provider_unavailable');
    expect(err.context).toMatchObject({ reason });
    expect(err.retryable).toBe(false);
    expect(JSON.stringify(err.toJSON())).not.toContain('password-secret');
    expect(await p.healthCheck!()).toEqual({ ok: false, message: `provider_unavailable (${reason})` });
  });

  it('surfaces a denied watch once and does not retry in a tight loop', async () => {
    const events: EtcdWatchEvent[] = [];
    const p = securedProvider('/private', { username: 'app', password: 'app-password-secret' }, (e) => events.push(e));
    let changes = 0;
    p.watch!(() => changes++);
    await waitUntil(() => events.some((e) => e.type === 'permission_denied'));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(events.filter((e) => e.type === 'permission_denied')).toHaveLength(1);
    expect(events.some((e) => e.type === 'connected')).toBe(false);
    expect(changes).toBe(0);
  });
});
