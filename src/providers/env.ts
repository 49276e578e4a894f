/**
 * envProvider: environment variables as a layer. `PREFIX_` + key segments joined by the
 * delimiter: `CONFSTACK_SERVER__PORT=9090` sets `server.port`. Segments are matched against the
 * lower layers (case-insensitively) so `CONFSTACK_LLM_PROVIDERS__OPENAI__API_KEY` finds the list
 * item named `openai`; strings are coerced to the type the schema or the lower layer has there.
 * Reads the environment at load time (snapshot semantics) and never writes it.
 */
import { fs } from '../foundation/node-fs.js';
import { ConfigError, ErrorCode } from '../foundation/errors.js';
import { isLeafObject } from '../tree/datetime.js';
import { DEFAULT_LIMITS } from '../tree/limits.js';
import type { Origin } from '../tree/origins.js';
import { isForbiddenSegment, joinPath, parsePath } from '../tree/path.js';
import { defineProvider, type LoadContext, type Provider, type ValueKind } from './provider.js';
import { isRecord } from '../tree/kinds.js';

export interface EnvProviderOptions {
  /** Variable prefix, without the trailing `_`. Default `CONFSTACK`; `''` for none. */
  prefix?: string;
  /** Nesting delimiter between key segments. Default `__`. */
  delimiter?: string;
  /** The environment to read (default: the loader's `env`, else `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

type Tree = Record<string, unknown>;


function isNamedList(v: unknown): v is Tree[] {
  return Array.isArray(v) && v.length > 0 && v.every((i) => isRecord(i) && typeof i.name === 'string');
}

/** `gpt_4o` matches `gpt-4o`, `GPT.4o`: case-insensitive, `_` standing for `-` and `.`. */
function nameKey(s: string): string {
  return s.toLowerCase().replace(/[-.]/g, '_');
}

function kindOf(v: unknown): ValueKind | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return 'array';
  // A TOML date-time is replaced by the variable's text, like a string.
  if (typeof v === 'object' && !isLeafObject(v)) return 'object';
  // Not 'integer' for whole numbers: a lower `temperature: 1.0` arrives as 1 and must take `0.7`.
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  return 'string';
}

interface Var {
  name: string;
  /** Segments as written (upper-case), before matching. */
  segments: string[];
  /** Set when the value comes from the file named by `<NAME>_FILE`. */
  fileVar?: string;
  raw: string;
}

/**
 * Environment variables as a configuration source.
 *
 * When to use: always, as the highest layer in production. Details: a numeric segment on a list
 * is an index; any other segment selects the item whose `name` matches. `NAME_FILE=/path` sets
 * `NAME` from that file (Docker/Kubernetes secrets), trailing newline trimmed.
 * @throws ConfigError type_mismatch, forbidden_key, environment_error, limit_exceeded,
 *   file_not_found / file_access_error (for `_FILE`), invalid_config (NAME and NAME_FILE both set)
 * @example envProvider({ prefix: 'MYAPP' }) // MYAPP_SERVER__PORT=9090 -> server.port = 9090
 */
export function envProvider(options: EnvProviderOptions = {}): Provider {
  const prefix = options.prefix ?? 'CONFSTACK';
  const delimiter = options.delimiter ?? '__';
  if (delimiter === '') throw new ConfigError({ op: 'envProvider', code: ErrorCode.InvalidParameters, message: 'delimiter must not be empty' });
  const name = `env:${prefix}`;
  const baseOrigin: Origin = { provider: name, type: 'env' };

  return defineProvider({
    name,
    type: 'env',
    needsLower: true,
    local: true,
    async load(ctx: LoadContext) {
      const env = options.env ?? ctx.env ?? process.env;
      const limits = ctx.limits ?? DEFAULT_LIMITS;
      const lower: Tree = (ctx.lower as Tree | undefined) ?? {};
      const vars = await collect(env, prefix, delimiter, lower, limits.maxScalarBytes);
      const values: Tree = {};
      const origins: Record<string, Origin> = {};
      const target: Target = { out: values, origins, lower, ctx, maxDepth: limits.maxDepth, table: { lists: new Map(), unnamed: [] } };
      for (const v of vars) apply(v, target, baseOrigin);
      checkUnnamed(target.table, values);
      return { values, origins, origin: baseOrigin };
    },
  });
}

