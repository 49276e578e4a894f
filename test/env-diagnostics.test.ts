/**
 * Environment diagnostics through real loads: env and memory providers, a zod schema, the
 * framework schema, a schema without a JSON Schema (valibot), the three unknownEnv modes.
 */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../src/index.js';
import { defineProvider } from '../src/providers/index.js';
import type { LoadOptions } from '../src/core/load.js';
import type { Logger } from '../src/observability/logging.js';
import { envProvider } from '../src/providers/env.js';
import { memoryProvider } from '../src/providers/memory.js';
import { expectConfigError } from './support/errors.js';

const App = z.object({
  server: z.object({ host: z.string().default('127.0.0.1'), port: z.int().default(8080) }).prefault({}),
  features: z.record(z.string(), z.boolean()).default({}),
  upstreams: z.array(z.object({ name: z.string(), url: z.string(), token_value: z.string().optional() })).default([]),
});
const lower = { server: { port: 1 }, upstreams: [{ name: 'payments', url: 'https://p.example' }, { name: 'inventory', url: 'https://i.example' }] };

function sources(env: Record<string, string>) {
  return [envProvider({ prefix: 'APP', env }), memoryProvider(lower)];
}

function load(env: Record<string, string>, extra: Omit<LoadOptions, 'schema' | 'sources' | 'validate'> = {}) {
  return loadConfig({ ...extra, schema: App, sources: sources(env) });
}

function recordingLogger(): Logger & { warns: { obj: Record<string, unknown>; msg?: string }[] } {
  const warns: { obj: Record<string, unknown>; msg?: string }[] = [];
  return { warns, debug() {}, info() {}, error() {}, warn: (obj, msg) => void warns.push({ obj, ...(msg !== undefined ? { msg } : {}) }) };
}

describe('unknownEnv (default warn)', () => {
  it('warns about a variable that sets no schema key, naming the variable, the key and the nearest variable', async () => {
    const config = await load({ APP_SERVR__PORT: '1' });
    expect(config.warnings).toEqual([
      {
        code: 'unknown_env_var',
        message: expect.stringContaining('did you mean APP_SERVER__PORT?'),
        location: { source: 'env APP_SERVR__PORT', key: 'servr.port' },
        suggestion: 'APP_SERVER__PORT',
      },
    ]);
  });

  it('suggests the nested form for a single underscore and a misspelt leaf', async () => {
    const config = await load({ APP_SERVER_PORT: '1', APP_SERVER__HSOT: 'x' });
    expect(config.warnings.map((w) => [w.location?.key, w.suggestion])).toEqual([
      ['server_port', 'APP_SERVER__PORT'],
      ['server.hsot', 'APP_SERVER__HOST'],
    ]);
  });

  it('warns about a new named list item whose name is close to an existing one', async () => {
    const config = await load({ APP_UPSTREAMS__PAYMNTS__URL: 'https://x.example' });
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toMatchObject({
      code: 'unknown_env_item',
      location: { source: 'env APP_UPSTREAMS__PAYMNTS__URL', key: 'upstreams.2.url' },
      suggestion: 'APP_UPSTREAMS__PAYMENTS__URL',
    });
    expect(config.warnings[0]!.message).toMatch(/new item "paymnts" in upstreams .* next to "payments"/);
  });

  it('stays quiet for declared keys, record keys, existing items and a new item with a distinct name', async () => {
    const config = await load({
      APP_SERVER__PORT: '2',
      APP_FEATURES__NEW_CHECKOUT: 'true',
      APP_UPSTREAMS__PAYMENTS__TOKEN_VALUE: 'secret-1',
      APP_UPSTREAMS__SEARCH__URL: 'https://s.example',
    });
    expect(config.warnings).toEqual([]);
    expect(config.value.upstreams.map((u) => u.name)).toEqual(['payments', 'inventory', 'search']);
  });

  it('sends each warning to the logger with its code, key and source', async () => {
    const logger = recordingLogger();
    await load({ APP_SERVR__PORT: '1' }, { logger });
    expect(logger.warns).toHaveLength(1);
    expect(logger.warns[0]!.obj).toMatchObject({ code: 'unknown_env_var', path: 'servr.port', source: 'env APP_SERVR__PORT' });
    expect(logger.warns[0]!.msg).toMatch(/APP_SERVR__PORT .*did you mean APP_SERVER__PORT/);
  });

  it('with the framework schema, accepts the sections a file holds and flags near-misses of them (logged when validation then fails)', async () => {
    const file = { server: { port: 8080, host: 'h' }, llm_providers: [{ name: 'openai', provider: 'openai', model_name: 'gpt-4o' }] };
    const env = { APP_SERVER__PORT: '9090', APP_SERVER__TIMEOUT: '5', APP_SERVER__HSOT: 'x', APP_SERVR__PORT: '1', APP_LLM_PROVIDERS__OPNAI__API_KEY: 'k' };
    const logger = recordingLogger();
    // The new item "opnai" lacks `provider` and `model_name`: the load fails, the warnings explain why.
    await expectConfigError(loadConfig({ sources: [envProvider({ prefix: 'APP', env }), memoryProvider(file)], logger }), { code: 'validation_failed' });
    expect(logger.warns.map((w) => [w.obj.code, w.obj.path, /did you mean (\S+)\?/.exec(w.msg ?? '')?.[1]])).toEqual([
      ['unknown_env_var', 'server.hsot', 'APP_SERVER__HOST'],
      ['unknown_env_var', 'servr.port', 'APP_SERVER__PORT'],
      ['unknown_env_item', 'llm_providers.1.api_key', 'APP_LLM_PROVIDERS__OPENAI__API_KEY'],
    ]);
  });
});

