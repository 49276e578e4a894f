/**
 * frameworkPreset (the zod-free framework validator the loader uses by default, its checker
 * generated from the zod schema by scripts/gen-framework-check.ts) against the zod schema: on generated valid configurations and on the same ones broken by random
 * mutations, both must agree on success, on the output (defaults applied, unknown keys kept, key
 * order included) and on every issue (path, code, message and the rule's fields, in order).
 * Then each rule on its own, the preset's value kinds against schemaTypeAt(FrameworkConfigSchema),
 * and the generator: the committed file is what it generates now, and it refuses what it cannot mirror.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/presets/framework/api.js';
import { envProvider } from '../../src/providers/env.js';
import { memoryProvider } from '../../src/providers/memory.js';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { generate } from '../../scripts/gen-framework-check.js';
import { validateConfig } from '../../src/presets/framework/api.js';
import { frameworkPreset } from '../../src/presets/framework/preset.js';
import { FrameworkSnapshot } from '../../src/presets/framework/snapshot.js';
import { FrameworkConfigSchema, frameworkJsonSchema } from '../../src/presets/framework/schema.js';
import { schemaTypeAt } from '../../src/core/validate.js';
import { propertyRuns, propertyTimeout } from '../property/runs.js';
import { validFrameworkConfig } from './framework-fixture.js';

const zodValidate = FrameworkConfigSchema['~standard'].validate;
const frameworkCheck = frameworkPreset;
const check = frameworkCheck['~standard'].validate;
/** The preset's value kinds (from its generated JSON Schema), as env coercion uses them. */
const frameworkTypeAt = (await schemaTypeAt(frameworkPreset))!;

type Result = { value?: unknown; issues?: readonly unknown[] };

function both(input: unknown): { zod: Result; mine: Result } {
  const zod = zodValidate(input);
  if (zod instanceof Promise) throw new Error('the zod schema went async');
  const mine = check(input);
  if (mine instanceof Promise) throw new Error('frameworkCheck went async');
  return { zod, mine };
}

/** Every object's keys in order, depth first: toStrictEqual ignores key order, the CLI's output does not. */
function keyOrder(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => keyOrder(x, out));
  else if (v !== null && typeof v === 'object') {
    out.push(Object.keys(v).join(','));
    for (const k of Object.keys(v)) keyOrder((v as Record<string, unknown>)[k], out);
  }
  return out;
}

/**
 * Node's deep strict equality (prototypes, own keys, undefined values, NaN equal to itself); on a
 * difference, vitest's diff. Not toStrictEqual alone: it compares an own `constructor` key as the
 * class, so two equal objects with `constructor: NaN` differ.
 */
function expectDeepSame(actual: unknown, expected: unknown): void {
  if (isDeepStrictEqual(actual, expected)) return;
  expect(actual).toStrictEqual(expected);
  throw new Error('the values differ in prototypes or property attributes');
}

