/**
 * The built-in types (complete metadata, each one creating a working provider), the thin global
 * functions over globalRegistry, and the telemetry of `create` on a real OTel SDK.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/foundation/errors.js';
import { SpanStatusCode } from '@opentelemetry/api';
import { defineProvider } from '../../src/providers/provider.js';
import {
  findProviders,
  getBestProvider,
  getProviderMetadata,
  getProvidersByCapability,
  getProvidersForFormat,
  globalRegistry,
  isProviderRegistered,
  listProviders,
  newProvider,
  ProviderRegistry,
  registerGlobal,
  unregisterProvider,
  validateProviderOptions,
} from '../../src/index.js';
// registry.ts exports it; the confstack entry does not (yet).
import { registerBuiltinProviders } from '../../src/registry/index.js';
import { BUILTIN_PROVIDERS } from '../../src/registry/builtins.js';
import { tempConfigDir } from '../../src/testing/index.js';
import { createHarness } from '../observe/otel-harness.js';
import { expectConfigError } from '../support/errors.js';

const FILE_CAPS = ['file_loading', 'watching', 'health_check', 'interpolation', 'profiles'];

/** What each built-in's metadata must say (description and optional options checked separately). */
const EXPECTED = {
  file: { supportedFormats: ['yaml', 'json', 'toml', 'env'], defaultFormat: 'yaml', capabilities: FILE_CAPS, supportsWatch: true, supportsEnvVars: false, healthCheckSupported: true, requiredOptions: [] },
  yaml: { supportedFormats: ['yaml'], defaultFormat: 'yaml', capabilities: FILE_CAPS, supportsWatch: true, supportsEnvVars: false, healthCheckSupported: true, requiredOptions: [] },
  json: { supportedFormats: ['json'], defaultFormat: 'json', capabilities: FILE_CAPS, supportsWatch: true, supportsEnvVars: false, healthCheckSupported: true, requiredOptions: [] },
  toml: { supportedFormats: ['toml'], defaultFormat: 'toml', capabilities: FILE_CAPS, supportsWatch: true, supportsEnvVars: false, healthCheckSupported: true, requiredOptions: [] },
  env: { supportedFormats: [], capabilities: ['env_vars'], supportsWatch: false, supportsEnvVars: true, healthCheckSupported: false, requiredOptions: [] },
  defaults: { supportedFormats: ['memory'], capabilities: [], supportsWatch: false, supportsEnvVars: false, healthCheckSupported: false, requiredOptions: ['providerSpecific.values'] },
  composite: { supportedFormats: ['composite'], capabilities: ['watching', 'health_check'], supportsWatch: true, supportsEnvVars: false, healthCheckSupported: true, requiredOptions: ['providerSpecific.providers'] },
  etcd: {
    supportedFormats: ['yaml', 'json', 'toml'],
    capabilities: ['remote', 'watching', 'health_check', 'interpolation'],
    supportsWatch: true,
    supportsEnvVars: false,
    healthCheckSupported: true,
    requiredOptions: ['providerSpecific.endpoints', 'providerSpecific.prefix'],
  },
} as const;

