/**
 * The provider contract suite against every built-in provider type (created through the registry,
 * as `newProvider` users get them), the bare factories, etcd on a real server, and custom
 * providers; plus the plain-data rule it applies.
 */
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, fileProvider, memoryProvider, TomlDateTime, type Provider } from '../../src/index.js';
import { defineProvider } from '../../src/providers/index.js';
import { ProviderRegistry, registerBuiltinProviders } from '../../src/registry/index.js';
import { describeProviderContract, type ProviderContractSubject } from '../../src/testing/contract.js';
import { tempConfigDir } from '../../src/testing/index.js';
import { findNonPlainData } from '../../src/testing/provider-contract.js';
import { startEtcd, type EtcdServer } from '../support/etcd-server.js';

const registry = new ProviderRegistry({ initialize: registerBuiltinProviders });

const DOCS = {
  yaml: { name: 'config.yaml', text: (port: number) => `server:\n  port: ${port}\n  hosts: [a, b]\n`, bad: 'server: [unclosed\n' },
  json: { name: 'config.json', text: (port: number) => JSON.stringify({ server: { port, hosts: ['a', 'b'] } }), bad: '{"server": ' },
  // A TOML date must come back as a string (plain data), not a TomlDate.
  toml: { name: 'config.toml', text: (port: number) => `[server]\nport = ${port}\nhosts = ["a", "b"]\n`, bad: '[server\nport = 1\n' },
} as const;
const VALUES = { server: { port: 8080, hosts: ['a', 'b'] } };

/** A file source of `format` in a fresh temp dir; `change` rewrites it with another port. */
async function fileSubject(type: 'file' | 'yaml' | 'json' | 'toml', format: keyof typeof DOCS): Promise<ProviderContractSubject> {
  const doc = DOCS[format];
  const dir = await tempConfigDir({ [doc.name]: doc.text(8080) });
  const provider = await registry.create(type, { path: dir.path(doc.name) });
  return { provider, change: (n) => writeFile(dir.path(doc.name), doc.text(9000 + n)), cleanup: () => dir.cleanup() };
}

async function badFileSubject(type: 'yaml' | 'json' | 'toml'): Promise<ProviderContractSubject> {
  const doc = DOCS[type];
  const dir = await tempConfigDir({ [doc.name]: doc.bad });
  return { provider: await registry.create(type, { path: dir.path(doc.name) }), cleanup: () => dir.cleanup() };
}

const fileOptions = { values: VALUES, watch: true, healthCheck: true } as const;

describeProviderContract('file (registry)', () => fileSubject('file', 'yaml'), {
  ...fileOptions,
  failing: async () => {
    const dir = await tempConfigDir();
    return { provider: await registry.create('file', { path: dir.path('missing.yaml') }), cleanup: () => dir.cleanup() };
  },
});
describeProviderContract('yaml (registry)', () => fileSubject('yaml', 'yaml'), { ...fileOptions, failing: () => badFileSubject('yaml') });
describeProviderContract('json (registry)', () => fileSubject('json', 'json'), { ...fileOptions, failing: () => badFileSubject('json') });
describeProviderContract('toml (registry)', () => fileSubject('toml', 'toml'), { ...fileOptions, failing: () => badFileSubject('toml') });

describeProviderContract(
  'toml dates',
  async () => {
    const doc = (day: number): string => `released = 2024-05-01T10:00:00Z\nday = 2024-05-${String(day).padStart(2, '0')}\n`;
    const dir = await tempConfigDir({ 'c.toml': doc(1) });
    return {
      provider: await registry.create('toml', { path: dir.path('c.toml') }),
      change: (n: number) => writeFile(dir.path('c.toml'), doc(2 + (n % 27))),
      cleanup: () => dir.cleanup(),
    };
  },
  { values: { released: new TomlDateTime('2024-05-01T10:00:00Z'), day: new TomlDateTime('2024-05-01') }, watch: true, healthCheck: true },
);

describeProviderContract(
  'fileProvider (bare factory)',
  async () => {
    const dir = await tempConfigDir({ 'config/config.json': DOCS.json.text(8080) });
    return {
      provider: fileProvider({ configName: 'config', configPaths: [dir.path('config')] }),
      change: (n: number) => writeFile(dir.path('config/config.json'), DOCS.json.text(9000 + n)),
      cleanup: () => dir.cleanup(),
    };
  },
  { values: VALUES, watch: true, healthCheck: true, close: false },
);

describeProviderContract(
  'env (registry)',
  () => registry.create('env', { envPrefix: 'APP', providerSpecific: { env: { APP_SERVER__PORT: '8080', OTHER: 'x' } } }),
  {
    values: { server: { port: '8080' } },
    failing: () => registry.create('env', { envPrefix: 'APP', providerSpecific: { env: { APP_TOKEN_FILE: '/nonexistent/confstack/token' } } }),
  },
);

