import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatConfigError } from '../src/foundation/errors.js';
import { FrameworkConfigSchema, applyFrameworkDefaults } from '../src/presets/framework/schema.js';
import type { StandardSchemaV1 } from '../src/foundation/standard-schema.js';
import type { Origin } from '../src/tree/origins.js';
import { loadFrameworkSchema, setDefaults, validateConfig } from '../src/presets/framework/api.js';
import { schemaTypeAt, typeAtFromJsonSchema, validateValue } from '../src/core/validate.js';
import { CANARY, expectConfigError, expectNoSecret } from './support/errors.js';
import { validFrameworkConfig } from './schema/framework-fixture.js';

const file = (line: number, column: number): Origin => ({ provider: 'file:config.yaml', type: 'file', location: 'config.yaml', line, column });
const env = (name: string): Origin => ({ provider: 'env', type: 'env', location: name });

/** A hand-written Standard Schema: `{ port: number }`, sync or async. */
function handSchema(async = false): StandardSchemaV1<unknown, { port: number }> {
  const run = (value: unknown): StandardSchemaV1.Result<{ port: number }> => {
    const port = (value as { port?: unknown } | null)?.port;
    return typeof port === 'number' ? { value: { port } } : { issues: [{ message: 'port must be a number', path: [{ key: 'port' }] }] };
  };
  return { '~standard': { version: 1, vendor: 'hand', validate: (value) => (async ? Promise.resolve(run(value)) : run(value)) } };
}

/** Every rendering of an error that leaves the process. */
function renderings(err: unknown): string[] {
  const e = err as import('../src/foundation/errors.js').ConfigError;
  return [e.message, JSON.stringify(e.issues), JSON.stringify(e.toJSON()), formatConfigError(e), JSON.stringify(e.context)];
}

