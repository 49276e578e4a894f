/**
 * The only module that touches `etcd3` (and through it gRPC and cockatiel). It loads the package
 * lazily with a memoised `await import('etcd3')`, and exposes a narrow session: bounded range
 * reads, one watch stream per subscription with plain callbacks, error classification and close.
 *
 * What we give etcd3 instead of its defaults (its `faultHandling` options, with the cockatiel it
 * depends on, resolved from etcd3's own location so the policies are the instances it knows):
 * - host: a circuit breaker that opens after one transport failure and half-opens after 0.5 s,
 *   growing to 5 s while the member keeps failing (etcd3's default waits 3 failures, then 5 s).
 *   With one endpoint there is nothing else to try, so no breaker.
 * - global: retry a recoverable failure on the next member (each attempt gets its own deadline,
 *   so a frozen member costs one attempt, not the whole load); etcd3 walks the hosts in a
 *   shuffled order without repeats.
 * - every call carries `hasleader: true`: a member without a leader answers "no leader" at once
 *   instead of hanging, and closes our watch stream when it loses its leader.
 *
 * The watch is our own stream (etcd3's WatchManager reconnects on its own timer, advances the
 * resume revision before replayed events arrive, and throws on a progress response it cannot
 * route): we create one watcher per stream, resume from the last revision we saw, and send a
 * progress request when the stream has been quiet for a second. A member that does not answer
 * within two more seconds (frozen, or its network silent) is marked failed and the stream ends.
 */
import { createRequire } from 'node:module';
import tls from 'node:tls';
import { monotonicMs } from '../../foundation/clock.js';
import { ConfigError, ErrorCode } from '../../foundation/errors.js';
import { redactUrlCredentials } from '../../foundation/secrets.js';
import type { RawEntry } from './keys.js';

type Etcd3Module = typeof import('etcd3');
type Cockatiel = typeof import('cockatiel');
type Grpc = typeof import('@grpc/grpc-js');
interface Libraries {
  etcd3: Etcd3Module;
  cockatiel: Cockatiel;
  grpc: Grpc;
}

let modulePromise: Promise<Libraries> | undefined;

/**
 * Loads `etcd3` once, with the cockatiel and gRPC it was installed with. A missing package is
 * `provider_unavailable` with an install hint.
 * @throws ConfigError provider_unavailable
 */
export function loadEtcd3(provider: string): Promise<Libraries> {
  modulePromise ??= import('etcd3').then(
    (mod) => {
      const etcd3 = (mod as { default?: Etcd3Module }).default?.Etcd3 ? (mod as { default: Etcd3Module }).default : mod;
      const fromEtcd3 = createRequire(createRequire(import.meta.url).resolve('etcd3'));
      return { etcd3, cockatiel: fromEtcd3('cockatiel') as Cockatiel, grpc: fromEtcd3('@grpc/grpc-js') as Grpc };
    },
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
  /** Bound for the authenticate call and for one attempt of a read on one member. */
  attemptTimeoutMs: number;
  provider: string;
}

/**
 * What a failure from etcd is. `tls`: certificate verification or a missing/refused client
 * certificate (retrying cannot help); `auth`: wrong user or password, or none given; `permission`:
 * the user may not read the range; `no_leader`: the member answered but has no leader (quorum lost
 * or an election under way); `unreachable`: no member answered; `timeout`: a member took too long.
 */
export type EtcdFailure = 'tls' | 'auth' | 'permission' | 'no_leader' | 'unreachable' | 'timeout' | 'closed' | 'other';

/** Failures that a later attempt can cure. */
export const RETRYABLE_FAILURES: ReadonlySet<EtcdFailure> = new Set(['no_leader', 'unreachable', 'timeout']);

/** A classified failure: its kind and gRPC's own reason, redacted (URL credentials masked), one line. */
export interface ClassifiedFailure {
  kind: EtcdFailure;
  detail: string;
}

/**
 * The reason inside gRPC's text, for people: "unable to verify the first certificate", "sslv3
 * alert bad certificate", "etcdserver: no leader" (gRPC wraps it in status and resolution notes).
 */
export function shortReason(detail: string): string {
  let r = /Last error: (?:Error: )?(.*?)(?:\.? Resolution note:|$)/.exec(detail)?.[1] ?? detail.replace(/^\d+ [A-Z_]+: /, '');
  const ssl = /SSL routines:[^:]*:([^:]+)/.exec(r);
  if (ssl) r = ssl[1]!;
  return r.replace(/\s*\(\d{4}-\d\d-\d\dT[^)]*\)/, '').trim().slice(0, 160);
}

