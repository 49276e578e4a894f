/**
 * Fuzzing every parser (RELIABILITY "Figures to report" 1): each Format.parse on structure-aware
 * documents and on mutated seeds (the fixtures), and decodeText (+ parse) on random and mutated
 * bytes. Only ConfigErrors may be thrown; no input may take over HANG_MS; no prototype may change;
 * an accepted document has an object root and no forbidden key.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/formats/decode.js';
import type { Format, ParseContext } from '../../src/formats/format.js';
import { loadFormat } from '../../src/formats/index.js';
import { DEFAULT_LIMITS } from '../../src/tree/limits.js';
import { isForbiddenSegment } from '../../src/tree/path.js';
import {
  deepDoc,
  ENV_TOKENS,
  envDoc,
  JSON_TOKENS,
  jsonDoc,
  mutated,
  seedsFor,
  soup,
  TOML_TOKENS,
  tomlDoc,
  YAML_TOKENS,
  yamlAliasDoc,
  yamlDoc,
} from './generators.js';
import { countNodes, fuzz, fuzzRuns, fuzzTimeout, HANG_MS, type Outcome } from './harness.js';

const ctx: ParseContext = { source: 'fuzz.cfg', limits: DEFAULT_LIMITS, provider: 'file:fuzz' };

/** Walks an accepted tree: the root is an object and no key reaches a prototype. */
function checkTree(values: unknown): void {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) throw new TypeError('parse returned a non-object root');
  const stack: unknown[] = [values];
  while (stack.length > 0) {
    const x = stack.pop();
    if (Array.isArray(x)) stack.push(...x);
    else if (x !== null && typeof x === 'object') {
      for (const k of Object.keys(x)) {
        if (isForbiddenSegment(k)) throw new TypeError(`forbidden key "${k}" accepted`);
        stack.push((x as Record<string, unknown>)[k]);
      }
    }
  }
}

function parseWith(format: Format) {
  return (text: string): Outcome => {
    const { values } = format.parse(text, ctx);
    checkTree(values);
    return { bytes: Buffer.byteLength(text), nodes: countNodes(values) };
  };
}

interface Target {
  format: 'json' | 'yaml' | 'toml' | 'env';
  generated: fc.Arbitrary<string>;
  tokens: readonly string[];
  seeds: string[];
}

const TARGETS: Target[] = [
  { format: 'json', generated: fc.oneof(jsonDoc, soup(JSON_TOKENS)), tokens: JSON_TOKENS, seeds: seedsFor('.json') },
  { format: 'yaml', generated: fc.oneof(yamlDoc, yamlAliasDoc, soup(YAML_TOKENS)), tokens: YAML_TOKENS, seeds: seedsFor('.yaml') },
  { format: 'toml', generated: fc.oneof(tomlDoc, soup(TOML_TOKENS)), tokens: TOML_TOKENS, seeds: seedsFor('.toml') },
  { format: 'env', generated: fc.oneof(envDoc, soup(ENV_TOKENS)), tokens: ENV_TOKENS, seeds: seedsFor('.env') },
];

// Per target; each format has two targets (generated + mutated), so 10,000 inputs per format by default.
const RUNS = fuzzRuns(5000);

describe('Format.parse under fuzzing', () => {
  it.each(TARGETS)('$format: structure-aware documents throw only ConfigError, never hang, never touch a prototype', async ({ format, generated }) => {
    const stats = await fuzz(`${format}-generated`, format, generated, parseWith(await loadFormat(format)), RUNS);
    expect(stats.nonConfigErrors).toEqual({});
    expect(stats.poisonings).toBe(0);
    expect(stats.maxMs).toBeLessThan(HANG_MS);
  }, fuzzTimeout(RUNS));

  it.each(TARGETS)('$format: mutated seed documents throw only ConfigError, never hang, never touch a prototype', async ({ format, generated, tokens, seeds }) => {
    expect(seeds.length).toBeGreaterThan(0);
    const stats = await fuzz(`${format}-mutated`, format, mutated(seeds, generated, tokens), parseWith(await loadFormat(format)), RUNS);
    expect(stats.nonConfigErrors).toEqual({});
    expect(stats.poisonings).toBe(0);
    // Mutations must reach both sides of the parser, or the target tests nothing.
    expect(stats.accepted).toBeGreaterThan(0);
    expect(Object.keys(stats.rejected).length).toBeGreaterThan(0);
  }, fuzzTimeout(RUNS));

  it('deep nesting in every syntax is accepted or limit_exceeded, never a RangeError', async () => {
    const formats = { json: await loadFormat('json'), yaml: await loadFormat('yaml'), toml: await loadFormat('toml') };
    const stats = await fuzz(
      'deep-nesting',
      'nesting',
      deepDoc,
      ({ kind, text }) => parseWith(formats[kind.split('-')[0] as 'json' | 'yaml' | 'toml'])(text),
      Math.min(RUNS, 300),
    );
    expect(stats.nonConfigErrors).toEqual({});
    expect(stats.rejected.limit_exceeded).toBeGreaterThan(0);
  }, fuzzTimeout(300));
});

describe('decodeText under fuzzing', () => {
  const utf8Seeds = [...seedsFor('.json', '.yaml', '.toml', '.env')].map((s) => new Uint8Array(Buffer.from(s, 'utf8')));
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 256 }),
    fc
      .tuple(fc.constantFrom(...utf8Seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }))
      .map(([seed, flips]) => {
        const b = new Uint8Array(seed);
        for (const [at, v] of flips) b[at % b.length] = v;
        return b;
      }),
    fc.constantFrom(
      new Uint8Array([0xff, 0xfe, 0x61, 0x00]),
      new Uint8Array([0xfe, 0xff, 0x00, 0x61]),
      new Uint8Array([0xef, 0xbb, 0xbf]),
      new Uint8Array([0xed, 0xa0, 0x80]),
      new Uint8Array([0xf4, 0x90, 0x80, 0x80]),
      new Uint8Array([0xc0, 0xaf]),
    ),
  );

  it('random and corrupted bytes decode (then parse in every format) or throw ConfigError parse_failed', async () => {
    const formats = await Promise.all((['json', 'yaml', 'toml', 'env'] as const).map((f) => loadFormat(f)));
    const stats = await fuzz(
      'decode',
      'decode',
      fc.tuple(bytes, fc.nat(3)),
      ([b, which]) => {
        const text = decodeText(b, 'fuzz.bin', { provider: 'file:fuzz' });
        return parseWith(formats[which]!)(text);
      },
      RUNS,
    );
    expect(stats.nonConfigErrors).toEqual({});
    expect(stats.rejected.parse_failed).toBeGreaterThan(0);
  }, fuzzTimeout(RUNS));
});
