/**
 * The shape every bench case returns. bench/run.ts runs the cases in one process, one after
 * another, and renders every section into docs/bench/results.md (table), results.json (raw) and
 * chart.svg. Ratios are always against a baseline measured in the same run.
 */

/** One measured thing: a contestant on a case. Times are milliseconds. */
export interface Row {
  /** e.g. "confstack", "floor (js-yaml + zod)", "node-config". */
  readonly name: string;
  /** e.g. "3KB yaml"; rows sharing a group share a baseline. */
  readonly group?: string;
  readonly median?: number;
  readonly p99?: number;
  /** Operations per second, for throughput cases. */
  readonly opsPerSec?: number;
  /** Bytes, for memory cases. */
  readonly bytes?: number;
  /** Ratio against this group's baseline (the case says which row that is). */
  readonly ratio?: number;
  /** What this contestant could not do (e.g. "no validation", "5 of 10 overrides"). */
  readonly note?: string;
}

/** A goal from the issues, checked against a measured figure of this run. */
export interface Goal {
  /** e.g. "confstack ≤ 1.3× floor at ~100 KB yaml". */
  readonly goal: string;
  /** e.g. "1.12×". */
  readonly measured: string;
  readonly met: boolean;
}

export interface Section {
  readonly id: string;
  readonly title: string;
  /** One or two sentences: what is measured, and what the baseline is. */
  readonly description: string;
  /** Column to show: which Row fields matter for this section. */
  readonly columns: ReadonlyArray<'median' | 'p99' | 'opsPerSec' | 'bytes' | 'ratio' | 'note'>;
  readonly rows: readonly Row[];
  readonly goals: readonly Goal[];
  /** Anything a reader should know (a contestant that cannot do part of the work, a skipped part and why). */
  readonly notes?: readonly string[];
}

export interface BenchContext {
  /** Directory holding the generated fixtures (see bench/fixtures.ts). */
  readonly fixturesDir: string;
  /** Quick mode (BENCH_QUICK=1): fewer samples, for smoke runs and tests. */
  readonly quick: boolean;
  /** Progress line to stderr. */
  log(message: string): void;
}

export type BenchCase = (ctx: BenchContext) => Promise<Section>;
