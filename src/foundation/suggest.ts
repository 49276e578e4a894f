/**
 * "Did you mean": the known names closest to a mistyped one. The one rule for every suggestion
 * confstack makes (CLI commands and options, project-file options, registry provider types, env
 * variable near-misses):
 * - distance is optimal string alignment (Levenshtein plus swaps of neighbours, so `etdc` is one
 *   edit from `etcd`), ignoring case (`PRINT` is a typo of `print`);
 * - a name is near when at most a third of the longer name is edited (at least one edit:
 *   `hsot` → `host`, but not `port` → `host`), or when it is the other with something added at
 *   one end (`no-json` → `json`, `etc` → `etcd`; names of 2 letters or more);
 * - only the nearest names are offered (all that tie, alphabetical), at most `max`.
 * Imports nothing.
 */

/** A mistyped name longer than this is not a typo of a short name; bounds the O(n·m) work on hostile input. */
const MAX_PROBE = 128;

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

/** The most edits that still make one of `a`, `b` a typo of the other: a third of the longer, at least 1. */
export function editLimit(a: string, b: string): number {
  return Math.max(1, Math.floor(Math.max(a.length, b.length) / 3));
}

/** One name is the other with something added at the start or end (case-insensitive). */
function extendsName(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a.toLowerCase(), b.toLowerCase()] : [b.toLowerCase(), a.toLowerCase()];
  return short.length >= 2 && short.length < long.length && (long.startsWith(short) || long.endsWith(short));
}

/** The names of `known` nearest to `name` by the rule above (none when nothing is near), alphabetical. */
export function closestNames(name: string, known: Iterable<string>, max = 3): string[] {
  const probe = name.slice(0, MAX_PROBE);
  if (probe.length === 0) return [];
  let best = Infinity;
  let nearest: string[] = [];
  for (const candidate of known) {
    const d = editDistance(probe, candidate);
    if (d > best || (d > editLimit(probe, candidate) && !extendsName(probe, candidate))) continue;
    if (d < best) nearest = [];
    best = d;
    nearest.push(candidate);
  }
  return nearest.sort().slice(0, max);
}
