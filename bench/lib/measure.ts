/**
 * Timing helpers. Samples are wall-clock (performance.now) on a shared, noisy machine, so every
 * figure that matters is a ratio against a baseline sampled in the same run, interleaved where the
 * case allows, and medians rather than means.
 */

export interface Sampled {
  readonly samples: number[];
  readonly median: number;
  readonly p99: number;
  readonly mean: number;
  readonly min: number;
}

export interface SampleOptions {
  /** Calls before sampling (JIT warm-up). Default 5. */
  readonly warmup?: number;
  /** Minimum samples. Default 30. */
  readonly minSamples?: number;
  /** Keep sampling until this much time has passed (ms). Default 1,000. */
  readonly minTimeMs?: number;
  /** Stop at this many samples. Default 10,000. */
  readonly maxSamples?: number;
  /** Calls per sample, for operations far below timer resolution; the sample is the per-call time. Default 1. */
  readonly batch?: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(samples: number[]): Sampled {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length);
  return { samples, median: percentile(sorted, 50), p99: percentile(sorted, 99), mean, min: sorted[0] ?? Number.NaN };
}

/** Samples an async or sync function; returns per-call milliseconds. */
export async function sample(fn: () => unknown, options: SampleOptions = {}): Promise<Sampled> {
  const { warmup = 5, minSamples = 30, minTimeMs = 1_000, maxSamples = 10_000, batch = 1 } = options;
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < maxSamples && (samples.length < minSamples || performance.now() - start < minTimeMs)) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) await fn();
    samples.push((performance.now() - t0) / batch);
  }
  return summarize(samples);
}

/**
 * Samples several contestants round-robin (one sample of each per round), so drift in machine
 * load hits them all alike. Returns results in the order given.
 */
export async function sampleInterleaved(
  fns: ReadonlyArray<() => unknown>,
  options: SampleOptions = {},
): Promise<Sampled[]> {
  const { warmup = 5, minSamples = 30, minTimeMs = 1_000, maxSamples = 10_000, batch = 1 } = options;
  for (const fn of fns) for (let i = 0; i < warmup; i++) await fn();
  const samples: number[][] = fns.map(() => []);
  const start = performance.now();
  let rounds = 0;
  while (rounds < maxSamples && (rounds < minSamples || performance.now() - start < minTimeMs * fns.length)) {
    for (let k = 0; k < fns.length; k++) {
      const fn = fns[k]!;
      const t0 = performance.now();
      for (let i = 0; i < batch; i++) await fn();
      samples[k]!.push((performance.now() - t0) / batch);
    }
    rounds++;
  }
  return samples.map(summarize);
}

export function ratio(value: number, baseline: number): number {
  return value / baseline;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 0.001) return `${(ms * 1e6).toFixed(0)} ns`;
  if (ms < 1) return `${(ms * 1e3).toFixed(1)} µs`;
  if (ms < 100) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(0)} ms`;
}

export function formatRatio(r: number): string {
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : '—';
}
