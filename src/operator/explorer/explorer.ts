/**
 * The explorer: a read-only `node:http` request handler over a LiveConfig (or one Config) that
 * serves the operator page, JSON views (views.ts) and Server-Sent Events (events.ts), behind the
 * request rules of http.ts. Wiring only: the route table, the order of the checks, and the rule
 * that no request can make the handler throw (anything unexpected is a bare 500).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../core/config.js';
import { EventHub } from './events.js';
import type { HistoryEntry, ReloadHistory } from './history.js';
import { BearerCheck, COMMON_HEADERS, corsHeaders, HttpProblem, intParam, keyParam, param, routePath, sendJson, sendProblem, type Exchange } from './http.js';
import { isLive, type ExplorerSource, type ResolvedExplorerOptions } from './options.js';
import { explainView, healthSignal, healthView, KeySearch, loadPage, nodeView, referenceView, sourcesView, treeView } from './views.js';

/** A request handler for `http.createServer`, Express or Fastify's raw request/response; `close()` ends its event streams and stops recording. */
export type ConfigExplorer = ((req: IncomingMessage, res: ServerResponse) => void) & { close(): void };

type Route = (ex: Exchange) => void | Promise<void>;

/** What the routes read: the source's current snapshot and version, and the explorer's parts. */
interface RouteContext {
  current(): Config<unknown>;
  version(): number;
  live: boolean;
  options: ResolvedExplorerOptions;
  history: ReloadHistory;
  events: EventHub;
  search: KeySearch;
}

/** The route table: path (below the base path) to its handler. */
function routeTable(c: RouteContext): Readonly<Record<string, Route>> {
  const { current, version, options } = c;
  let reference: unknown;
  let page: Promise<{ html: string; csp: string }> | undefined;
  const json = (ex: Exchange, body: unknown) => sendJson(ex, 200, body, options.maxResponseBytes);
  return Object.assign(Object.create(null) as object, {
    '/': async (ex: Exchange) => {
      const { html, csp } = await (page ??= loadPage());
      ex.res.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(html)), 'content-security-policy': csp });
      ex.res.end(ex.head ? undefined : html);
    },
    '/api/config': (ex: Exchange) => {
      const segments = keyParam(ex.url, 'path', false);
      if (segments === undefined) return json(ex, treeView(current(), version()));
      const offset = intParam(ex.url, 'offset', 0, Number.MAX_SAFE_INTEGER);
      const limit = Math.max(1, intParam(ex.url, 'limit', 200, 2000));
      json(ex, nodeView(current(), version(), segments, offset, limit));
    },
    '/api/explain': (ex: Exchange) => json(ex, explainView(current(), version(), keyParam(ex.url, 'key', true)!)),
    '/api/search': (ex: Exchange) => {
      const q = param(ex.url, 'q', 256) ?? '';
      json(ex, c.search.search(current(), version(), q, Math.max(1, intParam(ex.url, 'limit', 50, 500))));
    },
    '/api/sources': (ex: Exchange) => json(ex, sourcesView(current(), version(), options.monitor)),
    '/api/health': (ex: Exchange) => json(ex, healthView(options.monitor)),
    '/api/history': (ex: Exchange) => json(ex, { live: c.live, version: version(), ...c.history.snapshot() }),
    '/api/reference': (ex: Exchange) => json(ex, (reference ??= referenceView(options.schema, options.referenceMarkdown))),
    '/api/events': (ex: Exchange) => {
      if (ex.head) {
        ex.res.writeHead(200, { ...COMMON_HEADERS, ...ex.cors, 'content-type': 'text/event-stream; charset=utf-8' });
        ex.res.end();
        return;
      }
      c.events.open(ex, { version: version(), live: c.live, health: healthSignal(options.monitor)?.data ?? null });
    },
  });
}

/** The checks every request meets, in order; the route to run, or undefined when answered. */
function admit(req: IncomingMessage, res: ServerResponse, routes: Readonly<Record<string, Route>>, bearer: BearerCheck, options: ResolvedExplorerOptions): { ex: Exchange; route: Route } | undefined {
  const found = routePath(req, options.basePath);
  const route = found && Object.hasOwn(routes, found.path) ? routes[found.path] : undefined;
  if (!found || !route) throw new HttpProblem(404, 'not_found', 'no such route');
  const cors = corsHeaders(req, options.cors);
  if (req.method === 'OPTIONS' && cors['access-control-allow-origin']) {
    res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, HEAD', 'access-control-allow-headers': 'authorization', 'access-control-max-age': '600' });
    res.end();
    return undefined;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpProblem(405, 'method_not_allowed', 'the explorer is read-only (GET, HEAD)', { allow: 'GET, HEAD' });
  // The page is a static shell with no data (it asks for the token); every /api route needs it.
  if (found.path !== '/' && !bearer.allows(req)) throw new HttpProblem(401, 'unauthorized', 'send Authorization: Bearer <token>', { 'www-authenticate': 'Bearer realm="confstack"' });
  return { ex: { req, res, url: found.url, head: req.method === 'HEAD', cors }, route };
}

/** Builds the handler (its options are checked already; `history` records the source's reloads). */
export function createExplorer<T>(source: ExplorerSource<T>, options: ResolvedExplorerOptions, history: ReloadHistory): ConfigExplorer {
  const live = isLive(source) ? source : undefined;
  const bearer = new BearerCheck(options.token);
  const events = new EventHub({ maxClients: options.maxSseClients, watchIntervalMs: options.healthIntervalMs, watch: () => healthSignal(options.monitor) });
  const unsubscribe = history.subscribe((e: HistoryEntry) => events.broadcast(e.outcome === 'applied' ? 'reload' : 'rejected', e, e.seq));
  const routes = routeTable({
    current: () => (live ? live.current() : source) as Config<unknown>,
    version: () => (live ? live.version : 1),
    live: live !== undefined,
    options,
    history,
    events,
    search: new KeySearch(),
  });

  const handler = ((req: IncomingMessage, res: ServerResponse): void => {
    const fail = (err: unknown) => {
      try {
        sendProblem(res, err instanceof HttpProblem ? err : new HttpProblem(500, 'internal', 'internal error'), req.method === 'HEAD', corsHeaders(req, options.cors));
      } catch {
        res.destroy();
      }
    };
    try {
      res.on('error', () => res.destroy());
      const admitted = admit(req, res, routes, bearer, options);
      if (!admitted) return;
      const out = admitted.route(admitted.ex);
      if (out) out.catch(fail);
    } catch (err) {
      fail(err);
    }
  }) as ConfigExplorer;

  handler.close = () => {
    unsubscribe();
    history.close();
    events.close();
  };
  return handler;
}
