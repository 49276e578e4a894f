/**
 * Live reload: watchConfig() and LiveConfig. Owns watching every source that can watch,
 * debouncing, serialising reloads, and the "validate, then swap" rule (RELIABILITY.md promise 1):
 * a reload re-runs the whole pipeline (loadFromSources) and its snapshot replaces the current one
 * only if it loaded and validated; otherwise the last good snapshot stays and `reject` fires.
 * Sits on top of load.ts; nothing in the core imports it.
 */
import { EventEmitter } from 'node:events';
import { monotonicMs } from '../foundation/clock.js';
import type { Config, SnapshotOf } from './config.js';
import { asConfigError, ConfigError, ErrorCode } from '../foundation/errors.js';
import type { HealthMonitor } from '../observability/health.js';
import { loadFromSources, resolveSources, type LoadOptions } from './load.js';
import { logEvent } from '../observability/logging.js';
import { getGlobalMetrics, safeMetrics, type ConfigMetrics } from '../observability/metrics.js';
import { AttributeNames, SpanNames } from '../observability/names.js';
import { quietly, recordSpanError, withSpan } from '../observability/tracing.js';
import type { Provider } from '../providers/provider.js';
import type { StandardSchemaV1 } from '../foundation/standard-schema.js';
import { changedKeys } from '../tree/diff.js';
import { isThenable } from './validate.js';

/** Options of watchConfig: every LoadOptions field plus the reload timing. Never mutated. */
export interface WatchConfigOptions extends LoadOptions {
  /**
   * Quiet period after a change signal before reloading, in ms (trailing debounce). Default 100.
   * Editors and the kubelet produce several events per save; one reload follows them.
   */
  debounceMs?: number;
  /**
   * Upper bound on how long a continuous stream of signals can postpone a reload, in ms.
   * Default `max(1000, 10 × debounceMs)`. Bounds staleness during a write storm.
   */
  maxWaitMs?: number;
  /** Fed with every reload outcome (a rejection makes health `degraded` until the next good one). */
  monitor?: HealthMonitor;
}

/** What one reload did. `closed`: the LiveConfig was closed before it could finish. */
export type ReloadOutcome = 'applied' | 'rejected' | 'unchanged' | 'closed';

/** Events of a LiveConfig and their arguments. */
export interface LiveConfigEvents<T, C extends Config<any> = Config<T>> {
  /** A new snapshot was applied. `changedKeys` as {@link changedKeys}: leaf paths, sorted. */
  change: [next: C, prev: C, changedKeys: string[]];
  /** A reload failed; the previous snapshot stays current. Code `reload_rejected`, op `reload`. */
  reject: [error: ConfigError];
  /**
   * A reload failed because a source could not be reached (a retryable `provider_unavailable` or
   * `remote_load_timeout`: etcd down or without quorum): fires once when that starts, with the
   * `reject` of the same reload. The reload is retried (backoff with jitter) until it goes through.
   */
  unavailable: [error: ConfigError];
  /** The sources can be reached again after `unavailable` (fires before that reload's `change`). */
  available: [];
}

interface LiveConfigInit {
  providers: readonly Provider[];
  options: WatchConfigOptions;
}

/**
 * What watchConfig does to a LiveConfig that nobody else may: create it, subscribe it, hand it its
 * first snapshot. Filled by LiveConfig's static block (the only code that reaches its private
 * members), so none of it is part of the class's public type.
 */
let lifecycle: {
  create<T>(init: LiveConfigInit): LiveConfig<T>;
  start(live: LiveConfig<unknown>): void;
  markReady<T>(live: LiveConfig<T>, first: Config<T>): void;
};

/** What one reload found. */
type Decision<C> =
  | { outcome: 'closed' }
  | { outcome: 'rejected'; error: ConfigError }
  | { outcome: 'unchanged'; next: C }
  | { outcome: 'applied'; next: C; keys: string[] };