describe('built-in types', () => {
  it('are file yaml json toml env defaults composite etcd, with complete metadata', () => {
    expect(listProviders()).toEqual(Object.keys(EXPECTED).sort());
    for (const [name, expected] of Object.entries(EXPECTED)) {
      const m = getProviderMetadata(name);
      expect(m, name).toMatchObject({ name, ...expected });
      expect(m.description.length, `${name} description`).toBeGreaterThan(10);
      if (name !== 'defaults') expect(m.optionalOptions.length, `${name} optional options`).toBeGreaterThan(0);
      // Every declared option passes validation's name rules (the metadata is self-consistent).
      expect(m.requiredOptions.every((o) => !m.optionalOptions.includes(o)), name).toBe(true);
    }
  });

  it('create working providers through newProvider', async () => {
    const dir = await tempConfigDir({
      'config.yaml': 'a: 1\n',
      'c.json': '{"b": 2}',
      'c.toml': 'c = 3\n',
      'conf/app.staging.yaml': 'd: 5\n',
      'conf/app.yaml': 'd: 4\ne: x\n',
    });
    try {
      const load = async (name: string, o: Parameters<typeof newProvider>[1]) => (await (await newProvider(name, o)).load()).values;
      expect(await load('file', { path: dir.path('config.yaml') })).toEqual({ a: 1 });
      expect(await load('file', { configName: 'app', configPaths: [dir.path('conf')], providerSpecific: { profile: 'staging' } })).toEqual({ d: 5, e: 'x' });
      expect(await load('yaml', { path: dir.path('config.yaml') })).toEqual({ a: 1 });
      expect(await load('json', { path: dir.path('c.json') })).toEqual({ b: 2 });
      expect(await load('toml', { path: dir.path('c.toml') })).toEqual({ c: 3 });
      expect(await load('yaml', { path: dir.path('missing.yaml'), optional: true })).toEqual({});
      expect(await load('env', { envPrefix: 'T', providerSpecific: { env: { T_X__Y: 'z' }, delimiter: '__' } })).toEqual({ x: { y: 'z' } });
      expect(await load('defaults', { providerSpecific: { values: { port: 1 } } })).toEqual({ port: 1 });
      const high = await newProvider('defaults', { providerSpecific: { values: { port: 2 } } });
      const low = await newProvider('defaults', { providerSpecific: { values: { port: 1, host: 'h' } } });
      expect(await load('composite', { providerSpecific: { providers: [high, low], fallback: true, timeoutMs: 1_000 } })).toEqual({ port: 2, host: 'h' });
    } finally {
      await dir.cleanup();
    }
  });

  it('check the built-ins option shapes (every problem listed)', async () => {
    const err = await expectConfigError(
      newProvider('composite', { providerSpecific: { providers: [{}], fallback: 'yes', timeoutMs: 0 } }),
      { code: ErrorCode.ProviderConfigInvalid },
    );
    expect(err.issues?.map((i) => i.path)).toEqual(['providerSpecific.providers', 'providerSpecific.fallback', 'providerSpecific.timeoutMs']);
    await expectConfigError(newProvider('json', { path: 'x.json', format: 'yaml' }), { code: ErrorCode.ProviderConfigInvalid });
    await expectConfigError(newProvider('env', { providerSpecific: { env: { A: 1 } } }), { code: ErrorCode.ProviderConfigInvalid });
  });

  it('a registry of its own with registerBuiltinProviders has the same types, independent of the global one', () => {
    const own = new ProviderRegistry({ initialize: registerBuiltinProviders });
    own.unregister('etcd');
    expect(own.list()).not.toContain('etcd');
    expect(isProviderRegistered('etcd')).toBe(true);
  });
});

describe('the global functions', () => {
  const NAME = 'test.global-type';
  afterAll(() => {
    if (isProviderRegistered(NAME)) unregisterProvider(NAME);
  });

  it('register, query, validate, create and unregister through globalRegistry', async () => {
    registerGlobal(
      NAME,
      (o) => defineProvider({ name: `g:${String(o.providerSpecific?.id)}`, type: NAME, load: () => ({ values: { id: o.providerSpecific?.id } }) }),
      { supportedFormats: ['gfmt'], capabilities: ['x-global'], requiredOptions: ['providerSpecific.id'], description: 'test' },
    );
    expect(globalRegistry.has(NAME)).toBe(true);
    expect(isProviderRegistered(NAME)).toBe(true);
    expect(listProviders()).toContain(NAME);
    expect(getProviderMetadata(NAME).capabilities).toEqual(['x-global']);
    expect(getProvidersForFormat('GFMT')).toEqual([NAME]);
    expect(getProvidersByCapability('x-global')).toEqual([NAME]);
    expect(findProviders({ formats: ['gfmt'], capabilities: ['x-global'] }).map((m) => m.name)).toEqual([NAME]);
    expect(getBestProvider({ requiredFormats: ['gfmt'] })).toBe(NAME);
    validateProviderOptions(NAME, { providerSpecific: { id: 1 } });
    await expectConfigError(() => validateProviderOptions(NAME, {}), { code: ErrorCode.ProviderConfigInvalid });
    const p = await newProvider(NAME, { providerSpecific: { id: 7 }, cache: true });
    expect(await newProvider(NAME, { cache: true, providerSpecific: { id: 7 } })).toBe(p);
    expect((await p.load()).values).toEqual({ id: 7 });
    await expectConfigError(() => registerGlobal(NAME, () => p, { supportedFormats: ['gfmt'] }), { code: ErrorCode.ProviderAlreadyRegistered });
    unregisterProvider(NAME);
    expect(isProviderRegistered(NAME)).toBe(false);
    await expectConfigError(newProvider(NAME), { code: ErrorCode.ProviderNotFound });
    await expectConfigError(() => getProviderMetadata(NAME), { code: ErrorCode.ProviderNotFound });
    await expectConfigError(() => getBestProvider({ requiredFormats: ['gfmt'] }), { code: ErrorCode.ProviderNotFound });
  });

  it('a built-in can be replaced: unregister, then register', async () => {
    const original = getProviderMetadata('defaults');
    unregisterProvider('defaults');
    try {
      registerGlobal('defaults', () => defineProvider({ name: 'mine', type: 'defaults', load: () => ({ values: { mine: true } }) }), { supportedFormats: ['memory'] });
      expect((await (await newProvider('defaults')).load()).values).toEqual({ mine: true });
    } finally {
      unregisterProvider('defaults');
      const builtin = BUILTIN_PROVIDERS.find((b) => b.name === 'defaults')!;
      registerGlobal('defaults', builtin.creator, builtin.metadata, builtin.check ? { validateOptions: builtin.check } : {});
    }
    expect(getProviderMetadata('defaults')).toEqual(original);
  });
});

