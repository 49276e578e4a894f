/**
 * What a schema says about itself, loaded lazily and memoised per schema: the JSON Schema it
 * offers (Standard JSON Schema) and, from it, the kind of value expected at a key path (env coercion).
 */
import { jsonSchemaOf } from '../json-schema/of-schema.js';
import { typeAtFromJsonSchema, type Json, type TypeAt } from '../json-schema/walk.js';
import type { StandardSchemaV1 } from '../../foundation/standard-schema.js';

const typeAtMemo = new WeakMap<object, Promise<TypeAt | undefined>>();

/**
 * A function answering which kind of value `schema` expects at a key path, for coercing env
 * strings (`CONFSTACK_AGENTS__HELPER__MAX_ITERATIONS=25` → 25). Derived from the JSON Schema the
 * schema offers (Standard JSON Schema `~standard.jsonSchema`, which zod 4 and the framework
 * preset implement). Resolves to undefined for schemas that cannot be introspected (valibot without a converter, hand-written ones). Memoised per schema.
 * Never rejects.
 */
export function schemaTypeAt(schema: StandardSchemaV1): Promise<TypeAt | undefined> {
  if (schema === null || (typeof schema !== 'object' && typeof schema !== 'function')) return Promise.resolve(undefined);
  let p = typeAtMemo.get(schema);
  if (!p) {
    p = computeTypeAt(schema).catch(() => undefined);
    typeAtMemo.set(schema, p);
  }
  return p;
}

async function computeTypeAt(schema: StandardSchemaV1): Promise<TypeAt | undefined> {
  return typeAtFromJsonSchema(jsonSchemaOf(schema));
}

/**
 * The JSON Schema a schema offers through Standard JSON Schema (`~standard.jsonSchema`: zod 4, the
 * framework preset, valibot through `@valibot/to-json-schema`), as input (what sources may hold),
 * memoised per schema; undefined when it offers none, and callers (docs, env diagnostics, secret
 * marks) then degrade with a note. Do not mutate the result. Never rejects.
 */
export async function schemaJsonSchema(schema: StandardSchemaV1): Promise<Readonly<Json> | undefined> {
  return jsonSchemaOf(schema);
}
