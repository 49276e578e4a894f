/**
 * Telemetry overhead on a warm load (~3 KB YAML file + the 10 env overrides, framework schema).
 *
 * Phase 1, no OpenTelemetry global registered (a process that never set up an SDK): the default
 * load (no `metrics`, `logger` or `monitor`) against the same load with `metrics: noOpMetrics()`,
 * the one way the API offers to bypass telemetry. Their ratio is the default path's overhead.
 * Phase 2, with the full SDK registered globally (MeterProvider with a periodic reader into an
 * in-memory exporter, BasicTracerProvider into an InMemorySpanExporter, an AsyncLocalStorage
 * context manager): the bypassed load against the default load that now records, with and
 * without a pino logger (debug level, null stream) and a HealthMonitor. Within each phase the
 * contestants are sampled round-robin; the phases run one after the other in this process
 * (registering the SDK is process-wide, so they cannot be interleaved).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, metrics as otelMetrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { getGlobalMetrics, HealthMonitor, loadConfig, noOpMetrics, type LoadOptions } from 'confstack';
import pino from 'pino';
import { appConfig, ENV_OVERRIDES, serialize } from '../fixtures.js';
import { formatMs, formatRatio, sampleInterleaved, type Sampled, type SampleOptions } from '../lib/measure.js';
import type { BenchCase, Goal, Row } from '../lib/types.js';

const BYPASSED = 'telemetry bypassed (metrics: noOpMetrics())';
const DEFAULT = 'default (no telemetry options, no SDK)';
const SDK = 'default, OTel SDK registered';
const FULL = 'OTel SDK + pino logger + HealthMonitor';

/** Spans kept in memory between resets (the exporter holds every finished span). */
const SPAN_RESET_EVERY = 1_000;

export const run: BenchCase = async (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'confstack-bench-otel-'));
  writeFileSync(join(dir, 'config.yaml'), serialize(appConfig('3KB'), 'yaml'));
  const base: LoadOptions = { configPaths: [dir], env: { ...ENV_OVERRIDES } };
  const load = async (extra: Partial<LoadOptions> = {}): Promise<unknown> => {
    const config = await loadConfig({ ...base, ...extra });
    return config.get('server.port');
  };
  if ((await load()) !== 9090) throw new Error('the env override of server.port did not land');
  const sampling: SampleOptions = ctx.quick ? { warmup: 20, minSamples: 20, minTimeMs: 0 } : { warmup: 300, minSamples: 500, minTimeMs: 6_000 };

  const rows: Row[] = [];
  const row = (name: string, s: Sampled, baseline: Sampled, group: string, note?: string): Row => ({
    name,
    group,
    median: s.median,
    p99: s.p99,
    ratio: s.median / baseline.median,
    ...(note ? { note } : {}),
  });

  // Phase 1: nothing registered.
  ctx.log('observability: default vs bypassed (no SDK)');
  const bypassed = () => load({ metrics: noOpMetrics() });
  const [bypass1, dflt] = await sampleInterleaved([bypassed, () => load()], sampling);
  const g1 = 'no SDK registered';
  rows.push(row(BYPASSED, bypass1!, bypass1!, g1), row(DEFAULT, dflt!, bypass1!, g1, 'what every load pays by default'));

  // Phase 2: the full SDK, registered globally as an application would.
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const meterProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 1_000 })] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  let logRecords = 0;
  const logger = pino({ level: 'debug' }, { write: () => void logRecords++ });
  let full: Sampled[];
  try {
    context.setGlobalContextManager(contextManager);
    trace.setGlobalTracerProvider(tracerProvider);
    otelMetrics.setGlobalMeterProvider(meterProvider);
    const monitor = new HealthMonitor({ metrics: getGlobalMetrics() });

    // The SDK must really record: a load span with its provider and validate spans as children.
    await load({ logger, monitor });
    const names = spans.getFinishedSpans().map((s) => s.name);
    const root = spans.getFinishedSpans().find((s) => s.name === 'confstack.load');
    const children = spans.getFinishedSpans().filter((s) => s.parentSpanContext?.spanId === root?.spanContext().spanId);
    if (!root || children.length < 2 || !names.includes('confstack.validate')) throw new Error(`unexpected spans: ${names.join(', ')}`);
    if (logRecords === 0) throw new Error('the pino logger received no record');
    const spanCount = names.length;
    const recordsPerLoad = logRecords;
    spans.reset();

    let loads = 0;
    const withReset = (fn: () => Promise<unknown>) => async (): Promise<unknown> => {
      if (++loads % SPAN_RESET_EVERY === 0) spans.reset();
      return fn();
    };
    ctx.log('observability: full SDK vs bypassed');
    full = await sampleInterleaved([bypassed, withReset(() => load()), withReset(() => load({ logger, monitor }))], sampling);
    await meterProvider.forceFlush();
    const exported = metricExporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name)));
    if (!exported.includes('confstack.operations')) throw new Error(`metrics not exported: ${exported.join(', ')}`);
    const g2 = 'OTel SDK registered';
    rows.push(
      row(BYPASSED, full[0]!, full[0]!, g2),
      row(SDK, full[1]!, full[0]!, g2, `${spanCount} spans and their metrics per load`),
      row(FULL, full[2]!, full[0]!, g2, `+ ${recordsPerLoad} debug log record${recordsPerLoad === 1 ? '' : 's'} per load, health recorded`),
    );
  } finally {
    trace.disable();
    otelMetrics.disable();
    context.disable();
    await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    rmSync(dir, { recursive: true, force: true });
  }

  const defaultOverhead = dflt!.median / bypass1!.median;
  const fullOverhead = full[2]!.median / full[0]!.median;
  const goals: Goal[] = [
    { goal: 'default path telemetry overhead ≤ 2% (default load / telemetry bypassed)', measured: formatRatio(defaultOverhead), met: defaultOverhead <= 1.02 },
  ];
  return {
    id: 'observability',
    title: 'Telemetry overhead on a warm load',
    description:
      'Warm load of a ~3 KB YAML file with the 10 env overrides (framework schema). Ratio: median against the same load with telemetry bypassed (`metrics: noOpMetrics()`), sampled round-robin with it.',
    columns: ['median', 'p99', 'ratio', 'note'],
    rows,
    goals,
    notes: [
      `How the 2% is judged: the default load passes no telemetry options and no SDK is registered, so its telemetry is the no-op default; the only cheaper path the API offers is \`metrics: noOpMetrics()\`, which makes every span wrapper return at its first check. The ratio of the two (${formatRatio(defaultOverhead)}) is the default path's telemetry cost; a truly telemetry-free loader does not exist to compare against.`,
      `Full SDK overhead: ${formatRatio(full[1]!.median / full[0]!.median)} with the SDK alone (+${formatMs(full[1]!.median - full[0]!.median)} per load), ${formatRatio(fullOverhead)} with a debug-level pino logger and a HealthMonitor as well (+${formatMs(full[2]!.median - full[0]!.median)}). Spans go through a SimpleSpanProcessor (exported as each ends; a BatchSpanProcessor defers that work) into an InMemorySpanExporter reset every ${SPAN_RESET_EVERY.toLocaleString('en-US')} loads; metrics through a PeriodicExportingMetricReader every second.`,
      `The two phases cannot be interleaved with each other: registering an OTel SDK is process-wide. Each phase has its own bypassed baseline; the second one is ${formatRatio(full[0]!.median / bypass1!.median)} the first, mostly the AsyncLocalStorage context manager, which every await in the process pays once it is enabled (not confstack's doing).`,
    ],
  };
};
