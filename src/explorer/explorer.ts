/**
 * The explorer: a read-only `node:http` request handler over a LiveConfig (or one Config) that
 * serves the operator page, JSON views (config with origins, every layer of a key, sources,
 * health figures, reload history, the schema's reference) and Server-Sent Events.
 *
 * Security rules, in the order a request meets them: URL and header size caps; the path is
 * matched exactly against the route table (dot segments, encoded slashes, backslashes and NUL are
 * 400s); a token in the query string is refused; CORS only for configured origins; GET and HEAD
 * only; with a token every /api route needs `Authorization: Bearer` (constant-time compare). Every
 * value leaves redacted; every answer is bounded (maxResponseBytes, SSE client cap, per-client
 * buffer cap). No request can make the handler throw: anything unexpected is a bare 500.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.js';
import { asConfigError } from '../errors.js';
import { redactUrlCredentials, redactUrlCredentialsDeep } from '../secrets.js';
import { describeOrigin, type Origin } from '../tree/origins.js';
import { getAt, joinPath, parsePath } from '../tree/path.js';
import type { HistoryEntry, ReloadHistory } from './history.js';
import { isLive, type ExplorerSource, type ResolvedExplorerOptions } from './options.js';
import { redactedTree } from './redacted.js';

/** A request handler for `http.createServer`, Express or Fastify's raw request/response; `close()` ends its event streams and stops recording. */
export type ConfigExplorer = ((req: IncomingMessage, res: ServerResponse) => void) & { close(): void };

const MAX_URL = 8 * 1024;
const MAX_HEADER_BYTES = 32 * 1024;
const MAX_KEY_CHARS = 4096;
const MAX_KEY_SEGMENTS = 256;
const MAX_QUERY = 256;
const SSE_BUFFER_LIMIT = 1024 * 1024;
const HEARTBEAT_MS = 15_000;
/** Query parameters that look like credentials: refused, so a token never lands in a log or history. */
const TOKEN_PARAMS: ReadonlySet<string> = new Set(['token', 'access_token', 'accesstoken', 'auth', 'authorization', 'bearer', 'api_key', 'apikey', 'key_token']);

const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

type Kind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';
const kindOf = (v: unknown): Kind =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : (typeof v as 'string' | 'number' | 'boolean');

class HttpProblem {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  head: boolean;
  cors: Record<string, string>;
}

interface EventClient {
  res: ServerResponse;
}

