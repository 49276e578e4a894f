/**
 * The public entry points with the framework preset as the default schema: what `confstack`
 * exports as loadConfig, Loader, loadFromSources, watchConfig, loadFromFile, loadFromEnv,
 * validateConfig and setDefaults. Each fills in `schema: frameworkPreset` when none is given and
 * calls the generic core, which knows no schema. So the framework is the default without the
 * core importing it.
 */
import type { FrameworkConfig } from './framework.js';
import { applyFrameworkDefaults } from './defaults.js';
import { frameworkPreset } from './preset.js';
import type { FrameworkSnapshot } from './snapshot.js';
import type * as ZodSchemaModule from './schema.js';
import * as compat from '../../compat/index.js';
import type { Config, SnapshotOf } from '../../core/config.js';
import { ConfigError, ErrorCode } from '../../foundation/errors.js';
import * as core from '../../core/load.js';
import type { LoadOptions } from '../../core/load.js';
import type { Provider } from '../../providers/provider.js';
import type { StandardSchemaV1 } from '../../foundation/standard-schema.js';
import * as validation from '../../core/validate.js';
import type * as watch from '../../core/watch.js';

/** The options with the framework preset as schema when none is given. */
function withDefault<O extends LoadOptions>(options: O | undefined): O {
  const o = (options ?? {}) as O;
  return o.schema === undefined ? { ...o, schema: frameworkPreset } : o;
}

/** Options that validate with the framework (no schema given, validation on). */
type FrameworkOptions = LoadOptions & { schema?: undefined; validate?: true };
/** Options that give an unvalidated, untyped snapshot. */
type UntypedOptions = LoadOptions & ({ schema: false } | { validate: false });
/** Options with an app's schema. */
type SchemaOptions<S extends StandardSchemaV1> = LoadOptions & { schema: S; validate?: true };

/**
 * Loads, merges, validates and freezes the configuration.
 * - no `schema`: the framework preset; the snapshot has the framework accessors.
 * - `schema: S` (zod, valibot, any Standard Schema; `withFramework(S)` for both): typed by its output.
 * - `schema: false` or `validate: false`: `Config<unknown>` (nothing checked the values).
 * With an explicit type argument (`loadConfig<T>(…)`) the caller asserts the value's type.
 * @throws ConfigError (parse_failed, validation_failed, file_not_found, interpolation_failed, …)
 * @example
 * const config = await loadConfig({ configPaths: ['./config'] });
 * config.getLLMProviderConfig('openai').model_name;
 */
export function loadConfig(options: UntypedOptions): Promise<Config<unknown>>;
export function loadConfig<S extends StandardSchemaV1>(options: SchemaOptions<S>): Promise<SnapshotOf<S>>;
export function loadConfig(options?: FrameworkOptions): Promise<FrameworkSnapshot>;
export function loadConfig<T>(options?: LoadOptions): Promise<Config<T>>;
export function loadConfig(options?: LoadOptions): Promise<Config<unknown>> {
  return core.loadConfig(withDefault(options));
}

/** Runs the pipeline over the given providers (highest priority first); schema as in loadConfig. */
export function loadFromSources(providers: readonly Provider[], options: UntypedOptions): Promise<Config<unknown>>;
export function loadFromSources<S extends StandardSchemaV1>(providers: readonly Provider[], options: SchemaOptions<S>): Promise<SnapshotOf<S>>;
export function loadFromSources(providers: readonly Provider[], options?: FrameworkOptions): Promise<FrameworkSnapshot>;
export function loadFromSources<T>(providers: readonly Provider[], options?: LoadOptions): Promise<Config<T>>;
export function loadFromSources(providers: readonly Provider[], options?: LoadOptions): Promise<Config<unknown>> {
  return core.loadFromSources(providers, withDefault(options));
}

/** Loads one file (env vars with `options.envPrefix` still override it); schema as in loadConfig. */
export function loadFromFile(path: string, options: UntypedOptions): Promise<Config<unknown>>;
export function loadFromFile<S extends StandardSchemaV1>(path: string, options: SchemaOptions<S>): Promise<SnapshotOf<S>>;
export function loadFromFile(path: string, options?: FrameworkOptions): Promise<FrameworkSnapshot>;
export function loadFromFile<T>(path: string, options?: LoadOptions): Promise<Config<T>>;
export function loadFromFile(path: string, options?: LoadOptions): Promise<Config<unknown>> {
  return compat.loadFromFile(path, withDefault(options));
}

