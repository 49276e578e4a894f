/**
 * ProviderRegistry: provider types by name, with metadata for discovery (formats, capabilities),
 * option checks, and creation with an optional shared-instance cache and a load policy
 * (timeout, retries) wrapped around every provider it creates.
 *
 * Concurrency (overlapping async calls; there are no threads):
 * - `register`/`unregister` are synchronous and apply at once to the next `create`.
 * - With `cache: true`, the first `create` for given options starts the creation and stores its
 *   promise before yielding, so every overlapping `create` with equal options awaits the same one.
 * - `unregister` during an in-flight creation (RELIABILITY.md G5): the in-flight promise still
 *   resolves to its provider (the caller asked before the type went away), but the result is not
 *   cached, and every later `create` fails with `provider_not_found`. Re-registering the name
 *   starts with an empty cache.
 */
import { monotonicMs } from '../foundation/clock.js';
import { asConfigError, ConfigError, ErrorCode } from '../foundation/errors.js';
import type { ConfigMetrics } from '../observability/metrics.js';
import { AttributeNames, SpanNames } from '../observability/names.js';
import { withSpan } from '../observability/tracing.js';
import { abortedError, isPlainRecord, type Provider } from '../providers/provider.js';
import { closestNames } from '../foundation/suggest.js';
import { canonicalKey } from './cache-key.js';
import { guardProvider } from './load-policy.js';
import { assertProviderName, describeType, normaliseMetadata } from './metadata.js';
import { assertOptions, compileOptionsValidator, type OptionsCheck, type OptionsValidator } from './options.js';
import type {
  ProviderCreator,
  ProviderCriteria,
  ProviderMetadata,
  ProviderMetadataInit,
  ProviderOptions,
  ProviderRequirements,
} from './types.js';

/** Options of the ProviderRegistry constructor. */
export interface ProviderRegistryOptions {
  /**
   * Runs once, on the first use of any method (not in the constructor, so building a registry has
   * no side effects). `globalRegistry` uses it to add the built-in types; a throw becomes
   * `registry_not_initialized` and the next use tries again.
   */
  initialize?: (registry: ProviderRegistry) => void;
  /** Where `confstack.registry.create` spans and metrics go. Default: the global metrics. */
  metrics?: ConfigMetrics;
  /** Clock for `cacheTtlMs` (ms). Default: a monotonic clock (foundation/clock). */
  now?: () => number;
  /** First retry delay of `maxRetries` (doubles per retry, jittered). Default 50 ms. */
  retryBaseDelayMs?: number;
  /** Longest retry delay. Default 2,000 ms. */
  retryMaxDelayMs?: number;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/** Extra behaviour of one registration (additive to API.md's `register(name, creator, metadata?)`). */
export interface RegisterOptions {
  /** The type's own option checks, run after the generic ones; returns every issue found. */
  validateOptions?: OptionsCheck;
}

interface CacheSlot {
  readonly promise: Promise<Provider>;
  /** Infinity until the creation resolves (and forever without `cacheTtlMs`). */
  expiresAt: number;
}

interface Entry {
  readonly name: string;
  readonly creator: ProviderCreator;
  readonly metadata: ProviderMetadata;
  readonly validate: OptionsValidator;
  readonly cache: Map<string, CacheSlot>;
}

/** Distinct cached option sets kept per type; the oldest goes first beyond this. */
const MAX_CACHE_ENTRIES = 1024;

/**
 * A set of provider types. Most code uses `globalRegistry` (built-ins included) through the
 * thin global functions; build your own registry for isolation (tests, plugins).
 * @example
 * const registry = new ProviderRegistry({ initialize: registerBuiltinProviders });
 * const file = await registry.create('yaml', { path: 'config.yaml', loadTimeoutMs: 2000 });
 */
export class ProviderRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #options: ProviderRegistryOptions;
  #initialized = false;

  constructor(options: ProviderRegistryOptions = {}) {
    this.#options = { ...options };
  }