function envFail(code: ErrorCode, message: string, varName: string, key?: string, context?: Record<string, unknown>): ConfigError {
  return new ConfigError({
    op: 'env',
    code,
    message,
    location: { source: `env ${varName}`, ...(key !== undefined ? { key } : {}) },
    context: { variable: varName, ...context },
  });
}

/** The prefixed variables, split into segments, `_FILE` references resolved. Sorted for determinism. */
async function collect(
  env: Readonly<Record<string, string | undefined>>,
  prefix: string,
  delimiter: string,
  lower: Tree,
  maxBytes: number,
): Promise<Var[]> {
  const head = prefix === '' ? '' : `${prefix.toUpperCase()}_`;
  // Names first: reading a value of process.env is a getenv call, so only prefixed ones are read.
  const names = Object.keys(env)
    .filter((n) => n.length > head.length && startsWithUpper(n, head))
    .sort((a, b) => compareNames(a, b, delimiter));
  // Each value read once: a read of process.env is a getenv call (~0.5 µs).
  const values = new Map<string, string>();
  for (const n of names) {
    const v = env[n];
    if (v !== undefined) values.set(n, v);
  }
  const present = new Set<string>();
  for (const n of values.keys()) present.add(n.toUpperCase());
  const out: Var[] = [];
  for (const [varName, value] of values) {
    // `APP_X` and `APP__X` both mean key X (RELIABILITY.md writes the latter).
    let rest = varName.slice(head.length);
    if (prefix !== '' && rest.startsWith('_') && !rest.startsWith(delimiter.slice(1) + delimiter)) rest = rest.slice(1);
    // Without a prefix, only nested names (never PATH or HOME), and none that start with `_`
    // (`__CF_USER_TEXT_ENCODING` and the like belong to other programs; no key segment is empty).
    if (prefix === '' && (!rest.includes(delimiter) || rest.startsWith('_'))) continue;
    // `__proto__` spelled in a variable name is `__PROTO__` between delimiters (`APP____PROTO____X`).
    if (/(^_?|__)__proto__(__|$)/i.test(rest)) {
      throw envFail(ErrorCode.ForbiddenKey, 'variable names a forbidden key (__proto__)', varName);
    }
    let segments = splitOn(rest, delimiter);
    let raw = value;
    let fileVar: string | undefined;
    const last = segments[segments.length - 1]!;
    if (/_FILE$/i.test(last) && last.length > 5 && !keyExists(lower, segments)) {
      const target = varName.slice(0, -5);
      if (present.has(target.toUpperCase())) {
        throw envFail(ErrorCode.InvalidConfig, `both ${target} and ${varName} are set; use one`, varName, undefined, { other: target });
      }
      fileVar = varName;
      segments = [...segments.slice(0, -1), last.slice(0, -5)];
      raw = await readSecretFile(raw, varName, maxBytes);
    }
    for (const s of segments) {
      if (s === '') throw envFail(ErrorCode.EnvironmentError, `empty key segment (a doubled "${delimiter}")`, varName);
      if (isForbiddenSegment(s.toLowerCase())) throw envFail(ErrorCode.ForbiddenKey, `variable names a forbidden key "${s.toLowerCase()}"`, varName);
    }
    if (raw.length > maxBytes) {
      throw envFail(ErrorCode.LimitExceeded, `value longer than ${maxBytes} bytes`, varName, undefined, { limit: 'maxScalarBytes' });
    }
    out.push({ name: fileVar ? varName.slice(0, -5) : varName, segments, raw, ...(fileVar ? { fileVar } : {}) });
  }
  return out;
}

/**
 * Variable order: by name, except that index segments compare as numbers, so the items that
 * `…__2__NAME` and `…__10__NAME` create come out in index order.
 */
function compareNames(a: string, b: string, delimiter: string): number {
  if (!/\d/.test(a) || !/\d/.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const sa = splitOn(a, delimiter);
  const sb = splitOn(b, delimiter);
  for (let i = 0; i < sa.length && i < sb.length; i++) {
    const x = sa[i]!;
    const y = sb[i]!;
    if (x === y) continue;
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) return Number(x) - Number(y) || (x < y ? -1 : 1);
    return x < y ? -1 : 1;
  }
  return sa.length - sb.length;
}

/** `name.toUpperCase().startsWith(head)` for an upper-case `head`, without allocating per name. */
function startsWithUpper(name: string, head: string): boolean {
  if (name.startsWith(head)) return true;
  for (let i = 0; i < head.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 97 && c <= 122 ? c - 32 : c) !== head.charCodeAt(i)) return false;
  }
  return true;
}

