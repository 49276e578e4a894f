import fc from 'fast-check';
import { createRequire } from 'node:module';
import { stringify as tomlStringify } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/foundation/errors.js';
import { dotenvFormat } from '../../src/formats/dotenv.js';
import type { Format } from '../../src/formats/format.js';
import { jsonFormat } from '../../src/formats/json.js';
import { tomlFormat } from '../../src/formats/toml.js';
import { yamlFormat } from '../../src/formats/yaml.js';
import { ctxFor, fixture } from './parse-helpers.js';

const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');

// JSON-like trees every format can hold: no null (TOML has none), no empty keys, safe integers,
// finite doubles, and lists without null. Forbidden keys are excluded (they are rejected).
const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));
const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.boolean(),
  fc.integer({ min: -1e12, max: 1e12 }),
  // Integral doubles beyond 2^53 print as integer literals, which the parsers rightly refuse.
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .filter((d) => !Object.is(d, -0) && !(Number.isInteger(d) && Math.abs(d) > Number.MAX_SAFE_INTEGER)),
);
const { tree } = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('tree')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  tree: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
}));
const root = tree as fc.Arbitrary<Record<string, unknown>>;

describe('format round trips', () => {
  it('JSON.stringify → jsonFormat.parse gives the same tree', () => {
    fc.assert(
      fc.property(root, (v) => {
        expect(jsonFormat.parse(JSON.stringify(v, null, 1), ctxFor()).values).toEqual(v);
      }),
      { numRuns: 200 },
    );
  });

  it('yaml.stringify → yamlFormat.parse gives the same tree', () => {
    fc.assert(
      fc.property(root, (v) => {
        expect(yamlFormat.parse(yaml.stringify(v), ctxFor()).values).toEqual(v);
      }),
      { numRuns: 200 },
    );
  });

  it('smol-toml stringify → tomlFormat.parse gives the same tree', () => {
    fc.assert(
      fc.property(root, (v) => {
        expect(tomlFormat.parse(tomlStringify(v), ctxFor()).values).toEqual(v);
      }),
      { numRuns: 200 },
    );
  });
});

const FORMATS: [string, Format, string][] = [
  ['json', jsonFormat, fixture('canonical/config.json')],
  ['yaml', yamlFormat, fixture('canonical/config.yaml')],
  ['toml', tomlFormat, fixture('canonical/config.toml')],
  ['env', dotenvFormat, fixture('canonical/config.env')],
];

describe('malformed input', () => {
  it.each(FORMATS)('%s: truncated or corrupted documents give a root object or a ConfigError, nothing else', (_name, format, text) => {
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(text.length), fc.string({ maxLength: 3 }), (cut, at, junk) => {
        const input = text.slice(0, at) + junk + text.slice(at, Math.max(at, cut));
        try {
          const { values } = format.parse(input, ctxFor());
          expect(typeof values).toBe('object');
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
        }
      }),
      { numRuns: 200 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
