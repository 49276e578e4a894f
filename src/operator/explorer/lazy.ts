/**
 * `configExplorer` as the package entry exports it: the options are checked and the reload history
 * starts recording at once (both small), while the explorer itself (routing, views, the page) is
 * imported in the background and serves from the first request on. So `import 'confstack'` pays
 * nothing for the explorer. Same behaviour as `confstack/explorer`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConfigExplorer } from './explorer.js';
import { ReloadHistory } from './history.js';
import { isLive, resolveExplorerOptions, type ConfigExplorerOptions, type ExplorerSource } from './options.js';

/**
 * A read-only explorer of a live config (or one snapshot), to mount in any Node HTTP server: the
 * page, `/api/config`, `/api/explain?key=`, `/api/search?q=`, `/api/sources`, `/api/health`,
 * `/api/history`, `/api/reference` and `/api/events` (Server-Sent Events). Same as the export of
 * `confstack/explorer`, whose documentation has the details.
 *
 * Gotchas: left open to a network it is a known security risk even with values redacted: keep it
 * on loopback or set `token`. Call `close()` on shutdown.
 * @throws ConfigError invalid_parameters for a bad option
 * @example
 * http.createServer(configExplorer(live, { token: process.env.EXPLORER_TOKEN })).listen(8642, '127.0.0.1');
 */
export function configExplorer<T>(source: ExplorerSource<T>, options: ConfigExplorerOptions = {}): ConfigExplorer {
  const resolved = resolveExplorerOptions(options);
  const history = new ReloadHistory(resolved.historyLimit, isLive(source) ? (source as never) : undefined);
  let impl: ConfigExplorer | undefined;
  let closed = false;
  const loading = import('./explorer.js').then(({ createExplorer }) => {
    impl = createExplorer(source, resolved, history);
    if (closed) impl.close();
    return impl;
  });
  // Surfaced by the first request (a 500) rather than as an unhandled rejection.
  loading.catch(() => {});
  const handler = ((req: IncomingMessage, res: ServerResponse): void => {
    if (impl) return impl(req, res);
    loading.then(
      (h) => h(req, res),
      () => {
        res.statusCode = 500;
        res.end();
      },
    );
  }) as ConfigExplorer;
  handler.close = () => {
    closed = true;
    history.close();
    impl?.close();
  };
  return handler;
}
