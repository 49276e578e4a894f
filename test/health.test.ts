import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ErrorCode } from '../src/foundation/errors.js';
import { HealthMonitor, HealthThresholds } from '../src/observability/health.js';
import { InstrumentNames, SpanNames } from '../src/observability/names.js';
import type { HealthResult, Provider } from '../src/providers/provider.js';
import { createHarness, type Harness } from './observe/otel-harness.js';

/** A provider whose health checks answer from a script: true ok, false { ok: false }, 'throw'. */
function scripted(name: string, script: (boolean | 'throw')[] = []): Provider & { calls: number } {
  const p = {
    name,
    type: 'test',
    calls: 0,
    async load() {
      return { values: {} };
    },
    async healthCheck(): Promise<HealthResult> {
      const step = script[p.calls++] ?? true;
      if (step === 'throw') throw new Error('connection refused by sk-CANARY');
      return step ? { ok: true } : { ok: false, message: 'not ready' };
    },
  };
  return p;
}

async function run(monitor: HealthMonitor, name: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await monitor.checkProvider(name);
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.shutdown();
  h = undefined;
});

describe('HealthMonitor', () => {
  const T = true;
  const F = false;
  it.each([
    { name: 'never checked', script: [], windowSize: 100, status: 'healthy' },
    { name: 'one success', script: [T], windowSize: 100, status: 'healthy' },
    { name: 'first check failed (rate 0)', script: [F], windowSize: 100, status: 'unhealthy' },
    { name: 'last failed, rate 50%', script: [T, F], windowSize: 100, status: 'degraded' },
    { name: 'last failed, rate 67%', script: [T, T, F], windowSize: 100, status: 'degraded' },
    { name: 'last failed, rate 33%', script: [T, F, F], windowSize: 100, status: 'unhealthy' },
    { name: '3 consecutive failures after many successes', script: [...Array(20).fill(T), F, F, F], windowSize: 100, status: 'unhealthy' },
    { name: 'recovered, rate 91%', script: [...Array(9).fill(T), F, T], windowSize: 100, status: 'healthy' },
    { name: 'recovered from one outage, rate 86%', script: [T, T, T, T, T, F, T], windowSize: 100, status: 'healthy' },
    { name: 'recovered from one outage, rate 25%', script: [F, F, F, T], windowSize: 100, status: 'healthy' },
    { name: 'flapping (two failure runs), rate 71%', script: [T, T, F, T, F, T, T], windowSize: 100, status: 'degraded' },
    { name: 'flapping (two failure runs), rate 50%', script: [F, F, T, F, T, T], windowSize: 100, status: 'degraded' },
    { name: 'old failures slid out of the window', script: [F, F, F, T, T], windowSize: 2, status: 'healthy' },
    { name: 'a throwing check counts as a failure', script: ['throw' as const], windowSize: 100, status: 'unhealthy' },
  ])('rates a provider with $name as $status', async ({ script, windowSize, status }) => {
    const monitor = new HealthMonitor({ windowSize });
    monitor.register(scripted('p', script));
    await run(monitor, 'p', script.length);
    expect(monitor.summary().providers.p?.status).toBe(status);
    expect(monitor.summary().status).toBe(status);
  });

  it('exposes its thresholds', () => {
    expect(HealthThresholds).toEqual({ unhealthyConsecutiveErrors: 3, unhealthySuccessRate: 0.5, degradedSuccessRate: 0.9 });
  });

  it('tracks success rate, error count, consecutive errors and the last error', async () => {
    const monitor = new HealthMonitor({ windowSize: 4 });
    monitor.register(scripted('p', [F, T, T, T, F, F]));
    await run(monitor, 'p', 6);
    await monitor.checkProvider('p');
    const p = monitor.summary().providers.p!;
    // window of 4 over [.., T, F, F, T(7th, default)]: 2 of 4
    expect(p).toMatchObject({ errorCount: 3, consecutiveErrors: 0, successRate: 0.5, lastErrorCode: 'provider_unavailable' });
    expect(p.lastError).toContain('not ready');
    expect(p.lastChecked).toBeInstanceOf(Date);
    expect(p.responseTimeMs).toBeGreaterThanOrEqual(0);
  });

  it('records a foreign throw as its code only, never its message', async () => {
    const monitor = new HealthMonitor();
    monitor.register(scripted('p', ['throw']));
    const health = await monitor.checkProvider('p');
    expect(health.lastErrorCode).toBe('provider_unavailable');
    expect(JSON.stringify(monitor.summary())).not.toContain('CANARY');
  });

  it('masks URL credentials in a provider-authored failure message', async () => {
    const monitor = new HealthMonitor();
    monitor.register({
      name: 'etcd',
      type: 'etcd',
      load: async () => ({ values: {} }),
      healthCheck: async () => ({ ok: false, message: 'stale for 30s at https://root:sk-CANARY@etcd:2379\n' }),
    });
    const health = await monitor.checkProvider('etcd');
    expect(health.lastError).toContain('stale for 30s');
    expect(health.lastError).not.toContain('CANARY');
  });

  it('checks a provider without healthCheck by loading it, keeping the load error code', async () => {
    let loads = 0;
    let fail = false;
    const monitor = new HealthMonitor();
    monitor.register({
      name: 'file:a.json',
      type: 'file',
      async load(ctx) {
        loads++;
        expect(ctx?.signal).toBeInstanceOf(AbortSignal);
        if (fail) throw new ConfigError({ op: 'load', code: ErrorCode.ParseFailed, message: 'bad', provider: 'file:a.json', location: { file: 'a.json', line: 1 } });
        return { values: { secret: 'sk-CANARY' } };
      },
    });
    expect((await monitor.checkProvider('file:a.json')).status).toBe('healthy');
    fail = true;
    const h2 = await monitor.checkProvider('file:a.json');
    expect(loads).toBe(2);
    expect(h2).toMatchObject({ status: 'degraded', lastErrorCode: 'parse_failed' });
    expect(JSON.stringify(monitor.summary())).not.toContain('CANARY');
  });

  it('turns a hanging check into an unhealthy remote_load_timeout and aborts it', async () => {
    let signal: AbortSignal | undefined;
    const monitor = new HealthMonitor({ timeoutMs: 20 });
    monitor.register({
      name: 'hang',
      type: 'test',
      load: async () => ({ values: {} }),
      healthCheck: (opts) => {
        signal = opts?.signal;
        return new Promise(() => {});
      },
    });
    const health = await monitor.checkProvider('hang');
    expect(health).toMatchObject({ status: 'unhealthy', lastErrorCode: 'remote_load_timeout', consecutiveErrors: 1 });
    expect(signal?.aborted).toBe(true);
  });

  it('leaves no timer behind after a quick check', async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const monitor = new HealthMonitor({ timeoutMs: 600_000 });
    monitor.register(scripted('p'));
    const before = timers();
    await monitor.checkProvider('p');
    expect(timers()).toBe(before);
  });

  it('does not surface a check that rejects after its timeout', async () => {
    const monitor = new HealthMonitor({ timeoutMs: 10 });
    let rejectLate: ((e: Error) => void) | undefined;
    monitor.register({
      name: 'late',
      type: 'test',
      load: async () => ({ values: {} }),
      healthCheck: () => new Promise((_, reject) => (rejectLate = reject)),
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      await monitor.checkProvider('late');
      rejectLate?.(new Error('late'));
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('shares one run between concurrent checks of a provider', async () => {
    const monitor = new HealthMonitor();
    const p = scripted('p');
    monitor.register(p);
    const [a, b] = await Promise.all([monitor.checkProvider('p'), monitor.checkProvider('p')]);
    expect(p.calls).toBe(1);
    expect(a).toEqual(b);
  });

  it('rejects a check of an unregistered provider with provider_not_found', async () => {
    await expect(new HealthMonitor().checkProvider('nope')).rejects.toMatchObject({ code: 'provider_not_found', provider: 'nope' });
  });

  it.each([
    { opts: { windowSize: 0 }, key: 'windowSize' },
    { opts: { windowSize: 1.5 }, key: 'windowSize' },
    { opts: { timeoutMs: -1 }, key: 'timeoutMs' },
    { opts: { timeoutMs: Number.NaN }, key: 'timeoutMs' },
  ])('rejects options $opts with invalid_parameters', ({ opts, key }) => {
    expect(() => new HealthMonitor(opts)).toThrow(expect.objectContaining({ code: 'invalid_parameters', location: { key } }));
  });

  it('checkAll checks every provider and reports the worst status', async () => {
    const monitor = new HealthMonitor();
    monitor.register(scripted('good'));
    monitor.register(scripted('flaky', [T, F]));
    monitor.register(scripted('bad', [F]));
    await monitor.checkProvider('flaky');
    const summary = await monitor.checkAll();
    expect(Object.fromEntries(Object.entries(summary.providers).map(([k, v]) => [k, v.status]))).toEqual({
      good: 'healthy',
      flaky: 'degraded',
      bad: 'unhealthy',
    });
    expect(summary.status).toBe('unhealthy');
    expect(summary.reasons).toEqual(expect.arrayContaining(['provider flaky degraded (provider_unavailable)']));
    expect(summary.checkedAt).toBeInstanceOf(Date);
  });

  it('is degraded after a rejected reload until the next applied one', () => {
    const monitor = new HealthMonitor();
    monitor.recordReload(true, 5);
    const err = new ConfigError({ op: 'reload', code: ErrorCode.ReloadRejected, message: 'new config failed validation', cause: new Error('sk-CANARY') });
    monitor.recordReload(false, 5, err);
    let s = monitor.summary();
    expect(s.status).toBe('degraded');
    expect(s.reload).toMatchObject({ applied: 1, rejected: 1, lastOutcome: 'rejected', lastErrorCode: 'reload_rejected', lastError: err.message });
    expect(s.reload.lastReloadAt).toBeInstanceOf(Date);
    expect(JSON.stringify(s)).not.toContain('CANARY');
    monitor.recordReload(true, 5);
    s = monitor.summary();
    expect(s.status).toBe('healthy');
    expect(s.reload).toMatchObject({ applied: 2, rejected: 1, lastOutcome: 'applied' });
  });

  it('is degraded while the last recorded sources include a skipped one', () => {
    const monitor = new HealthMonitor();
    const skipped = new ConfigError({ op: 'load', code: ErrorCode.ProviderUnavailable, message: 'down', provider: 'etcd' });
    monitor.recordSources([
      { name: 'etcd', type: 'etcd', status: 'skipped', error: skipped },
      { name: 'file:a.yaml', type: 'file', status: 'loaded' },
    ]);
    let s = monitor.summary();
    expect(s.status).toBe('degraded');
    expect(s.sources).toEqual([
      { name: 'etcd', type: 'etcd', status: 'skipped', error: 'provider_unavailable' },
      { name: 'file:a.yaml', type: 'file', status: 'loaded' },
    ]);
    expect(s.reasons).toEqual(['source etcd skipped (provider_unavailable)']);
    monitor.recordSources([{ name: 'etcd', type: 'etcd', status: 'loaded' }]);
    s = monitor.summary();
    expect(s.status).toBe('healthy');
  });

  it('counts validations and is degraded while the last one failed', () => {
    const monitor = new HealthMonitor();
    monitor.recordValidation(true, 1, 0);
    monitor.recordValidation(false, 1, 3);
    expect(monitor.summary()).toMatchObject({ status: 'degraded', validation: { total: 2, failed: 1, successRate: 0.5, lastIssueCount: 3 } });
    monitor.recordValidation(true, 1, 0);
    expect(monitor.summary().status).toBe('healthy');
    expect(new HealthMonitor().summary().validation).toEqual({ total: 0, failed: 0, successRate: 1, figures: { count: 0, errors: 0, errorsByCode: {}, throughputPerSec: 0 } });
  });

  it('feeds recorded loads into the window and ignores unknown providers', () => {
    const monitor = new HealthMonitor();
    monitor.register(scripted('p'));
    monitor.recordProviderLoad('p', false, 3, new ConfigError({ op: 'load', code: ErrorCode.FileNotFound, message: 'gone' }));
    monitor.recordProviderLoad('unknown', false, 3);
    const s = monitor.summary();
    expect(s.providers.p).toMatchObject({ status: 'unhealthy', lastErrorCode: 'file_not_found', responseTimeMs: 3 });
    expect(Object.keys(s.providers)).toEqual(['p']);
  });

  it('keeps history when a provider is registered again under the same name', async () => {
    const monitor = new HealthMonitor();
    monitor.register(scripted('p', [F]));
    await monitor.checkProvider('p');
    const replacement = scripted('p');
    monitor.register(replacement);
    await monitor.checkProvider('p');
    expect(replacement.calls).toBe(1);
    expect(monitor.summary().providers.p).toMatchObject({ errorCount: 1, successRate: 0.5 });
  });

  it('reports each registered provider on the confstack.provider.health gauge', async () => {
    h = createHarness();
    const monitor = new HealthMonitor({ metrics: h.metrics });
    monitor.register(scripted('good'));
    monitor.register(scripted('bad', [F]));
    expect(await h.points(InstrumentNames.ProviderHealth)).toEqual(
      expect.arrayContaining([
        { attributes: { 'confstack.provider': 'good' }, value: 1 },
        { attributes: { 'confstack.provider': 'bad' }, value: 1 },
      ]),
    );
    await monitor.checkAll();
    expect(await h.points(InstrumentNames.ProviderHealth)).toEqual(
      expect.arrayContaining([
        { attributes: { 'confstack.provider': 'good' }, value: 1 },
        { attributes: { 'confstack.provider': 'bad' }, value: 0 },
      ]),
    );
  });

  it('wraps each check in a confstack.health.check span and operation', async () => {
    h = createHarness();
    const monitor = new HealthMonitor({ metrics: h.metrics });
    monitor.register(scripted('bad', [F]));
    await monitor.checkProvider('bad');
    const span = h.span(SpanNames.HealthCheck);
    expect(span.attributes).toMatchObject({ 'confstack.provider': 'bad', 'error.type': 'provider_unavailable' });
    expect(await h.points(InstrumentNames.Errors)).toEqual([
      { attributes: { 'error.type': 'provider_unavailable', 'confstack.operation': 'health.check', 'confstack.provider': 'bad' }, value: 1 },
    ]);
  });

  it('keeps figures per provider, for validation and for reload: percentiles, errors by code, since last success', async () => {
    const monitor = new HealthMonitor({ windowSize: 10 });
    monitor.register(scripted('p', [T, F, 'throw', T]));
    await run(monitor, 'p', 4);
    for (let i = 1; i <= 20; i++) monitor.recordProviderLoad('p', true, i);
    monitor.recordValidation(true, 4, 0);
    monitor.recordValidation(false, 8, 3);
    monitor.recordReload(true, 10);
    monitor.recordReload(false, 30, new ConfigError({ op: 'load', code: ErrorCode.ParseFailed, message: 'bad' }));
    const s = monitor.summary();
    const p = s.providers.p!.figures;
    expect(p.count).toBe(24);
    expect(p.errorsByCode).toEqual({ provider_unavailable: 2 });
    expect(p.latencyMs).toEqual({ p50: 15, p95: 20, p99: 20, max: 20 }); // the window holds the last 10 loads
    expect(p.sinceLastSuccessMs).toBeGreaterThanOrEqual(0);
    expect(s.validation.figures).toMatchObject({ count: 2, errors: 1, errorsByCode: { validation_failed: 1 }, latencyMs: { p50: 4, max: 8 } });
    expect(s.reload.figures).toMatchObject({ count: 2, errors: 1, errorsByCode: { parse_failed: 1 }, latencyMs: { p50: 10, p99: 30 } });
    expect(JSON.parse(JSON.stringify(s)).reload.figures.lastSuccessAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('reports the time since the last success on the confstack.health.last_success_age gauge', async () => {
    h = createHarness();
    const monitor = new HealthMonitor({ metrics: h.metrics });
    monitor.register(scripted('good'));
    await monitor.checkAll();
    monitor.recordValidation(true, 1, 0);
    monitor.recordReload(false, 1);
    const points = await h.points(InstrumentNames.LastSuccessAge);
    expect(points.map((p) => p.attributes['confstack.health.subject']).sort()).toEqual(['good', 'validation']);
    for (const p of points) expect(p.value).toBeGreaterThanOrEqual(0);
    expect(points.every((p) => (p.value as number) < 60)).toBe(true);
  });

  it('never lets a throwing metrics implementation break a check (H3)', async () => {
    const boom = (): never => {
      throw new Error('x');
    };
    const monitor = new HealthMonitor({
      metrics: { recordOperation: boom, recordLoad: boom, recordValidation: boom, recordError: boom, recordReload: boom, setProviderHealth: boom, setLastSuccess: boom },
    });
    monitor.register(scripted('p', [F]));
    await expect(monitor.checkAll()).resolves.toMatchObject({ status: 'unhealthy' });
  });
});
