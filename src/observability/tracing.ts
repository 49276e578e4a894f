/**
 * withSpan: the one wrapper every observed step goes through (load, provider load, validate,
 * reload, registry create, health check). It owns the span and the step's operation metrics, so a
 * call site is one line and cannot forget either.
 *
 * Safety rules kept here:
 * - A tracer or meter that throws never breaks the wrapped function (RELIABILITY.md H3).
 * - Only ConfigError messages (built from fields, never values) reach a span. A foreign error is
 *   recorded by name only: its message and stack can quote source text, and so secrets (S3).
 */
import type { Context, Span, Tracer } from '@opentelemetry/api';
import { monotonicMs } from '../foundation/clock.js';
import { asConfigError, type ConfigError } from '../foundation/errors.js';
import { getGlobalMetrics, isInactive, type ConfigMetrics, type MetricAttributes } from './metrics.js';
import {
  AttributeNames,
  METRIC_ATTRIBUTE_KEYS,
  OperationBySpan,
  Outcomes,
  UNKNOWN_ERROR_TYPE,
  type SpanName,
} from './names.js';
import { NON_RECORDING_SPAN, otel } from './otel.js';
import { redactUrlCredentials } from '../foundation/secrets.js';

/** Attributes accepted on spans: names, formats, counts and codes, never config values. */
export type SpanAttributes = Record<string, string | number | boolean>;

/** The `error.type` for anything thrown: the ConfigError code in its cause chain, or `unknown`. */
export function errorType(err: unknown): string {
  try {
    return asConfigError(err)?.code ?? UNKNOWN_ERROR_TYPE;
  } catch {
    return UNKNOWN_ERROR_TYPE;
  }
}

/** The operation name a span stands for: `confstack.provider.load` → `provider.load`. */
export function operationOf(spanName: string): string {
  const known = (OperationBySpan as Readonly<Record<string, string>>)[spanName];
  if (known !== undefined) return known;
  return spanName.startsWith('confstack.') ? spanName.slice('confstack.'.length) : spanName;
}

/** Runs a telemetry or health call whose failure must not break the operation it observes. */
export function quietly(f: () => void): void {
  try {
    f();
  } catch {
    // Telemetry never breaks the operation it observes.
  }
}

function tracerOf(metrics: ConfigMetrics): Tracer {
  try {
    return metrics.tracer ?? otel().trace.getTracer('confstack');
  } catch {
    return otel().trace.getTracer('confstack');
  }
}

/**
 * Runs `fn` inside a span named `name`, a child of the caller's active span, with the span active
 * for everything `fn` awaits (so nested `withSpan` calls become children).
 *
 * On return: the span ends with status UNSET (OTel's advice for instrumentation libraries), and
 * `recordOperation(operationOf(name), durationMs, true, attrs)` is recorded.
 * On throw: the span gets status ERROR and `error.type` = the ConfigError code (or `unknown`); the
 * exception is recorded (a ConfigError with its message and code; anything else by name only); the
 * failure is counted by `recordOperation(…, false, attrs)` and `recordError(code, operation,
 * provider)`; and the original error is rethrown unchanged.
 * Metric attributes are the subset of `attributes` listed in `METRIC_ATTRIBUTE_KEYS` (provider,
 * provider type, format, registry type), plus those keys when `fn` sets them later on the span it
 * is handed (a format known only after loading); this keeps metric cardinality bounded, and counts
 * and other attributes stay on the span. The handed span's `setAttribute(s)` never throws.
 *
 * `metrics` undefined means `getGlobalMetrics()`. Spans go to `metrics.tracer` (the tracer provider
 * given to `createMetrics`), else to the global tracer. `noOpMetrics()` records no spans.
 * Callers must put only names, formats, counts and codes in `attributes`.
 * @example
 * await withSpan(metrics, SpanNames.ProviderLoad, { 'confstack.provider': p.name }, () => p.load(ctx));
 */
export async function withSpan<T>(
  metrics: ConfigMetrics | undefined,
  name: SpanName | (string & {}),
  attributes: SpanAttributes,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const m = metrics ?? getGlobalMetrics();
  // The default path (no SDK registered, or noOpMetrics): nothing could record, so do nothing.
  if (isInactive(m)) return fn(NON_RECORDING_SPAN);
  attributes = scrubAttributes(attributes);
  const { context, trace } = otel();
  const parent = context.active();
  let span = NON_RECORDING_SPAN;
  let ctx: Context = parent;
  try {
    span = tracerOf(m).startSpan(name, { attributes }, parent);
    ctx = trace.setSpan(parent, span);
  } catch {
    span = NON_RECORDING_SPAN;
    ctx = parent;
  }
  // Metric attributes: the allowlisted subset of the initial attributes, plus any the caller sets
  // on the span later (a provider's format is known only after it loads).
  const metricAttrs: MetricAttributes = {};
  for (const key of METRIC_ATTRIBUTE_KEYS) {
    const v = attributes[key];
    if (v !== undefined) metricAttrs[key] = v;
  }
  const handed = watchAttributes(span, metricAttrs);
  const started = monotonicMs();
  let entered = false;
  const run = (): Promise<T> => {
    entered = true;
    return fn(handed);
  };
  try {
    let result: T;
    try {
      result = await context.with(ctx, run);
    } catch (err) {
      // A context manager that throws before calling fn must not stop the work.
      if (entered) throw err;
      result = await run();
    }
    finish(m, span, name, attributes, metricAttrs, started, undefined, false);
    return result;
  } catch (err) {
    finish(m, span, name, attributes, metricAttrs, started, err, true);
    throw err;
  }
}