describe('unknownEnv modes', () => {
  it("'error' fails the load with environment_error listing every problem", async () => {
    const err = await expectConfigError(load({ APP_SERVR__PORT: '1', APP_UPSTREAMS__PAYMNTS__URL: 'u' }, { unknownEnv: 'error' }), {
      code: 'environment_error',
      source: 'env APP_SERVR__PORT',
      key: 'servr.port',
    });
    expect(err.issues?.map((i) => i.code)).toEqual(['unknown_env_var', 'unknown_env_item']);
  });

  it("'ignore' skips the check", async () => {
    expect((await load({ APP_SERVR__PORT: '1' }, { unknownEnv: 'ignore' })).warnings).toEqual([]);
  });

  it('schema: false and validate: false give no warning (no schema to compare against)', async () => {
    expect((await loadConfig({ schema: false, sources: sources({ APP_SERVR__PORT: '1' }) })).warnings).toEqual([]);
    expect((await loadConfig({ schema: App, validate: false, sources: sources({ APP_SERVR__PORT: '1' }) })).warnings).toEqual([]);
  });

  it('a schema without a JSON Schema (valibot) gives one env_unchecked note, never a crash', async () => {
    const schema = v.looseObject({ server: v.optional(v.looseObject({})) });
    const config = await loadConfig({ schema, sources: [envProvider({ prefix: 'APP', env: { APP_SERVR__PORT: '1' } })] });
    expect(config.warnings).toEqual([{ code: 'env_unchecked', message: expect.stringMatching(/offers no JSON Schema .* 1 environment variable was not checked/) }]);
    // ...and no note when no variable was set.
    const quiet = await loadConfig({ schema, sources: [envProvider({ prefix: 'APP', env: {} })] });
    expect(quiet.warnings).toEqual([]);
  });
});

describe('env diagnostics at scale', () => {
  it('handles 10,000 prefixed variables (bounded: at most 100 listed, then a summary)', async () => {
    const env: Record<string, string> = {};
    for (let i = 0; i < 5_000; i++) env[`APP_FEATURES__FLAG_${i}`] = 'true';
    for (let i = 0; i < 5_000; i++) env[`APP_UNKNOWN_${i}__X`] = '1';
    const config = await loadConfig({ schema: App, sources: [envProvider({ prefix: 'APP', env })] });
    expect(Object.keys(config.value.features)).toHaveLength(5_000);
    expect(config.warnings).toHaveLength(101);
    expect(config.warnings.slice(0, 100).every((w) => w.code === 'unknown_env_var' && w.location?.source?.startsWith('env APP_UNKNOWN_'))).toBe(true);
    expect(config.warnings[100]!.message).toBe('4900 more environment variable warnings not listed');
  });

  it('handles 10,000 variables inside a section a file holds (framework schema): bounded checks, no false warning', async () => {
    const env: Record<string, string> = {};
    for (let i = 0; i < 10_000; i++) env[`APP_SERVER__OPTION_${i}`] = String(i);
    const file = { server: { port: 8080, host: 'h' } };
    const config = await loadConfig({ sources: [envProvider({ prefix: 'APP', env }), memoryProvider(file)] });
    expect(Object.keys(config.value.server as object)).toHaveLength(10_002);
    expect(config.warnings).toEqual([]);
  });
});

