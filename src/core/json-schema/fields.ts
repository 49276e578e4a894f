/**
 * The fields a JSON Schema declares, as a flat list: every key path (dotted, `*` for a list item
 * or a record key) with its type, default, whether it is required, its description and whether
 * it is secret (`"secret": true` on it or on an enclosing field: zod `.meta({ secret: true })`,
 * valibot `v.metadata({ secret: true })` through a JSON Schema converter). Feeds the reference
 * docs, the `.env.example`, secret redaction and the env diagnostics' suggestions.
 * Pure and bounded (fields, depth, `$ref` hops); imports only the walker.
 */
import type { StandardSchemaV1 } from '../../foundation/standard-schema.js';
import { jsonSchemaOf } from './of-schema.js';
import { COMBINATORS, deref, isArraySchema, isJson, own, type Json } from './walk.js';

/** One field of a schema. */
export interface SchemaField {
  /** Dotted key path; `*` stands for any list item (a named item's name, or an index) or record key. */
  readonly path: string;
  /** A short type for humans: `string`, `integer`, `"debug" | "info"`, `list of object`, `map of boolean`. */
  readonly type: string;
  /** True if the parent object requires the key (a key with a default is optional). */
  readonly required: boolean;
  /** True if the schema gives a default (then `default` holds it). */
  readonly hasDefault: boolean;
  readonly default?: unknown;
  readonly description?: string;
  /** Marked `"secret": true` (on this field or an enclosing one). */
  readonly secret: boolean;
  /** True for a field with no declared fields below it (what an env var sets as one value). */
  readonly leaf: boolean;
}

/** Bounds of schemaFields. */
export interface SchemaFieldsOptions {
  /** Default 5,000. */
  maxFields?: number;
  /** Default 24 segments. */
  maxDepth?: number;
}

interface Shape {
  props: Map<string, { node: unknown; required: boolean }>;
  items?: unknown;
  record?: unknown;
  types: Set<string>;
  enumValues: unknown[];
  nullable: boolean;
  description?: string;
  hasDefault: boolean;
  default?: unknown;
  secret: boolean;
}

/** Collects what a node and its combinator branches say, following `$ref`s. */
function shapeOf(root: Json, raw: unknown, budget: { steps: number }): Shape {
  const shape: Shape = { props: new Map(), types: new Set(), enumValues: [], nullable: false, hasDefault: false, secret: false };
  const visit = (n: unknown, depth: number, inRequired: boolean): void => {
    if (--budget.steps < 0 || depth > 8) return;
    const node = deref(root, n);
    if (!node) return;
    if (own(node, 'secret') === true) shape.secret = true;
    const d = own(node, 'description');
    if (typeof d === 'string' && shape.description === undefined) shape.description = d;
    if (Object.hasOwn(node, 'default') && !shape.hasDefault) {
      shape.hasDefault = true;
      shape.default = node.default;
    }
    const t = own(node, 'type');
    for (const x of Array.isArray(t) ? t : [t]) if (typeof x === 'string') (x === 'null' ? (shape.nullable = true) : shape.types.add(x));
    const e = own(node, 'enum');
    if (Array.isArray(e)) for (const v of e) (v === null ? (shape.nullable = true) : shape.enumValues.push(v));
    if (Object.hasOwn(node, 'const')) shape.enumValues.push(node.const);
    const props = own(node, 'properties');
    const required = new Set(Array.isArray(own(node, 'required')) ? (own(node, 'required') as unknown[]).filter((k): k is string => typeof k === 'string') : []);
    if (isJson(props)) {
      shape.types.add('object');
      for (const k of Object.keys(props)) {
        const prev = shape.props.get(k);
        shape.props.set(k, { node: prev ? { allOf: [prev.node, props[k]] } : props[k], required: (prev?.required ?? false) || (inRequired && required.has(k)) });
      }
    }
    if (isArraySchema(node)) {
      shape.types.add('array');
      const items = own(node, 'items');
      if (isJson(items)) shape.items ??= items;
    }
    const additional = own(node, 'additionalProperties');
    if (isJson(additional) && Object.keys(additional).length > 0 && !isJson(props)) {
      shape.types.add('object');
      shape.record ??= additional;
    }
    for (const c of COMBINATORS) {
      const branches = own(node, c);
      // A key is required only if every branch of a union requires it; allOf keeps requirements.
      if (Array.isArray(branches)) for (const b of branches) visit(b, depth + 1, c === 'allOf' ? inRequired : false);
    }
  };
  visit(raw, 0, true);
  return shape;
}

function hasFields(shape: Shape): boolean {
  return shape.props.size > 0 || shape.record !== undefined || shape.items !== undefined;
}

function typeText(root: Json, shape: Shape, budget: { steps: number }): string {
  let text: string;
  if (shape.enumValues.length > 0) text = shape.enumValues.slice(0, 12).map((v) => JSON.stringify(v)).join(' | ') + (shape.enumValues.length > 12 ? ' | …' : '');
  else if (shape.types.has('array')) {
    const item = shape.items !== undefined ? typeText(root, shapeOf(root, shape.items, budget), budget) : 'any';
    text = `list of ${item}`;
  } else if (shape.record !== undefined && shape.props.size === 0) text = `map of ${typeText(root, shapeOf(root, shape.record, budget), budget)}`;
  else if (shape.types.size > 0) text = [...shape.types].join(' | ');
  else text = 'any';
  return shape.nullable ? `${text} | null` : text;
}

