/**
 * The Provider contract and defineProvider(), which every built-in provider uses to get the
 * plumbing right (abort checks, wrapping foreign throws, layer shape checks).
 */
import { ConfigError, ErrorCode, toConfigError } from '../foundation/errors.js';
import type { Layer } from '../tree/layer.js';
import type { Limits } from '../tree/limits.js';

// The Layer a provider returns is declared in tree/ (the merge consumes it); it is part of this contract.
export type { Layer, SourceStatus } from '../tree/layer.js';

/** The kind of value a schema or lower layer expects at a path; drives env string coercion. */
export type ValueKind = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

/** What the loader hands to `load`. Every field is optional: a provider must work standalone. */
export interface LoadContext {
  signal?: AbortSignal;
  /** The merged values of every lower-priority source (read-only). Env matching uses it. */
  lower?: Readonly<Record<string, unknown>>;
  /** The value kind the schema expects at a path (segments), if it knows. */
  typeAt?: (segments: readonly string[]) => ValueKind | undefined;
  /** The environment for interpolation and env providers without their own `env`. */
  env?: Readonly<Record<string, string | undefined>>;
  limits?: Limits;
}

export interface HealthResult {
  ok: boolean;
  message?: string;
}

/** A source of configuration. Factories are cheap and synchronous; connect on first load. */
export interface Provider {
  /** Instance name, e.g. "file:config/config.yaml". */
  readonly name: string;
  /** Registry type, e.g. "file". */
  readonly type: string;
  /** True if `load` wants `ctx.lower` (the merged lower layers): the loader then calls it in order. */
  readonly needsLower?: boolean;
  /**
   * True if `load` reads only memory or local files and never waits on a network: the loader arms
   * no `loadTimeoutMs` timer for it (a timer and an AbortController per load cost more than
   * such a load itself). Leave unset for anything remote.
   */
  readonly local?: boolean;
  load(ctx?: LoadContext): Promise<Layer>;
  /** Calls onChange when the source may have changed (carries no data); returns unsubscribe. */
  watch?(onChange: () => void): () => void;
  healthCheck?(opts?: { signal?: AbortSignal }): Promise<HealthResult>;
  close?(): Promise<void>;
}

export interface ProviderDefinition {
  name: string;
  type: string;
  needsLower?: boolean;
  local?: boolean;
  load(ctx: LoadContext): Promise<Layer> | Layer;
  watch?(onChange: () => void): () => void;
  healthCheck?(opts?: { signal?: AbortSignal }): Promise<HealthResult>;
  close?(): Promise<void>;
}

/** The standard error for an aborted operation: `load_failed`, message `aborted`, the reason as cause; not retryable (the caller chose to stop). */
export function abortedError(signal: AbortSignal, op: string, provider?: string): ConfigError {
  return new ConfigError({ op, code: ErrorCode.LoadFailed, message: 'aborted', ...(provider ? { provider } : {}), cause: signal.reason, retryable: false });
}

/** Throws the standard abort error if `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, op: string, provider?: string): void {
  if (signal?.aborted) throw abortedError(signal, op, provider);
}

/** A plain object (prototype Object.prototype or null), as a Layer's `values` must be. */
export function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Builds a Provider from a definition: checks the abort signal before loading, wraps anything
 * thrown that is not a ConfigError into `load_failed` (provider set, cause kept), checks the
 * returned layer's shape, and makes `close` idempotent.
 */
export function defineProvider(def: ProviderDefinition): Provider {
  let closed: Promise<void> | undefined;
  const provider: Provider = {
    name: def.name,
    type: def.type,
    ...(def.needsLower ? { needsLower: true } : {}),
    ...(def.local ? { local: true } : {}),
    async load(ctx: LoadContext = {}): Promise<Layer> {
      throwIfAborted(ctx.signal, 'load', def.name);
      let layer: Layer;
      try {
        layer = await def.load(ctx);
      } catch (err) {
        throw toConfigError(err, {
          op: 'load',
          code: ErrorCode.LoadFailed,
          message: `provider "${def.name}" failed to load`,
          provider: def.name,
        });
      }
      if (layer === null || typeof layer !== 'object' || !isPlainRecord(layer.values)) {
        throw new ConfigError({
          op: 'load',
          code: ErrorCode.LoadFailed,
          message: `provider "${def.name}" returned no values object`,
          provider: def.name,
          retryable: false, // a broken contract, not a transient failure
        });
      }
      return layer;
    },
  };
  if (def.watch) provider.watch = def.watch.bind(def);
  if (def.healthCheck) provider.healthCheck = def.healthCheck.bind(def);
  if (def.close) {
    const close = def.close.bind(def);
    provider.close = () => (closed ??= close());
  }
  return provider;
}
