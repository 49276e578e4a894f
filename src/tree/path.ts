/**
 * Key paths: `server.port`, `llm_providers.0.model_name`, `llm_providers[0].model_name`,
 * `a["dotted.key"]`. Canonical form is dotted with index segments as digits.
 * Also owns the forbidden segments (`__proto__`, `constructor`, `prototype`).
 */
import { ConfigError, ErrorCode, type ErrorLocation } from '../foundation/errors.js';

const FORBIDDEN: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** True for `__proto__`, `constructor` and `prototype`. */
export function isForbiddenSegment(segment: string): boolean {
  return FORBIDDEN.has(segment);
}

/** Throws `forbidden_key` (with `location`) if `segment` could reach a prototype. */
export function assertSafeSegment(segment: string, op: string, location?: ErrorLocation, provider?: string): void {
  if (FORBIDDEN.has(segment)) {
    throw new ConfigError({
      op,
      code: ErrorCode.ForbiddenKey,
      message: `key "${segment}" is not allowed`,
      ...(location ? { location } : {}),
      ...(provider ? { provider } : {}),
    });
  }
}

/**
 * Parses a key path into segments. Accepts dots, `[0]` indices and `["quoted"]` segments.
 * @throws ConfigError invalid_parameters on malformed paths, forbidden_key on prototype segments
 */
export function parsePath(path: string, op = 'path'): string[] {
  if (path === '') return [];
  if (!path.includes('[')) {
    const parts = path.split('.');
    for (const p of parts) {
      if (p === '') throw badPath(path, op);
      assertSafeSegment(p, op, { key: path });
    }
    return parts;
  }
  const out: string[] = [];
  let i = 0;
  let current = '';
  let expectSegment = true;
  while (i < path.length) {
    const ch = path[i]!;
    if (ch === '.') {
      if (expectSegment && current === '') throw badPath(path, op);
      if (current !== '') out.push(current);
      current = '';
      expectSegment = true;
      i++;
    } else if (ch === '[') {
      if (current !== '') out.push(current);
      current = '';
      const close = path.indexOf(']', i);
      if (close < 0) throw badPath(path, op);
      let inner = path.slice(i + 1, close);
      if ((inner.startsWith('"') && inner.endsWith('"')) || (inner.startsWith("'") && inner.endsWith("'"))) {
        inner = inner.slice(1, -1);
      } else if (!/^\d+$/.test(inner)) {
        assertSafeSegment(inner, op, { key: path });
        throw badPath(path, op);
      }
      out.push(inner);
      i = close + 1;
      expectSegment = false;
      if (i < path.length && path[i] !== '.' && path[i] !== '[') throw badPath(path, op);
      if (path[i] === '.') {
        i++;
        expectSegment = true;
      }
    } else {
      current += ch;
      expectSegment = false;
      i++;
    }
  }
  if (current !== '') out.push(current);
  else if (expectSegment && out.length > 0 && path.endsWith('.')) throw badPath(path, op);
  for (const s of out) assertSafeSegment(s, op, { key: path });
  return out;
}

function badPath(path: string, op: string): ConfigError {
  return new ConfigError({ op, code: ErrorCode.InvalidParameters, message: `malformed key path "${path}"` });
}

/** Joins segments into the canonical dotted path; segments holding `.`, `[` or `]` are bracket-quoted. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const seg of segments) {
    const s = String(seg);
    if (/[.[\]]/.test(s)) out += `["${s}"]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out;
}

/** Appends one segment to a canonical path (the hot-path form of formatPath). */
export function joinPath(parent: string, segment: string | number): string {
  const s = String(segment);
  if (s.includes('.') || s.includes('[') || s.includes(']')) return `${parent}["${s}"]`;
  return parent === '' ? s : `${parent}.${s}`;
}

/** Normalises any accepted spelling of a path to its canonical form. */
export function canonicalPath(path: string): string {
  return formatPath(parsePath(path));
}

/** The value at a key path given as text (`server.port`, `a[0].b`); undefined when absent or not a valid path. */
export function getAtKey(tree: unknown, key: string): unknown {
  let segments: string[];
  try {
    segments = parsePath(key);
  } catch {
    return undefined;
  }
  return getAt(tree, segments);
}

/** Reads the value at `segments` in a plain tree; undefined when absent. Own properties only. */
export function getAt(tree: unknown, segments: readonly string[]): unknown {
  let node: unknown = tree;
  for (const seg of segments) {
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(seg)) return undefined;
      node = node[Number(seg)];
    } else if (node !== null && typeof node === 'object') {
      if (!Object.prototype.hasOwnProperty.call(node, seg)) return undefined;
      node = (node as Record<string, unknown>)[seg];
    } else return undefined;
  }
  return node;
}
