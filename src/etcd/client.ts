/**
 * The only module that touches `etcd3` (and through it gRPC). It loads the package lazily with a
 * memoised `await import('etcd3')`, and exposes a narrow session: bounded range reads, a watch with
 * plain callbacks, error classification and close. Everything etcd3-specific (its fault-handling
 * hooks, its watcher events, its error classes) stays behind this file.
 *
 * Why we replace etcd3's defaults:
 * - Its default circuit breaker keeps a host "open" for 5 s after 3 failures, so a load right
 *   after etcd comes back would still fail; ours opens for 1 s and never blocks the last host.
 * - Its default global policy retries 3 times with no deadline; the provider bounds every call
 *   itself, so one attempt per call.
 * - Its watch manager reconnects on its own timer (up to 30 s, not cancellable), and advances the
 *   resume revision to the *current* header revision on (re)connect, before the replayed events
 *   arrive. The provider therefore cancels a watcher on `disconnected` and resumes itself from the
 *   last revision it actually saw; the backoff we hand etcd3 is 0 ms so its own (now no-op) retry
 *   timer never outlives `close()`.
 */
import { ConfigError, ErrorCode } from '../errors.js';
import type { RawEntry } from './keys.js';

type Etcd3Module = typeof import('etcd3');
type Etcd3Client = InstanceType<Etcd3Module['Etcd3']>;

let modulePromise: Promise<Etcd3Module> | undefined;

/**
 * Loads `etcd3` once. A missing package is `provider_unavailable` with an install hint.
 * @throws ConfigError provider_unavailable
 */
export function loadEtcd3(provider: string): Promise<Etcd3Module> {
  modulePromise ??= import('etcd3').then(
    (mod) => ((mod as { default?: Etcd3Module }).default?.Etcd3 ? (mod as { default: Etcd3Module }).default : mod),
    (err: unknown) => {
      modulePromise = undefined;
      throw new ConfigError({
        op: 'connect',
        code: ErrorCode.ProviderUnavailable,
        message: 'the etcd provider needs the "etcd3" package: npm install etcd3',
        provider,
        cause: err,
        retryable: false,
        context: { reason: 'missing_package', package: 'etcd3' },
      });
    },
  );
  return modulePromise;
}

/** PEM text or bytes. */
export type Pem = string | Uint8Array;

export interface EtcdConnectOptions {
  endpoints: readonly string[];
  auth?: { username: string; password: string };
  tls?: { ca?: Pem; cert?: Pem; key?: Pem };
  /** Bound for the authenticate call (the other calls get their own deadlines). */
  dialTimeoutMs: number;
  provider: string;
}

/** How a failure from etcd should be reported. */
export type EtcdFailure = 'permission' | 'unavailable' | 'timeout' | 'closed' | 'other';

export interface RangeResult {
  /** The store revision the read saw (header.revision), decimal. */
  revision: string;
  kvs: RawEntry[];
  count: string;
}

export interface WatchHandlers {
  /** The watch is registered; `revision` is the server's current revision. */
  onConnected(revision: string): void;
  /** A response: `maxModRevision` of its events (undefined for a progress notification). */
  onEvents(maxModRevision: string | undefined, headerRevision: string): void;
  /** The stream broke; the watcher is detached and will not come back by itself. */
  onDisconnected(err: unknown): void;
  /** etcd canceled the watch (compaction, permission, …); etcd3 has dropped the watcher. */
  onCanceled(err: unknown, failure: EtcdFailure): void;
}

export interface WatchHandle {
  cancel(): Promise<void>;
}

/** A connected (lazily: gRPC dials on first call) etcd client, narrowed to what the provider uses. */
export interface EtcdSession {
  range(
    key: Uint8Array,
    rangeEnd: Uint8Array | undefined,
    opts: { timeoutMs: number; countOnly?: boolean },
  ): Promise<RangeResult>;
  watch(key: Uint8Array, rangeEnd: Uint8Array | undefined, startRevision: string, handlers: WatchHandlers): WatchHandle;
  classify(err: unknown): EtcdFailure;
  close(): void;
}

class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
}

/**
 * A per-host breaker: after a transport failure the host is skipped for `cooldownMs`, unless every
 * host is open (then calls go through: with one endpoint we never refuse to try).
 */
class HostBreaker {
  openUntil = 0;
  constructor(
    private readonly all: HostBreaker[],
    private readonly cooldownMs: number,
    private readonly isRecoverable: (e: Error) => boolean,
  ) {}

  async execute<T>(fn: (ctx: unknown) => PromiseLike<T> | T): Promise<T> {
    const now = Date.now();
    if (this.openUntil > now && this.all.some((h) => h.openUntil <= now)) throw new CircuitOpenError('etcd host skipped');
    try {
      const out = await fn({});
      this.openUntil = 0;
      return out;
    } catch (err) {
      if (err instanceof Error && this.isRecoverable(err)) this.openUntil = Date.now() + this.cooldownMs;
      throw err;
    }
  }
}

function toBuffer(p: Pem | undefined): Buffer | undefined {
  if (p === undefined) return undefined;
  return typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p);
}