function expectSame(input: unknown): { zod: Result; mine: Result } {
  const r = both(input);
  expect(r.mine.issues === undefined).toBe(r.zod.issues === undefined);
  if (r.zod.issues) expectDeepSame(r.mine.issues, r.zod.issues);
  else {
    expectDeepSame(r.mine.value, r.zod.value);
    expect(keyOrder(r.mine.value)).toEqual(keyOrder(r.zod.value));
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Generated configurations.

const nonBlank = fc.string({ minLength: 1, maxLength: 10 }).filter((s) => /\S/.test(s));
const anyString = fc.string({ maxLength: 10 });
const url = fc.oneof(
  fc.webUrl(),
  fc.constantFrom('http://localhost:11434', ' https://api.example.com/v1 ', 'HTTPS://EXAMPLE.COM', 'https://a.example/p\tath', 'http://[::1]:8080/'),
);
const freeForm = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
/** Keys the schema does not declare, some of them names that objects inherit. */
const extras = fc.dictionary(fc.constantFrom('x_note', 'x-flag', 'constructor', 'toString', '0', '__proto__'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 });
const positiveInt = fc.integer({ min: 1, max: 1_000_000 });

function withExtras<T extends object>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.tuple(arb, extras).map(([item, x]) => ({ ...x, ...item }));
}

function uniqueByName<T extends { name: string }>(arb: fc.Arbitrary<T>): fc.Arbitrary<T[]> {
  return fc.uniqueArray(withExtras(arb), { selector: (i) => i.name, maxLength: 4 });
}

const llmProviders = uniqueByName(
  fc.record(
    {
      name: nonBlank,
      provider: nonBlank,
      model_name: nonBlank,
      api_key: nonBlank,
      base_url: url,
      default_call_options: fc.record(
        { temperature: fc.double({ noNaN: true, noDefaultInfinity: true }), max_tokens: positiveInt, top_p: fc.double({ min: 0, max: 1, noNaN: true }) },
        { requiredKeys: [] },
      ),
      provider_specific: freeForm,
    },
    { requiredKeys: ['name', 'provider', 'model_name'] },
  ),
);
const embeddingProviders = uniqueByName(
  fc.record(
    { name: nonBlank, provider: nonBlank, model_name: nonBlank, api_key: nonBlank, base_url: url, provider_specific: freeForm },
    { requiredKeys: ['name', 'provider', 'model_name', 'api_key'] },
  ),
);
const vectorStores = uniqueByName(
  fc.record({ name: nonBlank, provider: nonBlank, connection_string: nonBlank, provider_specific: freeForm }, { requiredKeys: ['name', 'provider'] }),
);
const tools = uniqueByName(
  fc.record({ name: nonBlank, provider: nonBlank, description: anyString, enabled: fc.boolean(), config: freeForm }, { requiredKeys: ['name', 'provider'] }),
);

function agents(llmNames: string[], toolNames: string[]): fc.Arbitrary<Record<string, unknown>[]> {
  if (llmNames.length === 0) return fc.constant([]);
  return uniqueByName(
    fc.record(
      {
        name: nonBlank,
        llm_provider_name: fc.constantFrom(...llmNames),
        llm_provider_config_name: anyString,
        tool_names: toolNames.length > 0 ? fc.array(fc.constantFrom(...toolNames), { maxLength: 3 }) : fc.constant([]),
        memory_provider_name: anyString,
        memory_type: anyString,
        memory_config_name: anyString,
        max_iterations: positiveInt,
        settings: freeForm,
        prompt_template: anyString,
        output_parser: anyString,
        agent_type: anyString,
        agent_specific_config: freeForm,
      },
      { requiredKeys: ['name', 'llm_provider_name'] },
    ),
  );
}

/** A valid framework configuration: unique names, references that resolve, any list may be absent. */
const validConfig: fc.Arbitrary<Record<string, unknown>> = fc
  .record({ llm_providers: llmProviders, embedding_providers: embeddingProviders, vector_stores: vectorStores, tools, server: freeForm }, { requiredKeys: [] })
  .chain((root) =>
    agents((root.llm_providers ?? []).map((p) => p.name), (root.tools ?? []).map((t) => t.name)).chain((list) =>
      fc.boolean().map((withAgents): Record<string, unknown> => (withAgents || list.length > 0 ? { ...root, agents: list } : { ...root })),
    ),
  );

class Endpoint {
  host = 'db';
}

/** Values that break some rule wherever they land (and a few that are fine in some places). */
const BAD_VALUES: readonly unknown[] = [
  0, 1, -1, 1.5, -0.5, 1e300, -1e300, 2 ** 53, -(2 ** 53), NaN, Infinity, -Infinity,
  '', ' ', '\t\n', 'x', 'ftp://host', 'http:host', 'https://', 'not a url', ' https://ok.example/ ', 'https://exa\nmple.com', 'mailto:a@b.c',
  true, false, null, undefined, [], ['x'], [1, ''], {}, { name: 'n' },
  new Map(), Object.create(null), new Date(0), new Endpoint(),
];

const DECLARED_KEYS = [
  'llm_providers', 'embedding_providers', 'vector_stores', 'tools', 'agents',
  'name', 'provider', 'model_name', 'api_key', 'base_url', 'default_call_options', 'temperature', 'max_tokens', 'provider_specific',
  'connection_string', 'description', 'enabled', 'config',
  'llm_provider_name', 'llm_provider_config_name', 'tool_names', 'memory_provider_name', 'memory_type', 'memory_config_name',
  'max_iterations', 'settings', 'prompt_template', 'output_parser', 'agent_type', 'agent_specific_config',
];

type Container = Record<string, unknown> | unknown[];
type Mutation = { kind: 'replace' | 'delete' | 'setKey' | 'duplicate' | 'dangle' | 'root'; pick: number; value: unknown; key: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'replace', 'replace', 'delete', 'setKey', 'setKey', 'duplicate', 'dangle', 'root'),
  pick: fc.nat(),
  value: fc.constantFrom(...BAD_VALUES),
  key: fc.constantFrom(...DECLARED_KEYS, '__proto__'),
});

