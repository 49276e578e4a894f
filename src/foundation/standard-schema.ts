/**
 * The Standard Schema V1 types (re-exported from `@standard-schema/spec`, a types-only package)
 * and small, defensive helpers to reach a schema's `~standard` props. Any validator that
 * implements the spec (zod, valibot, arktype…) plugs into confstack through these.
 * Imports nothing else of ours.
 */
import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';

export type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';

/** The output type of a Standard Schema (what validation returns). */
export type InferOutput<S extends StandardSchemaV1> = StandardSchemaV1.InferOutput<S>;
/** The input type of a Standard Schema (what a config source may hold). */
export type InferInput<S extends StandardSchemaV1> = StandardSchemaV1.InferInput<S>;

/**
 * A schema's `~standard` props if it has a callable `validate`, else undefined. Never throws:
 * a hostile getter or Proxy counts as "not a Standard Schema". Functions are accepted too
 * (arktype schemas are callable).
 */
export function standardPropsOf(schema: unknown): StandardSchemaV1.Props | undefined {
  if (schema === null || (typeof schema !== 'object' && typeof schema !== 'function')) return undefined;
  try {
    const props = (schema as { '~standard'?: unknown })['~standard'];
    if (props === null || typeof props !== 'object') return undefined;
    if (typeof (props as { validate?: unknown }).validate !== 'function') return undefined;
    return props as StandardSchemaV1.Props;
  } catch {
    return undefined;
  }
}

/** True if `value` implements Standard Schema V1 (has `~standard.validate`). Never throws. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return standardPropsOf(value) !== undefined;
}

/**
 * The schema's Standard JSON Schema converter (`~standard.jsonSchema`), if it offers one
 * (zod 4 does). Never throws.
 */
export function jsonSchemaConverterOf(schema: unknown): StandardJSONSchemaV1.Converter | undefined {
  const props = standardPropsOf(schema);
  if (!props) return undefined;
  try {
    const converter = (props as { jsonSchema?: unknown }).jsonSchema;
    if (converter === null || typeof converter !== 'object') return undefined;
    if (typeof (converter as { input?: unknown }).input !== 'function') return undefined;
    return converter as StandardJSONSchemaV1.Converter;
  } catch {
    return undefined;
  }
}

/** Turns a Standard Schema issue path (keys or `{ key }` segments) into string segments. */
export function issuePathSegments(path: unknown, maxSegments = 1000): string[] {
  if (!Array.isArray(path)) return [];
  const out: string[] = [];
  for (let i = 0; i < path.length && i < maxSegments; i++) {
    let seg: unknown = path[i];
    if (seg !== null && typeof seg === 'object' && 'key' in seg) seg = (seg as { key: unknown }).key;
    if (typeof seg === 'string') out.push(seg);
    else if (typeof seg === 'number' || typeof seg === 'symbol') out.push(String(seg));
    else out.push('?');
  }
  return out;
}