/**
 * Every field `jsonSchema` declares, depth first in declaration order, with `*` for list items
 * and record keys. Returns `truncated: true` when a bound cut the list short.
 * @example
 * schemaFields(z.toJSONSchema(AppSchema)).fields.map((f) => f.path) // ['server', 'server.port', …]
 */
export function schemaFields(jsonSchema: unknown, options: SchemaFieldsOptions = {}): { fields: SchemaField[]; truncated: boolean } {
  const maxFields = options.maxFields ?? 5_000;
  const maxDepth = options.maxDepth ?? 24;
  const fields: SchemaField[] = [];
  if (!isJson(jsonSchema)) return { fields, truncated: false };
  const root = jsonSchema;
  const budget = { steps: 200_000 };
  let truncated = false;
  const walk = (shape: Shape, path: string, depth: number, secret: boolean, onPath: Set<unknown>): void => {
    const children: [string, Shape, boolean][] = [];
    for (const [k, { node, required }] of shape.props) children.push([k, shapeOf(root, node, budget), required]);
    if (shape.items !== undefined) {
      // Only a list of objects (or lists) has fields below it; a list of scalars is one value.
      const item = shapeOf(root, shape.items, budget);
      if (hasFields(item)) children.push(['*', item, false]);
    } else if (shape.record !== undefined) children.push(['*', shapeOf(root, shape.record, budget), false]);
    for (const [k, child, required] of children) {
      if (fields.length >= maxFields || depth >= maxDepth || budget.steps < 0) {
        truncated = true;
        return;
      }
      const childPath = path === '' ? k : `${path}.${k}`;
      const childSecret = secret || child.secret;
      const isContainer = child.props.size > 0 || child.record !== undefined || (child.items !== undefined && hasFields(shapeOf(root, child.items, budget)));
      // A field inside a list (`*`) that is itself only the list item is not listed on its own.
      if (k !== '*' || !isContainer) {
        fields.push({
          path: childPath,
          type: typeText(root, child, budget),
          required,
          hasDefault: child.hasDefault,
          ...(child.hasDefault ? { default: child.default } : {}),
          ...(child.description !== undefined ? { description: child.description } : {}),
          secret: childSecret,
          leaf: !isContainer,
        });
      }
      // Recursive schemas ($ref to an ancestor) stop at the first repeat.
      const key = child.props.size > 0 ? [...child.props.values()][0]!.node : child.items ?? child.record;
      if (isContainer && !onPath.has(key)) walk(child, childPath, depth + 1, childSecret, new Set(onPath).add(key));
    }
  };
  walk(shapeOf(root, root, budget), '', 0, false, new Set());
  return { fields, truncated };
}

/**
 * The key paths a JSON Schema marks secret (`"secret": true`), as dotted patterns with `*` for
 * list items and record keys (`db.url`, `llm_providers.*.api_key`); a marked object covers
 * everything below it, so only the outermost mark is listed.
 */
export function secretPatterns(jsonSchema: unknown): Set<string> {
  const out = new Set<string>();
  for (const f of schemaFields(jsonSchema).fields) {
    if (!f.secret) continue;
    const covered = [...out].some((p) => f.path.startsWith(`${p}.`));
    if (!covered) out.add(f.path);
  }
  return out;
}

const NO_SECRETS: ReadonlySet<string> = new Set();
const secretMemo = new WeakMap<object, ReadonlySet<string>>();

/**
 * The key paths a schema marks secret, as secretPatterns gives them (memoised per schema): its
 * own list when it declares one (`'~confstack'.secretPaths`, which saves walking its JSON Schema
 * on a first load: the framework preset's is generated), else from its JSON Schema. Empty for a
 * schema that offers neither; never throws.
 */
export function secretPathsOf(schema: StandardSchemaV1 | undefined): ReadonlySet<string> {
  if (schema === undefined || schema === null || (typeof schema !== 'object' && typeof schema !== 'function')) return NO_SECRETS;
  let set = secretMemo.get(schema);
  if (set === undefined) {
    const declared = declaredSecretPaths(schema);
    const json = declared === undefined ? jsonSchemaOf(schema) : undefined;
    set = declared ?? (json ? secretPatterns(json) : NO_SECRETS);
    secretMemo.set(schema, set);
  }
  return set;
}

function declaredSecretPaths(schema: object): ReadonlySet<string> | undefined {
  try {
    const paths: unknown = (schema as { '~confstack'?: { secretPaths?: unknown } })['~confstack']?.secretPaths;
    return Array.isArray(paths) && paths.every((p) => typeof p === 'string') ? new Set(paths as string[]) : undefined;
  } catch {
    return undefined; // a throwing getter: fall back to the JSON Schema
  }
}