describe('validateValue', () => {
  it('returns the zod output with defaults applied', async () => {
    const out = await validateValue(validFrameworkConfig(), FrameworkConfigSchema);
    expect(out.agents[1]?.max_iterations).toBe(10);
    expect(out.server).toEqual({ port: 8080, host: '0.0.0.0' });
  });

  it.each([
    { name: 'zod', schema: z.object({ port: z.number() }) },
    { name: 'valibot', schema: v.object({ port: v.number() }) },
    { name: 'a hand-written sync schema', schema: handSchema() },
    { name: 'a hand-written async schema', schema: handSchema(true) },
  ])('works with $name', async ({ schema }) => {
    await expect(validateValue({ port: 80 }, schema)).resolves.toEqual({ port: 80 });
    const err = await expectConfigError(validateValue({ port: 'x' }, schema, { originOf: (p) => (p === 'port' ? file(2, 7) : undefined) }), {
      code: 'validation_failed',
      file: 'config.yaml',
      line: 2,
      column: 7,
      key: 'port',
    });
    expect(err.op).toBe('validate');
    expect(err.issues).toHaveLength(1);
    expect(err.issues![0]).toMatchObject({ path: 'port', origin: file(2, 7) });
  });

  it('reports every issue at once, each with its path, code and origin (V2)', async () => {
    const schema = z.strictObject({
      name: z.string(),
      port: z.number(),
      workers: z.int().max(64),
      mode: z.enum(['dev', 'prod']),
      db: z.object({ host: z.string() }),
    });
    const origins: Record<string, Origin> = {
      '': file(1, 1),
      port: env('APP__PORT'),
      workers: file(3, 10),
      mode: file(4, 7),
      db: file(5, 1),
      databse: file(7, 1),
    };
    const err = await expectConfigError(
      validateValue({ port: 'abc', workers: 100, mode: 'test', db: {}, databse: {} }, schema, { originOf: (p) => origins[p] }),
      { code: 'validation_failed', file: 'config.yaml', line: 1, column: 1 },
    );
    const byPath = Object.fromEntries(err.issues!.map((i) => [i.path, i]));
    expect(Object.keys(byPath).sort()).toEqual(['', 'db.host', 'name', 'port', 'workers', 'mode'].sort());
    expect(byPath.name).toMatchObject({ code: 'invalid_type', origin: file(1, 1) }); // missing: the containing object
    expect(byPath.port).toMatchObject({ code: 'invalid_type', origin: env('APP__PORT') });
    expect(byPath.workers).toMatchObject({ code: 'too_big', origin: file(3, 10) });
    expect(byPath.mode).toMatchObject({ code: 'invalid_value', origin: file(4, 7) });
    expect(byPath['db.host']).toMatchObject({ code: 'invalid_type', origin: file(5, 1) });
    expect(byPath['']).toMatchObject({ code: 'unrecognized_keys' });
    expect(err.context).toEqual({ issueCount: 6 });
    expect(err.message).toMatch(/6 validation issues/);
  });

  it('points at the env var that set a bad value (V1)', async () => {
    const schema = z.object({ server: z.object({ port: z.number() }) });
    const origins: Record<string, Origin> = { server: file(1, 1), 'server.port': env('APP__SERVER__PORT') };
    const err = await expectConfigError(validateValue({ server: { port: 'abc' } }, schema, { originOf: (p) => origins[p] }), {
      code: 'validation_failed',
      source: 'env APP__SERVER__PORT',
      key: 'server.port',
    });
    expect(err.issues![0]!.message).toMatch(/number/);
    expect(err.message).toContain('env APP__SERVER__PORT');
  });

  it('reports framework cross-field issues with their rule codes and origins', async () => {
    const input = {
      llm_providers: [{ name: 'a', provider: 'p', model_name: 'm' }, { name: 'a', provider: 'p', model_name: 'm' }],
      tools: [{ name: 't', provider: 'p' }],
      agents: [{ name: 'h', llm_provider_name: 'b', tool_names: ['t', 'u'] }],
    };
    const origins: Record<string, Origin> = { 'llm_providers.1.name': file(6, 11), agents: file(12, 1) };
    const err = await expectConfigError(validateValue(input, await loadFrameworkSchema(), { originOf: (p) => origins[p], provider: 'file:config.yaml' }), {
      code: 'validation_failed',
      line: 6,
      column: 11,
      key: 'llm_providers.1.name',
    });
    expect(err.provider).toBe('file:config.yaml');
    expect(err.issues!.map((i) => [i.path, i.code, i.origin?.line])).toEqual([
      ['llm_providers.1.name', 'duplicate_name', 6],
      ['agents.0.llm_provider_name', 'unknown_llm_provider', 12],
      ['agents.0.tool_names.1', 'unknown_tool', 12],
    ]);
  });

  it('gives issues without an origin the key as location', async () => {
    const err = await expectConfigError(validateValue({ a: 1 }, z.object({ a: z.string() })), { code: 'validation_failed', key: 'a' });
    expect(err.issues![0]!.origin).toBeUndefined();
  });

  it('ignores an originOf that throws', async () => {
    const originOf = () => {
      throw new TypeError('boom');
    };
    const err = await expectConfigError(validateValue({ a: 1 }, z.object({ a: z.string() }), { originOf }), { code: 'validation_failed' });
    expect(err.issues![0]!.path).toBe('a');
  });

  it('formats odd path segments canonically', async () => {
    const sym = Symbol('s');
    const schema: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'hand',
        validate: () => ({ issues: [{ message: 'bad', path: ['a', 0, { key: 'b.c' }, sym] }, { message: 'root' }] }),
      },
    };
    const err = await expectConfigError(validateValue({}, schema), { code: 'validation_failed' });
    expect(err.issues!.map((i) => i.path)).toEqual(['a.0["b.c"].Symbol(s)', '']);
  });

  describe('secrets (V4)', () => {
    const cases: { name: string; schema: StandardSchemaV1; value: unknown; path: string; absent: string[] }[] = [
      {
        name: 'a number api_key (zod)',
        schema: FrameworkConfigSchema,
        value: { llm_providers: [{ name: 'a', provider: 'p', model_name: 'm', api_key: 12345 }] },
        path: 'llm_providers.0.api_key',
        absent: ['12345', '1234'],
      },
      {
        name: 'a too-short api_key (zod)',
        schema: z.object({ api_key: z.string().min(64) }),
        value: { api_key: CANARY },
        path: 'api_key',
        absent: [CANARY, CANARY.slice(0, 6), String(CANARY.length)],
      },
      {
        name: 'a number apiKey (valibot)',
        schema: v.object({ apiKey: v.string() }),
        value: { apiKey: 12345 },
        path: 'apiKey',
        absent: ['12345', '1234'],
      },
      {
        name: 'a too-short apiKey (valibot)',
        schema: v.object({ apiKey: v.pipe(v.string(), v.minLength(64)) }),
        value: { apiKey: CANARY },
        path: 'apiKey',
        absent: [CANARY, CANARY.slice(0, 6), String(CANARY.length)],
      },
      {
        name: 'a custom rule that echoes the secret at another path',
        schema: z.object({ db: z.object({ password: z.string(), host: z.string() }) }).refine(() => false, {
          message: `host cannot reach with password ${CANARY}`,
          path: ['db', 'host'],
        }),
        value: { db: { password: CANARY, host: 'h' } },
        path: 'db.host',
        absent: [CANARY, CANARY.slice(0, 6)],
      },
      {
        name: 'a hand-written schema that echoes the secret',
        schema: {
          '~standard': { version: 1, vendor: 'hand', validate: (x: unknown) => ({ issues: [{ message: `got ${JSON.stringify(x)}` }] }) },
        },
        value: { token: CANARY },
        path: '',
        absent: [CANARY, CANARY.slice(0, 6)],
      },
    ];

    it.each(cases)('keeps the value, its prefix and length out of every rendering: $name', async ({ schema, value, path, absent }) => {
      const err = await expectConfigError(validateValue(value, schema), { code: 'validation_failed' });
      expect(err.issues!.map((i) => i.path)).toContain(path);
      for (const text of renderings(err)) {
        for (const s of absent) expectNoSecret(text, s);
      }
    });

    it('names the rule in a secret issue', async () => {
      const err = await expectConfigError(validateValue({ api_key: 'short' }, z.object({ api_key: z.string().min(8) })), { code: 'validation_failed' });
      expect(err.issues![0]).toMatchObject({ path: 'api_key', code: 'too_small' });
      expect(err.issues![0]!.message).toContain('8');
      expect(err.issues![0]!.message).not.toMatch(/\b5\b/);
    });

    it('names the rule of a valibot issue too', async () => {
      const schema = v.object({ apiKey: v.pipe(v.string(), v.minLength(8)), token: v.string() });
      const err = await expectConfigError(validateValue({ apiKey: 'short', token: 5 }, schema), { code: 'validation_failed' });
      expect(err.issues!.map((i) => [i.path, i.code])).toEqual([['apiKey', 'min_length'], ['token', 'invalid_type']]);
      expect(err.issues![0]!.message).toContain('>=8');
      expect(err.issues![1]!.message).toContain('expected string');
    });

    it('treats paths marked by the caller as secret', async () => {
      const schema = v.object({ dsn: v.pipe(v.string(), v.minLength(64)) });
      const err = await expectConfigError(validateValue({ dsn: CANARY }, schema, { secretPaths: new Set(['dsn']) }), { code: 'validation_failed' });
      for (const text of renderings(err)) expectNoSecret(text);
      expect(renderings(err).join()).not.toContain(String(CANARY.length));
    });

    it('drops a thrown cause that holds a secret, keeps one that does not', async () => {
      const throwing = (msg: string): StandardSchemaV1 => ({
        '~standard': { version: 1, vendor: 'hand', validate: () => { throw new TypeError(msg); } },
      });
      const leaky = await expectConfigError(validateValue({ api_key: CANARY }, throwing(`bad ${CANARY}`)), { code: 'invalid_parameters' });
      expect(leaky.cause).toBeUndefined();
      const clean = await expectConfigError(validateValue({ api_key: CANARY }, throwing('bad schema')), { code: 'invalid_parameters' });
      expect(clean.cause).toBeInstanceOf(TypeError);
    });
  });

  it('validates a 10,000-item list', async () => {
    const tools = Array.from({ length: 10_000 }, (_, i) => ({ name: `t${i}`, provider: 'p' }));
    const out = await validateValue({ tools }, FrameworkConfigSchema);
    expect(out.tools).toHaveLength(10_000);
  });

  it('reports 10,000 bad items, each with its path and inherited origin', async () => {
    const tools = Array.from({ length: 10_000 }, (_, i) => ({ name: `t${i}` }));
    const err = await expectConfigError(validateValue({ tools }, FrameworkConfigSchema, { originOf: (p) => (p === 'tools' ? file(1, 1) : undefined) }), {
      code: 'validation_failed',
    });
    expect(err.issues).toHaveLength(10_000);
    expect(err.issues![9_999]).toMatchObject({ path: 'tools.9999.provider', origin: file(1, 1) });
  });

  describe('hostile or malformed schemas (V5)', () => {
    const hostile: { name: string; schema: () => unknown }[] = [
      { name: 'null', schema: () => null },
      { name: 'a string', schema: () => 'schema' },
      { name: 'a plain object', schema: () => ({ port: 'number' }) },
      { name: 'a null ~standard', schema: () => ({ '~standard': null }) },
      { name: 'a non-function validate', schema: () => ({ '~standard': { version: 1, validate: 'yes' } }) },
      { name: 'a throwing ~standard getter', schema: () => ({ get '~standard'() { throw new Error('getter'); } }) },
      {
        name: 'a Proxy that throws on every trap',
        schema: () => new Proxy({}, { get() { throw new Error('trap'); }, has() { throw new Error('trap'); } }),
      },
      { name: 'JSON with __proto__', schema: () => JSON.parse('{"__proto__": {"polluted": true}, "~standard": {"validate": 1}}') },
      { name: 'a throwing validate', schema: () => ({ '~standard': { version: 1, validate: () => { throw new RangeError('x'); } } }) },
      { name: 'a rejecting validate', schema: () => ({ '~standard': { version: 1, validate: () => Promise.reject(new Error('x')) } }) },
      { name: 'a null result', schema: () => ({ '~standard': { version: 1, validate: () => null } }) },
      { name: 'a result with neither value nor issues', schema: () => ({ '~standard': { version: 1, validate: () => ({}) } }) },
      { name: 'non-array issues', schema: () => ({ '~standard': { version: 1, validate: () => ({ issues: 'bad' }) } }) },
      {
        name: 'issues with throwing getters',
        schema: () => ({
          '~standard': { version: 1, validate: () => ({ issues: [{ get message() { throw new Error('m'); }, get path() { throw new Error('p'); } }] }) },
        }),
      },
    ];

    it.each(hostile)('rejects $name with invalid_parameters and no pollution', async ({ schema }) => {
      await expectConfigError(validateValue({ a: 1 }, schema() as StandardSchemaV1), { code: 'invalid_parameters' });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('turns an empty issue list into one root issue', async () => {
      const schema: StandardSchemaV1 = { '~standard': { version: 1, vendor: 'hand', validate: () => ({ issues: [] }) } };
      const err = await expectConfigError(validateValue({}, schema), { code: 'validation_failed' });
      expect(err.issues).toHaveLength(1);
    });
  });
});

