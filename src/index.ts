/**
 * confstack — the public entry. Explicit named re-exports only: no logic, no side effects.
 * (Heavy pieces load lazily: zod with the framework schema, etcd3 with confstack/etcd, the
 * YAML/TOML parsers with the first file of that kind.)
 */
export {
  ConfigError,
  ErrorCode,
  asConfigError,
  describeLocation,
  formatConfigError,
  isConfigError,
  type ConfigErrorInit,
  type ConfigIssue,
  type ErrorLocation,
} from './errors.js';
export { REDACTED, isSecretKey, isSecretPath, redact } from './secrets.js';

export { describeOrigin, type Origin, type Position, type PositionIndex } from './tree/origins.js';
export { canonicalPath, formatPath, parsePath } from './tree/path.js';
export { DEFAULT_LIMITS, type Limits } from './tree/limits.js';

export type { Format, FormatName, ParseContext, Parsed } from './formats/format.js';
export { FORMAT_NAMES, formatForPath, loadFormat } from './formats/index.js';

export {
  defineProvider,
  type HealthResult,
  type Layer,
  type LoadContext,
  type Provider,
  type ProviderDefinition,
  type SourceStatus,
  type ValueKind,
} from './providers/provider.js';
export { fileProvider, type FileProviderOptions } from './providers/file.js';
export { configKey, envProvider, envVarName, getEnvConfigMap, type EnvProviderOptions } from './providers/env.js';
export { defaultsProvider, memoryProvider } from './providers/memory.js';
export { compositeProvider, type CompositeProviderOptions } from './providers/composite.js';

export { Config, SCHEMA_DEFAULTS_ORIGIN } from './config.js';
export { Loader, defaultLoaderOptions, loadConfig, loadFromSources, resolveSources, type LoadOptions } from './load.js';
export {
  loadFromEnv,
  loadFromFile,
  newAutoDetectProvider,
  newCompositeProvider,
  newJSONProvider,
  newTOMLProvider,
  newYAMLProvider,
} from './compat.js';
export { loadFrameworkSchema, schemaTypeAt, setDefaults, validateConfig, validateValue } from './validate.js';
export type { InferInput, InferOutput, StandardSchemaV1 } from './standard-schema.js';
export type {
  AgentConfig,
  EmbeddingProviderConfig,
  FrameworkConfig,
  LLMProviderConfig,
  ToolConfig,
  VectorStoreConfig,
} from './schema/index.js';

export {
  createMetrics,
  getGlobalMetrics,
  noOpMetrics,
  setGlobalMetrics,
  type ConfigMetrics,
  type CreateMetricsOptions,
  type HealthStatus,
} from './observe/metrics.js';
export type { Logger } from './observe/logging.js';
export {
  HealthMonitor,
  healthHandler,
  type HealthHandlerOptions,
  type HealthMonitorOptions,
  type HealthSummary,
  type ProviderHealth,
} from './health.js';
export { LiveConfig, watchConfig, type LiveConfigEvents, type ReloadOutcome, type WatchConfigOptions } from './watch.js';
export {
  ProviderRegistry,
  findProviders,
  getBestProvider,
  getProviderMetadata,
  getProvidersByCapability,
  getProvidersForFormat,
  globalRegistry,
  isProviderRegistered,
  listProviders,
  newProvider,
  registerBuiltinProviders,
  registerGlobal,
  unregisterProvider,
  validateProviderOptions,
  ProviderCapabilities,
  type ProviderCapability,
  type ProviderCreator,
  type ProviderCriteria,
  type ProviderMetadata,
  type ProviderMetadataInit,
  type ProviderOptions,
  type ProviderRequirements,
} from './registry.js';
