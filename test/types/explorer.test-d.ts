import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expectTypeOf, it } from 'vitest';
import type { Config, ExplainEntry } from '../../src/core/config.js';
import type { configExplorer as lazyExplorer } from '../../src/operator/explorer/lazy.js';
import type { ConfigExplorer, configExplorer, HistoryEntry } from '../../src/operator/explorer/index.js';
import type { HealthFigures, HealthSummary, ProviderHealth } from '../../src/observability/health.js';
import type { Origin } from '../../src/tree/origins.js';
import type { LiveConfig } from '../../src/core/watch.js';

describe('explainAll, explorer and health figure types', () => {
  it('types every layer of a key', () => {
    expectTypeOf<ReturnType<Config['explainAll']>>().toEqualTypeOf<ExplainEntry[]>();
    expectTypeOf<ExplainEntry['role']>().toEqualTypeOf<'winner' | 'overridden' | 'merged'>();
    expectTypeOf<ExplainEntry['origin']>().toEqualTypeOf<Origin>();
    expectTypeOf<ExplainEntry['value']>().toEqualTypeOf<unknown>();
    const typed = {} as Config<{ server: { port: number } }>;
    expectTypeOf(typed.explainAll).toBeCallableWith('server.port');
    // @ts-expect-error a misspelt key path is a compile error, as for get() and explain()
    typed.explainAll('server.prot');
  });

  it('makes the explorer a node:http handler with close(), from a LiveConfig or a Config, lazily or not', () => {
    expectTypeOf<ConfigExplorer>().toMatchTypeOf<(req: IncomingMessage, res: ServerResponse) => void>();
    expectTypeOf<ConfigExplorer['close']>().toEqualTypeOf<() => void>();
    expectTypeOf<typeof configExplorer>().toBeCallableWith({} as LiveConfig<{ a: number }>);
    expectTypeOf<typeof configExplorer>().toBeCallableWith({} as Config<{ a: number }>, { token: 'x', basePath: '/_config' });
    expectTypeOf<typeof lazyExplorer>().toEqualTypeOf<typeof configExplorer>();
    expectTypeOf<HistoryEntry['outcome']>().toEqualTypeOf<'applied' | 'rejected'>();
  });

  it('puts figures on every provider, on validation and on reload', () => {
    expectTypeOf<ProviderHealth['figures']>().toEqualTypeOf<HealthFigures>();
    expectTypeOf<HealthSummary['validation']['figures']>().toEqualTypeOf<HealthFigures>();
    expectTypeOf<HealthSummary['reload']['figures']>().toEqualTypeOf<HealthFigures>();
    expectTypeOf<HealthFigures['latencyMs']>().toEqualTypeOf<{ p50: number; p95: number; p99: number; max: number } | undefined>();
    expectTypeOf<HealthFigures['sinceLastSuccessMs']>().toEqualTypeOf<number | undefined>();
  });
});
