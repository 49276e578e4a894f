import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ErrorCode } from '../../src/foundation/errors.js';
import {
  describeErrorForLog,
  logEvent,
  silentLogger,
  traceFields,
  withTraceContext,
  type LogFields,
  type Logger,
} from '../../src/observability/logging.js';
import { SpanNames } from '../../src/observability/names.js';
import { withSpan } from '../../src/observability/tracing.js';
import { createHarness, useAsyncContext, type Harness } from './otel-harness.js';

/** A real pino logger writing JSON lines into memory. */
function memoryPino(): { logger: Logger; records: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  return { logger, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

let h: Harness;
let undo: () => void;
beforeEach(() => {
  undo = useAsyncContext();
  h = createHarness();
});
afterEach(async () => {
  await h.shutdown();
  undo();
  trace.disable();
});

describe('withTraceContext', () => {
  it('adds trace_id and span_id of the active span to each pino record', async () => {
    const { logger, records } = memoryPino();
    const log = withTraceContext(logger);
    log.info({ path: 'server.port' }, 'outside');
    await withSpan(h.metrics, SpanNames.Load, {}, async () => {
      await new Promise((r) => setTimeout(r, 1));
      log.debug({ path: 'server.port' }, 'inside');
    });
    const [outside, inside] = records();
    const span = h.span(SpanNames.Load).spanContext();
    expect(outside).not.toHaveProperty('trace_id');
    expect(inside).toMatchObject({ msg: 'inside', level: 20, path: 'server.port', trace_id: span.traceId, span_id: span.spanId });
  });

  it('swallows a logger that throws', () => {
    const boom = (): never => {
      throw new Error('disk full');
    };
    const log = withTraceContext({ debug: boom, info: boom, warn: boom, error: boom });
    expect(() => log.error({}, 'x')).not.toThrow();
  });

  it('returns the silent logger unchanged', () => {
    expect(withTraceContext(silentLogger())).toBe(silentLogger());
  });
});

describe('logEvent', () => {
  it('writes the allowed fields with trace context at the given level', async () => {
    const { logger, records } = memoryPino();
    await withSpan(h.metrics, SpanNames.ProviderLoad, {}, async () => {
      logEvent(logger, 'warn', 'source skipped', {
        source: 'file:config/app.yaml',
        provider: 'file:config/app.yaml',
        code: 'file_not_found',
        paths: ['llm_providers.0.api_key', 'server.port'],
        count: 2,
        duration_ms: 1.5,
      });
    });
    const span = h.span(SpanNames.ProviderLoad).spanContext();
    expect(records()[0]).toMatchObject({
      level: 40,
      msg: 'source skipped',
      source: 'file:config/app.yaml',
      code: 'file_not_found',
      paths: ['llm_providers.0.api_key', 'server.port'],
      count: 2,
      duration_ms: 1.5,
      trace_id: span.traceId,
      span_id: span.spanId,
    });
  });

  it.each([
    { name: 'an unknown field', fields: { value: 'sk-CANARY' } },
    { name: 'an object where a string belongs', fields: { path: { api_key: 'sk-CANARY' } } },
    { name: 'a value smuggled in a list of objects', fields: { paths: [{ v: 'sk-CANARY' }] } },
    { name: 'a number field holding a string', fields: { count: 'sk-CANARY' } },
  ])('drops $name', ({ fields }) => {
    const { logger, records } = memoryPino();
    logEvent(logger, 'info', 'x', fields as unknown as LogFields);
    expect(JSON.stringify(records())).not.toContain('CANARY');
    expect(records()).toHaveLength(1);
  });

  it('reduces errors to code and ConfigError message, or a foreign class name (S7)', () => {
    const { logger, records } = memoryPino();
    const cfg = new ConfigError({
      op: 'load',
      code: ErrorCode.ValidationFailed,
      message: '2 issues',
      provider: 'file:a.yaml',
      location: { file: 'a.yaml', line: 3 },
      issues: [
        { path: 'a', message: 'got sk-CANARY' },
        { path: 'b', message: 'x' },
      ],
      cause: new Error('sk-CANARY'),
    });
    logEvent(logger, 'error', 'load failed', { error: cfg });
    logEvent(logger, 'error', 'load failed', { error: new SyntaxError('Unexpected token sk-CANARY') });
    const [a, b] = records();
    expect(a?.error).toEqual({ code: 'validation_failed', message: cfg.message, provider: 'file:a.yaml', location: 'a.yaml:3', issue_count: 2 });
    expect(b?.error).toEqual({ name: 'SyntaxError' });
    expect(JSON.stringify(records())).not.toContain('CANARY');
  });

  it('does nothing with no logger or the silent one, and never throws', () => {
    expect(() => logEvent(undefined, 'info', 'x', { path: 'a' })).not.toThrow();
    expect(() => logEvent(silentLogger(), 'info', 'x')).not.toThrow();
    const boom = (): never => {
      throw new Error('x');
    };
    expect(() => logEvent({ debug: boom, info: boom, warn: boom, error: boom }, 'info', 'x')).not.toThrow();
  });
});

describe('describeErrorForLog', () => {
  it.each([
    { input: 'a string', expected: { name: 'string' } },
    { input: Object.assign(new Error('x'), { name: 'has spaces and sk-CANARY' }), expected: { name: 'Error' } },
  ])('summarises $input safely', ({ input, expected }) => {
    expect(describeErrorForLog(input)).toEqual(expected);
  });
});

describe('traceFields', () => {
  it('is empty outside a span', () => {
    expect(traceFields()).toEqual({});
  });
});
