/**
 * The explorer's HTTP rules: which requests reach a route at all (URL and header caps, exact path
 * matching that turns path tricks into 400s, no credentials in query strings, GET and HEAD only,
 * bearer tokens compared in constant time, CORS only for listed origins) and how answers are
 * written (bounded JSON, security headers). Route logic lives in views.ts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { asConfigError } from '../../foundation/errors.js';
import { parsePath } from '../../tree/path.js';

const MAX_URL = 8 * 1024;
const MAX_HEADER_BYTES = 32 * 1024;
const MAX_KEY_CHARS = 4096;
const MAX_KEY_SEGMENTS = 256;
/** Query parameters that look like credentials: refused, so a token never lands in a log or history. */
const TOKEN_PARAMS: ReadonlySet<string> = new Set(['token', 'access_token', 'accesstoken', 'auth', 'authorization', 'bearer', 'api_key', 'apikey']);

/** Headers on every answer. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};
const JSON_CSP = "default-src 'none'; frame-ancestors 'none'";

/** A 4xx (or the bare 500) an explorer answers with: `{ error: { code, message } }`. */
export class HttpProblem {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

/** One request that passed the checks, on its way to a route. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** HEAD: headers only. */
  readonly head: boolean;
  /** CORS headers for this request's origin (empty unless it is listed). */
  readonly cors: Readonly<Record<string, string>>;
}

/**
 * The route path of a request under `basePath` (`/`, `/api/config`…), or undefined when the
 * request is outside it.
 * @throws HttpProblem 414, 431, 400 (malformed or tricky path, credentials in the query)
 */
export function routePath(req: IncomingMessage, basePath: string): { path: string; url: URL } | undefined {
  const raw = req.url ?? '';
  if (raw.length > MAX_URL) throw new HttpProblem(414, 'url_too_long', `URLs are at most ${MAX_URL} characters`);
  let headerBytes = 0;
  for (const h of req.rawHeaders) headerBytes += h.length + 2;
  if (headerBytes > MAX_HEADER_BYTES) throw new HttpProblem(431, 'headers_too_large', 'request headers too large');
  const rawPath = raw.split(/[?#]/, 1)[0]!;
  // Encoded slashes, backslashes and dots only matter in the path; a query value may hold them.
  if (!raw.startsWith('/') || raw.startsWith('//') || /[\\\0]|%00/i.test(raw) || /%(?:2f|5c|2e)/i.test(rawPath)) throw new HttpProblem(400, 'bad_path', 'malformed path');
  let url: URL;
  try {
    url = new URL(raw, 'http://explorer.invalid');
  } catch {
    throw new HttpProblem(400, 'bad_path', 'malformed URL');
  }
  // URL() resolves dot segments and re-encodes; any difference from what was sent is a path trick.
  if (url.pathname !== rawPath) throw new HttpProblem(400, 'bad_path', 'malformed path');
  for (const name of url.searchParams.keys()) {
    if (TOKEN_PARAMS.has(name.toLowerCase())) {
      throw new HttpProblem(400, 'token_in_query', 'credentials in the query string are refused (they end up in logs); send Authorization: Bearer <token>');
    }
  }
  let path: string;
  if (basePath === '') path = url.pathname;
  else if (url.pathname === basePath) path = '/';
  else if (url.pathname.startsWith(`${basePath}/`)) path = url.pathname.slice(basePath.length);
  else return undefined;
  return { path: path === '/index.html' ? '/' : path, url };
}

/** Checks `Authorization: Bearer <token>` against one token, in constant time. */
export class BearerCheck {
  readonly #digest: Buffer | undefined;

  constructor(token: string | undefined) {
    this.#digest = token !== undefined ? sha256(token) : undefined;
  }

  /** True when no token is configured, or the request carries it. */
  allows(req: IncomingMessage): boolean {
    if (this.#digest === undefined) return true;
    const header = req.headers.authorization;
    if (typeof header !== 'string') return false;
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    // Digests have one length, so the compare takes the same time whatever was sent.
    return m !== null && timingSafeEqual(sha256(m[1]!), this.#digest);
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** CORS headers when the request's Origin is one of `allowed` (exact match). */
export function corsHeaders(req: IncomingMessage, allowed: readonly string[]): Record<string, string> {
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || !allowed.includes(origin)) return {};
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

/** A query parameter given at most once and at most `max` characters long. @throws HttpProblem 400 */
export function param(url: URL, name: string, max: number): string | undefined {
  const all = url.searchParams.getAll(name);
  if (all.length > 1) throw new HttpProblem(400, 'invalid_parameters', `give "${name}" once`);
  const v = all[0];
  if (v !== undefined && v.length > max) throw new HttpProblem(400, 'invalid_parameters', `"${name}" is longer than ${max} characters`);
  return v;
}

/** A whole-number parameter, capped at `max`. @throws HttpProblem 400 */
export function intParam(url: URL, name: string, fallback: number, max: number): number {
  const v = param(url, name, 12);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) throw new HttpProblem(400, 'invalid_parameters', `"${name}" must be a whole number`);
  return Math.min(Number(v), max);
}

/** A key path parameter as segments (bounded before it is parsed). @throws HttpProblem 400 */
export function keyParam(url: URL, name: string, required: boolean): string[] | undefined {
  const key = param(url, name, MAX_KEY_CHARS);
  if (key === undefined) {
    if (required) throw new HttpProblem(400, 'invalid_parameters', `"${name}" is required`);
    return undefined;
  }
  // A path never has more segments than separators + 1.
  if ((key.match(/[.[]/g)?.length ?? 0) >= MAX_KEY_SEGMENTS) throw new HttpProblem(400, 'invalid_parameters', `a key path has at most ${MAX_KEY_SEGMENTS} segments`);
  try {
    return parsePath(key, 'explorer');
  } catch (err) {
    throw new HttpProblem(400, asConfigError(err)?.code ?? 'invalid_parameters', `"${name}" is not a valid key path`);
  }
}

/** Writes `body` as JSON. @throws HttpProblem 413 when it is larger than `maxBytes` */
export function sendJson(ex: Exchange, status: number, body: unknown, maxBytes: number): void {
  const text = JSON.stringify(body);
  const length = Buffer.byteLength(text);
  if (length > maxBytes) throw new HttpProblem(413, 'response_too_large', `the answer is larger than ${maxBytes} bytes; ask for a subtree (/api/config?path=…)`);
  ex.res.writeHead(status, { ...COMMON_HEADERS, ...ex.cors, 'content-security-policy': JSON_CSP, 'content-type': 'application/json; charset=utf-8', 'content-length': String(length) });
  ex.res.end(ex.head ? undefined : text);
}

/** Writes a problem; a response already under way is cut instead. */
export function sendProblem(res: ServerResponse, p: HttpProblem, head: boolean, cors: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify({ error: { code: p.code, message: p.message } });
  res.writeHead(p.status, {
    ...COMMON_HEADERS,
    ...cors,
    'content-security-policy': JSON_CSP,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...p.headers,
  });
  res.end(head ? undefined : text);
}
