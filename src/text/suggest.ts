/**
 * "Did you mean": the known names closest to a mistyped one. The one rule for every suggestion
 * confstack makes (CLI commands and options, registry provider types):
 * - distance is optimal string alignment (Levenshtein plus swaps of neighbours, so `etdc` is one
 *   edit from `etcd`), ignoring case (`PRINT` is a typo of `print`);
 * - a name is near when it is at most 3 edits away and those edits touch less than 60% of the
 *   longer name (more than 40% of it survives: `xyz` is not a typo of `get`);
 * - only the nearest names are offered (all that tie, alphabetical), at most `max`.
 * (The thresholds are commander's, whose "(Did you mean …?)" the CLI's messages follow.)
 * Imports nothing.
 */

/** A mistyped name longer than this is not a typo of a short name; bounds the O(n·m) work on hostile input. */
const MAX_PROBE = 128;
const MAX_EDITS = 3;
const MIN_KEPT = 0.4;

/** Edit distance with adjacent transpositions (optimal string alignment), case-insensitive. */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: two back for transpositions.
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/** The names of `known` nearest to `name` by the rule above (none when nothing is near), alphabetical. */
export function closestNames(name: string, known: Iterable<string>, max = 3): string[] {
  const probe = name.slice(0, MAX_PROBE);
  let best = MAX_EDITS;
  let nearest: string[] = [];
  for (const candidate of known) {
    const d = editDistance(probe, candidate);
    const length = Math.max(probe.length, candidate.length);
    if (length === 0 || d > best || (length - d) / length <= MIN_KEPT) continue;
    if (d < best) nearest = [];
    best = d;
    nearest.push(candidate);
  }
  return nearest.sort().slice(0, max);
}