describe('loadFrameworkSchema', () => {
  it('loads the framework schema once', async () => {
    const a = await loadFrameworkSchema();
    expect(a).toBe(FrameworkConfigSchema);
    expect(await loadFrameworkSchema()).toBe(a);
  });
});

describe('validateConfig', () => {
  it('validates with the framework schema by default', async () => {
    await expect(validateConfig(validFrameworkConfig())).resolves.toBeUndefined();
    await expectConfigError(validateConfig({ agents: [{ name: 'a' }] }), { code: 'validation_failed', key: 'agents.0.llm_provider_name' });
  });

  it('validates with a given schema', async () => {
    await expect(validateConfig({ port: 1 }, v.object({ port: v.number() }))).resolves.toBeUndefined();
    await expectConfigError(validateConfig({ port: '1' }, v.object({ port: v.number() })), { code: 'validation_failed', key: 'port' });
  });
});

describe('setDefaults', () => {
  it('applies the framework defaults synchronously', () => {
    const out = setDefaults({ agents: [{ name: 'a', llm_provider_name: 'p' }] as Record<string, unknown>[] });
    expect(out.agents[0]).toEqual({ name: 'a', llm_provider_name: 'p', max_iterations: 10 });
    expect(out).toEqual(applyFrameworkDefaults({ agents: [{ name: 'a', llm_provider_name: 'p' }] }));
  });
});

