/**
 * Telemetry that throws from every call, for the "telemetry never breaks loading" tests (H3).
 */
import type { Tracer } from '@opentelemetry/api';
import type { ConfigMetrics } from '../../src/observability/metrics.js';

export function boom(): never {
  throw new Error('telemetry down');
}

/** A ConfigMetrics whose every record method throws; `tracer` as given (a getter that throws when omitted). */
export function throwingMetrics(tracer?: Tracer): ConfigMetrics {
  const metrics = {
    recordOperation: boom,
    recordLoad: boom,
    recordValidation: boom,
    recordError: boom,
    recordReload: boom,
    setProviderHealth: boom,
  };
  return tracer
    ? { ...metrics, tracer }
    : Object.defineProperty(metrics, 'tracer', { get: boom, enumerable: true }) as unknown as ConfigMetrics;
}
