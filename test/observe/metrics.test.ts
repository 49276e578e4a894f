import { metrics as otelMetrics, type MeterProvider } from '@opentelemetry/api';
import { DataPointType, MeterProvider as SdkMeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { throwingMetrics } from '../support/throwing.js';
import {
  createMetrics,
  getGlobalMetrics,
  isInactive,
  noOpMetrics,
  safeMetrics,
  setGlobalMetrics,
} from '../../src/observability/metrics.js';
import { AttributeNames, InstrumentNames } from '../../src/observability/names.js';
import { createHarness, TestMetricReader, type Harness } from './otel-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.shutdown();
  h = undefined;
  otelMetrics.disable();
  setGlobalMetrics(undefined);
});

describe('createMetrics', () => {
  it('creates the documented instruments with their units', async () => {
    h = createHarness();
    h.metrics.recordOperation('load', 12, true);
    h.metrics.recordError('parse_failed', 'load');
    h.metrics.recordValidation('load', false, 3, 4);
    h.metrics.recordReload('rejected', 'validation_failed');
    h.metrics.setProviderHealth('file:a.yaml', 'degraded');
    const byName = new Map((await h.collect()).map((m) => [m.descriptor.name, m]));
    const kind = (name: string): string | undefined => {
      const m = byName.get(name);
      if (m === undefined) return undefined;
      if (m.dataPointType === DataPointType.SUM) return m.isMonotonic ? 'counter' : 'updown';
      return m.dataPointType === DataPointType.HISTOGRAM ? 'histogram' : 'gauge';
    };
    expect(kind(InstrumentNames.Operations)).toBe('counter');
    expect(kind(InstrumentNames.Errors)).toBe('counter');
    expect(kind(InstrumentNames.Validations)).toBe('counter');
    expect(kind(InstrumentNames.Reloads)).toBe('counter');
    expect(kind(InstrumentNames.OperationDuration)).toBe('histogram');
    expect(byName.get(InstrumentNames.OperationDuration)?.descriptor.unit).toBe('s');
    expect(kind(InstrumentNames.ProviderHealth)).toBe('gauge');
    expect([...byName.keys()].every((n) => n.startsWith('confstack.'))).toBe(true);
  });

  it('counts operations with operation and outcome attributes and records seconds', async () => {
    h = createHarness();
    h.metrics.recordOperation('load', 250, true, { [AttributeNames.Provider]: 'file:x' });
    h.metrics.recordOperation('load', 500, false);
    const ops = await h.points(InstrumentNames.Operations);
    expect(ops).toEqual(
      expect.arrayContaining([
        { attributes: { 'confstack.operation': 'load', 'confstack.outcome': 'success', 'confstack.provider': 'file:x' }, value: 1 },
        { attributes: { 'confstack.operation': 'load', 'confstack.outcome': 'failure' }, value: 1 },
      ]),
    );
    const durations = await h.points(InstrumentNames.OperationDuration);
    const failed = durations.find((p) => p.attributes['confstack.outcome'] === 'failure');
    expect(failed?.value).toMatchObject({ count: 1, sum: 0.5 });
  });

  it('records a provider load as a provider.load operation with provider and format', async () => {
    h = createHarness();
    h.metrics.recordLoad('file:app.yaml', 'yaml', 10, true);
    expect(await h.points(InstrumentNames.Operations)).toEqual([
      {
        attributes: {
          'confstack.operation': 'provider.load',
          'confstack.outcome': 'success',
          'confstack.provider': 'file:app.yaml',
          'confstack.format': 'yaml',
        },
        value: 1,
      },
    ]);
  });

  it('counts errors by code as error.type', async () => {
    h = createHarness();
    h.metrics.recordError('parse_failed', 'provider.load', 'file:a.json');
    h.metrics.recordError('parse_failed', 'provider.load', 'file:a.json');
    expect(await h.points(InstrumentNames.Errors)).toEqual([
      {
        attributes: { 'error.type': 'parse_failed', 'confstack.operation': 'provider.load', 'confstack.provider': 'file:a.json' },
        value: 2,
      },
    ]);
  });

  it('counts validations by outcome and sums their issues', async () => {
    h = createHarness();
    h.metrics.recordValidation('load', true, 0, 1);
    h.metrics.recordValidation('load', false, 4, 1);
    h.metrics.recordValidation('load', false, 2, 1);
    expect(await h.points(InstrumentNames.Validations)).toEqual(
      expect.arrayContaining([
        { attributes: { 'confstack.provider': 'load', 'confstack.outcome': 'success' }, value: 1 },
        { attributes: { 'confstack.provider': 'load', 'confstack.outcome': 'failure' }, value: 2 },
      ]),
    );
    expect(await h.points(InstrumentNames.ValidationIssues)).toEqual([
      { attributes: { 'confstack.provider': 'load', 'confstack.outcome': 'failure' }, value: 6 },
    ]);
  });

  it('counts reloads by outcome with the rejection code, and gauges the last one (H1)', async () => {
    h = createHarness();
    h.metrics.recordReload('applied');
    h.metrics.recordReload('rejected', 'reload_rejected');
    expect(await h.points(InstrumentNames.Reloads)).toEqual(
      expect.arrayContaining([
        { attributes: { 'confstack.outcome': 'applied' }, value: 1 },
        { attributes: { 'confstack.outcome': 'rejected', 'error.type': 'reload_rejected' }, value: 1 },
      ]),
    );
    expect(await h.points(InstrumentNames.ReloadLastSuccess)).toEqual([{ attributes: {}, value: 0 }]);
    h.metrics.recordReload('unchanged');
    expect(await h.points(InstrumentNames.ReloadLastSuccess)).toEqual([{ attributes: {}, value: 1 }]);
  });

  it.each([
    { status: 'healthy' as const, value: 1 },
    { status: 'degraded' as const, value: 0.5 },
    { status: 'unhealthy' as const, value: 0 },
  ])('gauges a $status provider as $value', async ({ status, value }) => {
    h = createHarness();
    h.metrics.setProviderHealth('etcd:/app', status);
    h.metrics.setProviderHealth('env', 'healthy');
    const points = await h.points(InstrumentNames.ProviderHealth);
    expect(points).toEqual(
      expect.arrayContaining([
        { attributes: { 'confstack.provider': 'etcd:/app' }, value },
        { attributes: { 'confstack.provider': 'env' }, value: 1 },
      ]),
    );
    expect(points).toHaveLength(2);
  });

  it('takes the meter at the first record, not at creation', () => {
    let taken = 0;
    const sdk = new SdkMeterProvider({ readers: [new TestMetricReader()] });
    const counting: MeterProvider = {
      getMeter: (...args) => {
        taken++;
        return sdk.getMeter(...args);
      },
    };
    const m = createMetrics({ meterProvider: counting });
    expect(taken).toBe(0);
    m.recordOperation('load', 1, true);
    m.recordOperation('load', 1, true);
    expect(taken).toBe(1);
  });

  it('never throws when the meter provider, meter or instruments throw (H3)', () => {
    const boom = (): never => {
      throw new Error('exporter down');
    };
    const providers: MeterProvider[] = [
      { getMeter: boom },
      {
        getMeter: () =>
          ({
            createCounter: () => ({ add: boom }),
            createHistogram: () => ({ record: boom }),
            createObservableGauge: () => ({ addCallback: boom }),
          }) as unknown as ReturnType<MeterProvider['getMeter']>,
      },
    ];
    for (const meterProvider of providers) {
      const m = createMetrics({ meterProvider });
      expect(() => {
        m.recordOperation('load', 1, true);
        m.recordLoad('p', 'yaml', 1, false);
        m.recordValidation('p', false, 1, 1);
        m.recordError('parse_failed', 'load');
        m.recordReload('rejected');
        m.setProviderHealth('p', 'unhealthy');
      }).not.toThrow();
    }
  });

  it('reports the latest status set for a provider', async () => {
    h = createHarness();
    h.metrics.setProviderHealth('p', 'healthy');
    await h.collect();
    h.metrics.setProviderHealth('p', 'unhealthy');
    expect(await h.points(InstrumentNames.ProviderHealth)).toEqual([{ attributes: { 'confstack.provider': 'p' }, value: 0 }]);
  });
});

