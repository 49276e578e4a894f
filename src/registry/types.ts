/**
 * Registry types: what a provider creator receives (ProviderOptions), what the registry knows about a
 * provider type without loading its code (ProviderMetadata), and the discovery queries.
 * Pure types and constants; imports nothing but the Provider type.
 */
import type { Provider } from '../providers/provider.js';

/**
 * Options handed to a provider creator. Every field is optional; which ones a type uses is in its
 * metadata (`requiredOptions`, `optionalOptions`). Unknown top-level names are rejected
 * (`provider_config_invalid`), so a typo such as `pathh` never passes silently.
 */
export interface ProviderOptions {
  /** One file to load (file, yaml, json, toml). */
  path?: string;
  /** Base name searched for in `configPaths` (file types). */
  configName?: string;
  /** Directories searched in order (file types). */
  configPaths?: string[];
  /** Environment variable prefix (env). */
  envPrefix?: string;
  /** Format name; must be one of the type's `supportedFormats` (or `auto`). */
  format?: string;
  /** A missing source is an empty layer instead of an error. */
  optional?: boolean;
  /** `false` removes `watch` from the created provider (it will not be watched). */
  watch?: boolean;
  /** Share one instance between `create` calls with equal options (deep equality). Default false. */
  cache?: boolean;
  /** With `cache`: an entry expires this long after its creation resolved. Default: never. */
  cacheTtlMs?: number;
  /** Bound on each `load` attempt; a load that has not settled fails with `remote_load_timeout`. */
  loadTimeoutMs?: number;
  /** Retries of a `load` that failed with a `retryable` ConfigError (exponential backoff, jitter). */
  maxRetries?: number;
  /** Options only one type understands, e.g. etcd's `endpoints` or defaults' `values`. */
  providerSpecific?: Record<string, unknown>;
}

/** Every ProviderOptions field name (metadata may name these, or `providerSpecific.<key>`). */
export const PROVIDER_OPTION_FIELDS: Readonly<Record<keyof ProviderOptions, true>> = {
  path: true,
  configName: true,
  configPaths: true,
  envPrefix: true,
  format: true,
  optional: true,
  watch: true,
  cache: true,
  cacheTtlMs: true,
  loadTimeoutMs: true,
  maxRetries: true,
  providerSpecific: true,
};

/** Builds a provider from options. May be async (etcd loads its code on first creation). */
export type ProviderCreator = (options: ProviderOptions) => Provider | Promise<Provider>;

/** The capability names the registry knows. Custom capabilities use an `x-` prefix. */
export const ProviderCapabilities = {
  FileLoading: 'file_loading',
  EnvVars: 'env_vars',
  Watching: 'watching',
  Remote: 'remote',
  HealthCheck: 'health_check',
  Interpolation: 'interpolation',
  Profiles: 'profiles',
} as const;
export type ProviderCapability = (typeof ProviderCapabilities)[keyof typeof ProviderCapabilities];

/** What the registry knows about a provider type. Frozen once registered. */
export interface ProviderMetadata {
  readonly name: string;
  readonly description: string;
  readonly version?: string;
  readonly supportedFormats: readonly string[];
  readonly defaultFormat?: string;
  /** Known capability names (ProviderCapabilities) or `x-`-prefixed custom ones. */
  readonly capabilities: readonly string[];
  readonly supportsWatch: boolean;
  readonly supportsEnvVars: boolean;
  /** The type's providers answer `healthCheck()`. */
  readonly supportsHealthCheck: boolean;
  /**
   * Options that must be set: a ProviderOptions field (`path`) or a provider-specific key written
   * `providerSpecific.<key>` (`providerSpecific.endpoints`).
   */
  readonly requiredOptions: readonly string[];
  /** Options the type understands besides the required ones (same naming). */
  readonly optionalOptions: readonly string[];
  /** @deprecated the same as `supportsHealthCheck` (named like `supportsWatch` now); always equal to it. */
  readonly healthCheckSupported: boolean;
}

/**
 * Metadata as given to `register`: every field optional. `name` defaults to the registered name
 * (and must equal it when given); lists default to empty, flags to false.
 */
export type ProviderMetadataInit = { -readonly [K in keyof ProviderMetadata]?: ProviderMetadata[K] };

/** `find` criteria: a type matches when it has every listed format and capability. */
export interface ProviderCriteria {
  formats?: string[];
  capabilities?: string[];
  /** When set, `supportsHealthCheck` must equal it. */
  healthCheck?: boolean;
}

/** `best` requirements: required ones filter, preferred ones score (one point each). */
export interface ProviderRequirements {
  requiredFormats?: string[];
  preferredFormats?: string[];
  requiredCapabilities?: string[];
  preferredCapabilities?: string[];
}