/** `s.split(sep)` without the runtime's split (measured: most of collect's time on short names). */
function splitOn(s: string, sep: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let at = s.indexOf(sep); at >= 0; at = s.indexOf(sep, from)) {
    out.push(s.slice(from, at));
    from = at + sep.length;
  }
  out.push(s.slice(from));
  return out;
}

/** True if the lower tree has the exact key spelled by these segments (so `LOG__OUTPUT_FILE` stays a key). */
function keyExists(lower: Tree, segments: string[]): boolean {
  let node: unknown = lower;
  for (const s of segments) {
    if (!isRecord(node)) return false;
    const key = matchKey(node, s);
    if (key === undefined) return false;
    node = node[key];
  }
  return true;
}

/** Reads at most `maxBytes + 1` bytes, so a huge file or `/dev/zero` costs no more than the limit. */
async function readSecretFile(path: string, varName: string, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const handle = await fs.promises.open(path, 'r');
    try {
      while (total <= maxBytes) {
        const { bytesRead, buffer } = await handle.read(Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - total)), 0, undefined, null);
        if (bytesRead === 0) break;
        chunks.push(buffer.subarray(0, bytesRead));
        total += bytesRead;
      }
    } finally {
      await handle.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError({
      op: 'env',
      code: code === 'ENOENT' ? ErrorCode.FileNotFound : ErrorCode.FileAccessError,
      message: `cannot read the file named by ${varName}${code ? ` (${code})` : ''}`,
      location: { file: path, source: `env ${varName}` },
      context: { variable: varName },
      cause: err,
    });
  }
  if (total > maxBytes) {
    throw envFail(ErrorCode.LimitExceeded, `the file named by ${varName} is longer than ${maxBytes} bytes`, varName, undefined, { limit: 'maxScalarBytes' });
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function matchKey(node: Tree, segment: string): string | undefined {
  if (Object.hasOwn(node, segment)) return segment;
  const lower = segment.toLowerCase();
  if (Object.hasOwn(node, lower)) return lower;
  for (const k of Object.keys(node)) if (k.toLowerCase() === lower) return k;
  return undefined;
}

/**
 * The list items this load's variables address, by what the variables call them: `#<index>` for
 * an index past the lower list, `n:<name>` for a name (or a lower item's name). A handle keeps
 * naming its item after a `…__NAME` variable renames it, so variables sorted after `NAME` still
 * find it instead of creating a second item.
 */
interface ItemTable {
  /** List path (canonical) → handle → index in the output list. */
  lists: Map<string, Map<string, number>>;
  /** Items created by index with no lower item: each needs a NAME when it joins a lower named list. */
  unnamed: { listPath: string; index: number; variable: string; lowerNamed: boolean }[];
}

/**
 * An item created by index over a non-empty named lower list must get a name: a nameless item
 * would make the merge replace the whole list (every lower item silently lost).
 */
function checkUnnamed(items: ItemTable, out: Tree): void {
  for (const u of items.unnamed) {
    if (!u.lowerNamed) continue;
    let node: unknown = out;
    for (const seg of parsePath(u.listPath, 'env')) node = Array.isArray(node) ? node[Number(seg)] : (node as Tree)[seg];
    const item = Array.isArray(node) ? node[u.index] : undefined;
    if (!isRecord(item) || typeof item.name !== 'string') {
      throw envFail(ErrorCode.EnvironmentError, `the list item that ${u.variable} creates has no name: set its NAME too (items of this list merge by name)`, u.variable, u.listPath);
    }
  }
}

/** What one load's variables write into and read from. */
interface Target {
  out: Tree;
  origins: Record<string, Origin>;
  lower: Tree;
  ctx: LoadContext;
  maxDepth: number;
  table: ItemTable;
}

/** One variable's step: the load's target, the variable, its origin, and whether this is its last segment. */
interface Step {
  t: Target;
  v: Var;
  origin: Origin;
  isLast: boolean;
}

/** Where a variable's walk stands after some segments. */
interface Cursor {
  /** The lower layers' node at this path (undefined past their end). */
  lower: unknown;
  /**
   * The output container the next key goes into. When the next segment addresses a list, this is
   * the container that holds the list under the last key of `resolved`: the list step creates the
   * list there, once it knows whether the items are named.
   */
  out: Tree | unknown[];
  /** The output path so far (canonical). */
  path: string;
  /** The segments as resolved (matched keys, item indices), for `typeAt`; one array, grown in place. */
  resolved: string[];
}

/** Writes one variable into the output layer, walking the lower layers to resolve names and types. */
function apply(v: Var, t: Target, base: Origin): void {
  const origin: Origin = { provider: base.provider, type: base.type, location: v.fileVar ?? v.name };
  let cur: Cursor = { lower: t.lower, out: t.out, path: '', resolved: [] };
  const last = v.segments.length - 1;
  for (let i = 0; i <= last; i++) cur = nextCursor({ t, v, origin, isLast: i === last }, cur, v.segments[i]!);
}

/** One segment: a list index inside a copied plain list, a list item, or an object key. */
function nextCursor(step: Step, cur: Cursor, seg: string): Cursor {
  // Inside a list copied whole from a plain lower list: segments are indices.
  if (Array.isArray(cur.out)) return fieldStep(step, cur, listIndex(step, cur, seg));
  if (Array.isArray(cur.lower) || (cur.lower === undefined && step.t.ctx.typeAt?.(cur.resolved) === 'array')) {
    const list = (Array.isArray(cur.lower) ? cur.lower : []) as unknown[];
    return list.length > 0 && !isNamedList(list) ? plainItemStep(step, cur, list, seg) : namedItemStep(step, cur, list, seg);
  }
  const key = isRecord(cur.lower) ? (matchKey(cur.lower, seg) ?? seg.toLowerCase()) : seg.toLowerCase();
  return fieldStep(step, cur, key);
}

function listIndex(step: Step, cur: Cursor, seg: string): number {
  if (!/^\d+$/.test(seg)) throw envFail(ErrorCode.EnvironmentError, `"${seg}" is not an index into a list`, step.v.name, cur.path);
  return Number(seg);
}

/** A key of an object (or an index of a copied list): sets the leaf, or descends into an object or up to a list. */
function fieldStep(step: Step, cur: Cursor, key: string | number): Cursor {
  const { t, v } = step;
  const resolved = cur.resolved;
  resolved.push(String(key));
  const path = joinPath(cur.path, key);
  const lowerChild = isRecord(cur.lower) ? cur.lower[key as string] : Array.isArray(cur.lower) ? cur.lower[key as number] : undefined;
  const container = cur.out as Record<string | number, unknown>;
  const existing = container[key];
  if (step.isLast) {
    if (isRecord(existing) || Array.isArray(existing)) throw envFail(ErrorCode.EnvironmentError, 'another variable sets keys below this one', v.name, path);
    writeLeaf(step, container, key, path, resolved, lowerChild);
    return { ...cur, path };
  }
  if (existing !== undefined && !isRecord(existing) && !Array.isArray(existing)) {
    throw envFail(ErrorCode.EnvironmentError, 'another variable sets this key to a value', v.name, path);
  }
  if (Array.isArray(lowerChild) || (lowerChild === undefined && t.ctx.typeAt?.(resolved) === 'array')) {
    // A list: the next segment's list step creates it in this container, under `key`.
    return { lower: lowerChild, out: cur.out, path, resolved };
  }
  if (existing === undefined) container[key] = {};
  return { lower: lowerChild, out: container[key] as Tree, path, resolved };
}

/** Coerces the variable to the type the schema or the lower layer has at `resolved`, and records its origin. */
function writeLeaf(step: Step, container: Record<string | number, unknown>, key: string | number, path: string, resolved: string[], lowerValue: unknown): void {
  const { t, v } = step;
  container[key] = coerce(v, t.ctx.typeAt?.(resolved) ?? kindOf(lowerValue), path, resolved.length, t.maxDepth);
  t.origins[path] = step.origin;
}

/** A plain (unnamed) lower list is replaced whole: copy it and change the addressed item. */
function plainItemStep(step: Step, cur: Cursor, list: unknown[], seg: string): Cursor {
  if (!/^\d+$/.test(seg) || Number(seg) >= list.length + 1) {
    throw envFail(ErrorCode.EnvironmentError, `"${seg}" is not an index into the list`, step.v.name, cur.path);
  }
  const resolved = cur.resolved;
  const parentKey = resolved[resolved.length - 1]!;
  const parent = outParent(step.t.out, resolved);
  const copy = Array.isArray(parent[parentKey]) ? (parent[parentKey] as unknown[]) : structuredClone(list);
  parent[parentKey] = copy;
  const index = Number(seg);
  const lowerItem = list[index];
  resolved.push(String(index));
  const path = joinPath(cur.path, index);
  if (step.isLast) {
    writeLeaf(step, copy as unknown as Record<number, unknown>, index, path, resolved, lowerItem);
    return { ...cur, lower: lowerItem, path };
  }
  if (!isRecord(copy[index]) && !Array.isArray(copy[index])) copy[index] = {};
  return { lower: lowerItem, out: copy[index] as Tree, path, resolved };
}

/**
 * A list of named items (or none yet): select by index or by name; emit `{ name, … }` items. An
 * index past the lower list creates a new item (env alone can build a list), named by its own NAME
 * variable.
 */
function namedItemStep(step: Step, cur: Cursor, list: unknown[], seg: string): Cursor {
  const { itemName, lowerItem, handle } = selectItem(list, seg);
  if (step.isLast) throw envFail(ErrorCode.EnvironmentError, 'a variable must name a field of the list item, not the item itself', step.v.name, cur.path);
  const resolved = cur.resolved;
  const parentKey = resolved[resolved.length - 1]!;
  const parent = outParent(step.t.out, resolved);
  const items = (Array.isArray(parent[parentKey]) ? parent[parentKey] : (parent[parentKey] = [])) as Tree[];
  const index = itemIndex(step, cur.path, items, handle, itemName, list.length > 0);
  resolved.push(String(index));
  return { lower: lowerItem, out: items[index]!, path: joinPath(cur.path, index), resolved };
}

/** The lower item a segment selects (by index or by name) and the handle this load calls it by. */
function selectItem(list: unknown[], seg: string): { itemName: string | undefined; lowerItem: unknown; handle: string } {
  if (/^\d+$/.test(seg)) {
    const item = list[Number(seg)];
    if (!isRecord(item)) return { itemName: undefined, lowerItem: undefined, handle: `#${Number(seg)}` };
    const itemName = item.name as string;
    return { itemName, lowerItem: item, handle: `n:${nameKey(itemName)}` };
  }
  const wanted = nameKey(seg);
  const found = list.find((item) => isRecord(item) && typeof item.name === 'string' && nameKey(item.name) === wanted) as Tree | undefined;
  return { itemName: found ? (found.name as string) : seg.toLowerCase(), lowerItem: found, handle: `n:${wanted}` };
}

/** The output index of the item `handle` names, creating the item (named, or recorded as unnamed) on first use. */
function itemIndex(step: Step, listPath: string, items: Tree[], handle: string, itemName: string | undefined, lowerNamed: boolean): number {
  const table = step.t.table;
  let handles = table.lists.get(listPath);
  if (!handles) table.lists.set(listPath, (handles = new Map()));
  let index = handles.get(handle) ?? -1;
  if (index < 0 && itemName !== undefined) {
    // An item an index created and a NAME variable named: the name selects it too.
    const key = nameKey(itemName);
    index = items.findIndex((it) => typeof it.name === 'string' && nameKey(it.name) === key);
  }
  if (index < 0 && itemName !== undefined) {
    index = items.push({ name: itemName }) - 1;
    step.t.origins[joinPath(joinPath(listPath, index), 'name')] = step.origin;
  } else if (index < 0) {
    index = items.push({}) - 1;
    table.unnamed.push({ listPath, index, variable: step.v.name, lowerNamed });
  }
  handles.set(handle, index);
  return index;
}

/** The output object that holds the key at the end of `resolved`. */
function outParent(out: Tree, resolved: readonly string[]): Tree {
  let node: unknown = out;
  for (let i = 0; i < resolved.length - 1; i++) {
    const k = resolved[i]!;
    node = Array.isArray(node) ? node[Number(k)] : (node as Tree)[k];
  }
  return node as Tree;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** Coerces a raw string to `kind`; values never appear in messages (they may be secrets). */
function coerce(v: Var, kind: ValueKind | undefined, path: string, depth: number, maxDepth: number): unknown {
  const raw = v.raw;
  const mismatch = (expected: string) =>
    envFail(ErrorCode.TypeMismatch, `${v.fileVar ?? v.name} is not a valid ${expected}`, v.fileVar ?? v.name, path, { expected });
  switch (kind) {
    case 'number':
    case 'integer': {
      const s = raw.trim();
      const n = s === '' ? NaN : Number(s);
      if (!Number.isFinite(n) || (kind === 'integer' && !Number.isInteger(n))) throw mismatch(kind);
      // An integer written in digits must survive exactly (9007199254740993 would round).
      if ((kind === 'integer' || /^[-+]?\d+$/.test(s)) && !Number.isSafeInteger(n)) throw mismatch(`${kind} (outside the exact range)`);
      return n;
    }
    case 'boolean': {
      const s = raw.trim().toLowerCase();
      if (TRUE.has(s)) return true;
      if (FALSE.has(s)) return false;
      throw mismatch('boolean');
    }
    case 'array':
    case 'object': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch (err) {
        // V8's parser overflows its stack on deep nesting (200,000 × `[`): that is the depth limit.
        if (err instanceof RangeError) throw envFail(ErrorCode.LimitExceeded, `${v.fileVar ?? v.name} nests deeper than the parser allows`, v.fileVar ?? v.name, path, { limit: 'maxDepth' });
        throw mismatch(`JSON ${kind === 'array' ? 'list' : 'object'}`);
      }
      if (kind === 'array' ? !Array.isArray(parsed) : !isRecord(parsed)) throw mismatch(`JSON ${kind === 'array' ? 'list' : 'object'}`);
      checkJsonValue(parsed, v, path, depth, maxDepth);
      return parsed;
    }
    default:
      return raw;
  }
}

/**
 * JSON.parse makes `"__proto__"` an own key: reject forbidden keys inside a JSON-coerced value here,
 * and nesting past the depth limit, naming the variable (the merge would catch both too, but could
 * only name the provider). `depth` is where the value lands (its key's segment count).
 */
function checkJsonValue(value: unknown, v: Var, path: string, depth: number, maxDepth: number): void {
  const name = v.fileVar ?? v.name;
  const stack: [unknown, number][] = [[value, depth]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (d > maxDepth) throw envFail(ErrorCode.LimitExceeded, `${name} nests deeper than ${maxDepth}`, name, path, { limit: 'maxDepth' });
    if (x === null || typeof x !== 'object') continue;
    // A loop, not push(...x): spreading a long list overflows the call stack.
    if (Array.isArray(x)) for (const item of x) stack.push([item, d + 1]);
    else {
      for (const k of Object.keys(x)) {
        if (isForbiddenSegment(k)) throw envFail(ErrorCode.ForbiddenKey, `${name} holds a JSON value with the forbidden key "${k}"`, name, path);
        stack.push([(x as Tree)[k], d + 1]);
      }
    }
  }
}

/** The variable that sets `key`: `envVarName('CONFSTACK', 'server.port')` = `CONFSTACK_SERVER__PORT`. */
export function envVarName(prefix: string, key: string, delimiter = '__'): string {
  const body = parsePath(key, 'envVarName').map((s) => s.toUpperCase()).join(delimiter);
  return prefix === '' ? body : `${prefix.toUpperCase()}_${body}`;
}

/** The key a variable sets (lower-cased, before matching): `configKey('CONFSTACK', 'CONFSTACK_SERVER__PORT')` = `server.port`. */
export function configKey(prefix: string, envVar: string, delimiter = '__'): string {
  const head = prefix === '' ? '' : `${prefix.toUpperCase()}_`;
  let rest = envVar.toUpperCase().startsWith(head) ? envVar.slice(head.length) : envVar;
  if (prefix !== '' && rest.startsWith('_') && !rest.startsWith(delimiter.slice(1) + delimiter)) rest = rest.slice(1);
  return rest
    .split(delimiter)
    .map((s) => s.toLowerCase())
    .join('.');
}

/**
 * Every variable with the prefix, by the key it sets (lower-cased): `{ 'server.port': '9090' }`.
 * With prefix `''`, the variables envProvider would read: nested names only (`SERVER__PORT`), never
 * `PATH`, `HOME`, `AWS_SECRET_ACCESS_KEY` or another program's `__VARS`.
 */
export function getEnvConfigMap(prefix: string, env: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
  const head = prefix === '' ? '' : `${prefix.toUpperCase()}_`;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.toUpperCase().startsWith(head) || name.length === head.length) continue;
    if (prefix === '' && (!name.includes('__') || name.startsWith('_'))) continue;
    Object.defineProperty(out, configKey(prefix, name), { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
