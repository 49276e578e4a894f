/**
 * The framework configuration's validator without zod: a Standard Schema that accepts, rejects,
 * fills in defaults and reports issues (path, code, message and the rule's fields) exactly as
 * `FrameworkConfigSchema['~standard'].validate` does. Why: importing zod costs ~51 ms, which
 * made a cold `confstack validate` ~4× `node -e 0`; the loader validates with this one by
 * default and loads zod only when asked for the zod schema itself.
 *
 * Must not import zod, statically or transitively: only plain-data and type-only imports. The
 * parity test (test/schema/framework-check.test.ts) runs both validators on generated valid and
 * broken configurations, so a change to the zod schema that is not mirrored here fails it.
 */
import type { ValueKind } from '../providers/provider.js';
import type { StandardSchemaV1 } from '../standard-schema.js';
import { checkCrossFields, type CrossFieldIssue } from './cross-fields.js';
import { FRAMEWORK_DEFAULTS, FRAMEWORK_LISTS } from './defaults.js';
import type { FrameworkConfig, FrameworkConfigInput } from './framework.js';

type Path = (string | number)[];
type Issue = StandardSchemaV1.Issue & Record<string, unknown>;
type Obj = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Issues, worded as zod's English locale words them.

/** The type name zod's messages use for a value ("received array", "received NaN"). */
function receivedName(input: unknown): string {
  if (typeof input === 'number') return Number.isNaN(input) ? 'NaN' : Number.isFinite(input) ? 'number' : String(input);
  if (typeof input !== 'object') return typeof input;
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  // zod names instances of other classes by their constructor
  const ctor = Object.getPrototypeOf(input) !== Object.prototype && 'constructor' in input ? (input as { constructor: unknown }).constructor : undefined;
  return ctor ? `${(ctor as { name?: unknown }).name}` : 'object';
}

function invalidType(issues: Issue[], expected: string, input: unknown, path: Path, message?: string): void {
  const issue: Issue = { expected, code: 'invalid_type', path, message: message ?? `Invalid input: expected ${expected}, received ${receivedName(input)}` };
  // a number schema names a non-finite number in the issue too
  if (expected === 'number' && typeof input === 'number') issue.received = receivedName(input);
  issues.push(issue);
}

const URL_MESSAGE = 'must be an http or https URL';
const BLANK_MESSAGE = 'must not be empty';

// ---------------------------------------------------------------------------------------------
// Field rules. Each returns the field's output; on failure it reports and the output is unused.

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string holding something other than whitespace (requiredString). */
function requiredString(v: unknown, parent: Path, key: string | number, issues: Issue[]): unknown {
  if (typeof v !== 'string') invalidType(issues, 'string', v, [...parent, key]);
  else if (!/\S/.test(v)) {
    issues.push({ origin: 'string', code: 'invalid_format', format: 'regex', pattern: '/\\S/', path: [...parent, key], message: BLANK_MESSAGE });
  }
  return v;
}

function plainString(v: unknown, parent: Path, key: string | number, issues: Issue[]): unknown {
  if (typeof v !== 'string') invalidType(issues, 'string', v, [...parent, key]);
  return v;
}

function boolean(v: unknown, parent: Path, key: string | number, issues: Issue[]): unknown {
  if (typeof v !== 'boolean') invalidType(issues, 'boolean', v, [...parent, key]);
  return v;
}

/**
 * An http(s) URL (httpUrl). Like zod: trimmed, must start with `http://` or `https://` (any
 * case) and parse as a URL; the output is the trimmed text without tabs and line breaks (which
 * the URL parser ignores). A scheme other than http(s) cannot get past the prefix test, so
 * zod's separate protocol check never fires and has no counterpart here.
 */
