/**
 * The OpenTelemetry API loads only once something registered an OTel global (observability/otel.ts):
 * it costs more to import than confstack itself. Checked in a fresh process, through the CommonJS
 * module cache the API lands in.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function run(code: string): string {
  const prelude = `
    import { createRequire } from 'node:module';
    const apiLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('@opentelemetry/api'));`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', prelude + code], { cwd: ROOT, encoding: 'utf8' }).trim();
}

describe('lazy OpenTelemetry API', () => {
  it('is not loaded by importing confstack, loading, validating, logging or failing while no OTel global exists', () => {
    const out = run(`
      const { loadConfig, memoryProvider, ConfigError } = await import('confstack');
      const logger = { debug() {}, info() {}, warn() {}, error() {} };
      await loadConfig({ sources: [memoryProvider({ llm_providers: [] })], logger });
      await loadConfig({ sources: [memoryProvider({ tools: [{}] })] }).catch((e) => { if (!(e instanceof ConfigError)) throw e; });
      console.log(apiLoaded());`);
    expect(out).toBe('false');
  });

  it('is loaded, and spans recorded, once the app registers a tracer provider', () => {
    const out = run(`
      const { loadConfig, memoryProvider } = await import('confstack');
      await loadConfig({ sources: [memoryProvider({})], schema: false });
      const before = apiLoaded();
      const { trace } = await import('@opentelemetry/api');
      const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
      const exporter = new InMemorySpanExporter();
      trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
      await loadConfig({ sources: [memoryProvider({})], schema: false });
      console.log(JSON.stringify({ before, after: apiLoaded(), spans: exporter.getFinishedSpans().map((s) => s.name) }));`);
    const result = JSON.parse(out) as { before: boolean; after: boolean; spans: string[] };
    expect(result.before).toBe(false);
    expect(result.after).toBe(true);
    expect(result.spans).toContain('confstack.load');
  });
});
