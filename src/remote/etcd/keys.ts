/**
 * Pure mapping between etcd keys/values and confstack key paths and trees (no I/O, no etcd3).
 * Owns: prefix ranges, key -> path segments, value decoding (UTF-8, size, JSON-or-string), and the
 * `keys`-mode tree with per-key origins. Imports only errors, tree/ and secrets-free helpers.
 *
 * Decisions (documented in the provider's TSDoc):
 * - Key segments always make objects, never lists (`/app/list/0` is `{ list: { '0': … } }`);
 *   store a list as one JSON value (`/app/list` = `[1,2]`).
 * - Empty segments (`/app//x`, a trailing `/`) are skipped, so `//` behaves like `/`.
 * - A key whose path overlaps another key's value (`/app/a` = 1 and `/app/a/b` = 2) is
 *   `invalid_config` naming both keys: there is no silent winner.
 */
import { ConfigError, ErrorCode } from '../../foundation/errors.js';
import { invalidUtf8Offset } from '../../formats/decode.js';
import type { Limits } from '../../tree/limits.js';
import type { Origin } from '../../tree/origins.js';
import { isForbiddenSegment, joinPath } from '../../tree/path.js';

/** One key/value as read from etcd (raw bytes; revisions as decimal strings, as etcd3 gives them). */
export interface RawEntry {
  key: Uint8Array;
  value: Uint8Array;
  modRevision: string;
}

/** What the helpers need to name things in errors and origins. */
export interface KeysContext {
  provider: string;
  limits: Limits;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lossy = new TextDecoder('utf-8');

/** The watched/read prefix with exactly one trailing `/` (`/app` and `/app/` both give `/app/`). */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  return `${trimmed}/`;
}

/** The exclusive end of the range holding every key that starts with `prefix` (etcd's prefix+1). */
export function prefixRangeEnd(prefix: Uint8Array): Uint8Array {
  const end = Uint8Array.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  // All 0xff (or empty): every key from `prefix` onwards, spelled as etcd's "\0".
  return Uint8Array.of(0);
}

/** `etcd <key>@<rev>`: the `source` used in error locations. */
export function describeEtcdSource(key: string, revision: string): string {
  return `etcd ${key}@${revision}`;
}

/**
 * Decodes an etcd key to text.
 * @throws ConfigError parse_failed (context.encoding) when the key is not UTF-8
 */
export function decodeKey(bytes: Uint8Array, ctx: KeysContext, revision: string): string {
  const bad = invalidUtf8Offset(bytes);
  if (bad !== -1) {
    const shown = utf8Lossy.decode(bytes);
    throw new ConfigError({
      op: 'load',
      code: ErrorCode.ParseFailed,
      message: 'etcd key is not valid UTF-8',
      provider: ctx.provider,
      location: { source: describeEtcdSource(shown, revision) },
      context: { encoding: 'utf-8', byteOffset: bad, part: 'key' },
    });
  }
  return utf8.decode(bytes);
}

/**
 * Decodes a value's bytes to text, checking the size limit first and UTF-8 validity.
 * @throws ConfigError limit_exceeded (size) or parse_failed (encoding), naming the key
 */
export function decodeText(
  bytes: Uint8Array,
  maxBytes: number,
  limitName: 'maxScalarBytes' | 'maxDocumentBytes',
  key: string,
  revision: string,
  ctx: KeysContext,
): string {
  const source = describeEtcdSource(key, revision);
  if (bytes.length > maxBytes) {
    throw new ConfigError({
      op: 'load',
      code: ErrorCode.LimitExceeded,
      message: `etcd value is larger than ${limitName} (${maxBytes} bytes)`,
      provider: ctx.provider,
      location: { source },
      context: { limit: limitName, max: maxBytes },
    });
  }
  const bad = invalidUtf8Offset(bytes);
  if (bad !== -1) {
    throw new ConfigError({
      op: 'load',
      code: ErrorCode.ParseFailed,
      message: `etcd value is not valid UTF-8 (byte ${bad})`,
      provider: ctx.provider,
      location: { source },
      context: { encoding: 'utf-8', byteOffset: bad },
    });
  }
  return utf8.decode(bytes);
}

