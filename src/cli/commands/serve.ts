/**
 * `confstack serve`: the explorer (page and JSON API) over a `watchConfig` of the CLI's sources,
 * with a HealthMonitor checking them every 10 s, until SIGINT (exit 0). Binds 127.0.0.1 unless
 * told otherwise; args.ts refuses a non-loopback host without a token.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, ErrorCode } from '../../foundation/errors.js';
import { HealthMonitor } from '../../observability/health.js';
import { standardPropsOf } from '../../foundation/standard-schema.js';
import { watchConfig } from '../../presets/framework/api.js';
import { activeJsonSchema, activeSchema, untilAborted, type CommandContext } from '../context.js';
import { renderMarkdownReference } from '../reference.js';
import { buildLoadOptions, closeSources, effectiveEnvPrefix } from '../sources.js';

const CHECK_EVERY_MS = 10_000;

/** Runs `serve`; resolves when `ctx.signal` aborts. */
export async function runServe(ctx: CommandContext): Promise<number> {
  const host = ctx.options.host ?? '127.0.0.1';
  const port = ctx.options.port ?? 8642;
  const monitor = new HealthMonitor();
  // The same load options every command builds (sources, env prefix, profile, project file).
  const opts = await buildLoadOptions(ctx.global, { monitor }, ctx.project);
  for (const p of opts.sources) monitor.register(p);
  const live = await watchConfig(opts);
  const schema = activeSchema(ctx.project);
  let markdown: string | undefined;
  if (schema !== false) {
    const vendor = standardPropsOf(schema)?.vendor;
    markdown = renderMarkdownReference(await activeJsonSchema(schema), { envPrefix: effectiveEnvPrefix(ctx.global, ctx.project), ...(typeof vendor === 'string' ? { vendor } : {}) });
  }
  const { configExplorer } = await import('../../operator/explorer/index.js');
  const explorer = configExplorer(live, {
    monitor,
    ...(ctx.options.token !== undefined ? { token: ctx.options.token } : {}),
    // The schema every command validates with (the project's, else the framework preset) and its `confstack docs` reference.
    schema,
    ...(markdown !== undefined ? { referenceMarkdown: markdown } : {}),
  });
  const server = createServer(explorer);
  const checks = setInterval(() => void monitor.checkAll(), CHECK_EVERY_MS).unref();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(new ConfigError({ op: 'serve', code: ErrorCode.InvalidParameters, message: `cannot listen on ${host}:${port} (${err.code ?? 'error'})`, cause: err }));
      });
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${shownHost}:${address.port}/`;
    if (ctx.global.json) ctx.io.out(`${JSON.stringify({ event: 'listening', url, token: ctx.options.token !== undefined })}\n`);
    else {
      ctx.io.out(`${url}\n`);
      ctx.io.err(
        `confstack: explorer at ${url} (read-only, values redacted${ctx.options.token !== undefined ? '; open it with #token=<token> after the URL' : ''}; Ctrl-C to stop)\n`,
      );
    }
    await untilAborted(ctx.signal);
    return 0;
  } finally {
    clearInterval(checks);
    explorer.close();
    server.closeAllConnections();
    server.close();
    await live.close();
    await closeSources(opts.sources);
  }
}