/** Every (container, key) in the tree, depth first; containers only from plain data. */
function slots(root: unknown): [Container, string | number][] {
  const out: [Container, string | number][] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), walk(x)));
    else if (isPlain(v)) {
      for (const k of Object.keys(v)) out.push([v as Record<string, unknown>, k]), walk((v as Record<string, unknown>)[k]);
    }
  };
  walk(root);
  return out;
}

const isPlain = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** The tree's plain objects (never a shared BAD_VALUES instance such as the Map). */
function plainObjects(root: unknown): Record<string, unknown>[] {
  const out = isPlain(root) ? [root] : [];
  for (const [c, k] of slots(root)) {
    const v = (c as Record<string, unknown>)[k as string];
    if (isPlain(v)) out.push(v);
  }
  return out;
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy of a plain object or list from BAD_VALUES, so a later mutation cannot change the shared one. */
function fresh(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const proto: unknown = Object.getPrototypeOf(v);
  return Array.isArray(v) || proto === Object.prototype || proto === null ? snapshot(v) : v;
}

function mutate(root: unknown, m: Mutation): unknown {
  const value = fresh(m.value);
  if (m.kind === 'root') return value;
  if (root === null || typeof root !== 'object') return root;
  const all = slots(root);
  switch (m.kind) {
    case 'replace':
    case 'delete': {
      if (all.length === 0) return root;
      const [c, k] = all[m.pick % all.length]!;
      if (m.kind === 'replace') (c as Record<string | number, unknown>)[k] = value;
      else delete (c as Record<string | number, unknown>)[k]; // a hole, in a list
      return root;
    }
    case 'setKey': {
      const objs = plainObjects(root);
      if (objs.length === 0) return root;
      setOwn(objs[m.pick % objs.length]!, m.key, value);
      return root;
    }
    case 'duplicate': {
      const lists = (isPlain(root) ? Object.values(root) : []).filter((v): v is unknown[] => Array.isArray(v) && v.length > 0);
      if (lists.length === 0) return root;
      const list = lists[m.pick % lists.length]!;
      list.push(structuredClone(list[m.pick % list.length]));
      return root;
    }
    case 'dangle': {
      const list = isPlain(root) ? root.agents : undefined;
      if (!Array.isArray(list) || list.length === 0) return root;
      const agent = list[m.pick % list.length] as Record<string, unknown> | null;
      if (agent === null || typeof agent !== 'object') return root;
      if (m.pick % 2 === 0) agent.llm_provider_name = 'missing-llm';
      else if (Array.isArray(agent.tool_names)) agent.tool_names.push('missing-tool');
      else agent.tool_names = ['missing-tool'];
      return root;
    }
  }
}

const brokenConfig = fc.tuple(validConfig, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([valid, ms]) => {
  let root: unknown = structuredClone(valid);
  for (const m of ms) root = mutate(root, m);
  return root;
});

/** A deep copy that keeps prototypes (fast-check makes some maps with a null one). */
function snapshot(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snapshot);
  if (v === null || typeof v !== 'object') return v;
  const out = Object.create(Object.getPrototypeOf(v) as object | null) as Record<string, unknown>;
  for (const k of Object.keys(v)) setOwn(out, k, snapshot((v as Record<string, unknown>)[k]));
  return out;
}