export interface RangeResult {
  /** The store revision the read saw (header.revision), decimal. */
  revision: string;
  kvs: RawEntry[];
  count: string;
}

export interface WatchHandlers {
  /** The watcher is registered on member `memberId` (decimal); `revision` is its current revision. */
  onCreated(revision: string, memberId: string): void;
  /** A response with events: `maxModRevision` is the highest mod_revision among them. */
  onEvents(maxModRevision: string): void;
  /** The stream is gone (failed, ended, stalled or no leader); nothing more will arrive on it. */
  onBroken(failure: ClassifiedFailure): void;
  /** etcd canceled the watcher (compaction past the start revision, permission, …). */
  onCanceled(failure: ClassifiedFailure, compacted: boolean): void;
}

export interface WatchHandle {
  cancel(): void;
}

/** A connected (lazily: gRPC dials on first call) etcd client, narrowed to what the provider uses. */
export interface EtcdSession {
  /** `deadlineMs`: for the whole call, all attempts (default: each attempt its own `attemptTimeoutMs`). */
  range(key: Uint8Array, rangeEnd: Uint8Array | undefined, opts?: { countOnly?: boolean; deadlineMs?: number }): Promise<RangeResult>;
  watch(key: Uint8Array, rangeEnd: Uint8Array | undefined, startRevision: string, handlers: WatchHandlers): WatchHandle;
  classify(err: unknown): ClassifiedFailure;
  /**
   * After an https endpoint was unreachable: the TLS reason, if a plain TLS handshake with the
   * same material fails (gRPC sometimes reports only "Last error: null"); undefined otherwise.
   */
  diagnoseTls(): Promise<string | undefined>;
  close(): void;
}

/** A quiet watch stream is asked for progress after this long… */
export const PROGRESS_REQUEST_AFTER_MS = 1_000;
/** …and declared stalled when nothing at all arrives for this long after the request. */
export const STALL_AFTER_MS = 2_000;

function toBuffer(p: Pem | undefined): Buffer | undefined {
  if (p === undefined) return undefined;
  return typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p);
}

const TLS_TEXT = /certificate|self[- ]signed|unable to verify|ssl|tls|handshake|wrong version number|alert|CERT_|UNABLE_TO_GET_ISSUER/i;

/** How long a member's "no leader" answer colours a call that then found no member at all. */
const NO_LEADER_MEMORY_MS = 5_000;

/** Names a failure from what etcd3 and gRPC tell us: their error classes first, then gRPC's text. */
function classifyWith(lib: Etcd3Module, cockatiel: Cockatiel, raw: unknown): ClassifiedFailure {
  // Errors from a stream come straight from gRPC; etcd3's cast gives them its classes.
  const err = raw instanceof Error && raw.constructor === Error ? lib.castGrpcError(raw) : raw;
  const detail = redactUrlCredentials(String(err instanceof Error ? err.message : err)).replace(/\s+/g, ' ').slice(0, 300);
  const text = detail.toLowerCase();
  const kind = ((): EtcdFailure => {
    if (
      err instanceof lib.EtcdAuthenticationFailedError ||
      err instanceof lib.GRPCUnauthenticatedError ||
      err instanceof lib.EtcdUserNotFoundError ||
      /etcdserver: (user name is empty|authentication failed|invalid auth token)/.test(text)
    ) {
      return 'auth';
    }
    if (err instanceof lib.EtcdPermissionDeniedError || err instanceof lib.EtcdRoleNotGrantedError || text.includes('etcdserver: permission denied')) {
      return 'permission';
    }
    if (err instanceof lib.ClientClosedError) return 'closed';
    if (text.includes('no leader') || text.includes('leader changed')) return 'no_leader';
    if (TLS_TEXT.test(detail)) return 'tls';
    if (err instanceof lib.GRPCDeadlineExceededError || text.includes('request timed out') || err instanceof StallError) return 'timeout';
    if (
      err instanceof lib.GRPCUnavailableError ||
      err instanceof lib.GRPCCancelledError ||
      err instanceof lib.EtcdWatchStreamEnded ||
      cockatiel.isBrokenCircuitError(err) ||
      (err instanceof Error && lib.isRecoverableError(err))
    ) {
      return 'unreachable';
    }
    return 'other';
  })();
  return { kind, detail };
}

