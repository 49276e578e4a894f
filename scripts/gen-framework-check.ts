/**
 * Generates src/presets/framework/check.generated.ts from the one definition of the framework
 * schema (the zod schema in src/presets/framework/): a zod-free validator with zod's output and
 * issues (path, code, message, rule fields, order), plus the schema's JSON Schema documents.
 * Why: importing zod costs ~50 ms, which a default load must not pay; generating keeps one
 * definition instead of a hand-written twin.
 *
 * The generator walks zod v4's `_zod.def` and knows the few node kinds the framework uses (loose
 * objects, strings with regex checks, http(s) URLs, numbers and safe integers with a minimum,
 * booleans, arrays, optional, default, prefault). Anything else throws, naming the path, so a
 * change to the schema that the generator cannot mirror fails the build instead of drifting.
 *
 * Usage: `npx tsx scripts/gen-framework-check.ts` (writes the file) or `--check` (exits 1 if the
 * committed file differs from what the schema gives now).
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { FrameworkConfigSchema, FrameworkShapeSchema } from '../src/presets/framework/framework.js';
import { secretPatterns } from '../src/core/json-schema/fields.js';
import { writeOrCheck } from './generated-file.js';

const OUT = fileURLToPath(new URL('../src/presets/framework/check.generated.ts', import.meta.url));

type Def = Record<string, unknown> & { type: string };
type Node = { _zod: { def: Def } };

class Unsupported extends Error {
  constructor(path: string[], what: string) {
    super(`gen-framework-check: unsupported zod feature at ${path.length ? path.join('.') : '(root)'}: ${what}`);
  }
}

const defOf = (node: unknown): Def => (node as Node)._zod.def;

/** A fixed error message (`{ error: 'text' }`), or undefined; an issue-dependent one is unsupported. */
function fixedMessage(error: unknown, path: string[]): string | undefined {
  if (error === undefined) return undefined;
  if (typeof error !== 'function') throw new Unsupported(path, 'an error option that is not a function');
  const a = (error as (i: unknown) => unknown)({ code: 'invalid_type', input: 1 });
  const b = (error as (i: unknown) => unknown)({ code: 'too_small', input: 'x' });
  if (typeof a !== 'string' || a !== b) throw new Unsupported(path, 'an error message that depends on the issue');
  return a;
}

const lit = (v: unknown): string => JSON.stringify(v);

let counter = 0;
const functions: string[] = [];
const constants: string[] = [];
const regexNames = new Map<string, string>();
const checkLists = new Map<string, string>();

/** A JSON value as an expression that builds a fresh copy each time. */
function defaultExpr(value: unknown, path: string[]): string {
  const text = JSON.stringify(value);
  if (text === undefined || !isDeepEqualJson(JSON.parse(text), value)) throw new Unsupported(path, 'a default that is not plain JSON');
  return text;
}

function isDeepEqualJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b) && typeof a === typeof b;
}

/**
 * An expression checking `v` (a variable name) at key `k` of the parent path `path` (expressions;
 * the path array is built only when an issue is reported or a container needs it), reporting
 * into `issues`, whose value is the node's output.
 */
function expr(node: unknown, v: string, p: string, path: string[]): string {
  return exprAt(node, v, `path, ${p}`, path);
}

function exprAt(node: unknown, v: string, p: string, path: string[]): string {
  const def = defOf(node);
  switch (def.type) {
    case 'string':
      return stringExpr(def, v, p, path);
    case 'number':
      return numberExpr(def, v, p, path);
    case 'boolean':
      if ((def.checks as unknown[] | undefined)?.length) throw new Unsupported(path, 'checks on a boolean');
      return `bool(${v}, ${p}, issues${msgArg(fixedMessage(def.error, path))})`;
    case 'array': {
      if ((def.checks as unknown[] | undefined)?.length) throw new Unsupported(path, 'checks on an array (min/max length)');
      const fn = `a${counter++}`;
      functions.push(
        `function ${fn}(input: unknown, parent: Path, key: Key, issues: Issue[]): unknown {\n` +
          `  if (!Array.isArray(input)) { invalidType(issues, 'array', input, at(parent, key)${msgArg(fixedMessage(def.error, path))}); return input; }\n` +
          `  const path = at(parent, key);\n` +
          `  const out: unknown[] = new Array(input.length);\n` +
          `  for (let i = 0; i < input.length; i++) { const item: unknown = input[i]; out[i] = ${expr(def.element, 'item', 'i', [...path, '[]'])}; }\n` +
          `  return out;\n}`,
      );
      return `${fn}(${v}, ${p}, issues)`;
    }
    case 'object':
      return `${objectFn(def, path)}(${v}, ${p}, issues)`;
    case 'prefault':
      return exprAt(def.innerType, `(${v} === undefined ? ${defaultExpr(def.defaultValue, path)} : ${v})`, p, path);
    default:
      throw new Unsupported(path, `schema type "${def.type}" in this position`);
  }
}