/**
 * Creates a session. Constructing the etcd3 client does not dial: gRPC connects on the first call.
 * @throws ConfigError provider_unavailable (package missing), invalid_parameters (bad endpoints)
 */
export async function openSession(opts: EtcdConnectOptions): Promise<EtcdSession> {
  const lib = await loadEtcd3(opts.provider);
  const breakers: HostBreaker[] = [];
  const noRetry = { execute: async <T>(fn: (ctx: unknown) => PromiseLike<T> | T): Promise<T> => fn({}) };
  const zeroBackoff = { duration: 0, next(): unknown { return zeroBackoff; } };
  let client: Etcd3Client;
  try {
    client = new lib.Etcd3({
      hosts: [...opts.endpoints],
      ...(opts.auth
        ? {
            auth: {
              username: opts.auth.username,
              password: opts.auth.password,
              callOptions: () => ({ deadline: Date.now() + opts.dialTimeoutMs }),
            },
          }
        : {}),
      ...(opts.tls
        ? {
            credentials: {
              rootCertificate: toBuffer(opts.tls.ca) as Buffer,
              ...(opts.tls.key !== undefined ? { privateKey: toBuffer(opts.tls.key) } : {}),
              ...(opts.tls.cert !== undefined ? { certChain: toBuffer(opts.tls.cert) } : {}),
            },
          }
        : {}),
      // Keepalive notices a dead peer on an idle watch stream; etcd's default minimum is 5 s.
      grpcOptions: { 'grpc.keepalive_time_ms': 10_000, 'grpc.keepalive_timeout_ms': 5_000 },
      faultHandling: {
        host: () => {
          const b = new HostBreaker(breakers, 1_000, (e) => lib.isRecoverableError(e));
          breakers.push(b);
          return b as never;
        },
        global: noRetry as never,
        watchBackoff: zeroBackoff as never,
      },
    });
  } catch (err) {
    throw new ConfigError({
      op: 'connect',
      code: ErrorCode.InvalidParameters,
      message: 'etcd client options are invalid (check endpoints and TLS)',
      provider: opts.provider,
      cause: err,
    });
  }

  const classify = (err: unknown): EtcdFailure => {
    if (
      err instanceof lib.EtcdPermissionDeniedError ||
      err instanceof lib.EtcdAuthenticationFailedError ||
      err instanceof lib.GRPCUnauthenticatedError ||
      err instanceof lib.EtcdUserNotFoundError ||
      err instanceof lib.EtcdRoleNotGrantedError ||
      // Auth is enabled but no credentials were given: InvalidArgument "user name is empty".
      (err instanceof Error && /etcdserver: (user name is empty|authentication failed|permission denied)/.test(err.message))
    ) {
      return 'permission';
    }
    if (err instanceof lib.GRPCDeadlineExceededError) return 'timeout';
    if (err instanceof lib.ClientClosedError) return 'closed';
    if (
      err instanceof lib.GRPCUnavailableError ||
      err instanceof lib.GRPCCancelledError ||
      err instanceof lib.EtcdWatchStreamEnded ||
      err instanceof CircuitOpenError ||
      (err instanceof Error && lib.isRecoverableError(err))
    ) {
      return 'unavailable';
    }
    return 'other';
  };

  return {
    async range(key, rangeEnd, { timeoutMs, countOnly }) {
      const res = await client.kv.range(
        {
          key: Buffer.from(key),
          ...(rangeEnd ? { range_end: Buffer.from(rangeEnd) } : {}),
          ...(countOnly ? { count_only: true, limit: '1' as never } : {}),
        },
        { deadline: Date.now() + timeoutMs },
      );
      return {
        revision: String(res.header.revision),
        count: String(res.count),
        kvs: (res.kvs ?? []).map((kv) => ({ key: kv.key, value: kv.value, modRevision: String(kv.mod_revision) })),
      };
    },

    watch(key, rangeEnd, startRevision, handlers) {
      let builder = client.watch();
      builder = rangeEnd ? builder.inRange(new lib.Range(Buffer.from(key), Buffer.from(rangeEnd))) : builder.key(Buffer.from(key));
      // watcher() attaches at once and returns synchronously, so no event can slip past our listeners.
      const watcher = builder.startRevision(startRevision).watcher();
      watcher.on('connected', (res) => handlers.onConnected(String(res.header.revision)));
      watcher.on('data', (res) => {
        let max: bigint | undefined;
        for (const ev of res.events) {
          const rev = BigInt(String(ev.kv.mod_revision));
          if (max === undefined || rev > max) max = rev;
        }
        handlers.onEvents(max === undefined ? undefined : String(max), String(res.header.revision));
      });
      watcher.on('disconnected', (err) => handlers.onDisconnected(err));
      // Without an 'error' listener etcd3's emit would throw inside its stream handler.
      watcher.on('error', (err) => handlers.onCanceled(err, classify(err)));
      let canceled: Promise<void> | undefined;
      return {
        cancel: () => (canceled ??= watcher.cancel().then(
          () => undefined,
          () => undefined,
        )),
      };
    },

    classify,

    close() {
      client.close();
    },
  };
}
