/**
 * Iteration counts for the property tests: `PROPERTY_RUNS`, else a tenth of `FUZZ_RUNS` (the
 * long `npm run fuzz` campaign), else the PR-sized default.
 */
export function propertyRuns(defaultRuns: number): number {
  const explicit = Number(process.env.PROPERTY_RUNS);
  if (Number.isFinite(explicit) && explicit > 0) return Math.floor(explicit);
  const fuzz = Number(process.env.FUZZ_RUNS);
  if (Number.isFinite(fuzz) && fuzz > 0) return Math.max(defaultRuns, Math.floor(fuzz / 10));
  return defaultRuns;
}

/** A vitest timeout for a test running `runs` property cases (long campaigns outlast the default). */
export function propertyTimeout(runs: number): number {
  return 30_000 + runs * 20;
}
