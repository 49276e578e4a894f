import { describe, expectTypeOf, it } from 'vitest';
import type * as Main from '../../src/index.js';
import { defineProvider, FORMAT_NAMES, loadFormat, type Format, type LoadContext, type Provider } from '../../src/providers/index.js';
import { ProviderCapabilities, registerBuiltinProviders, type ProviderCriteria } from '../../src/registry/index.js';

describe('entries', () => {
  it('confstack/providers has what a provider author needs', () => {
    expectTypeOf(defineProvider).returns.toEqualTypeOf<Provider>();
    expectTypeOf(loadFormat).returns.resolves.toEqualTypeOf<Format>();
    expectTypeOf<LoadContext>().toHaveProperty('signal');
    expectTypeOf(FORMAT_NAMES).toEqualTypeOf<readonly ('yaml' | 'json' | 'toml' | 'env')[]>();
  });

  it('confstack/registry has the whole registry', () => {
    expectTypeOf(registerBuiltinProviders).toBeFunction();
    expectTypeOf(ProviderCapabilities).toHaveProperty('Watching');
    expectTypeOf<ProviderCriteria>().toHaveProperty('formats');
  });

  it('confstack keeps what an application needs, and no longer the provider-authoring names', () => {
    expectTypeOf<typeof Main>().toHaveProperty('loadConfig');
    expectTypeOf<typeof Main>().toHaveProperty('fileProvider');
    expectTypeOf<typeof Main>().toHaveProperty('newYAMLProvider');
    expectTypeOf<typeof Main>().not.toHaveProperty('defineProvider');
    expectTypeOf<typeof Main>().not.toHaveProperty('registerBuiltinProviders');
  });
});
