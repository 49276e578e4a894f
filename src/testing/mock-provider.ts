/**
 * mockProvider: a Provider for tests with scripted behaviour (values, delay, deterministic
 * failures, health answer) that records every call. Built with defineProvider like real ones.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ConfigError, type ErrorCode } from '../index.js';
import { defineProvider, type Layer, type LoadContext, type Provider } from '../providers/index.js';

/** Options of {@link mockProvider}. */
export interface MockProviderOptions {
  /** Instance name. Default `mock`. */
  name?: string;
  /** The values every load returns (a fresh deep copy each time). Default `{}`. */
  values?: Record<string, unknown>;
  /** Each load waits this long first (aborts early on the signal). Default 0. */
  loadDelayMs?: number;
  /**
   * Deterministic share of failing loads, 0..1: call n fails when floor(n·rate) > floor((n−1)·rate),
   * so 0.5 fails calls 2, 4, 6… and 0.25 fails calls 4, 8… No randomness, no seed.
   */
  errorRate?: number;
  /**
   * The code of the failures. Without `errorRate`, every load fails with it; with `errorRate`,
   * the scripted failures use it. Default for `errorRate` failures: `provider_unavailable` (retryable).
   */
  failWith?: ErrorCode;
  /** The healthCheck answer (or a function asked on each check). Default true. */
  healthy?: boolean | (() => boolean);
}

/** Every call a mock provider received, in order. */
export interface MockProviderCalls {
  /** The context of each `load` (an empty object when called without one). */
  load: LoadContext[];
  healthCheck: number;
  /** One entry per `watch` subscription; `active` turns false on unsubscribe. */
  watch: { active: boolean }[];
  close: number;
}

/** A Provider with test controls. */
export interface MockProvider extends Provider {
  readonly calls: MockProviderCalls;
  /** Replaces the values later loads return. */
  setValues(values: Record<string, unknown>): void;
  /** Calls every active watch callback (what a file or etcd change would do). */
  emitChange(): void;
  /** Changes the health answer. */
  setHealthy(healthy: boolean): void;
}

/** The scripted load delay; an abort ends it with load_failed. */
async function loadDelay(ms: number, signal: AbortSignal | undefined, name: string): Promise<void> {
  if (ms <= 0) return;
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (err) {
    throw new ConfigError({ op: 'load', code: 'load_failed', message: 'aborted', provider: name, cause: signal?.aborted ? signal.reason : err });
  }
}

/** Whether call `n` fails: spread evenly at `errorRate` (call 2 of 2 at 0.5), or every call with only `failWith`. */
function failureSchedule(options: MockProviderOptions): (n: number) => boolean {
  const rate = options.errorRate;
  if (rate === undefined) return () => options.failWith !== undefined;
  return (n) => Math.floor(n * rate + 1e-9) > Math.floor((n - 1) * rate + 1e-9);
}

/**
 * A scriptable provider for tests.
 * @example
 * const flaky = mockProvider({ name: 'remote', values: { a: 1 }, errorRate: 0.5 });
 * await flaky.load(); // ok (call 1)
 * await flaky.load(); // throws provider_unavailable (call 2)
 * flaky.calls.load.length // 2
 */
export function mockProvider(options: MockProviderOptions = {}): MockProvider {
  const name = options.name ?? 'mock';
  let values = structuredClone(options.values ?? {});
  let healthy = options.healthy ?? true;
  const rate = options.errorRate;
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) {
    throw new ConfigError({ op: 'mockProvider', code: 'invalid_parameters', message: 'errorRate must be between 0 and 1', provider: name });
  }
  const calls: MockProviderCalls = { load: [], healthCheck: 0, watch: [], close: 0 };
  const listeners = new Set<{ cb: () => void; entry: { active: boolean } }>();
  const shouldFail = failureSchedule(options);

  const base = defineProvider({
    name,
    type: 'mock',
    async load(ctx: LoadContext): Promise<Layer> {
      calls.load.push(ctx);
      const n = calls.load.length;
      await loadDelay(options.loadDelayMs ?? 0, ctx.signal, name);
      if (shouldFail(n)) {
        const code = options.failWith ?? 'provider_unavailable';
        throw new ConfigError({ op: 'load', code, message: `mock provider "${name}" failed (call ${n})`, provider: name, context: { call: n } });
      }
      return { values: structuredClone(values), origin: { provider: name, type: 'mock' } };
    },
    watch(onChange: () => void): () => void {
      const entry = { active: true };
      calls.watch.push(entry);
      const l = { cb: onChange, entry };
      listeners.add(l);
      return () => {
        entry.active = false;
        listeners.delete(l);
      };
    },
    async healthCheck() {
      calls.healthCheck++;
      const ok = typeof healthy === 'function' ? healthy() : healthy;
      return ok ? { ok: true } : { ok: false, message: `mock provider "${name}" reports unhealthy` };
    },
    async close() {
      calls.close++;
      listeners.clear();
    },
  });

  return Object.assign(base, {
    calls,
    setValues(next: Record<string, unknown>) {
      values = structuredClone(next);
    },
    emitChange() {
      for (const l of [...listeners]) l.cb();
    },
    setHealthy(next: boolean) {
      healthy = next;
    },
  });
}
