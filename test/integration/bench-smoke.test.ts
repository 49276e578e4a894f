/**
 * The bench's fixtures are what the bench claims: each size near its nominal size, the three
 * formats holding the same data, valid for the framework schema, and the 10 env overrides
 * changing exactly the 10 values they name. No timing here: that is `npm run bench`.
 */
import { readFileSync } from 'node:fs';
import jsYaml from 'js-yaml';
import { parse as parseToml } from 'smol-toml';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  appConfig,
  ENV_OVERRIDES,
  FORMATS,
  NOMINAL_BYTES,
  OVERRIDES,
  PLAIN_OVERRIDES,
  SIZES,
  writeFixtures,
  type FixtureFiles,
  type Override,
  type Size,
} from '../../bench/fixtures.js';
import { loadConfig } from '../../src/presets/framework/api.js';
import { envProvider } from '../../src/providers/env.js';
import { fileProvider } from '../../src/providers/file.js';
import { FrameworkConfigSchema } from '../../src/presets/framework/schema.js';
import { tempDir } from '../support/temp.js';

let files: FixtureFiles;
beforeAll(async () => {
  files = await writeFixtures(tempDir());
}, 60_000);

const PARSE = { yaml: (t: string) => jsYaml.load(t), json: (t: string) => JSON.parse(t) as unknown, toml: (t: string) => parseToml(t) };

/** Every leaf as "a.0.b" -> value, so two trees can be diffed leaf by leaf. */
function leaves(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
  return out;
}

/** An override's path with each `{ name }` turned into that item's index in the fixture. */
function indexPath(size: Size, o: Override): string {
  let node: unknown = appConfig(size);
  return o.path
    .map((seg) => {
      if (typeof seg === 'string') {
        node = (node as Record<string, unknown>)[seg];
        return seg;
      }
      const i = (node as Array<{ name?: string }>).findIndex((item) => item.name === seg.name);
      expect(i, `no ${seg.name} item at ${size}`).toBeGreaterThanOrEqual(0);
      node = (node as unknown[])[i];
      return String(i);
    })
    .join('.');
}

describe('bench fixtures', () => {
  it('are near their nominal sizes: YAML and TOML within ±25%, JSON (braces and quotes) at most 1.4× its YAML', () => {
    for (const size of SIZES) {
      for (const format of ['yaml', 'toml'] as const) {
        const ratio = files[size][format].bytes / NOMINAL_BYTES[size];
        expect(ratio, `${size} ${format}`).toBeGreaterThanOrEqual(0.75);
        expect(ratio, `${size} ${format}`).toBeLessThanOrEqual(1.25);
      }
      expect(files[size].json.bytes).toBeLessThanOrEqual(files[size].yaml.bytes * 1.4);
    }
  });

  it('hold the same data in every format, and it is appConfig(size)', () => {
    for (const size of SIZES) {
      const expected = appConfig(size);
      for (const format of FORMATS) {
        expect(PARSE[format](readFileSync(files[size][format].path, 'utf8')), `${size} ${format}`).toEqual(expected);
      }
    }
  });

  it('are deterministic', () => {
    expect(appConfig('100KB')).toEqual(appConfig('100KB'));
  });

  it('are valid for the framework schema at every size, cross-references included', () => {
    for (const size of SIZES) {
      const result = FrameworkConfigSchema.safeParse(appConfig(size));
      expect(result.success, `${size}: ${result.error?.message}`).toBe(true);
    }
  });

  it('have 10 overrides, 5 of them on list items by name, the other 5 on plain keys', () => {
    expect(Object.keys(ENV_OVERRIDES)).toHaveLength(10);
    expect(OVERRIDES.map((o) => o.env).sort()).toEqual(Object.keys(ENV_OVERRIDES).sort());
    expect(PLAIN_OVERRIDES).toHaveLength(5);
    expect(new Set(Object.keys(ENV_OVERRIDES).map((k) => k.startsWith('CONFSTACK_')))).toEqual(new Set([true]));
  });

  for (const [size, format] of [['3KB', 'yaml'], ['100KB', 'json'], ['3KB', 'toml']] as const) {
    it(`through loadConfig, change exactly the 10 values they name (${size} ${format})`, async () => {
      const path = files[size][format].path;
      const load = (env: Record<string, string>) =>
        loadConfig({ sources: [envProvider({ env }), fileProvider({ path })], schema: FrameworkConfigSchema });
      const [plain, overridden] = await Promise.all([load({}), load({ ...ENV_OVERRIDES })]);
      const before = leaves(plain.value);
      const after = leaves(overridden.value);
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      const changed = [...after].filter(([k, v]) => before.get(k) !== v).map(([k, v]) => [k, v]);
      const expected = OVERRIDES.map((o) => [indexPath(size, o), o.value]);
      expect(new Map(changed as [string, unknown][])).toEqual(new Map(expected as [string, unknown][]));
      // Provenance: each overridden value names its variable.
      for (const o of OVERRIDES) expect(overridden.explain(indexPath(size, o))).toMatchObject({ type: 'env', location: o.env });
    });
  }
});
