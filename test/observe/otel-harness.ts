/**
 * A real OpenTelemetry SDK for tests: a MeterProvider with a reader we collect from on demand,
 * a BasicTracerProvider with an in-memory span exporter, and helpers to query both.
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createMetrics, type ConfigMetrics } from '../../src/observability/metrics.js';

/** A pull reader: `collect()` on demand, no timers. */
export class TestMetricReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

export interface Point {
  attributes: Record<string, unknown>;
  value: number | Histogram;
}

export interface Harness {
  meterProvider: MeterProvider;
  tracerProvider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
  reader: TestMetricReader;
  metrics: ConfigMetrics;
  collect(): Promise<MetricData[]>;
  points(name: string): Promise<Point[]>;
  spans(): ReadableSpan[];
  span(name: string): ReadableSpan;
  shutdown(): Promise<void>;
}

export function createHarness(extraProcessors: SpanProcessor[] = []): Harness {
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter), ...extraProcessors],
  });
  const metrics = createMetrics({ meterProvider, tracerProvider });
  const collect = async (): Promise<MetricData[]> => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
  };
  return {
    meterProvider,
    tracerProvider,
    exporter,
    reader,
    metrics,
    collect,
    async points(name) {
      const m = (await collect()).find((d) => d.descriptor.name === name);
      if (!m) return [];
      return (m.dataPoints as DataPoint<number | Histogram>[]).map((p) => ({
        attributes: { ...p.attributes },
        value: p.value,
      }));
    },
    spans: () => exporter.getFinishedSpans(),
    span(name) {
      const s = exporter.getFinishedSpans().find((x) => x.name === name);
      if (!s) throw new Error(`no span ${name}; have ${exporter.getFinishedSpans().map((x) => x.name).join(', ')}`);
      return s;
    },
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
}

/** Registers AsyncLocalStorage context propagation; returns the undo. */
export function useAsyncContext(): () => void {
  const cm = new AsyncLocalStorageContextManager();
  cm.enable();
  context.setGlobalContextManager(cm);
  return () => {
    context.disable();
  };
}

/** The parent span id of a finished span (SDK 2.x: parentSpanContext). */
export function parentIdOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** Everything telemetry emitted, as one string to scan for canaries. */
export async function dumpAll(h: Harness): Promise<string> {
  const spans = h.spans().map((s) => ({
    name: s.name,
    attributes: s.attributes,
    status: s.status,
    events: s.events.map((e) => ({ name: e.name, attributes: e.attributes })),
    links: s.links,
  }));
  const metrics = (await h.collect()).map((m) => ({
    name: m.descriptor.name,
    points: (m.dataPoints as DataPoint<unknown>[]).map((p) => ({ attributes: p.attributes, value: p.value })),
  }));
  return JSON.stringify({ spans, metrics });
}
