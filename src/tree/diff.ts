/**
 * changedKeys(): which key paths differ between two config trees. Used by live reload to decide
 * whether a reload changed anything (a touch or an identical rewrite changes nothing) and to tell
 * `change` listeners what moved. Pure; imports only tree/path.ts.
 */
import { joinPath } from './path.js';

/**
 * The canonical key paths that differ between `prev` and `next`, sorted.
 *
 * Semantics:
 * - Every **leaf** that was added, removed or changed is listed (`server.port`, `llm_providers.0.model`).
 *   Leaves are scalars (string, number, boolean, null, bigint), non-plain objects such as dates
 *   (compared by type and value), and **empty** objects or arrays.
 * - A **container** (a non-empty object or array) is listed only when it appears, disappears or
 *   changes kind (object ↔ array ↔ scalar) — and then its leaves are listed as well, so
 *   `changedKeys.includes('server.port')` works whether `server` was edited or added whole.
 *   Unchanged containers whose contents changed are not listed.
 * - Arrays are compared index by index (`list.2` added when a list grows). A reordered list lists
 *   every index whose value moved.
 * - Numbers compare with `Object.is` except that `0` equals `-0`; `NaN` equals `NaN`.
 * - An empty result means the trees are equal as config values.
 *
 * @example
 * changedKeys({ a: 1, b: { c: 2 } }, { a: 1, b: { c: 3 }, d: [1] }) // ['b.c', 'd', 'd.0']
 */
export function changedKeys(prev: unknown, next: unknown): string[] {
  const out: string[] = [];
  diffNode(prev, next, '', out);
  // An object replaced by an array can name the same child path twice (`{0: x}` → `[y]`).
  return [...new Set(out)].sort();
}

type Kind = 'object' | 'array' | 'leaf';

function kindOf(v: unknown): Kind {
  if (Array.isArray(v)) return v.length === 0 ? 'leaf' : 'array';
  if (isPlainRecord(v)) return hasOwnKeys(v) ? 'object' : 'leaf';
  return 'leaf';
}

/** Both sides are present at `path` (a present key may still hold `undefined`: a leaf). */
function diffNode(a: unknown, b: unknown, path: string, out: string[]): void {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'leaf' && kb === 'leaf') {
    if (!leafEqual(a, b)) out.push(path);
    return;
  }
  if (ka === kb) {
    // Both objects or both arrays: recurse over the union of children.
    if (ka === 'array') {
      const la = a as unknown[];
      const lb = b as unknown[];
      const n = Math.max(la.length, lb.length);
      for (let i = 0; i < n; i++) diffChild(la, lb, i, la.length, lb.length, path, out);
    } else {
      const ra = a as Record<string, unknown>;
      const rb = b as Record<string, unknown>;
      for (const k of Object.keys(ra)) diffKey(ra, rb, k, path, out);
      for (const k of Object.keys(rb)) if (!hasOwn(ra, k)) diffKey(ra, rb, k, path, out);
    }
    return;
  }
  // Kinds differ: a container appeared, disappeared or changed kind (or a leaf became one).
  if (path !== '') out.push(path);
  if (ka !== 'leaf') listLeaves(a, path, out);
  if (kb !== 'leaf') listLeaves(b, path, out);
}

function diffChild(la: unknown[], lb: unknown[], i: number, na: number, nb: number, path: string, out: string[]): void {
  const p = joinPath(path, i);
  const inA = i < na;
  const inB = i < nb;
  if (inA && inB) diffNode(la[i], lb[i], p, out);
  else if (inA) removedOrAdded(la[i], p, out);
  else removedOrAdded(lb[i], p, out);
}

function diffKey(ra: Record<string, unknown>, rb: Record<string, unknown>, k: string, path: string, out: string[]): void {
  const p = joinPath(path, k);
  const inA = hasOwn(ra, k);
  const inB = hasOwn(rb, k);
  if (inA && inB) diffNode(ra[k], rb[k], p, out);
  else if (inA) removedOrAdded(ra[k], p, out);
  else removedOrAdded(rb[k], p, out);
}

/** A node present on one side only: list it, and its leaves when it is a container. */
function removedOrAdded(v: unknown, path: string, out: string[]): void {
  out.push(path);
  if (kindOf(v) !== 'leaf') listLeaves(v, path, out);
}

/** Pushes every descendant path of a container (containers and leaves), excluding `path` itself. */
function listLeaves(v: unknown, path: string, out: string[]): void {
  // Iterative so a deep tree cannot overflow the stack (depth is also capped by Limits).
  const stack: [unknown, string][] = [[v, path]];
  while (stack.length > 0) {
    const [node, p] = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const cp = joinPath(p, i);
        out.push(cp);
        stack.push([node[i], cp]);
      }
    } else if (isPlainRecord(node)) {
      for (const k of Object.keys(node)) {
        const cp = joinPath(p, k);
        out.push(cp);
        stack.push([node[k], cp]);
      }
    }
  }
}

function leafEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true; // also 0 === -0
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  // Empty containers of the same kind.
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === 0 && b.length === 0;
  if (isPlainRecord(a) || isPlainRecord(b)) return isPlainRecord(a) && isPlainRecord(b) && !hasOwnKeys(a) && !hasOwnKeys(b);
  // Non-plain objects (dates, TOML datetimes, typed arrays): same prototype and same value.
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime()) && String(a) === String(b);
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    return x.length === y.length && x.every((byte, i) => byte === y[i]);
  }
  return String(a) === String(b);
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function hasOwnKeys(r: Record<string, unknown>): boolean {
  return Object.keys(r).length > 0;
}

function hasOwn(r: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(r, k);
}
