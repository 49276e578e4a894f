/**
 * confstack — the public entry. Explicit named re-exports only: no logic, no side effects.
 * (Heavy pieces load lazily: zod with confstack/schema, etcd3 with confstack/etcd, the
 * YAML/TOML parsers with the first file of that kind.) The loading functions come from the
 * framework preset's api.ts, which makes the framework the default schema of the generic core.
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
} from './foundation/errors.js';
export { REDACTED, isSecretKey, isSecretPath, redact } from './foundation/secrets.js';

export { describeOrigin, type Origin, type Position, type PositionIndex } from './tree/origins.js';
export { canonicalPath, formatPath, parsePath } from './tree/path.js';
export { DEFAULT_LIMITS, type Limits } from './tree/limits.js';
export { TomlDateTime, type TomlDateTimeKind } from './tree/datetime.js';

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

export {
  Config,
  SCHEMA_DEFAULTS_ORIGIN,
  type ConfigClass,
  type ConfigInit,
  type ExplainEntry,
  type ConfigKey,
  type ConfigPath,
  type ConfstackSchemaExtension,
  type PathValue,
  type SnapshotOf,
} from './core/config.js';
export { defaultLoaderOptions, resolveSources, type LoadOptions } from './core/load.js';
export { defineConfig } from './core/project.js';
export type { ConfigWarning } from './core/env-diagnostics.js';
export { schemaFields, secretPatterns, type SchemaField } from './core/json-schema/fields.js';
export {
  Loader,
  loadConfig,
  loadFrameworkSchema,
  loadFromEnv,
  loadFromFile,
  loadFromSources,
  setDefaults,
  validateConfig,
  watchConfig,
  type FrameworkSchema,
  type LoaderConstructor,
} from './presets/framework/api.js';
export { frameworkPreset, withFramework, type FrameworkPreset, type FrameworkSchemaOf } from './presets/framework/preset.js';
export { FrameworkSnapshot } from './presets/framework/snapshot.js';
export {
  newAutoDetectProvider,
  newCompositeProvider,
  newJSONProvider,
  newTOMLProvider,
  newYAMLProvider,
} from './compat/index.js';
export { schemaJsonSchema, schemaTypeAt, validateValue } from './core/validate.js';
export type { InferInput, InferOutput, StandardSchemaV1 } from './foundation/standard-schema.js';
export type {
  AgentConfig,
  EmbeddingProviderConfig,
  FrameworkConfig,
  LLMProviderConfig,
  ToolConfig,
  VectorStoreConfig,
} from './presets/framework/schema.js';

export {
  createMetrics,
  getGlobalMetrics,
  noOpMetrics,
  setGlobalMetrics,
  type ConfigMetrics,
  type CreateMetricsOptions,
  type HealthStatus,
} from './observability/metrics.js';
export type { Logger } from './observability/logging.js';
export {
  HealthMonitor,
  healthHandler,
  type HealthFigures,
  type HealthHandlerOptions,
  type HealthMonitorOptions,
  type HealthSummary,
  type ProviderHealth,
} from './observability/health.js';
// A type: watchConfig makes LiveConfigs, and loads their code on first use.
export type { LiveConfig, LiveConfigEvents, ReloadOutcome, WatchConfigOptions } from './core/watch.js';
// The explorer's code and page load on its first request (confstack/explorer is the eager entry).
export { configExplorer } from './operator/explorer/lazy.js';
export type { ConfigExplorer, ConfigExplorerOptions, DiffLine, ExplorerSource, HistoryEntry } from './operator/explorer/index.js';
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
} from './registry/index.js';
