/**
 * The fuzz campaign's harness: runs a fast-check property over hostile inputs, classifies every
 * throw (ConfigError by code = expected; anything else = a bug, re-thrown so fast-check shrinks
 * it), times each input (hang detector), counts output nodes per input byte (amplification),
 * checks Object/Array/Function prototypes after every case with @fast-check/poisoning, and
 * writes the tallies to `.reliability/<name>.json` for scripts/reliability-report.ts.
 */
import { assertNoPoisoning, restoreGlobals } from '@fast-check/poisoning';
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../src/foundation/errors.js';

/** Where campaign results go (gitignored); the report script reads them. */
export const RESULTS_DIR = fileURLToPath(new URL('../../.reliability/', import.meta.url));

/** Iterations per fuzz target: `FUZZ_RUNS` (npm run fuzz sets 200,000), default sized for a PR run. */
export function fuzzRuns(defaultRuns = 3000): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : defaultRuns;
}

/** A vitest timeout for a test running `runs` fuzz inputs (long campaigns outlast the default). */
export function fuzzTimeout(runs: number): number {
  return 30_000 + runs * 10;
}

/** A hang, for the fuzz tests: one input taking this long fails the run (not a speed benchmark). */
export const HANG_MS = 1000;

/** The tallies of one fuzz target. */
export interface FuzzStats {
  target: string;
  /** The format or entry point the target exercises (report rows group by it). */
  surface: string;
  iterations: number;
  accepted: number;
  /** ConfigError code -> count. */
  rejected: Record<string, number>;
  /** Constructor name of any non-ConfigError throw -> count (target: empty). */
  nonConfigErrors: Record<string, number>;
  maxMs: number;
  maxMsInputBytes: number;
  /** Largest heapUsed growth across one input (no GC in between: an upper bound, garbage included). */
  maxHeapDeltaBytes: number;
  /** Output nodes per input byte, worst case over accepted inputs of >= 16 bytes. */
  maxAmplification: number;
  maxAmplificationNodes: number;
  maxAmplificationBytes: number;
  poisonings: number;
  seed: number;
}

/** Counts objects, lists and leaves in a parsed tree (the measure `maxNodes` bounds). */
export function countNodes(v: unknown): number {
  let n = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    n++;
    if (Array.isArray(x)) for (const i of x) stack.push(i);
    else if (x !== null && typeof x === 'object') for (const k of Object.keys(x)) stack.push((x as Record<string, unknown>)[k]);
  }
  return n;
}

/** What one accepted input produced (for amplification). */
export interface Outcome {
  bytes: number;
  nodes?: number;
}

/** Thrown to fast-check so the non-ConfigError input is shrunk and reported. */
class UnexpectedThrow extends Error {}

// Only the three prototypes the campaign promises about (a whole-global walk costs ~0.7 ms).
const PROTOTYPES_ONLY = { ignoredRootRegex: /^(?!(?:Object|Array|Function)$)/ };

const RUNNER_GLOBALS = { ignoredRootRegex: /^(?:__vitest|AbortController$|AbortSignal$)/ };

/**
 * Runs `run` over `arb` for `numRuns` inputs and returns the tallies. `run` returns the input size
 * (and output node count when it parsed something) or throws. Fails (with the shrunk input) on a
 * non-ConfigError throw, a hang, or a prototype change.
 */
export async function fuzz<T>(
  target: string,
  surface: string,
  arb: fc.Arbitrary<T>,
  run: (input: T) => Outcome | Promise<Outcome>,
  numRuns = fuzzRuns(),
): Promise<FuzzStats> {
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
  const stats: FuzzStats = {
    target,
    surface,
    iterations: 0,
    accepted: 0,
    rejected: {},
    nonConfigErrors: {},
    maxMs: 0,
    maxMsInputBytes: 0,
    maxHeapDeltaBytes: 0,
    maxAmplification: 0,
    maxAmplificationNodes: 0,
    maxAmplificationBytes: 0,
    poisonings: 0,
    seed,
  };
  let shrinking = false;
  const property = fc.asyncProperty(arb, async (input) => {
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    let outcome: Outcome | undefined;
    let failure: unknown;
    try {
      outcome = await run(input);
    } catch (err) {
      failure = err;
    }
    const ms = performance.now() - t0;
    const heap = process.memoryUsage().heapUsed - heap0;
    if (!shrinking) {
      stats.iterations++;
      if (ms > stats.maxMs) {
        stats.maxMs = ms;
        stats.maxMsInputBytes = outcome?.bytes ?? -1;
      }
      if (heap > stats.maxHeapDeltaBytes) stats.maxHeapDeltaBytes = heap;
    }
    try {
      assertNoPoisoning(PROTOTYPES_ONLY);
    } catch (poisoned) {
      restoreGlobals(PROTOTYPES_ONLY);
      if (!shrinking) stats.poisonings++;
      shrinking = true;
      throw poisoned;
    }
    if (failure !== undefined) {
      if (failure instanceof ConfigError) {
        if (!shrinking) stats.rejected[failure.code] = (stats.rejected[failure.code] ?? 0) + 1;
      } else {
        const name = failure instanceof Error ? failure.constructor.name : typeof failure;
        if (!shrinking) stats.nonConfigErrors[name] = (stats.nonConfigErrors[name] ?? 0) + 1;
        shrinking = true;
        throw new UnexpectedThrow(`${target}: non-ConfigError ${name}: ${failure instanceof Error ? failure.message : String(failure)}`, { cause: failure });
      }
    } else if (outcome && !shrinking) {
      stats.accepted++;
      if (outcome.nodes !== undefined && outcome.bytes >= 16) {
        const ratio = outcome.nodes / outcome.bytes;
        if (ratio > stats.maxAmplification) {
          stats.maxAmplification = ratio;
          stats.maxAmplificationNodes = outcome.nodes;
          stats.maxAmplificationBytes = outcome.bytes;
        }
      }
    }
    if (ms > HANG_MS) {
      shrinking = true;
      throw new Error(`${target}: one input took ${ms.toFixed(0)} ms (hang detector: ${HANG_MS} ms)`);
    }
  });
  try {
    await fc.assert(property, { numRuns, seed, endOnFailure: false });
  } finally {
    // A whole-global check once per target (covers more roots than the per-case check). Vitest's
    // own bookkeeping globals and Node's lazily materialised globals change by design.
    assertNoPoisoning(RUNNER_GLOBALS);
    writeStats(stats);
  }
  return stats;
}

/** Writes one JSON result file for the report (`.reliability/<name>.json`). */
export function writeResult(name: string, data: unknown): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(`${RESULTS_DIR}${name}.json`, `${JSON.stringify(data, null, 2)}\n`);
}

function writeStats(stats: FuzzStats): void {
  writeResult(`fuzz-${stats.target}`, stats);
}
