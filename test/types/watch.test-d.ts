import { describe, expectTypeOf, it } from 'vitest';
import type { Config, LiveConfig } from '../../src/index.js';
import { LiveConfig as LiveConfigClass } from '../../src/core/watch.js';

describe('LiveConfig types', () => {
  it('shows users what they use, not how watchConfig drives it', () => {
    expectTypeOf<LiveConfig<{ a: number }>['current']>().returns.toEqualTypeOf<Config<{ a: number }>>();
    expectTypeOf<LiveConfig<unknown>>().not.toHaveProperty('start');
    expectTypeOf<LiveConfig<unknown>>().not.toHaveProperty('markReady');
    // @ts-expect-error made by watchConfig only: `new` would skip subscribing and the first snapshot
    expectTypeOf(() => new LiveConfigClass()).toBeFunction();
  });
});
