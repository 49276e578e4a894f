/**
 * `confstack/etcd`: etcdProvider, configuration from etcd v3 in `keys` or `document` mode, with a
 * watch that resumes from the last seen revision and resyncs after compaction or a revision that
 * goes down (RELIABILITY promise 6, rows R1, R2, R5, R9, R10, R12).
 * Owns: option checks, connection lifecycle (lazy, bounded), error mapping, the watch state
 * machine. Talks to etcd only through ./client.js; maps keys and values only through ./keys.js.
 */
import { ConfigError, ErrorCode } from '../errors.js';
import { defineProvider, type Layer, type LoadContext, type Provider } from '../providers/provider.js';
import { DEFAULT_LIMITS } from '../tree/limits.js';
import { openSession, type EtcdFailure, type EtcdSession, type Pem, type WatchHandle } from './client.js';
import { buildKeysTree, decodeText, formatForKey, normalisePrefix, prefixRangeEnd } from './keys.js';

export type { Pem } from './client.js';

/** Options of {@link etcdProvider}. */
export interface EtcdProviderOptions {
  /** etcd client URLs, e.g. `['http://127.0.0.1:2379']` (all `https://` or all `http://`). */
  endpoints: string[];
  /** In `keys` mode, the key prefix whose keys are paths (`/app` reads `/app/…`). */
  prefix: string;
  /** `keys` (default): each key under the prefix is a path. `document`: one key holds a document. */
  mode?: 'keys' | 'document';
  /** `document` mode: the key holding the document. Default: `prefix`. */
  key?: string;
  /** `document` mode: the document's format. Default: from the key's extension, else `yaml`. */
  format?: 'yaml' | 'json' | 'toml';
  /** etcd user and password (the password never appears in errors or logs). */
  auth?: { username: string; password: string };
  /** TLS material as PEM text or bytes; `ca` defaults to the system roots. */
  tls?: { ca?: Pem; cert?: Pem; key?: Pem };
  /** How long to wait for etcd to answer at all before `provider_unavailable`. Default 5000. */
  dialTimeoutMs?: number;
  /** How long one read may take once connected before `remote_load_timeout`. Default 10000. */
  loadTimeoutMs?: number;
  /** Instance name. Default `etcd:<prefix>` (`etcd:<key>` in document mode). */
  name?: string;
  /** Watch lifecycle notifications (for logs, health and tests). Never carries values. */
  onEvent?: (event: EtcdWatchEvent) => void;
}

/** A watch lifecycle notification. `resync` means a full re-read was done and onChange fired. */
export interface EtcdWatchEvent {
  type: 'connected' | 'disconnected' | 'resync' | 'permission_denied';
  /** For `resync`: `compacted` (or another cancel), or `revision_decreased`. */
  reason?: 'compacted' | 'canceled' | 'revision_decreased';
  /** The revision the event is about (the current one on connect, the new base on resync). */
  revision?: string;
}

const DEFAULT_DIAL_TIMEOUT_MS = 5_000;
const DEFAULT_LOAD_TIMEOUT_MS = 10_000;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 2_000;
/** After a permission error the watch is retried this rarely: never a tight loop (R10). */
const PERMISSION_RETRY_MS = 30_000;

function invalid(message: string, context?: Record<string, unknown>): ConfigError {
  return new ConfigError({ op: 'etcdProvider', code: ErrorCode.InvalidParameters, message, ...(context ? { context } : {}) });
}

