/**
 * Soak (RELIABILITY K6, "Figures to report" 10): reload cycles valid -> invalid -> valid on a
 * real file through a LiveConfig; heap, active resources and listener counts must stay flat.
 * `SOAK_CYCLES` sets the cycle count (default 2,000 for a PR run; 10,000 for the full campaign).
 * Figures go to `.reliability/soak.json`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { fileProvider } from '../../src/providers/file.js';
import { watchConfig } from '../../src/presets/framework/api.js';
import { writeResult } from '../fuzz/harness.js';
import { tempDir } from '../support/temp.js';

const CYCLES = Number(process.env.SOAK_CYCLES ?? 2000);
const WARMUP = Math.min(200, Math.floor(CYCLES / 10));

/** A real collector: --expose-gc when given, else turned on for this worker only. */
function collector(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function resourceCounts(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

function processListeners(): number {
  return process.eventNames().reduce((n, e) => n + process.listenerCount(e), 0);
}

let result: Record<string, unknown> = {};
afterAll(() => writeResult('soak', result));

describe('LiveConfig soak (K6)', () => {
  it(`${CYCLES} reload cycles (valid, invalid, valid …) leave heap, resources and listeners flat`, async () => {
    const gc = collector();
    const dir = tempDir();
    const path = join(dir, 'config.json');
    const valid = (n: number) => JSON.stringify({ gen: n, server: { port: 8000 + (n % 1000) }, tags: ['a', 'b', String(n)] });
    const INVALID = ['{"gen": 1, "server": {', '{"__proto__": {"x": 1}}', '{"a": 1, "a": 2}'];
    writeFileSync(path, valid(0));
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const live = await watchConfig({ sources: [fileProvider({ path })], schema: false, debounceMs: 60_000 });
    let rejects = 0;
    let changes = 0;
    live.on('reject', () => rejects++);
    live.on('change', () => changes++);

    const outcomes: Record<string, number> = {};
    let lkgKept = 0;
    let invalidApplied = 0;
    const cycle = async (i: number) => {
      writeFileSync(path, valid(i));
      const a = await live.reload();
      outcomes[a] = (outcomes[a] ?? 0) + 1;
      writeFileSync(path, INVALID[i % INVALID.length]!);
      const r = await live.reload();
      outcomes[r] = (outcomes[r] ?? 0) + 1;
      if (live.current().get('gen') === i) lkgKept++;
      else invalidApplied++;
    };

    let snap: { heap: number; rss: number; resources: Record<string, number>; liveListeners: number; processListeners: number } | undefined;
    const measure = () => {
      gc();
      gc();
      return {
        heap: process.memoryUsage().heapUsed,
        rss: process.memoryUsage().rss,
        resources: resourceCounts(),
        liveListeners: live.eventNames().reduce((n, e) => n + live.listenerCount(e), 0),
        processListeners: processListeners(),
      };
    };
    try {
      for (let i = 1; i <= WARMUP; i++) await cycle(i);
      snap = measure();
      for (let i = WARMUP + 1; i <= CYCLES; i++) await cycle(i);
    } finally {
      const after = measure();
      await live.close();
      // fs.watch handles are released on the next turn of the loop after close().
      await new Promise((r) => setTimeout(r, 50));
      gc();
      const closed = resourceCounts();
      process.off('warning', onWarning);
      const before = snap ?? after;
      result = {
        cycles: CYCLES,
        warmupCycles: WARMUP,
        reloads: CYCLES * 2,
        outcomes,
        changeEvents: changes,
        rejectEvents: rejects,
        lkgKeptAfterReject: lkgKept,
        invalidApplied,
        heapBefore: before.heap,
        heapAfter: after.heap,
        heapDriftBytes: after.heap - before.heap,
        heapDriftPct: (100 * (after.heap - before.heap)) / before.heap,
        rssBefore: before.rss,
        rssAfter: after.rss,
        rssDriftPct: (100 * (after.rss - before.rss)) / before.rss,
        resourcesBefore: before.resources,
        resourcesAfter: after.resources,
        resourcesAfterClose: closed,
        liveListenersBefore: before.liveListeners,
        liveListenersAfter: after.liveListeners,
        processListenersBefore: before.processListeners,
        processListenersAfter: after.processListeners,
        warnings,
      };
    }
    const r = result as { heapDriftBytes: number; heapBefore: number; resourcesBefore: Record<string, number>; resourcesAfter: Record<string, number> };
    expect(outcomes).toEqual({ applied: CYCLES, rejected: CYCLES });
    expect(rejects).toBe(CYCLES);
    expect(invalidApplied).toBe(0);
    expect(lkgKept).toBe(CYCLES);
    // Generous: 10% of the heap or 8 MB, whichever is larger (a leak of even 1 KB per reload over
    // 2,000 cycles would be 4 MB and grows with SOAK_CYCLES).
    expect(r.heapDriftBytes).toBeLessThan(Math.max(8 * 1024 * 1024, r.heapBefore * 0.1));
    // No new kind of resource and no growth of any kind (±2 for in-flight timers and fs requests).
    for (const [kind, n] of Object.entries(r.resourcesAfter)) expect(n, kind).toBeLessThanOrEqual((r.resourcesBefore[kind] ?? 0) + 2);
    expect(result.liveListenersAfter).toBe(result.liveListenersBefore);
    expect(result.processListenersAfter).toBe(result.processListenersBefore);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  }, 30_000 + CYCLES * 20);
});
