/**
 * Deep freeze of plain data trees (the Config snapshot is immutable).
 */

/** Freezes `value` and everything under it, in place; returns it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (Array.isArray(value)) for (const v of value) deepFreeze(v);
    else for (const k of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[k]);
  }
  return value;
}

/** A mutable deep copy of a plain data tree (for `toObject`, `unmarshalKey`). */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // Snapshot trees never hold forbidden keys (the merge rejects them), so assignment is safe.
    for (const k of Object.keys(value)) out[k] = deepCopy((value as Record<string, unknown>)[k]);
    return out as T;
  }
  return value;
}
