import { describe, expect, it } from 'vitest';
import { loadConfig } from 'confstack';
import { createTestTelemetry, mockProvider } from 'confstack/testing';

const CANARY = 'sk-CANARY-telemetry-4242';

describe('createTestTelemetry', () => {
  it('captures the spans and metrics of a load in memory, without config values', async () => {
    const t = await createTestTelemetry();
    try {
      await loadConfig({ sources: [mockProvider({ name: 'm', values: { api_key: CANARY, a: 1 } })], schema: false, metrics: t.metrics });
      const names = t.spans().map((s) => s.name);
      expect(names).toContain('confstack.load');
      expect(names).toContain('confstack.provider.load');
      const metrics = await t.collectMetrics();
      expect(metrics.map((m) => m.name)).toContain('confstack.operations');
      const dump = JSON.stringify({ spans: t.spans().map((s) => ({ n: s.name, a: s.attributes, e: s.events })), metrics });
      expect(dump).not.toContain(CANARY);
      t.reset();
      expect(t.spans()).toEqual([]);
    } finally {
      await t.shutdown();
    }
  });

  it('records errors with the code as error.type', async () => {
    const t = await createTestTelemetry();
    try {
      await expect(loadConfig({ sources: [mockProvider({ failWith: 'parse_failed' })], schema: false, metrics: t.metrics })).rejects.toMatchObject({ code: 'parse_failed' });
      const errors = (await t.collectMetrics()).find((m) => m.name === 'confstack.errors');
      expect(errors?.points.some((p) => p.attributes['error.type'] === 'parse_failed')).toBe(true);
    } finally {
      await t.shutdown();
    }
  });
});
