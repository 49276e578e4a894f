/**
 * A schema's defaults applied without validating (`loadConfig({ validate: false, setDefaults: true })`),
 * as the Go package does: the `default`s of the JSON Schema the schema offers (Standard JSON
 * Schema `~standard.jsonSchema`, which zod 4 and the framework preset implement). A schema that
 * offers none leaves the tree as it is. Never validates, never throws
 * for a value the schema would reject: defaults fill absent keys, nothing else changes.
 */
import { jsonSchemaOf } from './json-schema/of-schema.js';
import { deref, isJson, own, type Json } from './json-schema/walk.js';
import type { StandardSchemaV1 } from '../foundation/standard-schema.js';

/**
 * A copy of `value` with the defaults of `schema` filled in where keys are absent (no schema: the
 * value as it is). `value` is never mutated.
 */
export function applySchemaDefaults(schema: StandardSchemaV1 | undefined, value: unknown): unknown {
  if (schema === undefined) return value;
  // The schema's JSON Schema (memoised, shared with secret marks, env coercion and diagnostics).
  const json = jsonSchemaOf(schema);
  return json ? fill(json as Json, json, value, { steps: 100_000 }) : value;
}

/** The object schemas a node stands for: itself, and the members of allOf/anyOf/oneOf (nullable wrappers). */
function branches(root: Json, node: Json): Json[] {
  const out = [node];
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const list = own(node, k);
    if (Array.isArray(list)) for (const m of list) {
      const d = deref(root, m);
      if (d) out.push(d);
    }
  }
  return out;
}

function fill(root: Json, schemaNode: unknown, value: unknown, budget: { steps: number }): unknown {
  if (--budget.steps < 0) return value;
  const node = deref(root, schemaNode);
  if (!node) return value;
  if (Array.isArray(value)) {
    const items = branches(root, node).map((b) => own(b, 'items')).find(isJson);
    return items ? value.map((v) => fill(root, items, v, budget)) : value;
  }
  if (!isJson(value)) return value;
  let out: Json | undefined;
  for (const b of branches(root, node)) {
    const props = own(b, 'properties');
    if (!isJson(props)) continue;
    for (const [key, propSchema] of Object.entries(props)) {
      const current = out ?? value;
      const has = Object.prototype.hasOwnProperty.call(current, key);
      const p = deref(root, propSchema);
      if (!p) continue;
      let next: unknown;
      if (!has) {
        const d = branches(root, p).map((x) => own(x, 'default')).find((x) => x !== undefined);
        if (d === undefined) continue;
        // A default that is an object gets its own nested defaults too.
        next = fill(root, p, structuredClone(d), budget);
      } else {
        next = fill(root, p, current[key], budget);
        if (next === current[key]) continue;
      }
      out ??= { ...value };
      out[key] = next;
    }
  }
  return out ?? value;
}
