/**
 * createTestTelemetry(): in-memory OpenTelemetry wiring for tests. The SDK packages
 * (@opentelemetry/sdk-metrics, @opentelemetry/sdk-trace-base) are imported only when it is
 * called, so `confstack/testing` stays cheap to import.
 */
import { ConfigError, createMetrics, type ConfigMetrics } from '../index.js';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** One data point of a collected metric. */
export interface CollectedPoint {
  attributes: Record<string, unknown>;
  /** A number for counters and gauges; `{ count, sum }` for histograms. */
  value: number | { count: number; sum: number };
}

/** One instrument as collected. */
export interface CollectedMetric {
  name: string;
  unit: string;
  points: CollectedPoint[];
}

/** What {@link createTestTelemetry} returns. */
export interface TestTelemetry {
  /** Pass this as `metrics` to loadConfig, watchConfig, HealthMonitor… */
  metrics: ConfigMetrics;
  /** Every span ended so far. */
  spans(): ReadableSpan[];
  /** Collects every instrument now (observable gauges are observed). */
  collectMetrics(): Promise<CollectedMetric[]>;
  /** Drops recorded spans. */
  reset(): void;
  shutdown(): Promise<void>;
}

/**
 * In-memory span and metric readers wired into a ConfigMetrics.
 * @throws ConfigError provider_unavailable if the OTel SDK packages are not installed
 * @example
 * const t = await createTestTelemetry();
 * await loadConfig({ metrics: t.metrics });
 * t.spans().map((s) => s.name) // ['confstack.provider.load', …, 'confstack.load']
 */
export async function createTestTelemetry(): Promise<TestTelemetry> {
  let metricsSdk: typeof import('@opentelemetry/sdk-metrics');
  let traceSdk: typeof import('@opentelemetry/sdk-trace-base');
  try {
    [metricsSdk, traceSdk] = await Promise.all([import('@opentelemetry/sdk-metrics'), import('@opentelemetry/sdk-trace-base')]);
  } catch (cause) {
    throw new ConfigError({
      op: 'createTestTelemetry',
      code: 'provider_unavailable',
      message: 'install @opentelemetry/sdk-metrics and @opentelemetry/sdk-trace-base to use createTestTelemetry()',
      cause,
      retryable: false,
    });
  }
  class ManualReader extends metricsSdk.MetricReader {
    protected override async onForceFlush(): Promise<void> {}
    protected override async onShutdown(): Promise<void> {}
  }
  const reader = new ManualReader();
  const meterProvider = new metricsSdk.MeterProvider({ readers: [reader] });
  const exporter = new traceSdk.InMemorySpanExporter();
  const tracerProvider = new traceSdk.BasicTracerProvider({ spanProcessors: [new traceSdk.SimpleSpanProcessor(exporter)] });
  const metrics = createMetrics({ meterProvider, tracerProvider });

  return {
    metrics,
    spans: () => [...exporter.getFinishedSpans()],
    reset: () => exporter.reset(),
    async collectMetrics() {
      const { resourceMetrics } = await reader.collect();
      const out: CollectedMetric[] = [];
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const m of scope.metrics) {
          out.push({
            name: m.descriptor.name,
            unit: m.descriptor.unit,
            points: m.dataPoints.map((p) => {
              const v = p.value as unknown;
              return {
                attributes: { ...p.attributes },
                value: typeof v === 'number' ? v : { count: (v as { count: number }).count, sum: (v as { sum?: number }).sum ?? 0 },
              };
            }),
          });
        }
      }
      return out;
    },
    async shutdown() {
      await Promise.allSettled([meterProvider.shutdown(), tracerProvider.shutdown()]);
    },
  };
}
