/**
 * The standard bombs (RELIABILITY P3, P4, P5, P16): each must be rejected with `limit_exceeded`
 * (never a RangeError or "call stack" message). Time and heap growth to reject each are written
 * to `.reliability/bombs.json` for the limits table (figures, not asserted: no wall-clock tests).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/foundation/errors.js';
import { loadFormat } from '../../src/formats/index.js';
import { loadConfig } from '../../src/presets/framework/api.js';
import { fileProvider } from '../../src/providers/file.js';
import { DEFAULT_LIMITS } from '../../src/tree/limits.js';
import { tempDir } from '../support/temp.js';
import { writeResult } from './harness.js';

function collector(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
const gc = collector();

function billionLaughs(levels: number, fan: number): string {
  const lines = ['a0: &a0 "lol"'];
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: fan }, () => `*a${i - 1}`).join(',')}]`);
  return lines.join('\n');
}

const MiB = 1024 * 1024;
const BOMBS: { id: string; bomb: string; format: 'json' | 'yaml' | 'toml'; make: () => string; limit: string }[] = [
  { id: 'P5', bomb: 'YAML billion laughs (9 levels x 9 aliases)', format: 'yaml', make: () => billionLaughs(9, 9), limit: 'maxNodes' },
  { id: 'P5', bomb: 'YAML alias fan-out (12,000 aliases of one anchor)', format: 'yaml', make: () => `a: &a x\nb: [${Array.from({ length: 12_000 }, () => '*a').join(',')}]`, limit: 'maxAliases' },
  { id: 'P3', bomb: '200,000 x [ in JSON', format: 'json', make: () => '['.repeat(200_000), limit: 'maxDepth' },
  { id: 'P4', bomb: '20,000 x [ in YAML flow', format: 'yaml', make: () => `a: ${'['.repeat(20_000)}`, limit: 'maxDepth' },
  // Block nesting needs one more indent per level: 2,000 levels is already 2 MB of indentation.
  { id: 'P4', bomb: '2,000 nested YAML block maps', format: 'yaml', make: () => Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1', limit: 'maxDepth' },
  { id: 'P4', bomb: '20,000 nested YAML block sequences (- - - …)', format: 'yaml', make: () => `${'- '.repeat(20_000)}1`, limit: 'maxDepth' },
  { id: 'P4', bomb: '20,000 x [ in a TOML array', format: 'toml', make: () => `a = ${'['.repeat(20_000)}${']'.repeat(20_000)}`, limit: 'maxDepth' },
  { id: 'P4', bomb: '20,000 nested TOML inline tables', format: 'toml', make: () => `a = ${'{b = '.repeat(20_000)}1${'}'.repeat(20_000)}`, limit: 'maxDepth' },
  { id: 'P4', bomb: 'TOML table header 20,000 keys deep', format: 'toml', make: () => `[${Array.from({ length: 20_000 }, () => 'a').join('.')}]\nx = 1`, limit: 'maxDepth' },
  { id: 'P16', bomb: 'one 20 MiB string scalar (JSON)', format: 'json', make: () => `{"a": "${'x'.repeat(20 * MiB)}"}`, limit: 'maxDocumentBytes' },
  { id: 'P16', bomb: 'one 2 MiB string scalar (YAML)', format: 'yaml', make: () => `a: ${'x'.repeat(2 * MiB)}`, limit: 'maxScalarBytes' },
  { id: 'P16', bomb: '1,100,000 keys (JSON, ~16 MB)', format: 'json', make: () => `{${Array.from({ length: 1_100_000 }, (_, i) => `"${i.toString(36)}":0`).join(',')}}`, limit: 'maxNodes' },
];

const rows: Record<string, unknown>[] = [];
afterAll(() => writeResult('bombs', { limits: DEFAULT_LIMITS, rows }));

describe('standard bombs', () => {
  it.each(BOMBS)('$id $bomb: limit_exceeded, no stack overflow', async ({ id, bomb, format, make, limit }) => {
    const text = make();
    const parser = await loadFormat(format);
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    let err: unknown;
    try {
      parser.parse(text, { source: `bomb.${format}`, limits: DEFAULT_LIMITS });
    } catch (e) {
      err = e;
    }
    const ms = performance.now() - t0;
    const heapDelta = process.memoryUsage().heapUsed - heap0;
    const ce = err instanceof ConfigError ? err : undefined;
    rows.push({ id, bomb, format, inputBytes: Buffer.byteLength(text), ms, heapDeltaBytes: heapDelta, code: ce?.code ?? String(err), limit: ce?.context?.limit });
    expect(err).toBeInstanceOf(ConfigError);
    expect(ce!.code).toBe('limit_exceeded');
    expect(ce!.context?.limit).toBe(limit);
    expect(ce!.message).not.toMatch(/call stack/i);
    expect(ce!.location?.file).toBe(`bomb.${format}`);
  });

  it('P16 a file over maxDocumentBytes is rejected by the file provider before it is parsed', async () => {
    const dir = tempDir();
    const path = join(dir, 'big.json');
    writeFileSync(path, `{"a": "${'x'.repeat(DEFAULT_LIMITS.maxDocumentBytes)}"}`);
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    let err: unknown;
    try {
      await loadConfig({ sources: [fileProvider({ path })], schema: false });
    } catch (e) {
      err = e;
    }
    rows.push({ id: 'P16', bomb: '16 MiB + 9 B file through fileProvider', format: 'json', inputBytes: DEFAULT_LIMITS.maxDocumentBytes + 9, ms: performance.now() - t0, heapDeltaBytes: process.memoryUsage().heapUsed - heap0, code: (err as ConfigError).code, limit: (err as ConfigError).context?.limit });
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('limit_exceeded');
    expect((err as ConfigError).location?.file).toBe(path);
  });
});