  #init(): void {
    if (this.#initialized) return;
    this.#initialized = true;
    const initialize = this.#options.initialize;
    if (!initialize) return;
    const before = new Set(this.#entries.keys());
    try {
      initialize(this);
    } catch (err) {
      for (const name of [...this.#entries.keys()]) if (!before.has(name)) this.#entries.delete(name);
      this.#initialized = false;
      throw new ConfigError({ op: 'registry', code: ErrorCode.RegistryNotInitialized, message: 'the provider registry failed to initialise', cause: err });
    }
  }

  /**
   * Adds a provider type.
   * @throws ConfigError invalid_parameters (bad name, creator or metadata; every metadata problem in
   *   `issues`), provider_already_registered (never last-wins: unregister first to replace)
   */
  register(name: string, creator: ProviderCreator, metadata?: ProviderMetadataInit, options: RegisterOptions = {}): void {
    this.#init();
    const op = 'registry.register';
    assertProviderName(name, op);
    if (typeof creator !== 'function') {
      throw new ConfigError({ op, code: ErrorCode.InvalidParameters, message: `the creator of provider type "${name}" must be a function, got ${describeType(creator)}`, context: { name } });
    }
    if (this.#entries.has(name)) {
      throw new ConfigError({ op, code: ErrorCode.ProviderAlreadyRegistered, message: `provider type "${name}" is already registered`, provider: name, context: { name } });
    }
    const meta = normaliseMetadata(name, metadata, op);
    if (options.validateOptions !== undefined && typeof options.validateOptions !== 'function') {
      throw new ConfigError({ op, code: ErrorCode.InvalidParameters, message: 'validateOptions must be a function', context: { name } });
    }
    this.#entries.set(name, { name, creator, metadata: meta, validate: compileOptionsValidator(meta, options.validateOptions), cache: new Map() });
  }

  /**
   * Creates a provider of type `name`. The result is wrapped: `load` honours `loadTimeoutMs` and
   * `maxRetries` and only ever rejects with a ConfigError naming the provider; `watch` callbacks stop
   * after `close()`. With `cache: true`, equal options (deep equality, key order irrelevant) share one
   * instance and one in-flight creation; a failed creation is not cached; `cacheTtlMs` expires an
   * entry that long after it was created (expired instances are not closed: their holders own them).
   * Aborting `signal` rejects this call only: a shared creation continues for the other callers.
   * @throws ConfigError provider_not_found (with `context.known` and `context.suggestions`),
   *   provider_config_invalid (every problem in `issues`), forbidden_key,
   *   provider_creation_failed (the creator threw or returned no Provider; `cause` kept), load_failed (aborted)
   */
  create(name: string, options?: ProviderOptions, opts?: { signal?: AbortSignal }): Promise<Provider> {
    try {
      if (!this.#initialized) this.#init();
      const op = 'registry.create';
      const entry = this.#entries.get(name) ?? this.#missing(name, op);
      const signal = opts?.signal;
      // A cache hit skips the option checks: equal options passed them when the entry was made
      // (the hot path of provider resolution).
      const key = isPlainRecord(options) && options.cache === true ? canonicalKey(options) : undefined;
      let slot = key === undefined ? undefined : this.#live(entry, key);
      if (slot === undefined) assertOptions(entry.metadata, entry.validate, options, op);
      if (signal?.aborted) throw abortedError(signal, 'registry.create', name);
      const o: ProviderOptions = options ?? {};
      if (key === undefined) {
        const created = this.#build(entry, o);
        if (signal === undefined) return created;
        // Nobody will receive an instance created after the caller gave up: close it.
        created.then((p) => (signal.aborted ? p.close?.() : undefined)).catch(() => undefined);
        return raceAbort(created, signal, name);
      }
      slot ??= this.#startCached(entry, key, o);
      return signal === undefined ? slot.promise : raceAbort(slot.promise, signal, name);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The cache slot for `key`, unless absent or expired (then dropped). */
  #live(entry: Entry, key: string): CacheSlot | undefined {
    const slot = entry.cache.get(key);
    if (slot === undefined || slot.expiresAt === Infinity || slot.expiresAt > this.#now()) return slot;
    entry.cache.delete(key);
    return undefined;
  }

  #startCached(entry: Entry, key: string, options: ProviderOptions): CacheSlot {
    const promise = this.#build(entry, options);
    const slot: CacheSlot = { promise, expiresAt: Infinity };
    entry.cache.set(key, slot);
    if (entry.cache.size > MAX_CACHE_ENTRIES) entry.cache.delete(entry.cache.keys().next().value as string);
    const ttl = options.cacheTtlMs;
    promise.then(
      () => {
        if (ttl !== undefined && entry.cache.get(key) === slot) slot.expiresAt = this.#now() + ttl;
      },
      () => {
        if (entry.cache.get(key) === slot) entry.cache.delete(key);
      },
    );
    return slot;
  }

  #now(): number {
    return this.#options.now ? this.#options.now() : monotonicMs();
  }

  async #build(entry: Entry, options: ProviderOptions): Promise<Provider> {
    const creatorOptions: ProviderOptions = {
      ...options,
      ...(options.configPaths ? { configPaths: [...options.configPaths] } : {}),
      ...(options.providerSpecific ? { providerSpecific: { ...options.providerSpecific } } : {}),
    };
    return withSpan(this.#options.metrics, SpanNames.RegistryCreate, { [AttributeNames.RegistryType]: entry.name }, async (span) => {
      let created: unknown;
      try {
        created = await entry.creator(creatorOptions);
      } catch (err) {
        throw creationFailed(entry.name, `the creator of provider type "${entry.name}" failed`, err);
      }
      if (!isProvider(created)) {
        throw creationFailed(entry.name, `the creator of provider type "${entry.name}" returned ${describeType(created)}, not a Provider`, undefined, false);
      }
      try {
        span.setAttribute(AttributeNames.Provider, created.name);
      } catch {
        // Telemetry never breaks creation.
      }
      return guardProvider(created, {
        ...(options.loadTimeoutMs !== undefined ? { timeoutMs: options.loadTimeoutMs } : {}),
        ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
        ...(options.watch !== undefined ? { watch: options.watch } : {}),
        baseDelayMs: this.#options.retryBaseDelayMs ?? 50,
        maxDelayMs: this.#options.retryMaxDelayMs ?? 2_000,
        ...(this.#options.random ? { random: this.#options.random } : {}),
      });
    });
  }

  #missing(name: unknown, op: string): never {
    if (typeof name !== 'string') {
      throw new ConfigError({ op, code: ErrorCode.InvalidParameters, message: `a provider type name must be a string, got ${describeType(name)}` });
    }
    const known = this.list();
    const suggestions = closestNames(name, known);
    const shown = JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
    throw new ConfigError({
      op,
      code: ErrorCode.ProviderNotFound,
      message: `no provider type ${shown} is registered${
        suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : ''
      } (known: ${known.join(', ') || 'none'})`,
      context: { name: name.slice(0, 200), known, suggestions },
    });
  }

  #entry(name: string, op: string): Entry {
    this.#init();
    return this.#entries.get(name) ?? this.#missing(name, op);
  }

  /** Registered type names, sorted. */
  list(): string[] {
    this.#init();
    return [...this.#entries.keys()].sort();
  }

  /**
   * The (frozen) metadata of type `name`.
   * @throws ConfigError provider_not_found
   */
  metadata(name: string): ProviderMetadata {
    return this.#entry(name, 'registry.metadata').metadata;
  }

  /** True if type `name` is registered. */
  has(name: string): boolean {
    this.#init();
    return this.#entries.has(name);
  }

  /**
   * Removes type `name` and its cache. In-flight creations still resolve (see the module comment);
   * instances already created are untouched.
   * @throws ConfigError provider_not_found
   */
  unregister(name: string): void {
    const entry = this.#entry(name, 'registry.unregister');
    this.#entries.delete(name);
    entry.cache.clear();
  }

  /** Types that support `format` (case-insensitive), sorted. */
  forFormat(format: string): string[] {
    const f = String(format).toLowerCase();
    return this.#select((m) => m.supportedFormats.includes(f)).map((m) => m.name);
  }

  /** Types that have `capability`, sorted. */
  withCapability(capability: string): string[] {
    return this.#select((m) => m.capabilities.includes(capability)).map((m) => m.name);
  }

  /** Metadata of every type that has all the given formats and capabilities (and health check flag), sorted by name. */
  find(criteria: ProviderCriteria = {}): ProviderMetadata[] {
    const formats = (criteria.formats ?? []).map((f) => String(f).toLowerCase());
    const caps = criteria.capabilities ?? [];
    return this.#select(
      (m) =>
        formats.every((f) => m.supportedFormats.includes(f)) &&
        caps.every((c) => m.capabilities.includes(c)) &&
        (criteria.healthCheck === undefined || m.supportsHealthCheck === criteria.healthCheck),
    );
  }

  /**
   * The type that meets every required format and capability and the most preferred ones (one
   * point each); ties go to the alphabetically first name, so the answer is deterministic.
   * @throws ConfigError provider_not_found when no type meets the requirements (`context.requirements`)
   */
  best(requirements: ProviderRequirements = {}): string {
    const candidates = this.find({
      ...(requirements.requiredFormats ? { formats: requirements.requiredFormats } : {}),
      ...(requirements.requiredCapabilities ? { capabilities: requirements.requiredCapabilities } : {}),
    });
    const preferredFormats = (requirements.preferredFormats ?? []).map((f) => String(f).toLowerCase());
    const preferredCaps = requirements.preferredCapabilities ?? [];
    let best: ProviderMetadata | undefined;
    let bestScore = -1;
    for (const m of candidates) {
      const score =
        preferredFormats.filter((f) => m.supportedFormats.includes(f)).length + preferredCaps.filter((c) => m.capabilities.includes(c)).length;
      if (score > bestScore) {
        best = m;
        bestScore = score;
      }
    }
    if (best === undefined) {
      throw new ConfigError({
        op: 'registry.best',
        code: ErrorCode.ProviderNotFound,
        message: 'no registered provider type meets the requirements',
        context: { requirements: { ...requirements }, known: this.list() },
      });
    }
    return best.name;
  }

  /**
   * Checks `options` for type `name` without creating anything.
   * @throws ConfigError provider_not_found, provider_config_invalid (every problem in `issues`), forbidden_key
   */
  validateOptions(name: string, options: ProviderOptions): void {
    const op = 'registry.validateOptions';
    const entry = this.#entry(name, op);
    assertOptions(entry.metadata, entry.validate, options, op);
  }

  #select(pred: (m: ProviderMetadata) => boolean): ProviderMetadata[] {
    this.#init();
    const out: ProviderMetadata[] = [];
    for (const e of this.#entries.values()) if (pred(e.metadata)) out.push(e.metadata);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function isProvider(v: unknown): v is Provider {
  if (v === null || typeof v !== 'object') return false;
  const p = v as Partial<Provider>;
  return typeof p.name === 'string' && p.name.length > 0 && typeof p.type === 'string' && typeof p.load === 'function';
}

function creationFailed(provider: string, message: string, cause: unknown, thrown = true): ConfigError {
  // A creator that threw something foreign is retryable (the Go package's contract: its usual cause
  // is I/O); a ConfigError cause keeps its own verdict; a creator returning no Provider is a bug.
  const retryable = thrown ? (asConfigError(cause)?.retryable ?? true) : false;
  // A thrown non-Error (a string, undefined) is kept as `cause`; its type goes in context, since an
  // `undefined` cause is otherwise invisible.
  const context = !thrown || cause instanceof Error ? undefined : { thrown: describeType(cause) };
  return new ConfigError({
    op: 'registry.create',
    code: ErrorCode.ProviderCreationFailed,
    message,
    provider,
    ...(thrown ? { cause } : {}),
    retryable,
    ...(context ? { context } : {}),
  });
}


function raceAbort(p: Promise<Provider>, signal: AbortSignal, name: string): Promise<Provider> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortedError(signal, 'registry.create', name));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

