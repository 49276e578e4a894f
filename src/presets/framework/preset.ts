/**
 * The framework preset as a Standard Schema, without zod: the generated checker
 * (check.generated.ts, from the zod schema) plus the cross-field rules, its JSON Schema
 * (Standard JSON Schema `~standard.jsonSchema`, generated too) and its snapshot class with the
 * framework accessors. The loader's default schema; it comes in through the same interface as
 * any app's schema. Also withFramework: the framework's sections and an app's own, in one schema.
 */
import type { ConfigInit } from '../../core/config.js';
import { ConfigError, ErrorCode } from '../../foundation/errors.js';
import { standardPropsOf, jsonSchemaConverterOf, type StandardJSONSchemaV1, type StandardSchemaV1 } from '../../foundation/standard-schema.js';
import { checkFrameworkShape, FRAMEWORK_JSON_SCHEMAS, FRAMEWORK_SECRET_PATHS } from './check.generated.js';
import { checkCrossFields } from './cross-fields.js';
import { FRAMEWORK_LISTS } from './defaults.js';
import type { FrameworkConfig, FrameworkConfigInput } from './framework.js';
import { FrameworkSnapshot } from './snapshot.js';
import { isRecord } from '../../tree/kinds.js';

type Issue = StandardSchemaV1.Issue;
type Obj = Record<string, unknown>;

/** A Standard Schema that also offers Standard JSON Schema and names its snapshot class. */
export interface FrameworkSchemaOf<I, O extends FrameworkConfig> extends StandardSchemaV1<I, O> {
  readonly '~standard': StandardSchemaV1.Props<I, O> & { readonly jsonSchema: StandardJSONSchemaV1.Converter };
  readonly '~confstack': { readonly snapshot: new (init: ConfigInit<O>) => FrameworkSnapshot<O>; readonly secretPaths?: readonly string[] };
}

/** The framework preset's type. */
export type FrameworkPreset = FrameworkSchemaOf<FrameworkConfigInput, FrameworkConfig>;

function validate(value: unknown): StandardSchemaV1.Result<FrameworkConfig> {
  const issues: Issue[] = [];
  const out = checkFrameworkShape(value, issues as (Issue & Obj)[]);
  // the cross-field rules see the input when the shape failed, the output when it passed (as zod's refinement does)
  checkCrossFields(issues.length > 0 ? value : out, (issue) => issues.push(issue));
  return issues.length > 0 ? { issues } : { value: out as FrameworkConfig };
}

function jsonSchemaFor(io: 'input' | 'output'): (options: StandardJSONSchemaV1.Options) => Record<string, unknown> {
  return (options) => {
    const text = FRAMEWORK_JSON_SCHEMAS[`${io}:${options.target}`];
    if (text === undefined) {
      throw new ConfigError({ op: 'schema', code: ErrorCode.InvalidParameters, message: `the framework schema has no JSON Schema for target "${String(options.target)}" (it has draft-2020-12)` });
    }
    return JSON.parse(text) as Record<string, unknown>; // a fresh copy each call: callers may mutate it
  };
}

const frameworkJson: StandardJSONSchemaV1.Converter = Object.freeze({ input: jsonSchemaFor('input'), output: jsonSchemaFor('output') });

/**
 * The framework configuration schema (LLM providers, embedding providers, vector stores, tools,
 * agents; unknown root keys kept) as a zod-free Standard Schema: the same output and issues as
 * `FrameworkConfigSchema` of `confstack/schema`, synchronous. What `loadConfig()` validates with
 * when no `schema` is given; its snapshots are FrameworkSnapshot (the framework accessors).
 * @example
 * const config = await loadConfig({ schema: frameworkPreset }); // the same as loadConfig()
 */
export const frameworkPreset: FrameworkPreset = Object.freeze({
  '~standard': Object.freeze({ version: 1 as const, vendor: 'confstack', validate, jsonSchema: frameworkJson }),
  '~confstack': Object.freeze({ snapshot: FrameworkSnapshot, secretPaths: FRAMEWORK_SECRET_PATHS }),
});

// ---------------------------------------------------------------------------------------------
// The framework and an app's own sections in one schema.

