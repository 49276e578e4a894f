import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, ErrorCode, isConfigError } from '../src/foundation/errors.js';
import { HealthMonitor } from '../src/observability/health.js';
import type { Logger } from '../src/observability/logging.js';
import type { ConfigMetrics } from '../src/observability/metrics.js';
import { defineProvider, type Provider } from '../src/providers/provider.js';
import { type LiveConfig, type ReloadOutcome } from '../src/core/watch.js';
import { watchConfig } from '../src/presets/framework/api.js';
import { eventually, handleCounts, settledHandleCounts, withTimeout } from './support/reload-events.js';

type Values = Record<string, unknown>;

/**
 * A source driven by the test: set() its values (or an error), fire() its watch, hold() its next
 * loads until released. Records loads, overlap, subscriptions and close.
 */
function manualSource(initial: Values | ConfigError) {
  let current: Values | ConfigError = initial;
  const listeners = new Set<() => void>();
  let gate: Promise<void> | undefined;
  const stats = { loads: 0, inFlight: 0, maxInFlight: 0, subscribed: 0, unsubscribed: 0, closed: 0 };
  const provider: Provider = defineProvider({
    name: 'manual',
    type: 'memory',
    async load() {
      stats.loads++;
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try {
        const snapshot = current; // what the source holds when the load starts
        if (gate) await gate;
        if (snapshot instanceof ConfigError) throw snapshot;
        return { values: structuredClone(snapshot), origin: { provider: 'manual', type: 'memory' } };
      } finally {
        stats.inFlight--;
      }
    },
    watch(onChange) {
      stats.subscribed++;
      listeners.add(onChange);
      return () => {
        if (listeners.delete(onChange)) stats.unsubscribed++;
      };
    },
    async close() {
      stats.closed++;
    },
  });
  return {
    provider,
    stats,
    set(v: Values | ConfigError) {
      current = v;
    },
    fire() {
      for (const l of [...listeners]) l();
    },
    /** Holds every load that starts from now on until the returned function is called. */
    hold(): () => void {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
    get listenerCount() {
      return listeners.size;
    },
  };
}

const parseError = () =>
  new ConfigError({ op: 'load', code: ErrorCode.ParseFailed, message: 'bad YAML', provider: 'manual', location: { file: '/cfg/app.yaml', line: 3, column: 7 } });

const lives: LiveConfig<Values>[] = [];
afterEach(async () => {
  await Promise.all(lives.splice(0).map((l) => l.close()));
});

async function live(source: ReturnType<typeof manualSource>, extra: Parameters<typeof watchConfig>[0] = {}): Promise<LiveConfig<Values>> {
  const l = await watchConfig<Values>({ sources: [source.provider], schema: false, debounceMs: 5, ...extra });
  lives.push(l);
  return l;
}

/** Resolves with the next `event` emitted by `l` (its arguments). */
function next<E extends 'change' | 'reject'>(l: LiveConfig<Values>, event: E, timeoutMs = 10_000) {
  return withTimeout(
    new Promise<unknown[]>((resolve) => l.once(event, ((...args: unknown[]) => resolve(args)) as never)),
    timeoutMs,
    `'${event}' event`,
  );
}

function recordingMetrics() {
  const reloads: { outcome: string; code?: string }[] = [];
  const metrics: ConfigMetrics = {
    recordOperation() {},
    recordLoad() {},
    recordValidation() {},
    recordError() {},
    recordReload(outcome, code) {
      reloads.push(code === undefined ? { outcome } : { outcome, code });
    },
    setProviderHealth() {},
  };
  return { metrics, reloads };
}

function recordingLogger() {
  const records: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => void records.push({ level, obj, ...(msg ? { msg } : {}) });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, records };
}