describe('schemaTypeAt', () => {
  it.each([
    { path: ['agents', 'helper', 'max_iterations'], kind: 'integer' },
    { path: ['agents', '0', 'max_iterations'], kind: 'integer' },
    { path: ['llm_providers', '0', 'default_call_options', 'temperature'], kind: 'number' },
    { path: ['llm_providers', 'openai', 'default_call_options', 'max_tokens'], kind: 'integer' },
    { path: ['llm_providers', 'openai', 'api_key'], kind: 'string' },
    { path: ['tools', 't', 'enabled'], kind: 'boolean' },
    { path: ['agents', 'helper', 'tool_names'], kind: 'array' },
    { path: ['agents', 'helper', 'settings'], kind: 'object' },
    { path: ['agents'], kind: 'array' },
    { path: ['AGENTS', 'helper', 'MAX_ITERATIONS'], kind: 'integer' },
    { path: ['server', 'port'], kind: undefined },
    { path: ['agents', 'helper', 'unknown_key'], kind: undefined },
  ])('answers $kind for the framework path $path', async ({ path, kind }) => {
    const typeAt = await schemaTypeAt(await loadFrameworkSchema());
    expect(typeAt?.(path)).toBe(kind);
  });

  it('answers for a user zod schema, through wrappers', async () => {
    const schema = z.object({
      server: z.object({ port: z.int().default(8080), host: z.string().optional() }),
      debug: z.boolean().nullable(),
      ratio: z.number().nullish(),
      tags: z.array(z.string()),
      mode: z.enum(['a', 'b']),
      limits: z.record(z.string(), z.number()),
      when: z.date().optional(),
    });
    const typeAt = (await schemaTypeAt(schema))!;
    expect(typeAt(['server', 'port'])).toBe('integer');
    expect(typeAt(['server', 'host'])).toBe('string');
    expect(typeAt(['debug'])).toBe('boolean');
    expect(typeAt(['ratio'])).toBe('number');
    expect(typeAt(['tags', '3'])).toBe('string');
    expect(typeAt(['mode'])).toBe('string');
    expect(typeAt(['limits', 'anything'])).toBe('number');
    expect(typeAt(['when'])).toBeUndefined();
    expect(typeAt(['nope'])).toBeUndefined();
  });

  it('resolves undefined for schemas it cannot introspect', async () => {
    expect(await schemaTypeAt(v.object({ port: v.number() }))).toBeUndefined();
    expect(await schemaTypeAt(handSchema())).toBeUndefined();
    const throwing = { '~standard': { version: 1, vendor: 'x', validate: () => ({ value: 1 }), jsonSchema: { input: () => { throw new Error('no'); }, output: () => ({}) } } };
    expect(await schemaTypeAt(throwing as StandardSchemaV1)).toBeUndefined();
    expect(await schemaTypeAt(null as unknown as StandardSchemaV1)).toBeUndefined();
  });

  it('is memoised per schema', async () => {
    const schema = z.object({ a: z.number() });
    expect(await schemaTypeAt(schema)).toBe(await schemaTypeAt(schema));
  });
});

