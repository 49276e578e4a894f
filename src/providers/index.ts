/**
 * `confstack/providers`: what a provider author needs, in one place. `defineProvider` and the
 * contract it fills in (Provider, Layer, LoadContext…), the format table and parsers a provider
 * that reads documents uses, key-path helpers for building layers and origins, the resource
 * limits a provider must honour, and the built-in providers to compose with. An application
 * needs none of this beyond the built-in providers, which `confstack` exports too.
 */
export {
  abortedError,
  defineProvider,
  throwIfAborted,
  type HealthResult,
  type Layer,
  type LoadContext,
  type Provider,
  type ProviderDefinition,
  type SourceStatus,
  type ValueKind,
} from './provider.js';
export { fileProvider, type FileProviderOptions } from './file.js';
export { configKey, envProvider, envVarName, getEnvConfigMap, type EnvProviderOptions } from './env.js';
export { defaultsProvider, memoryProvider } from './memory.js';
export { compositeProvider, type CompositeProviderOptions } from './composite.js';

export type { Format, FormatName, ParseContext, Parsed } from '../formats/format.js';
export { FORMAT_NAMES, formatForPath, loadFormat, parseDocument } from '../formats/index.js';
export { TomlDateTime, type TomlDateTimeKind } from '../tree/datetime.js';
export { describeOrigin, type Origin, type Position, type PositionIndex } from '../tree/origins.js';
export { canonicalPath, formatPath, parsePath } from '../tree/path.js';
export { DEFAULT_LIMITS, type Limits } from '../tree/limits.js';
