/**
 * The public surface of each entry point, as sorted export names. A change here is a change to
 * the API contract (../shared/design/API.md): review the snapshot diff deliberately.
 */
import { describe, expect, it } from 'vitest';

const ENTRIES = ['confstack', 'confstack/schema', 'confstack/testing', 'confstack/testing/contract', 'confstack/etcd'] as const;

describe('public API surface', () => {
  it.each(ENTRIES)('%s exports exactly the reviewed names', async (entry) => {
    const mod = (await import(entry)) as Record<string, unknown>;
    expect(Object.keys(mod).sort()).toMatchSnapshot();
  });

  it('has every name API.md promises in the core entry', async () => {
    const core = (await import('confstack')) as Record<string, unknown>;
    const promised = `fileProvider envProvider defaultsProvider memoryProvider compositeProvider envVarName configKey getEnvConfigMap
      loadConfig loadFromFile loadFromEnv Loader defaultLoaderOptions newYAMLProvider newJSONProvider newTOMLProvider
      newAutoDetectProvider newCompositeProvider validateConfig setDefaults ConfigError ErrorCode isConfigError asConfigError
      formatConfigError ProviderRegistry globalRegistry registerGlobal newProvider listProviders getProviderMetadata
      isProviderRegistered unregisterProvider getProvidersForFormat getProvidersByCapability findProviders getBestProvider
      validateProviderOptions createMetrics noOpMetrics setGlobalMetrics getGlobalMetrics HealthMonitor healthHandler
      watchConfig`.split(/\s+/);
    expect(promised.filter((name) => !(name in core))).toEqual([]);
  });
});
