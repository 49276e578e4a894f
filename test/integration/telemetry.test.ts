/**
 * Secret canary across the whole pipeline (RELIABILITY.md S3, S5, S7, H1, H3): configs holding a
 * canary secret go through a successful load, parse errors, a validation error and a rejected
 * reload with the real OTel SDK, a real pino logger and a HealthMonitor; then every span (name,
 * attributes, events, status, links), metric point, log record, health summary and error message
 * is scanned for the canary.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { trace, SpanStatusCode } from '@opentelemetry/api';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatConfigError, isConfigError, type ConfigError } from '../../src/foundation/errors.js';
import { HealthMonitor } from '../../src/observability/health.js';
import { loadFromSources } from '../../src/presets/framework/api.js';
import { InstrumentNames, SpanNames } from '../../src/observability/names.js';
import { fileProvider } from '../../src/providers/file.js';
import { memoryProvider } from '../../src/providers/memory.js';
import { defineProvider, type Provider } from '../../src/providers/provider.js';
import { watchConfig } from '../../src/presets/framework/api.js';
import { throwingMetrics } from '../support/throwing.js';
import { createHarness, dumpAll, parentIdOf, useAsyncContext, type Harness } from '../observe/otel-harness.js';

const CANARY = 'sk-CANARY-5e1f0c';

const schema = z.looseObject({
  database: z.looseObject({ host: z.string(), port: z.number().default(5432), password: z.string() }),
  llm: z.looseObject({ api_key: z.string().min(8) }).optional(),
});

let h: Harness;
let undo: () => void;
let dir: string;
let lines: string[];
let logger: pino.Logger;
let monitor: HealthMonitor;

beforeEach(async () => {
  undo = useAsyncContext();
  h = createHarness();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'confstack-telemetry-'));
  lines = [];
  logger = pino(
    { level: 'trace' },
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString('utf8'));
        cb();
      },
    }),
  );
  monitor = new HealthMonitor({ metrics: h.metrics });
});

afterEach(async () => {
  await h.shutdown();
  undo();
  trace.disable();
  await fs.rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, text);
  return file;
}

function errorText(err: unknown): string {
  const e = err as ConfigError;
  return [e.message, String(e.stack), formatConfigError(e), JSON.stringify(e.toJSON()), JSON.stringify(e.issues ?? [])].join('\n');
}

/** Everything observable, scanned for the canary; also checks that there was something to scan. */
async function expectNoCanary(extra: string[] = []): Promise<void> {
  const telemetry = await dumpAll(h);
  expect(h.spans().length).toBeGreaterThan(0);
  expect(lines.length).toBeGreaterThan(0);
  const everything = [telemetry, ...lines, JSON.stringify(monitor.summary()), ...extra].join('\n');
  expect(everything).not.toContain(CANARY);
  expect(everything).not.toContain('5e1f0c');
}

// The canary also sits in the password of URLs: a value under a key that names no secret, and the
// name of a source (which reaches span and metric attributes, log records and health).
const GOOD_YAML = `database:\n  host: db.local\n  password: ${CANARY}\n  url: postgres://app:${CANARY}@db.local:5432/app\nllm:\n  api_key: ${CANARY}\n`;
const URL_NAMED = `memory:https://svc:${CANARY}@vault.local/v1`;

function sources(file: string): Provider[] {
  return [
    memoryProvider({ service: { token: CANARY } }, 'memory:overrides'),
    memoryProvider({ service: { endpoint: `amqp://u:${CANARY}@mq.local/vh` } }, URL_NAMED),
    fileProvider({ path: file }),
  ];
}

