/**
 * Standard Schema adapter: runs any Standard Schema V1 validator (zod, valibot, arktype, a
 * hand-written one) and turns its issues into one `validation_failed` ConfigError that lists
 * every issue with its canonical key path and the origin of the value (file:line:col, env var,
 * etcd key). Also: standalone validateConfig, and schema-driven value kinds for env coercion
 * (schemaTypeAt, from the schema's Standard JSON Schema). Knows no schema's fields: the framework
 * is a preset (presets/framework/) that comes in through the same interface as any schema.
 *
 * The parts: validation/issues.ts turns issues into ConfigIssues and redacts secrets;
 * validation/schema-info.ts loads what a schema says about itself (JSON Schema, value kinds).
 */
import { ConfigError, ErrorCode, type ConfigIssue } from '../foundation/errors.js';
import { standardPropsOf, type StandardSchemaV1 } from '../foundation/standard-schema.js';
import { convertIssues, schemaFault, validationError, type ValidateValueOptions } from './validation/issues.js';

export type { ValidateValueOptions } from './validation/issues.js';
export { typeAtFromJsonSchema, type TypeAt } from './json-schema/walk.js';
export { schemaJsonSchema, schemaTypeAt } from './validation/schema-info.js';

// ---------------------------------------------------------------------------------------------
// Validation.

/** A promise or any other thenable (what a Standard Schema's validate or a listener may return). */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Validates `value` with any Standard Schema and returns the schema's output (defaults applied,
 * transforms run). Sync and async validators both work.
 *
 * On failure throws one `validation_failed` ConfigError whose `issues` hold every issue: `path`
 * (canonical dotted, `llm_providers.0.model_name`), `message`, `code` (the validator's, when it
 * gives one) and `origin` (from `opts.originOf`, walking up to the nearest ancestor that has one,
 * so a missing key points at the object that lacks it). `location` is the first issue's source.
 * @throws ConfigError validation_failed (the value is invalid), invalid_parameters (not a Standard
 *   Schema, or the validator threw or returned something malformed; cause attached unless it
 *   holds a secret from the value)
 * @example
 * const cfg = await validateValue(raw, z.object({ port: z.number() }), { originOf: (p) => origins[p] })
 */
export async function validateValue<S extends StandardSchemaV1>(
  value: unknown,
  schema: S,
  opts: ValidateValueOptions = {},
): Promise<StandardSchemaV1.InferOutput<S>> {
  const op = opts.op ?? 'validate';
  const props = standardPropsOf(schema);
  if (!props) {
    throw new ConfigError({
      op,
      code: ErrorCode.InvalidParameters,
      message: 'schema is not a Standard Schema (it has no ~standard.validate function)',
      ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
    });
  }
  let result: unknown;
  try {
    result = props.validate(value);
    if (isThenable(result)) result = await result;
  } catch (err) {
    throw schemaFault(op, 'the schema threw while validating', err, value, opts);
  }
  let issues: readonly unknown[] | undefined;
  try {
    if (result === null || typeof result !== 'object') throw malformed;
    const r = result as { issues?: unknown; value?: unknown };
    const raw = r.issues;
    if (raw === undefined || raw === null) {
      if (!('value' in r)) throw malformed;
      return r.value as StandardSchemaV1.InferOutput<S>;
    }
    if (!Array.isArray(raw)) throw malformed;
    issues = raw;
  } catch (err) {
    throw schemaFault(op, 'the schema returned a malformed result', err === malformed ? undefined : err, value, opts);
  }
  let converted: ConfigIssue[];
  try {
    converted = convertIssues(issues, value, opts);
  } catch (err) {
    throw schemaFault(op, 'the schema returned malformed issues', err, value, opts);
  }
  throw validationError(op, converted, opts);
}

/** Sentinel for "the result has the wrong shape" (no cause to attach). */
const malformed: unique symbol = Symbol('malformed');


/**
 * Validates `value` with `schema`, discarding the output. (The `confstack` entry's
 * validateConfig defaults the schema to the framework preset.)
 * @throws ConfigError validation_failed with every issue; invalid_parameters for a bad schema
 * @example
 * await validateConfig(yaml.parse(text), MySchema)
 */
export async function validateConfig(value: unknown, schema: StandardSchemaV1): Promise<void> {
  await validateValue(value, schema);
}
