import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadFromSources } from '../src/core/load.js';
import { compositeProvider } from '../src/providers/composite.js';
import { envProvider } from '../src/providers/env.js';
import { fileProvider } from '../src/providers/file.js';
import { memoryProvider } from '../src/providers/memory.js';
import { CANARY, expectNoSecret } from './support/errors.js';
import { tempDir } from './support/temp.js';

const BASE = `server:
  port: 8080
  host: localhost
llm_providers:
  - name: openai
    model: gpt-4o
  - name: local
    model: llama3
db:
  url: postgres://app:${CANARY}@db:5432/app
`;
const OVERLAY = `server:
  port: 8443
llm_providers:
  - name: local
    model: llama3.1
`;

async function stack() {
  const dir = tempDir({ 'config.yaml': BASE, 'config.prod.yaml': OVERLAY, 'secret.txt': CANARY });
  const env = {
    APP_SERVER__PORT: '9090',
    APP_LLM_PROVIDERS__OPENAI__API_KEY: CANARY,
    APP_DB__PASSWORD_FILE: join(dir, 'secret.txt'),
  };
  const providers = [envProvider({ prefix: 'APP', env }), fileProvider({ configName: 'config', configPaths: [dir], profile: 'prod' })];
  const config = await loadFromSources(providers, { schema: false, env });
  return { dir, config };
}

