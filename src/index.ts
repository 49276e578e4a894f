/**
 * confstack: what an application needs, in groups. Explicit named re-exports only: no logic, no
 * side effects. (Heavy pieces load lazily: zod with confstack/schema, etcd3 with confstack/etcd,
 * each file format's parser with the first file of that kind, the watch machinery with the first
 * watchConfig.) The loading functions come from the framework preset's api.ts, which makes the
 * framework the default schema of the generic core.
 *
 * The other entries: `confstack/providers` (writing a provider: defineProvider, formats, key
 * paths, limits), `confstack/registry` (the whole provider registry), `confstack/schema` (the
 * framework's zod schema), `confstack/testing`, `confstack/etcd`, `confstack/explorer`.
 */

// Errors, and the secrets they never show.
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

// Loading, and the snapshot it returns.
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
export { defaultLoaderOptions, resolveSources, type LoadOptions } from './core/load.js';
export type { LoadSwitches } from './core/switches.js';
export { defineConfig } from './core/project.js';
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
export type { ConfigWarning } from './core/env-diagnostics.js';
export { describeOrigin, type Origin, type Position, type PositionIndex } from './tree/origins.js';
export { TomlDateTime, type TomlDateTimeKind } from './tree/datetime.js';
// A type: watchConfig makes LiveConfigs, and loads their code on first use.
export type { LiveConfig, LiveConfigEvents, ReloadOutcome, WatchConfigOptions } from './core/watch.js';

// Schemas: the framework preset, and what confstack reads of any schema (docs, secrets, types).
export { frameworkPreset, withFramework, type FrameworkPreset, type FrameworkSchemaOf } from './presets/framework/preset.js';
export { FrameworkSnapshot } from './presets/framework/snapshot.js';
export type {
  AgentConfig,
  EmbeddingProviderConfig,
  FrameworkConfig,
  LLMProviderConfig,
  ToolConfig,
  VectorStoreConfig,
} from './presets/framework/schema.js';
export { schemaFields, secretPatterns, type SchemaField } from './core/json-schema/fields.js';
export { schemaJsonSchema, schemaTypeAt, validateValue } from './core/validate.js';
export type { InferInput, InferOutput, StandardSchemaV1 } from './foundation/standard-schema.js';

// The built-in providers (writing one: confstack/providers).
export { fileProvider, type FileProviderOptions } from './providers/file.js';
export { configKey, envProvider, envVarName, getEnvConfigMap, type EnvProviderOptions } from './providers/env.js';
export { defaultsProvider, memoryProvider } from './providers/memory.js';
export { compositeProvider, type CompositeProviderOptions } from './providers/composite.js';
export type { Layer, Provider, SourceStatus } from './providers/provider.js';

// Observability and health.
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

// The operator's view: the explorer's code and page load on its first request (confstack/explorer is the eager entry).
export { configExplorer } from './operator/explorer/lazy.js';
export type { ConfigExplorer, ConfigExplorerOptions, DiffLine, ExplorerSource, HistoryEntry } from './operator/explorer/index.js';

// The provider registry's thin global functions (the whole registry: confstack/registry).
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
  registerGlobal,
  unregisterProvider,
  validateProviderOptions,
  type ProviderCreator,
  type ProviderMetadata,
  type ProviderOptions,
} from './registry/index.js';

// The Go package's names.
export { newAutoDetectProvider, newCompositeProvider, newJSONProvider, newTOMLProvider, newYAMLProvider } from './compat/index.js';
