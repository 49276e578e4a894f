/**
 * A schema's defaults applied without validating (`loadConfig({ validate: false, setDefaults: true })`),
 * as the Go package does: the `default`s of the JSON Schema the schema offers (Standard JSON
 * Schema `~standard.jsonSchema`, which zod 4 and the framework preset implement). A schema that
 * offers none leaves the tree as it is. Never validates, never throws
 * for a value the schema would reject: defaults fill absent keys, nothing else changes.
 */
import { jsonSchemaConverterOf, type StandardSchemaV1 } from './standard-schema.js';

type Json = Record<string, unknown>;

function isJson(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function own(obj: Json, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/**
 * A copy of `value` with the defaults of `schema` filled in where keys are absent (no schema: the
 * value as it is). `value` is never mutated.
 */
export function applySchemaDefaults(schema: StandardSchemaV1 | undefined, value: unknown): unknown {
  if (schema === undefined) return value;
  const converter = jsonSchemaConverterOf(schema);
  if (!converter) return value;
  for (const target of ['draft-2020-12', 'draft-07'] as const) {
    let json: unknown;
    try {
      json = converter.input({ target, libraryOptions: { unrepresentable: 'any' } });
    } catch {
      continue; // a converter may support only one target
    }
    if (!isJson(json)) return value;
    return fill(json, json, value, { steps: 100_000 });
  }
  return value;
}

/** Resolves local `$ref`s (`#`, `#/$defs/x`); undefined for anything else. */
function deref(root: Json, node: unknown): Json | undefined {
  for (let hops = 0; hops < 32; hops++) {
    if (!isJson(node)) return undefined;
    const ref = own(node, '$ref');
    if (typeof ref !== 'string') return node;
    if (ref !== '#' && !ref.startsWith('#/')) return undefined;
    let target: unknown = root;
    for (const raw of ref === '#' ? [] : ref.slice(2).split('/')) {
      const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      target = isJson(target) ? own(target, part) : undefined;
    }
    node = target;
  }
  return undefined;
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