describe('getGlobalMetrics', () => {
  it('is a no-op before an SDK is registered and records once one is, without being re-created', async () => {
    const m = getGlobalMetrics();
    m.recordOperation('load', 1, true); // before the SDK: dropped, and must not pin a no-op meter
    const reader = new TestMetricReader();
    const sdk = new SdkMeterProvider({ readers: [reader] });
    otelMetrics.setGlobalMeterProvider(sdk);
    expect(getGlobalMetrics()).toBe(m);
    m.recordOperation('load', 1, true);
    const { resourceMetrics } = await reader.collect();
    const ops = resourceMetrics.scopeMetrics
      .flatMap((s) => s.metrics)
      .find((x) => x.descriptor.name === InstrumentNames.Operations);
    expect(ops?.dataPoints.map((p) => p.value)).toEqual([1]);
    await sdk.shutdown();
  });

  it('returns what setGlobalMetrics set, and the default again after unsetting', () => {
    const mine = noOpMetrics();
    setGlobalMetrics(mine);
    expect(getGlobalMetrics()).toBe(mine);
    setGlobalMetrics(undefined);
    expect(getGlobalMetrics()).not.toBe(mine);
  });
});

describe('safeMetrics', () => {
  it('swallows every throw of a foreign implementation', () => {
    const bad = throwingMetrics();
    const safe = safeMetrics(bad);
    expect(() => {
      safe.recordOperation('a', 1, true);
      safe.recordLoad('a', 'b', 1, true);
      safe.recordValidation('a', true, 0, 1);
      safe.recordError('a', 'b');
      safe.recordReload('applied');
      safe.setProviderHealth('a', 'healthy');
    }).not.toThrow();
    expect(safe.tracer).toBeUndefined();
    expect(safeMetrics(safe)).toBe(safe);
  });

  it('passes calls through to the wrapped implementation', async () => {
    h = createHarness();
    safeMetrics(h.metrics).recordError('limit_exceeded', 'load');
    expect(await h.points(InstrumentNames.Errors)).toHaveLength(1);
  });
});

describe('noOpMetrics', () => {
  it('records nothing and offers a tracer that makes non-recording spans', () => {
    const m = noOpMetrics();
    expect(() => m.recordOperation('load', 1, true)).not.toThrow();
    const span = m.tracer!.startSpan('x');
    expect(span.isRecording()).toBe(false);
    span.end();
  });
});

describe('isInactive', () => {
  it('is true for noOpMetrics and for the default metrics until an SDK is registered', async () => {
    expect(isInactive(noOpMetrics())).toBe(true);
    const m = createMetrics();
    expect(isInactive(m)).toBe(true);
    const sdk = new SdkMeterProvider({ readers: [new TestMetricReader()] });
    otelMetrics.setGlobalMeterProvider(sdk);
    expect(isInactive(m)).toBe(false);
    await sdk.shutdown();
  });

  it('is false for metrics given providers and for foreign implementations', () => {
    h = createHarness();
    expect(isInactive(h.metrics)).toBe(false);
    expect(isInactive(safeMetrics(noOpMetrics()))).toBe(true);
    expect(isInactive(safeMetrics(createMetrics()))).toBe(true);
    expect(isInactive({ ...noOpMetrics() })).toBe(false);
  });
});
