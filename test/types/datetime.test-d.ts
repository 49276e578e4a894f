import { describe, expectTypeOf, it } from 'vitest';
import { TomlDateTime, type TomlDateTimeKind } from '../../src/index.js';

describe('TomlDateTime types', () => {
  it('exposes a readonly kind and text, and an instant only maybe', () => {
    const d = new TomlDateTime('1979-05-27T07:32:00Z');
    expectTypeOf(d.kind).toEqualTypeOf<TomlDateTimeKind>();
    expectTypeOf<TomlDateTimeKind>().toEqualTypeOf<'offset-datetime' | 'local-datetime' | 'local-date' | 'local-time'>();
    expectTypeOf(d.text).toEqualTypeOf<string>();
    expectTypeOf(d.toDate()).toEqualTypeOf<Date | undefined>();
    expectTypeOf(d.toJSON()).toEqualTypeOf<string>();
    // @ts-expect-error kind is readonly
    d.kind = 'local-date';
  });
});
