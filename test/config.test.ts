import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Config } from '../src/core/config.js';
import { loadFromSources } from '../src/presets/framework/api.js';
import { memoryProvider } from '../src/providers/memory.js';
import { CANARY, expectConfigError, expectNoSecret } from './support/errors.js';

const values = {
  server: { port: 8080, host: 'localhost', ratio: 0.5, debug: true, port_str: '9000', flag_str: 'yes', bad_int: 'x1' },
  llm_providers: [
    { name: 'openai', provider: 'openai', model_name: 'gpt-4o', api_key: CANARY },
    { name: 'local', provider: 'ollama', model_name: 'llama3' },
  ],
  agents: [{ name: 'helper', llm_provider_name: 'openai', max_iterations: 10 }],
  tools: [{ name: 'search', provider: 'web', enabled: true }],
  labels: { team: 'ai', tier: 1 },
  db: { password: CANARY, connection_string: `postgres://u:${CANARY}@h/db` },
};

// Untyped on purpose: these tests read missing and odd keys, which a typed Config rejects at compile time.
const load = () => loadFromSources<Record<string, unknown>>([memoryProvider(values, 'mem')], { schema: false });

describe('Config', () => {
  it.each([
    { method: 'getString', key: 'server.host', expected: 'localhost' },
    { method: 'getString', key: 'server.port', expected: '8080' },
    { method: 'getString', key: 'missing', expected: '' },
    { method: 'getInt', key: 'server.port', expected: 8080 },
    { method: 'getInt', key: 'server.port_str', expected: 9000 },
    { method: 'getInt', key: 'server.ratio', expected: 0 },
    { method: 'getInt', key: 'missing', expected: 0 },
    { method: 'getFloat', key: 'server.ratio', expected: 0.5 },
    { method: 'getFloat', key: 'server.port_str', expected: 9000 },
    { method: 'getBool', key: 'server.debug', expected: true },
    { method: 'getBool', key: 'server.flag_str', expected: true },
    { method: 'getBool', key: 'missing', expected: false },
  ] as const)('$method($key) → $expected', async ({ method, key, expected }) => {
    const config = await load();
    expect((config[method] as (k: string) => unknown)(key)).toBe(expected);
  });

  it('returns the fallback for missing keys only', async () => {
    const config = await load();
    expect(config.getInt('missing', 7)).toBe(7);
    expect(config.getInt('server.port', 7)).toBe(8080);
    expect(config.getString('nope.deeper', 'd')).toBe('d');
    expect(config.getBool('missing', true)).toBe(true);
  });

  it.each([
    ['getInt', 'server.bad_int'],
    ['getInt', 'server'],
    ['getBool', 'server.host'],
    ['getFloat', 'server.host'],
    ['getString', 'server'],
    ['getStringMap', 'server.port'],
  ] as const)('%s(%s) throws type_mismatch', async (method, key) => {
    const config = await load();
    await expectConfigError(() => (config[method] as (k: string) => unknown)(key), { code: 'type_mismatch', key });
  });

  it('reads list items by index in either spelling, and knows what is set', async () => {
    const config = await load();
    expect(config.get('llm_providers.1.model_name')).toBe('llama3');
    expect(config.get('llm_providers[1].model_name')).toBe('llama3');
    expect(config.isSet('llm_providers.0.api_key')).toBe(true);
    expect(config.isSet('llm_providers.1.api_key')).toBe(false);
    expect(config.get('server.toString')).toBeUndefined();
    expect(config.getStringMap('labels')).toEqual({ team: 'ai', tier: '1' });
  });

  it('rejects forbidden segments in key paths', async () => {
    const config = await load();
    await expectConfigError(() => config.get('__proto__.polluted'), { code: 'forbidden_key' });
  });

  it('is deeply frozen', async () => {
    const config = await load();
    expect(() => {
      (config.value.server as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(config.get('server.port')).toBe(8080);
  });

  it('redacts secrets in every rendering of the snapshot', async () => {
    const config = await load();
    for (const out of [inspect(config, { depth: Infinity }), JSON.stringify(config), String(config), `${config}`, config.toString()]) {
      expectNoSecret(out);
      expect(out).toContain('[REDACTED]');
    }
    expectNoSecret(config.toObject());
    expect(config.toObject({ redact: false }).db).toMatchObject({ password: CANARY });
    expect(config.getString('db.password')).toBe(CANARY);
  });

  it.each([
    ['a URL password under a key that names no secret', { db: { url: `postgres://app:${CANARY}@db.local/app` } }, undefined, `postgres://app:[REDACTED]@db.local/app`],
    ['a schema-marked path', { db: { dsn: CANARY } }, new Set(['db.dsn']), '[REDACTED]'],
    ['a schema-marked pattern over list items', { svc: [{ name: 'a', hook: CANARY }] }, new Set(['svc.*.hook']), '[REDACTED]'],
  ])('redacts %s in toObject, toJSON, String and inspect', (_name, value, secretPaths, shown) => {
    const config = new Config({ value, origins: new Map(), sources: [], ...(secretPaths ? { secretPaths } : {}) });
    for (const out of [inspect(config, { depth: Infinity }), JSON.stringify(config), String(config), JSON.stringify(config.toObject())]) {
      expectNoSecret(out);
      expect(out).toContain(shown);
    }
    expect(JSON.stringify(config.toObject({ redact: false }))).toContain(CANARY);
  });

  it('explain and sources() name a source whose name is a URL without its password', async () => {
    const config = await loadFromSources([memoryProvider({ a: 1 }, `etcd:http://root:${CANARY}@etcd-1:2379`)], { schema: false });
    expect(config.explain('a')).toEqual({ provider: 'etcd:http://root:[REDACTED]@etcd-1:2379', type: 'memory' });
    expect(config.sources()[0]?.name).toBe('etcd:http://root:[REDACTED]@etcd-1:2379');
  });

  it('explains values and hands out validated copies', async () => {
    const config = await load();
    expect(config.explain('server.port')).toEqual({ provider: 'mem', type: 'memory' });
    expect(config.explain('nope')).toBeUndefined();
    const server = await config.unmarshalKey('server', z.object({ port: z.number(), host: z.string() }));
    expect(server).toEqual({ port: 8080, host: 'localhost' });
    const copy = (await config.unmarshalKey('labels')) as Record<string, unknown>;
    copy.team = 'changed';
    expect(config.get('labels.team')).toBe('ai');
    await expectConfigError(config.unmarshalKey('nope'), { code: 'key_not_found' });
    await expectConfigError(config.unmarshalKey('server', z.object({ port: z.string() })), { code: 'validation_failed' });
  });

  it('finds framework entries by name and throws config_not_found otherwise', async () => {
    const config = await loadFromSources([memoryProvider(values, 'mem')]); // the framework preset: its snapshot has the accessors
    expect(config.getLLMProviderConfig('local').model_name).toBe('llama3');
    expect(config.getLLMProvidersConfig()).toHaveLength(2);
    expect(config.getAgentConfig('helper').llm_provider_name).toBe('openai');
    expect(config.getToolConfig('search').enabled).toBe(true);
    expect(config.getToolsConfig()).toHaveLength(1);
    expect(config.getEmbeddingProvidersConfig()).toEqual([]);
    expect(config.getVectorStoresConfig()).toEqual([]);
    expect(config.getAgentsConfig()).toHaveLength(1);
    await expectConfigError(() => config.getLLMProviderConfig('nope'), { code: 'config_not_found' });
    await expectConfigError(() => config.getAgentConfig('nope'), { code: 'config_not_found' });
    await expectConfigError(() => config.getToolConfig('nope'), { code: 'config_not_found' });
  });
});
