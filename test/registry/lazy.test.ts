/**
 * Laziness of the global registry: importing confstack registers nothing; the built-ins appear on
 * the first use of any registry function; etcd's metadata is there without its code, and creating
 * an etcd provider loads confstack/etcd (and loading one, etcd3) against a real etcd.
 * Module loads are observed through vi.mock wrappers around the real modules, and etcd3 (CommonJS)
 * through the require cache.
 */
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type * as Builtins from '../../src/registry/builtins.js';
import { startEtcd, type EtcdServer } from '../support/etcd-server.js';

const seen = vi.hoisted(() => ({ initialized: 0, etcdModule: 0 }));

vi.mock('../../src/registry/builtins.js', async (importOriginal) => {
  const real = await importOriginal<typeof Builtins>();
  return {
    ...real,
    registerBuiltinProviders: (registry: Parameters<typeof real.registerBuiltinProviders>[0]) => {
      seen.initialized++;
      real.registerBuiltinProviders(registry);
    },
  };
});
vi.mock('../../src/remote/etcd/index.js', async (importOriginal) => {
  seen.etcdModule++;
  return importOriginal();
});

const requireCache = createRequire(import.meta.url).cache;
const etcd3Loaded = (): boolean => Object.keys(requireCache).some((k) => /[\\/]node_modules[\\/]etcd3[\\/]/.test(k));

let etcd: EtcdServer | undefined;
afterAll(async () => {
  await etcd?.stop();
});

describe('the global registry is lazy', () => {
  it('importing confstack registers nothing and loads no etcd code', async () => {
    const confstack = await import('../../src/index.js');
    expect(typeof confstack.globalRegistry.create).toBe('function');
    expect(seen).toEqual({ initialized: 0, etcdModule: 0 });
    expect(etcd3Loaded()).toBe(false);
  });

  it('adds the built-ins once, on the first use of any function', async () => {
    const { isProviderRegistered, listProviders, getProvidersForFormat } = await import('../../src/index.js');
    expect(isProviderRegistered('etcd')).toBe(true);
    expect(seen.initialized).toBe(1);
    expect(listProviders()).toEqual(['composite', 'defaults', 'env', 'etcd', 'file', 'json', 'toml', 'yaml']);
    getProvidersForFormat('yaml');
    expect(seen.initialized).toBe(1);
  });

  it("has etcd's metadata without loading its code", async () => {
    const { getProviderMetadata, validateProviderOptions } = await import('../../src/index.js');
    const m = getProviderMetadata('etcd');
    expect(m.capabilities).toContain('remote');
    expect(m.requiredOptions).toEqual(['providerSpecific.endpoints', 'providerSpecific.prefix']);
    validateProviderOptions('etcd', { providerSpecific: { endpoints: ['http://127.0.0.1:2379'], prefix: '/app' } });
    expect(seen.etcdModule).toBe(0);
    expect(etcd3Loaded()).toBe(false);
  });

  it('creating an etcd provider loads confstack/etcd; loading it reads the real server', async () => {
    const { newProvider } = await import('../../src/index.js');
    etcd = await startEtcd();
    await etcd.put('/lazy/server/port', '8080');
    await etcd.put('/lazy/name', 'svc');
    const p = await newProvider('etcd', { providerSpecific: { endpoints: [etcd.endpoint], prefix: '/lazy', dialTimeoutMs: 2_000 }, loadTimeoutMs: 5_000 });
    try {
      expect(seen.etcdModule).toBe(1);
      expect(p.type).toBe('etcd');
      const layer = await p.load();
      expect(layer.values).toEqual({ server: { port: 8080 }, name: 'svc' });
      expect(etcd3Loaded()).toBe(true);
      expect(await p.healthCheck!()).toMatchObject({ ok: true });
    } finally {
      await p.close!();
    }
    // A second creation reuses the loaded module.
    const q = await newProvider('etcd', { providerSpecific: { endpoints: [etcd.endpoint], prefix: '/lazy' } });
    await q.close!();
    expect(seen.etcdModule).toBe(1);
  });
});
