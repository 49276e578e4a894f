/**
 * The OpenTelemetry API, loaded on first need rather than at import. Loading it costs ~24 ms here
 * (about fifty files), more than all of confstack, and most processes never register an SDK.
 *
 * Until something registers a global (a tracer or meter provider, a context manager, a
 * propagator), the API keeps no state: its `Symbol.for('opentelemetry.js.api.1')` slot on
 * globalThis is unset, every tracer and meter is a no-op and no span can be active. So
 * `otelRegistered()` tells, without loading the API, whether there is anything to record.
 *
 * `require` (not `import()`) keeps the callers synchronous; the package's `exports` map gives
 * Node's ESM `import` the same CommonJS build, so the app and confstack share one module instance.
 */
import { createRequire } from 'node:module';
import type * as OtelApi from '@opentelemetry/api';

export type { OtelApi };

const GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');

let api: typeof OtelApi | undefined;

/** The `@opentelemetry/api` module, loaded on the first call. */
export function otel(): typeof OtelApi {
  return (api ??= createRequire(import.meta.url)('@opentelemetry/api') as typeof OtelApi);
}

/** True once any code registered an OpenTelemetry global (an SDK, a context manager…). */
export function otelRegistered(): boolean {
  return (globalThis as Record<symbol, unknown>)[GLOBAL_KEY] !== undefined;
}

const INVALID_CONTEXT: OtelApi.SpanContext = Object.freeze({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 });

/**
 * A span that records nothing, for the default path (no SDK), built without the API: the same
 * behaviour as the API's `trace.wrapSpanContext(INVALID_SPAN_CONTEXT)`.
 */
// Not frozen: withSpan may wrap a span in a Proxy that answers for its methods.
export const NON_RECORDING_SPAN: OtelApi.Span = {
  spanContext: () => INVALID_CONTEXT,
  setAttribute: () => NON_RECORDING_SPAN,
  setAttributes: () => NON_RECORDING_SPAN,
  addEvent: () => NON_RECORDING_SPAN,
  addLink: () => NON_RECORDING_SPAN,
  addLinks: () => NON_RECORDING_SPAN,
  setStatus: () => NON_RECORDING_SPAN,
  updateName: () => NON_RECORDING_SPAN,
  end: () => {},
  isRecording: () => false,
  recordException: () => {},
};
