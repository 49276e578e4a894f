/**
 * The framework preset through the public schema door: the default load's snapshot class, an
 * app's own schema without the framework accessors, and withFramework (the framework's sections
 * and an app's in one schema: outputs merged, issues of both in one error, JSON Schemas merged).
 */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Config } from '../../../src/core/config.js';
import { Loader, loadConfig, loadFromSources, watchConfig } from '../../../src/presets/framework/api.js';
import { frameworkPreset, withFramework } from '../../../src/presets/framework/preset.js';
import { FrameworkSnapshot } from '../../../src/presets/framework/snapshot.js';
import { envProvider } from '../../../src/providers/env.js';
import { defineProvider } from '../../../src/providers/provider.js';
import { memoryProvider } from '../../../src/providers/memory.js';
import type { StandardSchemaV1 } from '../../../src/foundation/standard-schema.js';
import { schemaTypeAt, validateValue } from '../../../src/core/validate.js';
import { expectConfigError } from '../../support/errors.js';

const framework = {
  llm_providers: [{ name: 'p', provider: 'openai', model_name: 'm' }],
  tools: [{ name: 't', provider: 'builtin' }],
  agents: [{ name: 'a', llm_provider_name: 'p', tool_names: ['t'] }],
};
const App = z.object({ server: z.object({ port: z.int().max(65_535), host: z.string().default('127.0.0.1') }) });

describe('the snapshot class a schema names', () => {
  it('is FrameworkSnapshot for a default load, with the accessors', async () => {
    const config = await loadFromSources([memoryProvider(framework)]);
    expect(config).toBeInstanceOf(FrameworkSnapshot);
    expect(config).toBeInstanceOf(Config);
    expect(config.getAgentConfig('a').max_iterations).toBe(10);
  });

  it('is a plain Config for an app schema, schema: false and validate: false', async () => {
    const app = await loadFromSources([memoryProvider({ server: { port: 1 } })], { schema: App });
    const none = await loadFromSources([memoryProvider(framework)], { schema: false });
    const unvalidated = await loadFromSources([memoryProvider(framework)], { validate: false });
    for (const c of [app, none, unvalidated]) {
      expect(Object.getPrototypeOf(c)).toBe(Config.prototype);
      expect('getLLMProviderConfig' in c).toBe(false);
    }
  });

  it('is the same for Loader and watchConfig (first snapshot and reloads)', async () => {
    expect(await new Loader({ sources: [memoryProvider(framework)] }).load()).toBeInstanceOf(FrameworkSnapshot);
    const app = await new Loader({ schema: App, sources: [memoryProvider({ server: { port: 1 } })] }).load();
    expect(Object.getPrototypeOf(app)).toBe(Config.prototype);
    let n = 0;
    const counter = defineProvider({ name: 'counter', type: 'memory', local: true, load: () => ({ values: { ...framework, n: ++n }, origin: { provider: 'counter', type: 'memory' } }) });
    const live = await watchConfig({ sources: [counter] });
    try {
      const first = live.current();
      expect(first).toBeInstanceOf(FrameworkSnapshot);
      expect(await live.reload()).toBe('applied');
      expect(live.current()).not.toBe(first);
      expect(live.current()).toBeInstanceOf(FrameworkSnapshot);
      expect(live.current().get('n')).toBe(2);
    } finally {
      await live.close();
    }
  });

  it('ignores a ~confstack.snapshot that is not a Config subclass', async () => {
    const odd = { '~standard': App['~standard'], '~confstack': { snapshot: class NotAConfig {} } } as unknown as typeof App;
    const config = await loadFromSources([memoryProvider({ server: { port: 1 } })], { schema: odd });
    expect(Object.getPrototypeOf(config)).toBe(Config.prototype);
  });
});