/**
 * Splits an etcd key under `prefix` (normalised, with its trailing `/`) into path segments.
 * Returns undefined for a key outside the prefix.
 * @throws ConfigError forbidden_key naming the etcd key
 */
export function keyToSegments(key: string, prefix: string, ctx: KeysContext, revision: string): string[] | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const segments = key.slice(prefix.length).split('/').filter((s) => s !== '');
  for (const seg of segments) {
    if (isForbiddenSegment(seg)) {
      throw new ConfigError({
        op: 'load',
        code: ErrorCode.ForbiddenKey,
        message: `key "${seg}" is not allowed`,
        provider: ctx.provider,
        location: { source: describeEtcdSource(key, revision), key: segments.join('.') },
      });
    }
  }
  return segments;
}

interface ScanResult {
  depth: number;
  duplicate?: string;
  unsafeInteger?: boolean;
}

/**
 * One linear pass over (possibly invalid) JSON text: nesting depth (stops past `maxDepth`), the
 * first duplicate object key, and whether an integer literal is beyond 2^53 (JSON.parse would round
 * it silently). Duplicate/precision findings only mean something when the text is valid JSON.
 */
export function scanJson(text: string, maxDepth: number): ScanResult {
  const stack: (Set<string> | null)[] = [];
  let depth = 0;
  let duplicate: string | undefined;
  let unsafeInteger = false;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top && duplicate === undefined) {
        let name: string;
        try {
          name = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          name = text.slice(i + 1, j);
        }
        if (top.has(name)) duplicate = name;
        else top.add(name);
      }
      expectKey = false;
      i = j;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth = Math.max(depth, stack.length + 1);
      if (depth > maxDepth) return { depth };
      stack.push(c === 0x7b ? new Set() : null);
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] != null;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i;
      while (j < text.length && /[-+0-9.eE]/.test(text[j]!)) j++;
      const lit = text.slice(i, j);
      if (/^-?\d+$/.test(lit) && !Number.isSafeInteger(Number(lit))) unsafeInteger = true;
      i = j - 1;
    }
  }
  return { depth, ...(duplicate !== undefined ? { duplicate } : {}), ...(unsafeInteger ? { unsafeInteger } : {}) };
}

function isJsonScalarStart(c: string): boolean {
  return c === '"' || c === '-' || (c >= '0' && c <= '9') || c === 't' || c === 'f' || c === 'n';
}

/**
 * Parses one keys-mode value: JSON where the text is JSON, else the text itself as a string.
 * Integers beyond 2^53 stay exact strings at the top level; inside a JSON object or list they are
 * `parse_failed (precision)`. Objects come back with null prototypes.
 * @throws ConfigError limit_exceeded (depth, nodes), duplicate_key, forbidden_key, parse_failed
 */
