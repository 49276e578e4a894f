/**
 * confstack/explorer: the operator's view of a running service, as a `node:http` request handler.
 * `import { configExplorer } from 'confstack'` gives the same function, loaded lazily (the
 * explorer's code and page load on the first request, not with the package).
 */
import { ReloadHistory } from './history.js';
import { createExplorer, type ConfigExplorer } from './explorer.js';
import { isLive, resolveExplorerOptions, type ConfigExplorerOptions, type ExplorerSource } from './options.js';

export type { ConfigExplorer } from './explorer.js';
export type { DiffLine, HistoryEntry } from './history.js';
export type { ConfigExplorerOptions, ExplorerSource } from './options.js';

/**
 * A read-only explorer of a live config (or one snapshot), to mount in any Node HTTP server.
 * Serves `GET {basePath}/` (the page), `/api/config` (redacted tree with origins; `?path=` for one
 * node's children), `/api/explain?key=` (every layer of a key), `/api/search?q=`, `/api/sources`,
 * `/api/health`, `/api/history` (applied and rejected reloads), `/api/reference` (the schema's JSON
 * Schema) and `/api/events` (Server-Sent Events: `reload`, `rejected`, `health`).
 *
 * Gotchas: an explorer left open to a network is a known security risk (it shows how a service is
 * configured, even with values redacted): keep it on a loopback address, or set `token` (every
 * `/api` route then needs `Authorization: Bearer <token>`). Call `close()` on shutdown to end the
 * event streams and stop recording reloads.
 * @throws ConfigError invalid_parameters for a bad option (a short token, a malformed basePath…)
 * @example
 * const live = await watchConfig();
 * http.createServer(configExplorer(live, { token: process.env.EXPLORER_TOKEN })).listen(9464, '127.0.0.1');
 */
export function configExplorer<T>(source: ExplorerSource<T>, options: ConfigExplorerOptions = {}): ConfigExplorer {
  const resolved = resolveExplorerOptions(options);
  const history = new ReloadHistory(resolved.historyLimit, isLive(source) ? (source as never) : undefined);
  return createExplorer(source, resolved, history);
}
