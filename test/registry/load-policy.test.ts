/**
 * The load policy of created providers: `loadTimeoutMs` bounds each attempt (remote_load_timeout,
 * the hung load's signal aborted), `maxRetries` retries retryable failures only, with exponential
 * backoff (checked on fake timers with a fixed jitter).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, ErrorCode } from '../../src/foundation/errors.js';
import type { Layer, LoadContext, Provider } from '../../src/providers/provider.js';
import { ProviderRegistry, type ProviderRegistryOptions } from '../../src/registry/index.js';
import { expectConfigError } from '../support/errors.js';

const META = { supportedFormats: ['json'] };

/** A registry with type `s` creating a provider whose load runs `script(attempt, ctx)`. */
function scripted(script: (attempt: number, ctx: LoadContext | undefined) => Promise<Layer>, options: ProviderRegistryOptions = {}) {
  const contexts: (LoadContext | undefined)[] = [];
  const r = new ProviderRegistry(options);
  r.register('s', () => ({
    name: 's:1',
    type: 's',
    load: (ctx?: LoadContext) => {
      contexts.push(ctx);
      return script(contexts.length, ctx);
    },
  }) satisfies Provider, META);
  return { r, attempts: () => contexts.length, contexts };
}

const unavailable = (): ConfigError => new ConfigError({ op: 'load', code: ErrorCode.ProviderUnavailable, message: 'down', provider: 's:1' });
const hang = (): Promise<never> => new Promise<never>(() => undefined);

afterEach(() => {
  vi.useRealTimers();
});

describe('loadTimeoutMs', () => {
  it('fails a hung load with a retryable remote_load_timeout and aborts its signal', async () => {
    const { r, contexts } = scripted(() => hang());
    const p = await r.create('s', { loadTimeoutMs: 30 });
    const err = await expectConfigError(p.load(), { code: ErrorCode.RemoteLoadTimeout });
    expect(err.retryable).toBe(true);
    expect(err.provider).toBe('s:1');
    expect(err.context).toEqual({ timeoutMs: 30 });
    expect(contexts[0]?.signal?.aborted).toBe(true);
  });

  it('does not touch a load that settles in time', async () => {
    const { r } = scripted(async () => ({ values: { ok: true } }));
    const p = await r.create('s', { loadTimeoutMs: 60_000 });
    expect((await p.load()).values).toEqual({ ok: true });
  });

  it('retries a timed-out attempt under maxRetries', async () => {
    const { r, attempts } = scripted((n) => (n < 3 ? hang() : Promise.resolve({ values: { n } })), { retryBaseDelayMs: 1 });
    const p = await r.create('s', { loadTimeoutMs: 20, maxRetries: 2 });
    expect((await p.load()).values).toEqual({ n: 3 });
    expect(attempts()).toBe(3);
  });

  it('the caller aborting stops a hung attempt at once, without waiting for the timeout', async () => {
    const { r } = scripted(() => hang());
    const p = await r.create('s', { loadTimeoutMs: 2_147_483_647 });
    const controller = new AbortController();
    const loading = p.load({ signal: controller.signal });
    controller.abort();
    const err = await expectConfigError(loading, { code: ErrorCode.LoadFailed });
    expect(err.message).toContain('aborted');
  });
});