function requireMessage(path: string[]): never {
  throw new Unsupported(path, 'a regex check without a custom error message');
}

const msgArg = (m: string | undefined): string => (m === undefined ? '' : `, ${lit(m)}`);

function stringExpr(def: Def, v: string, p: string, path: string[]): string {
  const own = fixedMessage(def.error, path);
  if (def.format === 'url') {
    const protocol = def.protocol as RegExp | undefined;
    if (protocol?.source !== '^https?$' || def.hostname !== undefined || def.normalize) {
      throw new Unsupported(path, 'a URL other than z.url({ protocol: /^https?$/ }) without hostname or normalize');
    }
    if ((def.checks as unknown[] | undefined)?.length) throw new Unsupported(path, 'checks on a URL');
    if (own === undefined) throw new Unsupported(path, 'a URL without a custom error message');
    return `httpUrl(${v}, ${p}, issues${msgArg(own)})`;
  }
  if (def.format !== undefined) throw new Unsupported(path, `string format "${String(def.format)}"`);
  const regexes: string[] = [];
  for (const check of (def.checks as unknown[] | undefined) ?? []) {
    const c = defOf(check) as Def & { check?: string };
    if (c.check !== 'string_format' || c.format !== 'regex') throw new Unsupported(path, `string check "${c.check}/${String(c.format)}"`);
    const re = c.pattern as RegExp;
    if (re.global || re.sticky) throw new Unsupported(path, 'a global or sticky regex');
    let name = regexNames.get(re.toString());
    if (name === undefined) {
      name = `RE${regexNames.size}`;
      regexNames.set(re.toString(), name);
      constants.push(`const ${name} = ${re.toString()};`);
    }
    regexes.push(`[${name}, ${lit(fixedMessage(c.error, path) ?? requireMessage(path))}]`);
  }
  const list = `[${regexes.join(', ')}]`;
  let checks = checkLists.get(list);
  if (checks === undefined) {
    checks = `CHECKS${checkLists.size}`;
    checkLists.set(list, checks);
    constants.push(`const ${checks}: readonly [RegExp, string][] = ${list};`);
  }
  if (regexes.length === 1 && own === undefined) return `strRe(${v}, ${p}, issues, ${regexes[0]!.slice(1, -1)})`;
  return `str(${v}, ${p}, issues, ${checks}${msgArg(own)})`;
}

function numberExpr(def: Def, v: string, p: string, path: string[]): string {
  if (fixedMessage(def.error, path) !== undefined) throw new Unsupported(path, 'a custom error on a number');
  const int = def.format === 'safeint';
  if (def.format !== undefined && !int) throw new Unsupported(path, `number format "${String(def.format)}"`);
  let min: number | undefined;
  for (const check of (def.checks as unknown[] | undefined) ?? []) {
    const c = defOf(check) as Def & { check?: string };
    if (c.check !== 'greater_than' || c.inclusive !== true || typeof c.value !== 'number' || min !== undefined || c.error !== undefined) {
      throw new Unsupported(path, `number check "${c.check}" (only one inclusive minimum is supported)`);
    }
    min = c.value;
  }
  return int ? `int(${v}, ${p}, issues${min !== undefined ? `, ${min}` : ''})` : `num(${v}, ${p}, issues${min !== undefined ? `, ${min}` : ''})`;
}

/** A loose object's checker: its declared keys in order, then the undeclared ones copied. */
function objectFn(def: Def, path: string[]): string {
  if (defOf(def.catchall ?? { _zod: { def: { type: 'none' } } }).type !== 'unknown') {
    throw new Unsupported(path, 'an object that is not loose (z.looseObject)');
  }
  if ((def.checks as unknown[] | undefined)?.length) throw new Unsupported(path, 'checks (refine) on an object');
  const shape = def.shape as Record<string, unknown>;
  const keys = Object.keys(shape);
  const declared = `DECLARED${counter}`;
  constants.push(`const ${declared}: ReadonlySet<string> = new Set(${lit(keys)});`);
  const fn = `o${counter++}`;
  const lines: string[] = [];
  for (const key of keys) {
    const k = lit(key);
    const here = k;
    const at = [...path, key];
    let field = shape[key];
    let d = defOf(field);
    if (d.type === 'optional') {
      field = d.innerType;
      lines.push(`  v = input[${k}]; if (v !== undefined) out[${k}] = ${expr(field, 'v', here, at)}; else if (${k} in input) out[${k}] = undefined;`);
    } else if (d.type === 'default') {
      lines.push(`  v = input[${k}]; out[${k}] = v === undefined ? ${defaultExpr(d.defaultValue, at)} : ${expr(d.innerType, 'v', here, at)};`);
      d = defOf(d.innerType);
      if (d.type === 'optional' || d.type === 'default') throw new Unsupported(at, 'nested optional/default');
    } else {
      lines.push(`  v = input[${k}]; out[${k}] = ${expr(field, 'v', here, at)};`);
    }
  }
  functions.push(
    `function ${fn}(input: unknown, parent: Path, key: Key, issues: Issue[]): unknown {\n` +
      `  if (!isObject(input)) { invalidType(issues, 'object', input, at(parent, key)${msgArg(fixedMessage(def.error, path))}); return input; }\n` +
      `  const out: Obj = {};\n${keys.length ? '  const path = at(parent, key);\n  let v: unknown;\n' : ''}` +
      // zod reads declared keys with a plain read (prototype chain included) and `in`
      `${lines.map((l) => `${l}\n`).join('')}` +
      `  return copyRest(input, out, ${declared});\n}`,
  );
  return fn;
}