describe('Config.explainAll', () => {
  it('lists every layer of a scalar, highest first: the winner, then what it overrode with file:line:col', async () => {
    const { dir, config } = await stack();
    const all = config.explainAll('server.port');
    expect(all.map((e) => [e.type, e.value, e.role])).toEqual([
      ['env', 9090, 'winner'],
      ['file', 8443, 'overridden'],
      ['file', 8080, 'overridden'],
    ]);
    expect(all[0]!.origin.location).toBe('APP_SERVER__PORT');
    expect(all[1]!.origin).toMatchObject({ location: join(dir, 'config.prod.yaml'), line: 2, column: 3 });
    expect(all[2]!.origin).toMatchObject({ location: join(dir, 'config.yaml'), line: 2, column: 3 });
    // explain() agrees with the winner.
    expect(config.explain('server.port')).toEqual(all[0]!.origin);
  });

  it('marks objects and name-keyed lists as merged, and follows list items by name across layers', async () => {
    const { config } = await stack();
    expect(config.explainAll('server').map((e) => e.role)).toEqual(['merged', 'merged', 'merged']);
    // `local` is index 1 in the result and index 0 in the overlay.
    const local = config.explainAll('llm_providers[1].model');
    expect(local.map((e) => [e.value, e.role, e.origin.line])).toEqual([
      ['llama3.1', 'winner', 5],
      ['llama3', 'overridden', 8],
    ]);
    expect(config.explainAll('llm_providers').map((e) => e.role)).toEqual(['merged', 'merged', 'merged']);
  });

  it('redacts secrets in every layer: a list item, an env var, a _FILE value, a URL password', async () => {
    const { config } = await stack();
    const apiKey = config.explainAll('llm_providers[0].api_key');
    expect(apiKey).toHaveLength(1);
    expect(apiKey[0]).toMatchObject({ type: 'env', value: '[REDACTED]', role: 'winner' });
    expect(apiKey[0]!.origin.location).toBe('APP_LLM_PROVIDERS__OPENAI__API_KEY');
    expect(config.explainAll('db.password')[0]).toMatchObject({ value: '[REDACTED]', origin: { location: 'APP_DB__PASSWORD_FILE' } });
    expect(config.explainAll('db.url')[0]!.value).toBe('postgres://app:[REDACTED]@db:5432/app');
    for (const key of ['db', 'llm_providers', 'llm_providers[0]', 'db.url', 'db.password']) expectNoSecret(JSON.stringify(config.explainAll(key)));
  });

  it('keeps each layer as its provider returned it: a later override does not rewrite the file below', async () => {
    const file = memoryProvider({ server: { port: 1, tls: { on: false } } }, 'low');
    const high = memoryProvider({ server: { tls: { on: true } } }, 'high');
    const config = await loadFromSources([high, file], { schema: false });
    expect(config.get('server.tls.on')).toBe(true);
    expect(config.explainAll('server.tls.on').map((e) => [e.source, e.value, e.role])).toEqual([
      ['high', true, 'winner'],
      ['low', false, 'overridden'],
    ]);
  });

  it('keeps adopted file layers intact too (copy-on-write over parser output)', async () => {
    const dir = tempDir({ 'a.yaml': 'server:\n  tls:\n    on: false\n  port: 1\n', 'b.json': '{"server":{"tls":{"on":true},"host":"h"}}' });
    const config = await loadFromSources([fileProvider({ path: join(dir, 'b.json') }), fileProvider({ path: join(dir, 'a.yaml') })], { schema: false });
    expect(config.explainAll('server.tls.on').map((e) => e.value)).toEqual([true, false]);
    // The low file never got the high file's `host`.
    expect(config.explainAll('server.host').map((e) => e.type)).toEqual(['file']);
    expect(config.explainAll('server').map((e) => (e.value as Record<string, unknown>).host ?? null)).toEqual(['h', null]);
  });

  it('expands composites into their children', async () => {
    const comp = compositeProvider([memoryProvider({ a: 2 }, 'c-high'), memoryProvider({ a: 1 }, 'c-low')], { name: 'comp' });
    const config = await loadFromSources([comp, memoryProvider({ a: 0 }, 'bottom')], { schema: false });
    expect(config.explainAll('a').map((e) => [e.source, e.role])).toEqual([
      ['c-high', 'winner'],
      ['c-low', 'overridden'],
      ['bottom', 'overridden'],
    ]);
  });

  it('adds schema defaults when they supplied the value', async () => {
    const schema = z.object({ server: z.object({ port: z.number().default(80), host: z.string() }) });
    const config = await loadFromSources([memoryProvider({ server: { host: 'x' } }, 'mem')], { schema });
    expect(config.explainAll('server.port')).toEqual([
      { source: 'schema', type: 'defaults', value: 80, origin: { provider: 'schema', type: 'defaults' }, role: 'winner' },
    ]);
    expect(config.explainAll('server').map((e) => [e.source, e.role, e.value])).toEqual([
      ['mem', 'winner', { host: 'x' }],
      ['schema', 'merged', { port: 80 }],
    ]);
  });

  it('reports what a memory layer held in JSON-safe form (dates, bigints, cycles never break it)', async () => {
    const when = new Date('2026-01-02T03:04:05.000Z');
    const config = await loadFromSources([memoryProvider({ at: when, big: 12n, nested: { at: when } }, 'mem')], { schema: false });
    expect(config.explainAll('at')[0]!.value).toBe('2026-01-02T03:04:05.000Z');
    expect(config.explainAll('big')[0]!.value).toBe(12);
    expect(JSON.parse(JSON.stringify(config.explainAll('')))).toEqual([
      { source: 'mem', type: 'memory', value: { at: '2026-01-02T03:04:05.000Z', big: 12, nested: { at: '2026-01-02T03:04:05.000Z' } }, origin: { provider: 'mem', type: 'memory' }, role: 'winner' },
    ]);
  });

  it('is empty for a key no source set, and rejects a malformed path', async () => {
    const { config } = await stack();
    expect(config.explainAll('nope.nothing')).toEqual([]);
    expect(() => config.explainAll('a..b')).toThrow(expect.objectContaining({ code: 'invalid_parameters' }));
  });

  it('answers a 10,000-segment key without throwing anything but a ConfigError', async () => {
    const { config } = await stack();
    expect(config.explainAll(Array.from({ length: 10_000 }, () => 'a').join('.'))).toEqual([]);
  });
});