describeProviderContract('defaults (registry)', () => registry.create('defaults', { providerSpecific: { values: VALUES } }), { values: VALUES });

describeProviderContract('memoryProvider', () => memoryProvider({ a: { b: [1, null, true] } }), { values: { a: { b: [1, null, true] } }, close: false });

describeProviderContract(
  'composite (registry)',
  async () => {
    const sub = await fileSubject('yaml', 'yaml');
    const defaults = await registry.create('defaults', { providerSpecific: { values: { server: { host: 'localhost' } } } });
    const provider = await registry.create('composite', { providerSpecific: { providers: [sub.provider, defaults], name: 'stack' } });
    return { provider, change: sub.change!, cleanup: () => sub.cleanup!() };
  },
  {
    values: { server: { port: 8080, hosts: ['a', 'b'], host: 'localhost' } },
    watch: true,
    healthCheck: true,
    failing: async () => {
      const dir = await tempConfigDir();
      const missing = await registry.create('yaml', { path: dir.path('missing.yaml') });
      return { provider: await registry.create('composite', { providerSpecific: { providers: [missing] } }), cleanup: () => dir.cleanup() };
    },
  },
);

describe('etcd', () => {
  let etcd: EtcdServer;
  let prefixes = 0;
  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  describeProviderContract(
    'etcd (registry, real server)',
    async () => {
      const prefix = `/contract${++prefixes}`;
      await etcd.put(`${prefix}/server/port`, '8080');
      const provider = await registry.create('etcd', {
        providerSpecific: { endpoints: [etcd.endpoint], prefix, dialTimeoutMs: 2_000, loadTimeoutMs: 2_000 },
      });
      return { provider, change: async (n: number) => void (await etcd.put(`${prefix}/server/port`, String(9000 + n))) };
    },
    {
      values: { server: { port: 8080 } },
      watch: true,
      healthCheck: true,
      // Nothing listens on port 1: the dial fails fast.
      failing: () => registry.create('etcd', { providerSpecific: { endpoints: ['http://127.0.0.1:1'], prefix: '/x', dialTimeoutMs: 300 } }),
    },
  );
});

/** A hand-written provider (no defineProvider), with a watch it drives itself. */
function customProvider(): ProviderContractSubject {
  const listeners = new Set<() => void>();
  let closed = 0;
  const provider: Provider = {
    name: 'custom:inline',
    type: 'custom',
    async load(ctx) {
      if (ctx?.signal?.aborted) throw new ConfigError({ op: 'load', code: 'load_failed', message: 'aborted', provider: 'custom:inline' });
      return { values: { feature: { enabled: true } }, origin: { provider: 'custom:inline', type: 'custom' } };
    },
    watch(onChange) {
      const l = (): void => onChange();
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async healthCheck() {
      return { ok: closed === 0 };
    },
    async close() {
      closed++;
    },
  };
  return { provider, change: () => listeners.forEach((l) => l()) };
}

describeProviderContract('custom provider', () => customProvider(), {
  values: { feature: { enabled: true } },
  watch: true,
  healthCheck: true,
  failing: () =>
    defineProvider({
      name: 'custom:broken',
      type: 'custom',
      load() {
        // A non-Error throw: defineProvider must still turn it into a ConfigError.
        throw 'backend down';
      },
    }),
});

describeProviderContract(
  'custom type through a registry',
  async () => {
    const r = new ProviderRegistry();
    r.register('inline', () => customProvider().provider, { supportedFormats: ['json'] });
    return r.create('inline', { loadTimeoutMs: 1_000, maxRetries: 1, watch: false });
  },
  { values: { feature: { enabled: true } }, watch: false, healthCheck: true },
);

describe('findNonPlainData (the plain-data rule)', () => {
  it('accepts JSON-like trees, shared subtrees and null-prototype objects', () => {
    const shared = { x: 1 };
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 'b' });
    expect(findNonPlainData({ a: [1, 'two', null, false, { b: [] }], s: shared, t: shared, bare })).toBeUndefined();
  });

  it('names the first class instance, function, undefined, bigint or cycle', () => {
    const cyclic: Record<string, unknown> = { a: {} };
    (cyclic.a as Record<string, unknown>).back = cyclic;
    class Port {}
    expect(findNonPlainData({ when: new Date(0) })).toBe('values.when is a Date instance');
    expect(findNonPlainData({ m: new Map() })).toBe('values.m is a Map instance');
    expect(findNonPlainData({ list: [1, new Port()] })).toBe('values.list[1] is a Port instance');
    expect(findNonPlainData({ f: () => 1 })).toBe('values.f is function');
    expect(findNonPlainData({ u: undefined })).toBe('values.u is undefined');
    expect(findNonPlainData({ n: 1n })).toBe('values.n is bigint');
    expect(findNonPlainData(cyclic)).toBe('values.a.back is a cycle');
  });
});
