/**
 * The pipeline: load every source -> merge (origins, limits, interpolation) -> validate (schema
 * defaults applied) -> freeze -> Config. Also the Loader class and default options.
 *
 * Generic: validates with the schema it is given and with none otherwise. The public entry
 * (`confstack`, presets/framework/api.ts) supplies the framework preset when no schema is given.
 */
import { monotonicMs } from '../foundation/clock.js';
import { Config, snapshotClassOf, type SnapshotOf } from './config.js';
import { asConfigError, ConfigError, ErrorCode, formatErrorReport, toConfigError } from '../foundation/errors.js';
import type { HealthMonitor } from '../observability/health.js';
import { getGlobalMetrics, safeMetrics, type ConfigMetrics } from '../observability/metrics.js';
import { logEvent, type Logger } from '../observability/logging.js';
import { AttributeNames, SpanNames } from '../observability/names.js';
import { quietly, withSpan } from '../observability/tracing.js';
import { loadStack } from '../providers/composite.js';
import { envProvider } from '../providers/env.js';
import { fileProvider } from '../providers/file.js';
import { throwIfAborted, type Layer, type Provider, type SourceStatus } from '../providers/provider.js';
import { applySchemaDefaults } from './schema-defaults.js';
import type { StandardSchemaV1 } from '../foundation/standard-schema.js';
import { deepFreeze, freezeChecked } from '../tree/freeze.js';
import { resolveLimits, type Limits } from '../tree/limits.js';
import { heldByOther } from '../tree/layer-values.js';
import { lookupOrigin, type MergeState, type OriginRef } from '../tree/merge.js';
import { diagnoseEnv, type ConfigWarning, type SchemaView } from './env-diagnostics.js';
import { secretPathsOf } from './json-schema/fields.js';
import { jsonSchemaOf } from './json-schema/of-schema.js';
import { DEFAULT_LOAD_TIMEOUT_MS, planLoad, type LoadPlan, type LoadSwitches } from './switches.js';
import { schemaTypeAt, validateValue, type TypeAt } from './validate.js';

/** Options of loadConfig / Loader / watchConfig. Never mutated. (The switches: see LoadSwitches.) */
export interface LoadOptions extends LoadSwitches {
  /** Sources in priority order, highest first. Default: env over the config file (schema defaults under both). */
  sources?: Provider[];
  /** Default `config`. */
  configName?: string;
  /** Default `['./config', '.']`. */
  configPaths?: string[];
  /** Default `CONFSTACK`. */
  envPrefix?: string;
  /** Profile overlay (`config.<profile>.yaml`). Default `process.env.CONFSTACK_PROFILE`. */
  profile?: string;
  metrics?: ConfigMetrics;
  logger?: Logger;
  signal?: AbortSignal;
  /** Environment for env sources and `${VAR}` interpolation. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Resource limits (see Limits for the defaults). */
  limits?: Partial<Limits>;
  /** Health monitor fed with validation results. */
  monitor?: HealthMonitor;
  /**
   * Prefixed environment variables that set a key the schema does not declare, or create a new
   * named list item close to an existing one: `'warn'` (default) adds a ConfigWarning to
   * `config.warnings` and the logger, `'error'` fails the load (`environment_error`), `'ignore'`
   * skips the check. No schema (`schema: false`, `validate: false`), no check.
   */
  unknownEnv?: 'ignore' | 'warn' | 'error';
}

/** The defaults loadConfig uses for every option not given. */
export function defaultLoaderOptions(): Required<Pick<LoadOptions, 'configName' | 'configPaths' | 'envPrefix' | 'validate' | 'setDefaults' | 'loadTimeoutMs'>> {
  return { configName: 'config', configPaths: ['./config', '.'], envPrefix: 'CONFSTACK', validate: true, setDefaults: true, loadTimeoutMs: DEFAULT_LOAD_TIMEOUT_MS };
}

/** The sources a load uses: `options.sources`, or env over the config file found by search. */
export async function resolveSources(options: LoadOptions = {}): Promise<Provider[]> {
  if (options.sources) return [...options.sources];
  const d = defaultLoaderOptions();
  const env = options.env ?? process.env;
  const profile = options.profile ?? env.CONFSTACK_PROFILE;
  return [
    envProvider({ prefix: options.envPrefix ?? d.envPrefix, ...(options.env ? { env: { ...options.env } } : {}) }),
    fileProvider({
      configName: options.configName ?? d.configName,
      // Only explicit paths must exist; the default search may miss `./config`.
      ...(options.configPaths ? { configPaths: options.configPaths } : {}),
      ...(profile ? { profile } : {}),
      optional: true,
    }),
  ];
}

