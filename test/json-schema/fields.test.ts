import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { schemaFields, secretPathsOf, secretPatterns } from '../../src/core/json-schema/fields.js';
import { frameworkPreset } from '../../src/presets/framework/preset.js';
import { jsonSchemaOf } from '../../src/core/json-schema/of-schema.js';
import { declaredDepth } from '../../src/core/json-schema/walk.js';

const App = z.object({
  server: z.object({ port: z.int().default(8080).describe('TCP port'), host: z.string() }).optional(),
  db: z.object({ url: z.string().meta({ secret: true }), pool: z.number().optional() }),
  features: z.record(z.string(), z.boolean()).default({}),
  tags: z.array(z.string()).default([]),
  providers: z.array(z.object({ name: z.string(), auth: z.object({ token_value: z.string(), user: z.string() }).meta({ secret: true }) })).default([]),
  level: z.enum(['debug', 'info']).default('info'),
  note: z.string().nullable().optional(),
});
const json = jsonSchemaOf(App)!;

describe('schemaFields', () => {
  it('lists every key path with * for list items and record keys, in declaration order', () => {
    expect(schemaFields(json).fields.map((f) => f.path)).toEqual([
      'server', 'server.port', 'server.host', 'db', 'db.url', 'db.pool', 'features', 'features.*', 'tags',
      'providers', 'providers.*.name', 'providers.*.auth', 'providers.*.auth.token_value', 'providers.*.auth.user', 'level', 'note',
    ]);
  });

  it('gives type, default, required, description and leaf for each field', () => {
    const byPath = new Map(schemaFields(json).fields.map((f) => [f.path, f]));
    expect(byPath.get('server.port')).toMatchObject({ type: 'integer', hasDefault: true, default: 8080, required: false, description: 'TCP port', leaf: true, secret: false });
    expect(byPath.get('server.host')).toMatchObject({ type: 'string', required: true, hasDefault: false });
    expect(byPath.get('db')).toMatchObject({ type: 'object', required: true, leaf: false });
    expect(byPath.get('features')).toMatchObject({ type: 'map of boolean', leaf: false });
    expect(byPath.get('tags')).toMatchObject({ type: 'list of string', leaf: true });
    expect(byPath.get('level')).toMatchObject({ type: '"debug" | "info"', default: 'info' });
    expect(byPath.get('note')).toMatchObject({ type: 'string | null', required: false });
  });

  it('marks secret fields and everything below a secret object', () => {
    const secret = schemaFields(json).fields.filter((f) => f.secret).map((f) => f.path);
    expect(secret).toEqual(['db.url', 'providers.*.auth', 'providers.*.auth.token_value', 'providers.*.auth.user']);
  });

  it('stops at a recursive $ref and at the field bound', () => {
    const recursive = { type: 'object', properties: { child: { $ref: '#' }, name: { type: 'string' } } };
    const { fields } = schemaFields(recursive);
    expect(fields.length).toBeLessThan(100);
    expect(schemaFields(json, { maxFields: 3 })).toMatchObject({ truncated: true });
    expect(schemaFields(json, { maxFields: 3 }).fields).toHaveLength(3);
  });

  it('answers nothing for a value that is not a JSON Schema', () => {
    expect(schemaFields(undefined)).toEqual({ fields: [], truncated: false });
    expect(schemaFields([1, 2])).toEqual({ fields: [], truncated: false });
  });
});

describe('secretPatterns', () => {
  it('gives the outermost secret marks as dotted patterns', () => {
    expect([...secretPatterns(json)]).toEqual(['db.url', 'providers.*.auth']);
  });
});

describe('jsonSchemaOf', () => {
  it('is memoised per schema and undefined for a schema without a converter (valibot)', () => {
    expect(jsonSchemaOf(App)).toBe(json);
    expect(jsonSchemaOf(v.object({ a: v.string() }))).toBeUndefined();
  });
});

describe('declaredDepth', () => {
  it.each([
    [['server', 'port'], true, 2],
    [['SERVER', 'PORT'], true, 2],
    [['servr', 'port'], false, 0],
    [['server', 'prot'], false, 1],
    [['server', 'port', 'x'], false, 2],
    [['features', 'anything'], true, 2],
    [['providers', 'openai', 'auth', 'token_value'], true, 4],
    [['providers', '3', 'nme'], false, 2],
    [['tags', '0'], true, 2],
  ] as const)('%j declared %s (depth %i)', (segments, declared, depth) => {
    expect(declaredDepth(json as Record<string, unknown>, segments)).toEqual({ declared, depth });
  });

  it('does not declare the extra keys of a loose object, but every key of a shapeless one', () => {
    const loose = jsonSchemaOf(z.looseObject({ a: z.string(), free: z.looseObject({}), any: z.unknown() }))! as Record<string, unknown>;
    expect(declaredDepth(loose, ['b']).declared).toBe(false);
    expect(declaredDepth(loose, ['free', 'x', 'y']).declared).toBe(true);
    expect(declaredDepth(loose, ['any', 'x']).declared).toBe(true);
  });
});

describe('secretPathsOf', () => {
  it('walks the JSON Schema of a schema that declares no list', () => {
    expect([...secretPathsOf(App)]).toEqual([...secretPatterns(json)]);
    expect(secretPathsOf(App).has('db.url')).toBe(true);
  });

  it("takes a schema's declared '~confstack'.secretPaths instead of walking its JSON Schema", () => {
    const declared = Object.assign(Object.create(App) as typeof App, { '~confstack': { secretPaths: ['only.this'] } });
    expect([...secretPathsOf(declared)]).toEqual(['only.this']);
  });

  it('falls back to the JSON Schema when the declared list is not a list of strings', () => {
    const odd = Object.assign(Object.create(App) as typeof App, { '~confstack': { secretPaths: [1, 2] } });
    expect([...secretPathsOf(odd)]).toEqual([...secretPatterns(json)]);
  });

  it("the framework preset's generated list is what its JSON Schema marks", () => {
    const declared = (frameworkPreset['~confstack'] as { secretPaths?: readonly string[] }).secretPaths;
    expect(declared).toEqual([...secretPatterns(jsonSchemaOf(frameworkPreset))]);
    expect(declared).toContain('llm_providers.*.api_key');
  });

  it('is empty for a schema with neither', () => {
    expect(secretPathsOf({ '~standard': { version: 1, vendor: 'x', validate: (v: unknown) => ({ value: v }) } }).size).toBe(0);
  });
});