function checkOptions(o: EtcdProviderOptions): void {
  if (o === null || typeof o !== 'object') throw invalid('options must be an object');
  if (!Array.isArray(o.endpoints) || o.endpoints.length === 0 || !o.endpoints.every((e) => typeof e === 'string' && e !== '')) {
    throw invalid('endpoints must be a non-empty list of URLs');
  }
  if (typeof o.prefix !== 'string' || o.prefix === '') throw invalid('prefix must be a non-empty string');
  if (o.mode !== undefined && o.mode !== 'keys' && o.mode !== 'document') throw invalid('mode must be "keys" or "document"');
  if (o.key !== undefined && (typeof o.key !== 'string' || o.key === '')) throw invalid('key must be a non-empty string');
  if (o.format !== undefined && !['yaml', 'json', 'toml'].includes(o.format)) throw invalid('format must be yaml, json or toml');
  for (const f of ['dialTimeoutMs', 'loadTimeoutMs'] as const) {
    const v = o[f];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw invalid(`${f} must be a positive number`);
  }
  if (o.auth !== undefined && (typeof o.auth?.username !== 'string' || typeof o.auth?.password !== 'string')) {
    throw invalid('auth needs a username and a password');
  }
}

/** Runs `p` with a backstop timer (gRPC deadlines should fire first) and the caller's abort signal. */
function bounded<T>(p: Promise<T>, ms: number, onTimeout: () => Error, signal?: AbortSignal, provider?: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const timer = setTimeout(() => finish() && reject(onTimeout()), ms + 50);
    const onAbort = (): void => {
      if (finish()) {
        reject(new ConfigError({ op: 'load', code: ErrorCode.LoadFailed, message: 'aborted', cause: signal?.reason, ...(provider ? { provider } : {}) }));
      }
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => finish() && resolve(v),
      (e: unknown) => finish() && reject(e),
    );
  });
}

/**
 * Configuration from etcd v3.
 *
 * - `keys` mode: every key under `prefix` is a key path (`/app/server/port` → `server.port`).
 *   Values are JSON where they parse as JSON (`8080`, `true`, `{"a":1}`, `[1,2]`), else the raw
 *   string. Key segments always make objects (store lists as one JSON value). Integers beyond 2^53
 *   stay exact strings. Each leaf's origin is `<etcd key>@<mod_revision>`.
 * - `document` mode: one key (`key`, default `prefix`) holds a YAML, JSON or TOML document; an
 *   absent key is an empty layer.
 *
 * The factory does not connect: the first `load`, `watch` or `healthCheck` does. Every call is
 * bounded by `dialTimeoutMs` (no answer at all) and `loadTimeoutMs` (a read once connected).
 * `watch` resumes from the last revision it saw after a disconnect; after compaction past that
 * revision, or when the server's revision goes down (a restore), it re-reads, calls `onChange`
 * and watches again from the new revision.
 *
 * @throws ConfigError invalid_parameters (from the factory, for bad options). `load` throws
 *   provider_unavailable (unreachable: retryable; `context.reason: 'permission'`: not retryable),
 *   remote_load_timeout, forbidden_key, limit_exceeded, parse_failed, duplicate_key, invalid_config.
 * @example
 * const etcd = etcdProvider({ endpoints: ['http://127.0.0.1:2379'], prefix: '/myapp' })
 * const config = await loadConfig({ sources: [envProvider(), etcd, fileProvider({ path: 'config.yaml' })] })
 */
