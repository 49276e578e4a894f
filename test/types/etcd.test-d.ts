import { describe, expectTypeOf, it } from 'vitest';
import type { EtcdFailure, EtcdWatchEvent } from '../../src/remote/etcd/index.js';
import type { ConfigError } from '../../src/foundation/errors.js';
import type { LiveConfig } from '../../src/core/watch.js';

describe('etcd and live-config outage types', () => {
  it('names every etcd failure kind, and a watch event says which', () => {
    expectTypeOf<EtcdFailure>().toEqualTypeOf<'tls' | 'auth' | 'permission' | 'no_leader' | 'unreachable' | 'timeout' | 'closed' | 'other'>();
    expectTypeOf<EtcdWatchEvent['reason']>().toEqualTypeOf<'compacted' | 'canceled' | 'revision_decreased' | EtcdFailure | undefined>();
    expectTypeOf<EtcdWatchEvent['member']>().toEqualTypeOf<string | undefined>();
  });

  it('gives unavailable the error and available nothing', () => {
    const live = {} as LiveConfig<{ a: number }>;
    expectTypeOf(live.on<'unavailable'>).parameter(1).toEqualTypeOf<(error: ConfigError) => void>();
    expectTypeOf(live.on<'available'>).parameter(1).toEqualTypeOf<() => void>();
  });
});