function formatOf(layer: Layer, provider: Provider): string {
  const location = layer.origin?.location;
  if (provider.type === 'file' && location) {
    const dot = location.lastIndexOf('.');
    return dot >= 0 ? location.slice(dot + 1) : 'unknown';
  }
  return provider.type;
}

/**
 * Runs the whole pipeline over the given providers (highest priority first).
 * @throws ConfigError from any step; nothing partial is returned
 */
export async function loadFromSources<T = unknown>(providers: readonly Provider[], options: LoadOptions = {}): Promise<Config<T>> {
  // A user-supplied ConfigMetrics that throws must never fail a load.
  const metrics = safeMetrics(options.metrics ?? getGlobalMetrics());
  const plan = planLoad(options);
  return withSpan(metrics, SpanNames.Load, { [AttributeNames.SourceCount]: providers.length }, async (span) => {
    throwIfAborted(options.signal, 'load');
    const schema = plan.validateWith;
    const typeAt = schema && providers.some((p) => p.needsLower) ? await schemaTypeAt(schema) : undefined;
    const { state, sources, layers } = await loadLayers(providers, options, plan, metrics, typeAt);
    const found = secretPathsOf(plan.secretsFrom);
    const secretPaths = found.size > 0 ? found : undefined;
    const warnings = schema ? await checkEnv(state.origins, state.values, { typeAt, jsonSchema: async () => jsonSchemaOf(schema), lowerHas: (key) => heldByOther(layers, state.values, key, 'env') }, options) : [];
    const value = await checkedValue(state, plan, options, metrics, secretPaths);
    span.setAttribute(AttributeNames.SourceCount, sources.length);
    reportSources(sources, options);
    const Snapshot = (schema && snapshotClassOf(schema)) || Config;
    return new Snapshot({
      // The merged input is our own tree and holds no forbidden keys; a schema's output is checked.
      value: (value === state.values ? deepFreeze(value) : freezeChecked(value, 'validate')) as T,
      origins: state.origins,
      sources,
      input: state.values,
      ...(secretPaths ? { secretPaths } : {}),
      warnings,
      layers,
    });
  });
}

/** Loads and merges the sources, each load in its span and reported to the health monitor. */
function loadLayers(providers: readonly Provider[], options: LoadOptions, plan: LoadPlan, metrics: ConfigMetrics, typeAt: TypeAt | undefined) {
  const ctx = { ...(options.signal ? { signal: options.signal } : {}), env: options.env ?? process.env, limits: resolveLimits(options.limits), ...(typeAt ? { typeAt } : {}) };
  return loadStack(providers, ctx, {
    loadTimeoutMs: plan.loadTimeoutMs,
    around: (p, load) =>
      withSpan(metrics, SpanNames.ProviderLoad, { [AttributeNames.Provider]: p.name, [AttributeNames.ProviderType]: p.type }, async (s) => {
        const started = monotonicMs();
        try {
          const layer = await load();
          s.setAttribute(AttributeNames.Format, formatOf(layer, p));
          observeProvider(options, p.name, true, monotonicMs() - started);
          return layer;
        } catch (err) {
          observeProvider(options, p.name, false, monotonicMs() - started, err);
          logEvent(options.logger, 'warn', 'confstack: source failed to load', { provider: p.name, type: p.type, error: err });
          throw err;
        }
      }),
  });
}

/** The value the snapshot holds, per the plan: the schema's output, the merged input, or the input with defaults. */
async function checkedValue(state: MergeState, plan: LoadPlan, options: LoadOptions, metrics: ConfigMetrics, secretPaths: ReadonlySet<string> | undefined): Promise<unknown> {
  const schema = plan.validateWith;
  if (!schema) {
    // Defaults do not depend on validation (as in the Go package): filled in, nothing checked.
    return plan.defaultsFrom ? applySchemaDefaults(plan.defaultsFrom, state.values) : state.values;
  }
  const started = monotonicMs();
  try {
    const out = await withSpan(metrics, SpanNames.Validate, {}, () =>
      validateValue(state.values, schema, {
        originOf: (path) => lookupOrigin(state.origins, path),
        ...(secretPaths ? { secretPaths } : {}),
      }),
    );
    recordValidation(options, true, 0, monotonicMs() - started);
    return plan.returnOutput ? out : state.values;
  } catch (err) {
    const issues = asConfigError(err)?.issues?.length ?? 1;
    recordValidation(options, false, issues, monotonicMs() - started);
    throw err;
  }
}

