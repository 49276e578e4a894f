/**
 * Fuzzing the environment-variable mapping: `envProvider({ env }).load({ lower })` over random
 * variable sets (names built from the lower tree's keys, list item names, indices, `_FILE`,
 * prototype names and doubled delimiters) and random lower trees (plain and named lists). Only
 * ConfigErrors; no hang; no prototype change; the layer never holds a forbidden key.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ValueKind } from '../../src/providers/provider.js';
import { envProvider } from '../../src/providers/env.js';
import { DEFAULT_LIMITS } from '../../src/tree/limits.js';
import { isForbiddenSegment } from '../../src/tree/path.js';
import { expectConfigError } from '../support/errors.js';
import { hostileTree } from './generators.js';
import { countNodes, fuzz, fuzzRuns, fuzzTimeout, HANG_MS } from './harness.js';

const RUNS = fuzzRuns(10_000);

const NAMES = ['openai', 'anthropic', 'gpt-4o', 'a.b', 'A_B'];

/** Lower trees that look like real configs: nested objects, plain lists and lists of named items. */
const lowerTree: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
  named: fc.array(
    fc.record({ name: fc.constantFrom(...NAMES), v: tie('node') }).map((r) => ({ name: r.name, value: r.v })),
    { minLength: 1, maxLength: 3 },
  ),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('tree'), tie('named'), fc.array(tie('leaf'), { maxLength: 3 })),
  tree: fc.dictionary(fc.constantFrom('server', 'port', 'db', 'max_pool', 'llm_providers', 'api_key', 'list', 'x', 'Mixed_Case', 'log', 'output_file'), tie('node'), {
    maxKeys: 4,
  }),
})).tree as fc.Arbitrary<Record<string, unknown>>;

const segment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('SERVER', 'PORT', 'DB', 'MAX_POOL', 'LLM_PROVIDERS', 'API_KEY', 'LIST', 'X', 'MIXED_CASE', 'LOG', 'OUTPUT_FILE', 'OPENAI', 'GPT_4O', 'A_B', 'NAME', 'VALUE') },
  { weight: 2, arbitrary: fc.constantFrom('0', '1', '2', '9', '00', '-1', '1e3') },
  { weight: 2, arbitrary: fc.constantFrom('__PROTO__', 'PROTO', 'CONSTRUCTOR', 'PROTOTYPE', 'TOSTRING', 'HASOWNPROPERTY', '', '_', 'X_FILE', 'FILE') },
  { weight: 1, arbitrary: fc.string({ maxLength: 5 }) },
);

const varName = fc
  .tuple(fc.array(segment, { minLength: 1, maxLength: 5 }), fc.constantFrom('__', '_', '___'), fc.constantFrom('APP_', 'APP__', 'app_', 'APP'))
  .map(([segs, delim, head]) => head + segs.join(delim));

const varValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('1', '0', 'true', 'off', '3.5', '9007199254740993', '1e400', '[1,2]', '{"a":1}', '{"__proto__":{"x":1}}', '[', '', ' ', 'null', '/nonexistent/secret'),
);

const typeKinds: (ValueKind | undefined)[] = [undefined, 'string', 'integer', 'number', 'boolean', 'array', 'object'];

const envCase = fc.record({
  env: fc.dictionary(varName, varValue, { maxKeys: 6 }),
  lower: fc.oneof(lowerTree, hostileTree.filter((t) => Object.keys(t).every((k) => !isForbiddenSegment(k)))),
  // A schema stand-in: a kind picked by hashing the path (drives coercion and list creation).
  typeSalt: fc.option(fc.nat(), { nil: undefined }),
});

function checkLayer(values: unknown): void {
  const stack: unknown[] = [values];
  while (stack.length > 0) {
    const x = stack.pop();
    if (Array.isArray(x)) stack.push(...x);
    else if (x !== null && typeof x === 'object') {
      for (const k of Object.keys(x)) {
        if (isForbiddenSegment(k)) throw new TypeError(`forbidden key "${k}" in the env layer`);
        stack.push((x as Record<string, unknown>)[k]);
      }
    }
  }
}

describe('envProvider mapping under fuzzing', () => {
  it('random variables over random lower trees give a layer or a ConfigError, never a prototype change', async () => {
    const stats = await fuzz(
      'env-mapping',
      'env-var mapping',
      envCase,
      async ({ env, lower, typeSalt }) => {
        const typeAt =
          typeSalt === undefined
            ? undefined
            : (segs: readonly string[]) => typeKinds[(segs.join('.').length * 31 + typeSalt) % typeKinds.length];
        const layer = await envProvider({ prefix: 'APP', env }).load({ lower, limits: DEFAULT_LIMITS, ...(typeAt ? { typeAt } : {}) });
        checkLayer(layer.values);
        return { bytes: Object.entries(env).reduce((n, [k, v]) => n + k.length + v.length + 2, 0), nodes: countNodes(layer.values) };
      },
      RUNS,
    );
    expect(stats.nonConfigErrors).toEqual({});
    expect(stats.poisonings).toBe(0);
    expect(stats.maxMs).toBeLessThan(HANG_MS);
    expect(stats.accepted).toBeGreaterThan(0);
    expect(stats.rejected.forbidden_key).toBeGreaterThan(0);
  }, fuzzTimeout(RUNS));
});

describe('envProvider findings (regressions)', () => {
  // Found by the fuzzer: a value coerced as JSON (the lower layer or schema says list/object)
  // kept an own "__proto__" key from JSON.parse; only the merge caught it, naming the provider.
  it.each([
    ['APP_DB__OPTS', '{"__proto__":{"polluted":1}}', { db: { opts: {} } }, 'db.opts'],
    ['APP_DB__LIST', '[{"constructor":{"prototype":{"polluted":1}}}]', { db: { list: [] } }, 'db.list'],
  ])('%s=<JSON with a forbidden key> is forbidden_key naming the variable', async (name, value, lower, key) => {
    await expectConfigError(envProvider({ prefix: 'APP', env: { [name]: value } }).load({ lower }), {
      code: 'forbidden_key',
      source: `env ${name}`,
      key,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('envProvider mapping examples', () => {
  it('E1: APP__SERVER__PORT and APP__DB__MAX_POOL set server.port and db.max_pool (a key with "_"), typed by the lower layer', async () => {
    const layer = await envProvider({ prefix: 'APP', env: { APP__SERVER__PORT: '8080', APP__DB__MAX_POOL: '10' } }).load({
      lower: { server: { port: 1 }, db: { max_pool: 1 } },
    });
    expect(layer.values).toEqual({ server: { port: 8080 }, db: { max_pool: 10 } });
    expect(layer.origins?.['db.max_pool']).toMatchObject({ type: 'env', location: 'APP__DB__MAX_POOL' });
  });
});