const VALID_RUNS = propertyRuns(300);
const BROKEN_RUNS = propertyRuns(2000);

describe('frameworkCheck parity with FrameworkConfigSchema', () => {
  it(
    'accepts every valid configuration with the same output, a fresh copy, the input untouched',
    () => {
      fc.assert(
        fc.property(validConfig, (input) => {
          const before = snapshot(input);
          const { mine } = expectSame(input);
          expect(mine.issues).toBeUndefined();
          expect(isDeepStrictEqual(input, before)).toBe(true);
          const out = mine.value as Record<string, unknown>;
          expect(out).not.toBe(input);
          for (const list of ['llm_providers', 'tools', 'agents']) if (input[list] !== undefined) expect(out[list]).not.toBe(input[list]);
        }),
        { numRuns: VALID_RUNS },
      );
    },
    propertyTimeout(VALID_RUNS),
  );

  it(
    'agrees on broken configurations: wrong types, missing and blank fields, bad URLs and numbers, nulls, duplicates, dangling references',
    () => {
      let failures = 0;
      fc.assert(
        fc.property(brokenConfig, (input) => {
          if (expectSame(input).zod.issues) failures++;
        }),
        { numRuns: BROKEN_RUNS },
      );
      // the mutations must mostly break the configuration, or the property proves little
      expect(failures).toBeGreaterThan(BROKEN_RUNS / 2);
    },
    propertyTimeout(BROKEN_RUNS),
  );

  it('agrees on the shared fixture and on it broken everywhere at once', () => {
    expectSame(validFrameworkConfig());
    const broken = validFrameworkConfig() as Record<string, Record<string, unknown>[]>;
    broken.llm_providers![0]!.base_url = 'ftp://x';
    broken.llm_providers![1]!.default_call_options = { temperature: NaN, max_tokens: 0.5 };
    broken.tools![1]!.name = 'web-search';
    broken.agents![0]!.tool_names = ['nope', 7, ''];
    broken.agents![1]!.max_iterations = -1e300;
    const { mine } = expectSame(broken);
    expect(mine.issues!.length).toBeGreaterThanOrEqual(7);
  });
});

// ---------------------------------------------------------------------------------------------
// Each rule on its own.

const llm = (extra: Record<string, unknown> = {}) => ({ name: 'p', provider: 'openai', model_name: 'm', ...extra });
const agent = (extra: Record<string, unknown> = {}) => ({ name: 'a', llm_provider_name: 'p', ...extra });

type Case = { name: string; input: unknown; path: (string | number)[]; code: string; message: string };