describe('cost', () => {
  it('never resolves a line/column of the lower layers (that can mean re-parsing a file with positions)', async () => {
    let lookups = 0;
    const file = defineProvider({
      name: 'file:app.yaml',
      type: 'file',
      load: () => ({
        values: { server: { port: 1, host: 'a' } },
        origin: { provider: 'file:app.yaml', type: 'file', location: 'app.yaml' },
        positions: { get: () => (lookups++, { line: 2, column: 9 }) },
      }),
    });
    // The framework keeps sections it does not declare (`server`): a near-miss there is judged against the file's keys.
    const config = await loadConfig({ sources: [envProvider({ env: { CONFSTACK_SERVER__HOTS: 'h', CONFSTACK_SERVER__PORT: '2' } }), file] });
    expect(config.warnings.map((w) => w.code)).toEqual(['unknown_env_var']);
    expect(lookups).toBe(0);
    expect(config.explain('server.host')?.line).toBe(2); // the index does answer when a position is asked for
    expect(lookups).toBeGreaterThan(0);
  });
});

describe('a variable that overrides a key a lower source holds', () => {
  // The framework schema leaves `server` undeclared (a loose root): keys a file declares there are
  // checked against the file's own keys.
  const file = { server: { host: 'a', hosts: ['x'], port: 1 } };

  it('is never taken for a typo of a neighbour, even one a letter away', async () => {
    const config = await loadConfig({ sources: [envProvider({ prefix: 'APP', env: { APP_SERVER__HOST: 'b' } }), memoryProvider(file)] });
    expect(config.value).toMatchObject({ server: { host: 'b', hosts: ['x'] } });
    expect(config.warnings).toEqual([]);
  });

  it('while a new key next to them still warns, with the nearest one', async () => {
    const config = await loadConfig({ sources: [envProvider({ prefix: 'APP', env: { APP_SERVER__HOTS: 'b' } }), memoryProvider(file)] });
    expect(config.warnings.map((w) => w.code)).toEqual(['unknown_env_var']);
    expect(config.warnings[0]!.message).toContain('APP_SERVER__HOTS sets "server.hots"');
  });

  it('also inside a composite (env and the file as one provider)', async () => {
    const { compositeProvider } = await import('../src/providers/composite.js');
    const both = compositeProvider([envProvider({ prefix: 'APP', env: { APP_SERVER__HOST: 'b', APP_SERVER__HOTS: 'c' } }), memoryProvider(file)]);
    const config = await loadConfig({ sources: [both] });
    expect(config.warnings.map((w) => w.location?.key)).toEqual(['server.hots']);
  });
});

describe("suggestions spelled with the env provider's own delimiter", () => {
  const file = { server: { host: 'a', port: 1 }, llm_providers: [{ name: 'openai', provider: 'openai', model_name: 'x' }] };
  const suggestions = async (delimiter: string, env: Record<string, string>) =>
    (await loadConfig({ sources: [envProvider({ prefix: 'APP', delimiter, env }), memoryProvider(file)] })).warnings.map((w) => w.suggestion);

  it('for a key', async () => {
    expect(await suggestions('::', { 'APP_SERVER::PROT': '2' })).toEqual(['APP_SERVER::PORT']);
    expect(await suggestions('_', { APP_SERVER_PROT: '2' })).toEqual(['APP_SERVER_PORT']);
    expect(await suggestions('__', { APP_SERVER__PROT: '2' })).toEqual(['APP_SERVER__PORT']);
  });

  it('for a named list item written by its name', async () => {
    const env = { 'APP_LLM_PROVIDERS::OPNAI::API_KEY': 'k', 'APP_LLM_PROVIDERS::OPNAI::MODEL_NAME': 'm', 'APP_LLM_PROVIDERS::OPNAI::PROVIDER': 'openai' };
    expect(await suggestions('::', env)).toEqual(['APP_LLM_PROVIDERS::OPENAI::API_KEY', 'APP_LLM_PROVIDERS::OPENAI::MODEL_NAME', 'APP_LLM_PROVIDERS::OPENAI::PROVIDER']);
  });
});