export function parseValue(
  text: string,
  key: string,
  revision: string,
  path: readonly string[],
  ctx: KeysContext,
  budget: { nodes: number },
): unknown {
  const trimmed = text.trim();
  const first = trimmed[0];
  if (first === undefined) return text;
  const source = describeEtcdSource(key, revision);
  const fail = (code: ErrorCode, message: string, context?: Record<string, unknown>, innerKey?: string): ConfigError =>
    new ConfigError({
      op: 'load',
      code,
      message,
      provider: ctx.provider,
      location: { source, key: [...path, ...(innerKey !== undefined ? [innerKey] : [])].join('.') },
      ...(context ? { context } : {}),
    });
  if (first === '{' || first === '[') {
    const scan = scanJson(trimmed, ctx.limits.maxDepth - path.length);
    if (scan.depth > ctx.limits.maxDepth - path.length) {
      throw fail(ErrorCode.LimitExceeded, `etcd value nests deeper than maxDepth (${ctx.limits.maxDepth})`, {
        limit: 'maxDepth',
        max: ctx.limits.maxDepth,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return text;
    }
    if (scan.duplicate !== undefined) {
      throw fail(ErrorCode.DuplicateKey, `duplicate key "${scan.duplicate}" in etcd value`, undefined, scan.duplicate);
    }
    if (scan.unsafeInteger) {
      throw fail(ErrorCode.ParseFailed, 'integer in etcd value is too large to keep exactly', { reason: 'precision' });
    }
    return toSafeTree(parsed, path, budget, ctx, fail);
  }
  if (!isJsonScalarStart(first)) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return text;
  }
  if (typeof parsed === 'number' && /^-?\d+$/.test(trimmed) && !Number.isSafeInteger(parsed)) return trimmed;
  return parsed;
}

function toSafeTree(
  node: unknown,
  path: readonly string[],
  budget: { nodes: number },
  ctx: KeysContext,
  fail: (code: ErrorCode, message: string, context?: Record<string, unknown>, innerKey?: string) => ConfigError,
  inner: string[] = [],
): unknown {
  if (--budget.nodes < 0) {
    throw fail(ErrorCode.LimitExceeded, `etcd values hold more than maxNodes (${ctx.limits.maxNodes}) nodes`, {
      limit: 'maxNodes',
      max: ctx.limits.maxNodes,
    });
  }
  if (Array.isArray(node)) return node.map((item, i) => toSafeTree(item, path, budget, ctx, fail, [...inner, String(i)]));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(node)) {
      if (isForbiddenSegment(k)) throw fail(ErrorCode.ForbiddenKey, `key "${k}" is not allowed`, undefined, [...inner, k].join('.'));
      out[k] = toSafeTree((node as Record<string, unknown>)[k], path, budget, ctx, fail, [...inner, k]);
    }
    return out;
  }
  return node;
}

/** Adds an origin for `path` and every path below it inside `value`. */
function addOrigins(origins: Record<string, Origin>, path: string, value: unknown, origin: Origin): void {
  origins[path] = origin;
  if (Array.isArray(value)) value.forEach((v, i) => addOrigins(origins, joinPath(path, i), v, origin));
  else if (value !== null && typeof value === 'object') {
    for (const k of Object.keys(value)) addOrigins(origins, joinPath(path, k), (value as Record<string, unknown>)[k], origin);
  }
}

/** The result of mapping every key under a prefix. */
export interface KeysTree {
  values: Record<string, unknown>;
  origins: Record<string, Origin>;
}

/**
 * Builds the `keys`-mode tree from the entries under `prefix` (normalised). Each leaf's origin is
 * `{ provider, type: 'etcd', location: '<etcd key>@<mod_revision>' }`.
 * @throws ConfigError forbidden_key, invalid_config (overlapping keys), limit_exceeded, parse_failed, duplicate_key
 */
export function buildKeysTree(entries: readonly RawEntry[], prefix: string, ctx: KeysContext): KeysTree {
  const values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const tree: TreeState = {
    values,
    origins: Object.create(null) as Record<string, Origin>,
    segmentContainers: new WeakSet<object>([values]),
    ownerOf: new Map<string, string>(),
    budget: { nodes: ctx.limits.maxNodes },
  };
  for (const entry of entries) {
    const key = decodeKey(entry.key, ctx, entry.modRevision);
    const segments = keyToSegments(key, prefix, ctx, entry.modRevision);
    if (segments === undefined) continue;
    const source = describeEtcdSource(key, entry.modRevision);
    if (segments.length === 0) throw overlapError(ctx, source, segments, undefined);
    if (segments.length > ctx.limits.maxDepth) {
      throw new ConfigError({
        op: 'load',
        code: ErrorCode.LimitExceeded,
        message: `etcd key nests deeper than maxDepth (${ctx.limits.maxDepth})`,
        provider: ctx.provider,
        location: { source },
        context: { limit: 'maxDepth', max: ctx.limits.maxDepth },
      });
    }
    const text = decodeText(entry.value, ctx.limits.maxScalarBytes, 'maxScalarBytes', key, entry.modRevision, ctx);
    const value = parseValue(text, key, entry.modRevision, segments, ctx, tree.budget);
    const path = placeLeaf(tree, segments, value, key, ctx, source);
    addOrigins(tree.origins, path, value, { provider: ctx.provider, type: 'etcd', location: `${key}@${entry.modRevision}` });
  }
  return { values: tree.values, origins: tree.origins };
}