const METRIC_KEYS: ReadonlySet<string> = new Set(METRIC_ATTRIBUTE_KEYS);

/** A source or provider name may be a URL with a password (`etcd:http://u:p@h`): masked in every string attribute. */
function scrubAttribute(value: unknown): unknown {
  return typeof value === 'string' ? redactUrlCredentials(value) : value;
}

function scrubAttributes<A extends Record<string, unknown>>(attrs: A): A {
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(attrs)) {
    const s = scrubAttribute(v);
    if (s !== v) (out ??= { ...attrs })[k] = s;
  }
  return (out ?? attrs) as A;
}

/**
 * The span handed to `fn`: the real one, except that `setAttribute(s)` of an allowlisted key is
 * also copied into the operation's metric attributes.
 */
function watchAttributes(span: Span, metricAttrs: MetricAttributes): Span {
  const keep = (key: string, value: unknown): void => {
    if (METRIC_KEYS.has(key) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
      metricAttrs[key] = value;
    }
  };
  const proxy: Span = new Proxy(span, {
    get(target, prop) {
      if (prop === 'setAttribute') {
        return (key: string, raw: unknown) => {
          const value = scrubAttribute(raw);
          quietly(() => keep(key, value));
          quietly(() => target.setAttribute(key, value as string));
          return proxy;
        };
      }
      if (prop === 'setAttributes') {
        return (raw: Record<string, unknown>) => {
          const attrs = scrubAttributes(raw);
          quietly(() => {
            for (const [k, v] of Object.entries(attrs)) keep(k, v);
          });
          quietly(() => target.setAttributes(attrs as SpanAttributes));
          return proxy;
        };
      }
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return proxy;
}

function finish(
  metrics: ConfigMetrics,
  span: Span,
  name: string,
  attributes: SpanAttributes,
  metricAttrs: MetricAttributes,
  started: number,
  err: unknown,
  failed: boolean,
): void {
  const durationMs = monotonicMs() - started;
  const operation = operationOf(name);
  if (failed) {
    const code = errorType(err);
    quietly(() => span.setAttribute(AttributeNames.ErrorType, code));
    quietly(() => span.setAttribute(AttributeNames.Outcome, Outcomes.Failure));
    recordSafeException(span, err, code);
    quietly(() => metrics.recordOperation(operation, durationMs, false, metricAttrs));
    const provider = attributes[AttributeNames.Provider];
    quietly(() => metrics.recordError(code, operation, typeof provider === 'string' ? provider : undefined));
  } else {
    quietly(() => metrics.recordOperation(operation, durationMs, true, metricAttrs));
  }
  quietly(() => span.end());
}

/**
 * Marks `span` failed with `err`, recording only what is safe: a ConfigError's code and message
 * (built from fields, never values); for anything else, its name and `error.type` `unknown`.
 * Exported for callers that handle a failure without throwing (a rejected reload that keeps the
 * last good config, say).
 */
export function recordSpanError(span: Span, err: unknown): void {
  if (span === NON_RECORDING_SPAN) return;
  const code = errorType(err);
  quietly(() => span.setAttribute(AttributeNames.ErrorType, code));
  recordSafeException(span, err, code);
}

/** `SpanStatusCode.ERROR`, a constant of the OTel spec (so recording it needs no API load). */
const SPAN_STATUS_ERROR = 2;

const SAFE_NAME = /^[A-Za-z_$][\w$.]{0,63}$/;

function recordSafeException(span: Span, err: unknown, code: string): void {
  let cfg: ConfigError | undefined;
  try {
    cfg = asConfigError(err);
  } catch {
    cfg = undefined;
  }
  if (cfg !== undefined && cfg === err) {
    quietly(() => span.recordException({ name: cfg.name, message: cfg.message, code: cfg.code }));
    quietly(() => span.setStatus({ code: SPAN_STATUS_ERROR, message: cfg.message }));
    return;
  }
  // Foreign error (or a ConfigError wrapped in one): the class name only, no message, no stack.
  const raw = err instanceof Error ? err.name : typeof err;
  const errName = typeof raw === 'string' && SAFE_NAME.test(raw) ? raw : 'Error';
  quietly(() => span.recordException({ name: errName, code }));
  quietly(() => span.setStatus({ code: SPAN_STATUS_ERROR, message: code }));
}