/**
 * A configuration that follows its sources. Create one with {@link watchConfig}.
 *
 * Guarantees:
 * - `current()` is always a complete snapshot that passed every check (never a mix of two).
 * - Reloads never overlap; signals during a reload schedule exactly one more.
 * - A listener that throws (or rejects) is logged and skipped; other listeners and later reloads
 *   still run.
 * - After `close()` no event fires and no timer, watcher or provider connection is left.
 */
// `T` is the value's type, `C` the snapshot's (a schema's Config subclass, e.g. the framework preset's).
export class LiveConfig<T = unknown, C extends Config<any> = Config<T>> extends EventEmitter<LiveConfigEvents<T, C>> {
  readonly #providers: readonly Provider[];
  readonly #options: WatchConfigOptions;
  readonly #metrics: ConfigMetrics;
  readonly #debounceMs: number;
  readonly #maxWaitMs: number;
  // Set by #markReady() before watchConfig hands the LiveConfig out.
  #snapshot!: C;
  #version = 1;
  #unsubscribes: (() => void)[] = [];
  #started = false;
  #ready = false;
  #signalledEarly = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  #debounce: NodeJS.Timeout | undefined;
  #firstSignalAt: number | undefined;
  #pending = false;
  #waiting: ((outcome: ReloadOutcome) => void)[] = [];
  #loop: Promise<void> | undefined;
  #inflight: AbortController | undefined;
  #lastRejected = false;
  #onAbort: (() => void) | undefined;
  #retry: { timer?: NodeJS.Timeout; delayMs: number; since?: number } = { delayMs: RETRY_MIN_MS };

  static {
    lifecycle = {
      create: <T>(init: LiveConfigInit) => new LiveConfig<T>(init),
      start: (live) => live.#start(),
      markReady: (live, first) => live.#markReady(first),
    };
  }

  /** Made by {@link watchConfig} only. */
  private constructor(init: LiveConfigInit) {
    super();
    this.#providers = init.providers;
    this.#options = init.options;
    this.#metrics = safeMetrics(init.options.metrics ?? getGlobalMetrics());
    this.#debounceMs = Math.max(0, init.options.debounceMs ?? 100);
    this.#maxWaitMs = Math.max(this.#debounceMs, init.options.maxWaitMs ?? Math.max(1000, 10 * this.#debounceMs));
  }

  /** The current snapshot (the last one that loaded and validated). */
  current(): C {
    return this.#snapshot;
  }

  /** 1 for the first snapshot, +1 for every applied change. */
  get version(): number {
    return this.#version;
  }

