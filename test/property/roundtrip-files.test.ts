/**
 * Property: a random tree written to a real file in each format and loaded through the whole
 * pipeline (`loadConfig({ sources: [fileProvider({ path })], schema: false })`) comes back equal.
 * Each generator stays inside what its format can express: JSON and YAML hold everything
 * JSON-like; TOML has no null (and no top-level list, which no format here allows at the root);
 * .env is a flat map of strings. Strings never contain `$` (files are interpolated: `${VAR}`).
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { stringify as tomlStringify } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/presets/framework/api.js';
import { fileProvider } from '../../src/providers/file.js';
import { isForbiddenSegment } from '../../src/tree/path.js';
import { tempDir } from '../support/temp.js';
import { propertyRuns, propertyTimeout } from './runs.js';

const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');

const RUNS = propertyRuns(400);

const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !isForbiddenSegment(k));
const text = fc.string({ maxLength: 12 }).filter((s) => !s.includes('$'));
const number = fc.oneof(
  fc.integer({ min: -1e12, max: 1e12 }),
  fc.maxSafeInteger(),
  // Integral doubles past 2^53 print as integer literals, which the parsers refuse (P8).
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0) && !(Number.isInteger(d) && !Number.isSafeInteger(d))),
);

function treeOf(leaf: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  return fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('tree')),
    list: fc.array(tie('node'), { maxLength: 4 }),
    tree: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
  })).tree as fc.Arbitrary<Record<string, unknown>>;
}

const jsonTree = treeOf(fc.oneof(text, fc.boolean(), number, fc.constant(null)));
const tomlTree = treeOf(fc.oneof(text, fc.boolean(), number));
const envMap = fc.dictionary(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/).filter((k) => !isForbiddenSegment(k)),
  // Quoted values keep everything but the characters the quoting escapes; no NUL/CR (lines).
  fc.string({ maxLength: 16 }).filter((s) => !/[$\0\r]/.test(s)),
  { maxKeys: 8 },
);

function envText(map: Record<string, string>): string {
  const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
  return Object.entries(map)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join('\n');
}

const CASES: { format: string; ext: string; arb: fc.Arbitrary<Record<string, unknown>>; write: (v: Record<string, unknown>) => string }[] = [
  { format: 'JSON', ext: 'json', arb: jsonTree, write: (v) => JSON.stringify(v, null, 2) },
  { format: 'YAML', ext: 'yaml', arb: jsonTree, write: (v) => yaml.stringify(v) },
  { format: 'TOML', ext: 'toml', arb: tomlTree, write: (v) => tomlStringify(v) },
  { format: '.env', ext: 'env', arb: envMap as fc.Arbitrary<Record<string, unknown>>, write: (v) => envText(v as Record<string, string>) },
];

describe('loadConfig over a real file', () => {
  const dir = tempDir();
  it.each(CASES)('$format: a random tree written to disk loads back equal', async ({ ext, arb, write }) => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(arb, async (tree) => {
        const path = join(dir, `t${n++}.${ext}`);
        writeFileSync(path, write(tree));
        const config = await loadConfig({ sources: [fileProvider({ path })], schema: false });
        expect(config.value).toEqual(tree);
      }),
      { numRuns: RUNS },
    );
  }, propertyTimeout(RUNS));
});
