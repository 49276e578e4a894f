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

/** See `configExplorer` in confstack/explorer. @throws ConfigError invalid_parameters */
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
