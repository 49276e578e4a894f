/**
 * OpenTelemetry: confstack records through @opentelemetry/api; the application brings the SDK.
 * Here the SDK keeps spans and metrics in memory and prints what a load produced. In a real
 * service you would use the OTLP exporters instead.
 * Run: npx tsx examples/otel-setup.ts
 */
import { fileURLToPath } from 'node:url';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createMetrics, loadConfig } from 'confstack';

class ManualReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}
const reader = new ManualReader();
const meterProvider = new MeterProvider({ readers: [reader] });
const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });

// Or setGlobalMetrics(createMetrics()) after registering the SDK globally.
const metrics = createMetrics({ meterProvider, tracerProvider });
await loadConfig({
  metrics,
  configPaths: [fileURLToPath(new URL('./config', import.meta.url))],
  env: { OPENAI_API_KEY: 'sk-example-not-a-real-key' },
});

console.log('spans:');
for (const s of spans.getFinishedSpans()) {
  console.log(`  ${s.name} ${JSON.stringify(s.attributes)}`);
}
const { resourceMetrics } = await reader.collect();
console.log('metrics:');
for (const m of resourceMetrics.scopeMetrics.flatMap((s) => s.metrics)) {
  console.log(`  ${m.descriptor.name} (${m.dataPoints.length} series)`);
}
await Promise.all([meterProvider.shutdown(), tracerProvider.shutdown()]);