describe('telemetry of create (real OTel SDK)', () => {
  it('records a confstack.registry.create span and the operation metrics, once per creation', async () => {
    const h = createHarness();
    try {
      const r = new ProviderRegistry({ initialize: registerBuiltinProviders, metrics: h.metrics });
      const p = await r.create('defaults', { providerSpecific: { values: {} }, cache: true });
      await r.create('defaults', { providerSpecific: { values: {} }, cache: true });
      const spans = h.spans().filter((s) => s.name === 'confstack.registry.create');
      expect(spans).toHaveLength(1);
      expect(spans[0]!.attributes).toMatchObject({ 'confstack.registry.type': 'defaults', 'confstack.provider': p.name });
      expect(spans[0]!.status.code).not.toBe(SpanStatusCode.ERROR);
      const ops = (await h.points('confstack.operations')).filter((pt) => pt.attributes['confstack.operation'] === 'registry.create');
      expect(ops).toHaveLength(1);
      expect(ops[0]).toMatchObject({ value: 1, attributes: { 'confstack.registry.type': 'defaults', 'confstack.outcome': 'success' } });
      const durations = (await h.points('confstack.operation.duration')).filter((pt) => pt.attributes['confstack.operation'] === 'registry.create');
      expect(durations).toHaveLength(1);
    } finally {
      await h.shutdown();
    }
  });

  it('a failed creation ends the span with ERROR and counts the error by code', async () => {
    const h = createHarness();
    try {
      const r = new ProviderRegistry({ metrics: h.metrics });
      r.register('broken', () => {
        throw new Error('no');
      }, { supportedFormats: ['json'] });
      await expectConfigError(r.create('broken'), { code: ErrorCode.ProviderCreationFailed });
      const span = h.span('confstack.registry.create');
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).toBe('provider_creation_failed');
      const errors = (await h.points('confstack.errors')).map((pt) => pt.attributes);
      expect(errors).toContainEqual(expect.objectContaining({ 'error.type': 'provider_creation_failed', 'confstack.operation': 'registry.create' }));
      const ops = (await h.points('confstack.operations')).filter((pt) => pt.attributes['confstack.operation'] === 'registry.create');
      expect(ops.map((pt) => pt.attributes['confstack.outcome'])).toEqual(['failure']);
    } finally {
      await h.shutdown();
    }
  });

  it('invalid options fail before any span (nothing was created)', async () => {
    const h = createHarness();
    try {
      const r = new ProviderRegistry({ initialize: registerBuiltinProviders, metrics: h.metrics });
      await expectConfigError(r.create('etcd', {}), { code: ErrorCode.ProviderConfigInvalid });
      expect(h.spans()).toEqual([]);
    } finally {
      await h.shutdown();
    }
  });
});