describe('telemetry across the pipeline', () => {
  it('traces a successful load as load > provider.load per provider > validate, with no secret anywhere', async () => {
    const file = await write('config.yaml', GOOD_YAML);
    const providers = sources(file);
    for (const p of providers) monitor.register(p);
    const config = await loadFromSources(providers, { schema, metrics: h.metrics, logger, monitor });
    monitor.recordSources(config.sources());
    await monitor.checkAll();

    const load = h.span(SpanNames.Load);
    const children = h.spans().filter((s) => parentIdOf(s) === load.spanContext().spanId);
    expect(children.map((s) => s.name).sort()).toEqual([SpanNames.ProviderLoad, SpanNames.ProviderLoad, SpanNames.ProviderLoad, SpanNames.Validate]);
    const fileSpan = h.spans().find((s) => s.attributes['confstack.provider'] === `file:${file}`);
    expect(fileSpan?.attributes['confstack.format']).toBe('yaml');
    expect(load.status.code).toBe(SpanStatusCode.UNSET);
    const ops = await h.points(InstrumentNames.Operations);
    expect(ops.map((p) => p.attributes['confstack.operation']).sort()).toEqual(
      expect.arrayContaining(['load', 'provider.load', 'validate', 'health.check']),
    );
    expect(monitor.summary().status).toBe('healthy');
    expect(String(config)).toContain('postgres://app:[REDACTED]@db.local:5432/app');
    expect(h.spans().some((sp) => sp.attributes['confstack.provider'] === 'memory:https://svc:[REDACTED]@vault.local/v1')).toBe(true);
    await expectNoCanary([JSON.stringify(config.toObject()), JSON.stringify(config), String(config), inspect(config, { depth: null })]);
  });

  it.each([
    { name: 'YAML', file: 'config.yaml', text: `database:\n  password: ${CANARY}\n   host: [unclosed ${CANARY}\n` },
    { name: 'JSON', file: 'config.json', text: `{"database": {"password": "${CANARY}" "host": ${CANARY}}}` },
    { name: 'TOML', file: 'config.toml', text: `[database]\npassword = "${CANARY}"\nhost = ${CANARY} =\n` },
  ])('fails a $name parse error with error.type parse_failed and no secret anywhere', async ({ file, text }) => {
    const p = await write(file, text);
    const err = await loadFromSources(sources(p), { schema, metrics: h.metrics, logger, monitor }).catch((e: unknown) => e);
    expect(isConfigError(err)).toBe(true);
    const load = h.span(SpanNames.Load);
    expect(load.status.code).toBe(SpanStatusCode.ERROR);
    expect(typeof load.attributes['error.type']).toBe('string');
    expect(load.attributes['error.type']).not.toBe('unknown');
    const errors = await h.points(InstrumentNames.Errors);
    expect(errors.length).toBeGreaterThan(0);
    logger.error({ err }, 'load failed'); // an app logging the error with pino's own serializer
    await expectNoCanary([errorText(err)]);
  });

  it('fails on a foreign error that quotes a URL password, and no secret anywhere (pino walks the cause chain)', async () => {
    const file = await write('config.yaml', GOOD_YAML);
    const remote = defineProvider({
      name: 'remote',
      type: 'remote',
      load: () => Promise.reject(new Error(`GET https://svc:${CANARY}@vault.local/v1/config: ECONNREFUSED`)),
    });
    const err = await loadFromSources([remote, ...sources(file)], { schema, metrics: h.metrics, logger, monitor }).catch((e: unknown) => e);
    expect(isConfigError(err, 'load_failed')).toBe(true);
    logger.error({ err }, 'load failed'); // pino's serializer appends every cause's message and stack
    expect(lines.join('\n')).toContain('https://svc:[REDACTED]@vault.local');
    await expectNoCanary([errorText(err), inspect(err, { depth: null })]);
  });

  it('fails validation on a secret path with validation_failed, counted, and no secret anywhere', async () => {
    // host has the wrong type; the secret api_key is too short (an issue on a secret path).
    const file = await write('config.yaml', `database:\n  host: 42\n  password: ${CANARY}\nllm:\n  api_key: ${CANARY.slice(0, 3)}\n`);
    const err = await loadFromSources(sources(file), { schema, metrics: h.metrics, logger, monitor }).catch((e: unknown) => e);
    expect(isConfigError(err, 'validation_failed')).toBe(true);
    expect(h.span(SpanNames.Validate).attributes['error.type']).toBe('validation_failed');
    expect(h.span(SpanNames.Load).attributes['error.type']).toBe('validation_failed');
    expect(await h.points(InstrumentNames.Validations)).toEqual([
      { attributes: { 'confstack.provider': 'load', 'confstack.outcome': 'failure' }, value: 1 },
    ]);
    expect(monitor.summary()).toMatchObject({ status: 'degraded', validation: { failed: 1 } });
    logger.error({ err }, 'load failed');
    await expectNoCanary([errorText(err)]);
  });

  it('rejects a bad reload: counter and gauge, ERROR span, degraded health, and no secret anywhere (H1)', async () => {
    const file = await write('config.yaml', GOOD_YAML);
    // A long debounce keeps the file watcher's own reload out of the way of the explicit one.
    const live = await watchConfig({ sources: sources(file), schema, metrics: h.metrics, logger, monitor, debounceMs: 60_000 });
    try {
      const rejected: ConfigError[] = [];
      live.on('reject', (e) => rejected.push(e));
      await fs.writeFile(file, `database:\n  password: ${CANARY}\n   bad: [${CANARY}\n`);
      expect(await live.reload()).toBe('rejected');
      expect(rejected[0]?.code).toBe('reload_rejected');
      const reload = h.spans().find((s) => s.name === SpanNames.Reload && s.status.code === SpanStatusCode.ERROR);
      expect(reload).toBeDefined();
      const reloads = await h.points(InstrumentNames.Reloads);
      expect(reloads.some((p) => p.attributes['confstack.outcome'] === 'rejected')).toBe(true);
      expect(await h.points(InstrumentNames.ReloadLastSuccess)).toEqual([{ attributes: {}, value: 0 }]);
      expect(monitor.summary()).toMatchObject({ status: 'degraded', reload: { rejected: 1 } });
      expect(live.current().get('database.host')).toBe('db.local');
      await expectNoCanary(rejected.map(errorText));
    } finally {
      await live.close();
    }
  });

  it('loads unaffected when every exporter and instrument throws (H3)', async () => {
    const boom = (): never => {
      throw new Error('exporter down');
    };
    const bad = createHarness([{ onStart: boom, onEnd: boom, forceFlush: async () => {}, shutdown: async () => {} }]);
    try {
      const file = await write('config.yaml', GOOD_YAML);
      const throwingLogger = { debug: boom, info: boom, warn: boom, error: boom };
      const config = await loadFromSources(sources(file), {
        schema,
        metrics: throwingMetrics(bad.tracerProvider.getTracer('x')),
        logger: throwingLogger,
      });
      expect(config.get('database.port')).toBe(5432);
    } finally {
      await bad.shutdown();
    }
  });
});