function httpUrl(v: unknown, parent: Path, key: string | number, issues: Issue[]): unknown {
  if (typeof v !== 'string') {
    invalidType(issues, 'string', v, [...parent, key], URL_MESSAGE);
    return v;
  }
  const trimmed = v.trim();
  if (!/^https?:\/\//i.test(trimmed)) {
    issues.push({ code: 'invalid_format', format: 'url', note: 'Invalid URL format', path: [...parent, key], message: URL_MESSAGE });
  } else if (!URL.canParse(trimmed)) {
    issues.push({ code: 'invalid_format', format: 'url', path: [...parent, key], message: URL_MESSAGE });
  }
  return trimmed.replace(/[\t\n\r]/g, '');
}

/** A finite number (z.number()). */
function finiteNumber(v: unknown, parent: Path, key: string | number, issues: Issue[]): boolean {
  if (typeof v === 'number' && Number.isFinite(v)) return true;
  invalidType(issues, 'number', v, [...parent, key]);
  return false;
}

/** An integer ≥ 1 (z.int().min(1)): zod reports an unsafe integer and then still checks the minimum. */
function positiveInt(v: unknown, parent: Path, key: string | number, issues: Issue[]): unknown {
  if (!finiteNumber(v, parent, key, issues)) return v;
  const n = v as number;
  if (!Number.isInteger(n)) {
    issues.push({ expected: 'int', format: 'safeint', code: 'invalid_type', path: [...parent, key], message: 'Invalid input: expected int, received number' });
    return v;
  }
  if (n > Number.MAX_SAFE_INTEGER) {
    issues.push({ code: 'too_big', maximum: Number.MAX_SAFE_INTEGER, note: 'Integers must be within the safe integer range.', origin: 'int', inclusive: true, path: [...parent, key], message: `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}` });
  } else if (n < Number.MIN_SAFE_INTEGER) {
    issues.push({ code: 'too_small', minimum: Number.MIN_SAFE_INTEGER, note: 'Integers must be within the safe integer range.', origin: 'int', inclusive: true, path: [...parent, key], message: `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}` });
  }
  if (n < 1) issues.push({ origin: 'number', code: 'too_small', minimum: 1, inclusive: true, path: [...parent, key], message: 'Too small: expected number to be >=1' });
  return v;
}

/** Copies the keys a loose object does not declare, as zod does: every enumerable key but `__proto__`. */
function copyRest(input: Obj, out: Obj, declared: ReadonlySet<string> | undefined): Obj {
  for (const key in input) {
    if (key === '__proto__' || declared?.has(key)) continue;
    out[key] = input[key];
  }
  return out;
}

/** A free-form map (freeForm): any object, shallow-copied. */
function freeForm(v: unknown, parent: Path, key: string | number, issues: Issue[]): unknown {
  if (!isObject(v)) {
    invalidType(issues, 'object', v, [...parent, key]);
    return v;
  }
  return copyRest(v, {}, undefined);
}

const CALL_OPTION_KEYS: ReadonlySet<string> = new Set(['temperature', 'max_tokens']);

/** `default_call_options` (CallOptionsSchema): absent means `{}`, whose keys then get their defaults. */
function callOptions(v: unknown, parent: Path, key: string | number, issues: Issue[]): unknown {
  const input = v === undefined ? {} : v;
  if (!isObject(input)) {
    invalidType(issues, 'object', input, [...parent, key]);
    return input;
  }
  const out: Obj = {};
  const t = input.temperature;
  if (t === undefined) out.temperature = FRAMEWORK_DEFAULTS.temperature;
  else {
    finiteNumber(t, [...parent, key], 'temperature', issues);
    out.temperature = t;
  }
  const m = input.max_tokens;
  out.max_tokens = m === undefined ? FRAMEWORK_DEFAULTS.maxTokens : positiveInt(m, [...parent, key], 'max_tokens', issues);
  return copyRest(input, out, CALL_OPTION_KEYS);
}

function namesList(v: unknown, parent: Path, key: string | number, issues: Issue[]): unknown {
  if (!Array.isArray(v)) {
    invalidType(issues, 'array', v, [...parent, key]);
    return v;
  }
  const out: unknown[] = new Array(v.length);
  const here = [...parent, key];
  for (let j = 0; j < v.length; j++) out[j] = requiredString(v[j], here, j, issues);
  return out;
}

