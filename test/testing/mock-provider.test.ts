import { describe, expect, it } from 'vitest';
import { isConfigError, loadConfig } from 'confstack';
import { mockProvider } from 'confstack/testing';

describe('mockProvider', () => {
  it('returns its values as a fresh copy on every load and records each call', async () => {
    const p = mockProvider({ name: 'm', values: { a: { b: 1 } } });
    const first = await p.load();
    (first.values.a as { b: number }).b = 2;
    const second = await p.load({ env: {} });
    expect(second.values).toEqual({ a: { b: 1 } });
    expect(p.calls.load).toHaveLength(2);
    expect(p.calls.load[1]).toEqual({ env: {} });
    expect(p).toMatchObject({ name: 'm', type: 'mock' });
  });

  it.each([
    { rate: 0.5, failing: [2, 4, 6, 8] },
    { rate: 0.25, failing: [4, 8] },
    { rate: 1, failing: [1, 2, 3, 4, 5, 6, 7, 8] },
    { rate: 0, failing: [] },
  ])('fails deterministically with errorRate $rate', async ({ rate, failing }) => {
    const p = mockProvider({ errorRate: rate });
    const failed: number[] = [];
    for (let n = 1; n <= 8; n++) {
      try {
        await p.load();
      } catch (err) {
        expect(isConfigError(err, 'provider_unavailable')).toBe(true);
        expect(err).toMatchObject({ provider: 'mock', retryable: true });
        failed.push(n);
      }
    }
    expect(failed).toEqual(failing);
  });

  it('fails every load with failWith, and rate-scripted loads with that code', async () => {
    await expect(mockProvider({ failWith: 'parse_failed' }).load()).rejects.toMatchObject({ code: 'parse_failed', provider: 'mock' });
    const p = mockProvider({ failWith: 'remote_load_timeout', errorRate: 0.5 });
    await expect(p.load()).resolves.toBeDefined();
    await expect(p.load()).rejects.toMatchObject({ code: 'remote_load_timeout' });
  });

  it('rejects an errorRate outside 0..1 with invalid_parameters', () => {
    expect(() => mockProvider({ errorRate: 2 })).toThrow(expect.objectContaining({ code: 'invalid_parameters' }));
  });

  it('waits loadDelayMs and stops early on abort', async () => {
    const p = mockProvider({ loadDelayMs: 60_000 });
    const ac = new AbortController();
    const pending = p.load({ signal: ac.signal });
    ac.abort();
    await expect(pending).rejects.toMatchObject({ code: 'load_failed' });
  });

  it('answers health checks as configured and counts them', async () => {
    const p = mockProvider({ healthy: false });
    await expect(p.healthCheck!()).resolves.toMatchObject({ ok: false });
    p.setHealthy(true);
    await expect(p.healthCheck!()).resolves.toEqual({ ok: true });
    let flag = false;
    const q = mockProvider({ healthy: () => flag });
    await expect(q.healthCheck!()).resolves.toMatchObject({ ok: false });
    flag = true;
    await expect(q.healthCheck!()).resolves.toEqual({ ok: true });
    expect(p.calls.healthCheck).toBe(2);
  });

  it('notifies watchers on emitChange until they unsubscribe, and records close', async () => {
    const p = mockProvider();
    let n = 0;
    const off = p.watch!(() => n++);
    p.emitChange();
    off();
    p.emitChange();
    expect(n).toBe(1);
    expect(p.calls.watch).toEqual([{ active: false }]);
    await p.close!();
    await p.close!();
    expect(p.calls.close).toBe(1);
  });

  it('works as a loadConfig source, and setValues changes the next load', async () => {
    const p = mockProvider({ values: { server: { port: 1 } } });
    const a = await loadConfig({ sources: [p], schema: false });
    p.setValues({ server: { port: 2 } });
    const b = await loadConfig({ sources: [p], schema: false });
    expect([a.get('server.port'), b.get('server.port')]).toEqual([1, 2]);
    expect(a.explain('server.port')).toMatchObject({ provider: 'mock', type: 'mock' });
  });
});