class StallError extends Error {
  override readonly name = 'StallError';
}

/** etcd's or gRPC's reason for a failure, redacted: the cause of the ConfigError we throw. */
export class EtcdFailureCause extends Error {
  override readonly name = 'EtcdFailure';
  constructor(
    readonly code: EtcdFailure | 'invalid_options' | 'canceled',
    detail: string,
  ) {
    super(redactUrlCredentials(detail));
  }
}

/**
 * Creates a session. Constructing the etcd3 client does not dial: gRPC connects on the first call.
 * @throws ConfigError provider_unavailable (package missing), invalid_parameters (bad endpoints)
 */
export async function openSession(opts: EtcdConnectOptions): Promise<EtcdSession> {
  const libs = await loadEtcd3(opts.provider);
  const { grpc } = libs;
  const requireLeader: import('@grpc/grpc-js').Interceptor = (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set('hasleader', 'true');
        next(metadata, listener);
      },
    });
  const { retry, host } = faultPolicies(libs, opts.endpoints.length);
  const client = makeClient(libs, opts, { requireLeader, retry, host });
  const classify = leaderAwareClassifier(libs);
  // Every failed attempt of a call, not only the last: a member's "no leader" must be seen.
  const seen = (reason: { error: Error } | { value: unknown }): void => {
    if ('error' in reason) classify(reason.error);
  };
  retry?.onRetry(seen);
  retry?.onGiveUp(seen);

  return {
    async range(key, rangeEnd, rangeOpts) {
      const res = await client.kv.range(
        {
          key: Buffer.from(key),
          ...(rangeEnd ? { range_end: Buffer.from(rangeEnd) } : {}),
          ...(rangeOpts?.countOnly ? { count_only: true } : {}),
        },
        rangeOpts?.deadlineMs !== undefined ? { deadline: Date.now() + rangeOpts.deadlineMs } : undefined,
      );
      return {
        revision: String(res.header.revision),
        count: String(res.count),
        kvs: (res.kvs ?? []).map((kv) => ({ key: kv.key, value: kv.value, modRevision: String(kv.mod_revision) })),
      };
    },
    watch: (key, rangeEnd, startRevision, handlers) =>
      new WatchStream(client.connections, { key, rangeEnd, startRevision, interceptors: [requireLeader] }, handlers, classify, (reason) => new libs.etcd3.GRPCUnavailableError(reason)),
    classify,
    diagnoseTls: () => diagnoseTls(opts.endpoints, opts.tls),
    close() {
      client.close();
    },
  };
}

type RetryPolicy = ReturnType<Cockatiel['retry']>;

/**
 * etcd3's `faultHandling`, from the cockatiel it ships: with several members, a recoverable
 * failure is retried at once on the next member (etcd3 walks them in a shuffled order without
 * repeats), and a member that failed is skipped by its breaker for 0.5 s, growing to 5 s while it
 * keeps failing. With one member there is nothing else to try, so neither.
 */
function faultPolicies({ etcd3: lib, cockatiel }: Libraries, members: number): { retry: RetryPolicy | undefined; host: () => import('cockatiel').IPolicy } {
  if (members <= 1) return { retry: undefined, host: () => cockatiel.noop };
  return {
    retry: cockatiel.retry(cockatiel.handleWhen(lib.isRecoverableError), { maxAttempts: members - 1, backoff: new cockatiel.ConstantBackoff(0) }),
    host: () =>
      cockatiel.circuitBreaker(cockatiel.handleWhen(lib.isRecoverableError), {
        halfOpenAfter: new cockatiel.ExponentialBackoff({ initialDelay: 500, maxDelay: 5_000 }),
        breaker: new cockatiel.ConsecutiveBreaker(1),
      }),
  };
}

