/**
 * The provider registry's public entry: ProviderRegistry, the built-in types, `globalRegistry`
 * and the thin global functions over it. The implementation lives beside it in this folder.
 *
 * No side effects at import: `globalRegistry` is constructed here (a constructor that only stores
 * its options), and the built-ins are registered on its first use.
 */
import type { Provider } from '../providers/provider.js';
import { registerBuiltinProviders } from './builtins.js';
import { ProviderRegistry } from './provider-registry.js';
import type {
  ProviderCreator,
  ProviderCriteria,
  ProviderMetadata,
  ProviderMetadataInit,
  ProviderOptions,
  ProviderRequirements,
} from './types.js';
import type { RegisterOptions } from './provider-registry.js';

export { ProviderRegistry, type ProviderRegistryOptions, type RegisterOptions } from './provider-registry.js';
export { registerBuiltinProviders } from './builtins.js';
export {
  ProviderCapabilities,
  type ProviderCapability,
  type ProviderCreator,
  type ProviderCriteria,
  type ProviderMetadata,
  type ProviderMetadataInit,
  type ProviderOptions,
  type ProviderRequirements,
} from './types.js';
export type { OptionsCheck } from './options.js';

/**
 * The process-wide registry, with the built-in types `file yaml json toml env defaults composite etcd`
 * (added on its first use). The global functions below are shorthands for its methods.
 */
export const globalRegistry: ProviderRegistry = /*@__PURE__*/ new ProviderRegistry({ initialize: registerBuiltinProviders });

/**
 * Adds a provider type to the global registry.
 * @throws ConfigError invalid_parameters, provider_already_registered
 * @example registerGlobal('vault', (o) => vaultProvider(o.providerSpecific), { supportedFormats: [], capabilities: ['remote'] })
 */
export function registerGlobal(name: string, creator: ProviderCreator, metadata?: ProviderMetadataInit, options?: RegisterOptions): void {
  globalRegistry.register(name, creator, metadata, options);
}

/**
 * Creates a provider of a registered type (see ProviderRegistry#create).
 * @throws ConfigError provider_not_found, provider_config_invalid, provider_creation_failed
 * @example const p = await newProvider('yaml', { path: 'config.yaml', cache: true })
 */
export function newProvider(name: string, options?: ProviderOptions, opts?: { signal?: AbortSignal }): Promise<Provider> {
  return globalRegistry.create(name, options, opts);
}

/** Registered type names in the global registry, sorted. */
export function listProviders(): string[] {
  return globalRegistry.list();
}

/**
 * Metadata of a registered type.
 * @throws ConfigError provider_not_found
 */
export function getProviderMetadata(name: string): ProviderMetadata {
  return globalRegistry.metadata(name);
}

/** True if `name` is a registered type. */
export function isProviderRegistered(name: string): boolean {
  return globalRegistry.has(name);
}

/**
 * Removes a type from the global registry (built-ins included, to replace one).
 * @throws ConfigError provider_not_found
 */
export function unregisterProvider(name: string): void {
  globalRegistry.unregister(name);
}

/** Types that read `format`, sorted. */
export function getProvidersForFormat(format: string): string[] {
  return globalRegistry.forFormat(format);
}

/** Types with `capability`, sorted. */
export function getProvidersByCapability(capability: string): string[] {
  return globalRegistry.withCapability(capability);
}

/** Metadata of the types matching every criterion. */
export function findProviders(criteria: ProviderCriteria): ProviderMetadata[] {
  return globalRegistry.find(criteria);
}

/**
 * The best type for the requirements (see ProviderRegistry#best).
 * @throws ConfigError provider_not_found
 */
export function getBestProvider(requirements: ProviderRequirements): string {
  return globalRegistry.best(requirements);
}

/**
 * Checks options for a type without creating anything.
 * @throws ConfigError provider_not_found, provider_config_invalid
 */
export function validateProviderOptions(name: string, options: ProviderOptions): void {
  globalRegistry.validateOptions(name, options);
}