const FRAMEWORK_KEYS: ReadonlySet<string> = new Set(FRAMEWORK_LISTS);


/** Splits the root keys: the framework's lists, and the rest for the app's schema. */
function split(value: Obj): { framework: Obj; app: Obj } {
  const framework: Obj = {};
  const app: Obj = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') continue;
    (FRAMEWORK_KEYS.has(key) ? framework : app)[key] = value[key];
  }
  return { framework, app };
}

function combine(fw: StandardSchemaV1.Result<FrameworkConfig>, app: StandardSchemaV1.Result<unknown>): StandardSchemaV1.Result<never> {
  const issues = [...(fw.issues ?? []), ...(app.issues ?? [])];
  if (issues.length === 0 && !isRecord((app as { value?: unknown }).value)) {
    issues.push({ message: 'the application schema returned a value that is not an object', path: [] });
  }
  if (issues.length > 0) return { issues };
  const out: Obj = { ...(fw as { value: Obj }).value };
  const appValue = (app as { value: Obj }).value;
  for (const key of Object.keys(appValue)) if (!FRAMEWORK_KEYS.has(key)) out[key] = appValue[key];
  return { value: out as never };
}

/** The app's JSON Schema merged into the framework's: both sets of properties, the app's rule for other keys. */
function mergeJson(fw: Obj, app: Obj | undefined): Obj {
  if (!app) return fw;
  const props = (d: Obj) => (isRecord(d.properties) ? d.properties : {});
  const required = (d: Obj) => (Array.isArray(d.required) ? (d.required as string[]) : []);
  const out: Obj = { ...fw, properties: { ...props(app), ...props(fw) } };
  const req = [...new Set([...required(fw), ...required(app).filter((k) => !FRAMEWORK_KEYS.has(k))])];
  if (req.length > 0) out.required = req;
  if ('additionalProperties' in app) out.additionalProperties = app.additionalProperties;
  for (const defs of ['$defs', 'definitions']) if (isRecord(app[defs])) out[defs] = { ...(isRecord(fw[defs]) ? fw[defs] : {}), ...app[defs] };
  return out;
}

/**
 * One schema for the framework's sections and an app's own: the framework preset validates the
 * five framework lists, `appSchema` (zod, valibot, any Standard Schema) every other root key; the
 * outputs are merged and the issues of both reported together (framework first). Unknown root
 * keys are the app schema's to keep, strip or reject. The snapshot has the framework accessors
 * and `get` paths typed by both. Offers the merged JSON Schema when the app schema offers one.
 * @example
 * const config = await loadConfig({ schema: withFramework(z.object({ server: z.object({ port: z.number() }) })) });
 * config.get('server.port'); // number
 * config.getLLMProviderConfig('openai');
 */
export function withFramework<A extends StandardSchemaV1>(
  appSchema: A,
): FrameworkSchemaOf<FrameworkConfigInput & StandardSchemaV1.InferInput<A>, FrameworkConfig & StandardSchemaV1.InferOutput<A>> {
  const props = standardPropsOf(appSchema);
  if (!props) {
    throw new ConfigError({ op: 'schema', code: ErrorCode.InvalidParameters, message: 'withFramework: the application schema is not a Standard Schema (no ~standard.validate)' });
  }
  const appJson = jsonSchemaConverterOf(appSchema);
  const converter = (io: 'input' | 'output') => (options: StandardJSONSchemaV1.Options) =>
    mergeJson(frameworkJson[io](options), appJson ? (appJson[io](options) as Obj) : undefined);
  const composed = {
    version: 1 as const,
    vendor: 'confstack',
    validate(value: unknown) {
      if (!isRecord(value)) return validate(value) as StandardSchemaV1.Result<never>;
      const parts = split(value);
      const fw = validate(parts.framework);
      const app = props.validate(parts.app);
      return app instanceof Promise ? app.then((a) => combine(fw, a)) : combine(fw, app);
    },
    jsonSchema: { input: converter('input'), output: converter('output') },
  };
  return Object.freeze({ '~standard': Object.freeze(composed), '~confstack': Object.freeze({ snapshot: FrameworkSnapshot }) }) as never;
}
