import { context, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { ReadableSpan, Span as SdkSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ErrorCode } from '../../src/foundation/errors.js';
import { createMetrics, noOpMetrics, setGlobalMetrics } from '../../src/observability/metrics.js';
import { AttributeNames, InstrumentNames, SpanNames } from '../../src/observability/names.js';
import { errorType, operationOf, recordSpanError, withSpan } from '../../src/observability/tracing.js';
import { throwingMetrics } from '../support/throwing.js';
import { createHarness, parentIdOf, useAsyncContext, type Harness } from './otel-harness.js';

let h: Harness;
let undoContext: () => void;
beforeEach(() => {
  undoContext = useAsyncContext();
  h = createHarness();
});
afterEach(async () => {
  await h.shutdown();
  undoContext();
  trace.disable();
  setGlobalMetrics(undefined);
});

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

describe('withSpan', () => {
  it('nests spans through async code: load > provider.load (per provider) > validate', async () => {
    await withSpan(h.metrics, SpanNames.Load, {}, async () => {
      await Promise.all(
        ['file:a.yaml', 'env'].map((p) =>
          withSpan(h.metrics, SpanNames.ProviderLoad, { [AttributeNames.Provider]: p }, async () => {
            await tick();
          }),
        ),
      );
      await tick();
      await withSpan(h.metrics, SpanNames.Validate, {}, async () => tick());
    });
    const load = h.span(SpanNames.Load);
    const children = h.spans().filter((s) => s.name !== SpanNames.Load);
    expect(children.map((s) => s.name).sort()).toEqual([SpanNames.ProviderLoad, SpanNames.ProviderLoad, SpanNames.Validate]);
    for (const c of children) {
      expect(parentIdOf(c)).toBe(load.spanContext().spanId);
      expect(c.spanContext().traceId).toBe(load.spanContext().traceId);
    }
    expect(h.spans().filter((s) => s.name === SpanNames.ProviderLoad).map((s) => s.attributes[AttributeNames.Provider]).sort()).toEqual([
      'env',
      'file:a.yaml',
    ]);
  });

  it("is a child of the caller's active span", async () => {
    const app = h.tracerProvider.getTracer('app');
    await app.startActiveSpan('http.request', async (outer) => {
      await tick();
      await withSpan(h.metrics, SpanNames.Load, {}, async () => tick());
      outer.end();
    });
    expect(parentIdOf(h.span(SpanNames.Load))).toBe(h.span('http.request').spanContext().spanId);
  });

  it('makes its span the active one inside fn and restores the caller context after', async () => {
    let inside: string | undefined;
    await withSpan(h.metrics, SpanNames.Reload, {}, async (span) => {
      await tick();
      inside = trace.getActiveSpan()?.spanContext().spanId;
      expect(inside).toBe(span.spanContext().spanId);
    });
    expect(trace.getActiveSpan()).toBeUndefined();
    expect(inside).toBe(h.span(SpanNames.Reload).spanContext().spanId);
  });

  it('returns the result and leaves the status unset on success, recording the operation', async () => {
    const out = await withSpan(h.metrics, SpanNames.RegistryCreate, { [AttributeNames.RegistryType]: 'file' }, async () => 42);
    expect(out).toBe(42);
    const s = h.span(SpanNames.RegistryCreate);
    expect(s.status.code).toBe(SpanStatusCode.UNSET);
    expect(s.ended).toBe(true);
    expect(await h.points(InstrumentNames.Operations)).toEqual([
      {
        attributes: { 'confstack.operation': 'registry.create', 'confstack.outcome': 'success', 'confstack.registry.type': 'file' },
        value: 1,
      },
    ]);
    expect(await h.points(InstrumentNames.OperationDuration)).toHaveLength(1);
  });

  it('sets ERROR with error.type = the code and records the ConfigError, then rethrows it', async () => {
    const err = new ConfigError({
      op: 'load',
      code: ErrorCode.ParseFailed,
      message: 'unexpected token',
      provider: 'file:a.json',
      location: { file: 'a.json', line: 2, column: 5 },
    });
    await expect(
      withSpan(h.metrics, SpanNames.ProviderLoad, { [AttributeNames.Provider]: 'file:a.json' }, async () => {
        throw err;
      }),
    ).rejects.toBe(err);
    const s = h.span(SpanNames.ProviderLoad);
    expect(s.status.code).toBe(SpanStatusCode.ERROR);
    expect(s.attributes[AttributeNames.ErrorType]).toBe('parse_failed');
    const ev = s.events.find((e) => e.name === 'exception');
    expect(ev?.attributes?.['exception.type']).toBe('parse_failed');
    expect(ev?.attributes?.['exception.message']).toBe(err.message);
    expect(await h.points(InstrumentNames.Errors)).toEqual([
      {
        attributes: { 'error.type': 'parse_failed', 'confstack.operation': 'provider.load', 'confstack.provider': 'file:a.json' },
        value: 1,
      },
    ]);
    const ops = await h.points(InstrumentNames.Operations);
    expect(ops[0]?.attributes['confstack.outcome']).toBe('failure');
  });

  it.each([
    { name: 'a TypeError', err: new TypeError('cannot read sk-CANARY-123') },
    { name: 'a string', err: 'sk-CANARY-123' },
    { name: 'an Error whose name holds the text', err: Object.assign(new Error('x'), { name: 'sk-CANARY-123 oops' }) },
    { name: 'a ConfigError wrapped in a foreign error', err: new Error('sk-CANARY-123', { cause: new ConfigError({ op: 'load', code: ErrorCode.LimitExceeded, message: 'too deep' }) }) },
  ])('records $name without its message or stack (S3)', async ({ err }) => {
    await expect(withSpan(h.metrics, SpanNames.Load, {}, async () => Promise.reject(err))).rejects.toBe(err);
    const s = h.span(SpanNames.Load);
    expect(s.status.code).toBe(SpanStatusCode.ERROR);
    expect(JSON.stringify({ a: s.attributes, e: s.events, st: s.status })).not.toContain('CANARY');
    const ev = s.events.find((e) => e.name === 'exception');
    expect(ev?.attributes?.['exception.stacktrace']).toBeUndefined();
    expect(ev?.attributes?.['exception.message']).toBeUndefined();
  });

  it('uses the code of a ConfigError in the cause chain, else unknown', async () => {
    const wrapped = new Error('x', { cause: new ConfigError({ op: 'load', code: ErrorCode.LimitExceeded, message: 'deep' }) });
    await expect(withSpan(h.metrics, SpanNames.Load, {}, async () => Promise.reject(wrapped))).rejects.toBe(wrapped);
    await expect(withSpan(h.metrics, SpanNames.Validate, {}, async () => Promise.reject(new RangeError('x')))).rejects.toThrow();
    expect(h.span(SpanNames.Load).attributes['error.type']).toBe('limit_exceeded');
    expect(h.span(SpanNames.Validate).attributes['error.type']).toBe('unknown');
  });

  it('handles a synchronous throw from fn like a rejection', async () => {
    const err = new ConfigError({ op: 'load', code: ErrorCode.InvalidParameters, message: 'bad' });
    await expect(
      withSpan(h.metrics, SpanNames.Load, {}, (() => {
        throw err;
      }) as () => Promise<void>),
    ).rejects.toBe(err);
    expect(h.span(SpanNames.Load).status.code).toBe(SpanStatusCode.ERROR);
  });

  it('copies provider and format set on the span later into the operation metrics, not counts', async () => {
    await withSpan(h.metrics, SpanNames.ProviderLoad, { [AttributeNames.Provider]: 'file:c.toml' }, async (span) => {
      span.setAttribute(AttributeNames.Format, 'toml');
      span.setAttributes({ [AttributeNames.IssueCount]: 3 });
    });
    const s = h.span(SpanNames.ProviderLoad);
    expect(s.attributes[AttributeNames.Format]).toBe('toml');
    expect(s.attributes[AttributeNames.IssueCount]).toBe(3);
    expect((await h.points(InstrumentNames.Operations))[0]?.attributes).toEqual({
      'confstack.operation': 'provider.load',
      'confstack.outcome': 'success',
      'confstack.provider': 'file:c.toml',
      'confstack.format': 'toml',
    });
  });

  it('never lets a throwing span processor or exporter break fn (H3)', async () => {
    const boom = (): never => {
      throw new Error('exporter down');
    };
    const throwing: SpanProcessor = {
      onStart: boom,
      onEnd: boom,
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const bad = createHarness([throwing]);
    try {
      await expect(withSpan(bad.metrics, SpanNames.Load, {}, async () => 'ok')).resolves.toBe('ok');
      const err = new ConfigError({ op: 'load', code: ErrorCode.ParseFailed, message: 'x' });
      await expect(withSpan(bad.metrics, SpanNames.Load, {}, async () => Promise.reject(err))).rejects.toBe(err);
    } finally {
      await bad.shutdown();
    }
  });

  it('runs fn exactly once when the tracer, the span or the metrics throw (H3)', async () => {
    const boom = (): never => {
      throw new Error('tracer down');
    };
    const brokenSpan = new Proxy({}, { get: () => boom }) as unknown as SdkSpan;
    const tracers: Tracer[] = [
      { startSpan: boom, startActiveSpan: boom } as unknown as Tracer,
      { startSpan: () => brokenSpan, startActiveSpan: boom } as unknown as Tracer,
    ];
    for (const tracer of tracers) {
      const metrics = throwingMetrics(tracer);
      let calls = 0;
      await expect(
        withSpan(metrics, SpanNames.Load, {}, async (span) => {
          calls++;
          span.setAttribute(AttributeNames.Format, 'yaml');
          return 'ok';
        }),
      ).resolves.toBe('ok');
      const err = new ConfigError({ op: 'load', code: ErrorCode.ParseFailed, message: 'x' });
      await expect(withSpan(metrics, SpanNames.Load, {}, async () => Promise.reject(err))).rejects.toBe(err);
      expect(calls).toBe(1);
    }
  });

  it('uses the global metrics and tracer when metrics is undefined', async () => {
    trace.setGlobalTracerProvider(h.tracerProvider);
    await withSpan(undefined, SpanNames.Load, {}, async () => {});
    expect(h.span(SpanNames.Load).name).toBe(SpanNames.Load);
  });

  it('does nothing on the default path until the app registers an SDK, then traces', async () => {
    let calls = 0;
    await withSpan(undefined, SpanNames.Load, {}, async (span) => {
      calls++;
      expect(span.isRecording()).toBe(false);
    });
    trace.setGlobalTracerProvider(h.tracerProvider);
    await withSpan(undefined, SpanNames.Load, {}, async (span) => {
      calls++;
      expect(span.isRecording()).toBe(true);
    });
    expect(calls).toBe(2);
    expect(h.spans()).toHaveLength(1);
  });

  it('records no span with noOpMetrics but keeps the caller context', async () => {
    trace.setGlobalTracerProvider(h.tracerProvider);
    await withSpan(noOpMetrics(), SpanNames.Load, {}, async (span) => {
      expect(span.isRecording()).toBe(false);
    });
    expect(h.spans()).toHaveLength(0);
  });

  it('sends spans to the tracer provider given to createMetrics, not the global one', async () => {
    const other = createHarness();
    try {
      trace.setGlobalTracerProvider(other.tracerProvider);
      await withSpan(h.metrics, SpanNames.Load, {}, async () => {});
      expect(h.spans()).toHaveLength(1);
      expect(other.spans()).toHaveLength(0);
    } finally {
      await other.shutdown();
    }
  });

  it('works without any context manager registered', async () => {
    undoContext();
    const out = await withSpan(h.metrics, SpanNames.Load, {}, async () => 'x');
    expect(out).toBe('x');
    expect(context.active()).toBeDefined();
  });
});

describe('recordSpanError', () => {
  it('marks a span failed with the code and no foreign message', () => {
    const span = h.tracerProvider.getTracer('t').startSpan('s');
    recordSpanError(span, new Error('secret-ish'));
    span.end();
    const s: ReadableSpan = h.span('s');
    expect(s.status.code).toBe(SpanStatusCode.ERROR);
    expect(s.attributes['error.type']).toBe('unknown');
    expect(JSON.stringify(s.events)).not.toContain('secret-ish');
  });
});

describe('errorType', () => {
  it.each([
    { input: new ConfigError({ op: 'x', code: ErrorCode.ForbiddenKey, message: 'm' }), expected: 'forbidden_key' },
    { input: new Error('m'), expected: 'unknown' },
    { input: undefined, expected: 'unknown' },
  ])('maps $expected', ({ input, expected }) => {
    expect(errorType(input)).toBe(expected);
  });
});

describe('operationOf', () => {
  it.each([
    [SpanNames.Load, 'load'],
    [SpanNames.ProviderLoad, 'provider.load'],
    [SpanNames.Validate, 'validate'],
    [SpanNames.Reload, 'reload'],
    [SpanNames.RegistryCreate, 'registry.create'],
    [SpanNames.HealthCheck, 'health.check'],
    ['confstack.custom.thing', 'custom.thing'],
  ])('%s -> %s', (span, op) => {
    expect(operationOf(span)).toBe(op);
  });
});