const CASES: Case[] = [
  { name: 'a root that is not an object', input: ['x'], path: [], code: 'invalid_type', message: 'Invalid input: expected object, received array' },
  { name: 'an undefined root', input: undefined, path: [], code: 'invalid_type', message: 'Invalid input: expected object, received undefined' },
  { name: 'a list that is not an array', input: { tools: { a: 1 } }, path: ['tools'], code: 'invalid_type', message: 'Invalid input: expected array, received object' },
  { name: 'a null list', input: { agents: null }, path: ['agents'], code: 'invalid_type', message: 'Invalid input: expected array, received null' },
  { name: 'a list item that is not an object', input: { vector_stores: ['pg'] }, path: ['vector_stores', 0], code: 'invalid_type', message: 'Invalid input: expected object, received string' },
  { name: 'a missing required field', input: { llm_providers: [{ name: 'p', provider: 'o' }] }, path: ['llm_providers', 0, 'model_name'], code: 'invalid_type', message: 'Invalid input: expected string, received undefined' },
  { name: 'a required field of the wrong type', input: { tools: [{ name: 5, provider: 'b' }] }, path: ['tools', 0, 'name'], code: 'invalid_type', message: 'Invalid input: expected string, received number' },
  { name: 'a blank required field', input: { vector_stores: [{ name: 'v', provider: ' \t' }] }, path: ['vector_stores', 0, 'provider'], code: 'invalid_format', message: 'must not be empty' },
  { name: 'a blank secret', input: { embedding_providers: [{ name: 'e', provider: 'o', model_name: 'm', api_key: '' }] }, path: ['embedding_providers', 0, 'api_key'], code: 'invalid_format', message: 'must not be empty' },
  { name: 'a null optional field', input: { llm_providers: [llm({ api_key: null })] }, path: ['llm_providers', 0, 'api_key'], code: 'invalid_type', message: 'Invalid input: expected string, received null' },
  { name: 'a URL with another scheme', input: { llm_providers: [llm({ base_url: 'ftp://x.example' })] }, path: ['llm_providers', 0, 'base_url'], code: 'invalid_format', message: 'must be an http or https URL' },
  { name: 'an http URL that does not parse', input: { llm_providers: [llm({ base_url: 'https://' })] }, path: ['llm_providers', 0, 'base_url'], code: 'invalid_format', message: 'must be an http or https URL' },
  { name: 'a URL that is not a string', input: { llm_providers: [llm({ base_url: 8080 })] }, path: ['llm_providers', 0, 'base_url'], code: 'invalid_type', message: 'must be an http or https URL' },
  { name: 'call options that are not an object', input: { llm_providers: [llm({ default_call_options: null })] }, path: ['llm_providers', 0, 'default_call_options'], code: 'invalid_type', message: 'Invalid input: expected object, received null' },
  { name: 'a NaN temperature', input: { llm_providers: [llm({ default_call_options: { temperature: NaN } })] }, path: ['llm_providers', 0, 'default_call_options', 'temperature'], code: 'invalid_type', message: 'Invalid input: expected number, received NaN' },
  { name: 'an infinite max_tokens', input: { llm_providers: [llm({ default_call_options: { max_tokens: Infinity } })] }, path: ['llm_providers', 0, 'default_call_options', 'max_tokens'], code: 'invalid_type', message: 'Invalid input: expected number, received Infinity' },
  { name: 'a fractional max_tokens', input: { llm_providers: [llm({ default_call_options: { max_tokens: 2.5 } })] }, path: ['llm_providers', 0, 'default_call_options', 'max_tokens'], code: 'invalid_type', message: 'Invalid input: expected int, received number' },
  { name: 'a zero max_tokens', input: { llm_providers: [llm({ default_call_options: { max_tokens: 0 } })] }, path: ['llm_providers', 0, 'default_call_options', 'max_tokens'], code: 'too_small', message: 'Too small: expected number to be >=1' },
  { name: 'an unsafe max_iterations', input: { llm_providers: [llm()], agents: [agent({ max_iterations: 2 ** 60 })] }, path: ['agents', 0, 'max_iterations'], code: 'too_big', message: 'Too big: expected int to be <=9007199254740991' },
  { name: 'a string max_iterations', input: { llm_providers: [llm()], agents: [agent({ max_iterations: '25' })] }, path: ['agents', 0, 'max_iterations'], code: 'invalid_type', message: 'Invalid input: expected number, received string' },
  { name: 'a string enabled', input: { tools: [{ name: 't', provider: 'b', enabled: 'yes' }] }, path: ['tools', 0, 'enabled'], code: 'invalid_type', message: 'Invalid input: expected boolean, received string' },
  { name: 'tool_names that is not a list', input: { llm_providers: [llm()], agents: [agent({ tool_names: 'web' })] }, path: ['agents', 0, 'tool_names'], code: 'invalid_type', message: 'Invalid input: expected array, received string' },
  { name: 'a blank tool name', input: { llm_providers: [llm()], agents: [agent({ tool_names: [' '] })] }, path: ['agents', 0, 'tool_names', 0], code: 'invalid_format', message: 'must not be empty' },
  { name: 'a free-form map that is a list', input: { tools: [{ name: 't', provider: 'b', config: [1] }] }, path: ['tools', 0, 'config'], code: 'invalid_type', message: 'Invalid input: expected object, received array' },
  { name: 'a free-form map that is a Map', input: { vector_stores: [{ name: 'v', provider: 'p', provider_specific: 'x' }] }, path: ['vector_stores', 0, 'provider_specific'], code: 'invalid_type', message: 'Invalid input: expected object, received string' },
  { name: 'an optional string of the wrong type', input: { llm_providers: [llm()], agents: [agent({ prompt_template: 3 })] }, path: ['agents', 0, 'prompt_template'], code: 'invalid_type', message: 'Invalid input: expected string, received number' },
  { name: 'a class instance where a list belongs', input: { tools: new Map() }, path: ['tools'], code: 'invalid_type', message: 'Invalid input: expected array, received Map' },
  { name: 'a duplicate name', input: { tools: [{ name: 't', provider: 'a' }, { name: 't', provider: 'b' }] }, path: ['tools', 1, 'name'], code: 'custom', message: 'duplicate name "t" (first used at tools.0)' },
  { name: 'a dangling LLM provider', input: { agents: [agent({ llm_provider_name: 'gone' })] }, path: ['agents', 0, 'llm_provider_name'], code: 'custom', message: 'no LLM provider named "gone" in llm_providers' },
  { name: 'a dangling tool', input: { llm_providers: [llm()], agents: [agent({ tool_names: ['gone'] })] }, path: ['agents', 0, 'tool_names', 0], code: 'custom', message: 'no tool named "gone" in tools' },
];