describe('maxRetries', () => {
  it('retries retryable failures and succeeds within the budget', async () => {
    const { r, attempts } = scripted(async (n) => {
      if (n <= 2) throw unavailable();
      return { values: { n } };
    }, { retryBaseDelayMs: 1 });
    const p = await r.create('s', { maxRetries: 2 });
    expect((await p.load()).values).toEqual({ n: 3 });
    expect(attempts()).toBe(3);
  });

  it('gives up after maxRetries + 1 attempts with the last error', async () => {
    const { r, attempts } = scripted(async () => {
      throw unavailable();
    }, { retryBaseDelayMs: 1 });
    const p = await r.create('s', { maxRetries: 3 });
    await expectConfigError(p.load(), { code: ErrorCode.ProviderUnavailable });
    expect(attempts()).toBe(4);
  });

  it('never retries a non-retryable failure', async () => {
    const { r, attempts } = scripted(async () => {
      throw new ConfigError({ op: 'load', code: ErrorCode.ParseFailed, message: 'bad yaml' });
    }, { retryBaseDelayMs: 1 });
    const p = await r.create('s', { maxRetries: 5 });
    await expectConfigError(p.load(), { code: ErrorCode.ParseFailed });
    expect(attempts()).toBe(1);
  });

  it('treats a non-ConfigError rejection as load_failed, retryable as in the Go package (retried up to maxRetries)', async () => {
    const { r, attempts } = scripted(() => Promise.reject(new TypeError('socket hang up')), { retryBaseDelayMs: 1, retryMaxDelayMs: 2 });
    const p = await r.create('s', { maxRetries: 5 });
    const err = await expectConfigError(p.load(), { code: ErrorCode.LoadFailed });
    expect(err.retryable).toBe(true);
    expect(attempts()).toBe(6);
  });

  it('never retries a provider that breaks the Layer contract (load_failed, not retryable)', async () => {
    const { r, attempts } = scripted(() => Promise.resolve({ values: new Map() } as never), { retryBaseDelayMs: 1 });
    const p = await r.create('s', { maxRetries: 5 });
    const err = await expectConfigError(p.load(), { code: ErrorCode.LoadFailed });
    expect(err.retryable).toBe(false);
    expect(attempts()).toBe(1);
  });

  it('without maxRetries, one attempt', async () => {
    const { r, attempts } = scripted(async () => {
      throw unavailable();
    });
    await expectConfigError((await r.create('s')).load(), { code: ErrorCode.ProviderUnavailable });
    expect(attempts()).toBe(1);
  });

  it('backs off exponentially: [ceiling/2, ceiling] per retry, ceiling doubling up to retryMaxDelayMs', async () => {
    vi.useFakeTimers();
    // Jitter 0: each delay is exactly half its ceiling (base 100: 50, 100, 200, then capped at 250/2).
    const { r, attempts } = scripted(async () => {
      throw unavailable();
    }, { retryBaseDelayMs: 100, retryMaxDelayMs: 250, random: () => 0 });
    const p = await r.create('s', { maxRetries: 4 });
    const done = p.load().catch((e: unknown) => e);
    const expectedDelays = [50, 100, 125, 125];
    for (const [i, d] of expectedDelays.entries()) {
      expect(attempts()).toBe(i + 1);
      await vi.advanceTimersByTimeAsync(d - 1);
      expect(attempts(), `retry ${i + 1} before its ${d} ms delay`).toBe(i + 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(attempts()).toBe(i + 2);
    }
    expect((await done as ConfigError).code).toBe(ErrorCode.ProviderUnavailable);
  });

  it('jitter 1 waits the full ceiling', async () => {
    vi.useFakeTimers();
    const { r, attempts } = scripted(async (n) => {
      if (n === 1) throw unavailable();
      return { values: {} };
    }, { retryBaseDelayMs: 80, random: () => 1 });
    const p = await r.create('s', { maxRetries: 1 });
    const done = p.load();
    await vi.advanceTimersByTimeAsync(79);
    expect(attempts()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(attempts()).toBe(2);
  });

  it('aborting during the backoff stops the retries', async () => {
    vi.useFakeTimers();
    const { r, attempts } = scripted(async () => {
      throw unavailable();
    }, { retryBaseDelayMs: 1_000, random: () => 0 });
    const p = await r.create('s', { maxRetries: 5 });
    const controller = new AbortController();
    const done = p.load({ signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    const err = (await done) as ConfigError;
    expect(err.code).toBe(ErrorCode.LoadFailed);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(attempts()).toBe(1);
  });
});
