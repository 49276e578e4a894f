/**
 * The provider's connection to etcd: one lazily opened session, reads bounded by the dial or load
 * timeout (through the loader's own deadline race, loadWithin), and the naming of every failure
 * as a ConfigError (reason, retryable, and gRPC's reason, redacted, as the cause).
 */
import { ConfigError, ErrorCode } from '../../foundation/errors.js';
import { loadWithin } from '../../providers/deadline.js';
import type { Layer, LoadContext } from '../../providers/provider.js';
import { EtcdFailureCause, openSession, RETRYABLE_FAILURES, shortReason, type ClassifiedFailure, type EtcdFailure, type EtcdSession, type RangeResult } from './client.js';
import type { EtcdSettings } from './options.js';

const MESSAGES: Readonly<Record<Exclude<EtcdFailure, 'timeout' | 'closed'>, string>> = {
  tls: 'etcd TLS failed: the server certificate did not verify or the client certificate was refused (check tls.ca, tls.cert, tls.key)',
  auth: 'etcd rejected the credentials (authentication failed)',
  permission: 'etcd denied access (permission)',
  no_leader: 'etcd has no leader (quorum lost or an election under way)',
  unreachable: 'etcd is unreachable',
  other: 'etcd request failed',
};

/**
 * The ConfigError for a classified failure. `connected` says whether etcd answered before: a
 * timeout then is a slow read (`remote_load_timeout`), before it is an unreachable etcd.
 */
export function failureError(s: EtcdSettings, failure: ClassifiedFailure, op: string, connected: boolean): ConfigError {
  const cause = new EtcdFailureCause(failure.kind, failure.detail);
  if (failure.kind === 'closed') {
    return new ConfigError({ op, code: ErrorCode.ProviderUnavailable, message: 'provider is closed', provider: s.name, retryable: false, context: { reason: 'closed' } });
  }
  if (failure.kind === 'timeout' && connected) {
    return new ConfigError({
      op,
      code: ErrorCode.RemoteLoadTimeout,
      message: `etcd read took longer than ${s.loadTimeoutMs} ms`,
      provider: s.name,
      cause,
      retryable: true,
      context: { reason: 'timeout', timeoutMs: s.loadTimeoutMs },
    });
  }
  const kind = failure.kind === 'timeout' ? 'unreachable' : failure.kind;
  const where = kind === 'unreachable' || kind === 'no_leader' || kind === 'tls' ? ` (${s.endpoints.join(', ')})` : '';
  return new ConfigError({
    op,
    code: ErrorCode.ProviderUnavailable,
    message: `${MESSAGES[kind]}${where}`,
    provider: s.name,
    cause,
    retryable: RETRYABLE_FAILURES.has(kind),
    ...(kind === 'permission' || kind === 'auth' ? { location: { source: s.source } } : {}),
    context: {
      reason: kind === 'other' ? 'error' : kind,
      detail: shortReason(failure.detail),
      endpoints: s.endpoints,
      ...(kind === 'unreachable' && !connected ? { dialTimeoutMs: s.dialTimeoutMs } : {}),
    },
  });
}

/** True for a ConfigError that says the user may not read (auth or permission): never retried fast. */
export function isDenied(err: unknown): boolean {
  return err instanceof ConfigError && (err.context?.reason === 'permission' || err.context?.reason === 'auth');
}

export class EtcdConnection {
  #session: Promise<EtcdSession> | undefined;
  #connected = false;
  #closed = false;

  constructor(readonly settings: EtcdSettings) {}

  get closed(): boolean {
    return this.#closed;
  }

  /** The session, opened on first use. @throws ConfigError provider_unavailable (closed, etcd3 missing) */
  session(op: string): Promise<EtcdSession> {
    if (this.#closed) return Promise.reject(failureError(this.settings, { kind: 'closed', detail: 'closed' }, op, false));
    const s = this.settings;
    this.#session ??= openSession({
      endpoints: s.endpoints,
      attemptTimeoutMs: s.attemptTimeoutMs,
      provider: s.name,
      ...(s.auth ? { auth: s.auth } : {}),
      ...(s.tls ? { tls: s.tls } : {}),
    }).catch((err: unknown) => {
      this.#session = undefined;
      throw err;
    });
    return this.#session;
  }

  /**
   * One range read of the watched range, every failure named. With one member the call's deadline
   * is the dial timeout until etcd has answered, then the load timeout (a count-only read: always
   * the dial timeout); with several, each member gets its attempt timeout.
   */
  async range(op: string, countOnly = false): Promise<RangeResult> {
    const s = this.settings;
    const session = await this.session(op);
    const deadlineMs = s.endpoints.length > 1 ? undefined : this.#connected && !countOnly ? s.loadTimeoutMs : s.dialTimeoutMs;
    try {
      const res = await session.range(s.rangeStart, s.rangeEnd, { countOnly, ...(deadlineMs !== undefined ? { deadlineMs } : {}) });
      this.#connected = true;
      return res;
    } catch (err) {
      let failure = session.classify(err);
      if (failure.kind === 'unreachable' && !this.#connected && s.endpoints[0]!.startsWith('https://')) {
        const reason = await session.diagnoseTls();
        if (reason !== undefined) failure = { kind: 'tls', detail: reason };
      }
      const error = failureError(this.settings, failure, op, this.#connected);
      if (RETRYABLE_FAILURES.has(failure.kind)) this.#connected = false;
      throw error;
    }
  }

  /**
   * Reads and maps to a layer within the dial timeout (before etcd first answered) or the load
   * timeout; the caller's signal aborts it.
   */
  async load(ctx: LoadContext, toLayer: (res: RangeResult, ctx: LoadContext) => Promise<Layer> | Layer): Promise<Layer> {
    const s = this.settings;
    const connected = this.#connected;
    const reader = { name: s.name, type: 'etcd', load: async (c?: LoadContext) => toLayer(await this.range('load'), c ?? ctx) };
    try {
      return await loadWithin(reader, ctx, connected ? s.loadTimeoutMs : s.dialTimeoutMs);
    } catch (err) {
      if (err instanceof ConfigError && err.code === ErrorCode.RemoteLoadTimeout && err.context?.reason !== 'timeout') {
        // loadWithin's own deadline fired: gRPC's per-attempt deadlines did not get there first.
        this.#connected = false;
        throw failureError(s, { kind: 'timeout', detail: err.message }, 'load', connected);
      }
      throw err;
    }
  }

  /** The current revision of the watched range (a count-only linearizable read). */
  async revision(op: string): Promise<string> {
    return (await this.range(op, true)).revision;
  }

  /** `ok` with the revision, or the failure's code and reason (`provider_unavailable (no_leader)`). */
  async healthCheck(): Promise<{ ok: boolean; message?: string }> {
    try {
      return { ok: true, message: `revision ${await this.revision('healthCheck')}` };
    } catch (err) {
      const e = err instanceof ConfigError ? err : undefined;
      const reason = e?.context?.reason;
      return { ok: false, message: `${e?.code ?? 'provider_unavailable'}${typeof reason === 'string' ? ` (${reason})` : ''}` };
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const s = this.#session;
    this.#session = undefined;
    if (s) (await s.catch(() => undefined))?.close();
  }
}