/** A field's rule: reports into `issues` at `[...parent, key]` and returns the field's output. */
type Rule = (v: unknown, parent: Path, key: string | number, issues: Issue[]) => unknown;

/**
 * What a declared key does when absent (or undefined): `checked` runs the rule on undefined (a
 * required key reports it, a prefault substitutes), `optional` leaves it out (kept as
 * undefined when the key is there with that value), or takes a default without checking it.
 */
type Field = { key: string; rule: Rule; absent: 'checked' | 'optional' | { default: unknown } };

const req = (key: string): Field => ({ key, rule: requiredString, absent: 'checked' });
const opt = (key: string, rule: Rule): Field => ({ key, rule, absent: 'optional' });

interface ItemSpec {
  fields: readonly Field[];
  declared: ReadonlySet<string>;
}

function item(...fields: Field[]): ItemSpec {
  return { fields, declared: new Set(fields.map((f) => f.key)) };
}

/** The list items, field by field in the zod schemas' order (which is the issues' order). */
const ITEMS: Readonly<Record<(typeof FRAMEWORK_LISTS)[number], ItemSpec>> = {
  llm_providers: item(
    req('name'),
    req('provider'),
    req('model_name'),
    opt('api_key', requiredString),
    opt('base_url', httpUrl),
    { key: 'default_call_options', rule: callOptions, absent: 'checked' },
    opt('provider_specific', freeForm),
  ),
  embedding_providers: item(req('name'), req('provider'), req('model_name'), req('api_key'), opt('base_url', httpUrl), opt('provider_specific', freeForm)),
  vector_stores: item(req('name'), req('provider'), opt('connection_string', requiredString), opt('provider_specific', freeForm)),
  tools: item(
    req('name'),
    req('provider'),
    opt('description', plainString),
    { key: 'enabled', rule: boolean, absent: { default: FRAMEWORK_DEFAULTS.toolEnabled } },
    opt('config', freeForm),
  ),
  agents: item(
    req('name'),
    req('llm_provider_name'),
    opt('llm_provider_config_name', plainString),
    opt('tool_names', namesList),
    opt('memory_provider_name', plainString),
    opt('memory_type', plainString),
    opt('memory_config_name', plainString),
    { key: 'max_iterations', rule: positiveInt, absent: { default: FRAMEWORK_DEFAULTS.maxIterations } },
    opt('settings', freeForm),
    opt('prompt_template', plainString),
    opt('output_parser', plainString),
    opt('agent_type', plainString),
    opt('agent_specific_config', freeForm),
  ),
};

function checkItem(input: unknown, spec: ItemSpec, list: string, index: number, issues: Issue[]): unknown {
  if (!isObject(input)) {
    invalidType(issues, 'object', input, [list, index]);
    return input;
  }
  const out: Obj = {};
  const parent = [list, index];
  for (const { key, rule, absent } of spec.fields) {
    // zod reads declared keys with `in` and a plain read, prototype chain included
    const v = input[key];
    if (v !== undefined || absent === 'checked') out[key] = rule(v, parent, key, issues);
    else if (absent !== 'optional') out[key] = absent.default;
    else if (key in input) out[key] = undefined;
  }
  return copyRest(input, out, spec.declared);
}

const ROOT_KEYS: ReadonlySet<string> = new Set(FRAMEWORK_LISTS);

/** The shape rules: a fresh output with defaults applied, issues in zod's order. */
function checkShape(value: unknown, issues: Issue[]): unknown {
  if (!isObject(value)) {
    invalidType(issues, 'object', value, []);
    return value;
  }
  const out: Obj = {};
  for (const list of FRAMEWORK_LISTS) {
    const items = value[list];
    if (items === undefined) out[list] = [];
    else if (!Array.isArray(items)) {
      invalidType(issues, 'array', items, [list]);
    } else {
      const spec = ITEMS[list];
      const checked: unknown[] = new Array(items.length);
      for (let i = 0; i < items.length; i++) checked[i] = checkItem(items[i], spec, list, i, issues);
      out[list] = checked;
    }
  }
  return copyRest(value, out, ROOT_KEYS);
}

