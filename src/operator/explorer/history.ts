/**
 * The reload history of a LiveConfig: every applied and every rejected reload, newest last, with
 * its time, changed keys, a redacted diff and, for a rejection, the located issues. Bounded (the
 * oldest entries go first) and small per entry (diffs capped), so a reload storm costs fixed memory.
 * Attached when the explorer is created, so no reload is missed before its code has loaded.
 */
import type { Config } from '../../core/config.js';
import type { ConfigError } from '../../foundation/errors.js';
import { getAtKey } from '../../tree/path.js';
import type { LiveConfig } from '../../core/watch.js';
import { redactedTree } from './redacted.js';

/** One changed value, both sides redacted (containers shown as `{…}` / `[…]`, long strings cut). */
export interface DiffLine {
  key: string;
  before: unknown;
  after: unknown;
}

/** One reload as the history keeps it. */
export interface HistoryEntry {
  /** 1, 2, 3… in the order the reloads finished. */
  seq: number;
  /** ISO time. */
  at: string;
  outcome: 'applied' | 'rejected';
  /** The snapshot version after this reload (unchanged by a rejection). */
  version: number;
  /** Changed leaf paths (at most {@link MAX_KEYS}); `changedKeyCount` has the full count. */
  changedKeys: string[];
  changedKeyCount: number;
  /** At most {@link MAX_DIFF} lines. */
  diff: DiffLine[];
  /** A rejection: its ConfigError as JSON (code, cause code, located issues), redacted. */
  error?: Record<string, unknown>;
}

export const MAX_KEYS = 500;
export const MAX_DIFF = 100;
const MAX_STRING = 200;

function shown(v: unknown): unknown {
  if (v === undefined) return null;
  if (Array.isArray(v)) return v.length === 0 ? [] : '[…]';
  if (v !== null && typeof v === 'object') return Object.keys(v).length === 0 ? {} : '{…}';
  if (typeof v === 'string' && v.length > MAX_STRING) return `${v.slice(0, MAX_STRING)}…`;
  return v;
}

/** Keeps the last `limit` reloads of a LiveConfig and tells subscribers about each new one. */
export class ReloadHistory {
  readonly #limit: number;
  readonly #entries: HistoryEntry[] = [];
  readonly #listeners = new Set<(entry: HistoryEntry) => void>();
  #seq = 0;
  #dropped = 0;
  #detach: (() => void) | undefined;

  constructor(limit: number, live?: LiveConfig<unknown>) {
    this.#limit = limit;
    if (!live) return;
    const onChange = (next: Config<unknown>, prev: Config<unknown>, keys: string[]) => this.#record('applied', live.version, keys, prev, next);
    const onReject = (error: ConfigError) => this.#record('rejected', live.version, [], undefined, undefined, error);
    live.on('change', onChange);
    live.on('reject', onReject);
    this.#detach = () => {
      live.off('change', onChange);
      live.off('reject', onReject);
    };
  }

  /** The kept entries, oldest first, and how many older ones were dropped. */
  snapshot(): { entries: HistoryEntry[]; dropped: number; limit: number } {
    return { entries: [...this.#entries], dropped: this.#dropped, limit: this.#limit };
  }

  /** Calls `listener` with every new entry; returns the unsubscribe function. */
  subscribe(listener: (entry: HistoryEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops recording (idempotent). */
  close(): void {
    this.#detach?.();
    this.#detach = undefined;
    this.#listeners.clear();
  }

  #record(outcome: HistoryEntry['outcome'], version: number, keys: string[], prev?: Config<unknown>, next?: Config<unknown>, error?: ConfigError): void {
    const entry: HistoryEntry = {
      seq: ++this.#seq,
      at: new Date().toISOString(),
      outcome,
      version,
      changedKeys: keys.slice(0, MAX_KEYS),
      changedKeyCount: keys.length,
      diff: [],
    };
    if (prev && next) {
      const before = redactedTree(prev);
      const after = redactedTree(next);
      entry.diff = keys.slice(0, MAX_DIFF).map((key) => ({ key, before: shown(getAtKey(before, key)), after: shown(getAtKey(after, key)) }));
    }
    // ConfigError#toJSON is the redacted form (messages, context, issues, causes).
    if (error) entry.error = error.toJSON();
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit) {
      this.#entries.shift();
      this.#dropped++;
    }
    for (const listener of this.#listeners) {
      try {
        listener(entry);
      } catch {
        // A subscriber (an event stream) never breaks the history or the reload.
      }
    }
  }
}
