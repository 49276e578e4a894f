/**
 * Config: the immutable snapshot handed to the application. Getters with zero-value/fallback
 * semantics, typed by the schema's output (key paths checked at compile time), provenance
 * (`explain`), source statuses, redacted rendering. Knows no schema's fields: a schema may name a
 * Config subclass for its snapshots (`~confstack.snapshot`), which is how the framework preset
 * adds its accessors.
 */
import type { ConfigWarning } from './env-diagnostics.js';
import { ConfigError, ErrorCode, INSPECT } from '../foundation/errors.js';
import type { SourceStatus } from '../providers/provider.js';
import { isSecretPath, redact, redactAll, redactUrlCredentials } from '../foundation/secrets.js';
import type { StandardSchemaV1 } from '../foundation/standard-schema.js';
import { isLeafObject } from '../tree/datetime.js';
import { deepCopy } from '../tree/freeze.js';
import { layerValues, type LayerRole, type SourceLayer } from '../tree/layer-values.js';
import type { ConfigPath, PathValue } from '../tree/path-types.js';
import { lookupOrigin, type OriginRef } from '../tree/merge.js';
import { originToLocation, type Origin } from '../tree/origins.js';
import { formatPath, getAt, parsePath } from '../tree/path.js';
import { validateValue } from './validate.js';

/** The origin reported for values that only the schema's defaults supplied. */
export const SCHEMA_DEFAULTS_ORIGIN: Origin = Object.freeze({ provider: 'schema', type: 'defaults' });

export interface ConfigInit<T> {
  value: T;
  origins: ReadonlyMap<string, OriginRef>;
  sources: readonly SourceStatus[];
  /** The merged tree before validation: a value present in `value` but not here came from schema defaults. */
  input?: unknown;
  /** More secret key paths (canonical; `*` for any one segment) than the key-name rule finds. */
  secretPaths?: ReadonlySet<string>;
  /** What the load noticed but did not fail on (unknown env variables…). */
  warnings?: readonly ConfigWarning[];
  /** The layers merged, highest priority first (kept by reference, read by `explainAll`). */
  layers?: readonly SourceLayer[];
}

/** One source's value at a key, as {@link Config.explainAll} reports it. */
export interface ExplainEntry {
  /** The source's name (`file:config/config.yaml`, `env:CONFSTACK`, `schema`). */
  source: string;
  /** The source's type (`file`, `env`, `etcd`, `memory`, `defaults`…). */
  type: string;
  /** The value this source had at the key, redacted (secret keys, schema marks, URL passwords). */
  value: unknown;
  /** Where this source's value came from: file:line:col, env var, etcd key, schema defaults. */
  origin: Origin;
  /** `winner`: its value is the result; `merged`: it deep-merged into the result (objects, named lists); `overridden`: a higher source replaced it. */
  role: LayerRole;
}

const PATH_CACHE_LIMIT = 1024;

/** An origin as shown to the application: a source named by a URL (`etcd:http://u:p@h`) keeps no password. */
function redactOrigin(o: Origin | undefined): Origin | undefined {
  if (o === undefined || (!o.provider.includes('@') && !o.location?.includes('@'))) return o;
  return { ...o, provider: redactUrlCredentials(o.provider), ...(o.location !== undefined ? { location: redactUrlCredentials(o.location) } : {}) };
}

/** A key path of `T` (see ConfigPath), known to be a string. */
export type ConfigKey<T> = ConfigPath<T> & string;
export type { ConfigPath, PathValue };

/** A Config subclass a schema makes its snapshots of (see ConfstackSchemaExtension). */
export type ConfigClass<T = any, C extends Config<T> = Config<T>> = new (init: ConfigInit<T>) => C;

/**
 * What a schema object may carry beyond Standard Schema for confstack: `snapshot`, a Config
 * subclass that loads validated with this schema return (methods over the validated value, e.g.
 * the framework preset's `getLLMProviderConfig`); `secretPaths`, the key paths it marks secret
 * as `secretPatterns` of its JSON Schema gives them (`llm_providers.*.api_key`), which spares
 * walking that JSON Schema on a first load. Optional; any schema works without it.
 */
