/**
 * Live reload against real files on disk (RELIABILITY.md W1–W8, W13, W15; promise 1): editors'
 * atomic saves, Kubernetes ConfigMap swaps, delete/recreate, files that appear later, invalid
 * writes, storms, touches, permission flips and close() races.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asConfigError, type ConfigError } from '../../src/foundation/errors.js';
import type { ConfigMetrics } from '../../src/observability/metrics.js';
import { fileProvider } from '../../src/providers/file.js';
import { type LiveConfig, type WatchConfigOptions } from '../../src/core/watch.js';
import { watchConfig } from '../../src/presets/framework/api.js';
import { atomicWrite, eventually, handleCounts, KubeVolume, settledHandleCounts, tempDir, withTimeout } from '../support/reload-events.js';

interface Doc {
  seq: number;
  pair: { a: number; b: number };
}

/** seq plus a pair of fields that must change together (a cross-field rule). */
const schema = z
  .object({ seq: z.number().int(), pair: z.object({ a: z.number(), b: z.number() }) })
  .refine((v) => v.pair.a === v.pair.b && v.pair.a === v.seq, { message: 'pair must match seq', path: ['pair'] });

const doc = (seq: number) => `seq: ${seq}\npair:\n  a: ${seq}\n  b: ${seq}\n`;

/** Records every event of a LiveConfig and lets a test wait for a count. */
class Recorder {
  readonly changes: { value: Doc; keys: string[]; version: number }[] = [];
  readonly rejects: ConfigError[] = [];
  constructor(readonly live: LiveConfig<Doc>) {
    live.on('change', (next, _prev, keys) => this.changes.push({ value: next.value as Doc, keys, version: live.version }));
    live.on('reject', (err) => this.rejects.push(err));
  }
  changesAtLeast(n: number, what = `${n} change events`): Promise<void> {
    return eventually(() => this.changes.length >= n, 15_000, what);
  }
  rejectsAtLeast(n: number): Promise<void> {
    return eventually(() => this.rejects.length >= n, 15_000, `${n} reject events`);
  }
}

const lives: LiveConfig<Doc>[] = [];
afterEach(async () => {
  await Promise.all(lives.splice(0).map((l) => l.close()));
});

async function watchFile(file: string, extra: WatchConfigOptions & { optional?: boolean } = {}): Promise<Recorder> {
  const { optional, ...rest } = extra;
  const live = await watchConfig<Doc>({
    sources: [fileProvider({ path: file, ...(optional ? { optional } : {}) })],
    schema,
    debounceMs: 20,
    env: {},
    ...rest,
  });
  lives.push(live);
  return new Recorder(live);
}

function countingMetrics() {
  const outcomes: string[] = [];
  const metrics: ConfigMetrics = {
    recordOperation() {},
    recordLoad() {},
    recordValidation() {},
    recordError() {},
    recordReload(outcome) {
      outcomes.push(outcome);
    },
    setProviderHealth() {},
  };
  return { metrics, outcomes };
}