export function etcdProvider(options: EtcdProviderOptions): Provider {
  checkOptions(options);
  const mode = options.mode ?? 'keys';
  const dialTimeoutMs = options.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS;
  const loadTimeoutMs = options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
  const docKey = options.key ?? options.prefix;
  const name = options.name ?? `etcd:${mode === 'document' ? docKey : options.prefix}`;
  const keysPrefix = normalisePrefix(options.prefix);
  const rangeStart: Uint8Array = Buffer.from(mode === 'document' ? docKey : keysPrefix, 'utf8');
  const rangeEnd: Uint8Array | undefined = mode === 'document' ? undefined : prefixRangeEnd(rangeStart);
  const endpoints = [...options.endpoints];

  let session: Promise<EtcdSession> | undefined;
  let connected = false;
  let closed = false;
  let lastLoadedRevision: bigint | undefined;
  const subscriptions = new Set<{ stop(): Promise<void> }>();

  const emit = (event: EtcdWatchEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not break the watch.
    }
  };

  const getSession = (): Promise<EtcdSession> => {
    if (closed) {
      return Promise.reject(
        new ConfigError({ op: 'load', code: ErrorCode.ProviderUnavailable, message: 'provider is closed', provider: name, retryable: false, context: { reason: 'closed' } }),
      );
    }
    session ??= openSession({
      endpoints,
      dialTimeoutMs,
      provider: name,
      ...(options.auth ? { auth: options.auth } : {}),
      ...(options.tls ? { tls: options.tls } : {}),
    }).catch((err: unknown) => {
      session = undefined;
      throw err;
    });
    return session;
  };

  /** Maps an etcd failure to our error; `phase` says whether we had a connection yet. */
  const mapFailure = (s: EtcdSession | undefined, err: unknown, op: string, phase: 'dial' | 'read'): ConfigError => {
    if (err instanceof ConfigError) return err;
    const kind: EtcdFailure = s ? s.classify(err) : 'other';
    if (kind === 'unavailable' || kind === 'timeout') connected = false;
    if (kind === 'permission') {
      return new ConfigError({
        op,
        code: ErrorCode.ProviderUnavailable,
        message: 'etcd denied access (authentication or permission)',
        provider: name,
        cause: err,
        retryable: false,
        location: { source: `etcd ${mode === 'document' ? docKey : keysPrefix}` },
        context: { reason: 'permission' },
      });
    }
    if (kind === 'timeout' && phase === 'read') {
      return new ConfigError({
        op,
        code: ErrorCode.RemoteLoadTimeout,
        message: `etcd read took longer than ${loadTimeoutMs} ms`,
        provider: name,
        cause: err,
        retryable: true,
        context: { timeoutMs: loadTimeoutMs },
      });
    }
    if (kind === 'closed') {
      return new ConfigError({ op, code: ErrorCode.ProviderUnavailable, message: 'provider is closed', provider: name, cause: err, retryable: false, context: { reason: 'closed' } });
    }
    return new ConfigError({
      op,
      code: ErrorCode.ProviderUnavailable,
      message: kind === 'other' ? 'etcd request failed' : `etcd is unreachable (${endpoints.join(', ')})`,
      provider: name,
      cause: err,
      retryable: true,
      context: { reason: kind === 'other' ? 'error' : 'unreachable', endpoints, ...(phase === 'dial' ? { dialTimeoutMs } : {}) },
    });
  };

  const dialError = (): ConfigError =>
    new ConfigError({
      op: 'load',
      code: ErrorCode.ProviderUnavailable,
      message: `etcd did not answer within ${dialTimeoutMs} ms (${endpoints.join(', ')})`,
      provider: name,
      retryable: true,
      context: { reason: 'unreachable', endpoints, dialTimeoutMs },
    });

  /** A cheap linearizable read of the watched range (count only): proves we can talk and are allowed to. */
  const probe = async (op: string, signal?: AbortSignal): Promise<string> => {
    let s: EtcdSession | undefined;
    try {
      s = await bounded(getSession(), dialTimeoutMs, dialError, signal, name);
      const res = await bounded(s.range(rangeStart, rangeEnd, { timeoutMs: dialTimeoutMs, countOnly: true }), dialTimeoutMs, dialError, signal, name);
      connected = true;
      return res.revision;
    } catch (err) {
      throw mapFailure(s, err, op, 'dial');
    }
  };

  const read = async (ctx: LoadContext): Promise<{ revision: string; kvs: Awaited<ReturnType<EtcdSession['range']>>['kvs'] }> => {
    if (!connected) await probe('load', ctx.signal);
    let s: EtcdSession | undefined;
    try {
      s = await getSession();
      const timeout = (): ConfigError =>
        new ConfigError({ op: 'load', code: ErrorCode.RemoteLoadTimeout, message: `etcd read took longer than ${loadTimeoutMs} ms`, provider: name, retryable: true, context: { timeoutMs: loadTimeoutMs } });
      const res = await bounded(s.range(rangeStart, rangeEnd, { timeoutMs: loadTimeoutMs }), loadTimeoutMs, timeout, ctx.signal, name);
      connected = true;
      return res;
    } catch (err) {
      throw mapFailure(s, err, 'load', 'read');
    }
  };

  const load = async (ctx: LoadContext): Promise<Layer> => {
    const limits = ctx.limits ?? DEFAULT_LIMITS;
    const res = await read(ctx);
    const revision = BigInt(res.revision);
    if (lastLoadedRevision !== undefined && revision < lastLoadedRevision) {
      emit({ type: 'resync', reason: 'revision_decreased', revision: res.revision });
    }
    lastLoadedRevision = revision;
    const keysCtx = { provider: name, limits };
    if (mode === 'keys') {
      const tree = buildKeysTree(res.kvs, keysPrefix, keysCtx);
      return {
        values: tree.values,
        origins: tree.origins,
        origin: { provider: name, type: 'etcd', location: `${keysPrefix}@${res.revision}` },
        interpolate: true,
      };
    }
    const kv = res.kvs[0];
    if (!kv) return { values: Object.create(null) as Record<string, unknown>, interpolate: true };
    const text = decodeText(kv.value, limits.maxDocumentBytes, 'maxDocumentBytes', docKey, kv.modRevision, keysCtx);
    const formatName = options.format ?? formatForKey(docKey) ?? 'yaml';
    const { loadFormat } = await import('../formats/index.js');
    const format = await loadFormat(formatName);
    const parsed = format.parse(text, { source: docKey, limits, provider: name });
    return {
      values: parsed.values,
      origin: { provider: name, type: 'etcd', location: `${docKey}@${kv.modRevision}` },
      positions: parsed.positions,
      interpolate: true,
    };
  };

  /**
   * One subscription: a small state machine around one etcd watcher at a time.
   * `lastSeen` is the highest revision whose events we have received (or a read's revision): a
   * resume starts at lastSeen + 1, so nothing is skipped and nothing is replayed twice.
   */
  const watch = (onChange: () => void): (() => void) => {
    if (closed) return () => undefined;
    let stopped = false;
    let handle: WatchHandle | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastSeen: bigint | undefined = lastLoadedRevision;
    let delay = RECONNECT_MIN_MS;
    let wasConnected = false;

    const fire = (): void => {
      if (stopped) return;
      try {
        onChange();
      } catch {
        // The subscriber's failure is theirs; the watch goes on.
      }
    };
    const later = (ms: number, fn: () => Promise<void> | void): void => {
      if (stopped || closed) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        void fn();
      }, ms);
    };
    const backoff = (): number => {
      const d = delay;
      delay = Math.min(delay * 2, RECONNECT_MAX_MS);
      return d;
    };
    const drop = (): void => {
      const h = handle;
      handle = undefined;
      void h?.cancel();
    };

    /** Full read of the range's revision, onChange, then a new watch from there (compaction, restore). */
    const resync = async (reason: NonNullable<EtcdWatchEvent['reason']>): Promise<void> => {
      drop();
      if (stopped) return;
      try {
        const rev = await probe('watch');
        if (stopped) return;
        lastSeen = BigInt(rev);
        emit({ type: 'resync', reason, revision: rev });
        fire();
        start(lastSeen + 1n);
      } catch (err) {
        if (isPermission(err)) {
          emit({ type: 'permission_denied' });
          later(PERMISSION_RETRY_MS, () => resync(reason));
        } else later(backoff(), () => resync(reason));
      }
    };

    const start = (from: bigint): void => {
      if (stopped) return;
      void getSession().then(
        (s) => {
          if (stopped) return;
          const h = s.watch(rangeStart, rangeEnd, String(from), {
            onConnected: (revision) => {
              if (stopped || handle !== h) return;
              connected = true;
              delay = RECONNECT_MIN_MS;
              emit({ type: 'connected', revision });
              const current = BigInt(revision);
              if (lastSeen !== undefined && current < lastSeen) {
                void resync('revision_decreased');
                return;
              }
              if (wasConnected && lastSeen !== undefined && current > lastSeen) {
                // Something changed while we were away. etcd replays it on this watch too, but a
                // second break before the replay arrives must not lose it: tell the loader now.
                fire();
              }
              wasConnected = true;
            },
            onEvents: (maxModRevision, headerRevision) => {
              if (stopped || handle !== h) return;
              if (maxModRevision === undefined) {
                // Progress notification: everything up to the header revision has been delivered.
                const hdr = BigInt(headerRevision);
                if (lastSeen !== undefined && hdr < lastSeen) void resync('revision_decreased');
                else if (lastSeen === undefined || hdr > lastSeen) lastSeen = hdr;
                return;
              }
              const rev = BigInt(maxModRevision);
              if (lastSeen === undefined || rev > lastSeen) lastSeen = rev;
              fire();
            },
            onDisconnected: () => {
              if (stopped || handle !== h) return;
              connected = false;
              emit({ type: 'disconnected' });
              drop();
              later(backoff(), () => start((lastSeen ?? from - 1n) + 1n));
            },
            onCanceled: (_err, failure) => {
              if (stopped || handle !== h) return;
              handle = undefined;
              if (failure === 'permission') {
                emit({ type: 'permission_denied' });
                fire(); // the loader's next load surfaces the error once
                later(PERMISSION_RETRY_MS, () => resync('canceled'));
                return;
              }
              // etcd cancels a watch whose start revision was compacted (compact_revision set);
              // etcd3 drops the watcher and reports only an error. Either way: re-read and re-watch.
              void resync(failure === 'other' ? 'compacted' : 'canceled');
            },
          });
          // A stream that never answers is left to gRPC: keepalive (10 s + 5 s) or its connect
          // timeout ends it with 'disconnected', and we resume from there. Re-creating watchers on a
          // wedged stream would only queue them behind it.
          handle = h;
        },
        () => later(backoff(), () => start(from)),
      );
    };

    const begin = async (): Promise<void> => {
      if (lastSeen !== undefined) return start(lastSeen + 1n);
      try {
        const rev = await probe('watch');
        if (stopped) return;
        lastSeen = BigInt(rev);
        start(lastSeen + 1n);
      } catch (err) {
        if (isPermission(err)) emit({ type: 'permission_denied' });
        later(isPermission(err) ? PERMISSION_RETRY_MS : backoff(), begin);
      }
    };

    const sub = {
      stop: async (): Promise<void> => {
        stopped = true;
        clearTimeout(timer);
        const h = handle;
        handle = undefined;
        subscriptions.delete(sub);
        if (h) await bounded(h.cancel(), 1_000, () => new ConfigError({ op: 'watch', code: ErrorCode.RemoteLoadTimeout, message: 'watch cancel timed out' })).catch(() => undefined);
      },
    };
    subscriptions.add(sub);
    void begin();
    return () => {
      void sub.stop();
    };
  };

  const healthCheck = async (opts?: { signal?: AbortSignal }): Promise<{ ok: boolean; message?: string }> => {
    try {
      const rev = await probe('healthCheck', opts?.signal);
      return { ok: true, message: `revision ${rev}` };
    } catch (err) {
      const e = err instanceof ConfigError ? err : undefined;
      const reason = e?.context?.reason;
      return { ok: false, message: `${e?.code ?? 'provider_unavailable'}${typeof reason === 'string' ? ` (${reason})` : ''}` };
    }
  };

  const close = async (): Promise<void> => {
    closed = true;
    await Promise.all([...subscriptions].map((s) => s.stop()));
    const s = session;
    session = undefined;
    if (s) {
      const opened = await s.catch(() => undefined);
      opened?.close();
    }
  };

  return defineProvider({ name, type: 'etcd', load, watch, healthCheck, close });
}

function isPermission(err: unknown): boolean {
  return err instanceof ConfigError && err.context?.reason === 'permission';
}
