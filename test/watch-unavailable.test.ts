/**
 * LiveConfig and a source that is unavailable for a while (issue 15): a reload rejected because
 * the source could not be reached is retried, without any further change signal, until it goes
 * through; the outage is marked by one `unavailable` (with one `reject`) and one `available`.
 * A config that is invalid is rejected once and not retried until the next change.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, ErrorCode } from '../src/foundation/errors.js';
import { defineProvider, type Provider } from '../src/providers/provider.js';
import { watchConfig, type LiveConfig } from '../src/core/watch.js';

function scripted(initial: Record<string, unknown>) {
  let state: Record<string, unknown> | ConfigError = initial;
  let loads = 0;
  const provider: Provider = defineProvider({
    name: 'scripted',
    type: 'memory',
    load() {
      loads++;
      if (state instanceof ConfigError) throw state;
      return { values: { ...state } };
    },
  });
  return { provider, set: (s: Record<string, unknown> | ConfigError) => (state = s), loads: () => loads };
}

const unavailable = () =>
  new ConfigError({ op: 'load', code: ErrorCode.ProviderUnavailable, message: 'etcd has no leader', provider: 'scripted', retryable: true, context: { reason: 'no_leader' } });
const invalid = () => new ConfigError({ op: 'load', code: ErrorCode.ParseFailed, message: 'bad yaml', provider: 'scripted', retryable: false });

let live: LiveConfig<unknown> | undefined;
afterEach(async () => {
  await live?.close();
  live = undefined;
});

function record(l: LiveConfig<unknown>) {
  const seen: string[] = [];
  l.on('reject', () => seen.push('reject'));
  l.on('unavailable', () => seen.push('unavailable'));
  l.on('available', () => seen.push('available'));
  l.on('change', (next) => seen.push(`change:${String(next.get('v'))}`));
  return seen;
}

describe('LiveConfig while a source is unavailable', () => {
  it('retries until the source answers, applies what it holds then, and marks the outage once', async () => {
    const src = scripted({ v: 1 });
    live = await watchConfig<unknown>({ sources: [src.provider], schema: false, debounceMs: 0 });
    const seen = record(live);
    src.set(unavailable());
    expect(await live.reload()).toBe('rejected');
    // Several retries fail; none of them emits a second reject or unavailable.
    await vi.waitFor(() => expect(src.loads()).toBeGreaterThanOrEqual(5), { timeout: 15_000, interval: 20 });
    expect(seen).toEqual(['reject', 'unavailable']);
    expect(live.current().get('v')).toBe(1);
    // The source comes back holding a newer value: applied without another signal.
    src.set({ v: 2 });
    await vi.waitFor(() => expect(live!.current().get('v')).toBe(2), { timeout: 15_000, interval: 20 });
    expect(seen).toEqual(['reject', 'unavailable', 'available', 'change:2']);
  });

  it('rejects an invalid config once and does not retry it until the next change', async () => {
    const src = scripted({ v: 1 });
    live = await watchConfig<unknown>({ sources: [src.provider], schema: false, debounceMs: 0 });
    const seen = record(live);
    src.set(invalid());
    expect(await live.reload()).toBe('rejected');
    const loads = src.loads();
    // Longer than the first retry steps (0.25 s, 0.5 s, 1 s): nothing is reloaded.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(src.loads()).toBe(loads);
    expect(seen).toEqual(['reject']);
    src.set({ v: 3 });
    expect(await live.reload()).toBe('applied');
    expect(seen).toEqual(['reject', 'change:3']);
  });

  it('stops retrying on close', async () => {
    const src = scripted({ v: 1 });
    live = await watchConfig<unknown>({ sources: [src.provider], schema: false, debounceMs: 0 });
    src.set(unavailable());
    await live.reload();
    await live.close();
    const loads = src.loads();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(src.loads()).toBe(loads);
  });
});
