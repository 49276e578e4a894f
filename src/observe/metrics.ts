/**
 * ConfigMetrics: the instrument surface used by the loader, registry, health and reload.
 * (createMetrics / global metrics: see the observability issue.)
 */

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface ConfigMetrics {
  recordOperation(operation: string, durationMs: number, success: boolean, attrs?: Record<string, string | number | boolean>): void;
  recordLoad(provider: string, format: string, durationMs: number, success: boolean): void;
  recordValidation(provider: string, success: boolean, issueCount: number, durationMs: number): void;
  recordError(code: string, operation: string, provider?: string): void;
  recordReload(outcome: 'applied' | 'rejected' | 'unchanged'): void;
  setProviderHealth(provider: string, status: HealthStatus): void;
}

const NOOP: ConfigMetrics = Object.freeze({
  recordOperation() {},
  recordLoad() {},
  recordValidation() {},
  recordError() {},
  recordReload() {},
  setProviderHealth() {},
});

/** Metrics that record nothing. */
export function noOpMetrics(): ConfigMetrics {
  return NOOP;
}