describe('watchConfig with files', () => {
  it('W1: applies each of 20 atomic saves exactly once, with that save’s content', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'config.yaml');
    await fsp.writeFile(file, doc(0));
    const rec = await watchFile(file);
    for (let i = 1; i <= 20; i++) {
      await atomicWrite(file, doc(i));
      await rec.changesAtLeast(i);
      expect(rec.changes[i - 1]!.value.seq).toBe(i);
      expect(rec.live.current().value.seq).toBe(i);
    }
    expect(await rec.live.reload()).toBe('unchanged');
    expect(rec.changes).toHaveLength(20);
    expect(rec.changes.map((c) => c.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(rec.rejects).toEqual([]);
  });

  it('W2: applies exactly one change per Kubernetes ..data symlink swap', async () => {
    const dir = await tempDir();
    const vol = new KubeVolume(dir);
    await vol.init({ 'config.yaml': doc(0) });
    const rec = await watchFile(path.join(dir, 'config.yaml'));
    for (let i = 1; i <= 5; i++) {
      await vol.swap({ 'config.yaml': doc(i) });
      await rec.changesAtLeast(i);
      expect(rec.live.current().value.seq).toBe(i);
    }
    expect(await rec.live.reload()).toBe('unchanged');
    expect(rec.changes.map((c) => c.value.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rec.changes.every((c) => c.keys.join() === 'pair.a,pair.b,seq')).toBe(true);
    expect(rec.rejects).toEqual([]);
  });

  it('W13: follows a git-sync style retarget of a symlinked directory', async () => {
    const root = await tempDir();
    for (const rev of [1, 2]) {
      await fsp.mkdir(path.join(root, `rev-${rev}`));
      await fsp.writeFile(path.join(root, `rev-${rev}`, 'config.yaml'), doc(rev));
    }
    await fsp.symlink('rev-1', path.join(root, 'current'));
    const rec = await watchFile(path.join(root, 'current', 'config.yaml'));
    await fsp.symlink('rev-2', path.join(root, 'current.tmp'));
    await fsp.rename(path.join(root, 'current.tmp'), path.join(root, 'current'));
    await rec.changesAtLeast(1);
    expect(rec.live.current().value.seq).toBe(2);
  });

  it('W3: keeps the last good config while a file is deleted and recreated, then applies it', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'config.yaml');
    await fsp.writeFile(file, doc(1));
    const rec = await watchFile(file);
    await fsp.rm(file);
    await rec.rejectsAtLeast(1);
    expect(rec.live.current().value.seq).toBe(1);
    await fsp.writeFile(file, doc(2));
    await rec.changesAtLeast(1);
    expect(rec.live.current().value.seq).toBe(2);
    for (const err of rec.rejects) {
      expect(err.code).toBe('reload_rejected');
      expect(['file_not_found', 'validation_failed']).toContain(asConfigError(err.cause)?.code);
    }
    expect(rec.rejects[0]!.location?.file).toBe(file);
    // The watch survived: a later save still applies.
    await atomicWrite(file, doc(3));
    await rec.changesAtLeast(2);
    expect(rec.live.current().value.seq).toBe(3);
  });

  it('W4: picks up an optional file that appears later, in a directory that did not exist', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'conf.d', 'config.yaml');
    const live = await watchConfig<Record<string, unknown>>({
      sources: [fileProvider({ path: file, optional: true })],
      schema: false,
      debounceMs: 20,
      env: {},
    });
    lives.push(live as unknown as LiveConfig<Doc>);
    expect(live.current().value).toEqual({});
    const changed = withTimeout(new Promise<string[]>((r) => live.once('change', (_n, _p, keys) => r(keys))), 15_000, 'change');
    await fsp.mkdir(path.dirname(file));
    await atomicWrite(file, 'feature:\n  enabled: true\n');
    expect(await changed).toEqual(['feature', 'feature.enabled']);
    expect(live.current().get('feature.enabled')).toBe(true);
  });

  it('W6: rejects a syntax error and a schema violation with their locations, then applies a valid save', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'config.yaml');
    await fsp.writeFile(file, doc(1));
    const rec = await watchFile(file);
    const good = rec.live.current();

    await atomicWrite(file, 'seq: 2\npair: [unclosed\n');
    await rec.rejectsAtLeast(1);
    const syntax = rec.rejects[0]!;
    expect(syntax.code).toBe('reload_rejected');
    expect(syntax.op).toBe('reload');
    expect(asConfigError(syntax.cause)?.code).toBe('parse_failed');
    expect(syntax.location?.file).toBe(file);
    expect(syntax.location?.line).toBeGreaterThanOrEqual(2);
    expect(rec.live.current()).toBe(good);

    await atomicWrite(file, 'seq: 3\npair:\n  a: 3\n  b: 4\n');
    await rec.rejectsAtLeast(2);
    const invalid = rec.rejects[1]!;
    expect(asConfigError(invalid.cause)?.code).toBe('validation_failed');
    expect(invalid.issues?.map((i) => i.path)).toContain('pair');
    expect(rec.live.current()).toBe(good);
    expect(rec.changes).toEqual([]);

    await atomicWrite(file, doc(4));
    await rec.changesAtLeast(1);
    expect(rec.live.current().value.seq).toBe(4);
    expect(rec.live.version).toBe(2);
  });

  it('W8: a storm of 200 writes (half invalid) applies only valid configs and ends on the last write', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'config.yaml');
    await fsp.writeFile(file, doc(-1));
    const rec = await watchFile(file);
    for (let i = 0; i < 200; i++) {
      // Odd writes are valid; even ones alternate a syntax error and a cross-field violation.
      const text = i % 2 === 1 ? doc(i) : i % 4 === 0 ? `seq: ${i}\npair: {a: ${i}\n` : `seq: ${i}\npair:\n  a: ${i}\n  b: ${i + 1}\n`;
      await fsp.writeFile(file, text); // in place, not atomic: readers may see it truncated
      await new Promise((r) => setTimeout(r, 5)); // pacing the storm over ~1 s
    }
    await eventually(() => rec.live.current().value.seq === 199, 15_000, 'the last write applied');
    for (const c of rec.changes) {
      expect(c.value.seq % 2).toBe(1);
      expect(c.value.pair).toEqual({ a: c.value.seq, b: c.value.seq });
    }
    const versions = rec.changes.map((c) => c.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(rec.changes.length).toBeLessThan(200);
    expect(await rec.live.reload()).toBe('unchanged');
  });

  it('W5: a 64 KB config written in 1 KB chunks never applies a partial file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'config.yaml');
    await fsp.writeFile(file, `${doc(1)}complete: true\n`);
    // A big document whose last line the schema requires: any prefix of it is invalid.
    const filler = Array.from({ length: 1600 }, (_, i) => `  k${String(i).padStart(5, '0')}: ${'x'.repeat(32)}`).join('\n');
    const big = `${doc(2)}filler:\n${filler}\ncomplete: true\n`;
    expect(big.length).toBeGreaterThan(64 * 1024);
    const bigSchema = z.object({ seq: z.number(), pair: z.object({ a: z.number(), b: z.number() }), complete: z.literal(true) }).passthrough();
    const live = await watchConfig<Doc & { complete: boolean }>({ sources: [fileProvider({ path: file })], schema: bigSchema, debounceMs: 20, env: {} });
    lives.push(live as unknown as LiveConfig<Doc>);
    const applied: string[] = [];
    live.on('change', (next) => applied.push(JSON.stringify(next.value)));
    const fh = await fsp.open(file, 'w');
    try {
      for (let off = 0; off < big.length; off += 1024) {
        await fh.write(big.slice(off, off + 1024));
        await new Promise((r) => setTimeout(r, 5)); // a slow writer
      }
    } finally {
      await fh.close();
    }
    await eventually(() => live.current().value.seq === 2, 15_000, 'the complete file applied');
    expect(applied).toHaveLength(1);
    expect(live.current().value.seq).toBe(2);
    expect(Object.keys((live.current().value as unknown as { filler: object }).filler)).toHaveLength(1600);
  });

  it('emits nothing for a touch or an identical rewrite', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'config.yaml');
    await fsp.writeFile(file, doc(1));
    const { metrics, outcomes } = countingMetrics();
    const rec = await watchFile(file, { metrics });
    const now = new Date();
    await fsp.utimes(file, now, new Date(now.getTime() + 5_000));
    await eventually(() => outcomes.includes('unchanged'), 15_000, 'a reload after the touch');
    await atomicWrite(file, doc(1));
    await eventually(() => outcomes.filter((o) => o === 'unchanged').length >= 2, 15_000, 'a reload after the rewrite');
    await fsp.writeFile(file, doc(1));
    await atomicWrite(file, doc(2));
    await rec.changesAtLeast(1);
    expect(rec.changes).toHaveLength(1);
    expect(rec.changes[0]!.value.seq).toBe(2);
    expect(rec.rejects).toEqual([]);
  });

  it('W7: survives a permission flip and recovers without a restart', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'config.yaml');
    await fsp.writeFile(file, doc(1));
    const { metrics, outcomes } = countingMetrics();
    const rec = await watchFile(file, { metrics });
    await fsp.chmod(file, 0o000);
    await eventually(() => outcomes.length >= 1, 15_000, 'a reload after chmod');
    if (process.getuid?.() === 0) {
      expect(outcomes[0]).toBe('unchanged'); // root can still read the file
    } else {
      await rec.rejectsAtLeast(1);
      expect(asConfigError(rec.rejects[0]!.cause)?.code).toBe('file_access_error');
    }
    expect(rec.live.current().value.seq).toBe(1);
    await fsp.chmod(file, 0o644);
    await fsp.writeFile(file, doc(2));
    await rec.changesAtLeast(1);
    expect(rec.live.current().value.seq).toBe(2);
  });

  it('W15: close() while a reload is debouncing leaves no watcher or timer and fires nothing', async () => {
    const baseline = await settledHandleCounts();
    const dir = await tempDir();
    const file = path.join(dir, 'config.yaml');
    await fsp.writeFile(file, doc(1));
    const rec = await watchFile(file, { debounceMs: 60_000 });
    expect(handleCounts().FSEventWrap).toBeGreaterThan(baseline.FSEventWrap);
    await atomicWrite(file, doc(2));
    await eventually(() => handleCounts().Timeout > baseline.Timeout, 15_000, 'the debounce timer');
    await rec.live.close();
    const now = await settledHandleCounts();
    expect(now.FSEventWrap).toBeLessThanOrEqual(baseline.FSEventWrap);
    expect(now.Timeout).toBeLessThanOrEqual(baseline.Timeout);
    await atomicWrite(file, doc(3));
    expect(rec.changes).toEqual([]);
    expect(rec.rejects).toEqual([]);
    expect(rec.live.current().value.seq).toBe(1);
  });

  it('W15: close() right after a write, with no debounce, settles and fires nothing afterwards', async () => {
    const baseline = await settledHandleCounts();
    const dir = await tempDir();
    const file = path.join(dir, 'config.yaml');
    await fsp.writeFile(file, doc(1));
    const rec = await watchFile(file, { debounceMs: 0 });
    await atomicWrite(file, doc(2));
    await rec.live.close();
    const after = rec.changes.length + rec.rejects.length;
    await atomicWrite(file, doc(3));
    const now = await settledHandleCounts();
    expect(now.FSEventWrap).toBeLessThanOrEqual(baseline.FSEventWrap);
    expect(now.Timeout).toBeLessThanOrEqual(baseline.Timeout);
    expect(rec.changes.length + rec.rejects.length).toBe(after);
  });

  it('watches the default file search and applies a config file created later', async () => {
    const dir = await tempDir();
    const live = await watchConfig<Record<string, unknown>>({ configPaths: [dir], schema: false, debounceMs: 20, env: {} });
    lives.push(live as unknown as LiveConfig<Doc>);
    const changed = withTimeout(new Promise<string[]>((r) => live.once('change', (_n, _p, keys) => r(keys))), 15_000, 'change');
    await atomicWrite(path.join(dir, 'config.yaml'), 'server:\n  port: 9090\n');
    expect(await changed).toEqual(['server', 'server.port']);
    expect(live.current().get('server.port')).toBe(9090);
    expect(live.current().explain('server.port')).toMatchObject({ type: 'file', location: path.join(dir, 'config.yaml'), line: 2 });
  });
});