describe('withFramework', () => {
  it('validates both parts in one load: both outputs, both sets of defaults, the accessors', async () => {
    const config = await loadConfig({ schema: withFramework(App), sources: [memoryProvider({ ...framework, server: { port: 8080 } })] });
    expect(config).toBeInstanceOf(FrameworkSnapshot);
    expect(config.get('server')).toEqual({ port: 8080, host: '127.0.0.1' });
    expect(config.getToolConfig('t').enabled).toBe(true);
    expect(config.get('embedding_providers')).toEqual([]);
    expect(config.explain('server.host')).toMatchObject({ type: 'defaults' });
  });

  it('reports the issues of both schemas in one error, framework first, each with its origin', async () => {
    const bad = { ...framework, agents: [{ name: 'a', llm_provider_name: 'gone' }], server: { port: 70_000 } };
    const err = await expectConfigError(loadConfig({ schema: withFramework(App), sources: [memoryProvider(bad, 'mem')] }), { code: 'validation_failed' });
    expect(err.issues?.map((i) => [i.path, i.code])).toEqual([
      ['agents.0.llm_provider_name', 'unknown_llm_provider'],
      ['server.port', 'too_big'],
    ]);
    expect(err.issues?.[1]?.origin).toMatchObject({ provider: 'mem' });
  });

  it('leaves unknown root keys to the app schema: stripped by z.object, kept by z.looseObject, refused by z.strictObject', async () => {
    const input = { ...framework, server: { port: 1 }, extra: 1 };
    const strip = await validateValue(input, withFramework(App));
    expect(Object.keys(strip)).not.toContain('extra');
    const loose = await validateValue(input, withFramework(App.loose()));
    expect((loose as Record<string, unknown>).extra).toBe(1);
    await expectConfigError(validateValue(input, withFramework(App.strict())), { code: 'validation_failed' });
  });

  it('works with valibot and with an async schema', async () => {
    const V = v.object({ server: v.object({ port: v.number() }) });
    const out = await validateValue({ ...framework, server: { port: 2 } }, withFramework(V));
    expect(out.server.port).toBe(2);
    expect(out.agents[0]?.max_iterations).toBe(10);
    const slow: StandardSchemaV1<unknown, { ok: true }> = {
      '~standard': { version: 1, vendor: 'test', validate: async () => ({ issues: [{ message: 'not yet', path: ['ok'] }] }) },
    };
    const err = await expectConfigError(validateValue({ tools: [{ name: 1 }] }, withFramework(slow)), { code: 'validation_failed' });
    expect(err.issues?.map((i) => i.path)).toEqual(['tools.0.name', 'tools.0.provider', 'ok']);
  });

  it('reports a root that is not an object once, as the framework does', () => {
    const r = withFramework(App)['~standard'].validate([1]) as StandardSchemaV1.FailureResult;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ code: 'invalid_type', path: [] });
  });

  it('refuses something that is not a Standard Schema', () => {
    expect(() => withFramework({} as StandardSchemaV1)).toThrow(expect.objectContaining({ code: 'invalid_parameters' }));
  });

  it('offers the merged JSON Schema, so env values of both parts are coerced', async () => {
    const json = withFramework(App)['~standard'].jsonSchema.input({ target: 'draft-2020-12' });
    expect(Object.keys(json.properties as object)).toEqual(expect.arrayContaining(['server', 'llm_providers', 'agents']));
    expect(json.required).toEqual(['server']);
    const config = await loadConfig({
      schema: withFramework(App),
      sources: [envProvider({ prefix: 'APP', env: { APP_SERVER__PORT: '9090', APP_AGENTS__A__MAX_ITERATIONS: '3' } }), memoryProvider(framework)],
    });
    expect(config.get('server.port')).toBe(9090);
    expect(config.getAgentConfig('a').max_iterations).toBe(3);
  });

  it('still coerces the framework part when the app schema has no JSON Schema', async () => {
    const typeAt = (await schemaTypeAt(withFramework(v.object({ server: v.object({ port: v.number() }) }))))!;
    expect(typeAt(['agents', 'a', 'max_iterations'])).toBe('integer');
    expect(typeAt(['server', 'port'])).toBeUndefined();
  });

  it('is what frameworkPreset is for the framework part: the same output for framework keys', async () => {
    const alone = await validateValue(framework, frameworkPreset);
    const both = await validateValue({ ...framework, server: { port: 1 } }, withFramework(App));
    expect({ ...both, server: undefined }).toEqual({ ...alone, server: undefined });
  });
});