describe('watchConfig', () => {
  it('rejects with the load error when the first load fails, leaving nothing subscribed', async () => {
    const src = manualSource(parseError());
    const err = await watchConfig({ sources: [src.provider], schema: false }).catch((e: unknown) => e);
    expect(isConfigError(err, 'parse_failed')).toBe(true);
    expect((err as ConfigError).location).toMatchObject({ file: '/cfg/app.yaml', line: 3, column: 7 });
    expect(src.stats.subscribed).toBe(1);
    expect(src.stats.unsubscribed).toBe(1);
    expect(src.stats.closed).toBe(1);
  });

  it('loads the first snapshot and subscribes to every source that can watch', async () => {
    const src = manualSource({ a: 1 });
    const l = await live(src);
    expect(l.current().value).toEqual({ a: 1 });
    expect(l.version).toBe(1);
    expect(src.listenerCount).toBe(1);
  });

  it('applies a changed config and emits change(next, prev, changedKeys)', async () => {
    const src = manualSource({ a: 1, s: { p: 1, q: 2 } });
    const l = await live(src);
    const first = l.current();
    src.set({ a: 1, s: { p: 1, q: 3 }, n: { m: true } });
    const changed = next(l, 'change');
    src.fire();
    const [nextCfg, prevCfg, keys] = await changed;
    expect(prevCfg).toBe(first);
    expect(nextCfg).toBe(l.current());
    expect(l.current().value).toEqual({ a: 1, s: { p: 1, q: 3 }, n: { m: true } });
    expect(keys).toEqual(['n', 'n.m', 's.q']);
    expect(l.version).toBe(2);
    expect(Object.isFrozen(l.current().value)).toBe(true);
  });

  it('keeps the last good config and emits reload_rejected with the cause when a reload fails', async () => {
    const src = manualSource({ a: 1 });
    const { metrics, reloads } = recordingMetrics();
    const l = await live(src, { metrics });
    const good = l.current();
    src.set(parseError());
    const rejected = next(l, 'reject');
    src.fire();
    const [err] = (await rejected) as [ConfigError];
    expect(err.code).toBe('reload_rejected');
    expect(err.op).toBe('reload');
    expect(isConfigError(err.cause, 'parse_failed')).toBe(true);
    expect(err.location).toMatchObject({ file: '/cfg/app.yaml', line: 3, column: 7 });
    expect(l.current()).toBe(good);
    expect(l.version).toBe(1);
    expect(reloads).toEqual([{ outcome: 'rejected', code: 'parse_failed' }]);
    // The next valid content is applied.
    src.set({ a: 2 });
    expect(await l.reload()).toBe('applied');
    expect(l.current().value).toEqual({ a: 2 });
    expect(reloads.at(-1)).toEqual({ outcome: 'applied' });
  });

  it('rejects a schema violation with every issue attached, then applies a valid config', async () => {
    const schema = z.object({ port: z.number().int().min(1), host: z.string() });
    const src = manualSource({ port: 80, host: 'a' });
    const l = await live(src, { schema });
    src.set({ port: -1, host: 5 });
    const rejected = next(l, 'reject');
    src.fire();
    const [err] = (await rejected) as [ConfigError];
    expect(err.code).toBe('reload_rejected');
    expect(isConfigError(err.cause, 'validation_failed')).toBe(true);
    expect(err.issues?.map((i) => i.path).sort()).toEqual(['host', 'port']);
    expect(l.current().value).toEqual({ port: 80, host: 'a' });
    src.set({ port: 81, host: 'a' });
    const changed = next(l, 'change');
    src.fire();
    const [, , keys] = await changed;
    expect(keys).toEqual(['port']);
  });

  it('emits nothing when a reload finds the same values', async () => {
    const src = manualSource({ a: 1, b: [1, 2] });
    const { metrics, reloads } = recordingMetrics();
    const l = await live(src, { metrics });
    let events = 0;
    l.on('change', () => events++);
    l.on('reject', () => events++);
    const before = l.current();
    src.set({ b: [1, 2], a: 1 });
    expect(await l.reload()).toBe('unchanged');
    expect(events).toBe(0);
    expect(l.current()).toBe(before);
    expect(l.version).toBe(1);
    expect(reloads).toEqual([{ outcome: 'unchanged' }]);
  });

  it('debounces a burst of signals into one reload', async () => {
    const src = manualSource({ a: 0 });
    const l = await live(src, { debounceMs: 20 });
    const loadsBefore = src.stats.loads;
    const changed = next(l, 'change');
    for (let i = 1; i <= 50; i++) {
      src.set({ a: i });
      src.fire();
    }
    await changed;
    expect(l.current().value).toEqual({ a: 50 });
    expect(src.stats.loads - loadsBefore).toBe(1);
  });

  it('never runs two reloads at once; signals during a reload schedule exactly one more', async () => {
    const src = manualSource({ a: 0 });
    const l = await live(src, { debounceMs: 0 });
    const loadsBefore = src.stats.loads;
    const release = src.hold();
    src.set({ a: 1 });
    const firstReload = l.reload();
    await eventually(() => src.stats.inFlight === 1);
    // Ten signals and three forced reloads while the first reload is held.
    src.set({ a: 2 });
    for (let i = 0; i < 10; i++) src.fire();
    const forced = [l.reload(), l.reload(), l.reload()]; // also supersede the debounced signals
    release();
    expect(await firstReload).toBe('applied');
    const outcomes = await Promise.all(forced);
    expect(outcomes).toEqual(['applied', 'applied', 'applied']); // all three share the one follow-up
    expect(src.stats.loads - loadsBefore).toBe(2);
    expect(src.stats.maxInFlight).toBe(1);
    expect(l.current().value).toEqual({ a: 2 });
    expect(l.version).toBe(3);
  });

  it('bounds how long continuous signals can postpone a reload (maxWaitMs)', async () => {
    const src = manualSource({ a: 0 });
    const l = await live(src, { debounceMs: 50, maxWaitMs: 60 });
    const changed = next(l, 'change');
    let i = 0;
    const storm = setInterval(() => {
      src.set({ a: ++i });
      src.fire();
    }, 5);
    try {
      // Without maxWaitMs the 50 ms debounce would keep restarting and this would time out.
      const [nextCfg] = await changed;
      expect((nextCfg as { value: Values }).value.a).toBeGreaterThan(0);
    } finally {
      clearInterval(storm);
    }
  });

  it('keeps calling listeners and reloading when a listener throws or rejects', async () => {
    const src = manualSource({ a: 0 });
    const { logger, records } = recordingLogger();
    const l = await live(src, { logger });
    const seen: number[] = [];
    l.on('change', () => {
      throw new Error('listener bug');
    });
    l.on('change', async () => {
      throw new Error('async listener bug');
    });
    l.on('change', (nextCfg) => void seen.push(nextCfg.value.a as number));
    for (let i = 1; i <= 3; i++) {
      src.set({ a: i });
      expect(await l.reload()).toBe('applied');
    }
    expect(seen).toEqual([1, 2, 3]);
    await eventually(() => records.filter((r) => r.level === 'error').length === 6);
    for (const r of records.filter((x) => x.level === 'error')) expect(r.obj.error).toEqual({ name: 'Error' });
  });

  it('K5: a slow async subscriber does not hold up reloads; it sees each applied version once', async () => {
    const src = manualSource({ a: 0 });
    const l = await live(src);
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const seen: number[] = [];
    l.on('change', async (nextCfg) => {
      seen.push(nextCfg.value.a as number);
      await slow; // a subscriber busy for a long time
    });
    for (let i = 1; i <= 100; i++) {
      src.set({ a: i });
      expect(await l.reload()).toBe('applied');
    }
    expect(l.current().value).toEqual({ a: 100 });
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    release();
  });

  it('fires nothing after close(), even from a listener that closes it', async () => {
    const src = manualSource({ a: 0 });
    const l = await live(src);
    const calls: string[] = [];
    l.on('change', () => {
      calls.push('first');
      void l.close();
    });
    l.on('change', () => calls.push('second'));
    src.set({ a: 1 });
    expect(await l.reload()).toBe('applied');
    expect(calls).toEqual(['first']);
    expect(await l.reload()).toBe('closed');
  });

  it('close() while a reload is debouncing: no reload, no event, no timers or watches left', async () => {
    const baseline = await settledHandleCounts();
    const src = manualSource({ a: 0 });
    const l = await live(src, { debounceMs: 10_000 });
    let events = 0;
    l.on('change', () => events++);
    l.on('reject', () => events++);
    const loadsBefore = src.stats.loads;
    src.set({ a: 1 });
    src.fire();
    expect(handleCounts().Timeout).toBeGreaterThan(baseline.Timeout);
    await l.close();
    await l.close(); // idempotent
    expect(src.stats.loads).toBe(loadsBefore);
    expect(events).toBe(0);
    expect(src.listenerCount).toBe(0);
    expect(src.stats.closed).toBe(1);
    await eventually(() => handleCounts().Timeout <= baseline.Timeout, 10_000, 'timers released');
    src.fire();
    expect(handleCounts().Timeout).toBeLessThanOrEqual(baseline.Timeout);
  });

  it('close() while a reload is in flight waits for it and drops its result', async () => {
    const src = manualSource({ a: 0 });
    const l = await live(src);
    let events = 0;
    l.on('change', () => events++);
    l.on('reject', () => events++);
    const release = src.hold();
    src.set({ a: 1 });
    const reloading = l.reload();
    await eventually(() => src.stats.inFlight === 1);
    let closed = false;
    const closing = l.close().then(() => (closed = true));
    const queued = l.reload(); // after close: settles at once
    expect(await queued).toBe('closed');
    release();
    await closing;
    expect(closed).toBe(true);
    const outcome: ReloadOutcome = await reloading;
    expect(outcome).toBe('closed');
    expect(events).toBe(0);
    expect(l.current().value).toEqual({ a: 0 });
    expect(src.stats.inFlight).toBe(0);
  });

  it('closes when options.signal aborts', async () => {
    const src = manualSource({ a: 0 });
    const ac = new AbortController();
    const l = await live(src, { signal: ac.signal });
    ac.abort();
    await eventually(() => l.closed && src.stats.closed === 1);
    expect(src.listenerCount).toBe(0);
  });

  it('reloads once after the first load if a source changed while it was loading', async () => {
    const src = manualSource({ a: 0 });
    const release = src.hold();
    const pending = watchConfig<Values>({ sources: [src.provider], schema: false, debounceMs: 1 });
    await eventually(() => src.stats.inFlight === 1);
    src.set({ a: 1 });
    src.fire();
    release();
    const l = await pending;
    lives.push(l);
    if (l.version === 1) {
      const [nextCfg] = await next(l, 'change');
      expect((nextCfg as { value: Values }).value).toEqual({ a: 1 });
    }
    expect(l.current().value).toEqual({ a: 1 });
  });

  it('feeds the HealthMonitor: a rejection degrades health until the next good reload', async () => {
    const monitor = new HealthMonitor();
    const src = manualSource({ a: 0 });
    const l = await live(src, { monitor });
    expect(monitor.summary().status).toBe('healthy');
    src.set(new ConfigError({ op: 'load', code: ErrorCode.FileNotFound, message: 'gone', location: { file: '/x.yaml' } }));
    expect(await l.reload()).toBe('rejected');
    const degraded = monitor.summary();
    expect(degraded.status).toBe('degraded');
    expect(degraded.reload.rejected).toBe(1);
    expect(degraded.reload.lastErrorCode).toBe('file_not_found');
    // The same values come back: nothing to apply, but the reload succeeded.
    src.set({ a: 0 });
    expect(await l.reload()).toBe('unchanged');
    expect(monitor.summary().status).toBe('healthy');
    src.set({ a: 1 });
    expect(await l.reload()).toBe('applied');
    expect(monitor.summary().reload.applied).toBe(2);
  });

  it('never exposes a torn snapshot across 1,000 alternating reloads', async () => {
    const A = { pair: { left: 'A', right: 'A' }, n: 1 };
    const B = { pair: { left: 'B', right: 'B' }, n: 2 };
    const src = manualSource(A);
    const l = await live(src);
    let stop = false;
    let reads = 0;
    const torn: unknown[] = [];
    const reader = async () => {
      while (!stop) {
        const cfg = l.current();
        const v = cfg.value as { pair: { left: string; right: string }; n: number };
        const left = v.pair.left;
        await Promise.resolve();
        // The same snapshot must still hold the same pair after other work ran.
        if (left !== v.pair.right || cfg.get('pair.left') !== left || (left === 'A') !== (v.n === 1)) torn.push(v);
        reads++;
        if (reads % 64 === 0) await new Promise((r) => setImmediate(r));
      }
    };
    const readers = Array.from({ length: 8 }, reader);
    const versions: number[] = [];
    // Recorded here and asserted after the loop: the live config swallows a listener's throw, so
    // an expect inside the listener could never fail the test.
    const flips: [unknown, unknown][] = [];
    l.on('change', (nextCfg, prevCfg) => {
      versions.push(l.version);
      flips.push([prevCfg.value.n, nextCfg.value.n]);
    });
    for (let i = 0; i < 1000; i++) {
      src.set(i % 2 === 0 ? B : A);
      expect(await l.reload()).toBe('applied');
      // Give the readers a macrotask turn between reloads (reloads alone run in microtasks).
      if (i % 4 === 0) await new Promise((r) => setImmediate(r));
    }
    stop = true;
    await Promise.all(readers);
    expect(torn).toEqual([]);
    expect(reads).toBeGreaterThan(1000);
    expect(versions).toEqual(Array.from({ length: 1000 }, (_, i) => i + 2));
    expect(flips).toHaveLength(1000);
    expect(flips.filter(([prev, next]) => prev === next)).toEqual([]);
  });

  it('holds handles and listeners flat over many valid/invalid reload cycles', async () => {
    const src = manualSource({ a: 0 });
    const l = await live(src);
    l.on('change', () => {});
    l.on('reject', () => {});
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const baseline = await settledHandleCounts();
      for (let i = 0; i < 2000; i++) {
        src.set(i % 3 === 1 ? parseError() : { a: i });
        await l.reload();
      }
      expect(handleCounts()).toEqual(baseline);
      expect(l.listenerCount('change')).toBe(1);
      expect(l.listenerCount('reject')).toBe(1);
      expect(src.listenerCount).toBe(1);
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