export interface ConfstackSchemaExtension {
  readonly '~confstack'?: { readonly snapshot?: ConfigClass; readonly secretPaths?: readonly string[] };
}

/** The snapshot type a load validated by schema `S` returns: its `~confstack.snapshot`, else `Config<output of S>`. */
export type SnapshotOf<S extends StandardSchemaV1> = S extends { readonly '~confstack': { readonly snapshot: abstract new (init: never) => infer C } }
  ? C
  : Config<StandardSchemaV1.InferOutput<S>>;

/** The schema's snapshot class, if it names a subclass of Config. Never throws. */
export function snapshotClassOf(schema: unknown): ConfigClass | undefined {
  if (schema === null || (typeof schema !== 'object' && typeof schema !== 'function')) return undefined;
  try {
    const ext = (schema as ConfstackSchemaExtension)['~confstack'];
    const cls = ext !== null && typeof ext === 'object' ? ext.snapshot : undefined;
    return typeof cls === 'function' && cls.prototype instanceof Config ? cls : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An immutable configuration snapshot. `value` is the validated, deeply frozen tree; getters
 * return the fallback (or the zero value) for missing keys and throw `type_mismatch` for values
 * that cannot be coerced. Printing a Config (inspect, JSON.stringify, String) redacts secrets.
 */
export class Config<T = Record<string, unknown>> {
  readonly #value: Readonly<T>;
  readonly #origins: ReadonlyMap<string, OriginRef>;
  readonly #sources: readonly SourceStatus[];
  readonly #input: unknown;
  readonly #secretPaths: ReadonlySet<string> | undefined;
  readonly #layers: readonly SourceLayer[];
  readonly #paths = new Map<string, string[]>();
  /** What the load noticed but did not fail on: env variables that set no schema key, and the like. */
  readonly warnings: readonly ConfigWarning[];

  constructor(init: ConfigInit<T>) {
    this.#value = init.value;
    this.#origins = init.origins;
    this.#sources = Object.freeze([...init.sources]);
    this.#input = init.input;
    this.#secretPaths = init.secretPaths;
    this.warnings = Object.freeze((init.warnings ?? []).map((w) => Object.freeze({ ...w })));
    this.#layers = init.layers ?? [];
  }

  /** The validated, defaults-applied, deeply frozen configuration. */
  get value(): Readonly<T> {
    return this.#value;
  }

  #segments(key: string): string[] {
    let segs = this.#paths.get(key);
    if (!segs) {
      segs = parsePath(key, 'get');
      if (this.#paths.size >= PATH_CACHE_LIMIT) this.#paths.clear();
      this.#paths.set(key, segs);
    }
    return segs;
  }

  #at(key: string): unknown {
    return getAt(this.#value, this.#segments(key));
  }

  /**
   * The value at a key path (`server.port`, `llm_providers[0].name`, `llm_providers.0.name`), or
   * undefined. Typed by the schema's output: a path `T` does not have is a compile error.
   */
  get<const P extends ConfigKey<T>>(key: P): PathValue<T, P> {
    return this.#at(key) as PathValue<T, P>;
  }

  /** True if the key path holds a value (null counts as set). */
  isSet(key: ConfigKey<T>): boolean {
    return this.#at(key) !== undefined;
  }

  #mismatch(key: string, expected: string, found: unknown): ConfigError {
    const origin = this.#explain(key);
    return new ConfigError({
      op: 'get',
      code: ErrorCode.TypeMismatch,
      message: `expected ${expected} at "${key}", found ${Array.isArray(found) ? 'list' : found === null ? 'null' : typeof found}`,
      location: origin ? originToLocation(origin, key) : { key },
      context: { key, expected },
    });
  }

  /** A string; numbers and booleans are converted. Missing → fallback ?? ''. */
  getString(key: ConfigKey<T>, fallback?: string): string {
    const v = this.#at(key);
    if (v === undefined || v === null) return fallback ?? '';
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean' || isLeafObject(v)) return String(v);
    throw this.#mismatch(key, 'string', v);
  }

  /** An integer; numeric strings are parsed, fractional numbers truncated. Missing → fallback ?? 0. */
  getInt(key: ConfigKey<T>, fallback?: number): number {
    const v = this.#at(key);
    if (v === undefined || v === null) return fallback ?? 0;
    if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
    if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) {
      const n = Number(v);
      if (Number.isSafeInteger(n)) return n;
    }
    throw this.#mismatch(key, 'integer', v);
  }

  /** A finite number; numeric strings are parsed. Missing → fallback ?? 0. */
  getFloat(key: ConfigKey<T>, fallback?: number): number {
    const v = this.#at(key);
    if (v === undefined || v === null) return fallback ?? 0;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v.trim() !== '') {
      const n = Number(v);
      if (Number.isFinite(n)) return n;
    }
    throw this.#mismatch(key, 'number', v);
  }

  /** A boolean; accepts true/false/1/0/yes/no/on/off strings and 0/1. Missing → fallback ?? false. */
  getBool(key: ConfigKey<T>, fallback?: boolean): boolean {
    const v = this.#at(key);
    if (v === undefined || v === null) return fallback ?? false;
    if (typeof v === 'boolean') return v;
    if (v === 1 || v === 0) return v === 1;
    if (typeof v === 'string') {
      const s = v.trim().toLowerCase();
      if (s === 'true' || s === '1' || s === 'yes' || s === 'on') return true;
      if (s === 'false' || s === '0' || s === 'no' || s === 'off') return false;
    }
    throw this.#mismatch(key, 'boolean', v);
  }

  /** An object's entries as strings (nested values as JSON). Missing → {}. */
  getStringMap(key: ConfigKey<T>): Record<string, string> {
    const v = this.#at(key);
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) throw this.#mismatch(key, 'object', v);
    const out: Record<string, string> = {};
    for (const [k, item] of Object.entries(v)) {
      out[k] = typeof item === 'string' || isLeafObject(item) ? String(item) : item !== null && typeof item === 'object' ? JSON.stringify(item) : String(item);
    }
    return out;
  }

  /**
   * The value at `key` as a fresh mutable copy, validated by `schema` when given.
   * @throws ConfigError key_not_found, validation_failed
   */
  async unmarshalKey<S extends StandardSchemaV1>(key: ConfigKey<T>, schema?: S): Promise<StandardSchemaV1.InferOutput<S>> {
    const v = this.#at(key);
    if (v === undefined) {
      throw new ConfigError({ op: 'unmarshal', code: ErrorCode.KeyNotFound, message: `no value at "${key}"`, location: { key } });
    }
    if (!schema) return deepCopy(v) as StandardSchemaV1.InferOutput<S>;
    const prefix = formatPath(this.#segments(key));
    return validateValue(deepCopy(v), schema, {
      originOf: (path) => this.#explain(path === '' ? prefix : `${prefix}.${path}`),
    });
  }

  /** Which source set the value at `key`: file:line:col, env var, etcd key, or schema defaults. */
  explain(key: ConfigKey<T>): Origin | undefined {
    return this.#explain(key);
  }

  #explain(key: string): Origin | undefined {
    const segments = this.#segments(key);
    if (getAt(this.#value, segments) === undefined) return undefined;
    if (this.#input !== undefined && this.#input !== this.#value && getAt(this.#input, segments) === undefined) return SCHEMA_DEFAULTS_ORIGIN;
    return redactOrigin(lookupOrigin(this.#origins, formatPath(segments)));
  }

  /**
   * Every source that had a value at `key`, highest priority first: its value (redacted), where it
   * came from, and whether it won, was overridden, or merged into the result (objects, name-keyed
   * lists). Schema defaults appear last when they supplied the value or part of it (their value:
   * just what they added). Computed on demand from the layers the load kept, by reference: a
   * provider that hands out an object it later changes (a memoryProvider over your own object)
   * shows the change. Empty for a key no source set.
   * @throws ConfigError invalid_parameters / forbidden_key for a malformed key path
   * @example
   * config.explainAll('server.port')
   * // [{ source: 'env', type: 'env', value: 9090, origin: { location: 'CONFSTACK_SERVER__PORT', … }, role: 'winner' },
   * //  { source: 'file:config/config.yaml', type: 'file', value: 8080, origin: { line: 7, column: 9, … }, role: 'overridden' }]
   */
  explainAll(key: ConfigKey<T>): ExplainEntry[] {
    const segments = this.#segments(key);
    const input = this.#input ?? this.#value;
    const entries: ExplainEntry[] = layerValues(this.#layers, input, segments).map((e) => ({
      ...e,
      source: redactUrlCredentials(e.source),
      value: this.#redactAt(e.value, segments),
      origin: redactOrigin(e.origin)!,
    }));
    const added = this.#input !== undefined && this.#input !== this.#value ? defaultsPart(getAt(this.#input, segments), getAt(this.#value, segments)) : undefined;
    if (added !== undefined) {
      const alone = entries.length === 0 || entries.every((e) => e.role === 'overridden');
      entries.push({
        source: SCHEMA_DEFAULTS_ORIGIN.provider,
        type: SCHEMA_DEFAULTS_ORIGIN.type,
        value: this.#redactAt(added, segments),
        origin: SCHEMA_DEFAULTS_ORIGIN,
        role: alone ? 'winner' : 'merged',
      });
    }
    return entries;
  }

  /** A value at `segments` redacted as `toObject()` redacts it there (secret keys, schema marks, URL passwords). */
  #redactAt(value: unknown, segments: readonly string[]): unknown {
    return isSecretPath(segments, this.#secretPaths) ? redactAll(value) : redact(value, this.#secretPaths, [...segments]);
  }

  /** Every source in priority order (highest first) with its status: loaded, empty or skipped. */
  sources(): SourceStatus[] {
    return this.#sources.map((s) => ({ ...s, name: redactUrlCredentials(s.name) }));
  }

  /** A mutable copy of the tree; secrets are `[REDACTED]` unless `redact: false`. */
  toObject(opts: { redact?: boolean } = {}): Record<string, unknown> {
    if (opts.redact === false) return deepCopy(this.#value) as Record<string, unknown>;
    return redact(this.#value, this.#secretPaths) as Record<string, unknown>;
  }

  /** Redacted, so `JSON.stringify(config)` never leaks a secret. */
  toJSON(): Record<string, unknown> {
    return this.toObject();
  }

  toString(): string {
    return `Config ${JSON.stringify(this.toObject())}`;
  }

  // Node passes its own `inspect` as the third argument: no import of node:util.
  [INSPECT](depth: number, options: object, inspect: typeof import('node:util').inspect): string {
    return `Config ${inspect(this.toObject(), { ...options, depth: Math.max(depth, 8) })}`;
  }
}

/**
 * What the schema's defaults added to `input` to give `out`: the keys (at any depth) that `out`
 * has and `input` lacks, in `out`'s shape; undefined when they added nothing.
 */
function defaultsPart(input: unknown, out: unknown): unknown {
  if (out === undefined) return undefined;
  if (input === undefined) return out;
  if (out === null || typeof out !== 'object' || input === null || typeof input !== 'object' || Array.isArray(out) !== Array.isArray(input)) return undefined;
  const added: Record<string, unknown> = {};
  let any = false;
  for (const [k, v] of Object.entries(out)) {
    const part = defaultsPart(Object.hasOwn(input, k) ? (input as Record<string, unknown>)[k] : undefined, v);
    if (part !== undefined) {
      added[k] = part;
      any = true;
    }
  }
  // A list keeps its indices as keys (`{ "0": { … } }`): which items the defaults filled in.
  return any ? added : undefined;
}
