/**
 * Health figures of one subject (a provider, validation, reload): latency percentiles and
 * throughput over a bounded window of recent observations, error counts by code, time since the
 * last success. Memory is bounded by the window size and the code cap whatever the traffic.
 * Pure bookkeeping: no I/O, no timers; imports nothing of ours.
 */

/** What {@link FigureWindow.figures} reports. Durations in ms; times as Dates. */
export interface HealthFigures {
  /** Observations since the start (not bounded by the window). */
  count: number;
  /** Failed observations since the start. */
  errors: number;
  /** Latency percentiles over the window (nearest-rank); absent before the first observation. */
  latencyMs?: { p50: number; p95: number; p99: number; max: number };
  /** Observations per second over the window's time span (0 with fewer than two). */
  throughputPerSec: number;
  /** Failures by error code since the start (at most 32 codes; the rest count under `other`). */
  errorsByCode: Record<string, number>;
  /** When the last success was observed. */
  lastSuccessAt?: Date;
  /** Milliseconds since the last success (absent if none yet). */
  sinceLastSuccessMs?: number;
}

const MAX_CODES = 32;

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** A ring of the last `size` observations (latency and time) plus running totals. */
export class FigureWindow {
  readonly #size: number;
  readonly #latency: Float64Array;
  readonly #at: Float64Array;
  #next = 0;
  #filled = 0;
  #count = 0;
  #errors = 0;
  readonly #codes = new Map<string, number>();
  #lastSuccess: number | undefined;

  constructor(size: number) {
    this.#size = size;
    this.#latency = new Float64Array(size);
    this.#at = new Float64Array(size);
  }

  /** Records one observation; `code` names the failure (ignored on success). */
  observe(ok: boolean, durationMs: number, code?: string, now = Date.now()): void {
    this.#latency[this.#next] = Number.isFinite(durationMs) && durationMs >= 0 ? durationMs : 0;
    this.#at[this.#next] = now;
    this.#next = (this.#next + 1) % this.#size;
    if (this.#filled < this.#size) this.#filled++;
    this.#count++;
    if (ok) {
      this.#lastSuccess = now;
      return;
    }
    this.#errors++;
    let key = code ?? 'unknown';
    if (!this.#codes.has(key) && this.#codes.size >= MAX_CODES) key = 'other';
    this.#codes.set(key, (this.#codes.get(key) ?? 0) + 1);
  }

  /** The figures now. Sorting the window costs O(n log n) with n ≤ the window size. */
  figures(now = Date.now()): HealthFigures {
    const out: HealthFigures = { count: this.#count, errors: this.#errors, throughputPerSec: 0, errorsByCode: Object.fromEntries(this.#codes) };
    if (this.#filled > 0) {
      const sorted = Array.from(this.#latency.subarray(0, this.#filled)).sort((a, b) => a - b);
      out.latencyMs = { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1]! };
    }
    if (this.#filled > 1) {
      const oldest = this.#filled < this.#size ? this.#at[0]! : this.#at[this.#next]!;
      const span = (now - oldest) / 1000;
      if (span > 0) out.throughputPerSec = this.#filled / span;
    }
    if (this.#lastSuccess !== undefined) {
      out.lastSuccessAt = new Date(this.#lastSuccess);
      out.sinceLastSuccessMs = Math.max(0, now - this.#lastSuccess);
    }
    return out;
  }

  /** When the last success was observed (epoch ms), for the OTel gauge. */
  get lastSuccess(): number | undefined {
    return this.#lastSuccess;
  }
}