/** Builds the handler (the explorer's options are checked already). */
export function createExplorer<T>(source: ExplorerSource<T>, options: ResolvedExplorerOptions, history: ReloadHistory): ConfigExplorer {
  const live = isLive(source) ? source : undefined;
  const current = (): Config<unknown> => (live ? live.current() : (source as Config<T>)) as Config<unknown>;
  const version = (): number => (live ? live.version : 1);
  const tokenDigest = options.token !== undefined ? sha256(options.token) : undefined;
  const clients = new Set<EventClient>();
  const searchIndex = new WeakMap<object, { path: string; kind: Kind }[]>();
  let heartbeat: NodeJS.Timeout | undefined;
  let healthTimer: NodeJS.Timeout | undefined;
  let lastHealth: string | undefined;
  let reference: Promise<unknown> | undefined;
  let page: { html: string; csp: string } | undefined;
  let closed = false;

  const unsubscribe = history.subscribe((entry: HistoryEntry) => broadcast(entry.outcome === 'applied' ? 'reload' : 'rejected', entry, entry.seq));

  // ---- responses -------------------------------------------------------------------------

  function sendJson(ctx: Ctx, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    if (Buffer.byteLength(text) > options.maxResponseBytes) {
      throw new HttpProblem(413, 'response_too_large', `the answer is larger than ${options.maxResponseBytes} bytes; ask for a subtree (/api/config?path=…)`);
    }
    ctx.res.writeHead(status, {
      ...COMMON_HEADERS,
      ...ctx.cors,
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    });
    ctx.res.end(ctx.head ? undefined : text);
  }

  function problem(res: ServerResponse, p: HttpProblem, head: boolean, cors: Record<string, string> = {}): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const text = JSON.stringify({ error: { code: p.code, message: p.message } });
    res.writeHead(p.status, {
      ...COMMON_HEADERS,
      ...cors,
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      ...p.headers,
    });
    res.end(head ? undefined : text);
  }

  // ---- request parsing -------------------------------------------------------------------

  function param(ctx: Ctx, name: string, max: number): string | undefined {
    const all = ctx.url.searchParams.getAll(name);
    if (all.length > 1) throw new HttpProblem(400, 'invalid_parameters', `give "${name}" once`);
    const v = all[0];
    if (v !== undefined && v.length > max) throw new HttpProblem(400, 'invalid_parameters', `"${name}" is longer than ${max} characters`);
    return v;
  }

  function intParam(ctx: Ctx, name: string, fallback: number, max: number): number {
    const v = param(ctx, name, 12);
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v)) throw new HttpProblem(400, 'invalid_parameters', `"${name}" must be a whole number`);
    return Math.min(Number(v), max);
  }

  function keyParam(ctx: Ctx, name: string, required: boolean): string[] | undefined {
    const key = param(ctx, name, MAX_KEY_CHARS);
    if (key === undefined) {
      if (required) throw new HttpProblem(400, 'invalid_parameters', `"${name}" is required`);
      return undefined;
    }
    // Cheap bound before parsing: a path never has more segments than separators + 1.
    if ((key.match(/[.[]/g)?.length ?? 0) >= MAX_KEY_SEGMENTS) throw new HttpProblem(400, 'invalid_parameters', `a key path has at most ${MAX_KEY_SEGMENTS} segments`);
    try {
      return parsePath(key, 'explorer');
    } catch (err) {
      const ce = asConfigError(err);
      throw new HttpProblem(400, ce?.code ?? 'invalid_parameters', `"${name}" is not a valid key path`);
    }
  }

  function authorized(req: IncomingMessage): boolean {
    if (tokenDigest === undefined) return true;
    const header = req.headers.authorization;
    if (typeof header !== 'string') return false;
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!m) return false;
    // Digests have one length, so the compare takes the same time whatever was sent.
    return timingSafeEqual(sha256(m[1]!), tokenDigest);
  }

  function corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || !options.cors.includes(origin)) return {};
    return { 'access-control-allow-origin': origin, vary: 'Origin' };
  }

  // ---- views -----------------------------------------------------------------------------

  const originText = (o: Origin | undefined) => (o ? { ...o, at: redactUrlCredentials(describeOrigin(o)) } : null);

  function viewConfig(ctx: Ctx): void {
    const config = current();
    const tree = redactedTree(config);
    const segments = keyParam(ctx, 'path', false);
    if (segments === undefined) {
      sendJson(ctx, 200, { version: version(), config: tree });
      return;
    }
    const node = segments.length === 0 ? tree : getAt(tree, segments);
    const path = segments.reduce<string>((p, s) => joinPath(p, s), '');
    if (node === undefined) throw new HttpProblem(404, 'key_not_found', 'no value at that key');
    const kind = kindOf(node);
    const body: Record<string, unknown> = { version: version(), path, kind };
    if (kind !== 'object' && kind !== 'array') {
      body.value = node;
      body.origin = originText(segments.length > 0 ? config.explain(path) : undefined);
      sendJson(ctx, 200, body);
      return;
    }
    const offset = intParam(ctx, 'offset', 0, Number.MAX_SAFE_INTEGER);
    const limit = Math.max(1, intParam(ctx, 'limit', 200, 2000));
    const keys = Array.isArray(node) ? node.map((_, i) => String(i)) : Object.keys(node as object);
    body.size = keys.length;
    body.offset = offset;
    body.children = keys.slice(offset, offset + limit).map((k) => {
      const child = (node as Record<string, unknown>)[k];
      const childPath = joinPath(path, k);
      const ck = kindOf(child);
      const entry: Record<string, unknown> = { key: k, path: childPath, kind: ck };
      if (ck === 'object' || ck === 'array') entry.size = Array.isArray(child) ? child.length : Object.keys(child as object).length;
      else entry.value = child;
      const o = config.explain(childPath);
      if (o) entry.origin = redactUrlCredentials(describeOrigin(o));
      return entry;
    });
    sendJson(ctx, 200, body);
  }

  function viewExplain(ctx: Ctx): void {
    const segments = keyParam(ctx, 'key', true)!;
    const key = segments.reduce<string>((p, s) => joinPath(p, s), '');
    const config = current();
    const value = segments.length === 0 ? redactedTree(config) : getAt(redactedTree(config), segments);
    sendJson(ctx, 200, {
      version: version(),
      key,
      found: value !== undefined,
      value: value ?? null,
      origin: originText(segments.length > 0 ? config.explain(key) : undefined),
      layers: config.explainAll(key).map((l) => ({ ...l, origin: originText(l.origin) })),
    });
  }

  function viewSearch(ctx: Ctx): void {
    const q = (param(ctx, 'q', MAX_QUERY) ?? '').toLowerCase();
    const limit = Math.max(1, intParam(ctx, 'limit', 50, 500));
    const config = current();
    let index = searchIndex.get(config);
    if (!index) {
      index = [];
      const walk = (v: unknown, path: string): void => {
        if (path !== '') index!.push({ path, kind: kindOf(v) });
        if (Array.isArray(v)) v.forEach((item, i) => walk(item, joinPath(path, i)));
        else if (v !== null && typeof v === 'object') for (const [k, child] of Object.entries(v)) walk(child, joinPath(path, k));
      };
      walk(redactedTree(config), '');
      searchIndex.set(config, index);
    }
    const matches: { path: string; kind: Kind }[] = [];
    let total = 0;
    for (const item of index) {
      if (q !== '' && !item.path.toLowerCase().includes(q)) continue;
      total++;
      if (matches.length < limit) matches.push(item);
    }
    sendJson(ctx, 200, { version: version(), q, total, matches });
  }

  function sourcesView(): unknown[] {
    const providers = options.monitor?.summary().providers ?? {};
    return current()
      .sources()
      .map((s) => ({
        name: s.name,
        type: s.type,
        status: s.status,
        ...(s.error ? { error: { code: s.error.code, message: redactUrlCredentials(s.error.message) } } : {}),
        ...(Object.hasOwn(providers, s.name) ? { health: providers[s.name] } : {}),
      }));
  }

  function viewSources(ctx: Ctx): void {
    sendJson(ctx, 200, { version: version(), sources: sourcesView() });
  }

  function healthView(): Record<string, unknown> {
    const monitor = options.monitor;
    if (!monitor) return { available: false, reason: 'no HealthMonitor was given (options.monitor)' };
    return { available: true, ...(redactUrlCredentialsDeepSafe(monitor.summary()) as Record<string, unknown>) };
  }

  function viewHealth(ctx: Ctx): void {
    sendJson(ctx, 200, healthView());
  }

  function viewHistory(ctx: Ctx): void {
    sendJson(ctx, 200, { live: live !== undefined, version: version(), ...history.snapshot() });
  }

  async function viewReference(ctx: Ctx): Promise<void> {
    reference ??= buildReference(options.schema);
    sendJson(ctx, 200, await reference);
  }

  async function viewPage(ctx: Ctx): Promise<void> {
    if (!page) {
      const { PAGE_HTML } = await import('./page.js');
      const hash = (tag: string) => {
        const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(PAGE_HTML);
        return `'sha256-${createHash('sha256').update(m?.[1] ?? '').digest('base64')}'`;
      };
      page = {
        html: PAGE_HTML,
        csp: `default-src 'none'; script-src ${hash('script')}; style-src ${hash('style')}; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      };
    }
    ctx.res.writeHead(200, {
      ...COMMON_HEADERS,
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(Buffer.byteLength(page.html)),
      'content-security-policy': page.csp,
    });
    ctx.res.end(ctx.head ? undefined : page.html);
  }

  // ---- events ----------------------------------------------------------------------------

  function frame(event: string, data: unknown, id?: number): string {
    return `event: ${event}\n${id !== undefined ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
  }

  function write(client: EventClient, text: string): void {
    const { res } = client;
    // A client that stopped reading is dropped, not buffered without end.
    if (res.destroyed || res.writableLength > SSE_BUFFER_LIMIT) {
      drop(client);
      return;
    }
    res.write(text);
  }

  function broadcast(event: string, data: unknown, id?: number): void {
    if (clients.size === 0) return;
    const text = frame(event, data, id);
    for (const client of [...clients]) write(client, text);
  }

  function drop(client: EventClient): void {
    if (!clients.delete(client)) return;
    client.res.destroy();
    if (clients.size === 0) stopTimers();
  }

  function stopTimers(): void {
    if (heartbeat) clearInterval(heartbeat);
    if (healthTimer) clearInterval(healthTimer);
    heartbeat = healthTimer = undefined;
  }

  function healthSignature(): { signature: string; data: Record<string, unknown> } | undefined {
    const monitor = options.monitor;
    if (!monitor) return undefined;
    const s = monitor.summary();
    const statuses = Object.fromEntries(Object.entries(s.providers).map(([n, h]) => [n, h.status]));
    const data = { status: s.status, reasons: s.reasons, providers: statuses, sources: s.sources };
    return { signature: JSON.stringify(data), data };
  }

  function startTimers(): void {
    heartbeat ??= setInterval(() => broadcastRaw(': ping\n\n'), HEARTBEAT_MS).unref();
    if (options.monitor && !healthTimer) {
      lastHealth = healthSignature()?.signature;
      healthTimer = setInterval(() => {
        try {
          const h = healthSignature();
          if (h && h.signature !== lastHealth) {
            lastHealth = h.signature;
            broadcast('health', redactUrlCredentialsDeepSafe(h.data));
          }
        } catch {
          // A monitor that throws never breaks the stream.
        }
      }, options.healthIntervalMs).unref();
    }
  }

  function broadcastRaw(text: string): void {
    for (const client of [...clients]) write(client, text);
  }

  function viewEvents(ctx: Ctx): void {
    if (ctx.head) {
      ctx.res.writeHead(200, { ...COMMON_HEADERS, ...ctx.cors, 'content-type': 'text/event-stream; charset=utf-8' });
      ctx.res.end();
      return;
    }
    if (closed) throw new HttpProblem(503, 'closed', 'the explorer is closed');
    if (clients.size >= options.maxSseClients) {
      throw new HttpProblem(503, 'too_many_clients', `at most ${options.maxSseClients} event streams at once`, { 'retry-after': '10' });
    }
    const client: EventClient = { res: ctx.res };
    clients.add(client);
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.res.writeHead(200, {
      ...COMMON_HEADERS,
      ...ctx.cors,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const remove = () => drop(client);
    ctx.req.on('close', remove);
    ctx.res.on('close', remove);
    ctx.res.on('error', remove);
    ctx.res.write(`retry: 3000\n\n`);
    write(client, frame('hello', { version: version(), live: live !== undefined, health: healthSignature()?.data ?? null }));
    startTimers();
  }

  const ROUTES: Readonly<Record<string, (ctx: Ctx) => void | Promise<void>>> = Object.assign(Object.create(null) as object, {
    '/': viewPage,
    '/api/config': viewConfig,
    '/api/explain': viewExplain,
    '/api/search': viewSearch,
    '/api/sources': viewSources,
    '/api/health': viewHealth,
    '/api/history': viewHistory,
    '/api/reference': viewReference,
    '/api/events': viewEvents,
  });

  // ---- dispatch --------------------------------------------------------------------------

  function route(req: IncomingMessage, res: ServerResponse): { ctx: Ctx; run: (ctx: Ctx) => void | Promise<void> } | undefined {
    const head = req.method === 'HEAD';
    const raw = req.url ?? '';
    if (raw.length > MAX_URL) throw new HttpProblem(414, 'url_too_long', `URLs are at most ${MAX_URL} characters`);
    let headerBytes = 0;
    for (const h of req.rawHeaders) headerBytes += h.length + 2;
    if (headerBytes > MAX_HEADER_BYTES) throw new HttpProblem(431, 'headers_too_large', 'request headers too large');
    if (!raw.startsWith('/') || raw.startsWith('//') || /[\\\0]|%(?:00|2f|5c|2e)/i.test(raw)) throw new HttpProblem(400, 'bad_path', 'malformed path');
    let url: URL;
    try {
      url = new URL(raw, 'http://explorer.invalid');
    } catch {
      throw new HttpProblem(400, 'bad_path', 'malformed URL');
    }
    const rawPath = raw.split(/[?#]/, 1)[0]!;
    // URL() resolves dot segments and re-encodes; any difference is a path trick.
    if (url.pathname !== rawPath) throw new HttpProblem(400, 'bad_path', 'malformed path');
    for (const name of url.searchParams.keys()) {
      if (TOKEN_PARAMS.has(name.toLowerCase())) {
        throw new HttpProblem(400, 'token_in_query', 'credentials in the query string are refused (they end up in logs); send Authorization: Bearer <token>');
      }
    }
    const base = options.basePath;
    let rel: string;
    if (base === '') rel = url.pathname;
    else if (url.pathname === base) rel = '/';
    else if (url.pathname.startsWith(`${base}/`)) rel = url.pathname.slice(base.length);
    else return undefined;
    if (rel === '/index.html') rel = '/';
    const run = Object.hasOwn(ROUTES, rel) ? ROUTES[rel] : undefined;
    if (!run) return undefined;
    const cors = corsHeaders(req);
    const ctx: Ctx = { req, res, url, head, cors };
    if (req.method === 'OPTIONS' && options.cors.length > 0 && cors['access-control-allow-origin']) {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, HEAD', 'access-control-allow-headers': 'authorization', 'access-control-max-age': '600' });
      res.end();
      return { ctx, run: () => {} };
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpProblem(405, 'method_not_allowed', 'the explorer is read-only (GET, HEAD)', { allow: 'GET, HEAD' });
    // The page is a static shell with no data (it asks for the token); every /api route needs it.
    if (rel !== '/' && !authorized(req)) throw new HttpProblem(401, 'unauthorized', 'send Authorization: Bearer <token>', { 'www-authenticate': 'Bearer realm="confstack"' });
    return { ctx, run };
  }

  const handler = ((req: IncomingMessage, res: ServerResponse): void => {
    const head = req.method === 'HEAD';
    const fail = (err: unknown) => {
      try {
        problem(res, err instanceof HttpProblem ? err : new HttpProblem(500, 'internal', 'internal error'), head, corsHeaders(req));
      } catch {
        res.destroy();
      }
    };
    try {
      res.on('error', () => res.destroy());
      const found = route(req, res);
      if (!found) {
        if (!res.headersSent) problem(res, new HttpProblem(404, 'not_found', 'no such route'), head);
        return;
      }
      if (found.ctx.res.headersSent) return;
      const out = found.run(found.ctx);
      if (out) out.catch(fail);
    } catch (err) {
      fail(err);
    }
  }) as ConfigExplorer;

  handler.close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    history.close();
    for (const client of [...clients]) {
      clients.delete(client);
      client.res.end();
    }
    stopTimers();
  };
  return handler;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Health summaries hold names, codes and ConfigError messages; URL passwords are masked anyway (Dates become ISO strings first). */
function redactUrlCredentialsDeepSafe(value: unknown): unknown {
  return redactUrlCredentialsDeep(JSON.parse(JSON.stringify(value)) as unknown);
}

async function buildReference(schema: ResolvedExplorerOptions['schema']): Promise<unknown> {
  const note = 'the JSON Schema of the active schema; a Markdown reference (confstack docs) is not part of this build';
  if (schema === false) return { available: false, reason: 'no schema (schema: false)' };
  if (schema === undefined) {
    const { frameworkJsonSchema } = await import('../schema/index.js');
    return { available: true, kind: 'json-schema', note, schema: frameworkJsonSchema() };
  }
  const converter = (schema['~standard'] as { jsonSchema?: { input?: (o: { target: string }) => unknown } }).jsonSchema;
  if (typeof converter?.input !== 'function') return { available: false, reason: 'the schema does not expose a JSON Schema (Standard JSON Schema)' };
  try {
    return { available: true, kind: 'json-schema', note, schema: converter.input({ target: 'draft-2020-12' }) };
  } catch {
    return { available: false, reason: 'the schema could not be converted to JSON Schema' };
  }
}
