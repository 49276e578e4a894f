/**
 * loadWithin(): one provider load bounded by a deadline and by the caller's signal. The one place
 * that races a load, shared by the loader and composites (providerTimeoutMs, a composite's
 * timeoutMs) and the registry's load policy (loadTimeoutMs, per attempt).
 */
import { ConfigError, ErrorCode } from '../errors.js';
import { abortedError, type Layer, type LoadContext, type Provider } from './provider.js';

/**
 * `provider.load(ctx)`, rejecting with `remote_load_timeout` (retryable) after `timeoutMs`, when
 * the load's own signal is aborted too, and with `load_failed` (aborted) at once when the caller
 * aborts, even if the provider ignores its signal (its late result or rejection is then dropped).
 */
export async function loadWithin(provider: Provider, ctx: LoadContext, timeoutMs: number | undefined): Promise<Layer> {
  const outer = ctx.signal;
  if (timeoutMs === undefined && outer === undefined) return provider.load(ctx);
  if (outer?.aborted) throw abortedError(outer, 'load', provider.name);
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const loading = Promise.resolve().then(() => provider.load({ ...ctx, signal: controller.signal }));
    // A provider that ignores its signal keeps running; its late rejection must not go unhandled.
    loading.catch(() => undefined);
    // Settles only by rejecting: at the deadline, or when the caller aborts.
    const deadline = new Promise<never>((_, reject) => {
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const err = new ConfigError({
            op: 'load',
            code: ErrorCode.RemoteLoadTimeout,
            message: `provider "${provider.name}" did not load within ${timeoutMs} ms`,
            provider: provider.name,
            retryable: true,
            context: { timeoutMs },
          });
          controller.abort(err);
          reject(err);
        }, timeoutMs);
      }
      onAbort = () => reject(abortedError(outer!, 'load', provider.name));
      outer?.addEventListener('abort', onAbort, { once: true });
    });
    return await Promise.race([loading, deadline]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
    if (onAbort) outer?.removeEventListener('abort', onAbort);
  }
}