/** The tree being built: containers made from key segments (not JSON values) and who set each leaf. */
interface TreeState {
  values: Record<string, unknown>;
  origins: Record<string, Origin>;
  segmentContainers: WeakSet<object>;
  ownerOf: Map<string, string>;
  budget: { nodes: number };
}

/**
 * Puts `value` at `segments`, making containers on the way; returns the leaf's path.
 * @throws ConfigError invalid_config (a key overlaps another), limit_exceeded (maxNodes)
 */
function placeLeaf(tree: TreeState, segments: readonly string[], value: unknown, key: string, ctx: KeysContext, source: string): string {
  let node = tree.values;
  let path = '';
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i]!;
    path = joinPath(path, seg);
    const next = node[seg];
    if (next === undefined) {
      const made: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      tree.segmentContainers.add(made);
      node[seg] = made;
      node = made;
      if (--tree.budget.nodes < 0) throw nodesExceeded(ctx, source);
    } else if (next !== null && typeof next === 'object' && tree.segmentContainers.has(next)) {
      node = next as Record<string, unknown>;
    } else {
      throw overlapError(ctx, source, segments, tree.ownerOf.get(path));
    }
  }
  const leaf = segments[segments.length - 1]!;
  path = joinPath(path, leaf);
  if (Object.prototype.hasOwnProperty.call(node, leaf)) {
    const firstOwner = tree.ownerOf.get(path) ?? findOwnerBelow(tree.ownerOf, path);
    throw overlapError(ctx, source, segments, node[leaf] !== undefined ? firstOwner : undefined);
  }
  node[leaf] = value;
  tree.ownerOf.set(path, key);
  if (--tree.budget.nodes < 0) throw nodesExceeded(ctx, source);
  return path;
}

function overlapError(ctx: KeysContext, source: string, segments: readonly string[], other: string | undefined): ConfigError {
  return new ConfigError({
    op: 'load',
    code: ErrorCode.InvalidConfig,
    message:
      segments.length === 0
        ? 'an etcd key equal to the prefix cannot hold a value (keys under the prefix are paths)'
        : `etcd key overlaps${other !== undefined ? ` key "${other}"` : ' another key'} (one is a value, the other a path below it)`,
    provider: ctx.provider,
    location: { source, key: segments.join('.') },
    ...(other !== undefined ? { context: { otherKey: other } } : {}),
  });
}

function findOwnerBelow(ownerOf: Map<string, string>, path: string): string | undefined {
  for (const [p, k] of ownerOf) if (p.startsWith(`${path}.`) || p.startsWith(`${path}[`)) return k;
  return undefined;
}

function nodesExceeded(ctx: KeysContext, source: string): ConfigError {
  return new ConfigError({
    op: 'load',
    code: ErrorCode.LimitExceeded,
    message: `etcd values hold more than maxNodes (${ctx.limits.maxNodes}) nodes`,
    provider: ctx.provider,
    location: { source },
    context: { limit: 'maxNodes', max: ctx.limits.maxNodes },
  });
}

/** The format a document key implies by its extension, if any. */
export function formatForKey(key: string): 'yaml' | 'json' | 'toml' | undefined {
  const m = /\.([A-Za-z]+)$/.exec(key);
  const ext = m?.[1]?.toLowerCase();
  if (ext === 'yaml' || ext === 'yml') return 'yaml';
  if (ext === 'json') return 'json';
  if (ext === 'toml') return 'toml';
  return undefined;
}