/** The etcd3 client, reaching into nothing but its (protected) connection pool for our watch stream. */
function makeClient(
  { etcd3: lib, cockatiel }: Libraries,
  opts: EtcdConnectOptions,
  p: { requireLeader: import('@grpc/grpc-js').Interceptor; retry: RetryPolicy | undefined; host: () => import('cockatiel').IPolicy },
) {
  class Client extends lib.Etcd3 {
    get connections(): Pool {
      return this.pool;
    }
  }
  try {
    return new Client({
      hosts: [...opts.endpoints],
      ...(opts.auth
        ? { auth: { username: opts.auth.username, password: opts.auth.password, callOptions: () => ({ deadline: Date.now() + opts.attemptTimeoutMs }) } }
        : {}),
      ...(opts.tls ? { credentials: tlsCredentials(opts.tls) } : {}),
      // Each attempt its own deadline, so a frozen member costs one attempt, not the whole call.
      defaultCallOptions: (ctx) => ({ interceptors: [p.requireLeader], ...(ctx.isStream ? {} : { deadline: Date.now() + opts.attemptTimeoutMs }) }),
      // Keepalive at etcd's enforced minimum (5 s; faster pings get the connection closed): it
      // notices a dead unary connection; a stalled watch is noticed sooner by progress requests.
      grpcOptions: { 'grpc.keepalive_time_ms': 5_000, 'grpc.keepalive_timeout_ms': 2_000 },
      faultHandling: { host: p.host, global: p.retry ?? cockatiel.noop },
    });
  } catch (err) {
    throw new ConfigError({
      op: 'connect',
      code: ErrorCode.InvalidParameters,
      message: 'etcd client options are invalid (check endpoints and TLS)',
      provider: opts.provider,
      cause: new EtcdFailureCause('invalid_options', err instanceof Error ? err.message : String(err)),
    });
  }
}

/**
 * A call that tried every member reports only the last member's error. When another member said
 * "no leader" moments ago, the cluster is up but without quorum: say that, not "unreachable".
 */
function leaderAwareClassifier({ etcd3: lib, cockatiel }: Libraries): (err: unknown) => ClassifiedFailure {
  let noLeaderAt = -Infinity;
  return (err) => {
    const failure = classifyWith(lib, cockatiel, err);
    if (failure.kind === 'no_leader') noLeaderAt = monotonicMs();
    else if (failure.kind === 'unreachable' && monotonicMs() - noLeaderAt < NO_LEADER_MEMORY_MS) {
      return { kind: 'no_leader', detail: `${failure.detail}; another member answered: no leader` };
    }
    return failure;
  };
}

/** How long the TLS diagnosis may take, and how long it waits for a late alert (TLS 1.3). */
const DIAGNOSE_MS = 2_000;
const LATE_ALERT_MS = 300;

