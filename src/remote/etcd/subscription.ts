/**
 * Watch and resync: one subscription of the etcd provider, a small state machine around one etcd
 * watch stream at a time (RELIABILITY promise 6, rows R1–R4, R9, R10).
 *
 * `lastSeen` is the highest revision whose events arrived (or a read's revision): a new stream
 * starts at lastSeen + 1, so nothing is skipped and nothing is replayed twice. Whenever a stream
 * breaks (member down, stalled, without a leader) the subscriber is told at once, so its loader
 * reads what etcd holds now from any member that can answer, and retries that read until it can:
 * a change made while the stream was down is applied without waiting for another write.
 */
import type { ClassifiedFailure, WatchHandle } from './client.js';
import { isDenied, type EtcdConnection } from './connection.js';
import type { EtcdWatchEvent } from './options.js';

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 2_000;
/** After an auth or permission error the watch is retried this rarely: never a tight loop (R10). */
export const DENIED_RETRY_MS = 30_000;

export class EtcdSubscription {
  #stopped = false;
  #handle: WatchHandle | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSeen: bigint | undefined;
  #delay = RECONNECT_MIN_MS;

  constructor(
    private readonly connection: EtcdConnection,
    private readonly onChange: () => void,
    private readonly emit: (event: EtcdWatchEvent) => void,
    /** The revision of the provider's last load: the watch starts right after it. */
    startAfter: bigint | undefined,
  ) {
    this.#lastSeen = startAfter;
  }

  begin(): void {
    if (this.#lastSeen !== undefined) this.#watchFrom(this.#lastSeen + 1n);
    else void this.#resync(undefined);
  }

  /** Stops for good: no callback after this; the stream is closed (which removes the server's watcher). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#drop();
  }

  #fire(): void {
    if (this.#stopped) return;
    try {
      this.onChange();
    } catch {
      // The subscriber's failure is theirs; the watch goes on.
    }
  }

  #later(ms: number, fn: () => Promise<void> | void): void {
    if (this.#stopped || this.connection.closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void fn();
    }, ms);
  }

  /** Exponential, with jitter (half to all of the step) so a fleet does not reconnect in step. */
  #backoff(): number {
    const d = this.#delay;
    this.#delay = Math.min(this.#delay * 2, RECONNECT_MAX_MS);
    return Math.round(d / 2 + (Math.random() * d) / 2);
  }

  #drop(): void {
    const h = this.#handle;
    this.#handle = undefined;
    h?.cancel();
  }

  /**
   * Reads the range's current revision and watches from just after it. With a `reason`
   * (compaction, a cancel, a revision that went down) the subscriber is told to reload first.
   */
  async #resync(reason: 'compacted' | 'canceled' | 'revision_decreased' | undefined): Promise<void> {
    this.#drop();
    if (this.#stopped) return;
    try {
      const rev = await this.connection.revision('watch');
      if (this.#stopped) return;
      this.#lastSeen = BigInt(rev);
      if (reason) {
        this.emit({ type: 'resync', reason, revision: rev });
        this.#fire();
      }
      this.#watchFrom(this.#lastSeen + 1n);
    } catch (err) {
      if (isDenied(err)) {
        this.emit({ type: 'permission_denied' });
        this.#later(DENIED_RETRY_MS, () => this.#resync(reason));
      } else this.#later(this.#backoff(), () => this.#resync(reason));
    }
  }

  #watchFrom(from: bigint): void {
    if (this.#stopped) return;
    this.connection.session('watch').then(
      (session) => {
        if (this.#stopped) return;
        const h: WatchHandle = session.watch(this.connection.settings.rangeStart, this.connection.settings.rangeEnd, String(from), {
          onCreated: (revision, member) => this.#handle === h && this.#created(revision, member),
          onEvents: (maxModRevision) => this.#handle === h && this.#events(BigInt(maxModRevision)),
          onBroken: (failure) => this.#handle === h && this.#broken(failure, from),
          onCanceled: (failure, compacted) => this.#handle === h && this.#canceled(failure, compacted),
        });
        this.#handle = h;
      },
      () => this.#later(this.#backoff(), () => this.#watchFrom(from)),
    );
  }

  #created(revision: string, member: string): void {
    this.#delay = RECONNECT_MIN_MS;
    this.emit({ type: 'connected', revision, member });
    if (this.#lastSeen !== undefined && BigInt(revision) < this.#lastSeen) void this.#resync('revision_decreased');
  }

  #events(maxModRevision: bigint): void {
    if (this.#lastSeen === undefined || maxModRevision > this.#lastSeen) this.#lastSeen = maxModRevision;
    this.#fire();
  }

  /**
   * The stream is gone. Tell the subscriber now (its reload reads the current state through any
   * member that answers, and keeps retrying while none does), then watch again from lastSeen + 1.
   */
  #broken(failure: ClassifiedFailure, from: bigint): void {
    this.#handle = undefined;
    this.emit({ type: 'disconnected', reason: failure.kind });
    this.#fire();
    const denied = failure.kind === 'auth' || failure.kind === 'permission' || failure.kind === 'tls';
    this.#later(denied ? DENIED_RETRY_MS : this.#backoff(), () => this.#watchFrom((this.#lastSeen ?? from - 1n) + 1n));
  }

  #canceled(failure: ClassifiedFailure, compacted: boolean): void {
    this.#handle = undefined;
    if (failure.kind === 'permission' || failure.kind === 'auth') {
      this.emit({ type: 'permission_denied' });
      this.#fire(); // the loader's next load surfaces the error once
      this.#later(DENIED_RETRY_MS, () => this.#resync('canceled'));
      return;
    }
    // etcd cancels a watch whose start revision was compacted (compact_revision set): re-read, re-watch.
    void this.#resync(compacted ? 'compacted' : 'canceled');
  }
}