describe('frameworkCheck rules', () => {
  it.each(CASES)('reports $name like zod', ({ input, path, code, message }) => {
    const { mine } = expectSame(input);
    expect(mine.issues).toHaveLength(1);
    expect(mine.issues![0]).toMatchObject({ path, code, message });
  });

  it('reports an unsafe negative integer and then the minimum, like zod', () => {
    const { mine } = expectSame({ llm_providers: [llm()], agents: [agent({ max_iterations: -1e300 })] });
    expect(mine.issues!.map((i) => (i as { code: string }).code)).toEqual(['too_small', 'too_small']);
  });

  it('reports shape issues first and cross-field issues after them, all at once', () => {
    const { mine } = expectSame({ tools: [{ name: 't', provider: 'a' }, { name: 't' }], agents: [agent({ llm_provider_name: 'gone', max_iterations: 0 })] });
    expect(mine.issues!.map((i) => (i as { path: unknown[] }).path.join('.'))).toEqual([
      'tools.1.provider',
      'agents.0.max_iterations',
      'tools.1.name',
      'agents.0.llm_provider_name',
    ]);
  });

  it('applies every default and keeps unknown keys at each level', () => {
    const { mine } = expectSame({
      llm_providers: [llm({ default_call_options: { top_p: 0.5 }, extra: 1 })],
      tools: [{ name: 't', provider: 'b' }],
      agents: [agent()],
      server: { port: 8080 },
    });
    expect(mine.value).toStrictEqual({
      llm_providers: [{ ...llm(), default_call_options: { temperature: 0.7, max_tokens: 1000, top_p: 0.5 }, extra: 1 }],
      embedding_providers: [],
      vector_stores: [],
      tools: [{ name: 't', provider: 'b', enabled: true }],
      agents: [{ ...agent(), max_iterations: 10 }],
      server: { port: 8080 },
    });
  });

  it('fills in default_call_options when absent, and does not share defaults between results', () => {
    const a = check({ llm_providers: [llm()] }) as { value: { llm_providers: { default_call_options: Record<string, unknown> }[]; tools: unknown[] } };
    expect(a.value.llm_providers[0]!.default_call_options).toEqual({ temperature: 0.7, max_tokens: 1000 });
    a.value.tools.push('x');
    expect((check({}) as { value: { tools: unknown[] } }).value.tools).toEqual([]);
  });

  it('trims a URL and drops the tabs and line breaks the URL parser ignores, like zod', () => {
    const { mine } = expectSame({ llm_providers: [llm({ base_url: '  https://api.exa\tmple.com/v1\n ' })] });
    expect((mine.value as { llm_providers: { base_url: string }[] }).llm_providers[0]!.base_url).toBe('https://api.example.com/v1');
  });

  it('keeps a key present as undefined, and does not copy a __proto__ key', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "tools": [{"name": "t", "provider": "b", "config": {"__proto__": {"x": 1}, "k": 1}}]}') as Record<string, unknown>;
    (input.tools as Record<string, unknown>[])[0]!.description = undefined;
    const { mine } = expectSame(input);
    const out = mine.value as { tools: Record<string, unknown>[] };
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out.tools[0]!, 'description')).toBe(true);
    expect(out.tools[0]!.config).toStrictEqual({ k: 1 });
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('is a synchronous Standard Schema with its own vendor', () => {
    expect(frameworkCheck['~standard'].version).toBe(1);
    expect(frameworkCheck['~standard'].vendor).toBe('confstack');
    expect(check({})).not.toBeInstanceOf(Promise);
    expect(frameworkCheck['~confstack'].snapshot).toBe(FrameworkSnapshot);
  });

  it('is what loadConfig and validateConfig use by default, with the same error', async () => {
    const bad = { llm_providers: [llm({ default_call_options: { max_tokens: 0 } })], agents: [agent({ llm_provider_name: 'gone' })] };
    const viaDefault = await loadConfig({ sources: [memoryProvider(bad)] }).catch((e: unknown) => e);
    const viaZod = await loadConfig({ sources: [memoryProvider(bad)], schema: FrameworkConfigSchema }).catch((e: unknown) => e);
    expect(viaDefault).toMatchObject({ code: 'validation_failed' });
    expect((viaDefault as { issues: unknown }).issues).toStrictEqual((viaZod as { issues: unknown }).issues);
    expect((viaDefault as Error).message).toBe((viaZod as Error).message);
    const withoutOrigins = (viaZod as { issues: Record<string, unknown>[] }).issues.map(({ origin: _, ...rest }) => rest);
    await expect(validateConfig(bad)).rejects.toMatchObject({ code: 'validation_failed', issues: withoutOrigins });
  });
});