function validate(value: unknown): StandardSchemaV1.Result<FrameworkConfig> {
  const issues: Issue[] = [];
  const out = checkShape(value, issues);
  // the cross-field rules see the input when the shape failed, the output when it passed
  const shapeFailed = issues.length > 0;
  checkCrossFields(shapeFailed ? value : out, (issue: CrossFieldIssue) => issues.push(issue));
  return issues.length > 0 ? { issues } : { value: out as FrameworkConfig };
}

/**
 * The framework configuration's validator as a Standard Schema, without zod: the same results
 * as `FrameworkConfigSchema['~standard'].validate` (output with defaults applied, or every
 * issue with zod's path, code and message), synchronous. The loader's default schema.
 * @example
 * const r = frameworkCheck['~standard'].validate(yaml.parse(text)); if (r.issues) console.error(r.issues)
 */
export const frameworkCheck: StandardSchemaV1<FrameworkConfigInput, FrameworkConfig> = Object.freeze({
  '~standard': Object.freeze({ version: 1 as const, vendor: 'confstack', validate }),
});

// ---------------------------------------------------------------------------------------------
// Value kinds (env coercion).

type KindNode = { kind: ValueKind; props?: ReadonlyMap<string, KindNode>; items?: KindNode };

const STRING: KindNode = { kind: 'string' };
const FREE: KindNode = { kind: 'object', props: new Map() };

function objectKinds(props: Record<string, KindNode>): KindNode {
  return { kind: 'object', props: new Map(Object.entries(props)) };
}

const arrayOf = (items: KindNode): KindNode => ({ kind: 'array', items });

const KIND_TREE: KindNode = objectKinds({
  llm_providers: arrayOf(
    objectKinds({
      name: STRING,
      provider: STRING,
      model_name: STRING,
      api_key: STRING,
      base_url: STRING,
      default_call_options: objectKinds({ temperature: { kind: 'number' }, max_tokens: { kind: 'integer' } }),
      provider_specific: FREE,
    }),
  ),
  embedding_providers: arrayOf(
    objectKinds({ name: STRING, provider: STRING, model_name: STRING, api_key: STRING, base_url: STRING, provider_specific: FREE }),
  ),
  vector_stores: arrayOf(objectKinds({ name: STRING, provider: STRING, connection_string: STRING, provider_specific: FREE })),
  tools: arrayOf(objectKinds({ name: STRING, provider: STRING, description: STRING, enabled: { kind: 'boolean' }, config: FREE })),
  agents: arrayOf(
    objectKinds({
      name: STRING,
      llm_provider_name: STRING,
      llm_provider_config_name: STRING,
      tool_names: arrayOf(STRING),
      memory_provider_name: STRING,
      memory_type: STRING,
      memory_config_name: STRING,
      max_iterations: { kind: 'integer' },
      settings: FREE,
      prompt_template: STRING,
      output_parser: STRING,
      agent_type: STRING,
      agent_specific_config: FREE,
    }),
  ),
});

/**
 * The kind of value the framework schema expects at a key path, for coercing env strings:
 * the same answers `schemaTypeAt(FrameworkConfigSchema)` gives from the JSON Schema. Keys match
 * case-insensitively (env names are upper case); under a list any segment is the item; keys the
 * schema does not declare (free-form maps, unknown root keys) have no kind.
 * @example
 * frameworkTypeAt(['AGENTS', 'helper', 'MAX_ITERATIONS']) // 'integer'
 */
export function frameworkTypeAt(segments: readonly string[]): ValueKind | undefined {
  let node = KIND_TREE;
  for (const seg of segments) {
    const next = node.items ?? node.props?.get(seg.toLowerCase());
    if (!next) return undefined;
    node = next;
  }
  return node.kind;
}
