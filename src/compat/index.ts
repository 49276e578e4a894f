/**
 * The Go package's function names, in TypeScript form, kept in one place.
 */
import type { Config } from '../core/config.js';
import { loadConfig, type LoadOptions } from '../core/load.js';
import { compositeProvider } from '../providers/composite.js';
import { envProvider } from '../providers/env.js';
import { fileProvider } from '../providers/file.js';
import type { FormatName } from '../formats/format.js';
import type { Provider } from '../providers/provider.js';

/**
 * Loads one file (env vars with `options.envPrefix` still override it).
 * @throws ConfigError file_not_found, parse_failed, validation_failed, …
 */
export function loadFromFile<T = unknown>(path: string, options: LoadOptions = {}): Promise<Config<T>> {
  const sources: Provider[] = [
    envProvider({ prefix: options.envPrefix ?? 'CONFSTACK', ...(options.env ? { env: { ...options.env } } : {}) }),
    fileProvider({ path }),
  ];
  return loadConfig({ ...options, sources }) as Promise<Config<T>>;
}

/** Loads from environment variables with `prefix` only. */
export function loadFromEnv<T = unknown>(prefix: string, options: LoadOptions = {}): Promise<Config<T>> {
  return loadConfig({ ...options, sources: [envProvider({ prefix, ...(options.env ? { env: { ...options.env } } : {}) })] }) as Promise<Config<T>>;
}

function formatProvider(format: FormatName | 'auto', configName: string, configPaths: string[], envPrefix: string): Provider {
  return compositeProvider(
    [envProvider({ prefix: envPrefix }), fileProvider({ configName, configPaths, format, optional: true })],
    { name: `${format === 'auto' ? 'auto' : format}:${configName}` },
  );
}

/** Env (`envPrefix`) over `configName.yaml|yml` found in `configPaths`, as one provider. A missing file is no error. */
export function newYAMLProvider(configName: string, configPaths: string[], envPrefix: string): Provider {
  return formatProvider('yaml', configName, configPaths, envPrefix);
}
/** Env over `configName.json`, as one provider. */
export function newJSONProvider(configName: string, configPaths: string[], envPrefix: string): Provider {
  return formatProvider('json', configName, configPaths, envPrefix);
}
/** Env over `configName.toml`, as one provider. */
export function newTOMLProvider(configName: string, configPaths: string[], envPrefix: string): Provider {
  return formatProvider('toml', configName, configPaths, envPrefix);
}
/** Env over the first `configName.{yaml,yml,json,toml}` found, as one provider. */
export function newAutoDetectProvider(configName: string, configPaths: string[], envPrefix: string): Provider {
  return formatProvider('auto', configName, configPaths, envPrefix);
}
/** Several providers as one, highest priority first. */
export function newCompositeProvider(...providers: Provider[]): Provider {
  return compositeProvider(providers);
}