// ---------------------------------------------------------------------------------------------
// Value kinds for env coercion.

/** Every path the JSON Schema defines (list items as an index and as a name), then variants. */
function schemaPaths(): string[][] {
  const out: string[][] = [[]];
  const walk = (node: Record<string, unknown>, path: string[]): void => {
    const props = node.properties as Record<string, Record<string, unknown>> | undefined;
    for (const [k, sub] of Object.entries(props ?? {})) {
      out.push([...path, k], [...path, k.toUpperCase()], [...path, k, 'unknown_key'], [...path, k, 'x', 'y']);
      walk(sub, [...path, k]);
    }
    const items = node.items as Record<string, unknown> | undefined;
    if (items) {
      for (const seg of ['0', 'helper', 'NAME']) out.push([...path, seg]), walk(items, [...path, seg]);
    }
  };
  walk(frameworkJsonSchema(), []);
  out.push(['server'], ['server', 'port'], ['__proto__'], ['constructor'], ['agents', 'a', 'constructor'], ['AGENTS', 'helper', 'MAX_ITERATIONS'], ['']);
  return out;
}

describe('frameworkPreset value kinds', () => {
  it('answers like schemaTypeAt(FrameworkConfigSchema) on every path the schema defines', async () => {
    const zodTypeAt = (await schemaTypeAt(FrameworkConfigSchema))!;
    const paths = schemaPaths();
    expect(paths.length).toBeGreaterThan(400);
    const differ = paths.filter((p) => frameworkTypeAt(p) !== zodTypeAt(p));
    expect(differ).toEqual([]);
    expect(paths.filter((p) => frameworkTypeAt(p) === 'integer').length).toBeGreaterThan(0);
  });

  it.each([
    { path: ['agents', 'helper', 'max_iterations'], kind: 'integer' },
    { path: ['LLM_PROVIDERS', 'openai', 'DEFAULT_CALL_OPTIONS', 'TEMPERATURE'], kind: 'number' },
    { path: ['tools', 't', 'enabled'], kind: 'boolean' },
    { path: ['agents', 'helper', 'tool_names', '0'], kind: 'string' },
    { path: ['agents', 'helper', 'settings'], kind: 'object' },
    { path: ['agents', 'helper', 'settings', 'verbose'], kind: undefined },
    { path: ['server', 'port'], kind: undefined },
    { path: [], kind: 'object' },
  ])('answers $kind at $path', ({ path, kind }) => {
    expect(frameworkTypeAt(path)).toBe(kind);
  });

  it('is what a default load coerces env values with', async () => {
    const config = await loadConfig({
      sources: [
        envProvider({ prefix: 'APP', env: { APP_AGENTS__HELPER__MAX_ITERATIONS: '25', APP_TOOLS__T__ENABLED: 'false' } }),
        memoryProvider({ llm_providers: [llm()], tools: [{ name: 't', provider: 'b' }], agents: [agent({ name: 'helper' })] }),
      ],
    });
    expect(config.getAgentConfig('helper').max_iterations).toBe(25);
    expect(config.getToolConfig('t').enabled).toBe(false);
  });
});