describe('typeAtFromJsonSchema', () => {
  it('follows local $refs, prefixItems and patternProperties, and survives ref cycles', () => {
    const typeAt = typeAtFromJsonSchema({
      $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' }, value: { type: 'integer' } } }, loop: { $ref: '#/$defs/loop' } },
      type: 'object',
      properties: {
        list: { $ref: '#/$defs/node' },
        pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'boolean' }], items: { type: 'number' } },
        env: { type: 'object', patternProperties: { '^[A-Z]+$': { type: 'string' } } },
        loop: { $ref: '#/$defs/loop' },
        either: { oneOf: [{ type: 'null' }, { type: ['null', 'boolean'] }] },
      },
    })!;
    expect(typeAt(['list', 'next', 'next', 'value'])).toBe('integer');
    expect(typeAt(['pair', '0'])).toBe('string');
    expect(typeAt(['pair', '1'])).toBe('boolean');
    expect(typeAt(['pair', '5'])).toBe('number');
    expect(typeAt(['env', 'HOME'])).toBe('string');
    expect(typeAt(['env', 'home'])).toBeUndefined();
    expect(typeAt(['loop'])).toBeUndefined();
    expect(typeAt(['either'])).toBe('boolean');
  });

  it('returns undefined for a non-object', () => {
    expect(typeAtFromJsonSchema(true)).toBeUndefined();
  });
});
