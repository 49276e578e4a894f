/**
 * withDeadline / loadWithin: the one deadline race (loader, composites, registry load policy,
 * health checks).
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, isConfigError } from '../../src/foundation/errors.js';
import { loadWithin, withDeadline } from '../../src/providers/deadline.js';
import { defineProvider } from '../../src/providers/provider.js';

/** Work that settles only when its signal aborts (and then, late, rejects), recording the reason. */
function hanging(): { work: (signal: AbortSignal) => Promise<never>; reason: Promise<unknown> } {
  let seen!: (r: unknown) => void;
  const reason = new Promise<unknown>((resolve) => (seen = resolve));
  const work = (signal: AbortSignal) =>
    new Promise<never>((_, reject) => {
      const onAbort = () => {
        seen(signal.reason);
        setTimeout(() => reject(new Error('late failure, must be dropped')), 5);
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort);
    });
  return { work, reason };
}

describe('withDeadline', () => {
  it('returns what the work returns, and hands it a live signal', async () => {
    await expect(withDeadline((signal) => (signal.aborted ? 'aborted' : 'ok'), { timeoutMs: 1000, onTimeout: () => 'timeout' })).resolves.toBe('ok');
  });

  it('rejects at the deadline with onTimeout(), aborting the work with the same value', async () => {
    const { work, reason } = hanging();
    const timeout = { kind: 'timeout' };
    await expect(withDeadline(work, { timeoutMs: 10, onTimeout: () => timeout })).rejects.toBe(timeout);
    expect(await reason).toBe(timeout);
    // Let the work's late rejection happen inside this test: were it unhandled, vitest would fail the file.
    await new Promise((r) => setTimeout(r, 20));
  });

  it("rejects at once when the caller aborts, forwarding the caller's reason to the work", async () => {
    const { work, reason } = hanging();
    const caller = new AbortController();
    const racing = withDeadline(work, { signal: caller.signal, onTimeout: () => 'timeout', onAbort: (s) => ({ aborted: s.reason }) });
    caller.abort('stop');
    await expect(racing).rejects.toEqual({ aborted: 'stop' });
    expect(await reason).toBe('stop');
    await new Promise((r) => setTimeout(r, 20));
  });

  it('does not start the work when the caller has already aborted', async () => {
    let started = false;
    const caller = new AbortController();
    caller.abort('before');
    await expect(withDeadline(() => (started = true), { signal: caller.signal, onTimeout: () => 'timeout' })).rejects.toBe('before');
    expect(started).toBe(false);
  });
});

describe('loadWithin', () => {
  const never = defineProvider({ name: 'never', type: 'test', load: () => new Promise(() => {}) });

  it('turns a load past its deadline into a retryable remote_load_timeout naming the provider', async () => {
    const err: unknown = await loadWithin(never, {}, 10).catch((e: unknown) => e);
    expect(isConfigError(err, ErrorCode.RemoteLoadTimeout)).toBe(true);
    expect(err).toMatchObject({ provider: 'never', retryable: true, context: { timeoutMs: 10 } });
  });

  it('turns a caller abort into load_failed (aborted)', async () => {
    const caller = new AbortController();
    const loading = loadWithin(never, { signal: caller.signal }, undefined);
    caller.abort();
    const err: unknown = await loading.catch((e: unknown) => e);
    expect(isConfigError(err, ErrorCode.LoadFailed)).toBe(true);
    expect(err).toMatchObject({ provider: 'never', detail: 'aborted' });
  });
});