describe('scripts/gen-framework-check.ts', () => {
  it('generates exactly the committed check.generated.ts from the zod schema', () => {
    const committed = readFileSync(new URL('../../src/presets/framework/check.generated.ts', import.meta.url), 'utf8');
    expect(generate() === committed, 'stale: run npx tsx scripts/gen-framework-check.ts').toBe(true);
  });

  it('offers the same JSON Schema as the zod schema', () => {
    const target = 'draft-2020-12' as const;
    for (const io of ['input', 'output'] as const) {
      expect(frameworkPreset['~standard'].jsonSchema[io]({ target })).toStrictEqual(z.toJSONSchema(FrameworkConfigSchema, { target, io, unrepresentable: 'any' }));
    }
    expect(() => frameworkPreset['~standard'].jsonSchema.input({ target: 'openapi-3.0' })).toThrow(/no JSON Schema for target/);
  });

  it.each([
    { name: 'a string format it does not know', shape: z.looseObject({ mail: z.email() }), at: 'mail' },
    { name: 'a strict object', shape: z.looseObject({ db: z.strictObject({ host: z.string() }) }), at: 'db' },
    { name: 'a refinement', shape: z.looseObject({ n: z.looseObject({}).refine(() => true) }), at: 'n' },
    { name: 'a maximum', shape: z.looseObject({ n: z.int().max(3) }), at: 'n' },
    { name: 'a union', shape: z.looseObject({ u: z.union([z.string(), z.number()]) }), at: 'u' },
    { name: 'a regex without its own message', shape: z.looseObject({ s: z.string().regex(/a/) }), at: 's' },
  ])('fails loudly on $name, naming the path', ({ shape, at }) => {
    expect(() => generate(shape, shape)).toThrow(new RegExp(`unsupported zod feature at ${at}`));
  });
});