/** Loads from environment variables with `prefix` only; schema as in loadConfig. */
export function loadFromEnv(prefix: string, options: UntypedOptions): Promise<Config<unknown>>;
export function loadFromEnv<S extends StandardSchemaV1>(prefix: string, options: SchemaOptions<S>): Promise<SnapshotOf<S>>;
export function loadFromEnv(prefix: string, options?: FrameworkOptions): Promise<FrameworkSnapshot>;
export function loadFromEnv<T>(prefix: string, options?: LoadOptions): Promise<Config<T>>;
export function loadFromEnv(prefix: string, options?: LoadOptions): Promise<Config<unknown>> {
  return compat.loadFromEnv(prefix, withDefault(options));
}

/** Loads and watches; schema as in loadConfig (see the core watchConfig for the guarantees). */
export function watchConfig(options: watch.WatchConfigOptions & ({ schema: false } | { validate: false })): Promise<watch.LiveConfig<unknown>>;
export function watchConfig<S extends StandardSchemaV1>(options: watch.WatchConfigOptions & { schema: S; validate?: true }): Promise<watch.LiveConfig<StandardSchemaV1.InferOutput<S>, SnapshotOf<S>>>;
export function watchConfig(options?: watch.WatchConfigOptions & { schema?: undefined; validate?: true }): Promise<watch.LiveConfig<FrameworkConfig, FrameworkSnapshot>>;
export function watchConfig<T>(options?: watch.WatchConfigOptions): Promise<watch.LiveConfig<T>>;
export async function watchConfig(options?: watch.WatchConfigOptions): Promise<watch.LiveConfig<unknown>> {
  // The reload machinery loads with the first watch: importing confstack does not pay for it.
  const { watchConfig: watchWith } = await import('../../core/watch.js');
  return watchWith(withDefault(options));
}

/** The Loader's constructor: the same overloads as loadConfig pick the snapshot type. */
export interface LoaderConstructor {
  new (options: UntypedOptions): core.Loader<Config<unknown>>;
  new <S extends StandardSchemaV1>(options: SchemaOptions<S>): core.Loader<SnapshotOf<S>>;
  new (options?: FrameworkOptions): core.Loader<FrameworkSnapshot>;
  new <T>(options?: LoadOptions): core.Loader<Config<T>>;
  readonly prototype: core.Loader<Config<unknown>>;
}

/**
 * The Go package's Loader: options once, load many times (`load()`, `mustLoad()`). The
 * framework preset when no schema is given; typed like loadConfig.
 */
export const Loader: LoaderConstructor = class Loader extends core.Loader<Config<unknown>> {
  constructor(options?: LoadOptions) {
    super(withDefault(options));
  }
} as LoaderConstructor;
/** A Loader whose `load()` returns snapshots of type `C`. */
export type Loader<C extends Config<unknown> = FrameworkSnapshot> = core.Loader<C>;

/**
 * Validates `value` with `schema` (default: the framework preset), discarding the output.
 * @throws ConfigError validation_failed with every issue; invalid_parameters for a bad schema
 * @example
 * await validateConfig(yaml.parse(text))
 */
export function validateConfig(value: unknown, schema: StandardSchemaV1 = frameworkPreset): Promise<void> {
  return validation.validateConfig(value, schema);
}

/**
 * Returns a copy of `value` with the framework defaults applied where keys are absent: the five
 * root lists `[]`, `default_call_options` `{ temperature: 0.7, max_tokens: 1000 }`,
 * `tools[].enabled` true, `agents[].max_iterations` 10. Synchronous and zod-free; does not
 * validate and never mutates `value`. A validated load applies the same defaults through the schema.
 * @example
 * setDefaults({ agents: [{ name: 'a', llm_provider_name: 'p' }] }).agents[0].max_iterations // 10
 */
export function setDefaults<T>(value: T): T {
  return applyFrameworkDefaults(value) as T;
}

/** The zod framework schema's type (a type-only reference, so zod is not loaded). */
export type FrameworkSchema = typeof ZodSchemaModule.FrameworkConfigSchema;

let zodModule: Promise<typeof ZodSchemaModule> | undefined;

/**
 * The zod framework schema (`FrameworkConfigSchema` of `confstack/schema`), loading it (and zod)
 * on the first call; later calls share the same module. Loads do not need it: they validate with
 * the zod-free frameworkPreset, generated from it.
 * @throws ConfigError load_failed if the schema module cannot be imported
 */
export async function loadFrameworkSchema(): Promise<FrameworkSchema> {
  zodModule ??= import('./schema.js').catch((err: unknown) => {
    zodModule = undefined; // let a later call retry
    throw new ConfigError({ op: 'validate', code: ErrorCode.LoadFailed, message: 'could not load the framework schema (confstack/schema)', cause: err });
  });
  return (await zodModule).FrameworkConfigSchema;
}
