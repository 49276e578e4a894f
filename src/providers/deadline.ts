/**
 * The one place that races work against a deadline and a caller's signal: withDeadline() for any
 * abortable work (the health monitor's checks), loadWithin() for one provider load (the loader,
 * composites, and the registry's load policy per attempt, all bounded by `loadTimeoutMs`).
 */
import { ConfigError, ErrorCode } from '../foundation/errors.js';
import { abortedError, type Layer, type LoadContext, type Provider } from './provider.js';

export interface DeadlineOptions {
  /** No deadline when undefined. */
  timeoutMs?: number | undefined;
  /** The caller's signal: its abort rejects at once with `onAbort(signal)`. */
  signal?: AbortSignal | undefined;
  /** The rejection at the deadline, also given to the work's signal as its abort reason. */
  onTimeout: () => unknown;
  /** The rejection when the caller aborts; its abort reason by default. */
  onAbort?: (signal: AbortSignal) => unknown;
}

/**
 * `work(signal)`, rejecting with `onTimeout()` after `timeoutMs` (the work's signal aborted with
 * it) and with `onAbort` at once when the caller's signal aborts (forwarded to the work's signal),
 * even if the work ignores its signal: its late result or rejection is then dropped.
 */
export async function withDeadline<T>(work: (signal: AbortSignal) => Promise<T> | T, opts: DeadlineOptions): Promise<T> {
  const { timeoutMs, signal: outer } = opts;
  const aborted = opts.onAbort ?? ((signal: AbortSignal): unknown => signal.reason);
  if (outer?.aborted) throw aborted(outer);
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const working = Promise.resolve().then(() => work(controller.signal));
    // Work that ignores its signal keeps running; its late rejection must not go unhandled.
    working.catch(() => undefined);
    // Settles only by rejecting: at the deadline, or when the caller aborts.
    const deadline = new Promise<never>((_, reject) => {
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const err = opts.onTimeout();
          controller.abort(err);
          reject(err);
        }, timeoutMs);
      }
      onAbort = () => reject(aborted(outer!));
      outer?.addEventListener('abort', onAbort, { once: true });
    });
    return await Promise.race([working, deadline]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
    if (onAbort) outer?.removeEventListener('abort', onAbort);
  }
}

/**
 * `provider.load(ctx)`, rejecting with `remote_load_timeout` (retryable) after `timeoutMs`, when
 * the load's own signal is aborted too, and with `load_failed` (aborted) at once when the caller
 * aborts, even if the provider ignores its signal (its late result or rejection is then dropped).
 */
export async function loadWithin(provider: Provider, ctx: LoadContext, timeoutMs: number | undefined): Promise<Layer> {
  if (timeoutMs === undefined && ctx.signal === undefined) return provider.load(ctx);
  return withDeadline((signal) => provider.load({ ...ctx, signal }), {
    timeoutMs,
    signal: ctx.signal,
    onTimeout: () =>
      new ConfigError({
        op: 'load',
        code: ErrorCode.RemoteLoadTimeout,
        message: `provider "${provider.name}" did not load within ${timeoutMs} ms`,
        provider: provider.name,
        retryable: true,
        context: { timeoutMs },
      }),
    onAbort: (signal) => abortedError(signal, 'load', provider.name),
  });
}

/**
 * The per-provider load timeout of an options object: `loadTimeoutMs`, the one name everywhere
 * (LoadOptions, composites, the registry), or the older name the same option had there
 * (`providerTimeoutMs` of LoadOptions, `timeoutMs` of a composite), still read as a deprecated
 * alias. Undefined when neither is given; `Infinity` means no bound.
 * @throws ConfigError invalid_parameters when both names are given with different values, or the
 *   value is not a positive number of milliseconds
 */
export function loadTimeoutOf(options: object, alias: string, op: string): number | undefined {
  const given = options as Record<string, unknown>;
  const current = given.loadTimeoutMs;
  const old = given[alias];
  if (current !== undefined && old !== undefined && current !== old) {
    throw new ConfigError({
      op,
      code: ErrorCode.InvalidParameters,
      message: `loadTimeoutMs (${String(current)}) and its deprecated alias ${alias} (${String(old)}) disagree: give loadTimeoutMs only`,
      location: { key: alias },
    });
  }
  const ms = current ?? old;
  if (ms === undefined) return undefined;
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms <= 0) {
    const key = current !== undefined ? 'loadTimeoutMs' : alias;
    throw new ConfigError({ op, code: ErrorCode.InvalidParameters, message: `${key} must be a positive number of milliseconds, got ${typeof ms === 'number' ? ms : typeof ms}`, location: { key } });
  }
  return ms;
}