const PRELUDE = `/* eslint-disable */
// GENERATED by scripts/gen-framework-check.ts from the zod framework schema. Do not edit: change
// the schema in this folder and run \`npx tsx scripts/gen-framework-check.ts\`. A test checks that
// regenerating gives this file, and another that it validates exactly as the zod schema does.
import type { StandardSchemaV1 } from '../../foundation/standard-schema.js';

type Path = (string | number)[];
type Issue = StandardSchemaV1.Issue & Record<string, unknown>;
type Obj = Record<string, unknown>;
/** A key under a parent path; undefined for the root. */
type Key = string | number | undefined;

/** The path of \`key\` under \`parent\`: built only when needed (an issue, a container's children). */
function at(parent: Path, key: Key): Path {
  return key === undefined ? parent : [...parent, key];
}

/** The type name zod's messages use for a value ("received array", "received NaN"). */
function receivedName(input: unknown): string {
  if (typeof input === 'number') return Number.isNaN(input) ? 'NaN' : Number.isFinite(input) ? 'number' : String(input);
  if (typeof input !== 'object') return typeof input;
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  // zod names instances of other classes by their constructor
  const ctor = Object.getPrototypeOf(input) !== Object.prototype && 'constructor' in input ? (input as { constructor: unknown }).constructor : undefined;
  return ctor ? \`\${(ctor as { name?: unknown }).name}\` : 'object';
}

function invalidType(issues: Issue[], expected: string, input: unknown, path: Path, message?: string): void {
  const issue: Issue = { expected, code: 'invalid_type', path, message: message ?? \`Invalid input: expected \${expected}, received \${receivedName(input)}\` };
  // a number schema names a non-finite number in the issue too
  if (expected === 'number' && typeof input === 'number') issue.received = receivedName(input);
  issues.push(issue);
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Copies the keys a loose object does not declare, as zod does: every enumerable key but \`__proto__\`. */
function copyRest(input: Obj, out: Obj, declared: ReadonlySet<string>): Obj {
  for (const key in input) {
    if (key === '__proto__' || declared.has(key)) continue;
    out[key] = input[key];
  }
  return out;
}

/** A string with regex checks (each reported, in order, with its message). */
function str(v: unknown, parent: Path, key: Key, issues: Issue[], regexes: readonly [RegExp, string][], message?: string): unknown {
  if (typeof v !== 'string') invalidType(issues, 'string', v, at(parent, key), message);
  else for (const [re, msg] of regexes) if (!re.test(v)) issues.push({ origin: 'string', code: 'invalid_format', format: 'regex', pattern: re.toString(), path: at(parent, key), message: msg });
  return v;
}

/** A string with one regex check (the common case, without the loop). */
function strRe(v: unknown, parent: Path, key: Key, issues: Issue[], re: RegExp, msg: string): unknown {
  if (typeof v !== 'string') invalidType(issues, 'string', v, at(parent, key));
  else if (!re.test(v)) issues.push({ origin: 'string', code: 'invalid_format', format: 'regex', pattern: re.toString(), path: at(parent, key), message: msg });
  return v;
}

function bool(v: unknown, parent: Path, key: Key, issues: Issue[], message?: string): unknown {
  if (typeof v !== 'boolean') invalidType(issues, 'boolean', v, at(parent, key), message);
  return v;
}

/**
 * An http(s) URL (z.url({ protocol: /^https?$/ })). Like zod: trimmed, must start with \`http://\`
 * or \`https://\` (any case) and parse as a URL; the output is the trimmed text without tabs and
 * line breaks. Another scheme cannot get past the prefix test, so zod's protocol check never fires.
 */
function httpUrl(v: unknown, parent: Path, key: Key, issues: Issue[], message: string): unknown {
  if (typeof v !== 'string') {
    invalidType(issues, 'string', v, at(parent, key), message);
    return v;
  }
  const trimmed = v.trim();
  if (!/^https?:\\/\\//i.test(trimmed)) issues.push({ code: 'invalid_format', format: 'url', note: 'Invalid URL format', path: at(parent, key), message });
  else if (!URL.canParse(trimmed)) issues.push({ code: 'invalid_format', format: 'url', path: at(parent, key), message });
  return trimmed.replace(/[\\t\\n\\r]/g, '');
}

/** A finite number (z.number()) with an optional inclusive minimum. */
function num(v: unknown, parent: Path, key: Key, issues: Issue[], min?: number): unknown {
  if (typeof v !== 'number' || !Number.isFinite(v)) invalidType(issues, 'number', v, at(parent, key));
  else if (min !== undefined && v < min) issues.push({ origin: 'number', code: 'too_small', minimum: min, inclusive: true, path: at(parent, key), message: \`Too small: expected number to be >=\${min}\` });
  return v;
}

/** A safe integer (z.int()) with an optional inclusive minimum: zod reports an unsafe integer and still checks the minimum. */
function int(v: unknown, parent: Path, key: Key, issues: Issue[], min?: number): unknown {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    invalidType(issues, 'number', v, at(parent, key));
    return v;
  }
  if (Number.isInteger(v) && v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER && (min === undefined || v >= min)) return v;
  const path = at(parent, key);
  if (!Number.isInteger(v)) {
    issues.push({ expected: 'int', format: 'safeint', code: 'invalid_type', path, message: 'Invalid input: expected int, received number' });
    return v;
  }
  if (v > Number.MAX_SAFE_INTEGER) {
    issues.push({ code: 'too_big', maximum: Number.MAX_SAFE_INTEGER, note: 'Integers must be within the safe integer range.', origin: 'int', inclusive: true, path, message: \`Too big: expected int to be <=\${Number.MAX_SAFE_INTEGER}\` });
  } else if (v < Number.MIN_SAFE_INTEGER) {
    issues.push({ code: 'too_small', minimum: Number.MIN_SAFE_INTEGER, note: 'Integers must be within the safe integer range.', origin: 'int', inclusive: true, path, message: \`Too small: expected int to be >=\${Number.MIN_SAFE_INTEGER}\` });
  }
  if (min !== undefined && v < min) issues.push({ origin: 'number', code: 'too_small', minimum: min, inclusive: true, path, message: \`Too small: expected number to be >=\${min}\` });
  return v;
}
`;

