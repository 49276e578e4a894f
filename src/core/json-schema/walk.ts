/**
 * Walking a JSON Schema document (draft 2020-12 or 07, as zod and other converters emit it): the
 * node that describes a key path, through `properties` (exact, then case-insensitive),
 * `patternProperties`, `additionalProperties`, `items`/`prefixItems` (any segment under an array
 * is the item), `anyOf`/`oneOf`/`allOf` and local `$ref`s; and the value kind there (env
 * coercion). Pure functions on plain data, bounded on hostile documents (steps, `$ref` hops).
 * Imports only the ValueKind type.
 */
import type { ValueKind } from '../../providers/provider.js';

/** Answers the value kind a schema expects at a key path; under a list, any segment is "the item". */
export type TypeAt = (segments: readonly string[]) => ValueKind | undefined;

export type Json = Record<string, unknown>;

export function isJson(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function own(obj: Json, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/**
 * A TypeAt over a JSON Schema document: walks `properties` (exact, then case-insensitive),
 * `patternProperties`, `additionalProperties`, `items`/`prefixItems` (any segment under an array
 * is the item), `anyOf`/`oneOf`/`allOf` (nullable and default wrappers) and local `$ref`s.
 * Returns undefined if `jsonSchema` is not an object.
 */
export function typeAtFromJsonSchema(jsonSchema: unknown): TypeAt | undefined {
  if (!isJson(jsonSchema)) return undefined;
  const root = jsonSchema;
  const cache = new Map<string, ValueKind | undefined>();
  return (segments) => {
    const key = JSON.stringify(segments); // unambiguous: a join would give [] and [''] one key
    if (cache.has(key)) return cache.get(key);
    const kind = kindAt(root, root, segments, 0, { steps: 10_000 });
    if (cache.size < 10_000) cache.set(key, kind);
    return kind;
  };
}

export function deref(root: Json, node: unknown): Json | undefined {
  for (let hops = 0; hops < 32; hops++) {
    if (!isJson(node)) return undefined;
    const ref = own(node, '$ref');
    if (typeof ref !== 'string') return node;
    if (ref === '#') {
      node = root;
      continue;
    }
    if (!ref.startsWith('#/')) return undefined;
    let target: unknown = root;
    for (const raw of ref.slice(2).split('/')) {
      const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      target = isJson(target) ? own(target, part) : Array.isArray(target) ? target[Number(part)] : undefined;
    }
    node = target;
  }
  return undefined;
}

export const COMBINATORS = ['anyOf', 'oneOf', 'allOf'] as const;

function kindAt(root: Json, raw: unknown, segments: readonly string[], i: number, budget: { steps: number }): ValueKind | undefined {
  if (--budget.steps < 0) return undefined;
  const node = deref(root, raw);
  if (!node) return undefined;
  if (i === segments.length) return kindOf(root, node, budget);
  const child = childOf(node, segments[i]!);
  if (child !== undefined) {
    const k = kindAt(root, child, segments, i + 1, budget);
    if (k !== undefined) return k;
  }
  for (const c of COMBINATORS) {
    const branches = own(node, c);
    if (!Array.isArray(branches)) continue;
    for (const b of branches) {
      const k = kindAt(root, b, segments, i, budget);
      if (k !== undefined) return k;
    }
  }
  return undefined;
}

const KINDS: Readonly<Record<string, ValueKind>> = {
  string: 'string',
  number: 'number',
  integer: 'integer',
  boolean: 'boolean',
  array: 'array',
  object: 'object',
};

function kindOfType(t: unknown): ValueKind | undefined {
  if (typeof t === 'string') return Object.prototype.hasOwnProperty.call(KINDS, t) ? KINDS[t] : undefined;
  if (Array.isArray(t)) {
    for (const x of t) {
      const k = kindOfType(x);
      if (k !== undefined) return k;
    }
  }
  return undefined;
}

function kindOfConst(v: unknown): ValueKind | undefined {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (Array.isArray(v)) return 'array';
  if (isJson(v)) return 'object';
  return undefined;
}

function kindOf(root: Json, node: Json, budget: { steps: number }): ValueKind | undefined {
  const k = kindOfType(own(node, 'type'));
  if (k !== undefined) return k;
  for (const c of COMBINATORS) {
    const branches = own(node, c);
    if (!Array.isArray(branches)) continue;
    for (const b of branches) {
      if (--budget.steps < 0) return undefined;
      const n = deref(root, b);
      const bk = n ? kindOf(root, n, budget) : undefined;
      if (bk !== undefined) return bk;
    }
  }
  if (own(node, 'const') !== undefined) return kindOfConst(own(node, 'const'));
  const e = own(node, 'enum');
  if (Array.isArray(e)) for (const v of e) {
    const ek = kindOfConst(v);
    if (ek !== undefined) return ek;
  }
  if (isJson(own(node, 'properties'))) return 'object';
  if (own(node, 'items') !== undefined || Array.isArray(own(node, 'prefixItems'))) return 'array';
  return undefined;
}

export function isArraySchema(node: Json): boolean {
  const t = own(node, 'type');
  return t === 'array' || (Array.isArray(t) && t.includes('array')) || isJson(own(node, 'items')) || Array.isArray(own(node, 'prefixItems'));
}

export function childOf(node: Json, seg: string): unknown {
  if (isArraySchema(node)) {
    const prefix = own(node, 'prefixItems');
    if (Array.isArray(prefix) && /^\d+$/.test(seg) && Number(seg) < prefix.length) return prefix[Number(seg)];
    const items = own(node, 'items');
    return isJson(items) ? items : undefined;
  }
  const props = own(node, 'properties');
  if (isJson(props)) {
    const exact = own(props, seg);
    if (exact !== undefined) return exact;
    const lower = seg.toLowerCase();
    for (const k of Object.keys(props)) if (k.toLowerCase() === lower) return props[k];
  }
  const patterns = own(node, 'patternProperties');
  if (isJson(patterns)) {
    for (const [pattern, sub] of Object.entries(patterns)) {
      try {
        if (new RegExp(pattern, 'u').test(seg)) return sub;
      } catch {
        // an invalid pattern matches nothing
      }
    }
  }
  const additional = own(node, 'additionalProperties');
  return isJson(additional) ? additional : undefined;
}

/**
 * How far a key path is declared by a JSON Schema: `depth` is the number of leading segments the
 * schema names, `declared` whether all of them are. Stricter than childOf: an object that lists
 * `properties` and allows any other key (`additionalProperties: {}` or `true`, zod's
 * `looseObject`) does not declare the other keys; an object without `properties` (a record, or
 * no shape at all) declares every key, and so does a node with no type (anything may be below).
 * Under a list any segment is the item (an index, or the name of a named item).
 */
export function declaredDepth(root: Json, segments: readonly string[]): { declared: boolean; depth: number } {
  const budget = { steps: 10_000 };
  const depth = declaredFrom(root, root, segments, 0, budget);
  return { declared: depth === segments.length, depth };
}

function declaredFrom(root: Json, raw: unknown, segments: readonly string[], i: number, budget: { steps: number }): number {
  if (--budget.steps < 0) return segments.length; // out of budget: do not accuse
  const node = deref(root, raw);
  if (!node) return i;
  if (i === segments.length) return i;
  let best = i;
  let shaped = false;
  for (const c of COMBINATORS) {
    const branches = own(node, c);
    if (!Array.isArray(branches)) continue;
    shaped = true;
    for (const b of branches) best = Math.max(best, declaredFrom(root, b, segments, i, budget));
    if (best === segments.length) return best;
  }
  const seg = segments[i]!;
  if (isArraySchema(node)) {
    const child = childOf(node, seg);
    return child === undefined ? segments.length : Math.max(best, declaredFrom(root, child, segments, i + 1, budget));
  }
  const props = own(node, 'properties');
  const patterns = own(node, 'patternProperties');
  const additional = own(node, 'additionalProperties');
  // An object with no declared keys (`looseObject({})`) is shapeless, like a record of anything.
  if ((isJson(props) && Object.keys(props).length > 0) || isJson(patterns)) {
    shaped = true;
    const child = childOf({ ...(isJson(props) ? { properties: props } : {}), ...(isJson(patterns) ? { patternProperties: patterns } : {}) }, seg);
    if (child !== undefined) return Math.max(best, declaredFrom(root, child, segments, i + 1, budget));
    // A record with a value schema (`additionalProperties: {type: …}`) declares every key.
    if (isJson(additional) && Object.keys(additional).length > 0) return Math.max(best, declaredFrom(root, additional, segments, i + 1, budget));
    return best;
  }
  if (isJson(additional) && Object.keys(additional).length > 0) return Math.max(best, declaredFrom(root, additional, segments, i + 1, budget));
  if (additional === false) return best;
  const type = own(node, 'type');
  const scalar = typeof type === 'string' ? type !== 'object' : Array.isArray(type) ? !type.includes('object') : false;
  if (scalar || own(node, 'enum') !== undefined || own(node, 'const') !== undefined) return best;
  // No shape below here (a free-form object or `{}`): any key may be there.
  return shaped ? best : segments.length;
}