function reportSources(sources: readonly SourceStatus[], options: LoadOptions): void {
  quietly(() => options.monitor?.recordSources(sources));
  for (const s of sources) {
    if (s.status === 'skipped') logEvent(options.logger, 'warn', 'confstack: source skipped (fallback)', { source: s.name, type: s.type, error: s.error });
  }
  logEvent(options.logger, 'debug', 'confstack: configuration loaded', { sources: sources.map((s) => `${s.name} (${s.status})`), source_count: sources.length });
}

/** Runs the env diagnostics per `options.unknownEnv`: warnings logged and returned, or thrown. */
async function checkEnv(origins: ReadonlyMap<string, OriginRef>, values: Record<string, unknown>, schema: SchemaView, options: LoadOptions): Promise<ConfigWarning[]> {
  const mode = options.unknownEnv ?? 'warn';
  if (mode === 'ignore') return [];
  let anyEnv = false;
  for (const ref of origins.values()) if (ref.origin.type === 'env') {
    anyEnv = true;
    break;
  }
  if (!anyEnv) return [];
  // The JSON Schema only when a variable needs it (the loader's typeAt answers most).
  const warnings = await diagnoseEnv(origins, values, schema);
  const problems = warnings.filter((w) => w.code !== 'env_unchecked');
  if (mode === 'error' && problems.length > 0) {
    const first = problems[0]!;
    throw new ConfigError({
      op: 'env',
      code: ErrorCode.EnvironmentError,
      message: `${problems.length} environment variable${problems.length === 1 ? '' : 's'} do not match the schema; first: ${first.message}`,
      ...(first.location ? { location: first.location } : {}),
      issues: problems.map((w) => ({ path: w.location?.key ?? '', message: w.message, code: w.code })),
    });
  }
  for (const w of warnings) {
    logEvent(options.logger, 'warn', `confstack: ${w.message}`, { code: w.code, ...(w.location?.key !== undefined ? { path: w.location.key } : {}), ...(w.location?.source ? { source: w.location.source } : {}) });
  }
  return warnings;
}

function observeProvider(options: LoadOptions, name: string, ok: boolean, ms: number, err?: unknown): void {
  quietly(() => options.monitor?.recordProviderLoad(name, ok, ms, err));
}

function recordValidation(options: LoadOptions, ok: boolean, issues: number, ms: number): void {
  quietly(() => {
    (options.metrics ?? getGlobalMetrics()).recordValidation('load', ok, issues, ms);
    options.monitor?.recordValidation(ok, ms, issues);
  });
}

/**
 * Loads, merges, validates and freezes the configuration (the core: no schema unless given; the
 * `confstack` entry's loadConfig defaults to the framework preset).
 * With a `schema`, the snapshot is typed by the schema's output; `validate: false` or no schema
 * gives `Config<unknown>` (any path, unknown values).
 * @throws ConfigError (parse_failed, validation_failed, file_not_found, interpolation_failed, …)
 */
export function loadConfig<S extends StandardSchemaV1>(options: LoadOptions & { schema: S; validate?: true }): Promise<SnapshotOf<S>>;
export function loadConfig(options?: LoadOptions): Promise<Config<unknown>>;
export async function loadConfig(options: LoadOptions = {}): Promise<Config<unknown>> {
  return loadFromSources(await resolveSources(options), options);
}

/** The Go package's Loader: options once, load many times. `C` is the snapshot type `load` returns. */
export class Loader<C extends Config<unknown> = Config<unknown>> {
  readonly #options: LoadOptions;
  constructor(options: LoadOptions = {}) {
    this.#options = { ...options };
  }
  /** @throws ConfigError */
  load(): Promise<C> {
    return loadConfig(this.#options) as Promise<C>;
  }
  /**
   * For application entry points: loads, or prints the error report to stderr as the CLI does
   * (`file:line:col: message [code]`, the source line with secret values masked, at most 20
   * issues) and exits the process with status 1.
   *
   * The one place in confstack that calls `process.exit`: everything else throws a ConfigError
   * and leaves the decision to the caller. Use `load()` where the process must live on (a server
   * that retries, a test, a library).
   */
  async mustLoad(): Promise<C> {
    try {
      return await this.load();
    } catch (err) {
      const ce = toConfigError(err, { op: 'load', code: ErrorCode.LoadFailed, message: 'configuration failed to load' });
      process.stderr.write(`${formatErrorReport(ce, { maxIssues: 20 })}\n`);
      process.exit(1);
    }
  }
}