async function diagnoseTls(endpoints: readonly string[], material: EtcdConnectOptions['tls']): Promise<string | undefined> {
  const first = endpoints.find((e) => e.startsWith('https://'));
  if (!first) return undefined;
  const url = new URL(first);
  return new Promise((resolve) => {
    let settled = false;
    const done = (reason: string | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(reason);
    };
    const timer = setTimeout(() => done(undefined), DIAGNOSE_MS);
    const socket = tls.connect({
      host: url.hostname,
      port: Number(url.port || 443),
      ALPNProtocols: ['h2'],
      ...(material?.ca !== undefined ? { ca: toBuffer(material.ca) } : {}),
      ...(material?.cert !== undefined ? { cert: toBuffer(material.cert) } : {}),
      ...(material?.key !== undefined ? { key: toBuffer(material.key) } : {}),
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A refused or reset connection says nothing about TLS.
      done(err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET' || err.code === 'EHOSTUNREACH' ? undefined : shortReason(err.message));
    });
    // A server that refuses the client certificate says so after the handshake (TLS 1.3).
    socket.on('secureConnect', () => setTimeout(() => done(undefined), LATE_ALERT_MS));
  });
}

function tlsCredentials(tls: NonNullable<EtcdConnectOptions['tls']>): { rootCertificate: Buffer; privateKey?: Buffer; certChain?: Buffer } {
  return {
    // etcd3 types rootCertificate as required; undefined means the system roots to gRPC.
    rootCertificate: toBuffer(tls.ca) as Buffer,
    ...(tls.key !== undefined ? { privateKey: toBuffer(tls.key)! } : {}),
    ...(tls.cert !== undefined ? { certChain: toBuffer(tls.cert)! } : {}),
  };
}

type Pool = InstanceType<Etcd3Module['Etcd3']>['pool'];
/** The gRPC duplex stream of the Watch call, as far as we use it. */
interface Duplex {
  write(msg: unknown): boolean;
  cancel(): void;
  on(ev: string, fn: (...a: never[]) => void): unknown;
}

interface WatchResponse {
  header?: { revision?: string | number; member_id?: string | number };
  created?: boolean;
  canceled?: boolean;
  compact_revision?: string | number;
  cancel_reason?: string;
  events?: { kv?: { mod_revision?: string | number } }[];
}

interface WatchTarget {
  key: Uint8Array;
  rangeEnd: Uint8Array | undefined;
  startRevision: string;
  interceptors: unknown[];
}

/**
 * One watcher on one stream to one member (chosen by etcd3's pool, skipping members whose breaker
 * is open). Every way the stream can end reports exactly once, through onBroken or onCanceled.
 */
class WatchStream implements WatchHandle {
  #done = false;
  #stream: Duplex | undefined;
  #member: Parameters<Pool['markFailed']>[0] | undefined;
  #lastHeard = Date.now();
  #askedAt: number | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly target: WatchTarget,
    private readonly handlers: WatchHandlers,
    private readonly classify: (err: unknown) => ClassifiedFailure,
    private readonly unavailable: (reason: string) => Error,
  ) {
    pool
      .withConnection('Watch', ({ resource, client, metadata }) => {
        this.#member = resource;
        return (client as unknown as { watch(md: unknown, o: unknown): Duplex }).watch(metadata, { interceptors: target.interceptors });
      })
      .then(
        (s) => this.#attach(s),
        (err: unknown) => this.#broken(err),
      );
  }

  cancel(): void {
    // Closing the stream removes the watcher on the server; its CANCELLED error is ours.
    this.#finish();
  }

  #attach(s: Duplex): void {
    s.on('error', (err: unknown) => this.#broken(err));
    if (this.#done) {
      s.cancel();
      return;
    }
    this.#stream = s;
    s.on('data', (res: WatchResponse) => this.#onResponse(res));
    s.on('end', () => this.#broken(this.unavailable('watch stream ended')));
    const { key, rangeEnd, startRevision } = this.target;
    s.write({ create_request: { key: Buffer.from(key), ...(rangeEnd ? { range_end: Buffer.from(rangeEnd) } : {}), start_revision: startRevision } });
    this.#lastHeard = Date.now();
    this.#ticker = setInterval(() => this.#tick(), 250);
    this.#ticker.unref();
  }

  #finish(): boolean {
    if (this.#done) return false;
    this.#done = true;
    clearInterval(this.#ticker);
    this.#stream?.cancel();
    return true;
  }

  #broken(err: unknown): void {
    if (!this.#finish()) return;
    const failure = this.classify(err);
    // As a recoverable error, the pool drops its channels to this member and its breaker skips
    // the member for the next stream and the next reads.
    if (this.#member && RETRYABLE_FAILURES.has(failure.kind)) this.pool.markFailed(this.#member, this.unavailable(failure.detail));
    this.handlers.onBroken(failure);
  }

  #onResponse(res: WatchResponse): void {
    if (this.#done) return;
    this.#lastHeard = Date.now();
    this.#askedAt = undefined;
    if (res.canceled) {
      if (!this.#finish()) return;
      const compacted = res.compact_revision !== undefined && String(res.compact_revision) !== '0';
      this.handlers.onCanceled(this.classify(new EtcdFailureCause('canceled', res.cancel_reason || (compacted ? 'compacted' : 'watch canceled'))), compacted);
      return;
    }
    if (res.created) {
      this.handlers.onCreated(String(res.header?.revision ?? '0'), String(res.header?.member_id ?? ''));
      return;
    }
    let max: bigint | undefined;
    for (const ev of res.events ?? []) {
      const rev = BigInt(String(ev.kv?.mod_revision ?? '0'));
      if (max === undefined || rev > max) max = rev;
    }
    // A response without events is a progress notification: proof of life, nothing more (etcd 3.4
    // may send it ahead of events still queued for this watcher, so it never advances a revision).
    if (max !== undefined) this.handlers.onEvents(String(max));
  }

  /** Quiet for a second: ask for progress; no answer for two more: the member is stalled. */
  #tick(): void {
    if (this.#done || !this.#stream) return;
    const now = Date.now();
    if (this.#askedAt !== undefined) {
      if (now - this.#askedAt >= STALL_AFTER_MS) this.#broken(new StallError(`the member answered nothing for ${now - this.#lastHeard} ms`));
    } else if (now - this.#lastHeard >= PROGRESS_REQUEST_AFTER_MS) {
      this.#askedAt = now;
      this.#stream.write({ progress_request: {} });
    }
  }
}
