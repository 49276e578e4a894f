/**
 * The switches of a load (core/switches.ts): each row of the table in docs/application-authors.md
 * ("What a load checks and returns"), the contradictions refused, and the one name of the
 * per-provider timeout with its deprecated aliases.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { loadFromSources, type LoadOptions } from '../src/core/load.js';
import { planLoad } from '../src/core/switches.js';
import { compositeProvider, type CompositeProviderOptions } from '../src/providers/composite.js';
import { memoryProvider } from '../src/providers/memory.js';
import { defineProvider } from '../src/providers/provider.js';
import { expectConfigError } from './support/errors.js';

const App = z.object({
  port: z.number().int().default(8080),
  host: z.string(),
  token: z.string().meta({ secret: true }).optional(),
});
const input = { host: 'h', token: 's3cret' };
const load = (options: LoadOptions) => loadFromSources([memoryProvider(input)], options);
const invalid = () => loadFromSources([memoryProvider({ port: 'x' })], { schema: App });

describe('what a load checks and returns', () => {
  it('schema, validate, setDefaults (the default row): checks, and returns the output with defaults', async () => {
    const c = await load({ schema: App });
    expect(c.value).toEqual({ port: 8080, host: 'h', token: 's3cret' });
    await expectConfigError(invalid(), { code: 'validation_failed' });
  });

  it('setDefaults: false: checks, and returns the merged input as merged', async () => {
    const c = await load({ schema: App, setDefaults: false });
    expect(c.value).toEqual(input);
    await expectConfigError(loadFromSources([memoryProvider({ port: 'x' })], { schema: App, setDefaults: false }), { code: 'validation_failed' });
  });

  it('validate: false: checks nothing, and fills in the defaults', async () => {
    const c = await load({ schema: App, validate: false });
    expect(c.value).toEqual({ port: 8080, host: 'h', token: 's3cret' });
    expect((await loadFromSources([memoryProvider({ port: 'x' })], { schema: App, validate: false })).value).toEqual({ port: 'x' });
  });

  it('validate: false with setDefaults: false: the merged input, nothing checked or filled', async () => {
    expect((await load({ schema: App, validate: false, setDefaults: false })).value).toEqual(input);
  });

  it('schema: false: the merged input', async () => {
    expect((await load({ schema: false })).value).toEqual(input);
    expect((await load({ schema: false, validate: false, setDefaults: false })).value).toEqual(input);
  });

  it("redacts the schema's secret marks in every row with a schema, checked or not", async () => {
    for (const options of [{ schema: App }, { schema: App, validate: false }, { schema: App, setDefaults: false }] satisfies LoadOptions[]) {
      expect((await load(options)).toObject()).toMatchObject({ token: '[REDACTED]' });
    }
  });

  it('refuses validate: true or setDefaults: true next to schema: false, naming the switch', async () => {
    const v = await expectConfigError(load({ schema: false, validate: true }), { code: 'invalid_parameters', key: 'validate' });
    expect(v.message).toContain('schema: false');
    await expectConfigError(load({ schema: false, setDefaults: true }), { code: 'invalid_parameters', key: 'setDefaults' });
  });

  it('plans once: the plan the table describes', () => {
    expect(planLoad({ schema: App })).toMatchObject({ validateWith: App, returnOutput: true, defaultsFrom: undefined, secretsFrom: App, loadTimeoutMs: 30_000 });
    expect(planLoad({ schema: App, validate: false })).toMatchObject({ validateWith: undefined, returnOutput: false, defaultsFrom: App, secretsFrom: App });
    expect(planLoad({ schema: false })).toMatchObject({ validateWith: undefined, defaultsFrom: undefined, secretsFrom: undefined });
  });
});

describe('loadTimeoutMs, the one name of the per-provider timeout', () => {
  const hang = () => defineProvider({ name: 'hang', type: 'remote', load: () => new Promise(() => {}) });

  it('bounds a provider that never answers, under its name and its deprecated alias', async () => {
    for (const options of [{ loadTimeoutMs: 30 }, { providerTimeoutMs: 30 }, { loadTimeoutMs: 30, providerTimeoutMs: 30 }]) {
      const err = await expectConfigError(loadFromSources([hang()], { schema: false, ...options }), { code: 'remote_load_timeout' });
      expect(err.context).toEqual({ timeoutMs: 30 });
    }
  });

  it('in a composite too, where timeoutMs is the deprecated alias', async () => {
    for (const options of [{ loadTimeoutMs: 30 }, { timeoutMs: 30 }] satisfies CompositeProviderOptions[]) {
      await expectConfigError(loadFromSources([compositeProvider([hang()], options)], { schema: false }), { code: 'remote_load_timeout' });
    }
  });

  it('refuses the two names with different values, and a value that is not a positive number', async () => {
    const both = await expectConfigError(load({ schema: false, loadTimeoutMs: 30, providerTimeoutMs: 40 }), { code: 'invalid_parameters', key: 'providerTimeoutMs' });
    expect(both.message).toContain('loadTimeoutMs');
    await expectConfigError(load({ schema: false, loadTimeoutMs: 0 }), { code: 'invalid_parameters', key: 'loadTimeoutMs' });
    await expectConfigError(load({ schema: false, providerTimeoutMs: Number.NaN }), { code: 'invalid_parameters', key: 'providerTimeoutMs' });
    await expectConfigError(() => compositeProvider([memoryProvider({})], { loadTimeoutMs: -1 }), { code: 'invalid_parameters', key: 'loadTimeoutMs' });
    await expectConfigError(() => compositeProvider([memoryProvider({})], { loadTimeoutMs: 5, timeoutMs: 6 }), { code: 'invalid_parameters', key: 'timeoutMs' });
  });

  it('Infinity is no bound', async () => {
    expect((await load({ schema: false, loadTimeoutMs: Number.POSITIVE_INFINITY })).value).toEqual(input);
  });

  it('keeps the old names in the types, marked deprecated', () => {
    expectTypeOf<LoadOptions>().toHaveProperty('loadTimeoutMs');
    expectTypeOf<LoadOptions>().toHaveProperty('providerTimeoutMs');
    expectTypeOf<CompositeProviderOptions>().toHaveProperty('loadTimeoutMs');
    expectTypeOf<CompositeProviderOptions>().toHaveProperty('timeoutMs');
  });
});
