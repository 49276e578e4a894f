/**
 * "Did you mean": the registered names closest to a mistyped one, by optimal-string-alignment
 * distance (Levenshtein plus adjacent transpositions, so `etdc` is one edit from `etcd`).
 */

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

/**
 * Up to `max` names from `known` close enough to `name` to be a likely typo, closest first (ties
 * alphabetical). "Close enough": at most a third of the longer name's length in edits (at least 1),
 * or one name is a prefix of the other (`yml` → `yaml` is caught by distance; `etc` → `etcd` by both).
 */
export function closestNames(name: string, known: Iterable<string>, max = 3): string[] {
  // Bound the work on hostile input: a name longer than this is not a typo of a type name.
  const probe = name.slice(0, 128);
  const scored: { n: string; d: number }[] = [];
  for (const n of known) {
    const d = editDistance(probe, n);
    const limit = Math.max(1, Math.floor(Math.max(probe.length, n.length) / 3));
    const lower = probe.toLowerCase();
    if (d <= limit || (lower.length >= 2 && (n.startsWith(lower) || lower.startsWith(n)))) scored.push({ n, d });
  }
  scored.sort((x, y) => x.d - y.d || (x.n < y.n ? -1 : x.n > y.n ? 1 : 0));
  return scored.slice(0, max).map((s) => s.n);
}
