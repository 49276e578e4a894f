/**
 * The JSON Schema a Standard Schema offers through Standard JSON Schema (`~standard.jsonSchema`,
 * which zod 4 implements), as input (what a config source may hold: keys with defaults are
 * optional). Memoised per schema object, since a converter builds a new document on each call.
 * Schemas without a converter (valibot without `@valibot/to-json-schema`, hand-written ones)
 * answer undefined: callers degrade, never fail.
 */
import { jsonSchemaConverterOf, type StandardSchemaV1 } from '../../foundation/standard-schema.js';
import { isJson, type Json } from './walk.js';

const memo = new WeakMap<object, Json | null>();

/**
 * The input JSON Schema (draft 2020-12, else draft-07) of `schema`, or undefined if it offers
 * none or its converter throws. The same object on every call for a schema: do not mutate it.
 */
export function jsonSchemaOf(schema: StandardSchemaV1 | undefined): Readonly<Json> | undefined {
  if (schema === null || (typeof schema !== 'object' && typeof schema !== 'function')) return undefined;
  const hit = memo.get(schema);
  if (hit !== undefined) return hit ?? undefined;
  let json: Json | null = null;
  const converter = jsonSchemaConverterOf(schema);
  if (converter) {
    for (const target of ['draft-2020-12', 'draft-07'] as const) {
      try {
        const out: unknown = converter.input({ target, libraryOptions: { unrepresentable: 'any' } });
        if (isJson(out)) {
          json = out;
          break;
        }
      } catch {
        // try the next target; a converter may support only one
      }
    }
  }
  memo.set(schema, json);
  return json ?? undefined;
}
