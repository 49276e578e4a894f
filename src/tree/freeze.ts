/**
 * Deep freeze of plain data trees (the Config snapshot is immutable).
 */
import { ConfigError, ErrorCode } from '../foundation/errors.js';
import { isLeafObject } from './datetime.js';
import { isForbiddenSegment } from './path.js';

/** Freezes `value` and everything under it, in place; returns it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (Array.isArray(value)) for (const v of value) deepFreeze(v);
    else for (const k of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[k]);
  }
  return value;
}

/**
 * deepFreeze for a tree confstack did not build itself: a schema's output. A transform can add
 * own `__proto__`/`constructor`/`prototype` keys that the sources could never carry; a snapshot
 * holding one would hand the prototype trap to every consumer that copies it. One walk checks
 * and freezes. Subtrees the schema already froze are checked too (each object once, so shared
 * or cyclic output terminates).
 * @throws ConfigError forbidden_key naming the key path
 */
export function freezeChecked<T>(value: T, op: string): T {
  walkChecked(value, op, [], new Set());
  return value;
}

function walkChecked(value: unknown, op: string, path: string[], seen: Set<object>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (!Object.isFrozen(value)) Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(String(i));
      walkChecked(value[i], op, path, seen);
      path.pop();
    }
    return;
  }
  for (const k of Object.keys(value)) {
    path.push(k);
    if (isForbiddenSegment(k)) {
      throw new ConfigError({ op, code: ErrorCode.ForbiddenKey, message: `the schema's output holds the key "${k}", which is not allowed`, location: { key: path.join('.') } });
    }
    walkChecked((value as Record<string, unknown>)[k], op, path, seen);
    path.pop();
  }
}

/** A mutable deep copy of a plain data tree (for `toObject`, `unmarshalKey`). */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (isLeafObject(value)) return value; // immutable: shared, not copied
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // Snapshot trees never hold forbidden keys (the merge rejects them), so assignment is safe.
    for (const k of Object.keys(value)) out[k] = deepCopy((value as Record<string, unknown>)[k]);
    return out as T;
  }
  return value;
}