/**
 * The whole file's text for `shape` (the framework's, without cross-field rules) and `full` (its
 * JSON Schema source). @throws Error naming the path of the first zod feature it cannot mirror
 */
export function generate(shape: unknown = FrameworkShapeSchema, full: z.ZodType = FrameworkConfigSchema): string {
  counter = 0;
  functions.length = 0;
  constants.length = 0;
  regexNames.clear();
  checkLists.clear();
  if (defOf(shape).type !== 'object') throw new Unsupported([], 'a root that is not an object');
  const root = objectFn(defOf(shape), []);
  const schemas: Record<string, unknown> = {};
  // draft 2020-12 only: every document is parsed with the import (other targets make the converter throw, as the spec allows)
  for (const target of ['draft-2020-12'] as const) {
    for (const io of ['input', 'output'] as const) {
      schemas[`${io}:${target}`] = z.toJSONSchema(full, { target, io, unrepresentable: 'any' });
    }
  }
  return (
    `${PRELUDE}\n${constants.join('\n')}\n\n${functions.join('\n\n')}\n\n` +
    `/** The framework shape (no cross-field rules): a fresh output with defaults applied, issues in zod's order. */\n` +
    `export function checkFrameworkShape(value: unknown, issues: Issue[]): unknown {\n  return ${root}(value, [], undefined, issues);\n}\n\n` +
    `/** The key paths the framework schema marks secret (its \`'~confstack'.secretPaths\`: no JSON Schema walk on a load). */\n` +
    `export const FRAMEWORK_SECRET_PATHS: readonly string[] = ${JSON.stringify([...secretPatterns(schemas['input:draft-2020-12'])])};\n\n` +
    `/** The framework schema's JSON Schema documents, by \`io:target\` (JSON text; parsed when asked for). */\n` +
    `export const FRAMEWORK_JSON_SCHEMAS: Readonly<Record<string, string>> = ${JSON.stringify(
      Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, JSON.stringify(v)])),
      null,
      2,
    )};\n`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!writeOrCheck(OUT, generate(), 'src/presets/framework/check.generated.ts', 'npx tsx scripts/gen-framework-check.ts')) process.exit(1);
}
