/**
 * The wrapper the registry puts around every provider it creates: `load` gets the per-attempt
 * timeout (`loadTimeoutMs`), retries with exponential backoff and jitter (`maxRetries`, retryable
 * errors only) and the one-error-type guarantee (anything a provider rejects with, even a string or
 * `undefined`, becomes a ConfigError naming the provider, cause kept: RELIABILITY.md G3). `watch`
 * callbacks stop after `close()` (G6). `name`, `type`, `needsLower`, `local`, `healthCheck` and
 * `close` pass through unchanged.
 */
import { ConfigError, ErrorCode, toConfigError } from '../foundation/errors.js';
import { loadWithin } from '../providers/deadline.js';
import { abortedError, isPlainRecord, type Layer, type LoadContext, type Provider } from '../providers/provider.js';

export interface LoadPolicy {
  /** Per attempt. Undefined: no bound. */
  timeoutMs?: number;
  /** Extra attempts after a retryable failure. Default 0. */
  maxRetries?: number;
  /** First backoff delay; doubles per retry, with full jitter in [delay/2, delay]. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** `false` drops `watch` from the wrapper. */
  watch?: boolean;
  /** Jitter source, injectable for tests. */
  random?: () => number;
}

/** Wraps `provider` per `policy` (see the module comment). */
export function guardProvider(provider: Provider, policy: LoadPolicy): Provider {
  const name = provider.name;
  let closed = false;
  const guarded: Provider = {
    name,
    type: provider.type,
    ...(provider.needsLower ? { needsLower: true } : {}),
    // Kept, or the loader would arm a timer for every load of a wrapped file or env provider.
    ...(provider.local ? { local: true } : {}),
    load: (ctx?: LoadContext) => loadWithPolicy(provider, ctx ?? {}, policy),
  };
  if (typeof provider.watch === 'function' && policy.watch !== false) {
    const watch = provider.watch.bind(provider);
    guarded.watch = (onChange) => {
      let active = true;
      const stop = watch(() => {
        if (active && !closed) onChange();
      });
      return () => {
        if (!active) return;
        active = false;
        stop();
      };
    };
  }
  if (typeof provider.healthCheck === 'function') guarded.healthCheck = provider.healthCheck.bind(provider);
  if (typeof provider.close === 'function') {
    const close = provider.close.bind(provider);
    let closing: Promise<void> | undefined;
    guarded.close = () => {
      closed = true;
      return (closing ??= Promise.resolve().then(close));
    };
  } else {
    guarded.close = () => {
      closed = true;
      return Promise.resolve();
    };
  }
  return guarded;
}

async function loadWithPolicy(provider: Provider, ctx: LoadContext, policy: LoadPolicy): Promise<Layer> {
  const retries = policy.maxRetries ?? 0;
  const signal = ctx.signal;
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw abortedError(signal, 'load', provider.name);
    try {
      return await attemptLoad(provider, ctx, policy.timeoutMs);
    } catch (err) {
      if (signal?.aborted) throw abortedError(signal, 'load', provider.name);
      const e = toConfigError(err, {
        op: 'load',
        code: ErrorCode.LoadFailed,
        message: `provider "${provider.name}" failed to load`,
        provider: provider.name,
      });
      if (attempt >= retries || !e.retryable) throw e;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      const delay = ceiling / 2 + (policy.random ?? Math.random)() * (ceiling / 2);
      await sleep(delay, signal, provider.name);
    }
  }
}

/** One attempt, bounded by `timeoutMs` and the caller's signal; the attempt's signal aborts at the deadline. */
async function attemptLoad(provider: Provider, ctx: LoadContext, timeoutMs: number | undefined): Promise<Layer> {
  return checkLayer(await loadWithin(provider, ctx, timeoutMs), provider.name);
}

function checkLayer(layer: Layer, name: string): Layer {
  const values = (layer as Partial<Layer> | null | undefined)?.values;
  // As defineProvider's check: a Map or class instance is no values object.
  if (!isPlainRecord(values)) {
    throw new ConfigError({ op: 'load', code: ErrorCode.LoadFailed, message: `provider "${name}" returned no values object`, provider: name, retryable: false });
  }
  return layer;
}

/**
 * Waits `ms` between attempts; an abort ends the wait with the load's aborted error. On the global
 * setTimeout (not node:timers/promises) so that fake timers drive the backoff in tests.
 */
function sleep(ms: number, signal: AbortSignal | undefined, provider: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(signal, 'load', provider));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal!, 'load', provider));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