  /** True once close() has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Reloads now, without waiting for a watch signal or the debounce (sources without `watch`,
   * tests, an admin endpoint). Resolves when a reload that started after this call has finished;
   * calls made during a reload share the one reload that follows it.
   */
  reload(): Promise<ReloadOutcome> {
    if (this.#closed) return Promise.resolve('closed');
    this.#clearDebounce();
    return new Promise<ReloadOutcome>((resolve) => {
      this.#waiting.push(resolve);
      this.#pending = true;
      this.#kick();
    });
  }

  /**
   * Stops watching: unsubscribes every watch, clears timers, waits for an in-flight reload to
   * settle (its result is dropped), closes the providers that have `close`. Idempotent; no event
   * fires once it has been called.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  /** Subscribes to every provider that can watch (once; watchConfig calls it). */
  #start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    for (const p of this.#providers) {
      if (typeof p.watch !== 'function') continue;
      try {
        this.#unsubscribes.push(p.watch(() => this.#signal()));
      } catch (err) {
        // A source that cannot watch still loads; later reloads (other signals, reload()) see it.
        logEvent(this.#options.logger, 'warn', 'confstack: source cannot be watched', { provider: p.name, error: err });
      }
    }
    const signal = this.#options.signal;
    if (signal) {
      this.#onAbort = () => void this.close();
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /** Installs the first snapshot; signals from now on reload. */
  #markReady(first: C): void {
    if (this.#ready) return;
    this.#snapshot = first;
    this.#ready = true;
    if (this.#signalledEarly) this.#signal();
  }

  #signal(): void {
    if (this.#closed) return;
    if (!this.#ready) {
      // A change while the first snapshot loads: it may have been missed by that load.
      this.#signalledEarly = true;
      return;
    }
    const now = monotonicMs();
    this.#firstSignalAt ??= now;
    const wait = Math.max(0, Math.min(this.#debounceMs, this.#firstSignalAt + this.#maxWaitMs - now));
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      this.#debounce = undefined;
      this.#firstSignalAt = undefined;
      this.#pending = true;
      this.#kick();
    }, wait);
  }

  #clearDebounce(): void {
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#debounce = undefined;
    this.#firstSignalAt = undefined;
  }

  /** Starts the reload loop unless it runs already (it then picks up `#pending` itself). */
  #kick(): void {
    if (this.#loop || this.#closed) return;
    this.#loop = this.#drain()
      .catch((err: unknown) => logEvent(this.#options.logger, 'error', 'confstack: reload loop failed', { error: err }))
      .finally(() => {
        this.#loop = undefined;
        if (this.#pending && !this.#closed) this.#kick();
      });
  }

  async #drain(): Promise<void> {
    while (this.#pending && !this.#closed) {
      this.#pending = false;
      const batch = this.#waiting;
      this.#waiting = [];
      let outcome: ReloadOutcome = 'closed';
      try {
        outcome = await this.#reloadOnce();
      } finally {
        for (const resolve of batch) resolve(outcome);
      }
    }
  }

  async #reloadOnce(): Promise<ReloadOutcome> {
    const started = monotonicMs();
    const prev = this.#snapshot;
    const decision = await this.#decide(prev);
    if (decision.outcome === 'closed' || this.#closed) return 'closed';
    const durationMs = monotonicMs() - started;
    if (decision.outcome === 'rejected') return this.#rejected(decision.error, durationMs);
    const monitor = this.#options.monitor;
    quietly(() => monitor?.recordSources(decision.next.sources()));
    this.#reachable();
    if (decision.outcome === 'unchanged') {
      this.#metrics.recordReload('unchanged');
      // A good reload after a rejection clears the degraded state even if nothing changed.
      if (this.#lastRejected) quietly(() => monitor?.recordReload(true, durationMs));
      this.#lastRejected = false;
      logEvent(this.#options.logger, 'debug', 'confstack: reload found no change', { duration_ms: durationMs, outcome: 'unchanged' });
      return 'unchanged';
    }

    // The swap: one assignment, so a reader sees the old snapshot or the new one, never a mix.
    this.#snapshot = decision.next;
    this.#version++;
    this.#lastRejected = false;
    this.#metrics.recordReload('applied');
    quietly(() => monitor?.recordReload(true, durationMs));
    logEvent(this.#options.logger, 'info', 'confstack: configuration reloaded', {
      changed_keys: decision.keys,
      duration_ms: durationMs,
      outcome: 'applied',
    });
    this.#dispatch('change', decision.next, prev, decision.keys);
    return 'applied';
  }

  /** Loads once, in the reload span, and decides against `prev`; never throws. */
  async #decide(prev: C): Promise<Decision<C>> {
    const controller = new AbortController();
    this.#inflight = controller;
    try {
      return await withSpan<Decision<C>>(this.#metrics, SpanNames.Reload, {}, async (span) => {
        let next: C;
        try {
          next = (await loadFromSources<T>(this.#providers, { ...this.#options, signal: controller.signal })) as C;
        } catch (err) {
          if (this.#closed) return { outcome: 'closed' };
          const error = rejection(err, this.#version);
          recordSpanError(span, error);
          span.setAttribute(AttributeNames.Outcome, 'rejected');
          return { outcome: 'rejected', error };
        }
        if (this.#closed) return { outcome: 'closed' };
        const keys = changedKeys(prev.value, next.value);
        span.setAttribute(AttributeNames.ChangedKeyCount, keys.length);
        span.setAttribute(AttributeNames.Outcome, keys.length === 0 ? 'unchanged' : 'applied');
        return keys.length === 0 ? { outcome: 'unchanged', next } : { outcome: 'applied', next, keys };
      });
    } catch (err) {
      // withSpan rethrows only what the callback threw; the callback catches the load. Defensive.
      return this.#closed ? { outcome: 'closed' } : { outcome: 'rejected', error: rejection(err, this.#version) };
    } finally {
      this.#inflight = undefined;
    }
  }

  /** A rejected reload: recorded and reported; the last good snapshot stays. */
  #rejected(error: ConfigError, durationMs: number): ReloadOutcome {
    this.#lastRejected = true;
    this.#metrics.recordReload('rejected', asConfigError(error.cause)?.code ?? error.code);
    // Health reports the underlying code (file_not_found, validation_failed…), not reload_rejected.
    quietly(() => this.#options.monitor?.recordReload(false, durationMs, asConfigError(error.cause) ?? error));
    logEvent(this.#options.logger, 'warn', 'confstack: reload rejected; keeping the last good config', {
      error,
      duration_ms: durationMs,
      outcome: 'rejected',
    });
    if (this.#retryIfUnavailable(error) === 'again') return 'rejected';
    this.#dispatch('reject', error);
    if (this.#retry.since !== undefined && !this.#closed) this.#dispatch('unavailable', error);
    return 'rejected';
  }

  /**
   * A reload rejected because a source was unavailable (not because the config is invalid) is
   * retried until it goes through, so a change is never lost for want of another write. Returns
   * `first` for the first failure of an outage, `again` for a retry that failed too (no second
   * `reject`), undefined for an invalid config (rejected once, retried only on the next change).
   */
  #retryIfUnavailable(error: ConfigError): 'first' | 'again' | undefined {
    const cause = asConfigError(error.cause);
    const unavailable = cause?.retryable === true && (cause.code === ErrorCode.ProviderUnavailable || cause.code === ErrorCode.RemoteLoadTimeout);
    if (!unavailable || this.#closed) return undefined;
    const r = this.#retry;
    const first = r.since === undefined;
    r.since ??= Date.now();
    // Full backoff step with jitter (half to all of it), so a fleet does not retry in step.
    const wait = Math.round(r.delayMs / 2 + (Math.random() * r.delayMs) / 2);
    r.delayMs = Math.min(r.delayMs * 2, RETRY_MAX_MS);
    clearTimeout(r.timer);
    r.timer = setTimeout(() => {
      r.timer = undefined;
      this.#pending = true;
      this.#kick();
    }, wait);
    if (first) logEvent(this.#options.logger, 'warn', 'confstack: a source is unavailable; retrying until it answers', { error, duration_ms: wait, outcome: 'retrying' });
    return first ? 'first' : 'again';
  }

  /** A reload went through: an outage (if any) is over. */
  #reachable(): void {
    const r = this.#retry;
    clearTimeout(r.timer);
    const was = r.since;
    this.#retry = { delayMs: RETRY_MIN_MS };
    if (was === undefined) return;
    logEvent(this.#options.logger, 'info', 'confstack: sources available again', { duration_ms: Date.now() - was, outcome: 'available' });
    this.#dispatch('available');
  }

  /** Calls each listener on its own, so one that throws cannot stop the others or the reload. */
  #dispatch<K extends keyof LiveConfigEvents<T, C>>(event: K, ...args: LiveConfigEvents<T, C>[K]): void {
    const listeners = this.rawListeners(event as never) as ((...a: unknown[]) => unknown)[];
    for (const listener of listeners) {
      if (this.#closed) return; // a listener may close(): nothing fires after that
      try {
        const result = listener.apply(this, args);
        if (isThenable(result)) result.then(undefined, (err: unknown) => this.#listenerFailed(event, err));
      } catch (err) {
        this.#listenerFailed(event, err);
      }
    }
  }

  #listenerFailed(event: string, err: unknown): void {
    logEvent(this.#options.logger, 'error', `confstack: a '${event}' listener threw; other listeners and reloads continue`, {
      error: err,
      operation: 'reload',
    });
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    this.#clearDebounce();
    clearTimeout(this.#retry.timer);
    for (const unsubscribe of this.#unsubscribes.splice(0)) {
      try {
        unsubscribe();
      } catch (err) {
        logEvent(this.#options.logger, 'warn', 'confstack: unsubscribing a watch failed', { error: err });
      }
    }
    if (this.#onAbort) this.#options.signal?.removeEventListener('abort', this.#onAbort);
    this.#onAbort = undefined;
    this.#inflight?.abort(new ConfigError({ op: 'reload', code: ErrorCode.LoadFailed, message: 'live config closed', retryable: false }));
    if (this.#loop) await this.#loop;
    for (const resolve of this.#waiting.splice(0)) resolve('closed');
    await closeProviders(this.#providers, this.#options);
  }
}

/**
 * Loads the configuration and keeps it current: watches every source that can watch (files,
 * including editors' atomic saves and Kubernetes ConfigMap volumes; etcd), debounces, re-runs the
 * whole pipeline, and applies the result only if it loads and validates.
 *
 * When to use: long-running services that should pick up config changes without a restart.
 * Gotchas: listeners get whole snapshots; read `live.current()` at the point of use rather than
 * caching values. A rejected reload keeps the last good config and emits `reject` (code
 * `reload_rejected`, the load or validation error as `cause`, its `issues` and `location` copied).
 * Unchanged content (a touch, an identical rewrite) emits nothing. Call `close()` on shutdown.
 * If `options.signal` aborts, the LiveConfig closes.
 *
 * @throws ConfigError from the first load (there is no last good config yet); nothing is left watching
 * @example
 * const live = await watchConfig({ configPaths: ['./config'], debounceMs: 200 });
 * live.on('change', (next, prev, keys) => log.info({ keys }, 'config changed'));
 * live.on('reject', (err) => log.warn({ code: err.code }, 'bad config ignored'));
 * server.listen(live.current().getInt('server.port'));
 */
export function watchConfig<S extends StandardSchemaV1>(options: WatchConfigOptions & { schema: S; validate?: true }): Promise<LiveConfig<StandardSchemaV1.InferOutput<S>, SnapshotOf<S>>>;
export function watchConfig(options?: WatchConfigOptions & ({ schema?: false | undefined } | { validate: false })): Promise<LiveConfig<unknown>>;
/** With an explicit `T`: the caller asserts the value's type (no schema checks it). */
export function watchConfig<T>(options?: WatchConfigOptions): Promise<LiveConfig<T>>;
export async function watchConfig(options: WatchConfigOptions = {}): Promise<LiveConfig<unknown>> {
  const opts: WatchConfigOptions = { ...options };
  const providers = await resolveSources(opts);
  const live = lifecycle.create<unknown>({ providers, options: opts });
  // Subscribe before the first load so a change during it is not lost: the LiveConfig holds such
  // signals until the first snapshot exists, then reloads once.
  lifecycle.start(live);
  let first: Config<unknown>;
  try {
    first = await loadFromSources<unknown>(providers, opts);
  } catch (err) {
    await live.close();
    throw err;
  }
  lifecycle.markReady(live, first);
  quietly(() => opts.monitor?.recordSources(first.sources()));
  return live;
}

/** Retry of a reload rejected for an unavailable source: first delay and cap (before jitter). */
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

function rejection(err: unknown, version: number): ConfigError {
  const cause = asConfigError(err);
  return new ConfigError({
    op: 'reload',
    code: ErrorCode.ReloadRejected,
    message: `reload rejected${cause ? ` (${cause.code})` : ''}; keeping the last good config (version ${version})`,
    cause: err,
    ...(cause?.provider !== undefined ? { provider: cause.provider } : {}),
    ...(cause?.format !== undefined ? { format: cause.format } : {}),
    ...(cause?.location !== undefined ? { location: cause.location } : {}),
    ...(cause?.issues !== undefined ? { issues: cause.issues } : {}),
    context: { cause_code: cause?.code ?? 'unknown', version },
  });
}

async function closeProviders(providers: readonly Provider[], options: WatchConfigOptions): Promise<void> {
  const results = await Promise.allSettled(providers.map(async (p) => p.close?.()));
  for (const [i, r] of results.entries()) {
    if (r.status === 'rejected') {
      logEvent(options.logger, 'warn', 'confstack: closing a source failed', { provider: providers[i]?.name ?? '', error: r.reason });
    }
  }
}

